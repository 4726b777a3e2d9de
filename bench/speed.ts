/**
 * Speed figures on a large synthetic workspace (bench/synthetic/generate.ts), issue 6 §2:
 *
 * - analysis speed: `check` cold (a new process running dist/cli.js) and warm (in process through
 *   dist/engine.js, the bundle the extension loads: later full analyses, alternating between identical
 *   copies at two paths so nothing from one run is reused but the JIT, the WASM parsers and the
 *   extraction threads), with the default threads and with `threads: 0`;
 * - raw parsing of the same inputs in the same process, in the same rounds as the warm analyses (the
 *   ratio is the median of the rounds' ratios): libpg-query `parseSync` on every SQL text
 *   (.sql files, migrations, and the SQL strings embedded in TypeScript, extracted once with
 *   `findEmbeddedSql`) and `ts.createSourceFile` on every TypeScript file, both as this repository
 *   always measured it (`setParentNodes` on: the tree the analysis needs) and bare (no parent
 *   pointers, no JSDoc: the least TypeScript can do); the ratio full analysis / raw parse (goal ≤ 1.5×);
 * - editor latency: `project.updateFile(file, text)` + `project.analyze()` — what the extension
 *   runs after a keystroke — for one-line edits of a 5,000-line TypeScript file, p50/p95 over
 *   200 edits after 10 unmeasured ones (goal p95 < 30 ms), each after an event-loop turn as in the
 *   editor, and the same edits back to back for comparison; and edits that add a line and remove it again;
 * - memory: peak RSS (`process.resourceUsage().maxRSS`) of the `check` child process;
 * - scaling: `check` at 1×, 2×, 4×, 8× in child processes, least-squares slope (ms per file) and R².
 *   A scale whose predicted time would blow the time budget is skipped (and said so).
 *
 * Run through `npm run bench` (bench/run.ts), or alone after a build: `tsx bench/speed.ts [--quick]
 * [--scales 1,2,4,8] [--reps 3] [--rounds 9] [--edits 200] [--budget 300] [--keep]`. Writes bench/results/speed.json.
 * Warm rounds: the first is unmeasured; the JIT goes on settling over the next two or three, and a
 * shared machine slows single rounds down, so the medians are taken over eight (`--rounds`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSync } from 'libpg-query';
import * as ts from 'typescript';
import type { Project } from '../src/core/project';
import { lintMigrations } from '../src/core/migration/lint';
import { findEmbeddedSql } from '../src/core/sources/typescript/embeddedSql';
import { initSqlParser } from '../src/core/sql/parser';
import { defaultThreads } from '../src/core/workspace/extractPool';
import { classify, listFiles } from '../src/core/workspace/files';
import { generateWorkspace, type SyntheticWorkspace } from './synthetic/generate';

const ROOT = path.resolve(__dirname, '..');
/** Edits made before the editor-latency samples are taken. */
const WARMUP = 10;
/** The bundles measured: dist/ (built by `npm run bench`), or PGIR_BENCH_DIST to compare another build. */
const DIST = process.env.PGIR_BENCH_DIST ? path.resolve(process.env.PGIR_BENCH_DIST) : path.join(ROOT, 'dist');
const CLI = path.join(DIST, 'cli.js');
const ENGINE = path.join(DIST, 'engine.js');

/** The analysis core as the extension loads it (dist/engine.js). */
function engine(): { Project: typeof Project } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(ENGINE) as { Project: typeof Project };
}

export interface SpeedOptions {
  /** Scales of the scaling series. */
  scales: number[];
  /** Child-process runs per scale (median). */
  scaleReps: number;
  /** Cold `check` runs on the large workspace (median). */
  coldReps: number;
  /** Rounds of in-process analyses and raw parse (the first warms up; medians of the others). */
  warmReps: number;
  edits: number;
  /** Edits that add a line (the full re-extraction path), for comparison. */
  lineEdits: number;
  seed: number;
  /** Seconds the scaling series may take; a scale predicted to overrun is skipped. */
  budgetSeconds: number;
  /** Keep the generated workspaces (their paths are printed). */
  keep: boolean;
}

