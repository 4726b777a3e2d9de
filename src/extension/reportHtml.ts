/**
 * The Index Report page: tables → indexes → the queries using them, and the findings. Themed with
 * VS Code's CSS variables; a strict CSP (no remote resources, one nonce'd script for navigation).
 * No `vscode` import: the webview panel (commands/showIndexReport.ts) feeds it.
 */
import * as path from 'node:path';
import type { Finding } from '../core/model/finding';
import type { SourceLocation } from '../core/model/location';
import type { TableOverview } from './overview';
import { fmtRows } from './present';

export interface ReportInput {
  root: string;
  folderName: string;
  tables: TableOverview[];
  stats: { files: number; queries: number; tables: number; indexes: number };
  findingCount: number;
  database: string;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function link(root: string, loc: SourceLocation | undefined, text: string): string {
  if (!loc) return esc(text);
  const data = esc(JSON.stringify({ file: loc.file, line: loc.range.start.line, character: loc.range.start.character }));
  return `<a href="#" data-loc="${data}" title="${esc(`${path.relative(root, loc.file)}:${loc.range.start.line + 1}`)}">${esc(text)}</a>`;
}

function finding(root: string, f: Finding): string {
  return `<li class="finding ${esc(f.severity)}"><span class="sev">${esc(f.severity)}</span> <code>${esc(f.rule)}</code> ${link(root, f, f.message)}${f.fix?.sql ? `<pre>${esc(f.fix.sql)}</pre>` : ''}</li>`;
}

export function reportHtml(input: ReportInput, csp: { cspSource: string; nonce: string }): string {
  const { root } = input;
  const body = input.tables
    .map((t) => {
      const tableFindings = t.findings.length ? `<ul class="findings">${t.findings.map((f) => finding(root, f)).join('')}</ul>` : '';
      const rows = t.indexes
        .map((i) => {
          const queries = i.queries.length
            ? `<ul class="queries">${i.queries.map((q) => `<li class="${q.chosen ? 'chosen' : 'could'}">${q.chosen ? '✓' : '○'} ${link(root, q.location, `${q.label} — ${path.relative(root, q.location.file)}:${q.location.range.start.line + 1}`)} <span class="how">${esc(q.how)}</span></li>`).join('')}</ul>`
            : '<span class="muted">no query in the workspace uses it</span>';
          const findings = i.findings.length ? `<ul class="findings">${i.findings.map((f) => finding(root, f)).join('')}</ul>` : '';
          return `<tr><td>${link(root, i.location, i.name)}</td><td><code>${esc(i.definition)}</code></td><td>${findings}${queries}</td></tr>`;
        })
        .join('');
      const n = t.findings.length + t.indexes.reduce((s, i) => s + i.findings.length, 0);
      return `<section><h2>${link(root, t.location, t.name)} <span class="muted">${t.materialized ? 'materialized view · ' : ''}${t.rows !== undefined ? `~${fmtRows(t.rows)} rows · ` : ''}${t.indexes.length} indexes${n ? ` · ${n} findings` : ''}</span></h2>${tableFindings}
<table><thead><tr><th>index</th><th>definition</th><th>findings and queries</th></tr></thead><tbody>${rows}</tbody></table></section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${csp.cspSource} 'nonce-${csp.nonce}'; script-src 'nonce-${csp.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Index Report</title>
<style nonce="${csp.nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 24px; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin: 1.4em 0 .4em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: 2px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); }
th { color: var(--vscode-descriptionForeground); font-weight: normal; }
code, pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
pre { background: var(--vscode-textCodeBlock-background); padding: 4px 6px; margin: 4px 0; white-space: pre-wrap; }
a { color: var(--vscode-textLink-foreground); text-decoration: none; } a:hover { text-decoration: underline; }
ul { margin: 2px 0; padding-left: 18px; } .muted, .how { color: var(--vscode-descriptionForeground); }
.sev { text-transform: uppercase; font-size: .8em; padding: 0 4px; border-radius: 3px; }
.error .sev { background: var(--vscode-inputValidation-errorBackground); color: var(--vscode-errorForeground); }
.warning .sev { background: var(--vscode-inputValidation-warningBackground); color: var(--vscode-editorWarning-foreground); }
.info .sev, .hint .sev { background: var(--vscode-inputValidation-infoBackground); color: var(--vscode-editorInfo-foreground); }
li.could { opacity: .8; }
</style></head><body>
<h1>Index Report — ${esc(input.folderName)}</h1>
<p class="muted">${input.stats.tables} tables, ${input.stats.indexes} indexes, ${input.stats.queries} queries in ${input.stats.files} files · ${input.findingCount} findings · database: ${esc(input.database)}</p>
${body || '<p>No schema found: add a schema.prisma or SQL migrations, or set <code>pgIndexReview.schema</code>.</p>'}
<script nonce="${csp.nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-loc]');
  if (!a) return;
  e.preventDefault();
  vscode.postMessage({ type: 'reveal', ...JSON.parse(a.getAttribute('data-loc')) });
});
</script>
</body></html>`;
}
