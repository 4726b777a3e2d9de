/**
 * Project.analyze() keeps per-file verdicts and findings, schema-rule findings and the migration lint
 * between analyses, and updateFile re-extracts only the function an edit falls in. After every edit
 * the result must be what a project opened afresh on the same files gives.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Project, type AnalysisResult } from '../../src/core/project';
import { missingIndex } from '../../src/core/rules/missingIndex';
import { LMS } from '../helpers/paths';

function copyOfSample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-incremental-'));
  fs.cpSync(LMS, dir, { recursive: true });
  return dir;
}

/** What a result says, as plain data (verdicts reduced to what they decide). */
function digest(r: AnalysisResult): unknown {
  return JSON.parse(
    JSON.stringify({
      findings: r.findings,
      verdicts: r.verdicts.map((v) => ({
        shape: v.shape,
        accesses: v.accesses.map((a) => ({
          best: a.best?.index.name,
          reason: a.reason,
          rows: a.rows,
          candidates: a.candidates.map((c) => [c.index.name, c.usable, c.cost]),
          // Where the access's conditions and sort keys are written (a hover or a plan at the cursor reads them).
          at: [...a.access.predicates.map((p) => p.range), ...a.access.orderBy.map((o) => o.range)],
        })),
      })),
      stats: r.stats,
    }),
  );
}

/** verdictsIn(file) holds the very verdicts of that file that `verdicts` lists, in the same order. */
function assertVerdictsByFile(r: AnalysisResult): void {
  const files = new Set(r.verdicts.map((v) => v.shape.location.file));
  assert.ok(files.size > 5);
  for (const file of files) {
    const want = r.verdicts.filter((v) => v.shape.location.file === file);
    const got = r.verdictsIn(file);
    assert.equal(got.length, want.length, file);
    got.forEach((v, i) => assert.equal(v, want[i], `${file}: verdict ${i}`));
  }
  assert.equal(r.verdictsIn(path.join(os.tmpdir(), 'no-such-file.ts')).length, 0);
}

