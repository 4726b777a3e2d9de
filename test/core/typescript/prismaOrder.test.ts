import assert from 'node:assert/strict';
import { atoms, extractFixture, shapeAfter, type Extracted } from './helpers';

describe('typescript/prisma orderBy and paging', () => {
  let x: Extracted;
  before(() => {
    x = extractFixture('prisma-order.ts.txt');
  });

  const order = (nth: number, marker = 'function orderForms') =>
    shapeAfter(x, marker, nth).accesses[0].orderBy.map((o) => ({ column: o.column, desc: o.desc, nullsFirst: o.nullsFirst }));

  it('reads object and array forms, sort/nulls', () => {
    assert.deepEqual(order(0), [{ column: 'createdAt', desc: true, nullsFirst: undefined }]);
    assert.deepEqual(order(1), [
      { column: 'published', desc: false, nullsFirst: undefined },
      { column: 'title', desc: true, nullsFirst: false },
      { column: 'slug', desc: false, nullsFirst: true },
    ]);
  });

  it('records the range of each order item', () => {
    const item = shapeAfter(x, 'function orderForms').accesses[0].orderBy[0];
    const at = x.text.indexOf("createdAt: 'desc'");
    assert.deepEqual(item.range, x.lines.range(at, at + "createdAt: 'desc'".length));
  });

  it('marks ordering by a relation field or a relation count unsatisfiable', () => {
    const rel = shapeAfter(x, 'function orderForms', 2).accesses[0];
    assert.deepEqual(rel.orderBy, []);
    assert.match(rel.orderByUnsatisfiable ?? '', /instructor\.email/);
    const cnt = shapeAfter(x, 'function orderForms', 3).accesses[0];
    assert.match(cnt.orderByUnsatisfiable ?? '', /count/);
  });

  it('maps ordered fields through @map; a non-literal direction is ascending', () => {
    assert.deepEqual(order(4), [{ column: 'position', desc: false, nullsFirst: undefined }]);
  });

  it('reads take/skip as limit/offset', () => {
    const lit = shapeAfter(x, 'function paging', 0).accesses[0];
    assert.equal(lit.limit, 20);
    assert.equal(lit.offset, 40);
    const par = shapeAfter(x, 'function paging', 1).accesses[0];
    assert.equal(par.limit, 'param');
    assert.equal(par.offset, 'param');
    assert.equal(shapeAfter(x, 'function paging', 2).accesses[0].limit, 10);
  });

  it('turns a cursor into a compare atom following the order direction', () => {
    const asc = shapeAfter(x, 'function paging', 3).accesses[0];
    assert.deepEqual(atoms(asc), [{ kind: 'compare', column: 'id', op: '>=', value: { kind: 'param' } }]);
    assert.deepEqual(
      asc.orderBy.map((o) => [o.column, o.desc]),
      [['id', false]],
    );
    const desc = shapeAfter(x, 'function paging', 4).accesses[0];
    assert.deepEqual(atoms(desc), [{ kind: 'compare', column: 'id', op: '<=', value: { kind: 'param' } }]);
    assert.deepEqual(
      desc.orderBy.map((o) => [o.column, o.desc]),
      [['createdAt', true]],
    );
  });

  it('findFirst has limit 1 and keeps its order', () => {
    const a = shapeAfter(x, 'function paging', 5).accesses[0];
    assert.equal(a.limit, 1);
    assert.deepEqual(
      a.orderBy.map((o) => o.column),
      ['createdAt'],
    );
  });
});
