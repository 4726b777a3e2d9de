/**
 * One workspace folder's analysis: the core Project fed with editor buffers and file-system
 * changes, re-analysed after a debounce (a newer edit supersedes a scheduled or running pass),
 * with results published as diagnostics. Analysis itself is the core's; this only feeds it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ShapeVerdict } from '../core/analysis/verdicts';
import type { Finding } from '../core/model/finding';
import type { AnalysisResult, Project } from '../core/project';
import { classify, ignoredPath } from '../core/workspace/files';
import { sameDiagnostic, toDiagnostic } from './diagnostics';
import { readSettings } from './settings';
import type { ExtensionState } from './state';

export class ProjectHost implements vscode.Disposable {
  project?: Project;
  result?: AnalysisResult;
  /** Message of the last failure to open the project (malformed config…). */
  error?: string;
  private opening?: Promise<void>;
  private pending = new Map<string, string | null>();
  private timer?: NodeJS.Timeout;
  private running = 0;
  private generation = 0;
  private cts?: vscode.CancellationTokenSource;
  private waiters: (() => void)[] = [];
  /** The findings published per file, as the analysis gave them (the same objects while a file's findings stay the same). */
  private published = new Map<string, Finding[]>();
  private isIgnored: (rel: string) => boolean = () => false;
  /** Whether a file is a schema source named in the settings or the config (read even inside ignored folders). */
  private namedSchema: (file: string) => boolean = () => false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly state: ExtensionState,
    readonly folder: vscode.WorkspaceFolder,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/{*.sql,*.prisma,*.ts,*.tsx,*.mts,*.cts,*.js,*.jsx,*.mjs,*.cjs,.env,.env.*}'));
    const onDisk = (uri: vscode.Uri) => {
      // An open editor's buffer is the truth for its file; it reports its own changes.
      if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
      this.enqueue(uri.fsPath, readOrNull(uri.fsPath));
    };
    watcher.onDidChange(onDisk, undefined, this.disposables);
    watcher.onDidCreate(onDisk, undefined, this.disposables);
    watcher.onDidDelete((uri) => this.enqueue(uri.fsPath, null), undefined, this.disposables);
    // A deleted migration folder matches no file pattern: watch the folders under migrations/ too. A new
    // folder is read whole: a file written into it at once (`prisma migrate dev`) can come before the
    // file watcher watches the folder, and its own event is then never fired.
    const folders = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/migrations/**'), false, true, false);
    folders.onDidCreate((uri) => {
      // Files have their own watcher. Nothing under an ignored folder is read (a package's own migrations
      // under node_modules, should files.watcherExclude let them through).
      if (!this.ignoresFolder(uri.fsPath)) for (const f of filesUnder(uri.fsPath)) if (this.tracks(f)) onDisk(vscode.Uri.file(f));
    }, undefined, this.disposables);
    folders.onDidDelete((uri) => this.enqueue(uri.fsPath, null), undefined, this.disposables);
    this.disposables.push(folders);
    // The config, and Prisma's migration_lock.toml (its provider decides whether the migrations beside it are read).
    const configWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '{pg-index-review.json,**/migration_lock.toml}'));
    const reopen = () => void this.open();
    configWatcher.onDidChange(reopen, undefined, this.disposables);
    configWatcher.onDidCreate(reopen, undefined, this.disposables);
    configWatcher.onDidDelete(reopen, undefined, this.disposables);
    this.disposables.push(watcher, configWatcher);
  }

  get root(): string {
    return this.folder.uri.fsPath;
  }

  get busy(): boolean {
    return !!this.opening || !!this.timer || this.running > 0;
  }

  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private settle(): void {
    if (this.busy) return;
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** Whether the editor should track this file: inside the folder, a kind the core reads, not ignored. */
  tracks(file: string): boolean {
    const rel = this.relative(file);
    if (!rel) return false;
    const kind = classify(file);
    if (!kind) return false;
    // Connection settings (.env files, for pool-advice) are read only in a trusted workspace.
    if (kind === 'env' && !vscode.workspace.isTrusted) return false;
    // Schema sources named in the settings or pg-index-review.json are read wherever they are, as `check --schema` reads them.
    if ((kind === 'prisma-schema' || kind === 'migration' || kind === 'sql') && this.namedSchema(file)) return true;
    return !ignoredPath(rel, this.isIgnored);
  }

  /** The path relative to the folder with forward slashes, or undefined when it is outside the folder. */
  private relative(file: string): string | undefined {
    const rel = path.relative(this.root, file);
    if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }

  /** Whether `check` would pass over this folder (ignored, or under node_modules/.git or an ignored folder). */
  private ignoresFolder(dir: string): boolean {
    const rel = this.relative(dir);
    return rel === undefined || (rel !== '' && ignoredPath(rel, this.isIgnored, true));
  }

  /** (Re)opens the project from disk, then applies open editors' unsaved text. */
  open(token?: vscode.CancellationToken): Promise<void> {
    const run = async () => {
      const t0 = Date.now();
      const engine = this.state.loadEngine();
      const settings = readSettings(this.folder.uri);
      this.cts?.cancel();
      const gen = ++this.generation;
      try {
        const project = await engine.Project.open(this.root, {
          schema: settings.schema.length ? settings.schema.map((s) => path.resolve(this.root, s)) : undefined,
          rows: Object.entries(settings.rows).map(([t, n]) => `${t}=${Math.round(n)}`),
          // An untrusted workspace's .env files are never read (they hold connection strings).
          ignore: vscode.workspace.isTrusted ? undefined : ['**/.env', '**/.env.*'],
          // The extension host keeps the extraction threads between opens (see ProjectOptions.threads).
          threads: 'auto',
        });
        Object.assign(project.config.rules, settings.rules);
        this.isIgnored = engine.globMatcher([...project.config.ignore, ...settings.ignore]);
        this.namedSchema = (file) => project.namesAsSchema(file);
        for (const f of [...project.files.keys()]) if (!this.tracks(f)) project.removeFile(f);
        for (const doc of vscode.workspace.textDocuments) {
          if (doc.uri.scheme !== 'file' || !this.tracks(doc.uri.fsPath)) continue;
          // A document VS Code still holds for a file deleted since (no unsaved edits) is not the file any more.
          if (!doc.isDirty && !fs.existsSync(doc.uri.fsPath)) continue;
          if (project.files.get(doc.uri.fsPath)?.text !== doc.getText()) project.updateFile(doc.uri.fsPath, doc.getText());
        }
        if (token?.isCancellationRequested || gen !== this.generation) return;
        this.project = project;
        this.error = undefined;
        this.analyze();
        const r = this.result!;
        this.state.log.info(
          `${this.folder.name}: ${r.stats.files} files, ${r.stats.queries} queries, ${r.stats.tables} tables, ${r.stats.indexes} indexes → ${r.findings.length} findings in ${Date.now() - t0} ms (schema: ${r.stats.schemaSources.map((s) => path.relative(this.root, s)).join(', ') || 'none found'})`,
        );
        for (const s of r.stats.skipped) this.state.log.warn(`skipped ${path.relative(this.root, s.file)}: ${s.reason}`);
        for (const s of r.stats.schemaSkipped) this.state.log.info(`schema source not read: ${path.relative(this.root, s.file)}: ${s.reason}`);
      } catch (err) {
        this.error = (err as Error).message;
        this.state.log.error(`${this.folder.name}: ${this.error}`);
        vscode.window.showErrorMessage(`Postgres Index Review: ${this.error}`);
      }
    };
    const p = run().finally(() => {
      if (this.opening === p) this.opening = undefined;
      if (this.pending.size) this.arm(0);
      this.settle();
    });
    this.opening = p;
    return p;
  }

  /** An editor buffer changed or was opened. */
  documentChanged(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file' || !this.tracks(doc.uri.fsPath)) return;
    const text = doc.getText();
    if (this.project?.files.get(doc.uri.fsPath)?.text === text) return;
    this.enqueue(doc.uri.fsPath, text);
  }

  /** A file changed on disk through a file operation (a quick fix created a migration). */
  fileChangedOnDisk(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') return;
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
    const text = readOrNull(uri.fsPath);
    if (text === null ? this.project?.files.has(uri.fsPath) : this.project?.files.get(uri.fsPath)?.text !== text) this.enqueue(uri.fsPath, text);
  }

  /** An editor closed: its file's text is what is on disk again. */
  documentClosed(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file' || !this.tracks(doc.uri.fsPath)) return;
    const disk = readOrNull(doc.uri.fsPath);
    if (this.project?.files.get(doc.uri.fsPath)?.text !== disk) this.enqueue(doc.uri.fsPath, disk);
  }

  /** `text` null: the file is gone. */
  private enqueue(file: string, text: string | null): void {
    if (text !== null && !this.tracks(file)) return;
    this.pending.set(file, text);
    this.cts?.cancel(); // supersedes a pass that is waiting to publish
    this.arm(readSettings(this.folder.uri).debounceMs);
  }

  private arm(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
  }

  private async flush(): Promise<void> {
    if (this.opening || !this.project) return; // open() picks pending changes up when it ends
    const changes = [...this.pending];
    this.pending.clear();
    const cts = new vscode.CancellationTokenSource();
    this.cts = cts;
    const gen = ++this.generation;
    this.running++;
    try {
      let schemaChanged = false;
      const u0 = performance.now();
      for (const [file, text] of changes) {
        if (text === null) {
          // A deleted folder: every file under it.
          const gone = this.project.files.has(file) ? [file] : [...this.project.files.keys()].filter((f) => f.startsWith(file + path.sep));
          for (const f of gone) this.project.removeFile(f);
        }
        else schemaChanged = this.project.updateFile(file, text) || schemaChanged;
      }
      const updateMs = performance.now() - u0;
      if (schemaChanged) this.state.log.debug(`${this.folder.name}: schema changed, every file re-checked`);
      // Let a newer keystroke in before the (synchronous) analysis: it supersedes this pass.
      await new Promise((r) => setImmediate(r));
      if (cts.token.isCancellationRequested || gen !== this.generation) return;
      const t0 = Date.now();
      this.analyze(updateMs);
      this.state.log.debug(`${this.folder.name}: ${changes.length} file(s) changed → ${this.result!.findings.length} findings in ${Date.now() - t0} ms`);
    } catch (err) {
      this.state.log.error(`${this.folder.name}: analysis failed: ${(err as Error).stack ?? err}`);
    } finally {
      this.running--;
      cts.dispose();
      if (this.cts === cts) this.cts = undefined;
      this.settle();
    }
  }

  /** Runs the core's analysis now and publishes it (`updateMs`: what re-reading the edits before it took). */
  analyze(updateMs = 0): AnalysisResult | undefined {
    if (!this.project) return undefined;
    const t0 = performance.now();
    this.result = this.project.analyze();
    const t1 = performance.now();
    const filesSent = this.publish(this.result.findings);
    this.state.lastAnalysis = { updateMs, analyzeMs: t1 - t0, publishMs: performance.now() - t1, filesSent };
    this.state.fireAnalyzed();
    return this.result;
  }

  /**
   * Publishes the files whose findings changed: after a keystroke that is the edited file (and what a
   * workspace rule says elsewhere), not every file of a large workspace, each sent to the window again.
   * Returns how many files were sent.
   */
  private publish(findings: Finding[]): number {
    const byFile = new Map<string, Finding[]>();
    // The findings come sorted by file: one lookup per file, not one per finding.
    let file: string | undefined;
    let list: Finding[] = [];
    for (const f of findings) {
      if (f.file !== file) {
        file = f.file;
        const known = byFile.get(file);
        if (known) list = known;
        else byFile.set(file, (list = []));
      }
      list.push(f);
    }
    let sent = 0;
    for (const file of this.published.keys())
      if (!byFile.has(file)) {
        this.state.diagnostics.delete(vscode.Uri.file(file));
        sent++;
      }
    for (const [file, list] of byFile) {
      const was = this.published.get(file);
      if (was && was.length === list.length && was.every((f, i) => sameDiagnostic(f, list[i]))) continue;
      this.state.diagnostics.set(vscode.Uri.file(file), list.map(toDiagnostic));
      sent++;
    }
    this.published = byFile;
    return sent;
  }

  verdictsIn(file: string): readonly ShapeVerdict[] {
    return this.result?.verdictsIn(file) ?? [];
  }

  /** The file's findings of the last analysis: as published (publish grouped them right after it). */
  findingsIn(file: string): readonly Finding[] {
    return this.published.get(file) ?? [];
  }

  /** Absolute paths of the migration .sql files the schema came from. */
  migrationFiles(): string[] {
    if (!this.project) return [];
    return [...this.project.files.values()].filter((e) => e.kind === 'migration').map((e) => e.file);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.cts?.cancel();
    for (const file of this.published.keys()) this.state.diagnostics.delete(vscode.Uri.file(file));
    this.disposables.forEach((d) => d.dispose());
    this.waiters.forEach((f) => f());
  }
}

/** The regular files in a new folder (a few levels, a few hundred at most); none when `dir` is not a folder. */
function filesUnder(dir: string, depth = 3, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out; // a file (its own watcher has it), or a folder gone again
  }
  for (const e of entries) {
    if (out.length >= 500) break;
    const p = path.join(dir, e.name);
    if (e.isFile()) out.push(p);
    else if (e.isDirectory() && depth > 1) filesUnder(p, depth - 1, out);
  }
  return out;
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
