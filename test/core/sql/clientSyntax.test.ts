/**
 * .sql files as people keep them: psql scripts and pg_dump output, named parameters (psql variables,
 * PgTyped), and query files written for other databases or as templates.
 */
import assert from 'node:assert/strict';
import type { QueryShape } from '../../../src/core/model/query';
import { loadMigrations } from '../../../src/core/schema/migrations/loadMigrations';
import { bindNamedParameters, blankPsqlMetaCommands } from '../../../src/core/sql/clientSyntax';
import { initSqlParser, parseSqlDocument } from '../../../src/core/sql/parser';
import { extractFile } from '../../../src/core/workspace/extractFile';
import { positionAt } from '../../helpers/text';

const DDL = `CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, "orgId" int);
CREATE TABLE events (id bigserial PRIMARY KEY, "userId" int, kind text);`;

function schema() {
  return loadMigrations([{ file: '/w/migrations/1/migration.sql', text: DDL }]).schema;
}

function extractSql(text: string) {
  return extractFile('/w/sql/q.sql', 'sql', text, schema());
}

/** The columns each query filters on, per table, as `table.column` strings. */
function filters(shapes: QueryShape[]): string[] {
  return shapes.flatMap((s) => s.accesses.flatMap((a) => a.predicates.map((p) => `${a.table}.${'column' in p.atom ? p.atom.column : p.atom.kind}`)));
}

/** Where `needle` (its first occurrence) is in `text`: 0-based line and character. */
function positionOf(text: string, needle: string): { line: number; character: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  return positionAt(text, at);
}

