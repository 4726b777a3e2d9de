/**
 * A database built from a workspace: its migrations applied in order, every table filled with
 * synthetic rows (dataGenerator.ts), then ANALYZE. The embedded database is built this way; tests and
 * the plan-agreement benchmark build a throwaway PostgreSQL server the same way, so both hold the same
 * data for the same row counts and seed.
 */
import type { Session } from '../connection';
import { loadLiveSchema, type LiveSchema } from '../liveSchema';
import { fillTables } from './dataGenerator';
import type { MigrationFile } from '../../schema/migrations/loadMigrations';
import { sortMigrations } from '../../schema/migrations/loadMigrations';
import { initSqlParser } from '../../sql/parser';
import { parseMigrationText } from '../../schema/migrations/runner';

/**
 * Row counts: the configured ones (`rows`, `--rows`; `defaultRows` for the others) × DEFAULT_SCALE,
 * but at least DEFAULT_MIN_ROWS a table (or the configured count when smaller). 1/100 keeps the sample
 * at ~155k rows (seconds to build, ~0.5 GB in PGlite) while its large tables keep 10k–100k rows, enough
 * for index scans to win where they win in production; small tables keep their real size, where the
 * planner is most sensitive to it. On the sample, the embedded database then picks the same access
 * paths as PostgreSQL 15 on the same rows (bench/planAgreement.ts).
 */
export const DEFAULT_SCALE = 1 / 100;
export const DEFAULT_MIN_ROWS = 1_000;

export interface SeedOptions {
  /** Configured row counts per table (production scale); they are multiplied by `scale`. */
  rows?: Record<string, number>;
  /** Rows for a table with no configured count (production scale). */
  defaultRows?: number;
  /** Share of the configured rows to generate (default 1/100). */
  scale?: number;
  /** Fewest rows per table after scaling (default 1000, never more than configured). */
  minRows?: number;
  seed?: number;
}

export interface SeedResult {
  /** The schema as the catalog has it afterwards. */
  live: LiveSchema;
  /** Rows generated per table. */
  rows: Map<string, number>;
  /** Migration statements that failed, tables that could not be filled (fully). */
  problems: string[];
  timings: { schemaMs: number; dataMs: number; analyzeMs: number };
}

/** Row counts after scaling: configured × scale, at least minRows (or the configured count when smaller). */
export function scaledRows(tables: Iterable<string>, opts: SeedOptions): Record<string, number> {
  const scale = opts.scale ?? DEFAULT_SCALE;
  const min = opts.minRows ?? DEFAULT_MIN_ROWS;
  const out: Record<string, number> = {};
  for (const t of tables) {
    const configured = opts.rows?.[t] ?? opts.defaultRows ?? 10_000;
    out[t] = Math.max(Math.min(min, configured), Math.round(configured * scale));
  }
  return out;
}

export function scaleText(scale: number): string {
  return scale >= 1 ? '1×' : `1/${Math.round(1 / scale)}`;
}

/**
 * Applies the migrations statement by statement (a failing one is reported, the rest still run) on a
 * write session (`readOnly: false`, superuser for the fast load) over an empty database, then fills it.
 */
export async function seedDatabase(session: Session, migrations: MigrationFile[], opts: SeedOptions = {}): Promise<SeedResult> {
  await initSqlParser();
  const problems: string[] = [];
  const t1 = Date.now();
  for (const m of sortMigrations(migrations)) {
    for (const stmt of parseMigrationText(m.file, m.text)) {
      if (!stmt.ast) continue;
      try {
        await session.query(stmt.text);
      } catch (err) {
        // CREATE INDEX CONCURRENTLY can't run everywhere (PGlite); the plain build gives the same index.
        const plain = stmt.text.replace(/\bCONCURRENTLY\b/i, '');
        const retried = plain !== stmt.text && (await session.query(plain).then(() => true, () => false));
        if (!retried) problems.push(`${m.file}: ${(err as Error).message} (${stmt.text.slice(0, 80).replace(/\s+/g, ' ')}…)`);
      }
    }
  }
  // The catalog, read the way a live database is read, gives normalised types and the column defaults.
  const before = await loadLiveSchema(session);
  const schemaMs = Date.now() - t1;
  const t2 = Date.now();
  const filled = await session.exclusive((q) =>
    fillTables(q, before.schema, {
      rows: scaledRows(before.schema.tables.keys(), opts),
      defaultRows: opts.minRows ?? DEFAULT_MIN_ROWS,
      defaults: before.defaults,
      seed: opts.seed,
      skipForeignKeyChecks: true,
    }),
  );
  problems.push(...filled.problems);
  const dataMs = Date.now() - t2;
  const t3 = Date.now();
  await session.query('ANALYZE');
  const analyzeMs = Date.now() - t3;
  return { live: await loadLiveSchema(session), rows: filled.rows, problems, timings: { schemaMs, dataMs, analyzeMs } };
}
