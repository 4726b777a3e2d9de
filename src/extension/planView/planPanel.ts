/**
 * The plan view: a webview panel showing one statement's plan (planHtml.ts), reused for the next
 * statement. Command `pgIndexReview.showPlan` (uri?, position?): the query at the cursor — SQL as
 * written, a Prisma call as the SQL Prisma sends (its main query; the relation loads on request) —
 * planned by the configured database, else the embedded one. "Export plan as JSON…" saves EXPLAIN's
 * own JSON (what pev2, explain.dalibo.com and other tools read); "Run EXPLAIN ANALYZE" runs it on a
 * configured database (reads in a READ ONLY transaction, writes rolled back: src/core/db/explain.ts).
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExplainResult } from '../../core/db/explain';
import type { QueryShape } from '../../core/model/query';
import type { ExtensionState } from '../state';
import { planHtml, type PlanViewInput } from './planHtml';

let panel: vscode.WebviewPanel | undefined;
let current: { input: PlanViewInput; result: ExplainResult; uri: vscode.Uri } | undefined;

/** The SQL a query sends: its text, or for a Prisma call the statement Prisma generates (`which`: main query 0, relation loads 1…). */
export function sqlOf(state: ExtensionState, uri: vscode.Uri, shape: QueryShape, which = 0): { sql: string; purpose?: string; count: number } | undefined {
  if (shape.origin === 'sql-file' || shape.origin === 'embedded-sql') return { sql: shape.text, count: 1 };
  if (shape.origin !== 'prisma') return undefined;
  const host = state.hostFor(uri);
  const project = host?.project;
  if (!project) return undefined;
  const schemaText = project.prismaSchemaText();
  const list = state.loadEngine().prismaStatements(shape, project.schema, { schemaText });
  const s = list[which];
  return s ? { sql: s.sql, purpose: s.purpose, count: list.length } : undefined;
}

function inputOf(r: ExplainResult, title: string, source: PlanViewInput['source'], canAnalyze: boolean): PlanViewInput {
  return { title, sql: r.sql, target: r.target, serverVersion: r.serverVersion, analyzed: r.analyzed, notes: r.notes, summary: r.summary, raw: r.raw, source, canAnalyze };
}

function render(p: vscode.WebviewPanel): void {
  if (!current) return;
  p.title = `Plan: ${current.input.title}`;
  p.webview.html = planHtml(current.input, { nonce: randomBytes(16).toString('base64'), cspSource: p.webview.cspSource });
}

