/**
 * The embedded database as the editor uses it: PostgreSQL in WASM (PGlite, src/core/db/embedded),
 * built from the workspace's migrations with synthetic rows, for the plans in hovers and "Explain
 * Query at Cursor" when no database is configured.
 *
 * It runs on its own thread (embeddedWorker.ts → dist/embedded-worker.js): building it holds the
 * thread that runs PGlite for seconds at a time, and PGlite ignores `statement_timeout`. So:
 * - started lazily, on the first plan asked for, and never waited for by the editor: callers get a
 *   promise and `preparing: true` while it is being built;
 * - one instance, rebuilt when the migrations or the row counts change (keyed by their hash);
 * - time limits: building (BUILD_LIMIT_MS) and each EXPLAIN (EXPLAIN_LIMIT_MS); past one, the thread
 *   is terminated — the only way to stop PGlite — and the caller told why;
 * - the thread (and its ~0.5 GB) goes after IDLE_MS without use, when a real database connects, and
 *   when the extension is deactivated.
 * No `vscode` import: the unit tests drive it with a stand-in thread (test/extension/embedded.test.ts).
 */
import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { ExplainResult } from '../core/db/explain';
import type { EmbeddedInfo, WorkerReply, WorkerRequest } from './embeddedProtocol';

export type { EmbeddedInfo };

export const BUILD_LIMIT_MS = 180_000;
export const EXPLAIN_LIMIT_MS = 20_000;
export const IDLE_MS = 10 * 60_000;

export interface EmbeddedLimits {
  buildLimitMs: number;
  explainLimitMs: number;
  idleMs: number;
}

/** The log it writes to (a vscode.LogOutputChannel in the extension). */
export interface EmbeddedLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export type EmbeddedStatus =
  | { kind: 'off' }
  | { kind: 'starting'; since: number }
  | { kind: 'ready'; info: EmbeddedInfo; /** The longest the calling thread (the extension host's) was held up while it was built. */ hostStallMs: number }
  | { kind: 'failed'; message: string };

/** What the embedded database is built from (a core Project has it). */
export interface EmbeddedProject {
  migrationFiles(): { file: string; text: string }[];
  readonly config: { matcher: { rows: Record<string, number>; defaultRows: number } };
}

export interface EmbeddedPlan {
  result: Promise<ExplainResult>;
  /** The database is being built: the plan is seconds away (the first time). */
  preparing: boolean;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = WithoutId<WorkerRequest>;

export class EmbeddedDatabase {
  status: EmbeddedStatus = { kind: 'off' };
  /** Builds started since activation (the tests count them). */
  builds = 0;
  private readonly listeners = new Set<(s: EmbeddedStatus) => void>();
  private readonly limits: EmbeddedLimits;
  private worker?: Worker;
  /** The key of the database the thread has or is building. */
  private key?: string;
  private opened?: Promise<EmbeddedInfo>;
  /** The key whose build failed (not retried until the migrations or row counts change). */
  private failedKey?: string;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private nextId = 1;
  private readonly plans = new Map<string, Promise<ExplainResult>>();
  /** Statements (with the database key) whose EXPLAIN ran past the limit: not tried again on that database. */
  private readonly tooSlow = new Set<string>();
  private readonly keys = new WeakMap<object, string>();
  private idleTimer?: NodeJS.Timeout;

  constructor(
    private readonly log: EmbeddedLog,
    private readonly workerFile: string,
    limits: Partial<EmbeddedLimits> = {},
    /** Options for the thread (the tests run the TypeScript worker through tsx). */
    private readonly workerOptions: { execArgv?: string[] } = {},
  ) {
    this.limits = { buildLimitMs: BUILD_LIMIT_MS, explainLimitMs: EXPLAIN_LIMIT_MS, idleMs: IDLE_MS, ...limits };
  }

