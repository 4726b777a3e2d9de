/**
 * The optimization plan's own migration (test/fixtures/plan-migration, copied from the reference
 * plan's "Migration Strategy" and "Rollback Plan"), linted, then run on a real PostgreSQL 15 server:
 * the statements the linter says fail do fail there, with the SQLSTATE it predicts, and nothing else.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Client } from 'pg';
import { lintMigrationHistory, type MigrationFinding } from '../../src/core/migration/lint';
import { initSqlParser, parseSqlDocument } from '../../src/core/sql/parser';
import { LMS_MIGRATION, REPO } from '../helpers/paths';
import { PgCluster } from '../support/pgCluster';
import { connect, createTemplate, freshDatabase, indexDefs, read } from './support';

const FIXTURE = path.join(REPO, 'test', 'fixtures', 'plan-migration');
const MIGRATION = path.join(FIXTURE, 'prisma', 'migrations', '20251010_database_optimization', 'migration.sql');
const ROLLBACK = path.join(FIXTURE, '20251010_database_optimization_rollback.sql');

type Runner = 'prisma' | 'statements';

function lint(runner?: Runner) {
  const sources = [LMS_MIGRATION, MIGRATION, ROLLBACK].map((file) => ({ file, text: read(file) }));
  // The rollback is always run statement by statement (psql); the migration as its runner sends it.
  const a = lintMigrationHistory(sources, { report: (f) => f !== LMS_MIGRATION, runner });
  return a.findings;
}

/** ordinal → SQLSTATE of the statements of `file` the linter says fail. */
function predicted(findings: MigrationFinding[], file: string): Map<number, string> {
  return new Map(findings.filter((f) => f.file === file && f.sqlstate && f.severity === 'error').map((f) => [f.statement!.ordinal, f.sqlstate!]));
}

/**
 * Runs each statement; `inTransaction` emulates the runner's one transaction with a savepoint per
 * statement, and rolls it back at the end (the database is left as it was).
 */
async function runEach(c: Client, text: string, inTransaction: boolean, replace = new Map<number, string>()): Promise<Map<number, string>> {
  const failed = new Map<number, string>();
  const stmts = parseSqlDocument(text);
  if (inTransaction) await c.query('BEGIN');
  for (let i = 0; i < stmts.length; i++) {
    const sql = replace.get(i) ?? stmts[i].text;
    if (inTransaction) await c.query('SAVEPOINT s');
    try {
      await c.query(sql);
      if (inTransaction) await c.query('RELEASE SAVEPOINT s');
    } catch (e) {
      failed.set(i, (e as { code: string }).code);
      if (inTransaction) await c.query('ROLLBACK TO SAVEPOINT s');
    }
  }
  if (inTransaction) await c.query('ROLLBACK');
  return failed;
}

