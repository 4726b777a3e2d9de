import assert from 'node:assert/strict';
import type { TableAccess } from '../../../src/core/model/query';
import { atoms, extractFixture, shapeAfter, type Extracted } from './helpers';

const param = { kind: 'param' } as const;

function tables(accesses: TableAccess[]): string[] {
  return accesses.map((a) => a.table);
}

describe('typescript/prisma relations', () => {
  let x: Extracted;
  before(() => {
    x = extractFixture('prisma-relations.ts.txt');
  });

  describe('relation filters', () => {
    it('to-one filter: joined access on the parent and an other atom on the FK', () => {
      const s = shapeAfter(x, 'function toOneFilter');
      assert.deepEqual(tables(s.accesses), ['courses', 'users']);
      const [main, parent] = s.accesses;
      const fk = atoms(main)[1];
      assert.equal(fk.kind, 'other');
      assert.deepEqual(fk.kind === 'other' && fk.columns, ['instructor_id']);
      assert.deepEqual(atoms(parent), [{ kind: 'compare', column: 'email', op: '=', value: { kind: 'string', value: 'x@example.com' } }]);
      assert.deepEqual(parent.joinKeys, [{ column: 'id', otherTable: 'courses', otherColumn: 'instructor_id' }]);
      assert.equal(parent.joinedFrom, 'courses');
      const at = x.text.indexOf("instructor: { email: 'x@example.com' }");
      assert.deepEqual(main.predicates[1].range, x.lines.range(at, at + "instructor: { email: 'x@example.com' }".length));
    });

    it('some: joined access on the child with its predicates and the FK join key', () => {
      const s = shapeAfter(x, 'function toManySome');
      assert.deepEqual(tables(s.accesses), ['users', 'enrollments']);
      const [main, child] = s.accesses;
      const semi = atoms(main)[0];
      assert.equal(semi.kind, 'other');
      assert.deepEqual(semi.kind === 'other' && semi.columns, ['id']);
      assert.ok(semi.kind === 'other' && semi.text.includes(' IN (SELECT userId FROM enrollments'));
      assert.deepEqual(atoms(child), [
        { kind: 'compare', column: 'courseId', op: '=', value: param },
        { kind: 'compare', column: 'status', op: '=', value: { kind: 'string', value: 'ACTIVE' } },
      ]);
      assert.deepEqual(child.joinKeys, [{ column: 'userId', otherTable: 'users', otherColumn: 'id' }]);
      assert.equal(child.joinedFrom, 'users');
    });

    it('every negates the child predicates; none keeps them; both are NOT IN', () => {
      const s = shapeAfter(x, 'function toManyEveryNone');
      assert.deepEqual(tables(s.accesses), ['courses', 'course_modules', 'enrollments']);
      const [main, modules, enrollments] = s.accesses;
      for (const a of atoms(main)) assert.ok(a.kind === 'other' && a.text.includes('NOT IN'));
      const every = atoms(modules);
      assert.equal(every.length, 1);
      assert.ok(every[0].kind === 'other' && every[0].columns.includes('title') && every[0].text.startsWith('NOT'));
      assert.deepEqual(modules.joinKeys, [{ column: 'courseId', otherTable: 'courses', otherColumn: 'id' }]);
      assert.deepEqual(atoms(enrollments), []);
    });

    it('is / isNot null and direct null on to-one relations', () => {
      const s = shapeAfter(x, 'function isAndNull');
      const [main, course] = s.accesses;
      assert.deepEqual(tables(s.accesses), ['enrollments', 'courses']);
      assert.equal(atoms(main)[0].kind, 'other');
      assert.deepEqual(atoms(main)[1], { kind: 'null', column: 'userId', isNull: false });
      assert.deepEqual(atoms(course), [{ kind: 'compare', column: 'published', op: '=', value: { kind: 'bool', value: true } }]);
      const s2 = shapeAfter(x, 'function isAndNull', 1);
      // analytics: null — back-relation, FK on the other table: NOT IN over course_analytics.course_id
      assert.deepEqual(tables(s2.accesses), ['courses', 'course_analytics']);
      assert.deepEqual(s2.accesses[1].joinKeys, [{ column: 'course_id', otherTable: 'courses', otherColumn: 'id' }]);
      assert.deepEqual(atoms(s2.accesses[0])[1], { kind: 'null', column: 'instructor_id', isNull: true });
    });
  });

  describe('include / select', () => {
    it('to-many include: child access with IN on the FK plus nested where/orderBy/take; nested to-one include', () => {
      const s = shapeAfter(x, 'function includeToMany');
      assert.deepEqual(tables(s.accesses), ['users', 'enrollments', 'courses', 'courses']);
      const [main, enrollments, course, courses] = s.accesses;
      assert.equal(main.columnsRead, '*');
      assert.equal(main.limit, 1);
      assert.deepEqual(atoms(enrollments), [
        { kind: 'in', column: 'userId', values: [param] },
        { kind: 'compare', column: 'status', op: '=', value: { kind: 'string', value: 'ACTIVE' } },
      ]);
      assert.equal(enrollments.joinedFrom, undefined);
      assert.deepEqual(enrollments.joinKeys, []);
      assert.deepEqual(
        enrollments.orderBy.map((o) => [o.column, o.desc]),
        [['enrolledAt', true]],
      );
      assert.equal(enrollments.limit, 5);
      // enrollments.course (FK on enrollments): read the parent by its referenced column
      assert.deepEqual(atoms(course), [{ kind: 'in', column: 'id', values: [param] }]);
      // users.courses (back-relation via Course.instructor, FK @map'ed)
      assert.deepEqual(atoms(courses), [{ kind: 'in', column: 'instructor_id', values: [param] }]);
    });

    it('select: scalar columns plus join columns; relation selects read the other side', () => {
      const s = shapeAfter(x, 'function selectBothWays');
      assert.deepEqual(tables(s.accesses), ['enrollments', 'courses']);
      assert.deepEqual(s.accesses[0].columnsRead, ['id', 'status', 'courseId']);
      assert.deepEqual(atoms(s.accesses[1]), [{ kind: 'in', column: 'id', values: [param] }]);
      assert.deepEqual(s.accesses[1].columnsRead, ['title', 'id']);
    });

    it('select of scalars only lists their (mapped) columns', () => {
      const s = shapeAfter(x, 'function selectScalars');
      assert.deepEqual(s.accesses.length, 1);
      assert.deepEqual(s.accesses[0].columnsRead, ['id', 'email', 'email_verified']);
    });

    it('to-one include of a back-relation reads the child by its FK', () => {
      const s = shapeAfter(x, 'function includeBackOne');
      assert.deepEqual(tables(s.accesses), ['courses', 'course_analytics']);
      assert.deepEqual(atoms(s.accesses[1]), [{ kind: 'in', column: 'course_id', values: [param] }]);
    });

    it('_count: grouped access per counted relation', () => {
      const s = shapeAfter(x, 'function counts');
      assert.deepEqual(tables(s.accesses), ['courses', 'enrollments', 'course_modules']);
      const [, enr, mods] = s.accesses;
      assert.deepEqual(enr.groupBy, ['courseId']);
      assert.deepEqual(atoms(enr), [
        { kind: 'in', column: 'courseId', values: [param] },
        { kind: 'compare', column: 'status', op: '=', value: { kind: 'string', value: 'ACTIVE' } },
      ]);
      assert.deepEqual(mods.groupBy, ['courseId']);
      const all = shapeAfter(x, 'function counts', 1);
      // _count: true counts every list relation of User: enrollments and courses
      assert.deepEqual(tables(all.accesses), ['users', 'enrollments', 'courses']);
      assert.deepEqual(all.accesses[0].columnsRead, ['id']);
      assert.deepEqual(all.accesses[2].groupBy, ['instructor_id']);
    });
  });
});
