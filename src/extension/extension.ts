/**
 * Entry point. Everything lives in one ExtensionState; each feature is its own module, registered
 * here in order. The analysis engine (WASM parsers, TypeScript, pg) loads on the first analysis.
 */
import * as vscode from 'vscode';
import { analyzeWorkspace } from './commands/analyzeWorkspace';
import { registerCommands } from './commands';
import { registerDocumentSync } from './documents';
import { registerCodeActions } from './features/codeActions';
import { registerCodeLens } from './features/codeLens';
import { registerHover } from './features/hover';
import { registerIndexTree } from './features/indexTree';
import { registerStatusBar } from './features/statusBar';
import { registerProductionInsight } from './features/productionInsight';
import { registerPlanView } from './planView/register';
import { SECTION } from './settings';
import { ExtensionState } from './state';
import { testApi, type TestApi } from './testApi';

const FEATURES: ((state: ExtensionState) => vscode.Disposable)[] = [
  registerCommands,
  registerDocumentSync,
  registerCodeActions,
  registerHover,
  registerCodeLens,
  registerIndexTree,
  registerStatusBar,
  registerProductionInsight,
  registerPlanView,
];

export function activate(context: vscode.ExtensionContext): TestApi {
  const state = new ExtensionState(context);
  context.subscriptions.push(state);
  for (const register of FEATURES) context.subscriptions.push(register(state));
  state.syncFolders();
  context.subscriptions.push(
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      state.syncFolders();
      void analyzeWorkspace(state, { quiet: true });
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.database`)) void state.database.refresh();
      if (['schema', 'rows', 'rules', 'ignore'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) for (const h of state.hosts.values()) void h.open();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void state.database.refresh()),
  );
  state.log.info(`activated in ${Date.now() - state.activatedAt} ms (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: static analysis only, no database'})`);
  // The first pass runs after activation returns, so the editor is never held up by it.
  setTimeout(() => {
    void analyzeWorkspace(state, { quiet: true }).then(() => state.database.refresh());
  }, 0);
  return testApi(state);
}

export function deactivate(): void {
  // Disposables in context.subscriptions clean up.
}
