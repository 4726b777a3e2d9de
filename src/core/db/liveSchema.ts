/**
 * A live database as a schema source: tables, columns, enums, indexes (definition, method,
 * predicate, validity), constraints and foreign keys from the catalog, with row estimates
 * (pg_class.reltuples), column statistics (pg_stats) and index usage (pg_stat_user_indexes).
 *
 * The catalog is turned back into DDL — `CREATE TYPE … AS ENUM`, `CREATE TABLE` with
 * `format_type` column types, `pg_get_indexdef`, `pg_get_constraintdef` — and applied with the
 * same code that reads migrations (applyStatement), so a live index and the migration that
 * created it come out with identical keys and predicates.
 */
import type { Queryable, Session } from './connection';
import { readPlannerSettings, type PlannerSettings } from './plannerSettings';
import { readServerSettings, type ServerSettings } from './serverSettings';
import { readStatStatements, type StatStatements } from './statStatements';
import type { MatcherOptions } from '../matcher/options';
import type { ColumnStats, ForeignKeyDef, FunctionDef, ParallelSafety, SchemaModel, TableDef } from '../model/schema';
import { emptySchema, sameKeyColumns } from '../model/schema';
import { applyStatement } from '../schema/migrations/applyStatement';
import { functionFromCreate } from '../schema/migrations/functions';
import { withoutLocations } from '../sql/expr';
import { quoteAlways, tableKey } from '../sql/identifiers';
import { initSqlParser, parseStatement } from '../sql/parser';
import { ZERO_RANGE } from '../model/location';

export interface LiveSchema {
  /** Tables with `rowEstimate`, indexes with `stats` and `origin: 'database'`, columns with `stats`. */
  schema: SchemaModel;
  /** Where it was read from, without credentials. */
  target: string;
  serverVersion: number;
  readAt: Date;
  /**
   * Since when pg_stat_user_indexes has been counting: `pg_stat_database.stats_reset`, or — when the
   * statistics were never reset — the server's start (a lower bound: they may be older).
   */
  statsSince: Date;
  statsSinceSource: 'stats_reset' | 'server start';
  /** Column defaults as SQL expressions, table → column → expression (the data generator reads them). */
  defaults: Map<string, Map<string, string>>;
  /** Catalog objects the schema model could not take (and why). */
  problems: string[];
  /** Connection limits (connection-pool advice). */
  server?: ServerSettings;
  /** The planner's cost constants and parallel-scan settings (the verdicts' costs). */
  planner?: PlannerSettings;
  /** pg_stat_statements, when the server has it (slow-query mapping, pool timeouts). */
  statements?: StatStatements;
}

/**
 * The matcher's options for verdicts on this database: its row estimates (reltuples) in place of the
 * configured ones, its major version (skip scans), its planner cost constants and parallel-scan settings.
 */
export function liveMatcherOptions(live: LiveSchema, options: MatcherOptions): MatcherOptions {
  const rows = { ...options.rows };
  for (const t of live.schema.tables.values()) if (t.rowEstimate !== undefined) rows[t.name] = t.rowEstimate;
  return { ...options, rows, serverVersion: live.serverVersion, parallel: live.planner?.parallel ?? options.parallel, costs: live.planner?.costs ?? options.costs };
}

/** Schemas read: the ones on the search path (what unqualified names in queries resolve to). */
const IN_PATH = `n.nspname = ANY (pg_catalog.current_schemas(false))`;
/** pg_proc.proparallel. */
const PARALLEL_SAFETY: Record<string, ParallelSafety | undefined> = { s: 'safe', r: 'restricted', u: 'unsafe' };
/** Objects that belong to an extension are not the application's schema. */
const NOT_EXTENSION = (oid: string) => `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.objid = ${oid} AND d.deptype = 'e')`;

interface ColumnRow {
  table: string;
  nsp: string;
  reltuples: number;
  relpages: number;
  relallvisible: number;
  /** The parallel_workers storage parameter (pg_class.reloptions), when set. */
  parallel_workers: string | null;
  /** pg_class.relkind: 'r' table, 'p' partitioned table, 'm' materialized view. */
  relkind: string;
  populated: boolean;
  column: string | null;
  type: string | null;
  notnull: boolean | null;
  generated: string | null;
  default: string | null;
}

interface IndexRow {
  table: string;
  nsp: string;
  index: string;
  def: string;
  primary: boolean;
  valid: boolean;
  contype: string | null;
  size: string | number;
  scans: string | number | null;
}

/** Reads the live schema in the session's READ ONLY transaction. Throws DatabaseError when the server can't be read. */
export async function loadLiveSchema(session: Session): Promise<LiveSchema> {
  await initSqlParser();
  const serverVersion = await session.serverVersion();
  return session.exclusive(async (q) => readCatalog(q, session.target, serverVersion));
}

