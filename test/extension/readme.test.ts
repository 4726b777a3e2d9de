import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withSettingsTable } from '../../scripts/settingsTable';

const repo = path.join(__dirname, '../..');

describe('README: the VS Code extension section', () => {
  it('its settings table is the one package.json contributes (npx tsx scripts/settingsTable.ts --write)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
    assert.equal(readme, withSettingsTable(readme, pkg));
  });

  it('names every command the extension contributes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## VS Code extension'));
    const hidden = new Set((pkg.contributes.menus.commandPalette as { command: string; when: string }[]).filter((m) => m.when === 'false').map((m) => m.command));
    for (const c of pkg.contributes.commands as { command: string; title: string }[]) {
      if (!hidden.has(c.command)) assert.ok(section.includes(c.title), `README does not mention "${c.title}"`);
    }
  });
});
