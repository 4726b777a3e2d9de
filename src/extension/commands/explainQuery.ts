/**
 * Explain Query at Cursor: a read-only markdown document (virtual, scheme pg-index-review-explain)
 * with the query shape and the matcher's verdict per table, every candidate index and the proposal,
 * then the plan from the configured database or the embedded one (updated in place when it arrives).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExplainResult } from '../../core/db/explain';
import { explainMarkdown } from '../present';
import { SECTION } from '../settings';
import type { ExtensionState } from '../state';
import { assessorFor } from '../features/assess';
import { documentPlanSection, failedText, pendingText, within } from '../features/planMarkdown';

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
  const target = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${name}`, query: `${Date.now()}` });
  // The plan (configured or embedded database) joins the static explanation: at once when it comes
  // within the hover's time limit, else the document says it is coming and is updated when it does.
  const sql = sv.shape.origin === 'sql-file' || sv.shape.origin === 'embedded-sql' ? sv.shape.text : undefined;
  const plan = sql ? state.database.planFor(uri, sql) : undefined;
  const withPlan = (r: ExplainResult | Error | 'timeout') => `${text}\n${documentPlanSection(engine, plan!, r, state.database.embedded.status, sv)}`;
  if (plan) {
    const limit = vscode.workspace.getConfiguration(SECTION, uri).get<number>('database.hoverTimeoutMs', 1500);
    const r = plan.preparing ? 'timeout' : await within(plan.result, limit);
    docs.set(target, withPlan(r));
    // The embedded database and the session have their own time limits: the plan always settles.
    if (r === 'timeout') void plan.result.then(withPlan, withPlan).then((t) => docs.set(target, t));
  } else docs.set(target, text);
  const doc = await vscode.workspace.openTextDocument(target);
  await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  // The visual plan (src/extension/planView/), SQL or a Prisma call's main query, when a database can plan it.
  void vscode.commands.executeCommand('pgIndexReview.showPlan', uri.toString(), { line: pos.line, character: pos.character }, 0, { quiet: true });
  return target;
}
