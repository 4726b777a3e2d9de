/**
 * BRIN indexes (minmax): a Bitmap Index Scan over the page ranges whose least and greatest values admit the
 * condition, costed as brincostestimate() does — the ranges a perfectly ordered heap would match, divided by the
 * column's correlation. They pay on a column the rows are stored in order of (an append-only timestamp).
 */
import assert from 'node:assert/strict';
import type { SchemaModel } from '../../../src/core/model/schema';
import { initSqlParser } from '../../../src/core/sql/parser';
import { candidate, missingFindings, options, schemaFrom, verdict } from './harness';

const DDL = `
CREATE TABLE events (id bigserial PRIMARY KEY, user_id bigint NOT NULL, kind text NOT NULL, created_at timestamptz NOT NULL);
CREATE INDEX events_created_at_brin ON events USING brin (created_at);
`;
const opts = options({ events: 50_000_000 });
const RANGE = 'SELECT id, kind FROM events WHERE created_at >= $1 AND created_at < $2';

/** The schema with pg_stats' correlation for created_at, as a database read with --database gives it. */
function withCorrelation(correlation: number): SchemaModel {
  const schema = schemaFrom(DDL);
  const col = schema.tables.get('events')!.columns.get('created_at')!;
  col.stats = { nullFrac: 0, nDistinct: -1, correlation };
  return schema;
}

describe('BRIN indexes', () => {
  before(() => initSqlParser());

  it('serve a range on a column the rows lie in order of: a bitmap scan of the matching page ranges, no missing index', () => {
    const schema = schemaFrom(DDL);
    const v = verdict(schema, RANGE, opts);
    assert.equal(v.best?.index.name, 'events_created_at_brin');
    const brin = candidate(v, 'events_created_at_brin');
    assert.ok(brin.rowsRead < v.rows / 100, `reads a small share of the table (${brin.rowsRead})`);
    assert.match(brin.reason, /assuming the rows lie in "created_at" order/);
    assert.deepEqual(missingFindings(schema, RANGE, opts), []);
  });

  it('read every range when the rows are in no order of the column (correlation 0): the planner scans the table', () => {
    const v = verdict(withCorrelation(0), RANGE, opts);
    assert.equal(candidate(v, 'events_created_at_brin').rowsRead, v.rows);
    assert.equal(v.best, undefined);
    // Half-ordered: twice the ranges of a perfect order.
    const perfect = candidate(verdict(withCorrelation(1), RANGE, opts), 'events_created_at_brin').rowsRead;
    const half = candidate(verdict(withCorrelation(-0.5), RANGE, opts), 'events_created_at_brin').rowsRead;
    assert.ok(Math.abs(half / perfect - 2) < 0.05, `${half} / ${perfect}`);
  });

  it('read from a database, a column without statistics has correlation 0; bloom operator classes are not modelled', () => {
    const schema = withCorrelation(1);
    schema.tables.get('events')!.columns.get('created_at')!.stats = undefined;
    schema.tables.get('events')!.columns.get('user_id')!.stats = { nullFrac: 0, nDistinct: 1000 };
    const v = verdict(schema, RANGE, opts);
    assert.equal(candidate(v, 'events_created_at_brin').rowsRead, v.rows);
    const bloom = schemaFrom(`${DDL}\nDROP INDEX events_created_at_brin;\nCREATE INDEX events_created_at_brin ON events USING brin (created_at timestamptz_bloom_ops);`);
    assert.equal(candidate(verdict(bloom, RANGE, opts), 'events_created_at_brin').usable, false);
  });

  it('read pages_per_range: smaller ranges, fewer rows read for the same condition', () => {
    const schema = withCorrelation(1);
    const small = schemaFrom(`${DDL}\nDROP INDEX events_created_at_brin;\nCREATE INDEX events_created_at_brin ON events USING brin (created_at) WITH (pages_per_range = 16);`);
    small.tables.get('events')!.columns.get('created_at')!.stats = { nullFrac: 0, nDistinct: -1, correlation: 1 };
    assert.equal(small.tables.get('events')!.indexes.find((i) => i.name === 'events_created_at_brin')!.pagesPerRange, 16);
    const point = 'SELECT id FROM events WHERE created_at = $1';
    const wide = candidate(verdict(schema, point, opts), 'events_created_at_brin').rowsRead;
    const narrow = candidate(verdict(small, point, opts), 'events_created_at_brin').rowsRead;
    assert.ok(Math.abs(wide / narrow - 8) < 0.1, `${wide} / ${narrow}`);
  });

  it('take an IN list (= ANY in the bitmap scan), no condition on another column; a B-tree is still proposed for what they do not serve', () => {
    const schema = schemaFrom(DDL);
    assert.equal(candidate(verdict(schema, 'SELECT id FROM events WHERE created_at IN ($1, $2)', opts), 'events_created_at_brin').usable, true);
    const byUser = 'SELECT id FROM events WHERE user_id = $1';
    assert.equal(candidate(verdict(schema, byUser, opts), 'events_created_at_brin').usable, false);
    assert.deepEqual(missingFindings(schema, byUser, opts).map((f) => f.index), ['events_user_id_idx']);
  });

  it('a B-tree on the BRIN column is proposed only when it reads far fewer rows (a point lookup of a distinct value)', () => {
    // Every value distinct (n_distinct -1): one row through a B-tree, a whole page range (~7,700 rows) through BRIN.
    const schema = withCorrelation(1);
    const point = 'SELECT id, kind FROM events WHERE created_at = $1';
    assert.equal(verdict(schema, point, opts).best?.index.name, 'events_created_at_brin');
    assert.deepEqual(missingFindings(schema, point, opts).map((f) => f.index), ['events_created_at_idx']);
    // A range: the B-tree reads as many rows (it would only skip the recheck): nothing to propose.
    assert.deepEqual(missingFindings(schema, RANGE, opts), []);
  });
});
