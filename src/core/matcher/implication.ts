/**
 * Does a query's WHERE clause imply a partial index's predicate? PostgreSQL's
 * predtest.c proves this atom by atom; we follow the cases it handles for the
 * simple predicates applications write (equality, IS [NOT] NULL, ranges, booleans).
 */
import { type Literal, literalEquals, type PredicateAtom } from '../model/predicate';

function numeric(l: Literal): number | undefined {
  return l.kind === 'number' ? l.value : undefined;
}

function comparable(l: Literal): number | string | undefined {
  if (l.kind === 'number') return l.value;
  if (l.kind === 'string') return l.value;
  return undefined;
}

/** Whether `have` (a query atom) implies `need` (an index predicate atom). */
export function atomImplies(have: PredicateAtom, need: PredicateAtom): boolean {
  // A row comparison is one RowCompareExpr to predtest.c, which proves nothing from it.
  if ((have.kind === 'compare' && have.rowBound) || (need.kind === 'compare' && need.rowBound)) return false;
  // predtest.c matches a BooleanTest (IS TRUE / IS FALSE) only to an equal one: `x IS FALSE` proves neither
  // `NOT x` nor `x IS NOT NULL` (it is not a strict operator), and `NOT x` does not prove `x IS FALSE`.
  if ((have.kind === 'compare' && have.isTest) || (need.kind === 'compare' && need.isTest)) {
    return have.kind === 'compare' && need.kind === 'compare' && !!have.isTest === !!need.isTest && have.column === need.column && literalEquals(have.value, need.value);
  }
  if (need.kind === 'null') {
    if (have.kind === 'null') return have.column === need.column && have.isNull === need.isNull;
    // Any strict operator on the column proves IS NOT NULL.
    if (!need.isNull && 'column' in have && have.column === need.column) {
      return have.kind === 'compare' || have.kind === 'in' || have.kind === 'between' || have.kind === 'like';
    }
    return false;
  }
  if (need.kind === 'compare') {
    if (have.kind === 'compare' && have.column === need.column) {
      if (have.op === '=' && need.op === '=') return literalEquals(have.value, need.value);
      return rangeImplies(have.op, have.value, need.op, need.value);
    }
    if (have.kind === 'in' && have.column === need.column && need.op === '=') {
      return have.values.length > 0 && have.values.every((v) => literalEquals(v, need.value));
    }
    if (have.kind === 'in' && have.column === need.column) {
      return have.values.length > 0 && have.values.every((v) => rangeImplies('=', v, need.op, need.value));
    }
    if (have.kind === 'between' && have.column === need.column) {
      if (need.op === '<' || need.op === '<=') return rangeImplies('<=', have.high, need.op, need.value);
      if (need.op === '>' || need.op === '>=') return rangeImplies('>=', have.low, need.op, need.value);
      return false;
    }
    return false;
  }
  if (need.kind === 'in' && have.kind === 'compare' && have.op === '=' && have.column === need.column) {
    return need.values.some((v) => literalEquals(v, have.value));
  }
  if (need.kind === 'not-equal' && have.kind === 'compare' && have.op === '=' && have.column === need.column) {
    const a = comparable(have.value);
    const b = comparable(need.value);
    return a !== undefined && b !== undefined && a !== b;
  }
  if (need.kind === 'other' && have.kind === 'other') return have.text === need.text;
  return JSON.stringify(have) === JSON.stringify(need);
}

/** `col haveOp a` implies `col needOp b` for constants a, b. */
function rangeImplies(haveOp: string, a: Literal, needOp: string, b: Literal): boolean {
  const x = comparable(a);
  const y = comparable(b);
  if (x === undefined || y === undefined || typeof x !== typeof y) return false;
  if (numeric(a) === undefined && numeric(b) === undefined && typeof x !== 'string') return false;
  switch (needOp) {
    case '<':
      return (haveOp === '<' && x <= y) || ((haveOp === '<=' || haveOp === '=') && x < y);
    case '<=':
      return (haveOp === '<' || haveOp === '<=' || haveOp === '=') && x <= y;
    case '>':
      return (haveOp === '>' && x >= y) || ((haveOp === '>=' || haveOp === '=') && x > y);
    case '>=':
      return (haveOp === '>' || haveOp === '>=' || haveOp === '=') && x >= y;
    case '=':
      return haveOp === '=' && x === y;
  }
  return false;
}

/** Every atom of the index predicate must follow from some atom of the query. */
export function predicateImplied(query: PredicateAtom[], indexPredicate: PredicateAtom[] | undefined): boolean {
  if (!indexPredicate || indexPredicate.length === 0) return true;
  return indexPredicate.every((need) => query.some((have) => atomImplies(have, need)));
}