  /** Fires when the status changes. */
  onDidChange(listener: (s: EmbeddedStatus) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private setStatus(s: EmbeddedStatus): void {
    this.status = s;
    for (const l of [...this.listeners]) l(s);
  }

  /** The hash of what the database is built from; remembered per `cacheToken` (an analysis result). */
  keyOf(project: EmbeddedProject, cacheToken?: object): string {
    const known = cacheToken && this.keys.get(cacheToken);
    if (known) return known;
    const hash = createHash('sha256');
    for (const m of [...project.migrationFiles()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) hash.update(m.file).update('\0').update(m.text).update('\0');
    const { rows, defaultRows } = project.config.matcher;
    hash.update(JSON.stringify({ rows: Object.entries(rows).sort(), defaultRows }));
    const key = hash.digest('hex');
    if (cacheToken) this.keys.set(cacheToken, key);
    return key;
  }

  /**
   * EXPLAIN of one statement on the embedded database for `project`, started in the background
   * (the database first, when it isn't there yet). Plans are remembered per statement until the
   * database is rebuilt.
   */
  explain(project: EmbeddedProject, sql: string, cacheToken?: object): EmbeddedPlan {
    this.touch();
    const key = this.keyOf(project, cacheToken);
    if (this.status.kind === 'failed' && this.failedKey === key) return { result: rejected(new Error(this.status.message)), preparing: false };
    if (key !== this.key || !this.worker) this.open(key, project);
    const preparing = this.status.kind === 'starting';
    const cacheKey = `${key}\0${sql}`;
    let p = this.plans.get(cacheKey);
    if (!p) {
      if (this.tooSlow.has(cacheKey)) return { result: rejected(new Error(`EXPLAIN took longer than ${this.limits.explainLimitMs / 1000} s on the embedded database before; not run again`)), preparing };
      const opened = this.opened!;
      const q = opened.then(() => {
        if (this.opened !== opened) throw new Error('the embedded database was closed');
        return this.call({ op: 'explain', key, sql }, this.limits.explainLimitMs, () => this.tooSlow.add(cacheKey)) as Promise<ExplainResult>;
      });
      p = q;
      this.plans.set(cacheKey, q);
      q.catch(() => {
        // A failure is shown for a while, then the statement may be tried again.
        setTimeout(() => {
          if (this.plans.get(cacheKey) === q) this.plans.delete(cacheKey);
        }, 10_000).unref?.();
      });
      if (this.plans.size > 200) this.plans.delete(this.plans.keys().next().value!);
    }
    return { result: p, preparing };
  }

  private open(key: string, project: EmbeddedProject): void {
    this.plans.clear();
    this.key = key;
    this.failedKey = undefined;
    this.ensureWorker();
    this.builds++;
    const migrations = project.migrationFiles().map((m) => ({ file: m.file, text: m.text }));
    const { rows, defaultRows } = project.config.matcher;
    this.setStatus({ kind: 'starting', since: Date.now() });
    this.log.info(`starting the embedded database (PGlite, on its own thread) from ${migrations.length} migration file(s)`);
    // How long this thread is held up meanwhile (it should not be: the build runs on the other one).
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const opened = this.call({ op: 'open', key, migrations, rows: { ...rows }, defaultRows }, this.limits.buildLimitMs) as Promise<EmbeddedInfo>;
    this.opened = opened;
    opened.finally(() => delay.disable()).catch(() => undefined);
    opened.then(
      (info) => {
        if (this.opened !== opened) return;
        const t = info.timings;
        const hostStallMs = Math.round(delay.max / 1e6);
        this.log.info(
          `embedded database ready: PostgreSQL ${info.serverVersion}, ${info.tables} tables, ${info.rows} synthetic rows in ${t.totalMs} ms (start ${t.startMs} ms, schema ${t.schemaMs} ms, data ${t.dataMs} ms, ANALYZE ${t.analyzeMs} ms); the extension host's longest stall meanwhile: ${hostStallMs} ms`,
        );
        for (const p of info.problems) this.log.warn(`embedded database: ${p}`);
        this.setStatus({ kind: 'ready', info, hostStallMs });
      },
      (err: Error) => {
        if (this.key !== key) return;
        const message = `the embedded database could not be built: ${err.message}`;
        this.log.warn(message);
        this.failedKey = key;
        this.stop(err, { kind: 'failed', message });
        this.failedKey = key;
      },
    );
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The extension host's own flags (inspector, …) are not for this thread.
    const w = new Worker(this.workerFile, { execArgv: this.workerOptions.execArgv ?? [], stdout: true, stderr: true });
    w.stdout.resume();
    w.stderr.on('data', (d: Buffer) => this.log.debug(`embedded database: ${String(d).trimEnd()}`));
    w.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      clearTimeout(p.timer);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    });
    w.on('error', (err) => {
      if (this.worker !== w) return;
      this.log.error(`embedded database thread: ${err.stack ?? err.message}`);
      const key = this.key;
      this.stop(err, { kind: 'failed', message: `the embedded database stopped: ${err.message}` });
      this.failedKey = key;
    });
    w.on('exit', (code) => {
      if (this.worker !== w) return;
      const key = this.key;
      const err = new Error(`the embedded database's thread ended (exit code ${code})`);
      this.stop(err, { kind: 'failed', message: err.message });
      this.failedKey = key;
    });
    this.worker = w;
    return w;
  }

  /** Sends one request; past `limitMs` the thread is terminated (PGlite can't be interrupted otherwise). */
  private call(req: Request, limitMs: number, onTimeout?: () => void): Promise<unknown> {
    const w = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.has(id)) return;
        const what = req.op === 'open' ? 'building the embedded database' : 'EXPLAIN on the embedded database';
        const err = new Error(`${what} took longer than ${limitMs / 1000} s: stopped`);
        this.log.warn(err.message);
        if (this.tooSlow.size > 100) this.tooSlow.clear();
        onTimeout?.();
        if (req.op === 'open') {
          const key = this.key;
          this.stop(err, { kind: 'failed', message: err.message });
          this.failedKey = key;
        } else {
          this.stop(err, { kind: 'off' });
        }
      }, limitMs);
      this.pending.set(id, { resolve, reject, timer });
      w.postMessage({ ...req, id } as WorkerRequest);
    });
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close(`unused for ${Math.round(this.limits.idleMs / 60_000)} minutes`), this.limits.idleMs);
    this.idleTimer.unref?.();
  }

  /** Ends the thread, rejecting what is pending with `err`. */
  private stop(err: Error, status: EmbeddedStatus): void {
    const w = this.worker;
    this.worker = undefined;
    this.key = undefined;
    this.opened = undefined;
    this.failedKey = undefined;
    this.plans.clear();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
    if (w) void w.terminate();
    this.setStatus(status);
  }

  /** Closes the embedded database (it is built again when next needed). */
  close(why: string): void {
    if (!this.worker && this.status.kind === 'off') return;
    if (this.worker) this.log.info(`embedded database closed: ${why}`);
    this.stop(new Error(`the embedded database was closed: ${why}`), { kind: 'off' });
  }

  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.close('the extension is deactivated');
    this.listeners.clear();
  }
}

function rejected<T>(err: Error): Promise<T> {
  const p = Promise.reject<T>(err);
  p.catch(() => undefined);
  return p;
}
