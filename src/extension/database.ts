/**
 * The database connection as the editor knows it: where the URL comes from (the setting plus the
 * password from SecretStorage, else DATABASE_URL / .env the way Prisma finds it), and whether the
 * server answers. In an untrusted workspace nothing here reads a URL or opens a connection.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Session } from '../core/db/connection';
import type { ExplainResult } from '../core/db/explain';
import { EmbeddedDatabase } from './embedded';
import { readSettings, SECTION } from './settings';
import type { ExtensionState } from './state';

export type DbState =
  | { kind: 'untrusted' }
  | { kind: 'none' }
  | { kind: 'checking'; target: string; source: string }
  | { kind: 'connected'; target: string; source: string; version: number }
  | { kind: 'unreachable'; target: string; source: string; message: string };

const SECRET_PREFIX = 'pgIndexReview.databasePassword:';

/** Splits the password out of a connection URL. */
export function splitPassword(url: string): { url: string; password?: string } {
  try {
    const u = new URL(url);
    if (!/^postgres(ql)?:$/.test(u.protocol)) return { url };
    const password = u.password ? decodeURIComponent(u.password) : undefined;
    u.password = '';
    return { url: u.toString(), password };
  } catch {
    return { url };
  }
}

/** Where a plan comes from: the configured database, or the embedded one (synthetic data). */
export interface PlanRequest {
  source: 'database' | 'embedded';
  result: Promise<ExplainResult>;
  /** The embedded database is still being built (the first time): the plan is seconds away. */
  preparing: boolean;
}

export class Database implements vscode.Disposable {
  state: DbState = { kind: 'none' };
  private readonly emitter = new vscode.EventEmitter<DbState>();
  readonly onDidChange = this.emitter.event;
  private seq = 0;
  /** Connection attempts made (for the log and the tests). */
  attempts = 0;
  /** PGlite on its own thread, for plans when no database is configured (see embedded.ts). */
  readonly embedded: EmbeddedDatabase;

  constructor(private readonly ext: ExtensionState) {
    if (!vscode.workspace.isTrusted) this.state = { kind: 'untrusted' };
    this.embedded = new EmbeddedDatabase(ext.log, path.join(__dirname, 'embedded-worker.js'));
  }

  private set(s: DbState): void {
    if (s.kind !== this.state.kind || s.kind !== 'connected') {
      this.plans.clear();
      void this.closeSession();
    }
    // A real database makes the embedded one (and its ~0.5 GB) unnecessary.
    if (s.kind !== 'none') this.embedded.close(s.kind === 'untrusted' ? 'the workspace is not trusted' : 'a database is configured');
    this.state = s;
    this.emitter.fire(s);
  }

