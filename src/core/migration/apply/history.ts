/**
 * What `apply` records: `index_review.applied_migrations` (a schema of its own — not `pg_index_review`:
 * PostgreSQL reserves the `pg_` prefix for system schemas and refuses it with 42939), one row per migration
 * with how far it got, so a second run is a no-op and a failed run resumes; and, with `--prisma`,
 * the row `prisma migrate deploy` looks for in `_prisma_migrations`.
 */
import type { Queryable } from '../../db/connection';

export const HISTORY_TABLE = 'index_review.applied_migrations';

export interface AppliedRecord {
  name: string;
  checksum: string;
  status: 'running' | 'failed' | 'applied';
  statements_total: number;
  statements_done: number;
  started_at: Date;
  finished_at: Date | null;
  last_error: string | null;
}

export async function ensureHistory(q: Queryable): Promise<void> {
  await q.query('CREATE SCHEMA IF NOT EXISTS index_review');
  await q.query(`CREATE TABLE IF NOT EXISTS ${HISTORY_TABLE} (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'failed', 'applied')),
  statements_total integer NOT NULL,
  statements_done integer NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  last_error text,
  applied_by text NOT NULL DEFAULT current_user,
  tool_version text
)`);
}

/** The record, or undefined (also when the history table does not exist yet). */
export async function readRecord(q: Queryable, name: string): Promise<AppliedRecord | undefined> {
  const exists = await q.query<{ t: string | null }>(`SELECT to_regclass('${HISTORY_TABLE}')::text AS t`);
  if (!exists[0]?.t) return undefined;
  const rows = await q.query<AppliedRecord>(`SELECT name, checksum, status, statements_total, statements_done, started_at, finished_at, last_error FROM ${HISTORY_TABLE} WHERE name = $1`, [name]);
  return rows[0];
}

export async function markRunning(q: Queryable, name: string, checksum: string, total: number, done: number, version: string): Promise<void> {
  await q.query(
    `INSERT INTO ${HISTORY_TABLE} (name, checksum, status, statements_total, statements_done, tool_version) VALUES ($1, $2, 'running', $3, $4, $5)
     ON CONFLICT (name) DO UPDATE SET checksum = $2, status = 'running', statements_total = $3, statements_done = $4, started_at = now(), finished_at = NULL, last_error = NULL, tool_version = $5`,
    [name, checksum, total, done, version],
  );
}

export async function markProgress(q: Queryable, name: string, done: number): Promise<void> {
  await q.query(`UPDATE ${HISTORY_TABLE} SET statements_done = $2 WHERE name = $1`, [name, done]);
}

export async function markFinished(q: Queryable, name: string, status: 'failed' | 'applied', done: number, error?: string): Promise<void> {
  await q.query(`UPDATE ${HISTORY_TABLE} SET status = $2, statements_done = $3, finished_at = CASE WHEN $2 = 'applied' THEN now() ELSE NULL END, last_error = $4 WHERE name = $1`, [name, status, done, error ?? null]);
}

/** Prisma's migrations table, as `prisma migrate` creates it. */
const PRISMA_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export async function prismaApplied(q: Queryable, name: string): Promise<boolean> {
  const exists = await q.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  if (!exists[0]?.t) return false;
  const rows = await q.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`, [name]);
  return rows.length > 0;
}

/** Records the migration the way `prisma migrate deploy` would have: checksum = SHA-256 of migration.sql. */
export async function recordPrisma(q: Queryable, name: string, checksum: string): Promise<void> {
  await q.query(PRISMA_TABLE);
  await q.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count) VALUES (gen_random_uuid()::text, $1, now(), $2, NULL, now(), 1)`,
    [checksum, name],
  );
}
