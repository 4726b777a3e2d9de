/**
 * What activate() returns: a small read-only view for the in-editor tests and the benchmark
 * (`vscode.extensions.getExtension(id).exports`). Not a public API.
 */
import type { DbState } from './database';
import type { ExtensionState } from './state';

export interface TestApi {
  whenIdle(): Promise<void>;
  status(): { findings: number; database: DbState; databaseAttempts: number; activatedAt: number; firstDiagnosticsAt?: number; trusted: boolean };
}

export function testApi(state: ExtensionState): TestApi {
  return {
    whenIdle: () => state.whenIdle(),
    status: () => ({
      findings: state.findings().length,
      database: state.database.state,
      databaseAttempts: state.database.attempts,
      activatedAt: state.activatedAt,
      firstDiagnosticsAt: state.firstDiagnosticsAt,
      trusted: state.trusted,
    }),
  };
}
