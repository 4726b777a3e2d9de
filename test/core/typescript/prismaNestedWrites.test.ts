/**
 * Nested writes in an update's `data`: each is a statement of its own on the related table, found by the
 * relation's columns there (and by its own filter).
 */
import assert from 'node:assert/strict';
import type { QueryShape, TableAccess } from '../../../src/core/model/query';
import { LineIndex } from '../../../src/core/model/location';
import { extractFromTypeScript } from '../../../src/core/sources/typescript/extract';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { missingIndex } from '../../../src/core/rules/missingIndex';
import { DEFAULT_MATCHER_OPTIONS } from '../../../src/core/matcher/options';
import { prismaStatements } from '../../../src/core/db/prismaSql';
import { loadPrismaSchema } from '../../../src/core/schema/prisma/loadPrismaSchema';
import { atoms } from './helpers';
import { lmsSchema } from './schemaFixture';

function shapeOf(call: string): { shape: QueryShape; text: string } {
  const text = `export async function f(id: string, courseId: string) {\n  return ${call}\n}\n`;
  const { shapes } = extractFromTypeScript(text, 'nested.ts', lmsSchema());
  assert.equal(shapes.length, 1, call);
  return { shape: shapes[0], text };
}

const summary = (a: TableAccess) => `${a.kind} ${a.table}: ${atoms(a).map((x) => ('column' in x ? `${x.column}${x.kind === 'compare' ? x.op : ` ${x.kind}`}` : x.kind)).join(', ')}`;

describe('typescript/prisma nested writes', () => {
  it('deleteMany and updateMany of a list relation search the related table by its key and their filter', () => {
    const { shape } = shapeOf(`prisma.user.update({ where: { id }, data: { enrollments: { deleteMany: { status: 'DROPPED' }, updateMany: { where: { courseId }, data: { status: 'DONE' } } } } })`);
    assert.deepEqual(shape.accesses.map(summary), ['update users: id=', 'delete enrollments: userId=, status=', 'update enrollments: userId=, courseId=']);
  });

  it('a list of filters is a statement each; set searches by the key alone, even set: []', () => {
    const { shape } = shapeOf(`prisma.course.update({ where: { id }, data: { modules: { set: [], delete: [{ id: 'a' }, { id: 'b' }] } } })`);
    assert.deepEqual(shape.accesses.map(summary), ['update courses: id=', 'update course_modules: courseId=', 'delete course_modules: courseId=, id=', 'delete course_modules: courseId=, id=']);
  });

  it('a to-one relation held by the other table: delete: true and update by the key; a relation this row holds is not searched to disconnect', () => {
    const { shape } = shapeOf(`prisma.course.update({ where: { id }, data: { analytics: { delete: true }, instructor: { disconnect: true } } })`);
    assert.deepEqual(shape.accesses.map(summary), ['update courses: id=', 'delete course_analytics: course_id=']);
    const upd = shapeOf(`prisma.course.update({ where: { id }, data: { analytics: { update: { totalEnrollments: 1 } } } })`).shape;
    assert.deepEqual(upd.accesses.map(summary), ['update courses: id=', 'update course_analytics: course_id=']);
  });

  it('follows nested writes of nested writes, and the update of an upsert; reads nothing of create or connect', () => {
    const nested = shapeOf(`prisma.user.update({ where: { id }, data: { courses: { update: { where: { id: courseId }, data: { modules: { deleteMany: {} } } } } } })`).shape;
    assert.deepEqual(nested.accesses.map(summary), ['update users: id=', 'update courses: instructor_id=, id=', 'delete course_modules: courseId=']);
    const upsert = shapeOf(`prisma.user.upsert({ where: { id }, create: { id, email: 'x', enrollments: { create: [] } }, update: { enrollments: { deleteMany: {} } } })`).shape;
    assert.deepEqual(upsert.accesses.map(summary), ['upsert users: id=', 'delete enrollments: userId=']);
    const plain = shapeOf(`prisma.user.update({ where: { id }, data: { name: 'x', enrollments: { create: { courseId }, connect: { id: 'e' } } } })`).shape;
    assert.deepEqual(plain.accesses.map(summary), ['update users: id=']);
  });

  it('skips an operation or a list item written as undefined, as Prisma does', () => {
    const { shape } = shapeOf(`prisma.course.update({ where: { id }, data: { analytics: { delete: undefined }, modules: { deleteMany: [undefined, { title: 'x' }] } } })`);
    assert.deepEqual(shape.accesses.map(summary), ['update courses: id=', 'delete course_modules: courseId=, title=']);
  });

  it('through an implicit many-to-many relation, deletes the related rows by the ids the join table lists; links alone are not searched', () => {
    const { schema } = loadPrismaSchema(
      `datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel Post {\n  id   String @id\n  tags Tag[]\n}\nmodel Tag {\n  id    String @id\n  name  String\n  posts Post[]\n}\n`,
      'schema.prisma',
    );
    const text = `export const f = (id: string) => prisma.post.update({ where: { id }, data: { tags: { deleteMany: { name: 'x' }, set: [], disconnect: [{ id: 'a' }] } } })\n`;
    const { shapes } = extractFromTypeScript(text, 'posts.ts', schema);
    assert.deepEqual(shapes[0].accesses.map(summary), ['update Post: id=', 'delete Tag: id in, name=']);
  });

  it('marks nested writes as statements of their own: the SQL rendered for the call leaves them out', () => {
    const { shape } = shapeOf(`prisma.user.update({ where: { id }, include: { enrollments: true }, data: { enrollments: { deleteMany: { id: { in: [courseId] } } } } })`);
    assert.deepEqual(shape.accesses.map((a) => [a.table, a.kind, a.nestedWrite]), [['users', 'update', undefined], ['enrollments', 'select', undefined], ['enrollments', 'delete', true]]);
    const statements = prismaStatements(shape, lmsSchema());
    assert.equal(statements.length, 2);
    assert.deepEqual(statements.map((st) => st.accesses), [[0], [1]]);
    assert.ok(statements[0].approximate, 'the UPDATE runs nested writes of its own: approximate');
  });

  it('a nested deleteMany with no index for its filter gets a missing-index finding at the nested write', () => {
    const { shape, text } = shapeOf(`prisma.course.update({ where: { id }, data: { modules: { deleteMany: { title: 'draft' } } } })`);
    const schema = lmsSchema();
    const opts = { ...DEFAULT_MATCHER_OPTIONS, rows: { courses: 10_000, course_modules: 2_000_000 } };
    const findings = missingIndex.run({ schema, verdicts: verdictsFor([shape], schema, opts), options: opts });
    const f = findings.find((x) => x.table === 'course_modules');
    assert.ok(f, findings.map((x) => x.message).join('\n'));
    const lines = new LineIndex(text);
    assert.ok(text.slice(lines.offset(f.range.start), lines.offset(f.range.end)).startsWith('deleteMany'), 'at the nested write');
  });
});
