/**
 * The one object holding the extension's state: the output channel, the lazily loaded engine,
 * one ProjectHost per workspace folder, the database state and the diagnostic collection.
 * Features read from it and subscribe to its events; none of them keep state of their own.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type * as Engine from './engine';
import { Database } from './database';
import { ProjectHost } from './projectHost';
import { SOURCE } from './diagnostics';
import type { ShapeVerdict } from '../core/analysis/verdicts';
import type { Finding } from '../core/model/finding';

export type EngineModule = typeof Engine;

export interface AnalysisTimings {
  /** Re-reading the changed files (0 when the analysis was not set off by an edit). */
  updateMs: number;
  /** The core's analysis of the workspace. */
  analyzeMs: number;
  /** Sending the files whose findings changed to the window. */
  publishMs: number;
  /** How many files' diagnostics that was (set or cleared). */
  filesSent: number;
}

export class ExtensionState implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly diagnostics: vscode.DiagnosticCollection;
  readonly hosts = new Map<string, ProjectHost>();
  readonly database: Database;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after any folder's analysis produced new results. */
  readonly onDidAnalyze = this.changed.event;
  private engine?: EngineModule;
  readonly activatedAt = Date.now();
  firstDiagnosticsAt?: number;
  /** Where the time of the last analysis went (the editor benchmark reads it through the test API). */
  lastAnalysis?: AnalysisTimings;

  constructor(readonly context: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Postgres Index Review', { log: true });
    this.diagnostics = vscode.languages.createDiagnosticCollection(SOURCE);
    this.database = new Database(this);
  }

  /** The analysis engine (dist/engine.js: parsers, TypeScript, database driver), loaded on first use. */
  loadEngine(): EngineModule {
    if (!this.engine) {
      const t0 = Date.now();
      // A separate bundle beside this one; a computed path keeps esbuild from inlining it.
      const file = path.join(__dirname, 'engine.js');
      this.engine = require(file) as EngineModule;
      this.log.info(`engine loaded in ${Date.now() - t0} ms`);
    }
    return this.engine;
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  fireAnalyzed(): void {
    if (this.firstDiagnosticsAt === undefined) this.firstDiagnosticsAt = Date.now();
    this.changed.fire();
  }

  hostFor(uri: vscode.Uri): ProjectHost | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.hosts.get(folder.uri.toString()) : undefined;
  }

  syncFolders(): void {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const keep = new Set(folders.map((f) => f.uri.toString()));
    for (const [k, h] of this.hosts) {
      if (!keep.has(k)) {
        h.dispose();
        this.hosts.delete(k);
      }
    }
    for (const f of folders) if (!this.hosts.has(f.uri.toString())) this.hosts.set(f.uri.toString(), new ProjectHost(this, f));
  }

  /** Every folder's findings. */
  findings(): Finding[] {
    return [...this.hosts.values()].flatMap((h) => h.result?.findings ?? []);
  }

  /** The query shapes of a document that contain `pos` (innermost first). */
  verdictsAt(uri: vscode.Uri, pos: vscode.Position): { host: ProjectHost; verdicts: ShapeVerdict[] } | undefined {
    const host = this.hostFor(uri);
    if (!host?.result) return undefined;
    const verdicts = host.verdictsIn(uri.fsPath).filter((sv) => {
      const r = sv.shape.location.range;
      const start = new vscode.Position(r.start.line, r.start.character);
      const end = new vscode.Position(r.end.line, r.end.character);
      return pos.isAfterOrEqual(start) && pos.isBeforeOrEqual(end);
    });
    verdicts.sort((a, b) => span(a) - span(b));
    return { host, verdicts };
  }

  /** Resolves when no analysis is scheduled or running in any folder. */
  async whenIdle(): Promise<void> {
    for (;;) {
      const busy = [...this.hosts.values()].filter((h) => h.busy);
      if (!busy.length) return;
      await Promise.all(busy.map((h) => h.idle()));
    }
  }

  dispose(): void {
    for (const h of this.hosts.values()) h.dispose();
    this.hosts.clear();
    this.database.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
    this.log.dispose();
  }
}

function span(sv: ShapeVerdict): number {
  const r = sv.shape.location.range;
  return (r.end.line - r.start.line) * 10000 + (r.end.character - r.start.character);
}
