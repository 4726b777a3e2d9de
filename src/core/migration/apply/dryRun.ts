/** What a migration will do to a live database, before it runs: per statement, the lock, the sizes, what exists. */
import type { Queryable } from '../../db/connection';
import { lockEffect, type LockMode } from '../statements';
import type { Step } from './steps';

export interface StepPreview {
  ordinal: number;
  line: number;
  sql: string;
  changed?: string;
  kind: string;
  table?: string;
  lock?: LockMode;
  lockEffect?: string;
  /** Table size (heap + indexes + TOAST) and estimated rows, when the table exists. */
  tableBytes?: number;
  tableRows?: number;
  /** Locks other sessions hold on the table right now (the statement may have to wait for them). */
  heldBy?: string[];
  index?: string;
  /** For CREATE/DROP INDEX: the index as it is now. */
  indexState?: 'absent' | 'valid' | 'invalid';
  indexBytes?: number;
  indexDefinition?: string;
  /** What will happen to it: run, skip (done by an earlier run of this migration). */
  action: 'run' | 'skip';
  note?: string;
}

interface IndexRow {
  index: string;
  table: string;
  valid: boolean;
  bytes: string;
  def: string;
}

/**
 * Catalog reads only (relpages, pg_index), never the relation itself: a dry run must not queue
 * behind a lock another session holds on the table (pg_relation_size would).
 */
export async function indexState(q: Queryable, name: string): Promise<IndexRow | undefined> {
  const rows = await q.query<IndexRow & { oid: string }>(
    `SELECT c.oid::text AS oid, c.relname AS index, t.relname AS table, i.indisvalid AS valid, (c.relpages::bigint * current_setting('block_size')::bigint)::text AS bytes
       FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = $1 AND n.nspname = ANY (current_schemas(false))`,
    [name],
  );
  const row = rows[0];
  if (!row) return undefined;
  // pg_get_indexdef locks the table: with another session holding ACCESS EXCLUSIVE it would wait, so it may fail.
  try {
    row.def = (await q.query<{ def: string }>('SELECT pg_get_indexdef($1::oid) AS def', [row.oid]))[0]?.def ?? '';
  } catch {
    row.def = '';
  }
  return row;
}

export async function tableSize(q: Queryable, table: string): Promise<{ bytes: number; rows: number; heldBy: string[] } | undefined> {
  const rows = await q.query<{ bytes: string; rows: string; held: string[] | null }>(
    `SELECT ((c.relpages + COALESCE(tc.relpages, 0) + COALESCE((SELECT sum(ic.relpages) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = c.oid), 0))::bigint
              * current_setting('block_size')::bigint)::text AS bytes,
            GREATEST(c.reltuples, 0)::bigint::text AS rows,
            (SELECT array_agg(DISTINCT l.mode || ' (pid ' || l.pid || ')') FROM pg_locks l WHERE l.relation = c.oid AND l.granted AND l.pid <> pg_backend_pid()) AS held
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class tc ON tc.oid = c.reltoastrelid
      WHERE c.relname = $1 AND c.relkind IN ('r', 'p') AND n.nspname = ANY (current_schemas(false))`,
    [table],
  );
  return rows[0] ? { bytes: Number(rows[0].bytes), rows: Number(rows[0].rows), heldBy: rows[0].held ?? [] } : undefined;
}

export async function previewSteps(q: Queryable, steps: Step[], resumeFrom: number): Promise<StepPreview[]> {
  const out: StepPreview[] = [];
  for (const s of steps) {
    const p: StepPreview = { ordinal: s.ordinal, line: s.line, sql: s.runAs, changed: s.changed, kind: s.info.kind, action: s.ordinal < resumeFrom ? 'skip' : 'run' };
    if (p.action === 'skip') p.note = 'done by an earlier run of this migration';
    const indexName = s.info.indexNames[0];
    if (indexName) {
      p.index = indexName;
      const st = await indexState(q, indexName);
      p.indexState = st ? (st.valid ? 'valid' : 'invalid') : 'absent';
      if (st) {
        p.indexBytes = Number(st.bytes);
        if (st.def) p.indexDefinition = st.def;
        p.table = st.table;
      }
      if (s.info.kind === 'create-index' && st?.valid) p.note = 'the index already exists: IF NOT EXISTS makes this a no-op';
      if (s.info.kind === 'create-index' && st && !st.valid) p.note = 'an INVALID index with this name exists (a failed build): it is dropped first, then built again';
      if (s.info.kind === 'drop-index' && !st) p.note = s.info.ifExists ? 'the index does not exist: nothing to drop' : 'the index does not exist: the statement will fail';
    }
    const lock = s.info.locks[0];
    p.table ??= lock?.table;
    const concurrentNow = /\bCONCURRENTLY\b/i.test(s.runAs);
    let mode = lock?.mode;
    if (!mode && s.info.kind === 'drop-index' && p.table) mode = concurrentNow ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    if (mode && concurrentNow && (s.info.kind === 'create-index' || s.info.kind === 'drop-index')) mode = 'SHARE UPDATE EXCLUSIVE';
    if (mode) {
      p.lock = mode;
      p.lockEffect = lockEffect(mode);
    }
    if (p.table) {
      const size = await tableSize(q, p.table);
      if (size) {
        p.tableBytes = size.bytes;
        p.tableRows = size.rows;
        if (size.heldBy.length) p.heldBy = size.heldBy;
      }
    }
    out.push(p);
  }
  return out;
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
