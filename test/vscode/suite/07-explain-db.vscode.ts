import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { PgCluster } from '../../support/pgCluster';
import { api, hoverText, open, uri, waitFor } from './helpers';

describe('EXPLAIN from a real database (PostgreSQL 15 cluster)', function () {
  let cluster: PgCluster | undefined;

  before(async function () {
    if (!PgCluster.available()) this.skip();
    cluster = await PgCluster.start();
    cluster.psql('CREATE DATABASE lms');
    cluster.psql(fs.readFileSync(uri('prisma/migrations/20251001205346_init/migration.sql').fsPath, 'utf8'), 'lms');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('pgIndexReview').update('database.url', undefined, vscode.ConfigurationTarget.Workspace);
    cluster?.stop();
  });

  it('the hover adds the EXPLAIN summary once the database answers', async () => {
    const a = await api();
    await vscode.workspace.getConfiguration('pgIndexReview').update('database.url', cluster!.url('lms'), vscode.ConfigurationTarget.Workspace);
    await waitFor(() => a.status().database.kind === 'connected', 'the database to be connected', 20_000);
    const doc = await open('sql/reports.sql');
    const line = doc.getText().split('\n').findIndex((l) => l.includes("WHERE t.status = 'PENDING'"));
    const text = await waitFor(async () => {
      const t = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 8))) ?? []);
      return /\*\*EXPLAIN\*\* \(database\)/.test(t) ? t : undefined;
    }, 'EXPLAIN in the hover', 20_000);
    // The static verdict is still there, above the plan.
    assert.match(text, /transactions_status_idx/);
    assert.match(text, /EXPLAIN on 127\.0\.0\.1:\d+\/lms \(PostgreSQL 15\)/);
    assert.match(text, /transactions/);
    assert.doesNotMatch(text, new RegExp(PgCluster.PASSWORD));
  });
});
