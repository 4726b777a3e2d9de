/** Finding → vscode.Diagnostic: severity, rule code with its documentation link, related locations, tags. */
import * as vscode from 'vscode';
import type { Finding, Severity } from '../core/model/finding';
import type { Range } from '../core/model/location';

export const SOURCE = 'pg-index-review';
export const DOCS_URL = 'https://github.com/pg-index-review/pg-index-review/blob/main/README.md';

export function ruleDocUri(rule: string): vscode.Uri {
  return vscode.Uri.parse(`${DOCS_URL}#${rule}`);
}

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toSeverity(s: Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
    default:
      return vscode.DiagnosticSeverity.Hint;
  }
}

export function toDiagnostic(f: Finding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.range), f.message, toSeverity(f.severity));
  d.source = SOURCE;
  d.code = { value: f.rule, target: ruleDocUri(f.rule) };
  if (f.related.length) {
    d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), toRange(r.range)), r.message));
  }
  if (f.rule === 'redundant-index') d.tags = [vscode.DiagnosticTag.Unnecessary];
  return d;
}

const sameRange = (a: Range, b: Range) => a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** Whether two findings show as the same diagnostic (the same object, most often: the analysis keeps a file's findings while it stays the same). */
export function sameDiagnostic(a: Finding, b: Finding): boolean {
  if (a === b) return true;
  return (
    a.rule === b.rule &&
    a.severity === b.severity &&
    a.message === b.message &&
    sameRange(a.range, b.range) &&
    a.related.length === b.related.length &&
    a.related.every((r, i) => r.file === b.related[i].file && r.message === b.related[i].message && sameRange(r.range, b.related[i].range))
  );
}

/** The rule id of one of our diagnostics. */
export function ruleOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== SOURCE) return undefined;
  const c = d.code;
  return typeof c === 'object' && c !== null ? String(c.value) : c === undefined ? undefined : String(c);
}

/** The finding a diagnostic came from (VS Code hands providers copies, so match by content). */
export function findingFor(d: vscode.Diagnostic, findings: readonly Finding[]): Finding | undefined {
  const rule = ruleOf(d);
  if (!rule) return undefined;
  return findings.find((f) => f.rule === rule && f.message === d.message && toRange(f.range).isEqual(d.range));
}
