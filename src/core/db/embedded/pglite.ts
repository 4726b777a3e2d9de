/**
 * The embedded default: with no database configured, EXPLAIN and what-if run on PGlite
 * (PostgreSQL 18 compiled to WASM, in this process), built from the workspace's migrations and
 * synthetic rows by seed.ts (row counts: configured × 1/100, at least 1000 a table — see there).
 *
 * Created lazily and cached per process: one instance at a time (each takes ~0.5 GB), rebuilt when
 * the migrations or the row counts change. PGlite is single-threaded and runs on the caller's
 * thread: `statement_timeout` has no effect, and an editor should call it off its UI thread.
 */
import { createHash } from 'node:crypto';
import { sessionOver, type Session, type SessionDriver } from '../connection';
import { DEFAULT_SCALE, scaleText, seedDatabase, type SeedOptions } from './seed';

export { DEFAULT_SCALE };
import type { MigrationFile } from '../../schema/migrations/loadMigrations';
import { sortMigrations } from '../../schema/migrations/loadMigrations';
import type { SchemaModel } from '../../model/schema';

export type EmbeddedOptions = SeedOptions;

export interface EmbeddedDatabase {
  /** A READ ONLY session, like one to a server (`embedded: true`). */
  session: Session;
  scale: number;
  /** Rows generated per table. */
  rows: Map<string, number>;
  /** The schema as loaded (from the catalog). */
  schema: SchemaModel;
  serverVersion: number;
  timings: { startMs: number; schemaMs: number; dataMs: number; analyzeMs: number; totalMs: number };
  /** Migration statements that failed and tables that could not be filled. */
  problems: string[];
  close(): Promise<void>;
}

/** The PGlite surface we use (typed here so the module is only loaded when needed). */
interface PGliteLike {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<{ rows: Record<string, unknown>[] }[]>;
  close(): Promise<void>;
}

/**
 * Loads PGlite on first use (it is large) with the contrib modules a schema commonly needs; each is
 * only unpacked when CREATE EXTENSION asks for it. Plain `require`s so bundlers keep them external
 * (PGlite finds its .wasm and .data files next to its own files).
 */
async function startPglite(): Promise<PGliteLike> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  /* eslint-disable @typescript-eslint/no-require-imports */
  const extensions = {
    pg_trgm: require('@electric-sql/pglite/contrib/pg_trgm').pg_trgm,
    btree_gin: require('@electric-sql/pglite/contrib/btree_gin').btree_gin,
    btree_gist: require('@electric-sql/pglite/contrib/btree_gist').btree_gist,
    citext: require('@electric-sql/pglite/contrib/citext').citext,
    uuid_ossp: require('@electric-sql/pglite/contrib/uuid_ossp').uuid_ossp,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return (await PGlite.create({ extensions })) as unknown as PGliteLike;
}

function driverFor(db: PGliteLike): SessionDriver {
  return {
    async run<R>(sql: string, params: unknown[]): Promise<R[]> {
      // Without values the simple protocol is used (EXPLAIN (GENERIC_PLAN) of `$1` must not be bound).
      if (params.length) return (await db.query<R>(sql, params)).rows;
      const results = await db.exec(sql);
      return (results[results.length - 1]?.rows ?? []) as R[];
    },
    end: () => db.close(),
  };
}

/** Starts PGlite, applies the migrations, fills the tables and runs ANALYZE. */
export async function createEmbeddedDatabase(migrations: MigrationFile[], opts: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const t0 = Date.now();
  const db = await startPglite();
  const startMs = Date.now() - t0;
  try {
    const loader = await sessionOver(driverFor(db), { url: 'pglite://embedded', target: 'embedded PGlite', embedded: true, readOnly: false });
    const seeded = await seedDatabase(loader, migrations, opts);
    const scale = opts.scale ?? DEFAULT_SCALE;
    const session = await sessionOver(driverFor(db), {
      url: 'pglite://embedded',
      target: `embedded PGlite (synthetic data at ${scaleText(scale)} of the configured rows)`,
      embedded: true,
      readOnly: true,
    });
    return {
      session,
      scale,
      rows: seeded.rows,
      schema: seeded.live.schema,
      serverVersion: await session.serverVersion(),
      timings: { startMs, ...seeded.timings, totalMs: Date.now() - t0 },
      problems: seeded.problems,
      close: () => session.close(),
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

let cached: { key: string; db: Promise<EmbeddedDatabase> } | undefined;

/** What getEmbeddedDatabase needs from a workspace (a Project has it). */
export interface EmbeddedSource {
  migrationFiles(): MigrationFile[];
  readonly config: { matcher: { rows: Record<string, number>; defaultRows: number } };
}

/**
 * The embedded database for a workspace, created on first use and cached for the process; a new
 * schema or new row counts replace (and close) the previous instance.
 */
export function getEmbeddedDatabase(project: EmbeddedSource, opts: Omit<EmbeddedOptions, 'rows' | 'defaultRows'> = {}): Promise<EmbeddedDatabase> {
  const migrations = project.migrationFiles();
  const full: EmbeddedOptions = { ...opts, rows: project.config.matcher.rows, defaultRows: project.config.matcher.defaultRows };
  const hash = createHash('sha256');
  for (const m of sortMigrations(migrations)) hash.update(m.file).update('\0').update(m.text).update('\0');
  hash.update(JSON.stringify(full));
  const key = hash.digest('hex');
  if (cached?.key === key) return cached.db;
  const previous = cached;
  const db = createEmbeddedDatabase(migrations, full);
  cached = { key, db };
  db.catch(() => {
    if (cached?.db === db) cached = undefined;
  });
  if (previous) void previous.db.then((d) => d.close(), () => undefined);
  return db;
}

/** Closes the cached embedded database (tests, process exit). */
export async function closeEmbeddedDatabase(): Promise<void> {
  const c = cached;
  cached = undefined;
  if (c) await c.db.then((d) => d.close(), () => undefined);
}
