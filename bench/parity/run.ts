/**
 * `npm run parity` — planner parity: does the tool's verdict match what PostgreSQL actually does?
 *
 *   npx tsx bench/parity/run.ts [--scale 0.25] [--small-scale 0.01] [--no-pg18] [--only REGEX] [--out FILE]
 *
 * 1. PostgreSQL 15 (Debian, a throwaway cluster): the LMS sample at `--scale` of its configured rows
 *    (pg-index-review.json, the plan's estimates ×100; 0.25 → ~2.4M lesson_progress rows) with
 *    realistic distributions (data.ts), every case of cases.ts (hand-written cases, the sample's SQL
 *    and its main Prisma calls), each on its own index set: the tool's verdict vs EXPLAIN (engine.ts).
 * 2. PostgreSQL 18 (the embedded PGlite) and PostgreSQL 15 again, both at `--small-scale`, the same
 *    cases: where 18's plans differ from 15's (B-tree skip scan) and how the tool fares on 18.
 *
 * Prints the agreement overall, per category and per dimension, and every disagreement with both
 * verdicts; writes bench/results/parity.json. Always exits 0 (a measurement, not a test: the test
 * suite's test/parity/parity.test.ts has the threshold).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSession, sessionOver, type Session, type SessionDriver } from '../../src/core/db/connection';
import { Project } from '../../src/core/project';
import { PgCluster } from '../../test/support/pgCluster';
import { CASES, PRISMA_CASES, sampleSqlCases } from './cases';
import { loadLms, SAMPLE, type LoadResult } from './data';
import { runCase, summarize, type CaseResult, type ParityCase, type Summary } from './engine';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The server's memory for loading millions of rows, and no JIT (its costs only move the plans' execution);
 * the planner's settings are PostgreSQL's defaults, parallel scans included (the planner does not look at the
 * machine's cores: max_parallel_workers_per_gather 2 and min_parallel_table_scan_size 8 MB decide).
 */
export const SERVER_SETTINGS: Record<string, string> = {
  shared_buffers: "'1GB'",
  work_mem: "'16MB'",
  maintenance_work_mem: "'1GB'",
  max_parallel_maintenance_workers: '0',
  max_wal_size: "'8GB'",
  jit: 'off',
  // random_page_cost, seq_page_cost, effective_cache_size: PostgreSQL's defaults.
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** All cases: hand-written, the sample's SQL, the sample's Prisma calls. */
export async function allCases(project: Project): Promise<ParityCase[]> {
  return [...CASES, ...sampleSqlCases(project.shapes(), SAMPLE, project.schema), ...PRISMA_CASES];
}

export async function runAll(session: Session, project: Project, cases: ParityCase[], version: number, onResult?: (r: CaseResult) => void): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const c of cases) {
    const r = await runCase(c, { session, workspace: project.schema, options: project.config.matcher, version, missingIndexChecks: true });
    out.push(r);
    onResult?.(r);
  }
  return out;
}

/** A write session on the embedded PGlite (PostgreSQL 18) with pg_trgm, like src/core/db/embedded/pglite.ts. */
async function startPglite(): Promise<{ session: Session; close(): Promise<void> }> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  const pg_trgm = require('@electric-sql/pglite/contrib/pg_trgm').pg_trgm;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const db = await PGlite.create({ extensions: { pg_trgm } });
  const driver: SessionDriver = {
    async run<R>(sql: string, params: unknown[]): Promise<R[]> {
      if (params.length) return (await db.query<R>(sql, params)).rows;
      const results = await db.exec(sql);
      return (results[results.length - 1]?.rows ?? []) as R[];
    },
    end: () => db.close(),
  };
  const session = await sessionOver(driver as SessionDriver, { url: 'pglite://parity', target: 'embedded PGlite', embedded: true, readOnly: false });
  return { session, close: () => session.close() };
}

