/**
 * What the last database report (Show Index Report with a connected database) says about the code:
 * - a code lens on each query a pg_stat_statements entry was traced to: "#3 by total time on
 *   db:5432/app: 1.2 s mean, 48k calls" (opens the report; the tooltip has the verdict and the index
 *   proposed);
 * - connection-pool diagnostics that need the server's figures (max_connections, pg_stat_statements)
 *   on the `.env` line / schema.prisma datasource, in a collection of their own ("pg-index-review
 *   (database)"), until the next report replaces them.
 */
import * as vscode from 'vscode';
import { production } from '../production';
import type { ExtensionState } from '../state';
import { SELECTOR } from './selector';

function ms(n: number): string {
  return n >= 1000 ? `${+(n / 1000).toFixed(n >= 10_000 ? 0 : 1)} s` : n >= 10 ? `${Math.round(n)} ms` : `${+n.toFixed(2)} ms`;
}

function calls(n: number): string {
  return n >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${+(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k` : String(n);
}

/** Lenses are shown for statements ranked this high by total or mean time. */
const TOP = 10;

export function registerProductionInsight(state: ExtensionState): vscode.Disposable {
  const diagnostics = vscode.languages.createDiagnosticCollection('pg-index-review (database)');
  const publish = () => {
    diagnostics.clear();
    const r = production.report;
    if (!r) return;
    // Pool findings the static analysis already shows (no server figures in them) stay there.
    const shown = new Set(state.findings().map((f) => f.message));
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const f of r.poolAdvice) {
      if (shown.has(f.message)) continue;
      const line = f.location.line;
      const d = new vscode.Diagnostic(new vscode.Range(line, f.location.character, line, Number.MAX_SAFE_INTEGER), f.message, f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
      d.source = 'pg-index-review';
      d.code = f.rule;
      const list = byFile.get(f.location.file) ?? [];
      list.push(d);
      byFile.set(f.location.file, list);
    }
    for (const [file, list] of byFile) diagnostics.set(vscode.Uri.file(file), list);
  };
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      const r = production.report;
      if (!r?.slowQueries.available) return [];
      const lenses: vscode.CodeLens[] = [];
      for (const s of r.slowQueries.statements) {
        if (Math.min(s.rankByTotal, s.rankByMean) > TOP) continue;
        for (const c of s.candidates) {
          if (c.location.file !== doc.uri.fsPath) continue;
          const at = new vscode.Range(c.location.line, c.location.character, c.location.line, c.location.character);
          const rank = s.rankByTotal <= s.rankByMean ? `#${s.rankByTotal} by total time` : `#${s.rankByMean} by mean time`;
          const tooltip = [`${s.query.replace(/\s+/g, ' ').slice(0, 300)}`, '', c.verdict.join('\n'), c.proposal ? `\nProposed: ${c.proposal.sql}` : '', `\nMatched by ${s.how}${c.purpose ? `; ${c.purpose}` : ''}`].join('\n');
          lenses.push(new vscode.CodeLens(at, { title: `$(pulse) ${rank} on ${r.target}: ${ms(s.meanMs)} mean, ${calls(s.calls)} calls`, command: 'pgIndexReview.showIndexReport', tooltip }));
        }
      }
      return lenses;
    },
  };
  return vscode.Disposable.from(
    vscode.languages.registerCodeLensProvider(SELECTOR, provider),
    production.onDidChange(() => {
      changed.fire();
      publish();
    }),
    changed,
    diagnostics,
    production,
  );
}
