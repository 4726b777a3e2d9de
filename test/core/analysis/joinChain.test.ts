/**
 * Joins of three tables or more, as a chain: a table is looked up without the join keys that are a later
 * join's condition, and hands on the join's rows so far.
 */
import assert from 'node:assert/strict';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { LineIndex } from '../../../src/core/model/location';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { initSqlParser } from '../../../src/core/sql/parser';
import { options, schemaFrom } from '../matcher/harness';

const DDL = `
CREATE TABLE users (id bigint PRIMARY KEY, org int NOT NULL);
CREATE TABLE courses (id bigint PRIMARY KEY, title text NOT NULL);
CREATE TABLE enrollments (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), course_id bigint NOT NULL REFERENCES courses (id));
CREATE UNIQUE INDEX enrollments_user_id_course_id_key ON enrollments (user_id, course_id);
CREATE INDEX enrollments_course_id_idx ON enrollments (course_id);
CREATE TABLE orgs (id bigint PRIMARY KEY);
CREATE TABLE memberships (id bigint PRIMARY KEY, user_id bigint NOT NULL, org_id bigint NOT NULL);
CREATE UNIQUE INDEX memberships_user_id_org_id_key ON memberships (user_id, org_id);
`;
const opts = options({ users: 100_000, courses: 10_000, enrollments: 1_000_000, orgs: 1_000, memberships: 1_000_000 });

function verdicts(sql: string, ddl = DDL, matcher = opts) {
  const schema = schemaFrom(ddl);
  const { shapes } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
  const found = verdictsFor(shapes, schema, matcher)[0].accesses;
  return (table: string) => found.find((a) => a.access.table === table)!;
}

