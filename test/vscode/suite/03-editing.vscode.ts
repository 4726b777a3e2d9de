import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, diagnosticsOn, idle, open, ours, root, ruleOf, uri, waitFor } from './helpers';

async function actionsFor(doc: vscode.TextDocument, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const all = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range)) ?? [];
  return all.filter((a) => a.title.includes(ruleOf(d)) || /@@index|migration/.test(a.title));
}

describe('editing', () => {
  before(api);

  it('re-checks a file as the user types', async () => {
    const doc = await open('sql/dashboard.sql');
    const editor = vscode.window.activeTextEditor!;
    const query = '\nSELECT * FROM transactions WHERE currency = $1;\n';
    await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), query));
    await waitFor(() => diagnosticsOn(doc, 'missing-index', 'currency = $1').length === 1, 'the new query\'s missing-index diagnostic');
    await vscode.commands.executeCommand('undo');
    await idle();
    await waitFor(() => diagnosticsOn(doc, 'missing-index', 'currency = $1').length === 0, 'the diagnostic to go with the query');
  });

  it('after a keystroke, sends the window the diagnostics of the edited file only (not every file of the workspace again)', async () => {
    const doc = await open('sql/dashboard.sql');
    await idle();
    const others = ['src/services/payments.ts', 'sql/reports.sql'].map((rel) => uri(rel));
    assert.ok(others.every((u) => ours(u).length > 0), 'the other files have diagnostics of their own');
    // What this extension sends, counted by itself: other extensions publish diagnostics of their own at any time
    // (VS Code's JSON support on package.json's schema it can't download offline, TypeScript on the services).
    const before = others.map((u) => JSON.stringify(ours(u).map((d) => [ruleOf(d), d.range.start.line, d.message])));
    const a = await api();
    const editor = vscode.window.activeTextEditor!;
    try {
      const analysed = a.nextAnalysis();
      await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), '\nSELECT * FROM transactions WHERE currency = $1;\n'));
      const pass = await analysed;
      await waitFor(() => diagnosticsOn(doc, 'missing-index', 'currency = $1').length === 1, "the new query's missing-index diagnostic");
      await idle();
      assert.equal(pass?.filesSent, 1, 'one file sent: the edited one');
      assert.deepEqual(others.map((u) => JSON.stringify(ours(u).map((d) => [ruleOf(d), d.range.start.line, d.message]))), before);
    } finally {
      await vscode.commands.executeCommand('undo');
      await idle();
      await waitFor(() => diagnosticsOn(doc, 'missing-index', 'currency = $1').length === 0, 'the diagnostic to go with the query');
    }
    assert.ok(others.every((u) => ours(u).length > 0), 'the other files keep theirs');
  });

  it('re-checks the queries when a migration adds an index, and checks the migration itself', async () => {
    const reports = await open('sql/reports.sql');
    assert.equal(diagnosticsOn(reports, 'missing-index', '"createdAt" BETWEEN $1 AND $2').length, 1);
    const migration = uri('prisma/migrations/20990101000000_test_indexes/migration.sql');
    const sql = 'CREATE INDEX "transactions_createdAt_idx" ON "transactions" ("createdAt");\nCREATE INDEX "users_email_copy_idx" ON "users" ("email");\n';
    await vscode.workspace.fs.writeFile(migration, Buffer.from(sql));
    try {
      await waitFor(() => diagnosticsOn(reports, 'missing-index', '"createdAt" BETWEEN $1 AND $2').length === 0, 'the query to be served by the migrated index');
      const mdoc = await vscode.workspace.openTextDocument(migration);
      const red = await waitFor(() => diagnosticsOn(mdoc, 'redundant-index', 'CREATE INDEX "users_email_copy_idx" ON "users" ("email")')[0], 'redundant-index in the migration', 15_000).catch(() => undefined);
      assert.ok(red, ours(migration).map((d) => `${ruleOf(d)} ${JSON.stringify(mdoc.getText(d.range))}`).join('\n'));
      assert.deepEqual(red.tags, [vscode.DiagnosticTag.Unnecessary]);
    } finally {
      await vscode.workspace.fs.delete(migration.with({ path: migration.path.replace(/\/migration\.sql$/, '') }), { recursive: true });
    }
    await waitFor(() => diagnosticsOn(reports, 'missing-index', '"createdAt" BETWEEN $1 AND $2').length === 1, 'the diagnostic to come back');
  });

  it('an unindexed foreign key: one diagnostic at its REFERENCES line with the DELETE related, its quick fix, and "Add index" at the DELETE', async () => {
    const migration = uri('prisma/migrations/20990103000000_audit_notes/migration.sql');
    const sql = 'CREATE TABLE "audit_notes" (\n  "id" TEXT PRIMARY KEY,\n  "userId" TEXT NOT NULL REFERENCES "users" ("id"),\n  "note" TEXT NOT NULL\n);\n';
    await vscode.workspace.fs.writeFile(migration, Buffer.from(sql));
    try {
      const mdoc = await vscode.workspace.openTextDocument(migration);
      const key = '"userId" TEXT NOT NULL REFERENCES "users" ("id")';
      const d = await waitFor(() => diagnosticsOn(mdoc, 'unindexed-foreign-key', key)[0], 'the unindexed-foreign-key diagnostic at the key', 20_000).catch(() => undefined);
      assert.ok(d, ours(migration).map((x) => `${ruleOf(x)} ${JSON.stringify(mdoc.getText(x.range))}`).join('\n'));
      const users = await vscode.workspace.openTextDocument(uri('src/services/users.ts'));
      const deleteLine = users.getText().split('\n').findIndex((l) => l.includes('prisma.user.delete('));
      assert.deepEqual(
        d.relatedInformation?.map((r) => [path.basename(r.location.uri.fsPath), r.location.range.start.line, r.message]),
        [['users.ts', deleteLine, 'Deletes ~1 row from "users"']],
      );
      const fixes = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', mdoc.uri, d.range)) ?? [];
      assert.ok(fixes.some((a) => /audit_notes/.test(a.title) && /@@index|migration/i.test(a.title)), fixes.map((a) => a.title).join('\n'));
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', users.uri, 100)) ?? [];
      const atDelete = lenses.filter((l) => l.range.start.line <= deleteLine && deleteLine - l.range.start.line <= 1).map((l) => l.command?.title);
      assert.ok(atDelete.includes('Add index'), atDelete.join('\n'));
    } finally {
      await vscode.workspace.fs.delete(migration.with({ path: migration.path.replace(/\/migration\.sql$/, '') }), { recursive: true });
    }
  });

  it("follows migration_lock.toml: migrations locked to another database are not read, and are again once it names PostgreSQL", async () => {
    const reports = await open('sql/reports.sql');
    const lock = uri('prisma/migrations/migration_lock.toml');
    const original = fs.readFileSync(lock.fsPath, 'utf8');
    const migration = uri('prisma/migrations/20990102000000_lock_test/migration.sql');
    const served = () => diagnosticsOn(reports, 'missing-index', '"createdAt" BETWEEN $1 AND $2').length === 0;
    assert.equal(served(), false);
    try {
      await vscode.workspace.fs.writeFile(lock, Buffer.from(original.replace(/provider\s*=\s*"[^"]*"/, 'provider = "mysql"')));
      await idle();
      await vscode.workspace.fs.writeFile(migration, Buffer.from('CREATE INDEX "transactions_createdAt_lock_idx" ON "transactions" ("createdAt");\n'));
      await idle();
      await new Promise((r) => setTimeout(r, 1500));
      await idle();
      assert.equal(served(), false, 'a migration under a MySQL lock is not read');
      await vscode.workspace.fs.writeFile(lock, Buffer.from(original));
      await waitFor(served, 'the migration to be read once the lock names PostgreSQL again');
    } finally {
      await vscode.workspace.fs.writeFile(lock, Buffer.from(original));
      await vscode.workspace.fs.delete(vscode.Uri.file(path.dirname(migration.fsPath)), { recursive: true });
      await idle();
      await waitFor(() => !served(), 'the diagnostic to come back without the test migration');
    }
  });

  it('reads a migration folder written in one go (the folder, then its file at once)', async () => {
    const reports = await vscode.workspace.openTextDocument(uri('sql/reports.sql'));
    const range = '"createdAt" BETWEEN $1 AND $2';
    assert.equal(diagnosticsOn(reports, 'missing-index', range).length, 1);
    // As `prisma migrate dev` does: Node's fs, not the editor's, so no file-operation event announces it.
    const folder = path.join(root(), 'prisma', 'migrations', '20990102000000_in_one_go');
    try {
      fs.mkdirSync(folder);
      fs.writeFileSync(path.join(folder, 'migration.sql'), 'CREATE INDEX "transactions_createdAt_idx" ON "transactions" ("createdAt");\n');
      await waitFor(() => diagnosticsOn(reports, 'missing-index', range).length === 0, 'the query to be served by the new migration');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
    await waitFor(() => diagnosticsOn(reports, 'missing-index', range).length === 1, 'the diagnostic to come back');
  });

  it('the "add @@index" quick fix edits schema.prisma and adds a migration; the diagnostic goes', async () => {
    const doc = await open('src/services/users.ts');
    const [d] = diagnosticsOn(doc, 'missing-index', "role: 'STUDENT'");
    assert.ok(d, ours(doc.uri).map((x) => `${x.range.start.line} ${ruleOf(x)} ${doc.getText(x.range)}`).join('\n'));
    const actions = await actionsFor(doc, d);
    const fix = actions.find((a) => a.title === 'Add @@index([role, createdAt(sort: Desc)]) to model User and a Prisma migration');
    assert.ok(fix, actions.map((a) => a.title).join('\n'));
    assert.equal(fix.isPreferred, true);
    assert.ok(actions.some((a) => a.title === 'Ignore missing-index on this line'));
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    const schema = await vscode.workspace.openTextDocument(uri('prisma/schema.prisma'));
    assert.match(schema.getText(), /\n {2}@@index\(\[email\]\)\n {2}@@index\(\[role, createdAt\(sort: Desc\)\]\)\n {2}@@map\("users"\)\n\}/);
    const created = vscode.workspace.textDocuments.find((d) => /\/prisma\/migrations\/\d{14}_add_users_role_createdAt_idx\/migration\.sql$/.test(d.uri.path));
    assert.ok(created, 'the new Prisma migration');
    const text = created.getText();
    await created.save();
    assert.match(text, /^CREATE INDEX IF NOT EXISTS "users_role_createdAt_idx" ON "users" \("role", "createdAt" DESC\);$/m);
    assert.doesNotMatch(text.split('\n').filter((l) => !l.startsWith('--')).join('\n'), /CONCURRENTLY/);
    await waitFor(() => diagnosticsOn(doc, 'missing-index', 'role').length === 0, 'the missing-index diagnostics on role to go');
    assert.equal(diagnosticsOn(doc, 'missing-index', "role: 'INSTRUCTOR'").length, 0);
    await idle();
    assert.deepEqual(ours(schema.uri).filter((x) => ruleOf(x) === 'schema-drift').map((x) => x.message), []);
  });

  it('an ignore comment silences a diagnostic on its line', async () => {
    const doc = await open('sql/reports.sql');
    const [d] = diagnosticsOn(doc, 'missing-index', '"createdAt" >= $1');
    assert.ok(d);
    const fix = (await actionsFor(doc, d)).find((a) => a.title === 'Ignore missing-index on this line');
    assert.ok(fix);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.equal(doc.lineAt(d.range.start.line).text, '  -- pg-index-review-ignore missing-index');
    await waitFor(() => diagnosticsOn(doc, 'missing-index', '"createdAt" >= $1').length === 0, 'the ignored diagnostic to go');
    // The other queries of the file keep theirs.
    assert.equal(diagnosticsOn(doc, 'missing-index', '"createdAt" BETWEEN $1 AND $2').length, 1);
  });

  it('a file-level ignore comment silences the rule in the whole file', async () => {
    const doc = await open('src/services/search.ts');
    const before = ours(doc.uri).filter((x) => ruleOf(x) === 'missing-index');
    assert.ok(before.length >= 2);
    const fix = (await actionsFor(doc, before[0])).find((a) => a.title === 'Ignore missing-index in this file');
    assert.ok(fix);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.equal(doc.lineAt(0).text, '// pg-index-review-ignore-file missing-index');
    await waitFor(() => ours(doc.uri).filter((x) => ruleOf(x) === 'missing-index').length === 0, 'every missing-index diagnostic of the file to go');
  });

  it('the code lens "Add index" applies the preferred fix', async () => {
    const doc = await open('src/services/analytics.ts');
    const [d] = diagnosticsOn(doc, 'missing-index', doc.getText(ours(doc.uri).find((x) => x.range.start.line === 97 && ruleOf(x) === 'missing-index')?.range ?? new vscode.Range(0, 0, 0, 0)));
    assert.ok(d, ours(doc.uri).map((x) => `${x.range.start.line} ${ruleOf(x)}`).join('\n'));
    const ok = await vscode.commands.executeCommand('pgIndexReview.addIndex', doc.uri.toString(), { line: d.range.start.line, character: d.range.start.character });
    assert.equal(ok, true);
    const schema = await vscode.workspace.openTextDocument(uri('prisma/schema.prisma'));
    assert.match(schema.getText(), /@@index\(\[totalRevenue\(sort: Desc\)\]\)/);
    await waitFor(() => !ours(doc.uri).some((x) => x.range.start.line === 97 && ruleOf(x) === 'missing-index'), 'the diagnostic to go');
  });
});
