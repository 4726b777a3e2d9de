/**
 * `pg-index-review check` on awkward workspaces: a symlink back into the workspace, an unreadable
 * folder, byte order marks in query files and in pg-index-review.json.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonReport } from '../../src/cli/format/json';
import { runMain } from '../helpers/cli';
import { displayPath as shown } from '../../src/cli/format/paths';
import { REPO } from '../helpers/paths';

const MAIN = path.join(REPO, 'src', 'cli', 'main.ts');
const BOM = '\ufeff';

describe('cli: check on awkward workspaces', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-ws-'));
    fs.chmodSync(root, 0o755);
    fs.mkdirSync(path.join(root, 'migrations', '001'), { recursive: true });
    fs.writeFileSync(path.join(root, 'migrations', '001', 'migration.sql'), 'CREATE TABLE t (id int primary key, a int);\n');
    fs.writeFileSync(path.join(root, 'q.sql'), 'SELECT * FROM t WHERE a = 1;\n');
  });
  afterEach(() => {
    const locked = path.join(root, 'locked');
    if (fs.existsSync(locked)) fs.chmodSync(locked, 0o755);
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function json(args: string[] = []): Promise<JsonReport> {
    const r = await runMain(['check', root, '--format', 'json', ...args]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as JsonReport;
  }

  it('a link back into the workspace (a -> .) does not report every file again under a/a/a/…', async () => {
    fs.symlinkSync('.', path.join(root, 'a'));
    const report = await json();
    assert.deepEqual(report.findings.filter((f) => f.rule === 'missing-index').map((f) => f.file), [shown(path.join(root, 'q.sql'))]);
    assert.equal(report.stats.files, 2);
    assert.deepEqual(report.stats.skipped, []);
  });

  it('an unreadable folder is skipped and recorded, the rest is checked (run as nobody when root)', function () {
    this.timeout(120_000);
    if (process.platform === 'win32') return this.skip();
    fs.mkdirSync(path.join(root, 'locked'));
    fs.writeFileSync(path.join(root, 'locked', 'x.sql'), 'SELECT 1;\n');
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    const node = [process.execPath, '--require', 'tsx/cjs', MAIN, 'check', root, '--format', 'json'];
    let cmd = node;
    if (process.getuid?.() === 0) {
      // Root reads any folder; nobody can't.
      if (spawnSync('id', ['-u', 'nobody']).status !== 0) return this.skip();
      // nobody must be able to load the code: not so in a checkout only root can enter (a `mktemp -d` clone). The
      // walk itself is still tested as nobody there, from a bundle (test/core/workspace/listFiles.test.ts).
      if (spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', path.join(REPO, 'node_modules', 'tsx', 'package.json')]).status !== 0) return this.skip();
      cmd = ['runuser', '-u', 'nobody', '--', ...node];
    }
    const r = spawnSync(cmd[0], cmd.slice(1), { cwd: REPO, encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOME: os.tmpdir() } });
    if (r.error || (r.status !== 0 && !/EACCES/.test(r.stderr) && /runuser/.test(r.stderr))) return this.skip();
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.equal(report.stats.skipped.length, 1);
    assert.equal(report.stats.skipped[0].file, shown(path.join(root, 'locked')));
    assert.match(report.stats.skipped[0].reason, /EACCES|permission denied/);
    assert.equal(report.findings.filter((f) => f.rule === 'missing-index').length, 1);
  });

  it('a byte order mark does not shift columns on line 1 (.sql and .ts)', async () => {
    fs.writeFileSync(path.join(root, 'bom.sql'), `${BOM}SELECT * FROM t WHERE a = 1;\n`);
    const call = "export const g = (pool: any) => pool.query('SELECT * FROM t WHERE a = 1');\n";
    fs.writeFileSync(path.join(root, 'plain.ts'), call);
    fs.writeFileSync(path.join(root, 'bom.ts'), `${BOM}${call}`);
    const report = await json();
    const start = (name: string) => {
      const f = report.findings.find((x) => x.file === shown(path.join(root, name)) && x.rule === 'missing-index');
      assert.ok(f, `finding in ${name}`);
      return f.range.start;
    };
    assert.deepEqual(start('bom.sql'), start('q.sql'));
    assert.deepEqual(start('bom.sql'), { line: 0, character: 22 });
    assert.deepEqual(start('bom.ts'), start('plain.ts'));
    const text = await runMain(['check', root, '--no-fixes']);
    assert.ok(text.stdout.includes(`${shown(path.join(root, 'bom.sql'))}:1:23 warning missing-index`), text.stdout);
  });

  it('reads a pg-index-review.json that starts with a byte order mark', async () => {
    fs.writeFileSync(path.join(root, 'pg-index-review.json'), `${BOM}{ "rows": { "t": 5000000 } }\n`);
    const r = await runMain(['check', root, '--no-fixes']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /~5M rows/);
  });
});
