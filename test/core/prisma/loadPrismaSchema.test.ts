import assert from 'node:assert/strict';
import type { IndexDef, SchemaModel, TableDef } from '../../../src/core/model/schema';
import { loadPrismaSchema, relationInfo } from '../../../src/core/schema/prisma/loadPrismaSchema';
import { fixture, rangeOf } from './helpers';

function table(schema: SchemaModel, name: string): TableDef {
  const t = schema.tables.get(name);
  assert.ok(t, `table ${name} missing; have ${[...schema.tables.keys()].join(', ')}`);
  return t;
}

function index(t: TableDef, name: string): IndexDef {
  const i = t.indexes.find((x) => x.name === name);
  assert.ok(i, `index ${name} missing on ${t.name}; have ${t.indexes.map((x) => x.name).join(', ')}`);
  return i;
}

describe('loadPrismaSchema: mapping.prisma', () => {
  const { text, file } = fixture('mapping.prisma');
  const { schema, problems } = loadPrismaSchema(text, file);

  it('reads a valid schema without problems', () => {
    assert.deepEqual(problems, []);
  });

  it('names tables by @@map, else by model name, in schema public', () => {
    assert.deepEqual(
      [...schema.tables.keys()].sort(),
      ['CourseProgress', 'Membership', '_PostToTag', 'posts', 'profiles', 'tags', 'users'].sort(),
    );
    const users = table(schema, 'users');
    assert.equal(users.model, 'User');
    assert.equal(users.schema, 'public');
    assert.equal(table(schema, 'Membership').model, 'Membership');
  });

  it('locates a table at its `model X {` header', () => {
    assert.deepEqual(table(schema, 'users').location, { file, range: rangeOf(text, 'model User {') });
    assert.deepEqual(table(schema, 'CourseProgress').location?.range, rangeOf(text, 'model CourseProgress {'));
  });

  it('names columns by @map, else by field name', () => {
    const users = table(schema, 'users');
    assert.ok(users.columns.has('full_name'));
    assert.ok(!users.columns.has('fullName'));
    assert.ok(users.columns.has('created_at'));
    assert.ok(users.columns.has('updatedAt'));
    assert.ok(table(schema, 'posts').columns.has('author_id'));
    // Relation fields are not columns.
    assert.ok(!users.columns.has('posts'));
    assert.ok(!users.columns.has('manager'));
  });

  it('maps Prisma scalars to the PostgreSQL types prisma migrate creates', () => {
    const c = table(schema, 'users').columns;
    const type = (name: string) => c.get(name)?.type;
    assert.equal(type('id'), 'text');
    assert.equal(type('updatedAt'), 'timestamp(3)');
    assert.equal(type('credit'), 'decimal(65,30)');
    assert.equal(type('score'), 'double precision');
    assert.equal(type('visits'), 'bigint');
    assert.equal(type('avatar'), 'bytea');
    assert.equal(type('settings'), 'jsonb');
    assert.equal(type('active'), 'boolean');
    assert.equal(type('tags'), 'text[]');
    assert.equal(table(schema, 'posts').columns.get('id')?.type, 'integer');
  });

  it('honours @db native types', () => {
    const c = table(schema, 'users').columns;
    assert.equal(c.get('email')?.type, 'varchar(255)');
    assert.equal(c.get('balance')?.type, 'decimal(10,2)');
    assert.equal(c.get('created_at')?.type, 'timestamptz(6)');
    assert.equal(c.get('nickname')?.type, 'char(12)');
  });

  it('keeps Unsupported("…") fields as columns (they are absent from the DMMF)', () => {
    const col = table(schema, 'users').columns.get('search_vector');
    assert.ok(col);
    assert.equal(col.type, 'tsvector');
    assert.equal(col.nullable, true);
  });

  it('marks optional fields and scalar lists nullable, required fields NOT NULL', () => {
    const c = table(schema, 'users').columns;
    assert.equal(c.get('full_name')?.nullable, true);
    assert.equal(c.get('avatar')?.nullable, true);
    assert.equal(c.get('tags')?.nullable, true); // Prisma creates TEXT[] without NOT NULL
    assert.equal(c.get('email')?.nullable, false);
    assert.equal(c.get('id')?.nullable, false);
  });

  it('reads enums with @@map / @map and types enum columns by the enum', () => {
    assert.deepEqual(schema.enums.get('user_role'), { name: 'user_role', values: ['STUDENT', 'admin'] });
    assert.deepEqual(schema.enums.get('Status'), { name: 'Status', values: ['DRAFT', 'PUBLISHED'] });
    const role = table(schema, 'users').columns.get('role');
    assert.equal(role?.enumName, 'user_role');
    assert.equal(role?.type, 'user_role');
    assert.equal(table(schema, 'posts').columns.get('status')?.enumName, 'Status');
  });

  it('gives every index Prisma\'s default name from DB names, unless map: names it', () => {
    const users = table(schema, 'users');
    assert.deepEqual(
      users.indexes.map((i) => i.name).sort(),
      [
        'users_pkey',
        'users_email_key',
        'users_handle_uniq',
        'users_created_at_idx',
        'users_email_idx',
        'users_settings_gin',
        'users_search_vector_idx',
      ].sort(),
    );
    assert.deepEqual(
      table(schema, 'posts').indexes.map((i) => i.name).sort(),
      ['posts_pkey', 'posts_author_id_slug_key', 'posts_author_title_uniq', 'posts_author_id_status_idx'].sort(),
    );
    assert.deepEqual(table(schema, 'tags').indexes.map((i) => i.name).sort(), ['tags_label_key', 'tags_pkey']);
  });

  it('describes the primary key as a constraint and unique fields as unique indexes', () => {
    const users = table(schema, 'users');
    const pk = index(users, 'users_pkey');
    assert.deepEqual([pk.primary, pk.unique, pk.constraint], [true, true, true]);
    assert.deepEqual(pk.keys, [{ column: 'id', desc: false, nullsFirst: false }]);
    const email = index(users, 'users_email_key');
    assert.deepEqual([email.primary, email.unique, email.constraint], [false, true, false]);
    for (const i of users.indexes) {
      assert.equal(i.origin, 'prisma');
      assert.equal(i.valid, true);
      assert.equal(i.table, 'users');
    }
  });

  it('reads sort: Desc as DESC NULLS FIRST, ascending keys as NULLS LAST', () => {
    const created = index(table(schema, 'users'), 'users_created_at_idx');
    assert.deepEqual(created.keys, [{ column: 'created_at', desc: true, nullsFirst: true }]);
    assert.equal(created.method, 'btree');
    const byAuthor = index(table(schema, 'posts'), 'posts_author_id_status_idx');
    assert.deepEqual(byAuthor.keys, [
      { column: 'author_id', desc: false, nullsFirst: false },
      { column: 'status', desc: true, nullsFirst: true },
    ]);
  });

  it('reads type: Hash / Gin as the index method and ops: as the operator class', () => {
    const users = table(schema, 'users');
    assert.equal(index(users, 'users_email_idx').method, 'hash');
    const gin = index(users, 'users_settings_gin');
    assert.equal(gin.method, 'gin');
    assert.deepEqual(gin.keys, [{ column: 'settings', desc: false, nullsFirst: false, opclass: 'jsonb_path_ops' }]);
    assert.equal(index(users, 'users_search_vector_idx').method, 'gin');
  });

  it('reads a compound @@id, with and without map:', () => {
    const m = index(table(schema, 'Membership'), 'Membership_pkey');
    assert.equal(m.primary, true);
    assert.deepEqual(m.keys.map((k) => k.column), ['orgId', 'userId']);
    const cp = index(table(schema, 'CourseProgress'), 'course_progress_pk');
    assert.deepEqual(cp.keys.map((k) => k.column), ['userId', 'courseId']);
  });

  it('locates each index at the exact attribute text', () => {
    const users = table(schema, 'users');
    const post = table(schema, 'posts');
    const at = (i: IndexDef) => i.location?.range;
    // Field attributes: the token on that field's line.
    assert.deepEqual(at(index(users, 'users_pkey')), rangeOf(text, '@id', 'id        String'));
    assert.deepEqual(at(index(users, 'users_email_key')), rangeOf(text, '@unique', 'email     String'));
    assert.deepEqual(at(index(users, 'users_handle_uniq')), rangeOf(text, '@unique(map: "users_handle_uniq")'));
    assert.deepEqual(at(index(table(schema, 'tags'), 'tags_label_key')), rangeOf(text, '@unique', 'label String'));
    // Block attributes: the whole `@@…(…)`.
    assert.deepEqual(at(index(users, 'users_created_at_idx')), rangeOf(text, '@@index([createdAt(sort: Desc)])'));
    assert.deepEqual(at(index(users, 'users_email_idx')), rangeOf(text, '@@index([email], type: Hash)'));
    assert.deepEqual(at(index(post, 'posts_author_id_slug_key')), rangeOf(text, '@@unique([authorId, slug])'));
    assert.deepEqual(
      at(index(post, 'posts_author_title_uniq')),
      rangeOf(text, '@@unique([authorId, title], name: "authorTitle", map: "posts_author_title_uniq")'),
    );
    assert.deepEqual(at(index(table(schema, 'Membership'), 'Membership_pkey')), rangeOf(text, '@@id([orgId, userId])'));
    assert.deepEqual(
      at(index(table(schema, 'CourseProgress'), 'course_progress_pk')),
      rangeOf(text, '@@id([userId, courseId], name: "progressKey", map: "course_progress_pk")'),
    );
    assert.equal(index(users, 'users_email_key').location?.file, file);
  });

  it('models the implicit many-to-many table Prisma creates', () => {
    const join = table(schema, '_PostToTag');
    assert.equal(join.model, undefined);
    // A points at the model whose name sorts first (Post), B at Tag; both ids are Int.
    assert.deepEqual([...join.columns.values()].map((c) => [c.name, c.type, c.nullable]), [
      ['A', 'integer', false],
      ['B', 'integer', false],
    ]);
    const pk = index(join, '_PostToTag_AB_pkey');
    assert.equal(pk.primary, true);
    assert.deepEqual(pk.keys.map((k) => k.column), ['A', 'B']);
    assert.deepEqual(index(join, '_PostToTag_B_index').keys.map((k) => k.column), ['B']);
    assert.deepEqual(join.foreignKeys.map((f) => [f.columns, f.refTable, f.refColumns]), [
      [['A'], 'posts', ['id']],
      [['B'], 'tags', ['id']],
    ]);
  });

  it('records foreign keys with Prisma\'s default names or the relation\'s map:, at the relation field', () => {
    const keys = (name: string) => table(schema, name).foreignKeys.map(({ location, ...fk }) => fk);
    const line = (name: string) => table(schema, name).foreignKeys.map((fk) => text.split('\n')[fk.location!.range.start.line].trim().split(/\s+/)[0]);
    assert.deepEqual(line('posts'), ['author']);
    assert.deepEqual(keys('posts'), [
      { name: 'posts_author_fk', columns: ['author_id'], refTable: 'users', refColumns: ['id'] },
    ]);
    assert.deepEqual(keys('profiles'), [
      { name: 'profiles_user_id_fkey', columns: ['user_id'], refTable: 'users', refColumns: ['id'] },
    ]);
    assert.deepEqual(keys('users'), [
      { name: 'users_manager_id_fkey', columns: ['manager_id'], refTable: 'users', refColumns: ['id'] },
    ]);
  });
});

