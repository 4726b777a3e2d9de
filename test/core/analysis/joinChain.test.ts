/**
 * Joins of three tables or more, as a chain: each table is looked up with its join keys to the tables
 * joined before it only, and a table hands on the join's rows so far — at least one per row for the
 * nullable side of an outer join, which keeps rows it has no match for.
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
CREATE TABLE profiles (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), kind text NOT NULL);
CREATE UNIQUE INDEX profiles_user_id_key ON profiles (user_id);
CREATE TABLE avatars (id bigint PRIMARY KEY, profile_id bigint NOT NULL REFERENCES profiles (id));
CREATE INDEX avatars_profile_id_idx ON avatars (profile_id);
`;
const opts = options({ users: 100_000, courses: 10_000, enrollments: 1_000_000, profiles: 100_000, avatars: 1_000_000 });

function verdicts(sql: string) {
  const schema = schemaFrom(DDL);
  const { shapes } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
  const found = verdictsFor(shapes, schema, opts)[0].accesses;
  return (table: string) => found.find((a) => a.access.table === table)!;
}

describe('joins of three tables or more, as a chain', () => {
  before(() => initSqlParser());

  it("looks a table up by its keys to the tables joined before it only: a key to a later table is that join's condition", () => {
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

  it('keeps every row through the nullable side of an outer join, matched or not', () => {
    const v = verdicts("SELECT * FROM users u LEFT JOIN profiles p ON p.user_id = u.id AND p.kind = 'x' LEFT JOIN avatars a ON a.profile_id = p.id WHERE u.org = $1");
    // Few users have a profile of that kind (one lookup finds ~0.005), but each user matched is a row avatars is joined to.
    const [u, a] = [v('users'), v('avatars')];
    assert.ok(a.outerRows! >= u.matchedRows * 0.99, `rows reaching avatars: ${a.outerRows} of ${u.matchedRows} users`);
  });
});
