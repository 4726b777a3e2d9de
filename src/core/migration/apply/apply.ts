/**
 * Applies a migration file to a live database without locking production tables or leaving it
 * half-changed — the code behind `pg-index-review apply` and the editor's "Apply optimization
 * migration":
 *
 * - refuses production-looking targets unless the database name is confirmed again;
 * - previews every statement (lock, sizes, whether the index exists) before running anything;
 * - runs statements one at a time outside a transaction block (CONCURRENTLY added to index
 *   statements that lack it), with lock_timeout and statement_timeout, reporting
 *   `pg_stat_progress_create_index` while an index builds;
 * - on failure or cancel stops, drops the INVALID indexes a failed CONCURRENTLY build left,
 *   and says exactly which statements ran;
 * - records its progress in `index_review.applied_migrations`: a second run is a no-op, a run
 *   after a failure resumes where the first stopped (dropping an INVALID leftover first).
 */
import { type DatabaseError, openSession, type Queryable, redact, type Session } from '../../db/connection';
import { lintMigrationHistory } from '../lint';
import { quoteAlways } from '../../sql/identifiers';
import { previewSteps, type StepPreview } from './dryRun';
import { ensureHistory, markFinished, markProgress, markRunning, prismaApplied, readRecord, recordPrisma } from './history';
import { migrationSteps, type Step } from './steps';
import { checkTarget, parseDuration, refusal, type TargetCheck } from './target';

export interface ApplyOptions {
  /** Path of the migration file (its name identifies the migration: the folder of a migration.sql). */
  file: string;
  text: string;
  url: string;
  /** Overrides the migration's name. */
  name?: string;
  /** Only preview; change nothing. */
  dryRun?: boolean;
  /** Databases (names, or host/name) that may be changed without confirmation even if they look like production. */
  allowedDatabases?: string[];
  /** The database name, typed again, for a production-looking target. */
  confirm?: string;
  /** Default 5 s. */
  lockTimeoutMs?: number;
  /** Default 1 h; a larger `SET statement_timeout` in the file raises it. */
  statementTimeoutMs?: number;
  /** Also record the migration in Prisma's `_prisma_migrations` (as `prisma migrate deploy` would). */
  prisma?: boolean;
  /** Add CONCURRENTLY to CREATE/DROP INDEX outside transaction blocks (default true). */
  addConcurrently?: boolean;
  /** Start again from the first statement even if an earlier run of a different version of the file stopped half-way. */
  restart?: boolean;
  signal?: AbortSignal;
  onEvent?: (e: ApplyEvent) => void;
  /** How often to poll pg_stat_progress_create_index (default 1000 ms). */
  pollMs?: number;
  toolVersion?: string;
}

export interface BuildProgress {
  phase: string;
  blocksDone: number;
  blocksTotal: number;
  tuplesDone: number;
  tuplesTotal: number;
  lockersDone: number;
  lockersTotal: number;
}

export type ApplyEvent =
  | { type: 'preview'; steps: StepPreview[]; target: string }
  | { type: 'start'; total: number; resumeFrom: number }
  | { type: 'step-start'; step: Step }
  | { type: 'progress'; step: Step; progress: BuildProgress }
  | { type: 'step-done'; step: Step; ms: number }
  | { type: 'cleanup'; index: string; dropped: boolean; error?: string };

export type StepStatus = 'done' | 'done-earlier' | 'failed' | 'rolled-back' | 'not-run';

export interface StepReport {
  ordinal: number;
  line: number;
  sql: string;
  status: StepStatus;
  ms?: number;
}

export interface ApplyResult {
  status: 'applied' | 'already-applied' | 'dry-run' | 'failed' | 'cancelled' | 'refused';
  migration: string;
  checksum: string;
  target: string;
  check?: TargetCheck;
  preview?: StepPreview[];
  steps: StepReport[];
  /** Statements completed (and committed) once this run ended, counting earlier runs. */
  done: number;
  resumedFrom: number;
  error?: { message: string; code?: string; ordinal?: number; line?: number };
  /** INVALID indexes found after a failure: dropped, or left (with why). */
  invalidIndexes: { name: string; dropped: boolean; error?: string }[];
  message: string;
}

