/**
 * A time limit for work that blocks this thread and can't be cancelled: a statement on the embedded database
 * (PGlite runs PostgreSQL in WASM on the calling thread and ignores statement_timeout). A timer on this thread
 * would never fire, so a second thread waits instead; past the limit it writes `message` to stderr and ends the
 * process (SIGTERM: exit status 143). A one-shot CLI run only: never in the editor, whose embedded database runs
 * on a thread of its own that is terminated instead (src/extension/embedded.ts).
 */
import { Worker } from 'node:worker_threads';

const WATCHER = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
setTimeout(() => {
  fs.writeSync(2, workerData.message);
  process.kill(process.pid, 'SIGTERM');
}, workerData.ms);
`;

export function endProcessAfter(ms: number, message: string): { stop(): Promise<void> } {
  const worker = new Worker(WATCHER, { eval: true, workerData: { ms, message } });
  worker.unref();
  return { stop: async () => void (await worker.terminate()) };
}
