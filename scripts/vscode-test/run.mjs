// The in-editor suite under code-server: installs code-server once (.vscode-test/), builds the
// extension and the suite, then runs the suite twice on fresh copies of examples/lms — in a
// trusted workspace (test/vscode/suite/*.vscode.ts) and in an untrusted one (*.untrusted.ts) —
// and, unless --no-ui, the UI smoke test on the packaged .vsix (scripts/vscode-test/ui.mjs).
// Prints "vscode: N passed, N failed" last; exits non-zero on any failure.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTests, repo } from './buildTests.mjs';
import { runExtensionTests, startCodeServer } from './codeServer.mjs';
import { install } from './install.mjs';
import { copySample } from './workspace.mjs';

const args = new Set(process.argv.slice(2));
const t0 = Date.now();
const installed = install();
process.stderr.write(`vscode-test: code-server ${installed.version} ready (${installed.seconds.toFixed(1)} s)\n`);
if (!existsSync(path.join(repo, 'dist', 'extension.js')) || args.has('--build')) execFileSync('node', ['scripts/build.mjs'], { cwd: repo, stdio: 'inherit' });
const testsPath = await buildTests();

let passed = 0;
let failed = 0;
async function suite(mode) {
  const ws = copySample();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'pgir-report-'));
  const report = path.join(tmp, 'report.json');
  const started = Date.now();
  const trusted = mode === 'trusted';
  const server = await startCodeServer({
    workspace: ws.dir,
    trusted,
    env: { PGIR_VSCODE_TEST_REPORT: report, ...(process.env.PGIR_VSCODE_GREP ? { PGIR_VSCODE_GREP: process.env.PGIR_VSCODE_GREP } : {}) },
    settings: trusted ? {} : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' },
    logFile: process.env.PGIR_CODE_SERVER_LOG,
  });
  const consoleLines = [];
  let code;
  try {
    code = await runExtensionTests({ server, workspace: ws.dir, extensionPath: repo, testsPath, onConsole: (type, text) => consoleLines.push(`[${type}] ${text}`) });
  } finally {
    await server.stop();
  }
  let r;
  try {
    r = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    r = undefined;
  }
  rmSync(tmp, { recursive: true, force: true });
  rmSync(ws.base, { recursive: true, force: true });
  console.log(`\nVS Code (code-server ${installed.version}), ${mode} workspace — ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (r) {
    for (const l of r.lines) console.log(l);
    passed += r.passes;
    failed += r.failures;
  }
  if (!r || code !== 0) {
    if (!r || r.failures === 0) failed++;
    console.log(`  suite exit code: ${code}${r ? '' : ' (no report: the suite did not run)'}`);
    const relevant = consoleLines.filter((l) => /error|fail|pg-index-review|✗|Error/i.test(l)).slice(-60);
    if (relevant.length) console.log(`  workbench console:\n    ${relevant.join('\n    ')}`);
  }
}

await suite('trusted');
await suite('untrusted');
if (!args.has('--no-ui')) {
  const { uiSmoke } = await import('./ui.mjs');
  const started = Date.now();
  try {
    const shots = await uiSmoke();
    passed++;
    console.log(`\nUI smoke (packaged .vsix in code-server) — ${((Date.now() - started) / 1000).toFixed(1)} s\n  ✓ screenshots: ${shots.map((s) => path.relative(repo, s)).join(', ')}`);
  } catch (err) {
    failed++;
    console.log(`\nUI smoke (packaged .vsix in code-server)\n  ✗ ${err?.stack ?? err}`);
  }
}
console.log(`\nreal VS Code suites took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`vscode: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
