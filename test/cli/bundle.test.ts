/**
 * The built bundle (`node scripts/build.mjs` → dist/cli.js) run as a child process: proves the
 * esbuild output starts, finds its WASM parsers in node_modules and behaves like main().
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { JsonReport } from '../../src/cli/format/json';
import { COMMANDS } from '../../src/cli/main';
import { runBuilt, runMain } from '../helpers/cli';
import { DIST_CLI, LMS_SCHEMA, REPO, shown, WORKSPACES } from '../helpers/paths';

describe('cli: the built bundle (dist/cli.js)', function () {
  this.timeout(120_000);

  before(() => {
    execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'pipe' });
    assert.ok(existsSync(DIST_CLI), 'the build wrote dist/cli.js');
  });

  it('check examples/lms --format json: exit 0 and the same findings as main() in-process', async () => {
    const child = runBuilt(['check', 'examples/lms', '--format', 'json']);
    assert.equal(child.stderr, '');
    assert.equal(child.code, 0);
    const fromChild = JSON.parse(child.stdout) as JsonReport;
    const inProcess = JSON.parse((await runMain(['check', 'examples/lms', '--format', 'json'])).stdout) as JsonReport;
    assert.equal(fromChild.version, 1);
    assert.ok(fromChild.findings.length > 10);
    assert.deepEqual(
      fromChild.findings.map((f) => [f.rule, f.file, f.range.start]),
      inProcess.findings.map((f) => [f.rule, f.file, f.range.start]),
    );
    assert.deepEqual(fromChild.stats, inProcess.stats);
  });

  it('check --threads 2: extraction threads started from dist/extract-worker.js neither change the report nor keep the process alive', () => {
    const threaded = runBuilt(['check', 'examples/lms', '--threads', '2', '--format', 'json']);
    const alone = runBuilt(['check', 'examples/lms', '--threads', '0', '--format', 'json']);
    assert.equal(threaded.code, 0, threaded.stderr);
    assert.equal(threaded.stderr, '');
    assert.ok((JSON.parse(threaded.stdout) as JsonReport).findings.length > 10);
    assert.equal(threaded.stdout, alone.stdout);
  });

  it('exit 1 on the broken workspace, 2 on a usage error', () => {
    const broken = runBuilt(['check', shown(path.join(WORKSPACES, 'broken'), REPO)]);
    assert.equal(broken.code, 1, broken.stderr);
    assert.match(broken.stdout, / error parse-error /);
    const usage = runBuilt(['nonsense']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /unknown command/);
  });

  it('explain-shape works from the bundle', () => {
    const r = runBuilt(['explain-shape', 'SELECT * FROM enrollments WHERE "userId" = $1 AND "courseId" = $2', '--schema', shown(LMS_SCHEMA, REPO), '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).statements[0].tables[0].index, 'enrollments_userId_courseId_key');
  });

  it('every command takes --help: exit 0, its usage on stdout', () => {
    for (const command of COMMANDS) {
      const r = runBuilt([command.name, '--help']);
      assert.equal(r.code, 0, `${command.name} --help: ${r.stderr}`);
      assert.ok(r.stdout.includes(command.usage.split('\n')[0]), r.stdout);
    }
  });

  it('--version', () => {
    const r = runBuilt(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+/);
  });
  // Found by fuzzing (stop 26): PGlite ignores statement_timeout, so `pg_sleep(100)` ran on past --timeout.
  it('explain --embedded: a statement past --timeout ends the process with a message (PGlite can\'t cancel it)', function () {
    this.timeout(180_000);
    const r = spawnSync(process.execPath, [DIST_CLI, 'explain', 'SELECT pg_sleep(60)', '--embedded', '--analyze', '--timeout', '1500'], { cwd: path.join(REPO, 'examples', 'lms'), encoding: 'utf8' });
    assert.equal(r.signal, 'SIGTERM');
    assert.match(r.stderr, /the statement ran past 1500 ms \(--timeout\) on the embedded database, which can't cancel it: stopped/);
    const quick = spawnSync(process.execPath, [DIST_CLI, 'explain', 'SELECT 1', '--embedded', '--analyze', '--timeout', '1500'], { cwd: path.join(REPO, 'examples', 'lms'), encoding: 'utf8' });
    assert.equal(quick.status, 0, quick.stderr);
  });
});
