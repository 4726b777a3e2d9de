/**
 * SQL migrations → SchemaModel. Expectations come from what PostgreSQL itself does with each
 * statement (catalog names, defaults, case folding, dependent objects), not from the loader.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadMigrations, sortMigrations } from '../../../src/core/schema/migrations/loadMigrations';
import { lintMigrations } from '../../../src/core/migration/lint';
import { initSqlParser } from '../../../src/core/sql/parser';
import type { IndexDef, SchemaModel, TableDef } from '../../../src/core/model/schema';
import { LMS_MIGRATION, SQL_FIXTURES } from '../../helpers/paths';
import { readMigrationText } from '../../helpers/migrationText';
import { positionAt } from '../../helpers/text';

const FILE = '/virtual/migrations/20240101000000_init/migration.sql';

function load(sql: string) {
  return loadMigrations([{ file: FILE, text: sql }]);
}

function table(schema: SchemaModel, name: string): TableDef {
  const t = schema.tables.get(name);
  assert.ok(t, `table "${name}" is in the model (tables: ${[...schema.tables.keys()].join(', ')})`);
  return t;
}

function index(schema: SchemaModel, name: string): IndexDef {
  const all = [...schema.tables.values()].flatMap((t) => t.indexes);
  const i = all.find((x) => x.name === name);
  assert.ok(i, `index "${name}" is in the model (indexes: ${all.map((x) => x.name).join(', ')})`);
  return i;
}

function indexNames(schema: SchemaModel, tableName?: string): string[] {
  const tables = tableName ? [table(schema, tableName)] : [...schema.tables.values()];
  return tables.flatMap((t) => t.indexes.map((i) => i.name)).sort();
}

const keyCols = (i: IndexDef) => i.keys.map((k) => k.column);

describe('loadMigrations', () => {
  before(async () => {
    await initSqlParser();
  });

  describe('CREATE TABLE', () => {
    it('turns inline PRIMARY KEY / UNIQUE into the indexes PostgreSQL names t_pkey / t_col_key, and records REFERENCES', () => {
      const { schema, problems } = load(`
        CREATE TABLE users (id integer PRIMARY KEY);
        CREATE TABLE posts (
          id bigint PRIMARY KEY,
          slug text UNIQUE,
          author_id integer REFERENCES users (id),
          body text NOT NULL
        );`);
      assert.deepEqual(problems, []);
      const posts = table(schema, 'posts');
      assert.deepEqual(indexNames(schema, 'posts'), ['posts_pkey', 'posts_slug_key']);
      const pkey = index(schema, 'posts_pkey');
      assert.equal(pkey.primary, true);
      assert.equal(pkey.unique, true);
      assert.equal(pkey.constraint, true, 'a primary key is a constraint, not a plain index');
      assert.deepEqual(keyCols(pkey), ['id']);
      const slug = index(schema, 'posts_slug_key');
      assert.equal(slug.unique, true);
      assert.equal(slug.primary, false);
      assert.deepEqual(keyCols(slug), ['slug']);
      assert.deepEqual(
        posts.foreignKeys.map((f) => ({ columns: f.columns, refTable: f.refTable, refColumns: f.refColumns })),
        [{ columns: ['author_id'], refTable: 'users', refColumns: ['id'] }],
      );
      // A primary key column is NOT NULL; a plain column is nullable unless declared otherwise.
      assert.equal(posts.columns.get('id')?.nullable, false);
      assert.equal(posts.columns.get('slug')?.nullable, true);
      assert.equal(posts.columns.get('body')?.nullable, false);
      // REFERENCES creates no index in PostgreSQL.
      assert.ok(!posts.indexes.some((i) => keyCols(i).includes('author_id')));
    });

    it('turns table constraints into indexes: PRIMARY KEY (a, b) → t_pkey, UNIQUE (a, b) → t_a_b_key, named constraints keep their name', () => {
      const { schema, problems } = load(`
        CREATE TABLE memberships (
          group_id integer,
          user_id integer,
          role text,
          invite_code text,
          PRIMARY KEY (group_id, user_id),
          UNIQUE (user_id, role),
          CONSTRAINT memberships_invite_uq UNIQUE (invite_code),
          FOREIGN KEY (group_id) REFERENCES groups (id)
        );`);
      assert.deepEqual(problems, []);
      assert.deepEqual(indexNames(schema, 'memberships'), ['memberships_invite_uq', 'memberships_pkey', 'memberships_user_id_role_key']);
      assert.deepEqual(keyCols(index(schema, 'memberships_pkey')), ['group_id', 'user_id']);
      assert.deepEqual(keyCols(index(schema, 'memberships_user_id_role_key')), ['user_id', 'role']);
      assert.equal(index(schema, 'memberships_invite_uq').unique, true);
      const m = table(schema, 'memberships');
      assert.equal(m.columns.get('group_id')?.nullable, false, 'PRIMARY KEY columns become NOT NULL');
      assert.equal(m.columns.get('user_id')?.nullable, false);
      assert.deepEqual(m.foreignKeys.map((f) => f.columns), [['group_id']]);
    });

    it('records column types and the table location in the migration file', () => {
      const sql = `CREATE TABLE t (a integer, b varchar(20), c timestamp(3) NOT NULL, d boolean, e numeric(10,2));`;
      const { schema } = load(sql);
      const t = table(schema, 't');
      assert.deepEqual([...t.columns.keys()], ['a', 'b', 'c', 'd', 'e']);
      assert.equal(t.columns.get('a')?.type, 'integer');
      assert.equal(t.columns.get('d')?.type, 'boolean');
      assert.match(t.columns.get('c')?.type ?? '', /^timestamp\(3\)$/);
      assert.equal(t.location?.file, FILE);
      assert.deepEqual(t.location?.range.start, { line: 0, character: 0 });
    });
  });

  describe('CREATE INDEX', () => {
    it('reads UNIQUE, CONCURRENTLY, IF NOT EXISTS, INCLUDE and a WHERE predicate as atoms', () => {
      const { schema, problems } = load(`
        CREATE TABLE orders (id int, customer_id int, total numeric, status text, deleted_at timestamptz, paid boolean);
        CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_open_key
          ON orders (customer_id) INCLUDE (total)
          WHERE status = 'OPEN' AND total > 100 AND deleted_at IS NULL AND paid;`);
      assert.deepEqual(problems, []);
      const i = index(schema, 'orders_customer_open_key');
      assert.equal(i.unique, true);
      assert.equal(i.primary, false);
      assert.equal(i.constraint, false, 'CREATE UNIQUE INDEX is an index, not a constraint');
      assert.equal(i.method, 'btree');
      assert.deepEqual(keyCols(i), ['customer_id']);
      assert.deepEqual(i.include, ['total']);
      assert.equal(i.table, 'orders');
      assert.deepEqual(i.predicate, [
        { kind: 'compare', column: 'status', op: '=', value: { kind: 'string', value: 'OPEN' } },
        { kind: 'compare', column: 'total', op: '>', value: { kind: 'number', value: 100 } },
        { kind: 'null', column: 'deleted_at', isNull: true },
        { kind: 'compare', column: 'paid', op: '=', value: { kind: 'bool', value: true } },
      ]);
      assert.match(i.predicateText ?? '', /status/);
      assert.match(i.predicateText ?? '', /deleted_at/);
    });

    it('a full index has no predicate', () => {
      const { schema } = load(`CREATE TABLE t (a int); CREATE INDEX t_a ON t (a);`);
      assert.equal(index(schema, 't_a').predicate, undefined);
    });

    it('reads USING gin with an operator class and USING hash', () => {
      const { schema, problems } = load(`
        CREATE TABLE docs (id int, title text, tags text[], token text);
        CREATE INDEX docs_title_trgm ON docs USING gin (title gin_trgm_ops);
        CREATE INDEX docs_tags ON docs USING GIN (tags);
        CREATE INDEX docs_token_hash ON docs USING hash (token);`);
      assert.deepEqual(problems, []);
      const trgm = index(schema, 'docs_title_trgm');
      assert.equal(trgm.method, 'gin');
      assert.deepEqual(keyCols(trgm), ['title']);
      assert.equal(trgm.keys[0].opclass, 'gin_trgm_ops');
      assert.equal(index(schema, 'docs_tags').method, 'gin', 'the method name is case-insensitive');
      assert.equal(index(schema, 'docs_tags').keys[0].opclass, undefined);
      assert.equal(index(schema, 'docs_token_hash').method, 'hash');
    });

    it('reads DESC and NULLS FIRST/LAST with PostgreSQL defaults (DESC implies NULLS FIRST, ASC implies NULLS LAST)', () => {
      const { schema } = load(`
        CREATE TABLE e (a int, b int, c int, d int);
        CREATE INDEX e_keys ON e (a DESC, b NULLS FIRST, c DESC NULLS LAST, d ASC);`);
      const keys = index(schema, 'e_keys').keys.map((k) => ({ column: k.column, desc: k.desc, nullsFirst: k.nullsFirst }));
      assert.deepEqual(keys, [
        { column: 'a', desc: true, nullsFirst: true },
        { column: 'b', desc: false, nullsFirst: true },
        { column: 'c', desc: true, nullsFirst: false },
        { column: 'd', desc: false, nullsFirst: false },
      ]);
    });

    it('reads expression keys such as lower(email) with the columns they read', () => {
      const { schema } = load(`
        CREATE TABLE people (id int, email text, first text, last text);
        CREATE UNIQUE INDEX people_email_lower_key ON people (lower(email));
        CREATE INDEX people_name ON people ((first || ' ' || last), id);`);
      const lower = index(schema, 'people_email_lower_key');
      assert.equal(lower.keys.length, 1);
      assert.equal(lower.keys[0].column, undefined, 'an expression key is not a plain column');
      assert.match(lower.keys[0].expression ?? '', /^lower\(\s*"?email"?\s*\)$/i);
      assert.deepEqual(lower.keys[0].expressionColumns, ['email']);
      const name = index(schema, 'people_name');
      assert.deepEqual([...(name.keys[0].expressionColumns ?? [])].sort(), ['first', 'last']);
      assert.equal(name.keys[1].column, 'id');
    });

    it('names unnamed indexes table_col1_col2_idx and appends a number when the name is taken', () => {
      const { schema } = load(`
        CREATE TABLE t (a int, b int);
        CREATE INDEX ON t (a, b);
        CREATE INDEX ON t (a);
        CREATE INDEX ON t (a);
        CREATE UNIQUE INDEX ON t (b);`);
      // PostgreSQL's ChooseRelationName: "t_a_idx", then "t_a_idx1"; CREATE UNIQUE INDEX also ends in _idx.
      assert.deepEqual(indexNames(schema, 't'), ['t_a_b_idx', 't_a_idx', 't_a_idx1', 't_b_idx']);
    });

    it('IF NOT EXISTS with a name already taken keeps the first definition', () => {
      const { schema, problems } = load(`
        CREATE TABLE t (a int, b int);
        CREATE INDEX t_idx ON t (a);
        CREATE INDEX IF NOT EXISTS t_idx ON t (b);`);
      assert.deepEqual(problems, []);
      assert.deepEqual(indexNames(schema, 't'), ['t_idx']);
      assert.deepEqual(keyCols(index(schema, 't_idx')), ['a']);
    });

    it('records where the index is declared', () => {
      const sql = 'CREATE TABLE t (a int);\n\n  CREATE INDEX t_a ON t (a);\n';
      const { schema } = load(sql);
      const loc = index(schema, 't_a').location;
      assert.equal(loc?.file, FILE);
      assert.deepEqual(loc?.range.start, positionAt(sql, sql.indexOf('CREATE INDEX')));
    });

    // Regression test (was a bug, fixed in 6446f34): an unnamed expression index gets "t_expr_idx"; PostgreSQL names it after the function
    // (FigureIndexColname → "lower"), i.e. "people_lower_idx" — so DROP INDEX people_lower_idx in a later
    // migration, and redundant/drift findings naming it, do not match the real catalog.
    // Repro: loadMigrations([{file, text: 'CREATE TABLE people (email text); CREATE INDEX ON people (lower(email));'}])
    //        → index name "people_expr_idx", PostgreSQL: "people_lower_idx".
    it('names an unnamed expression index after its function, like PostgreSQL (people_lower_idx)', () => {
      const { schema } = load(`CREATE TABLE people (email text); CREATE INDEX ON people (lower(email));`);
      assert.deepEqual(indexNames(schema, 'people'), ['people_lower_idx']);
    });

    // Regression test (was a bug, fixed in 6446f34): generated names longer than 63 bytes are cut at 63 characters (losing the "_idx" label), and
    // generated constraint names (…_key) are not truncated at all. PostgreSQL's makeObjectName shortens the
    // column part so the label survives: with table "some_table" and two 40-character columns, both the
    // index and the unique constraint get "some_table_" + 40×a + "_" + 7×b + "_idx"/"_key" (63 bytes).
    // Repro: loadMigrations with the SQL below → "some_table_aaaa…_bbbbbbbbbbb" (no _idx) and a 96-character "…_key".
    it('shortens generated names to 63 bytes the way PostgreSQL does, keeping the _idx / _key label', () => {
      const a = 'a'.repeat(40);
      const b = 'b'.repeat(40);
      const { schema } = load(`
        CREATE TABLE some_table (${a} int, ${b} int);
        CREATE INDEX ON some_table (${a}, ${b});
        ALTER TABLE some_table ADD UNIQUE (${a}, ${b});`);
      const stem = `some_table_${a}_${'b'.repeat(7)}`;
      assert.deepEqual(indexNames(schema, 'some_table'), [`${stem}_idx`, `${stem}_key`]);
      for (const n of indexNames(schema, 'some_table')) assert.ok(n.length <= 63);
    });
  });

  describe('DROP INDEX', () => {
    it('removes the index; IF EXISTS on a missing index is a no-op; schema-qualified and CONCURRENTLY forms work', () => {
      const { schema, problems } = load(`
        CREATE TABLE t (a int, b int, c int);
        CREATE INDEX t_a ON t (a);
        CREATE INDEX t_b ON t (b);
        CREATE INDEX t_c ON t (c);
        DROP INDEX t_a;
        DROP INDEX IF EXISTS t_missing;
        DROP INDEX CONCURRENTLY IF EXISTS public.t_b;`);
      assert.deepEqual(problems, []);
      assert.deepEqual(indexNames(schema, 't'), ['t_c']);
    });

    it('DROP INDEX a, b drops both', () => {
      const { schema } = load(`
        CREATE TABLE t (a int, b int, c int);
        CREATE INDEX t_a ON t (a); CREATE INDEX t_b ON t (b); CREATE INDEX t_c ON t (c);
        DROP INDEX t_a, t_b;`);
      assert.deepEqual(indexNames(schema, 't'), ['t_c']);
    });
  });

  describe('ALTER TABLE', () => {
    it('ADD COLUMN adds the column (with an inline UNIQUE → t_col_key); ADD COLUMN IF NOT EXISTS keeps the existing one', () => {
      const { schema, problems } = load(`
        CREATE TABLE t (a int);
        ALTER TABLE t ADD COLUMN b text NOT NULL;
        ALTER TABLE t ADD COLUMN code text UNIQUE;
        ALTER TABLE t ADD COLUMN IF NOT EXISTS b integer;`);
      assert.deepEqual(problems, []);
      const t = table(schema, 't');
      assert.deepEqual([...t.columns.keys()], ['a', 'b', 'code']);
      assert.equal(t.columns.get('b')?.type, 'text', 'IF NOT EXISTS does not replace the column');
      assert.equal(t.columns.get('b')?.nullable, false);
      assert.deepEqual(indexNames(schema, 't'), ['t_code_key']);
    });

    it('DROP COLUMN removes the column and every index that uses it as a key, INCLUDE column or in an expression', () => {
      const { schema } = load(`
        CREATE TABLE t (a int, b int, c int, email text);
        CREATE INDEX t_a ON t (a);
        CREATE INDEX t_b_a ON t (b, a);
        CREATE INDEX t_c_inc_a ON t (c) INCLUDE (a);
        CREATE INDEX t_b ON t (b);
        CREATE INDEX t_lower_email ON t (lower(email));
        CREATE INDEX t_c ON t (c);
        ALTER TABLE t DROP COLUMN a;
        ALTER TABLE t DROP COLUMN email;`);
      const t = table(schema, 't');
      assert.deepEqual([...t.columns.keys()], ['b', 'c']);
      assert.deepEqual(indexNames(schema, 't'), ['t_b', 't_c']);
    });

    // Regression test (was a bug, fixed in 6446f34): DROP COLUMN keeps partial indexes whose WHERE clause reads the dropped column. PostgreSQL records an
    // automatic dependency of the index on every column its predicate uses, so they are dropped too.
    // Repro: CREATE TABLE t (a int, archived boolean); CREATE INDEX t_live ON t (a) WHERE NOT archived;
    //        ALTER TABLE t DROP COLUMN archived;  → the model still has t_live (predicate on a column that no longer exists).
    it('DROP COLUMN also drops partial indexes whose predicate reads the column', () => {
      const { schema } = load(`
        CREATE TABLE t (a int, archived boolean);
        CREATE INDEX t_live ON t (a) WHERE NOT archived;
        CREATE INDEX t_a ON t (a);
        ALTER TABLE t DROP COLUMN archived;`);
      assert.deepEqual(indexNames(schema, 't'), ['t_a']);
    });

    it('ADD CONSTRAINT UNIQUE / PRIMARY KEY create their indexes; DROP CONSTRAINT removes them and foreign keys', () => {
      const { schema, problems } = load(`
        CREATE TABLE t (id int, code text, owner int);
        ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (id);
        ALTER TABLE t ADD CONSTRAINT t_code_uq UNIQUE (code);
        ALTER TABLE t ADD UNIQUE (owner, code);
        ALTER TABLE t ADD CONSTRAINT t_owner_fk FOREIGN KEY (owner) REFERENCES owners (id);`);
      assert.deepEqual(problems, []);
      assert.deepEqual(indexNames(schema, 't'), ['t_code_uq', 't_owner_code_key', 't_pk']);
      assert.equal(index(schema, 't_pk').primary, true);
      assert.equal(index(schema, 't_code_uq').constraint, true);
      assert.equal(table(schema, 't').columns.get('id')?.nullable, false);
      assert.deepEqual(table(schema, 't').foreignKeys.map((f) => f.name), ['t_owner_fk']);

      const after = load(`
        CREATE TABLE t (id int, code text, owner int);
        ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (id);
        ALTER TABLE t ADD CONSTRAINT t_code_uq UNIQUE (code);
        ALTER TABLE t ADD CONSTRAINT t_owner_fk FOREIGN KEY (owner) REFERENCES owners (id);
        ALTER TABLE t DROP CONSTRAINT t_code_uq;
        ALTER TABLE t DROP CONSTRAINT t_owner_fk;`).schema;
      assert.deepEqual(indexNames(after, 't'), ['t_pk']);
      assert.deepEqual(table(after, 't').foreignKeys, []);
    });

    it("names an unnamed foreign key as PostgreSQL does, so DROP CONSTRAINT finds it; renames and drops carry to the keys", () => {
      const { schema, problems } = load(`
        CREATE TABLE owners (id int PRIMARY KEY, code int UNIQUE);
        CREATE TABLE t (id int PRIMARY KEY, owner int REFERENCES owners (id), code int, FOREIGN KEY (code) REFERENCES owners (code));
        ALTER TABLE t DROP CONSTRAINT t_owner_fkey;
        ALTER TABLE owners RENAME TO accounts;
        ALTER TABLE accounts RENAME COLUMN code TO number;
        ALTER TABLE t RENAME COLUMN code TO account_number;`);
      assert.deepEqual(problems, []);
      assert.deepEqual(
        table(schema, 't').foreignKeys.map((f) => [f.name, f.columns, f.refTable, f.refColumns]),
        [['t_code_fkey', ['account_number'], 'accounts', ['number']]],
      );
      const dropped = load(`
        CREATE TABLE owners (id int PRIMARY KEY);
        CREATE TABLE t (id int PRIMARY KEY, owner int REFERENCES owners (id), other int REFERENCES owners (id));
        ALTER TABLE t DROP COLUMN owner;
        CREATE TABLE u (id int PRIMARY KEY, owner int REFERENCES owners (id));
        DROP TABLE owners CASCADE;`).schema;
      assert.deepEqual(table(dropped, 't').foreignKeys, []);
      assert.deepEqual(table(dropped, 'u').foreignKeys, []);
    });

    it('RENAME COLUMN renames the column and its uses as an index key or INCLUDE column', () => {
      const { schema, problems } = load(`
        CREATE TABLE t (a int, b int, c int);
        CREATE INDEX t_a_b ON t (a, b);
        CREATE INDEX t_c ON t (c) INCLUDE (a);
        ALTER TABLE t RENAME COLUMN a TO alpha;`);
      assert.deepEqual(problems, []);
      const t = table(schema, 't');
      assert.ok(t.columns.has('alpha'));
      assert.ok(!t.columns.has('a'));
      assert.equal(t.columns.get('alpha')?.name, 'alpha');
      assert.deepEqual(keyCols(index(schema, 't_a_b')), ['alpha', 'b'], 'index names stay, key columns follow the rename');
      assert.deepEqual(index(schema, 't_c').include, ['alpha']);
    });

    // Regression test (was a bug, fixed in 6446f34): RENAME COLUMN leaves expression keys (expression text and expressionColumns) and partial-index
    // predicates pointing at the old name, so a later DROP COLUMN of the new name keeps the expression index,
    // and the matcher compares predicates against a column that no longer exists.
    // Repro: CREATE TABLE t (e text, d boolean, a int); CREATE INDEX t_lower ON t (lower(e));
    //        CREATE INDEX t_part ON t (a) WHERE d; ALTER TABLE t RENAME COLUMN e TO f; ALTER TABLE t RENAME COLUMN d TO dd;
    //        → t_lower.keys[0].expressionColumns = ['e'], t_part.predicate[0].column = 'd'.
    it('RENAME COLUMN also renames the column inside expression keys and partial-index predicates', () => {
      const { schema } = load(`
        CREATE TABLE t (e text, d boolean, a int);
        CREATE INDEX t_lower ON t (lower(e));
        CREATE INDEX t_part ON t (a) WHERE d;
        ALTER TABLE t RENAME COLUMN e TO f;
        ALTER TABLE t RENAME COLUMN d TO dd;`);
      assert.deepEqual(index(schema, 't_lower').keys[0].expressionColumns, ['f']);
      assert.match(index(schema, 't_lower').keys[0].expression ?? '', /\bf\b/);
      assert.deepEqual(index(schema, 't_part').predicate?.map((p) => ('column' in p ? p.column : p.columns)), ['dd']);
      const dropped = load(`
        CREATE TABLE t (e text, a int);
        CREATE INDEX t_lower ON t (lower(e));
        ALTER TABLE t RENAME COLUMN e TO f;
        ALTER TABLE t DROP COLUMN f;`).schema;
      assert.deepEqual(indexNames(dropped, 't'), []);
    });

    it('RENAME TO renames the table; its indexes keep their names and point at the new table', () => {
      const { schema } = load(`
        CREATE TABLE t (id int PRIMARY KEY, a int);
        CREATE INDEX t_a ON t (a);
        ALTER TABLE t RENAME TO things;`);
      assert.ok(!schema.tables.has('t'));
      const things = table(schema, 'things');
      assert.equal(things.name, 'things');
      assert.deepEqual(indexNames(schema, 'things'), ['t_a', 't_pkey']);
      for (const i of things.indexes) assert.equal(i.table, 'things');
    });

    it('ALTER INDEX … RENAME TO and ALTER TABLE … RENAME CONSTRAINT rename the index', () => {
      const { schema, problems } = load(`
        CREATE TABLE t (a int, code text UNIQUE);
        CREATE INDEX t_a ON t (a);
        ALTER INDEX t_a RENAME TO t_a_renamed;
        ALTER TABLE t RENAME CONSTRAINT t_code_key TO t_code_unique;`);
      assert.deepEqual(problems, []);
      assert.deepEqual(indexNames(schema, 't'), ['t_a_renamed', 't_code_unique']);
    });

    // BUG: ADD CONSTRAINT … UNIQUE / PRIMARY KEY USING INDEX (the zero-downtime way to add a constraint: build
    // the unique index CONCURRENTLY, then attach it) keeps the old index AND adds a second, key-less index named
    // after the constraint. PostgreSQL renames the existing index to the constraint name and uses it: one index.
    // Repro: CREATE TABLE t (id int, code text); CREATE UNIQUE INDEX CONCURRENTLY t_code_idx ON t (code);
    //        ALTER TABLE t ADD CONSTRAINT t_code_key UNIQUE USING INDEX t_code_idx;
    //        → indexes t_code_idx (code) and t_code_key with keys [] instead of just t_code_key (code).
    it('ADD CONSTRAINT … USING INDEX turns the existing index into the constraint\'s index, renamed', () => {
      const { schema, problems } = load(`
        CREATE TABLE t (id int, code text);
        CREATE UNIQUE INDEX CONCURRENTLY t_code_idx ON t (code);
        ALTER TABLE t ADD CONSTRAINT t_code_key UNIQUE USING INDEX t_code_idx;
        CREATE UNIQUE INDEX CONCURRENTLY t_id_idx ON t (id);
        ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_id_idx;`);
      assert.deepEqual(problems, []);
      assert.deepEqual(indexNames(schema, 't'), ['t_code_key', 't_pkey']);
      assert.deepEqual(keyCols(index(schema, 't_code_key')), ['code']);
      assert.equal(index(schema, 't_code_key').constraint, true);
      assert.deepEqual(keyCols(index(schema, 't_pkey')), ['id']);
      assert.equal(index(schema, 't_pkey').primary, true);
    });

    // BUG: tables are keyed by bare name, so auth.users and public.users (the usual Supabase layout) collapse
    // into one: CREATE TABLE public.users replaces auth.users, and CREATE INDEX ON auth.users (email) lands on
    // public.users, which has no email column.
    // Repro: CREATE TABLE auth.users (id int PRIMARY KEY, email text); CREATE TABLE public.users (id int PRIMARY KEY, name text);
    //        CREATE INDEX ON auth.users (email); → one table "users" (schema public, columns id, name) holding users_email_idx.
    it('tables with the same name in different schemas stay apart', () => {
      const { schema } = load(`
        CREATE SCHEMA auth;
        CREATE TABLE auth.users (id int PRIMARY KEY, email text);
        CREATE TABLE public.users (id int PRIMARY KEY, name text);
        CREATE INDEX ON auth.users (email);`);
      // Model names are bare in the public schema and schema-qualified elsewhere.
      const users = [...schema.tables.values()].filter((t) => t.name === 'users' || t.name === 'auth.users');
      assert.deepEqual(users.map((t) => t.schema).sort(), ['auth', 'public']);
      const auth = users.find((t) => t.schema === 'auth')!;
      const pub = users.find((t) => t.schema === 'public')!;
      assert.deepEqual([...auth.columns.keys()], ['id', 'email']);
      assert.ok(auth.indexes.some((i) => keyCols(i).join() === 'email'));
      assert.deepEqual([...pub.columns.keys()], ['id', 'name']);
      assert.ok(!pub.indexes.some((i) => keyCols(i).includes('email')));
    });

    it('DROP TABLE removes the table and its indexes', () => {
      const { schema } = load(`
        CREATE TABLE t (a int PRIMARY KEY); CREATE TABLE u (b int);
        CREATE INDEX u_b ON u (b);
        DROP TABLE u;`);
      assert.deepEqual([...schema.tables.keys()], ['t']);
      assert.deepEqual(indexNames(schema), ['t_pkey']);
    });
  });

  describe('enums', () => {
    it('CREATE TYPE … AS ENUM records the values; enum-typed columns carry enumName, others do not', () => {
      const { schema, problems } = load(`
        CREATE TYPE "Role" AS ENUM ('STUDENT', 'INSTRUCTOR', 'ADMIN');
        CREATE TYPE mood AS ENUM ('sad', 'ok');
        CREATE TABLE people (
          id int,
          role "Role" NOT NULL DEFAULT 'STUDENT',
          mood mood,
          moods mood[],
          note text
        );
        ALTER TYPE mood ADD VALUE 'happy';`);
      assert.deepEqual(problems, []);
      assert.deepEqual(schema.enums.get('Role')?.values, ['STUDENT', 'INSTRUCTOR', 'ADMIN']);
      assert.deepEqual(schema.enums.get('mood')?.values, ['sad', 'ok', 'happy']);
      const people = table(schema, 'people');
      assert.equal(people.columns.get('role')?.enumName, 'Role');
      assert.equal(people.columns.get('role')?.nullable, false);
      assert.equal(people.columns.get('mood')?.enumName, 'mood');
      assert.equal(people.columns.get('moods')?.enumName, 'mood');
      assert.equal(people.columns.get('note')?.enumName, undefined);
      assert.equal(people.columns.get('id')?.enumName, undefined);
    });
  });

  describe('migration order', () => {
    const a = { file: '/w/prisma/migrations/20240101000000_init/migration.sql', text: 'CREATE TABLE t (a int, b int); CREATE INDEX t_a ON t (a);' };
    const b = { file: '/w/prisma/migrations/20240215093000_swap/migration.sql', text: 'DROP INDEX t_a; CREATE INDEX t_b ON t (b);' };
    const c = { file: '/w/prisma/migrations/20241130120000_rename/migration.sql', text: 'ALTER TABLE t RENAME TO things;' };

    it('sortMigrations orders by the timestamped folder name, whatever the input order', () => {
      assert.deepEqual(sortMigrations([c, a, b]).map((m) => m.file), [a.file, b.file, c.file]);
      assert.deepEqual(sortMigrations([b, c, a]).map((m) => m.file), [a.file, b.file, c.file]);
    });

    it('sortMigrations orders flat versioned files (Flyway style) by file name', () => {
      const files = ['/db/V3__c.sql', '/db/V1__a.sql', '/db/V2__b.sql'].map((file) => ({ file }));
      assert.deepEqual(sortMigrations(files).map((f) => f.file), ['/db/V1__a.sql', '/db/V2__b.sql', '/db/V3__c.sql']);
    });

    it('loadMigrations applies the files in that order even when given out of order', () => {
      for (const input of [[c, b, a], [b, a, c], [a, b, c]]) {
        const { schema, problems } = loadMigrations(input);
        assert.deepEqual(problems, [], `order ${input.map((x) => path.basename(path.dirname(x.file))).join(', ')}`);
        assert.deepEqual([...schema.tables.keys()], ['things']);
        assert.deepEqual(indexNames(schema, 'things'), ['t_b']);
        assert.equal(index(schema, 't_b').location?.file, b.file);
      }
    });
  });

  describe('identifier case', () => {
    const file = path.join(SQL_FIXTURES, 'case-folding.sql');
    const text = readFileSync(file, 'utf8');

    it('folds unquoted names to lower case and keeps quoted names as written', () => {
      const { schema, problems } = loadMigrations([{ file, text }]);
      assert.deepEqual(problems, []);
      assert.deepEqual([...schema.tables.keys()].sort(), ['Accounts', 'users']);
      assert.deepEqual([...table(schema, 'users').columns.keys()], ['id', 'email', 'DisplayName']);
      // CREATE INDEX IX_Users_Email ON Users (Email): index, table and column all fold.
      const email = index(schema, 'ix_users_email');
      assert.equal(email.table, 'users');
      assert.deepEqual(keyCols(email), ['email']);
      assert.deepEqual(keyCols(index(schema, 'IX_Users_DisplayName')), ['DisplayName']);
      // "OwnerId" and OwnerId (→ ownerid) are two different columns.
      assert.deepEqual([...table(schema, 'Accounts').columns.keys()], ['OwnerId', 'ownerid']);
      assert.deepEqual(indexNames(schema, 'Accounts'), ['Accounts_OwnerId_idx', 'Accounts_ownerid_idx']);
    });

    it('a quoted mixed-case name does not match the folded table', () => {
      const { schema } = load(`CREATE TABLE Users (Email text); CREATE INDEX "q" ON "Users" ("Email");`);
      assert.deepEqual([...schema.tables.keys()], ['users']);
      assert.deepEqual(indexNames(schema), [], '"Users" is not the table users');
    });
  });

  describe('syntax errors', () => {
    const file = path.join(SQL_FIXTURES, 'broken-middle.sql');
    const text = readFileSync(file, 'utf8');

    it('reports the broken statement as a parse-error at its line and still applies the statements around it', () => {
      const { schema, problems } = loadMigrations([{ file, text }]);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      const p = problems[0];
      assert.equal(p.rule, 'parse-error');
      assert.equal(p.severity, 'error');
      assert.equal(p.file, file);
      // PostgreSQL reports the token it could not accept: the second comma of "(email,, id)".
      const brokenLine = positionAt(text, text.indexOf('CREATE INDEX accounts_broken_idx')).line;
      assert.equal(p.range.start.line, brokenLine);
      assert.deepEqual(p.range.start, positionAt(text, text.indexOf(',,') + 1));
      assert.match(p.message, /syntax error/i);
      // Before the broken statement:
      assert.ok(index(schema, 'accounts_email_idx'));
      assert.ok(index(schema, 'accounts_pkey'));
      // After it:
      assert.equal(index(schema, 'accounts_email_key').unique, true);
      assert.equal(table(schema, 'accounts').columns.get('created_at')?.nullable, false);
      assert.ok(!indexNames(schema).includes('accounts_broken_idx'));
      // The model knows it is missing a statement (schema-drift says a missing index may be in it).
      assert.deepEqual(schema.unparsed?.map((u) => [u.file, u.range.start.line]), [[file, brokenLine]]);
    });

    it('counts lines correctly when non-ASCII text comes before the error', () => {
      const sql = '-- Überprüfung: ümlauts and emoji 🎉 before the error\nCREATE TABLE t (a int);\nCREATE INDEX x ON t (a,, b);\nCREATE INDEX y ON t (a);\n';
      const { schema, problems } = load(sql);
      assert.equal(problems.length, 1);
      assert.deepEqual(problems[0].range.start, positionAt(sql, sql.indexOf(',,') + 1));
      assert.deepEqual(indexNames(schema, 't'), ['y']);
    });

    it('reports every broken statement, each at its own line', () => {
      const sql = 'CREATE TABLE t (a int);\nCREATE INDEX ON t (;\nCREATE INDEX ok1 ON t (a);\nCREAT INDEX nope ON t (a);\nCREATE INDEX ok2 ON t (a);\n';
      const { schema, problems } = load(sql);
      assert.deepEqual(
        problems.map((p) => p.range.start.line),
        [1, 3],
      );
      assert.deepEqual(indexNames(schema, 't'), ['ok1', 'ok2']);
    });

    // BUG: the statement splitter (src/core/sql/parser.ts) treats every ATOMIC token as the start of a
    // BEGIN ATOMIC body, so a column named atomic (a non-reserved word, valid unquoted) merges the rest of the
    // file into one piece, of which only the first statement is parsed: every later statement is lost, silently.
    // Repro: CREATE TABLE t (atomic int, b int); CREATE INDEX t_a ON t (atomic); CREATE INDEX t_b ON t (b);
    //        → table t with no indexes and no problem reported.
    it('a column named atomic does not swallow the statements after it', () => {
      const { schema, problems } = load(`CREATE TABLE t (atomic int, b int);\nCREATE INDEX t_a ON t (atomic);\nCREATE INDEX t_b ON t (b);\n`);
      assert.deepEqual(problems, []);
      assert.deepEqual(indexNames(schema, 't'), ['t_a', 't_b']);
    });

    // BUG: inside a BEGIN ATOMIC … END function body (PostgreSQL 14+), the END of a CASE expression is taken as
    // the end of the body, so the body is split at its inner semicolon and valid SQL is reported as a
    // parse-error (severity error: `check` exits 1).
    // Repro: CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 ELSE 2 END; SELECT 2; END;
    //        → parse-error "syntax error at end of input".
    it('a BEGIN ATOMIC function body containing CASE … END is one valid statement', () => {
      const { schema, problems } = load(`CREATE FUNCTION f() RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN true THEN 1 ELSE 2 END;
  SELECT 2;
END;
CREATE TABLE t (a int);
CREATE INDEX t_a ON t (a);
`);
      assert.deepEqual(problems.map((p) => p.message), []);
      assert.deepEqual(indexNames(schema, 't'), ['t_a']);
    });

    // loadMigrations builds the schema and keeps going; the statements PostgreSQL would reject are the
    // migration linter's to report (rule statement-fails), which check runs over the same files.
    it('leaves statements PostgreSQL would reject (unknown table, missing index, duplicate name) to the linter, which reports each', () => {
      const sql = 'CREATE TABLE t (a int);\nCREATE INDEX i ON missing_table (a);\nDROP INDEX never_created;\nCREATE INDEX t_a ON t (a);\nCREATE INDEX t_a ON t (a);\n';
      const { schema } = load(sql);
      assert.deepEqual(indexNames(schema, 't'), ['t_a']);
      const findings = lintMigrations([{ file: '/ws/migrations/001_init.sql', text: sql }]).filter((f) => f.rule === 'statement-fails');
      assert.deepEqual(
        findings.map((f) => [f.range.start.line, f.sqlstate]),
        [
          [1, '42P01'],
          [2, '42704'],
          [4, '42P07'],
        ],
      );
    });
  });

  describe('the sample migration (examples/lms)', () => {
    const text = readFileSync(LMS_MIGRATION, 'utf8');
    const expected = readMigrationText(text);

    it('loads without problems', () => {
      assert.deepEqual(loadMigrations([{ file: LMS_MIGRATION, text }]).problems, []);
    });

    it('has one index per CREATE [UNIQUE] INDEX and PRIMARY KEY in the file, and one table per CREATE TABLE', () => {
      const { schema } = loadMigrations([{ file: LMS_MIGRATION, text }]);
      const createIndex = (text.match(/\bCREATE (UNIQUE )?INDEX\b/g) ?? []).length;
      const primaryKeys = (text.match(/\bPRIMARY KEY\b/g) ?? []).length;
      const createTable = (text.match(/\bCREATE TABLE\b/g) ?? []).length;
      assert.ok(createIndex > 30 && primaryKeys > 10, 'sanity: the counts come from the file');
      assert.equal(indexNames(schema).length, createIndex + primaryKeys);
      assert.equal(schema.tables.size, createTable);
      assert.deepEqual(indexNames(schema), expected.indexes.map((i) => i.name).sort());
    });

    it('reads names, columns, uniqueness and primary keys as the migration text states them', () => {
      const { schema } = loadMigrations([{ file: LMS_MIGRATION, text }]);
      for (const e of expected.indexes) {
        const i = index(schema, e.name);
        assert.equal(i.table, e.table, e.name);
        assert.deepEqual(keyCols(i), e.columns, e.name);
        assert.equal(i.unique, e.unique, e.name);
        assert.equal(i.primary, e.primary, e.name);
      }
      assert.deepEqual(keyCols(index(schema, 'course_modules_courseId_order_idx')), ['courseId', 'order']);
      assert.deepEqual(keyCols(index(schema, 'enrollments_userId_courseId_key')), ['userId', 'courseId']);
      assert.equal(index(schema, 'users_email_key').unique, true);
      assert.equal(index(schema, 'users_email_idx').unique, false);
      // verification_tokens is the one table without a primary key.
      assert.ok(!table(schema, 'verification_tokens').indexes.some((i) => i.primary));
    });

    it('marks exactly the columns typed with a CREATE TYPE … AS ENUM as enum columns', () => {
      const { schema } = loadMigrations([{ file: LMS_MIGRATION, text }]);
      for (const [tableName, columns] of expected.tables) {
        for (const c of columns) {
          const enumName = /^"(.+)"$/.exec(c.type)?.[1];
          const expectedEnum = enumName && expected.enums.has(enumName) ? enumName : undefined;
          assert.equal(table(schema, tableName).columns.get(c.name)?.enumName, expectedEnum, `${tableName}.${c.name}`);
        }
      }
      assert.equal(table(schema, 'users').columns.get('role')?.enumName, 'Role');
    });

    it('records the foreign keys of the ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY statements', () => {
      const { schema } = loadMigrations([{ file: LMS_MIGRATION, text }]);
      const fkCount = (text.match(/\bFOREIGN KEY\b/g) ?? []).length;
      assert.equal([...schema.tables.values()].reduce((n, t) => n + t.foreignKeys.length, 0), fkCount);
      const enr = table(schema, 'enrollments').foreignKeys.find((f) => f.name === 'enrollments_courseId_fkey');
      assert.deepEqual({ columns: enr?.columns, refTable: enr?.refTable, refColumns: enr?.refColumns }, { columns: ['courseId'], refTable: 'courses', refColumns: ['id'] });
    });
  });
});

// Found by fuzzing (stop 26): `\set ON_ERROR_STOP on` at the top of a psql-run file swallowed the CREATE TABLE after it,
// and a COPY's rows the CREATE INDEX after them: the tool then proposed the index the file creates.
describe('loadMigrations: files psql runs', () => {
  before(() => initSqlParser());
  const copy = 'COPY t (id, a) FROM stdin;\n1\t2\n\\.\n';
  const text = `\\set ON_ERROR_STOP on\nCREATE TABLE t (id int PRIMARY KEY, a int);\n${copy}CREATE INDEX t_a_idx ON t (a);\n`;

  it("blank psql's meta-commands and a COPY's rows, and keep every statement", () => {
    const { schema, problems } = loadMigrations([{ file: '/w/migrations/001.sql', text }]);
    assert.deepEqual(problems, []);
    assert.deepEqual(schema.tables.get('t')?.indexes.map((i) => i.name), ['t_pkey', 't_a_idx']);
  });

  it('but not in a file Prisma runs, where PostgreSQL would refuse the backslash', () => {
    const { problems } = loadMigrations([{ file: '/w/prisma/migrations/1_init/migration.sql', text }]);
    assert.match(problems[0]?.message ?? '', /syntax error/);
  });
});
