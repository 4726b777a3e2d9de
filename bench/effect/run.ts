/**
 * Effect of the migration: the reference plan's queries (queries.ts) on a real PostgreSQL 15 at scale,
 * on three index sets of the same data (indexSets.ts) — before (the sample's schema), after
 * pg-index-review's generated migration, after the plan's own migration (corrected only as far as
 * needed to run) — with the speed-up of each, the total index size, and insert/update throughput on
 * the hot tables (writeCost.ts). Each set gets its own database, a file copy of the loaded one
 * (`CREATE DATABASE … TEMPLATE`: the same rows in the same pages, no reload), and the sets are measured
 * interleaved, round by round, so drift and load from other processes fall on all three alike.
 * Writes bench/results/effect.json and bench/results/effect.svg.
 *
 *   npx tsx bench/effect/run.ts [--scale 0.25] [--runs 7] [--warmup 2] [--write-rows 5000] [--write-batch 500] [--write-runs 5] [--out-dir bench/results]
 *
 * Also part of `npm run bench` (bench/run.ts). The data: bench/parity/data.ts (realistic distributions,
 * 0.25 of the configured rows ≈ 3.6M rows); the server: a throwaway Debian PostgreSQL 15 cluster
 * (test/support/pgCluster.ts), removed at the end, on error and on Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSession, type Session } from '../../src/core/db/connection';
import { initSqlParser } from '../../src/core/sql/parser';
import { PgCluster } from '../../test/support/pgCluster';
import { loadLms } from '../parity/data';
import { SERVER_SETTINGS } from '../parity/run';
import { renderEffectChart } from './chart';
import { applySteps, hasSearchVector, indexSize, planMigration, SET_LABELS, toolMigration, type IndexSize, type MigrationSteps, type SetId, type StepResult } from './indexSets';
import { pickParams, QUERIES, type EffectQuery, type Picks } from './queries';
import { measureQuery, type QueryMeasure } from './runner';
import { fmtBytes, fmtMs, fmtX, geomean, speedup } from './summary';
import { HOT_TABLES, measureWrites, prepareWrites, updateDescription, type WriteMeasure } from './writeCost';

const ROOT = path.resolve(__dirname, '..', '..');
export const SETS: SetId[] = ['before', 'tool', 'plan'];

export interface EffectOptions {
  scale: number;
  runs: number;
  warmup: number;
  writeRows: number;
  writeBatch: number;
  writeRuns: number;
  outDir: string;
  log: (line: string) => void;
}

export function parseEffectArgs(argv: string[], prefix = ''): EffectOptions {
  const arg = (name: string) => {
    const i = argv.indexOf(`--${prefix}${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, dflt: number) => {
    const v = arg(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${prefix}${name} must be a positive number, got "${v}"`);
    return n;
  };
  const runs = num('runs', 7);
  if (runs < 5) throw new Error(`--${prefix}runs must be at least 5 (median of ≥ 5 runs)`);
  return {
    scale: num('scale', 0.25),
    runs: Math.round(runs),
    warmup: Math.round(num('warmup', 2)),
    writeRows: Math.round(num('write-rows', 5000)),
    writeBatch: Math.round(num('write-batch', 500)),
    writeRuns: Math.round(num('write-runs', 5)),
    outDir: path.resolve(arg('out-dir') ?? path.join(ROOT, 'bench', 'results')),
    log: (line) => process.stdout.write(`${line}\n`),
  };
}

export interface SetResult {
  id: SetId;
  label: string;
  migration?: {
    name: string;
    file: string;
    runner: string;
    summary?: string;
    statements: number;
    applyMs: number;
    failures: StepResult[];
    corrections: { ordinal: number; rule: string; sqlstate?: string; message: string; original: string; corrected: string }[];
    /** The statements as run (the tool's migration is generated at run time: this is the one measured). */
    sql: string[];
  };
  size: IndexSize;
  queries: Record<string, QueryMeasure>;
  writes: WriteMeasure[];
  /** Geometric mean of the speed-ups over `before`, over all measured queries. */
  geomean: number;
  /** The same over the queries the app runs as written (no `rewrite`). */
  geomeanAsWritten: number;
}

export interface EffectResults {
  date: string;
  revision: { commit?: string; srcChanges?: number };
  machine: Record<string, unknown>;
  settings: Record<string, string>;
  options: Omit<EffectOptions, 'log' | 'outDir'>;
  timing: string;
  rows: Record<string, number>;
  loadMs: number;
  picks: Picks;
  queries: { id: string; group: string; title: string; source: string; write: boolean }[];
  sets: SetResult[];
  speedups: Record<string, { tool: number; plan: number }>;
  rowMismatches: string[];
  totalMs: number;
}

