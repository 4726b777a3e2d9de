/**
 * unused-by-workload with queries the analysis can't read: Prisma calls whose model is chosen at run time
 * (`prisma[model].findMany`, a delegate a function returns) may use any index, and the findings say so.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Project } from '../../../src/core/project';
import { LineIndex } from '../../../src/core/model/location';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { unusedByWorkload } from '../../../src/core/rules/unusedByWorkload';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { initSqlParser } from '../../../src/core/sql/parser';
import { options, schemaFrom } from '../matcher/harness';

const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
model Session {
  id      String    @id
  shop    String
  expires DateTime?
  @@index([expires])
}
`;
const BY_ID = `export const one = (id: string) => prisma.session.findUnique({ where: { id } });\n`;
const DYNAMIC = `export const byShop = (model: string, shop: string) => prisma[model].findMany({ where: { shop }, orderBy: { expires: 'desc' } });
export class Store { table(): any { return null; } page(shop: string) { return this.table().findMany({ where: { shop }, take: 25 }); } }
`;

describe('unused-by-workload and queries not analysed', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-unresolved-'));
    fs.mkdirSync(path.join(dir, 'prisma'));
    fs.writeFileSync(path.join(dir, 'prisma', 'schema.prisma'), SCHEMA);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const unused = (r: ReturnType<Project['analyze']>) => r.findings.filter((f) => f.rule === 'unused-by-workload');

  it('says how many queries are not analysed, and drops that when an edit removes them', async () => {
    const file = path.join(dir, 'store.ts');
    fs.writeFileSync(file, BY_ID + DYNAMIC);
    const project = await Project.open(dir);
    const [f] = unused(project.analyze());
    assert.equal(f?.index, 'Session_expires_idx');
    assert.match(f.message, /2 queries of the workspace are not analysed \(a Prisma model chosen at run time\) and may use it\.$/);
    project.updateFile(file, BY_ID);
    const [g] = unused(project.analyze());
    assert.equal(g?.index, 'Session_expires_idx');
    assert.doesNotMatch(g.message, /not analysed/);
  });

  it('reports no index unused when no query of the workspace could be analysed', async () => {
    fs.writeFileSync(path.join(dir, 'store.ts'), DYNAMIC);
    assert.deepEqual(unused((await Project.open(dir)).analyze()), []);
  });
});

describe('unused-by-workload and an OR with one branch unindexed', () => {
  before(() => initSqlParser());

  it('does not call unused the index that serves the other branch (the OR uses it once the missing one exists)', () => {
    const schema = schemaFrom('CREATE TABLE o (id int PRIMARY KEY, a int NOT NULL, b int NOT NULL); CREATE INDEX o_a ON o (a);');
    const unusedOf = (sql: string) => {
      const { shapes } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
      const opts = options({ o: 1_000_000 });
      return unusedByWorkload.run({ schema, verdicts: verdictsFor(shapes, schema, opts), options: opts }).map((f) => f.index);
    };
    assert.deepEqual(unusedOf('SELECT * FROM o WHERE a = $1 OR b = $2'), []);
    // Control: no query can use o_a at all.
    assert.deepEqual(unusedOf('SELECT * FROM o WHERE b = $1'), ['o_a']);
  });
});
