/** What dropping an index does to one table access: its estimated cost with and without the index. */
import type { TableAccess } from '../model/query';
import type { IndexDef, SchemaModel } from '../model/schema';
import { analyzeAccess } from '../matcher/analyzeAccess';
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

/** The cost of the cheapest path the matcher finds for the access on `schema` (an index, else a sequential scan). */
export function accessCost(access: TableAccess, schema: SchemaModel, opts: MatcherOptions): number {
  const a = analyzeAccess(access, schema, opts);
  return a.best?.cost ?? a.seqScanCost;
}

/** Whether going from cost `before` to `after` is a regression worth keeping an index for. */
export function regresses(before: number, after: number): boolean {
  return after > before * REGRESSION && after - before > MIN_LOSS;
}
