/**
 * The connection settings an application uses, read from its files: PostgreSQL URLs in `.env*`
 * files (with Prisma's `connection_limit`, `pool_timeout`, `pgbouncer`, `connect_timeout`), the
 * Prisma datasource (`url` / `directUrl`, `env("…")` or a literal), and node-postgres pools
 * (`new Pool({ max })`, `max: Number(process.env.X ?? 5)`). Positions are 0-based, UTF-16.
 */
import { LineIndex, type Range, type SourceLocation } from '../../model/location';

export interface EnvUrl {
  file: string;
  variable: string;
  /** The URL as written (may hold a password: never print it, use `target`). */
  url: string;
  /** The range of the value on its line. */
  range: Range;
  host: string;
  port: number;
  database: string;
  params: Map<string, string>;
  /** `host:port/db`, no credentials. */
  target: string;
}

export interface EnvVariable {
  file: string;
  name: string;
  value: string;
  range: Range;
}

export interface PrismaDatasource {
  file: string;
  provider?: string;
  /** `env("DATABASE_URL")` → DATABASE_URL; undefined for a literal URL. */
  urlEnv?: string;
  urlLiteral?: string;
  directUrlEnv?: string;
  directUrlLiteral?: string;
  /** The `url = …` line (where datasource diagnostics go). */
  urlRange: Range;
  blockRange: Range;
}

export interface PgPool {
  file: string;
  range: Range;
  /** Literal `max`, or the default when `max` is absent (10). */
  max?: number;
  /** `max` is node-postgres' default (not written). */
  maxDefault?: boolean;
  /** `max: Number(process.env.X ?? 5)`: the variable and the fallback. */
  maxEnv?: { name: string; fallback?: number };
  /** The URL's environment variable (`connectionString: process.env.DATABASE_URL`). */
  urlEnv?: string;
}

/** A file's basename is `.env` or `.env.<something>`. */
export function isEnvFile(file: string): boolean {
  return /(^|[\\/])\.env(\.[\w.-]+)?$/.test(file);
}

/** `KEY=value` lines of dotenv text, with the value's range. Quotes are removed, `export` and comments allowed. */
export function readEnvVariables(file: string, text: string): EnvVariable[] {
  const out: EnvVariable[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((l, line) => {
    const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$/.exec(l);
    if (!m) return;
    let v = m[4];
    let start = m[1].length + m[2].length + m[3].length;
    const q = v[0];
    if ((q === '"' || q === "'") && v.lastIndexOf(q) > 0) {
      v = v.slice(1, v.lastIndexOf(q));
      start++;
    } else v = v.replace(/\s+#.*$/, '').trim();
    out.push({ file, name: m[2], value: v, range: { start: { line, character: start }, end: { line, character: start + v.length } } });
  });
  return out;
}

/** A PostgreSQL URL's parts, or undefined when it is not one (or uses `${VAR}` interpolation). */
export function parsePostgresUrl(url: string): { host: string; port: number; database: string; params: Map<string, string> } | undefined {
  if (!/^postgres(ql)?:\/\//i.test(url) || /\$\{|\$[A-Z_]/.test(url)) return undefined;
  try {
    const u = new URL(url);
    const params = new Map<string, string>();
    for (const [k, v] of u.searchParams) params.set(k, v);
    const hostParam = params.get('host');
    return {
      host: decodeURIComponent(u.hostname) || hostParam || 'localhost',
      port: Number(u.port || params.get('port') || 5432),
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
      params,
    };
  } catch {
    return undefined;
  }
}

export function envUrls(vars: EnvVariable[]): EnvUrl[] {
  const out: EnvUrl[] = [];
  for (const v of vars) {
    const p = parsePostgresUrl(v.value);
    if (!p) continue;
    out.push({ file: v.file, variable: v.name, url: v.value, range: v.range, ...p, target: `${p.host}:${p.port}/${p.database}` });
  }
  return out;
}

/** The `datasource` block of schema.prisma text. */
export function readPrismaDatasource(file: string, text: string): PrismaDatasource | undefined {
  const m = /^\s*datasource\s+\w+\s*\{([\s\S]*?)^\s*\}/m.exec(text);
  if (!m) return undefined;
  const lines = new LineIndex(text);
  const bodyStart = m.index + m[0].indexOf('{') + 1;
  const body = m[1];
  const field = (name: string): { env?: string; literal?: string; range?: Range } => {
    const f = new RegExp(`^([ \\t]*)${name}\\s*=\\s*("(?:[^"\\\\]|\\\\.)*"|'[^']*'|env\\([^)]*\\)|\\S+)[^\\S\\n]*(//.*)?$`, 'm').exec(body);
    if (!f) return {};
    const at = bodyStart + f.index + f[1].length;
    const range = lines.range(at, at + f[0].trimEnd().length - f[1].length);
    const value = f[2];
    const env = /^env\(\s*["']([^"']+)["']\s*\)/.exec(value)?.[1];
    const literal = env ? undefined : /^["']([^"']*)["']/.exec(value)?.[1];
    return { env, literal, range };
  };
  const url = field('url');
  const direct = field('directUrl');
  const provider = /^\s*provider\s*=\s*["']([^"']+)["']/m.exec(body)?.[1];
  const block = lines.range(m.index + (m[0].length - m[0].trimStart().length), m.index + m[0].length);
  return {
    file,
    provider,
    urlEnv: url.env,
    urlLiteral: url.literal,
    directUrlEnv: direct.env,
    directUrlLiteral: direct.literal,
    urlRange: url.range ?? { start: block.start, end: block.start },
    blockRange: block,
  };
}

/** node-postgres pools created in a script: `new Pool({ … max … })`. */
export function readPgPools(file: string, text: string): PgPool[] {
  if (!/\bnew\s+(?:pg\.)?Pool\s*\(/.test(text)) return [];
  const out: PgPool[] = [];
  const lines = new LineIndex(text);
  const re = /\bnew\s+(?:pg\.)?Pool\s*\(\s*\{/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // The options object: up to its matching brace.
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (let i = end; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    const body = text.slice(m.index, end);
    const pool: PgPool = { file, range: lines.range(m.index, end) };
    const literal = /\bmax\s*:\s*(\d+)/.exec(body);
    const fromEnv = /\bmax\s*:\s*(?:Number|parseInt|\+)?\s*\(?\s*process\.env\.(\w+)(?:\s*(?:\?\?|\|\|)\s*['"]?(\d+)['"]?)?/.exec(body);
    if (literal) pool.max = Number(literal[1]);
    else if (fromEnv) pool.maxEnv = { name: fromEnv[1], fallback: fromEnv[2] !== undefined ? Number(fromEnv[2]) : undefined };
    else if (!/\bmax\s*:/.test(body)) {
      pool.max = 10; // node-postgres' default
      pool.maxDefault = true;
    }
    pool.urlEnv = /connectionString\s*:\s*process\.env\.(\w+)/.exec(body)?.[1];
    out.push(pool);
  }
  return out;
}

/** Where a finding about a URL goes: the URL's value in its .env file. */
export function urlLocation(u: EnvUrl): SourceLocation {
  return { file: u.file, range: u.range };
}
