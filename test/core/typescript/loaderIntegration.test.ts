import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaModel } from '../../../src/core/model/schema';
import { loadPrismaSchema } from '../../../src/core/schema/prisma/loadPrismaSchema';
import { extractFromTypeScript } from '../../../src/core/sources/typescript/extract';
import { atoms, FIXTURES } from './helpers';

/** With schemas read by the real schema.prisma loader (its relation details resolve what hand-built models can't). */
describe('typescript/prisma calls against loaded schema.prisma files', () => {
  let relations: SchemaModel;
  let lms: SchemaModel;
  before(() => {
    relations = loadPrismaSchema(readFileSync(join(FIXTURES, 'relations.prisma'), 'utf8'), 'relations.prisma').schema;
    const lmsFile = join(__dirname, '..', '..', '..', 'examples', 'lms', 'prisma', 'schema.prisma');
    lms = loadPrismaSchema(readFileSync(lmsFile, 'utf8'), 'schema.prisma').schema;
  });

  const one = (code: string, schema: SchemaModel) => {
    const { shapes } = extractFromTypeScript(code, 'a.ts', schema);
    assert.equal(shapes.length, 1);
    return shapes[0];
  };

  it('tells two relations between the same models apart', () => {
    const s = one("prisma.user.findMany({ where: { edited: { some: { title: 'x' } } } })", relations);
    assert.deepEqual(
      s.accesses.map((a) => a.table),
      ['users', 'posts'],
    );
    assert.deepEqual(s.accesses[1].joinKeys, [{ column: 'editor_id', otherTable: 'users', otherColumn: 'id' }]);
  });

  it('reads a self-relation back side through its FK', () => {
    const s = one('prisma.user.findMany({ include: { reports: true } })', relations);
    assert.deepEqual(
      s.accesses.map((a) => a.table),
      ['users', 'users'],
    );
    assert.deepEqual(atoms(s.accesses[1]), [{ kind: 'in', column: 'manager_id', values: [{ kind: 'param' }] }]);
  });

  it('includes an implicit many-to-many relation through its join table', () => {
    const s = one('prisma.post.findMany({ include: { tags: { where: { name: "sql" } } } })', relations);
    assert.deepEqual(
      s.accesses.map((a) => a.table),
      ['posts', '_PostToTag', 'tags'],
    );
    const [, jt, tags] = s.accesses;
    // A points at posts (the model whose name sorts first), B at tags
    assert.deepEqual(atoms(jt), [{ kind: 'in', column: 'A', values: [{ kind: 'param' }] }]);
    assert.deepEqual(jt.columnsRead, ['A', 'B']);
    assert.deepEqual(tags.joinKeys, [{ column: 'id', otherTable: '_PostToTag', otherColumn: 'B' }]);
    assert.equal(tags.joinedFrom, '_PostToTag');
    assert.deepEqual(atoms(tags), [{ kind: 'compare', column: 'name', op: '=', value: { kind: 'string', value: 'sql' } }]);
  });

  it('filters through an implicit many-to-many relation', () => {
    const s = one("prisma.tag.findMany({ where: { posts: { some: { title: 'x' } } } })", relations);
    assert.deepEqual(
      s.accesses.map((a) => a.table),
      ['tags', '_PostToTag', 'posts'],
    );
    const [main, jt, posts] = s.accesses;
    const semi = atoms(main)[0];
    assert.equal(semi.kind, 'other');
    assert.deepEqual(semi.kind === 'other' && semi.columns, ['id']);
    assert.deepEqual(jt.joinKeys, [{ column: 'B', otherTable: 'tags', otherColumn: 'id' }]);
    assert.deepEqual(posts.joinKeys, [{ column: 'id', otherTable: '_PostToTag', otherColumn: 'A' }]);
    assert.deepEqual(atoms(posts), [{ kind: 'compare', column: 'title', op: '=', value: { kind: 'string', value: 'x' } }]);
  });

  it('counts an implicit many-to-many relation on the join table', () => {
    const s = one('prisma.post.findMany({ select: { id: true, _count: { select: { tags: true } } } })', relations);
    assert.deepEqual(
      s.accesses.map((a) => a.table),
      ['posts', '_PostToTag'],
    );
    assert.deepEqual(s.accesses[1].groupBy, ['A']);
  });

  it('maps accessors, @@map and @map of the LMS example', () => {
    const s = one('prisma.media.findMany({ where: { uploadedById: id }, orderBy: { createdAt: "desc" } })', lms);
    assert.equal(s.accesses[0].table, 'media');
    assert.deepEqual(atoms(s.accesses[0]), [{ kind: 'compare', column: 'uploaded_by', op: '=', value: { kind: 'param' } }]);
    const p = one('prisma.courseProgress.findUnique({ where: { userId_courseId: { userId, courseId } } })', lms);
    assert.equal(p.accesses[0].table, 'course_progress');
    assert.deepEqual(
      atoms(p.accesses[0]).map((a) => a.kind === 'compare' && a.column),
      ['userId', 'courseId'],
    );
  });
});
