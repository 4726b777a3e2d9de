// Bundles the CLI and the VS Code extension with esbuild.
// - dist/cli.js: the WASM parsers and TypeScript stay external (loaded from node_modules).
// - dist/extension.js: the small editor layer, loaded on activation.
// - dist/engine.js: the analysis core with everything it needs at run time (libpg-query,
//   @prisma/prisma-schema-wasm, typescript, pg) bundled in, loaded by the extension on first use;
//   the .wasm files are copied beside it (both packages load them from their own __dirname), so
//   the .vsix needs no node_modules.
// - dist/extract-worker.js: an extraction thread for large workspaces (TypeScript and libpg-query
//   bundled in), started by dist/cli.js and dist/engine.js from beside themselves.
// - dist/embedded-worker.js: the embedded database's thread (PGlite + the seeding and EXPLAIN code,
//   libpg-query bundled in). PGlite stays external: it loads its .wasm/.data/contrib files from beside
//   its own modules, so the files it needs are copied to dist/node_modules/@electric-sql/pglite, where
//   Node's resolution finds them from dist/ (in the .vsix as in the repository).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const external = ['libpg-query', '@prisma/prisma-schema-wasm', 'vscode', 'typescript'];
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, external, logLevel: 'warning' };

// PGlite (the embedded database) loads its .wasm/.data files from beside its own modules: keep it external.
await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', external: [...external, '@electric-sql/pglite', 'pg-native'] });
if (existsSync('src/extension/extension.ts')) {
  const production = process.env.NODE_ENV === 'production';
  const editor = { ...common, minify: production, sourcemap: production ? false : true };
  await build({ ...editor, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', './engine.js'] });
  // Self-contained bundles (everything they need bundled in); pg's optional native binding and PGlite
  // (loaded from dist/node_modules, see copyPglite) stay out.
  const selfContained = (entry, outfile, external = []) =>
    build({
      ...editor,
      entryPoints: [entry],
      outfile,
      external: ['vscode', 'pg-native', '@electric-sql/pglite', ...external],
      logOverride: { 'unsupported-require-call': 'silent', 'empty-import-meta': 'silent' },
    });
  await selfContained('src/extension/engine.ts', 'dist/engine.js');
  await selfContained('src/extension/embeddedWorker.ts', 'dist/embedded-worker.js', ['@electric-sql/pglite/*']);
  // The extraction threads of large workspaces (src/core/workspace/extractPool.ts), for the CLI and the engine alike.
  await selfContained('src/core/workspace/extractWorker.ts', 'dist/extract-worker.js');
  copyPglite();
  mkdirSync('dist', { recursive: true });
  const wasm = [
    path.join(path.dirname(require.resolve('libpg-query')), 'libpg-query.wasm'),
    path.join(path.dirname(require.resolve('@prisma/prisma-schema-wasm')), 'prisma_schema_build_bg.wasm'),
  ];
  for (const f of wasm) copyFileSync(f, path.join('dist', path.basename(f)));
}

/**
 * The part of @electric-sql/pglite the embedded database loads: its CommonJS entry, the PostgreSQL
 * WASM module, its data file and initdb, and the contrib extensions src/core/db/embedded/pglite.ts
 * registers (each a small .cjs and the .tar.gz it points at) — about 16 MB of the package's 27.
 */
function copyPglite() {
  const pkgDir = path.resolve(path.dirname(require.resolve('@electric-sql/pglite')), '..');
  const dest = path.join('dist', 'node_modules', '@electric-sql', 'pglite');
  rmSync(dest, { recursive: true, force: true });
  const files = ['package.json', 'LICENSE', 'dist/index.cjs', 'dist/pglite.wasm', 'dist/pglite.data', 'dist/initdb.wasm'];
  const used = new Set([...readFileSync('src/core/db/embedded/pglite.ts', 'utf8').matchAll(/@electric-sql\/pglite\/contrib\/([\w-]+)/g)].map((m) => m[1]));
  for (const name of used) {
    const cjs = `dist/contrib/${name}.cjs`;
    files.push(cjs);
    for (const m of readFileSync(path.join(pkgDir, cjs), 'utf8').matchAll(/new URL\("\.\.\/([\w.-]+\.tar\.gz)"/g)) files.push(`dist/${m[1]}`);
  }
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    copyFileSync(path.join(pkgDir, f), path.join(dest, f));
  }
}