/** The commit measured, and how many files under src/ differ from it (the generator is run from the working tree). */
function revision(): { commit?: string; srcChanges?: number } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, stdio: 'pipe' }).toString().trim();
    const srcChanges = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, stdio: 'pipe' }).toString().split('\n').filter(Boolean).length;
    return { commit, srcChanges };
  } catch {
    return {};
  }
}

function machine(): Record<string, unknown> {
  return { cpu: os.cpus()[0]?.model.trim(), cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}`, loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100) };
}

export async function runEffect(opts: EffectOptions): Promise<EffectResults> {
  const started = Date.now();
  const log = opts.log;
  await initSqlParser();
  // Both migrations first: a generator or linter problem stops the run before the 90 s load.
  const migrations: Partial<Record<SetId, MigrationSteps>> = { tool: await toolMigration(), plan: planMigration() };
  log(`Effect of the migration: ${QUERIES.length} queries × ${SETS.length} index sets; tool's migration ${migrations.tool!.name} (${migrations.tool!.summary}); plan's migration with ${migrations.plan!.steps.filter((s) => s.correction).length} statement(s) corrected`);

  if (!PgCluster.available()) {
    log('PostgreSQL 15 is not installed: running scripts/setup-test-env.sh');
    execFileSync('bash', [path.join(ROOT, 'scripts', 'setup-test-env.sh')], { stdio: 'inherit' });
  }
  // Autovacuum off: the benchmark VACUUMs itself after the rolled-back writes, so no background run lands inside a measurement.
  // No parallel workers: each query runs in one process, so its time does not depend on how many cores are idle.
  const settings = { ...SERVER_SETTINGS, autovacuum: 'off', max_parallel_workers_per_gather: '0' };
  const cluster = await PgCluster.start({ settings });
  const stopOnSignal = (sig: NodeJS.Signals) => {
    cluster.stop();
    process.stderr.write(`\n${sig}: the benchmark's PostgreSQL cluster was stopped and removed\n`);
    process.exit(130);
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const sessions: Session[] = [];
  try {
    cluster.psql('CREATE DATABASE lms');
    const url = cluster.url('lms');
    let t = Date.now();
    const loader = await openSession(url, { readOnly: false, statementTimeoutMs: 3_600_000 });
    sessions.push(loader);
    log(`Loading the LMS sample at ${opts.scale} of the configured rows (bench/parity/data.ts)…`);
    const loaded = await loadLms(loader, { scale: opts.scale });
    await loader.close();
    const loadMs = Date.now() - t;
    log(`  ${Object.values(loaded.rows).reduce((a, b) => a + b, 0).toLocaleString('en')} rows in ${(loadMs / 1000).toFixed(0)} s`);

    // Parameters and write rows from the loaded data (the same for every set).
    const prep = await openSession(url, { readOnly: false, statementTimeoutMs: 600_000 });
    sessions.push(prep);
    const picks = await pickParams(prep);
    log(`  parameters: heaviest user ${picks.heavyUserEnrollments} enrollments, ${picks.txnUserCount} transactions; ${picks.quizAttempts} attempts at one quiz; instructor with ${picks.instructorCourses} courses; month ${picks.month.join('…')}`);
    const writeData = await prepareWrites(prep, opts.writeRows);
    await prep.close();

    // One database per index set: byte-identical file copies of the loaded one (no reload), so the three
    // sets can be measured interleaved on the same rows and the same physical layout.
    t = Date.now();
    const dbName: Record<SetId, string> = { before: 'lms', tool: 'lms_tool', plan: 'lms_plan' };
    for (const id of SETS) if (dbName[id] !== 'lms') cluster.psql(`CREATE DATABASE ${dbName[id]} TEMPLATE lms STRATEGY FILE_COPY`);
    log(`  copied the database for the other index sets in ${((Date.now() - t) / 1000).toFixed(0)} s`);

    const sets: SetResult[] = [];
    const targets: { id: SetId; session: Session; ctx: { searchVector: boolean } }[] = [];
    for (const id of SETS) {
      const u = cluster.url(dbName[id]);
      // Queries and writes: 2 min per statement at most; DDL (index builds, VACUUM): 30 min.
      const db = await openSession(u, { readOnly: false, statementTimeoutMs: 120_000, lockTimeoutMs: 10_000 });
      sessions.push(db);
      const ddl = await openSession(u, { readOnly: false, statementTimeoutMs: 1_800_000, lockTimeoutMs: 10_000 });
      sessions.push(ddl);
      log(`\n[${id}] ${SET_LABELS[id]} (database ${dbName[id]})`);
      let migration: SetResult['migration'];
      const m = migrations[id];
      if (m) {
        const ta = performance.now();
        const steps = await applySteps(ddl, m);
        const applyMs = performance.now() - ta;
        const failures = steps.filter((x) => x.error);
        migration = {
          name: m.name,
          file: m.file,
          runner: m.runner,
          summary: m.summary,
          statements: m.steps.length,
          applyMs,
          failures,
          corrections: m.steps.filter((x) => x.correction).map((x) => ({ ordinal: x.ordinal, ...x.correction!, corrected: x.sql })),
          sql: m.steps.map((x) => x.sql),
        };
        log(`  applied ${m.file}: ${m.steps.length} statements in ${(applyMs / 1000).toFixed(1)} s${failures.length ? `, ${failures.length} FAILED: ${failures.map((f) => `#${f.ordinal + 1} ${f.error}`).join('; ')}` : ''}`);
        for (const c of migration.corrections) log(`  corrected #${c.ordinal + 1} (${c.rule}, would fail with ${c.sqlstate}): ${c.corrected}`);
      }
      await ddl.query('ANALYZE');
      await ddl.close();
      const size = await indexSize(db);
      log(`  ${size.count} indexes, ${fmtBytes(size.bytes)}`);
      targets.push({ id, session: db, ctx: { searchVector: await hasSearchVector(db) } });
      sets.push({ id, label: SET_LABELS[id], migration, size, queries: {}, writes: [], geomean: NaN, geomeanAsWritten: NaN });
    }

    t = Date.now();
    log(`\nQueries: ${opts.warmup} warm-up run(s) on each set, then ${opts.runs} rounds over the three sets`);
    for (const q of QUERIES) {
      const r = await measureQuery(targets, q, picks, { runs: opts.runs, warmup: opts.warmup });
      for (const set of sets) set.queries[q.id] = r[set.id];
      log(`  ${q.id.padEnd(7)} ${SETS.map((id) => (r[id].error ? `${id} ERROR ${r[id].error}` : `${id} ${fmtMs(r[id].medianMs)}`)).join(' | ')}`);
      for (const id of SETS) if (!r[id].error) log(`          ${id.padEnd(6)} ${r[id].shape}`);
    }
    log(`  (${((Date.now() - t) / 1000).toFixed(0)} s)`);
    t = Date.now();
    const writes = await measureWrites(targets, writeData, { batch: opts.writeBatch, runs: opts.writeRuns, warmup: 1 });
    for (const set of sets) {
      set.writes = writes[set.id];
      log(`  writes on ${set.id} (rows/s): ${set.writes.map((w) => `${w.table} ${w.op} ${w.error ? `ERROR ${w.error}` : Math.round(w.rowsPerSec)}`).join(', ')}`);
    }
    log(`  (${((Date.now() - t) / 1000).toFixed(0)} s)`);

    const before = sets[0];
    const speedups: EffectResults['speedups'] = {};
    const rowMismatches: string[] = [];
    for (const q of QUERIES) {
      const b = before.queries[q.id];
      const s = (id: SetId) => {
        const r = sets.find((x) => x.id === id)!.queries[q.id];
        return r.error || b.error ? NaN : speedup(b.medianMs, r.medianMs);
      };
      speedups[q.id] = { tool: s('tool'), plan: s('plan') };
      for (const set of sets) if (!q.write && !set.queries[q.id].error && set.queries[q.id].rows !== b.rows) rowMismatches.push(`${q.id}: ${set.id} returned ${set.queries[q.id].rows} rows, before ${b.rows}`);
    }
    const gm = (set: SetResult, qs: EffectQuery[]) => (set.id === 'before' ? 1 : geomean(qs.map((q) => speedups[q.id][set.id as 'tool' | 'plan'])));
    for (const set of sets) {
      set.geomean = gm(set, QUERIES);
      set.geomeanAsWritten = gm(set, QUERIES.filter((q) => !q.rewrite));
    }

    const { log: _log, outDir: _out, ...optionsShown } = opts;
    void _log;
    void _out;
    const results: EffectResults = {
      date: new Date().toISOString(),
      revision: revision(),
      machine: machine(),
      settings,
      options: optionsShown,
      timing:
        'server-side "Execution Time" of EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON), parameters bound through node-postgres; median of `runs` after `warmup` runs on each set; the three sets (one database each, file copies of the same data) measured interleaved, in rounds with a rotated order; writes in a rolled-back transaction. Write throughput: client-side wall time of the batches through node-postgres, median of `writeRuns` interleaved rolled-back runs after one warm-up.',
      rows: loaded.rows,
      loadMs,
      picks,
      queries: QUERIES.map((q) => ({ id: q.id, group: q.group, title: q.title, source: q.source, write: !!q.write })),
      sets,
      speedups,
      rowMismatches,
      totalMs: Date.now() - started,
    };
    return results;
  } finally {
    for (const s of sessions) await s.close().catch(() => undefined);
    cluster.stop();
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
  }
}

