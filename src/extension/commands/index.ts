/** Every command the extension contributes (package.json `contributes.commands`), one module each. */
import * as vscode from 'vscode';
import type { ExtensionState } from '../state';
import { addIndex } from './addIndex';
import { analyzeWorkspace } from './analyzeWorkspace';
import { EXPLAIN_SCHEME, ExplainDocuments, explainQuery } from './explainQuery';
import { applyMigrationCommand, generateMigration } from './migration';
import { openFile, revealLocation } from './navigation';
import { showIndexReport } from './showIndexReport';

export function registerCommands(state: ExtensionState): vscode.Disposable {
  const explainDocs = new ExplainDocuments();
  const reg = vscode.commands.registerCommand;
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, explainDocs),
    reg('pgIndexReview.analyzeWorkspace', () => analyzeWorkspace(state)),
    reg('pgIndexReview.explainQuery', (uri?: string | vscode.Uri, pos?: { line: number; character: number }) => explainQuery(state, explainDocs, uri, pos)),
    reg('pgIndexReview.configureDatabase', () => state.database.configure()),
    reg('pgIndexReview.showIndexReport', () => showIndexReport(state).then(() => undefined)),
    reg('pgIndexReview.generateMigration', (choice?: { prisma?: boolean; minSeverity?: 'warning' | 'info' }) => generateMigration(state, choice)),
    reg('pgIndexReview.applyMigration', (file?: string | vscode.Uri) => applyMigrationCommand(state, file)),
    reg('pgIndexReview.addIndex', (uri: string, at: { line: number; character: number }) => addIndex(state, uri, at)),
    reg('pgIndexReview.revealLocation', revealLocation),
    reg('pgIndexReview.openFile', openFile),
    reg('pgIndexReview.showLog', () => state.log.show()),
  );
}
