/**
 * Parallel sequential scans: PostgreSQL plans one (a Gather over a Parallel Seq Scan) for a SELECT's table of at
 * least min_parallel_table_scan_size (8 MB, 1,024 pages), with one worker more each time the table triples, up to
 * max_parallel_workers_per_gather (2). Checked against PostgreSQL 15's own costs in test/db/liveSchema.test.ts.
 */
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/config';
import { DEFAULT_PARALLEL_SETTINGS, parallelDivisor, parallelWorkers } from '../../../src/core/matcher/parallelScan';
import { initSqlParser } from '../../../src/core/sql/parser';
import { extractFromTypeScript } from '../../../src/core/sources/typescript/extract';
import { lmsSchema } from '../typescript/schemaFixture';
import { options, schemaFrom, verdict } from './harness';

const DDL = `CREATE TABLE events (id bigserial PRIMARY KEY, account_id bigint NOT NULL, kind text NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE accounts (id bigserial PRIMARY KEY, name text NOT NULL);`;

describe('parallel sequential scans and the cost settings', () => {
  before(() => initSqlParser());

  it("take workers as compute_parallel_worker() gives them: none under 1,024 pages, one more each time the size triples, at most the setting's", () => {
    const workers = (pages: number, max = 2) => parallelWorkers(pages, { ...DEFAULT_PARALLEL_SETTINGS, maxWorkersPerGather: max });
    assert.deepEqual([1023, 1024, 3071, 3072, 9215, 9216, 1e7].map((p) => workers(p, 8)), [0, 1, 1, 2, 2, 3, 8]);
    assert.equal(workers(1e7), 2);
    assert.equal(workers(1e7, 0), 0);
    // The leader works too, less the more workers it serves (get_parallel_divisor()).
    assert.deepEqual([1, 2, 4].map((w) => parallelDivisor(w)), [1.7, 2.4, 4]);
  });

  it("make a large table's sequential scan cheaper for a SELECT, not for a DELETE (a write's table is read by one process)", () => {
    const schema = schemaFrom(DDL);
    const opts = options({ events: 5_000_000 });
    const read = verdict(schema, 'SELECT id FROM events WHERE kind = $1', opts);
    const write = verdict(schema, 'DELETE FROM events WHERE kind = $1', opts);
    assert.ok(read.seqScanCost < 0.8 * write.seqScanCost, `${read.seqScanCost} vs ${write.seqScanCost}`);
    assert.match(read.reason, /in parallel: 2 workers and the leader/);
    assert.doesNotMatch(write.reason, /parallel/);
    // Turned off (max_parallel_workers_per_gather = 0), the SELECT's scan costs what the DELETE's does.
    const off = verdict(schema, 'SELECT id FROM events WHERE kind = $1', { ...opts, parallel: { ...DEFAULT_PARALLEL_SETTINGS, maxWorkersPerGather: 0 } });
    assert.equal(off.seqScanCost, write.seqScanCost);
    // A small table (the default 10,000 rows: ~170 pages) is never scanned in parallel.
    assert.doesNotMatch(verdict(schema, 'SELECT id FROM events WHERE kind = $1', options({})).reason, /parallel/);
  });

  it("leave a nested loop's inner side alone: it is looked up for each outer row, not scanned once", () => {
    const schema = schemaFrom(DDL);
    const opts = options({ events: 5_000_000, accounts: 10 });
    const inner = verdict(schema, 'SELECT e.id FROM accounts a JOIN events e ON e.kind = a.name WHERE a.id = $1', opts, 'events');
    assert.ok(inner.access.joinedFrom, 'the inner side');
    assert.doesNotMatch(inner.reason, /parallel/);
  });

  it('are never planned for a statement that writes, locks rows or calls a PARALLEL UNSAFE function, whichever table it reads', () => {
    const schema = schemaFrom(DDL);
    const opts = options({ events: 5_000_000, accounts: 5_000_000 });
    const parallelRead = (sql: string, table = 'events') => /in parallel: \d/.test(verdict(schema, sql, opts, table).reason);
    assert.equal(parallelRead('SELECT id FROM events WHERE kind = $1'), true);
    assert.equal(parallelRead('SELECT id FROM events WHERE kind = $1 FOR UPDATE SKIP LOCKED'), false);
    assert.equal(parallelRead('SELECT id FROM events WHERE kind = $1 ORDER BY created_at LIMIT 10 FOR SHARE'), false);
    assert.equal(parallelRead('SELECT id, nextval(\'s\') FROM events WHERE kind = $1'), false);
    assert.equal(parallelRead('DELETE FROM accounts WHERE id IN (SELECT account_id FROM events WHERE kind = $1)'), false);
    assert.equal(parallelRead('INSERT INTO accounts (name) SELECT kind FROM events WHERE kind = $1'), false);
    assert.equal(parallelRead('WITH gone AS (DELETE FROM accounts WHERE name = $2 RETURNING id) SELECT id FROM events WHERE kind = $1', 'events'), false);
    // The words in a string or a comment change nothing.
    assert.equal(parallelRead("SELECT id FROM events WHERE kind = 'for update' -- nextval(x)"), true);
    // The verdict says why a scan a parallel plan would make cheaper is serial.
    const why = (sql: string) => /\(not in parallel: (.*)\)$/.exec(verdict(schema, sql, opts, 'events').reason)?.[1];
    assert.equal(why('SELECT id FROM events WHERE kind = $1 FOR NO KEY UPDATE'), 'it locks the rows it reads, FOR NO KEY UPDATE');
    assert.equal(why("SELECT id, nextval('s') FROM events WHERE kind = $1"), 'it calls nextval(), PARALLEL UNSAFE');
    assert.equal(why('DELETE FROM accounts WHERE id IN (SELECT account_id FROM events WHERE kind = $1)'), 'the statement writes');
    // Not when the serial scan is the cheaper anyway (a third of the table handed to the leader).
    assert.equal(why('SELECT id FROM events WHERE kind > $1 FOR UPDATE'), undefined);
    assert.equal(why('SELECT id FROM events WHERE kind = $1'), undefined);
  });

  it('hand the leader only partial aggregates for count(*) or a GROUP BY of one table, so a parallel scan pays where a plain read does not', () => {
    const schema = schemaFrom(DDL);
    const opts = options({ events: 5_000_000 });
    const counted = verdict(schema, 'SELECT count(*) FROM events WHERE kind = $1 OR created_at > $2', opts);
    assert.equal(counted.access.aggregated, true);
    assert.match(counted.reason, /in parallel: \d/);
    const rows = verdict(schema, 'SELECT id FROM events WHERE kind = $1 OR created_at > $2', opts);
    assert.ok(counted.seqScanCost < rows.seqScanCost, `${counted.seqScanCost} < ${rows.seqScanCost}: a Gather of 3 rows, not of the rows kept`);
    assert.equal(verdict(schema, 'SELECT kind, count(*) FROM events GROUP BY kind', opts).access.aggregated, true);
    assert.equal(verdict(schema, 'SELECT a.name, count(*) FROM events e JOIN accounts a ON a.id = e.account_id GROUP BY a.name', opts).access.aggregated, undefined);
  });

  it('aggregate in each process only what PostgreSQL 15 can: plain GROUP BY columns, aggregates with a combine function, no DISTINCT inside', () => {
    const schema = schemaFrom(DDL);
    const opts = options({ events: 5_000_000 });
    const aggregated = (sql: string) => verdict(schema, sql, opts).access.aggregated === true;
    assert.equal(aggregated('SELECT count(*), max(created_at) FROM events WHERE kind = $1'), true);
    assert.equal(aggregated('SELECT kind, sum(account_id) FROM events GROUP BY kind HAVING count(*) > 1'), true);
    assert.equal(aggregated('SELECT count(DISTINCT account_id) FROM events'), false);
    assert.equal(aggregated('SELECT kind, array_agg(id) FROM events GROUP BY kind'), false);
    assert.equal(aggregated('SELECT string_agg(kind, \',\' ORDER BY kind) FROM events'), false);
    assert.equal(aggregated('SELECT lower(kind), count(*) FROM events GROUP BY lower(kind)'), false);
    assert.equal(aggregated('SELECT kind, count(*) FROM events GROUP BY ROLLUP (kind)'), false);
    assert.equal(aggregated('SELECT id, count(*) OVER () FROM events'), false);
  });

  it('count a LIMIT of a grouped query in groups, not in rows of the table: no early stop of the scan', () => {
    const schema = schemaFrom(DDL);
    const opts = options({ events: 5_000_000 });
    const all = verdict(schema, 'SELECT kind, count(*) FROM events WHERE created_at > $1 GROUP BY kind', opts);
    const five = verdict(schema, 'SELECT kind, count(*) FROM events WHERE created_at > $1 GROUP BY kind LIMIT 5', opts);
    assert.equal(five.seqScanCost, all.seqScanCost);
  });

  it('are not planned for a table whose condition calls a PARALLEL RESTRICTED function (random()); in the select list it is computed above the Gather', () => {
    const schema = schemaFrom(DDL);
    const opts = options({ events: 5_000_000 });
    assert.match(verdict(schema, 'SELECT id FROM events WHERE kind = $1 AND random() < 0.1', opts).reason, /\(not in parallel: its condition calls random\(\), PARALLEL RESTRICTED\)$/);
    assert.match(verdict(schema, 'SELECT id, random() FROM events WHERE kind = $1', opts).reason, /in parallel: \d/);
  });

  it("take the parallel safety of the functions the migrations create: PARALLEL UNSAFE unless they say otherwise", () => {
    const schema = schemaFrom(`${DDL}
      CREATE FUNCTION audit_read(bigint) RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN $1; END $$;
      CREATE FUNCTION app.score(k text) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT length(k)';
      CREATE FUNCTION visible_to(bigint, text DEFAULT 'x') RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN true; END $$;
      CREATE FUNCTION "isRecent"(timestamptz) RETURNS boolean LANGUAGE sql PARALLEL RESTRICTED AS 'SELECT $1 > now() - interval ''1 day''';
      CREATE FUNCTION tag(text) RETURNS text LANGUAGE sql PARALLEL SAFE AS 'SELECT $1';
      CREATE FUNCTION tag(int) RETURNS text LANGUAGE sql AS 'SELECT $1::text';
      CREATE PROCEDURE nextval_like() LANGUAGE sql AS 'SELECT 1';`);
    const opts = options({ events: 5_000_000 });
    const parallelRead = (sql: string) => /in parallel: \d/.test(verdict(schema, sql, opts).reason);
    assert.equal(parallelRead('SELECT id FROM events WHERE kind = $1'), true);
    // An UNSAFE function anywhere: no parallel plan at all.
    assert.equal(parallelRead('SELECT id, audit_read(id) FROM events WHERE kind = $1'), false);
    assert.match(verdict(schema, 'SELECT id, audit_read(id) FROM events WHERE kind = $1', opts).reason, /\(not in parallel: it calls audit_read\(\), PARALLEL UNSAFE\)$/);
    // A SAFE one anywhere, schema-qualified or not.
    assert.equal(parallelRead('SELECT id, app.score(kind) FROM events WHERE kind = $1 AND app.score(kind) = 3'), true);
    assert.equal(parallelRead('SELECT id, score(kind) FROM events WHERE kind = $1'), true);
    // A RESTRICTED one: in a condition the table is read by the leader alone; in the select list it runs above the Gather.
    assert.equal(parallelRead('SELECT id FROM events WHERE kind = $1 AND visible_to(account_id)'), false);
    assert.equal(parallelRead('SELECT id, visible_to(account_id) FROM events WHERE kind = $1'), true);
    assert.equal(parallelRead('SELECT id FROM events WHERE kind = $1 AND "isRecent"(created_at)'), false);
    // Overloads the call's argument types would tell apart: the least safe of them.
    assert.equal(parallelRead('SELECT id, tag(kind) FROM events WHERE kind = $1'), false);
  });

  it('follow ALTER FUNCTION … PARALLEL, CREATE OR REPLACE (which states every property again) and DROP FUNCTION', () => {
    const base = `${DDL}
      CREATE FUNCTION f(bigint) RETURNS bigint LANGUAGE sql AS 'SELECT $1';`;
    const opts = options({ events: 5_000_000 });
    const parallelRead = (ddl: string) => /in parallel: \d/.test(verdict(schemaFrom(ddl), 'SELECT id, f(account_id) FROM events WHERE kind = $1', opts).reason);
    assert.equal(parallelRead(base), false);
    assert.equal(parallelRead(`${base}\nALTER FUNCTION f(bigint) PARALLEL SAFE;`), true);
    assert.equal(parallelRead(`${base}\nALTER FUNCTION f PARALLEL SAFE IMMUTABLE;`), true);
    // Another signature is another function.
    assert.equal(parallelRead(`${base}\nALTER FUNCTION f(text) PARALLEL SAFE;`), false);
    assert.equal(parallelRead(`${base}\nALTER FUNCTION f(bigint) PARALLEL SAFE;\nCREATE OR REPLACE FUNCTION f(bigint) RETURNS bigint LANGUAGE sql AS 'SELECT $1 + 1';`), false);
    assert.equal(parallelRead(`${base}\nDROP FUNCTION IF EXISTS f(bigint);`), true);
    assert.equal(parallelRead(`${base}\nDROP FUNCTION f;`), true);
  });

  it("take a table's parallel_workers from the migrations: CREATE TABLE … WITH, ALTER TABLE … SET and RESET", () => {
    const opts = options({ events: 5_000_000 });
    const workers = (ddl: string) => verdict(schemaFrom(ddl), 'SELECT id FROM events WHERE kind = $1', opts).parallelWorkers ?? 0;
    assert.equal(workers(DDL), 2);
    assert.equal(workers(`${DDL}\nALTER TABLE events SET (parallel_workers = 0, fillfactor = 90);`), 0);
    assert.equal(workers(`${DDL}\nALTER TABLE events SET (parallel_workers = 0);\nALTER TABLE events RESET (parallel_workers);`), 2);
    assert.equal(workers(`${DDL}\nALTER TABLE events SET (parallel_workers = '1');`), 1);
    const created = schemaFrom("CREATE TABLE events (id bigserial PRIMARY KEY, kind text NOT NULL) WITH (parallel_workers = 0, autovacuum_enabled = false);");
    assert.equal(created.tables.get('events')!.parallelWorkers, 0);
    assert.doesNotMatch(verdict(created, 'SELECT id FROM events WHERE kind = $1', opts).reason, /parallel/);
  });

  it('Prisma groupBy() aggregates in each process; count() and aggregate() are sent over a sub-select with OFFSET, aggregated in the leader', () => {
    const text = `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export const a = () => prisma.enrollment.groupBy({ by: ['status'], _count: true });
export const b = () => prisma.enrollment.count({ where: { status: 'ACTIVE' } });
export const c = () => prisma.enrollment.deleteMany({ where: { course: { title: 'x' } } });
`;
    const [groupBy, count, del] = extractFromTypeScript(text, 'q.ts', lmsSchema()).shapes;
    assert.equal(groupBy.accesses[0].aggregated, true);
    assert.equal(count.accesses[0].aggregated, undefined);
    // A relation filter of a deleteMany() is a read in a statement that writes.
    const related = del.accesses.filter((a) => a.kind === 'select');
    assert.ok(related.length > 0 && related.every((a) => a.serialOnly));
  });

  it('read an index whole in parallel for an aggregate, as a Parallel Index Only Scan under a Partial Aggregate', () => {
    // A narrow index: four states, deduplicated (~6 bytes an entry).
    const schema = schemaFrom(`CREATE TYPE state AS ENUM ('new', 'paid', 'sent', 'void');
      CREATE TABLE orders (id bigserial PRIMARY KEY, state state NOT NULL, note text);
      CREATE INDEX orders_state_idx ON orders (state);`);
    const opts = options({ orders: 5_000_000 });
    const sql = 'SELECT state, count(*) FROM orders GROUP BY state';
    const v = verdict(schema, sql, opts);
    assert.equal(v.best?.index.name, 'orders_state_idx');
    assert.equal(v.best?.wholeIndex, true);
    assert.match(v.best!.reason, /in parallel: 2 workers and the leader/);
    const serial = verdict(schema, sql, { ...opts, parallel: { ...DEFAULT_PARALLEL_SETTINGS, maxWorkersPerGather: 0 } });
    assert.ok(v.best!.cost < serial.best!.cost, `${v.best!.cost} < ${serial.best!.cost}`);
  });

  it('are configured by "maxParallelWorkersPerGather" in pg-index-review.json', () => {
    assert.equal(parseConfig({ maxParallelWorkersPerGather: 0 }, 'c.json').matcher.parallel.maxWorkersPerGather, 0);
    assert.equal(parseConfig({}, 'c.json').matcher.parallel.maxWorkersPerGather, 2);
    assert.throws(() => parseConfig({ maxParallelWorkersPerGather: 1.5 }, 'c.json'), /whole number/);
    assert.throws(() => parseConfig({ maxParallelWorkersPerGather: -1 }, 'c.json'), /non-negative/);
  });

  it('weigh the pages by "randomPageCost" and "seqPageCost" from pg-index-review.json: on SSD settings an ordered index scan beats a sort sooner', () => {
    const config = parseConfig({ randomPageCost: 1.1 }, 'c.json');
    assert.deepEqual([config.matcher.costs.randomPage, config.matcher.costs.seqPage], [1.1, 1]);
    assert.throws(() => parseConfig({ seqPageCost: -1 }, 'c.json'), /non-negative/);
    const schema = schemaFrom(`${DDL}\nCREATE INDEX events_kind_idx ON events (kind);`);
    const sql = 'SELECT id FROM events WHERE kind > $1 AND kind < $2 ORDER BY kind';
    const opts = options({ events: 5_000_000 });
    const hdd = verdict(schema, sql, opts);
    const ssd = verdict(schema, sql, { ...opts, costs: config.matcher.costs });
    assert.ok(ssd.best!.cost < hdd.best!.cost, `${ssd.best!.cost} < ${hdd.best!.cost}`);
    assert.equal(ssd.seqScanCost, hdd.seqScanCost, 'a sequential scan reads no random page');
  });
});