/** The schema model's name for a table: bare in `public`, `schema.table` elsewhere. */
function keyOf(nsp: string, table: string): string {
  return tableKey({ relname: table, schemaname: nsp });
}

async function readCatalog(q: Queryable, target: string, serverVersion: number): Promise<LiveSchema> {
  const enums = await q.query<{ name: string; nsp: string; labels: string[] }>(
    `SELECT t.typname AS name, n.nspname AS nsp, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
      WHERE ${IN_PATH} AND ${NOT_EXTENSION('t.oid')}
      GROUP BY t.typname, n.nspname ORDER BY 1`,
  );
  const columns = await q.query<ColumnRow>(
    `SELECT c.relname AS table, n.nspname AS nsp, c.reltuples::float8 AS reltuples, c.relpages::float8 AS relpages, c.relallvisible::float8 AS relallvisible,
            (SELECT o.option_value FROM pg_catalog.pg_options_to_table(c.reloptions) o WHERE o.option_name = 'parallel_workers') AS parallel_workers,
            c.relkind::text AS relkind, c.relispopulated AS populated, a.attname AS column,
            pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, NULLIF(a.attgenerated, '') AS generated,
            pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
      WHERE c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition AND ${IN_PATH} AND ${NOT_EXTENSION('c.oid')}
      ORDER BY c.relname, a.attnum`,
  );
  const indexes = await q.query<IndexRow>(
    `SELECT ct.relname AS table, n.nspname AS nsp, ci.relname AS index, pg_catalog.pg_get_indexdef(i.indexrelid) AS def,
            i.indisprimary AS primary, i.indisvalid AS valid, con.contype::text AS contype,
            pg_catalog.pg_relation_size(i.indexrelid) AS size, s.idx_scan AS scans
       FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid
       JOIN pg_catalog.pg_class ct ON ct.oid = i.indrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = ct.relnamespace
       LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
       LEFT JOIN pg_catalog.pg_stat_user_indexes s ON s.indexrelid = i.indexrelid
      WHERE ct.relkind IN ('r', 'p', 'm') AND NOT ct.relispartition AND ${IN_PATH} AND ${NOT_EXTENSION('ct.oid')}
      ORDER BY ct.relname, ci.relname`,
  );
  const fks = await q.query<{ table: string; nsp: string; name: string; def: string }>(
    `SELECT c.relname AS table, n.nspname AS nsp, con.conname AS name, pg_catalog.pg_get_constraintdef(con.oid) AS def
       FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE con.contype = 'f' AND ${IN_PATH} AND ${NOT_EXTENSION('c.oid')}
      ORDER BY c.relname, con.conname`,
  );
  const stats = await q.query<{ table: string; nsp: string; column: string; null_frac: number; n_distinct: number; mcv: string[] | null; mcf: number[] | null; hist: string[] | null; corr: number | null }>(
    `SELECT s.tablename AS table, s.schemaname AS nsp, s.attname AS column, s.null_frac::float8 AS null_frac, s.n_distinct::float8 AS n_distinct,
            s.most_common_vals::text::text[] AS mcv, s.most_common_freqs::float8[] AS mcf,
            s.histogram_bounds::text::text[] AS hist, s.correlation::float8 AS corr
       FROM pg_catalog.pg_stats s WHERE s.schemaname = ANY (pg_catalog.current_schemas(false)) AND NOT s.inherited`,
  );
  // Views of `public` only: the ones an unqualified name in a query reaches (see createView).
  const views = await q.query<{ view: string; nsp: string; def: string }>(
    `SELECT c.relname AS view, n.nspname AS nsp, pg_catalog.pg_get_viewdef(c.oid) AS def
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'v' AND n.nspname = 'public' AND ${IN_PATH} AND ${NOT_EXTENSION('c.oid')}
      ORDER BY c.relname`,
  );
  // What a REFRESH of each materialized view runs.
  const matviews = await q.query<{ table: string; nsp: string; def: string }>(
    `SELECT c.relname AS table, n.nspname AS nsp, pg_catalog.pg_get_viewdef(c.oid) AS def
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'm' AND ${IN_PATH} AND ${NOT_EXTENSION('c.oid')}
      ORDER BY c.relname`,
  );
  // The functions that may keep a statement or a table's scan from running in parallel, extensions' included: those
  // not PARALLEL SAFE, and SQL functions the planner may inline (pg_get_functiondef() gives their body).
  const functions = await q.query<{ name: string; nsp: string; args: string; parallel: string; on_path: boolean; def: string | null }>(
    `SELECT p.proname AS name, n.nspname AS nsp, pg_catalog.oidvectortypes(p.proargtypes) AS args, p.proparallel::text AS parallel,
            n.nspname = ANY (pg_catalog.current_schemas(false)) AS on_path,
            CASE WHEN p.prokind = 'f' AND l.lanname = 'sql' THEN pg_catalog.pg_get_functiondef(p.oid) END AS def
       FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace JOIN pg_catalog.pg_language l ON l.oid = p.prolang
      WHERE p.prokind IN ('f', 'a', 'w') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
        AND (p.proparallel <> 's' OR l.lanname = 'sql')
      ORDER BY 1, 2, 3`,
  );
  const clock = await q.query<{ stats_reset: Date | null; started: Date; now: Date; collation: string | null }>(
    `SELECT d.stats_reset, pg_catalog.pg_postmaster_start_time() AS started, now() AS now,
            (SELECT db.datcollate::text FROM pg_catalog.pg_database db WHERE db.datname = current_database()) AS collation
       FROM pg_catalog.pg_stat_database d WHERE d.datname = current_database()`,
  );

  const server = await readServerSettings(q).catch(() => undefined);
  const settings = await readPlannerSettings(q).catch((err: Error) => err);
  const statements = await readStatStatements(q, serverVersion).catch((err: Error) => ({ available: false, reason: err.message, statements: [], totalExecMs: 0 }));

  const schema = emptySchema();
  const problems: string[] = [];
  const planner = settings instanceof Error ? undefined : settings;
  if (settings instanceof Error) problems.push(`could not read the planner's settings (${settings.message}): the verdicts use PostgreSQL's defaults`);
  const apply = (sql: string): void => {
    try {
      const ast = parseStatement(sql);
      const problem = ast ? applyStatement(schema, ast, { location: { file: target, range: ZERO_RANGE }, text: sql }) : 'empty statement';
      if (problem) problems.push(`${problem}: ${sql}`);
    } catch (err) {
      problems.push(`${(err as Error).message}: ${sql}`);
    }
  };
  const qualified = (nsp: string, name: string) => `${quoteAlways(nsp)}.${quoteAlways(name)}`;

  for (const e of enums) apply(`CREATE TYPE ${qualified(e.nsp, e.name)} AS ENUM (${e.labels.map((l) => `'${l.replace(/'/g, "''")}'`).join(', ')})`);
  // One row per column (a table without columns has one row with a NULL column).
  const byTable = new Map<string, { nsp: string; table: string; reltuples: number; relpages: number; relallvisible: number; parallelWorkers?: number; materialized?: { populated: boolean }; cols: ColumnRow[] }>();
  for (const c of columns) {
    const key = keyOf(c.nsp, c.table);
    const materialized = c.relkind === 'm' ? { populated: c.populated } : undefined;
    if (!byTable.has(key)) byTable.set(key, { nsp: c.nsp, table: c.table, reltuples: Number(c.reltuples), relpages: Number(c.relpages), relallvisible: Number(c.relallvisible), parallelWorkers: c.parallel_workers === null ? undefined : Number(c.parallel_workers), materialized, cols: [] });
    if (c.column !== null) byTable.get(key)!.cols.push(c);
  }
  const defaults = new Map<string, Map<string, string>>();
  for (const [key, { nsp, table, reltuples, relpages, relallvisible, parallelWorkers, materialized, cols }] of byTable) {
    const defs = cols.map((c) => `${quoteAlways(c.column!)} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.generated === 's' && c.default ? ` GENERATED ALWAYS AS (${c.default}) STORED` : ''}`);
    apply(`CREATE TABLE ${qualified(nsp, table)} (${defs.join(', ')})`);
    const t = schema.tables.get(key);
    if (!t) continue;
    // A materialized view is read as a table: its rows, its indexes (its query is read below).
    if (materialized) t.materialized = materialized;
    if (parallelWorkers !== undefined && Number.isInteger(parallelWorkers)) t.parallelWorkers = parallelWorkers;
    // reltuples is -1 for a table never vacuumed or analyzed (PostgreSQL 14+): no estimate then.
    if (reltuples >= 0) t.rowEstimate = reltuples;
    if (reltuples > 0 && relpages > 0) {
      t.pageEstimate = relpages;
      t.allVisiblePages = Math.min(relallvisible, relpages);
    }
    defaults.set(key, new Map(cols.filter((c) => c.default !== null && c.generated !== 's').map((c) => [c.column!, c.default!])));
  }
  for (const ix of indexes) {
    apply(ix.def);
    const index = schema.tables.get(keyOf(ix.nsp, ix.table))?.indexes.find((i) => i.name === ix.index);
    if (!index) continue;
    index.origin = 'database';
    index.location = undefined;
    index.primary = ix.primary;
    index.constraint = ix.contype !== null;
    index.valid = ix.valid;
    index.stats = { scans: ix.scans === null ? undefined : Number(ix.scans), sizeBytes: Number(ix.size) };
  }
  for (const fk of fks) apply(`ALTER TABLE ${qualified(fk.nsp, fk.table)} ADD CONSTRAINT ${quoteAlways(fk.name)} ${fk.def}`);
  for (const v of views) apply(`CREATE VIEW ${qualified(v.nsp, v.view)} AS ${v.def}`);
  for (const v of schema.views?.values() ?? []) v.location = undefined;
  for (const m of matviews) {
    const t = schema.tables.get(keyOf(m.nsp, m.table));
    try {
      const query = parseStatement(m.def);
      if (t?.materialized && query?.SelectStmt) t.materialized.query = withoutLocations(query);
    } catch (err) {
      problems.push(`${(err as Error).message}: ${m.def}`);
    }
  }
  for (const f of functions) {
    const parallel = PARALLEL_SAFETY[f.parallel];
    if (!parallel) continue;
    const fn: FunctionDef = { name: f.name, schema: f.nsp, args: f.args, parallel, onSearchPath: f.on_path };
    try {
      const created = f.def ? parseStatement(f.def)?.CreateFunctionStmt : undefined;
      const inlined = created && functionFromCreate(created)?.inlinedCalls;
      if (inlined) fn.inlinedCalls = inlined;
    } catch {
      // A body that does not parse is not inlined here: the function's own label counts.
    }
    (schema.functions ??= new Map()).set(f.name, [...(schema.functions.get(f.name) ?? []), fn]);
  }
  for (const s of stats) {
    const col = schema.tables.get(keyOf(s.nsp, s.table))?.columns.get(s.column);
    if (!col) continue;
    const st: ColumnStats = { nullFrac: Number(s.null_frac), nDistinct: Number(s.n_distinct) };
    if (s.mcv && s.mcf) {
      st.mostCommonValues = s.mcv;
      st.mostCommonFreqs = s.mcf.map(Number);
    }
    if (s.hist && s.hist.length >= 2) st.histogramBounds = s.hist;
    if (s.corr !== null) st.correlation = Number(s.corr);
    col.stats = st;
  }
  for (const t of schema.tables.values()) {
    t.location = undefined;
    for (const c of t.columns.values()) c.location = undefined;
    for (const f of t.foreignKeys) f.location = undefined;
  }
  const c = clock[0];
  if (c.collation) schema.collation = c.collation;
  return {
    schema,
    target,
    serverVersion,
    readAt: new Date(c.now),
    statsSince: new Date(c.stats_reset ?? c.started),
    statsSinceSource: c.stats_reset ? 'stats_reset' : 'server start',
    defaults,
    problems,
    server,
    planner,
    statements,
  };
}

