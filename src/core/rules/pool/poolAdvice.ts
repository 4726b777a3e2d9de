/**
 * pool-advice: connection-pool configurations that fail under load.
 *
 * Reads every PostgreSQL URL in the workspace's `.env*` files (Prisma's `connection_limit`,
 * `pool_timeout`, `pgbouncer`), the Prisma datasource, node-postgres pools (`new Pool({ max })`) and
 * `appInstances` from pg-index-review.json; with a database (`--database`), its `max_connections`,
 * `superuser_reserved_connections` / `reserved_connections` and pg_stat_statements. Cases:
 *
 * 1. `exhausts-server` (warning, needs the database): instances × (Prisma pool + pg pools) is more
 *    than the connections ordinary roles may open. At info level when it fits but leaves less
 *    than 10% (at least 3 connections) for migrations, consoles and monitoring.
 * 2. `missing-pgbouncer` (warning): the URL points at a transaction pooler — port 6543 (Supabase /
 *    Supavisor), a Neon `-pooler` host, a host naming pgbouncer, or PgBouncer's port 6432 — but has
 *    no `pgbouncer=true`: Prisma's named prepared statements fail there ("prepared statement \"s0\"
 *    already exists"). Info when the datasource has no `directUrl` for migrations behind a pooler.
 * 3. `pool-timeout` (warning, needs pg_stat_statements): `pool_timeout` (Prisma's default 10 s) is
 *    shorter than the mean time of a common statement: when every connection runs it, requests
 *    waiting for one fail with P2024 before one is free.
 * 4. `no-connection-limit` (info, needs the database): Prisma sizes its pool from the CPU count
 *    (`num_physical_cpus × 2 + 1`), which differs per host; the finding proposes a limit that fits.
 *
 * Findings sit on the URL's value in the `.env` file, or on the datasource's `url` line when the URL
 * is written there; messages carry the figures and never the URL itself (it may hold a password).
 */
import type { Finding, RelatedLocation } from '../../model/finding';
import type { Rule, RuleContext, WorkspaceText } from '../context';
import { envUrls, parsePostgresUrl, readEnvVariables, readPgPools, readPrismaDatasource, urlLocation, type EnvUrl, type PgPool, type PrismaDatasource } from './connectionSettings';

/** Prisma's pool_timeout default, seconds. */
export const PRISMA_DEFAULT_POOL_TIMEOUT_S = 10;
/** A statement called at least this share of all calls (and `MIN_CALLS` times) is "common". */
const COMMON_SHARE = 0.001;
const MIN_CALLS = 5;

export type PoolCase = 'exhausts-server' | 'missing-pgbouncer' | 'no-direct-url' | 'pool-timeout' | 'no-connection-limit';

export interface PoolerGuess {
  transaction: boolean;
  why: string;
}

/** Whether a host/port is a connection pooler in transaction mode, and why we think so. */
export function poolerOf(host: string, port: number): PoolerGuess | undefined {
  const h = host.toLowerCase();
  if (port === 6543) return { transaction: true, why: 'port 6543 is the transaction-mode pooler port (Supabase/Supavisor)' };
  if (/-pooler\./.test(h)) return { transaction: true, why: `"${host}" is a Neon pooled host (PgBouncer in transaction mode)` };
  if (/pgbouncer/.test(h)) return { transaction: true, why: `the host "${host}" names PgBouncer` };
  if (port === 6432) return { transaction: true, why: 'port 6432 is PgBouncer’s default port (transaction mode on most hosted setups)' };
  if (/\.pooler\.supabase\.com$/.test(h) && port === 5432) return { transaction: false, why: 'Supabase’s pooler on port 5432 runs in session mode' };
  return undefined;
}

interface Deployment {
  url: EnvUrl;
  /** The Prisma datasource reads this URL. */
  prisma: boolean;
  pools: PgPool[];
  envVars: Map<string, string>;
}

function fmtMs(ms: number): string {
  if (ms >= 1000) return `${+(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms)} ms`;
}

