/**
 * The README's table of the extension's settings, generated from package.json
 * `contributes.configuration` (between the `settings-table` markers), so the two can't drift:
 * `npx tsx scripts/settingsTable.ts --write` rewrites it; test/extension/readme.test.ts checks it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const START = '<!-- settings-table:start (generated from package.json by scripts/settingsTable.ts) -->';
export const END = '<!-- settings-table:end -->';

interface Property {
  type?: string | string[];
  default?: unknown;
  markdownDescription?: string;
  description?: string;
  items?: { type?: string };
  minimum?: number;
}

function cell(s: string): string {
  return s.replace(/\r?\n+/g, ' ').replace(/\|/g, '\\|').trim();
}

function typeOf(p: Property): string {
  const t = Array.isArray(p.type) ? p.type.join(' \\| ') : (p.type ?? 'any');
  if (t === 'array' && p.items?.type) return `${p.items.type}[]`;
  return p.minimum !== undefined ? `${t} (≥ ${p.minimum})` : t;
}

export function settingsTable(pkg: { contributes: { configuration: { properties: Record<string, Property> } } }): string {
  const rows = Object.entries(pkg.contributes.configuration.properties).map(
    ([key, p]) => `| \`${key}\` | ${typeOf(p)} | \`${JSON.stringify(p.default ?? null)}\` | ${cell(p.markdownDescription ?? p.description ?? '')} |`,
  );
  return ['| setting | type | default | what it does |', '|---|---|---|---|', ...rows].join('\n');
}

/** The README with its settings table replaced by the one package.json gives. */
export function withSettingsTable(readme: string, pkg: Parameters<typeof settingsTable>[0]): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} block`);
  return `${readme.slice(0, a + START.length)}\n${settingsTable(pkg)}\n${readme.slice(b)}`;
}

if (require.main === module) {
  const repo = path.resolve(__dirname, '..');
  const readmeFile = path.join(repo, 'README.md');
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const readme = fs.readFileSync(readmeFile, 'utf8');
  const next = withSettingsTable(readme, pkg);
  if (process.argv.includes('--write')) {
    fs.writeFileSync(readmeFile, next);
    console.log(next === readme ? 'README.md settings table: up to date' : 'README.md settings table: rewritten');
  } else {
    process.stdout.write(`${settingsTable(pkg)}\n`);
    if (next !== readme) process.exitCode = 1;
  }
}
