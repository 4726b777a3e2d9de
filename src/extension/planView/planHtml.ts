/**
 * The visual plan: EXPLAIN's tree as nested cards, each with its share of the time (ANALYZE) or of
 * the cost (plain EXPLAIN) as a bar — exclusive of its children, like the "self" column of a
 * profiler — estimated vs actual rows with the misestimate factor, buffers (shared hit / read /
 * dirtied / written, temp), the index used and its condition, and the same markers as the hover
 * (src/core/db/planSummary.ts: sequential scan over many rows, explicit sort, filter removing many
 * rows, misestimate). Themed with VS Code's CSS variables (fallbacks for a plain browser), strict
 * CSP, no remote resources; the one script posts `export` / `reveal` / `analyze` to the extension.
 *
 * Why our own renderer rather than pev2: see the README ("Plan view"). No `vscode` import: the
 * panel (planPanel.ts) feeds it, and the tests render it in Chromium from its HTML.
 */
import type { PlanNode, PlanSummary } from '../../core/db/planSummary';
import { nodeTitle } from '../../core/db/planSummary';
import { webviewClickScript } from '../../core/report/render/html';

export interface PlanViewInput {
  /** What was explained: `prisma.user.findMany — users.ts:19`. */
  title: string;
  sql: string;
  target: string;
  serverVersion?: number;
  analyzed: boolean;
  /** How a generic plan was obtained, the rollback, a synthetic database… */
  notes: string[];
  summary: PlanSummary;
  /** Raw EXPLAIN (FORMAT JSON): buffers and the fields the summary leaves out come from it. */
  raw: unknown;
  /** The source location, shown as `file:line`, revealed on click (webview). */
  source?: { label: string; file: string; line: number; character: number };
  /** ANALYZE can be requested (a statement without parameters, or with values). */
  canAnalyze?: boolean;
}

export interface PlanHtmlOptions {
  nonce: string;
  cspSource?: string;
  /** A plain page (tests, a saved file): no script. */
  standalone?: boolean;
}

type Raw = Record<string, any>;

interface ViewNode {
  node: PlanNode;
  raw: Raw;
  /** Exclusive time (ms, all loops) when analyzed, else exclusive cost. */
  self: number;
  /** Inclusive time (ms, all loops) or total cost. */
  total: number;
  children: ViewNode[];
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function rows(n: number | undefined): string {
  if (n === undefined) return '—';
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n * 100) / 100);
}

function ms(n: number): string {
  if (n >= 1000) return `${+(n / 1000).toFixed(2)} s`;
  if (n >= 10) return `${n.toFixed(1)} ms`;
  return `${n.toFixed(3)} ms`;
}

