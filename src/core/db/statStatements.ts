/**
 * pg_stat_statements: the statements the server spent its time on, ranked by total and by mean
 * execution time. PostgreSQL 13 renamed the columns (`total_time` → `total_exec_time`,
 * `mean_time` → `mean_exec_time`, …); both are read. The view errors unless the library is in
 * `shared_preload_libraries`, so it is read inside a savepoint and its absence is reported, not thrown.
 */
import { parseSync } from 'libpg-query';
import type { Queryable } from './connection';
import { initSqlParser } from '../sql/parser';

export interface StatStatement {
  queryid: string;
  /** Normalised text as the server keeps it (constants replaced by `$n`). */
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
  rows: number;
  sharedBlksHit: number;
  sharedBlksRead: number;
  /** 1-based rank among the application's statements by total execution time. */
  rankByTotal: number;
  /** 1-based rank by mean execution time. */
  rankByMean: number;
  /** Share of the total execution time of every statement read (0…1). */
  shareOfTotal: number;
}

export interface StatStatements {
  available: boolean;
  /** Why the statistics are unavailable (extension not installed, library not preloaded, no permission). */
  reason?: string;
  /** The extension's version, when installed. */
  version?: string;
  /** When the statistics were last reset (`pg_stat_statements_info`, PostgreSQL 14+). */
  since?: Date;
  /** Application statements, the union of the top by total and by mean time, ordered by total time. */
  statements: StatStatement[];
  /** Execution time of every application statement the view holds, in ms. */
  totalExecMs: number;
}

export interface StatStatementsOptions {
  /** How many statements to keep from each ranking (default 50). */
  top?: number;
}

const UTILITY = /^\s*(BEGIN|COMMIT|ROLLBACK|START|SET|RESET|SHOW|SAVEPOINT|RELEASE|DEALLOCATE|DISCARD|PREPARE|EXECUTE|LISTEN|UNLISTEN|NOTIFY|VACUUM|ANALYZE|EXPLAIN|CREATE|ALTER|DROP|GRANT|REVOKE|COPY|TRUNCATE|LOCK|CHECKPOINT|DO|CALL)\b/i;

/** Names of the relations a statement reads or writes (RangeVar nodes). */
function relationsOf(ast: unknown): { schema?: string; name: string }[] {
  const out: { schema?: string; name: string }[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    if (!n || typeof n !== 'object') return;
    for (const [k, v] of Object.entries(n as Record<string, unknown>)) {
      if (k === 'RangeVar' && v && typeof v === 'object') {
        const r = v as { relname?: string; schemaname?: string };
        if (r.relname) out.push({ schema: r.schemaname, name: r.relname });
      }
      visit(v);
    }
  };
  visit(ast);
  return out;
}

/**
 * Statements that are the application's workload: not utility commands (BEGIN, SET, …), not this
 * product's own catalog reads, not statements reading only system catalogs and views (monitoring,
 * drivers' type lookups), not `SELECT 1` health checks. Needs the SQL parser loaded.
 */
export function isApplicationStatement(query: string): boolean {
  if (UTILITY.test(query) || /pg-index-review/.test(query)) return false;
  let ast: unknown;
  try {
    ast = parseSync(query);
  } catch {
    return true; // unparseable text is still someone's statement
  }
  const rels = relationsOf(ast);
  if (!rels.length) return false;
  return rels.some((r) => !(r.schema === 'pg_catalog' || r.schema === 'information_schema' || (!r.schema && /^pg_/.test(r.name))));
}

