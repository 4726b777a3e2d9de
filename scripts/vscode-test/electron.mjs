// The same in-editor suite under @vscode/test-electron, for machines that can download VS Code
// (`npm run test:vscode`). Runs the trusted suite, then the untrusted one (workspace trust enabled,
// no startup prompt, so the folder opens in restricted mode).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildTests, repo } from './buildTests.mjs';
import { copySample } from './workspace.mjs';

const testsPath = await buildTests();
let failed = 0;
for (const trusted of [true, false]) {
  const ws = copySample();
  const userData = mkdtempSync(path.join(os.tmpdir(), 'pgir-electron-'));
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(trusted ? {} : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' }));
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: repo,
      extensionTestsPath: testsPath,
      launchArgs: [ws.dir, '--disable-extensions', '--user-data-dir', userData, ...(trusted ? ['--disable-workspace-trust'] : [])],
      extensionTestsEnv: { DATABASE_URL: '' },
    });
  } catch (err) {
    failed++;
    console.error(`${trusted ? 'trusted' : 'untrusted'} suite failed: ${err?.message ?? err}`);
  } finally {
    rmSync(ws.base, { recursive: true, force: true });
    rmSync(userData, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
