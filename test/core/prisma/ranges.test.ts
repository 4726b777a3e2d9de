import assert from 'node:assert/strict';
import { attributeFieldNames, scanPrismaSchema } from '../../../src/core/schema/prisma/ranges';
import { fixture } from './helpers';

describe('scanPrismaSchema', () => {
  it('finds blocks, fields and attributes with their exact offsets', () => {
    const { text } = fixture('mapping.prisma');
    const blocks = scanPrismaSchema(text);
    assert.deepEqual(
      blocks.map((b) => `${b.kind} ${b.name}`),
      ['datasource db', 'enum Role', 'enum Status', 'model User', 'model Profile', 'model Post', 'model Tag', 'model Membership', 'model CourseProgress'],
    );
    const user = blocks.find((b) => b.name === 'User')!;
    assert.equal(text.slice(user.start, user.headerEnd), 'model User {');
    assert.equal(text[user.end - 1], '}');
    const handle = user.fields.find((f) => f.name === 'handle')!;
    assert.equal(handle.typeText, 'String');
    assert.deepEqual(
      handle.attributes.map((a) => text.slice(a.start, a.end)),
      ['@unique(map: "users_handle_uniq")'],
    );
    const search = user.fields.find((f) => f.name === 'search')!;
    assert.equal(search.typeText, 'Unsupported("tsvector")?');
    assert.deepEqual(search.attributes.map((a) => a.name), ['map']);
    const email = user.fields.find((f) => f.name === 'email')!;
    assert.deepEqual(email.attributes.map((a) => a.name), ['unique', 'db.VarChar']);
    assert.deepEqual(
      user.attributes.map((a) => text.slice(a.start, a.end)),
      [
        '@@index([createdAt(sort: Desc)])',
        '@@index([email], type: Hash)',
        '@@index([settings(ops: JsonbPathOps)], type: Gin, map: "users_settings_gin")',
        '@@index([search], type: Gin)',
        '@@map("users")',
      ],
    );
    // Comments don't produce fields.
    assert.ok(!blocks.some((b) => b.fields.some((f) => f.name.startsWith('/'))));
  });

  it('keeps going on half-typed text', () => {
    const { text } = fixture('half-typed.prisma');
    const [x] = scanPrismaSchema(text);
    assert.equal(x.name, 'X');
    assert.equal(x.end, text.length);
    assert.deepEqual(x.fields.map((f) => [f.name, f.typeText]), [
      ['id', 'String'],
      ['name', 'Str'],
    ]);
  });

  it('ends an unclosed block at the next block, and an unclosed attribute at the block after it', () => {
    const text = 'model A {\n  id Int @id\n  @@index([id\nmodel B {\n  id Int @id\n}\n';
    const blocks = scanPrismaSchema(text);
    assert.deepEqual(blocks.map((b) => b.name), ['A', 'B']);
    assert.equal(blocks[0].end, text.indexOf('model B'));
    assert.deepEqual(blocks[1].fields.map((f) => f.name), ['id']);
  });

  it('spans attribute arguments over lines and ignores braces in strings and comments', () => {
    const text = 'model A {\n  id Int @id @default(dbgenerated("(\'}\')")) // }\n  @@index([\n    id\n  ], map: "a)b")\n}\n';
    const [a] = scanPrismaSchema(text);
    assert.equal(a.end, text.length - 1);
    assert.deepEqual(a.fields[0].attributes.map((x) => x.name), ['id', 'default']);
    const ix = a.attributes[0];
    assert.equal(text.slice(ix.start, ix.end), '@@index([\n    id\n  ], map: "a)b")');
  });

  it('reads the field list of an index attribute', () => {
    assert.deepEqual(attributeFieldNames('[a, b(sort: Desc), c(ops: raw("x,y"))], map: "q"'), ['a', 'b', 'c']);
    assert.deepEqual(attributeFieldNames('fields: [userId, courseId], name: "k"'), ['userId', 'courseId']);
    assert.deepEqual(attributeFieldNames('map: "x"'), []);
  });
});
