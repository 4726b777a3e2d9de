/**
 * Extraction on several threads: a large workspace's files are extracted by worker threads
 * (dist/extract-worker.js, see extractWorker.ts) and the calling thread together, batch by batch
 * from one queue, so a slow or busy core holds up no more than the batch it has. Results are the
 * same as extracting every file on the calling thread (extractFile is a function of the file's text
 * and the schema), except that they carry no `reuse`: a file's first edit extracts it whole.
 *
 * The threads stay loaded between runs (a re-opened workspace finds them warm) and end after
 * IDLE_MS without work; they never keep the process alive on their own. A thread that fails or
 * exits has its unfinished batches extracted by the calling thread.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SchemaModel } from '../model/schema';
import type { FileExtraction } from './extractFile';
import type { ExtractJob, ExtractReply, ExtractRequest } from './extractProtocol';
import { decodeResults } from './shapeCodec';

/** Text one batch holds at most (a batch has at least one file). */
const BATCH_CHARS = 48 * 1024;
/**
 * Batches each thread has queued at most, so it never waits for the calling thread to hand out the next
 * one: that thread hands them out between its own pieces of work (a batch it extracts, a file it
 * analyses, a pause of its garbage collector), which take longer than a thread's batch at times. Near
 * the end of the queue a thread gets no more than its share of what is left, so none is left holding
 * batches the others could take.
 */
const AHEAD = 6;
/** Less query text than this is extracted on the calling thread alone: loading threads costs more. */
export const MIN_PARALLEL_CHARS = 1024 * 1024;
/** Threads `'auto'` starts at most. */
const MAX_THREADS = 3;
/**
 * Threads a pool ever runs, whatever a caller asks for (`check --threads` refuses more): each one
 * loads its own copy of the parsers (~70 MB, ~0.5 s of CPU), so beyond this a pool only costs memory
 * and start-up time — 50 threads took 3.4 GB and 11 s on a 2-file workspace.
 */
export const MAX_REQUESTED_THREADS = 16;
const IDLE_MS = 30_000;

/** Threads worth starting for this much query text on this machine (the calling thread works too). */
export function defaultThreads(chars: number): number {
  if (chars < MIN_PARALLEL_CHARS) return 0;
  return Math.max(0, Math.min(MAX_THREADS, os.availableParallelism() - 1));
}

/** The bundled thread script beside this bundle; undefined when running from the sources (tests under tsx). */
function workerScript(): string | undefined {
  const file = path.join(__dirname, 'extract-worker.js');
  return fs.existsSync(file) ? file : undefined;
}

export interface RunWork {
  /** Extracts one file on this thread. */
  here(job: ExtractJob): FileExtraction;
  /** Each file's extraction, once (`byThread`: extracted by a thread). */
  onResult(file: string, r: FileExtraction, byThread: boolean): void;
  /** Runs on this thread while the threads load: other work that can overlap. */
  first?(): void;
  /** A piece of other work for this thread, preferred to extracting; false when there is none now. */
  between?(): boolean;
}

interface RunHandlers {
  ready(t: ExtractThread): void;
  done(t: ExtractThread, batch: number, results: string): void;
  lost(t: ExtractThread): void;
}

class ExtractThread {
  readonly inFlight = new Map<number, ExtractJob[]>();
  /** Loaded (its parsers too): until then it gets no batch, the calling thread works on. */
  ready = false;
  dead = false;
  schema?: SchemaModel;
  handlers?: RunHandlers;
  /** Settles once the thread is ready or dead. */
  readonly loaded: Promise<void>;
  private settle!: () => void;

  constructor(readonly worker: Worker) {
    this.loaded = new Promise((resolve) => (this.settle = resolve));
    worker.on('message', (m: ExtractReply) => {
      if (m.op === 'ready') {
        this.ready = true;
        this.settle();
        this.handlers?.ready(this);
      } else if (m.op === 'done') this.handlers?.done(this, m.batch, m.results);
      else this.fail();
    });
    worker.on('error', () => this.fail());
    worker.on('exit', () => this.fail());
  }

  send(m: ExtractRequest): void {
    this.worker.postMessage(m);
  }

  private fail(): void {
    if (this.dead) return;
    this.dead = true;
    this.settle();
    void this.worker.terminate().catch(() => undefined);
    this.handlers?.lost(this);
  }
}

export class ExtractPool {
  private threads: ExtractThread[] = [];
  private idleTimer?: NodeJS.Timeout;
  private nextBatch = 0;
  private running = false;

  constructor(private readonly script: string) {}

  /** An extraction is running: another workspace opened meanwhile extracts on its own thread. */
  get busy(): boolean {
    return this.running;
  }