export const DEFAULT_SPEED_OPTIONS: SpeedOptions = { scales: [1, 2, 4, 8], scaleReps: 3, coldReps: 3, warmReps: 9, edits: 200, lineEdits: 30, seed: 20251001, budgetSeconds: 200, keep: false };

export function parseSpeedArgs(argv: string[], base: SpeedOptions = DEFAULT_SPEED_OPTIONS): SpeedOptions {
  const o = { ...base };
  const val = (name: string): string | undefined => {
    const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return undefined;
    return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
  };
  if (argv.includes('--quick')) Object.assign(o, { scales: [0.25, 0.5, 1], scaleReps: 1, coldReps: 1, warmReps: 3, edits: 50, lineEdits: 10 });
  if (val('budget')) o.budgetSeconds = Number(val('budget'));
  if (val('scales')) o.scales = val('scales')!.split(',').map(Number);
  if (val('reps')) o.scaleReps = o.coldReps = Number(val('reps'));
  if (val('rounds')) {
    const n = Number(val('rounds'));
    if (!Number.isInteger(n) || n < 2) throw new Error(`--rounds takes a whole number of at least 2 (a warm-up round and one measured), not ${JSON.stringify(val('rounds'))}`);
    o.warmReps = n;
  }
  if (val('edits')) o.edits = Number(val('edits'));
  if (val('seed')) o.seed = Number(val('seed'));
  if (argv.includes('--keep')) o.keep = true;
  return o;
}

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Nearest-rank percentile. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1))];
}

/** Least squares y = intercept + slope·x, with R². */
export function linearFit(xs: number[], ys: number[]): { slope: number; intercept: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function time<T>(fn: () => T): [T, number] {
  const t = now();
  const r = fn();
  return [r, now() - t];
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = now();
  const r = await fn();
  return [r, now() - t];
}

// ---------------------------------------------------------------------------------------------
// `check` in a child process
// ---------------------------------------------------------------------------------------------

/** Runs dist/cli.js `check --format json` in-process of a new node, and reports its own timings. */
const CHILD = `
const t0 = performance.now();
const { main } = require(process.argv[1]);
const loaded = performance.now();
let bytes = 0;
const sink = { write: (s) => { bytes += s.length; } };
main(['check', process.argv[2], '--format', 'json'], sink, sink).then((code) => {
  const done = performance.now();
  const ru = process.resourceUsage();
  process.stdout.write(JSON.stringify({ code, bytes, sinceStartMs: done, loadMs: loaded - t0, checkMs: done - loaded, cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000, maxRssKb: ru.maxRSS }));
});
`;

export interface ChildRun {
  /** Wall time of the process, as the parent sees it (node start-up and module loading included). */
  wallMs: number;
  /** `check` itself: open, analyse, format (module loading excluded). */
  checkMs: number;
  /** CPU time of the whole process (all threads, start-up included): less sensitive to other load. */
  cpuMs: number;
  maxRssMb: number;
  code: number;
}

/** `check` in a new process; a string saying why when it ran past `timeoutMs` or failed (out of memory…). */
export function childCheck(root: string, timeoutMs = 15 * 60_000): ChildRun | string {
  const t = now();
  const r = spawnSync(process.execPath, ['-e', CHILD, CLI, root], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs });
  const wallMs = now() - t;
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return `timed out after ${(timeoutMs / 1000).toFixed(0)} s`;
  if (r.status !== 0 || !r.stdout) {
    const oom = /heap out of memory/.test(r.stderr ?? '');
    return oom ? `ran out of memory after ${(wallMs / 1000).toFixed(0)} s (V8 heap limit)` : `failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? '').split('\n').find((l) => l.trim()) ?? ''}`;
  }
  const j = JSON.parse(r.stdout) as { code: number; checkMs: number; cpuMs: number; maxRssKb: number };
  return { wallMs, checkMs: j.checkMs, cpuMs: j.cpuMs, maxRssMb: j.maxRssKb / 1024, code: j.code };
}