describe('.sql files: psql scripts, named parameters, other dialects', () => {
  before(() => initSqlParser());

  describe('blankPsqlMetaCommands', () => {
    it('blanks meta-commands and COPY … FROM stdin rows, keeping every offset, and leaves backslashes in literals', () => {
      const text = [
        '\\restrict AbC123',
        "SET client_encoding = 'UTF8';",
        '\\connect lms',
        "SELECT E'a\\\\b', $$ \\x $$ FROM users WHERE email = 'x'; \\gset",
        'COPY public.users (id, email, "orgId") FROM stdin;',
        "1\tit's; a \\N row\t\\N",
        '2\tb@c\t3',
        '\\.',
        'SELECT id FROM events WHERE "userId" = 1;',
        '\\unrestrict AbC123',
      ].join('\n');
      const out = blankPsqlMetaCommands(text)!;
      assert.equal(out.length, text.length);
      assert.deepEqual(out.split('\n').map((l) => l.length), text.split('\n').map((l) => l.length));
      const stmts = parseSqlDocument(out);
      assert.deepEqual(stmts.filter((s) => s.error).map((s) => s.error!.message), []);
      assert.equal(stmts.length, 4);
      assert.ok(out.includes("E'a\\\\b', $$ \\x $$"), 'literals are kept');
      assert.ok(!out.includes('restrict') && !out.includes('connect') && !out.includes('gset') && !out.includes("it's"));
    });

    it("skips the rows of psql's \\copy … from stdin and of a COPY … FROM stdin written over several lines", () => {
      for (const copy of ['\\copy users (id, email) FROM stdin', 'COPY users (id, email)\n  FROM stdin;']) {
        const text = `SELECT * FROM users WHERE email = $1;\n${copy}\n1\ta@b\n2\t\\N\n\\.\nSELECT * FROM events WHERE kind = $1;\n`;
        const r = extractSql(text);
        assert.deepEqual(r.problems, [], copy);
        assert.deepEqual(filters(r.shapes), ['users.email', 'events.kind'], copy);
      }
    });

    it('blanks every one of thousands of meta-commands', () => {
      const lines: string[] = [];
      for (let i = 0; i < 5000; i++) lines.push(i % 2 ? `\\echo 'step ${i}'` : `SELECT * FROM users WHERE email = 'u${i}';`);
      const text = lines.join('\n');
      const out = blankPsqlMetaCommands(text)!;
      assert.equal(out.length, text.length);
      assert.equal((out.match(/\\/g) ?? []).length, 0);
      assert.equal(parseSqlDocument(out).filter((s) => s.error).length, 0);
    });

    it('returns undefined for text with no backslash outside literals to blank', () => {
      assert.equal(blankPsqlMetaCommands('SELECT 1;'), undefined);
    });
  });

  describe('bindNamedParameters', () => {
    const bound = (sql: string) => {
      const out = bindNamedParameters(sql);
      assert.ok(out !== undefined, sql);
      assert.equal(out.length, sql.length);
      const [stmt] = parseSqlDocument(out);
      assert.equal(stmt.error, undefined, `${out}: ${stmt.error?.message}`);
      return out;
    };

    it('binds :name, :name! and IN :list as parameters, :\'x\' as a literal and :"x" as an identifier', () => {
      assert.equal(bound('SELECT * FROM users WHERE email = :email AND "orgId" = :orgId!'), 'SELECT * FROM users WHERE email = $1     AND "orgId" = $1     ');
      assert.equal(bound('SELECT * FROM users WHERE id IN :ids'), 'SELECT * FROM users WHERE id IN ($1)');
      assert.equal(bound(`SELECT * FROM :"tbl" WHERE email = :'email'`), `SELECT * FROM  "tbl" WHERE email =  'email'`);
    });

    it('binds parameters in an ARRAY[…] and a short list name after IN', () => {
      assert.equal(bound("SELECT * FROM users WHERE email = :email AND status = ANY (ARRAY[:s1, :s2])"), 'SELECT * FROM users WHERE email = $1     AND status = ANY (ARRAY[$1 , $1 ])');
      assert.equal(bound("SELECT * FROM users WHERE email = ANY (ARRAY[:'e1', :'e2'])"), "SELECT * FROM users WHERE email = ANY (ARRAY[ 'e1',  'e2'])");
      assert.equal(bound('SELECT * FROM users WHERE id IN :id'), 'SELECT * FROM users WHERE id IN($1)');
    });

    it('leaves casts, assignments, slices and colons in literals alone', () => {
      assert.equal(bindNamedParameters(`SELECT a::int, b[1:n], ':x' FROM t`), undefined);
      assert.equal(bindNamedParameters('SELECT 1'), undefined);
    });
  });

  it("reads Sequelize's named replacements in a query string as parameters", () => {
    const text = "export const byEmail = (email: string) =>\n  sequelize.query('SELECT id FROM users WHERE email = :email', { replacements: { email } });\n";
    const r = extractFile('/w/src/users.ts', 'script', text, schema());
    assert.deepEqual(r.problems, []);
    assert.deepEqual(filters(r.shapes), ['users.email']);
  });

  describe('a .sql file', () => {
    it('holding PgTyped queries is analysed with its parameters bound', () => {
      const text = '/* @name FindUser */\nSELECT * FROM users WHERE email = :email!;\n\n/* @name ByOrg */\nSELECT id FROM users WHERE "orgId" IN :orgIds;\n';
      const r = extractSql(text);
      assert.deepEqual(r.problems, []);
      assert.deepEqual(filters(r.shapes), ['users.email', 'users.orgId']);
      assert.deepEqual(r.shapes[0].location.range.start, positionOf(text, 'SELECT * FROM users'));
    });

    it('that is a psql script is analysed, its meta-commands and variables aside', () => {
      const text = "\\set ON_ERROR_STOP on\n\\set uid 42\nSELECT kind FROM events WHERE \"userId\" = :uid ORDER BY id DESC;\nSELECT * FROM users WHERE email = :'email';\n";
      const r = extractSql(text);
      assert.deepEqual(r.problems, []);
      assert.deepEqual(filters(r.shapes), ['events.userId', 'users.email']);
    });

    for (const [dialect, text, mark] of [
      ['MySQL', 'CREATE TABLE `users` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\nSELECT * FROM `users` WHERE `email` = \'a\';\n', '`users`'],
      ['SQL Server', 'SELECT TOP 10 [id], [email] FROM [dbo].[users] WHERE [email] = \'x\'\nGO\n', 'SELECT TOP 10'],
      ['ClickHouse', 'CREATE TABLE events (id UInt64, ts DateTime) ENGINE = MergeTree ORDER BY ts;\nSELECT count() FROM events FORMAT JSON;\n', 'UInt64'],
      ['a Jinja template (dbt)', "{{ config(materialized='table') }}\nselect id from {{ ref('stg_users') }} where email is not null\n", '{{'],
      ['SQLite', 'CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT);\nPRAGMA foreign_keys = ON;\n', 'AUTOINCREMENT'],
      ['Oracle', 'CREATE TABLE staff (id NUMBER(10) PRIMARY KEY, boss NUMBER(10));\nSELECT id FROM staff START WITH boss IS NULL CONNECT BY PRIOR id = boss;\n', 'CONNECT BY'],
    ] as const) {
      it(`written for ${dialect} gets one note at its first mark, and no query of it is analysed`, () => {
        const r = extractSql(text);
        assert.deepEqual(r.shapes, []);
        assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
        const [note] = r.problems;
        assert.equal(note.rule, 'non-postgres-sql');
        assert.equal(note.severity, 'info');
        assert.ok(note.message.includes(`looks like ${dialect},`), note.message);
        assert.match(note.message, /syntax error at or near/);
        assert.deepEqual(note.range.start, positionOf(text, mark));
      });
    }

    it('of PostgreSQL with one statement in another dialect keeps that statement’s error and analyses the rest', () => {
      const text = "SELECT * FROM users WHERE email = 'a';\nSELECT * FROM `users` WHERE id = 1;\nSELECT * FROM events WHERE kind = 'x';\n";
      const r = extractSql(text);
      assert.deepEqual(r.problems.map((p) => [p.rule, p.severity, p.range.start.line]), [['parse-error', 'error', 1]]);
      assert.deepEqual(filters(r.shapes), ['users.email', 'events.kind']);
    });

    it("that is broken PostgreSQL keeps its errors, whatever its comments and strings hold", () => {
      const text = "-- the `users` table, see [dbo] docs\nSELECT * FROM users WHERE email = 'ENGINE=InnoDB' AND;\n";
      const r = extractSql(text);
      assert.deepEqual(r.problems.map((p) => [p.rule, p.severity]), [['parse-error', 'error']]);
    });

    it('of PostgreSQL being typed keeps its errors and the analysis of its other statements: ARRAY [x] and "Int64" are no marks', () => {
      for (const typing of ['SELECT * FROM users WHERE email = ANY (ARRAY [email]) AND', 'SELECT "Int64" FROM users WHERE']) {
        const r = extractSql(`SELECT * FROM users WHERE email = $1;\n${typing}\n`);
        assert.deepEqual(r.problems.map((p) => [p.rule, p.severity]), [['parse-error', 'error']], typing);
        assert.deepEqual(filters(r.shapes), ['users.email'], typing);
      }
    });

    it('that is broken PostgreSQL, with no mark of another dialect, keeps its errors', () => {
      const r = extractSql('SELECT * FROM users WHERE email = ;\nSELEC id FROM events;\n');
      assert.deepEqual(r.problems.map((p) => [p.rule, p.severity]), [['parse-error', 'error'], ['parse-error', 'error']]);
    });
  });
});