describe('loadPrismaSchema: PrismaMapping', () => {
  const { text, file } = fixture('mapping.prisma');
  const mapping = loadPrismaSchema(text, file).schema.prisma;

  it('is present, with one PrismaModel per model', () => {
    assert.ok(mapping);
    assert.equal(mapping.file, file);
    assert.deepEqual([...mapping.models.keys()].sort(), ['CourseProgress', 'Membership', 'Post', 'Profile', 'Tag', 'User']);
    const user = mapping.models.get('User')!;
    assert.equal(user.table, 'users');
    assert.deepEqual(user.location?.range, rangeOf(text, 'model User {'));
  });

  it('maps scalar fields to columns', () => {
    const user = mapping!.models.get('User')!;
    assert.deepEqual(user.fields.get('fullName'), { name: 'fullName', column: 'full_name', type: 'String', isList: false });
    assert.deepEqual(user.fields.get('role'), { name: 'role', column: 'role', type: 'Role', isList: false });
    assert.deepEqual(user.fields.get('tags'), { name: 'tags', column: 'tags', type: 'String', isList: true });
    // Prisma Client can't see Unsupported fields.
    assert.equal(user.fields.has('search'), false);
  });

  it('names compound unique selectors like Prisma Client', () => {
    const post = mapping!.models.get('Post')!;
    assert.deepEqual([...post.compoundUniques], [
      ['authorId_slug', ['authorId', 'slug']],
      ['authorTitle', ['authorId', 'title']],
    ]);
    assert.deepEqual([...mapping!.models.get('Membership')!.compoundUniques], [['orgId_userId', ['orgId', 'userId']]]);
    assert.deepEqual([...mapping!.models.get('CourseProgress')!.compoundUniques], [['progressKey', ['userId', 'courseId']]]);
    // Single-field uniques are not compound selectors.
    assert.equal(mapping!.models.get('User')!.compoundUniques.size, 0);
  });

  it('maps Prisma Client accessors to models', () => {
    assert.equal(mapping!.accessors.get('courseProgress'), 'CourseProgress');
    assert.equal(mapping!.accessors.get('user'), 'User');
    assert.equal(mapping!.accessors.get('membership'), 'Membership');
    assert.equal(mapping!.accessors.size, 6);
  });

  it('maps the FK side of a relation: fields on this model, references on the related one', () => {
    const author = mapping!.models.get('Post')!.fields.get('author')!;
    assert.deepEqual(author, {
      name: 'author',
      type: 'User',
      isList: false,
      relation: { model: 'User', fields: ['authorId'], references: ['id'] },
    });
    assert.deepEqual(relationInfo(author), {
      relationName: 'PostToUser',
      oppositeField: 'posts',
      foreignKeyOn: 'self',
      foreignKey: { model: 'Post', fields: ['authorId'], references: ['id'] },
    });
  });

  it('leaves fields empty on the back-relation side and describes the FK through relationInfo', () => {
    const user = mapping!.models.get('User')!;
    const posts = user.fields.get('posts')!;
    assert.equal(posts.isList, true);
    assert.deepEqual(posts.relation, { model: 'Post', fields: [], references: [] });
    assert.deepEqual(relationInfo(posts), {
      relationName: 'PostToUser',
      oppositeField: 'author',
      foreignKeyOn: 'related',
      foreignKey: { model: 'Post', fields: ['authorId'], references: ['id'] },
    });
    // 1-1 back side (not a list).
    const profile = user.fields.get('profile')!;
    assert.deepEqual(profile.relation, { model: 'Profile', fields: [], references: [] });
    assert.equal(relationInfo(profile)?.foreignKeyOn, 'related');
    assert.deepEqual(relationInfo(profile)?.foreignKey, { model: 'Profile', fields: ['userId'], references: ['id'] });
    assert.equal(relationInfo(mapping!.models.get('Profile')!.fields.get('user')!)?.foreignKeyOn, 'self');
  });

  it('tells the two sides of a self-relation apart by relation name', () => {
    const user = mapping!.models.get('User')!;
    const manager = user.fields.get('manager')!;
    const reports = user.fields.get('reports')!;
    assert.deepEqual(manager.relation, { model: 'User', fields: ['managerId'], references: ['id'] });
    assert.deepEqual(reports.relation, { model: 'User', fields: [], references: [] });
    assert.equal(relationInfo(manager)?.oppositeField, 'reports');
    assert.equal(relationInfo(reports)?.oppositeField, 'manager');
    assert.equal(relationInfo(reports)?.relationName, 'Management');
    assert.deepEqual(relationInfo(reports)?.foreignKey, { model: 'User', fields: ['managerId'], references: ['id'] });
  });

  it('maps implicit many-to-many sides to the join table', () => {
    const postTags = mapping!.models.get('Post')!.fields.get('tags')!;
    const tagPosts = mapping!.models.get('Tag')!.fields.get('posts')!;
    assert.deepEqual(postTags.relation, { model: 'Tag', fields: [], references: [] });
    assert.deepEqual(tagPosts.relation, { model: 'Post', fields: [], references: [] });
    assert.deepEqual(relationInfo(postTags), {
      relationName: 'PostToTag',
      oppositeField: 'posts',
      foreignKeyOn: 'none',
      joinTable: { table: '_PostToTag', selfColumn: 'A', relatedColumn: 'B' },
    });
    assert.deepEqual(relationInfo(tagPosts)?.joinTable, { table: '_PostToTag', selfColumn: 'B', relatedColumn: 'A' });
  });

  it('gives no relation info for scalar fields', () => {
    assert.equal(relationInfo(mapping!.models.get('User')!.fields.get('email')!), undefined);
  });
});

