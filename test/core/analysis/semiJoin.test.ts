/**
 * IN (SELECT …) and correlated EXISTS as the semi-join PostgreSQL plans them: when the outer table has no
 * filter of its own, the sub-select's table may drive and the outer table is looked up by the IN column
 * (or the EXISTS correlation); when both are filtered, the cheaper start drives, as for an inner join of
 * two tables. And equivalence classes: `a.x = b.x AND b.x = $1` gives `a.x = $1`.
 */
import assert from 'node:assert/strict';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { LineIndex } from '../../../src/core/model/location';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { initSqlParser } from '../../../src/core/sql/parser';
import { missingFindings, options, schemaFrom } from '../matcher/harness';

const DDL = `
CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, org int NOT NULL);
CREATE INDEX users_name_idx ON users (name);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), status text NOT NULL, created_at timestamptz NOT NULL);
CREATE INDEX orders_user_id_idx ON orders (user_id);
`;
const opts = options({ users: 100_000, orders: 10_000_000 });

function accesses(sql: string, ddl = DDL, rows = opts) {
  const schema = schemaFrom(ddl);
  const { shapes } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
  return verdictsFor(shapes, schema, rows)[0].accesses;
}

describe('semi-joins (IN (SELECT …))', () => {
  before(() => initSqlParser());

  it('drives from the sub-select when the outer table has no filter of its own, and proposes nothing', () => {
    const sql = 'SELECT * FROM orders WHERE user_id IN (SELECT id FROM users WHERE name = $1) ORDER BY created_at DESC LIMIT 10';
    const [orders, users] = ['orders', 'users'].map((t) => accesses(sql).find((a) => a.access.table === t)!);
    assert.equal(users.best?.index.name, 'users_name_idx');
    assert.equal(orders.access.joinedFrom, 'users');
    assert.equal(orders.best?.index.name, 'orders_user_id_idx');
    assert.deepEqual(missingFindings(schemaFrom(DDL), sql, opts), []);
  });

  it('drives from a sub-select with a LIMIT too (it stays a semi-join, only not flattened)', () => {
    const sql = 'SELECT * FROM orders WHERE id IN (SELECT id FROM orders WHERE user_id = $1 ORDER BY id LIMIT 10)';
    // A table semi-joined to itself: the queue pattern, with the lock and the UPDATE around it.
    const queue = 'UPDATE orders SET status = $2 WHERE id IN (SELECT id FROM orders WHERE user_id = $1 ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED)';
    const other = 'SELECT * FROM orders WHERE user_id IN (SELECT id FROM users WHERE name = $1 LIMIT 5)';
    for (const q of [sql, queue]) {
      const [outer, sub] = accesses(q);
      assert.equal(sub.access.joinedFrom, undefined, q);
      assert.equal(outer.access.joinedFrom, 'orders', q);
      assert.equal(outer.best?.index.name, 'orders_pkey', q);
    }
    // PostgreSQL 15 on 100k users and 2M orders: Nested Loop → HashAggregate → Limit → Index Scan on users_name_idx,
    // then orders through orders_user_id_idx (and the two others: orders_pkey looked up per id of the sub-select).
    const orders = accesses(other).find((a) => a.access.table === 'orders')!;
    assert.equal(orders.access.joinedFrom, 'users');
    assert.equal(orders.best?.index.name, 'orders_user_id_idx');
    assert.deepEqual(missingFindings(schemaFrom(DDL), other, opts), []);
  });

  it('keeps the outer table driving when its own filter is the cheaper start', () => {
    const orders = accesses(`SELECT * FROM orders WHERE id = $2 AND user_id IN (SELECT id FROM users WHERE name = $1)`).find((a) => a.access.table === 'orders')!;
    assert.equal(orders.access.joinedFrom, undefined);
    assert.equal(orders.best?.index.name, 'orders_pkey');
  });

  it('drives from the sub-select when both are filtered but starting there costs less (a filter no index serves on 10M rows)', () => {
    const found = accesses(`SELECT * FROM orders WHERE status = 'x' AND user_id IN (SELECT id FROM users WHERE name = $1)`);
    const [orders, users] = ['orders', 'users'].map((t) => found.find((a) => a.access.table === t)!);
    assert.equal(users.access.joinedFrom, undefined);
    assert.equal(users.best?.index.name, 'users_name_idx');
    assert.equal(orders.access.joinedFrom, 'users');
    assert.equal(orders.best?.index.name, 'orders_user_id_idx');
    assert.ok(orders.access.predicates.some((p) => p.atom.kind === 'compare' && p.atom.column === 'status'), 'its own filter stays, checked on the rows looked up');
  });

  it('orders an inner join of two filtered tables by cost, and keeps the FROM table driving for its ORDER BY … LIMIT', () => {
    const join = `SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 'x' AND u.name = $1`;
    const found = accesses(join);
    const [o, u] = ['o', 'u'].map((alias) => found.find((a) => a.access.alias === alias)!);
    assert.equal(u.access.joinedFrom, undefined);
    assert.equal(u.best?.index.name, 'users_name_idx');
    assert.equal(o.access.joinedFrom, 'users');
    assert.equal(o.best?.index.name, 'orders_user_id_idx');
    // A LIMIT without ORDER BY stops the join whichever side drives: the order stays the cheaper one.
    assert.equal(accesses(`${join} LIMIT 10`).find((a) => a.access.alias === 'o')!.access.joinedFrom, 'users');
    // ORDER BY … LIMIT on the FROM table: it keeps driving when an index gives that order (the scan stops at
    // the LIMIT) …
    const ordered = `${DDL}CREATE INDEX orders_status_created_idx ON orders (status, created_at);`;
    const paged = accesses(`${join} ORDER BY o.created_at DESC LIMIT 10`, ordered).find((a) => a.access.alias === 'o')!;
    assert.equal(paged.access.joinedFrom, undefined);
    assert.equal(paged.best?.index.name, 'orders_status_created_idx');
    assert.equal(paged.best?.sortAvoided, true);
    // … and not when none does: both orders sort above the join, and starting from the user costs less.
    const sorted = accesses(`${join} ORDER BY o.created_at DESC LIMIT 10`).find((a) => a.access.alias === 'o')!;
    assert.equal(sorted.access.joinedFrom, 'users');
    assert.equal(sorted.best?.index.name, 'orders_user_id_idx');
  });

  it('orders three tables by cost too: a joined table that starts from a unique key drives, the FROM table is looked up by its key to it alone', () => {
    const ddl = `${DDL}
ALTER TABLE users ADD COLUMN email text NOT NULL;
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE TABLE products (id bigint PRIMARY KEY, sku text NOT NULL);
CREATE UNIQUE INDEX products_sku_key ON products (sku);
ALTER TABLE orders ADD COLUMN product_id bigint NOT NULL;
CREATE INDEX orders_product_id_idx ON orders (product_id);
CREATE UNIQUE INDEX orders_user_product_key ON orders (user_id, product_id);`;
    const rows = options({ users: 100_000, orders: 10_000_000, products: 10_000 });
    const from = `SELECT o.id FROM orders o JOIN products p ON p.id = o.product_id JOIN users u ON u.id = o.user_id`;
    const found = (where: string) => {
      const list = accesses(`${from} ${where}`, ddl, rows);
      return ['o', 'p', 'u'].map((alias) => list.find((a) => a.access.alias === alias)!);
    };
    for (const where of [`WHERE o.status = 'x' AND u.email = $1`, `WHERE u.email = $1`, `WHERE o.status = 'x' AND u.email = $1 LIMIT 10`]) {
      const [o, p, u] = found(where);
      assert.equal(u.access.joinedFrom, undefined, where);
      assert.equal(u.best?.index.name, 'users_email_key', where);
      assert.equal(o.access.joinedFrom, 'users', where);
      // Looked up by user_id alone: its key to products joins afterwards, so the unique (user_id, product_id) does not apply.
      assert.deepEqual(o.best?.equalityColumns, ['user_id'], where);
      assert.ok(o.best!.rowsRead > 10, `${where}: ~${o.best!.rowsRead} orders of a user read, not one`);
      assert.equal(p.access.joinedFrom, 'orders', where);
    }
    // Two candidates: the user (~100 orders each) saves more than the product (~1,000 orders each).
    const [o2, p2, u2] = found(`WHERE o.status = 'x' AND u.email = $1 AND p.sku = $2`);
    assert.equal(u2.access.joinedFrom, undefined);
    assert.equal(o2.access.joinedFrom, 'users');
    assert.equal(p2.access.joinedFrom, 'orders');
    // The FROM table filtered by its primary key keeps driving; so it does when the joined filter keeps many rows.
    assert.equal(found(`WHERE o.id = $2 AND u.email = $1`)[0].access.joinedFrom, undefined);
    assert.equal(found(`WHERE o.status = 'x' AND u.org = 3`)[0].access.joinedFrom, undefined);
    // The third table sees the join's rows so far: every order of the users found, not one user's.
    const [, pAll, uAll] = found(`WHERE u.org = 3`);
    assert.equal(uAll.access.joinedFrom, undefined);
    assert.ok(pAll.outerRows! > 1_000, `products joined to ~${pAll.outerRows} orders`);
    assert.equal(pAll.hashJoin, true);
    // A table of another UNION arm or of a sub-select, named like one of this join's, never drives it.
    for (const other of [`UNION ALL SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = $2`, `AND o.id > (SELECT max(id) FROM users WHERE email = $2)`]) {
      const list = accesses(`${from} WHERE o.status = 'x' AND u.org = 3 ${other}`, ddl, rows);
      const first = list.find((a) => a.access.alias === 'o')!;
      assert.equal(first.access.joinedFrom, undefined, other);
    }
  });

  it('keeps the outer table driving for an EXISTS also tied by a condition other than column = column', () => {
    const ddl = `${DDL}CREATE INDEX orders_status_idx ON orders (status);`;
    const sql = `SELECT * FROM users u WHERE u.org = 3 AND EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.status = 'x' AND o.id > u.org)`;
    const u = accesses(sql, ddl).find((a) => a.access.alias === 'u')!;
    assert.equal(u.access.joinedFrom, undefined);
    assert.ok(u.access.predicates.every((p) => !(p.atom.kind === 'other' && p.atom.semiJoin)), 'not read as a semi-join the sub-select could drive');
    // Tied by the equality alone, the same EXISTS is one.
    const linked = accesses(sql.replace(' AND o.id > u.org', ''), ddl).find((a) => a.access.alias === 'u')!;
    assert.ok(linked.access.predicates.some((p) => p.atom.kind === 'other' && p.atom.semiJoin) || linked.access.joinedFrom === 'orders');
  });

  it('leaves a semi-join beside another join alone: the FROM table would know only one of its join keys on each lookup', () => {
    const sql = `SELECT u.* FROM users u JOIN orders o ON o.user_id = u.id WHERE o.status = 'x' AND u.org IN (SELECT org FROM users WHERE name = $1)`;
    const u = accesses(sql).find((a) => a.access.alias === 'u')!;
    assert.equal(u.access.joinedFrom, undefined);
    assert.deepEqual(u.access.joinKeys.map((j) => j.otherTable), ['orders']);
  });

  it('does not turn NOT IN, or a sub-select with a join, into a lookup', () => {
    for (const sql of [
      'SELECT * FROM orders WHERE user_id NOT IN (SELECT id FROM users WHERE name = $1)',
      'SELECT * FROM orders WHERE user_id IN (SELECT u.id FROM users u JOIN users v ON v.org = u.org WHERE v.name = $1)',
    ]) {
      const orders = accesses(sql).find((a) => a.access.table === 'orders')!;
      assert.equal(orders.access.joinedFrom, undefined, sql);
      assert.equal(orders.best, undefined, sql);
    }
  });

  it('reads a correlated EXISTS as the same semi-join: the sub-select drives, the outer table is looked up by the correlation', () => {
    const sql = 'SELECT * FROM orders o WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_id AND u.name = $1) ORDER BY o.created_at DESC LIMIT 10';
    const [orders, users] = ['orders', 'users'].map((t) => accesses(sql).find((a) => a.access.table === t)!);
    assert.equal(users.access.joinedFrom, undefined);
    assert.equal(users.best?.index.name, 'users_name_idx');
    assert.equal(orders.access.joinedFrom, 'users');
    assert.equal(orders.best?.index.name, 'orders_user_id_idx');
    assert.deepEqual(missingFindings(schemaFrom(DDL), sql, opts), []);
  });

  it('keeps the outer table driving for NOT EXISTS, an EXISTS tied by an expression, or one whose sides are not qualified', () => {
    for (const sql of [
      'SELECT * FROM orders o WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_id AND u.name = $1)',
      'SELECT * FROM orders o WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_id + 1 AND u.name = $1)',
      'SELECT * FROM orders o WHERE EXISTS (SELECT 1 FROM users WHERE id = user_id AND name = $1)',
      'SELECT * FROM orders o WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_id AND u.name = $1 LIMIT 1 OFFSET 1)',
    ]) {
      const orders = accesses(sql).find((a) => a.access.table === 'orders')!;
      assert.equal(orders.access.joinedFrom, undefined, sql);
    }
  });

  it("carries an equality over a join key to the other table, as PostgreSQL's equivalence classes do", () => {
    const inner = accesses('SELECT * FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = $1').find((a) => a.access.table === 'orders')!;
    assert.deepEqual(inner.access.predicates.map((p) => p.atom), [{ kind: 'compare', column: 'user_id', op: '=', value: { kind: 'param' } }]);
    const correlated = accesses("SELECT * FROM users u WHERE u.id = 7 AND EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.status = 'x')").find((a) => a.access.table === 'orders')!;
    assert.ok(correlated.access.predicates.some((p) => p.atom.kind === 'compare' && p.atom.column === 'user_id' && p.atom.value.kind === 'number' && p.atom.value.value === 7));
    // The carried-over equality and the join key are one condition: the rows are those of the plain lookup.
    const plain = accesses('SELECT * FROM orders WHERE user_id = $1')[0];
    const joined = accesses('SELECT o.* FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = $1').find((a) => a.access.table === 'orders')!;
    assert.equal(joined.access.joinedFrom, 'users');
    assert.equal(joined.matchedRows, plain.matchedRows);
    assert.equal(joined.best?.rowsRead, plain.best?.rowsRead);
    // Not out of a sub-select into the outer query: NOT EXISTS and a scalar sub-select filter no outer row.
    for (const sql of ['SELECT * FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.user_id = 7)', 'SELECT u.id, (SELECT count(*) FROM orders o WHERE o.user_id = u.id AND o.user_id = 7) FROM users u']) {
      const u = accesses(sql).find((a) => a.access.table === 'users')!;
      assert.deepEqual(u.access.predicates, [], sql);
    }
    // Not into the nullable side of an outer join, and not for a range or an IN list.
    for (const sql of ['SELECT * FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE u.id = $1', 'SELECT * FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id > $1', 'SELECT * FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id IN (1, 2)']) {
      const o = accesses(sql).find((a) => a.access.table === 'orders')!;
      assert.deepEqual(o.access.predicates, [], sql);
    }
  });
});

