/**
 * Outer joins as PostgreSQL plans them: a condition that rejects a nullable table's NULL row makes its join
 * inner (reduce_outer_joins), a WHERE condition on a table that stays nullable filters the joined rows (not that
 * table's scan), an outer join's ON condition on its preserved side filters nothing, and the nullable side hands
 * on at least one row per row it is joined to.
 */
import assert from 'node:assert/strict';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { LineIndex } from '../../../src/core/model/location';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { initSqlParser } from '../../../src/core/sql/parser';
import { options, schemaFrom } from '../matcher/harness';

const DDL = `
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, org int NOT NULL, name text);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_org_idx ON users (org);
CREATE TABLE courses (id bigint PRIMARY KEY, title text NOT NULL, published boolean NOT NULL);
CREATE INDEX courses_published_idx ON courses (published);
CREATE TABLE enrollments (id bigint PRIMARY KEY, user_id bigint NOT NULL, course_id bigint NOT NULL, status text NOT NULL);
CREATE INDEX enrollments_user_id_idx ON enrollments (user_id);
CREATE INDEX enrollments_course_id_idx ON enrollments (course_id);
CREATE TABLE certificates (id bigint PRIMARY KEY, user_id bigint NOT NULL, course_id bigint NOT NULL);
CREATE INDEX certificates_user_id_idx ON certificates (user_id);
`;
const opts = options({ users: 100_000, courses: 10_000, enrollments: 1_000_000, certificates: 1_000 });

function verdicts(sql: string) {
  const schema = schemaFrom(DDL);
  const { shapes, problems } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
  assert.deepEqual(problems, []);
  const found = verdictsFor(shapes, schema, opts)[0].accesses;
  return (table: string) => found.find((a) => a.access.table === table)!;
}

const LEFT_CHAIN = 'SELECT * FROM enrollments e LEFT JOIN courses c ON c.id = e.course_id LEFT JOIN users u ON u.id = e.user_id';