describe('Project: incremental analysis', function () {
  this.timeout(120000);
  let dir: string;
  let project: Project;

  before(async () => {
    dir = copyOfSample();
    project = await Project.open(dir);
    project.analyze();
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Applies an edit through updateFile (and to disk), then compares with a fresh project. */
  async function edit(rel: string, change: (text: string) => string): Promise<AnalysisResult> {
    const file = path.join(dir, rel);
    const before = fs.readFileSync(file, 'utf8');
    const after = change(before);
    assert.notEqual(after, before, `the edit of ${rel} changes nothing`);
    fs.writeFileSync(file, after);
    project.updateFile(file, after);
    const incremental = project.analyze();
    const fresh = (await Project.open(dir)).analyze();
    assert.deepEqual(digest(incremental), digest(fresh), `after editing ${rel}`);
    assertVerdictsByFile(incremental);
    assertVerdictsByFile(fresh);
    return incremental;
  }

  const paymentHistory = (r: AnalysisResult) =>
    r.findings.filter((f) => f.rule === 'missing-index' && f.file.endsWith('payments.ts') && f.table === 'transactions' && f.range.start.line < 22);

  it('an edit that changes a query changes its findings, the same as a fresh analysis', async () => {
    const before = paymentHistory(project.analyze());
    // getPaymentHistory: a user's ~5 transactions, newest first (nothing for an index to gain); the newest 10
    // of all FAILED ones instead (a quarter of the table) is worth a (status, createdAt DESC) index.
    const after = await edit('src/services/payments.ts', (t) => t.replace('where: { userId },\n    orderBy: { createdAt', "where: { status: 'FAILED' },\n    orderBy: { createdAt"));
    assert.notDeepEqual(JSON.parse(JSON.stringify(paymentHistory(after))), JSON.parse(JSON.stringify(before)));
    await edit('src/services/payments.ts', (t) => t.replace("where: { status: 'FAILED' },\n    orderBy: { createdAt", 'where: { userId },\n    orderBy: { createdAt'));
    assert.deepEqual(JSON.parse(JSON.stringify(paymentHistory(project.analyze()))), JSON.parse(JSON.stringify(before)));
  });

  it('edits of embedded SQL, of a .sql file and ones that add lines or break the syntax', async () => {
    await edit('src/services/users.ts', (t) => t.replace('ORDER BY "createdAt" DESC\n    LIMIT ${limit}', 'ORDER BY "name" ASC\n    LIMIT ${limit}'));
    await edit('src/services/users.ts', (t) => t.replace("where: { role: 'INSTRUCTOR' },", "where: { role: 'INSTRUCTOR' },\n    // newest first\n"));
    await edit('src/services/users.ts', (t) => t.replace("where: { role: 'INSTRUCTOR' },", "where: { role: 'INSTRUCTOR' "));
    await edit('src/services/users.ts', (t) => t.replace("where: { role: 'INSTRUCTOR' ", "where: { role: 'INSTRUCTOR' },"));
    await edit('sql/dashboard.sql', (t) => t.replace('ORDER BY cp."lastAccessedAt" DESC;', 'ORDER BY cp."progressPercent" DESC;'));
    // A suppression comment added above a query.
    await edit('src/services/payments.ts', (t) => t.replace('export async function getPendingTransactions() {\n', 'export async function getPendingTransactions() {\n  // pg-index-review-disable-next-line missing-index\n'));
  });

  it('a schema edit invalidates the kept verdicts and findings', async () => {
    const r0 = project.analyze();
    const onTransactions = (r: AnalysisResult) => r.findings.filter((f) => f.rule === 'missing-index' && f.table === 'transactions').length;
    const drift = (r: AnalysisResult) => r.findings.filter((f) => f.rule === 'schema-drift').length;
    // Declared in schema.prisma only: drift (the migrations are the index set).
    const r1 = await edit('prisma/schema.prisma', (t) => t.replace('  @@map("transactions")', '  @@index([status, createdAt(sort: Desc)])\n  @@map("transactions")'));
    assert.ok(drift(r1) > drift(r0));
    // Created by the migration too: the recent-pending-transactions queries are served now.
    const migration = fs.readdirSync(path.join(dir, 'prisma', 'migrations')).find((d) => /^\d/.test(d))!;
    const r2 = await edit(`prisma/migrations/${migration}/migration.sql`, (t) => `${t}\n-- CreateIndex\nCREATE INDEX "transactions_status_createdAt_idx" ON "transactions"("status", "createdAt" DESC);\n`);
    assert.ok(onTransactions(r2) < onTransactions(r1), `${onTransactions(r2)} missing-index findings on transactions, ${onTransactions(r1)} before`);
    assert.equal(drift(r2), drift(r0));
  });

  it('lines added above queries move their findings, the same as a fresh analysis, and removing them moves them back', async () => {
    const file = 'src/services/payments.ts';
    const below = (r: AnalysisResult) =>
      r.findings
        .filter((f) => f.file.endsWith('payments.ts') && f.range.start.line > 20)
        .map((f) => `${f.rule} ${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.related.map((x) => `${path.basename(x.file)}:${x.range.start.line}`).join(',')}`);
    const r0 = project.analyze();
    assert.ok(below(r0).length >= 1, JSON.stringify(below(r0)));
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const opening = 'export async function getPaymentHistory(userId: string, page = 1) {\n';
    const added = await edit(file, (t) => t.replace(opening, `${opening}  // one\n  // two\n  // three\n`));
    // Every finding below the edit is three lines further down; nothing else about it changed.
    const shifted = below(r0).map((x) => x.replace(/ (\d+):(\d+)-(\d+):(\d+) /, (_, a, b, c, d) => ` ${+a + 3}:${b}-${+c + 3}:${d} `));
    assert.deepEqual(below(added), shifted);
    const back = await edit(file, () => text);
    assert.deepEqual(below(back), below(r0));
  });

  it('queries lines added above only moved are not evaluated again, after one edit or two before an analysis', async () => {
    const file = path.join(dir, 'src/services/payments.ts');
    const text = fs.readFileSync(file, 'utf8');
    const opening = 'export async function getPaymentHistory(userId: string, page = 1) {\n';
    const queries = project.analyze().verdicts.filter((v) => v.shape.location.file === file).length;
    assert.ok(queries >= 5, `${queries} queries in payments.ts`);
    // The per-query rule runs once per query it looks at: count those runs.
    const run = missingIndex.run;
    let runs = 0;
    missingIndex.run = (ctx) => {
      runs += ctx.verdicts.length;
      return run(ctx);
    };
    const analysed = async (edits: string[]) => {
      runs = 0;
      for (const t of edits) project.updateFile(file, t);
      const r = project.analyze();
      const evaluated = runs;
      fs.writeFileSync(file, edits[edits.length - 1]);
      assert.deepEqual(digest(r), digest((await Project.open(dir)).analyze()));
      return evaluated;
    };
    try {
      const one = text.replace(opening, `${opening}  // one\n`);
      const two = one.replace(opening, `${opening}  // two\n`);
      // The edited function's query (getPaymentHistory holds one) is looked at again; those below are moved.
      const evaluated = [await analysed([one]), await analysed([two, two.replace('  // one\n', '  // one\n  // three\n')]), await analysed([text])];
      assert.ok(evaluated.every((n) => n <= 2), `queries evaluated: ${evaluated.join(', ')} of ${queries}`);
    } finally {
      missingIndex.run = run;
      fs.writeFileSync(file, text);
      project.updateFile(file, text);
    }
  });

  it('an edit that drops the only queries using an index reports it unused, and undoing it takes that back', async () => {
    const unused = (r: AnalysisResult) => r.findings.filter((f) => f.rule === 'unused-by-workload').map((f) => f.index);
    const r0 = project.analyze();
    const file = 'src/services/media.ts';
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const emptied = await edit(file, () => '');
    assert.ok(unused(emptied).length > unused(r0).length, `unused-by-workload: ${JSON.stringify(unused(emptied))}, before ${JSON.stringify(unused(r0))}`);
    assert.ok(emptied.stats.queries < r0.stats.queries);
    // The low-selectivity finding on media's enum index offers its DROP once no query depends on it.
    const mediaType = (r: AnalysisResult) => r.findings.find((f) => f.rule === 'low-selectivity-index' && f.index === 'media_type_idx');
    assert.equal(mediaType(r0)?.severity, 'info');
    assert.equal(mediaType(r0)?.fix, undefined);
    assert.equal(mediaType(emptied)?.severity, 'warning');
    assert.match(mediaType(emptied)?.fix?.sql ?? '', /DROP INDEX/);
    const restored = await edit(file, () => text);
    assert.deepEqual(unused(restored), unused(r0));
    assert.equal(mediaType(restored)?.severity, 'info');
    assert.equal(restored.stats.queries, r0.stats.queries);
  });

  it('a file created and then deleted: the same verdicts in the same order as a fresh analysis', async () => {
    // Named to sort before the folder's other files: an added file must not simply come last.
    const file = path.join(dir, 'src', 'services', 'aa-created.ts');
    const text = "import { prisma } from '../lib/db';\nexport const byCurrency = (currency: string) => prisma.transaction.findMany({ where: { currency } });\n";
    fs.writeFileSync(file, text);
    try {
      project.updateFile(file, text);
      const created = project.analyze();
      assert.equal(created.verdictsIn(file).length, 1);
      assert.deepEqual(digest(created), digest((await Project.open(dir)).analyze()));
    } finally {
      fs.rmSync(file, { force: true });
    }
    project.removeFile(file);
    assert.deepEqual(digest(project.analyze()), digest((await Project.open(dir)).analyze()));
  });

  it("one file's verdicts (verdictsIn) for a file added, a relative path, and a file removed", () => {
    const rel = path.join('src', 'services', 'added.ts');
    const file = path.join(dir, rel);
    const text = "import { prisma } from '../lib/db';\nexport const byCurrency = (currency: string) => prisma.transaction.findMany({ where: { currency } });\n";
    project.updateFile(file, text);
    const added = project.analyze();
    assertVerdictsByFile(added);
    assert.equal(added.verdictsIn(file).length, 1);
    assert.equal(added.verdictsIn(path.relative(process.cwd(), file)), added.verdictsIn(file));
    project.removeFile(file);
    const removed = project.analyze();
    assertVerdictsByFile(removed);
    assert.equal(removed.verdictsIn(file).length, 0);
    assert.equal(added.verdictsIn(file).length, 1, 'an earlier result keeps its own');
  });
});

describe('Project: rule levels changed between analyses', () => {
  it('apply to the migration lint as to the other rules', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-levels-'));
    try {
      fs.mkdirSync(path.join(dir, 'migrations', '001_init'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'migrations', '002_index'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'migrations', '001_init', 'migration.sql'), 'CREATE TABLE t (id bigint PRIMARY KEY, c text);\n');
      // On a table an earlier migration made: a CREATE INDEX that locks writes to it.
      fs.writeFileSync(path.join(dir, 'migrations', '002_index', 'migration.sql'), 'CREATE INDEX t_c_idx ON t (c);\n');
      const project = await Project.open(dir);
      const lint = () => project.analyze().findings.filter((f) => f.rule === 'require-concurrent-index-creation').map((f) => f.severity);
      const before = lint();
      assert.equal(before.length, 1);
      project.config.rules['require-concurrent-index-creation'] = 'off';
      assert.deepEqual(lint(), []);
      project.config.rules['require-concurrent-index-creation'] = before[0] === 'error' ? 'info' : 'error';
      assert.deepEqual(lint(), [before[0] === 'error' ? 'info' : 'error']);
      delete project.config.rules['require-concurrent-index-creation'];
      assert.deepEqual(lint(), before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