  /** The URL to use, with its password, or undefined. Never in an untrusted workspace. */
  async resolve(): Promise<{ url: string; source: string } | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0];
    const configured = vscode.workspace.getConfiguration(SECTION, folder?.uri).get<string>('database.url')?.trim();
    if (configured) {
      const password = await this.ext.context.secrets.get(SECRET_PREFIX + configured);
      if (!password) return { url: configured, source: 'setting pgIndexReview.database.url' };
      const u = new URL(configured);
      u.password = password;
      return { url: u.toString(), source: 'setting pgIndexReview.database.url (password from secret storage)' };
    }
    if (!folder) return undefined;
    return this.ext.loadEngine().findDatabaseUrl(folder.uri.fsPath);
  }

  /** Re-reads where the database is and checks that it answers (read-only session, short timeouts). */
  async refresh(): Promise<DbState> {
    const seq = ++this.seq;
    if (!readSettings(vscode.workspace.workspaceFolders?.[0]?.uri).embedded) this.embedded.close('turned off (pgIndexReview.database.embedded)');
    if (!vscode.workspace.isTrusted) {
      this.set({ kind: 'untrusted' });
      return this.state;
    }
    const found = await this.resolve();
    if (seq !== this.seq) return this.state;
    if (!found) {
      this.set({ kind: 'none' });
      return this.state;
    }
    const engine = this.ext.loadEngine();
    const target = engine.describeTarget(found.url);
    this.set({ kind: 'checking', target, source: found.source });
    this.attempts++;
    this.ext.log.info(`checking the database at ${engine.redactUrl(found.url)} (from ${found.source})`);
    try {
      const session = await engine.openSession(found.url, { connectTimeoutMs: 4000, statementTimeoutMs: 3000 });
      try {
        const version = await session.serverVersion();
        if (seq === this.seq) this.set({ kind: 'connected', target, source: found.source, version });
        this.ext.log.info(`database ${target}: PostgreSQL ${version}`);
      } finally {
        await session.close();
      }
    } catch (err) {
      const message = engine.redact((err as Error).message, found.url);
      this.ext.log.warn(`database ${target}: ${message}`);
      if (seq === this.seq) this.set({ kind: 'unreachable', target, source: found.source, message });
    }
    return this.state;
  }

  /** The Configure Database Connection flow: URL into settings without its password, the password into SecretStorage. */
  async configure(): Promise<DbState | undefined> {
    if (!vscode.workspace.isTrusted) {
      vscode.window.showWarningMessage('Postgres Index Review connects to databases only in trusted workspaces. Trust this workspace to configure a connection.');
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    const config = vscode.workspace.getConfiguration(SECTION, folder?.uri);
    const current = config.get<string>('database.url') ?? '';
    const input = await vscode.window.showInputBox({
      title: 'Postgres Index Review: database connection',
      prompt: 'PostgreSQL connection URL. A password in it goes to secret storage, never into settings.',
      placeHolder: 'postgresql://user:password@localhost:5432/dbname',
      value: current,
      ignoreFocusOut: true,
      validateInput: (v) => {
        if (!v.trim()) return undefined;
        try {
          const u = new URL(v.trim());
          return /^postgres(ql)?:$/.test(u.protocol) ? undefined : 'The URL must start with postgresql:// or postgres://';
        } catch {
          return 'Not a URL: postgresql://user:password@host:5432/dbname';
        }
      },
    });
    if (input === undefined) return undefined;
    const target = folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global;
    if (!input.trim()) {
      await config.update('database.url', undefined, target);
      this.ext.log.info('database URL setting cleared');
      return this.refresh();
    }
    let { url, password } = splitPassword(input.trim());
    if (password === undefined) {
      const stored = await this.ext.context.secrets.get(SECRET_PREFIX + url);
      password = await vscode.window.showInputBox({
        title: 'Postgres Index Review: database password',
        prompt: stored ? 'Password (leave as is to keep the stored one; empty for none)' : 'Password (empty for none)',
        password: true,
        value: stored ?? '',
        ignoreFocusOut: true,
      });
      if (password === undefined) return undefined;
    }
    if (password) await this.ext.context.secrets.store(SECRET_PREFIX + url, password);
    else await this.ext.context.secrets.delete(SECRET_PREFIX + url);
    await config.update('database.url', url, target);
    const s = await this.refresh();
    if (s.kind === 'connected') vscode.window.showInformationMessage(`Postgres Index Review: connected to PostgreSQL ${s.version} at ${s.target}.`);
    else if (s.kind === 'unreachable') vscode.window.showWarningMessage(`Postgres Index Review: saved, but ${s.target} did not answer: ${s.message}`);
    return s;
  }

  private session?: Promise<Session>;
  private sessionTimer?: NodeJS.Timeout;
  private readonly plans = new Map<string, Promise<ExplainResult>>();

  /** A shared read-only session, closed after a minute without use. */
  private async sessionFor(): Promise<Session> {
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    this.sessionTimer = setTimeout(() => void this.closeSession(), 60_000);
    if (!this.session) {
      const found = await this.resolve();
      if (!found) throw new Error('no database configured');
      this.attempts++;
      const opening = this.ext.loadEngine().openSession(found.url, { connectTimeoutMs: 4000, statementTimeoutMs: 5000 });
      this.session = opening;
      opening.catch(() => {
        if (this.session === opening) this.session = undefined;
      });
    }
    return this.session;
  }

  private async closeSession(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (s) await s.then((x) => x.close()).catch(() => undefined);
  }

  /**
   * EXPLAIN (never ANALYZE) of one statement on the connected database, remembered per statement
   * text until the database changes. Undefined when there is no trusted, connected database.
   */
  explain(sql: string): Promise<ExplainResult> | undefined {
    if (!vscode.workspace.isTrusted || this.state.kind !== 'connected') return undefined;
    let p = this.plans.get(sql);
    if (!p) {
      p = this.sessionFor().then((session) => this.ext.loadEngine().explainStatement(session, sql));
      this.plans.set(sql, p);
      p.catch((err: Error) => {
        this.ext.log.warn(`EXPLAIN failed: ${err.message}`);
        setTimeout(() => this.plans.delete(sql), 10_000);
      });
      if (this.plans.size > 200) this.plans.delete(this.plans.keys().next().value!);
    }
    return p;
  }

  /**
   * The plan of one statement of `uri`'s workspace folder: from the connected database, else — in a
   * trusted workspace with no database configured, `database.embedded` on and migrations to build it
   * from — from the embedded database, started in the background on first use. Undefined: no plan.
   */
  planFor(uri: vscode.Uri, sql: string): PlanRequest | undefined {
    if (!vscode.workspace.isTrusted) return undefined;
    const real = this.explain(sql);
    if (real) return { source: 'database', result: real, preparing: false };
    if (this.state.kind !== 'none' || !readSettings(uri).embedded) return undefined;
    const host = this.ext.hostFor(uri);
    if (!host?.project || !host.result || !host.project.migrationFiles().length) return undefined;
    return { source: 'embedded', ...this.embedded.explain(host.project, sql, host.result) };
  }

  dispose(): void {
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    void this.closeSession();
    this.embedded.dispose();
    this.emitter.dispose();
  }
}
