import type { Range, SourceLocation } from './location';
import type { PredicateAtom } from './predicate';

export type IndexMethod = 'btree' | 'hash' | 'gin' | 'gist' | 'brin' | 'spgist' | (string & {});

export interface ColumnDef {
  /** Name as stored in the catalog (after PostgreSQL case folding). */
  name: string;
  /** Type as written, lower-cased: `text`, `timestamp(3)`, `boolean`, `"Role"` becomes `role` enum via enumName. */
  type: string;
  nullable: boolean;
  /** Set when the type is an enum: its name (catalog form). */
  enumName?: string;
  /** The column's own COLLATE ("C", "en_US"), as written; undefined for the database's default. */
  collation?: string;
  generated?: boolean;
  location?: SourceLocation;
  /** Planner statistics (pg_stats), when read from a database. */
  stats?: ColumnStats;
}

/** A column's pg_stats row: what the planner knows about its values. */
export interface ColumnStats {
  /** Share of NULLs. */
  nullFrac: number;
  /** Distinct values: > 0 a count, < 0 minus the share of rows (-1 = all distinct), as in pg_stats. */
  nDistinct: number;
  /** Most common values (as text) and their shares of the rows. */
  mostCommonValues?: string[];
  mostCommonFreqs?: number[];
  /** Bounds (as text) of equal-population buckets of the values that are not most-common, in order. */
  histogramBounds?: string[];
  /** Correlation of the physical row order with the column's order, -1…1. */
  correlation?: number;
}

export interface IndexKey {
  /** Column name (catalog form), when the key is a plain column. */
  column?: string;
  /** Expression text, when the key is an expression (lower(email), (a + b)). */
  expression?: string;
  /** Columns an expression key reads. */
  expressionColumns?: string[];
  desc: boolean;
  /** PostgreSQL's default is NULLS LAST for ASC and NULLS FIRST for DESC. */
  nullsFirst: boolean;
  opclass?: string;
  /** Explicit COLLATE of the key ("C", "en_US"), as written. */
  collation?: string;
  /** For a column key without its own COLLATE: the column's, which the index then uses. */
  columnCollation?: string;
}

export type IndexOrigin = 'migration' | 'prisma' | 'database';

export interface IndexDef {
  name: string;
  table: string;
  method: IndexMethod;
  /** A BRIN index's `WITH (pages_per_range = n)`, when not the default 128. */
  pagesPerRange?: number;
  keys: IndexKey[];
  include: string[];
  unique: boolean;
  primary: boolean;
  /** Backs a constraint (PRIMARY KEY / UNIQUE constraint), so it can't be dropped with DROP INDEX. */
  constraint: boolean;
  /** Partial-index predicate as a conjunction of atoms; undefined for a full index. */
  predicate?: PredicateAtom[];
  /** Predicate text as written (for messages and SQL). */
  predicateText?: string;
  /** False for an INVALID index (a failed CONCURRENTLY build). */
  valid: boolean;
  origin: IndexOrigin;
  /** Where the index is declared (migration statement, @@index attribute, field @unique). */
  location?: SourceLocation;
  /** Live statistics, when read from a database. */
  stats?: { scans?: number; sizeBytes?: number };
}

export interface ForeignKeyDef {
  name?: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  /** ON DELETE CASCADE: deleting a referenced row deletes the rows that refer to it. */
  cascades?: true;
  /**
   * A relation of a schema.prisma with `relationMode = "prisma"`: no constraint in the database; Prisma Client
   * makes the key's searches itself, when it deletes a referenced row (PostgreSQL does not, for other SQL).
   */
  emulated?: true;
  /** Where the key is declared (the migration statement, the relation field of schema.prisma); none from a catalog. */
  location?: SourceLocation;
}

export interface TableDef {
  /**
   * Catalog name (after case folding); bare for the `public` schema, `schema.table` for any other
   * (`auth.users`). It is the key of `SchemaModel.tables` and what `IndexDef.table` holds.
   */
  name: string;
  schema: string;
  columns: Map<string, ColumnDef>;
  indexes: IndexDef[];
  foreignKeys: ForeignKeyDef[];
  /** Estimated rows, from config, --rows or the catalog. */
  rowEstimate?: number;
  /** Size in 8 kB pages (pg_class.relpages), when read from a database. */
  pageEstimate?: number;
  /**
   * Pages the visibility map marks all-visible (pg_class.relallvisible), read with pageEstimate: an index-only scan
   * skips the heap on those only. Unknown (migrations alone): all are assumed to be, as after a VACUUM.
   */
  allVisiblePages?: number;
  /**
   * The table's parallel_workers storage parameter (`WITH (parallel_workers = n)` in a migration, or read from a
   * database): the workers a parallel scan of it plans, whatever its size.
   */
  parallelWorkers?: number;
  location?: SourceLocation;
  /** Prisma model name, when the table comes from (or is mapped by) schema.prisma. */
  model?: string;
  /**
   * A materialized view (CREATE MATERIALIZED VIEW; pg_class.relkind 'm'): queries read its stored rows through its
   * own indexes, as they read a table. `query`: its SELECT without positions, when a migration made it;
   * `populated`: false after WITH NO DATA, until a plain REFRESH.
   */
  materialized?: { query?: Record<string, any>; populated: boolean };
  /** Made by CREATE TABLE … AS or MATERIALIZED VIEW from something whose columns the model does not know: `columns` lacks some. */
  columnsIncomplete?: true;
}

