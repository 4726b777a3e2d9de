import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, hoverText, open } from './helpers';

function lineOf(doc: vscode.TextDocument, needle: string): number {
  const i = doc.getText().split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return i;
}

describe('hover, code lens and Explain', () => {
  before(api);

  it('hover on a SQL query: the table, the index used and how, the proposal', async () => {
    const doc = await open('sql/reports.sql');
    const line = lineOf(doc, "WHERE t.status = 'PENDING'");
    const text = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 8))) ?? []);
    assert.match(text, /SELECT on transactions, users/);
    // A quarter of 500k rows (an enum of four values, no statistics) sorted for a LIMIT: a parallel scan and a sort in each process beat the status index.
    assert.match(text, /\*\*transactions \(t\)\*\* ~500k rows: no index — sequential scan in parallel \(2 workers\) and a sort/);
    assert.match(text, /\*\*Proposed\*\* \(warning\)/);
    assert.match(text, /CREATE INDEX CONCURRENTLY IF NOT EXISTS "transactions_status_createdAt_idx" ON "transactions" \("status", "createdAt" DESC\);/);
    assert.match(text, /Prisma: `@@index\(\[status, createdAt\(sort: Desc\)\]\)`/);
  });

  it('hover on a Prisma call that has no usable index says why', async () => {
    const doc = await open('src/services/users.ts');
    const line = lineOf(doc, 'export async function paginateUsers');
    const callLine = doc.getText().split('\n').findIndex((l, i) => i > line && l.includes('prisma.user.findMany'));
    const text = hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(callLine + 1, 8))) ?? []);
    assert.match(text, /prisma\.user\.findMany/);
    assert.match(text, /no index — sequential scan in parallel \(1 worker\) and a sort/);
  });

  it('code lens above each query: the verdict (which explains) and Add index', async () => {
    const doc = await open('sql/reports.sql');
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
    const titles = lenses.map((l) => l.command?.title ?? '');
    const line = lineOf(doc, 'SELECT t.id, t."userId"');
    const here = lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title);
    assert.deepEqual(here, ['⚠ transactions: parallel seq scan ~500k rows + sort → index proposed', 'Add index'], titles.join('\n'));
    const verdict = lenses.find((l) => l.range.start.line === line)!.command!;
    assert.equal(verdict.command, 'pgIndexReview.explainQuery');
    const explained = await vscode.workspace.openTextDocument((await vscode.commands.executeCommand<vscode.Uri>(verdict.command, ...(verdict.arguments ?? [])))!);
    assert.match(explained.getText(), /^# SELECT on transactions, users/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.ok(titles.some((t) => t.startsWith('✓ ')), titles.join('\n'));
  });

  it('"Explain Query at Cursor" opens the explanation', async () => {
    const doc = await open('sql/reports.sql');
    const line = lineOf(doc, 'SELECT t.id, t."userId"');
    const target = await vscode.commands.executeCommand<vscode.Uri>('pgIndexReview.explainQuery', doc.uri.toString(), { line, character: 2 });
    assert.ok(target);
    const explained = await vscode.workspace.openTextDocument(target);
    const text = explained.getText();
    assert.match(text, /^# SELECT on transactions, users/);
    assert.match(text, /## transactions \(t\) — ~500k rows/);
    assert.match(text, /\| `transactions_status_idx` \| yes \|/);
    assert.match(text, /\*\*Proposed index\*\* \(warning\)/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
