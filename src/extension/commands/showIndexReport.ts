/**
 * Show Index Report: a webview. With a connected database (trusted workspace), the index health
 * report the CLI's `pg-index-review report` prints (src/core/report/: sizes, scans, vacuum, bloat,
 * verdicts, slow statements traced to the code, connections, pool advice), built on open and on
 * Refresh, savable as HTML or Markdown; otherwise the static workspace report (src/extension/reportHtml.ts),
 * re-rendered after every analysis. Both themed with VS Code's CSS variables under a strict CSP.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HealthReport } from '../../core/report/healthReport';
import { dbLabel } from '../features/statusBar';
import { buildOverview } from '../overview';
import { production } from '../production';
import { reportHtml } from '../reportHtml';
import { readSettings } from '../settings';
import type { ExtensionState } from '../state';
import type { ProjectHost } from '../projectHost';

let panel: vscode.WebviewPanel | undefined;
/** 'database' while the panel shows a database report (it is then not re-rendered on every analysis). */
let mode: 'static' | 'database' = 'static';
let building: Promise<void> | undefined;

function nonce(): string {
  return randomBytes(16).toString('base64');
}

function renderStatic(state: ExtensionState, webview: vscode.Webview): void {
  const host = [...state.hosts.values()].find((h) => h.result);
  if (!host?.result) {
    webview.html = `<!DOCTYPE html><html><body><p>Analyzing…</p></body></html>`;
    return;
  }
  const r = host.result;
  webview.html = reportHtml(
    { root: host.root, folderName: host.folder.name, tables: buildOverview(r), stats: r.stats, findingCount: r.findings.length, database: dbLabel(state.database.state) },
    { cspSource: webview.cspSource, nonce: nonce() },
  );
}

function message(text: string, n: string): string {
  return `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${n}';"><style nonce="${n}">body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);padding:16px}</style></head><body><p>${text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)}</p></body></html>`;
}

/** The database report for one folder: a Project of its own (the editor's stays on the workspace schema), the live schema, the catalog. */
export async function buildDatabaseReport(state: ExtensionState, host: ProjectHost): Promise<HealthReport> {
  const found = await state.database.resolve();
  if (!found) throw new Error('no database configured');
  const engine = state.loadEngine();
  const settings = readSettings(host.folder.uri);
  const project = await engine.Project.open(host.root, {
    schema: settings.schema.length ? settings.schema.map((s) => path.resolve(host.root, s)) : undefined,
    rows: Object.entries(settings.rows).map(([t, n]) => `${t}=${Math.round(n)}`),
    threads: 'auto',
  });
  Object.assign(project.config.rules, settings.rules);
  const session = await engine.openSession(found.url, { connectTimeoutMs: 5000, statementTimeoutMs: 30_000 });
  try {
    return await engine.buildHealthReport(project, session);
  } finally {
    await session.close();
  }
}

async function renderDatabase(state: ExtensionState, p: vscode.WebviewPanel, host: ProjectHost): Promise<void> {
  p.webview.html = message(`Reading ${dbLabel(state.database.state)}…`, nonce());
  try {
    const r = await buildDatabaseReport(state, host);
    production.set(r);
    state.log.info(`index report from ${r.target}: ${r.summary.tables} tables, ${r.summary.indexes} indexes, ${r.slowQueries.statements.length} statements (${r.slowQueries.matched} traced to code) in ${r.timings.totalMs} ms`);
    p.title = `Index Report — ${r.target}`;
    p.webview.html = state.loadEngine().renderReportHtml(r, { mode: 'webview', base: host.root, nonce: nonce(), cspSource: p.webview.cspSource });
  } catch (err) {
    const m = state.loadEngine().redact((err as Error).message);
    state.log.warn(`index report: ${m}`);
    mode = 'static';
    renderStatic(state, p.webview);
    vscode.window.showWarningMessage(`Postgres Index Review: could not read the database for the report (${m}); showing the workspace report.`);
  }
}

function databaseHost(state: ExtensionState): ProjectHost | undefined {
  if (!vscode.workspace.isTrusted || state.database.state.kind !== 'connected') return undefined;
  return [...state.hosts.values()].find((h) => h.result) ?? [...state.hosts.values()][0];
}

function render(state: ExtensionState, p: vscode.WebviewPanel): Promise<void> {
  const host = databaseHost(state);
  if (!host) {
    mode = 'static';
    renderStatic(state, p.webview);
    return Promise.resolve();
  }
  mode = 'database';
  building ??= renderDatabase(state, p, host).finally(() => (building = undefined));
  return building;
}

async function save(state: ExtensionState, format: 'html' | 'md'): Promise<void> {
  const r = production.report;
  const host = [...state.hosts.values()][0];
  if (!r || !host) return;
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(host.folder.uri, `index-report.${format}`),
    filters: format === 'html' ? { HTML: ['html'] } : { Markdown: ['md'] },
    title: 'Save the index report',
  });
  if (!target) return;
  const engine = state.loadEngine();
  const base = path.dirname(target.fsPath);
  const text = format === 'html' ? engine.renderReportHtml(r, { mode: 'standalone', base, nonce: nonce() }) : engine.renderReportMarkdown(r, base);
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  vscode.window.showInformationMessage(`Index report saved to ${vscode.workspace.asRelativePath(target)}.`);
}

export async function showIndexReport(state: ExtensionState): Promise<vscode.WebviewPanel> {
  await state.whenIdle();
  if (panel) {
    panel.reveal();
    await render(state, panel);
    return panel;
  }
  const p = vscode.window.createWebviewPanel('pgIndexReview.report', 'Index Report', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: false });
  p.iconPath = vscode.Uri.joinPath(state.context.extensionUri, 'media', 'view-icon.svg');
  panel = p;
  const subs = [
    state.onDidAnalyze(() => {
      if (mode === 'static') renderStatic(state, p.webview);
    }),
    state.database.onDidChange(() => void render(state, p)),
    p.webview.onDidReceiveMessage((m: { type?: string; file?: string; line?: number; character?: number }) => {
      if (m.type === 'refresh') return void render(state, p);
      if (m.type === 'save-html' || m.type === 'save-md') return void save(state, m.type === 'save-html' ? 'html' : 'md');
      if (m.type !== 'reveal' || typeof m.file !== 'string') return;
      const pos = new vscode.Position(m.line ?? 0, m.character ?? 0);
      void vscode.window.showTextDocument(vscode.Uri.file(m.file), { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
    }),
  ];
  p.onDidDispose(() => {
    subs.forEach((s) => s.dispose());
    if (panel === p) panel = undefined;
  });
  await render(state, p);
  return p;
}

/** For tests: the HTML the report panel shows now. */
export function currentReportHtml(): string | undefined {
  return panel?.webview.html;
}
