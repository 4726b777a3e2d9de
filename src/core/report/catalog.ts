/**
 * What the index health report reads from the catalog and the statistics views, in the session's
 * READ ONLY transaction: per table and index sizes and usage counters, vacuum/analyze history,
 * estimated bloat, and the server's connections. Every query is tagged `pg-index-review` so the
 * slow-query list (pg_stat_statements) leaves the product's own reads out.
 *
 * Bloat is estimated the way ioguix/pgsql-bloat-estimation does (the queries behind check_pgactivity
 * and most monitoring dashboards): from pg_stats' average column widths and NULL fractions it computes
 * the size a tuple needs (header, null bitmap, MAXALIGN padding of header and data), hence the pages
 * the table (or B-tree index, with its 16-byte page opaque data and per-item line pointers) would need
 * at its fillfactor, and compares that with relpages. No table is read, so it is cheap on any size.
 * Its limits, stated in the README: it needs fresh statistics (ANALYZE), it cannot see the padding
 * between columns of different alignment (reported as bloat: up to ~10–20% on narrow, mixed-type
 * tables), it ignores B-tree deduplication (PostgreSQL 13+; duplicate-heavy indexes then look
 * smaller than "needed", estimated bloat clamps at 0), and relations of a few pages always look
 * bloated (one half-full page is 50%). Ratios below are only shown for relations of at least
 * `BLOAT_MIN_PAGES` pages.
 */
import { normalizeSync } from 'libpg-query';
import type { Queryable } from '../db/connection';

export const TAG = '/* pg-index-review */';
/** Relations smaller than this many pages get no bloat ratio (one partly filled page is most of them). */
export const BLOAT_MIN_PAGES = 10;

const IN_PATH = `n.nspname = ANY (pg_catalog.current_schemas(false))`;
const NOT_EXTENSION = (oid: string) => `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.objid = ${oid} AND d.deptype = 'e')`;

export interface TableStatsRow {
  schema: string;
  table: string;
  reltuples: number;
  relpages: number;
  tableBytes: number;
  indexBytes: number;
  totalBytes: number;
  seqScans: number;
  seqTupRead: number;
  idxScans: number;
  idxTupFetch: number;
  liveTuples: number;
  deadTuples: number;
  modSinceAnalyze: number;
  inserts: number;
  updates: number;
  deletes: number;
  hotUpdates: number;
  lastVacuum?: Date;
  lastAutovacuum?: Date;
  lastAnalyze?: Date;
  lastAutoanalyze?: Date;
  vacuumCount: number;
  autovacuumCount: number;
  analyzeCount: number;
  autoanalyzeCount: number;
}

export interface IndexStatsRow {
  schema: string;
  table: string;
  index: string;
  method: string;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  definition: string;
  bytes: number;
  relpages: number;
  scans: number;
  tupRead: number;
  tupFetch: number;
  /** PostgreSQL 16+: pg_stat_user_indexes.last_idx_scan. */
  lastScan?: Date;
}

export interface BloatEstimate {
  schema: string;
  table: string;
  /** For a B-tree index. */
  index?: string;
  realBytes: number;
  /** Space beyond what the rows need at the relation's fillfactor. */
  bloatBytes: number;
  /** bloatBytes / realBytes, 0…1; undefined for relations under BLOAT_MIN_PAGES pages. */
  ratio?: number;
  fillfactor: number;
  /** Statistics the method cannot use (a `name` column) or missing (never analyzed): do not trust it. */
  unreliable: boolean;
}

export interface SessionRow {
  pid: number;
  database?: string;
  user?: string;
  application: string;
  clientAddr?: string;
  state: string;
  waitEvent?: string;
  backendStart?: Date;
  xactStart?: Date;
  queryStart?: Date;
  stateChange?: Date;
  /** Normalised (constants replaced by $n) and shortened. */
  query?: string;
  own: boolean;
}

