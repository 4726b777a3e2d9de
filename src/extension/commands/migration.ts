/**
 * Generate Optimization Migration (src/core/migration/generate.ts) and Apply Optimization Migration
 * (src/core/migration/apply): the dry run first, a modal confirmation naming the database (the
 * database name typed again when it looks like production), then progress with cancel.
 * Applying needs a trusted workspace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApplyEvent, ApplyResult, StepPreview } from '../../core/migration/apply';
import { isPrismaMigration } from '../edits/migrationFile';
import type { ExtensionState } from '../state';

/** `choice` skips the quick pick (for keybindings and tests): `{ prisma: true }` also edits schema.prisma. */
export async function generateMigration(state: ExtensionState, choice?: { prisma?: boolean; minSeverity?: 'warning' | 'info' }): Promise<string[] | undefined> {
  await state.whenIdle();
  const host = [...state.hosts.values()].find((h) => h.project && h.result);
  if (!host?.project || !host.result) {
    vscode.window.showWarningMessage('Postgres Index Review: nothing analysed yet.');
    return undefined;
  }
  const engine = state.loadEngine();
  const prismaMigrate = host.migrationFiles().some(isPrismaMigration);
  type Pick = vscode.QuickPickItem & { prisma: boolean; minSeverity: 'warning' | 'info' };
  const picks: Pick[] = [
    { label: 'SQL migration (CREATE/DROP INDEX CONCURRENTLY), rollback and README', description: 'migrations/', prisma: false, minSeverity: 'warning' },
    ...(host.project.prismaFile
      ? [{ label: 'Also edit schema.prisma and write a Prisma migration', description: prismaMigrate ? 'prisma/migrations/' : 'schema.prisma', prisma: true, minSeverity: 'warning' as const }]
      : []),
    { label: 'SQL migration including info-level proposals', description: 'migrations/', prisma: false, minSeverity: 'info' },
  ];
  const pick = choice ? { prisma: !!choice.prisma, minSeverity: choice.minSeverity ?? 'warning' } : await vscode.window.showQuickPick(picks, { title: 'Generate Optimization Migration', placeHolder: 'What to write' });
  if (!pick) return undefined;
  let g;
  try {
    g = engine.generateOptimizationMigration(host.project, host.result, {
      outDir: path.join(host.root, 'migrations'),
      prisma: pick.prisma,
      minSeverity: pick.minSeverity,
      command: `VS Code: Postgres Index Review: Generate Optimization Migration${pick.prisma ? ' (with Prisma)' : ''}`,
      toolVersion: String(state.context.extension.packageJSON.version ?? ''),
    });
  } catch (err) {
    vscode.window.showErrorMessage(`Postgres Index Review: ${(err as Error).message}`);
    return undefined;
  }
  const dirty = g.files.filter((f) => vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.fsPath === f.path));
  if (dirty.length) {
    vscode.window.showWarningMessage(`Postgres Index Review: save or revert ${dirty.map((f) => path.basename(f.path)).join(', ')} first: the migration rewrites it.`);
    return undefined;
  }
  const written = engine.writeGenerated(g);
  for (const w of g.warnings) state.log.warn(w);
  state.log.info(`generated ${g.name}: ${written.map((f) => path.relative(host.root, f)).join(', ')}`);
  for (const f of written) host.fileChangedOnDisk(vscode.Uri.file(f));
  const p = g.plan;
  await vscode.window.showTextDocument(vscode.Uri.file(written[0]), { preview: false });
  vscode.window.showInformationMessage(
    `Postgres Index Review: ${g.name}: ${p.creates.length} new index${p.creates.length === 1 ? '' : 'es'}, ${p.drops.length} dropped, on ${p.tables.length} tables.${g.warnings.length ? ' See the log for warnings.' : ''}`,
  );
  return written;
}

function previewMarkdown(steps: StepPreview[], target: string, file: string): string {
  const fmt = (n?: number) => (n === undefined ? '' : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : String(n));
  const lines = [`# Dry run: ${path.basename(path.dirname(file)) === 'migrations' ? path.basename(file) : `${path.basename(path.dirname(file))}/${path.basename(file)}`} on ${target}`, '', '| # | statement | table | lock | index now | action |', '|---|---|---|---|---|---|'];
  for (const s of steps) {
    const sql = s.sql.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
    lines.push(`| ${s.ordinal + 1} | \`${sql.length > 90 ? `${sql.slice(0, 87)}…` : sql}\` | ${s.table ?? ''}${s.tableRows !== undefined ? ` (~${fmt(s.tableRows)} rows)` : ''} | ${s.lockEffect ?? s.lock ?? ''} | ${s.indexState ?? ''} | ${s.action}${s.note ? ` — ${s.note}` : ''} |`);
  }
  return lines.join('\n');
}

