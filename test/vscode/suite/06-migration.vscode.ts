import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, idle, ours, root, ruleOf } from './helpers';

function missingWarnings(): number {
  return vscode.languages.getDiagnostics().flatMap(([, ds]) => ds).filter((d) => d.source === 'pg-index-review' && ruleOf(d) === 'missing-index' && d.severity === vscode.DiagnosticSeverity.Warning).length;
}

describe('Generate Optimization Migration', () => {
  it('writes the migration, its rollback and README from the core', async () => {
    await api();
    await idle();
    const before = missingWarnings();
    assert.ok(before > 0);
    const files = await vscode.commands.executeCommand<string[]>('pgIndexReview.generateMigration', { prisma: false });
    assert.ok(files && files.length >= 2, JSON.stringify(files));
    for (const f of files) assert.ok(fs.existsSync(f), f);
    assert.ok(files.every((f) => f.startsWith(path.join(root(), 'migrations'))), files.join('\n'));
    const migration = fs.readFileSync(files[0], 'utf8');
    assert.match(migration, /CREATE INDEX CONCURRENTLY/);
    assert.ok(files.some((f) => /_rollback\.sql$/.test(f)), 'a rollback');
    await idle();
    assert.ok(ours(vscode.Uri.file(files[0])).every((d) => ruleOf(d) !== 'parse-error'));
  });
});
