/** The messages between the extension host (embedded.ts) and the embedded database's thread (embeddedWorker.ts). Types only. */

export type WorkerRequest =
  | { id: number; op: 'open'; key: string; migrations: { file: string; text: string }[]; rows: Record<string, number>; defaultRows: number; scale?: number }
  | { id: number; op: 'explain'; key: string; sql: string }
  | { id: number; op: 'close' };

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string } };

/** What the embedded database was built with. */
export interface EmbeddedInfo {
  key: string;
  serverVersion: number;
  /** Share of the configured row counts generated (1/100 by default). */
  scale: number;
  /** `embedded PGlite (synthetic data at 1/100 of the configured rows)`. */
  target: string;
  tables: number;
  /** Synthetic rows generated, all tables. */
  rows: number;
  timings: { startMs: number; schemaMs: number; dataMs: number; analyzeMs: number; totalMs: number };
  /** Migration statements that failed, tables that could not be filled. */
  problems: string[];
}