function blocks(n: number): string {
  const kb = n * 8;
  return kb >= 1024 * 1024 ? `${(kb / 1024 / 1024).toFixed(1)} GB` : kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb} kB`;
}

function topPlan(raw: unknown): Raw | undefined {
  let v = raw;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(v)) v = v[0];
  return v && typeof v === 'object' && 'Plan' in (v as Raw) ? ((v as Raw).Plan as Raw) : undefined;
}

function build(node: PlanNode, raw: Raw | undefined, analyzed: boolean): ViewNode {
  const kids = node.children.map((c, i) => build(c, raw?.Plans?.[i], analyzed));
  const loops = node.loops ?? 1;
  const total = analyzed ? (node.actualTimeMs ?? 0) * (node.loops ? loops : 0) : node.totalCost;
  // A child's time/cost is part of its parent's, except InitPlans/SubPlans the parent only references.
  const childSum = kids.reduce((n, k) => n + k.total, 0);
  return { node, raw: raw ?? {}, self: Math.max(0, total - childSum), total, children: kids };
}

function factor(est: number, act: number): { text: string; cls: string } {
  const e = Math.max(est, 1);
  const a = Math.max(act, 1);
  const f = Math.max(e / a, a / e);
  if (f < 2) return { text: '', cls: '' };
  const dir = a > e ? '▲ under-estimated' : '▼ over-estimated';
  return { text: `${dir} ${f >= 100 ? Math.round(f) : f.toFixed(1)}×`, cls: f >= 10 ? 'bad' : 'meh' };
}

function buffersText(r: Raw): string[] {
  const out: string[] = [];
  const part = (label: string, keys: [string, string][]) => {
    const xs = keys.filter(([k]) => typeof r[k] === 'number' && r[k] > 0).map(([k, l]) => `${l} ${blocks(r[k])}`);
    if (xs.length) out.push(`${label}: ${xs.join(', ')}`);
  };
  part('shared', [
    ['Shared Hit Blocks', 'hit'],
    ['Shared Read Blocks', 'read'],
    ['Shared Dirtied Blocks', 'dirtied'],
    ['Shared Written Blocks', 'written'],
  ]);
  part('local', [
    ['Local Hit Blocks', 'hit'],
    ['Local Read Blocks', 'read'],
  ]);
  part('temp', [
    ['Temp Read Blocks', 'read'],
    ['Temp Written Blocks', 'written'],
  ]);
  return out;
}

export function planHtml(input: PlanViewInput, o: PlanHtmlOptions): string {
  const s = input.summary;
  const root = build(s.root, topPlan(input.raw), input.analyzed);
  const all: ViewNode[] = [];
  const walk = (v: ViewNode) => {
    all.push(v);
    v.children.forEach(walk);
  };
  walk(root);
  const grand = Math.max(root.total, all.reduce((n, v) => n + v.self, 0), 1e-9);
  const maxSelf = Math.max(...all.map((v) => v.self), 1e-9);
  const rootBuffers = buffersText(root.raw);

  const card = (v: ViewNode): string => {
    const n = v.node;
    const share = v.self / grand;
    const heat = share >= 0.5 ? 'hot' : share >= 0.2 ? 'warm' : '';
    const est = n.estRows;
    const act = n.actualRows;
    const mis = act !== undefined && n.loops ? factor(est, act) : { text: '', cls: '' };
    const details: string[] = [];
    const cond = (label: string, val: string | string[] | undefined) => {
      if (val === undefined || (Array.isArray(val) && !val.length)) return;
      details.push(`<div><span class="k">${label}</span> <code>${esc(Array.isArray(val) ? val.join(', ') : val)}</code></div>`);
    };
    cond('Index Cond', n.indexCond);
    cond('Recheck Cond', n.nodeType === 'Bitmap Heap Scan' ? n.recheckCond : undefined);
    cond('Hash Cond', n.hashCond);
    cond('Merge Cond', n.mergeCond);
    cond('Join Filter', n.joinFilter);
    cond('Filter', n.filter);
    if (n.rowsRemovedByFilter !== undefined) details.push(`<div><span class="k">Rows Removed by Filter</span> ${rows(n.rowsRemovedByFilter * (n.loops ?? 1))}</div>`);
    cond('Sort Key', n.sortKey);
    cond('Sort Method', n.sortMethod);
    for (const b of buffersText(v.raw)) details.push(`<div><span class="k">Buffers</span> ${esc(b)}</div>`);
    if (typeof v.raw['Workers Launched'] === 'number') details.push(`<div><span class="k">Workers</span> ${v.raw['Workers Launched']} of ${v.raw['Workers Planned'] ?? '?'}</div>`);
    const flags = n.flags.map((f) => `<div class="flag ${esc(f.kind)}">⚠ ${esc(f.message)}</div>`).join('');
    const index = n.index ? `<span class="index" title="index used">${esc(n.index)}</span>` : '';
    const metric = input.analyzed
      ? `<span title="time in this node, children excluded, all loops">${ms(v.self)}</span> <span class="muted">self · ${ms(v.total)} total</span>`
      : `<span title="cost of this node, children excluded">${v.self.toFixed(1)}</span> <span class="muted">self cost · ${n.totalCost.toFixed(1)} total</span>`;
    const rowsCell =
      act === undefined
        ? `<span title="estimated rows">${rows(est)} rows est.</span>`
        : !n.loops
          ? `<span class="muted">never executed</span> (${rows(est)} est.)`
          : `<span title="estimated / actual rows per loop">${rows(est)} est. → <b>${rows(act)}</b> actual</span>${n.loops > 1 ? ` <span class="muted">× ${rows(n.loops)} loops</span>` : ''}${mis.text ? ` <span class="mis ${mis.cls}">${esc(mis.text)}</span>` : ''}`;
    const kids = v.children.length ? `<ul>${v.children.map((c) => `<li>${card(c)}</li>`).join('')}</ul>` : '';
    return `<div class="node ${heat}${n.flags.length ? ' flagged' : ''}">