describe('sub-plans: correlated sub-selects PostgreSQL does not pull up', () => {
  before(() => initSqlParser());

  it('reads a correlated IN (SELECT … LIMIT n) as a sub-plan: the outer table drives, the sub-select is looked up for each of its rows', () => {
    // PostgreSQL 15 (parity case subplan-correlated-in-limit): Seq Scan on courses, SubPlan → Limit → Index Only Scan on enrollments.
    const sql = 'SELECT u.id FROM users u WHERE u.id IN (SELECT o.user_id FROM orders o WHERE o.user_id = u.id AND o.status = $1 LIMIT 5)';
    const [u, o] = ['users', 'orders'].map((t) => accesses(sql).find((a) => a.access.table === t)!);
    assert.ok(u.access.predicates.every((p) => !(p.atom.kind === 'other' && p.atom.semiJoin)), 'no semi-join key');
    assert.equal(u.access.joinedFrom, undefined);
    assert.equal(o.access.perOuterRow, true);
    assert.equal(o.hashJoin, undefined, o.reason);
    assert.equal(o.best?.index.name, 'orders_user_id_idx');
    // Uncorrelated, the same sub-select is a semi-join again: its few rows drive, users is looked up by them.
    const semi = accesses('SELECT u.id FROM users u WHERE u.id IN (SELECT o.user_id FROM orders o WHERE o.status = $1 LIMIT 5)').find((a) => a.access.table === 'users')!;
    assert.equal(semi.access.joinedFrom, 'orders');
  });

  it('looks a scalar sub-select of the select list up for each outer row, however many rows that is (never a hash join)', () => {
    // PostgreSQL 15 (parity case subplan-scalar-per-row): Seq Scan on courses, SubPlan → Aggregate → Bitmap Heap Scan on enrollments_courseId_idx.
    const sql = 'SELECT u.id, (SELECT max(o.created_at) FROM orders o WHERE o.user_id = u.id) AS latest FROM users u';
    const o = accesses(sql).find((a) => a.access.table === 'orders')!;
    assert.equal(o.access.perOuterRow, true);
    assert.equal(o.hashJoin, undefined, o.reason);
    assert.equal(o.best?.index.name, 'orders_user_id_idx');
    // The same correlation pulled up into a semi-join (EXISTS) may still be hashed: it is no sub-plan.
    const exists = accesses('SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)').find((a) => a.access.table === 'orders')!;
    assert.equal(exists.access.perOuterRow, undefined);
  });
});
