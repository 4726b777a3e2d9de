import assert from 'node:assert/strict';
import { liveDrift } from '../../../src/core/db/liveDrift';
import type { LiveSchema } from '../../../src/core/db/liveSchema';
import type { SchemaModel, TableDef } from '../../../src/core/model/schema';
import { schemaDrift } from '../../../src/core/rules/schemaDrift';
import { lintErrors } from '../../../src/core/schema/prisma/dmmf';
import { loadPrismaSchema, relationInfo } from '../../../src/core/schema/prisma/loadPrismaSchema';
import { DATASOURCE, ONE_BROKEN_MODEL, rangeOf } from './helpers';

const FILE = '/proj/prisma/schema.prisma';


function table(schema: SchemaModel, name: string): TableDef {
  const t = schema.tables.get(name);
  assert.ok(t, `table ${name} missing; have ${[...schema.tables.keys()].join(', ')}`);
  return t;
}

/** name → key columns of each index of a table, sorted by name. */
function indexColumns(t: TableDef): [string, string[]][] {
  return t.indexes.map((i): [string, string[]] => [i.name, i.keys.map((k) => k.column ?? '?')]).sort((a, b) => a[0].localeCompare(b[0]));
}


describe('loadPrismaSchema: a schema the engine rejects keeps what is valid', () => {
  // Found by fuzzing (stop 26): the engine reads a half-typed `model {` on into the next model, and nothing was kept.
  it('keeps the models after a block opened without a name (`model {` half typed)', () => {
    const text = `${DATASOURCE}model {\n\nmodel User {\n  id Int @id\n  email String\n}\nmodel Post {\n  id Int @id\n  authorId Int\n}\n`;
    const { schema, problems } = loadPrismaSchema(text, FILE);
    assert.deepEqual([...schema.tables.keys()].sort(), ['Post', 'User']);
    assert.match(problems[0]?.message ?? '', /does not start with any known Prisma schema keyword/);
  });

  describe('one model with an error', () => {
    const { schema, problems } = loadPrismaSchema(ONE_BROKEN_MODEL, FILE);

    it('loads the other model: its table, columns and indexes', () => {
      assert.deepEqual([...schema.tables.keys()], ['tags']);
      const tags = table(schema, 'tags');
      assert.equal(tags.model, 'Tag');
      assert.deepEqual([...tags.columns.keys()], ['id', 'label', 'tag_slug', 'kind']);
      assert.deepEqual(indexColumns(tags), [
        ['tags_kind_label_idx', ['kind', 'label']],
        ['tags_label_key', ['label']],
        ['tags_pkey', ['id']],
      ]);
      // Positions are the original text's.
      assert.deepEqual(tags.location?.range, rangeOf(ONE_BROKEN_MODEL, 'model Tag {'));
      assert.deepEqual(tags.indexes.find((i) => i.name === 'tags_kind_label_idx')?.location?.range, rangeOf(ONE_BROKEN_MODEL, '@@index([kind, label])'));
    });

    it('maps the other model for Prisma Client, and names what was left out', () => {
      const mapping = schema.prisma;
      assert.ok(mapping);
      assert.deepEqual([...mapping.models.keys()], ['Tag']);
      assert.deepEqual([...mapping.accessors], [['tag', 'Tag']]);
      assert.deepEqual(mapping.models.get('Tag')?.fields.get('slug'), { name: 'slug', column: 'tag_slug', type: 'String', isList: false });
      assert.deepEqual(mapping.leftOut, ['User']);
    });

    it('reports the error as before, at the same place, saying the model is left out', () => {
      assert.equal(problems.length, 1);
      const p = problems[0];
      assert.equal(p.rule, 'parse-error');
      assert.equal(p.severity, 'error');
      assert.equal(p.file, FILE);
      assert.deepEqual(p.range, rangeOf(ONE_BROKEN_MODEL, 'Str', 'name  '));
      assert.equal(p.range.start.line + 1, 8);
      assert.equal(
        p.message,
        'Type "Str" is neither a built-in type, nor refers to another model, composite type, or enum. ' +
          'Model "User" is left out of the index analysis until this is fixed.',
      );
    });

    it('reads a typo in a block attribute (`@@indx`) the same way', () => {
      const text = ONE_BROKEN_MODEL.replace('name  Str', 'name  String').replace('email String @unique\n', 'email String\n  @@indx([email])\n');
      const r = loadPrismaSchema(text, FILE);
      assert.deepEqual([...r.schema.tables.keys()], ['tags']);
      assert.equal(r.problems.length, 1);
      assert.equal(r.problems[0].range.start.line + 1, 10);
      assert.match(r.problems[0].message, /^Attribute not known: "@indx"\. Model "User" is left out/);
    });

    it('keeps the first of two models with the same name', () => {
      const text = ONE_BROKEN_MODEL.replace('name  Str', 'name  String') + '\nmodel User {\n  id Int @id\n}\n';
      const r = loadPrismaSchema(text, FILE);
      assert.deepEqual([...table(r.schema, 'User').columns.keys()], ['id', 'name', 'email']);
      assert.equal(r.schema.prisma?.leftOut, undefined);
      assert.equal(r.problems.length, 1);
      assert.equal(r.problems[0].range.start.line + 1, 22);
      assert.match(r.problems[0].message, /This definition of model "User" is left out/);
    });
  });

  describe('the cascade: what a left-out part makes invalid', () => {
    const text =
      DATASOURCE +
      `
model User {
  id    Int    @id
  name  Str
  posts Post[]
}

model Post {
  id       Int    @id
  authorId Int    @map("author_id")
  slug     String
  author   User   @relation(fields: [authorId], references: [id])

  @@unique([authorId, slug])
  @@index([authorId])
  @@map("posts")
}
`;
    const { schema, problems } = loadPrismaSchema(text, FILE);

    it('keeps a model that relates to the left-out one, without that relation field', () => {
      assert.deepEqual([...schema.tables.keys()], ['posts']);
      const posts = table(schema, 'posts');
      // The FK column is a scalar field: it stays; only the relation field (no column) goes.
      assert.deepEqual([...posts.columns.keys()], ['id', 'author_id', 'slug']);
      assert.deepEqual(indexColumns(posts), [
        ['posts_author_id_idx', ['author_id']],
        ['posts_author_id_slug_key', ['author_id', 'slug']],
        ['posts_pkey', ['id']],
      ]);
      const post = schema.prisma?.models.get('Post');
      assert.deepEqual([...(post?.fields.keys() ?? [])], ['id', 'authorId', 'slug']);
      assert.deepEqual([...(post?.compoundUniques ?? [])], [['authorId_slug', ['authorId', 'slug']]]);
      assert.deepEqual(schema.prisma?.leftOut, ['User']);
    });

    it('names the relation field left out with the model', () => {
      assert.equal(problems.length, 1);
      assert.equal(problems[0].range.start.line + 1, 8);
      assert.match(problems[0].message, /Model "User" is left out of the index analysis until this is fixed\. Also left out: relation field "Post\.author"\.$/);
    });

    it('leaves out a model using a left-out enum, and keeps the others', () => {
      const withEnum =
        DATASOURCE +
        `
enum Role {
  ADMIN
  ADMIN
}

model Member {
  id   Int  @id
  role Role
  @@index([role])
}

model Tag {
  id Int @id
}
`;
      const r = loadPrismaSchema(withEnum, FILE);
      assert.deepEqual([...r.schema.tables.keys()], ['Tag']);
      assert.deepEqual(r.schema.prisma?.leftOut, ['Role', 'Member']);
      assert.equal(r.problems.length, 1);
      assert.equal(r.problems[0].range.start.line + 1, 8);
      assert.match(r.problems[0].message, /Enum "Role" is left out of the index analysis until this is fixed\. Also left out: model "Member" \(it uses enum "Role"\)\.$/);
    });

    it('leaves out a relation field alone when the error is in it, and the other side with it', () => {
      const badFk = text.replace('name  Str', 'name  String').replace('fields: [authorId]', 'fields: [authorI]');
      const r = loadPrismaSchema(badFk, FILE);
      assert.deepEqual([...r.schema.tables.keys()].sort(), ['User', 'posts']);
      assert.deepEqual(indexColumns(table(r.schema, 'posts')).map(([n]) => n), ['posts_author_id_idx', 'posts_author_id_slug_key', 'posts_pkey']);
      assert.equal(r.schema.prisma?.models.get('Post')?.fields.has('author'), false);
      assert.equal(r.schema.prisma?.models.get('User')?.fields.has('posts'), false);
      assert.equal(r.schema.prisma?.leftOut, undefined);
      assert.equal(r.problems.length, 1);
      assert.equal(r.problems[0].range.start.line + 1, 16);
      assert.match(r.problems[0].message, /Relation field "Post\.author" is left out of the index analysis until this is fixed\. Also left out: relation field "User\.posts"\.$/);
    });

    it('keeps both models when a new relation field misses its other side', () => {
      const oneSided = text.replace('name  Str', 'name  String').replace('  posts Post[]\n', '');
      const r = loadPrismaSchema(oneSided, FILE);
      assert.deepEqual([...r.schema.tables.keys()].sort(), ['User', 'posts']);
      assert.match(r.problems[0].message, /missing an opposite relation field.* Relation field "Post\.author" is left out/);
    });

    it('keeps the valid models of an implicit many-to-many whose other side is left out', () => {
      const m2m =
        DATASOURCE +
        `
model Post {
  id   Int   @id
  body Txt
  tags Tag[]
}

model Tag {
  id    Int    @id
  label String @unique
  posts Post[]
}
`;
      const r = loadPrismaSchema(m2m, FILE);
      assert.deepEqual([...r.schema.tables.keys()], ['Tag']);
      assert.deepEqual(indexColumns(table(r.schema, 'Tag')), [
        ['Tag_label_key', ['label']],
        ['Tag_pkey', ['id']],
      ]);
      assert.equal(r.schema.prisma?.models.get('Tag')?.fields.has('posts'), false);
    });
  });

  describe('errors in the datasource and the generator', () => {
    it('reads the models with a stand-in PostgreSQL datasource (native types still valid)', () => {
      const text =
        DATASOURCE.replace('"postgresql"', '"postgress"') +
        `
model Account {
  id    Int    @id
  email String @db.VarChar(200)
  @@index([email])
}
`;
      const { schema, problems } = loadPrismaSchema(text, FILE);
      const account = table(schema, 'Account');
      assert.equal(account.columns.get('email')?.type, 'varchar(200)');
      assert.deepEqual(indexColumns(account), [
        ['Account_email_idx', ['email']],
        ['Account_pkey', ['id']],
      ]);
      assert.equal(schema.prisma?.leftOut, undefined);
      assert.equal(problems.length, 1);
      assert.equal(problems[0].range.start.line + 1, 2);
      assert.deepEqual(problems[0].range, rangeOf(text, '"postgress"'));
      // Nothing was left out: the engine's message as it is.
      assert.equal(problems[0].message, 'Datasource provider not known: "postgress".');
    });

    it('keeps `schemas` of a datasource whose error is elsewhere', () => {
      const text =
        DATASOURCE.replace('  url', '  schemas  = ["public", "auth"]\n  foo      = 1\n  url') +
        `
model Account {
  id Int @id
  @@schema("auth")
}
`;
      const { schema, problems } = loadPrismaSchema(text, FILE);
      assert.equal(table(schema, 'Account').schema, 'auth');
      assert.deepEqual(
        problems.map((p) => [p.range.start.line + 1, p.message]),
        [[4, 'Property not known: "foo".']],
      );
    });

    it('keeps the known preview features of a generator with an unknown one', () => {
      const text =
        `generator client {\n  provider        = "prisma-client-js"\n  previewFeatures = ["views", "bogus"]\n}\n` +
        DATASOURCE +
        `
model Account {
  id Int @id
}

view AccountView {
  id Int @unique
}
`;
      const { schema, problems } = loadPrismaSchema(text, FILE);
      // The view needs the `views` preview feature (read, it maps calls; a view is no table).
      assert.deepEqual([...(schema.prisma?.models.keys() ?? [])], ['Account', 'AccountView']);
      assert.deepEqual([...schema.tables.keys()], ['Account']);
      assert.equal(problems.length, 1);
      assert.equal(problems[0].range.start.line + 1, 3);
      assert.match(problems[0].message, /^The preview feature "bogus" is not known/);
    });
  });

  describe('parse errors', () => {
    it('leaves out a model whose `}` is missing and reads the model after it', () => {
      const text =
        DATASOURCE +
        `
model Draft {
  id    Int    @id
  title String

model Tag {
  id    Int    @id
  label String @unique
}
`;
      const { schema, problems } = loadPrismaSchema(text, FILE);
      assert.deepEqual([...schema.tables.keys()], ['Tag']);
      assert.deepEqual(indexColumns(table(schema, 'Tag')), [
        ['Tag_label_key', ['label']],
        ['Tag_pkey', ['id']],
      ]);
      assert.deepEqual(schema.prisma?.leftOut, ['Draft']);
      // The engine reads `model Tag {` on as Draft's; its errors stay where it puts them.
      assert.deepEqual(
        problems.map((p) => p.range.start.line + 1),
        [10, 11, 6],
      );
      assert.match(problems[0].message, /^Error validating: This line is not a valid field or attribute definition\. Model "Draft" is left out/);
      for (const p of problems) assert.match(p.message, /Model "Draft" is left out of the index analysis until this is fixed\.$/);
    });

    it('reads the models before an unclosed last model, and one after an unclosed attribute', () => {
      const last = DATASOURCE + '\nmodel Tag {\n  id Int @id\n}\n\nmodel Draft {\n  id Int @id\n  title Str';
      const r1 = loadPrismaSchema(last, FILE);
      assert.deepEqual([...r1.schema.tables.keys()], ['Tag']);
      assert.ok(r1.problems.length > 0);
      const attr = DATASOURCE + '\nmodel Draft {\n  id Int @id\n  @@index([id]\n}\n\nmodel Tag {\n  id Int @id\n}\n';
      const r2 = loadPrismaSchema(attr, FILE);
      assert.deepEqual([...r2.schema.tables.keys()], ['Tag']);
      assert.deepEqual(r2.problems.map((p) => p.range.start.line + 1), [8]);
    });

    it('skips lines that start no block', () => {
      const text = DATASOURCE + '\nmodle Draft {\n  id Int @id\n}\n\nmodel Tag {\n  id Int @id\n}\n';
      const { schema, problems } = loadPrismaSchema(text, FILE);
      assert.deepEqual([...schema.tables.keys()], ['Tag']);
      assert.deepEqual(problems.map((p) => p.range.start.line + 1), [6, 7, 8]);
      assert.equal(schema.prisma?.leftOut, undefined);
    });

    it('reads nothing, as before, when no model is valid', () => {
      const text = DATASOURCE + '\nmodel Draft {\n  id Int @id\n  title Str\n}\n';
      const { schema, problems } = loadPrismaSchema(text, FILE);
      assert.equal(schema.tables.size, 0);
      assert.equal(schema.prisma, undefined);
      assert.equal(problems.length, 1);
      assert.equal(problems[0].message, 'Type "Str" is neither a built-in type, nor refers to another model, composite type, or enum.');
    });
  });

  describe('offsets after multi-byte characters', () => {
    // Before the broken model: 40 characters that are 160 bytes in UTF-8 and 80 UTF-16 code
    // units, so byte offsets would land in the model after it.
    const text = DATASOURCE + '\n// ' + '😀'.repeat(20) + '日本語'.repeat(7) + 'é\nmodel Draft {\n  id Int @id\n  title Str\n}\n\nmodel Tag {\n  id Int @id\n  @@index([id])\n}\n';

    it('the engine gives UTF-16 offsets (JS string indices)', () => {
      const errors = lintErrors(text);
      assert.equal(errors.length, 1);
      assert.equal(text.slice(errors[0].start, errors[0].end), 'Str');
    });

    it('leaves out the model at fault', () => {
      const { schema, problems } = loadPrismaSchema(text, FILE);
      assert.deepEqual([...schema.tables.keys()], ['Tag']);
      assert.deepEqual(schema.prisma?.leftOut, ['Draft']);
      assert.deepEqual(problems[0].range, rangeOf(text, 'Str', 'title'));
    });
  });

  describe('drift against a schema read in part', () => {
    const fixed = ONE_BROKEN_MODEL.replace('name  Str', 'name  String');
    const whole = loadPrismaSchema(fixed, FILE).schema;
    const partial = loadPrismaSchema(ONE_BROKEN_MODEL, FILE).schema;

    it('does not report the left-out model\'s table as one the next migration drops', () => {
      assert.ok(partial.tables.size > 0 && whole.tables.has('User'));
      assert.deepEqual(schemaDrift(partial, whole, FILE), []);
    });

    it('does not report the left-out model\'s table as undeclared in the live database', () => {
      const live = { schema: whole, target: 'db' } as LiveSchema;
      assert.deepEqual(liveDrift({ schema: live, minStatsDays: 7, workspace: partial, workspaceFile: FILE }), []);
    });

    it('keeps relation info of the models read', () => {
      const text = DATASOURCE + '\nmodel User {\n  id Int @id\n  posts Post[]\n}\nmodel Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n}\nmodel Broken {\n  id Strg @id\n}\n';
      const r = loadPrismaSchema(text, FILE);
      const author = r.schema.prisma?.models.get('Post')?.fields.get('author');
      assert.ok(author);
      assert.equal(relationInfo(author)?.foreignKeyOn, 'self');
      assert.deepEqual(table(r.schema, 'Post').foreignKeys.map((f) => [f.columns, f.refTable]), [[['authorId'], 'User']]);
    });
  });
});