export async function applyMigrationCommand(state: ExtensionState, fileArg?: string | vscode.Uri): Promise<ApplyResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    vscode.window.showWarningMessage('Postgres Index Review applies migrations only in trusted workspaces.');
    return undefined;
  }
  let file = fileArg ? (typeof fileArg === 'string' ? vscode.Uri.parse(fileArg) : fileArg).fsPath : undefined;
  if (!file) {
    const active = vscode.window.activeTextEditor?.document;
    const found = await vscode.workspace.findFiles('**/*index_optimization*.sql', '**/node_modules/**', 50);
    const items = [...(active && /\.sql$/i.test(active.fileName) ? [active.uri] : []), ...found.filter((u) => u.toString() !== active?.uri.toString())];
    if (!items.length) {
      vscode.window.showInformationMessage('Postgres Index Review: open the migration to apply, or generate one first.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(items.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { title: 'Apply Optimization Migration', placeHolder: 'Migration file' });
    if (!pick) return undefined;
    file = pick.uri.fsPath;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
  if (doc?.isDirty) await doc.save();
  const db = await state.database.resolve();
  if (!db) {
    const c = await vscode.window.showWarningMessage('Postgres Index Review: no database to apply to. Configure a connection first.', 'Configure Database Connection');
    if (c) await vscode.commands.executeCommand('pgIndexReview.configureDatabase');
    return undefined;
  }
  const engine = state.loadEngine();
  const common = {
    file,
    text: fs.readFileSync(file, 'utf8'),
    url: db.url,
    prisma: isPrismaMigration(file),
    toolVersion: String(state.context.extension.packageJSON.version ?? ''),
  };
  const check = engine.checkTarget(db.url);
  let confirm: string | undefined;
  const dry = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Postgres Index Review: dry run on ${check.host}/${check.database}` }, () => engine.applyMigration({ ...common, dryRun: true }));
  if (dry.preview) {
    const md = await vscode.workspace.openTextDocument({ language: 'markdown', content: previewMarkdown(dry.preview, dry.target, file) });
    await vscode.window.showTextDocument(md, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
  if (dry.status !== 'dry-run' && dry.status !== 'refused') {
    vscode.window.showInformationMessage(`Postgres Index Review: ${dry.message}`);
    return dry;
  }
  const runs = dry.preview?.filter((s) => s.action === 'run').length ?? 0;
  const answer = await vscode.window.showWarningMessage(
    `Apply ${path.basename(path.dirname(file))}/${path.basename(file)} to the database "${check.database}" on ${check.host}?`,
    { modal: true, detail: `${runs} statement(s) will run one at a time (CONCURRENTLY for index builds), with lock and statement timeouts. The dry run is open beside the editor.${check.production ? `\n\n${check.why}: you will be asked to type the database name.` : ''}` },
    'Apply',
  );
  if (answer !== 'Apply') return undefined;
  if (check.production && !check.allowed) {
    confirm = await vscode.window.showInputBox({ title: 'Production-looking database', prompt: `${check.why}. Type the database name (${check.database}) to apply.`, ignoreFocusOut: true });
    if (confirm !== check.database) {
      vscode.window.showInformationMessage('Postgres Index Review: not applied (the database name did not match).');
      return undefined;
    }
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Applying to ${check.database}`, cancellable: true },
    (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let total = runs || 1;
      const onEvent = (e: ApplyEvent) => {
        if (e.type === 'start') total = Math.max(1, e.total - e.resumeFrom);
        if (e.type === 'step-start') progress.report({ message: `statement ${e.step.ordinal + 1} of ${total} (line ${e.step.line})` });
        if (e.type === 'step-done') progress.report({ increment: 100 / total });
        if (e.type === 'progress' && e.progress.blocksTotal) progress.report({ message: `${e.progress.phase} ${Math.round((100 * e.progress.blocksDone) / e.progress.blocksTotal)}%` });
        state.log.info(`apply: ${e.type}${'step' in e ? ` statement ${e.step.ordinal + 1} (line ${e.step.line})` : ''}`);
      };
      return engine.applyMigration({ ...common, confirm, signal: controller.signal, onEvent });
    },
  );
  state.log.info(`apply ${result.migration} on ${result.target}: ${result.status} — ${result.message}`);
  const show = result.status === 'applied' || result.status === 'already-applied' ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  void show(`Postgres Index Review: ${result.message}`);
  return result;
}