/** The console table: per query, before / tool / plan medians and speed-ups; then sizes and writes. */
export function effectTable(r: EffectResults): string {
  const lines: string[] = [];
  const [b, tool, plan] = SETS.map((id) => r.sets.find((s) => s.id === id)!);
  const row = (cells: string[], widths: number[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const w = [7, 52, 11, 20, 20];
  lines.push(row(['query', 'what', 'before', 'tool (speed-up)', 'plan (speed-up)'], w));
  for (const q of r.queries) {
    const cell = (s: SetResult, x: number) => (s.queries[q.id].error ? 'error' : `${fmtMs(s.queries[q.id].medianMs)} (${fmtX(x)})`);
    lines.push(row([q.id, q.title.length > 52 ? `${q.title.slice(0, 51)}…` : q.title, b.queries[q.id].error ? 'error' : fmtMs(b.queries[q.id].medianMs), cell(tool, r.speedups[q.id].tool), cell(plan, r.speedups[q.id].plan)], w));
  }
  lines.push(row(['', 'geometric-mean speed-up', '1.00×', fmtX(tool.geomean), fmtX(plan.geomean)], w));
  lines.push(row(['', '… over the queries as the app writes them', '1.00×', fmtX(tool.geomeanAsWritten), fmtX(plan.geomeanAsWritten)], w));
  lines.push(row(['', 'indexes (count, total size)', `${b.size.count}, ${fmtBytes(b.size.bytes)}`, `${tool.size.count}, ${fmtBytes(tool.size.bytes)}`, `${plan.size.count}, ${fmtBytes(plan.size.bytes)}`], w));
  for (const t of HOT_TABLES) {
    for (const op of ['insert', 'update'] as const) {
      const v = (s: SetResult) => {
        const m = s.writes.find((x) => x.table === t && x.op === op);
        if (!m || m.error) return 'error';
        const base = b.writes.find((x) => x.table === t && x.op === op)!;
        return s === b ? `${Math.round(m.rowsPerSec).toLocaleString('en')}/s` : `${Math.round(m.rowsPerSec).toLocaleString('en')}/s (${fmtX(m.rowsPerSec / base.rowsPerSec)})`;
      };
      lines.push(row(['', `${op} ${t} (rows/s)`, v(b), v(tool), v(plan)], w));
    }
  }
  return lines.join('\n');
}

export function writeEffectResults(r: EffectResults, outDir: string): { json: string; svg: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const json = path.join(outDir, 'effect.json');
  const svg = path.join(outDir, 'effect.svg');
  fs.writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  const rowsTotal = Object.values(r.rows).reduce((a, x) => a + x, 0);
  const short: Record<SetId, string> = { before: 'before', tool: 'pg-index-review', plan: 'the plan' };
  fs.writeFileSync(
    svg,
    renderEffectChart({
      title: 'Effect of the migration on the plan’s queries (PostgreSQL 15, LMS sample)',
      subtitle: `${(rowsTotal / 1e6).toFixed(1)}M rows (scale ${r.options.scale}); median of ${r.options.runs} runs of EXPLAIN ANALYZE execution time; ${r.date.slice(0, 10)}, ${r.machine.cores} cores`,
      queries: r.queries.map((q) => ({ id: q.id, label: q.title, tool: r.speedups[q.id].tool, plan: r.speedups[q.id].plan })),
      sets: r.sets.map((s) => ({ id: s.id, label: short[s.id], indexBytes: s.size.bytes, indexCount: s.size.count, geomean: s.geomean })),
    }),
  );
  return { json, svg };
}

export function printEffect(r: EffectResults, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): void {
  log(`\nEffect of the migration — ${r.machine.cpu} × ${r.machine.cores}, PostgreSQL 15, ${Object.values(r.rows).reduce((a, x) => a + x, 0).toLocaleString('en')} rows; median of ${r.options.runs} runs (server execution time)`);
  log(effectTable(r));
  for (const s of r.sets) for (const c of s.migration?.corrections ?? []) log(`plan's migration, statement ${c.ordinal + 1} corrected (${c.rule}): ${c.original}  →  ${c.corrected}`);
  for (const s of r.sets) for (const f of s.migration?.failures ?? []) log(`${s.id}: statement ${f.ordinal + 1} failed: ${f.error}`);
  if (r.rowMismatches.length) log(`row-count mismatches (should not happen): ${r.rowMismatches.join('; ')}`);
  log(`updates: ${HOT_TABLES.map((t) => `${t}: ${updateDescription(t)}`).join('; ')}`);
}

async function main(): Promise<void> {
  const opts = parseEffectArgs(process.argv.slice(2));
  const r = await runEffect(opts);
  printEffect(r);
  const files = writeEffectResults(r, opts.outDir);
  process.stdout.write(`\nTotal ${(r.totalMs / 1000).toFixed(0)} s; wrote ${path.relative(process.cwd(), files.json)}, ${path.relative(process.cwd(), files.svg)}\n`);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  });
}
