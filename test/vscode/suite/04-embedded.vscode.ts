/**
 * The embedded database (PGlite on its own thread) in a trusted workspace with no database
 * configured: the hover shows the static verdict at once and the plan once the embedded database
 * is built, labelled as synthetic data. The first hover of the suite is here (before
 * 04-hover-lens), so it starts the one build of the suite; 05 (a database URL) closes it.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, hoverText, idle, open, sleep, waitFor } from './helpers';

const EMBEDDED = /\*\*EXPLAIN\*\* \(embedded database, synthetic data\)/;

function lineOf(doc: vscode.TextDocument, needle: string): number {
  const i = doc.getText().split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return i;
}

async function hoverAt(doc: vscode.TextDocument, line: number, character: number): Promise<string> {
  return hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, character))) ?? []);
}

describe('embedded database (trusted, no database configured)', function () {
  this.timeout(240_000);

  it('with database.embedded off: the static hover only, and nothing is started', async () => {
    const a = await api();
    const config = vscode.workspace.getConfiguration('pgIndexReview');
    try {
      await config.update('database.embedded', false, vscode.ConfigurationTarget.Workspace);
      const doc = await open('sql/reports.sql');
      const text = await hoverAt(doc, lineOf(doc, "WHERE t.status = 'PENDING'"), 8);
      assert.match(text, /no index — sequential scan in parallel/);
      assert.doesNotMatch(text, /EXPLAIN|embedded database/);
      assert.deepEqual(a.status().embedded, { kind: 'off', builds: 0 });
    } finally {
      await config.update('database.embedded', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('the hover shows the static verdict at once, then the embedded plan labelled as synthetic data', async function () {
    const a = await api();
    assert.equal(a.status().database.kind, 'none');
    const doc = await open('sql/reports.sql');
    const line = lineOf(doc, "WHERE t.status = 'PENDING'");
    await idle();
    assert.deepEqual(a.status().embedded, { kind: 'off', builds: 0 }, 'nothing started the embedded database before the first hover');
    // The hover does not wait for the build (seconds): it answers with the static verdict and says so.
    const first = await hoverAt(doc, line, 8);
    assert.match(first, /no index — sequential scan in parallel/, 'the static verdict');
    assert.match(first, /Preparing the embedded database…/);
    assert.equal(a.status().embedded.kind, 'starting');
    const text = await waitFor(
      async () => {
        const t = await hoverAt(doc, line, 8);
        if (EMBEDDED.test(t)) return t;
        await sleep(400);
        return undefined;
      },
      'the embedded plan in the hover',
      200_000,
    );
    assert.match(text, /no index — sequential scan in parallel/, 'the static verdict stays above the plan');
    assert.match(text, /EXPLAIN on embedded PGlite \(synthetic data at 1\/100 of the configured rows\) \(PostgreSQL \d+\)/);
    assert.match(text, /synthetic rows .*not your database/);
    assert.match(text, /index chosen: /);
    assert.match(text, /transactions/);
    const s = a.status().embedded;
    assert.equal(s.kind, 'ready');
    assert.equal(s.builds, 1, 'one embedded database for the suite');
    assert.ok((s.rows ?? 0) > 10_000, JSON.stringify(s));
    // The figures go into the report line of this test.
    this.test!.title += ` [${s.rows} rows built in ${s.buildMs} ms; the extension host's longest stall meanwhile: ${s.hostStallMs} ms]`;
    // PGlite builds the database on its own thread: the extension host's stays free (on the host's
    // thread the build held it for up to 4.3 s at a time).
    assert.ok((s.hostStallMs ?? Infinity) < 1500, `the extension host stalled for ${s.hostStallMs} ms while the embedded database was built`);
  });

  it('a parameterised query in TypeScript ($queryRaw) gets its generic plan', async () => {
    const doc = await open('src/services/users.ts');
    const line = lineOf(doc, '"role" = ${role}::"Role"');
    const text = await waitFor(async () => {
      const t = await hoverAt(doc, line, 10);
      return EMBEDDED.test(t) ? t : undefined;
    }, 'the embedded plan of the $queryRaw query', 30_000);
    assert.match(text, /Generic plan for \$1/);
    assert.match(text, /users/);
  });

  it('"Explain Query at Cursor" adds the embedded plan to the explanation', async () => {
    const doc = await open('sql/reports.sql');
    const line = lineOf(doc, 'SELECT t.id, t."userId"');
    const target = await vscode.commands.executeCommand<vscode.Uri>('pgIndexReview.explainQuery', doc.uri.toString(), { line, character: 2 });
    assert.ok(target);
    const text = await waitFor(async () => {
      const t = (await vscode.workspace.openTextDocument(target)).getText();
      return /```text\nEXPLAIN on embedded PGlite/.test(t) ? t : undefined;
    }, 'the embedded plan in the Explain document', 30_000);
    assert.match(text, /^# SELECT on transactions, users/);
    assert.match(text, /## EXPLAIN on the embedded database \(synthetic data\)/);
    assert.match(text, /not your database/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
