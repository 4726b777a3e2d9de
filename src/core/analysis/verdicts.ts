/** Query shapes + schema → a verdict for every table access. */
import type { LocatedAtom, QueryShape, TableAccess } from '../model/query';
import type { SchemaModel } from '../model/schema';
import { analyzeAccess, fmt, sortCost } from '../matcher/analyzeAccess';
import type { MatcherOptions } from '../matcher/options';
import type { PlannerCosts } from '../matcher/plannerCosts';
import type { AccessVerdict } from '../matcher/types';
import { foreignKeyCheckReason, foreignKeyChecks } from './foreignKeyChecks';

export interface ShapeVerdict {
  shape: QueryShape;
  accesses: AccessVerdict[];
}

/** A semi-join's key: this table's column = `otherTable`'s `otherColumn`. */
type SemiKey = { column: string; otherTable: string; otherColumn: string };

/** Evaluates one table access (analyzeAccess, or a memo of it); `costs`: the planner's constants the join costs use too. */
interface Analyze {
  (access: TableAccess): AccessVerdict;
  readonly costs: PlannerCosts;
}

const analyzer = (evaluate: (access: TableAccess) => AccessVerdict, opts: MatcherOptions): Analyze => Object.assign(evaluate, { costs: opts.costs });

export function verdictsFor(shapes: QueryShape[], schema: SchemaModel, opts: MatcherOptions): ShapeVerdict[] {
  const analyze = analyzer((a) => analyzeAccess(a, schema, opts), opts);
  return shapes.map((shape) => ({ shape, accesses: shapeVerdicts(shape, schema, analyze) }));
}

/** The verdicts of a statement's accesses, then of the searches its DELETEs make through foreign keys. */
function shapeVerdicts(shape: QueryShape, schema: SchemaModel, analyze: Analyze): AccessVerdict[] {
  const verdicts = joinVerdicts(shape.accesses, analyze);
  // One search per key, however often the statement deletes from the table (`WITH a AS (DELETE …), b AS (DELETE …)`).
  const searched = new Set<string>();
  for (const a of shape.accesses) {
    for (const check of foreignKeyChecks(a, schema, shape.origin === 'prisma')) {
      const key = accessKey(check);
      if (searched.has(key)) continue;
      searched.add(key);
      const v = analyze(check);
      verdicts.push({ ...v, reason: `${foreignKeyCheckReason(check)}; ${v.reason}` });
    }
  }
  return verdicts;
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
  private readonly analyze: Analyze;

  constructor(
    readonly schema: SchemaModel,
    readonly opts: MatcherOptions,
  ) {
    this.analyze = analyzer((access) => {
      const key = accessKey(access);
      const seen = this.byAccess.get(key);
      if (seen) return seen.access === access ? seen : { ...seen, access };
      const v = analyzeAccess(access, schema, opts);
      this.byAccess.set(key, v);
      return v;
    }, opts);
  }

  verdictOf(shape: QueryShape): ShapeVerdict {
    return { shape, accesses: shapeVerdicts(shape, this.schema, this.analyze) };
  }
}

/** Each access's key, once: accesses are not changed once made (a changed one is a copy). */
const keys = new WeakMap<TableAccess, string>();

/** What an access asks, without where it is written (the ranges of its predicates and ORDER BY items). */
export function accessKey(a: TableAccess): string {
  let key = keys.get(a);
  if (key === undefined) keys.set(a, (key = keyOf(a)));
  return key;
}

function keyOf(a: TableAccess): string {
  const { table, alias, kind, predicates, joinKeys, orderBy, orderByUnsatisfiable, limit, offset, groupBy, columnsRead, outputColumns, outerJoined, outerJoin, joinedFrom, perOuterRow, foreignKeyCheck, nestedWrite, serialOnly, aggregated, ...rest } = a;
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
    outerJoin,
    joinedFrom,
    perOuterRow,
    foreignKeyCheck,
    nestedWrite,
    serialOnly,
    aggregated,
  ]);
}

