// Benchmark (figures, not pass/fail): activation time and time to first diagnostics of the extension
// in a real VS Code (code-server 4.139.1 + headless chromium) on a copy of examples/lms.
// Usage: npm run bench:vscode [-- --runs 3]   → prints a table, writes bench/results/vscode.json.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startCodeServer } from '../scripts/vscode-test/codeServer.mjs';
import { install } from '../scripts/vscode-test/install.mjs';
import { copySample } from '../scripts/vscode-test/workspace.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

function findLog(dir) {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) {
      const f = findLog(p);
      if (f) return f;
    } else if (e === 'Postgres Index Review.log') return p;
  }
  return undefined;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

install();
const results = [];
for (let i = 0; i < runs; i++) {
  const ws = copySample();
  const server = await startCodeServer({ workspace: ws.dir });
  const b = await launchBrowser();
  try {
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${server.host}${repo}`]]);
    const t0 = Date.now();
    await b.page.goto(`${server.url}/?folder=${encodeURIComponent(ws.dir)}&payload=${encodeURIComponent(payload)}`);
    await b.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    const workbench = Date.now() - t0;
    await b.page.waitForSelector('.statusbar-item:has-text("index finding")', { timeout: 120_000 });
    const visible = Date.now() - t0;
    let log = '';
    for (let t = 0; t < 100 && !/findings in/.test(log); t++) {
      await new Promise((r) => setTimeout(r, 100));
      const f = findLog(path.join(server.dirs.data, 'logs'));
      log = f ? readFileSync(f, 'utf8') : '';
    }
    const num = (re) => Number(re.exec(log)?.[1]);
    const r = {
      activateMs: num(/activated in (\d+) ms/),
      engineLoadMs: num(/engine loaded in (\d+) ms/),
      firstAnalysisMs: num(/findings in (\d+) ms/),
      findings: num(/→ (\d+) findings/),
      pageToWorkbenchMs: workbench,
      pageToDiagnosticsInStatusBarMs: visible,
    };
    results.push(r);
    console.error(`run ${i + 1}: ${JSON.stringify(r)}`);
  } finally {
    await b.close();
    await server.stop();
    rmSync(ws.base, { recursive: true, force: true });
  }
}
const keys = Object.keys(results[0]);
const summary = Object.fromEntries(keys.map((k) => [k, median(results.map((r) => r[k]))]));
console.log('| measure (median of %d runs) | value |\n|---|---|', runs);
for (const k of keys) console.log(`| ${k} | ${summary[k]} |`);
mkdirSync(path.join(repo, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(repo, 'bench', 'results', 'vscode.json'), JSON.stringify({ codeServer: '4.139.1', runs: results, median: summary }, null, 2) + '\n');
