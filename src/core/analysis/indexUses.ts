/** Which indexes a query uses or could use: what lists an index's queries and keeps it off the unused lists. */
import type { AccessVerdict, IndexUse } from '../matcher/types';
import type { IndexDef } from '../model/schema';
import type { ShapeVerdict } from './verdicts';

/**
 * The index can serve the access: usable — but one read whole in place of the table (`wholeIndex`) only when
 * it is the path chosen: any index holding the columns read would do as well (`SELECT count(*)` would
 * otherwise be listed under every index of the table).
 */
export function servesAccess(v: AccessVerdict, c: IndexUse): boolean {
  return c.usable && (!c.wholeIndex || v.best === c);
}

/**
 * Adds to `used` each index the verdicts' accesses can filter, join or sort through, or would once every
 * branch of an OR has one. Not an index read whole for its width: that spares reading the table's wider
 * rows, no reason to keep an index that is otherwise dead weight (see dropEffect.accessCost).
 */
export function addIndexesUsed(used: Set<IndexDef>, verdicts: readonly ShapeVerdict[]): Set<IndexDef> {
  for (const sv of verdicts) for (const v of sv.accesses) for (const c of v.candidates) if ((c.usable && !c.wholeIndex) || c.servesOrBranch) used.add(c.index);
  return used;
}
