import { movedRange, type Range, type SourceLocation } from './location';
import type { PredicateAtom } from './predicate';

export interface LocatedAtom {
  atom: PredicateAtom;
  /** Where the predicate is written, when known. */
  range?: Range;
}

export interface OrderItem {
  column: string;
  desc: boolean;
  /** Explicit NULLS FIRST/LAST; undefined means the default for the direction. */
  nullsFirst?: boolean;
  range?: Range;
}

export interface JoinKey {
  /** Column of this table compared with `=` to another table's column. */
  column: string;
  otherTable: string;
  otherColumn: string;
}

export type AccessKind = 'select' | 'update' | 'delete' | 'insert' | 'upsert';

/** How one statement touches one table: what the planner can use an index for. */
export interface TableAccess {
  table: string;
  alias?: string;
  kind: AccessKind;
  /** Conjunction of atoms that filter this table (WHERE and ON clauses restricted to it). */
  predicates: LocatedAtom[];
  joinKeys: JoinKey[];
  /**
   * ORDER BY items on this table. Only filled when the whole ORDER BY is on this
   * table and a scan of it can deliver rows in that order (it is the only or outer table).
   */
  orderBy: OrderItem[];
  /** An ORDER BY exists but it can't be satisfied by this table's index (sort over a join, expressions). */
  orderByUnsatisfiable?: string;
  limit?: number | 'param';
  offset?: number | 'param';
  groupBy: string[];
  /** Columns the statement reads from this table; `'*'` for all. Used for index-only scans. */
  columnsRead: string[] | '*';
  /**
   * Of columnsRead, the ones read outside the WHERE/ON conditions (select list, ORDER BY, GROUP BY,
   * HAVING), when known: a column only filtered by a condition a partial index's predicate implies
   * need not be in the index for an index-only scan. Undefined: every column read counts.
   */
  outputColumns?: string[];
  /** On the nullable side of an outer join: it cannot drive the join. */
  outerJoined?: boolean;
  /** Which outer join of the statement (numbered from 1) makes it nullable: the tables of one nullable side share it. */
  outerJoin?: number;
  /** True when the table is reached only by joining from another table (inner side of a join). */
  joinedFrom?: string;
  /**
   * In a sub-select PostgreSQL runs as a sub-plan (a correlated IN (SELECT …), a scalar sub-select, an EXISTS it
   * can't pull up): looked up by its correlation once for each outer row, never read once for a hash join.
   */
  perOuterRow?: true;
  /**
   * Not written in the statement: the search a foreign key of this table makes for each row the statement
   * deletes from the table it references (see analysis/foreignKeyChecks.ts).
   */
  foreignKeyCheck?: { constraint?: string; references: string; cascades?: true; /** Made by Prisma Client (relationMode = "prisma"), not PostgreSQL. */ emulated?: true };
  /**
   * A statement of its own that a Prisma update runs for a nested write in its `data` (or a relation filter of
   * one), not part of the call's main statement (see sources/typescript/prismaNestedWrites.ts).
   */
  nestedWrite?: true;
  /**
   * The statement runs without parallel workers, and why: it writes (in a data-modifying CTE too), locks the rows it
   * reads (FOR UPDATE / FOR SHARE), calls a function PostgreSQL marks PARALLEL UNSAFE (nextval …), or a PARALLEL
   * RESTRICTED one in a condition (see shapes/parallelSafety.ts).
   */
  serialOnly?: string;
  /**
   * Only aggregates of the rows read leave this table (count(*), sum(…), a GROUP BY of a one-table query): a parallel
   * scan hands the leader one partial row per process and group, not the rows.
   */
  aggregated?: true;
}

export type QueryOrigin = 'sql-file' | 'embedded-sql' | 'prisma' | 'migration';

export interface QueryShape {
  /** Stable id within a run: `file:line:col`. */
  id: string;
  origin: QueryOrigin;
  location: SourceLocation;
  /** Statement text (SQL) or the Prisma call (`prisma.user.findMany`). */
  text: string;
  /** Short human label: `SELECT on users`, `prisma.user.findMany`. */
  label: string;
  accesses: TableAccess[];
  /**
   * Prisma: relation fields the call names that schema.prisma's errors left out (`Post.author`), and
   * where it names them; what it asks of them (a filter, include or order) is not analysed.
   */
  leftOut?: { field: string; range: Range }[];
  /** Why the query is not analysed (a Prisma call whose model is chosen at run time); it has no accesses then. */
  unresolved?: string;
}

export function emptyAccess(table: string, kind: AccessKind = 'select'): TableAccess {
  return { table, kind, predicates: [], joinKeys: [], orderBy: [], groupBy: [], columnsRead: '*' };
}

/** Lines an edit added or removed: the lines after line `after` (0-based) moved by `delta`. */
export interface LineMove {
  after: number;
  delta: number;
}

/** The queries of `file` that edits only moved: each with the query it was, and the moves from that one to it, in order. */
export interface MovedQueries {
  file: string;
  from: Map<QueryShape, { was: QueryShape; moves: LineMove[] }>;
}

/**
 * `shape` with every position after line `after` moved by `delta` lines (parts without one shared, the
 * shape itself when nothing moves): a query below lines an edit added or removed.
 */
export function movedShape(shape: QueryShape, after: number, delta: number): QueryShape {
  const { location, accesses, leftOut, id, origin, text, label, unresolved, ...rest } = shape;
  // A field added to QueryShape must be listed here (and moved, if it holds positions): this fails to compile until it is.
  const unlisted: Record<string, never> = rest;
  void [id, origin, text, label, unresolved, unlisted];
  const range = movedRange(location.range, after, delta);
  const moved = accesses.map((a) => movedAccess(a, after, delta));
  const left = leftOut?.map((x) => {
    const r = movedRange(x.range, after, delta);
    return r === x.range ? x : { ...x, range: r };
  });
  if (range === location.range && moved.every((a, i) => a === accesses[i]) && (!leftOut || left!.every((x, i) => x === leftOut[i]))) return shape;
  return { ...shape, location: range === location.range ? location : { ...location, range }, accesses: moved, ...(leftOut ? { leftOut: left } : {}) };
}

function movedAccess(a: TableAccess, after: number, delta: number): TableAccess {
  const { predicates, orderBy, ...rest } = a;
  // As in movedShape: the other fields of TableAccess hold no position.
  const { table, alias, kind, joinKeys, orderByUnsatisfiable, limit, offset, groupBy, columnsRead, outputColumns, outerJoined, outerJoin, joinedFrom, perOuterRow, foreignKeyCheck, nestedWrite, serialOnly, aggregated, ...unlisted } = rest;
  const none: Record<string, never> = unlisted;
  void [table, alias, kind, joinKeys, orderByUnsatisfiable, limit, offset, groupBy, columnsRead, outputColumns, outerJoined, outerJoin, joinedFrom, perOuterRow, foreignKeyCheck, nestedWrite, serialOnly, aggregated, none];
  let p: LocatedAtom[] | undefined;
  predicates.forEach((x, i) => {
    const r = x.range && movedRange(x.range, after, delta);
    if (r !== x.range) (p ??= [...predicates])[i] = { ...x, range: r };
  });
  let o: OrderItem[] | undefined;
  orderBy.forEach((x, i) => {
    const r = x.range && movedRange(x.range, after, delta);
    if (r !== x.range) (o ??= [...orderBy])[i] = { ...x, range: r };
  });
  return p || o ? { ...a, predicates: p ?? predicates, orderBy: o ?? orderBy } : a;
}
