/**
 * JOIN … USING (…) and NATURAL JOIN join by the equalities they stand for, as an ON condition would: the inner
 * side is looked up by its key instead of being read as a cross join.
 */
import assert from 'node:assert/strict';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { LineIndex } from '../../../src/core/model/location';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { initSqlParser } from '../../../src/core/sql/parser';
import { options, schemaFrom } from '../matcher/harness';

const DDL = `
CREATE TABLE users (user_id bigint PRIMARY KEY, email text NOT NULL);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE TABLE orders (order_id bigint PRIMARY KEY, user_id bigint NOT NULL, placed_at timestamptz NOT NULL);
CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE TABLE order_lines (order_id bigint NOT NULL, line int NOT NULL, sku text NOT NULL, PRIMARY KEY (order_id, line));
CREATE TABLE skus (sku text PRIMARY KEY, title text NOT NULL);
`;
const opts = options({ users: 100_000, orders: 1_000_000, order_lines: 5_000_000, skus: 20_000 });

function verdicts(sql: string, ddl = DDL) {
  const schema = schemaFrom(ddl);
  const { shapes, problems } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
  assert.deepEqual(problems, []);
  const found = verdictsFor(shapes, schema, opts)[0].accesses;
  return (table: string) => found.find((a) => a.access.table === table)!;
}

const keys = (v: ReturnType<ReturnType<typeof verdicts>>) => v.access.joinKeys.map((k) => `${k.column}=${k.otherTable}.${k.otherColumn}`);

describe('USING and NATURAL joins', () => {
  before(() => initSqlParser());

  it('joins by the USING columns: the user found by e-mail, then that user’s orders by user_id', () => {
    const v = verdicts('SELECT * FROM users JOIN orders USING (user_id) WHERE users.email = $1');
    assert.deepEqual(keys(v('orders')), ['user_id=users.user_id']);
    assert.equal(v('orders').best?.index.name, 'orders_user_id_idx');
    assert.equal(v('orders').access.joinedFrom, 'users');
    // The same as written with ON.
    const on = verdicts('SELECT * FROM users JOIN orders ON orders.user_id = users.user_id WHERE users.email = $1');
    assert.equal(on('orders').best?.index.name, v('orders').best?.index.name);
    assert.equal(on('orders').access.joinedFrom, v('orders').access.joinedFrom);
  });

  it('takes each USING column from the table of a side that has it, along a chain', () => {
    const v = verdicts('SELECT * FROM orders JOIN order_lines USING (order_id) JOIN skus USING (sku) WHERE orders.order_id = $1');
    assert.deepEqual(keys(v('order_lines')), ['order_id=orders.order_id']);
    assert.deepEqual(keys(v('skus')), ['sku=order_lines.sku']);
    assert.equal(v('order_lines').best?.index.name, 'order_lines_pkey');
  });

  it('joins a NATURAL JOIN by every column both sides have', () => {
    const v = verdicts('SELECT * FROM orders NATURAL JOIN order_lines WHERE orders.order_id = $1');
    assert.deepEqual(keys(v('order_lines')), ['order_id=orders.order_id']);
    assert.equal(v('order_lines').best?.index.name, 'order_lines_pkey');
  });

  it('an outer USING join keeps its preserved side whole, and its equality rejects NULL rows like an ON condition', () => {
    const outer = verdicts('SELECT * FROM users LEFT JOIN orders USING (user_id)');
    assert.equal(outer('orders').access.outerJoined, true);
    assert.deepEqual(outer('users').access.predicates, []);
    // The WHERE condition makes the second join inner; its USING equality then rejects the NULL row of orders.
    const inner = verdicts('SELECT * FROM users LEFT JOIN orders USING (user_id) LEFT JOIN order_lines USING (order_id) WHERE order_lines.sku = $1');
    assert.equal(inner('order_lines').access.outerJoined, undefined);
    assert.equal(inner('orders').access.outerJoined, undefined);
  });

  describe('a column merged by an outer USING join below comes from where PostgreSQL takes it', () => {
    const ABC = `CREATE TABLE a (id bigint PRIMARY KEY, z int NOT NULL);
      CREATE TABLE b (id bigint PRIMARY KEY, z int NOT NULL);
      CREATE TABLE c (id bigint PRIMARY KEY, z int NOT NULL);`;
    const v = (sql: string) => verdicts(sql, ABC);

    it("a RIGHT join's from its right table: the next join keys to it, and the left one stays outer", () => {
      const r = v('SELECT * FROM a RIGHT JOIN b USING (id) JOIN c USING (id) WHERE c.z = 1');
      assert.deepEqual(keys(r('c')), ['id=b.id']);
      assert.equal(r('a').access.outerJoined, true);
      const nested = v('SELECT * FROM a JOIN (b RIGHT JOIN c USING (id)) USING (id)');
      assert.deepEqual(keys(nested('a')), ['id=c.id']);
      assert.equal(nested('b').access.outerJoined, true);
    });

    it("a FULL join's is COALESCE(a.id, b.id): no key of either, and neither side is made inner", () => {
      const f = v('SELECT * FROM a FULL JOIN b USING (id) JOIN c USING (id) WHERE c.z = 1');
      assert.deepEqual(keys(f('c')), []);
      assert.equal(f('a').access.outerJoined, true);
      assert.equal(f('b').access.outerJoined, true);
    });

    it('a LEFT join whose left side is a sub-select: the sub-select’s, not the nullable table’s', () => {
      const s = v('SELECT * FROM (SELECT id FROM a) s LEFT JOIN b USING (id) JOIN c USING (id) WHERE c.z = 1');
      assert.equal(s('b').access.outerJoined, true);
      assert.deepEqual(keys(s('c')), ['id=s.id']);
    });

    it('an unqualified reference to the merged column means the same table: b for a RIGHT join, none for a FULL one', () => {
      const r = v('SELECT * FROM a RIGHT JOIN b USING (id) WHERE id = 5');
      assert.deepEqual(r('a').access.predicates, []);
      assert.equal(r('b').best?.index.name, 'b_pkey');
      const f = v('SELECT * FROM a FULL JOIN b USING (id) WHERE id = 5');
      assert.deepEqual([f('a').access.predicates, f('b').access.predicates], [[], []]);
    });
  });

  it('takes the names a table alias gives its columns: `orders AS o(oid)` has no order_id to join NATURALly by', () => {
    assert.deepEqual(keys(verdicts('SELECT * FROM orders AS o(oid) NATURAL JOIN order_lines WHERE o.user_id = $1')('order_lines')), []);
    assert.deepEqual(keys(verdicts('SELECT * FROM orders AS o(oid) JOIN order_lines l ON true JOIN skus USING (sku)')('skus')), ['sku=order_lines.sku']);
  });

  it('leaves out what it can’t place: a NATURAL join over a table the schema doesn’t know joins by nothing', () => {
    const v = verdicts('SELECT * FROM orders NATURAL JOIN somewhere_else WHERE orders.user_id = $1');
    assert.deepEqual(keys(v('orders')), []);
  });
});
