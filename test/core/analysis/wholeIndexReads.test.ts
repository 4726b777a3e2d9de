/**
 * An index read whole in place of a wide table (an Index Only Scan with no condition: `SELECT count(*)`, a
 * GROUP BY of an indexed column). PostgreSQL takes it when the index is much narrower than the rows; it is
 * the query's plan, but no reason to keep an index: any index holding the columns, or the table, serves it.
 */
import assert from 'node:assert/strict';
import { LineIndex } from '../../../src/core/model/location';
import type { SchemaModel } from '../../../src/core/model/schema';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { servesAccess } from '../../../src/core/analysis/indexUses';
import { accessCost } from '../../../src/core/analysis/dropEffect';
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
    // ~60 rows a page (no relpages): 1M rows in ~16,700 pages cost less to read than the index's ~2,700 at random_page_cost.
    const [narrow] = verdicts(schemaFrom(DDL), 'SELECT a, count(*) FROM o GROUP BY a')[0].accesses;
    assert.equal(narrow.best, undefined);
  });

  it('lists only the index chosen under a count(*), though every index holds its (no) columns', () => {
    const [v] = verdicts(wide(), 'SELECT count(*) FROM o')[0].accesses;
    const serving = v.candidates.filter((c) => servesAccess(v, c)).map((c) => c.index.name);
    assert.equal(serving.length, 1);
    assert.equal(serving[0], v.best?.index.name);
    assert.ok(v.candidates.filter((c) => c.usable).length > 1, 'more than one index could be read whole');
  });

  it('does not keep an index off unused-by-workload', () => {
    const schema = wide();
    const unused = (sql: string) => unusedByWorkload.run({ schema, verdicts: verdicts(schema, sql), options: opts }).map((f) => f.index);
    assert.ok(unused('SELECT a, count(*) FROM o GROUP BY a').includes('o_a'));
    // Control: a query that filters through it.
    assert.ok(!unused('SELECT * FROM o WHERE a = $1').includes('o_a'));
  });

  it('is no query a low-cardinality index must be kept for: the finding still proposes the DROP', () => {
    const schema = wide();
    const sql = 'SELECT state, count(*) FROM o GROUP BY state';
    const vs = verdicts(schema, sql);
    assert.equal(vs[0].accesses[0].best?.index.name, 'o_state');
    const f = lowSelectivityIndex.run({ schema, verdicts: vs, options: opts }).find((x) => x.index === 'o_state');
    assert.equal(f?.severity, 'warning');
    assert.match(f?.fix?.sql ?? '', /^DROP INDEX CONCURRENTLY/);
    // What dropping it costs that query, as the migration weighs it: the table read either way.
    const access = vs[0].accesses[0].access;
    assert.equal(accessCost(access, schema, opts), vs[0].accesses[0].seqScanCost);
  });
});
