/**
 * Static selectivity estimates, in the spirit of PostgreSQL's defaults (selfuncs.h):
 * without statistics the planner assumes 0.005 for equality and 1/3 for an open range.
 * We do better where the schema tells us more: unique keys, enums, booleans and
 * foreign keys (rows per parent).
 */
import type { Literal, PredicateAtom } from '../model/predicate';
import type { SchemaModel, TableDef } from '../model/schema';
import { containSelectivity, ginValueKind } from './ginOperators';
import type { ParallelSettings } from './parallelScan';
import type { PlannerCosts } from './plannerCosts';

export const DEFAULT_EQ_SEL = 0.005;
export const DEFAULT_INEQ_SEL = 1 / 3;
/** A closed range (BETWEEN, or a lower and an upper bound) with an unknown bound: clauselist_selectivity() uses this for the pair. */
export const DEFAULT_RANGE_INEQ_SEL = 0.005;
export const DEFAULT_MATCH_SEL = 0.005;

export interface SelectivityContext {
  schema: SchemaModel;
  table: TableDef;
  rows: number;
  rowsOf(table: string): number;
  /** PostgreSQL major version the estimates are for (skip scans from 18). */
  serverVersion?: number;
  /** The server's parallel-scan settings; undefined: no parallel scans. */
  parallel?: ParallelSettings;
  /** The planner's cost constants; undefined: PostgreSQL's defaults. */
  costs?: PlannerCosts;
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
  if (!d) return DEFAULT_EQ_SEL;
  // var_eq_non_const(): the non-NULL rows over the distinct values, never more than the most common value's share.
  const sel = (1 - (stats?.nullFrac ?? 0)) / d;
  return stats?.mostCommonFreqs?.length ? Math.min(sel, stats.mostCommonFreqs[0]) : sel;
}

/** How a column's values compare: as numbers, as instants, or as text (no interpolation). */
type Scale = 'number' | 'time' | 'text';

function scaleOf(type: string): Scale | undefined {
  if (/^(smallint|integer|int|int2|int4|int8|bigint|numeric|decimal|real|float4|float8|double precision|serial|bigserial)\b/.test(type)) return 'number';
  if (/^(timestamp|timestamptz|date)\b/.test(type)) return 'time';
  if (/^(text|character varying|varchar|character|char|citext)\b/.test(type)) return 'text';
  return undefined;
}

