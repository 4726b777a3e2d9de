import assert from 'node:assert/strict';
import type { Finding } from '../../../src/core/model/finding';
import type { Range, SourceLocation } from '../../../src/core/model/location';
import type { ColumnDef, IndexDef, IndexKey, SchemaModel, TableDef } from '../../../src/core/model/schema';
import { normalizeType, schemaDrift } from '../../../src/core/rules/schemaDrift';
import { loadPrismaSchema } from '../../../src/core/schema/prisma/loadPrismaSchema';
import { fixture, rangeOf } from './helpers';

// The migrations side is built by hand, the way the migrations loader describes
// what Prisma's generated SQL creates for drift.prisma.
const MIGRATION = '/proj/prisma/migrations/20251010_x/migration.sql';
const at = (line: number): SourceLocation => ({
  file: MIGRATION,
  range: { start: { line, character: 0 }, end: { line, character: 10 } },
});

function col(name: string, type: string, nullable = false, line = 1): ColumnDef {
  return { name, type, nullable, location: at(line) };
}

function key(column: string, desc = false): IndexKey {
  return { column, desc, nullsFirst: desc };
}

function idx(table: string, name: string, keys: IndexKey[], opts: Partial<IndexDef> = {}, line = 20): IndexDef {
  return {
    name,
    table,
    method: 'btree',
    keys,
    include: [],
    unique: false,
    primary: false,
    constraint: false,
    valid: true,
    origin: 'migration',
    location: at(line),
    ...opts,
  };
}

function tbl(name: string, columns: ColumnDef[], indexes: IndexDef[], line: number): TableDef {
  return { name, schema: 'public', columns: new Map(columns.map((c) => [c.name, c])), indexes, foreignKeys: [], location: at(line) };
}

function migrations(): SchemaModel {
  const users = tbl(
    'users',
    [
      col('id', 'serial'),
      col('email', 'text'),
      col('role', 'text'),
      col('name', 'text', true),
      col('balance', 'numeric(65, 30)'),
      col('created_at', 'timestamp(3) without time zone'),
    ],
    [
      idx('users', 'users_pkey', [key('id')], { unique: true, primary: true, constraint: true }, 10),
      idx('users', 'users_email_key', [key('email')], { unique: true }, 30),
      idx('users', 'users_role_idx', [key('role')], {}, 31),
    ],
    2,
  );
  const posts = tbl(
    'posts',
    [col('id', 'serial'), col('author_id', 'integer'), col('title', 'text')],
    [
      idx('posts', 'posts_pkey', [key('id')], { unique: true, primary: true, constraint: true }, 16),
      idx('posts', 'posts_author_title_idx', [key('author_id'), key('title', true)], {}, 32),
    ],
    12,
  );
  posts.foreignKeys.push({ name: 'posts_author_id_fkey', columns: ['author_id'], refTable: 'users', refColumns: ['id'] });
  return { tables: new Map([['users', users], ['posts', posts]]), enums: new Map() };
}

const { text, file } = fixture('drift.prisma');

function prismaSide(): SchemaModel {
  const { schema, problems } = loadPrismaSchema(text, file);
  assert.deepEqual(problems, []);
  return schema;
}

function drift(mutate: (m: SchemaModel) => void = () => {}): Finding[] {
  const m = migrations();
  mutate(m);
  return schemaDrift(prismaSide(), m, file);
}

function only(findings: Finding[]): Finding {
  assert.equal(findings.length, 1, findings.map((f) => f.message).join('\n'));
  return findings[0];
}

const modelHeader = (model: string): Range => rangeOf(text, `model ${model} {`);

