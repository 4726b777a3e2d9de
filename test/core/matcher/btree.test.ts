import assert from 'node:assert/strict';
import { initSqlParser } from '../../../src/core/sql/parser';
import { candidate, missingFindings, options, schemaFrom, verdict } from './harness';

const DDL = `
CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int, d text, flag boolean NOT NULL, deleted_at timestamp, payload text);
CREATE INDEX t_a_b_c_idx ON t (a, b, c);
CREATE INDEX t_d_idx ON t (d);
CREATE INDEX t_b_desc_c_idx ON t (b DESC, c ASC);
CREATE INDEX t_c_nf_idx ON t (c NULLS FIRST);
CREATE INDEX t_a_inc_idx ON t (a) INCLUDE (d);
`;
const opts = options({ t: 1_000_000 });

describe('B-tree matcher', () => {
  before(() => initSqlParser());
  const schema = () => schemaFrom(DDL);

  describe('leading equality columns', () => {
    it('uses an index whose leading column is compared with =', () => {
      const c = candidate(verdict(schema(), 'SELECT * FROM t WHERE a = $1', opts), 't_a_b_c_idx');
      assert.equal(c.usable, true);
      assert.deepEqual(c.equalityColumns, ['a']);
    });
    it('cannot use it when only a later column is constrained', () => {
      const c = candidate(verdict(schema(), 'SELECT * FROM t WHERE c = $1', opts), 't_a_b_c_idx');
      assert.equal(c.usable, false);
      assert.deepEqual(c.equalityColumns, []);
    });
    it('treats IN and IS NULL as equality and stops at the first gap', () => {
      const c = candidate(verdict(schema(), 'SELECT * FROM t WHERE a IN (1, 2) AND b IS NULL AND d = $1', opts), 't_a_b_c_idx');
      assert.deepEqual(c.equalityColumns, ['a', 'b']);
      const gap = candidate(verdict(schema(), 'SELECT * FROM t WHERE a = 1 AND c = 2', opts), 't_a_b_c_idx');
      assert.deepEqual(gap.equalityColumns, ['a']);
      assert.equal(gap.rangeColumn, undefined);
    });
    it('does not match a column hidden behind a cast', () => {
      const c = candidate(verdict(schema(), 'SELECT * FROM t WHERE a::text = $1', opts), 't_a_b_c_idx');
      assert.equal(c.usable, false);
    });
  });

  describe('one range column after the equalities', () => {
    it('uses the range column that follows the equality prefix', () => {
      const c = candidate(verdict(schema(), 'SELECT * FROM t WHERE a = 1 AND b > 5 AND c = 3', opts), 't_a_b_c_idx');
      assert.deepEqual(c.equalityColumns, ['a']);
      assert.equal(c.rangeColumn, 'b');
      assert.equal(c.conditions.length, 2, 'c = 3 is a filter, not an index condition, after a range');
    });
    it('stops after a leading range: later equalities are filters', () => {
      const c = candidate(verdict(schema(), 'SELECT * FROM t WHERE a > 1 AND b = 2', opts), 't_a_b_c_idx');
      assert.deepEqual(c.equalityColumns, []);
      assert.equal(c.rangeColumn, 'a');
    });
    it('counts BETWEEN as a range', () => {
      const c = candidate(verdict(schema(), 'SELECT * FROM t WHERE a = 1 AND b BETWEEN 1 AND 9', opts), 't_a_b_c_idx');
      assert.equal(c.rangeColumn, 'b');
    });
  });

  describe('ORDER BY', () => {
    it('is delivered by the keys after the equality columns', () => {
      const v = verdict(schema(), 'SELECT * FROM t WHERE a = $1 ORDER BY b, c LIMIT 10', opts);
      assert.equal(candidate(v, 't_a_b_c_idx').sortAvoided, true);
      assert.equal(v.sortAvoided, true);
    });
    it('is delivered backwards when every direction is reversed', () => {
      const c = candidate(verdict(schema(), 'SELECT * FROM t WHERE a = $1 ORDER BY b DESC, c DESC LIMIT 10', opts), 't_a_b_c_idx');
      assert.equal(c.sortAvoided, true);
      assert.equal(c.backward, true);
    });
    it('is not delivered when directions are mixed against the index', () => {
      const c = candidate(verdict(schema(), 'SELECT * FROM t WHERE a = $1 ORDER BY b DESC, c ASC LIMIT 10', opts), 't_a_b_c_idx');
      assert.equal(c.sortAvoided, false);
    });
    it('matches mixed directions declared in the index, forward and backward', () => {
      const fwd = candidate(verdict(schema(), 'SELECT * FROM t ORDER BY b DESC, c ASC LIMIT 10', opts), 't_b_desc_c_idx');
      assert.equal(fwd.sortAvoided, true);
      assert.equal(fwd.backward, false);
      const back = candidate(verdict(schema(), 'SELECT * FROM t ORDER BY b ASC, c DESC LIMIT 10', opts), 't_b_desc_c_idx');
      assert.equal(back.sortAvoided, true);
      assert.equal(back.backward, true);
    });
    it('is not delivered after a range column', () => {
      const c = candidate(verdict(schema(), 'SELECT * FROM t WHERE a > $1 ORDER BY b LIMIT 10', opts), 't_a_b_c_idx');
      assert.equal(c.sortAvoided, false);
    });
    it('skips the ORDER BY columns pinned by equality', () => {
      const c = candidate(verdict(schema(), 'SELECT * FROM t WHERE a = $1 AND b = $2 ORDER BY a, b, c LIMIT 5', opts), 't_a_b_c_idx');
      assert.equal(c.sortAvoided, true);
    });
    it('respects NULLS FIRST / LAST: a backward scan flips both', () => {
      // t_d_idx is (d ASC NULLS LAST): backward gives DESC NULLS FIRST.
      assert.equal(candidate(verdict(schema(), 'SELECT * FROM t ORDER BY d DESC LIMIT 5', opts), 't_d_idx').sortAvoided, true);
      assert.equal(candidate(verdict(schema(), 'SELECT * FROM t ORDER BY d DESC NULLS LAST LIMIT 5', opts), 't_d_idx').sortAvoided, false);
      assert.equal(candidate(verdict(schema(), 'SELECT * FROM t ORDER BY d NULLS FIRST LIMIT 5', opts), 't_d_idx').sortAvoided, false);
      assert.equal(candidate(verdict(schema(), 'SELECT * FROM t ORDER BY c NULLS FIRST LIMIT 5', opts), 't_c_nf_idx').sortAvoided, true);
    });
    it('is not claimed for an ORDER BY on the joined table of a join', () => {
      const s = schemaFrom(DDL + 'CREATE TABLE u (id int PRIMARY KEY, t_id int, x int); CREATE INDEX u_t_x ON u (t_id, x);');
      const v = verdict(s, 'SELECT * FROM t JOIN u ON u.t_id = t.id WHERE t.a = $1 ORDER BY u.x', options({ t: 1e6, u: 1e6 }), 'u');
      assert.equal(v.needsSort, false);
      assert.match(v.access.orderByUnsatisfiable ?? '', /join/);
    });
  });

  describe('partial indexes', () => {
    const partial = DDL + `CREATE INDEX t_live_a ON t (a) WHERE deleted_at IS NULL; CREATE INDEX t_flag_b ON t (b) WHERE flag; CREATE INDEX t_small_c ON t (c) WHERE a < 100;`;
    it('is usable only when the WHERE clause implies the predicate', () => {
      const s = schemaFrom(partial);
      assert.equal(candidate(verdict(s, 'SELECT * FROM t WHERE a = 1', opts), 't_live_a').usable, false);
      assert.equal(candidate(verdict(s, 'SELECT * FROM t WHERE a = 1 AND deleted_at IS NULL', opts), 't_live_a').usable, true);
    });
    it('proves boolean predicates written as flag and flag = true, not as flag IS TRUE (PostgreSQL 15 and 18 alike)', () => {
      const s = schemaFrom(partial);
      for (const w of ['flag', 'flag = true']) {
        assert.equal(candidate(verdict(s, `SELECT * FROM t WHERE b = 1 AND ${w}`, opts), 't_flag_b').usable, true, w);
      }
      // predtest.c proves a BooleanTest only from an equal one.
      assert.equal(candidate(verdict(s, 'SELECT * FROM t WHERE b = 1 AND flag IS TRUE', opts), 't_flag_b').usable, false);
      assert.equal(candidate(verdict(s, 'SELECT * FROM t WHERE b = 1 AND NOT flag', opts), 't_flag_b').usable, false);
      const tests = schemaFrom(DDL + `CREATE INDEX t_not_flag ON t (b) WHERE NOT flag; CREATE INDEX t_flag_false ON t (c) WHERE flag IS FALSE;`);
      assert.equal(candidate(verdict(tests, 'SELECT * FROM t WHERE b = 1 AND flag IS FALSE', opts), 't_not_flag').usable, false);
      assert.equal(candidate(verdict(tests, 'SELECT * FROM t WHERE b = 1 AND flag = false', opts), 't_not_flag').usable, true);
      assert.equal(candidate(verdict(tests, 'SELECT * FROM t WHERE c = 1 AND flag IS FALSE', opts), 't_flag_false').usable, true);
      assert.equal(candidate(verdict(tests, 'SELECT * FROM t WHERE c = 1 AND NOT flag', opts), 't_flag_false').usable, false);
    });
    it('proves a narrower range but not a wider one', () => {
      const s = schemaFrom(partial);
      assert.equal(candidate(verdict(s, 'SELECT * FROM t WHERE c = 1 AND a < 50', opts), 't_small_c').usable, true);
      assert.equal(candidate(verdict(s, 'SELECT * FROM t WHERE c = 1 AND a < 200', opts), 't_small_c').usable, false);
      assert.equal(candidate(verdict(s, 'SELECT * FROM t WHERE c = 1 AND a = $1', opts), 't_small_c').usable, false, 'a parameter proves nothing');
    });
  });

  describe('index-only scans and INCLUDE', () => {
    it('is index-only when every column read is a key or INCLUDE column', () => {
      const v = verdict(schema(), 'SELECT a, d FROM t WHERE a = $1', opts);
      assert.equal(candidate(v, 't_a_inc_idx').indexOnly, true);
      assert.equal(candidate(v, 't_a_b_c_idx').indexOnly, false);
    });
    it('is not index-only for SELECT *', () => {
      assert.equal(candidate(verdict(schema(), 'SELECT * FROM t WHERE a = $1', opts), 't_a_inc_idx').indexOnly, false);
    });
  });

  describe('unique indexes and joins', () => {
    it('looks up the inner side of a join through its join key', () => {
      const s = schemaFrom(DDL + 'CREATE TABLE u (id int PRIMARY KEY, t_id int REFERENCES t(id)); CREATE INDEX u_t_id_idx ON u (t_id);');
      const v = verdict(s, 'SELECT * FROM t JOIN u ON u.t_id = t.id WHERE t.a = $1', options({ t: 1e6, u: 1e6 }), 'u');
      assert.equal(v.best?.index.name, 'u_t_id_idx');
    });
    it('does not use the join key of the driving table', () => {
      const s = schemaFrom(DDL + 'CREATE TABLE u (id int PRIMARY KEY, t_id int);');
      const v = verdict(s, 'SELECT * FROM t JOIN u ON u.t_id = t.id WHERE t.a = $1', options({ t: 1e6, u: 1e6 }), 't');
      assert.equal(candidate(v, 't_pkey').usable, false);
    });
    it('uses the primary key for an equality on it', () => {
      assert.equal(verdict(schema(), 'UPDATE t SET b = 1 WHERE id = $1', opts).best?.index.name, 't_pkey');
    });
  });

  describe('text search', () => {
    const text = DDL + `CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX t_payload_trgm ON t USING gin (payload gin_trgm_ops); CREATE INDEX t_d_pattern ON t (d text_pattern_ops);`;
    it('uses a trigram GIN index for ILIKE with a leading wildcard, never a plain B-tree', () => {
      const v = verdict(schemaFrom(text), `SELECT * FROM t WHERE payload ILIKE '%abc%'`, opts);
      assert.equal(v.best?.index.name, 't_payload_trgm');
      const d = verdict(schemaFrom(text), `SELECT * FROM t WHERE d ILIKE '%abc%'`, opts);
      assert.equal(candidate(d, 't_d_idx').usable, false);
    });
    it('uses a B-tree with text_pattern_ops for a LIKE prefix, and not one with the default opclass', () => {
      const v = verdict(schemaFrom(text), `SELECT * FROM t WHERE d LIKE 'abc%'`, opts);
      assert.equal(candidate(v, 't_d_pattern').usable, true);
      assert.equal(candidate(v, 't_d_idx').usable, false);
    });
    it('takes a LIKE prefix as a range on a column declared COLLATE "C", as its plain index is built with it', () => {
      const s = schemaFrom(`CREATE TABLE cc (id int PRIMARY KEY, code text COLLATE "C" NOT NULL, name text); CREATE INDEX cc_code ON cc (code); CREATE INDEX cc_name ON cc (name);`);
      const v = verdict(s, `SELECT * FROM cc WHERE code LIKE 'ab%'`, options({ cc: 1_000_000 }));
      assert.equal(v.best?.index.name, 'cc_code');
      assert.equal(candidate(verdict(s, `SELECT * FROM cc WHERE name LIKE 'ab%'`, options({ cc: 1_000_000 })), 'cc_name').usable, false);
      // ALTER … TYPE without COLLATE rebuilds the index with the default collation.
      const altered = schemaFrom(`CREATE TABLE cc (id int PRIMARY KEY, code text COLLATE "C" NOT NULL); CREATE INDEX cc_code ON cc (code); ALTER TABLE cc ALTER COLUMN code TYPE text;`);
      assert.equal(candidate(verdict(altered, `SELECT * FROM cc WHERE code LIKE 'ab%'`, options({ cc: 1_000_000 })), 'cc_code').usable, false);
      // Without an index, the proposal for a C column needs no text_pattern_ops.
      const bare = schemaFrom(`CREATE TABLE cc (id int PRIMARY KEY, code text COLLATE "C" NOT NULL, name text);`);
      const [fix] = missingFindings(bare, `SELECT * FROM cc WHERE code LIKE 'ab%'`, options({ cc: 1_000_000 }));
      assert.match(fix?.fix?.sql ?? '', /ON "cc" \("code"\);/);
      const [other] = missingFindings(bare, `SELECT * FROM cc WHERE name LIKE 'ab%'`, options({ cc: 1_000_000 }));
      assert.match(other?.fix?.sql ?? '', /\("name" text_pattern_ops\)/);
    });
    it('uses a GIN index on a tsvector column for @@', () => {
      const s = schemaFrom(`CREATE TABLE doc (id int PRIMARY KEY, body text, sv tsvector); CREATE INDEX doc_sv ON doc USING gin (sv);`);
      const v = verdict(s, `SELECT * FROM doc WHERE sv @@ to_tsquery('english', 'ai & ml')`, options({ doc: 1e6 }));
      assert.equal(v.best?.index.name, 'doc_sv');
      const none = verdict(s, `SELECT * FROM doc WHERE to_tsvector('english', body) @@ to_tsquery('x')`, options({ doc: 1e6 }));
      assert.equal(none.best, undefined);
    });
  });

  describe('row comparisons (keyset pagination)', () => {
    it('serve (b, c) through its first column and keep its order: (b, c) < ($1, $2) ORDER BY b DESC, c DESC LIMIT', () => {
      const s = schemaFrom(`CREATE TABLE k (id int PRIMARY KEY, b timestamptz NOT NULL, c int NOT NULL, d text); CREATE INDEX k_b_c ON k (b, c);`);
      const v = verdict(s, 'SELECT * FROM k WHERE (b, c) < ($1, $2) ORDER BY b DESC, c DESC LIMIT 20', options({ k: 1_000_000 }));
      assert.deepEqual(v.access.predicates.map((p) => p.atom), [{ kind: 'compare', column: 'b', op: '<=', value: { kind: 'param' }, rowBound: true }]);
      // The bound is no partial-index predicate: PostgreSQL proves nothing from a row comparison.
      const bare = schemaFrom(`CREATE TABLE k (id int PRIMARY KEY, b int NOT NULL, c int NOT NULL);`);
      const [fix] = missingFindings(bare, 'SELECT * FROM k WHERE (b, c) < (5, 10) ORDER BY b DESC, c DESC LIMIT 20', options({ k: 1_000_000 }));
      assert.ok(fix?.fix?.sql, 'an index is proposed');
      assert.doesNotMatch(fix!.fix!.sql, /WHERE/);
      assert.equal(v.best?.index.name, 'k_b_c');
      assert.equal(v.sortAvoided, true);
      const eq = verdict(s, 'SELECT * FROM k WHERE (b, c) = ($1, 2)', options({ k: 1_000_000 }));
      assert.deepEqual(eq.best?.equalityColumns, ['b', 'c']);
    });
  });

  describe('OR of tests on different columns', () => {
    const ors = `CREATE TABLE o (id int PRIMARY KEY, a int NOT NULL, b int NOT NULL, c int NOT NULL); CREATE INDEX o_a ON o (a); CREATE INDEX o_b ON o (b);`;
    const many = options({ o: 1_000_000 });
    it('uses a BitmapOr when every branch has an index, and counts both indexes as used', () => {
      const v = verdict(schemaFrom(ors), 'SELECT * FROM o WHERE a = 1 OR b = 2', many);
      assert.ok(v.best, v.reason);
      assert.match(v.best!.reason, /BitmapOr of "o_a" for "a" and "o_b" for "b"/);
      assert.equal(candidate(v, 'o_a').usable, true);
      assert.equal(candidate(v, 'o_b').usable, true);
      // Two equalities of 0.5% each: about 1% of the rows.
      assert.ok(v.matchedRows > 9_000 && v.matchedRows < 11_000, String(v.matchedRows));
    });
    it('reads the table when a branch has no index, and says which', () => {
      const v = verdict(schemaFrom(ors), 'SELECT * FROM o WHERE a = 1 OR c = 2', many);
      assert.equal(v.best, undefined);
      assert.equal(candidate(v, 'o_a').usable, false);
      assert.match(v.reason, /the OR on "a", "c" \(a BitmapOr needs an index for each branch\)/);
      assert.match(candidate(v, 'o_a').reason, /serves the OR's branch on "a", but no index serves its branch on "c"/);
    });
    it('keeps a = 1 OR a = 2 an IN list on one index', () => {
      const v = verdict(schemaFrom(ors), 'SELECT * FROM o WHERE a = 1 OR a = 2', many);
      assert.equal(v.access.predicates[0].atom.kind, 'in');
      assert.equal(v.best?.index.name, 'o_a');
    });
  });

  describe('selectivity', () => {
    it('prefers a sequential scan when the only index condition keeps half the table', () => {
      const s = schemaFrom(DDL + 'CREATE INDEX t_flag_idx ON t (flag);');
      const v = verdict(s, 'SELECT * FROM t WHERE flag = true', opts);
      assert.equal(candidate(v, 't_flag_idx').usable, true);
      assert.equal(v.best, undefined);
    });
    it('says when the index passed over serves only part of a selective filter', () => {
      const s = schemaFrom(DDL + 'CREATE INDEX t_flag_idx ON t (flag);');
      const half = verdict(s, 'SELECT * FROM t WHERE flag = true', opts);
      assert.match(half.reason, /the filters keep ~50% of .* rows, so reading the table is cheaper than "t_flag_idx"/);
      // On a small table (a few pages) the bitmap scan of half of it costs more than reading it all.
      const part = verdict(s, `SELECT * FROM t WHERE flag = true AND payload = 'x'`, options({ t: 10_000 }));
      assert.equal(part.best, undefined);
      assert.match(part.reason, /the filters keep ~[\d.]+% .* but "t_flag_idx" serves only part of them and would read ~50%/);
    });
  });
});
