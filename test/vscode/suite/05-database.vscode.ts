import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, connectionRecorder, waitFor } from './helpers';

describe('database (trusted workspace)', () => {
  it('connects to the configured database to check it (control for the untrusted suite)', async () => {
    const a = await api();
    const rec = await connectionRecorder();
    const config = vscode.workspace.getConfiguration('pgIndexReview');
    try {
      await config.update('database.url', `postgresql://tester@127.0.0.1:${rec.port}/lms`, vscode.ConfigurationTarget.Workspace);
      await waitFor(() => rec.connections() > 0, 'a connection to the fake database');
      await waitFor(() => a.status().database.kind === 'unreachable', 'the status to say the database is unreachable');
      // A configured database replaces the embedded one (04-embedded built it): its thread is ended.
      assert.equal(a.status().embedded.kind, 'off');
    } finally {
      await config.update('database.url', undefined, vscode.ConfigurationTarget.Workspace);
      await rec.close();
    }
    assert.ok(a.status().databaseAttempts > 0);
  });
});