/** A timestamp as PostgreSQL prints it (`2026-11-26 13:20:01.5+00`), in ms; without a zone, as UTC. */
function parseTime(text: string): number | undefined {
  let t = text.trim().replace(' ', 'T');
  if (/[+-]\d\d$/.test(t)) t += ':00';
  else if (!/(Z|[+-]\d\d:\d\d)$/.test(t) && /T/.test(t)) t += 'Z';
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

const UNIT_MS: Record<string, number> = { second: 1e3, minute: 6e4, hour: 3.6e6, day: 8.64e7, week: 6.048e8, month: 2.592e9, year: 3.15576e10 };

/** `now() - '7 days'::interval` and the like, evaluated now (as the planner does at plan time); undefined for anything else. */
function clockValue(text: string, now: number): number | undefined {
  const m = /^\(?(now\(\)|current_timestamp|localtimestamp|current_date|statement_timestamp\(\)|transaction_timestamp\(\))\s*(?:([+-])\s*'([^']*)'::interval)?\)?$/i.exec(text.trim());
  if (!m) return undefined;
  if (!m[2]) return now;
  let ms = 0;
  for (const part of m[3].matchAll(/(-?\d+(?:\.\d+)?)\s*(second|sec|minute|min|hour|day|week|month|mon|year)s?/gi)) {
    const unit = part[2].toLowerCase().replace(/^sec$/, 'second').replace(/^min$/, 'minute').replace(/^mon$/, 'month');
    ms += Number(part[1]) * UNIT_MS[unit];
  }
  if (ms === 0) return undefined;
  return m[2] === '-' ? now - ms : now + ms;
}

/** A constant on the column's scale (a number, an instant in ms, a string); undefined when not known statically. */
function valueOn(scale: Scale, l: Literal, now: number): number | string | undefined {
  if (scale === 'number') return l.kind === 'number' ? l.value : l.kind === 'string' && l.value.trim() !== '' && !Number.isNaN(Number(l.value)) ? Number(l.value) : undefined;
  if (scale === 'time') return l.kind === 'string' ? parseTime(l.value) : l.kind === 'expr' ? clockValue(l.text, now) : undefined;
  return l.kind === 'string' ? l.value : undefined;
}

function statValue(scale: Scale, text: string): number | string | undefined {
  if (scale === 'number') return text.trim() === '' || Number.isNaN(Number(text)) ? undefined : Number(text);
  if (scale === 'time') return parseTime(text);
  return text;
}

/**
 * Share of the rows with `column < value` (or `<=`), from the column's statistics as scalarineqsel() does:
 * the most-common values below it, plus the share of the histogram below it (interpolated within its
 * bucket for numbers and instants) times the rows that are neither NULL nor most-common. Undefined without
 * statistics or a value known statically (a parameter: the planner's default applies).
 */
function belowShare(ctx: SelectivityContext, column: string, value: Literal, inclusive: boolean): number | undefined {
  const col = ctx.table.columns.get(column);
  const stats = col?.stats;
  if (!col || !stats || (!stats.histogramBounds && !stats.mostCommonValues)) return undefined;
  const scale = scaleOf(col.type);
  if (!scale) return undefined;
  const v = valueOn(scale, value, Date.now());
  if (v === undefined) return undefined;
  const below = (x: number | string) => x < v || (inclusive && x === v);
  let mcvSel = 0;
  let sumCommon = 0;
  const mcv = stats.mostCommonValues ?? [];
  for (let i = 0; i < mcv.length; i++) {
    const f = stats.mostCommonFreqs?.[i] ?? 0;
    sumCommon += f;
    const x = statValue(scale, mcv[i]);
    if (x !== undefined && below(x)) mcvSel += f;
  }
  const rest = Math.max(0, 1 - stats.nullFrac - sumCommon);
  const bounds = (stats.histogramBounds ?? []).map((b) => statValue(scale, b));
  let histSel = 0.5;
  if (bounds.length >= 2 && bounds.every((b) => b !== undefined)) {
    const b = bounds as (number | string)[];
    const n = b.length - 1;
    if (!below(b[0]) && v !== b[0]) histSel = 0;
    else if (v > b[n]) histSel = 1;
    else {
      let i = 0;
      while (i < n - 1 && b[i + 1] <= v) i++;
      const lo = b[i];
      const hi = b[i + 1];
      const frac = typeof v === 'number' && typeof lo === 'number' && typeof hi === 'number' ? (hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0.5) : 0.5;
      histSel = (i + frac) / n;
    }
  } else if (mcv.length === 0) return undefined;
  return Math.min(1, Math.max(0, mcvSel + rest * histSel));
}

/** Selectivity of `column op value` for a range operator, from the statistics when they tell. */
function rangeSel(ctx: SelectivityContext, column: string, op: '<' | '<=' | '>' | '>=', value: Literal): number | undefined {
  const upper = op === '<' || op === '<=';
  const below = belowShare(ctx, column, value, op === '<=' || op === '>');
  if (below === undefined) return undefined;
  const nullFrac = ctx.table.columns.get(column)?.stats?.nullFrac ?? 0;
  // Never quite 0: the planner keeps at least a row's worth.
  return Math.max(1 / Math.max(ctx.rows, 1), upper ? below : Math.max(0, 1 - nullFrac - below));
}

export function atomSelectivity(ctx: SelectivityContext, atom: PredicateAtom): number {
  switch (atom.kind) {
    case 'compare':
      if (atom.op === '=') return eqSel(ctx, atom.column, atom.value);
      return rangeSel(ctx, atom.column, atom.op, atom.value) ?? DEFAULT_INEQ_SEL;
    case 'in': {
      // One list parameter (= ANY($1)) stands for a handful of values; listed values count each at its
      // own share (a most-common value at its measured frequency), as scalararraysel() sums them.
      if (atom.values.length === 1 && atom.values[0].kind === 'param') return Math.min(1, 5 * eqSel(ctx, atom.column));
      return Math.min(1, atom.values.reduce((sum, v) => sum + eqSel(ctx, atom.column, v), 0));
    }
    case 'null': {
      const nullFrac = ctx.table.columns.get(atom.column)?.stats?.nullFrac ?? DEFAULT_EQ_SEL;
      return atom.isNull ? nullFrac : 1 - nullFrac;
    }
    case 'between':
      return betweenSel(ctx, atom.column, atom.low, atom.high) ?? DEFAULT_RANGE_INEQ_SEL;
    case 'like':
      return atom.negated ? 1 - DEFAULT_MATCH_SEL : DEFAULT_MATCH_SEL;
    case 'fulltext':
      return DEFAULT_MATCH_SEL;
    case 'not-equal': {
      // neqsel(): the rows not equal to this value, NULLs left out (NULL <> x is not true).
      const nulls = ctx.table.columns.get(atom.column)?.stats?.nullFrac ?? 0;
      return Math.max(0, 1 - eqSel(ctx, atom.column, atom.value) - nulls);
    }
    case 'other':
      // An OR of tests: the shares of its branches combined as independent (clauselist_selectivity_or()).
      if (atom.anyOf?.length) return 1 - atom.anyOf.reduce((keep, b) => keep * (1 - atomSelectivity(ctx, b)), 1);
      if (atom.contains) return containSelectivity(atom.contains.path ? 'jsonb' : ginValueKind(ctx.table.columns.get(atom.contains.column)), atom.contains.op);
      return DEFAULT_INEQ_SEL;
  }
}

/** `column BETWEEN low AND high` (or a lower and an upper bound): the share between them, from the statistics. */
function betweenSel(ctx: SelectivityContext, column: string, low: Literal, high: Literal, lowOp: '>' | '>=' = '>=', highOp: '<' | '<=' = '<='): number | undefined {
  const lo = belowShare(ctx, column, low, lowOp === '>');
  const hi = belowShare(ctx, column, high, highOp === '<=');
  if (lo === undefined || hi === undefined) return undefined;
  return Math.max(1 / Math.max(ctx.rows, 1), hi - lo);
}

/** Combined selectivity of atoms; a lower and an upper bound on one column form a closed range. */
export function combinedSelectivity(ctx: SelectivityContext, atoms: PredicateAtom[]): number {
  let sel = 1;
  // Made when the first range bound comes (most calls have none).
  let lower: Map<string, PredicateAtom & { kind: 'compare' }> | undefined;
  let upper: Map<string, PredicateAtom & { kind: 'compare' }> | undefined;
  for (const a of atoms) {
    if (a.kind === 'compare' && a.op !== '=') {
      lower ??= new Map();
      upper ??= new Map();
      const isUpper = a.op === '<' || a.op === '<=';
      const set = isUpper ? upper : lower;
      const other = (isUpper ? lower : upper).get(a.column);
      if (other) {
        // The second bound of a closed range: replace the first bound's share with the range's.
        const [lo, hi] = isUpper ? [other, a] : [a, other];
        const range = betweenSel(ctx, a.column, lo.value, hi.value, lo.op as '>' | '>=', hi.op as '<' | '<=');
        sel *= range !== undefined ? range / Math.max(atomSelectivity(ctx, other), 1e-12) : DEFAULT_RANGE_INEQ_SEL / DEFAULT_INEQ_SEL;
        continue;
      }
      if (set.has(a.column)) continue;
      set.set(a.column, a);
    }
    sel *= atomSelectivity(ctx, a);
  }
  return Math.min(1, sel);
}
