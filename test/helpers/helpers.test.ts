/** The test helpers derive expectations on their own, so they get a few checks of their own. */
import assert from 'node:assert/strict';
import { parseCreateIndex, parseCreateIndexes } from './indexSql';
import { readMigrationText } from './migrationText';
import { functionSpan, namedQuerySpan, offsetAt, positionAt, textOf } from './text';

describe('test helpers', () => {
  it('parseCreateIndex reads keys, directions, opclasses, method and partial predicate', () => {
    const p = parseCreateIndex('CREATE INDEX CONCURRENTLY IF NOT EXISTS "a_b_idx" ON "t" ("b", "c" DESC) WHERE "published" AND "x" = \'y, z\';');
    assert.deepEqual(
      { name: p.name, table: p.table, method: p.method, keys: p.keys.map((k) => [k.column, k.desc]), where: p.where },
      { name: 'a_b_idx', table: 't', method: 'btree', keys: [['b', false], ['c', true]], where: '"published" AND "x" = \'y, z\'' },
    );
    const [gin] = parseCreateIndexes('CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "g" ON "courses" USING gin ("title" gin_trgm_ops, "description" gin_trgm_ops);');
    assert.equal(gin.method, 'gin');
    assert.deepEqual(gin.keys.map((k) => [k.column, k.opclass]), [['title', 'gin_trgm_ops'], ['description', 'gin_trgm_ops']]);
    const expr = parseCreateIndex('CREATE UNIQUE INDEX "e" ON "users" (lower("email"), "id");');
    assert.equal(expr.unique, true);
    assert.deepEqual(expr.keys.map((k) => [k.column, k.expression]), [['lower("email")', true], ['id', false]]);
    assert.deepEqual(parseCreateIndexes('DROP INDEX "x";'), []);
  });

  it('readMigrationText reads enums, columns, primary keys and indexes of Prisma-style SQL', () => {
    const s = readMigrationText(`CREATE TYPE "Role" AS ENUM ('A', 'B');

CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'A',
    "price" DECIMAL(10,2) NOT NULL,
    "rate" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "users_a_b_key" ON "users"("role", "id");
CREATE INDEX "users_role_idx" ON "users"("role");
`);
    assert.deepEqual([...s.enums], ['Role']);
    assert.deepEqual(s.tables.get('users'), [
      { name: 'id', type: 'TEXT' },
      { name: 'role', type: '"Role"' },
      { name: 'price', type: 'DECIMAL(10,2)' },
      { name: 'rate', type: 'DOUBLE PRECISION' },
    ]);
    assert.deepEqual(
      s.indexes.map((i) => [i.name, i.columns, i.unique, i.primary]),
      [
        ['users_pkey', ['id'], true, true],
        ['users_a_b_key', ['role', 'id'], true, false],
        ['users_role_idx', ['role'], false, false],
      ],
    );
  });

  it('positions and spans', () => {
    const text = 'ab\ncdé\n\nexport async function f(x) {\n  return x\n}\n\n-- name: Q :one\nSELECT 1;\n';
    assert.deepEqual(positionAt(text, text.indexOf('é')), { line: 1, character: 2 });
    assert.equal(offsetAt(text, { line: 1, character: 2 }), text.indexOf('é'));
    assert.equal(textOf(text, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }), 'cdé');
    const fn = functionSpan(text, 'f');
    assert.equal(text.slice(fn.start, fn.end), 'function f(x) {\n  return x\n}');
    const q = namedQuerySpan(text, 'Q');
    assert.equal(text.slice(q.start, q.end), '-- name: Q :one\nSELECT 1;');
  });
});
