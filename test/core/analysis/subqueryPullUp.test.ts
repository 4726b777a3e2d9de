/**
 * Sub-selects in FROM and CTEs as PostgreSQL plans them: a simple sub-select (or a CTE read once) is pulled up, so
 * the outer query's conditions and ORDER BY reach its table; a sub-select that stays one takes the outer WHERE's
 * conditions on its output columns; a MATERIALIZED CTE, a LIMIT or an aggregate output keeps them out.
 */
import assert from 'node:assert/strict';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { LineIndex } from '../../../src/core/model/location';
import type { TableAccess } from '../../../src/core/model/query';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { initSqlParser } from '../../../src/core/sql/parser';
import { options, schemaFrom } from '../matcher/harness';

const DDL = `
CREATE TABLE users (user_id bigint PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE TABLE orders (order_id bigint PRIMARY KEY, user_id bigint NOT NULL, status text NOT NULL, total numeric NOT NULL, placed_at timestamptz NOT NULL);
CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_user_id_placed_at_idx ON orders (user_id, placed_at);
CREATE TABLE refunds (refund_id bigint PRIMARY KEY, user_id bigint NOT NULL, status text NOT NULL, amount numeric NOT NULL);
CREATE INDEX refunds_user_id_idx ON refunds (user_id);
`;
let schema: ReturnType<typeof schemaFrom>;
const opts = options({ users: 100_000, orders: 2_000_000, refunds: 50_000 });

function analyse(sql: string) {
  const { shapes, problems } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
  assert.deepEqual(problems, []);
  assert.equal(shapes.length, 1);
  const accesses = verdictsFor(shapes, schema, opts)[0].accesses;
  const of = (table: string) => {
    const found = accesses.filter((a) => a.access.table === table);
    assert.equal(found.length, 1, `one access of ${table}: ${found.length}`);
    return found[0];
  };
  return { accesses, of, text: sql };
}

const filters = (a: TableAccess) => a.predicates.map((p) => (p.atom.kind === 'compare' ? `${p.atom.column}${p.atom.op}` : p.atom.kind)).sort();

