/** Analyze Workspace: re-reads every folder from disk (plus unsaved editors) with a progress notification. */
import * as vscode from 'vscode';
import type { ExtensionState } from '../state';

export interface AnalyzeSummary {
  folders: number;
  files: number;
  queries: number;
  findings: number;
}

export async function analyzeWorkspace(state: ExtensionState, opts: { quiet?: boolean } = {}): Promise<AnalyzeSummary> {
  state.syncFolders();
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Postgres Index Review: analyzing the workspace', cancellable: true },
    async (progress, token) => {
      for (const host of state.hosts.values()) {
        if (token.isCancellationRequested) break;
        progress.report({ message: host.folder.name });
        await host.open(token);
      }
    },
  );
  const summary: AnalyzeSummary = { folders: state.hosts.size, files: 0, queries: 0, findings: 0 };
  for (const h of state.hosts.values()) {
    summary.files += h.result?.stats.files ?? 0;
    summary.queries += h.result?.stats.queries ?? 0;
    summary.findings += h.result?.findings.length ?? 0;
  }
  if (!opts.quiet) vscode.window.setStatusBarMessage(`Postgres Index Review: ${summary.findings} findings, ${summary.queries} queries in ${summary.files} files`, 5000);
  return summary;
}
