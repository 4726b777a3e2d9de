/** Evaluates every index of a table for one access and picks the path the planner would likely take. */
import type { PredicateAtom } from '../model/predicate';
import type { OrderItem, TableAccess } from '../model/query';
import type { IndexDef, SchemaModel, TableDef } from '../model/schema';
import { constantColumns, coversColumns, equalityAtoms, keyName, matchKeys, orderMatch, partialUsable, requiredOrder } from './btree';
import type { MatcherOptions } from './options';
import { combinedSelectivity, DEFAULT_MATCH_SEL, type SelectivityContext } from './selectivity';
import type { AccessVerdict, IndexUse } from './types';

const RANDOM_FETCH = 2;
const DESCENT = 4;

export function rowsOf(table: string, opts: MatcherOptions): { rows: number; assumed: boolean } {
  const r = opts.rows[table];
  return r !== undefined ? { rows: r, assumed: false } : { rows: opts.defaultRows, assumed: true };
}

export function selectivityContext(schema: SchemaModel, table: TableDef, opts: MatcherOptions): SelectivityContext {
  return { schema, table, rows: rowsOf(table.name, opts).rows, rowsOf: (t) => rowsOf(t, opts).rows };
}

export function sortCost(n: number): number {
  return n <= 1 ? 0 : n * Math.log2(n + 2) * 0.05;
}

function limitRows(access: TableAccess): number | undefined {
  if (access.limit === undefined) return undefined;
  const l = access.limit === 'param' ? 50 : access.limit;
  const o = access.offset === undefined ? 0 : access.offset === 'param' ? 50 : access.offset;
  return l + o;
}

/** All atoms restricting the access, join keys included on the inner side of a join. */
function filterAtoms(access: TableAccess) {
  const atoms = access.predicates.map((p) => p.atom);
  if (access.joinedFrom) {
    for (const j of access.joinKeys) atoms.push({ kind: 'compare', column: j.column, op: '=', value: { kind: 'param' } });
  }
  return atoms;
}

/** What every index evaluation of one access needs, computed once per access. */
interface AccessFacts {
  selAll: number;
  constant: Set<string>;
  required: OrderItem[];
  eq: Map<string, PredicateAtom[]>;
}

function accessFacts(access: TableAccess, ctx: SelectivityContext): AccessFacts {
  const constant = constantColumns(access);
  return { selAll: combinedSelectivity(ctx, filterAtoms(access)), constant, required: requiredOrder(access, constant), eq: equalityAtoms(access) };
}

export function evaluateIndex(index: IndexDef, access: TableAccess, ctx: SelectivityContext): IndexUse {
  return evaluateWith(index, access, ctx, accessFacts(access, ctx));
}

