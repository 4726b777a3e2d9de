/**
 * The one way the product talks to PostgreSQL. Every session is safe by construction:
 * statement_timeout and lock_timeout are set, application_name names the product, and a
 * read session runs inside a READ ONLY transaction. Passwords never reach messages.
 */
import * as fs from 'node:fs';
import { readSettingsFile } from '../workspace/files';
import * as path from 'node:path';
import { Client, type ClientConfig, type QueryResultRow } from 'pg';
import { parse as parseConnectionString, toClientConfig } from 'pg-connection-string';

export const APPLICATION_NAME = 'pg-index-review';

export interface SessionOptions {
  /** Default 5 s for reads; writes (migrations) pass their own. */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Reads run in a READ ONLY transaction (default true). */
  readOnly?: boolean;
}

/** A connection failure or refusal, with the password removed and a hint a person can act on. */
export class DatabaseError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** `postgresql://user:secret@host/db` → `postgresql://user:***@host/db`. */
export function redactUrl(url: string): string {
  return url.replace(/(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/i, '$1***@').replace(/([?&]password=)[^&]*/i, '$1***');
}

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The password of a connection URL, as written and decoded (none when there is none or it isn't a URL). */
function passwordsOf(url: string): string[] {
  const found: string[] = [];
  // `scheme://user:password@host…`, as written (also when the URL class rejects the rest of the string).
  const auth = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url)?.[1];
  if (auth?.includes(':')) found.push(auth.slice(auth.indexOf(':') + 1));
  try {
    const u = new URL(url);
    if (u.password) found.push(u.password);
    const q = u.searchParams.get('password');
    if (q) found.push(q, encodeURIComponent(q));
  } catch {
    // not a URL: what the pattern found
  }
  return [...new Set([...found, ...found.map(decoded)].filter(Boolean))];
}

/** A password at least this long is also removed where a message quotes it alone (as a whole word, never inside one). */
const MIN_BARE_PASSWORD = 4;

/**
 * `message` without the credentials of `url`: the connection string itself wherever it is quoted, its
 * `user:password@` part, any postgres:// URL's password, and (for a password of MIN_BARE_PASSWORD
 * characters or more) the password quoted on its own — never a piece of a word: with the password `e`,
 * "Connection terminated unexpectedly" stays as it is.
 */
export function redact(message: string, url?: string): string {
  let m = message;
  if (url) {
    m = m.split(url).join(redactUrl(url));
    for (const pw of passwordsOf(url)) {
      m = m.split(`:${pw}@`).join(':***@');
      m = m.split(`password=${pw}`).join('password=***');
      if (pw.length >= MIN_BARE_PASSWORD) m = m.replace(new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(pw)}(?![\\p{L}\\p{N}_])`, 'gu'), '***');
    }
  }
  return m.replace(/postgres(?:ql)?:\/\/[^\s'"]+/gi, (u) => redactUrl(u));
}

/**
 * Why `url` can't be used as a connection string, or undefined when it can: it must be a
 * `postgres://` or `postgresql://` URL (libpq's `host=… dbname=…` form is not supported by the driver).
 * The reason never shows the password.
 */
export function connectionUrlProblem(url: string): string | undefined {
  const v = url.trim();
  if (!v) return 'the connection string is empty: expected postgres://user:password@host:5432/database';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(v)?.[1];
  if (!scheme || !/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    const keyValue = /^\s*\w+\s*=/.test(v) ? ' (libpq key=value connection strings are not supported)' : '';
    return `not a PostgreSQL connection URL${keyValue}: expected postgres://user:password@host:5432/database`;
  }
  if (!/^postgres(ql)?$/i.test(scheme)) return `${scheme}:// is not a PostgreSQL connection URL: expected postgres:// or postgresql://`;
  try {
    clientConfigOf(v);
  } catch (err) {
    return `not a valid connection URL (${redact((err as Error).message, v)}): ${redactUrl(v)}`;
  }
  return undefined;
}

/**
 * The driver's settings for a connection URL, SSL parameters read with libpq's semantics (what psql
 * and Prisma do with the same DATABASE_URL): `sslmode=require` encrypts without verifying the server
 * certificate (verify-ca with an `sslrootcert`), `verify-ca` checks the chain against `sslrootcert`,
 * `verify-full` also the host name, `disable` turns SSL off. Passed as settings rather than as a
 * connection string, so node-postgres prints no warning about its own, stricter reading of those modes.
 * A URL that chooses for itself (`uselibpqcompat=…`, node-postgres's `sslmode=no-verify`) is read as it says.
 */
function clientConfigOf(url: string): ClientConfig {
  const query = url.includes('?') ? new URLSearchParams(url.slice(url.indexOf('?') + 1).split('#')[0]) : new URLSearchParams();
  const libpq = !query.has('uselibpqcompat') && query.get('sslmode') !== 'no-verify';
  return toClientConfig(parseConnectionString(url, libpq ? { useLibpqCompat: true } : {}));
}

export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}/${decodeURIComponent(u.pathname.slice(1)) || 'postgres'}`;
  } catch {
    return redactUrl(url);
  }
}

function hintFor(code: string | undefined, message: string): string {
  if (code === 'ECONNREFUSED') return 'nothing is listening there: is the server running, and are host and port right?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code === '28P01' || code === '28000') return 'the server refused the login: check the user and password';
  if (code === '3D000') return 'that database does not exist';
  if (code === '57014') return 'the statement exceeded statement_timeout';
  if (code === '55P03') return 'a lock could not be taken within lock_timeout (another session holds it)';
  if (/timeout/i.test(message)) return 'the server did not answer in time';
  return '';
}

export function toDatabaseError(err: unknown, url?: string): DatabaseError {
  const e = err as { message?: string; code?: string };
  const raw = redact(e?.message ?? String(err), url);
  const hint = hintFor(e?.code, raw);
  return new DatabaseError(hint ? `${raw} (${hint})` : raw, e?.code);
}

/** Something SQL can be sent to: a session, or the steps inside `exclusive` / `rolledBack`. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Session extends Queryable {
  readonly url: string;
  /** Where the session is connected, without credentials: `db.example.com:5432/app`, `embedded PGlite`. */
  readonly target: string;
  /** True for the in-process embedded database (PGlite), which only this process uses. */
  readonly embedded: boolean;
  /** Reads run inside a READ ONLY transaction. */
  readonly readOnly: boolean;
  /** The server's major version (15, 16, …). */
  serverVersion(): Promise<number>;
  /**
   * Runs `fn` with no other call on this session in between (PREPARE … EXPLAIN EXECUTE … DEALLOCATE).
   * Errors inside `fn` are not recovered one by one; when `fn` throws, a read session is put back in a
   * fresh READ ONLY transaction. Inside `fn`, use `q`: calling the session itself would wait for `fn`.
   */
  exclusive<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` inside a read-write transaction that is always rolled back, whatever `fn` does or throws,
   * then puts the session back in its normal state. For EXPLAIN ANALYZE of a statement that writes, and
   * what-if checks that need DDL. Non-transactional effects (sequence values) are not undone.
   */
  rolledBack<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What a session runs on: a node-postgres client or the embedded database. */
export interface SessionDriver {
  run<R extends QueryResultRow>(sql: string, params: unknown[]): Promise<R[]>;
  end(): Promise<void>;
}

export interface SessionInfo {
  url: string;
  target: string;
  embedded: boolean;
  readOnly: boolean;
}

/**
 * The transaction discipline every session follows, whatever the driver: a read session always sits in
 * a READ ONLY transaction (restarted after an error), calls are serialised, and `rolledBack` always ends
 * in ROLLBACK. The driver must already be connected; for a read session this starts its first transaction.
 */
export async function sessionOver(driver: SessionDriver, info: SessionInfo): Promise<Session> {
  const fail = (err: unknown): DatabaseError => (err instanceof DatabaseError ? err : toDatabaseError(err, info.url));
  const raw: Queryable = {
    async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
      try {
        return await driver.run<R>(sql, params);
      } catch (err) {
        throw fail(err);
      }
    },
  };
  // Ends whatever transaction is open and, for a read session, starts the next READ ONLY one.
  const restart = async (): Promise<void> => {
    await driver.run('ROLLBACK', []).catch(() => undefined);
    if (info.readOnly) await driver.run('BEGIN TRANSACTION READ ONLY', []).catch(() => undefined);
  };
  if (info.readOnly) await driver.run('BEGIN TRANSACTION READ ONLY', []);
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  let version: number | undefined;
  const exclusive = <T>(fn: (q: Queryable) => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      if (closed) throw new DatabaseError(`the session to ${info.target} is closed`);
      try {
        return await fn(raw);
      } catch (err) {
        // A write session (migrations) keeps the caller's transaction semantics: its own ROLLBACK decides.
        if (info.readOnly) await restart();
        throw fail(err);
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    ...info,
    query: <R extends QueryResultRow>(sql: string, params: unknown[] = []) => exclusive((q) => q.query<R>(sql, params)),
    async serverVersion(): Promise<number> {
      if (version === undefined) {
        const rows = await exclusive((q) => q.query<{ v: string }>("SELECT current_setting('server_version_num') AS v"));
        version = Math.floor(Number(rows[0].v) / 10000);
      }
      return version;
    },
    exclusive,
    rolledBack<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
      return exclusive(async (q) => {
        if (info.readOnly) await q.query('ROLLBACK');
        await q.query('BEGIN TRANSACTION READ WRITE');
        try {
          return await fn(q);
        } finally {
          await restart();
        }
      });
    },
    async close(): Promise<void> {
      await queue;
      if (closed) return;
      closed = true;
      if (info.readOnly) await driver.run('ROLLBACK', []).catch(() => undefined);
      await driver.end().catch(() => undefined);
    },
  };
}

/** Opens a session; throws DatabaseError (never a raw driver error) when it can't. */
export async function openSession(url: string, opts: SessionOptions = {}): Promise<Session> {
  const readOnly = opts.readOnly ?? true;
  const problem = connectionUrlProblem(url);
  if (problem) throw new DatabaseError(problem);
  let fromUrl: ClientConfig;
  try {
    fromUrl = clientConfigOf(url.trim());
  } catch (err) {
    throw toDatabaseError(err, url);
  }
  const config: ClientConfig = {
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    statement_timeout: opts.statementTimeoutMs ?? 5_000,
    lock_timeout: opts.lockTimeoutMs ?? 2_000,
    query_timeout: (opts.statementTimeoutMs ?? 5_000) + 2_000,
    // What the URL says wins, as with a connection string (node-postgres lets its parameters override).
    ...fromUrl,
  };
  const client = new Client(config);
  client.on('error', () => undefined); // a dropped connection surfaces on the next query instead of crashing
  const driver: SessionDriver = {
    run: async <R extends QueryResultRow>(sql: string, params: unknown[]) => (await client.query<R>(sql, params)).rows,
    end: () => client.end(),
  };
  try {
    await client.connect();
    return await sessionOver(driver, { url, target: describeTarget(url), embedded: false, readOnly });
  } catch (err) {
    await client.end().catch(() => undefined);
    throw toDatabaseError(err, url);
  }
}

/**
 * Where the connection string comes from, the way Prisma finds it: an explicit value (setting,
 * --database flag), else DATABASE_URL in the environment, else in the workspace's `.env` or `prisma/.env`.
 */
export function findDatabaseUrl(root: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): { url: string; source: string } | undefined {
  if (explicit) return { url: explicit, source: 'configuration' };
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, source: 'DATABASE_URL in the environment' };
  for (const rel of ['.env', 'prisma/.env']) {
    const file = path.join(root, rel);
    let text: string;
    try {
      text = readSettingsFile(file);
    } catch {
      continue;
    }
    const url = readEnvValue(text, 'DATABASE_URL');
    if (url) return { url, source: rel };
  }
  return undefined;
}

/** Reads `KEY=value` / `KEY="value"` from dotenv text (comments and `export` allowed). */
export function readEnvValue(text: string, key: string): string | undefined {
  for (const line of text.split(/\r\n|\r|\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m || m[1] !== key) continue;
    let v = m[2].trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    else v = v.replace(/\s+#.*$/, '');
    return v || undefined;
  }
  return undefined;
}
