/**
 * Explain Query at Cursor: a read-only markdown document (virtual, scheme pg-index-review-explain)
 * with the query shape and the matcher's verdict per table, every candidate index and the proposal.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { explainMarkdown } from '../present';
import type { ExtensionState } from '../state';
import { assessorFor } from '../features/assess';

export const EXPLAIN_SCHEME = 'pg-index-review-explain';

export class ExplainDocuments implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  set(uri: vscode.Uri, text: string): void {
    this.docs.set(uri.toString(), text);
    this.emitter.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? 'This explanation is no longer available: run "Explain Query at Cursor" again.';
  }
}

export async function explainQuery(state: ExtensionState, docs: ExplainDocuments, uriArg?: string | vscode.Uri, posArg?: { line: number; character: number }): Promise<vscode.Uri | undefined> {
  const editor = vscode.window.activeTextEditor;
  const uri = uriArg ? (typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg) : editor?.document.uri;
  const pos = posArg ? new vscode.Position(posArg.line, posArg.character) : editor?.selection.active;
  if (!uri || !pos) {
    vscode.window.showInformationMessage('Put the cursor on a query (SQL statement, embedded SQL or Prisma call) to explain it.');
    return undefined;
  }
  const host = state.hostFor(uri);
  if (host?.busy) await host.idle();
  const found = state.verdictsAt(uri, pos);
  const sv = found?.verdicts[0];
  if (!found || !sv) {
    vscode.window.showInformationMessage('Postgres Index Review found no query at the cursor.');
    return undefined;
  }
  const engine = state.loadEngine();
  const text = explainMarkdown(sv, assessorFor(state, found.host), path.relative(found.host.root, sv.shape.location.file), engine.atomSql);
  const name = `${path.basename(sv.shape.location.file)}-${sv.shape.location.range.start.line + 1}.md`;
  let text2 = text;
  const sql = sv.shape.origin === 'sql-file' || sv.shape.origin === 'embedded-sql' ? sv.shape.text : undefined;
  const plan = sql ? state.database.explain(sql) : undefined;
  if (plan) {
    try {
      const r = await plan;
      text2 += `\n## EXPLAIN on the database\n\n\`\`\`text\n${engine.renderExplain(r)}\n\`\`\`\n`;
    } catch (err) {
      text2 += `\n## EXPLAIN on the database\n\nFailed: ${(err as Error).message}\n`;
    }
  }
  const target = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${name}`, query: `${Date.now()}` });
  docs.set(target, text2);
  const doc = await vscode.workspace.openTextDocument(target);
  await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  return target;
}
