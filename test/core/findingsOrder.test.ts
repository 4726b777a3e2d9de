/**
 * Project.analyze() reports findings sorted as `sort(compareFindings)` would: by file, line, character and
 * rule. A query file's own findings are kept sorted between analyses; findings other parts of the
 * analysis place in the same file (here: a note at a call on a model schema.prisma left out) are merged
 * in, before and after an edit.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareFindings, Project } from '../../src/core/project';
import type { Finding } from '../../src/core/model/finding';
import { ONE_BROKEN_MODEL } from './prisma/helpers';

const CODE = `import { prisma } from './db'
export const a = (kind: string) => prisma.tag.findMany({ where: { slug: kind } })
export const b = (name: string) => prisma.user.findMany({ where: { name } })
export const c = (kind: string) => prisma.tag.findMany({ where: { slug: kind }, orderBy: { id: 'desc' } })
`;

function assertSorted(findings: Finding[]): void {
  for (let i = 1; i < findings.length; i++) {
    assert.ok(compareFindings(findings[i - 1], findings[i]) <= 0, `finding ${i - 1} (${findings[i - 1].file}:${findings[i - 1].range.start.line} ${findings[i - 1].rule}) comes before finding ${i} (${findings[i].file}:${findings[i].range.start.line} ${findings[i].rule})`);
  }
}

describe('Project: the order of findings', () => {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-order-'));
    fs.mkdirSync(path.join(dir, 'prisma'));
    fs.writeFileSync(path.join(dir, 'prisma', 'schema.prisma'), ONE_BROKEN_MODEL);
    fs.writeFileSync(path.join(dir, 'pg-index-review.json'), JSON.stringify({ rows: { tags: 5_000_000 } }));
    fs.writeFileSync(path.join(dir, 'repo.ts'), CODE);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("merges a note placed in a query file between that file's own findings, before and after an edit", async () => {
    const p = await Project.open(dir);
    const inRepo = (fs: Finding[]) => fs.filter((f) => f.file.endsWith('repo.ts')).map((f) => `${f.range.start.line}:${f.rule}`);
    const r0 = p.analyze();
    assertSorted(r0.findings);
    // The note at line 2 (the call on the left-out model) sits between the findings of lines 1 and 3.
    assert.deepEqual(inRepo(r0.findings), ['1:missing-index', '2:parse-error', '3:missing-index']);
    const file = path.join(dir, 'repo.ts');
    p.updateFile(file, CODE.replace("orderBy: { id: 'desc' }", "orderBy: { id: 'asc' }"));
    const r1 = p.analyze();
    assertSorted(r1.findings);
    assert.deepEqual(inRepo(r1.findings), inRepo(r0.findings));
    p.updateFile(file, `${CODE}export const d = (kind: string) => prisma.tag.findFirst({ where: { slug: kind } })\n`);
    const r2 = p.analyze();
    assertSorted(r2.findings);
    assert.deepEqual(inRepo(r2.findings), ['1:missing-index', '2:parse-error', '3:missing-index', '4:missing-index']);
  });

  it('sorts the findings of the LMS sample', async () => {
    const r = (await Project.open(path.join(__dirname, '..', '..', 'examples', 'lms'))).analyze();
    assert.ok(r.findings.length > 20);
    assertSorted(r.findings);
  });
});
