/**
 * How PostgreSQL can use one B-tree index for one table access:
 *  - index conditions: leading key columns with equality, then at most one range column;
 *  - order: after equality-constrained keys, the ORDER BY columns in the same or fully
 *    reversed direction (a backward scan flips ASC/DESC and NULLS FIRST/LAST together);
 *  - a partial index only when the WHERE clause implies its predicate;
 *  - index-only when every column read is a key or INCLUDE column.
 */
import { atomColumns, type PredicateAtom } from '../model/predicate';
import type { OrderItem, TableAccess } from '../model/query';
import type { IndexDef, IndexKey } from '../model/schema';
import { predicateImplied } from './implication';
import { normalizeExprText } from '../sql/expr';

export interface KeyMatch {
  equalityColumns: string[];
  rangeColumn?: string;
  conditions: PredicateAtom[];
}

export function keyName(k: IndexKey): string {
  return k.column ?? k.expression ?? '?';
}

/** A key as a message shows it: name, then what sets its order apart (COLLATE, operator class, DESC, non-default NULLS). */
export function keyLabel(k: IndexKey): string {
  let s = keyName(k);
  if (k.collation) s += ` COLLATE "${k.collation}"`;
  if (k.opclass) s += ` ${k.opclass}`;
  if (k.desc) s += ' DESC';
  if (k.nullsFirst !== k.desc) s += k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
  return s;
}

/** Same collation on two keys: their own, else their column's (names as the parser folded them; `pg_catalog.` dropped). */
export function sameCollation(a: IndexKey, b: IndexKey): boolean {
  const norm = (k: IndexKey) => (k.collation ?? k.columnCollation ?? '').replace(/^pg_catalog\./i, '');
  return norm(a) === norm(b);
}

/** The atoms of `byColumn` on a key: by column name, or for an expression key by its normalised text. */
export function atomsOnKey(byColumn: Map<string, PredicateAtom[]>, key: IndexKey): PredicateAtom[] | undefined {
  const exact = byColumn.get(keyName(key));
  if (exact || !key.expression) return exact;
  const want = normalizeExprText(key.expression);
  for (const [column, atoms] of byColumn) if (column.includes('(') && normalizeExprText(column) === want) return atoms;
  return undefined;
}

/** Atoms of the access that an index can use as an equality condition, by column. */
export function equalityAtoms(access: TableAccess): Map<string, PredicateAtom[]> {
  const m = new Map<string, PredicateAtom[]>();
  const add = (c: string, a: PredicateAtom) => {
    const list = m.get(c);
    if (list) list.push(a);
    else m.set(c, [a]);
  };
  for (const { atom } of access.predicates) {
    if (atom.kind === 'compare' && atom.op === '=') add(atom.column, atom);
    else if (atom.kind === 'in') add(atom.column, atom);
    else if (atom.kind === 'null' && atom.isNull) add(atom.column, atom);
  }
  if (access.joinedFrom) {
    // A join key with an equality of its own (written, or carried over the join) is that one condition, not two.
    for (const j of access.joinKeys) if (!hasEquality(access, j.column)) add(j.column, { kind: 'compare', column: j.column, op: '=', value: { kind: 'param' } });
  }
  return m;
}

/** Whether the access has an `=` test of the column among its predicates. */
export function hasEquality(access: TableAccess, column: string): boolean {
  return access.predicates.some((p) => p.atom.kind === 'compare' && p.atom.op === '=' && p.atom.column === column);
}

/** A LIKE pattern a B-tree can search as a range: a literal prefix before the first wildcard. */
export function likePrefix(atom: PredicateAtom): string | undefined {
  if (atom.kind !== 'like' || atom.negated || atom.caseInsensitive) return undefined;
  // Prisma's `startsWith: value` arrives as the expression `? || '%'`: a prefix not known statically.
  if (atom.pattern.kind === 'expr') return /^\?\s*\|\|\s*'%'$/.test(atom.pattern.text) ? '?' : undefined;
  if (atom.pattern.kind !== 'string') return undefined;
  const m = /^([^%_\\]+)/.exec(atom.pattern.value);
  return m ? m[1] : undefined;
}

/** Collations under which text compares byte by byte, so that a LIKE prefix is a key range. */
export function bytewise(collation: string | undefined): boolean {
  return collation !== undefined && /^(c|posix|ucs_basic)$/i.test(collation.replace(/^(pg_catalog\.)?"?|"$/g, ''));
}

/**
 * Atoms that can be a range condition on a key, by column. Without `key`, every candidate (for proposals);
 * with it, LIKE 'x%' only when the key compares bytewise: a *_pattern_ops operator class, a C/POSIX
 * collation on the key, or — for a key without its own collation — the database's collation
 * (`collation`, pg_database.datcollate) being C.
 */
export function rangeAtoms(access: TableAccess, key?: IndexKey, collation?: string): Map<string, PredicateAtom[]> {
  const m = new Map<string, PredicateAtom[]>();
  const add = (c: string, a: PredicateAtom) => {
    const list = m.get(c);
    if (list) list.push(a);
    else m.set(c, [a]);
  };
  for (const { atom } of access.predicates) {
    if (atom.kind === 'compare' && atom.op !== '=') add(atom.column, atom);
    else if (atom.kind === 'between') add(atom.column, atom);
    // IS NOT NULL is a B-tree search condition too (it reads the non-null part of the index).
    else if (atom.kind === 'null' && !atom.isNull) add(atom.column, atom);
    else if (atom.kind === 'like' && likePrefix(atom) !== undefined) {
      if (!key || /pattern_ops$/.test(key.opclass ?? '') || bytewise(key.collation ?? key.columnCollation ?? collation)) add(atom.column, atom);
    }
  }
  return m;
}