describe('sub-selects in FROM and CTEs: pulled up, inlined, conditions pushed down', () => {
  before(async () => {
    await initSqlParser();
    schema = schemaFrom(DDL);
  });

  it('pulls up a simple sub-select: the outer condition on its column filters the table, through its own index', () => {
    const { of, text } = analyse(`SELECT * FROM (SELECT * FROM orders WHERE status = 'paid') o WHERE o.user_id = $1`);
    const v = of('orders');
    assert.deepEqual(filters(v.access), ['status=', 'user_id=']);
    assert.equal(v.access.alias, 'o');
    assert.match(v.best?.index.name ?? '', /^orders_user_id/);
    // The outer condition is shown where it is written.
    const userId = v.access.predicates.find((p) => p.atom.kind === 'compare' && p.atom.column === 'user_id')!;
    const start = text.indexOf('o.user_id');
    assert.equal(userId.range?.start.character, start);
    assert.equal(userId.range?.end.character, text.length);
  });

  it('leaves the columns a sub-select inside the pulled-up one names unqualified to that sub-select’s own tables', () => {
    const { of } = analyse(`SELECT * FROM (SELECT * FROM orders WHERE EXISTS (SELECT 1 FROM refunds WHERE user_id = $2)) o WHERE o.status = $1`);
    assert.deepEqual(filters(of('orders').access), ['status=']);
    assert.deepEqual(filters(of('refunds').access), ['user_id=']);
  });

  it('inlines a CTE read once (PostgreSQL 12+), and not one that is MATERIALIZED or read twice', () => {
    const once = analyse(`WITH paid AS (SELECT * FROM orders WHERE status = 'paid') SELECT * FROM paid WHERE user_id = $1`);
    assert.deepEqual(filters(once.of('orders').access), ['status=', 'user_id=']);
    assert.match(once.of('orders').best?.index.name ?? '', /^orders_user_id/);

    const materialized = analyse(`WITH paid AS MATERIALIZED (SELECT * FROM orders WHERE status = 'paid') SELECT * FROM paid WHERE user_id = $1`);
    assert.deepEqual(filters(materialized.of('orders').access), ['status=']);

    const twice = analyse(`WITH paid AS (SELECT * FROM orders WHERE status = 'paid') SELECT * FROM paid a JOIN paid b ON b.user_id = a.user_id WHERE a.user_id = $1`);
    assert.deepEqual(filters(twice.of('orders').access), ['status=']);

    const notMaterialized = analyse(`WITH paid AS NOT MATERIALIZED (SELECT * FROM orders WHERE status = 'paid') SELECT * FROM paid a JOIN paid b ON b.order_id = a.order_id WHERE a.user_id = $1`);
    const both = notMaterialized.accesses.filter((a) => a.access.table === 'orders');
    assert.equal(both.length, 2);
    assert.deepEqual(filters(both.find((a) => a.access.alias === 'a')!.access), ['status=', 'user_id=']);
  });

  it('joins through a renamed output column to the column it reads, as the join written on the table would', () => {
    const sub = analyse(`SELECT o.order_id, u.email FROM (SELECT order_id, user_id AS buyer FROM orders) o JOIN users u ON u.user_id = o.buyer WHERE u.email = $1`);
    const direct = analyse(`SELECT o.order_id, u.email FROM orders o JOIN users u ON u.user_id = o.user_id WHERE u.email = $1`);
    const keys = (a: TableAccess) => a.joinKeys.map((k) => `${k.column}=${k.otherTable}.${k.otherColumn}`);
    assert.deepEqual(keys(sub.of('orders').access), ['user_id=users.user_id']);
    assert.deepEqual(keys(sub.of('users').access), ['user_id=orders.user_id']);
    for (const table of ['orders', 'users']) {
      assert.equal(sub.of(table).best?.index.name, direct.of(table).best?.index.name, table);
      assert.equal(sub.of(table).outerRows, direct.of(table).outerRows, table);
    }
    assert.match(sub.of('orders').best?.index.name ?? '', /^orders_user_id/);
    assert.equal(sub.of('users').best?.index.name, 'users_email_key');
  });

  it('an ORDER BY … LIMIT on a sub-select’s column is the table’s: the index returns the rows in order', () => {
    const { of } = analyse(`SELECT * FROM (SELECT * FROM orders WHERE user_id = $1) o ORDER BY o.placed_at LIMIT 10`);
    const v = of('orders');
    assert.deepEqual(
      v.access.orderBy.map((o) => o.column),
      ['placed_at'],
    );
    assert.equal(v.access.limit, 10);
    assert.equal(v.best?.index.name, 'orders_user_id_placed_at_idx');
    assert.equal(v.best?.sortAvoided, true);
  });

  it('keeps a sub-select on the nullable side of a LEFT JOIN filtering its own rows only', () => {
    const { of } = analyse(`SELECT * FROM users u LEFT JOIN (SELECT * FROM orders WHERE status = 'open') o ON o.user_id = u.user_id WHERE u.email = $1`);
    assert.deepEqual(filters(of('users').access), ['email=']);
    const orders = of('orders');
    assert.deepEqual(filters(orders.access), ['status=']);
    assert.equal(orders.access.outerJoined, true);
    assert.equal(orders.access.joinedFrom, 'users');
  });

  it('pushes a condition on a grouping column into a grouped sub-select, but not one on an aggregate', () => {
    const grouped = analyse(`SELECT * FROM (SELECT user_id, sum(total) AS spent FROM orders GROUP BY user_id) s WHERE s.user_id = $1 AND s.spent > 100`);
    assert.deepEqual(filters(grouped.of('orders').access), ['user_id=']);
    assert.match(grouped.of('orders').best?.index.name ?? '', /^orders_user_id/);
  });

  it('pushes nothing past a LIMIT', () => {
    const { of } = analyse(`SELECT * FROM (SELECT * FROM orders ORDER BY placed_at DESC LIMIT 100) recent WHERE recent.user_id = $1`);
    assert.deepEqual(filters(of('orders').access), []);
  });

  it('pushes a condition into every branch of a UNION ALL, by position', () => {
    const { of } = analyse(`SELECT * FROM (SELECT user_id AS who, total AS amount FROM orders UNION ALL SELECT user_id, -amount FROM refunds) m WHERE m.who = $1`);
    assert.deepEqual(filters(of('orders').access), ['user_id=']);
    assert.deepEqual(filters(of('refunds').access), ['user_id=']);
    assert.equal(of('refunds').best?.index.name, 'refunds_user_id_idx');
  });

  it('keeps a sub-select whose output calls a volatile function, and still pushes a condition on its other columns', () => {
    const { of } = analyse(`SELECT * FROM (SELECT *, random() AS r FROM orders) o WHERE o.user_id = $1 AND o.r < 0.1`);
    assert.deepEqual(filters(of('orders').access), ['user_id=']);
    assert.equal(of('orders').access.alias, undefined);
  });

  it('reads a CTE inlined into a DELETE’s sub-select: the rows it deletes are found by the CTE’s conditions and the sub-select’s', () => {
    const { accesses } = analyse(`WITH carts AS (SELECT order_id, placed_at FROM orders WHERE user_id = $1 AND status = 'cart') DELETE FROM orders WHERE order_id IN (SELECT order_id FROM carts WHERE placed_at < $2)`);
    const read = accesses.filter((a) => a.access.table === 'orders' && a.access.kind === 'select');
    assert.equal(read.length, 1);
    assert.deepEqual(filters(read[0].access), ['placed_at<', 'status=', 'user_id=']);
  });

  describe('scopes and names (review)', () => {
    it('reads a CTE named like the table it reads: inside it, the name is the table', () => {
      for (const m of ['', 'NOT MATERIALIZED ']) {
        const { of } = analyse(`WITH orders AS ${m}(SELECT * FROM orders WHERE status = $2) SELECT * FROM orders WHERE user_id = $1`);
        assert.deepEqual(filters(of('orders').access), ['status=', 'user_id='], m);
      }
    });

    it('reads a CTE that no FROM item reads (a VALUES list’s sub-select) where it is declared', () => {
      const { of } = analyse(`WITH u AS (SELECT user_id FROM users WHERE email = $1) INSERT INTO orders (order_id, user_id, status, total, placed_at) VALUES ($2, (SELECT user_id FROM u), 'cart', 0, now())`);
      assert.deepEqual(filters(of('users').access), ['email=']);
    });

    it('leaves the names of a UNION inside a nested sub-select to its branches', () => {
      const { of } = analyse(`SELECT * FROM (SELECT * FROM orders WHERE total > $2) o WHERE o.user_id IN (SELECT user_id FROM refunds WHERE status = $1 UNION SELECT user_id FROM users WHERE email = $3)`);
      assert.deepEqual(filters(of('refunds').access), ['status=']);
      assert.deepEqual(filters(of('users').access), ['email=']);
    });

    it('reads only a pulled-up sub-select’s output columns for `*`: an index-only scan stays possible', () => {
      const { of } = analyse(`SELECT * FROM (SELECT user_id, placed_at FROM orders WHERE user_id = $1) o`);
      assert.deepEqual([...of('orders').access.columnsRead].sort(), ['placed_at', 'user_id']);
      assert.equal(of('orders').best?.index.name, 'orders_user_id_placed_at_idx');
      assert.equal(of('orders').best?.indexOnly, true);
    });

    it('joins by an unqualified output name in an ON condition', () => {
      const { of } = analyse(`SELECT * FROM users u JOIN (SELECT user_id AS buyer, total FROM orders WHERE status = $1) o ON buyer = u.user_id WHERE u.email = $2`);
      assert.deepEqual(
        of('orders').access.joinKeys.map((k) => `${k.column}=${k.otherTable}.${k.otherColumn}`),
        ['user_id=users.user_id'],
      );
    });

    it('takes the CTE’s column names, renamed in part by the alias’s', () => {
      const { of } = analyse(`WITH x(a, b) AS (SELECT user_id, status FROM orders) SELECT * FROM x y(c) WHERE b = $2 AND c = $1`);
      assert.deepEqual(filters(of('orders').access), ['status=', 'user_id=']);
    });

    it('flattens a sub-select of a sub-select', () => {
      const { of } = analyse(`SELECT * FROM (SELECT * FROM (SELECT * FROM orders WHERE status = $2) a) b WHERE b.user_id = $1`);
      assert.deepEqual(filters(of('orders').access), ['status=', 'user_id=']);
    });
  });

  describe('pushdown past DISTINCT ON, window functions and grouping sets (review)', () => {
    it('pushes a condition on the DISTINCT ON column (the latest order of a user)', () => {
      const { of } = analyse(`SELECT * FROM (SELECT DISTINCT ON (user_id) * FROM orders ORDER BY user_id, placed_at DESC) t WHERE t.user_id = $1`);
      assert.deepEqual(filters(of('orders').access), ['user_id=']);
      // Not one on another column: it would change which row DISTINCT ON keeps.
      const other = analyse(`SELECT * FROM (SELECT DISTINCT ON (user_id) * FROM orders ORDER BY user_id, placed_at DESC) t WHERE t.status = $1`);
      assert.deepEqual(filters(other.of('orders').access), []);
    });

    it('pushes a condition on a column every PARTITION BY names, not one on the window function', () => {
      const { of } = analyse(`SELECT * FROM (SELECT o.*, row_number() OVER (PARTITION BY user_id ORDER BY placed_at DESC) AS rn FROM orders o) x WHERE x.user_id = $1 AND x.rn = 1`);
      assert.deepEqual(filters(of('orders').access), ['user_id=']);
      const other = analyse(`SELECT * FROM (SELECT o.*, row_number() OVER (PARTITION BY user_id ORDER BY placed_at DESC) AS rn FROM orders o) x WHERE x.status = $1`);
      assert.deepEqual(filters(other.of('orders').access), []);
    });

    it('pushes nothing into a ROLLUP, where a grouping column is NULL in the subtotal rows', () => {
      const { of } = analyse(`SELECT * FROM (SELECT user_id, status, count(*) FROM orders GROUP BY ROLLUP (user_id, status)) x WHERE x.status = $1`);
      assert.deepEqual(filters(of('orders').access), []);
    });
  });

  describe('second review', () => {
    it('pushes a condition down through two kept sub-selects', () => {
      const { of } = analyse(`SELECT * FROM (SELECT user_id, sum(n) AS total FROM (SELECT user_id, status, count(*) AS n FROM orders GROUP BY 1, 2) a GROUP BY user_id) t WHERE t.user_id = $1`);
      assert.deepEqual(filters(of('orders').access), ['user_id=']);
    });

    it('reads the UPDATE target’s join to a FROM sub-select as a join, not as a value pushed into it', () => {
      const { of } = analyse(`UPDATE users u SET email = $1 FROM (SELECT user_id, count(*) AS n FROM orders GROUP BY user_id) o WHERE o.user_id = u.user_id AND o.n > 100`);
      assert.deepEqual(filters(of('orders').access), []);
    });

    it('does not push a condition naming an outer table into a sub-select that reads a table of that name', () => {
      const { accesses } = analyse(
        `SELECT * FROM orders WHERE user_id = $1 AND order_id NOT IN (SELECT order_id FROM (SELECT DISTINCT ON (user_id) user_id, order_id FROM orders ORDER BY user_id, placed_at DESC) latest WHERE latest.user_id = orders.user_id)`,
      );
      const [outer, inner] = accesses.filter((a) => a.access.table === 'orders');
      assert.deepEqual(filters(outer.access), ['user_id=']);
      // Copied inside, `orders.user_id` would name the inner orders: a test of a row against itself.
      assert.deepEqual(
        inner.access.predicates.map((p) => p.atom),
        [],
      );
    });

    it('resolves an unqualified name to a FROM sub-select of its own query before an outer query’s table', () => {
      const { of } = analyse(`SELECT * FROM users u WHERE u.user_id IN (SELECT s.user_id FROM (SELECT o.user_id FROM orders o JOIN (SELECT refund_id, user_id AS buyer FROM refunds GROUP BY 1, 2) r ON buyer = o.user_id) s)`);
      assert.deepEqual(
        of('orders').access.joinKeys.map((k) => k.otherTable),
        ['r'],
      );
    });

    it('keeps the places of a sub-select in a pulled-up output: its findings point at its own text', () => {
      const sql = `SELECT x.cnt FROM (SELECT user_id, (SELECT count(*) FROM orders o WHERE o.user_id = users.user_id AND o.total > $2) AS cnt FROM users) x WHERE x.user_id = $1`;
      const { of } = analyse(sql);
      const total = of('orders').access.predicates.find((p) => p.atom.kind === 'compare' && p.atom.column === 'total')!;
      assert.equal(total.range?.start.character, sql.indexOf('o.total'));
    });
  });

  it('pushes a condition into a sub-select of two tables through its `*` outputs, not onto a name both tables have', () => {
    const { of } = analyse(`SELECT * FROM (SELECT o.*, u.email FROM orders o JOIN users u ON u.user_id = o.user_id) x WHERE x.status = $1 AND x.email = $2`);
    assert.deepEqual(filters(of('orders').access), ['status=']);
    assert.deepEqual(filters(of('users').access), ['email=']);
    const both = analyse(`SELECT * FROM (SELECT * FROM orders o JOIN users u ON u.user_id = o.user_id) x WHERE x.placed_at > $1`);
    assert.deepEqual(filters(both.of('orders').access), ['placed_at>']);
    // `o.*` alone stands for orders' user_id; under `*` of both tables the name is ambiguous, and nothing is pushed.
    const one = analyse(`SELECT * FROM (SELECT o.*, u.user_id AS uid FROM orders o JOIN users u ON u.user_id = o.user_id) x WHERE x.user_id = $1`);
    assert.deepEqual(filters(one.of('orders').access), ['user_id=']);
    const shared = analyse(`SELECT * FROM (SELECT * FROM orders o JOIN users u ON u.user_id = o.user_id) x WHERE x.user_id = $1`);
    assert.deepEqual(filters(shared.of('orders').access), []);
    assert.deepEqual(filters(shared.of('users').access), []);
  });
});
