import assert from 'node:assert/strict';
import { atomFor, atoms, extractFixture, shapeAfter, type Extracted } from './helpers';

describe('typescript/prisma where', () => {
  let x: Extracted;
  before(() => {
    x = extractFixture('prisma-where.ts.txt');
  });

  it('produces one prisma shape per call with label, range and text', () => {
    const s = shapeAfter(x, 'function equality');
    assert.equal(s.origin, 'prisma');
    assert.equal(s.label, 'prisma.user.findMany');
    const start = x.text.indexOf('prisma.user.findMany({ where: { email:');
    const end = x.text.indexOf(');', start) + 1;
    assert.deepEqual(s.location.range, x.lines.range(start, end));
    assert.equal(s.text, x.text.slice(start, end));
    assert.equal(s.location.file, 'prisma-where.ts');
    const pos = x.lines.position(start);
    assert.equal(s.id, `prisma-where.ts:${pos.line + 1}:${pos.character + 1}`);
    assert.equal(s.accesses[0].table, 'users');
    assert.equal(s.accesses[0].kind, 'select');
  });

  it('maps equality, params and enum members', () => {
    const a = shapeAfter(x, 'function equality').accesses[0];
    assert.deepEqual(atoms(a), [
      { kind: 'compare', column: 'email', op: '=', value: { kind: 'string', value: 'a@example.com' } },
      { kind: 'compare', column: 'name', op: '=', value: { kind: 'param' } },
      { kind: 'compare', column: 'role', op: '=', value: { kind: 'string', value: 'ADMIN' } },
      { kind: 'null', column: 'email_verified', isNull: true },
    ]);
    const whereAt = x.text.indexOf("email: 'a@example.com'");
    assert.deepEqual(a.predicates[0].range, x.lines.range(whereAt, whereAt + "email: 'a@example.com'".length));
  });

  it('maps shorthand properties through @map and sets limit 1 for findFirst/findUnique', () => {
    const first = shapeAfter(x, 'function shorthandAndMap');
    assert.equal(first.label, 'prisma.user.findFirst');
    assert.deepEqual(atoms(first.accesses[0]), [{ kind: 'compare', column: 'email_verified', op: '=', value: { kind: 'param' } }]);
    assert.equal(first.accesses[0].limit, 1);
    const unique = shapeAfter(x, 'function shorthandAndMap', 1);
    assert.equal(unique.accesses[0].table, 'courses');
    assert.deepEqual(atoms(unique.accesses[0]), [{ kind: 'compare', column: 'slug', op: '=', value: { kind: 'param' } }]);
    assert.equal(unique.accesses[0].limit, 1);
  });

  it('handles null, not null and undefined', () => {
    assert.deepEqual(atoms(shapeAfter(x, 'function nulls').accesses[0]), [
      { kind: 'null', column: 'deletedAt', isNull: true },
      { kind: 'null', column: 'email_verified', isNull: false },
    ]);
  });

  it('handles in with literal and non-literal lists, notIn as other', () => {
    const a = shapeAfter(x, 'function inLists').accesses[0];
    assert.deepEqual(atomFor(a, 'id'), [{ kind: 'in', column: 'id', values: [{ kind: 'param' }] }]);
    assert.deepEqual(atomFor(a, 'role'), [
      { kind: 'in', column: 'role', values: [{ kind: 'string', value: 'ADMIN' }, { kind: 'string', value: 'INSTRUCTOR' }] },
    ]);
    const notIn = atomFor(a, 'email');
    assert.equal(notIn.length, 1);
    assert.equal(notIn[0].kind, 'other');
  });

  it('gives one compare atom per range bound, with negative literals', () => {
    const a = shapeAfter(x, 'function ranges').accesses[0];
    assert.deepEqual(atoms(a), [
      { kind: 'compare', column: 'createdAt', op: '>=', value: { kind: 'param' } },
      { kind: 'compare', column: 'createdAt', op: '<', value: { kind: 'param' } },
      { kind: 'compare', column: 'price', op: '>', value: { kind: 'number', value: 10 } },
      { kind: 'compare', column: 'price', op: '<=', value: { kind: 'number', value: -5 } },
    ]);
  });

  it('builds like patterns from literals and marks non-literal patterns', () => {
    const a = shapeAfter(x, 'function likes').accesses[0];
    assert.deepEqual(atoms(a), [
      { kind: 'like', column: 'title', pattern: { kind: 'string', value: '%sql%' }, caseInsensitive: false, negated: false },
      { kind: 'like', column: 'slug', pattern: { kind: 'string', value: 'intro-%' }, caseInsensitive: false, negated: false },
      { kind: 'like', column: 'instructor_id', pattern: { kind: 'expr', text: "'%' || ?" }, caseInsensitive: false, negated: false },
    ]);
    const p = shapeAfter(x, 'function likeParams').accesses[0];
    assert.deepEqual(atoms(p), [
      { kind: 'like', column: 'email', pattern: { kind: 'expr', text: "? || '%'" }, caseInsensitive: true, negated: false },
      { kind: 'like', column: 'name', pattern: { kind: 'expr', text: "'%' || ? || '%'" }, caseInsensitive: false, negated: false },
    ]);
  });

  it('maps not to not-equal / negated like and insensitive equals to ILIKE', () => {
    const a = shapeAfter(x, 'function notEqual').accesses[0];
    assert.deepEqual(atoms(a), [
      { kind: 'not-equal', column: 'role', value: { kind: 'string', value: 'STUDENT' } },
      { kind: 'like', column: 'name', pattern: { kind: 'string', value: '%bot%' }, caseInsensitive: false, negated: true },
      { kind: 'like', column: 'email', pattern: { kind: 'param' }, caseInsensitive: true, negated: false },
    ]);
  });

  it('flattens AND and turns an OR of equalities on one column into IN', () => {
    const a = shapeAfter(x, 'function logic').accesses[0];
    assert.deepEqual(atoms(a), [
      { kind: 'compare', column: 'role', op: '=', value: { kind: 'string', value: 'ADMIN' } },
      { kind: 'compare', column: 'email', op: '=', value: { kind: 'param' } },
      { kind: 'in', column: 'email', values: [{ kind: 'param' }, { kind: 'param' }, { kind: 'string', value: 'c' }] },
    ]);
  });

  it('keeps an OR over several columns as other and negates single NOT atoms', () => {
    const a = shapeAfter(x, 'function mixedOr').accesses[0];
    const [or, not] = atoms(a);
    assert.equal(or.kind, 'other');
    assert.deepEqual(or.kind === 'other' && or.columns, ['email', 'name']);
    assert.deepEqual(not, { kind: 'null', column: 'deletedAt', isNull: false });
    const many = atoms(shapeAfter(x, 'function notMany').accesses[0]);
    assert.equal(many.length, 2);
    assert.deepEqual(many[0], { kind: 'not-equal', column: 'email', value: { kind: 'param' } });
    assert.equal(many[1].kind, 'other');
    assert.deepEqual(many[1].kind === 'other' && many[1].columns, ['name', 'role']);
  });

  it('expands compound unique selectors', () => {
    const s = shapeAfter(x, 'function compound');
    assert.equal(s.accesses[0].table, 'enrollments');
    assert.deepEqual(atoms(s.accesses[0]), [
      { kind: 'compare', column: 'userId', op: '=', value: { kind: 'param' } },
      { kind: 'compare', column: 'courseId', op: '=', value: { kind: 'param' } },
    ]);
  });

  it('ignores spreads and unknown fields; JSON and list filters become other', () => {
    const a = shapeAfter(x, 'function spreadAndUnknown').accesses[0];
    assert.deepEqual(atoms(a)[0], { kind: 'compare', column: 'email', op: '=', value: { kind: 'string', value: 'x' } });
    assert.equal(atoms(a).length, 3);
    assert.deepEqual(
      atoms(a).slice(1).map((t) => t.kind === 'other' && t.columns),
      [['profile'], ['tags']],
    );
  });

  it('records the LIKE tests of a search-box OR in anyLike', () => {
    const [or] = atoms(shapeAfter(x, 'function searchBox').accesses[0]);
    assert.equal(or.kind, 'other');
    assert.deepEqual(or.kind === 'other' && or.columns, ['title', 'slug']);
    assert.deepEqual(or.kind === 'other' && or.anyLike, [
      { column: 'title', caseInsensitive: true, pattern: { kind: 'expr', text: "'%' || ? || '%'" } },
      { column: 'slug', caseInsensitive: false, pattern: { kind: 'string', value: 'a%' } },
    ]);
    assert.deepEqual(
      or.kind === 'other' && or.anyOf?.map((t) => t.kind === 'like' && [t.column, t.caseInsensitive]),
      [
        ['title', true],
        ['slug', false],
      ],
    );
  });

  it('follows consts in scope holding the arguments or the where object', () => {
    const a = shapeAfter(x, 'function constArgs').accesses[0];
    assert.deepEqual(atoms(a), [
      { kind: 'compare', column: 'published', op: '=', value: { kind: 'bool', value: true } },
      { kind: 'in', column: 'slug', values: [{ kind: 'string', value: 'a' }, { kind: 'string', value: 'b' }] },
    ]);
    assert.deepEqual(
      a.orderBy.map((o) => [o.column, o.desc]),
      [['createdAt', true]],
    );
    assert.equal(a.limit, 10);
  });

  it('maps search to a fulltext atom', () => {
    assert.deepEqual(atoms(shapeAfter(x, 'function fulltext').accesses[0]), [{ kind: 'fulltext', column: 'title', expression: false }]);
  });

  it('handles update, delete, upsert and create', () => {
    const kinds = [0, 1, 2, 3, 4, 5, 6].map((i) => shapeAfter(x, 'function writes', i));
    assert.deepEqual(
      kinds.map((s) => [s.label, s.accesses[0].kind]),
      [
        ['prisma.user.update', 'update'],
        ['prisma.user.updateMany', 'update'],
        ['prisma.user.delete', 'delete'],
        ['prisma.user.deleteMany', 'delete'],
        ['prisma.enrollment.upsert', 'upsert'],
        ['prisma.user.create', 'insert'],
        ['prisma.user.createMany', 'insert'],
      ],
    );
    assert.deepEqual(atoms(kinds[0].accesses[0]), [{ kind: 'compare', column: 'id', op: '=', value: { kind: 'param' } }]);
    assert.deepEqual(atoms(kinds[2].accesses[0]), [
      { kind: 'compare', column: 'email', op: '=', value: { kind: 'string', value: 'gone@example.com' } },
    ]);
    assert.deepEqual(atoms(kinds[4].accesses[0]), [
      { kind: 'compare', column: 'userId', op: '=', value: { kind: 'param' } },
      { kind: 'compare', column: 'courseId', op: '=', value: { kind: 'string', value: 'c1' } },
    ]);
    assert.deepEqual(atoms(kinds[5].accesses[0]), []);
    assert.equal(kinds[5].accesses.length, 1);
    assert.deepEqual(atoms(kinds[6].accesses[0]), []);
  });

  it('reads count, aggregate and groupBy columns; a variable argument gives a bare access', () => {
    const [count, countSel, agg, group, bare] = [0, 1, 2, 3, 4].map((i) => shapeAfter(x, 'function aggregates', i));
    assert.deepEqual(count.accesses[0].columnsRead, []);
    assert.deepEqual(atoms(count.accesses[0]), [{ kind: 'compare', column: 'role', op: '=', value: { kind: 'string', value: 'ADMIN' } }]);
    assert.deepEqual(countSel.accesses[0].columnsRead, ['email']);
    assert.deepEqual(agg.accesses[0].columnsRead, ['price', 'createdAt']);
    assert.deepEqual(group.accesses[0].groupBy, ['courseId', 'status']);
    assert.deepEqual(group.accesses[0].columnsRead, ['courseId', 'status']);
    assert.equal(bare.label, 'prisma.user.findMany');
    assert.deepEqual(bare.accesses, [
      { table: 'users', kind: 'select', predicates: [], joinKeys: [], orderBy: [], groupBy: [], columnsRead: '*' },
    ]);
  });
});
