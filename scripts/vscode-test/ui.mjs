// UI smoke test: installs the packaged .vsix into code-server, opens a copy of examples/lms in
// headless chromium, and saves screenshots of the Problems panel and of a hover on a query to
// test-artifacts/. Fails unless both show our diagnostics / verdict.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startCodeServer } from './codeServer.mjs';
import { codeServerEntry, install, nodeBin } from './install.mjs';
import { copySample } from './workspace.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const artifacts = path.join(repo, 'test-artifacts');

export async function uiSmoke({ vsix = path.join(repo, 'pg-index-review.vsix'), repackage = true } = {}) {
  install();
  if (repackage || !existsSync(vsix)) execFileSync('npm', ['run', '-s', 'package'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  mkdirSync(artifacts, { recursive: true });
  const extDir = mkdtempSync(path.join(os.tmpdir(), 'pgir-ext-'));
  const ws = copySample();
  const home = mkdtempSync(path.join(os.tmpdir(), 'pgir-home-'));
  execFileSync(nodeBin, [codeServerEntry, '--extensions-dir', extDir, '--user-data-dir', path.join(home, 'data'), '--install-extension', vsix], {
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'share'), XDG_CACHE_HOME: path.join(home, 'cache') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const server = await startCodeServer({ workspace: ws.dir, extensionsDir: extDir, settings: { 'workbench.colorTheme': 'Default Dark Modern', 'editor.hover.delay': 100, 'chat.disableAIFeatures': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden' } });
  const browser = await launchBrowser({ width: 1400, height: 900 });
  const shots = [];
  try {
    const { page } = browser;
    await page.goto(`${server.url}/?folder=${encodeURIComponent(ws.dir)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // The status bar item appears once the workspace pass is done.
    await page.waitForSelector('.statusbar-item:has-text("index finding")', { timeout: 90_000 });
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { timeout: 15_000 });
    await page.keyboard.type('reports.sql');
    await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 15_000 });
    // Code lenses render a moment after the editor; the screenshots should show them.
    await page.waitForSelector('.codelens-decoration', { timeout: 20_000 }).catch(() => process.stderr.write('ui smoke: no code lens rendered\n'));
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: 30_000 });
    await page.waitForTimeout(800);
    const problems = await page.locator('.markers-panel').innerText();
    if (!/(missing|redundant)-index/.test(problems) || !/pg-index-review/.test(problems)) throw new Error(`the Problems panel does not show our diagnostics:\n${problems.slice(0, 2000)}`);
    shots.push(path.join(artifacts, 'problems-panel.png'));
    await page.screenshot({ path: shots[shots.length - 1] });
    // Hover on the PendingTransactions query (line 40 of sql/reports.sql).
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.waitForSelector('.quick-input-widget input', { timeout: 15_000 });
    await page.keyboard.type('40:9');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:visible', { hasText: 'Postgres Index Review' });
    await hover.first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    const text = await hover.first().innerText();
    if (!/transactions_status_idx/.test(text)) throw new Error(`the hover does not show the verdict:\n${text}`);
    shots.push(path.join(artifacts, 'hover.png'));
    await page.screenshot({ path: shots[shots.length - 1] });
    return shots;
  } finally {
    await browser.close();
    await server.stop();
    rmSync(extDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
    rmSync(ws.base, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const shots = await uiSmoke({ repackage: !process.argv.includes('--no-package') });
  console.log(`ui smoke: 1 passed, 0 failed (${shots.map((s) => path.relative(repo, s)).join(', ')})`);
}
