/**
 * IN (SELECT …) as the semi-join PostgreSQL plans it: when the outer table has no filter of its own,
 * the sub-select's table may drive and the outer table is looked up by the IN column.
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

function accesses(sql: string) {
  const schema = schemaFrom(DDL);
  const { shapes } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
  return verdictsFor(shapes, schema, opts)[0].accesses;
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

  it('keeps the outer table driving when it has a filter of its own', () => {
    const orders = accesses(`SELECT * FROM orders WHERE status = 'x' AND user_id IN (SELECT id FROM users WHERE name = $1)`).find((a) => a.access.table === 'orders')!;
    assert.equal(orders.access.joinedFrom, undefined);
  });

  it('leaves a join of three tables alone: the FROM table would know only one of its join keys on each lookup', () => {
    const sql = `SELECT u.* FROM users u JOIN orders o ON o.user_id = u.id WHERE o.status = 'x' AND u.org IN (SELECT org FROM users WHERE name = $1)`;
    const u = accesses(sql).find((a) => a.access.alias === 'u')!;
    assert.equal(u.access.joinedFrom, undefined);
    assert.deepEqual(u.access.joinKeys.map((j) => j.otherTable), ['orders']);
  });

  it('does not turn NOT IN, or a sub-select with a LIMIT or a join, into a lookup', () => {
    for (const sql of [
      'SELECT * FROM orders WHERE user_id NOT IN (SELECT id FROM users WHERE name = $1)',
      'SELECT * FROM orders WHERE user_id IN (SELECT id FROM users WHERE name = $1 LIMIT 5)',
      'SELECT * FROM orders WHERE user_id IN (SELECT u.id FROM users u JOIN users v ON v.org = u.org WHERE v.name = $1)',
    ]) {
      const orders = accesses(sql).find((a) => a.access.table === 'orders')!;
      assert.equal(orders.access.joinedFrom, undefined, sql);
      assert.equal(orders.best, undefined, sql);
    }
  });
});