/**
 * The editor-latency series, in a new node that loads dist/engine.js, opens the workspace (threads as the
 * extension leaves them) and times `updateFile` + `analyze` per keystroke. In the editor each keystroke is
 * its own event, so the event loop turns between two (V8 runs the garbage-collection tasks it scheduled
 * then); the back-to-back series (no turn) is kept for comparison.
 */
const EDITOR_CHILD = `
const fs = require('node:fs');
const [engine, root, big, editLinesJson, optsJson] = process.argv.slice(1);
const { Project } = require(engine);
const editLines = JSON.parse(editLinesJson);
const { edits, lineEdits, warmup } = JSON.parse(optsJson);
(async () => {
  const project = await Project.open(root);
  project.analyze();
  const lines = fs.readFileSync(big, 'utf8').split('\\n');
  const keystroke = async (turn) => {
    if (turn) await new Promise((resolve) => setImmediate(resolve));
    const text = lines.join('\\n');
    const t = performance.now();
    project.updateFile(big, text);
    project.analyze();
    return performance.now() - t;
  };
  let k = 0;
  const oneLineEdits = async (turn) => {
    const samples = [];
    // The first edits are not counted: the first keystrokes after opening compile the edit path.
    for (let i = -warmup; i < edits; i++, k++) {
      const ln = editLines[(k * 7) % editLines.length];
      lines[ln] = lines[ln].replace(/take: \\d+/, 'take: ' + (11 + ((k * 13) % 89)));
      const ms = await keystroke(turn);
      if (i >= 0) samples.push(ms);
    }
    return samples;
  };
  const oneLine = await oneLineEdits(true);
  const backToBack = await oneLineEdits(false);
  // A line added (Enter), then removed again (Backspace): both keystrokes count.
  const added = [];
  for (let i = 0; i < lineEdits; i++) {
    const ln = editLines[(i * 11) % editLines.length];
    lines.splice(ln + 1, 0, '    // note ' + i);
    added.push(await keystroke(true));
    lines.splice(ln + 1, 1);
    added.push(await keystroke(true));
  }
  process.stdout.write(JSON.stringify({ oneLine, backToBack, lineEdits: added }));
  process.exit(0);
})();
`;

function childEditor(root: string, big: string, editLines: number[], opts: SpeedOptions): { oneLine: number[]; backToBack: number[]; lineEdits: number[] } {
  const r = spawnSync(process.execPath, ['-e', EDITOR_CHILD, ENGINE, root, big, JSON.stringify(editLines), JSON.stringify({ edits: opts.edits, lineEdits: opts.lineEdits, warmup: WARMUP })], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60_000,
  });
  if (r.status !== 0 || !r.stdout) throw new Error(`the editor-latency process failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' ')}`);
  return JSON.parse(r.stdout) as { oneLine: number[]; backToBack: number[]; lineEdits: number[] };
}

// ---------------------------------------------------------------------------------------------
// The measurements
// ---------------------------------------------------------------------------------------------

interface RawInputs {
  sql: string[];
  ts: { file: string; text: string }[];
  embedded: number;
}

function rawInputs(root: string): RawInputs {
  const files = listFiles([root], root, []).files;
  const sql: string[] = [];
  const tsFiles: { file: string; text: string }[] = [];
  let embedded = 0;
  for (const f of files) {
    const k = classify(f);
    const text = fs.readFileSync(f, 'utf8');
    if (k === 'sql' || k === 'migration') sql.push(text);
    else if (k === 'script') {
      tsFiles.push({ file: f, text });
      for (const e of findEmbeddedSql(text, f)) {
        sql.push(e.sql);
        embedded++;
      }
    }
  }
  return { sql, ts: tsFiles, embedded };
}

