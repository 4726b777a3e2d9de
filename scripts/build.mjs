// Bundles the CLI and the VS Code extension with esbuild.
// - dist/cli.js: the WASM parsers and TypeScript stay external (loaded from node_modules).
// - dist/extension.js: the small editor layer, loaded on activation.
// - dist/engine.js: the analysis core with everything it needs at run time (libpg-query,
//   @prisma/prisma-schema-wasm, typescript, pg) bundled in, loaded by the extension on first use;
//   the .wasm files are copied beside it (both packages load them from their own __dirname), so
//   the .vsix needs no node_modules.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
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
  await build({
    ...editor,
    entryPoints: ['src/extension/engine.ts'],
    outfile: 'dist/engine.js',
    // pg's optional native binding and PGlite (not used by the engine) stay out.
    external: ['vscode', 'pg-native', '@electric-sql/pglite'],
    logOverride: { 'unsupported-require-call': 'silent', 'empty-import-meta': 'silent' },
  });
  mkdirSync('dist', { recursive: true });
  const wasm = [
    path.join(path.dirname(require.resolve('libpg-query')), 'libpg-query.wasm'),
    path.join(path.dirname(require.resolve('@prisma/prisma-schema-wasm')), 'prisma_schema_build_bg.wasm'),
  ];
  for (const f of wasm) copyFileSync(f, path.join('dist', path.basename(f)));
}