describe('outer joins', () => {
  before(() => initSqlParser());

  it('makes a LEFT JOIN inner when the WHERE clause rejects its NULL row: the filtered table can then drive', () => {
    const outer = verdicts(LEFT_CHAIN);
    assert.equal(outer('users').access.outerJoined, true);
    const v = verdicts(`${LEFT_CHAIN} WHERE u.email = $1`);
    assert.equal(v('users').access.outerJoined, undefined);
    // One user by its unique email, then that user's enrollments by user_id: not every enrollment read.
    assert.equal(v('users').access.joinedFrom, undefined);
    assert.equal(v('users').best?.index.name, 'users_email_key');
    assert.equal(v('enrollments').access.joinedFrom, 'users');
    assert.equal(v('enrollments').best?.index.name, 'enrollments_user_id_idx');
    // courses is still outer-joined: nothing rejects its NULL row.
    assert.equal(v('courses').access.outerJoined, true);
  });

  it("carries the inner join down a chain: the upper join's ON condition rejects the NULL row of the table below", () => {
    const sql = 'SELECT * FROM users u LEFT JOIN enrollments e ON e.user_id = u.id LEFT JOIN courses c ON c.id = e.course_id';
    assert.equal(verdicts(sql)('enrollments').access.outerJoined, true);
    const v = verdicts(`${sql} WHERE c.published`);
    assert.equal(v('courses').access.outerJoined, undefined);
    assert.equal(v('enrollments').access.outerJoined, undefined);
  });

  it('keeps the join outer for a condition that a NULL row passes, or that only one branch of an OR rejects', () => {
    for (const where of ['u.email IS NULL', 'u.email IS DISTINCT FROM $1', 'coalesce(u.name, $1) = $2', 'u.email = $1 OR e.status = $2']) {
      const v = verdicts(`${LEFT_CHAIN} WHERE ${where}`);
      assert.equal(v('users').access.outerJoined, true, where);
    }
    for (const where of ['u.email = $1 OR u.org = $2', 'lower(u.email) = $1', 'u.name IS NOT NULL', 'u.org::text LIKE $1', 'NOT (u.name IS NULL)', 'u.org <> ALL (ARRAY[1, 2])', 'u.name = coalesce($1, $2)', 'strpos(u.email, $1) > 0', "split_part(u.email, '@', 2) = $1", 'cardinality(regexp_match(u.email, $1)) > 0']) {
      assert.equal(verdicts(`${LEFT_CHAIN} WHERE ${where}`)('users').access.outerJoined, undefined, where);
    }
  });

  it('reads `LEFT JOIN … WHERE x.id IS NULL` (an anti-join) as no filter on x: its rows are looked up or hashed by the join key', () => {
    const v = verdicts('SELECT c.* FROM courses c LEFT JOIN enrollments e ON e.course_id = c.id WHERE e.id IS NULL');
    const e = v('enrollments');
    assert.deepEqual(e.access.predicates, []);
    assert.notEqual(e.best?.index.name, 'enrollments_pkey');
  });

  it("does not filter the preserved side by the outer join's ON condition; the nullable side keeps its own", () => {
    const v = verdicts('SELECT * FROM courses c LEFT JOIN enrollments e ON e.course_id = c.id AND c.published = false AND e.status = $1');
    assert.deepEqual(v('courses').access.predicates, []);
    assert.deepEqual(
      v('enrollments').access.predicates.map((p) => p.atom),
      [{ kind: 'compare', column: 'status', op: '=', value: { kind: 'param' } }],
    );
  });

  it('reads RIGHT and FULL joins the same way, side for side', () => {
    const right = verdicts('SELECT * FROM enrollments e RIGHT JOIN users u ON u.id = e.user_id WHERE e.status = $1');
    assert.equal(right('enrollments').access.outerJoined, undefined);
    assert.equal(verdicts('SELECT * FROM enrollments e RIGHT JOIN users u ON u.id = e.user_id')('enrollments').access.outerJoined, true);
    const full = verdicts('SELECT * FROM enrollments e FULL JOIN users u ON u.id = e.user_id WHERE e.status = $1');
    assert.equal(full('enrollments').access.outerJoined, undefined);
    assert.equal(full('users').access.outerJoined, true);
  });

  it('hands on at least one row per row from the nullable side, so the next table sees every row joined so far', () => {
    // The users of one org; a certificate for one course is rare, so most of them get the NULL row.
    const sql = 'SELECT * FROM users u LEFT JOIN certificates ce ON ce.user_id = u.id AND ce.course_id = $2 LEFT JOIN courses c ON c.id = ce.course_id WHERE u.org = $1';
    const v = verdicts(sql);
    assert.ok(v('courses').outerRows! >= v('users').matchedRows * 0.99, `rows reaching courses: ${v('courses').outerRows} of ${v('users').matchedRows} users`);
  });
});

describe('outer joins: rows along a chain', () => {
  before(() => initSqlParser());

  it('hands on at least one row per row at every outer join of a chain, and once for a parenthesised inner join', () => {
    const chain = verdicts('SELECT * FROM users u LEFT JOIN certificates ce ON ce.user_id = u.id AND ce.course_id = $2 LEFT JOIN courses c ON c.id = ce.course_id AND c.published LEFT JOIN enrollments e ON e.course_id = c.id AND e.status = $3 WHERE u.org = $1');
    assert.equal(chain('courses').access.outerJoin === chain('certificates').access.outerJoin, false);
    assert.ok(chain('enrollments').outerRows! >= chain('users').matchedRows * 0.99, `rows reaching enrollments: ${chain('enrollments').outerRows}`);
    const nested = verdicts('SELECT * FROM users u LEFT JOIN (enrollments e JOIN courses c ON c.id = e.course_id) ON e.user_id = u.id WHERE u.org = $1');
    assert.equal(nested('courses').access.outerJoin, nested('enrollments').access.outerJoin);
  });
});

