// Starts code-server (a real VS Code: workbench in the browser, Node extension host) on a free
// 127.0.0.1 port with its own HOME/XDG/user-data/extensions folders, and drives Debian's chromium
// with playwright-core. Stops everything by killing the process group.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeServerEntry, nodeBin } from './install.mjs';

export const CHROMIUM = process.env.PGIR_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, proc, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`code-server exited with ${proc.exitCode}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * @param {{ workspace: string, trusted?: boolean, settings?: object, extensionsDir?: string, env?: object, logFile?: string }} o
 */
export async function startCodeServer(o) {
  const base = mkdtempSync(path.join(os.tmpdir(), 'pgir-cs-'));
  const dirs = { home: path.join(base, 'home'), data: path.join(base, 'data'), ext: o.extensionsDir ?? path.join(base, 'extensions'), xdg: path.join(base, 'xdg') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(path.join(dirs.data, 'User'), { recursive: true });
  // No autosave (the browser workbench saves an edited file after 1 s by default): the tests' and the
  // benchmarks' edits stay in the editor unless they save on purpose.
  writeFileSync(
    path.join(dirs.data, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'workbench.tips.enabled': false, 'files.autoSave': 'off', ...(o.settings ?? {}) }, null, 2),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: path.join(dirs.xdg, 'config'), XDG_DATA_HOME: path.join(dirs.xdg, 'data'), XDG_CACHE_HOME: path.join(dirs.xdg, 'cache'), PATH: `${path.dirname(nodeBin)}:${process.env.PATH}`, ...(o.env ?? {}) };
  // A developer's database must not leak into the tests.
  delete env.DATABASE_URL;
  const args = [
    codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(o.trusted === false ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', dirs.data,
    '--extensions-dir', dirs.ext,
    '--vscode-option', 'enable-smoke-test-driver',
    o.workspace,
  ];
  const proc = spawn(nodeBin, args, { detached: true, env, stdio: ['ignore', 'pipe', 'pipe'], cwd: dirs.home });
  const log = createWriteStream(o.logFile ?? path.join(base, 'code-server.log'));
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  const stop = async () => {
    if (proc.exitCode === null) {
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const gone = new Promise((r) => proc.once('exit', r));
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (process.env.PGIR_KEEP) process.stderr.write(`vscode-test: kept ${base}\n`);
    else rmSync(base, { recursive: true, force: true });
  };
  try {
    await waitHealthy(url, proc, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, host: `127.0.0.1:${port}`, proc, stop, base, dirs };
}

export async function launchBrowser(viewport = { width: 1440, height: 900 }) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'pgir-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the workbench with the extension under development and the test index; resolves to the exit code.
 * `onPage(page)` (optional) runs before the workbench loads and may return a function that is given the
 * text of every console message (the extension host's included), e.g. to read the window's counters.
 */
export async function runExtensionTests({ server, workspace, extensionPath, testsPath, timeoutMs = 300_000, onConsole, onPage }) {
  const b = await launchBrowser();
  try {
    let resolveExit;
    const exited = new Promise((r) => (resolveExit = r));
    await b.page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
    const onText = onPage ? await onPage(b.page) : undefined;
    b.page.on('console', (m) => {
      onConsole?.(m.type(), m.text());
      onText?.(m.text());
    });
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://${server.host}${extensionPath}`],
      ['extensionTestsPath', `vscode-remote://${server.host}${testsPath}`],
    ]);
    await b.page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    let timer;
    const timeout = new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    return code;
  } finally {
    await b.close();
  }
}