function rawParse(inputs: RawInputs): { sqlMs: number; tsMs: number; tsBareMs: number } {
  const [, sqlMs] = time(() => {
    for (const s of inputs.sql) {
      try {
        parseSync(s);
      } catch {
        // a syntax error costs a parse too
      }
    }
  });
  // As this repository always measured it: with parent pointers, the tree the analysis walks.
  const [, tsMs] = time(() => {
    for (const x of inputs.ts) ts.createSourceFile(x.file, x.text, ts.ScriptTarget.Latest, true);
  });
  // The least TypeScript can do: no parent pointers (the analysis sets them in its own walk), no JSDoc.
  const [, tsBareMs] = time(() => {
    for (const x of inputs.ts) ts.createSourceFile(x.file, x.text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false);
  });
  return { sqlMs, tsMs, tsBareMs };
}

export interface SpeedResults {
  machine: { cpu: string; cores: number; node: string; loadavgBefore: number[]; loadavgAfter: number[] };
  options: SpeedOptions;
  workspace: { tsFiles: number; sqlFiles: number; migrations: number; embeddedSql: number; queries: number; findings: number; mb: number; generateMs: number };
  cold: { wallMs: number[]; checkMs: number[]; cpuMs: number[]; maxRssMb: number[] };
  warm: { firstMs: number; runsMs: number[]; openMs: number[]; analyzeMs: number[]; /** CPU time of this process (all threads) per run. */ cpuMs: number[]; /** Extraction threads (besides the calling one) and the files they extracted in the last run. */ threads: number; threadedFiles: number };
  /** Warm runs with `threads: 0`: everything on the calling thread. */
  warmOneThread: { runsMs: number[]; cpuMs: number[]; /** Project.open (read, schema, migration lint, extraction) and analyze() apart. */ openMs: number[]; analyzeMs: number[] };
  /** lintMigrations alone on the workspace's migrations (part of every full analysis). */
  migrationLintMs: number;
  raw: { sqlMs: number[]; tsMs: number[]; tsBareMs: number[] };
  /** Medians of the rounds' ratios (full analysis / raw parse in the same round). */
  ratio: { warmOverRaw: number; warmOverBareRaw: number; oneThreadOverRaw: number };
  /** Keystrokes with an event-loop turn between them, as in the editor; `backToBack`: the same edits without one. */
  editor: { file: string; lines: number; samplesMs: number[]; p50: number; p95: number; max: number; backToBack: { samplesMs: number[]; p50: number; p95: number }; lineEdits: { samplesMs: number[]; p50: number; p95: number } };
  scaling: { scale: number; files: number; checkMs: number[]; cpuMs: number[]; maxRssMb: number[]; skipped?: string }[];
  fit: { slopeMsPerFile: number; interceptMs: number; r2: number; points: number };
  totalMs: number;
}

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

