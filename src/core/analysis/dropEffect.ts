/** What dropping an index does to one table access: its estimated cost with and without the index. */
import type { TableAccess } from '../model/query';
import type { IndexDef, SchemaModel } from '../model/schema';
import { analyzeAccess } from '../matcher/analyzeAccess';
import type { MatcherOptions } from '../matcher/options';
import type { AccessVerdict, IndexUse } from '../matcher/types';

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

/** The cost of the cheapest path the matcher finds for the access on `schema` (see keepingCost). */
export function accessCost(access: TableAccess, schema: SchemaModel, opts: MatcherOptions): number {
  return keepingCost(analyzeAccess(access, schema, opts));
}

/** The verdict's candidates that read a whole index in place of the table (`wholeIndex`), usable. */
export function wholeReads(v: AccessVerdict): IndexUse[] {
  return v.candidates.filter((c) => c.usable && c.wholeIndex);
}

/**
 * What an access costs when deciding whether an index may go: its cheapest path (an index, else a sequential scan)
 * — but reads of a whole index are interchangeable (any index that holds the columns read serves; `count(*)` any
 * index at all): while two or more can, the dearest stands for them, so dropping one regresses nothing while another
 * remains. One that alone can be read whole stands for itself: dropping it sends the query to the table.
 */
export function keepingCost(v: AccessVerdict): number {
  if (!v.best?.wholeIndex) return v.best?.cost ?? v.seqScanCost;
  const whole = wholeReads(v);
  if (whole.length < 2) return v.best.cost;
  let cost = Math.min(v.seqScanCost, Math.max(...whole.map((c) => c.cost)));
  for (const c of v.candidates) if (c.usable && !c.wholeIndex && c.cost < cost) cost = c.cost;
  return cost;
}

/** Whether going from cost `before` to `after` is a regression worth keeping an index for. */
export function regresses(before: number, after: number): boolean {
  return after > before * REGRESSION && after - before > MIN_LOSS;
}
