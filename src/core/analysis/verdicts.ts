/** Query shapes + schema → a verdict for every table access. */
import type { LocatedAtom, QueryShape, TableAccess } from '../model/query';
import type { SchemaModel } from '../model/schema';
import { analyzeAccess, fmt } from '../matcher/analyzeAccess';
import type { MatcherOptions } from '../matcher/options';
import type { AccessVerdict } from '../matcher/types';

export interface ShapeVerdict {
  shape: QueryShape;
  accesses: AccessVerdict[];
}

/** Evaluates one table access (analyzeAccess, or a memo of it). */
type Analyze = (access: TableAccess) => AccessVerdict;

export function verdictsFor(shapes: QueryShape[], schema: SchemaModel, opts: MatcherOptions): ShapeVerdict[] {
  const analyze: Analyze = (a) => analyzeAccess(a, schema, opts);
  return shapes.map((shape) => ({ shape, accesses: joinVerdicts(shape.accesses, analyze) }));
}

/**
 * Verdicts for one schema and set of options, evaluated once per distinct single-table access: a
 * workspace asks the same question in many places (a lookup by id, a page of a user's rows), and an
 * access's verdict depends on what it asks, not on where it is written. A repeat gets the first one's
 * evaluation (the same `candidates` array) with its own access, so its findings point at its own text.
 * The tables of a join are evaluated through the same memo (the join logic around them runs for each shape).
 */
export class VerdictMemo {
  private readonly byAccess = new Map<string, AccessVerdict>();

  constructor(
    readonly schema: SchemaModel,
    readonly opts: MatcherOptions,
  ) {}

  verdictOf(shape: QueryShape): ShapeVerdict {
    return { shape, accesses: joinVerdicts(shape.accesses, this.analyze) };
  }

  private readonly analyze: Analyze = (access) => {
    const key = accessKey(access);
    const seen = this.byAccess.get(key);
    if (seen) return seen.access === access ? seen : { ...seen, access };
    const v = analyzeAccess(access, this.schema, this.opts);
    this.byAccess.set(key, v);
    return v;
  };
}

/** What an access asks, without where it is written (the ranges of its predicates and ORDER BY items). */
export function accessKey(a: TableAccess): string {
  const { table, alias, kind, predicates, joinKeys, orderBy, orderByUnsatisfiable, limit, offset, groupBy, columnsRead, outputColumns, outerJoined, joinedFrom, ...rest } = a;
  // A field added to TableAccess must be added to the key (or be a location): this fails to compile until it is.
  const unkeyed: Record<string, never> = rest;
  void unkeyed;
  return JSON.stringify([
    table,
    alias,
    kind,
    predicates.map((p) => p.atom),
    joinKeys,
    orderBy.map((o) => [o.column, o.desc, o.nullsFirst]),
    orderByUnsatisfiable,
    limit,
    offset,
    groupBy,
    columnsRead,
    outputColumns,
    outerJoined,
    joinedFrom,
  ]);
}

/** CPU cost of a hash join per outer row (hashing and probing, cpu_operator_cost × a few). */
const HASH_PROBE = 0.0125;

function joinVerdicts(accesses: TableAccess[], analyze: Analyze): AccessVerdict[] {
  if (accesses.length < 2) return accesses.map(analyze);
  const list = chooseDriver(accesses, analyze);
  const verdicts = list.map(analyze);
  // An inner side is looked up once per outer row (nested loop) unless reading it once for a hash join costs less.
  return verdicts.map((v) => {
    if (!v.access.joinedFrom) return v;
    const outer = verdicts.find((o) => o !== v && o.access.table === v.access.joinedFrom && !o.access.joinedFrom) ?? verdicts.find((o) => o !== v && o.access.table === v.access.joinedFrom);
    if (!outer) return v;
    // Rows the outer side hands over: what it matches, or what a LIMIT lets an ordered scan stop at.
    const outerRows = Math.max(1, outer.best?.sortAvoided || (outer.best && !outer.needsSort) ? Math.min(outer.matchedRows, outer.best.rowsRead) : outer.matchedRows);
    const alone = analyze({ ...v.access, joinedFrom: undefined, joinKeys: [] });
    const once = (alone.best?.cost ?? alone.seqScanCost) + outerRows * HASH_PROBE;
    const lookups = v.best ? outerRows * v.best.cost : Infinity;
    if (lookups <= once) return { ...v, outerRows };
    const how = alone.best ? `through "${alone.best.index.name}"` : 'once';
    return {
      ...alone,
      access: v.access,
      outerRows,
      hashJoin: true,
      reason: `hash join: ~${fmt(outerRows)} rows of ${outer.access.alias ?? outer.access.table} to match, so reading "${v.access.table}" ${how} costs less than a lookup for each; ${alone.reason}`,
    };
  });
}