describe('the plan’s own migration on PostgreSQL 15', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  /** A database the next tests leave as they found it (everything they run is rolled back). */
  let shared: string;
  before(async function () {
    if (!PgCluster.available()) this.skip();
    await initSqlParser();
    cluster = await PgCluster.start();
    createTemplate(cluster, 'lms_template', false);
    shared = cluster.url(freshDatabase(cluster));
  });
  after(() => cluster?.stop());

  it('lints to the defects recorded in the README', () => {
    const findings = lint();
    const count = (file: string) => {
      const m: Record<string, number> = {};
      for (const f of findings.filter((x) => x.file === file)) m[`${f.rule}/${f.severity}`] = (m[`${f.rule}/${f.severity}`] ?? 0) + 1;
      return m;
    };
    assert.deepEqual(count(MIGRATION), {
      'cannot-run-in-transaction/error': 1,
      'unknown-column/error': 1,
      'lock-held-in-transaction/warning': 11,
      'migration-redundant-index/warning': 1,
      'migration-redundant-index/info': 7,
      'require-concurrent-index-creation/warning': 19,
      'require-concurrent-index-deletion/warning': 6,
      'require-lock-timeout/warning': 1,
      'require-statement-timeout/warning': 1,
      'table-rewrite/warning': 1,
    });
    assert.deepEqual(count(ROLLBACK), {
      'prefer-robust-stmts/warning': 6,
      'require-concurrent-index-creation/warning': 6,
      'require-concurrent-index-deletion/warning': 19,
      'require-lock-timeout/warning': 1,
      'require-statement-timeout/warning': 1,
    });
    const byRule = (rule: string) => findings.find((f) => f.file === MIGRATION && f.rule === rule)!;
    assert.match(byRule('unknown-column').message, /column "progresspercent" does not exist/);
    assert.match(byRule('cannot-run-in-transaction').message, /^VACUUM cannot run inside a transaction block \(SQLSTATE 25001\)/);
    assert.match(byRule('table-rewrite').message, /"search_vector" … GENERATED ALWAYS AS/);
    assert.match(byRule('migration-redundant-index').message, /"users_role_idx" \(role\) is a leading prefix of "users_role_createdAt_idx"/);
  });

  it('sent as one multi-statement query (as Prisma migrate sends it), it fails at the first flagged statement and applies nothing; with that one fixed, at the next', async () => {
    const url = shared;
    const before = await indexDefs(url);
    const c = await connect(url);
    try {
      await assert.rejects(c.query(read(MIGRATION)), (e: { code: string; message: string }) => e.code === '42703' && e.message === 'column "progresspercent" does not exist');
      assert.deepEqual(await indexDefs(url), before, 'every CREATE INDEX before it was rolled back too');
      const fix = lint().find((f) => f.file === MIGRATION && f.rule === 'unknown-column')!;
      const text = read(MIGRATION);
      const fixed = text.slice(0, fix.statement!.start) + fix.fix!.sql!.replace(/;$/, '') + text.slice(fix.statement!.end);
      await assert.rejects(c.query(fixed), (e: { code: string; message: string }) => e.code === '25001' && e.message === 'VACUUM cannot run inside a transaction block');
      assert.deepEqual(await indexDefs(url), before);
    } finally {
      await c.end();
    }
  });

  it('statement by statement inside the runner’s transaction: exactly the flagged statements fail, with the predicted SQLSTATE; the fixes make them pass', async () => {
    const findings = lint();
    const expected = predicted(findings, MIGRATION);
    assert.equal(expected.size, 2);
    const c = await connect(shared);
    try {
      assert.deepEqual(await runEach(c, read(MIGRATION), true), expected);
      const fixes = new Map(findings.filter((f) => f.file === MIGRATION && f.sqlstate).map((f) => [f.statement!.ordinal, f.fix!.sql!]));
      assert.deepEqual(await runEach(c, read(MIGRATION), true, fixes), new Map());
    } finally {
      await c.end();
    }
  });

  it('run with psql (the plan’s "Option 2", autocommit), only the unknown column fails — as the linter predicts for that runner; the rollback then runs clean and restores the index set', async () => {
    const findings = lint('statements');
    const url = cluster.url(freshDatabase(cluster));
    const before = await indexDefs(url);
    const c = await connect(url);
    try {
      assert.deepEqual(await runEach(c, read(MIGRATION), false), predicted(findings, MIGRATION));
      assert.deepEqual([...predicted(findings, MIGRATION).values()], ['42703']);
      assert.ok(!findings.some((f) => f.file === MIGRATION && f.rule === 'cannot-run-in-transaction'));
      assert.deepEqual(await runEach(c, read(ROLLBACK), false), predicted(findings, ROLLBACK));
      assert.equal(predicted(findings, ROLLBACK).size, 0);
      assert.ok(!findings.some((f) => f.file === ROLLBACK && f.rule === 'rollback-mismatch'));
      assert.deepEqual(await indexDefs(url), before);
    } finally {
      await c.end();
    }
  });
});