describe('joins of three tables or more, as a chain', () => {
  before(() => initSqlParser());

  it("looks a table up without its key to a table joined from it later: that is the later join's condition", () => {
    const v = verdicts('SELECT * FROM users u JOIN enrollments e ON e.user_id = u.id JOIN courses c ON c.id = e.course_id WHERE u.org = $1');
    const [e, c] = [v('enrollments'), v('courses')];
    assert.deepEqual(e.access.joinKeys, [{ column: 'user_id', otherTable: 'users', otherColumn: 'id' }]);
    // Per user, its enrollments: the unique (user_id, course_id) key is not one row per lookup when course_id is not known yet.
    assert.ok(e.matchedRows > 1, `enrollments per user: ${e.matchedRows}`);
    assert.deepEqual(c.access.joinKeys, [{ column: 'id', otherTable: 'enrollments', otherColumn: 'course_id' }]);
    // The enrollments of every user matched reach courses: many rows, so courses is read once and hashed.
    assert.equal(c.hashJoin, true);
    assert.ok(c.outerRows! >= v('users').matchedRows * e.matchedRows * 0.99, `rows reaching courses: ${c.outerRows}`);
  });

  it('reads comma joins the same way, whatever order the WHERE clause gives the conditions in', () => {
    const chain = verdicts('SELECT * FROM users u JOIN enrollments e ON e.user_id = u.id JOIN courses c ON c.id = e.course_id WHERE u.org = $1');
    const comma = verdicts('SELECT * FROM users u, enrollments e, courses c WHERE e.course_id = c.id AND e.user_id = u.id AND u.org = $1');
    assert.equal(comma('enrollments').access.joinedFrom, 'users');
    assert.deepEqual(comma('enrollments').access.joinKeys, chain('enrollments').access.joinKeys);
    assert.equal(comma('courses').outerRows, chain('courses').outerRows);
  });

  it('starts from a filtered table further along the join and walks back along the keys', () => {
    const v = verdicts('SELECT * FROM users u JOIN enrollments e ON e.user_id = u.id JOIN courses c ON c.id = e.course_id WHERE c.id = $1');
    assert.equal(v('courses').access.joinedFrom, undefined);
    assert.equal(v('courses').best?.index.name, 'courses_pkey');
    // Enrollments by their key to courses alone (user_id joins afterwards), then users by id.
    assert.deepEqual(v('enrollments').access.joinKeys, [{ column: 'course_id', otherTable: 'courses', otherColumn: 'id' }]);
    assert.equal(v('enrollments').access.joinedFrom, 'courses');
    assert.deepEqual(v('users').access.joinKeys, [{ column: 'id', otherTable: 'enrollments', otherColumn: 'user_id' }]);
    assert.equal(v('users').best?.index.name, 'users_pkey');
  });

  it('starts from a table further along that keys a handful of rows when the FROM table is filtered loosely, by the cost of the whole join', () => {
    const v = verdicts('SELECT * FROM users u JOIN enrollments e ON e.user_id = u.id JOIN courses c ON c.id = e.course_id WHERE c.id = $1 AND u.org = $2');
    assert.equal(v('courses').access.joinedFrom, undefined);
    assert.equal(v('enrollments').access.joinedFrom, 'courses');
    assert.equal(v('users').access.joinedFrom, 'enrollments');
    // The FROM table by its primary key keeps driving.
    const keeps = verdicts('SELECT * FROM users u JOIN enrollments e ON e.user_id = u.id JOIN courses c ON c.id = e.course_id WHERE c.id = $1 AND u.id = $2');
    assert.equal(keeps('users').access.joinedFrom, undefined);
  });

  it("keeps the FROM table driving when its index gives the ORDER BY … LIMIT (a start further along is not weighed against it)", () => {
    const v = verdicts('SELECT * FROM users u JOIN enrollments e ON e.user_id = u.id JOIN courses c ON c.id = e.course_id WHERE c.title = $1 ORDER BY u.id LIMIT 10');
    assert.equal(v('users').access.joinedFrom, undefined);
    assert.equal(v('users').best?.sortAvoided, true);
  });

  it('falls back to a filtered table joined to the FROM table when the walk from one further along fails', () => {
    // users (by the key implied from e.user_id = $1) is the most selective, but the CROSS JOIN leaves orgs unreachable from it.
    const v = verdicts('SELECT * FROM courses c JOIN enrollments e ON e.course_id = c.id JOIN users u ON u.id = e.user_id CROSS JOIN orgs o WHERE e.user_id = $1');
    assert.equal(v('enrollments').access.joinedFrom, undefined);
    assert.equal(v('courses').access.joinedFrom, 'enrollments');
  });

  it('walks past an outer-joined table, which joins as written, and keeps one key per column', () => {
    const v = verdicts('SELECT * FROM users u JOIN enrollments e ON e.user_id = u.id JOIN courses c ON c.id = e.course_id LEFT JOIN memberships m ON m.user_id = u.id WHERE c.id = $1');
    assert.equal(v('courses').access.joinedFrom, undefined);
    assert.equal(v('users').access.joinedFrom, 'enrollments');
    assert.equal(v('memberships').access.joinedFrom, 'users');
    assert.equal(v('memberships').access.outerJoined, true);
    const twice = verdicts('SELECT * FROM users u JOIN enrollments e ON e.user_id = u.id JOIN courses c ON c.id = e.course_id JOIN memberships m ON m.user_id = u.id AND m.org_id = c.id WHERE c.id = $1');
    const keyed = twice('users').access.joinKeys.map((k) => k.column);
    assert.deepEqual(keyed, [...new Set(keyed)]);
  });

  it('reads the joins of DELETE … USING and UPDATE … FROM as those of a SELECT: the filtered table drives', () => {
    for (const sql of ['DELETE FROM enrollments e USING courses c WHERE c.id = e.course_id AND c.title = $1', 'UPDATE enrollments e SET user_id = $2 FROM courses c WHERE c.id = e.course_id AND c.title = $1']) {
      const v = verdicts(sql);
      assert.equal(v('courses').access.joinedFrom, undefined, sql);
      assert.equal(v('enrollments').access.joinedFrom, 'courses', sql);
      assert.equal(v('enrollments').best?.index.name, 'enrollments_course_id_idx', sql);
    }
  });

  it('starts from whichever filtered table makes the whole join cost less, near or further along', () => {
    // courses (one row) is more selective than an org's ~5 memberships, but enrollments has no index on course_id:
    // starting from the memberships costs less.
    const ddl = `
      CREATE TABLE users (id bigint PRIMARY KEY);
      CREATE TABLE courses (id bigint PRIMARY KEY, title text NOT NULL);
      CREATE UNIQUE INDEX courses_title_key ON courses (title);
      CREATE TABLE enrollments (id bigint PRIMARY KEY, user_id bigint NOT NULL, course_id bigint NOT NULL);
      CREATE INDEX enrollments_user_id_idx ON enrollments (user_id);
      CREATE TABLE memberships (id bigint PRIMARY KEY, user_id bigint NOT NULL, org_id bigint NOT NULL);
      CREATE INDEX memberships_org_id_idx ON memberships (org_id);`;
    const sql = 'SELECT * FROM users u JOIN memberships m ON m.user_id = u.id JOIN enrollments e ON e.user_id = u.id JOIN courses c ON c.id = e.course_id WHERE m.org_id = $1 AND c.title = $2';
    const v = verdicts(sql, ddl, options({ users: 100_000, courses: 10_000, enrollments: 1_000_000, memberships: 1_000 }));
    assert.equal(v('memberships').access.joinedFrom, undefined);
    assert.equal(v('courses').access.joinedFrom, 'enrollments');
  });

  it('walks past a chain of outer joins, each placed once the table it is joined from is', () => {
    const v = verdicts('SELECT * FROM users u JOIN enrollments e ON e.user_id = u.id JOIN courses c ON c.id = e.course_id LEFT JOIN memberships m ON m.user_id = u.id LEFT JOIN orgs o ON o.id = m.org_id WHERE c.title = $1');
    assert.equal(v('courses').access.joinedFrom, undefined);
    assert.equal(v('users').access.joinedFrom, 'enrollments');
    assert.equal(v('orgs').access.joinedFrom, 'memberships');
  });

  it('looks a table up by one key per column, in the written order too', () => {
    const v = verdicts('SELECT * FROM users u JOIN enrollments e ON e.user_id = u.id JOIN memberships m ON m.user_id = u.id AND m.user_id = e.user_id WHERE u.org = $1');
    assert.equal(v('memberships').access.joinKeys.length, 1);
    assert.ok(v('memberships').matchedRows >= 1, `memberships per lookup: ${v('memberships').matchedRows}`);
  });

  it('keeps the written order when the keys do not reach every table from the filtered one', () => {
    const v = verdicts('SELECT * FROM users u JOIN enrollments e ON e.user_id = u.id CROSS JOIN courses c WHERE c.id = $1');
    assert.equal(v('users').access.joinedFrom, undefined);
  });

  it("keeps a key to a later table that is joined from elsewhere: a LATERAL sub-select's correlation", () => {
    const v = verdicts('SELECT * FROM users u JOIN orgs o ON o.id = u.id CROSS JOIN LATERAL (SELECT * FROM memberships m WHERE m.user_id = u.id AND m.org_id = o.id LIMIT 5) x WHERE u.org = $1');
    assert.deepEqual(v('memberships').access.joinKeys.map((j) => j.otherTable).sort(), ['orgs', 'users']);
  });
});