/** CPU cost of a hash join per outer row: hashing and probing, cpu_operator_cost × a few. */
const hashProbe = (c: PlannerCosts): number => 5 * c.cpuOperator;
/** compare_path_costs_fuzzily(): join orders within 1% of each other cost the same, and the one written is kept. */
const JOIN_FUZZ = 1.01;
/** A joined table that starts from at most this many rows may drive a join of three tables or more (see chooseDriver). */
const FEW_ROWS = 10;

const costOf = (v: AccessVerdict): number => v.best?.cost ?? v.seqScanCost;

/** Rows the outer side hands over: what it matches, or what a LIMIT lets an ordered scan stop at. */
function outerRowsOf(outer: AccessVerdict): number {
  return Math.max(1, outer.best?.sortAvoided || (outer.best && !outer.needsSort) ? Math.min(outer.matchedRows, outer.best.rowsRead) : outer.matchedRows);
}

/** The inner side read once (a hash join's build side): the access without its join. */
const readOnce = (inner: TableAccess): TableAccess => ({ ...inner, joinedFrom: undefined, joinKeys: [] });

function joinVerdicts(accesses: TableAccess[], analyze: Analyze): AccessVerdict[] {
  if (accesses.length < 2) return accesses.map(analyze);
  const list = keysSoFar(chooseDriver(accesses, analyze));
  const verdicts = list.map(analyze);
  return verdicts.map((v) => {
    const inner = innerSide(v, verdicts, analyze);
    if (!inner) return v;
    const { outer, outerRows, alone } = inner;
    if (!inner.hashJoin) return { ...v, outerRows };
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
 * How an inner side of the join is read: looked up once per outer row (nested loop) unless reading it once for a
 * hash join costs less. Undefined for a table that drives.
 */
function innerSide(v: AccessVerdict, verdicts: AccessVerdict[], analyze: Analyze) {
  if (!v.access.joinedFrom) return undefined;
  const outer = outerOf(v, verdicts);
  if (!outer) return undefined;
  const outerRows = rowsOutOf(outer, verdicts);
  const alone = analyze(readOnce(v.access));
  const once = costOf(alone) + outerRows * hashProbe(analyze.costs);
  const lookups = v.best ? outerRows * v.best.cost : Infinity;
  // A sub-plan runs for each outer row: its index lookup, else its whole scan, each time.
  if (v.access.perOuterRow) return { outer, outerRows, alone, hashJoin: false, cost: outerRows * costOf(v) };
  return { outer, outerRows, alone, hashJoin: lookups > once, cost: Math.min(lookups, once) };
}

/**
 * What the whole join costs in this order: the driver's scan, and each inner side as innerSide reads it; and,
 * when the FROM table has an ORDER BY but no longer drives, the sort of the rows the join hands on.
 */
function joinCost(list: TableAccess[], first: TableAccess, analyze: Analyze): number {
  const verdicts = keysSoFar(list).map(analyze);
  let total = 0;
  for (const v of verdicts) total += innerSide(v, verdicts, analyze)?.cost ?? costOf(v);
  const from = verdicts.find((v) => v.access.table === first.table);
  if (first.orderBy.length > 0 && from?.access.joinedFrom) total += sortCost(rowsOutOf(from, verdicts), undefined, analyze.costs);
  return total;
}

/**
 * Each table looked up without the join keys that are a later join's condition: in `FROM users u JOIN
 * enrollments e ON e.userId = u.id JOIN courses c ON c.id = e.courseId`, enrollments is looked up by userId
 * alone — `c.id = e.courseId` is the condition of courses' join, made after it (a unique index on (userId,
 * courseId) does not make each lookup one row). A key is dropped when the table it names comes later in the
 * join order (the driver, then the written order) and holds the same condition as a join key of its own; a
 * key that is not the later table's (a LATERAL sub-select's correlation) stays. A table whose `joinedFrom` then
 * names a later table (comma joins, where the WHERE clause's order sets it) is joined from the table of its
 * first key left. Left as written when a statement names a table twice (join keys name tables, not aliases).
 * PostgreSQL may join in another order altogether; this is the order the verdicts assume.
 */
function keysSoFar(list: TableAccess[]): TableAccess[] {
  if (list.length < 3 || new Set(list.map((a) => a.table)).size < list.length) return list;
  const driver = list.find((a) => !a.joinedFrom);
  const order = driver ? [driver, ...list.filter((a) => a !== driver)] : list;
  const at = new Map(order.map((a, i) => [a.table, { i, access: a }]));
  const restricted = new Map<TableAccess, TableAccess>();
  order.forEach((a, i) => {
    if (!a.joinedFrom) return;
    // The later table holds the same condition as a join key of its own (a correlation inside a sub-select does not).
    const laterJoin = (j: TableAccess['joinKeys'][number]) => {
      const other = at.get(j.otherTable);
      return other !== undefined && other.i > i && other.access.joinKeys.some((k) => k.otherTable === a.table && k.column === j.otherColumn && k.otherColumn === j.column);
    };
    // Of two keys on one column (`m.user_id = u.id AND m.user_id = e.user_id`), one: they are one equivalence class.
    const keys = a.joinKeys.filter((j, n) => !laterJoin(j) && a.joinKeys.findIndex((k) => k.column === j.column && !laterJoin(k)) === n);
    if (keys.length === 0 || keys.length === a.joinKeys.length) return;
    const from = at.get(a.joinedFrom);
    const joinedFrom = from && from.i < i ? a.joinedFrom : keys[0].otherTable;
    restricted.set(a, { ...a, joinKeys: keys, joinedFrom });
  });
  return restricted.size ? list.map((a) => restricted.get(a) ?? a) : list;
}

/**
 * Rows a table of the join hands on: the driver's (outerRowsOf), or, for a table looked up from another, that
 * one's rows times its own per lookup — so the third table of a chain sees the join's rows so far. The nullable
 * side of an outer join hands on at least one row per row it is joined to (the NULL row when nothing matches).
 */
function rowsOutOf(v: AccessVerdict, verdicts: AccessVerdict[], depth = 0): number {
  const outer = v.access.joinedFrom && depth < verdicts.length ? outerOf(v, verdicts) : undefined;
  if (!outer) return outerRowsOf(v);
  // Once per outer join: within one nullable side (`u LEFT JOIN (e JOIN c …)`), the step into it counted it.
  const perRow = v.access.outerJoined && v.access.outerJoin !== outer.access.outerJoin ? Math.max(1, v.matchedRows) : v.matchedRows;
  return Math.max(1, rowsOutOf(outer, verdicts, depth + 1) * perRow);
}

function outerOf(v: AccessVerdict, verdicts: AccessVerdict[]): AccessVerdict | undefined {
  return verdicts.find((o) => o !== v && o.access.table === v.access.joinedFrom && !o.access.joinedFrom) ?? verdicts.find((o) => o !== v && o.access.table === v.access.joinedFrom);
}

/** The cost of a two-table join in this order: the outer side, then the inner looked up per outer row or read once and hashed. */
function twoTableCost(list: TableAccess[], analyze: Analyze): number {
  const [outer, inner] = list[0].joinedFrom ? [list[1], list[0]] : [list[0], list[1]];
  const o = analyze(outer);
  const i = analyze(inner);
  const rows = outerRowsOf(o);
  const lookups = i.best ? rows * i.best.cost : Infinity;
  return costOf(o) + Math.min(lookups, costOf(analyze(readOnce(inner))) + rows * hashProbe(analyze.costs));
}

/**
 * The table that drives a join (of a SELECT, or of an UPDATE … FROM / DELETE … USING, whose target is the FROM
 * table here). The FROM table, unless
 * - it has no filter of its own while a table joined to it has an equality filter: then the most selective
 *   of those drives;
 * - or, the FROM table and a table joined to it each with a filter of their own (an inner join or an
 *   EXISTS), driving from that table costs less, beyond the planner's 1% fuzz (an EXISTS's side is made
 *   distinct first unless its join keys are unique there) — except when the FROM table's index gives its
 *   ORDER BY … LIMIT. With three tables or more, only a table joined to the FROM table directly that starts
 *   from a handful of rows (a unique key) is a candidate, the one that saves most (each pair costed alone),
 *   and only in a statement naming each table once;
 * - or, with three tables or more, a table further along the join (see farDriver) makes the whole join cost less.
 * The FROM table is then looked up by its join key to the driver (its ORDER BY can no longer come from an
 * index; its keys to the other tables join afterwards).
 * Outer-joined tables never drive.
 */
function chooseDriver(accesses: TableAccess[], analyze: Analyze): TableAccess[] {
  const first = accesses.find((a) => !a.joinedFrom);
  if (!first || first.kind === 'insert' || first.kind === 'upsert') return accesses;
  // A semi-join (IN (SELECT …), a Prisma relation filter) is no filter of the FROM table's own: its keys join.
  const own = first.predicates.filter((p) => semiKeysOf(p).length === 0);
  const semiKeys = first.predicates.flatMap(semiKeysOf);
  const keys = [...first.joinKeys, ...semiKeys.filter((k) => !first.joinKeys.some((j) => j.column === k.column && j.otherTable === k.otherTable))];
  const joinedToFirst = (a: TableAccess) => a !== first && (a.joinedFrom === first.table || semiKeys.some((k) => k.otherTable === a.table)) && !a.outerJoined && keys.some((j) => j.otherTable === a.table);
  const rowsOf = (a: TableAccess) => analyze({ ...a, joinedFrom: undefined }).matchedRows;
  const more = accesses.length > 2;
  // With more tables, each table named once: join keys name tables, not aliases, so a second `orders` — of a
  // self-join, another UNION arm or a sub-select — would pass for this join's.
  const namedOnce = new Set(accesses.map((a) => a.table)).size === accesses.length;
  // The FROM table's index gives its ORDER BY … LIMIT: the scan stops at the LIMIT; from another side, every match is joined and sorted.
  const limitedByIndex = first.orderBy.length > 0 && first.limit !== undefined && !!analyze(first).best?.sortAvoided;
  // A LIMIT stops the join, whichever side drives: both orders are costed in full (the FROM table's own
  // scan would otherwise be cut short as if each of its rows were a result).
  const whole = first.limit === undefined ? first : { ...first, limit: undefined, offset: undefined };
  const far = () => (more && namedOnce && semiKeys.length === 0 && !limitedByIndex ? farDriver(accesses, first, whole, joinedToFirst, own.length > 0, analyze) : undefined);
  if (own.length === 0) {
    const filtered = accesses.filter((a) => joinedToFirst(a) && a.predicates.some((p) => (p.atom.kind === 'compare' && p.atom.op === '=') || p.atom.kind === 'in'));
    const further = far();
    if (filtered.length === 0) return further?.list ?? accesses;
    const driver = filtered
      .map((a) => ({ a, rows: rowsOf(a) }))
      .sort((x, y) => x.rows - y.rows)[0].a;
    const near = reverse(accesses, first, driver, semiKeys);
    // Both a table joined to the FROM table and one further along: the one whose whole join costs less.
    if (further && (!near || further.cost < joinCost(near, first, analyze))) return further.list;
    return near ?? accesses;
  } else {
    // Both filtered: the cheaper order of the FROM table and each table joined to it with a filter of its
    // own, unless the FROM table's index gives an ORDER BY … LIMIT its order.
    if (limitedByIndex) return accesses;
    // With more tables, the pairs are costed alone, which holds while the tables joined afterwards see the same
    // rows whichever side drives: a driver that starts from a handful of rows.
    if (more && !namedOnce) return accesses;
    let pick: { list: TableAccess[]; saving: number } | undefined;
    for (const other of accesses) {
      if (!joinedToFirst(other) || other.predicates.length === 0) continue;
      if (more && outerRowsOf(analyze({ ...other, joinedFrom: undefined })) > FEW_ROWS) continue;
      const reversed = reverse(accesses, first, other, semiKeys);
      if (!reversed) continue;
      const viaSemi = semiKeys.some((k) => k.otherTable === other.table);
      const distinct = viaSemi && !uniqueOn(analyze(other), semiKeys.filter((k) => k.otherTable === other.table).map((k) => k.otherColumn)) ? sortCost(rowsOf(other), undefined, analyze.costs) : 0;
      // Each side of the pair is looked up by its keys to the other alone.
      const now = twoTableCost([whole, more ? { ...other, joinKeys: other.joinKeys.filter((j) => j.otherTable === first.table) } : other], analyze);
      const then = twoTableCost([reversed[accesses.indexOf(first)], reversed[accesses.indexOf(other)]], analyze) + distinct;
      if (then * JOIN_FUZZ < now && (!pick || now - then > pick.saving)) pick = { list: reversed, saving: now - then };
    }
    const further = far();
    // Both a pair and a start further along pay: the one whose whole join costs less.
    if (pick && further) return joinCost(pick.list, first, analyze) <= further.cost ? pick.list : further.list;
    return pick?.list ?? further?.list ?? accesses;
  }
}

/**
 * A driver further along a join of three tables or more, not joined to the FROM table directly
 * (`users → enrollments → courses WHERE c.slug = $1`): the table whose start, walking back along the join keys
 * (walkFrom), makes the whole join cost least, beyond the 1% fuzz, of the tables with a filter of their own —
 * when the FROM table has a filter too (`own`), only one that starts from a handful of rows. Undefined when none
 * pays.
 */
function farDriver(accesses: TableAccess[], first: TableAccess, whole: TableAccess, joinedToFirst: (a: TableAccess) => boolean, own: boolean, analyze: Analyze) {
  const written = accesses.map((a) => (a === first ? whole : a));
  let best: { list: TableAccess[]; cost: number } | undefined;
  let now: number | undefined;
  for (const other of accesses) {
    if (other === first || joinedToFirst(other) || other.outerJoined || other.predicates.length === 0) continue;
    if (own && outerRowsOf(analyze({ ...other, joinedFrom: undefined })) > FEW_ROWS) continue;
    const walked = walkFrom(written, whole, other);
    if (!walked) continue;
    now ??= joinCost(written, first, analyze);
    const then = joinCost(walked, first, analyze);
    // (The FROM table in `walked` is looked up, so without the LIMIT either way.)
    if (then * JOIN_FUZZ < now && (!best || then < best.cost)) best = { list: walked, cost: then };
  }
  return best;
}

/**
 * The join driven from `driver`, a table not joined to the FROM table directly: the others in the order a walk
 * along the join keys from it reaches them, each looked up from the first table before it that it has a key to,
 * by its keys to the tables before it (a key to a table after it is that table's condition; keysSoFar keeps one
 * key per column). Outer-joined tables are not walked through; they join as written, after the others.
 * Undefined when the keys don't reach every table (a cross join, a sub-select's tables).
 */
function walkFrom(accesses: TableAccess[], first: TableAccess, driver: TableAccess): TableAccess[] | undefined {
  const at = new Map(accesses.map((a) => [a.table, a]));
  const order = [driver];
  const reached = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const k of order[i].joinKeys) {
      const next = at.get(k.otherTable);
      if (next && !reached.has(next) && !next.outerJoined) {
        reached.add(next);
        order.push(next);
      }
    }
  }
  // Outer-joined tables, each once the table it is joined from is placed (a chain of LEFT JOINs, one after another).
  for (let placed = true; placed; ) {
    placed = false;
    for (const a of accesses) {
      const from = a.joinedFrom === undefined ? undefined : at.get(a.joinedFrom);
      if (!reached.has(a) && a.outerJoined && from && reached.has(from)) {
        reached.add(a);
        order.push(a);
        placed = true;
      }
    }
  }
  if (order.length !== accesses.length) return undefined;
  const pos = new Map(order.map((a, i) => [a.table, i]));
  const walked = accesses.map((a) => {
    if (a === driver) return { ...a, joinedFrom: undefined };
    if (a.outerJoined) return a;
    const i = pos.get(a.table)!;
    const joinKeys = a.joinKeys.filter((k) => (pos.get(k.otherTable) ?? -1) < i);
    const from = joinKeys.find((k) => pos.has(k.otherTable));
    if (!from) return undefined;
    return a === first ? lookedUpFrom(a, joinKeys, from.otherTable, driver, 'is joined after') : { ...a, joinKeys, joinedFrom: from.otherTable };
  });
  return walked.every((a) => a !== undefined) ? (walked as TableAccess[]) : undefined;
}

/** The FROM table, once another drives: looked up by `joinKeys`, its ORDER BY (and LIMIT) left to a sort over the join. */
function lookedUpFrom(a: TableAccess, joinKeys: TableAccess['joinKeys'], joinedFrom: string, driver: TableAccess, how: string): TableAccess {
  const orderByUnsatisfiable = a.orderBy.length ? `ORDER BY is on "${a.alias ?? a.table}", which ${how} "${driver.alias ?? driver.table}": the sort runs over the join result` : a.orderByUnsatisfiable;
  return { ...a, joinKeys, joinedFrom, orderBy: [], limit: undefined, offset: undefined, ...(orderByUnsatisfiable ? { orderByUnsatisfiable } : {}) };
}

/** The join driven from `driver`, the FROM table looked up by the join key; undefined when the keys don't allow it. */
function reverse(accesses: TableAccess[], first: TableAccess, driver: TableAccess, semiKeys: SemiKey[]): TableAccess[] | undefined {
  // A semi-join with another table is still a filter of the FROM table's own: it keeps driving.
  const viaDriver = (p: LocatedAtom) => semiKeysOf(p).some((k) => k.otherTable === driver.table);
  if (first.predicates.some((p) => semiKeysOf(p).length > 0 && !viaDriver(p))) return undefined;
  // Through a semi-join, only a two-table case is read this way: the FROM table then knows no other join key on each
  // lookup. A table semi-joined to itself (`WHERE id IN (SELECT id FROM jobs … LIMIT n)`) only when it is alone:
  // join keys name tables, so with a third one its keys could be taken for another's.
  if (semiKeys.length && ((driver.table === first.table && accesses.length > 2) || first.joinKeys.some((j) => j.otherTable !== driver.table))) return undefined;
  return accesses.map((a) => {
    if (a === driver) return { ...a, joinedFrom: undefined };
    if (a === first) {
      // Looked up by its keys to the driver alone (the other tables join afterwards); the semi-join with the driver becomes a join key.
      const joinKeys = [...a.joinKeys.filter((j) => j.otherTable === driver.table), ...semiKeys.filter((k) => k.otherTable === driver.table && !a.joinKeys.some((j) => j.column === k.column && j.otherTable === k.otherTable))];
      return { ...lookedUpFrom(a, joinKeys, driver.table, driver, 'is looked up from'), predicates: a.predicates.filter((p) => !viaDriver(p)) };
    }
    return a;
  });
}

/** The keys of a semi-join predicate; none for any other. */
function semiKeysOf(p: LocatedAtom): SemiKey[] {
  return (p.atom.kind === 'other' && p.atom.semiJoin) || [];
}

/** Whether a unique index of the access's table (not partial) has only these columns as keys. */
function uniqueOn(v: AccessVerdict, columns: string[]): boolean {
  return !!v.table?.indexes.some((ix) => ix.unique && !ix.predicate && ix.keys.length > 0 && ix.keys.every((k) => k.column !== undefined && columns.includes(k.column)));
}
