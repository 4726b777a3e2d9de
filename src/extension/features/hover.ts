/**
 * Hover on a query: tables, the index the planner can use and how, or why none can, and the
 * proposal — at once, from the static analysis. In a trusted workspace the plan joins it: from the
 * connected database, else (no database configured, `database.embedded` on) from the embedded one,
 * labelled as synthetic data. The plan is waited for at most `database.hoverTimeoutMs` and not at
 * all while the embedded database is being built (the first time): the hover says so, and the plan
 * is remembered, so the next hover has it.
 */
import * as vscode from 'vscode';
import { hoverMarkdown } from '../present';
import type { ExtensionState } from '../state';
import { SECTION } from '../settings';
import { toRange } from '../diagnostics';
import { assessorFor } from './assess';
import { failedText, hoverPlanSection, pendingText, within } from './planMarkdown';
import { SELECTOR } from './selector';

export function registerHover(state: ExtensionState): vscode.Disposable {
  return vscode.languages.registerHoverProvider(SELECTOR, {
    async provideHover(doc, pos, token) {
      const found = state.verdictsAt(doc.uri, pos);
      const sv = found?.verdicts[0];
      if (!found || !sv) return undefined;
      const args = encodeURIComponent(JSON.stringify([doc.uri.toString(), { line: pos.line, character: pos.character }]));
      const parts = [hoverMarkdown(sv, assessorFor(state, found.host), `[Explain this query](command:pgIndexReview.explainQuery?${args})`)];
      const config = vscode.workspace.getConfiguration(SECTION, doc.uri);
      const sql = sv.shape.origin === 'sql-file' || sv.shape.origin === 'embedded-sql' ? sv.shape.text : undefined;
      const plan = sql && config.get<boolean>('database.explainInHover', true) ? state.database.planFor(doc.uri, sql) : undefined;
      if (plan) {
        const r = plan.preparing ? 'timeout' : await within(plan.result, config.get<number>('database.hoverTimeoutMs', 1500));
        if (token.isCancellationRequested) return undefined;
        if (r === 'timeout') parts.push(pendingText(plan, 'hover'));
        else if (r instanceof Error) parts.push(failedText(plan, r));
        else parts.push(hoverPlanSection(state.loadEngine(), r, state.database.embedded.status, sv));
      }
      const md = new vscode.MarkdownString(parts.join('\n\n---\n\n'));
      md.isTrusted = { enabledCommands: ['pgIndexReview.explainQuery', 'pgIndexReview.configureDatabase'] };
      return new vscode.Hover(md, toRange(sv.shape.location.range));
    },
  });
}
