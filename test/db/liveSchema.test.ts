import assert from 'node:assert/strict';
import { openSession } from '../../src/core/db/connection';
import { liveMatcherOptions, loadLiveSchema, type LiveSchema } from '../../src/core/db/liveSchema';
import { atomSelectivity } from '../../src/core/matcher/selectivity';
import { analyzeAccess } from '../../src/core/matcher/analyzeAccess';
import { DEFAULT_MATCHER_OPTIONS, type MatcherOptions } from '../../src/core/matcher/options';
import type { SchemaModel } from '../../src/core/model/schema';
import { DEFAULT_PLANNER_COSTS } from '../../src/core/matcher/plannerCosts';
import { Project } from '../../src/core/project';
import { loadMigrations, type MigrationFile } from '../../src/core/schema/migrations/loadMigrations';
import { initSqlParser } from '../../src/core/sql/parser';
import { LineIndex } from '../../src/core/model/location';
import { shapesFromSqlText } from '../../src/core/shapes/fromSql';
import { runMain } from '../helpers/cli';
import { LMS } from '../helpers/paths';
import { freePort, PgCluster } from '../support/pgCluster';
import { comparable, loadSample, sampleMigrations } from './sample';

/** Partial, expression, INCLUDE, DESC NULLS LAST, operator-class and GIN indexes the sample lacks. */
const EXTRA: MigrationFile = {
  file: '/virtual/prisma/migrations/20251101000000_extra_indexes/migration.sql',
  text: `
CREATE INDEX "courses_published_createdAt_idx" ON "courses" ("createdAt" DESC) WHERE "published" = true;
CREATE INDEX "enrollments_active_user_idx" ON "enrollments" ("userId") WHERE "status" = 'ACTIVE' AND "completedAt" IS NULL;
CREATE INDEX "users_lower_email_idx" ON "users" (lower("email"));
CREATE INDEX "course_progress_incomplete_idx" ON "course_progress" ("lastAccessedAt") WHERE "progressPercent" < 100;
CREATE INDEX "transactions_metadata_idx" ON "transactions" USING gin ("metadata");
CREATE INDEX "quiz_attempts_user_started_idx" ON "quiz_attempts" ("userId", "startedAt" DESC NULLS LAST) INCLUDE ("score");
CREATE INDEX "courses_slug_pattern_idx" ON "courses" ("slug" text_pattern_ops);
CREATE VIEW "active_enrollments" AS SELECT * FROM "enrollments" WHERE "status" = 'ACTIVE';
CREATE MATERIALIZED VIEW "course_enrollment_counts" AS SELECT "courseId", count(*) AS "enrollments" FROM "enrollments" GROUP BY "courseId";
CREATE UNIQUE INDEX "course_enrollment_counts_courseId_key" ON "course_enrollment_counts" ("courseId");
`,
};

const DAY = 86_400_000;

interface PlanJson {
  'Node Type': string;
  'Total Cost': number;
  'Workers Planned'?: number;
  'Parallel Aware'?: boolean;
  Plans?: PlanJson[];
}

/** The same live schema, as if its statistics were `days` old. */
function agedBy(live: LiveSchema, days: number): LiveSchema {
  return { ...live, statsSince: new Date(live.readAt.getTime() - days * DAY), statsSinceSource: 'stats_reset' };
}