function evaluateWith(index: IndexDef, access: TableAccess, ctx: SelectivityContext, facts: AccessFacts): IndexUse {
  const rows = ctx.rows;
  const selAll = facts.selAll;
  const matched = rows * selAll;
  const needsSort = facts.required.length > 0;
  const base: IndexUse = {
    index,
    usable: false,
    equalityColumns: [],
    conditions: [],
    sortAvoided: false,
    backward: false,
    indexOnly: false,
    rowsRead: rows,
    cost: Infinity,
    reason: '',
  };
  if (!index.valid) return { ...base, reason: 'index is INVALID (a failed concurrent build): the planner ignores it' };
  if (!partialUsable(index, access)) {
    return { ...base, reason: `partial index: the WHERE clause does not imply "${index.predicateText ?? 'its predicate'}"` };
  }
  const predicateSel = index.predicate ? combinedSelectivity(ctx, index.predicate) : 1;

  if (index.method === 'gin' || index.method === 'gist') return evaluateTextIndex(index, access, ctx, base, needsSort, matched);
  if (index.method === 'hash') {
    const k = index.keys[0] && keyName(index.keys[0]);
    const eq = access.predicates.find((p) => p.atom.kind === 'compare' && p.atom.op === '=' && p.atom.column === k);
    if (!eq) return { ...base, reason: `hash index: no equality on "${k}"` };
    const rowsRead = rows * combinedSelectivity(ctx, [eq.atom]);
    const cost = DESCENT + rowsRead * RANDOM_FETCH + (needsSort ? sortCost(matched) : 0);
    return { ...base, usable: true, equalityColumns: [k!], conditions: [eq.atom], rowsRead, cost, reason: `equality on "${k}"` };
  }
  if (index.method !== 'btree') return { ...base, reason: `${index.method} indexes are not modelled` };

  const km = matchKeys(index, access, facts.eq);
  const order = orderMatch(index, access, facts.constant, facts.required);
  const indexOnly = coversColumns(index, access);
  const limit = limitRows(access);
  const condSel = combinedSelectivity(ctx, [...km.conditions, ...(index.predicate ?? [])]);
  let rowsRead = rows * condSel;
  const sortAvoided = needsSort && order.sorted;
  if ((sortAvoided || !needsSort) && limit !== undefined) {
    const remaining = Math.max(selAll / Math.max(condSel, 1e-12), 1e-9);
    rowsRead = Math.min(rowsRead, limit / Math.min(1, remaining));
  }
  const usable = km.conditions.length > 0 || (sortAvoided && limit !== undefined) || (!!index.predicate && predicateSel < 1);
  if (!usable) {
    const first = index.keys[0] ? keyName(index.keys[0]) : '?';
    const why = needsSort && order.sorted ? 'it gives the ORDER BY but without a LIMIT a full index scan does not pay' : `no condition on its leading column "${first}"`;
    return { ...base, sortAvoided, backward: order.backward, indexOnly, reason: why };
  }
  const cost = DESCENT + rowsRead * (indexOnly ? 1 : RANDOM_FETCH) + (needsSort && !sortAvoided ? sortCost(Math.min(matched, rowsRead)) : 0);
  const parts: string[] = [];
  if (km.equalityColumns.length) parts.push(`equality on ${km.equalityColumns.map((c) => `"${c}"`).join(', ')}`);
  if (km.rangeColumn) parts.push(`range on "${km.rangeColumn}"`);
  if (km.conditions.length === 0 && index.predicate) parts.push('scans the partial index whole');
  if (km.conditions.length === 0 && sortAvoided) parts.push('reads in ORDER BY order until the LIMIT');
  if (needsSort) parts.push(sortAvoided ? (order.backward ? 'delivers the ORDER BY (backward scan)' : 'delivers the ORDER BY') : 'needs a separate sort');
  if (indexOnly) parts.push('index-only');
  return {
    index,
    usable,
    equalityColumns: km.equalityColumns,
    rangeColumn: km.rangeColumn,
    conditions: km.conditions,
    sortAvoided,
    backward: order.backward,
    indexOnly,
    rowsRead,
    cost,
    reason: parts.join('; '),
  };
}

function evaluateTextIndex(index: IndexDef, access: TableAccess, ctx: SelectivityContext, base: IndexUse, needsSort: boolean, matched: number): IndexUse {
  const keys = index.keys.map(keyName);
  const trigram = index.keys.some((k) => /trgm/.test(k.opclass ?? ''));
  const conditions = [];
  for (const { atom } of access.predicates) {
    if (atom.kind === 'fulltext' && keys.includes(atom.column)) conditions.push(atom);
    else if (trigram && atom.kind === 'like' && keys.includes(atom.column)) conditions.push(atom);
    else if (trigram && atom.kind === 'other' && atom.anyLike?.every((l) => keys.includes(l.column))) conditions.push(atom);
  }
  if (conditions.length === 0) {
    return { ...base, reason: trigram ? 'no LIKE/ILIKE on its columns' : `no full-text match (@@) on ${keys.map((k) => `"${k}"`).join(', ')}` };
  }
  const rowsRead = ctx.rows * DEFAULT_MATCH_SEL;
  return {
    ...base,
    usable: true,
    conditions,
    rowsRead,
    cost: 10 + rowsRead * RANDOM_FETCH + (needsSort ? sortCost(Math.min(matched, rowsRead)) : 0),
    reason: trigram ? 'trigram match for LIKE/ILIKE' : 'full-text match (@@)',
  };
}

/** Indexes that could serve an OR of LIKE tests together (a BitmapOr of one index per column). */
function bitmapOrCovered(access: TableAccess, uses: IndexUse[]): boolean {
  for (const { atom } of access.predicates) {
    if (atom.kind !== 'other' || !atom.anyLike) continue;
    const served = atom.anyLike.every((l) =>
      uses.some((u) => (u.index.method === 'gin' || u.index.method === 'gist') && u.index.keys.some((k) => keyName(k) === l.column && /trgm/.test(k.opclass ?? ''))),
    );
    if (served) return true;
  }
  return false;
}