describe('outer joins: what settles them', () => {
  before(() => initSqlParser());

  it('keeps a WHERE filter on a table it cannot prove non-nullable, and proves NOT, IN (SELECT …), row equality and other functions', () => {
    // A NULL row fails each of these: the join is inner and the filter is the table's own.
    for (const where of ['NOT c.published', 'c.title IN (SELECT name FROM users)', '(c.title, c.published) = ($1, true)', 'date(c.title) = $1']) {
      const c = verdicts(`SELECT * FROM users u LEFT JOIN courses c ON c.id = u.org WHERE ${where}`)('courses');
      assert.equal(c.access.outerJoined, undefined, where);
      assert.ok(c.access.predicates.length > 0, where);
    }
    // A function of the user's may be STRICT or not: the join stays outer, and the filter stays where it was written.
    for (const where of ['my_check(c.title)', 'app.lower(c.title) = $1']) {
      const unknown = verdicts(`SELECT * FROM users u LEFT JOIN courses c ON c.id = u.org WHERE ${where}`)('courses');
      assert.equal(unknown.access.outerJoined, true, where);
      assert.ok(unknown.access.predicates.length > 0, where);
    }
  });

  it('checks a condition PostgreSQL does not count as rejecting the NULL row on the joined rows, not in the scan', () => {
    // `<> ALL` of an empty array is true for a NULL title; an OR with an IS NULL branch; COALESCE; IS DISTINCT FROM.
    for (const where of ['c.title <> ALL($1)', '(c.id IS NULL OR c.title = $1)', 'coalesce(c.title, $1) = $1', 'c.title IS DISTINCT FROM $1', "lower(coalesce(c.title, '')) = $1", 'NOT (c.title = ANY ($1))']) {
      const c = verdicts(`SELECT * FROM users u LEFT JOIN courses c ON c.id = u.org WHERE ${where}`)('courses');
      assert.equal(c.access.outerJoined, true, where);
      assert.deepEqual(c.access.predicates, [], where);
    }
  });

  it("passes an inner join's ON condition down: it rejects the NULL row of an outer join below it", () => {
    const v = verdicts('SELECT * FROM users u LEFT JOIN enrollments e ON e.user_id = u.id JOIN courses c ON c.id = e.course_id');
    assert.equal(v('enrollments').access.outerJoined, undefined);
  });

  it('leaves a parenthesised inner join on the nullable side outer, whatever its own ON condition says', () => {
    const v = verdicts('SELECT * FROM users u LEFT JOIN (enrollments e JOIN courses c ON c.id = e.course_id AND c.published) ON e.user_id = u.id');
    assert.equal(v('enrollments').access.outerJoined, true);
    assert.equal(v('courses').access.outerJoined, true);
  });

  it("filters a RIGHT JOIN's left side by its ON condition, not its right (preserved) side", () => {
    const v = verdicts('SELECT * FROM enrollments e RIGHT JOIN users u ON u.id = e.user_id AND u.org = 5 AND e.status = $1');
    assert.deepEqual(v('users').access.predicates, []);
    assert.equal(v('enrollments').access.predicates.length, 1);
  });

  it("does not join two preserved tables by an outer join's ON condition", () => {
    const v = verdicts('SELECT * FROM users u JOIN courses c ON true LEFT JOIN enrollments e ON e.user_id = u.id AND c.id = u.org');
    assert.deepEqual(v('courses').access.joinKeys, []);
  });

  it('settles the joins of UPDATE … FROM the same way', () => {
    const v = verdicts('UPDATE courses c SET title = $2 FROM users u LEFT JOIN enrollments e ON e.user_id = u.id WHERE e.status = $1 AND c.id = e.course_id');
    assert.equal(v('enrollments').access.outerJoined, undefined);
  });
});