function fmtCalls(n: number): string {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k`;
  return String(n);
}

function poolSizeOf(p: PgPool, env: Map<string, string>): { size: number; how: string } {
  if (p.max !== undefined) return { size: p.max, how: p.maxDefault ? 'node-postgres default 10' : `max ${p.max}` };
  if (p.maxEnv) {
    const v = env.get(p.maxEnv.name);
    if (v !== undefined && /^\d+$/.test(v)) return { size: Number(v), how: `${p.maxEnv.name}=${v}` };
    if (p.maxEnv.fallback !== undefined) return { size: p.maxEnv.fallback, how: `${p.maxEnv.name} unset, default ${p.maxEnv.fallback}` };
  }
  return { size: 10, how: 'node-postgres default 10' };
}

function relatedPool(p: PgPool, how: string): RelatedLocation {
  return { file: p.file, range: p.range, message: `node-postgres pool (${how})` };
}

const poolCache = new Map<string, { text: string; pools: PgPool[] }>();

function cachedPools(f: WorkspaceText): PgPool[] {
  const hit = poolCache.get(f.file);
  if (hit && hit.text === f.text) return hit.pools;
  const pools = readPgPools(f.file, f.text);
  poolCache.set(f.file, { text: f.text, pools });
  if (poolCache.size > 5000) poolCache.delete(poolCache.keys().next().value!);
  return pools;
}

export interface PoolAdvice {
  case: PoolCase;
  finding: Finding;
}

/** Every pool-advice finding with the case it is (tests and the report group by case). */
export function poolAdvice(ctx: RuleContext): PoolAdvice[] {
  const files = ctx.files ?? [];
  const envFiles = files.filter((f) => f.kind === 'env');
  const prismaFile: WorkspaceText | undefined = files.find((f) => f.kind === 'prisma-schema' && f.file === ctx.prismaFile) ?? files.find((f) => f.kind === 'prisma-schema');
  const datasource: PrismaDatasource | undefined = prismaFile ? readPrismaDatasource(prismaFile.file, prismaFile.text) : undefined;
  if (datasource?.provider && !/^postgres/.test(datasource.provider)) return [];
  if (!envFiles.length && !datasource?.urlLiteral) return [];
  const server = ctx.live?.schema.server;
  const stats = ctx.live?.schema.statements;
  // node-postgres pools only matter against the server's limits: scripts are scanned only then.
  const pools = server ? files.filter((f) => f.kind === 'script').flatMap((f) => cachedPools(f)) : [];
  const instances = ctx.appInstances ?? 1;
  const instancesNote = ctx.appInstances === undefined ? ' (1 assumed: set "appInstances" in pg-index-review.json)' : '';
  const out: PoolAdvice[] = [];

  const deployments: Deployment[] = [];
  for (const f of envFiles) {
    const vars = readEnvVariables(f.file, f.text);
    const env = new Map(vars.map((v) => [v.name, v.value]));
    for (const u of envUrls(vars)) {
      const prisma = datasource ? datasource.urlEnv === u.variable : u.variable === 'DATABASE_URL';
      // A pg pool belongs to this URL when it reads the same variable (or names none and this is DATABASE_URL).
      const mine = pools.filter((p) => (p.urlEnv ?? 'DATABASE_URL') === u.variable);
      if (datasource?.directUrlEnv === u.variable && !prisma && !mine.length) continue; // migrations only
      deployments.push({ url: u, prisma, pools: mine, envVars: env });
    }
  }
  if (datasource?.urlLiteral) {
    const p = parsePostgresUrl(datasource.urlLiteral);
    if (p) {
      deployments.push({
        url: { file: datasource.file, variable: 'url', url: datasource.urlLiteral, range: datasource.urlRange, ...p, target: `${p.host}:${p.port}/${p.database}` },
        prisma: true,
        pools: [],
        envVars: new Map(),
      });
    }
  }
  const dsRelated: RelatedLocation[] = datasource ? [{ file: datasource.file, range: datasource.urlRange, message: 'Prisma datasource' }] : [];

  for (const d of deployments) {
    const u = d.url;
    const where = urlLocation(u);
    const label = `${u.variable} (${u.target})`;
    const add = (kind: PoolCase, severity: Finding['severity'], message: string, related: RelatedLocation[] = []) =>
      out.push({ case: kind, finding: { rule: 'pool-advice', severity, message, file: where.file, range: where.range, related: [...(d.prisma && u.file !== datasource?.file ? dsRelated : []), ...related] } });
    const limitParam = u.params.get('connection_limit');
    const prismaLimit = d.prisma && limitParam !== undefined && /^\d+$/.test(limitParam) ? Number(limitParam) : undefined;
    const pooler = poolerOf(u.host, u.port);
    const pgbouncer = u.params.get('pgbouncer') === 'true';

    // 2. A transaction pooler without pgbouncer=true.
    if (d.prisma && pooler?.transaction && !pgbouncer) {
      add(
        'missing-pgbouncer',
        'warning',
        `${label} goes through a connection pooler in transaction mode (${pooler.why}) but has no \`pgbouncer=true\`: Prisma's named prepared statements then fail once a connection is handed to another client ("prepared statement \\"s0\\" already exists"). Add \`pgbouncer=true\` to the URL's parameters.`,
      );
    }
    if (d.prisma && pooler?.transaction && datasource && !datasource.directUrlEnv && !datasource.directUrlLiteral) {
      out.push({
        case: 'no-direct-url',
        finding: {
          rule: 'pool-advice',
          severity: 'info',
          message: `The datasource connects through a transaction pooler (${label}: ${pooler.why}) and has no \`directUrl\`: \`prisma migrate\` needs a direct connection (advisory locks, multi-statement migrations). Add \`directUrl = env("DIRECT_URL")\` pointing at the server itself.`,
          file: datasource.file,
          range: datasource.urlRange,
          related: [{ file: u.file, range: u.range, message: `${u.variable}` }],
        },
      });
    }

    // 1. Instances × pools against the server's connection slots.
    if (server) {
      const parts: string[] = [];
      let perInstance = 0;
      const related: RelatedLocation[] = [];
      if (d.prisma) {
        if (prismaLimit !== undefined) {
          perInstance += prismaLimit;
          parts.push(`Prisma connection_limit ${prismaLimit}`);
        }
      }
      for (const p of d.pools) {
        const s = poolSizeOf(p, d.envVars);
        perInstance += s.size;
        parts.push(`node-postgres pool ${s.size} (${s.how})`);
        related.push(relatedPool(p, s.how));
      }
      const slots = server.availableToApp;
      const reservedText = `max_connections ${server.maxConnections} − ${server.superuserReserved} superuser_reserved_connections${server.reserved ? ` − ${server.reserved} reserved_connections` : ''} = ${slots} for the application`;
      if (perInstance > 0) {
        const total = perInstance * instances;
        const figures = `${instances} instance${instances === 1 ? '' : 's'}${instancesNote} × ${perInstance} (${parts.join(' + ')}) = ${total} connections`;
        if (total > slots) {
          add(
            'exhausts-server',
            'warning',
            `${label}: ${figures}, but the server allows ${reservedText}. Under load the pools try to open ${total - slots} more than the server accepts ("sorry, too many clients already"). Use at most ${Math.max(1, Math.floor(slots / instances) - d.pools.reduce((n, p) => n + poolSizeOf(p, d.envVars).size, 0))} for connection_limit per instance${d.pools.length ? ' with the node-postgres pools as they are' : ''}, or put a pooler (PgBouncer) in front.`,
            related,
          );
        } else if (slots - total < Math.max(3, Math.ceil(slots * 0.1))) {
          add(
            'exhausts-server',
            'info',
            `${label}: ${figures} of ${reservedText}: ${slots - total} left for migrations, consoles, monitoring and a deploy that briefly runs old and new instances side by side.`,
            related,
          );
        }
      }
      // 4. No connection_limit: Prisma picks one from the CPU count.
      if (d.prisma && prismaLimit === undefined && !pgbouncer) {
        const others = d.pools.reduce((n, p) => n + poolSizeOf(p, d.envVars).size, 0);
        const fit = Math.max(1, Math.floor(slots / instances) - others - 1);
        add(
          'no-connection-limit',
          'info',
          `${label} sets no \`connection_limit\`: Prisma then opens up to num_physical_cpus × 2 + 1 connections per instance (9 on a 4-core host, 33 on 16 cores), so the total depends on the machines it runs on. With ${instances} instance${instances === 1 ? '' : 's'}${instancesNote} and ${reservedText}${others ? `, less ${others} for the node-postgres pools` : ''}, \`connection_limit=${fit}\` fits with one to spare per instance.`,
        );
      }
    }

    // 3. pool_timeout shorter than a common statement.
    if (d.prisma && stats?.available && stats.statements.length) {
      const timeoutParam = u.params.get('pool_timeout');
      const timeoutS = timeoutParam !== undefined && /^\d+(\.\d+)?$/.test(timeoutParam) ? Number(timeoutParam) : PRISMA_DEFAULT_POOL_TIMEOUT_S;
      if (timeoutS > 0) {
        const totalCalls = stats.statements.reduce((n, s) => n + s.calls, 0);
        const common = stats.statements.filter((s) => s.calls >= MIN_CALLS && s.calls >= totalCalls * COMMON_SHARE);
        const slowest = common.sort((a, b) => b.meanMs - a.meanMs)[0];
        if (slowest && slowest.meanMs > timeoutS * 1000) {
          add(
            'pool-timeout',
            'warning',
            `${label}: pool_timeout is ${timeoutS} s${timeoutParam === undefined ? ' (Prisma’s default)' : ''}, but a common statement takes ${fmtMs(slowest.meanMs)} on average (${fmtCalls(slowest.calls)} calls, max ${fmtMs(slowest.maxMs)}; #${slowest.rankByMean} by mean time in pg_stat_statements): when every pooled connection is running it, requests waiting for a connection fail with P2024 before one is free. Raise pool_timeout above ${Math.ceil(slowest.meanMs / 1000) + 1} s, or make that statement faster (see slow-query).`,
          );
        }
      }
    }
  }
  return out;
}

export const poolAdviceRule: Rule = {
  id: 'pool-advice',
  defaultSeverity: 'warning',
  summary: 'Connection pools that can exhaust the server, a transaction pooler without pgbouncer=true, pool timeouts shorter than common queries.',
  description:
    'Reads DATABASE_URL (and every PostgreSQL URL) in .env files, the Prisma datasource, node-postgres pools and `appInstances` from pg-index-review.json. With --database it compares instances × pool sizes with max_connections minus the reserved connections, and pool_timeout with the mean time of common statements in pg_stat_statements. Without a database only the pooler checks run.',
  run: (ctx) => poolAdvice(ctx).map((a) => a.finding),
};
