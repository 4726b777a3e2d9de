/** Status bar: the finding count and the database state; clicking opens the Index Report. */
import * as vscode from 'vscode';
import type { DbState } from '../database';
import type { EmbeddedStatus } from '../embedded';
import { readSettings } from '../settings';
import type { ExtensionState } from '../state';

function embeddedLabel(s: EmbeddedStatus): string {
  switch (s.kind) {
    case 'off':
      return 'not started (starts on the first hover of a query)';
    case 'starting':
      return 'preparing…';
    case 'ready':
      return `PostgreSQL ${s.info.serverVersion}, ${s.info.rows.toLocaleString('en-US')} synthetic rows`;
    case 'failed':
      return s.message;
  }
}

export function dbLabel(s: DbState): string {
  switch (s.kind) {
    case 'untrusted':
      return 'static only (untrusted workspace)';
    case 'none':
      return 'no database';
    case 'checking':
      return `checking ${s.target}…`;
    case 'connected':
      return `PostgreSQL ${s.version} · ${s.target}`;
    case 'unreachable':
      return `${s.target} unreachable`;
  }
}

export function registerStatusBar(state: ExtensionState): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('pgIndexReview.status', vscode.StatusBarAlignment.Left, 20);
  item.name = 'Postgres Index Review';
  item.command = 'pgIndexReview.showIndexReport';
  // What the item shows now: an analysis after each keystroke mostly leaves the counts as they were, and
  // an unchanged item is not sent to the window again.
  let shown = { text: '', tooltip: '', warning: false };
  const update = () => {
    let total = 0;
    let warn = 0;
    for (const h of state.hosts.values())
      for (const f of h.result?.findings ?? []) {
        total++;
        if (f.severity === 'error' || f.severity === 'warning') warn++;
      }
    const db = state.database.state;
    const opening = [...state.hosts.values()].some((h) => !h.result && h.busy);
    const dbIcon = db.kind === 'connected' ? '$(database)' : db.kind === 'unreachable' ? '$(debug-disconnect)' : db.kind === 'untrusted' ? '$(shield)' : '';
    const text = opening ? '$(sync~spin) Index Review' : `$(checklist) ${total} index finding${total === 1 ? '' : 's'}${dbIcon ? ` ${dbIcon}` : ''}`;
    const tooltip = [
      '**Postgres Index Review**',
      '',
      `${total} findings (${warn} warnings or errors, ${total - warn} info)`,
      '',
      `Database: ${dbLabel(db)}${db.kind === 'unreachable' ? ` — ${db.message}` : ''}`,
      '',
      ...(db.kind === 'none' && readSettings(vscode.workspace.workspaceFolders?.[0]?.uri).embedded ? [`Plans from the embedded database: ${embeddedLabel(state.database.embedded.status)}`, ''] : []),
      'Click for the Index Report.',
    ].join('\n');
    const warning = db.kind === 'unreachable';
    if (text !== shown.text) item.text = text;
    if (tooltip !== shown.tooltip) item.tooltip = new vscode.MarkdownString(tooltip);
    if (warning !== shown.warning) item.backgroundColor = warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    shown = { text, tooltip, warning };
  };
  update();
  item.show();
  return vscode.Disposable.from(item, state.onDidAnalyze(update), state.database.onDidChange(update), state.database.embedded.onDidChange(update));
}
