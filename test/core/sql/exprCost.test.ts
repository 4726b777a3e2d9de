import assert from 'node:assert/strict';
import { exprOperators } from '../../../src/core/sql/exprCost';
import { initSqlParser } from '../../../src/core/sql/parser';

describe('exprOperators (what cost_qual_eval() charges per row for a value)', () => {
  before(() => initSqlParser());

  it('counts function calls, operators and SQL value functions; not constants, parameters or casts of constants', () => {
    assert.equal(exprOperators('now()'), 1);
    assert.equal(exprOperators(`now() - interval '7 days'`), 2);
    assert.equal(exprOperators(`(now() - '1 day'::interval)`), 2);
    assert.equal(exprOperators('CURRENT_DATE - 7'), 2);
    assert.equal(exprOperators(`lower($1)`), 1);
    assert.equal(exprOperators(`'2024-01-01'::date`), 0);
    assert.equal(exprOperators(`$1::text`), 0);
    assert.equal(exprOperators(`coalesce($1, now())`), 2);
  });

  it('gives undefined for what does not parse as one expression', () => {
    assert.equal(exprOperators('?'), undefined);
    assert.equal(exprOperators('1, 2'), undefined);
    assert.equal(exprOperators(`now(); DROP TABLE x`), undefined);
  });
});
