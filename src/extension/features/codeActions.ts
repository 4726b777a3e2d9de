/** Quick fixes for our diagnostics (src/extension/fixes.ts builds them). */
import * as vscode from 'vscode';
import { findingFor } from '../diagnostics';
import { fixesFor, QUICKFIX_ADD, QUICKFIX_DROP, QUICKFIX_IGNORE } from '../fixes';
import type { ExtensionState } from '../state';
import { SELECTOR } from './selector';

export function registerCodeActions(state: ExtensionState): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    SELECTOR,
    {
      provideCodeActions(doc, _range, context) {
        const host = state.hostFor(doc.uri);
        if (!host?.result) return [];
        const findings = host.findingsIn(doc.uri.fsPath);
        const out: vscode.CodeAction[] = [];
        for (const d of context.diagnostics) {
          const f = findingFor(d, findings);
          if (!f) continue;
          for (const fix of fixesFor(host, f)) {
            if (context.only && !context.only.contains(fix.kind) && !fix.kind.contains(context.only)) continue;
            const a = new vscode.CodeAction(fix.title, fix.kind);
            a.edit = fix.edit;
            a.diagnostics = [d];
            a.isPreferred = fix.preferred;
            if (fix.creates?.length) a.command = { title: 'Open the new migration', command: 'pgIndexReview.openFile', arguments: [fix.creates[0].toString()] };
            out.push(a);
          }
        }
        return out;
      },
    },
    { providedCodeActionKinds: [QUICKFIX_ADD, QUICKFIX_DROP, QUICKFIX_IGNORE] },
  );
}
