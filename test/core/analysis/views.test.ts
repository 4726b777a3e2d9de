/**
 * Views from the migrations: PostgreSQL's rewriter puts a view's query where a statement reads it, so a
 * query on a view is analysed as a read of the view's tables (its conditions included), through their indexes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Project } from '../../../src/core/project';
import { lintMigrationHistory } from '../../../src/core/migration/lint';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { LineIndex } from '../../../src/core/model/location';
import type { TableAccess } from '../../../src/core/model/query';
import type { SchemaModel } from '../../../src/core/model/schema';
import { loadMigrations } from '../../../src/core/schema/migrations/loadMigrations';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { initSqlParser } from '../../../src/core/sql/parser';
import { options } from '../matcher/harness';

const TABLES = `
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, "orgId" int, "deletedAt" timestamptz);
CREATE INDEX users_email_idx ON users (email);
CREATE TABLE courses (id bigint PRIMARY KEY, title text NOT NULL);
CREATE TABLE enrollments (id bigint PRIMARY KEY, "userId" bigint NOT NULL, "courseId" bigint NOT NULL);
CREATE INDEX enrollments_userId_idx ON enrollments ("userId");
CREATE VIEW active_users AS SELECT * FROM users WHERE "deletedAt" IS NULL;
CREATE VIEW enrollment_details (enrollment_id, user_id, course_title) AS
  SELECT e.id, e."userId", c.title FROM enrollments e JOIN courses c ON c.id = e."courseId";
`;
const opts = options({ users: 100_000, courses: 1_000, enrollments: 1_000_000 });

function schemaOf(...migrations: string[]): SchemaModel {
  const r = loadMigrations(migrations.map((text, i) => ({ file: `/w/migrations/${i + 1}_m/migration.sql`, text })));
  assert.deepEqual(r.problems.map((p) => p.message), []);
  return r.schema;
}

function analyse(sql: string, schema: SchemaModel) {
  const { shapes, problems } = shapesFromSqlText(sql, { file: '/w/q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
  assert.deepEqual(problems, []);
  assert.equal(shapes.length, 1);
  return { shape: shapes[0], accesses: verdictsFor(shapes, schema, opts)[0].accesses };
}

const filters = (a: TableAccess) => a.predicates.map((p) => (p.atom.kind === 'compare' ? `${p.atom.column}${p.atom.op}` : p.atom.kind === 'null' ? `${p.atom.column} null` : p.atom.kind)).sort();

describe('views: a query on a view is a query on its tables', () => {
  before(() => initSqlParser());

  it("reads the view's table with the view's condition and the query's, through the table's index", () => {
    const sql = 'SELECT id FROM active_users WHERE email = $1';
    const { shape, accesses } = analyse(sql, schemaOf(TABLES));
    assert.deepEqual(accesses.map((a) => a.access.table), ['users']);
    assert.deepEqual(filters(accesses[0].access), ['deletedAt null', 'email=']);
    assert.equal(accesses[0].best?.index.name, 'users_email_idx');
    // The query's own condition is where it is written; the view's is in the migration, so it has no place here.
    const email = accesses[0].access.predicates.find((p) => p.atom.kind === 'compare')!;
    assert.deepEqual(email.range?.start, { line: 0, character: sql.indexOf('email') });
    assert.equal(accesses[0].access.predicates.find((p) => p.atom.kind === 'null')!.range, undefined);
    assert.equal(shape.label, 'SELECT on users');
  });

  it('maps the names a view gives its columns to the columns of its tables, across its join', () => {
    const { accesses } = analyse('SELECT course_title FROM enrollment_details WHERE user_id = $1', schemaOf(TABLES));
    const enrollments = accesses.find((a) => a.access.table === 'enrollments')!;
    assert.deepEqual(filters(enrollments.access), ['userId=']);
    assert.equal(enrollments.best?.index.name, 'enrollments_userid_idx'); // unquoted: folded to lower case
    assert.ok(accesses.some((a) => a.access.table === 'courses'));
  });

  it('follows a rename of its table or of a column it reads, as PostgreSQL binds a view to them; and its own column renamed', () => {
    const tableRenamed = schemaOf(TABLES, 'ALTER TABLE users RENAME TO people;');
    const a = analyse('SELECT * FROM active_users WHERE email = $1', tableRenamed).accesses;
    assert.deepEqual(a.map((x) => [x.access.table, x.best?.index.name]), [['people', 'users_email_idx']]);

    const columnRenamed = schemaOf(TABLES, 'ALTER TABLE enrollments RENAME COLUMN "userId" TO "studentId";');
    const e = analyse('SELECT course_title FROM enrollment_details WHERE user_id = $1', columnRenamed).accesses.find((x) => x.access.table === 'enrollments')!;
    assert.deepEqual(filters(e.access), ['studentId=']);

    // The view's column keeps the name it had (email), whatever the table's is now.
    const emailRenamed = schemaOf(TABLES, 'CREATE VIEW user_emails AS SELECT id, email FROM users;', 'ALTER TABLE users RENAME COLUMN email TO mail;');
    assert.deepEqual(filters(analyse('SELECT id FROM user_emails WHERE email = $1', emailRenamed).accesses[0].access), ['mail=']);

    const viewColumn = schemaOf(TABLES, 'ALTER VIEW enrollment_details RENAME COLUMN user_id TO student;', 'CREATE VIEW v2 AS SELECT id, email FROM users;', 'ALTER VIEW v2 RENAME COLUMN email TO address;');
    assert.deepEqual(filters(analyse('SELECT * FROM enrollment_details WHERE student = $1', viewColumn).accesses.find((x) => x.access.table === 'enrollments')!.access), ['userId=']);
    assert.deepEqual(filters(analyse('SELECT * FROM v2 WHERE address = $1', viewColumn).accesses[0].access), ['email=']);
  });

  it('a * view has the columns of the table when the view was made, under the names they had then', () => {
    const later = schemaOf(TABLES, 'ALTER TABLE users RENAME COLUMN email TO mail;', 'ALTER TABLE users ADD COLUMN nickname text;');
    // email is still the view's name for the column, now mail in the table.
    assert.deepEqual(filters(analyse('SELECT id FROM active_users WHERE email = $1', later).accesses[0].access), ['deletedAt null', 'mail=']);
  });

  it('lints a later migration that renames a view or its column against the view (no "does not exist")', () => {
    const r = lintMigrationHistory(
      [
        { file: '/w/migrations/1_a/migration.sql', text: TABLES },
        { file: '/w/migrations/2_b/migration.sql', text: 'ALTER VIEW enrollment_details RENAME COLUMN user_id TO student;\nALTER VIEW active_users RENAME TO live_users;\n' },
      ],
      { report: () => true },
    );
    assert.deepEqual(r.findings.filter((f) => f.rule === 'statement-fails').map((f) => f.message), []);
  });

  it('reads an UPDATE or DELETE through a simple view as a write of its table, with the view’s condition', () => {
    for (const sql of ['UPDATE active_users SET email = $2 WHERE "orgId" = $1', 'DELETE FROM active_users WHERE "orgId" = $1']) {
      const { accesses } = analyse(sql, schemaOf(TABLES));
      assert.deepEqual(accesses.map((a) => a.access.table), ['users'], sql);
      assert.deepEqual(filters(accesses[0].access), ['deletedAt null', 'orgId='], sql);
    }
  });

  it('expands a view that reads another view', () => {
    const schema = schemaOf(TABLES, 'CREATE VIEW active_user_emails AS SELECT id, email FROM active_users WHERE email LIKE \'%@%\';');
    const { accesses } = analyse('SELECT id FROM active_user_emails WHERE email = $1', schema);
    assert.deepEqual(accesses.map((a) => a.access.table), ['users']);
    assert.deepEqual(filters(accesses[0].access), ['deletedAt null', 'email=', 'like']);
  });

  it('lets a CTE of the same name hide the view', () => {
    const { accesses } = analyse('WITH active_users AS MATERIALIZED (SELECT * FROM courses) SELECT * FROM active_users WHERE title = $1', schemaOf(TABLES));
    assert.deepEqual(accesses.map((a) => a.access.table), ['courses']);
  });

  it('follows CREATE OR REPLACE, ALTER VIEW … RENAME and DROP VIEW in later migrations', () => {
    const replaced = schemaOf(TABLES, 'CREATE OR REPLACE VIEW active_users AS SELECT * FROM users WHERE "orgId" IS NOT NULL;');
    assert.deepEqual(filters(analyse('SELECT * FROM active_users WHERE email = $1', replaced).accesses[0].access), ['email=', 'orgId null']);

    const renamed = schemaOf(TABLES, 'ALTER VIEW active_users RENAME TO live_users;');
    assert.deepEqual(analyse('SELECT * FROM live_users WHERE email = $1', renamed).accesses.map((a) => a.access.table), ['users']);
    assert.deepEqual(analyse('SELECT * FROM active_users WHERE email = $1', renamed).accesses.map((a) => a.access.table), ['active_users']);

    const dropped = schemaOf(TABLES, 'DROP VIEW enrollment_details;');
    assert.deepEqual(analyse('SELECT * FROM enrollment_details WHERE user_id = $1', dropped).accesses.map((a) => a.access.table), ['enrollment_details']);
  });
});

describe('views: a Prisma Client call on a view model', function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    await initSqlParser();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-prisma-view-'));
    const files: Record<string, string> = {
      'prisma/schema.prisma': `generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views"]
}
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
model User {
  id        Int       @id
  email     String
  orgId     Int
  deletedAt DateTime?
  @@index([orgId])
  @@map("users")
}
view ActiveUser {
  id       Int    @unique
  email    String
  org      Int
  mail     String
  @@map("active_users")
}
`,
      'prisma/migrations/1_init/migration.sql': `CREATE TABLE "users" ("id" INTEGER PRIMARY KEY, "email" TEXT NOT NULL, "orgId" INTEGER NOT NULL, "deletedAt" TIMESTAMP(3));
CREATE INDEX "users_orgId_idx" ON "users"("orgId");
CREATE INDEX "users_lower_email_idx" ON "users" (lower("email"));
CREATE VIEW "active_users" AS SELECT "id", "email", "orgId" AS "org", lower("email") AS "mail" FROM "users" WHERE "deletedAt" IS NULL;
`,
      'pg-index-review.json': JSON.stringify({ rows: { users: 1_000_000 } }),
      'src/users.ts': `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export const byEmail = (email: string) => prisma.activeUser.findMany({ where: { email } });
export const byOrg = (org: number) => prisma.activeUser.findMany({ where: { org }, orderBy: { email: 'asc' }, take: 20 });
export const byMail = (mail: string) => prisma.activeUser.findMany({ where: { mail } });
`,
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads the view's table under the table's column names, with the view's condition, and proposes the table's index", async () => {
    const project = await Project.open(dir);
    const r = project.analyze();
    const [byEmail, byOrg, byMail] = r.verdicts.filter((v) => v.shape.origin === 'prisma').map((v) => v.accesses[0]);
    // A computed column's condition is one on its expression: the expression index serves it.
    assert.equal(byMail.best?.index.name, 'users_lower_email_idx', byMail.reason);
    assert.equal(byEmail.access.table, 'users');
    assert.deepEqual(filters(byEmail.access), ['deletedAt null', 'email=']);
    assert.equal(byOrg.best?.index.name, 'users_orgId_idx');
    assert.deepEqual(filters(byOrg.access), ['deletedAt null', 'orgId=']);
    assert.deepEqual(byOrg.access.orderBy.map((o) => o.column), ['email']);
    // Both calls get the table's partial index (the view's condition is its predicate).
    // (The third is what the same query in SQL gets: the expression index, made partial on the view's condition.)
    const fixes = r.findings.filter((f) => f.rule === 'missing-index').map((f) => f.fix?.sql ?? '');
    assert.equal(fixes.length, 3, fixes.join('\n'));
    assert.match(fixes[0], /ON "users" \("email"\) WHERE "deletedAt" IS NULL/);
    assert.match(fixes[1], /ON "users" \("orgId", "email"\) WHERE "deletedAt" IS NULL/);
    assert.match(fixes[2], /ON "users" \(\(lower\(email\)\)\) WHERE "deletedAt" IS NULL/);
    // The view is no table: no drift says the migrations lack it.
    assert.deepEqual(r.findings.filter((f) => f.rule === 'schema-drift' && /ActiveUser|active_users/.test(f.message)).map((f) => f.message), []);
  });
});
