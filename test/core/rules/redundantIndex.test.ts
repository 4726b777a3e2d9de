import assert from 'node:assert/strict';
import { initSqlParser } from '../../../src/core/sql/parser';
import { redundantIndex } from '../../../src/core/rules/redundantIndex';
import { lowSelectivityIndex } from '../../../src/core/rules/lowSelectivityIndex';
import { unusedByWorkload } from '../../../src/core/rules/unusedByWorkload';
import { DEFAULT_MATCHER_OPTIONS } from '../../../src/core/matcher/options';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { LineIndex } from '../../../src/core/model/location';
import { schemaFrom } from '../matcher/harness';

function run(rule: typeof redundantIndex, ddl: string, workload = '') {
  const schema = schemaFrom(ddl);
  const { shapes } = shapesFromSqlText(workload, { file: 'w.sql', origin: 'sql-file', lines: new LineIndex(workload), schema });
  return rule.run({ schema, verdicts: verdictsFor(shapes, schema, DEFAULT_MATCHER_OPTIONS), options: DEFAULT_MATCHER_OPTIONS });
}
const names = (fs: { index?: string }[]) => fs.map((f) => f.index).sort();

describe('redundant-index rule', () => {
  before(() => initSqlParser());
  const base = `CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int, d int);`;

  it('reports an exact duplicate of a unique index, never the unique one', () => {
    const fs = run(redundantIndex, base + 'CREATE UNIQUE INDEX t_a_key ON t (a); CREATE INDEX t_a_idx ON t (a);');
    assert.deepEqual(names(fs), ['t_a_idx']);
    assert.match(fs[0].message, /duplicates UNIQUE "t_a_key"/);
    assert.equal(fs[0].fix?.sql, 'DROP INDEX CONCURRENTLY IF EXISTS "t_a_idx";');
    assert.equal(fs[0].related[0].message, 'Covering index "t_a_key"');
  });
  it('reports a leading prefix of a composite index', () => {
    assert.deepEqual(names(run(redundantIndex, base + 'CREATE INDEX t_a ON t (a); CREATE INDEX t_a_b ON t (a, b);')), ['t_a']);
  });
  it('does not report a non-leading subset or a different order', () => {
    assert.deepEqual(run(redundantIndex, base + 'CREATE INDEX t_b ON t (b); CREATE INDEX t_a_b ON t (a, b);'), []);
    assert.deepEqual(run(redundantIndex, base + 'CREATE INDEX t_b_a ON t (b, a); CREATE INDEX t_a_b ON t (a, b);'), []);
  });
  it('does not report indexes with different predicates, methods or extra INCLUDE columns', () => {
    assert.deepEqual(run(redundantIndex, base + 'CREATE INDEX t_a_p ON t (a) WHERE b > 0; CREATE INDEX t_a_b ON t (a, b);'), []);
    assert.deepEqual(run(redundantIndex, base + 'CREATE INDEX t_a_h ON t USING hash (a); CREATE INDEX t_a_b ON t (a, b);'), []);
    assert.deepEqual(run(redundantIndex, base + 'CREATE INDEX t_a_i ON t (a) INCLUDE (d); CREATE INDEX t_a_b ON t (a, b);'), []);
  });
  it('treats a multi-column prefix in reversed directions as redundant, mixed as not', () => {
    assert.deepEqual(names(run(redundantIndex, base + 'CREATE INDEX t_ab ON t (a DESC, b DESC); CREATE INDEX t_abc ON t (a, b, c);')), ['t_ab']);
    assert.deepEqual(run(redundantIndex, base + 'CREATE INDEX t_ab ON t (a DESC, b); CREATE INDEX t_abc ON t (a, b, c);'), []);
  });
  it('tells NULLS ordering and collation apart, also on one column: each serves orders or LIKE prefixes the other cannot', () => {
    // (a) reads ASC NULLS LAST or, backwards, DESC NULLS FIRST — the orders of (a DESC), not of (a NULLS FIRST).
    assert.deepEqual(names(run(redundantIndex, base + 'CREATE INDEX t_a ON t (a); CREATE INDEX t_a_desc ON t (a DESC);')), ['t_a_desc']);
    assert.deepEqual(run(redundantIndex, base + 'CREATE INDEX t_a ON t (a); CREATE INDEX t_a_nf ON t (a NULLS FIRST);'), []);
    assert.deepEqual(run(redundantIndex, base + 'CREATE INDEX t_a ON t (a DESC NULLS LAST); CREATE INDEX t_a_b ON t (a DESC, b);'), []);
    const text = `CREATE TABLE u (id int PRIMARY KEY, c text);`;
    assert.deepEqual(run(redundantIndex, text + 'CREATE INDEX u_c ON u (c); CREATE INDEX u_c_c ON u (c COLLATE "C");'), []);
    // On a column declared COLLATE "C" the two are the same index.
    const cColumn = `CREATE TABLE u (id int PRIMARY KEY, c text COLLATE "C");`;
    assert.deepEqual(names(run(redundantIndex, cColumn + 'CREATE INDEX u_c ON u (c); CREATE INDEX u_c_c ON u (c COLLATE "C");')), ['u_c_c']);
    const fs = run(redundantIndex, text + 'CREATE INDEX u_c_c ON u (c COLLATE "C" DESC NULLS LAST); CREATE INDEX u_c_c2 ON u (c COLLATE "C" DESC NULLS LAST);');
    assert.deepEqual(names(fs), ['u_c_c2']);
    assert.match(fs[0].message, /duplicates index "u_c_c" \(c COLLATE "C" DESC NULLS LAST\)/);
  });
  it('keeps the first of two identical plain indexes', () => {
    assert.deepEqual(names(run(redundantIndex, base + 'CREATE INDEX t_a_1 ON t (a); CREATE INDEX t_a_2 ON t (a);')), ['t_a_2']);
  });
  it('never reports a unique index as a prefix of a wider one', () => {
    assert.deepEqual(run(redundantIndex, base + 'CREATE UNIQUE INDEX t_a_key ON t (a); CREATE INDEX t_a_b ON t (a, b);'), []);
  });
});

