// UI smoke test: installs the packaged .vsix into code-server, opens a copy of examples/lms in
// headless chromium, and saves screenshots of the Problems panel, of a hover on a query and of the
// same hover with the embedded database's plan to test-artifacts/. Fails unless they show our
// diagnostics / verdict / the plan labelled as the embedded database's.
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
    // Hover on the PendingTransactions query (line 40 of sql/reports.sql), with the panel closed so
    // the editor (and the hover) have the window's height.
    await page.keyboard.press('Control+J');
    await page.waitForTimeout(300);
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
    const marker = 'EXPLAIN (embedded database, synthetic data)';
    if (!text.includes('Preparing the embedded database') && !text.includes(marker)) throw new Error(`the first hover does not say the embedded database is being prepared:\n${text}`);
    shots.push(path.join(artifacts, 'hover.png'));
    await page.screenshot({ path: shots[shots.length - 1] });
    // No database is configured: the first hover started the embedded database (PGlite, on its own
    // thread) and said so; hovering again once it is built shows its plan, labelled as synthetic data.
    const end = Date.now() + 200_000;
    let planText = text;
    while (!planText.includes(marker)) {
      if (Date.now() > end) throw new Error(`no embedded plan in the hover after 200 s:\n${planText}`);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1500);
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      await hover.first().waitFor({ timeout: 20_000 });
      await page.waitForTimeout(300);
      planText = await hover.first().innerText();
    }
    if (!/EXPLAIN on embedded PGlite \(synthetic data/.test(planText) || !/transactions_status_idx/.test(planText)) throw new Error(`the embedded plan is not labelled as such:\n${planText}`);
    // Scroll the hover to the plan's heading for the screenshot.
    const scrolled = await page.evaluate((heading) => {
      for (const h of document.querySelectorAll('.monaco-hover')) {
        const el = [...h.querySelectorAll('p')].find((e) => e.textContent?.includes(heading));
        if (el && h.getBoundingClientRect().height > 0) {
          el.scrollIntoView({ block: 'start' });
          return true;
        }
      }
      return false;
    }, '(embedded database, synthetic data)');
    if (!scrolled) process.stderr.write('ui smoke: could not scroll the hover to the plan\n');
    await page.waitForTimeout(500);
    shots.push(path.join(artifacts, 'hover-embedded-plan.png'));
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
