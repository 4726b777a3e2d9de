/**
 * `pg-index-review lint` on what a migrations folder may hold besides good SQL: FIFOs and devices,
 * files over the size cap, binary files, statements PostgreSQL can't parse, byte order marks.
 * Cases that could hang or read without end run the CLI in a child process with a time limit.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonReport } from '../../src/cli/format/json';
import { MAX_FILE_BYTES } from '../../src/core/workspace/files';
import { runMain, type CliRun } from '../helpers/cli';
import { displayPath as shown } from '../../src/cli/format/paths';
import { REPO } from '../helpers/paths';

const MAIN = path.join(REPO, 'src', 'cli', 'main.ts');
const LINE = /^(\S+):(\d+):(\d+) (error|warning|info|hint) ([a-z]+(?:-[a-z]+)*) (\S.*)$/;

/** `pg-index-review lint …` in a child process, killed after 60 s. */
function lintChild(args: string[]): CliRun & { timedOut: boolean } {
  const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', MAIN, 'lint', ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM' };
}

function findingLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => LINE.test(l));
}

describe('cli: lint on files that are not plain migrations', () => {
  let root: string;
  let migrations: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-lint-'));
    migrations = path.join(root, 'migrations');
    fs.mkdirSync(path.join(migrations, '001'), { recursive: true });
    fs.writeFileSync(path.join(migrations, '001', 'migration.sql'), 'CREATE TABLE t (id int primary key, a int);\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function migration(name: string, text: string | Buffer): string {
    const file = path.join(migrations, name, 'migration.sql');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  describe('special files', () => {
    before(function () {
      if (process.platform === 'win32' || !fs.existsSync('/dev/zero')) this.skip();
    });

    it('skips a FIFO and a link to /dev/zero, says so, and lints the rest', function () {
      this.timeout(120_000);
      const fifo = path.join(migrations, '002', 'migration.sql');
      fs.mkdirSync(path.dirname(fifo));
      if (spawnSync('mkfifo', [fifo]).status !== 0) return this.skip();
      fs.mkdirSync(path.join(migrations, '003'));
      fs.symlinkSync('/dev/zero', path.join(migrations, '003', 'migration.sql'));
      const r = lintChild([migrations]);
      assert.equal(r.timedOut, false, 'lint ends');
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.includes(`skipped ${shown(fifo)}: not a regular file`), r.stdout);
      assert.ok(r.stdout.includes(`skipped ${shown(path.join(migrations, '003', 'migration.sql'))}: not a regular file`), r.stdout);
      assert.match(r.stdout, /in 1 file\.\n/);
    });

    it('lint /dev/zero: nothing to lint, exit code 2, without reading it', function () {
      this.timeout(120_000);
      const r = lintChild(['/dev/zero']);
      assert.equal(r.timedOut, false, 'lint ends');
      assert.equal(r.code, 2);
      assert.match(r.stderr, /\/dev\/zero: not a regular file/);
    });

    it('--format json lists them in stats.skipped, --format sarif on stderr', function () {
      this.timeout(120_000);
      const link = path.join(migrations, '003', 'migration.sql');
      fs.mkdirSync(path.dirname(link));
      fs.symlinkSync('/dev/zero', link);
      const json = lintChild([migrations, '--format', 'json']);
      assert.equal(json.timedOut, false, 'lint ends');
      assert.deepEqual((JSON.parse(json.stdout) as JsonReport).stats.skipped, [{ file: shown(link), reason: 'not a regular file' }]);
      const sarif = lintChild([migrations, '--format', 'sarif']);
      assert.equal(sarif.code, 0);
      JSON.parse(sarif.stdout);
      assert.match(sarif.stderr, /skipped .*003\/migration\.sql: not a regular file/);
    });
  });

  it('skips a migration over the size cap (check’s), with the reason', async () => {
    const big = migration('002', `${'-- generated filler line\n'.repeat(Math.ceil((MAX_FILE_BYTES + 1) / 25))}SELECT 1;\n`);
    const r = await runMain(['lint', migrations]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`skipped ${shown(big)}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`), r.stdout);
    assert.match(r.stdout, /in 1 file\.\n/);
    assert.ok(!r.stdout.includes('002/migration.sql: migration'), 'not linted');
  });

  it('skips a binary file (NUL bytes, or mostly bytes that are not text) instead of linting its "statements"', async () => {
    const nul = migration('002', Buffer.from('CREATE INDEX i ON t (a);\0\0\0;;;\x01\x02;'));
    const noise = Buffer.alloc(8192);
    let x = 7;
    for (let i = 0; i < noise.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      noise[i] = [0x3b, 0x80 + ((x >> 16) % 128), 1 + ((x >> 8) % 31)][x % 3];
    }
    const junk = migration('003', noise);
    const r = await runMain(['lint', migrations, '--format', 'json']);
    const report = JSON.parse(r.stdout) as JsonReport & { runners: { file: string }[] };
    assert.deepEqual(report.stats.skipped, [
      { file: shown(nul), reason: 'binary file' },
      { file: shown(junk), reason: 'binary file' },
    ]);
    assert.deepEqual(report.runners.map((x) => x.file), [shown(path.join(migrations, '001', 'migration.sql'))]);
    assert.deepEqual(report.findings, []);
  });

  describe('statements PostgreSQL cannot parse', () => {
    const SQL = "SET lock_timeout = '5s';\nCREATE TABL oops (;\nSELEC 1;\n";

    it('text: one error-level parse-error per statement, at the error, exit code 1', async () => {
      const file = migration('002', SQL);
      const r = await runMain(['lint', migrations]);
      assert.equal(r.code, 1);
      const lines = findingLines(r.stdout).filter((l) => l.includes(' parse-error '));
      assert.deepEqual(lines, [
        `${shown(file)}:2:8 error parse-error SQL syntax error: syntax error at or near "TABL"`,
        `${shown(file)}:3:1 error parse-error SQL syntax error: syntax error at or near "SELEC"`,
      ]);
      assert.match(r.stdout, /\(2 error, /);
    });

    it('json and sarif carry them too', async () => {
      migration('002', SQL);
      const json = await runMain(['lint', migrations, '--format', 'json']);
      assert.equal(json.code, 1);
      const errors = (JSON.parse(json.stdout) as JsonReport).findings.filter((f) => f.rule === 'parse-error');
      assert.deepEqual(
        errors.map((f) => [f.severity, f.range.start.line, f.range.start.character, f.message]),
        [
          ['error', 1, 7, 'SQL syntax error: syntax error at or near "TABL"'],
          ['error', 2, 0, 'SQL syntax error: syntax error at or near "SELEC"'],
        ],
      );
      const sarif = await runMain(['lint', migrations, '--format', 'sarif']);
      assert.equal(sarif.code, 1);
      const results = (JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; level: string }[] }[] }).runs[0].results.filter((x) => x.ruleId === 'parse-error');
      assert.deepEqual(results.map((x) => x.level), ['error', 'error']);
    });

    it('a parse error in the --schema history is not reported; one in a rollback script is', async () => {
      migration('002', 'SELEC 1;\n');
      const target = path.join(root, 'next');
      fs.mkdirSync(target);
      fs.writeFileSync(path.join(target, '003_x.sql'), 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n');
      fs.writeFileSync(path.join(target, '003_x_rollback.sql'), 'DROP INDX i;\n');
      const r = await runMain(['lint', target, '--schema', migrations]);
      const lines = findingLines(r.stdout).filter((l) => l.includes(' parse-error '));
      assert.deepEqual(lines, [`${shown(path.join(target, '003_x_rollback.sql'))}:1:6 error parse-error SQL syntax error: syntax error at or near "INDX"`]);
    });
  });

  it('a byte order mark does not shift columns on the first line', async () => {
    const plain = migration('002', 'CREATE INDEX i ON t (a);\nSELEC 1;\n');
    const bom = migration('003', '\ufeffCREATE INDEX j ON t (a);\nSELEC 1;\n');
    const r = await runMain(['lint', migrations, '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as JsonReport).findings;
    // j repeats i (migration-redundant-index in 003 only): compare the rest.
    const at = (file: string) => findings.filter((f) => f.file === shown(file) && f.rule !== 'migration-redundant-index').map((f) => `${f.rule}@${f.range.start.line}:${f.range.start.character}`);
    assert.ok(at(plain).includes('require-concurrent-index-creation@0:0'), at(plain).join(' '));
    assert.deepEqual(at(bom), at(plain));
  });
});