export interface CatalogStats {
  now: Date;
  tables: TableStatsRow[];
  indexes: IndexStatsRow[];
  tableBloat: BloatEstimate[];
  indexBloat: BloatEstimate[];
  sessions: SessionRow[];
  /** Problems reading optional parts (bloat, sessions) — the rest of the report still stands. */
  problems: string[];
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const d = (v: unknown): Date | undefined => (v === null || v === undefined ? undefined : new Date(v as string));

export async function readCatalogStats(q: Queryable, serverVersion: number): Promise<CatalogStats> {
  const problems: string[] = [];
  const now = (await q.query<{ now: Date }>(`${TAG} SELECT now() AS now`))[0].now;
  const tables = (
    await q.query<Record<string, unknown>>(
      `${TAG} SELECT n.nspname AS schema, c.relname AS table, c.reltuples::float8 AS reltuples, c.relpages,
              pg_catalog.pg_table_size(c.oid) AS table_bytes, pg_catalog.pg_indexes_size(c.oid) AS index_bytes, pg_catalog.pg_total_relation_size(c.oid) AS total_bytes,
              s.seq_scan, s.seq_tup_read, s.idx_scan, s.idx_tup_fetch, s.n_live_tup, s.n_dead_tup, s.n_mod_since_analyze,
              s.n_tup_ins, s.n_tup_upd, s.n_tup_del, s.n_tup_hot_upd,
              s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze, s.vacuum_count, s.autovacuum_count, s.analyze_count, s.autoanalyze_count
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_catalog.pg_stat_user_tables s ON s.relid = c.oid
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${IN_PATH} AND ${NOT_EXTENSION('c.oid')}
        ORDER BY pg_catalog.pg_total_relation_size(c.oid) DESC, c.relname`,
    )
  ).map(
    (r): TableStatsRow => ({
      schema: String(r.schema),
      table: String(r.table),
      reltuples: n(r.reltuples),
      relpages: n(r.relpages),
      tableBytes: n(r.table_bytes),
      indexBytes: n(r.index_bytes),
      totalBytes: n(r.total_bytes),
      seqScans: n(r.seq_scan),
      seqTupRead: n(r.seq_tup_read),
      idxScans: n(r.idx_scan),
      idxTupFetch: n(r.idx_tup_fetch),
      liveTuples: n(r.n_live_tup),
      deadTuples: n(r.n_dead_tup),
      modSinceAnalyze: n(r.n_mod_since_analyze),
      inserts: n(r.n_tup_ins),
      updates: n(r.n_tup_upd),
      deletes: n(r.n_tup_del),
      hotUpdates: n(r.n_tup_hot_upd),
      lastVacuum: d(r.last_vacuum),
      lastAutovacuum: d(r.last_autovacuum),
      lastAnalyze: d(r.last_analyze),
      lastAutoanalyze: d(r.last_autoanalyze),
      vacuumCount: n(r.vacuum_count),
      autovacuumCount: n(r.autovacuum_count),
      analyzeCount: n(r.analyze_count),
      autoanalyzeCount: n(r.autoanalyze_count),
    }),
  );
  const indexes = (
    await q.query<Record<string, unknown>>(
      `${TAG} SELECT n.nspname AS schema, ct.relname AS table, ci.relname AS index, am.amname AS method, i.indisunique AS unique, i.indisprimary AS primary,
              i.indisvalid AS valid, pg_catalog.pg_get_indexdef(i.indexrelid) AS definition, pg_catalog.pg_relation_size(i.indexrelid) AS bytes, ci.relpages,
              s.idx_scan, s.idx_tup_read, s.idx_tup_fetch${serverVersion >= 16 ? ', s.last_idx_scan' : ''}
         FROM pg_catalog.pg_index i
         JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid
         JOIN pg_catalog.pg_class ct ON ct.oid = i.indrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = ct.relnamespace
         JOIN pg_catalog.pg_am am ON am.oid = ci.relam
         LEFT JOIN pg_catalog.pg_stat_user_indexes s ON s.indexrelid = i.indexrelid
        WHERE ct.relkind IN ('r', 'p') AND NOT ct.relispartition AND ${IN_PATH} AND ${NOT_EXTENSION('ct.oid')}
        ORDER BY ct.relname, ci.relname`,
    )
  ).map(
    (r): IndexStatsRow => ({
      schema: String(r.schema),
      table: String(r.table),
      index: String(r.index),
      method: String(r.method),
      unique: !!r.unique,
      primary: !!r.primary,
      valid: !!r.valid,
      definition: String(r.definition),
      bytes: n(r.bytes),
      relpages: n(r.relpages),
      scans: n(r.idx_scan),
      tupRead: n(r.idx_tup_read),
      tupFetch: n(r.idx_tup_fetch),
      lastScan: d(r.last_idx_scan),
    }),
  );
  const tableBloat = await optional(q, 'table bloat', problems, () => readTableBloat(q));
  const indexBloat = await optional(q, 'index bloat', problems, () => readIndexBloat(q));
  const sessions = await optional(q, 'sessions', problems, () => readSessions(q));
  return { now: new Date(now), tables, indexes, tableBloat, indexBloat, sessions, problems };
}

/** Runs an optional part inside a savepoint: a failure (permissions, an odd catalog) costs that part only. */
async function optional<T>(q: Queryable, what: string, problems: string[], fn: () => Promise<T[]>): Promise<T[]> {
  await q.query('SAVEPOINT pir_report');
  try {
    const r = await fn();
    await q.query('RELEASE SAVEPOINT pir_report');
    return r;
  } catch (err) {
    await q.query('ROLLBACK TO SAVEPOINT pir_report');
    await q.query('RELEASE SAVEPOINT pir_report');
    problems.push(`${what}: ${(err as Error).message}`);
    return [];
  }
}

/**
 * Table bloat (ioguix method): expected pages = ceil(reltuples / floor((block − page header) ×
 * fillfactor / (tuple size × 100))) + toast pages estimate, tuple size = item pointer (4) + tuple
 * header (23 + null bitmap) + data (Σ (1 − null_frac) × avg_width), each padded to MAXALIGN.
 */
async function readTableBloat(q: Queryable): Promise<BloatEstimate[]> {
  const rows = await q.query<Record<string, unknown>>(
    `${TAG} WITH cols AS (
       SELECT c.oid, n.nspname AS schema, c.relname AS table, c.reltuples, c.relpages, coalesce(t.relpages, 0) AS toastpages, coalesce(t.reltuples, 0) AS toasttuples,
              coalesce(substring(array_to_string(c.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::int, 100) AS fillfactor,
              current_setting('block_size')::numeric AS bs,
              CASE WHEN version() ~ 'mingw32|64-bit|x86_64|ppc64|ia64|amd64|aarch64|arm64' THEN 8 ELSE 4 END AS ma,
              24 AS page_hdr,
              23 + CASE WHEN max(coalesce(s.null_frac, 0)) > 0 THEN (7 + count(*)) / 8 ELSE 0 END AS tpl_hdr_size,
              sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 1024)) AS tpl_data_size,
              bool_or(a.atttypid = 'pg_catalog.name'::regtype) OR count(s.attname) < count(*) AS unreliable
         FROM pg_catalog.pg_attribute a
         JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_catalog.pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname AND NOT s.inherited
         LEFT JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid
        WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind = 'r' AND ${IN_PATH} AND ${NOT_EXTENSION('c.oid')}
        GROUP BY c.oid, n.nspname, c.relname, c.reltuples, c.relpages, t.relpages, t.reltuples, c.reloptions),
     sized AS (
       SELECT *, (4 + tpl_hdr_size + tpl_data_size + (2 * ma)
                  - CASE WHEN tpl_hdr_size % ma = 0 THEN ma ELSE tpl_hdr_size % ma END
                  - CASE WHEN ceil(tpl_data_size)::int % ma = 0 THEN ma ELSE ceil(tpl_data_size)::int % ma END) AS tpl_size
         FROM cols)
     SELECT schema, "table", bs * (relpages + toastpages) AS real_bytes, relpages + toastpages AS pages, fillfactor, unreliable OR reltuples < 0 AS unreliable,
            greatest(0, (relpages + toastpages) - (ceil(greatest(reltuples, 0) / ((bs - page_hdr) * fillfactor / (tpl_size * 100))) + ceil(toasttuples / 4))) * bs AS bloat_bytes
       FROM sized`,
  );
  return rows.map((r) => bloatRow(r));
}

/**
 * B-tree bloat (ioguix method): expected pages = 1 + ceil(reltuples / floor((block − page header −
 * 16 bytes of B-tree opaque data) × fillfactor / (100 × (4 + index tuple size)))), index tuple size =
 * 8-byte IndexTupleData (+ null bitmap) + Σ key widths, each padded to MAXALIGN; default fillfactor 90.
 */
async function readIndexBloat(q: Queryable): Promise<BloatEstimate[]> {
  const rows = await q.query<Record<string, unknown>>(
    `${TAG} WITH idx AS (
       SELECT ci.oid AS idxoid, ci.relname AS index, ct.relname AS "table", n.nspname AS schema, ci.reltuples, ci.relpages, i.indrelid, i.indnatts,
              coalesce(substring(array_to_string(ci.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::int, 90) AS fillfactor,
              string_to_array(textin(int2vectorout(i.indkey)), ' ')::int[] AS indkey
         FROM pg_catalog.pg_index i
         JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid
         JOIN pg_catalog.pg_class ct ON ct.oid = i.indrelid
         JOIN pg_catalog.pg_namespace n ON n.oid = ct.relnamespace
        WHERE ci.relam = (SELECT oid FROM pg_catalog.pg_am WHERE amname = 'btree') AND ci.relpages > 0 AND ${IN_PATH} AND ${NOT_EXTENSION('ct.oid')}),
     keys AS (
       SELECT idx.*, k.attpos,
              coalesce(a1.attname, a2.attname) AS attname, coalesce(a1.atttypid, a2.atttypid) AS atttypid,
              CASE WHEN a1.attnum IS NULL THEN idx.index ELSE idx."table" END AS statrel
         FROM idx CROSS JOIN LATERAL generate_series(1, idx.indnatts) AS k(attpos)
         LEFT JOIN pg_catalog.pg_attribute a1 ON idx.indkey[k.attpos] <> 0 AND a1.attrelid = idx.indrelid AND a1.attnum = idx.indkey[k.attpos]
         LEFT JOIN pg_catalog.pg_attribute a2 ON idx.indkey[k.attpos] = 0 AND a2.attrelid = idx.idxoid AND a2.attnum = k.attpos),
     widths AS (
       SELECT keys.schema, keys."table", keys.index, keys.reltuples, keys.relpages, keys.fillfactor,
              current_setting('block_size')::numeric AS bs,
              CASE WHEN version() ~ 'mingw32|64-bit|x86_64|ppc64|ia64|amd64|aarch64|arm64' THEN 8 ELSE 4 END AS maxalign,
              24 AS pagehdr, 16 AS pageopqdata,
              CASE WHEN max(coalesce(s.null_frac, 0)) = 0 THEN 8 ELSE 8 + ((32 + 8 - 1) / 8) END AS index_tuple_hdr_bm,
              sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 1024)) AS nulldatawidth,
              bool_or(keys.atttypid = 'pg_catalog.name'::regtype) OR count(s.attname) < count(*) AS unreliable
         FROM keys
         LEFT JOIN pg_catalog.pg_stats s ON s.schemaname = keys.schema AND s.tablename = keys.statrel AND s.attname = keys.attname
        GROUP BY 1, 2, 3, 4, 5, 6),
     sized AS (
       SELECT *, (index_tuple_hdr_bm + maxalign - CASE WHEN index_tuple_hdr_bm % maxalign = 0 THEN maxalign ELSE index_tuple_hdr_bm % maxalign END
                  + nulldatawidth + maxalign - CASE WHEN nulldatawidth = 0 THEN 0 WHEN nulldatawidth::int % maxalign = 0 THEN maxalign ELSE nulldatawidth::int % maxalign END)::numeric AS nulldatahdrwidth
         FROM widths)
     SELECT schema, "table", index, bs * relpages AS real_bytes, relpages AS pages, fillfactor, unreliable OR reltuples < 0 AS unreliable,
            greatest(0, relpages - coalesce(1 + ceil(greatest(reltuples, 0) / floor((bs - pageopqdata - pagehdr) * fillfactor / (100 * (4 + nulldatahdrwidth)::float))), 0)) * bs AS bloat_bytes
       FROM sized`,
  );
  return rows.map((r) => bloatRow(r));
}

function bloatRow(r: Record<string, unknown>): BloatEstimate {
  const real = n(r.real_bytes);
  const bloat = Math.min(real, n(r.bloat_bytes));
  return {
    schema: String(r.schema),
    table: String(r.table),
    ...(r.index !== undefined ? { index: String(r.index) } : {}),
    realBytes: real,
    bloatBytes: bloat,
    ratio: n(r.pages) >= BLOAT_MIN_PAGES && real > 0 ? bloat / real : undefined,
    fillfactor: n(r.fillfactor),
    unreliable: !!r.unreliable,
  };
}

function normalizedQuery(q: string | null): string | undefined {
  if (!q) return undefined;
  let text = q;
  try {
    text = normalizeSync(q);
  } catch {
    // a truncated or odd text: hide quoted literals anyway
    text = q.replace(/'(?:[^']|'')*'/g, "'…'");
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

async function readSessions(q: Queryable): Promise<SessionRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `${TAG} SELECT pid, datname, usename, application_name, client_addr::text AS client_addr, coalesce(state, 'unknown') AS state,
            CASE WHEN wait_event IS NOT NULL THEN wait_event_type || ':' || wait_event END AS wait_event,
            backend_start, xact_start, query_start, state_change, left(query, 4000) AS query, pid = pg_backend_pid() AS own
       FROM pg_catalog.pg_stat_activity
      WHERE backend_type = 'client backend'
      ORDER BY backend_start`,
  );
  return rows.map((r) => ({
    pid: n(r.pid),
    database: (r.datname as string | null) ?? undefined,
    user: (r.usename as string | null) ?? undefined,
    application: String(r.application_name ?? ''),
    clientAddr: (r.client_addr as string | null) ?? undefined,
    state: String(r.state),
    waitEvent: (r.wait_event as string | null) ?? undefined,
    backendStart: d(r.backend_start),
    xactStart: d(r.xact_start),
    queryStart: d(r.query_start),
    stateChange: d(r.state_change),
    query: r.query === '<insufficient privilege>' ? undefined : normalizedQuery(r.query as string | null),
    own: !!r.own,
  }));
}
