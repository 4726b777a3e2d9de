/**
 * Static selectivity estimates, in the spirit of PostgreSQL's defaults (selfuncs.h):
 * without statistics the planner assumes 0.005 for equality and 1/3 for an open range.
 * We do better where the schema tells us more: unique keys, enums, booleans and
 * foreign keys (rows per parent).
 */
import type { Literal, PredicateAtom } from '../model/predicate';
import type { SchemaModel, TableDef } from '../model/schema';

export const DEFAULT_EQ_SEL = 0.005;
export const DEFAULT_INEQ_SEL = 1 / 3;
export const DEFAULT_RANGE_INEQ_SEL = 0.005;
export const DEFAULT_MATCH_SEL = 0.005;

export interface SelectivityContext {
  schema: SchemaModel;
  table: TableDef;
  rows: number;
  rowsOf(table: string): number;
}

/** Number of distinct values a column can hold, when the schema tells. */
export function distinctValues(ctx: SelectivityContext, column: string): number | undefined {
  const col = ctx.table.columns.get(column);
  if (!col) return undefined;
  // Live statistics (pg_stats.n_distinct: a count, or minus a share of the rows) beat what the schema implies.
  if (col.stats && col.stats.nDistinct !== 0) return Math.max(1, col.stats.nDistinct > 0 ? col.stats.nDistinct : -col.stats.nDistinct * ctx.rows);
  if (col.type === 'boolean' || col.type === 'bool') return 2;
  if (col.enumName) return ctx.schema.enums.get(col.enumName)?.values.length;
  const unique = ctx.table.indexes.some((i) => i.unique && !i.predicate && i.keys.length === 1 && i.keys[0].column === column);
  if (unique) return ctx.rows;
  const fk = ctx.table.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === column);
  if (fk) return Math.max(1, Math.min(ctx.rows, ctx.rowsOf(fk.refTable)));
  return undefined;
}

export function isLowCardinality(ctx: SelectivityContext, column: string, maxValues = 10): boolean {
  const d = distinctValues(ctx, column);
  const col = ctx.table.columns.get(column);
  return d !== undefined && d <= maxValues && (col?.type === 'boolean' || !!col?.enumName);
}

function eqSel(ctx: SelectivityContext, column: string, value?: Literal): number {
  const stats = ctx.table.columns.get(column)?.stats;
  if (stats?.mostCommonValues && stats.mostCommonFreqs && value && (value.kind === 'string' || value.kind === 'number' || value.kind === 'bool')) {
    // As the planner does: a most-common value has its measured share; any other value shares what is left.
    const text = value.kind === 'bool' ? (value.value ? 't' : 'f') : String(value.value);
    const i = stats.mostCommonValues.indexOf(text);
    if (i >= 0) return stats.mostCommonFreqs[i];
    const d = distinctValues(ctx, column) ?? 1 / DEFAULT_EQ_SEL;
    const rest = 1 - stats.nullFrac - stats.mostCommonFreqs.reduce((a, b) => a + b, 0);
    return Math.max(0, rest) / Math.max(1, d - stats.mostCommonValues.length);
  }
  const d = distinctValues(ctx, column);
  return d ? 1 / d : DEFAULT_EQ_SEL;
}

export function atomSelectivity(ctx: SelectivityContext, atom: PredicateAtom): number {
  switch (atom.kind) {
    case 'compare':
      return atom.op === '=' ? eqSel(ctx, atom.column, atom.value) : DEFAULT_INEQ_SEL;
    case 'in': {
      const n = atom.values.length === 1 && atom.values[0].kind === 'param' ? 5 : atom.values.length;
      return Math.min(1, n * eqSel(ctx, atom.column));
    }
    case 'null': {
      const nullFrac = ctx.table.columns.get(atom.column)?.stats?.nullFrac ?? DEFAULT_EQ_SEL;
      return atom.isNull ? nullFrac : 1 - nullFrac;
    }
    case 'between':
      return DEFAULT_RANGE_INEQ_SEL * 2;
    case 'like':
      return atom.negated ? 1 - DEFAULT_MATCH_SEL : DEFAULT_MATCH_SEL;
    case 'fulltext':
      return DEFAULT_MATCH_SEL;
    case 'not-equal':
      return 1 - eqSel(ctx, atom.column);
    case 'other':
      return DEFAULT_INEQ_SEL;
  }
}

/** Combined selectivity of atoms; a lower and an upper bound on one column form a closed range. */
export function combinedSelectivity(ctx: SelectivityContext, atoms: PredicateAtom[]): number {
  let sel = 1;
  const lower = new Set<string>();
  const upper = new Set<string>();
  for (const a of atoms) {
    if (a.kind === 'compare' && a.op !== '=') {
      const set = a.op === '<' || a.op === '<=' ? upper : lower;
      const otherSet = set === upper ? lower : upper;
      if (otherSet.has(a.column)) {
        sel *= (DEFAULT_RANGE_INEQ_SEL * 2) / DEFAULT_INEQ_SEL;
        continue;
      }
      if (set.has(a.column)) continue;
      set.add(a.column);
    }
    sel *= atomSelectivity(ctx, a);
  }
  return Math.min(1, sel);
}