<div class="head"><span class="title">${esc(nodeTitle(n))}</span>${index}${n.parentRelationship && n.parentRelationship !== 'Outer' && n.parentRelationship !== 'Inner' && n.parentRelationship !== 'Member' ? ` <span class="muted">(${esc(n.parentRelationship)})</span>` : ''}</div>
<div class="metrics"><span class="bar" title="${(share * 100).toFixed(1)}% of the ${input.analyzed ? 'time' : 'cost'}"><span style="width:${((v.self / maxSelf) * 100).toFixed(1)}%"></span></span> <b>${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%</b> ${metric} · ${rowsCell}</div>
${details.length ? `<div class="details">${details.join('')}</div>` : ''}${flags}</div>${kids}`;
  };

  const flaggedCount = s.flagged.reduce((n, x) => n + x.flags.length, 0);
  const head = [
    input.analyzed ? `<b>${s.executionMs !== undefined ? ms(s.executionMs) : '—'}</b> execution` : `<b>${s.totalCost.toFixed(1)}</b> total cost`,
    s.planningMs !== undefined ? `${ms(s.planningMs)} planning` : '',
    `${rows(s.estRows)} rows est.${root.node.actualRows !== undefined ? ` / ${rows(root.node.actualRows)} actual` : ''}`,
    s.indexes.length ? `index${s.indexes.length > 1 ? 'es' : ''}: ${s.indexes.map((i) => `<span class="index">${esc(i.index)}</span>`).join(' ')}` : '<span class="flagtext">no index</span>',
    s.seqScans.length ? `sequential scan: ${esc(s.seqScans.join(', '))}` : '',
    flaggedCount ? `<span class="flagtext">⚠ ${flaggedCount} marker${flaggedCount === 1 ? '' : 's'}</span>` : '',
    rootBuffers.length ? `buffers ${esc(rootBuffers.join('; '))}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const csp = o.standalone ? `default-src 'none'; style-src 'nonce-${o.nonce}';` : `default-src 'none'; style-src ${o.cspSource ?? ''} 'nonce-${o.nonce}'; script-src 'nonce-${o.nonce}';`;
  const body = `<header>
<h1>${esc(input.title)}</h1>
<div class="muted">${input.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} on ${esc(input.target)}${input.serverVersion ? ` (PostgreSQL ${input.serverVersion})` : ''}${input.source ? ` · <a href="#" data-loc="${esc(JSON.stringify({ file: input.source.file, line: input.source.line, character: input.source.character }))}">${esc(input.source.label)}</a>` : ''}</div>
<div class="summary">${head}</div>
${input.notes.map((n) => `<div class="note">${esc(n)}</div>`).join('')}
<div class="toolbar">${o.standalone ? '' : `<button data-action="export">Export plan as JSON…</button>${input.canAnalyze && !input.analyzed ? '<button data-action="analyze">Run EXPLAIN ANALYZE</button>' : ''}`}</div>
<details><summary>Statement</summary><pre>${esc(input.sql)}</pre></details>
</header>
<main class="tree"><ul class="root"><li>${card(root)}</li></ul></main>
<footer class="muted">Bars: ${input.analyzed ? 'time spent in each node itself (actual time × loops, less its children)' : 'cost of each node itself (total cost less its children)'}, relative to the largest. Markers are the hover's: sequential scans over many rows, explicit sorts, filters removing many rows, row estimates off by 10× or more.</footer>`;
  // Bar widths become classes: the CSP allows no inline style attributes.
  const rules = new Map<string, string>();
  const html = body.replace(/<span style="width:([\d.]+)%">/g, (_m, w: string) => {
    const name = `w${w.replace('.', '_')}`;
    rules.set(name, `width:${w}%`);
    return `<span class="${name}">`;
  });
  const script = o.standalone
    ? ''
    : webviewClickScript(o.nonce);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)}</title>
