/**
 * Runs the in-editor mocha suite inside the VS Code extension host. Launcher-agnostic: code-server
 * (scripts/vscode-test/run.mjs) and @vscode/test-electron (scripts/vscode-test/electron.mjs) both
 * point extensionTestsPath here. A trusted workspace runs `*.vscode.js`; an untrusted one runs
 * `*.untrusted.js` (what must not happen there); the editor benchmark runs `*.bench.js`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Mocha = require('mocha') as typeof import('mocha');
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // PGIR_VSCODE_SUITE=bench: the editor benchmark (bench/vscodeEditor.mjs) instead of the tests.
  const suffix = process.env.PGIR_VSCODE_SUITE === 'bench' ? '.bench.js' : vscode.workspace.isTrusted ? '.vscode.js' : '.untrusted.js';
  const only = process.env.PGIR_VSCODE_GREP;
  if (only) mocha.grep(only);
  for (const f of fs.readdirSync(__dirname).sort()) if (f.endsWith(suffix)) mocha.addFile(path.join(__dirname, f));
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const report = process.env.PGIR_VSCODE_TEST_REPORT;
      const stats = runner.stats ?? { passes: 0, failures, pending: 0, duration: 0 };
      const summary = { trusted: vscode.workspace.isTrusted, passes: stats.passes, failures: stats.failures, pending: stats.pending, duration: stats.duration, lines };
      if (report) fs.writeFileSync(report, JSON.stringify(summary, null, 2));
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => lines.push(`  ✓ ${t.fullTitle()} (${t.duration ?? 0} ms)`));
    runner.on('fail', (t, err: Error) => lines.push(`  ✗ ${t.fullTitle()}\n      ${String(err?.stack ?? err).split('\n').slice(0, 6).join('\n      ')}`));
    runner.on('pending', (t) => lines.push(`  - ${t.fullTitle()} (skipped)`));
  });
}