/**
 * The live schema as the workspace's index set: every table, column and index comes from the
 * database; each one the workspace also declares keeps the workspace's location (its migration
 * statement or schema.prisma attribute, so findings and fixes land where people edit), and an index
 * only the database has points at its table's declaration. Prisma's mapping comes from the workspace.
 */
export function overlayLiveSchema(live: LiveSchema, workspace: SchemaModel): SchemaModel {
  const tables = new Map<string, TableDef>();
  for (const [name, t] of live.schema.tables) {
    const w = workspace.tables.get(name);
    tables.set(name, {
      ...t,
      model: w?.model ?? t.model,
      location: w?.location,
      // The catalog's materialized view with the query its migration wrote: a REFRESH runs it.
      ...(t.materialized ? { materialized: { ...t.materialized, query: t.materialized.query ?? w?.materialized?.query } } : {}),
      columns: new Map([...t.columns].map(([c, col]) => [c, { ...col, location: w?.columns.get(c)?.location }])),
      indexes: t.indexes.map((i) => {
        const twin = w?.indexes.find((x) => x.name === i.name);
        return { ...i, location: twin?.location ?? w?.location, origin: twin?.origin === 'prisma' ? 'prisma' : i.origin };
      }),
      foreignKeys: [
        ...t.foreignKeys.map((f) => {
          const same = (x: ForeignKeyDef) => sameKeyColumns(x, f);
          const twin = w?.foreignKeys.find((x) => x.name === f.name && same(x)) ?? w?.foreignKeys.find(same);
          return twin?.location ? { ...f, location: twin.location } : f;
        }),
        // Relations Prisma Client emulates (relationMode = "prisma") have no constraint in the catalog.
        ...(w?.foreignKeys.filter((x) => x.emulated && !t.foreignKeys.some((f) => sameKeyColumns(f, x))) ?? []),
      ],
    });
  }
  return {
    tables,
    enums: live.schema.enums,
    prisma: workspace.prisma,
    ...(live.schema.collation ? { collation: live.schema.collation } : {}),
    ...(live.schema.views ? { views: live.schema.views } : {}),
    ...(live.schema.functions ? { functions: live.schema.functions } : {}),
  };
}