describe('schemaDrift', () => {
  it('reports nothing when the migrations build what schema.prisma declares', () => {
    assert.deepEqual(drift(), []);
  });

  it('reports nothing when schema.prisma produced no tables (e.g. it failed to parse)', () => {
    assert.deepEqual(schemaDrift({ tables: new Map(), enums: new Map() }, migrations(), file), []);
  });

  describe('tables', () => {
    it('reports a model with no table in the migrations, once (not per column or index)', () => {
      const f = only(drift((m) => m.tables.delete('posts')));
      assert.equal(f.rule, 'schema-drift');
      assert.equal(f.severity, 'warning');
      assert.equal(f.file, file);
      assert.equal(f.table, 'posts');
      assert.deepEqual(f.range, modelHeader('Post'));
      assert.match(f.message, /Model Post \(table "posts"\) is in schema\.prisma but no migration creates it/);
    });

    it('with a migration statement that does not parse, says the table may be in it (info, pointing at it)', () => {
      const at = { file: 'migrations/1_init/migration.sql', range: { start: { line: 4, character: 0 }, end: { line: 9, character: 2 } } };
      const f = only(
        drift((m) => {
          m.tables.delete('posts');
          m.unparsed = [at];
        }),
      );
      assert.equal(f.severity, 'info');
      assert.match(f.message, /Model Post \(table "posts"\) is in schema\.prisma but no migration that parses creates it: the statement that does not parse \(1_init\/migration\.sql\) may/);
      assert.deepEqual(f.related.map((r) => [r.file, r.range]), [[at.file, at.range]]);
    });

    it('reports a table that exists only in the migrations, pointing at its CREATE TABLE', () => {
      const f = only(drift((m) => m.tables.set('audit_log', tbl('audit_log', [col('id', 'integer')], [], 40))));
      assert.equal(f.table, 'audit_log');
      assert.equal(
        f.message,
        'Table "audit_log" exists in migrations (20251010_x/migration.sql) but has no model in schema.prisma: the next `prisma migrate dev` will drop it.',
      );
      assert.deepEqual(f.related.map((r) => [r.file, r.range.start.line]), [[MIGRATION, 40]]);
    });
  });

  describe('columns', () => {
    it('reports a field whose column no migration adds, at the field', () => {
      const f = only(drift((m) => m.tables.get('users')!.columns.delete('name')));
      assert.match(f.message, /Column "name" of "users" \(User\.name\) is not in the migrations/);
      assert.deepEqual(f.range.start, rangeOf(text, 'name      String?').start);
    });

    it('reports a column that only the migrations have, at the model', () => {
      const f = only(drift((m) => m.tables.get('users')!.columns.set('legacy', col('legacy', 'text', true, 7))));
      assert.match(f.message, /Column "legacy" of "users" exists in migrations \(20251010_x\/migration\.sql\) but not in schema\.prisma/);
      assert.deepEqual(f.range, modelHeader('User'));
      assert.equal(f.related[0].range.start.line, 7);
    });

    it('reports a type difference but not different spellings of one type', () => {
      const f = only(drift((m) => m.tables.get('users')!.columns.set('role', col('role', 'varchar(20)'))));
      assert.match(f.message, /Column "role" of "users" \(User\.role\) is text in schema\.prisma but varchar\(20\) in migrations/);
      assert.deepEqual(f.range.start, rangeOf(text, 'role      String').start);
      // serial = integer, numeric(65, 30) = decimal(65,30), "timestamp(3) without time zone" = timestamp(3): no drift (the baseline).
      assert.equal(normalizeType({ type: 'DECIMAL(65,30)' }), normalizeType({ type: 'numeric(65, 30)' }));
      assert.equal(normalizeType({ type: 'timestamptz(6)' }), normalizeType({ type: 'timestamp with time zone' }));
      assert.equal(normalizeType({ type: 'character varying(255)' }), normalizeType({ type: 'varchar(255)' }));
      assert.equal(normalizeType({ type: '"public"."Role"[]', enumName: 'Role' }), normalizeType({ type: 'Role[]', enumName: 'Role' }));
      assert.notEqual(normalizeType({ type: 'timestamp(3)' }), normalizeType({ type: 'timestamptz(3)' }));
      assert.notEqual(normalizeType({ type: 'json' }), normalizeType({ type: 'jsonb' }));
    });

    it('reports a nullability difference', () => {
      const f = only(drift((m) => (m.tables.get('users')!.columns.get('name')!.nullable = false)));
      assert.match(f.message, /Column "name" of "users" \(User\.name\) is nullable in schema\.prisma but NOT NULL in migrations/);
    });
  });

  describe('indexes', () => {
    it('reports an index declared in schema.prisma that no migration creates, at its attribute', () => {
      const f = only(drift((m) => (m.tables.get('users')!.indexes = m.tables.get('users')!.indexes.filter((i) => i.name !== 'users_role_idx'))));
      assert.equal(f.index, 'users_role_idx');
      assert.equal(f.severity, 'warning');
      assert.deepEqual(f.range, rangeOf(text, '@@index([role])'));
      assert.match(f.message, /Index "users_role_idx" is declared in schema\.prisma but no migration creates it/);
    });

    it('reports a name mismatch (not a missing and an extra index) when the definitions match', () => {
      const f = only(drift((m) => (m.tables.get('users')!.indexes.find((i) => i.name === 'users_role_idx')!.name = 'users_role_index')));
      assert.equal(f.index, 'users_role_idx');
      assert.deepEqual(f.range, rangeOf(text, '@@index([role])'));
      assert.match(f.message, /Index "users_role_idx" in schema\.prisma is named "users_role_index" in migrations \(20251010_x\/migration\.sql\)/);
      assert.match(f.message, /map: "users_role_index"/);
      assert.equal(f.related[0].range.start.line, 31);
    });

    it('does not pair differently defined indexes as a rename', () => {
      const findings = drift((m) => {
        const role = m.tables.get('users')!.indexes.find((i) => i.name === 'users_role_idx')!;
        role.name = 'users_role_index';
        role.method = 'hash';
      });
      assert.equal(findings.length, 2, findings.map((f) => f.message).join('\n'));
      assert.ok(findings.some((f) => /"users_role_idx" is declared in schema\.prisma but no migration creates it/.test(f.message)));
      assert.ok(findings.some((f) => /"users_role_index" exists in migrations/.test(f.message)));
    });

    it('reports an index that exists only in migrations, with the attribute that would declare it', () => {
      const f = only(drift((m) => m.tables.get('users')!.indexes.push(idx('users', 'users_name_idx', [key('name')], {}, 33))));
      assert.equal(f.severity, 'warning');
      assert.equal(
        f.message,
        'Index "users_name_idx" exists in migrations (20251010_x/migration.sql) but not in schema.prisma: the next `prisma migrate dev` will drop it.',
      );
      assert.deepEqual(f.range, modelHeader('User'));
      assert.deepEqual(f.related.map((r) => [r.file, r.range.start.line]), [[MIGRATION, 33]]);
      assert.deepEqual(f.fix, { prisma: '@@index([name])', prismaAction: 'add', model: 'User' });
    });

    it('suggests map:, sort and type for a migration-only index with a custom name', () => {
      const f = only(
        drift((m) => m.tables.get('users')!.indexes.push(idx('users', 'users_by_creation', [key('created_at', true)], { method: 'brin' }))),
      );
      assert.deepEqual(f.fix?.prisma, '@@index([createdAt(sort: Desc)], map: "users_by_creation", type: Brin)');
    });

    it('reports a partial or expression index that only the migrations have as info', () => {
      const partial = only(
        drift((m) =>
          m.tables.get('users')!.indexes.push(
            idx('users', 'users_active_email_idx', [key('email')], { predicate: [{ kind: 'null', column: 'name', isNull: false }], predicateText: 'name IS NOT NULL' }),
          ),
        ),
      );
      assert.equal(partial.severity, 'info');
      assert.match(partial.message, /Partial index "users_active_email_idx" exists only in migrations/);
      assert.equal(partial.fix, undefined);
      const expression = only(
        drift((m) =>
          m.tables.get('users')!.indexes.push(
            idx('users', 'users_lower_email_idx', [{ expression: 'lower(email)', expressionColumns: ['email'], desc: false, nullsFirst: false }]),
          ),
        ),
      );
      assert.equal(expression.severity, 'info');
      assert.match(expression.message, /Expression index "users_lower_email_idx"/);
    });

    it('reports an index with the same name but a different definition, saying how', () => {
      const unique = only(drift((m) => (m.tables.get('users')!.indexes.find((i) => i.name === 'users_role_idx')!.unique = true)));
      assert.equal(unique.index, 'users_role_idx');
      assert.deepEqual(unique.range, rangeOf(text, '@@index([role])'));
      assert.match(unique.message, /Index "users_role_idx" differs between schema\.prisma and migrations/);
      assert.match(unique.message, /unique in migrations but not in schema\.prisma/);

      const order = only(drift((m) => (m.tables.get('posts')!.indexes.find((i) => i.name === 'posts_author_title_idx')!.keys[1] = key('title'))));
      assert.deepEqual(order.range, rangeOf(text, '@@index([authorId, title(sort: Desc)], map: "posts_author_title_idx")'));
      assert.match(order.message, /keys \(author_id, title DESC\) in schema\.prisma but \(author_id, title\) in migrations/);

      const partial = only(
        drift((m) => (m.tables.get('users')!.indexes.find((i) => i.name === 'users_email_key')!.predicateText = 'email IS NOT NULL')),
      );
      assert.match(partial.message, /a full index in schema\.prisma but partial \(WHERE email IS NOT NULL\) in migrations/);
      assert.deepEqual(partial.range, rangeOf(text, '@unique', 'email     String'));
    });

    it('treats explicit NULLS ordering equal to the default as the same index', () => {
      assert.deepEqual(
        drift((m) => {
          const k = m.tables.get('posts')!.indexes.find((i) => i.name === 'posts_author_title_idx')!.keys[1];
          k.nullsFirst = true; // DESC NULLS FIRST, as written out
        }),
        [],
      );
      const f = only(drift((m) => (m.tables.get('posts')!.indexes.find((i) => i.name === 'posts_author_title_idx')!.keys[1].nullsFirst = false)));
      assert.match(f.message, /title DESC NULLS LAST/);
    });
  });
});
