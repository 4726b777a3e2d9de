import type { PredicateAtom } from '../model/predicate';
import type { TableAccess } from '../model/query';
import type { IndexDef, IndexKey, TableDef } from '../model/schema';

/** How one index could serve one table access. */
export interface IndexUse {
  index: IndexDef;
  usable: boolean;
  /** Leading key columns matched by equality (=, IN, IS NULL, join keys on the inner side of a join). */
  equalityColumns: readonly string[];
  /** The one key column after them matched by a range (<, >, BETWEEN, LIKE 'x%'). */
  rangeColumn?: string;
  /** Predicate atoms that become index conditions. */
  conditions: readonly PredicateAtom[];
  /** The index delivers rows in the ORDER BY order (forward or backward scan). */
  sortAvoided: boolean;
  /** The index can return the rows in ORDER BY order, whether or not the cheapest plan through it does (bitmap + sort of a few rows). */
  canOrder?: boolean;
  backward: boolean;
  /** Every column the statement reads is in the index (keys or INCLUDE). */
  indexOnly: boolean;
  /** Estimated rows fetched through the index (per execution; per outer row on the inner side of a join). */
  rowsRead: number;
  /** Planner-style cost estimate used to rank paths (lower is better). */
  cost: number;
  /** Workers of the parallel scan this path is costed as (a Parallel Index Only or Bitmap Heap Scan), when it is one. */
  parallelWorkers?: number;
  reason: string;
  /** Not usable, but serves a branch of an OR whose other branches have no index: the OR uses it once they have one. */
  servesOrBranch?: boolean;
  /**
   * Read whole in place of the table (an Index Only Scan of every entry: the index holds every column read).
   * Any index that holds those columns does the same: a use of this one only when the query needs it (see
   * servesAccess and keepingCost).
   */
  wholeIndex?: boolean;
}

export interface ProposedIndex {
  table: string;
  name: string;
  method: 'btree' | 'gin';
  keys: IndexKey[];
  predicate?: PredicateAtom[];
  predicateText?: string;
  /** Extension the index needs (pg_trgm for trigram indexes). */
  extension?: string;
  sql: string;
  /** `@@index([...])` for schema.prisma; undefined when Prisma can't express the index. */
  prisma?: string;
  prismaNote?: string;
}

export interface AccessVerdict {
  access: TableAccess;
  table?: TableDef;
  rows: number;
  /** True when no row estimate was configured for the table. */
  rowsAssumed: boolean;
  /** Estimated rows the statement's filters keep. */
  matchedRows: number;
  /** The path the planner would most likely take; undefined for a sequential scan. */
  best?: IndexUse;
  candidates: IndexUse[];
  /** The statement has an ORDER BY that a scan of this table could deliver. */
  needsSort: boolean;
  /** null when there is no ORDER BY to satisfy. */
  sortAvoided: boolean | null;
  seqScanCost: number;
  /**
   * Inner side of a join: the outer rows it is joined to. A nested loop looks the table up that many
   * times; a hash join reads it once (then `hashJoin`).
   */
  outerRows?: number;
  hashJoin?: boolean;
  /** Without `best`: the workers of the parallel sequential scan the table is read by, when it is one. */
  parallelWorkers?: number;
  reason: string;
}
