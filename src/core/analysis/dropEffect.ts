/** What dropping an index does to one table access: its estimated cost with and without the index. */
import type { TableAccess } from '../model/query';
import type { IndexDef, SchemaModel } from '../model/schema';
import { analyzeAccess, SEQ_SCAN_MARGIN } from '../matcher/analyzeAccess';
import type { MatcherOptions } from '../matcher/options';

/** Dropping an index may make no query more than this much more expensive… */
const REGRESSION = 1.2;
/** …nor by more than this many cost units (below it, the difference is noise in the estimate). */
const MIN_LOSS = 10;

/** The schema with `table`'s index list replaced. */
export function withIndexes(schema: SchemaModel, table: string, indexes: IndexDef[]): SchemaModel {
  const t = schema.tables.get(table)!;
  const tables = new Map(schema.tables);
  tables.set(table, { ...t, indexes });
  return { ...schema, tables };
}

/**
 * The cost of the cheapest path the matcher finds for the access on `schema` (an index, else a sequential scan)
 * — not counting a read of a whole index for its width (`wholeIndex`): what keeps an index is a query it filters,
 * joins or sorts for, not one that any narrow index, or the table a little slower, serves as well.
 */
export function accessCost(access: TableAccess, schema: SchemaModel, opts: MatcherOptions): number {
  const a = analyzeAccess(access, schema, opts);
  if (!a.best?.wholeIndex) return a.best?.cost ?? a.seqScanCost;
  let cost = a.seqScanCost;
  for (const c of a.candidates) if (c.usable && !c.wholeIndex && c.cost < a.seqScanCost * SEQ_SCAN_MARGIN) cost = Math.min(cost, c.cost);
  return cost;
}

/** Whether going from cost `before` to `after` is a regression worth keeping an index for. */
export function regresses(before: number, after: number): boolean {
  return after > before * REGRESSION && after - before > MIN_LOSS;
}
