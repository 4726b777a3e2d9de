/**
 * `npm run bench`: speed figures for the analysis core, on the bundled sample (bench/results/core.json)
 * and on a large synthetic workspace (bench/speed.ts → bench/results/speed.json), then the effect of
 * the generated migration on the reference plan's queries on a real PostgreSQL 15 at scale
 * (bench/effect/run.ts → bench/results/effect.json, effect.svg). Prints tables.
 * Figures, not pass/fail. `npm run bench -- --speed-only | --core-only | --quick | --scales 1,2 …`;
 * `--no-effect` skips the database benchmark, `--effect-only` runs it alone; `--effect-scale 0.25`,
 * `--effect-runs 7` (… any option of bench/effect/run.ts with the `effect-` prefix).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSync } from 'libpg-query';
import * as ts from 'typescript';
import { Project } from '../src/core/project';
import { initSqlParser } from '../src/core/sql/parser';
import { parseSpeedArgs, printTable, runSpeed, speedTable, writeSpeedResults } from './speed';
import { parseEffectArgs, printEffect, runEffect, writeEffectResults } from './effect/run';

const ROOT = path.resolve(__dirname, '..');
const SAMPLE = path.join(ROOT, 'examples', 'lms');

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

function time<T>(fn: () => T): [T, number] {
  const t = process.hrtime.bigint();
  const r = fn();
  return [r, Number(process.hrtime.bigint() - t) / 1e6];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--effect-only')) return effect(argv);
  if (!argv.includes('--speed-only')) await sample();
  if (argv.includes('--core-only')) return;
  const r = await runSpeed(parseSpeedArgs(argv));
  console.log('');
  printTable(`large synthetic workspace — machine: ${r.machine.cpu} × ${r.machine.cores}, node ${r.machine.node}`, speedTable(r));
  console.log(`wrote ${path.relative(ROOT, writeSpeedResults(r))}`);
  if (!argv.includes('--no-effect') && !argv.includes('--speed-only')) await effect(argv);
}

/** The effect of the migration on the plan's queries (bench/effect/): a PostgreSQL 15 cluster at scale. */
async function effect(argv: string[]): Promise<void> {
  const opts = parseEffectArgs(argv, 'effect-');
  if (argv.includes('--quick') && !argv.includes('--effect-scale')) opts.scale = 0.05;
  console.log('');
  const r = await runEffect(opts);
  printEffect(r);
  const files = writeEffectResults(r, opts.outDir);
  console.log(`wrote ${path.relative(ROOT, files.json)}, ${path.relative(ROOT, files.svg)} (${(r.totalMs / 1000).toFixed(0)} s)`);
}

/** The bundled sample (examples/lms). */
async function sample(): Promise<void> {
  const rows: [string, string][] = [];
  const results: Record<string, number> = {};

  // 1. The CLI as a user runs it (cold process, bundle included).
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const cold: number[] = [];
  for (let i = 0; i < 5; i++) {
    const [, ms] = time(() => execFileSync(process.execPath, [cli, 'check', SAMPLE, '--format', 'json'], { stdio: 'pipe' }));
    cold.push(ms);
  }
  results.cliColdMedianMs = percentile(cold, 50);
  rows.push(['pg-index-review check examples/lms (new process, median of 5)', `${results.cliColdMedianMs.toFixed(0)} ms`]);

  // 2. In process: load + analyse, then analyse again (warm).
  await initSqlParser();
  const [project, loadMs] = time(() => null as unknown as Project);
  void project;
  const t0 = process.hrtime.bigint();
  const p = await Project.open(SAMPLE);
  results.loadMs = Number(process.hrtime.bigint() - t0) / 1e6 + loadMs;
  const [r, analyzeMs] = time(() => p.analyze());
  results.analyzeMs = analyzeMs;
  rows.push(['Project.open(examples/lms) in process', `${results.loadMs.toFixed(0)} ms`]);
  rows.push([`analyze(): ${r.stats.queries} queries, ${r.stats.indexes} indexes, ${r.findings.length} findings`, `${analyzeMs.toFixed(1)} ms`]);

  // 3. Editor path: one-line edit of a service file, re-extract + analyse (p50/p95 over 200 edits).
  const file = path.join(SAMPLE, 'src', 'services', 'payments.ts');
  const text = fs.readFileSync(file, 'utf8');
  const lat: number[] = [];
  for (let i = 0; i < 200; i++) {
    const edited = text.replace('take: 10', `take: ${10 + (i % 7)}`);
    const [, ms] = time(() => {
      p.updateFile(file, edited);
      return p.analyze();
    });
    lat.push(ms);
  }
  p.updateFile(file, text);
  results.editP50Ms = percentile(lat, 50);
  results.editP95Ms = percentile(lat, 95);
  rows.push(['one-line edit of payments.ts → new findings, p50 / p95 (200 edits)', `${results.editP50Ms.toFixed(1)} / ${results.editP95Ms.toFixed(1)} ms`]);

  // 4. Raw parser speeds on the sample's inputs, for the ratio full analysis / raw parse.
  const sqlTexts = [...p.files.values()].filter((e) => e.kind === 'sql' || e.kind === 'migration').map((e) => e.text);
  const tsTexts = [...p.files.values()].filter((e) => e.kind === 'script').map((e) => ({ f: e.file, t: e.text }));
  const reps = 20;
  const [, sqlMs] = time(() => {
    for (let i = 0; i < reps; i++) for (const s of sqlTexts) parseSync(s);
  });
  const [, tsMs] = time(() => {
    for (let i = 0; i < reps; i++) for (const x of tsTexts) ts.createSourceFile(x.f, x.t, ts.ScriptTarget.Latest, true);
  });
  results.rawParseMs = (sqlMs + tsMs) / reps;
  const [, reopenMs] = time(() => {
    for (let i = 0; i < reps; i++) {
      for (const e of [...p.files.values()]) p.updateFile(e.file, e.text);
      p.analyze();
    }
  });
  results.fullAnalysisMs = reopenMs / reps;
  results.ratio = results.fullAnalysisMs / results.rawParseMs;
  rows.push(['raw parse of every sample file (libpg-query + TypeScript)', `${results.rawParseMs.toFixed(1)} ms`]);
  rows.push(['full re-analysis of every sample file (warm)', `${results.fullAnalysisMs.toFixed(1)} ms (${results.ratio.toFixed(2)}× raw parse)`]);
  results.rssMb = process.memoryUsage().rss / 1024 / 1024;
  rows.push(['resident memory after the runs', `${results.rssMb.toFixed(0)} MB`]);

  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}, node ${process.version}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'core.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, results }, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
