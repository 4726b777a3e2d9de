/**
 * The one way the product talks to PostgreSQL. Every session is safe by construction:
 * statement_timeout and lock_timeout are set, application_name names the product, and a
 * read session runs inside a READ ONLY transaction. Passwords never reach messages.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, type ClientConfig, type QueryResultRow } from 'pg';

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

export function redact(message: string, url?: string): string {
  let m = message;
  if (url) {
    try {
      const pw = decodeURIComponent(new URL(url).password);
      if (pw) m = m.split(pw).join('***');
    } catch {
      // not a URL: nothing to remove
    }
  }
  return m.replace(/postgres(?:ql)?:\/\/[^\s'"]+/gi, (u) => redactUrl(u));
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

export interface Session {
  readonly url: string;
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** The server's major version (15, 16, …). */
  serverVersion(): Promise<number>;
  close(): Promise<void>;
}

/** Opens a session; throws DatabaseError (never a raw driver error) when it can't. */
export async function openSession(url: string, opts: SessionOptions = {}): Promise<Session> {
  const readOnly = opts.readOnly ?? true;
  const config: ClientConfig = {
    connectionString: url,
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    statement_timeout: opts.statementTimeoutMs ?? 5_000,
    lock_timeout: opts.lockTimeoutMs ?? 2_000,
    query_timeout: (opts.statementTimeoutMs ?? 5_000) + 2_000,
  };
  const client = new Client(config);
  client.on('error', () => undefined); // a dropped connection surfaces on the next query instead of crashing
  try {
    await client.connect();
    if (readOnly) await client.query('BEGIN TRANSACTION READ ONLY');
  } catch (err) {
    await client.end().catch(() => undefined);
    throw toDatabaseError(err, url);
  }
  let version: number | undefined;
  return {
    url,
    async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
      try {
        return (await client.query<R>(sql, params)).rows;
      } catch (err) {
        if (readOnly) await client.query('ROLLBACK').then(() => client.query('BEGIN TRANSACTION READ ONLY')).catch(() => undefined);
        throw toDatabaseError(err, url);
      }
    },
    async serverVersion(): Promise<number> {
      if (version === undefined) {
        const rows = (await client.query<{ v: string }>('SHOW server_version_num')).rows;
        version = Math.floor(Number(rows[0].v) / 10000);
      }
      return version;
    },
    async close(): Promise<void> {
      if (readOnly) await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
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
      text = fs.readFileSync(file, 'utf8');
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
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m || m[1] !== key) continue;
    let v = m[2].trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    else v = v.replace(/\s+#.*$/, '');
    return v || undefined;
  }
  return undefined;
}
