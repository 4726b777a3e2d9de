// Editor latency inside a real VS Code (figures, not pass/fail): code-server and headless chromium on the
// synthetic benchmark workspace (bench/synthetic, 1×, with its 5,000-line file). The part that runs in the
// extension host (test/vscode/suite/editor.bench.ts) edits the big file through the editor and times each
// keystroke to the extension's published analysis; this side reads the window's main-thread busy time
// (Chrome's TaskDuration) at the phase edges that part logs.
//
// Three configurations, each in a fresh code-server:
// - "extension": VS Code's own TypeScript service kept off (*.ts opened as plain text), so the figures are
//   the extension's and the editor's;
// - "noLenses": the same with the extension's code lenses off (`pgIndexReview.codeLens.enabled`);
// - "with TypeScript": VS Code's TypeScript language features on, as most users have them.
// Each starts with a baseline: the same edits on a copy of the file that the extension ignores (about what
// VS Code spends by itself). Series: one-line edits in a row, one-line edits with a pause after each (VS Code
// asks for the code lenses again in the pause), lines added and removed again.
//
// Usage: npm run bench:vscode-editor [-- --edits 200 --line-edits 30 --paused-edits 40 --only extension|noLenses|typescript]
//   → prints a table, writes bench/results/vscode-editor.json (not with --only: a single configuration only prints).
// `diagnostics.debounceMs` is 0 here: the figures are the work after a keystroke, without the wait the
// setting adds on purpose (300 ms by default).
// PGIR_VSCODE_BENCH_PROFILE=prefix also writes CPU profiles of each phase (extension host and window).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTests, repo } from '../scripts/vscode-test/buildTests.mjs';
import { runExtensionTests, startCodeServer } from '../scripts/vscode-test/codeServer.mjs';
import { install } from '../scripts/vscode-test/install.mjs';

const BASELINE_DIR = 'bench-baseline';
const PHASES = ['baseline', 'oneLine', 'pausedBaseline', 'paused', 'lineEdits'];
const CONFIGS = ['extension', 'noLenses', 'typescript'];
const PAUSE_MS = 1000;

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

