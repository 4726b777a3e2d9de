/** Show Index Report: a webview built from the core's results (src/extension/reportHtml.ts). */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { dbLabel } from '../features/statusBar';
import { buildOverview } from '../overview';
import { reportHtml } from '../reportHtml';
import type { ExtensionState } from '../state';

let panel: vscode.WebviewPanel | undefined;

function render(state: ExtensionState, webview: vscode.Webview): void {
  const host = [...state.hosts.values()].find((h) => h.result);
  if (!host?.result) {
    webview.html = `<!DOCTYPE html><html><body><p>Analyzing…</p></body></html>`;
    return;
  }
  const r = host.result;
  webview.html = reportHtml(
    { root: host.root, folderName: host.folder.name, tables: buildOverview(r), stats: r.stats, findingCount: r.findings.length, database: dbLabel(state.database.state) },
    { cspSource: webview.cspSource, nonce: randomBytes(16).toString('base64') },
  );
}

export async function showIndexReport(state: ExtensionState): Promise<vscode.WebviewPanel> {
  await state.whenIdle();
  if (panel) {
    panel.reveal();
    render(state, panel.webview);
    return panel;
  }
  const p = vscode.window.createWebviewPanel('pgIndexReview.report', 'Index Report', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
  p.iconPath = vscode.Uri.joinPath(state.context.extensionUri, 'media', 'view-icon.svg');
  panel = p;
  render(state, p.webview);
  const subs = [
    state.onDidAnalyze(() => render(state, p.webview)),
    p.webview.onDidReceiveMessage((m: { type?: string; file?: string; line?: number; character?: number }) => {
      if (m.type !== 'reveal' || typeof m.file !== 'string') return;
      const pos = new vscode.Position(m.line ?? 0, m.character ?? 0);
      void vscode.window.showTextDocument(vscode.Uri.file(m.file), { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
    }),
  ];
  p.onDidDispose(() => {
    subs.forEach((s) => s.dispose());
    if (panel === p) panel = undefined;
  });
  return p;
}