/**
 * The table that drives a join. The FROM table, unless it has no filter of its own while a table joined
 * to it has an equality filter: then the most selective of those drives, and the FROM table is looked up
 * by the join key (its ORDER BY can no longer come from an index). Outer-joined tables never drive.
 */
function chooseDriver(accesses: TableAccess[], analyze: Analyze): TableAccess[] {
  const first = accesses.find((a) => !a.joinedFrom);
  // A semi-join (IN (SELECT …), a Prisma relation filter) is no filter of the FROM table's own: its keys join.
  const semi = (p: LocatedAtom) => (p.atom.kind === 'other' && p.atom.semiJoin) || [];
  const own = first?.predicates.filter((p) => semi(p).length === 0) ?? [];
  if (!first || first.kind !== 'select' || own.length > 0) return accesses;
  const semiKeys = first.predicates.flatMap(semi);
  const keys = [...first.joinKeys, ...semiKeys.filter((k) => !first.joinKeys.some((j) => j.column === k.column && j.otherTable === k.otherTable))];
  const filtered = accesses.filter(
    (a) =>
      a !== first &&
      (a.joinedFrom === first.table || semiKeys.some((k) => k.otherTable === a.table)) &&
      !a.outerJoined &&
      keys.some((j) => j.otherTable === a.table) &&
      a.predicates.some((p) => (p.atom.kind === 'compare' && p.atom.op === '=') || p.atom.kind === 'in'),
  );
  if (filtered.length === 0) return accesses;
  const driver = filtered
    .map((a) => ({ a, rows: analyze({ ...a, joinedFrom: undefined }).matchedRows }))
    .sort((x, y) => x.rows - y.rows)[0].a;
  // A semi-join with another table is still a filter of the FROM table's own: it keeps driving.
  const viaDriver = (p: LocatedAtom) => semi(p).some((k) => k.otherTable === driver.table);
  if (first.predicates.some((p) => !viaDriver(p))) return accesses;
  // Through a semi-join, only a two-table case is read this way: the FROM table then knows no other join key on each lookup.
  if (semiKeys.length && (driver.table === first.table || first.joinKeys.some((j) => j.otherTable !== driver.table))) return accesses;
  return accesses.map((a) => {
    if (a === driver) return { ...a, joinedFrom: undefined };
    if (a === first) {
      const orderByUnsatisfiable = a.orderBy.length ? `ORDER BY is on "${a.alias ?? a.table}", which is looked up from "${driver.alias ?? driver.table}": the sort runs over the join result` : a.orderByUnsatisfiable;
      // The semi-join with the driver becomes a join key.
      const joinKeys = [...a.joinKeys, ...semiKeys.filter((k) => k.otherTable === driver.table && !a.joinKeys.some((j) => j.column === k.column && j.otherTable === k.otherTable))];
      return { ...a, predicates: a.predicates.filter((p) => !viaDriver(p)), joinKeys, joinedFrom: driver.table, orderBy: [], limit: undefined, offset: undefined, ...(orderByUnsatisfiable ? { orderByUnsatisfiable } : {}) };
    }
    return a;
  });
}