function count(name, fallback) {
  const n = Number(arg(name, String(fallback)));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: a whole number of keystrokes, at least 1`);
  return n;
}

const own = (ph) => ph.updateMs.map((u, i) => u + ph.analyzeMs[i] + ph.publishMs[i]);

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** One configuration in a fresh code-server: the extension host's figures and the window's busy time per phase. */
async function runConfig({ ws, testsPath, tmp, settings, edits, lineEdits, pausedEdits, label }) {
  const outFile = path.join(tmp, `figures-${label}.json`);
  const reportFile = path.join(tmp, `report-${label}.json`);
  const server = await startCodeServer({
    workspace: ws.root,
    // Autosave is off (startCodeServer): a save would land inside the measured phases.
    settings: { 'pgIndexReview.diagnostics.debounceMs': 0, 'pgIndexReview.ignore': [`${BASELINE_DIR}/**`], ...settings },
    env: {
      PGIR_VSCODE_SUITE: 'bench',
      PGIR_VSCODE_BENCH: JSON.stringify({ file: ws.bigFile, baseline: ws.baselineFile, editLines: ws.bigFileEditLines, edits, lineEdits, pausedEdits, pauseMs: PAUSE_MS, warmup: 20 }),
      PGIR_VSCODE_BENCH_OUT: outFile,
      PGIR_VSCODE_TEST_REPORT: reportFile,
      ...(process.env.PGIR_VSCODE_BENCH_PROFILE ? { PGIR_VSCODE_BENCH_PROFILE: `${process.env.PGIR_VSCODE_BENCH_PROFILE}.${label}` } : {}),
    },
  });
  const window = new Map();
  const pending = [];
  const failures = [];
  const lines = [];
  let code;
  try {
    code = await runExtensionTests({
      server,
      workspace: ws.root,
      extensionPath: repo,
      testsPath,
      timeoutMs: 60 * 60_000,
      onConsole: (type, text) => lines.push(`[${type}] ${text}`),
      onPage: async (page) => {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        const profile = process.env.PGIR_VSCODE_BENCH_PROFILE;
        if (profile) await cdp.send('Profiler.enable');
        return (text) => {
          const m = /pgir-bench:(\w+):(start|end)/.exec(text);
          if (!m) return;
          // Each reading's failure is reported after the run (a rejection left alone would end the process).
          const track = (p) => pending.push(p.catch((err) => failures.push(`${m[0]}: ${err?.message ?? err}`)));
          if (profile && m[2] === 'start') track(cdp.send('Profiler.start'));
          if (profile && m[2] === 'end') track(cdp.send('Profiler.stop').then((r) => fs.writeFileSync(`${profile}.${label}.window.${m[1]}.cpuprofile`, JSON.stringify(r.profile))));
          track(
            cdp.send('Performance.getMetrics').then((r) => {
              const busy = r.metrics.find((x) => x.name === 'TaskDuration')?.value;
              if (busy !== undefined) window.set(`${m[1]}:${m[2]}`, busy * 1000);
            }),
          );
        };
      },
    });
    await Promise.all(pending);
  } finally {
    await server.stop();
  }
  for (const f of failures) process.stderr.write(`${label}: reading the window's counters failed at ${f}\n`);
  if (code !== 0 || !fs.existsSync(outFile)) {
    const report = fs.existsSync(reportFile) ? fs.readFileSync(reportFile, 'utf8') : '(no report)';
    throw new Error(`the benchmark in VS Code (${label}) failed (exit ${String(code)}):\n${report}\n${lines.filter((l) => /error|fail/i.test(l)).slice(-20).join('\n')}`);
  }
  const figures = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  const phases = {};
  for (const name of PHASES) {
    const ph = figures[name];
    const start = window.get(`${name}:start`);
    const end = window.get(`${name}:end`);
    phases[name] = {
      keystrokes: ph.keystrokes,
      p50: percentile(ph.latencyMs, 50),
      p95: percentile(ph.latencyMs, 95),
      appliedP50: percentile(ph.appliedMs, 50),
      // The extension's own parts of each analysis (p50): re-reading the file, the core's analysis, publishing.
      updateP50: ph.updateMs.length ? percentile(ph.updateMs, 50) : null,
      analyzeP50: ph.analyzeMs.length ? percentile(ph.analyzeMs, 50) : null,
      publishP50: ph.publishMs.length ? percentile(ph.publishMs, 50) : null,
      // Their sum per keystroke: the extension's own work on the extension host's main thread.
      ownP50: ph.updateMs.length ? percentile(own(ph), 50) : null,
      ownP95: ph.updateMs.length ? percentile(own(ph), 95) : null,
      hostCpuMsPerKeystroke: ph.hostCpuMsPerKeystroke,
      diagnosticsSent: ph.diagnosticsSent,
      windowBusyMsPerKeystroke: start !== undefined && end !== undefined ? (end - start) / ph.keystrokes : null,
      latencyMs: ph.latencyMs,
    };
  }
  return { lines: figures.lines, diagnostics: figures.diagnostics, codeLenses: figures.codeLenses, phases };
}

async function main() {
  const edits = count('--edits', 200);
  const lineEdits = count('--line-edits', 30);
  const pausedEdits = count('--paused-edits', 40);
  const only = arg('--only', undefined);
  if (only !== undefined && !CONFIGS.includes(only)) throw new Error(`--only: one of ${CONFIGS.join(', ')}`);
  const installed = install();
  process.stderr.write(`code-server ${installed.version} ready\n`);
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
  const testsPath = await buildTests();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-vscode-editor-'));
  try {
    const tsx = path.join(repo, 'node_modules', '.bin', 'tsx');
    const ws = JSON.parse(execFileSync(tsx, ['bench/synthetic/generate.ts', '--scale', '1', '--out', path.join(tmp, 'ws'), '--json'], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 }));
    ws.baselineFile = path.join(ws.root, BASELINE_DIR, path.basename(ws.bigFile));
    fs.mkdirSync(path.dirname(ws.baselineFile), { recursive: true });
    const pristine = fs.readFileSync(ws.bigFile, 'utf8');

    const configs = [
      { label: 'extension', title: "VS Code's TypeScript service off", settings: { 'files.associations': { '*.ts': 'plaintext' } } },
      { label: 'noLenses', title: "VS Code's TypeScript service off, the extension's code lenses off", settings: { 'files.associations': { '*.ts': 'plaintext' }, 'pgIndexReview.codeLens.enabled': false } },
      { label: 'typescript', title: "with VS Code's TypeScript language features", settings: {} },
    ].filter((c) => !only || c.label === only);
    const results = {};
    for (const c of configs) {
      process.stderr.write(`${c.label}: ${c.title}…\n`);
      // Every configuration types into the file as generated.
      fs.writeFileSync(ws.bigFile, pristine);
      fs.writeFileSync(ws.baselineFile, pristine);
      results[c.label] = { title: c.title, ...(await runConfig({ ws, testsPath, tmp, settings: c.settings, edits, lineEdits, pausedEdits, label: c.label })) };
    }

    const f1 = (x) => (x === null || x === undefined ? 'n/a' : x.toFixed(1));
    const rel = path.relative(ws.root, ws.bigFile);
    for (const [label, r] of Object.entries(results)) {
      const { baseline, oneLine, pausedBaseline, paused, lineEdits: lines } = r.phases;
      const base = (ph) => ph === baseline || ph === pausedBaseline;
      console.log(`\n${label}: ${r.title} — ${rel} (${r.lines} lines, ${r.diagnostics} diagnostics and ${r.codeLenses} code lenses of ours), code-server ${installed.version}`);
      const row = (name, cell) => console.log(`| ${name} | ${[baseline, oneLine, pausedBaseline, paused, lines].map(cell).join(' | ')} |`);
      console.log(`| per keystroke | baseline (file ignored) | one-line edit | baseline, ${PAUSE_MS} ms pause after each | one-line edit, ${PAUSE_MS} ms pause after each | line added/removed |`);
      console.log('|---|---|---|---|---|---|');
      row('keystrokes', (ph) => ph.keystrokes);
      row('edit applied, p50 (ms)', (ph) => f1(ph.appliedP50));
      row('edit → analysis published, p50 / p95 (ms)', (ph) => (base(ph) ? '–' : `${f1(ph.p50)} / ${f1(ph.p95)}`));
      row("the extension's own work (re-read + analysis + publish), p50 / p95 (ms)", (ph) => (base(ph) ? '–' : `${f1(ph.ownP50)} / ${f1(ph.ownP95)}`));
      row('of which re-read / analysis / publish, p50 (ms)', (ph) => (base(ph) ? '–' : `${f1(ph.updateP50)} / ${f1(ph.analyzeP50)} / ${f1(ph.publishP50)}`));
      row('keystrokes whose analysis sent diagnostics to the window', (ph) => ph.diagnosticsSent);
      row('extension host CPU (ms)', (ph) => f1(ph.hostCpuMsPerKeystroke));
      row('window main thread busy (ms)', (ph) => f1(ph.windowBusyMsPerKeystroke));
    }
    const result = {
      date: new Date().toISOString(),
      machine: { cpu: os.cpus()[0]?.model.replace(/\s+\d+-Core.*$/, '').trim(), cores: os.cpus().length, node: process.version, loadavg: os.loadavg() },
      codeServer: installed.version,
      workspace: { tsFiles: ws.tsFiles.length, migrations: ws.migrationFiles.length, sqlFiles: ws.sqlFiles.length, file: rel },
      debounceMs: 0,
      configs: results,
    };
    if (!only) {
      fs.mkdirSync(path.join(repo, 'bench', 'results'), { recursive: true });
      fs.writeFileSync(path.join(repo, 'bench', 'results', 'vscode-editor.json'), JSON.stringify(result, null, 2) + '\n');
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