describe('loadPrismaSchema: invalid input', () => {
  it('turns an invalid schema into a parse-error finding on the right line, without throwing', () => {
    const { text, file } = fixture('invalid.prisma');
    const { schema, problems } = loadPrismaSchema(text, file);
    assert.equal(schema.tables.size, 0);
    assert.equal(problems.length, 1);
    const p = problems[0];
    assert.equal(p.rule, 'parse-error');
    assert.equal(p.severity, 'error');
    assert.equal(p.file, file);
    assert.match(p.message, /Strin/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(p.message, /\u001b/);
    assert.deepEqual(p.range, rangeOf(text, 'Strin'));
  });

  it('survives a half-typed schema', () => {
    const { text, file } = fixture('half-typed.prisma');
    assert.equal(text, 'model X {\n id String @id\n name Str');
    const { schema, problems } = loadPrismaSchema(text, file);
    assert.equal(schema.tables.size, 0);
    assert.ok(problems.length > 0);
    for (const p of problems) {
      assert.equal(p.rule, 'parse-error');
      assert.ok(p.range.start.line >= 0 && p.range.start.line <= 2);
    }
  });

  it('survives every prefix of a valid schema', () => {
    const { text, file } = fixture('mapping.prisma');
    for (let n = 0; n <= text.length; n += 7) {
      const r = loadPrismaSchema(text.slice(0, n), file);
      for (const p of r.problems) assert.equal(p.rule, 'parse-error');
    }
  });

  it('reads an empty file as an empty schema', () => {
    const r = loadPrismaSchema('', 'schema.prisma');
    assert.equal(r.schema.tables.size, 0);
    assert.deepEqual(r.problems, []);
  });
});

describe('loadPrismaSchema: a Prisma 7 datasource (no url: it lives in prisma.config.ts)', () => {
  const text = [
    'datasource db {',
    '  provider = "postgresql"',
    '}',
    '',
    'model Account {',
    '  id     String   @id @db.Uuid',
    '  email  String   @unique @db.VarChar(320)',
    '  tags   String[]',
    '',
    '  @@index([tags], type: Gin)',
    '  @@map("accounts")',
    '}',
    '',
    'model Broken {',
    '  id Int @id',
    '  x  NoSuchType',
    '}',
    '',
  ].join('\n');

  it('reads the models, their native types and indexes, with no error about the url', () => {
    const valid = text.slice(0, text.indexOf('model Broken'));
    const { schema, problems } = loadPrismaSchema(valid, 'schema.prisma');
    assert.deepEqual(problems, []);
    const t = table(schema, 'accounts');
    assert.equal(t.columns.get('id')?.type, 'uuid');
    assert.equal(index(t, 'accounts_tags_idx').method, 'gin');
    assert.ok(index(t, 'accounts_email_key').unique);
  });

  it('locates an error inside that datasource where it is written, and still says nothing of the url', () => {
    const broken = text.slice(0, text.indexOf('model Broken')).replace('  provider = "postgresql"\n', '  provider = "postgresql"\n  shadowDatabaseUrl = 42\n');
    const { schema, problems } = loadPrismaSchema(broken, 'schema.prisma');
    assert.ok(problems.length >= 1, 'the error is reported');
    for (const p of problems) {
      assert.doesNotMatch(p.message, /"url" is missing/);
      assert.equal(p.range.start.line, 2, p.message);
    }
    assert.ok(schema.tables.has('accounts'));
  });

  it('locates the errors of a broken one on their own line, and reads the rest', () => {
    const { schema, problems } = loadPrismaSchema(text, 'schema.prisma');
    assert.equal(problems.length, 1, problems.map((p) => p.message).join('\n'));
    assert.match(problems[0].message, /NoSuchType/);
    assert.equal(problems[0].range.start.line, 15);
    assert.ok(schema.tables.has('accounts'));
    assert.ok(!schema.tables.has('Broken'));
  });
});

describe('loadPrismaSchema: a view block', () => {
  const text = [
    'generator client {',
    '  provider        = "prisma-client-js"',
    '  previewFeatures = ["views"]',
    '}',
    'datasource db {',
    '  provider = "postgresql"',
    '  url      = env("DATABASE_URL")',
    '}',
    'model Machine {',
    '  id String @id',
    '}',
    'view MachineStat {',
    '  machineId String',
    '  seq       Int',
    '',
    '  @@unique([machineId, seq])',
    '  @@map("machine_stats")',
    '}',
    '',
  ].join('\n');
  const { schema, problems } = loadPrismaSchema(text, 'schema.prisma');

  it('is no table (a view has no index of its own, whatever its @@unique says), but Prisma Client calls still map to it', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual([...schema.tables.keys()], ['Machine']);
    assert.equal(schema.prisma?.models.get('MachineStat')?.table, 'machine_stats');
    assert.equal(schema.prisma?.accessors.get('machineStat'), 'MachineStat');
  });
});