/** Opens (or reuses) the plan panel for an EXPLAIN result. */
export function showPlanPanel(state: ExtensionState, uri: vscode.Uri, result: ExplainResult, title: string, source?: PlanViewInput['source']): vscode.WebviewPanel {
  const canAnalyze = !result.embedded && state.database.state.kind === 'connected' && !/\$\d/.test(result.sql);
  current = { input: inputOf(result, title, source, canAnalyze), result, uri };
  if (panel) {
    panel.reveal(vscode.ViewColumn.Beside, true);
    render(panel);
    return panel;
  }
  const p = vscode.window.createWebviewPanel('pgIndexReview.plan', `Plan: ${title}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [] });
  p.iconPath = vscode.Uri.joinPath(state.context.extensionUri, 'media', 'view-icon.svg');
  panel = p;
  render(p);
  const sub = p.webview.onDidReceiveMessage(async (m: { type?: string; file?: string; line?: number; character?: number }) => {
    if (m.type === 'reveal' && typeof m.file === 'string') {
      const pos = new vscode.Position(m.line ?? 0, m.character ?? 0);
      await vscode.window.showTextDocument(vscode.Uri.file(m.file), { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
    } else if (m.type === 'export' && current) {
      await exportPlan(state, current.result, current.input.title, current.uri);
    } else if (m.type === 'analyze' && current) {
      await analyze(state);
    }
  });
  p.onDidDispose(() => {
    sub.dispose();
    if (panel === p) panel = undefined;
  });
  return p;
}

async function exportPlan(state: ExtensionState, r: ExplainResult, title: string, uri: vscode.Uri): Promise<void> {
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `${title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'plan'}.plan.json`;
  const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { 'EXPLAIN JSON': ['json'] }, title: 'Export the plan (EXPLAIN FORMAT JSON)' });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, Buffer.from(`${JSON.stringify(r.raw, null, 2)}\n`, 'utf8'));
  state.log.info(`plan exported to ${target.fsPath}`);
}

async function analyze(state: ExtensionState): Promise<void> {
  if (!current || !vscode.workspace.isTrusted) return;
  const ok = await vscode.window.showWarningMessage(
    'EXPLAIN ANALYZE runs the statement on the database. A read runs in a READ ONLY transaction; anything that may write runs in a transaction that is rolled back.',
    { modal: true },
    'Run it',
  );
  if (ok !== 'Run it') return;
  const found = await state.database.resolve();
  if (!found) return;
  const engine = state.loadEngine();
  const session = await engine.openSession(found.url, { statementTimeoutMs: 30_000 });
  try {
    const r = await engine.explainStatement(session, current.result.sql, { analyze: true });
    current = { ...current, result: r, input: inputOf(r, current.input.title, current.input.source, false) };
    if (panel) render(panel);
  } catch (err) {
    vscode.window.showErrorMessage(`EXPLAIN ANALYZE failed: ${engine.redact((err as Error).message, found.url)}`);
  } finally {
    await session.close();
  }
}

/** `pgIndexReview.showPlan`: the plan of the query at the cursor (or at `posArg` in `uriArg`). */
export async function showPlanCommand(
  state: ExtensionState,
  uriArg?: string | vscode.Uri,
  posArg?: { line: number; character: number },
  which?: number,
  opts: { quiet?: boolean } = {},
): Promise<vscode.WebviewPanel | undefined> {
  const editor = vscode.window.activeTextEditor;
  const uri = uriArg ? (typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg) : editor?.document.uri;
  const pos = posArg ? new vscode.Position(posArg.line, posArg.character) : editor?.selection.active;
  if (!uri || !pos) return undefined;
  const host = state.hostFor(uri);
  if (host?.busy) await host.idle();
  const sv = state.verdictsAt(uri, pos)?.verdicts[0];
  if (!sv) {
    if (!opts.quiet) vscode.window.showInformationMessage('Postgres Index Review found no query at the cursor.');
    return undefined;
  }
  let index = which ?? 0;
  const first = sqlOf(state, uri, sv.shape, 0);
  if (!first) return undefined;
  if (which === undefined && first.count > 1) {
    const items = Array.from({ length: first.count }, (_, i) => ({ label: i === 0 ? 'Main query' : `Relation load ${i}`, description: sqlOf(state, uri, sv.shape, i)?.purpose, i }));
    const pick = await vscode.window.showQuickPick(items, { title: `${sv.shape.label} sends ${first.count} statements: which plan?` });
    if (!pick) return undefined;
    index = pick.i;
  }
  const chosen = index === 0 ? first : sqlOf(state, uri, sv.shape, index);
  if (!chosen) return undefined;
  const plan = state.database.planFor(uri, chosen.sql);
  if (!plan) {
    if (opts.quiet) return undefined;
    vscode.window.showInformationMessage('No database to plan with: configure one (Postgres Index Review: Configure Database Connection), or enable the embedded database (pgIndexReview.database.embedded) in a trusted workspace with migrations.');
    return undefined;
  }
  let r: ExplainResult;
  try {
    r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: plan.source === 'embedded' ? 'Planning on the embedded database…' : 'EXPLAIN…' }, () => plan.result);
  } catch (err) {
    if (!opts.quiet) vscode.window.showWarningMessage(`Postgres Index Review: EXPLAIN failed: ${(err as Error).message}`);
    return undefined;
  }
  const rel = path.relative(host?.root ?? '', sv.shape.location.file) || path.basename(sv.shape.location.file);
  const line = sv.shape.location.range.start.line;
  const title = `${sv.shape.label}${chosen.purpose && index > 0 ? ` (relation load ${index})` : ''} — ${path.basename(sv.shape.location.file)}:${line + 1}`;
  // The result is shared with the hover's cache: add the note to a copy.
  const shown = plan.source === 'embedded' ? { ...r, notes: [...r.notes, 'Embedded database (PGlite) with synthetic rows: the shape of the plan, not production timings.'] } : r;
  return showPlanPanel(state, uri, shown, title, { label: `${rel}:${line + 1}`, file: sv.shape.location.file, line, character: sv.shape.location.range.start.character });
}

/** For tests: the HTML the panel shows now. */
export function currentPlanHtml(): string | undefined {
  return panel?.webview.html;
}
