/**
 * Hover on a query: tables, the index the planner can use and how, or why none can, and the
 * proposal — at once, from the static analysis. With a trusted, connected database, the EXPLAIN
 * summary from src/core/db joins it when it arrives within the time limit (it is remembered, so the
 * next hover has it either way).
 */
import * as vscode from 'vscode';
import type { ExplainResult } from '../../core/db/explain';
import { hoverMarkdown } from '../present';
import type { ExtensionState } from '../state';
import { SECTION } from '../settings';
import { toRange } from '../diagnostics';
import { assessorFor } from './assess';
import { SELECTOR } from './selector';

function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);
}

export function explainSection(state: ExtensionState, r: ExplainResult): string {
  const text = state.loadEngine().renderExplain(r);
  return ['**EXPLAIN** (database)', '', '```text', text.length > 3000 ? `${text.slice(0, 3000)}\n…` : text, '```'].join('\n');
}

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
      const pending = sql && config.get<boolean>('database.explainInHover', true) ? state.database.explain(sql) : undefined;
      if (pending) {
        const r = await within(pending.then((x) => x, (err: Error) => err), config.get<number>('database.hoverTimeoutMs', 1500));
        if (token.isCancellationRequested) return undefined;
        if (r === 'timeout') parts.push('_EXPLAIN is still running on the database: hover again in a moment._');
        else if (r instanceof Error) parts.push(`_EXPLAIN failed: ${r.message.replace(/[`*_]/g, '')}_`);
        else parts.push(explainSection(state, r));
      }
      const md = new vscode.MarkdownString(parts.join('\n\n---\n\n'));
      md.isTrusted = { enabledCommands: ['pgIndexReview.explainQuery'] };
      return new vscode.Hover(md, toRange(sv.shape.location.range));
    },
  });
}