export function analyzeAccess(access: TableAccess, schema: SchemaModel, opts: MatcherOptions, extra: IndexDef[] = []): AccessVerdict {
  const table = schema.tables.get(access.table);
  const { rows, assumed } = rowsOf(access.table, opts);
  const needsSort = requiredOrder(access).length > 0;
  if (!table) {
    return {
      access,
      rows,
      rowsAssumed: assumed,
      matchedRows: rows,
      candidates: [],
      needsSort,
      sortAvoided: needsSort ? false : null,
      seqScanCost: rows,
      reason: `table "${access.table}" is not in the schema`,
    };
  }
  const ctx = selectivityContext(schema, table, opts);
  const facts = accessFacts(access, ctx);
  const selAll = facts.selAll;
  const matched = rows * selAll;
  const limit = limitRows(access);
  const seqRows = !needsSort && limit !== undefined ? Math.min(rows, limit / Math.max(selAll, 1e-9)) : rows;
  const seqScanCost = seqRows + (needsSort ? sortCost(matched) : 0);
  const candidates = [...table.indexes, ...extra].map((i) => evaluateWith(i, access, ctx, facts));
  // Trigram indexes on each OR-ed column combine through a BitmapOr.
  if (bitmapOrCovered(access, candidates)) {
    for (const u of candidates) {
      if ((u.index.method === 'gin' || u.index.method === 'gist') && !u.usable && u.index.keys.some((k) => /trgm/.test(k.opclass ?? ''))) {
        u.usable = true;
        u.rowsRead = rows * DEFAULT_MATCH_SEL;
        u.cost = 10 + u.rowsRead * RANDOM_FETCH;
        u.reason = 'trigram match, combined with the other columns\u2019 indexes in a BitmapOr';
      }
    }
  }
  const usable = candidates.filter((c) => c.usable).sort((a, b) => a.cost - b.cost || Number(b.sortAvoided) - Number(a.sortAvoided) || a.index.keys.length - b.index.keys.length);
  const best = usable[0] && usable[0].cost < seqScanCost ? usable[0] : undefined;
  const sortAvoided = needsSort ? !!best?.sortAvoided : null;
  let reason: string;
  if (best) reason = `uses "${best.index.name}": ${best.reason}`;
  else if (usable.length) reason = `sequential scan: the filters keep ~${pct(selAll)} of ${fmt(rows)} rows, so reading the table is cheaper than "${usable[0].index.name}"`;
  else if (filterAtoms(access).length === 0 && !needsSort) reason = `reads the whole table (no filter)`;
  else reason = `no index can serve ${describeNeeds(access)}: sequential scan of ~${fmt(rows)} rows${needsSort ? ' and a sort' : ''}`;
  return { access, table, rows, rowsAssumed: assumed, matchedRows: matched, best, candidates, needsSort, sortAvoided, seqScanCost, reason };
}

function describeNeeds(access: TableAccess): string {
  const cols = [...new Set(access.predicates.flatMap((p) => (p.atom.kind === 'other' ? [] : [p.atom.column])))];
  const parts: string[] = [];
  if (cols.length) parts.push(`the filter on ${cols.map((c) => `"${c}"`).join(', ')}`);
  else if (access.predicates.length) parts.push('its filter as written');
  if (access.joinedFrom && access.joinKeys.length) parts.push(`the join on ${access.joinKeys.map((j) => `"${j.column}"`).join(', ')}`);
  if (requiredOrder(access).length) parts.push(`the ORDER BY ${requiredOrder(access).map((o) => `"${o.column}"${o.desc ? ' DESC' : ''}`).join(', ')}`);
  return parts.join(' or ') || 'this access';
}

export function pct(x: number): string {
  const p = x * 100;
  return p >= 10 ? `${Math.round(p)}%` : p >= 0.1 ? `${p.toFixed(1)}%` : `${p.toPrecision(1)}%`;
}

export function fmt(n: number): string {
  if (n > 0 && n < 1) return 'under 1';
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return String(Math.round(n));
}
