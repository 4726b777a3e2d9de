// Compiles the in-editor suite (test/vscode/suite/*.ts) to out/vscode-test/suite/*.js, one file per
// test module (mocha loads them after setting up its globals); `vscode` and `mocha` stay external.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const suiteOut = path.join(repo, 'out', 'vscode-test', 'suite');

export async function buildTests() {
  const dir = path.join(repo, 'test', 'vscode', 'suite');
  // A test renamed or removed must not linger in the output.
  rmSync(suiteOut, { recursive: true, force: true });
  const entries = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'helpers.ts').map((f) => path.join(dir, f));
  await build({ entryPoints: entries, outdir: suiteOut, bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline', external: ['vscode', 'mocha'], logLevel: 'warning' });
  return path.join(suiteOut, 'index.js');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) console.log(await buildTests());