function printSummary(title: string, s: Summary): void {
  log(`\n${title}`);
  log(`  cases compared ${s.compared} (errors ${s.errors}, skipped ${s.skipped}); agreement ${s.agree}/${s.compared} = ${pct(s.rate)}; checks ${s.checksAgree}/${s.checks} = ${pct(s.checksAgree / Math.max(1, s.checks))}`);
  const w = Math.max(...Object.keys(s.perCategory).map((k) => k.length), 14);
  log(`  ${'category'.padEnd(w)}  cases  agree`);
  for (const [k, v] of Object.entries(s.perCategory).sort()) log(`  ${k.padEnd(w)}  ${String(v.cases).padStart(5)}  ${String(v.agree).padStart(5)}  ${pct(v.rate)}`);
  log(`  ${'dimension'.padEnd(w)}  checks agree`);
  for (const [k, v] of Object.entries(s.perDimension).sort()) log(`  ${k.padEnd(w)}  ${String(v.checks).padStart(5)}  ${String(v.agree).padStart(5)}  ${pct(v.rate)}`);
}

function printDisagreements(results: CaseResult[]): void {
  for (const r of results) {
    if (r.error) {
      log(`  ! ${r.id}: ${r.error}`);
      continue;
    }
    if (r.agree || r.skipped) continue;
    log(`  ✗ ${r.id} [${r.category}] ${r.note}`);
    for (const k of r.checks.filter((x) => !x.agree)) log(`      ${k.dimension}${k.table ? ` ${k.table}` : ''}: tool ${k.tool} | planner ${k.planner}${k.forcedCostRatio !== undefined ? ` (tool's path forced: ${k.forcedCostRatio}× the cost)` : ''}`);
  }
}

/** Per case, where PostgreSQL 18's plan differs from 15's at the same (small) scale. */
function versionDiff(a: CaseResult[], b: CaseResult[]) {
  const byId = new Map(b.map((r) => [r.id, r]));
  const out: { id: string; pg15: string; pg18: string; skipScans: string[]; toolAgree15: boolean; toolAgree18: boolean }[] = [];
  for (const r of a) {
    const o = byId.get(r.id);
    if (!o || r.error || o.error) continue;
    const access = (x: CaseResult) => x.planner.map((p) => p.scans.map((s) => `${s.alias ?? s.relation}:${s.node === 'seq' ? 'seq' : s.indexes.join('+')}`).join(' ') + (p.sort ? ' +sort' : '')).join(' ; ');
    const x = access(r);
    const y = access(o);
    if (x !== y || o.skipScans.length) out.push({ id: r.id, pg15: x, pg18: y, skipScans: o.skipScans, toolAgree15: r.agree, toolAgree18: o.agree });
  }
  return out;
}

async function main(): Promise<void> {
  const started = Date.now();
  const scale = Number(arg('--scale') ?? 0.25);
  const smallScale = Number(arg('--small-scale') ?? 0.01);
  const withPg18 = !process.argv.includes('--no-pg18');
  const only = arg('--only') ? new RegExp(arg('--only')!) : undefined;
  const outFile = path.resolve(arg('--out') ?? path.join(ROOT, 'bench', 'results', 'parity.json'));

  const project = await Project.open(SAMPLE);
  const cases = (await allCases(project)).filter((c) => !only || only.test(c.id) || only.test(c.category));
  log(`Planner parity: ${cases.length} cases (${CASES.length} hand-written, ${cases.filter((c) => c.category === 'sample-sql').length} sample SQL, ${PRISMA_CASES.length} Prisma calls)`);

  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model.trim(), cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` },
    settings: SERVER_SETTINGS,
    scale,
    smallScale,
  };

  if (!PgCluster.available()) {
    // A fresh clone: install PostgreSQL 15 (and HypoPG) from Debian's packages the way `npm test` does.
    log('PostgreSQL 15 is not installed: running scripts/setup-test-env.sh');
    execFileSync('bash', [path.join(ROOT, 'scripts', 'setup-test-env.sh')], { stdio: 'inherit' });
  }
  const cluster = await PgCluster.start({ settings: SERVER_SETTINGS });
  try {
    // 1. PostgreSQL 15 at scale.
    cluster.psql('CREATE DATABASE lms');
    let t = Date.now();
    const loader = await openSession(cluster.url('lms'), { readOnly: false, statementTimeoutMs: 3_600_000 });
    log(`\nLoading the sample into PostgreSQL 15 at ${scale} of the configured rows…`);
    const loaded: LoadResult = await loadLms(loader, { scale, log });
    await loader.close();
    const loadMs = Date.now() - t;
    const server = await openSession(cluster.url('lms'), { readOnly: false, statementTimeoutMs: 600_000 });
    const version = (await server.query<{ v: string }>('SELECT version() AS v'))[0].v;
    log(`  ${Object.values(loaded.rows).reduce((a, b) => a + b, 0).toLocaleString('en')} rows in ${(loadMs / 1000).toFixed(0)} s (${version.split(',')[0]})`);
    results.pg15 = { version, rows: loaded.rows, load: { ...loaded.timings, totalMs: loadMs } };

    t = Date.now();
    let n = 0;
    const main15 = await runAll(server, project, cases, await server.serverVersion(), () => {
      if (++n % 20 === 0) log(`  ${n}/${cases.length} cases…`);
    });
    await server.close();
    const casesMs = Date.now() - t;
    const summary = summarize(main15);
    (results.pg15 as Record<string, unknown>).casesMs = casesMs;
    results.summary = summary;
    results.disagreements = main15.filter((r) => !r.agree && !r.skipped).map((r) => ({ id: r.id, category: r.category, note: r.note, error: r.error, checks: r.checks.filter((k) => !k.agree), tool: r.tool, proposals: r.proposals, plans: r.planner.map((p) => p.plan) }));
    results.equivalentIndexChoices = main15.flatMap((r) => r.checks.filter((k) => k.equivalent).map((k) => ({ id: r.id, table: k.table, tool: k.tool, planner: k.planner })));
    results.cases = main15;

    printSummary(`PostgreSQL 15, ${scale} of the configured rows: tool vs planner`, summary);
    log(`  (${results.equivalentIndexChoices ? (results.equivalentIndexChoices as unknown[]).length : 0} index checks agree only up to a tie between redundant indexes: see equivalentIndexChoices)`);
    log('\nDisagreements:');
    printDisagreements(main15);

    // 2. PostgreSQL 18 (PGlite) vs 15, both small.
    if (withPg18) {
      log(`\nPostgreSQL 15 and 18 (PGlite) at ${smallScale} of the configured rows…`);
      cluster.psql('CREATE DATABASE lms_small');
      const l15 = await openSession(cluster.url('lms_small'), { readOnly: false, statementTimeoutMs: 3_600_000 });
      const small15Load = await loadLms(l15, { scale: smallScale });
      await l15.close();
      const s15 = await openSession(cluster.url('lms_small'), { readOnly: false, statementTimeoutMs: 600_000 });
      const small15 = await runAll(s15, project, cases, await s15.serverVersion());
      await s15.close();

      t = Date.now();
      const lite = await startPglite();
      const small18Load = await loadLms(lite.session, { scale: smallScale });
      const v18 = await lite.session.serverVersion();
      const small18 = await runAll(lite.session, project, cases, v18);
      const v18text = (await lite.session.query<{ v: string }>('SELECT version() AS v'))[0].v;
      await lite.close();
      const pg18Ms = Date.now() - t;
      const s15sum = summarize(small15);
      const s18sum = summarize(small18);
      printSummary(`PostgreSQL 15 at ${smallScale}: tool vs planner`, s15sum);
      printSummary(`PostgreSQL 18 (PGlite) at ${smallScale}: tool vs planner`, s18sum);
      const diff = versionDiff(small15, small18);
      log(`\nPlans that differ between PostgreSQL 15 and 18 at ${smallScale} (${diff.length}):`);
      for (const d of diff) log(`  ${d.id}${d.skipScans.length ? '  [skip scan]' : ''}\n      15: ${d.pg15}\n      18: ${d.pg18}${d.skipScans.length ? `\n      ${d.skipScans.join('; ')}` : ''}`);
      results.versions = {
        pg15: { rows: small15Load.rows, summary: s15sum },
        pg18: { version: v18text, rows: small18Load.rows, summary: s18sum, ms: pg18Ms, load: small18Load.timings },
        planDifferences: diff,
        skipScans: small18.filter((r) => r.skipScans.length).map((r) => ({ id: r.id, scans: r.skipScans, agree: r.agree })),
        pg18Disagreements: small18.filter((r) => !r.agree && !r.skipped).map((r) => ({ id: r.id, error: r.error, checks: r.checks.filter((k) => !k.agree) })),
      };
    }
  } finally {
    cluster.stop();
  }
  results.totalMs = Date.now() - started;
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nTotal ${(Number(results.totalMs) / 1000).toFixed(0)} s; wrote ${path.relative(process.cwd(), outFile)}`);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
  });
}