const TEN_YEARS_MS = 10 * 365 * 86_400_000;

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}/${decodeURIComponent(u.pathname.slice(1)) || 'postgres'}`;
  } catch {
    return redact(url);
  }
}

async function invalidIndexes(q: Queryable): Promise<Set<string>> {
  const rows = await q.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT i.indisvalid AND n.nspname = ANY (current_schemas(false))`,
  );
  return new Set(rows.map((r) => r.name));
}

async function poll(side: Session, pid: number): Promise<BuildProgress | undefined> {
  const rows = await side.query<Record<string, string>>(
    `SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total, lockers_done, lockers_total FROM pg_stat_progress_create_index WHERE pid = $1`,
    [pid],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    phase: r.phase,
    blocksDone: Number(r.blocks_done),
    blocksTotal: Number(r.blocks_total),
    tuplesDone: Number(r.tuples_done),
    tuplesTotal: Number(r.tuples_total),
    lockersDone: Number(r.lockers_done),
    lockersTotal: Number(r.lockers_total),
  };
}

export async function applyMigration(opts: ApplyOptions): Promise<ApplyResult> {
  const emit = opts.onEvent ?? (() => undefined);
  const parsed = migrationSteps(opts.file, opts.text, { addConcurrently: opts.addConcurrently, name: opts.name });
  const { steps, name, checksum } = parsed;
  const target = describeUrl(opts.url);
  const base: ApplyResult = { status: 'refused', migration: name, checksum, target, steps: steps.map((s) => ({ ordinal: s.ordinal, line: s.line, sql: s.runAs, status: 'not-run' })), done: 0, resumedFrom: 0, invalidIndexes: [], message: '' };

  // Refuse what cannot work before connecting: syntax errors, statements PostgreSQL rejects in the file's own transaction blocks.
  const blocking = lintMigrationHistory([{ file: opts.file, text: opts.text }], { runner: 'statements' }).findings.filter((f) => f.rule === 'cannot-run-in-transaction');
  const problems = [...parsed.problems, ...blocking.map((f) => `line ${f.range.start.line + 1}: ${f.message}`)];
  if (problems.length) return { ...base, message: `not applied: ${problems.join('; ')}` };

  const check = checkTarget(opts.url, opts.allowedDatabases);
  base.check = check;
  const refused = refusal(check, opts.confirm);
  if (refused && !opts.dryRun) return { ...base, message: `refused: ${refused}` };

  // Where a previous run got to, and the preview.
  let resumeFrom = 0;
  // A short lock_timeout: the preview reads catalogs, and must not queue behind another session's lock.
  const read = await openSession(opts.url, { readOnly: true, lockTimeoutMs: 200 });
  try {
    const rec = await readRecord(read, name);
    if (opts.prisma && (await prismaApplied(read, name))) return { ...base, status: 'already-applied', message: `${name} is already recorded as applied in _prisma_migrations: nothing to do` };
    if (rec?.status === 'applied') {
      if (rec.checksum === checksum) return { ...base, status: 'already-applied', done: steps.length, steps: base.steps.map((s) => ({ ...s, status: 'done-earlier' })), message: `${name} was applied on ${new Date(rec.finished_at ?? rec.started_at).toISOString()}: nothing to do` };
      return { ...base, message: `refused: ${name} was applied with a different content (checksum ${rec.checksum.slice(0, 12)}…, the file now has ${checksum.slice(0, 12)}…): write a new migration instead of editing an applied one` };
    }
    if (rec && rec.statements_done > 0) {
      if (rec.checksum !== checksum && !opts.restart) return { ...base, message: `refused: an earlier run of ${name} stopped after ${rec.statements_done} statements, and the file has changed since: re-run with restart to start from the first statement` };
      resumeFrom = opts.restart ? 0 : rec.statements_done;
    }
    base.preview = await previewSteps(read, steps, resumeFrom);
    emit({ type: 'preview', steps: base.preview, target });
  } catch (err) {
    const e = err as DatabaseError;
    return { ...base, status: 'failed', error: { message: redact(e.message ?? String(err), opts.url), code: e.code }, message: `nothing applied: could not read ${target}: ${redact(e.message ?? String(err), opts.url)}` };
  } finally {
    await read.close();
  }
  base.resumedFrom = resumeFrom;
  if (opts.dryRun) return { ...base, status: 'dry-run', message: refused ? `dry run only; applying would be refused: ${refused}` : `dry run: ${steps.length - resumeFrom} statement${steps.length - resumeFrom === 1 ? '' : 's'} would run${resumeFrom ? ` (resuming after statement ${resumeFrom})` : ''}` };

  // The run.
  const fileTimeouts = steps.filter((s) => s.info.kind === 'set' && s.info.setting?.name === 'statement_timeout').map((s) => parseDuration(s.info.setting?.value) ?? 0);
  const statementTimeoutMs = Math.max(opts.statementTimeoutMs ?? 3_600_000, ...fileTimeouts.map((t) => (t === 0 ? TEN_YEARS_MS : t)));
  const lockTimeoutMs = opts.lockTimeoutMs ?? 5_000;
  const main = await openSession(opts.url, { readOnly: false, statementTimeoutMs, lockTimeoutMs });
  let side: Session | undefined;
  const report = base.steps;
  let done = resumeFrom;
  let blockStart: number | undefined;
  let current: Step | undefined;
  let pid = 0;
  let invalidBefore = new Set<string>();
  const onAbort = () => {
    if (side && pid) side.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
  };
  try {
    const lock = await main.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`pg-index-review:${name}`]);
    if (!lock[0]?.ok) return { ...base, message: `refused: another pg-index-review apply of ${name} is running on ${target}` };
    await ensureHistory(main);
    await markRunning(main, name, checksum, steps.length, resumeFrom, opts.toolVersion ?? '');
    pid = (await main.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0].pid;
    invalidBefore = await invalidIndexes(main);
    side = await openSession(opts.url, { readOnly: false, statementTimeoutMs: 10_000, lockTimeoutMs: 2_000 });
    opts.signal?.addEventListener('abort', onAbort);
    for (let i = 0; i < resumeFrom; i++) {
      report[i].status = 'done-earlier';
      // Session settings (SET lock_timeout …) of the statements already done still apply to what follows.
      if (steps[i].sessionSetting) await main.query(steps[i].runAs);
    }
    emit({ type: 'start', total: steps.length, resumeFrom });
    for (let i = resumeFrom; i < steps.length; i++) {
      if (opts.signal?.aborted) throw Object.assign(new Error('cancelled before statement ' + (i + 1)), { code: '57014' });
      const step = steps[i];
      current = step;
      if (step.info.kind === 'begin') blockStart = i;
      // A CREATE INDEX … IF NOT EXISTS would silently keep an INVALID leftover of a failed build: drop it first.
      if (step.info.kind === 'create-index' && step.info.indexNames[0] && !step.inBlock) {
        const name0 = step.info.indexNames[0];
        const inv = await main.query<{ valid: boolean }>(`SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = $1 AND n.nspname = ANY (current_schemas(false))`, [name0]);
        if (inv[0] && !inv[0].valid) {
          await main.query(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteAlways(name0)}`);
          emit({ type: 'cleanup', index: name0, dropped: true });
          base.invalidIndexes.push({ name: name0, dropped: true });
        }
      }
      emit({ type: 'step-start', step });
      const t0 = Date.now();
      let timer: NodeJS.Timeout | undefined;
      let polling = false;
      if (step.info.kind === 'create-index' || step.info.kind === 'reindex') {
        timer = setInterval(() => {
          if (polling || !side) return;
          polling = true;
          poll(side, pid)
            .then((p) => p && emit({ type: 'progress', step, progress: p }))
            .catch(() => undefined)
            .finally(() => (polling = false));
        }, opts.pollMs ?? 1_000);
      }
      try {
        await main.query(step.runAs);
      } finally {
        if (timer) clearInterval(timer);
      }
      const ms = Date.now() - t0;
      report[i].status = 'done';
      report[i].ms = ms;
      emit({ type: 'step-done', step, ms });
      if (step.info.kind === 'commit' || step.info.kind === 'rollback') blockStart = undefined;
      if (blockStart === undefined) {
        done = i + 1;
        await markProgress(main, name, done);
      }
    }
    await markFinished(main, name, 'applied', steps.length);
    if (opts.prisma) await recordPrisma(main, name, checksum);
    return { ...base, status: 'applied', done: steps.length, message: `${name}: ${steps.length - resumeFrom} statement${steps.length - resumeFrom === 1 ? '' : 's'} applied${resumeFrom ? ` (resumed after statement ${resumeFrom})` : ''} on ${target}` };
  } catch (err) {
    const e = err as DatabaseError;
    const cancelled = !!opts.signal?.aborted;
    const at = current?.ordinal;
    if (at !== undefined && report[at].status !== 'done') report[at].status = 'failed';
    if (blockStart !== undefined) for (let j = blockStart; j < (at ?? blockStart); j++) report[j].status = 'rolled-back';
    // Clean up on a fresh connection: the main one may be dead (terminated) or inside a failed transaction block.
    await main.close().catch(() => undefined);
    const cleanup = await openSession(opts.url, { readOnly: false, statementTimeoutMs: 60_000, lockTimeoutMs: Math.min(lockTimeoutMs, 3_000) }).catch(() => undefined);
    if (cleanup) {
      try {
        const now = await invalidIndexes(cleanup);
        const leftovers = [...now].filter((n) => !invalidBefore.has(n) || current?.info.indexNames.includes(n));
        for (const n of leftovers.sort()) {
          try {
            await cleanup.query(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteAlways(n)}`);
            base.invalidIndexes.push({ name: n, dropped: true });
            emit({ type: 'cleanup', index: n, dropped: true });
          } catch (de) {
            const msg = (de as Error).message;
            base.invalidIndexes.push({ name: n, dropped: false, error: msg });
            emit({ type: 'cleanup', index: n, dropped: false, error: msg });
          }
        }
        await ensureHistory(cleanup);
        await markFinished(cleanup, name, 'failed', done, redact(e.message ?? String(err), opts.url));
      } catch {
        // the report below still says what ran
      } finally {
        await cleanup.close();
      }
    }
    const ranNow = report.filter((r) => r.status === 'done').length;
    const left = base.invalidIndexes.filter((x) => !x.dropped);
    const what = cancelled ? 'cancelled' : 'failed';
    const message =
      `${name} ${what} at statement ${at !== undefined ? `${at + 1} (line ${steps[at].line})` : '?'}: ${redact(e.message ?? String(err), opts.url)}. ` +
      `${ranNow} statement${ranNow === 1 ? '' : 's'} ran in this run${resumeFrom ? ` after ${resumeFrom} from an earlier run` : ''}; ${done} of ${steps.length} are done. ` +
      (left.length ? `INVALID index${left.length === 1 ? '' : 'es'} left: ${left.map((x) => x.name).join(', ')} (could not drop now; the next run drops ${left.length === 1 ? 'it' : 'them'} first). ` : '') +
      'Re-run to resume from there, or run the rollback.';
    return { ...base, status: cancelled ? 'cancelled' : 'failed', done, error: { message: redact(e.message ?? String(err), opts.url), code: e.code, ordinal: at, line: at !== undefined ? steps[at].line : undefined }, message };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await main.close().catch(() => undefined);
    await side?.close().catch(() => undefined);
  }
}
