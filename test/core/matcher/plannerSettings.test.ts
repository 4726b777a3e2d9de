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
import type { SchemaModel } from '../../../src/core/model/schema';
import { ZERO_RANGE } from '../../../src/core/model/location';
import { applyStatement } from '../../../src/core/schema/migrations/applyStatement';
import { parseStatement } from '../../../src/core/sql/parser';

const DDL = `CREATE TABLE events (id bigserial PRIMARY KEY, account_id bigint NOT NULL, kind text NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE accounts (id bigserial PRIMARY KEY, name text NOT NULL);`;

/** Both tables at 5M rows: large enough for a parallel scan. */
const OPTS = options({ events: 5_000_000, accounts: 5_000_000 });

/** Whether the verdict reads `table` (the statement's first, by default) with a parallel scan. */
function readInParallel(schema: SchemaModel, sql: string, table?: string): boolean {
  return /in parallel: \d/.test(verdict(schema, sql, OPTS, table).reason);
}

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
    const opts = OPTS;
    const parallelRead = (sql: string, table = 'events') => readInParallel(schema, sql, table);
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

  it('take the parallel safety of the functions the migrations create: PARALLEL UNSAFE unless they say otherwise', () => {
    const schema = schemaFrom(`${DDL}
      CREATE FUNCTION audit_read(bigint) RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN $1; END $$;
      CREATE FUNCTION app.score(k text) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT length(k)';
      CREATE FUNCTION audit.score(k text) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
      CREATE FUNCTION visible_to(bigint, text DEFAULT 'x') RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN true; END $$;
      CREATE FUNCTION "isVisible"(bigint) RETURNS boolean LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN true; END $$;
      CREATE FUNCTION tag(text) RETURNS text LANGUAGE sql PARALLEL SAFE AS 'SELECT $1';
      CREATE FUNCTION tag(int) RETURNS text LANGUAGE sql AS 'SELECT $1::text';
      CREATE PROCEDURE audit_now() LANGUAGE sql AS 'SELECT 1';`);
    const parallel = (sql: string, table?: string) => readInParallel(schema, sql, table);
    assert.equal(parallel('SELECT id FROM events WHERE kind = $1'), true);
    // An UNSAFE function anywhere: no parallel plan at all.
    assert.equal(parallel('SELECT id, audit_read(id) FROM events WHERE kind = $1'), false);
    assert.equal(parallel('SELECT id FROM events WHERE kind = $1 AND id IN (SELECT audit_read(a.id) FROM accounts a)'), false);
    assert.match(verdict(schema, 'SELECT id, audit_read(id) FROM events WHERE kind = $1', OPTS).reason, /\(not in parallel: it calls audit_read\(\), PARALLEL UNSAFE\)$/);
    // A schema-qualified call is that schema's function; one without a schema is public's (audit.score is not reached).
    assert.equal(parallel('SELECT id, app.score(kind) FROM events WHERE kind = $1 AND app.score(kind) = 3'), true);
    assert.equal(parallel('SELECT id, audit.score(kind) FROM events WHERE kind = $1'), false);
    assert.equal(parallel('SELECT id, score(kind) FROM events WHERE kind = $1'), true);
    // A RESTRICTED one: in a condition the table is read by the leader alone; in the select list it runs above the Gather.
    assert.equal(parallel('SELECT id FROM events WHERE kind = $1 AND visible_to(account_id)'), false);
    assert.equal(parallel('SELECT id, visible_to(account_id) FROM events WHERE kind = $1'), true);
    assert.equal(parallel('SELECT id FROM events WHERE kind = $1 AND "isVisible"(account_id)'), false);
    // Only the table whose condition it is: another table's, a join's, a sub-select's are not this table's.
    assert.equal(parallel('SELECT e.id FROM events e JOIN accounts a ON a.id = e.account_id WHERE e.kind = $1 AND visible_to(a.id)', 'events'), true);
    assert.equal(parallel('SELECT e.id FROM events e JOIN accounts a ON a.id = e.account_id WHERE a.name = $1 AND visible_to(a.id)', 'accounts'), false);
    assert.equal(parallel('SELECT id FROM events e WHERE kind = $1 AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.account_id AND visible_to(a.id))', 'events'), true);
    // Overloads the call's argument types would tell apart: the least safe of them (PostgreSQL would call the SAFE tag(text)).
    assert.equal(parallel('SELECT id, tag(kind) FROM events WHERE kind = $1'), false);
    // A procedure is CALLed, never part of a query.
    assert.equal(schema.functions?.has('audit_now'), false);
  });

  it('see the unsafe calls a text test would miss: comments between a name and its parenthesis, U& names, FOR/**/UPDATE', () => {
    const schema = schemaFrom(`${DDL}
      CREATE FUNCTION audit_read(bigint) RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN $1; END $$;`);
    const parallel = (sql: string) => readInParallel(schema, sql);
    assert.equal(parallel('SELECT id, audit_read/**/(id) FROM events WHERE kind = $1'), false);
    assert.equal(parallel('SELECT id, audit_read -- the reader\n (id) FROM events WHERE kind = $1'), false);
    assert.equal(parallel('SELECT id, U&"audit\\005fread"(id) FROM events WHERE kind = $1'), false);
    assert.equal(parallel('SELECT id FROM events WHERE kind = $1 FOR/**/UPDATE'), false);
    assert.equal(parallel("SELECT id, nextval/* seq */('s') FROM events WHERE kind = $1"), false);
  });

  it("take an inlined SQL function's body for its conditions: PostgreSQL checks a table's conditions after inlining, the statement before", () => {
    const schema = schemaFrom(`${DDL}
      CREATE FUNCTION recent(timestamptz) RETURNS boolean LANGUAGE sql PARALLEL RESTRICTED AS 'SELECT $1 > now() - interval ''1 day''';
      CREATE FUNCTION recent_kept(timestamptz) RETURNS boolean LANGUAGE sql STRICT PARALLEL RESTRICTED AS 'SELECT $1 > now() - interval ''1 day''';
      CREATE FUNCTION lucky(bigint) RETURNS boolean PARALLEL SAFE RETURN $1 > random() * 10;
      CREATE FUNCTION plus_one(bigint) RETURNS bigint LANGUAGE sql IMMUTABLE RETURN $1 + 1;`);
    const parallel = (sql: string) => readInParallel(schema, sql);
    // Inlined: the condition is the body's, which calls only now().
    assert.equal(parallel('SELECT id FROM events WHERE kind = $1 AND recent(created_at)'), true);
    // STRICT: not inlined here, its label counts.
    assert.equal(parallel('SELECT id FROM events WHERE kind = $1 AND recent_kept(created_at)'), false);
    // Declared SAFE, but its body calls random() once inlined.
    assert.equal(parallel('SELECT id FROM events WHERE kind = $1 AND lucky(account_id)'), false);
    // Declared UNSAFE (no PARALLEL clause): the statement is serial before anything is inlined.
    assert.equal(parallel('SELECT id, plus_one(id) FROM events WHERE kind = $1'), false);
  });

  it('take aggregates and views into account: an UNSAFE aggregate, a RESTRICTED call in an aggregate, a view that calls an UNSAFE function', () => {
    const schema = schemaFrom(`${DDL}
      CREATE FUNCTION add_up(bigint, bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $1 + $2';
      CREATE AGGREGATE my_sum(bigint) (SFUNC = add_up, STYPE = bigint);
      CREATE AGGREGATE safe_sum(bigint) (SFUNC = add_up, STYPE = bigint, PARALLEL = SAFE);
      CREATE FUNCTION audit_read(bigint) RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN $1; END $$;
      CREATE VIEW audited AS SELECT id, kind, audit_read(id) AS seen FROM events;
      CREATE VIEW plain AS SELECT id, kind FROM events;
      CREATE VIEW over_audited AS SELECT id, kind FROM audited;`);
    const parallel = (sql: string) => readInParallel(schema, sql);
    assert.equal(parallel('SELECT my_sum(id) FROM events WHERE kind = $1'), false);
    assert.equal(parallel('SELECT safe_sum(id) FROM events WHERE kind = $1'), true);
    assert.equal(verdict(schema, 'SELECT count(*) FROM events WHERE kind > $1', OPTS).access.aggregated, true);
    assert.equal(verdict(schema, 'SELECT count(*) FILTER (WHERE random() < 0.5) FROM events WHERE kind > $1', OPTS).access.aggregated, undefined);
    assert.equal(parallel('SELECT id FROM plain WHERE kind = $1'), true);
    assert.equal(parallel('SELECT id FROM audited WHERE kind = $1'), false);
    assert.equal(parallel('SELECT id FROM over_audited WHERE kind = $1'), false);
  });

  it('follow ALTER FUNCTION … PARALLEL | RENAME TO | SET SCHEMA, CREATE OR REPLACE (which states every property again) and DROP FUNCTION', () => {
    const base = `${DDL}
      CREATE TYPE mood AS ENUM ('ok', 'not');
      CREATE FUNCTION f(bigint) RETURNS bigint LANGUAGE sql AS 'SELECT $1';
      CREATE FUNCTION m(public.mood) RETURNS bigint LANGUAGE sql AS 'SELECT 1';`;
    const parallel = (ddl: string, call = 'f(account_id)') => readInParallel(schemaFrom(ddl), `SELECT id, ${call} FROM events WHERE kind = $1`);
    assert.equal(parallel(base), false);
    assert.equal(parallel(`${base}\nALTER FUNCTION f(bigint) PARALLEL SAFE;`), true);
    assert.equal(parallel(`${base}\nALTER FUNCTION f PARALLEL SAFE IMMUTABLE;`), true);
    // Another signature is another function; a type's schema is not part of it.
    assert.equal(parallel(`${base}\nALTER FUNCTION f(text) PARALLEL SAFE;`), false);
    assert.equal(parallel(base, "m('ok')"), false);
    assert.equal(parallel(`${base}\nALTER FUNCTION m(mood) PARALLEL SAFE;`, "m('ok')"), true);
    assert.equal(parallel(`${base}\nALTER FUNCTION f(bigint) PARALLEL SAFE;\nCREATE OR REPLACE FUNCTION f(bigint) RETURNS bigint LANGUAGE sql AS 'SELECT $1 + 1';`), false);
    // Renamed or moved, it keeps its label under its new name.
    assert.equal(parallel(`${base}\nALTER FUNCTION f(bigint) RENAME TO g;`), true);
    assert.equal(parallel(`${base}\nALTER FUNCTION f(bigint) RENAME TO g;`, 'g(account_id)'), false);
    assert.equal(parallel(`${base}\nCREATE SCHEMA app;\nALTER FUNCTION f(bigint) SET SCHEMA app;`), true);
    assert.equal(parallel(`${base}\nCREATE SCHEMA app;\nALTER FUNCTION f(bigint) SET SCHEMA app;`, 'app.f(account_id)'), false);
    assert.equal(parallel(`${base}\nDROP FUNCTION IF EXISTS f(bigint);`), true);
    assert.equal(parallel(`${base}\nDROP FUNCTION f;`), true);
  });

  it('refuse DROP FUNCTION without arguments on a name with overloads, as PostgreSQL does', () => {
    const ddl = `CREATE FUNCTION t(text) RETURNS text LANGUAGE sql AS 'SELECT $1';\nCREATE FUNCTION t(int) RETURNS text LANGUAGE sql AS 'SELECT $1::text';`;
    const schema = schemaFrom(ddl);
    assert.equal(applyStatement(schema, parseStatement('DROP FUNCTION t')!, { location: { file: 'm.sql', range: ZERO_RANGE }, text: 'DROP FUNCTION t' }), 'function name "t" is not unique');
    assert.equal(schema.functions?.get('t')?.length, 2);
    assert.equal(applyStatement(schema, parseStatement('DROP FUNCTION t(int)')!, { location: { file: 'm.sql', range: ZERO_RANGE }, text: 'DROP FUNCTION t(int)' }), undefined);
    assert.deepEqual(schema.functions?.get('t')?.map((f) => f.args), ['text']);
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

describe('LIMIT and OFFSET counts PostgreSQL refuses', () => {
  before(() => initSqlParser());

  // Found by fuzzing (stop 26): LIMIT -5 gave "would read ~-5 instead of ~100k rows", LIMIT 1e400 "LIMIT Infinity".
  it('are no LIMIT at all: a negative count, or one that overflows', () => {
    const schema = schemaFrom(DDL);
    const limitOf = (sql: string) => verdict(schema, sql, OPTS).access.limit;
    assert.equal(limitOf('SELECT id FROM events ORDER BY created_at LIMIT 5'), 5);
    assert.equal(limitOf('SELECT id FROM events ORDER BY created_at LIMIT $1'), 'param');
    assert.equal(limitOf('SELECT id FROM events ORDER BY created_at LIMIT -5'), undefined);
    assert.equal(limitOf('SELECT id FROM events ORDER BY created_at LIMIT 1e400'), undefined);
    assert.equal(verdict(schema, 'SELECT id FROM events ORDER BY created_at LIMIT 5 OFFSET -1', OPTS).access.offset, undefined);
  });
});
