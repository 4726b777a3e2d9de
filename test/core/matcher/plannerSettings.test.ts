/**
 * Parallel sequential scans: PostgreSQL plans one (a Gather over a Parallel Seq Scan) for a SELECT's table of at
 * least min_parallel_table_scan_size (8 MB, 1,024 pages), with one worker more each time the table triples, up to
 * max_parallel_workers_per_gather (2). Checked against PostgreSQL 15's own costs in test/db/liveSchema.test.ts.
 */
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/config';
import { DEFAULT_PARALLEL_SETTINGS, parallelDivisor, parallelWorkers } from '../../../src/core/matcher/parallelScan';
import { initSqlParser } from '../../../src/core/sql/parser';
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
    assert.deepEqual([1, 2, 4].map(parallelDivisor), [1.7, 2.4, 4]);
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

  it('are configured by "maxParallelWorkersPerGather" in pg-index-review.json', () => {
    assert.equal(parseConfig({ maxParallelWorkersPerGather: 0 }, 'c.json').matcher.parallel.maxWorkersPerGather, 0);
    assert.equal(parseConfig({}, 'c.json').matcher.parallel.maxWorkersPerGather, 2);
    assert.throws(() => parseConfig({ maxParallelWorkersPerGather: 1.5 }, 'c.json'), /whole number/);
    assert.throws(() => parseConfig({ maxParallelWorkersPerGather: -1 }, 'c.json'), /non-negative/);
  });

  it('weigh the pages by "randomPageCost" and "seqPageCost" from pg-index-review.json: on SSD settings an ordered index scan beats a sort sooner', () => {
    const config = parseConfig({ randomPageCost: 1.1 }, 'c.json');
    assert.deepEqual([config.matcher.costs.randomPage, config.matcher.costs.seqPage], [1.1, 1]);
    assert.throws(() => parseConfig({ seqPageCost: 0 }, 'c.json'), /more than 0/);
    const schema = schemaFrom(`${DDL}\nCREATE INDEX events_kind_idx ON events (kind);`);
    const sql = 'SELECT id FROM events WHERE kind > $1 AND kind < $2 ORDER BY kind';
    const opts = options({ events: 5_000_000 });
    const hdd = verdict(schema, sql, opts);
    const ssd = verdict(schema, sql, { ...opts, costs: config.matcher.costs });
    assert.ok(ssd.best!.cost < hdd.best!.cost, `${ssd.best!.cost} < ${hdd.best!.cost}`);
    assert.equal(ssd.seqScanCost, hdd.seqScanCost, 'a sequential scan reads no random page');
  });
});
