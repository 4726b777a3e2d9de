/**
 * VerdictMemo (src/core/analysis/verdicts.ts): equal accesses written in different places share one
 * evaluation, but each verdict keeps its own access, so findings point at their own text; accesses
 * that differ in anything but their position are evaluated apart.
 */
import assert from 'node:assert/strict';
import { VerdictMemo, verdictsFor } from '../../../src/core/analysis/verdicts';
import { LineIndex } from '../../../src/core/model/location';
import { missingIndex } from '../../../src/core/rules/missingIndex';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { initSqlParser } from '../../../src/core/sql/parser';
import { options, schemaFrom } from '../matcher/harness';

const DDL = `
CREATE TABLE orders (id text PRIMARY KEY, "userId" text NOT NULL, status text NOT NULL, "createdAt" timestamp NOT NULL);
CREATE INDEX "orders_userId_idx" ON orders ("userId");
CREATE TABLE users (id text PRIMARY KEY, email text NOT NULL, "teamId" text);
`;

describe('VerdictMemo', () => {
  before(() => initSqlParser());

  const sql = [
    `SELECT * FROM orders WHERE status = $1 ORDER BY "createdAt" DESC LIMIT 20;`,
    `-- the same question, further down\n\n   SELECT   *   FROM orders WHERE status = $1 ORDER BY "createdAt" DESC LIMIT 20;`,
    `SELECT * FROM orders WHERE status = $1 ORDER BY "createdAt" DESC LIMIT 21;`,
    `SELECT * FROM orders WHERE "userId" = $1;`,
  ].join('\n');

  it('shares the evaluation of equal accesses, keeps each access, and gives the same verdicts as evaluating each alone', () => {
    const schema = schemaFrom(DDL);
    const opts = options({ orders: 2_000_000 });
    const shapes = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema }).shapes;
    assert.equal(shapes.length, 4);
    const memo = new VerdictMemo(schema, opts);
    const shared = shapes.map((s) => memo.verdictOf(s));
    const alone = verdictsFor(shapes, schema, opts);
    for (let i = 0; i < shapes.length; i++) {
      assert.equal(shared[i].accesses[0].access, shapes[i].accesses[0], 'each verdict reads its own access');
      const { access: _a, ...sharedRest } = shared[i].accesses[0];
      const { access: _b, ...aloneRest } = alone[i].accesses[0];
      assert.deepEqual(sharedRest, aloneRest);
    }
    assert.equal(shared[0].accesses[0].candidates, shared[1].accesses[0].candidates, 'the repeat shares the evaluation');
    assert.notEqual(shared[0].accesses[0].candidates, shared[2].accesses[0].candidates, 'another LIMIT is another question');
    assert.notEqual(shared[0].accesses[0].candidates, shared[3].accesses[0].candidates);

    // The missing-index findings of the two equal queries point at their own lines.
    const findings = missingIndex.run({ schema, verdicts: shared, options: opts } as Parameters<typeof missingIndex.run>[0]);
    const lines = findings.map((f) => f.range.start.line);
    assert.deepEqual(lines.slice(0, 2), [shapes[0].location.range.start.line, shapes[1].location.range.start.line]);
    assert.notEqual(lines[0], lines[1]);
    assert.equal(findings[0].fix!.sql, findings[1].fix!.sql);
  });

  it('shares the evaluation of the tables of equal joins, each verdict on its own access, as evaluating each alone', () => {
    const schema = schemaFrom(DDL);
    const opts = options({ orders: 2_000_000, users: 50_000 });
    const join = `SELECT o.* FROM orders o JOIN users u ON u.id = o."userId" WHERE u."teamId" = $1 ORDER BY o."createdAt" DESC LIMIT 20;`;
    const text = [join, `-- again\n${join}`, join.replace('LIMIT 20', 'LIMIT 5')].join('\n');
    const shapes = shapesFromSqlText(text, { file: 'j.sql', origin: 'sql-file', lines: new LineIndex(text), schema }).shapes;
    assert.equal(shapes.length, 3);
    assert.ok(shapes.every((s) => s.accesses.length === 2));
    const memo = new VerdictMemo(schema, opts);
    const shared = shapes.map((s) => memo.verdictOf(s));
    const alone = verdictsFor(shapes, schema, opts);
    for (let i = 0; i < shapes.length; i++) {
      assert.equal(shared[i].accesses.length, alone[i].accesses.length);
      for (let j = 0; j < shared[i].accesses.length; j++) {
        const { access: a, ...sharedRest } = shared[i].accesses[j];
        const { access: b, ...aloneRest } = alone[i].accesses[j];
        assert.deepEqual(sharedRest, aloneRest);
        assert.deepEqual(a, b);
        // Its predicates are this shape's own (their ranges point at this statement).
        for (const p of a.predicates) assert.ok(shapes[i].accesses.some((x) => x.predicates.includes(p)));
      }
    }
    for (let j = 0; j < 2; j++) assert.equal(shared[0].accesses[j].candidates, shared[1].accesses[j].candidates, 'the repeated join shares each table\'s evaluation');
  });

  it("assesses a hash join's inner side on its own: two joins reading the same table once get their own missing-index findings, in either order", () => {
    const schema = schemaFrom(`
CREATE TABLE users (id bigint PRIMARY KEY, org int NOT NULL);
CREATE TABLE teams (id bigint PRIMARY KEY, kind int NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, owner_id bigint NOT NULL, status text NOT NULL);
`);
    const opts = options({ users: 100_000, teams: 100, orders: 10_000_000 });
    // Both read orders once for a hash join (the same evaluation); an index on owner_id pays for one team, not for ~500 users.
    const many = 'SELECT o.id, o.status FROM users u JOIN orders o ON o.owner_id = u.id WHERE u.org = $1;';
    const one = 'SELECT o.id, o.status FROM teams t JOIN orders o ON o.owner_id = t.id WHERE t.kind = $1;';
    const ordersFindings = (text: string) => {
      const shapes = shapesFromSqlText(text, { file: 'h.sql', origin: 'sql-file', lines: new LineIndex(text), schema }).shapes;
      const memo = new VerdictMemo(schema, opts);
      const verdicts = shapes.map((s) => memo.verdictOf(s));
      assert.ok(verdicts.every((v) => v.accesses.find((a) => a.access.table === 'orders')?.hashJoin), 'orders is hash-joined in both');
      return missingIndex
        .run({ schema, verdicts, options: opts })
        .filter((f) => f.table === 'orders')
        .map((f) => f.message.split(':')[0]);
    };
    const expected = ['SELECT on teams, orders'];
    assert.deepEqual(ordersFindings(`${many}\n${one}`), expected);
    assert.deepEqual(ordersFindings(`${one}\n${many}`), expected);
  });
});