describe('low-selectivity-index rule', () => {
  before(() => initSqlParser());
  const ddl = `CREATE TYPE "Kind" AS ENUM ('A', 'B', 'C'); CREATE TABLE t (id int PRIMARY KEY, done boolean, kind "Kind", n int, "userId" int);`;
  it('reports single-column indexes on booleans and small enums', () => {
    const fs = run(lowSelectivityIndex, ddl + 'CREATE INDEX t_done ON t (done); CREATE INDEX t_kind ON t (kind); CREATE INDEX t_n ON t (n);');
    assert.deepEqual(names(fs), ['t_done', 't_kind']);
  });
  it('does not report partial or composite ones', () => {
    assert.deepEqual(run(lowSelectivityIndex, ddl + 'CREATE INDEX t_done_p ON t (done) WHERE done = false; CREATE INDEX t_kind_user ON t (kind, "userId");'), []);
  });
  it('offers no DROP for an index a query chooses and would lose by, and names that query', () => {
    const workload = "SELECT id FROM t WHERE n = 1;\nSELECT kind FROM t WHERE kind = 'A';";
    const fs = run(lowSelectivityIndex, ddl + 'CREATE INDEX t_done ON t (done); CREATE INDEX t_kind ON t (kind);', workload);
    const kind = fs.find((f) => f.index === 't_kind')!;
    assert.equal(kind.severity, 'info');
    assert.equal(kind.fix, undefined);
    assert.match(kind.message, /one query of the workspace uses it/);
    assert.deepEqual(kind.related.map((r) => [r.file, r.range.start.line]), [['w.sql', 1]]);
    // No query chooses t_done: it keeps its DROP.
    const done = fs.find((f) => f.index === 't_done')!;
    assert.equal(done.severity, 'warning');
    assert.equal(done.fix?.sql, 'DROP INDEX CONCURRENTLY IF EXISTS "t_done";');
  });
  it('keeps the DROP when the queries that can use the index get a path at least as good without it', () => {
    const fs = run(lowSelectivityIndex, ddl + 'CREATE INDEX t_kind ON t (kind);', 'SELECT * FROM t WHERE kind = $1 ORDER BY id LIMIT 10;');
    assert.equal(fs.length, 1);
    assert.equal(fs[0].severity, 'warning');
    assert.match(fs[0].fix?.sql ?? '', /^DROP INDEX/);
  });
});

describe('unused-by-workload rule', () => {
  before(() => initSqlParser());
  const ddl = `CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (id int PRIMARY KEY, a int, b int, p_id int REFERENCES p(id));
    CREATE INDEX t_a ON t (a); CREATE INDEX t_b ON t (b); CREATE INDEX t_p ON t (p_id); CREATE UNIQUE INDEX t_a_b_key ON t (a, b);`;
  it('reports plain indexes no query can use, but not unique or foreign-key ones', () => {
    const fs = run(unusedByWorkload, ddl, 'SELECT * FROM t WHERE a = $1;');
    assert.deepEqual(names(fs), ['t_b']);
  });
  it('reports nothing when the workspace has no queries', () => {
    assert.deepEqual(run(unusedByWorkload, ddl, ''), []);
  });
});