describe('the live index set (throwaway PostgreSQL 15)', function () {
  this.timeout(120_000);
  let cluster: PgCluster;
  let live: LiveSchema;
  let generated: Map<string, number>;

  before(async () => {
    await initSqlParser();
    cluster = await PgCluster.start();
    generated = (await loadSample(cluster, 'lms', undefined, [EXTRA])).rows;
    // One index gets used (and the counters flushed); the others keep idx_scan = 0.
    cluster.psql(`SELECT pg_stat_force_next_flush(); SET enable_seqscan = off; SELECT count(*) FROM lesson_progress WHERE "lessonId" = 'x'`, 'lms');
    const session = await openSession(cluster.url('lms'));
    try {
      live = await loadLiveSchema(session);
    } finally {
      await session.close();
    }
  });
  after(() => cluster?.stop());

  it('equals the migrations-derived schema: tables, columns, enums, index names, keys, predicates, foreign keys', () => {
    const fromMigrations = loadMigrations([...sampleMigrations(), EXTRA]).schema;
    assert.deepEqual(comparable(live.schema), comparable(fromMigrations));
    assert.deepEqual(live.problems, []);
    const partial = live.schema.tables.get('enrollments')!.indexes.find((i) => i.name === 'enrollments_active_user_idx')!;
    assert.equal(partial.predicate?.length, 2);
    assert.equal(live.schema.tables.get('users')!.indexes.find((i) => i.name === 'users_lower_email_idx')!.keys[0].expression !== undefined, true);
  });

  it('reads validity, constraints, sizes and usage of indexes, row estimates and column statistics', () => {
    const users = live.schema.tables.get('users')!;
    const pkey = users.indexes.find((i) => i.name === 'users_pkey')!;
    assert.equal(pkey.primary && pkey.constraint && pkey.valid, true);
    assert.equal(pkey.origin, 'database');
    assert.ok((pkey.stats?.sizeBytes ?? 0) > 0);
    const used = live.schema.tables.get('lesson_progress')!.indexes.find((i) => i.name === 'lesson_progress_lessonId_idx')!;
    assert.ok((used.stats?.scans ?? 0) > 0, 'the index the query used has idx_scan > 0');
    for (const [table, rows] of generated) assert.equal(live.schema.tables.get(table)!.rowEstimate, rows, table);
    const status = live.schema.tables.get('enrollments')!.columns.get('status')!.stats!;
    assert.ok(status.mostCommonValues?.includes('ACTIVE'));
    assert.ok(status.nDistinct > 0 && status.nDistinct <= 4);
    assert.equal(live.statsSinceSource, 'server start');
    assert.ok(live.readAt.getTime() - live.statsSince.getTime() < DAY);
  });

  it("reads the views: a query on one is analysed as a read of its table, with the view's condition", () => {
    assert.deepEqual([...(live.schema.views?.keys() ?? [])], ['active_enrollments']);
    const sql = 'SELECT "courseId" FROM active_enrollments WHERE "userId" = $1';
    const { shapes, problems } = shapesFromSqlText(sql, { file: '/w/q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema: live.schema });
    assert.deepEqual(problems, []);
    const [access] = shapes[0].accesses;
    assert.equal(access.table, 'enrollments');
    assert.deepEqual(access.predicates.map((p) => (p.atom.kind === 'compare' ? p.atom.column : p.atom.kind)).sort(), ['status', 'userId']);
  });

  it('reads a materialized view as a table with its own indexes, filled', () => {
    const mv = live.schema.tables.get('course_enrollment_counts')!;
    assert.equal(mv.materialized?.populated, true);
    // Its query, from the catalog: a REFRESH reads enrollments.
    const sql = 'REFRESH MATERIALIZED VIEW CONCURRENTLY course_enrollment_counts';
    const { shapes } = shapesFromSqlText(sql, { file: '/w/q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema: live.schema });
    assert.deepEqual(shapes.map((s) => s.label), ['REFRESH MATERIALIZED VIEW course_enrollment_counts (SELECT on enrollments)']);
    assert.deepEqual(mv.indexes.map((i) => [i.name, i.unique]), [['course_enrollment_counts_courseId_key', true]]);
    assert.equal(live.schema.tables.get('enrollments')!.materialized, undefined);
  });

  it('costs an index-only scan by the pages VACUUM has marked all-visible (pg_class.relallvisible), as the planner does', async () => {
    cluster.psql('CREATE DATABASE vis');
    // 20,000 rows of ~700 bytes (~2,000 pages); autovacuum off for the table, so only the VACUUM below marks pages all-visible.
    // synchronous_commit on: VACUUM marks no page all-visible while the inserting commit is not yet flushed (the cluster runs with it off).
    cluster.psql(`SET synchronous_commit = on; CREATE TABLE w (id int PRIMARY KEY, body text NOT NULL) WITH (autovacuum_enabled = false);
      INSERT INTO w SELECT i, repeat('x', 700) FROM generate_series(1, 20000) i; ANALYZE w;`, 'vis');
    const sql = 'SELECT id FROM w';
    const read = async () => {
      const session = await openSession(cluster.url('vis'));
      try {
        return (await loadLiveSchema(session)).schema;
      } finally {
        await session.close();
      }
    };
    const verdict = (schema: LiveSchema['schema']) => {
      const { shapes } = shapesFromSqlText(sql, { file: '/w/q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
      return analyzeAccess(shapes[0].accesses[0], schema, { ...DEFAULT_MATCHER_OPTIONS, rows: { w: schema.tables.get('w')!.rowEstimate! } });
    };
    const planned = () => cluster.psql(`EXPLAIN ${sql}`, 'vis');
    // Never vacuumed: an index-only scan would visit every heap page anyway — the table is read.
    const fresh = await read();
    assert.equal(fresh.tables.get('w')!.allVisiblePages, 0);
    assert.match(planned(), /Seq Scan on w/);
    assert.equal(verdict(fresh).best, undefined);
    // Vacuumed: the narrow primary key is read whole instead of the table.
    cluster.psql('VACUUM w', 'vis');
    const vacuumed = await read();
    assert.ok(vacuumed.tables.get('w')!.allVisiblePages! > 0);
    assert.match(planned(), /Index Only Scan using w_pkey on w/);
    assert.equal(verdict(vacuumed).best?.index.name, 'w_pkey');
  });

  it("costs a large table's sequential scan as the parallel scan the server plans, with the server's own settings", async () => {
    cluster.psql('CREATE DATABASE par');
    // 300,000 rows of ~100 bytes: ~4,500 pages, three times past min_parallel_table_scan_size (1,024 pages): 2 workers.
    cluster.psql(`CREATE TABLE p (id int PRIMARY KEY, k int NOT NULL, body text NOT NULL);
      INSERT INTO p SELECT i, i % 1000, repeat('x', 80) FROM generate_series(1, 300000) i; ANALYZE p;`, 'par');
    const sql = 'SELECT id, body FROM p WHERE k = 7';
    const sorted = 'SELECT id, body FROM p WHERE k < 500 ORDER BY body LIMIT 10';
    const planned = (q = sql) => (JSON.parse(cluster.psql(`EXPLAIN (FORMAT JSON) ${q}`, 'par')) as { Plan: PlanJson }[])[0].Plan;
    const tool = async (q = sql) => {
      const session = await openSession(cluster.url('par'));
      let read: LiveSchema;
      try {
        read = await loadLiveSchema(session);
      } finally {
        await session.close();
      }
      const { shapes } = shapesFromSqlText(q, { file: '/w/q.sql', origin: 'sql-file', lines: new LineIndex(q), schema: read.schema });
      return { read, verdict: analyzeAccess(shapes[0].accesses[0], read.schema, liveMatcherOptions(read, DEFAULT_MATCHER_OPTIONS)) };
    };
    const parallel = planned();
    assert.equal(parallel['Node Type'], 'Gather');
    assert.equal(parallel['Workers Planned'], 2);
    const before = await tool();
    assert.deepEqual(before.read.planner?.parallel, { maxWorkersPerGather: 2, minTableScanPages: 1024, minIndexScanPages: 64, leaderParticipation: true });
    assert.equal(before.verdict.best, undefined);
    assert.ok(Math.abs(before.verdict.seqScanCost / parallel['Total Cost'] - 1) < 0.01, `tool ${before.verdict.seqScanCost} vs planner ${parallel['Total Cost']}`);
    assert.match(before.verdict.reason, /in parallel: 2 workers and the leader/);
    // Half the rows sorted for a LIMIT: each process sorts its share, a Gather Merge merges them.
    const merge = planned(sorted);
    assert.deepEqual([merge['Node Type'], merge.Plans?.[0]['Node Type']], ['Limit', 'Gather Merge']);
    const mergeCost = (await tool(sorted)).verdict.seqScanCost;
    assert.ok(Math.abs(mergeCost / merge['Total Cost'] - 1) < 0.01, `tool ${mergeCost} vs planner ${merge['Total Cost']}`);
    // The database turns parallel plans off: a plain sequential scan, costed as one.
    cluster.psql('ALTER DATABASE par SET max_parallel_workers_per_gather = 0');
    const serial = planned();
    assert.equal(serial['Node Type'], 'Seq Scan');
    const after = await tool();
    assert.equal(after.read.planner?.parallel.maxWorkersPerGather, 0);
    assert.ok(Math.abs(after.verdict.seqScanCost / serial['Total Cost'] - 1) < 0.01, `tool ${after.verdict.seqScanCost} vs planner ${serial['Total Cost']}`);
    assert.doesNotMatch(after.verdict.reason, /parallel/);
  });

  it('reads an index whole in parallel for an aggregate, and takes the table\'s parallel_workers and parallel_leader_participation', async () => {
    cluster.psql('CREATE DATABASE agg');
    // synchronous_commit on: the VACUUM marks the pages all-visible (see the relallvisible test above).
    cluster.psql(`SET synchronous_commit = on; CREATE TABLE e (id int PRIMARY KEY, status text NOT NULL, body text NOT NULL) WITH (autovacuum_enabled = false);
      INSERT INTO e SELECT i, (ARRAY['ACTIVE', 'COMPLETED', 'CANCELLED', 'PENDING'])[1 + (hashint4(i) & 3)], repeat('y', 60) FROM generate_series(1, 300000) i;
      CREATE INDEX e_status ON e (status);`, 'agg');
    cluster.psql('VACUUM ANALYZE e', 'agg');
    const grouped = 'SELECT status, count(*) FROM e GROUP BY status';
    const filtered = "SELECT id FROM e WHERE body = 'z'";
    const plan = (sql: string) => (JSON.parse(cluster.psql(`EXPLAIN (FORMAT JSON) ${sql}`, 'agg')) as { Plan: PlanJson }[])[0].Plan;
    const nodes = (p: PlanJson): PlanJson[] => [p, ...(p.Plans ?? []).flatMap(nodes)];
    const tool = async (sql: string) => {
      const session = await openSession(cluster.url('agg'));
      try {
        const read = await loadLiveSchema(session);
        const { shapes } = shapesFromSqlText(sql, { file: '/w/q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema: read.schema });
        return analyzeAccess(shapes[0].accesses[0], read.schema, liveMatcherOptions(read, DEFAULT_MATCHER_OPTIONS));
      } finally {
        await session.close();
      }
    };
    // A Parallel Index Only Scan of e_status under a Partial Aggregate. The tool's paths leave out the aggregation
    // (cpu_operator_cost per row for the grouping column and for count): added back, the statement's cost is the planner's.
    const top = plan(grouped);
    assert.ok(nodes(top).some((n) => n['Node Type'] === 'Index Only Scan' && n['Parallel Aware']), 'the planner reads e_status in parallel');
    const v = await tool(grouped);
    assert.equal(v.best?.index.name, 'e_status');
    assert.match(v.best!.reason, /in parallel: 2 workers/);
    const statement = v.best!.cost + v.rows * 2 * DEFAULT_PLANNER_COSTS.cpuOperator;
    assert.ok(Math.abs(statement / top['Total Cost'] - 1) < 0.01, `tool ${statement} vs planner ${top['Total Cost']}`);
    // Without the leader's share the workers read more each: a dearer parallel scan, as the planner costs it.
    cluster.psql('ALTER DATABASE agg SET parallel_leader_participation = off');
    const alone = plan(filtered);
    assert.equal(alone['Node Type'], 'Gather');
    const withoutLeader = await tool(filtered);
    assert.ok(Math.abs(withoutLeader.seqScanCost / alone['Total Cost'] - 1) < 0.01, `tool ${withoutLeader.seqScanCost} vs planner ${alone['Total Cost']}`);
    // The table's own parallel_workers = 0: no parallel plan, whatever its size.
    cluster.psql('ALTER TABLE e SET (parallel_workers = 0)', 'agg');
    assert.ok(!nodes(plan(grouped)).some((n) => n['Node Type'].startsWith('Gather')));
    assert.doesNotMatch((await tool(grouped)).reason, /parallel/);
    assert.doesNotMatch((await tool(filtered)).reason, /parallel/);
  });

  it('shares a bitmap heap scan of aggregated rows between processes, as the planner does (a Parallel Bitmap Heap Scan)', async () => {
    cluster.psql('CREATE DATABASE bmp');
    // 1M narrow rows, y in no order of them: y < 300 keeps ~29%, whose bitmap covers most pages.
    cluster.psql(`CREATE TABLE t (id int PRIMARY KEY, x int NOT NULL, y int NOT NULL, s text);
      INSERT INTO t SELECT i, i % 100, hashint4(i) & 1023, md5(i::text) FROM generate_series(1, 1000000) i; CREATE INDEX t_y ON t (y);`, 'bmp');
    cluster.psql('VACUUM ANALYZE t', 'bmp');
    const sql = 'SELECT sum(x) FROM t WHERE y < 300';
    const plan = (JSON.parse(cluster.psql(`EXPLAIN (FORMAT JSON) ${sql}`, 'bmp')) as { Plan: PlanJson }[])[0].Plan;
    const nodes = (p: PlanJson): PlanJson[] => [p, ...(p.Plans ?? []).flatMap(nodes)];
    const heap = nodes(plan).find((n) => n['Node Type'] === 'Bitmap Heap Scan');
    assert.equal(heap?.['Parallel Aware'], true, 'the planner shares the bitmap heap scan');
    const session = await openSession(cluster.url('bmp'));
    try {
      const read = await loadLiveSchema(session);
      const { shapes } = shapesFromSqlText(sql, { file: '/w/q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema: read.schema });
      const v = analyzeAccess(shapes[0].accesses[0], read.schema, liveMatcherOptions(read, DEFAULT_MATCHER_OPTIONS));
      assert.equal(v.best?.index.name, 't_y');
      assert.match(v.best!.reason, /in parallel: 2 workers/);
      // With the aggregation the tool leaves out of every path added back (sum's transition per row), the statement's cost.
      const statement = v.best!.cost + v.matchedRows * DEFAULT_PLANNER_COSTS.cpuOperator;
      assert.ok(Math.abs(statement / plan['Total Cost'] - 1) < 0.01, `tool ${statement} vs planner ${plan['Total Cost']}`);
    } finally {
      await session.close();
    }
  });

  it("plans a statement that calls the workspace's functions in parallel or not as the server does, from the catalog and from the migrations", async () => {
    cluster.psql('CREATE DATABASE fn');
    const ddl = `CREATE TABLE p (id int PRIMARY KEY, k int NOT NULL, body text NOT NULL);
      CREATE TABLE u (id int PRIMARY KEY, k int NOT NULL);
      CREATE FUNCTION audit_read(int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN $1; END $$;
      CREATE FUNCTION visible_to(int) RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN $1 > 0; END $$;
      CREATE FUNCTION masked(text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN left($1, 3); END $$;
      ALTER FUNCTION masked(text) PARALLEL SAFE;
      CREATE FUNCTION recent(int) RETURNS boolean LANGUAGE sql PARALLEL RESTRICTED AS 'SELECT $1 > 5';
      CREATE AGGREGATE my_sum(int) (SFUNC = int4pl, STYPE = int);
      CREATE VIEW audited AS SELECT id, k, audit_read(id) AS seen FROM p;
      CREATE SCHEMA audit;
      CREATE FUNCTION audit.log_read(int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN $1; END $$;`;
    cluster.psql(`${ddl}
      INSERT INTO p SELECT i, i % 1000, repeat('x', 80) FROM generate_series(1, 300000) i; INSERT INTO u SELECT i, i FROM generate_series(1, 1000) i; ANALYZE p; ANALYZE u;`, 'fn');
    const queries = [
      'SELECT id, body FROM p WHERE k = 7',
      'SELECT id, audit_read(id) FROM p WHERE k = 7',
      'SELECT id FROM p WHERE k = 7 AND visible_to(id)',
      'SELECT id, visible_to(id) FROM p WHERE k = 7',
      'SELECT id, masked(body) FROM p WHERE k = 7',
      "SELECT p.id FROM p JOIN u ON u.k = p.k WHERE p.body = 'z' AND visible_to(u.id)",
      'SELECT id FROM p WHERE k = 7 AND recent(id)',
      'SELECT my_sum(id) FROM p WHERE k = 7',
      'SELECT id FROM audited WHERE k = 7',
      'SELECT id, audit.log_read(id) FROM p WHERE k = 7',
      'SELECT count(*) FILTER (WHERE visible_to(id)) FROM p WHERE k < 500',
    ];
    const nodes = (n: PlanJson): PlanJson[] => [n, ...(n.Plans ?? []).flatMap(nodes)];
    const gathered = (sql: string) => nodes((JSON.parse(cluster.psql(`EXPLAIN (FORMAT JSON) ${sql}`, 'fn')) as { Plan: PlanJson }[])[0].Plan).some((n) => n['Node Type'].startsWith('Gather'));
    const planner = queries.map(gathered);
    assert.deepEqual(planner, [true, false, false, true, true, true, true, false, false, false, false], 'what PostgreSQL 15 plans');
    const session = await openSession(cluster.url('fn'));
    let read: LiveSchema;
    try {
      read = await loadLiveSchema(session);
    } finally {
      await session.close();
    }
    assert.deepEqual(read.schema.functions?.get('visible_to'), [{ name: 'visible_to', schema: 'public', args: 'integer', parallel: 'restricted', onSearchPath: true }]);
    assert.deepEqual(read.schema.functions?.get('log_read')?.map((f) => [f.schema, f.onSearchPath]), [['audit', false]]);
    const inParallel = (schema: SchemaModel, opts: MatcherOptions) => (sql: string) => {
      const { shapes } = shapesFromSqlText(sql, { file: '/w/q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
      const access = shapes[0].accesses.find((a) => a.table === 'p')!;
      return /in parallel: \d/.test(analyzeAccess(access, schema, opts).reason);
    };
    assert.deepEqual(queries.map(inParallel(read.schema, liveMatcherOptions(read, DEFAULT_MATCHER_OPTIONS))), planner, 'from the catalog');
    const fromMigrations = loadMigrations([{ file: '/w/migrations/1/migration.sql', text: ddl }]).schema;
    assert.deepEqual(queries.map(inParallel(fromMigrations, { ...DEFAULT_MATCHER_OPTIONS, rows: { p: 300_000, u: 1_000 } })), planner, 'from the migrations');
  });

  it('gives its version to the verdicts (skip scans are for PostgreSQL 18 on), whatever the configuration says', async () => {
    const p = await Project.open(LMS);
    p.config.matcher.serverVersion = 18;
    p.useLiveSchema(live);
    assert.equal(p.config.matcher.serverVersion, 15);
    assert.deepEqual(p.config.matcher.parallel, live.planner?.parallel);
    assert.deepEqual(p.config.matcher.costs, live.planner?.costs);
  });

  it("weighs index and table reads with the server's random_page_cost: on SSD settings (1.1) an ordered index scan beats a sort, as the planner says", async () => {
    cluster.psql('CREATE DATABASE rpc');
    // k in no order of the rows (correlation ~0): an ordered scan of q_k reads a random page per row.
    cluster.psql(`CREATE TABLE q (id int PRIMARY KEY, k int NOT NULL, body text NOT NULL);
      INSERT INTO q SELECT i, hashint4(i) & 1023, repeat('x', 80) FROM generate_series(1, 300000) i; CREATE INDEX q_k ON q (k); ANALYZE q;`, 'rpc');
    const sql = 'SELECT id, body FROM q WHERE k < 50 ORDER BY k';
    const planned = () => (JSON.parse(cluster.psql(`EXPLAIN (FORMAT JSON) ${sql}`, 'rpc')) as { Plan: PlanJson }[])[0].Plan;
    const tool = async () => {
      const session = await openSession(cluster.url('rpc'));
      try {
        const read = await loadLiveSchema(session);
        const { shapes } = shapesFromSqlText(sql, { file: '/w/q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema: read.schema });
        return { read, verdict: analyzeAccess(shapes[0].accesses[0], read.schema, liveMatcherOptions(read, DEFAULT_MATCHER_OPTIONS)) };
      } finally {
        await session.close();
      }
    };
    // random_page_cost 4 (the default): a bitmap scan of ~5% of the rows, then a sort.
    assert.equal(planned()['Node Type'], 'Sort');
    const hdd = await tool();
    assert.equal(hdd.verdict.best?.index.name, 'q_k');
    assert.equal(hdd.verdict.best?.sortAvoided, false);
    cluster.psql('ALTER DATABASE rpc SET random_page_cost = 1.1');
    const ssd = planned();
    assert.equal(ssd['Node Type'], 'Index Scan');
    const fast = await tool();
    assert.equal(fast.read.planner?.costs.randomPage, 1.1);
    assert.equal(fast.verdict.best?.index.name, 'q_k');
    assert.equal(fast.verdict.best?.sortAvoided, true);
    assert.ok(Math.abs(fast.verdict.best!.cost / ssd['Total Cost'] - 1) < 0.05, `tool ${fast.verdict.best!.cost} vs planner ${ssd['Total Cost']}`);
  });

  it('feeds its statistics to the matcher: an equality on a most common value has its measured share', () => {
    const enrollments = live.schema.tables.get('enrollments')!;
    const stats = enrollments.columns.get('status')!.stats!;
    const share = stats.mostCommonFreqs![stats.mostCommonValues!.indexOf('ACTIVE')];
    const ctx = { schema: live.schema, table: enrollments, rows: enrollments.rowEstimate!, rowsOf: () => 1000 };
    assert.equal(atomSelectivity(ctx, { kind: 'compare', column: 'status', op: '=', value: { kind: 'string', value: 'ACTIVE' } }), share);
  });

  describe('unused-index', () => {
    const unused = (p: Project) => p.analyze().findings.filter((f) => f.rule === 'unused-index');

    it('says nothing while the statistics are younger than the configured period (default 30 days)', async () => {
      const p = await Project.open(LMS);
      p.useLiveSchema(live);
      assert.deepEqual(unused(p), []);
      p.useLiveSchema(agedBy(live, 29));
      assert.deepEqual(unused(p), []);
    });

    it('reports never-scanned, non-unique indexes once the statistics are old enough, with the reset time', async () => {
      const p = await Project.open(LMS);
      p.useLiveSchema(agedBy(live, 45));
      const found = unused(p);
      const names = found.map((f) => f.index);
      assert.ok(names.includes('quizzes_createdAt_idx'), names.join());
      assert.ok(!names.includes('lesson_progress_lessonId_idx'), 'a used index is not reported');
      for (const f of found) {
        const index = p.schema.tables.get(f.table!)!.indexes.find((i) => i.name === f.index)!;
        assert.equal(index.unique, false, `${f.index}: unique indexes are never reported`);
        assert.match(f.message, /has not been scanned once on 127\.0\.0\.1:\d+\/lms since \d{4}-\d\d-\d\d \(last statistics reset\), 45 days of statistics/);
        assert.ok(f.file.endsWith('.prisma') || f.file.endsWith('.sql'), 'located in the workspace');
        assert.match(f.fix?.sql ?? '', /^DROP INDEX CONCURRENTLY IF EXISTS/);
      }
    });

    it('takes its period from pg-index-review.json ("unusedIndexMinDays")', async () => {
      const p = await Project.open(LMS);
      p.config.unusedIndexMinDays = 0;
      p.useLiveSchema(live);
      assert.ok(unused(p).length > 0);
    });

    it('uses the live row estimates for the verdicts', async () => {
      const p = await Project.open(LMS);
      p.useLiveSchema(live);
      assert.equal(p.config.matcher.rows.lesson_progress, generated.get('lesson_progress'));
      assert.equal(p.schema.tables.get('users')!.indexes.find((i) => i.name === 'users_email_key')!.location?.file.endsWith('schema.prisma'), true, 'workspace locations kept');
      // Foreign keys too: an unindexed-foreign-key finding lands on the key's declaration, not on the server.
      const keys = p.schema.tables.get('enrollments')!.foreignKeys;
      assert.ok(keys.length > 0);
      for (const fk of keys) assert.match(fk.location?.file ?? '', /(schema\.prisma|\.sql)$/, fk.name);
      assert.ok([...live.schema.tables.values()].every((t) => t.foreignKeys.every((fk) => fk.location === undefined)), 'none from the catalog itself');
    });
  });

  describe('check --database', () => {
    before(async () => {
      await loadSample(cluster, 'drifted');
      cluster.psql(`DROP INDEX "quizzes_createdAt_idx"; CREATE INDEX "users_name_handmade_idx" ON users (name)`, 'drifted');
      try {
        cluster.psql(`CREATE UNIQUE INDEX CONCURRENTLY "users_role_unique_idx" ON users (role)`, 'drifted');
      } catch {
        // duplicate roles: the build fails and leaves an INVALID index behind, which is the point
      }
    });

    it('reports drift between the live database and the migrations, and INVALID indexes', async () => {
      const r = await runMain(['check', LMS, '--database', cluster.url('drifted'), '--format', 'json']);
      assert.equal(r.stderr, '');
      const findings: { rule: string; index?: string; message: string }[] = JSON.parse(r.stdout).findings;
      const drift = findings.filter((f) => f.rule === 'schema-drift' && / on 127\.0\.0\.1/.test(f.message));
      assert.ok(drift.some((f) => f.index === 'quizzes_createdAt_idx' && /does not exist on/.test(f.message)), JSON.stringify(drift, null, 1));
      assert.ok(drift.some((f) => f.index === 'users_name_handmade_idx' && /no migration creates it/.test(f.message)));
      assert.ok(findings.some((f) => f.rule === 'unused-index' && f.index === 'users_role_unique_idx' && /INVALID/.test(f.message)));
      assert.ok(!r.stdout.includes(PgCluster.PASSWORD));
    });

    it('a database that is down: one message on stderr, the static analysis still runs', async () => {
      const port = await freePort();
      const r = await runMain(['check', LMS, '--database', `postgresql://postgres:${PgCluster.PASSWORD}@127.0.0.1:${port}/x`, '--format', 'json']);
      assert.match(r.stderr, /could not read the database \(.*ECONNREFUSED.*\); checking against the workspace schema only/);
      assert.ok(!r.stderr.includes(PgCluster.PASSWORD));
      const plain = await runMain(['check', LMS, '--format', 'json']);
      assert.equal(r.code, plain.code);
      assert.deepEqual(JSON.parse(r.stdout).findings, JSON.parse(plain.stdout).findings);
    });
  });
});