<style nonce="${o.nonce}">
:root { --fg: var(--vscode-foreground, #1f2328); --bg: var(--vscode-editor-background, #ffffff); --muted: var(--vscode-descriptionForeground, #59636e);
  --border: var(--vscode-editorWidget-border, var(--vscode-panel-border, #d1d9e0)); --panel: var(--vscode-editorWidget-background, #f6f8fa);
  --link: var(--vscode-textLink-foreground, #0969da); --code-bg: var(--vscode-textCodeBlock-background, #f6f8fa);
  --bar: var(--vscode-charts-blue, #0969da); --bar-bg: var(--vscode-input-background, #e6eaef); --hot: var(--vscode-charts-red, #d1242f); --warm: var(--vscode-charts-orange, #bc4c00);
  --warn: var(--vscode-editorWarning-foreground, #9a6700); --warn-bg: var(--vscode-inputValidation-warningBackground, #fff8c5); --index: var(--vscode-charts-green, #1a7f37);
  --font: var(--vscode-font-family, -apple-system, "Segoe UI", sans-serif); --mono: var(--vscode-editor-font-family, ui-monospace, Menlo, Consolas, monospace); --size: var(--vscode-font-size, 13px); }
* { box-sizing: border-box; }
body { font-family: var(--font); font-size: var(--size); color: var(--fg); background: var(--bg); margin: 0; padding: 10px 18px 24px; line-height: 1.4; }
h1 { font-size: 1.3em; margin: .3em 0 .1em; } a { color: var(--link); text-decoration: none; } a:hover { text-decoration: underline; }
.muted { color: var(--muted); } code, pre { font-family: var(--mono); font-size: .92em; }
pre { background: var(--code-bg); padding: 6px 8px; border-radius: 4px; white-space: pre-wrap; }
.summary { margin: 8px 0 4px; } .note { color: var(--muted); font-size: .9em; margin: 2px 0; }
.toolbar { margin: 8px 0; } button { font-family: var(--font); font-size: .95em; color: var(--vscode-button-foreground, #fff); background: var(--vscode-button-background, #0969da); border: none; border-radius: 2px; padding: 4px 10px; margin-right: 6px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground, #0860c4); }
details > summary { cursor: pointer; color: var(--muted); }
.tree ul { list-style: none; margin: 0; padding-left: 22px; position: relative; }
.tree ul.root { padding-left: 0; }
.tree li { position: relative; padding: 4px 0 0 0; }
.tree ul:not(.root) > li::before { content: ''; position: absolute; left: -14px; top: 0; bottom: 0; border-left: 1px solid var(--border); }
.tree ul:not(.root) > li:last-child::before { bottom: calc(100% - 18px); }
.tree ul:not(.root) > li::after { content: ''; position: absolute; left: -14px; top: 18px; width: 12px; border-top: 1px solid var(--border); }
.node { border: 1px solid var(--border); border-left: 4px solid var(--border); border-radius: 4px; padding: 5px 9px; background: var(--panel); max-width: 980px; }
.node.warm { border-left-color: var(--warm); } .node.hot { border-left-color: var(--hot); }
.head .title { font-weight: 600; } .index { font-family: var(--mono); font-size: .9em; color: var(--index); margin-left: 8px; border: 1px solid var(--index); border-radius: 3px; padding: 0 4px; }
.metrics { margin-top: 2px; }
.bar { display: inline-block; position: relative; width: 120px; height: 8px; background: var(--bar-bg); border-radius: 4px; vertical-align: middle; overflow: hidden; }
.bar > span { position: absolute; left: 0; top: 0; bottom: 0; background: var(--bar); border-radius: 4px; }
.node.hot .bar > span { background: var(--hot); } .node.warm .bar > span { background: var(--warm); }
.details { margin-top: 3px; font-size: .92em; } .details .k { color: var(--muted); }
.flag { margin-top: 3px; padding: 1px 6px; border-radius: 3px; background: var(--warn-bg); color: var(--warn); display: inline-block; margin-right: 6px; font-size: .92em; }
.flagtext { color: var(--warn); }
.mis.bad { color: var(--hot); font-weight: 600; } .mis.meh { color: var(--warn); }
footer { margin-top: 18px; font-size: .85em; }
${[...rules].map(([n, r]) => `.${n}{${r}}`).join('\n')}
</style></head><body>
${html}
${script}
</body></html>`;
}
