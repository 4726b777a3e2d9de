// Bundles the CLI (and, once present, the extension) with esbuild. The WASM parsers are
// loaded from node_modules at run time, so they stay external.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const external = ['libpg-query', '@prisma/prisma-schema-wasm', 'vscode', 'typescript'];
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, external, logLevel: 'warning' };

await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' });
if (existsSync('src/extension/extension.ts')) {
  await build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' });
}
