import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, EXTENSION_ID, waitFor } from './helpers';

describe('activation and commands', () => {
  it('activates on the sample and analyses it', async () => {
    const a = await api();
    const s = a.status();
    assert.equal(s.trusted, true);
    assert.ok(s.findings > 30, `expected the sample's findings, got ${s.findings}`);
  });

  it('registers every contributed command', async () => {
    await api();
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
    for (const c of ['pgIndexReview.analyzeWorkspace', 'pgIndexReview.explainQuery', 'pgIndexReview.configureDatabase', 'pgIndexReview.showIndexReport']) assert.ok(contributed.includes(c), c);
  });

  it('"Analyze Workspace" completes with a summary', async () => {
    await api();
    const summary = (await vscode.commands.executeCommand('pgIndexReview.analyzeWorkspace')) as { files: number; queries: number; findings: number };
    assert.ok(summary.files >= 20, JSON.stringify(summary));
    assert.ok(summary.queries >= 150, JSON.stringify(summary));
    assert.ok(summary.findings > 30, JSON.stringify(summary));
  });

  it('"Show Index Report" opens the report', async () => {
    await api();
    await vscode.commands.executeCommand('pgIndexReview.showIndexReport');
    await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Index Report'), 'the Index Report tab');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
