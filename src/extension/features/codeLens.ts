/**
 * A code lens above each query: the verdict in a few words, which opens the explanation when clicked, and,
 * when an index is proposed, "Add index".
 */
import * as vscode from 'vscode';
import { lensTitle } from '../present';
import { readSettings } from '../settings';
import type { ExtensionState } from '../state';
import { toRange } from '../diagnostics';
import { assessorFor } from './assess';
import { FileProposals } from './proposals';
import { SELECTOR } from './selector';

export function registerCodeLens(state: ExtensionState): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      const host = state.hostFor(doc.uri);
      if (!host?.result || !readSettings(doc.uri).codeLens) return [];
      const assess = assessorFor(state, host);
      // The workspace's proposals this file can show, gathered once by line (not searched once per query).
      const proposals = new FileProposals(host.result.findings, doc.uri.fsPath);
      const lenses: vscode.CodeLens[] = [];
      const seenLines = new Set<number>();
      for (const sv of host.verdictsIn(doc.uri.fsPath)) {
        if (sv.shape.origin === 'migration') continue;
        const range = toRange(sv.shape.location.range);
        if (seenLines.has(range.start.line)) continue;
        seenLines.add(range.start.line);
        const at = new vscode.Range(range.start, range.start);
        const pos = { line: range.start.line, character: range.start.character };
        // One lens for the verdict and Explain: a second one running the same command only doubled what VS Code lays out.
        lenses.push(new vscode.CodeLens(at, { title: lensTitle(sv, assess), command: 'pgIndexReview.explainQuery', arguments: [doc.uri.toString(), pos], tooltip: 'Explain: the plan this query gets, and every candidate index' }));
        const found = proposals.within(range.start.line, range.end.line, (r) => range.contains(toRange(r)));
        if (found) {
          const f = found.finding;
          lenses.push(
            new vscode.CodeLens(at, {
              title: 'Add index',
              command: 'pgIndexReview.addIndex',
              arguments: [doc.uri.toString(), { line: found.range.start.line, character: found.range.start.character }],
              tooltip: f.fix?.prisma ? `${f.fix.prisma} (model ${f.fix.model})` : f.fix?.sql,
            }),
          );
        }
      }
      return lenses;
    },
  };
  const sub = state.onDidAnalyze(() => changed.fire());
  return vscode.Disposable.from(vscode.languages.registerCodeLensProvider(SELECTOR, provider), sub, changed);
}
