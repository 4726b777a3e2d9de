/**
 * The report as one self-contained HTML page: no remote resources, a strict Content-Security-Policy
 * (styles by nonce; no script at all in a saved file), bars drawn with CSS.
 *
 * - `standalone` (CLI `--format html`): its own light/dark palette (prefers-color-scheme); links are
 *   relative to the folder the file is saved to, with GitHub's `#L<line>` anchors.
 * - `webview` (the editor's Show Index Report): themed with VS Code's CSS variables; every link
 *   carries its location in `data-loc` and one nonce'd script posts `{ type: 'reveal', file, line,
 *   character }` to the extension.
 */
import * as path from 'node:path';
import type { HealthReport, IndexHealth, ReportLocation, SessionInfo } from '../healthReport';
import { bytes, count, href, latest, locText, ms, pct, when } from './format';
import { actionItems, connectionsLine, headline, indexVerdicts, METHOD_NOTE, slowTitle, statsLine } from './sections';

export interface HtmlOptions {
  mode: 'standalone' | 'webview';
  /** Folder links are relative to (standalone) and paths are shown relative to. */
  base: string;
  nonce: string;
  /** The webview's `cspSource`. */
  cspSource?: string;
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STANDALONE_PALETTE = `
:root { --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa; --link: #0969da; --code-bg: #f6f8fa;
  --bar: #0969da; --bar2: #8250df; --bar-bg: #e6eaef; --warn: #9a6700; --warn-bg: #fff8c5; --err: #d1242f; --err-bg: #ffebe9; --ok: #1a7f37; --info: #0969da; --info-bg: #ddf4ff;
  --font: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; --size: 14px; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --border: #3d444d; --panel: #151b23; --link: #4493f8; --code-bg: #151b23;
  --bar: #4493f8; --bar2: #ab7df8; --bar-bg: #262c36; --warn: #d29922; --warn-bg: #3b2e0a; --err: #f85149; --err-bg: #490202; --ok: #3fb950; --info: #4493f8; --info-bg: #0c2d6b; } }`;

const WEBVIEW_PALETTE = `
:root { --fg: var(--vscode-foreground); --bg: var(--vscode-editor-background); --muted: var(--vscode-descriptionForeground);
  --border: var(--vscode-editorWidget-border, var(--vscode-panel-border)); --panel: var(--vscode-sideBar-background, var(--vscode-editorWidget-background));
  --link: var(--vscode-textLink-foreground); --code-bg: var(--vscode-textCodeBlock-background);
  --bar: var(--vscode-charts-blue, var(--vscode-progressBar-background)); --bar2: var(--vscode-charts-purple, var(--vscode-charts-blue)); --bar-bg: var(--vscode-editorWidget-background, var(--vscode-input-background));
  --warn: var(--vscode-editorWarning-foreground); --warn-bg: var(--vscode-inputValidation-warningBackground); --err: var(--vscode-errorForeground); --err-bg: var(--vscode-inputValidation-errorBackground);
  --ok: var(--vscode-charts-green, var(--vscode-testing-iconPassed)); --info: var(--vscode-editorInfo-foreground); --info-bg: var(--vscode-inputValidation-infoBackground);
  --font: var(--vscode-font-family); --mono: var(--vscode-editor-font-family); --size: var(--vscode-font-size); }`;

const STYLE = `
* { box-sizing: border-box; }
body { font-family: var(--font); font-size: var(--size); color: var(--fg); background: var(--bg); margin: 0; padding: 12px 20px 32px; line-height: 1.45; }
h1 { font-size: 1.45em; margin: .4em 0 .2em; } h2 { font-size: 1.15em; margin: 1.6em 0 .5em; padding-bottom: 3px; border-bottom: 1px solid var(--border); }
h3 { font-size: 1em; margin: 1em 0 .3em; }
a { color: var(--link); text-decoration: none; } a:hover { text-decoration: underline; }
.muted { color: var(--muted); } code, pre, .mono { font-family: var(--mono); font-size: .92em; }
pre { background: var(--code-bg); padding: 6px 8px; border-radius: 4px; white-space: pre-wrap; word-break: break-word; margin: 4px 0; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 8px 12px; min-width: 130px; }
.card .v { font-size: 1.5em; font-weight: 600; } .card .l { color: var(--muted); font-size: .85em; }
.card.warn .v { color: var(--warn); } .card.err .v { color: var(--err); } .card.ok .v { color: var(--ok); }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--border); }
th { color: var(--muted); font-weight: normal; font-size: .88em; white-space: nowrap; } td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; position: relative; width: 90px; height: 8px; background: var(--bar-bg); border-radius: 4px; vertical-align: middle; margin-left: 6px; overflow: hidden; }
.bar > span { position: absolute; left: 0; top: 0; bottom: 0; background: var(--bar); border-radius: 4px; }
.bar.split > span { background: var(--bar2); }
.chip { display: inline-block; font-size: .8em; padding: 0 6px; border-radius: 9px; margin: 1px 3px 1px 0; border: 1px solid var(--border); white-space: nowrap; }
.chip.err { background: var(--err-bg); color: var(--err); border-color: transparent; } .chip.warn { background: var(--warn-bg); color: var(--warn); border-color: transparent; }
.chip.info { background: var(--info-bg); color: var(--info); border-color: transparent; } .chip.ok { color: var(--ok); }
details { border: 1px solid var(--border); border-radius: 6px; margin: 6px 0; padding: 0 10px; background: var(--bg); }
details > summary { cursor: pointer; padding: 6px 0; } details[open] > summary { border-bottom: 1px solid var(--border); margin-bottom: 6px; }
ul.items { list-style: none; padding: 0; margin: 0; } ul.items > li { padding: 6px 0; border-bottom: 1px solid var(--border); }
details.why { border: none; padding: 0; margin: 0; background: transparent; } details.why > summary { padding: 0; font-size: .85em; color: var(--muted); } details.why[open] > summary { border: none; margin: 0; }
.kind { text-transform: uppercase; font-size: .75em; letter-spacing: .03em; margin-right: 6px; }
.queries { margin: 0; padding-left: 0; list-style: none; font-size: .92em; } .queries li { margin: 1px 0; overflow-wrap: anywhere; }
td.q { min-width: 220px; max-width: 420px; } td.def { min-width: 250px; max-width: 380px; } td.def .mono { overflow-wrap: anywhere; }
.meter { height: 14px; width: 100%; max-width: 520px; background: var(--bar-bg); border-radius: 7px; overflow: hidden; display: flex; margin: 6px 0; }
.meter > span { height: 100%; } .meter .s-active { background: var(--bar); } .meter .s-idle { background: var(--muted); opacity: .5; } .meter .s-txn { background: var(--warn); } .meter .s-other { background: var(--bar2); }
footer { margin-top: 24px; color: var(--muted); font-size: .85em; }
.toolbar { float: right; margin-top: 8px; } .toolbar button { font-family: var(--font); font-size: .92em; color: var(--vscode-button-secondaryForeground, var(--fg)); background: var(--vscode-button-secondaryBackground, var(--panel)); border: 1px solid var(--border); border-radius: 2px; padding: 3px 9px; margin-left: 6px; cursor: pointer; }
.toolbar button:hover { background: var(--vscode-button-secondaryHoverBackground, var(--bar-bg)); }`;

/** `users.ts:19`: the file name and line (the full path is in the link's title). */
function shortLoc(l: ReportLocation): string {
  return `${path.basename(l.file)}:${l.line + 1}`;
}

function bar(ratio: number, cls = ''): string {
  const w = Math.max(0, Math.min(1, ratio)) * 100;
  return `<span class="bar${cls ? ` ${cls}` : ''}" title="${pct(ratio)}"><span style="width:${w.toFixed(1)}%"></span></span>`;
}

export function renderReportHtml(r: HealthReport, o: HtmlOptions): string {
  const webview = o.mode === 'webview';
  const link = (l: ReportLocation | undefined, text: string, title?: string): string => {
    if (!l) return esc(text);
    const t = esc(title ?? locText(l, o.base));
    if (webview) return `<a href="#" data-loc="${esc(JSON.stringify({ file: l.file, line: l.line, character: l.character }))}" title="${t}">${esc(text)}</a>`;
    return `<a href="${esc(href(l, o.base))}" title="${t}">${esc(text)}</a>`;
  };
  const chips = (i: IndexHealth): string => {
    const out: string[] = [];
    if (!i.valid) out.push('<span class="chip err">INVALID</span>');
    if (i.redundant) out.push(`<span class="chip warn" title="${esc(i.redundant.message)}">redundant${i.redundant.of ? ` · ${esc(i.redundant.of)}` : ''}</span>`);
    if (i.unused) out.push(`<span class="chip warn" title="${esc(i.unused.message)}">unused</span>`);
    else if (i.unscanned) out.push(`<span class="chip" title="idx_scan = 0 since ${esc(when(r.stats.since))} UTC">0 scans</span>`);
    if (i.lowSelectivity) out.push(`<span class="chip warn" title="${esc(i.lowSelectivity.message)}">low selectivity</span>`);
    if (i.unusedByWorkload) out.push(`<span class="chip info" title="${esc(i.unusedByWorkload.message)}">no workspace query</span>`);
    if (i.drift) out.push(`<span class="chip info" title="${esc(i.drift.message)}">drift</span>`);
    if (i.primary) out.push('<span class="chip">primary key</span>');
    else if (i.unique) out.push('<span class="chip">unique</span>');
    return out.join('') || '<span class="chip ok">ok</span>';
  };
  const s = r.summary;
  const c = r.connections;
  const cards = [
    ['tables', String(s.tables), `${bytes(s.totalBytes - s.indexBytes)} of data`, ''],
    ['indexes', String(s.indexes), `${bytes(s.indexBytes)}`, ''],
    ['never scanned', String(s.unscannedIndexes), s.unusedIndexes ? `${s.unusedIndexes} unused, ${bytes(s.unusedBytes)}` : `since ${when(r.stats.since)}`, s.unusedIndexes ? 'warn' : ''],
    ['redundant', String(s.redundantIndexes), bytes(s.redundantBytes), s.redundantIndexes ? 'warn' : 'ok'],
    ['invalid', String(s.invalidIndexes), 'failed builds', s.invalidIndexes ? 'err' : 'ok'],
    ['missing indexes', String(s.missingIndexFindings + s.unindexedForeignKeys), s.unindexedForeignKeys ? `${s.missingIndexFindings} queries, ${s.unindexedForeignKeys} foreign keys` : 'queries without a fitting index', s.missingIndexFindings + s.unindexedForeignKeys ? 'warn' : 'ok'],
    ['slow statements', r.slowQueries.available ? `${r.slowQueries.matched}/${r.slowQueries.statements.length}` : '—', r.slowQueries.available ? 'traced to code' : 'no pg_stat_statements', ''],
    ['connections', c.availableToApp !== undefined ? `${c.total}/${c.availableToApp}` : String(c.total), 'in use / available', c.availableToApp && c.total > c.availableToApp * 0.8 ? 'warn' : ''],
  ]
    .map(([l, v, sub, cls]) => `<div class="card ${cls}"><div class="v">${esc(v)}</div><div class="l">${esc(l)}</div><div class="l">${esc(sub)}</div></div>`)
    .join('');

  const items = actionItems(r);
  const itemsHtml = items.length
    ? `<ul class="items">${items
        .map(
          (it) =>
            `<li><span class="kind chip ${it.kind === 'invalid' ? 'err' : it.kind === 'pool' || it.kind === 'slow-query' ? 'info' : 'warn'}">${esc(it.kind)}</span>${link(it.location, it.title)}${it.location ? ` <span class="muted">${esc(locText(it.location, o.base))}</span>` : ''}${it.sql ? `<pre>${esc(it.sql)}</pre>` : ''}<details class="why"><summary>why</summary><div class="muted">${esc(it.detail)}</div></details></li>`,
        )
        .join('')}</ul>`
    : '<p class="muted">Nothing to act on.</p>';

  const maxTotal = Math.max(1, ...r.tables.map((t) => t.totalBytes));
  const tablesHtml = `<table><thead><tr><th>table</th><th>rows</th><th>size (table + indexes)</th><th>seq / index scans</th><th>dead tuples</th><th>bloat (est.)</th><th>last vacuum</th><th>last analyze</th></tr></thead><tbody>${r.tables
    .map(
      (t) =>
        `<tr><td>${link(t.location, t.name)}${t.findings.length ? ` <span class="chip warn" title="${esc(t.findings.map((f) => f.message).join('\n'))}">${t.findings.length} missing</span>` : ''}</td><td class="n">${count(t.rows)}</td><td class="n">${bytes(t.tableBytes)} + ${bytes(t.indexBytes)}${bar(t.totalBytes / maxTotal)}</td><td class="n">${count(t.seqScans)} / ${count(t.idxScans)}${t.indexScanShare !== undefined ? bar(t.indexScanShare, 'split') : ''}</td><td class="n">${count(t.deadTuples)} <span class="muted">(${pct(t.deadRatio)})</span></td><td class="n">${t.bloat?.ratio !== undefined ? `${bytes(t.bloat.bytes)} <span class="muted">(${pct(t.bloat.ratio)}${t.bloat.unreliable ? '?' : ''})</span>` : '<span class="muted">—</span>'}</td><td>${esc(latest(t.lastVacuum, t.lastAutovacuum))}</td><td>${esc(latest(t.lastAnalyze, t.lastAutoanalyze))}</td></tr>`,
    )
    .join('')}</tbody></table>`;

  const maxIndex = Math.max(1, ...r.tables.flatMap((t) => t.indexes.map((i) => i.bytes)));
  const queryList = (i: IndexHealth): string => {
    const qs = [...i.chosenBy.map((q) => ({ q, chosen: true })), ...i.usableBy.map((q) => ({ q, chosen: false }))];
    if (!qs.length) return '<span class="muted">no workspace query</span>';
    const shown = qs.slice(0, 6);
    return `<ul class="queries">${shown.map(({ q, chosen }) => `<li title="${esc(`${q.how} — ${locText(q.location, o.base)}`)}">${chosen ? '✓' : '○'} ${link(q.location, q.label)} <span class="muted">${esc(shortLoc(q.location))}</span></li>`).join('')}${qs.length > shown.length ? `<li class="muted">+${qs.length - shown.length} more</li>` : ''}</ul>`;
  };
  const indexesHtml = r.tables
    .map((t) => {
      const flagged = t.indexes.filter((i) => indexVerdicts(i).length).length;
      const rows = t.indexes
        .map(
          (i) =>
            `<tr><td class="def">${link(i.location, i.name)}<div class="muted mono">${esc(i.definition)}</div></td><td class="n">${bytes(i.bytes)}${bar(i.bytes / maxIndex)}</td><td class="n">${count(i.scans)}${i.lastScan ? `<div class="muted">last ${esc(when(i.lastScan))}</div>` : ''}</td><td class="n">${count(i.tupRead)} / ${count(i.tupFetch)}</td><td class="n">${i.bloat?.ratio !== undefined ? pct(i.bloat.ratio) : '<span class="muted">—</span>'}</td><td>${chips(i)}</td><td class="q">${queryList(i)}</td></tr>`,
        )
        .join('');
      const missing = t.findings.length ? `<ul class="items">${t.findings.map((f) => `<li><span class="kind chip warn">${esc(f.rule)}</span>${link(f.location, locText(f.location, o.base))}<div class="muted">${esc(f.message)}</div>${f.fixSql ? `<pre>${esc(f.fixSql)}</pre>` : ''}</li>`).join('')}</ul>` : '';
      return `<details${flagged || t.findings.length ? ' open' : ''}><summary><b>${esc(t.name)}</b> <span class="muted">— ${t.indexes.length} indexes, ${bytes(t.indexBytes)}${flagged ? `, ${flagged} flagged` : ''}${t.findings.length ? `, ${t.findings.length} queries without a fitting index` : ''}</span></summary>
<table><thead><tr><th>index</th><th>size</th><th>scans</th><th>tuples read / fetched</th><th>bloat</th><th>verdict</th><th>workspace queries (✓ planner's choice, ○ could use it)</th></tr></thead><tbody>${rows}</tbody></table>${missing}</details>`;
    })
    .join('\n');

  const sq = r.slowQueries;
  let slowHtml: string;
  if (!sq.available) slowHtml = `<p class="muted">Not available: ${esc(sq.reason ?? '')}</p>`;
  else {
    const maxMs = Math.max(1, ...sq.statements.map((x) => x.totalMs));
    const matched = sq.statements.filter((x) => x.candidates.length);
    const un = sq.statements.filter((x) => !x.candidates.length);
    slowHtml = `<p class="muted">pg_stat_statements${sq.since ? ` since ${esc(when(sq.since))} UTC` : ''}: ${ms(sq.totalExecMs)} of statement time. ${sq.matched} traced to the workspace, ${sq.unmatched} not.</p>
<table><thead><tr><th>rank</th><th>mean</th><th>calls</th><th>total</th><th>code</th><th>verdict</th></tr></thead><tbody>${matched
      .map(
        (x) =>
          `<tr><td>#${x.rankByTotal} <span class="muted">total</span><br>#${x.rankByMean} <span class="muted">mean</span></td><td class="n">${ms(x.meanMs)}</td><td class="n">${count(x.calls)}</td><td class="n">${ms(x.totalMs)} <span class="muted">(${pct(x.shareOfTotal)})</span>${bar(x.totalMs / maxMs)}</td><td><ul class="queries">${x.candidates.map((cd) => `<li>${link(cd.location, cd.label)} <span class="muted">${esc(shortLoc(cd.location))}${cd.purpose ? ` · ${esc(cd.purpose.split(':')[0])}` : ''}</span></li>`).join('')}</ul><span class="chip" title="how the statement was matched to the code">${esc(x.how ?? '')}</span></td><td>${esc(x.candidates[0].verdict.join('; '))}${x.candidates[0].proposal ? `<pre>${esc(x.candidates[0].proposal.sql)}</pre>` : ''}</td></tr>`,
      )
      .join('')}</tbody></table>${
      un.length
        ? `<details><summary>${un.length} statement${un.length === 1 ? '' : 's'} no workspace code sends</summary><table><tbody>${un.map((x) => `<tr><td class="n">${ms(x.meanMs)} × ${count(x.calls)}</td><td><code>${esc(x.query.replace(/\s+/g, ' ').slice(0, 400))}</code></td></tr>`).join('')}</tbody></table></details>`
        : ''
    }`;
  }

  const stateClass = (st: string) => (st === 'active' ? 's-active' : st === 'idle' ? 's-idle' : st.startsWith('idle in transaction') ? 's-txn' : 's-other');
  const denom = Math.max(1, c.availableToApp ?? c.total);
  const meter = `<div class="meter" title="${esc(connectionsLine(r))}">${c.byState.map((b) => `<span class="${stateClass(b.state)}" style="width:${((b.count / denom) * 100).toFixed(1)}%"></span>`).join('')}</div>`;
  const sessionRows = (list: SessionInfo[]) =>
    list.length
      ? `<table><thead><tr><th>pid</th><th>application</th><th>state</th><th>for</th><th>statement</th></tr></thead><tbody>${list.map((x) => `<tr><td class="n">${x.pid}</td><td>${esc(x.application || '(none)')}${x.user ? ` <span class="muted">${esc(x.user)}</span>` : ''}</td><td>${esc(x.state)}${x.waitEvent ? `<div class="muted">${esc(x.waitEvent)}</div>` : ''}</td><td class="n">${ms(x.durationMs)}</td><td><code>${esc(x.query ?? '')}</code></td></tr>`).join('')}</tbody></table>`
      : '<p class="muted">none</p>';
  const connHtml = `<p>${esc(connectionsLine(r))}</p>${meter}
${c.byApplication.length ? `<table><thead><tr><th>application</th><th>connections</th><th>states</th></tr></thead><tbody>${c.byApplication.map((a) => `<tr><td>${esc(a.application)}</td><td class="n">${a.count}</td><td>${Object.entries(a.states).map(([st, n]) => `<span class="chip">${n} ${esc(st)}</span>`).join('')}</td></tr>`).join('')}</tbody></table>` : ''}
<h3>Long-running (active ≥ ${ms(c.longRunningMs)})</h3>${sessionRows(c.longRunning)}
<h3>Idle in transaction</h3>${sessionRows(c.idleInTransaction)}
${r.poolAdvice.length ? `<h3>Connection pools</h3><ul class="items">${r.poolAdvice.map((f) => `<li><span class="kind chip ${f.severity === 'warning' ? 'warn' : 'info'}">${esc(f.severity)}</span>${link(f.location, locText(f.location, o.base))}<div>${esc(f.message)}</div></li>`).join('')}</ul>` : ''}`;

  const csp = webview
    ? `default-src 'none'; style-src ${o.cspSource ?? ''} 'nonce-${o.nonce}'; script-src 'nonce-${o.nonce}'; img-src ${o.cspSource ?? ''};`
    : `default-src 'none'; style-src 'nonce-${o.nonce}';`;
  // Inline style attributes (bar widths) are not allowed by this CSP: widths go through a nonce'd stylesheet instead.
  const toolbar = webview
    ? `<div class="toolbar"><button data-action="refresh">Refresh</button><button data-action="save-html">Save as HTML…</button><button data-action="save-md">Save as Markdown…</button></div>`
    : '';
  const body = `${toolbar}<h1>${esc(headline(r))}</h1>
<p class="muted">${esc(statsLine(r))}</p>
<div class="cards">${cards}</div>
<h2>Action items (${items.length})</h2>${itemsHtml}
<h2>Tables</h2>${tablesHtml}
<h2>Indexes</h2>${indexesHtml}
<h2>Slow queries</h2>${slowHtml}
<h2>Connections</h2>${connHtml}
${r.problems.length ? `<h2>Not read</h2><ul>${r.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : ''}
<footer><p>${esc(METHOD_NOTE)}</p><p>Generated by pg-index-review in ${ms(r.timings.totalMs)} (schema ${ms(r.timings.schemaMs)}, analysis ${ms(r.timings.analysisMs)}, catalog ${ms(r.timings.catalogMs)}, matching ${ms(r.timings.matchingMs)}).</p></footer>`;
  const { html, css } = inlineStylesToClasses(body);
  const script = webview
    ? webviewClickScript(o.nonce)
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(headline(r))}</title>
<style nonce="${o.nonce}">${webview ? WEBVIEW_PALETTE : STANDALONE_PALETTE}${STYLE}${css}</style></head><body>
${html}
${script}
</body></html>`;
}

/**
 * `style="width:NN%"` attributes → generated classes (`.w-12-5 { width: 12.5% }`), so the page
 * needs no 'unsafe-inline' in its style-src.
 */
export function inlineStylesToClasses(html: string): { html: string; css: string } {
  const rules = new Map<string, string>();
  const out = html.replace(/<(\w+)([^>]*?) style="([^"]*)"([^>]*)>/g, (_m, tag: string, before: string, style: string, after: string) => {
    const name = `st-${style.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`;
    rules.set(name, style);
    const attrs = `${before}${after}`;
    const cls = /\sclass="([^"]*)"/.exec(attrs);
    const merged = cls ? attrs.replace(cls[0], ` class="${cls[1]} ${name}"`) : `${attrs} class="${name}"`;
    return `<${tag}${merged}>`;
  });
  return { html: out, css: [...rules].map(([n, s]) => `.${n}{${s}}`).join('\n') };
}

/** The webview script shared by our webviews: buttons post their data-action, links reveal their data-loc. */
export function webviewClickScript(nonce: string): string {
  return `<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (e) => {
  const b = e.target.closest('button[data-action]');
  if (b) { vscode.postMessage({ type: b.getAttribute('data-action') }); return; }
  const a = e.target.closest('a[data-loc]');
  if (!a) return;
  e.preventDefault();
  vscode.postMessage({ type: 'reveal', ...JSON.parse(a.getAttribute('data-loc')) });
});
</script>`;
}
