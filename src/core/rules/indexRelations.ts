/** Structural relations between two indexes of one table: duplicate, leading prefix. */
import type { IndexDef } from '../model/schema';
import { keyName, sameCollation } from '../matcher/btree';

function samePredicate(a: IndexDef, b: IndexDef): boolean {
  return JSON.stringify(a.predicate ?? []) === JSON.stringify(b.predicate ?? []);
}

/**
 * Keys of `a` are the first keys of `b` (same operator class and collation), all in the same or all in
 * the reversed direction: a backward scan flips ASC/DESC and NULLS FIRST/LAST together, so `(a)` and
 * `(a DESC)` read the same orders, while `(a)` and `(a NULLS FIRST)` don't (nor a one-column index).
 */
export function isLeadingPrefix(a: IndexDef, b: IndexDef): boolean {
  if (a.keys.length > b.keys.length || a.keys.length === 0) return false;
  let forward: boolean | undefined;
  for (let i = 0; i < a.keys.length; i++) {
    const x = a.keys[i];
    const y = b.keys[i];
    if (keyName(x) !== keyName(y) || (x.opclass ?? '') !== (y.opclass ?? '') || !sameCollation(x, y)) return false;
    const same = x.desc === y.desc && x.nullsFirst === y.nullsFirst;
    const reversed = x.desc !== y.desc && x.nullsFirst !== y.nullsFirst;
    if (!same && !reversed) return false;
    if (forward === undefined) forward = same;
    else if (forward !== same) return false;
  }
  return true;
}

export type Redundancy = { kind: 'duplicate' | 'prefix'; of: IndexDef };

/** Why `a` is redundant given `b`, or undefined. Unique and primary-key indexes are never redundant. */
export function redundancy(a: IndexDef, b: IndexDef): Redundancy | undefined {
  if (a === b || a.table !== b.table || !a.valid || !b.valid) return undefined;
  if (a.method !== b.method || a.method !== 'btree' || !samePredicate(a, b)) return undefined;
  if (a.primary || a.constraint) return undefined;
  // INCLUDE columns of a must be somewhere in b for b to replace it in index-only scans.
  const bCols = new Set([...b.keys.map(keyName), ...b.include]);
  if (!a.include.every((c) => bCols.has(c))) return undefined;
  if (!isLeadingPrefix(a, b)) return undefined;
  const duplicate = a.keys.length === b.keys.length;
  if (a.unique) {
    // A unique index enforces a rule: only an identical unique index can stand in for it.
    if (!duplicate || !b.unique) return undefined;
    // Keep the one that backs a constraint, else the first declared.
    if (b.constraint || b.primary) return { kind: 'duplicate', of: b };
    return undefined;
  }
  return { kind: duplicate ? 'duplicate' : 'prefix', of: b };
}
