/** Which indexes a query uses or could use: what lists an index's queries and keeps it off the unused lists. */
import type { AccessVerdict, IndexUse } from '../matcher/types';
import type { IndexDef } from '../model/schema';
import { regresses, wholeReads } from './dropEffect';
import type { ShapeVerdict } from './verdicts';

/**
 * The index can serve the access: usable — but one read whole in place of the table (`wholeIndex`) only when the
 * query needs it: it is the path chosen, no other index can be read whole instead, and the table (or another path)
 * would cost more than dropping an index may (see dropEffect.keepingCost, which decides drops the same way).
 */
export function servesAccess(v: AccessVerdict, c: IndexUse): boolean {
  if (!c.usable) return false;
  if (!c.wholeIndex) return true;
  if (v.best !== c || wholeReads(v).length > 1) return false;
  let next = v.seqScanCost;
  for (const o of v.candidates) if (o !== c && o.usable && o.cost < next) next = o.cost;
  return regresses(c.cost, next);
}

/** Adds to `used` each index the verdicts' accesses can use, or would use once every branch of an OR has one. */
export function addIndexesUsed(used: Set<IndexDef>, verdicts: readonly ShapeVerdict[]): Set<IndexDef> {
  for (const sv of verdicts) for (const v of sv.accesses) for (const c of v.candidates) if (servesAccess(v, c) || c.servesOrBranch) used.add(c.index);
  return used;
}