/**
 * `atomsOnKey(rangeAtoms(access, key, collation), key)`, taken from `all` = rangeAtoms(access) (every
 * candidate, computed once per access) instead of a new map for every key of every index.
 */
export function rangeAtomsOnKey(all: Map<string, PredicateAtom[]>, access: TableAccess, key: IndexKey, collation?: string): PredicateAtom[] | undefined {
  if (key.expression) return atomsOnKey(rangeAtoms(access, key, collation), key);
  const atoms = all.get(keyName(key));
  if (!atoms || !atoms.some((a) => a.kind === 'like') || /pattern_ops$/.test(key.opclass ?? '') || bytewise(key.collation ?? key.columnCollation ?? collation)) return atoms;
  const kept = atoms.filter((a) => a.kind !== 'like');
  return kept.length ? kept : undefined;
}

/** `eq`: equalityAtoms(access), `range`: rangeAtoms(access), when the caller already has them. */
export function matchKeys(
  index: IndexDef,
  access: TableAccess,
  eq: Map<string, PredicateAtom[]> = equalityAtoms(access),
  collation?: string,
  range: Map<string, PredicateAtom[]> = rangeAtoms(access),
): KeyMatch {
  const out: KeyMatch = { equalityColumns: [], conditions: [] };
  for (const key of index.keys) {
    const name = keyName(key);
    const e = atomsOnKey(eq, key);
    if (e) {
      out.equalityColumns.push(name);
      out.conditions.push(...e);
      continue;
    }
    const r = rangeAtomsOnKey(range, access, key, collation);
    if (r) {
      out.rangeColumn = name;
      out.conditions.push(...r);
    }
    break;
  }
  return out;
}

/** Columns pinned to a single value by the WHERE clause: they drop out of the required order. */
export function constantColumns(access: TableAccess): Set<string> {
  const s = new Set<string>();
  for (const { atom } of access.predicates) {
    if (atom.kind === 'compare' && atom.op === '=') s.add(atom.column);
    else if (atom.kind === 'in' && atom.values.length === 1 && atom.values[0].kind !== 'param') s.add(atom.column);
    else if (atom.kind === 'null' && atom.isNull) s.add(atom.column);
  }
  if (access.joinedFrom) for (const j of access.joinKeys) s.add(j.column);
  return s;
}

export function requiredOrder(access: TableAccess, constant: Set<string> = constantColumns(access)): OrderItem[] {
  if (access.orderBy.length === 0) return [];
  return access.orderBy.filter((o) => !constant.has(o.column));
}

/**
 * Whether a scan of the index returns rows in the required order; `backward` when scanned in reverse.
 * `constant` and `required`: constantColumns(access) and requiredOrder(access), when the caller has them.
 */
export function orderMatch(
  index: IndexDef,
  access: TableAccess,
  constant: Set<string> = constantColumns(access),
  required: OrderItem[] = requiredOrder(access, constant),
): { sorted: boolean; backward: boolean } {
  if (required.length === 0) return { sorted: true, backward: false };
  if (index.method !== 'btree') return { sorted: false, backward: false };
  let direction: boolean | undefined; // true = forward
  let ki = 0;
  for (const item of required) {
    while (ki < index.keys.length && constant.has(keyName(index.keys[ki])) && keyName(index.keys[ki]) !== item.column) ki++;
    const key = index.keys[ki];
    if (!key || keyName(key) !== item.column) return { sorted: false, backward: false };
    const forward = key.desc === item.desc;
    const wantNullsFirst = item.nullsFirst ?? item.desc;
    const nullsOk = forward ? key.nullsFirst === wantNullsFirst : key.nullsFirst === !wantNullsFirst;
    if (!nullsOk) return { sorted: false, backward: false };
    if (direction === undefined) direction = forward;
    else if (direction !== forward) return { sorted: false, backward: false };
    ki++;
  }
  return { sorted: true, backward: direction === false };
}

export function coversColumns(index: IndexDef, access: TableAccess): boolean {
  if (access.columnsRead === '*' || access.kind !== 'select') return false;
  const cols = access.columnsRead;
  // Every column read must be a key or INCLUDE column (no Set for the usual handful of columns)…
  return cols.every((c) => index.keys.some((k) => keyName(k) === c) || index.include.includes(c) || impliedFilterOnly(index, access, c));
}

/**
 * …except a column only tested by conditions the partial index's predicate implies: the planner drops
 * those from the scan's quals (check_index_only() looks at indrestrictinfo), so nothing reads it.
 */
function impliedFilterOnly(index: IndexDef, access: TableAccess, column: string): boolean {
  if (!index.predicate?.length || !access.outputColumns || access.outputColumns.includes(column)) return false;
  if (access.joinKeys.some((j) => j.column === column)) return false;
  const tests = access.predicates.filter((p) => atomColumns(p.atom).includes(column));
  return tests.length > 0 && tests.every((p) => predicateImplied(index.predicate!, [p.atom]));
}

export function partialUsable(index: IndexDef, access: TableAccess): boolean {
  if (!index.predicate || index.predicate.length === 0) return true;
  return predicateImplied(
    access.predicates.map((p) => p.atom),
    index.predicate,
  );
}
