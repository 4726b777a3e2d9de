import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSession, type Session } from '../../src/core/db/connection';
import { explainStatement, StatementError } from '../../src/core/db/explain';
import { nodeTitle, summarizePlan } from '../../src/core/db/planSummary';
import { classifyStatement } from '../../src/core/db/readOnlyCheck';
import { Project } from '../../src/core/project';
import { initSqlParser } from '../../src/core/sql/parser';
import { runMain } from '../helpers/cli';
import { LMS } from '../helpers/paths';
import { freePort, PgCluster } from '../support/pgCluster';
import { loadSample } from './sample';

/** 1-based line of the first line of `file` (under examples/lms) containing `text`. */
function lineOf(file: string, text: string): number {
  const i = fs.readFileSync(path.join(LMS, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} not in ${file}`);
  return i + 1;
}

describe('statement classification (readOnlyCheck)', () => {
  before(() => initSqlParser());

  it('reads: SELECT, with parameters counted', () => {
    const c = classifyStatement('SELECT * FROM users WHERE id = $1 AND role = $3;');
    assert.equal(c.kind, 'SELECT');
    assert.deepEqual(c.writes, []);
    assert.equal(c.params, 3);
    assert.equal(c.sql, 'SELECT * FROM users WHERE id = $1 AND role = $3');
  });

  it('writes: data-modifying statements, writing CTEs, row locks, sequences', () => {
    assert.match(classifyStatement('UPDATE t SET a = 1').writes.join(), /UPDATE/);
    assert.match(classifyStatement('WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d').writes.join(), /"d" runs DELETE/);
    assert.match(classifyStatement('SELECT * FROM t FOR UPDATE').writes.join(), /locks rows/);
    assert.match(classifyStatement("SELECT nextval('s')").writes.join(), /nextval/);
    assert.equal(classifyStatement('INSERT INTO t VALUES (1) RETURNING *').consumesSequences, true);
  });

  it('refuses what it cannot run or roll back', () => {
    assert.throws(() => classifyStatement('SELECT 1; DELETE FROM t'), /one statement/);
    assert.throws(() => classifyStatement('DROP TABLE t'), StatementError);
    assert.throws(() => classifyStatement('SELEC 1'), /syntax error/);
    assert.match(classifyStatement('SELECT pg_advisory_lock(1)').refuse ?? '', /pg_advisory_lock/);
  });
});

describe('plan summary', () => {
  const node = (extra: Record<string, unknown>, plans: unknown[] = []) => ({ 'Startup Cost': 0, 'Total Cost': 10, 'Plan Rows': 10, Plans: plans, ...extra });

  it('marks big sequential scans, sorts, filters and misestimates, not rows cut short by a Limit', () => {
    const json = [
      {
        Plan: node({ 'Node Type': 'Limit', 'Actual Rows': 10, 'Actual Loops': 1 }, [
          node({ 'Node Type': 'Sort', 'Sort Key': ['a'], 'Actual Rows': 10, 'Actual Loops': 1, 'Plan Rows': 50_000 }, [
            node({ 'Node Type': 'Seq Scan', 'Relation Name': 'big', 'Plan Rows': 50_000, 'Actual Rows': 500, 'Rows Removed by Filter': 49_500, 'Actual Loops': 1 }),
          ]),
        ]),
        'Execution Time': 12.5,
      },
    ];
    const s = summarizePlan(json);
    const kinds = s.flagged.map((n) => `${n.nodeType}:${n.flags.map((f) => f.kind).join('+')}`);
    assert.deepEqual(kinds, ['Sort:sort', 'Seq Scan:seq-scan+filter+misestimate']);
    assert.deepEqual(s.seqScans, ['big']);
    assert.equal(s.analyzed, true);
    assert.match(s.flagged[0].flags[0].message, /^explicit sort of ~500 rows by a$/, 'a sort is sized by its input');
    const small = summarizePlan([{ Plan: node({ 'Node Type': 'Sort', 'Sort Key': ['a'] }, [node({ 'Node Type': 'Seq Scan', 'Relation Name': 'tiny', 'Plan Rows': 3 })]) }]);
    assert.deepEqual(small.flagged, [], 'a sort of 3 rows is not expensive');
  });

  it('names a parallel scan as EXPLAIN prints it ("Parallel Seq Scan")', () => {
    const s = summarizePlan([{ Plan: node({ 'Node Type': 'Gather', 'Workers Planned': 2 }, [node({ 'Node Type': 'Seq Scan', 'Parallel Aware': true, 'Relation Name': 'big', Alias: 'big' })]) }]);
    assert.deepEqual([s.root, ...s.root.children].map(nodeTitle), ['Gather', 'Parallel Seq Scan on big']);
  });

  it('names the index of a bitmap scan with its table', () => {
    const s = summarizePlan([{ Plan: node({ 'Node Type': 'Bitmap Heap Scan', 'Relation Name': 't' }, [node({ 'Node Type': 'Bitmap Index Scan', 'Index Name': 't_a_idx' })]) }]);
    assert.deepEqual(s.indexes, [{ index: 't_a_idx', relation: 't', nodeType: 'Bitmap Index Scan' }]);
  });
});

describe('EXPLAIN on the sample (throwaway PostgreSQL 15 with synthetic rows)', function () {
  this.timeout(120_000);
  let cluster: PgCluster;
  let session: Session;
  let url: string;
  const checksum = (table: string) => cluster.psql(`SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, ',' ORDER BY x.id), '')) FROM "${table}" x`, 'lms').trim();

  before(async () => {
    cluster = await PgCluster.start({ preload: ['pg_stat_statements'] });
    await loadSample(cluster);
    cluster.psql('CREATE EXTENSION pg_stat_statements', 'lms');
    url = cluster.url('lms');
    session = await openSession(url);
  });
  after(async () => {
    await session?.close();
    cluster?.stop();
  });

  it('explains every SQL statement of the sample (SQL files and SQL embedded in TypeScript)', async () => {
    const project = await Project.open(LMS);
    const shapes = project.shapes().filter((s) => s.origin !== 'prisma');
    assert.ok(shapes.length >= 40, `${shapes.length} statements`);
    let generic = 0;
    for (const shape of shapes) {
      const r = await explainStatement(session, shape.text);
      const where = `${shape.id}: ${shape.label}`;
      assert.ok(r.plan.nodeType, where);
      assert.equal(r.transaction, 'read-only', where);
      assert.equal(r.analyzed, false, where);
      assert.equal(r.chosenIndex, r.summary.indexes[0], where);
      const hasParams = /\$\d/.test(shape.text);
      assert.equal(r.generic, hasParams ? 'PREPARE' : undefined, where);
      if (hasParams) generic++;
      for (const i of r.summary.indexes) {
        const table = project.schema.tables.get(i.relation ?? '');
        if (table) assert.ok(table.indexes.some((x) => x.name === i.index), `${where}: ${i.index} is an index of ${table.name}`);
      }
    }
    assert.ok(generic >= 30, `${generic} generic plans`);
    const [left] = await session.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements');
    assert.equal(left.n, 0, 'no prepared statement left behind');
    const [mode] = await session.query<{ m: string }>(`SELECT current_setting('plan_cache_mode') AS m`);
    assert.equal(mode.m, 'auto', 'plan_cache_mode restored');
  });

  it('gives the generic plan of a parameterised query on PostgreSQL 15 (PREPARE + force_generic_plan)', async () => {
    const r = await explainStatement(session, 'SELECT * FROM lesson_progress WHERE "lessonId" = $1 ORDER BY "lastWatchedAt" DESC');
    assert.equal(r.serverVersion, 15);
    assert.equal(r.generic, 'PREPARE');
    assert.match(r.notes.join(), /Generic plan/);
    const scan = JSON.stringify(r.raw);
    assert.match(scan, /\$1/, 'the plan compares with the parameter, not a value');
    assert.deepEqual(r.summary.indexes.map((i) => i.index), ['lesson_progress_lessonId_idx']);
    // A parameter whose type the server can't infer is declared text.
    const untyped = await explainStatement(session, 'SELECT $1 AS x, $2::int AS y');
    assert.equal(untyped.generic, 'PREPARE');
  });

  describe('--analyze', () => {
    const cases: [string, string, string][] = [
      ['UPDATE', 'enrollments', `UPDATE enrollments SET status = 'EXPIRED' WHERE status = 'ACTIVE'`],
      ['DELETE', 'transactions', `DELETE FROM transactions WHERE status = 'PENDING'`],
      ['INSERT … RETURNING', 'users', `INSERT INTO users (id, email, "updatedAt") SELECT 'new-' || g, 'new' || g || '@example.com', now() FROM generate_series(1, 50) g RETURNING id`],
      ['writing CTE', 'courses', `WITH flipped AS (UPDATE courses SET featured = NOT featured RETURNING id) SELECT count(*) FROM flipped`],
    ];
    for (const [what, table, sql] of cases) {
      it(`${what} runs in a transaction that is rolled back: every row of "${table}" is unchanged, and the user is told`, async () => {
        const before = checksum(table);
        const r = await explainStatement(session, sql, { analyze: true });
        assert.equal(checksum(table), before);
        assert.equal(r.analyzed, true);
        assert.equal(r.transaction, 'rolled-back');
        assert.ok(r.writes.length > 0);
        assert.match(r.notes.join('\n'), /rolled back: no row was changed/);
        assert.ok((r.plan.actualRows ?? 0) > 0 || r.plan.children.some((c) => (c.actualRows ?? 0) > 0), 'it really ran');
      });
    }

    it('a parameterised write runs with --param values, rolled back', async () => {
      const before = checksum('transactions');
      const r = await explainStatement(session, 'UPDATE "transactions" SET "status" = $2, "updatedAt" = NOW() WHERE "status" = $1', { analyze: true, params: ['COMPLETED', 'FAILED'] });
      assert.equal(r.transaction, 'rolled-back');
      assert.equal(r.generic, undefined);
      assert.equal(checksum('transactions'), before);
    });

    it('a function that might write is run in a rolled-back transaction too', async () => {
      cluster.psql(`CREATE FUNCTION touch_users() RETURNS int LANGUAGE sql VOLATILE AS $$ UPDATE users SET name = 'x' RETURNING 1 $$`, 'lms');
      const before = checksum('users');
      const r = await explainStatement(session, 'SELECT touch_users()', { analyze: true });
      assert.equal(r.transaction, 'rolled-back');
      assert.match(r.writes.join(), /touch_users\(\)/);
      assert.equal(checksum('users'), before);
    });

    it('a read runs in the READ ONLY transaction', async () => {
      const r = await explainStatement(session, `SELECT count(*) FROM enrollments WHERE status = 'ACTIVE'`, { analyze: true });
      assert.equal(r.transaction, 'read-only');
      assert.deepEqual(r.writes, []);
      assert.ok(r.summary.executionMs !== undefined);
    });

    it('without values, a parameterised statement is not run: its generic plan is shown and the user told', async () => {
      const r = await explainStatement(session, 'DELETE FROM users WHERE id = $1', { analyze: true });
      assert.equal(r.analyzed, false);
      assert.match(r.notes.join(), /needs values/);
    });

    it('refuses statements whose effects a rollback does not undo', async () => {
      await assert.rejects(explainStatement(session, 'SELECT pg_advisory_lock(42)', { analyze: true }), /refusing.*pg_advisory_lock/);
    });
  });

  describe('pg-index-review explain', () => {
    it('explains a statement given on the command line', async () => {
      const r = await runMain(['explain', '--database', url, 'SELECT id FROM users WHERE email = $1']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^EXPLAIN on 127\.0\.0\.1:\d+\/lms \(PostgreSQL 15\)/);
      assert.match(r.stdout, /index chosen: "users_email_(key|idx)" on users/);
      assert.match(r.stdout, /Index Cond: \(users\.email = \$1\)/);
      assert.ok(!r.stdout.includes(PgCluster.PASSWORD));
    });

    it('explains the statement at --file/--line, as JSON', async () => {
      const file = path.join(LMS, 'sql', 'reports.sql');
      const line = lineOf('sql/reports.sql', 'name: PendingTransactions') + 2;
      const r = await runMain(['explain', '--database', url, '--file', file, '--line', String(line), '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.equal(j.version, 1);
      assert.equal(j.serverVersion, 15);
      assert.equal(j.transaction, 'read-only');
      assert.equal(j.plan.nodeType, 'Limit');
      assert.ok(Array.isArray(j.raw) && j.raw[0].Plan);
    });

    it('explains SQL embedded in TypeScript at --file/--line', async () => {
      const file = path.join(LMS, 'src', 'jobs', 'reconcile-payments.ts');
      const r = await runMain(['explain', '--database', url, '--file', file, '--line', String(lineOf('src/jobs/reconcile-payments.ts', 'UPDATE "enrollments"'))]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Update on enrollments/);
      assert.match(r.stdout, /Generic plan/);
    });

    it('--analyze of a write says it was rolled back', async () => {
      const r = await runMain(['explain', '--database', url, '--analyze', `DELETE FROM sessions`]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /in a transaction that was rolled back/);
      assert.match(r.stdout, /no row was changed/);
      assert.notEqual(cluster.psql('SELECT count(*) FROM sessions', 'lms').trim(), '0');
    });

    it('a Prisma call has no SQL: a usage error', async () => {
      const file = path.join(LMS, 'src', 'services', 'users.ts');
      const r = await runMain(['explain', '--database', url, '--file', file, '--line', String(lineOf('src/services/users.ts', 'prisma.user.findMany'))]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /Prisma Client call/);
    });

    it('a server that is down: exit code 1 and one clear line, no password', async () => {
      const port = await freePort();
      const r = await runMain(['explain', '--database', `postgresql://postgres:${PgCluster.PASSWORD}@127.0.0.1:${port}/lms`, 'SELECT 1']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^pg-index-review: .*ECONNREFUSED.*is the server running/);
      assert.ok(!r.stderr.includes(PgCluster.PASSWORD));
    });
  });
});