/** Reads pg_stat_statements for the current database. Never throws for a missing extension. */
export async function readStatStatements(q: Queryable, serverVersion: number, opts: StatStatementsOptions = {}): Promise<StatStatements> {
  const top = opts.top ?? 50;
  await initSqlParser();
  const ext = await q.query<{ extversion: string; nsp: string }>(
    `SELECT e.extversion, n.nspname AS nsp FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`,
  );
  if (!ext.length) {
    return { available: false, reason: 'the pg_stat_statements extension is not installed in this database (CREATE EXTENSION pg_stat_statements; the library must also be in shared_preload_libraries)', statements: [], totalExecMs: 0 };
  }
  const nsp = `"${ext[0].nsp.replace(/"/g, '""')}"`;
  const exec = serverVersion >= 13 ? { total: 'total_exec_time', mean: 'mean_exec_time', max: 'max_exec_time' } : { total: 'total_time', mean: 'mean_time', max: 'max_time' };
  await q.query('SAVEPOINT pir_stat_statements');
  try {
    const rows = await q.query<{ queryid: string; query: string | null; calls: string; total: number; mean: number; max: number; rows: string; hit: string; read: string }>(
      `WITH s AS (
         SELECT queryid::text AS queryid, query, calls, ${exec.total}::float8 AS total, ${exec.mean}::float8 AS mean, ${exec.max}::float8 AS max,
                rows, shared_blks_hit AS hit, shared_blks_read AS read
           FROM ${nsp}.pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()))
       SELECT * FROM (SELECT * FROM s ORDER BY total DESC LIMIT $1) a
       UNION
       SELECT * FROM (SELECT * FROM s ORDER BY mean DESC LIMIT $1) b`,
      [top * 4],
    );
    const all = await q.query<{ total: number }>(
      `SELECT coalesce(sum(${exec.total}), 0)::float8 AS total FROM ${nsp}.pg_stat_statements WHERE dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())`,
    );
    let since: Date | undefined;
    if (serverVersion >= 14) {
      const info = await q.query<{ stats_reset: Date | null }>(`SELECT stats_reset FROM ${nsp}.pg_stat_statements_info`);
      since = info[0]?.stats_reset ?? undefined;
    }
    await q.query('RELEASE SAVEPOINT pir_stat_statements');
    const hidden = rows.some((r) => r.query === null || r.query === '<insufficient privilege>');
    const app = rows
      .filter((r) => r.query && r.query !== '<insufficient privilege>' && isApplicationStatement(r.query))
      .map((r) => ({
        queryid: r.queryid,
        query: r.query!,
        calls: Number(r.calls),
        totalMs: Number(r.total),
        meanMs: Number(r.mean),
        maxMs: Number(r.max),
        rows: Number(r.rows),
        sharedBlksHit: Number(r.hit),
        sharedBlksRead: Number(r.read),
      }));
    const totalExecMs = Number(all[0]?.total ?? 0);
    const byTotal = [...app].sort((a, b) => b.totalMs - a.totalMs);
    const byMean = [...app].sort((a, b) => b.meanMs - a.meanMs);
    const rankTotal = new Map(byTotal.map((s, i) => [s.queryid, i + 1]));
    const rankMean = new Map(byMean.map((s, i) => [s.queryid, i + 1]));
    const keep = new Set([...byTotal.slice(0, top), ...byMean.slice(0, top)].map((s) => s.queryid));
    const statements = byTotal
      .filter((s) => keep.has(s.queryid))
      .map((s) => ({ ...s, rankByTotal: rankTotal.get(s.queryid)!, rankByMean: rankMean.get(s.queryid)!, shareOfTotal: totalExecMs > 0 ? s.totalMs / totalExecMs : 0 }));
    return {
      available: true,
      version: ext[0].extversion,
      since,
      statements,
      totalExecMs,
      ...(hidden && !statements.length ? { reason: 'query texts are hidden: the role needs pg_read_all_stats to see other users\u2019 statements' } : {}),
    };
  } catch (err) {
    await q.query('ROLLBACK TO SAVEPOINT pir_stat_statements').catch(() => undefined);
    await q.query('RELEASE SAVEPOINT pir_stat_statements').catch(() => undefined);
    const m = (err as Error).message;
    const reason = /shared_preload_libraries/.test(m)
      ? 'pg_stat_statements is installed but not loaded: add it to shared_preload_libraries and restart the server'
      : `pg_stat_statements could not be read: ${m}`;
    return { available: false, reason, version: ext[0].extversion, statements: [], totalExecMs: 0 };
  }
}