function p(samples: number[]): { samplesMs: number[]; p50: number; p95: number } {
  return { samplesMs: samples, p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

export async function runSpeed(opts: SpeedOptions = DEFAULT_SPEED_OPTIONS): Promise<SpeedResults> {
  const started = now();
  const loadavgBefore = os.loadavg();
  if (!fs.existsSync(CLI) || !fs.existsSync(ENGINE)) throw new Error('dist/cli.js or dist/engine.js is missing: run `npm run build` first');
  const { Project: EngineProject } = engine();
  await initSqlParser();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-bench-'));
  try {
    // The large workspace (1×, with the 5,000-line file) and an identical copy for warm runs.
    const [ws, generateMs] = time(() => generateWorkspace({ scale: 1, seed: opts.seed, out: path.join(tmp, 'large'), bigFile: true }));
    const copy = path.join(tmp, 'large-copy');
    fs.cpSync(ws.root, copy, { recursive: true });
    log(`large workspace: ${ws.root} (${ws.tsFiles.length} TypeScript, ${ws.migrationFiles.length} migrations, ${ws.sqlFiles.length} .sql; generated in ${generateMs.toFixed(0)} ms)`);

    // 1. Cold: new processes.
    const cold = { wallMs: [] as number[], checkMs: [] as number[], cpuMs: [] as number[], maxRssMb: [] as number[] };
    for (let i = 0; i < opts.coldReps; i++) {
      const r = childCheck(ws.root);
      if (typeof r === 'string') throw new Error(`check of the large workspace ${r}`);
      cold.wallMs.push(r.wallMs);
      cold.checkMs.push(r.checkMs);
      cold.cpuMs.push(r.cpuMs);
      cold.maxRssMb.push(r.maxRssMb);
      log(`cold check ${i + 1}/${opts.coldReps}: ${r.wallMs.toFixed(0)} ms wall, ${r.checkMs.toFixed(0)} ms check, ${r.cpuMs.toFixed(0)} ms CPU, ${r.maxRssMb.toFixed(0)} MB`);
    }

    // 2–3. Warm analyses and the raw parse, in rounds: each round runs a full analysis on the threads,
    // one on the calling thread alone (threads: 0, as on a one-core machine or with --threads 0) and the
    // raw parse of the same inputs, so a machine that slows down or speeds up during the run (shared
    // cores) weighs on all three alike; the ratio is the median of the rounds' ratios. Analyses alternate
    // between the two identical copies. Round 0 warms the JIT, the WASM parsers and the threads, unmeasured.
    const warm = { firstMs: 0, runsMs: [] as number[], openMs: [] as number[], analyzeMs: [] as number[], cpuMs: [] as number[], threads: 0, threadedFiles: 0 };
    const single = { runsMs: [] as number[], cpuMs: [] as number[], openMs: [] as number[], analyzeMs: [] as number[] };
    const raw = { sqlMs: [] as number[], tsMs: [] as number[], tsBareMs: [] as number[] };
    const ratios = { threads: [] as number[], oneThread: [] as number[], bare: [] as number[] };
    const inputs = rawInputs(ws.root);
    let queries = 0;
    let findings = 0;
    let threadedFiles = 0;
    const analysis = async (root: string, threads?: number) => {
      const cpu0 = process.cpuUsage();
      const [proj, openMs] = await timeAsync(() => EngineProject.open(root, { threads: threads ?? 'auto' }));
      const [r, analyzeMs] = time(() => proj.analyze());
      const cpu = process.cpuUsage(cpu0);
      return { proj, r, openMs, analyzeMs, cpuMs: (cpu.user + cpu.system) / 1000 };
    };
    for (let i = 0; i < opts.warmReps; i++) {
      const a = await analysis(i % 2 === 0 ? ws.root : copy);
      threadedFiles = a.proj.threadedFiles;
      queries = a.r.stats.queries;
      findings = a.r.findings.length;
      const b = await analysis(i % 2 === 0 ? copy : ws.root, 0);
      const parse = rawParse(inputs);
      log(
        `round ${i}${i === 0 ? ' (warm-up)' : ''}: threads open ${a.openMs.toFixed(0)} + analyze ${a.analyzeMs.toFixed(0)} ms (CPU ${a.cpuMs.toFixed(0)}); one thread ${b.openMs.toFixed(0)} + ${b.analyzeMs.toFixed(0)} ms (CPU ${b.cpuMs.toFixed(0)}); ` +
          `raw parse SQL ${parse.sqlMs.toFixed(0)} ms (${inputs.sql.length} texts) + TypeScript ${parse.tsMs.toFixed(0)} ms (bare ${parse.tsBareMs.toFixed(0)}; ${inputs.ts.length} files)`,
      );
      if (i === 0) {
        warm.firstMs = a.openMs + a.analyzeMs;
        continue;
      }
      warm.runsMs.push(a.openMs + a.analyzeMs);
      warm.openMs.push(a.openMs);
      warm.analyzeMs.push(a.analyzeMs);
      warm.cpuMs.push(a.cpuMs);
      single.runsMs.push(b.openMs + b.analyzeMs);
      single.cpuMs.push(b.cpuMs);
      single.openMs.push(b.openMs);
      single.analyzeMs.push(b.analyzeMs);
      raw.sqlMs.push(parse.sqlMs);
      raw.tsMs.push(parse.tsMs);
      raw.tsBareMs.push(parse.tsBareMs);
      ratios.threads.push((a.openMs + a.analyzeMs) / (parse.sqlMs + parse.tsMs));
      ratios.oneThread.push((b.openMs + b.analyzeMs) / (parse.sqlMs + parse.tsMs));
      ratios.bare.push((a.openMs + a.analyzeMs) / (parse.sqlMs + parse.tsBareMs));
    }
    const sources = ws.migrationFiles.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
    const [, migrationLintMs] = time(() => lintMigrations(sources));
    log(`migration lint alone: ${migrationLintMs.toFixed(0)} ms`);

    // 4. Editor latency on the big file: cumulative one-line edits, as typed, then edits that add a line. In a
    // new process that opens the workspace once, as the extension host does: not in this one, whose heap holds
    // the garbage of the rounds above, which V8 would be collecting during the edits.
    const big = ws.bigFile!;
    const lines = fs.readFileSync(big, 'utf8').split('\n');
    const edits = childEditor(ws.root, big, ws.bigFileEditLines, opts);
    const samples = edits.oneLine;
    const backToBack = edits.backToBack;
    const lineSamples = edits.lineEdits;
    const editor = { file: path.relative(ws.root, big), lines: lines.length - 1, ...p(samples), max: Math.max(...samples), backToBack: p(backToBack), lineEdits: p(lineSamples) };
    log(`editor latency: p50 ${editor.p50.toFixed(1)} ms, p95 ${editor.p95.toFixed(1)} ms over ${samples.length} one-line edits (back to back: ${editor.backToBack.p50.toFixed(1)} / ${editor.backToBack.p95.toFixed(1)} ms); line added: p50 ${editor.lineEdits.p50.toFixed(1)} ms`);

    // 5. Scaling: check in child processes at each scale (no big file), within the time budget: one run per
    // scale first, more (up to scaleReps) while the budget still covers one run of each larger scale,
    // predicted linearly from this one (a faster-growing analysis would overrun the budget anyway).
    const scaling: SpeedResults['scaling'] = [];
    const budgetEnd = now() + opts.budgetSeconds * 1000;
    let skipping: string | undefined;
    for (const [k, scale] of opts.scales.entries()) {
      const row: SpeedResults['scaling'][number] = { scale, files: 0, checkMs: [], cpuMs: [], maxRssMb: [] };
      scaling.push(row);
      const prev = [...scaling].reverse().find((x) => x.checkMs.length);
      const predicted = prev ? (median(prev.checkMs) * scale) / prev.scale : 0;
      if (!skipping && now() + predicted > budgetEnd) skipping = `skipped: ~${(predicted / 1000).toFixed(0)} s per run would overrun the ${opts.budgetSeconds} s budget`;
      if (skipping) {
        row.skipped = skipping;
        log(`scale ${scale}×: ${skipping}`);
        continue;
      }
      const w: SyntheticWorkspace = generateWorkspace({ scale, seed: opts.seed, out: path.join(tmp, `scale-${scale}`), bigFile: false });
      row.files = w.tsFiles.length + w.sqlFiles.length + w.migrationFiles.length;
      for (let i = 0; i < opts.scaleReps; i++) {
        const r = childCheck(w.root, Math.round(Math.max(10_000, budgetEnd - now())));
        if (typeof r === 'string') {
          row.skipped = `check ${r}`;
          skipping = `skipped: the ${scale}× check ${r}`;
          break;
        }
        row.checkMs.push(r.checkMs);
        row.cpuMs.push(r.cpuMs);
        row.maxRssMb.push(r.maxRssMb);
        const rest = opts.scales.slice(k + 1).reduce((t, s2) => t + (r.checkMs * s2) / scale + 2_000 * s2, 0);
        if (now() + r.checkMs + rest > budgetEnd) break;
      }
      log(`scale ${scale}×: ${row.files} files, ${row.checkMs.length ? `check ${row.checkMs.map((x) => x.toFixed(0)).join(' / ')} ms, ${median(row.maxRssMb).toFixed(0)} MB` : ''}${row.skipped ? ` (${row.skipped})` : ''}`);
      if (!opts.keep) fs.rmSync(w.root, { recursive: true, force: true });
    }
    const measured = scaling.filter((x) => x.checkMs.length && !x.skipped);
    const fit = linearFit(
      measured.map((x) => x.files),
      measured.map((x) => median(x.checkMs)),
    );
    return {
      machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, loadavgBefore, loadavgAfter: os.loadavg() },
      options: opts,
      workspace: { tsFiles: ws.tsFiles.length, sqlFiles: ws.sqlFiles.length, migrations: ws.migrationFiles.length, embeddedSql: inputs.embedded, queries, findings, mb: ws.bytes / 1024 / 1024, generateMs },
      cold,
      warm: { ...warm, threads: defaultThreads(Number.MAX_SAFE_INTEGER), threadedFiles },
      warmOneThread: single,
      migrationLintMs,
      raw,
      ratio: { warmOverRaw: median(ratios.threads), warmOverBareRaw: median(ratios.bare), oneThreadOverRaw: median(ratios.oneThread) },
      editor,
      scaling,
      fit: { slopeMsPerFile: fit.slope, interceptMs: fit.intercept, r2: fit.r2, points: measured.length },
      totalMs: now() - started,
    };
  } finally {
    if (opts.keep) log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function speedTable(r: SpeedResults): [string, string][] {
  const f0 = (x: number) => x.toFixed(0);
  const f1 = (x: number) => x.toFixed(1);
  const w = r.workspace;
  const rawSql = median(r.raw.sqlMs);
  const rawTs = median(r.raw.tsMs);
  const rawBare = median(r.raw.tsBareMs);
  const rows: [string, string][] = [
    [`large workspace: ${w.tsFiles} TS files, ${w.migrations} migrations, ${w.sqlFiles} .sql (${w.mb.toFixed(1)} MB)`, `${w.queries} queries, ${w.findings} findings`],
    [`check, cold (new process, dist/cli.js; median of ${r.cold.wallMs.length})`, `${f0(median(r.cold.wallMs))} ms (check itself ${f0(median(r.cold.checkMs))} ms, CPU ${f0(median(r.cold.cpuMs))} ms)`],
    [`check, warm (in process, open + analyze; median of ${r.warm.runsMs.length})`, `${f0(median(r.warm.runsMs))} ms (open ${f0(median(r.warm.openMs))} + analyze ${f0(median(r.warm.analyzeMs))}; CPU ${f0(median(r.warm.cpuMs))}; first run ${f0(r.warm.firstMs)})`],
    [`  extraction threads besides the calling one (${r.machine.cores} cores)`, `${r.warm.threads} (${r.warm.threadedFiles} of ${w.tsFiles + w.sqlFiles} query files extracted on them)`],
    [`check, warm, on the calling thread alone (threads 0; median of ${r.warmOneThread.runsMs.length})`, `${f0(median(r.warmOneThread.runsMs))} ms (CPU ${f0(median(r.warmOneThread.cpuMs))})`],
    ...oneThreadParts(r, rawSql + rawTs),
    [`  of which the migration linter (lintMigrations alone, ${w.migrations} files)`, `${f0(r.migrationLintMs)} ms`],
    [`raw parse: libpg-query on ${w.sqlFiles + w.migrations + w.embeddedSql} SQL texts + TypeScript on ${w.tsFiles} files`, `${f0(rawSql + rawTs)} ms (SQL ${f0(rawSql)} + TS ${f0(rawTs)}; TS bare ${f0(rawBare)})`],
    [`full analysis / raw parse, median of ${r.warm.runsMs.length} rounds (goal ≤ 1.5×)`, `${r.ratio.warmOverRaw.toFixed(2)}× (${r.ratio.warmOverBareRaw.toFixed(2)}× over the bare parse; on one thread ${r.ratio.oneThreadOverRaw.toFixed(2)}×)`],
    [`editor: one-line edit of a ${r.editor.lines}-line file → findings, p50 / p95 (${r.editor.samplesMs.length} edits after ${WARMUP}; goal p95 < 30 ms)`, `${f1(r.editor.p50)} / ${f1(r.editor.p95)} ms (max ${f1(r.editor.max)})`],
    [`  the same edits back to back (no event-loop turn between them), p50 / p95`, `${f1(r.editor.backToBack.p50)} / ${f1(r.editor.backToBack.p95)} ms`],
    [`editor: a line added or removed, p50 / p95 (${r.editor.lineEdits.samplesMs.length} edits)`, `${f1(r.editor.lineEdits.p50)} / ${f1(r.editor.lineEdits.p95)} ms`],
    ['peak RSS, check of the large workspace (child maxRSS)', `${f0(median(r.cold.maxRssMb))} MB`],
  ];
  for (const s of r.scaling) {
    if (s.skipped && !s.checkMs.length) rows.push([`scaling ${s.scale}×`, s.skipped]);
    else rows.push([`scaling ${s.scale}×: ${s.files} files (median of ${s.checkMs.length})`, `${f0(median(s.checkMs))} ms (CPU ${f0(median(s.cpuMs))} ms), ${f0(median(s.maxRssMb))} MB${s.skipped ? `; ${s.skipped}` : ''}`]);
  }
  if (r.fit.points >= 3) rows.push([`scaling fit over ${r.fit.points} scales: check ms = a + slope × files`, `slope ${r.fit.slopeMsPerFile.toFixed(3)} ms/file, a ${f0(r.fit.interceptMs)} ms, R² ${r.fit.r2.toFixed(4)}`]);
  else rows.push(['scaling fit', `needs 3 scales, ${r.fit.points} measured`]);
  rows.push(['speed bench wall time', `${(r.totalMs / 1000).toFixed(0)} s (load average ${r.machine.loadavgBefore.map(f1).join(' ')} → ${r.machine.loadavgAfter.map(f1).join(' ')})`]);
  return rows;
}

/**
 * On one thread, open (listing, reading, schema, extraction) and analyze() (the migration lint, which runs during
 * open only beside extraction threads, and the rules) apart, each over the raw parse: where the ratio comes from.
 * Medians of each, so they need not add up to the median of the whole.
 */
function oneThreadParts(r: SpeedResults, raw: number): [string, string][] {
  const { openMs, analyzeMs } = r.warmOneThread;
  if (!openMs?.length) return [];
  const open = median(openMs);
  const analyze = median(analyzeMs);
  return [[`  open (read, schema, extraction) / analyze (migration lint, rules), medians`, `${open.toFixed(0)} ms (${(open / raw).toFixed(2)}× the raw parse) / ${analyze.toFixed(0)} ms (${(analyze / raw).toFixed(2)}×)`]];
}

export function printTable(title: string, rows: [string, string][]): void {
  const w = Math.max(...rows.map((x) => x[0].length));
  console.log(title);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
}

export function writeSpeedResults(r: SpeedResults): string {
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'speed.json');
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), ...r, editor: { ...r.editor, samplesMs: r.editor.samplesMs.map((x) => Math.round(x * 100) / 100) } }, null, 2) + '\n');
  return file;
}

if (require.main === module) {
  runSpeed(parseSpeedArgs(process.argv.slice(2)))
    .then((r) => {
      printTable(`machine: ${r.machine.cpu} × ${r.machine.cores}, node ${r.machine.node}`, speedTable(r));
      console.log(`wrote ${path.relative(ROOT, writeSpeedResults(r))}`);
    })
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
