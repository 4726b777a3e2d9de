/**
 * What activate() returns: a small read-only view for the in-editor tests and the benchmark
 * (`vscode.extensions.getExtension(id).exports`). Not a public API.
 */
import type { DbState } from './database';
import type { EmbeddedStatus } from './embedded';
import type { AnalysisTimings, ExtensionState } from './state';

export interface TestApi {
  whenIdle(): Promise<void>;
  /** Resolves when the next analysis has been published (diagnostics set, `onDidAnalyze` fired), with its timings. */
  nextAnalysis(): Promise<AnalysisTimings | undefined>;
  status(): {
    findings: number;
    database: DbState;
    databaseAttempts: number;
    /** The embedded database: its state and how many times it was built since activation. */
    embedded: { kind: EmbeddedStatus['kind']; builds: number; rows?: number; buildMs?: number; hostStallMs?: number };
    activatedAt: number;
    firstDiagnosticsAt?: number;
    trusted: boolean;
  };
}

export function testApi(state: ExtensionState): TestApi {
  return {
    whenIdle: () => state.whenIdle(),
    nextAnalysis: () =>
      new Promise<AnalysisTimings | undefined>((resolve) => {
        const sub = state.onDidAnalyze(() => {
          sub.dispose();
          resolve(state.lastAnalysis);
        });
      }),
    status: () => ({
      findings: state.findings().length,
      database: state.database.state,
      databaseAttempts: state.database.attempts,
      embedded: embeddedStatus(state),
      activatedAt: state.activatedAt,
      firstDiagnosticsAt: state.firstDiagnosticsAt,
      trusted: state.trusted,
    }),
  };
}

function embeddedStatus(state: ExtensionState): ReturnType<TestApi['status']>['embedded'] {
  const e = state.database.embedded;
  const s = e.status;
  return { kind: s.kind, builds: e.builds, ...(s.kind === 'ready' ? { rows: s.info.rows, buildMs: s.info.timings.totalMs, hostStallMs: s.hostStallMs } : {}) };
}
