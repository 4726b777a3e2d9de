/** pool-advice: one test per case, on the rule directly and through a Project. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../../src/core/config/config';
import type { LiveSchema } from '../../../src/core/db/liveSchema';
import type { StatStatement } from '../../../src/core/db/statStatements';
import { emptySchema } from '../../../src/core/model/schema';
import { Project } from '../../../src/core/project';
import type { RuleContext, WorkspaceText } from '../../../src/core/rules/context';
import { isEnvFile, readEnvVariables, readPgPools, readPrismaDatasource } from '../../../src/core/rules/pool/connectionSettings';
import { poolAdvice, poolerOf, type PoolCase } from '../../../src/core/rules/pool/poolAdvice';
import { classify } from '../../../src/core/workspace/files';
import { DEFAULT_MATCHER_OPTIONS } from '../../../src/core/matcher/options';

const SECRET = 's3cr3t-p4ss';
const PRISMA = `datasource db {
  provider  = "postgresql"
  url       = env("DATABASE_URL")
}
`;

function env(text: string, file = '/ws/.env'): WorkspaceText {
  return { file, kind: 'env', text };
}

function stat(meanMs: number, calls: number, rank = 1): StatStatement {
  return { queryid: String(rank), query: 'SELECT 1 FROM t', calls, totalMs: meanMs * calls, meanMs, maxMs: meanMs * 2, rows: calls, sharedBlksHit: 0, sharedBlksRead: 0, rankByTotal: rank, rankByMean: rank, shareOfTotal: 0.5 };
}

function live(opts: { max?: number; reserved?: number; superuser?: number; statements?: StatStatement[] } = {}): RuleContext['live'] {
  const max = opts.max ?? 100;
  const su = opts.superuser ?? 3;
  const res = opts.reserved ?? 0;
  const schema = {
    schema: emptySchema(),
    target: 'db:5432/app',
    serverVersion: 16,
    readAt: new Date(),
    statsSince: new Date(),
    statsSinceSource: 'stats_reset',
    defaults: new Map(),
    problems: [],
    server: { maxConnections: max, superuserReserved: su, reserved: res, availableToApp: max - su - res, superuser: false },
    statements: opts.statements ? { available: true, statements: opts.statements, totalExecMs: 1 } : { available: false, reason: 'not installed', statements: [], totalExecMs: 0 },
  } as LiveSchema;
  return { schema, minStatsDays: 30 };
}

function ctx(files: WorkspaceText[], extra: Partial<RuleContext> = {}): RuleContext {
  return { schema: emptySchema(), verdicts: [], options: { ...DEFAULT_MATCHER_OPTIONS, rows: {} }, files: [...files, { file: '/ws/prisma/schema.prisma', kind: 'prisma-schema', text: PRISMA }], prismaFile: '/ws/prisma/schema.prisma', ...extra };
}

function cases(c: RuleContext): PoolCase[] {
  return poolAdvice(c).map((a) => a.case);
}

describe('pool-advice', () => {
  describe('reading connection settings', () => {
    it('classifies .env files as workspace files of their own kind', () => {
      assert.equal(classify('/ws/.env'), 'env');
      assert.equal(classify('/ws/.env.production'), 'env');
      assert.equal(classify('/ws/prisma/.env.local'), 'env');
      assert.equal(classify('/ws/.envrc'), undefined);
      assert.equal(classify('/ws/env.ts'), 'script');
      assert.ok(isEnvFile('C:\\ws\\.env.example'));
    });

    it('reads dotenv values with their ranges (quotes, export, comments)', () => {
      const text = `# comment\nexport A=1\nDATABASE_URL="postgresql://u:${SECRET}@h:6543/db?pgbouncer=true"\nB='x y' # not a comment\nC=plain # comment\n`;
      const vars = readEnvVariables('/ws/.env', text);
      assert.deepEqual(vars.map((v) => [v.name, v.value]), [['A', '1'], ['DATABASE_URL', `postgresql://u:${SECRET}@h:6543/db?pgbouncer=true`], ['B', 'x y'], ['C', 'plain']]);
      const url = vars[1];
      assert.equal(text.split('\n')[url.range.start.line].slice(url.range.start.character, url.range.end.character), url.value);
    });

    it('reads the Prisma datasource (env url, directUrl, literal url) and node-postgres pools', () => {
      const ds = readPrismaDatasource('/ws/schema.prisma', `generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider  = "postgresql"\n  url       = env("POOLED_URL")\n  directUrl = env("DIRECT_URL") // migrations\n}\n`)!;
      assert.equal(ds.urlEnv, 'POOLED_URL');
      assert.equal(ds.directUrlEnv, 'DIRECT_URL');
      assert.equal(ds.urlRange.start.line, 6);
      assert.equal(readPrismaDatasource('/x', `datasource db {\n  provider = "postgresql"\n  url = "postgresql://a@h/db"\n}`)!.urlLiteral, 'postgresql://a@h/db');
      const pools = readPgPools('/ws/pg.ts', `const a = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.PG_POOL_MAX ?? 5) })\nconst b = new pg.Pool({ max: 12 })\nconst c = new Pool({ connectionString: process.env.OTHER_URL })`);
      assert.deepEqual(pools.map((p) => [p.max, p.maxEnv, p.urlEnv]), [[undefined, { name: 'PG_POOL_MAX', fallback: 5 }, 'DATABASE_URL'], [12, undefined, undefined], [10, undefined, 'OTHER_URL']]);
    });

    it('recognises transaction poolers by port and host', () => {
      assert.equal(poolerOf('aws-0-eu-west-1.pooler.supabase.com', 6543)?.transaction, true);
      assert.equal(poolerOf('aws-0-eu-west-1.pooler.supabase.com', 5432)?.transaction, false);
      assert.equal(poolerOf('ep-cool-rain-123456-pooler.us-east-2.aws.neon.tech', 5432)?.transaction, true);
      assert.equal(poolerOf('pgbouncer.internal', 5432)?.transaction, true);
      assert.equal(poolerOf('db.internal', 6432)?.transaction, true);
      assert.equal(poolerOf('db.internal', 5432), undefined);
    });
  });

  describe('instances × pool sizes against the server', () => {
    it('warns when instances × connection_limit exceed max_connections less the reserved connections, with the figures', () => {
      const c = ctx([env(`DATABASE_URL="postgresql://lms:${SECRET}@db.render.com:5432/lms?connection_limit=20&pool_timeout=20"\n`)], { live: live({ max: 50, superuser: 3 }), appInstances: 3 });
      const out = poolAdvice(c);
      assert.deepEqual(out.map((a) => a.case), ['exhausts-server']);
      const f = out[0].finding;
      assert.equal(f.severity, 'warning');
      assert.equal(f.file, '/ws/.env');
      assert.equal(f.range.start.line, 0);
      assert.match(f.message, /3 instances × 20 \(Prisma connection_limit 20\) = 60 connections/);
      assert.match(f.message, /max_connections 50 − 3 superuser_reserved_connections = 47 for the application/);
      assert.match(f.message, /13 more than the server accepts/);
      assert.match(f.message, /at most 15 for connection_limit/);
      assert.ok(!f.message.includes(SECRET), 'no password in the message');
      assert.deepEqual(f.related.map((r) => r.message), ['Prisma datasource']);
    });

    it('adds node-postgres pools (max from the environment) and PostgreSQL 16 reserved_connections', () => {
      const files = [env(`DATABASE_URL="postgresql://u@db:5432/app?connection_limit=20"\nPG_POOL_MAX=8\n`), { file: '/ws/src/pg.ts', kind: 'script' as const, text: `export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.PG_POOL_MAX ?? 5) })` }];
      const out = poolAdvice(ctx(files, { live: live({ max: 60, superuser: 3, reserved: 2 }), appInstances: 2 }));
      assert.deepEqual(out.map((a) => a.case), ['exhausts-server']);
      assert.match(out[0].finding.message, /2 instances × 28 \(Prisma connection_limit 20 \+ node-postgres pool 8 \(PG_POOL_MAX=8\)\) = 56 connections/);
      assert.match(out[0].finding.message, /max_connections 60 − 3 superuser_reserved_connections − 2 reserved_connections = 55/);
      assert.deepEqual(out[0].finding.related.map((r) => r.file), ['/ws/prisma/schema.prisma', '/ws/src/pg.ts']);
    });

    it('notes (info) a configuration that fits but leaves almost nothing for migrations and consoles', () => {
      const out = poolAdvice(ctx([env('DATABASE_URL=postgresql://u@db:5432/app?connection_limit=22\n')], { live: live({ max: 50 }), appInstances: 2 }));
      assert.deepEqual(out.map((a) => [a.case, a.finding.severity]), [['exhausts-server', 'info']]);
      assert.match(out[0].finding.message, /3 left for migrations/);
    });

    it('says nothing when the pools fit with room to spare', () => {
      assert.deepEqual(cases(ctx([env('DATABASE_URL=postgresql://u@db:5432/app?connection_limit=10\n')], { live: live({ max: 100 }), appInstances: 4 })), []);
    });

    it('assumes one instance and says so when appInstances is not configured', () => {
      const out = poolAdvice(ctx([env('DATABASE_URL=postgresql://u@db:5432/app?connection_limit=120\n')], { live: live({ max: 100 }) }));
      assert.match(out[0].finding.message, /1 instance \(1 assumed: set "appInstances" in pg-index-review.json\)/);
    });

    it('proposes a connection_limit (info) when none is set: Prisma sizes its pool from the CPU count', () => {
      const out = poolAdvice(ctx([env('DATABASE_URL=postgresql://u@db:5432/app\n')], { live: live({ max: 100 }), appInstances: 4 }));
      assert.deepEqual(out.map((a) => [a.case, a.finding.severity]), [['no-connection-limit', 'info']]);
      assert.match(out[0].finding.message, /num_physical_cpus × 2 \+ 1/);
      assert.match(out[0].finding.message, /connection_limit=23/);
    });

    it('needs the database: without one, no server-size finding', () => {
      assert.deepEqual(cases(ctx([env('DATABASE_URL=postgresql://u@db:5432/app?connection_limit=500\n')], { appInstances: 10 })), []);
    });
  });

  describe('transaction poolers', () => {
    it('warns about a missing pgbouncer=true behind a transaction pooler, and a missing directUrl (info, on the datasource)', () => {
      const out = poolAdvice(ctx([env(`DATABASE_URL="postgresql://postgres.abc:${SECRET}@aws-0-eu-west-1.pooler.supabase.com:6543/postgres?connection_limit=1"\n`)]));
      assert.deepEqual(out.map((a) => [a.case, a.finding.severity]), [['missing-pgbouncer', 'warning'], ['no-direct-url', 'info']]);
      assert.match(out[0].finding.message, /port 6543/);
      assert.match(out[0].finding.message, /prepared statement/);
      assert.equal(out[1].finding.file, '/ws/prisma/schema.prisma');
      assert.equal(out[1].finding.range.start.line, 2);
      for (const a of out) assert.ok(!a.finding.message.includes(SECRET));
    });

    it('is satisfied by pgbouncer=true and a directUrl', () => {
      const files = [env('DATABASE_URL=postgresql://u@ep-x-pooler.us-east-2.aws.neon.tech/db?pgbouncer=true\nDIRECT_URL=postgresql://u@ep-x.us-east-2.aws.neon.tech/db\n'), { file: '/ws/prisma/schema.prisma', kind: 'prisma-schema' as const, text: `datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n  directUrl = env("DIRECT_URL")\n}\n` }];
      assert.deepEqual(cases({ ...ctx([]), files }), []);
    });

    it('does not flag Supabase’s session-mode pooler (port 5432) or a plain server', () => {
      assert.deepEqual(cases(ctx([env('DATABASE_URL=postgresql://u@aws-0-eu-west-1.pooler.supabase.com:5432/postgres\n')])), []);
      assert.deepEqual(cases(ctx([env('DATABASE_URL=postgresql://u@localhost:5432/app\n')])), []);
    });

    it('reports a literal datasource url on the datasource line', () => {
      const files: WorkspaceText[] = [{ file: '/ws/prisma/schema.prisma', kind: 'prisma-schema', text: `datasource db {\n  provider = "postgresql"\n  url      = "postgresql://u@pgbouncer.internal:5432/app"\n}\n` }];
      const out = poolAdvice({ ...ctx([]), files });
      assert.equal(out[0].case, 'missing-pgbouncer');
      assert.deepEqual([out[0].finding.file, out[0].finding.range.start.line], ['/ws/prisma/schema.prisma', 2]);
    });
  });

  describe('pool_timeout against the slowest common statement', () => {
    it('warns when Prisma’s default pool_timeout (10 s) is shorter than a common statement', () => {
      const out = poolAdvice(ctx([env('DATABASE_URL=postgresql://u@db:5432/app?connection_limit=5\n')], { live: live({ statements: [stat(12_500, 4000, 1), stat(5, 100_000, 2)] }) }));
      assert.deepEqual(out.map((a) => a.case), ['pool-timeout']);
      assert.match(out[0].finding.message, /pool_timeout is 10 s \(Prisma’s default\), but a common statement takes 12\.5 s on average \(4k calls/);
      assert.match(out[0].finding.message, /Raise pool_timeout above 14 s/);
    });

    it('accepts a pool_timeout above it, and ignores rare statements and pool_timeout=0 (no timeout)', () => {
      const slow = [stat(12_500, 4000, 1), stat(5, 100_000, 2)];
      assert.deepEqual(cases(ctx([env('DATABASE_URL=postgresql://u@db:5432/app?connection_limit=5&pool_timeout=20\n')], { live: live({ statements: slow }) })), []);
      assert.deepEqual(cases(ctx([env('DATABASE_URL=postgresql://u@db:5432/app?connection_limit=5&pool_timeout=0\n')], { live: live({ statements: slow }) })), []);
      assert.deepEqual(cases(ctx([env('DATABASE_URL=postgresql://u@db:5432/app?connection_limit=5\n')], { live: live({ statements: [stat(60_000, 2, 1), stat(5, 100_000, 2)] }) })), []);
    });
  });

  describe('configuration and the workspace', () => {
    it('validates appInstances in pg-index-review.json', () => {
      assert.equal(parseConfig({ appInstances: 3 }, 'c.json').appInstances, 3);
      for (const bad of [0, -1, 2.5, '3', null]) assert.throws(() => parseConfig({ appInstances: bad }, 'c.json'), /"appInstances" must be a whole number/);
    });

    it('runs in Project.analyze(): .env files are workspace files and the finding sits on the DATABASE_URL value', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pir-pool-'));
      try {
        fs.mkdirSync(path.join(dir, 'prisma'));
        fs.writeFileSync(path.join(dir, 'prisma', 'schema.prisma'), `${PRISMA}\nmodel User {\n  id String @id\n}\n`);
        fs.writeFileSync(path.join(dir, '.env'), `# pooled\nDATABASE_URL="postgresql://app:${SECRET}@pgbouncer.prod.internal:6432/app"\n`);
        fs.writeFileSync(path.join(dir, 'pg-index-review.json'), JSON.stringify({ appInstances: 2 }));
        const p = await Project.open(dir);
        assert.equal(p.config.appInstances, 2);
        const r = p.analyze();
        const f = r.findings.filter((x) => x.rule === 'pool-advice');
        assert.equal(f.length, 2);
        const onEnv = f.find((x) => x.file === path.join(dir, '.env'))!;
        assert.deepEqual(onEnv.range.start, { line: 1, character: 14 });
        assert.match(onEnv.message, /DATABASE_URL \(pgbouncer\.prod\.internal:6432\/app\)/);
        assert.ok(r.findings.every((x) => !x.message.includes(SECRET)));
        // Turned off like any rule.
        fs.writeFileSync(path.join(dir, 'pg-index-review.json'), JSON.stringify({ rules: { 'pool-advice': 'off' } }));
        assert.equal((await Project.open(dir)).analyze().findings.filter((x) => x.rule === 'pool-advice').length, 0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
