/**
 * An index read whole in place of a wide table (an Index Only Scan with no condition: `SELECT count(*)`, a
 * GROUP BY of an indexed column). PostgreSQL takes it when the index is much narrower than the rows. It is a use
 * of the index when the query needs it: dropping the index would cost the query more than a drop may (the next
 * index read whole, or the table), not when any index of the table would do about as well (`count(*)`).
 */
import assert from 'node:assert/strict';
import { LineIndex } from '../../../src/core/model/location';
import type { SchemaModel } from '../../../src/core/model/schema';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { servesAccess } from '../../../src/core/analysis/indexUses';
import { accessCost, keepingCost, withIndexes } from '../../../src/core/analysis/dropEffect';
import { unusedByWorkload } from '../../../src/core/rules/unusedByWorkload';
import { lowSelectivityIndex } from '../../../src/core/rules/lowSelectivityIndex';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { initSqlParser } from '../../../src/core/sql/parser';
import { options, schemaFrom } from '../matcher/harness';

const DDL = `CREATE TYPE "State" AS ENUM ('OPEN', 'DONE', 'LOST');
CREATE TABLE o (id int PRIMARY KEY, a int NOT NULL, state "State" NOT NULL, title text NOT NULL, body text NOT NULL);
CREATE INDEX o_a ON o (a);
CREATE INDEX o_state ON o (state);`;
const opts = options({ o: 1_000_000 });

/** The schema with the table's rows ~800 bytes wide (100,000 pages for 1M rows, as pg_class.relpages would say). */
function wide(): SchemaModel {
  const s = schemaFrom(DDL);
  s.tables.get('o')!.pageEstimate = 100_000;
  return s;
}

function verdicts(schema: SchemaModel, sql: string) {
  const { shapes } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
  return verdictsFor(shapes, schema, opts);
}

describe('an index read whole in place of the table', () => {
  before(() => initSqlParser());

  it('is the plan of a GROUP BY of the indexed column on a wide table, not on a narrow one', () => {
    const [v] = verdicts(wide(), 'SELECT a, count(*) FROM o GROUP BY a')[0].accesses;
    assert.equal(v.best?.index.name, 'o_a');
    assert.equal(v.best?.wholeIndex, true);
    // Rows of ~40 bytes (1M in 5,000 pages): reading the table costs less than the index's ~2,700 pages at random_page_cost.
    const narrowTable = schemaFrom(DDL);
    narrowTable.tables.get('o')!.pageEstimate = 5_000;
    const [narrow] = verdicts(narrowTable, 'SELECT a, count(*) FROM o GROUP BY a')[0].accesses;
    assert.equal(narrow.best, undefined);
  });

  it('is a use when the query needs it, not when another index read whole does nearly as well (count(*))', () => {
    const schema = wide();
    const [byA] = verdicts(schema, 'SELECT a, count(*) FROM o GROUP BY a')[0].accesses;
    // Only o_a holds "a": without it the table is read, ~5× the cost (PostgreSQL 15 on such a table: 23k against 115k).
    assert.deepEqual(byA.candidates.filter((c) => servesAccess(byA, c)).map((c) => c.index.name), ['o_a']);
    const [count] = verdicts(schema, 'SELECT count(*) FROM o')[0].accesses;
    assert.equal(count.best?.wholeIndex, true);
    assert.ok(count.candidates.filter((c) => c.usable).length > 1, 'more than one index could be read whole');
    // Any index of the table can be read for count(*): none is needed by it (o_state, deduplicated, is the narrowest).
    assert.equal(count.best?.index.name, 'o_state');
    assert.deepEqual(count.candidates.filter((c) => servesAccess(count, c)).map((c) => c.index.name), []);
    assert.equal(keepingCost(count), Math.max(...count.candidates.filter((c) => c.usable).map((c) => c.cost)));
  });

  it('keeps an index off unused-by-workload only when the query needs it', () => {
    const schema = wide();
    const unused = (sql: string) => unusedByWorkload.run({ schema, verdicts: verdicts(schema, sql), options: opts });
    assert.ok(!unused('SELECT a, count(*) FROM o GROUP BY a').some((f) => f.index === 'o_a'));
    assert.ok(unused('SELECT count(*) FROM o').some((f) => f.index === 'o_a'));
    // The index count(*) reads whole (o_state, the narrowest) is not "unused": idx_scan counts those reads.
    const state = unused('SELECT count(*) FROM o').find((f) => f.index === 'o_state');
    assert.match(state?.message ?? '', /read it whole in place of the table/);
    assert.doesNotMatch(state?.message ?? '', /idx_scan = 0/);
  });

  it('is a query a low-cardinality index is kept for when the table would be read instead', () => {
    const schema = wide();
    const sql = 'SELECT state, count(*) FROM o GROUP BY state';
    const vs = verdicts(schema, sql);
    assert.equal(vs[0].accesses[0].best?.index.name, 'o_state');
    const f = lowSelectivityIndex.run({ schema, verdicts: vs, options: opts }).find((x) => x.index === 'o_state');
    assert.equal(f?.severity, 'info');
    assert.equal(f?.fix, undefined);
    assert.match(f?.message ?? '', /reads it whole in place of the table/);
    // What dropping it costs that query, as the migration weighs it: the table read instead.
    const access = vs[0].accesses[0].access;
    const without = withIndexes(schema, 'o', schema.tables.get('o')!.indexes.filter((i) => i.name !== 'o_state'));
    assert.equal(accessCost(access, without, opts), vs[0].accesses[0].seqScanCost);
    assert.ok(accessCost(access, schema, opts) * 4 < vs[0].accesses[0].seqScanCost);
  });

  it('leaves the indexes of a BitmapOr in use, and picks for each branch an index that searches it', () => {
    const schema = schemaFrom(`CREATE TABLE o (id int PRIMARY KEY, a int NOT NULL, b int NOT NULL, body text NOT NULL);
      CREATE INDEX o_ab ON o (a, b); CREATE INDEX o_b ON o (b);`);
    schema.tables.get('o')!.pageEstimate = 100_000;
    const vs = verdicts(schema, 'SELECT * FROM o WHERE a = 1 OR b = 2');
    const or = vs[0].accesses[0];
    // o_ab leads with "a"; "b = 2" is searched through o_b, not by reading all of o_ab, whose second key it is.
    assert.match(or.reason, /BitmapOr of "o_ab" for "a" and "o_b" for "b"/);
    const unused = unusedByWorkload.run({ schema, verdicts: vs, options: opts }).map((f) => f.index);
    assert.deepEqual(unused, []);
    for (const c of or.candidates) if (c.usable) assert.equal(c.wholeIndex, undefined, c.index.name);
    // Reading only "a" and "b", o_ab could also be read whole; on 20,000 pages the BitmapOr costs less and replaces that.
    schema.tables.get('o')!.pageEstimate = 20_000;
    const [ab] = verdicts(schema, 'SELECT a, b FROM o WHERE a = 1 OR b = 2')[0].accesses;
    assert.match(ab.reason, /BitmapOr/);
    assert.equal(ab.candidates.find((c) => c.index.name === 'o_ab')?.wholeIndex, undefined);
    assert.ok(ab.candidates.filter((c) => c.usable).every((c) => servesAccess(ab, c)));
  });
});
