/** Runs when the workspace is NOT trusted: static analysis works, nothing reaches a database, no embedded database starts. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, connectionRecorder, diagnosticsOn, hoverText, open, root, sleep } from './helpers';

describe('untrusted workspace', () => {
  it('analyses statically, never connects to a database and never starts the embedded one', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const rec = await connectionRecorder();
    const url = `postgresql://tester:secret@127.0.0.1:${rec.port}/lms`;
    // Every place a URL could come from points at the recorder.
    fs.writeFileSync(path.join(root(), '.env'), `DATABASE_URL="${url}"\n`);
    process.env.DATABASE_URL = url;
    const config = vscode.workspace.getConfiguration('pgIndexReview');
    try {
      const a = await api();
      assert.equal(a.status().trusted, false);
      assert.equal(a.status().database.kind, 'untrusted');
      await config.update('database.url', `postgresql://tester@127.0.0.1:${rec.port}/lms`, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('pgIndexReview.analyzeWorkspace');
      const doc = await open('sql/reports.sql');
      assert.equal(diagnosticsOn(doc, 'missing-index', '"createdAt" BETWEEN $1 AND $2').length, 1, 'static analysis still works');
      const line = doc.getText().split('\n').findIndex((l) => l.includes("WHERE t.status = 'PENDING'"));
      const hover = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 8))) ?? []);
      assert.match(hover, /no index — sequential scan in parallel/);
      assert.doesNotMatch(hover, /EXPLAIN|embedded database/);
      const explained = await vscode.commands.executeCommand<vscode.Uri>('pgIndexReview.explainQuery', doc.uri.toString(), { line, character: 2 });
      assert.ok(explained);
      assert.doesNotMatch((await vscode.workspace.openTextDocument(explained)).getText(), /## EXPLAIN|embedded database/);
      await vscode.commands.executeCommand('pgIndexReview.configureDatabase');
      await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
      await sleep(2000);
      assert.equal(rec.connections(), 0, 'a connection reached the fake database');
      assert.equal(a.status().databaseAttempts, 0);
      assert.equal(a.status().database.kind, 'untrusted');
      // No embedded database either: nothing was started for the hover or the Explain command.
      assert.deepEqual(a.status().embedded, { kind: 'off', builds: 0 });
    } finally {
      delete process.env.DATABASE_URL;
      await config.update('database.url', undefined, vscode.ConfigurationTarget.Workspace);
      await rec.close();
    }
  });
});