  /** Starts loading up to `n` threads (at most MAX_REQUESTED_THREADS) now: they load while the caller builds the schema. */
  start(n: number): void {
    clearTimeout(this.idleTimer);
    this.threads = this.threads.filter((t) => !t.dead);
    const wanted = Math.min(n, MAX_REQUESTED_THREADS);
    while (this.threads.length < wanted) {
      let worker: Worker;
      try {
        worker = new Worker(this.script, { stdout: false, stderr: false });
      } catch {
        return; // no more threads: the calling thread does the rest
      }
      worker.unref();
      this.threads.push(new ExtractThread(worker));
    }
  }

  /**
   * Extracts every job on up to `n` threads (at most MAX_REQUESTED_THREADS, and no more than there are
   * batches: a thread without one would only load) and this one (see RunWork).
   */
  async run(jobs: ExtractJob[], schema: SchemaModel, n: number, work: RunWork): Promise<void> {
    const { here, onResult, first, between } = work;
    if (this.running) throw new Error('an extraction is already running on this pool');
    this.running = true;
    const batches = toBatches(jobs);
    const used = Math.min(n, MAX_REQUESTED_THREADS, batches.length);
    this.start(used);
    const threads = this.threads.slice(0, used);
    let next = 0;
    const requeued: ExtractJob[][] = [];
    const take = (): ExtractJob[] | undefined => requeued.pop() ?? (next < batches.length ? batches[next++] : undefined);
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    // A thread's share of the batches not handed out yet (the calling thread takes its share too).
    const share = () => Math.ceil((batches.length - next + requeued.length) / (threads.length + 1));
    const feed = (t: ExtractThread) => {
      while (t.ready && !t.dead && t.inFlight.size < Math.min(AHEAD, Math.max(1, share()))) {
        const jobsOfBatch = take();
        if (!jobsOfBatch) return;
        const id = this.nextBatch++;
        t.inFlight.set(id, jobsOfBatch);
        t.send({ op: 'batch', batch: id, jobs: jobsOfBatch });
      }
    };
    const handlers: RunHandlers = {
      ready: feed,
      done: (t, id, results) => {
        if (!t.inFlight.delete(id)) return;
        for (const r of decodeResults(results)) onResult(r.file, { shapes: r.shapes, problems: r.problems }, true);
        feed(t);
        notify();
      },
      lost: (t) => {
        for (const b of t.inFlight.values()) requeued.push(b);
        t.inFlight.clear();
        notify();
      },
    };
    try {
      for (const t of threads) {
        t.handlers = handlers;
        t.worker.ref();
        if (t.schema !== schema) {
          t.send({ op: 'schema', schema });
          t.schema = schema;
        }
        feed(t);
      }
      first?.();
      for (;;) {
        if (between?.()) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          continue;
        }
        const b = take();
        if (b) {
          for (const job of b) onResult(job.file, here(job), false);
          await new Promise<void>((resolve) => setImmediate(resolve)); // lets the threads' replies in
          continue;
        }
        if (threads.every((t) => t.dead || t.inFlight.size === 0)) break;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      for (const t of threads) {
        t.handlers = undefined;
        for (const b of t.inFlight.values()) for (const job of b) onResult(job.file, here(job), false);
        t.inFlight.clear();
        if (!t.dead) t.worker.unref();
      }
      this.running = false;
      this.closeWhenIdle();
    }
  }

  /** Ends the threads after IDLE_MS without a run. Not inside run(): a closure there would share its context and keep the caller's work (the Project) alive until then. */
  private closeWhenIdle(): void {
    this.idleTimer = setTimeout(() => this.close(), IDLE_MS);
    this.idleTimer.unref();
  }

  /** Settles when every thread started is ready or dead. */
  async whenLoaded(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.loaded));
  }

  /** Ends the threads (they are started again when needed). */
  close(): void {
    clearTimeout(this.idleTimer);
    for (const t of this.threads) {
      t.dead = true;
      t.handlers = undefined;
      void t.worker.terminate().catch(() => undefined);
    }
    this.threads = [];
  }
}

function toBatches(jobs: ExtractJob[]): ExtractJob[][] {
  // Largest files first: the last batches to finish are then the small ones.
  const sorted = [...jobs].sort((a, b) => b.text.length - a.text.length);
  const batches: ExtractJob[][] = [];
  let cur: ExtractJob[] = [];
  let chars = 0;
  for (const j of sorted) {
    if (cur.length && chars + j.text.length > BATCH_CHARS) {
      batches.push(cur);
      cur = [];
      chars = 0;
    }
    cur.push(j);
    chars += j.text.length;
  }
  if (cur.length) batches.push(cur);
  return batches;
}

let shared: ExtractPool | undefined;

/** The process's extraction pool, or undefined when the thread script is not there (running from the sources). */
export function extractPool(): ExtractPool | undefined {
  if (shared) return shared;
  const script = workerScript();
  return script ? (shared = new ExtractPool(script)) : undefined;
}
