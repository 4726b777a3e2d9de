/**
 * The embedded database's own thread (dist/embedded-worker.js, a worker_thread of the extension
 * host). PGlite runs PostgreSQL as WASM on the thread that calls it, and building the database
 * (migrations, ~155k synthetic rows, ANALYZE) holds that thread for seconds at a time — measured on
 * examples/lms: single stretches of up to 4.3 s without yielding. Here it holds only this thread; the
 * extension host's stays free for the editor. The extension side is src/extension/embedded.ts.
 *
 * Messages (one reply each, matched by `id`):
 * - `open`: build the database for `key` from the migrations and row counts (replacing, and first
 *   closing, the one for another key); replies with what was built.
 * - `explain`: EXPLAIN one statement on the database for `key`; replies with the ExplainResult.
 * - `close`: close the database.
 */
import { parentPort } from 'node:worker_threads';
import { closeEmbeddedDatabase, getEmbeddedDatabase, type EmbeddedDatabase } from '../core/db/embedded/pglite';
import { explainStatement } from '../core/db/explain';
import type { EmbeddedInfo, WorkerReply, WorkerRequest } from './embeddedProtocol';

let current: { key: string; db: Promise<EmbeddedDatabase> } | undefined;

async function open(req: Extract<WorkerRequest, { op: 'open' }>): Promise<EmbeddedInfo> {
  if (current?.key !== req.key) {
    // One instance at a time (each holds ~0.5 GB): the previous one is closed before the next starts.
    const previous = current ? closeEmbeddedDatabase() : Promise.resolve();
    const source = { migrationFiles: () => req.migrations, config: { matcher: { rows: req.rows, defaultRows: req.defaultRows } } };
    current = { key: req.key, db: previous.then(() => getEmbeddedDatabase(source, req.scale === undefined ? {} : { scale: req.scale })) };
  }
  const db = await current.db;
  return {
    key: req.key,
    serverVersion: db.serverVersion,
    scale: db.scale,
    target: db.session.target,
    tables: db.rows.size,
    rows: [...db.rows.values()].reduce((a, b) => a + b, 0),
    timings: db.timings,
    problems: db.problems,
  };
}

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.op) {
    case 'open':
      return open(req);
    case 'explain': {
      if (current?.key !== req.key) throw new Error('the embedded database was replaced (the migrations or row counts changed)');
      const db = await current.db;
      return explainStatement(db.session, req.sql);
    }
    case 'close':
      current = undefined;
      await closeEmbeddedDatabase();
      return undefined;
  }
}

const port = parentPort;
if (port) {
  port.on('message', (req: WorkerRequest) => {
    handle(req).then(
      (value) => port.postMessage({ id: req.id, ok: true, value } satisfies WorkerReply),
      (err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err));
        port.postMessage({ id: req.id, ok: false, error: { name: e.name, message: e.message } } satisfies WorkerReply);
      },
    );
  });
}
