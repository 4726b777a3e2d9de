import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { PgCluster } from '../../support/pgCluster';
import { api, open, uri, waitFor } from './helpers';

function webviewTab(viewType: string): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes(viewType));
}

describe('index report and plan view from a real database (PostgreSQL 15 + pg_stat_statements)', function () {
  let cluster: PgCluster | undefined;
  let pending = '';

  before(async function () {
    if (!PgCluster.available()) this.skip();
    cluster = await PgCluster.start({ preload: ['pg_stat_statements'] });
    cluster.psql('CREATE DATABASE lms');
    cluster.psql(fs.readFileSync(uri('prisma/migrations/20251001205346_init/migration.sql').fsPath, 'utf8'), 'lms');
    cluster.psql('CREATE EXTENSION pg_stat_statements', 'lms');
    // The pending-payments report of sql/reports.sql, as the application would run it.
    const text = fs.readFileSync(uri('sql/reports.sql').fsPath, 'utf8');
    const start = text.lastIndexOf('SELECT', text.indexOf("'PENDING'"));
    pending = text.slice(start, text.indexOf(';', start));
    for (let i = 0; i < 5; i++) cluster.psql(pending, 'lms');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('pgIndexReview').update('database.url', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    cluster?.stop();
  });

  it('Show Index Report renders the database report, and its slow statements become code lenses on their code', async () => {
    const a = await api();
    await vscode.workspace.getConfiguration('pgIndexReview').update('database.url', cluster!.url('lms'), vscode.ConfigurationTarget.Workspace);
    await waitFor(() => a.status().database.kind === 'connected', 'the database to be connected', 20_000);
    await vscode.commands.executeCommand('pgIndexReview.showIndexReport');
    const tab = await waitFor(() => {
      const t = webviewTab('pgIndexReview.report');
      return t && /^Index Report — 127\.0\.0\.1:\d+\/lms$/.test(t.label) ? t : undefined;
    }, 'the report tab titled with the database', 30_000);
    assert.ok(tab);
    const doc = await open('sql/reports.sql');
    const line = doc.getText().split('\n').findIndex((l) => l.includes("'PENDING'"));
    const lenses = await waitFor(async () => {
      const ls = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
      const mine = ls.filter((l) => /by (total|mean) time on 127\.0\.0\.1:\d+\/lms: .* mean, 5 calls/.test(l.command?.title ?? ''));
      return mine.length ? mine : undefined;
    }, 'a slow-query code lens', 20_000);
    // On the statement holding the PENDING filter (it starts a few lines above it).
    assert.ok(lenses.some((l) => l.range.start.line <= line && l.range.start.line >= line - 15), `lens lines ${lenses.map((l) => l.range.start.line)}, filter at ${line}`);
  });

  it('Show Query Plan opens the plan webview for the SQL at the cursor, and for a Prisma call as the SQL Prisma sends', async () => {
    const doc = await open('sql/reports.sql');
    const line = doc.getText().split('\n').findIndex((l) => l.includes("'PENDING'"));
    const panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('pgIndexReview.showPlan', doc.uri.toString(), { line, character: 8 });
    assert.ok(panel, 'a panel');
    assert.match(panel.webview.html, /EXPLAIN on 127\.0\.0\.1:\d+\/lms \(PostgreSQL 15\)/);
    assert.match(panel.webview.html, /Export plan as JSON/);
    assert.match(panel.webview.html, /Content-Security-Policy" content="default-src 'none'/);
    const ts = await open('src/services/payments.ts');
    const at = ts.getText().split('\n').findIndex((l) => l.includes("where: { status: 'PENDING' }"));
    const p2 = await vscode.commands.executeCommand<vscode.WebviewPanel>('pgIndexReview.showPlan', ts.uri.toString(), { line: at, character: 10 }, 0);
    assert.ok(p2);
    assert.match(p2.webview.html, /prisma\.transaction\.findMany/);
    assert.match(p2.webview.html, /&quot;public&quot;\.&quot;transactions&quot;\.&quot;status&quot; = CAST\(\$1::text AS &quot;public&quot;\.&quot;TransactionStatus&quot;\)/);
  });
});