export interface EnumDef {
  name: string;
  values: string[];
}

/** Prisma's view of a model: how names in Prisma Client calls map to SQL. */
export interface PrismaField {
  name: string;
  /** DB column (after @map); undefined for relation fields. */
  column?: string;
  /** Scalar type name (String, Int, DateTime, Boolean, an enum name…). */
  type: string;
  isList: boolean;
  relation?: {
    /** Related model name. */
    model: string;
    /** Scalar fields on this model holding the FK (empty on the back-relation side). */
    fields: string[];
    /** Referenced fields on the related model. */
    references: string[];
  };
}

export interface PrismaModel {
  name: string;
  table: string;
  fields: Map<string, PrismaField>;
  /** Names of compound unique selectors usable in `where` (e.g. `userId_courseId`) → their fields. */
  compoundUniques: Map<string, string[]>;
  location?: SourceLocation;
}

export interface PrismaMapping {
  file: string;
  models: Map<string, PrismaModel>;
  /** Prisma Client accessor (`user` for model User) → model name. */
  accessors: Map<string, string>;
  /**
   * Models, views and enums left out because Prisma's engine rejected them (or they
   * depend on one it rejected): their tables are missing. Absent when the whole
   * schema was read.
   */
  leftOut?: string[];
  /** What each left-out block is and where it is declared (its first line; `file` when not `file` above), by name. */
  leftOutAt?: Map<string, { kind: string; range: Range; file?: string }>;
  /** Relation fields of models that were read, left out, by `Model.field` (`Post.author`). */
  leftOutFields?: Map<string, LeftOutField>;
  /** The datasource's `relationMode = "prisma"`: relations are emulated by Prisma Client (their keys are `emulated`). */
  relationMode?: 'prisma';
}

/** A relation field schema.prisma's errors left out, on a model that was read. */
export interface LeftOutField {
  /** Its line in schema.prisma (in `file`, for a schema of several files). */
  range: Range;
  file?: string;
  /** The foreign-key fields its `@relation(fields: [...])` lists; empty on the back side. */
  fields: string[];
  /** The left-out model or view it points at, or its left-out other side (`Model.field`); absent for an error of its own. */
  because?: string;
}

export interface SchemaModel {
  tables: Map<string, TableDef>;
  enums: Map<string, EnumDef>;
  /** Present when a schema.prisma was read. */
  prisma?: PrismaMapping;
  /** The database's default collation (pg_database.datcollate), when read from a database. */
  collation?: string;
  /** Statements of the migrations that do not parse: what they create or drop is not in the model. */
  unparsed?: SourceLocation[];
  /** Views of the `public` schema, by name (CREATE VIEW in the migrations). */
  views?: Map<string, ViewDef>;
  /** The functions the migrations create (or the database's, in its search path), by unqualified name: one per signature. */
  functions?: Map<string, FunctionDef[]>;
}

/** pg_proc.proparallel: whether a function may run in parallel workers ('s'), in the leader only ('r'), or forbids parallel plans ('u'). */
export type ParallelSafety = 'safe' | 'restricted' | 'unsafe';

/** A function a query may call. */
export interface FunctionDef {
  name: string;
  /** Its schema: `public` when created without one. */
  schema: string;
  /** Its argument types (IN, INOUT and VARIADIC), as `typeNameText` prints them, comma-separated: what tells its overloads apart. */
  args: string;
  parallel: ParallelSafety;
  /** Reached by a call without a schema: in `public` (migrations), on the search path (a database). */
  onSearchPath: boolean;
  /**
   * A SQL function PostgreSQL inlines: the functions its body calls. The planner checks a table's conditions for
   * PARALLEL RESTRICTED calls after inlining, so there the body's functions count, not this one's label.
   */
  inlinedCalls?: { schema?: string; name: string }[];
}

/** A view: PostgreSQL's rewriter puts its query where a statement reads it, and the planner plans the whole. */
export interface ViewDef {
  name: string;
  /** Its SELECT's parse tree, without positions (they are in the file that creates the view). */
  query: Record<string, any>;
  /** `CREATE VIEW v (a, b)`: names for its first output columns (String nodes, as the parser gives them). */
  colnames?: Record<string, any>[];
  location?: SourceLocation;
}

export function emptySchema(): SchemaModel {
  return { tables: new Map(), enums: new Map() };
}

/** Two foreign keys from the same columns to the same table (whatever their names). */
export function sameKeyColumns(a: ForeignKeyDef, b: ForeignKeyDef): boolean {
  return a.refTable === b.refTable && a.columns.length === b.columns.length && a.columns.every((c, i) => c === b.columns[i]);
}

export function allIndexes(schema: SchemaModel): IndexDef[] {
  return [...schema.tables.values()].flatMap((t) => t.indexes);
}

export function indexKeyColumns(index: IndexDef): string[] {
  return index.keys.map((k) => k.column ?? k.expression ?? '?');
}
