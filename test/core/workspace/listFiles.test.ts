/**
 * listFiles and readText (src/core/workspace/files.ts), what `check` and `lint` read of a workspace:
 * symlink loops, folders reached twice, unreadable folders, special files, byte order marks and
 * binary files.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareListingOrder, listFiles, readText, type WalkResult } from '../../../src/core/workspace/files';
import { REPO } from '../../helpers/paths';

const FILES = path.join(REPO, 'src', 'core', 'workspace', 'files.ts');

function tree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

/** A listing with workspace-relative paths (forward slashes), skipped reasons kept. */
function rel(root: string, r: WalkResult): { files: string[]; skipped: { file: string; reason: string }[] } {
  const f = (p: string) => path.relative(root, p).split(path.sep).join('/');
  return { files: r.files.map(f), skipped: r.skipped.map((s) => ({ file: f(s.file), reason: s.reason })) };
}

/** Whether `user` exists on this machine (for running a walk without root's permissions). */
function userExists(user: string): boolean {
  const r = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  return r.status === 0;
}

/**
 * listFiles(roots, root, []) in a child process (as `user` when given), with a time limit: a walk
 * that loops forever fails the test instead of hanging the run.
 */
let bundled: string | undefined;

/**
 * files.ts bundled (picomatch included) into a world-readable folder: another user can run it even when the
 * checkout is in a folder only its owner can enter (a `mktemp -d` clone, as CI makes).
 */
function filesBundle(): string {
  if (bundled) return bundled;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-files-'));
  fs.chmodSync(dir, 0o755);
  const out = path.join(dir, 'files.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('esbuild').buildSync({ entryPoints: [FILES], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'silent' });
  fs.chmodSync(out, 0o644);
  return (bundled = out);
}

function listInChild(root: string, user?: string, roots = [root]): { result?: WalkResult; error?: string } {
  const script = `const { listFiles } = require(${JSON.stringify(filesBundle())}); process.stdout.write(JSON.stringify(listFiles(${JSON.stringify(roots)}, ${JSON.stringify(root)}, [])));`;
  const node = [process.execPath, '-e', script];
  const [cmd, ...args] = user ? ['runuser', '-u', user, '--', ...node] : node;
  const r = spawnSync(cmd, args, { cwd: os.tmpdir(), encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, HOME: os.tmpdir() } });
  if (r.error) return { error: r.error.message };
  if (r.status !== 0) return { error: `exit ${r.status ?? r.signal}: ${r.stderr}` };
  return { result: JSON.parse(r.stdout) as WalkResult };
}

describe('listFiles: links, unreadable folders, special files', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-walk-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-walk-out-'));
    // Readable by others, for the walk run as another user.
    fs.chmodSync(root, 0o755);
    fs.chmodSync(outside, 0o755);
    tree(root, { 'migrations/001/migration.sql': 'CREATE TABLE t (id int primary key, a int);\n', 'q.sql': 'SELECT * FROM t WHERE a = 1;\n' });
  });
  afterEach(() => {
    for (const d of [root, outside]) {
      const locked = path.join(d, 'locked');
      if (fs.existsSync(locked)) fs.chmodSync(locked, 0o755);
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('walks a folder linked back into the walk (a -> .) once, under its real path', () => {
    fs.symlinkSync('.', path.join(root, 'a'));
    assert.deepEqual(rel(root, listFiles([root], root, [])), { files: ['migrations/001/migration.sql', 'q.sql'], skipped: [] });
  });

  it('ends on two links back (a -> ., b -> .) instead of walking every path through them', function () {
    this.timeout(60_000);
    fs.symlinkSync('.', path.join(root, 'a'));
    fs.symlinkSync('.', path.join(root, 'b'));
    fs.symlinkSync('..', path.join(root, 'migrations', 'up'));
    const { result, error } = listInChild(root);
    assert.equal(error, undefined);
    assert.deepEqual(rel(root, result!), { files: ['migrations/001/migration.sql', 'q.sql'], skipped: [] });
  });

  it('follows a link to a folder outside the root once; a folder inside it is listed under its real path, a file once', function () {
    this.timeout(120_000);
    tree(outside, { 'shared.sql': 'SELECT 2;\n' });
    tree(root, { 'sql/r.sql': 'SELECT 3;\n' });
    fs.symlinkSync(outside, path.join(root, 'ext'));
    fs.symlinkSync(outside, path.join(root, 'ext2'));
    // Sorts before the folder it points to: still listed as sql/r.sql.
    fs.symlinkSync('sql', path.join(root, 'alias'));
    // A second name for a file: the file is listed once, under its own name.
    fs.symlinkSync('q.sql', path.join(root, 'a.sql'));
    fs.symlinkSync(root, path.join(outside, 'back'));
    // In a child process: a walk that follows the links back and forth would not end.
    const first = listInChild(root);
    assert.equal(first.error, undefined);
    assert.deepEqual(rel(root, first.result!), { files: ['migrations/001/migration.sql', 'q.sql', 'sql/r.sql', 'ext/shared.sql'], skipped: [] });
    // The same listing every time, and from a second root that is already inside the first.
    const again = listInChild(root, undefined, [root, path.join(root, 'sql')]);
    assert.equal(again.error, undefined);
    assert.deepEqual(again.result, first.result);
  });

  it("does not follow a link to a folder that holds the workspace (/, ..) or to the system's folders: they are recorded in skipped", () => {
    tree(outside, { 'other/migrations/001/migration.sql': 'CREATE INDEX t_a ON t (a);\n' });
    fs.symlinkSync('/', path.join(root, 'disk'));
    fs.symlinkSync('..', path.join(root, 'up'));
    fs.symlinkSync('/proc/self', path.join(root, 'me'));
    fs.symlinkSync(path.join(outside, 'other'), path.join(root, 'vendor'));
    const r = rel(root, listFiles([root], root, []));
    // A folder beside the workspace is still followed (a monorepo's linked package).
    assert.deepEqual(r.files, ['migrations/001/migration.sql', 'q.sql', 'vendor/migrations/001/migration.sql']);
    assert.deepEqual(r.skipped.map((x) => x.file), ['disk', 'me', 'up']);
    assert.match(r.skipped[0].reason, /a folder that holds the workspace: not followed/);
    assert.match(r.skipped[1].reason, /a system folder: not followed/);
  });

  it('records a link that points nowhere, or at itself, in skipped', () => {
    fs.symlinkSync('missing.sql', path.join(root, 'gone.sql'));
    fs.symlinkSync('self.sql', path.join(root, 'self.sql'));
    const r = rel(root, listFiles([root], root, []));
    assert.deepEqual(r.files, ['migrations/001/migration.sql', 'q.sql']);
    assert.deepEqual(r.skipped.map((s) => s.file), ['gone.sql', 'self.sql']);
    assert.match(r.skipped[0].reason, /ENOENT/);
    assert.match(r.skipped[1].reason, /ELOOP/);
  });

  it('skips an unreadable folder, records it in skipped, and lists the rest', function () {
    this.timeout(60_000);
    tree(root, { 'locked/x.sql': 'SELECT 1;\n', 'z.sql': 'SELECT 4;\n' });
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    let listing: WalkResult;
    if (process.getuid?.() !== 0) listing = listFiles([root], root, []);
    else {
      // Root reads any folder: walk as nobody, who can't.
      if (!userExists('nobody') || process.platform === 'win32') return this.skip();
      const { result, error } = listInChild(root, 'nobody');
      if (error && /runuser|not permitted|Operation not permitted|cannot/i.test(error) && !/EACCES/.test(error)) return this.skip();
      assert.equal(error, undefined);
      listing = result!;
    }
    const r = rel(root, listing);
    assert.deepEqual(r.files, ['migrations/001/migration.sql', 'q.sql', 'z.sql']);
    assert.equal(r.skipped.length, 1);
    assert.equal(r.skipped[0].file, 'locked');
    assert.match(r.skipped[0].reason, /EACCES|permission denied/);
  });

  it('records a FIFO or a device named like a query file in skipped, and never opens it', function () {
    if (process.platform === 'win32') return this.skip();
    const fifo = spawnSync('mkfifo', [path.join(root, 'migrations', '001', 'pipe.sql')]);
    if (fifo.status !== 0) return this.skip();
    if (fs.existsSync('/dev/zero')) fs.symlinkSync('/dev/zero', path.join(root, 'zero.sql'));
    const r = rel(root, listFiles([root], root, []));
    assert.deepEqual(r.files, ['migrations/001/migration.sql', 'q.sql']);
    assert.deepEqual(r.skipped, [
      { file: 'migrations/001/pipe.sql', reason: 'not a regular file' },
      ...(fs.existsSync('/dev/zero') ? [{ file: 'zero.sql', reason: 'not a regular file' }] : []),
    ]);
  });

  it('takes what to keep and the size cap from its options', () => {
    tree(root, { 'notes.txt': 'x', 'big.sql': `${'-- filler\n'.repeat(200)}` });
    const r = rel(root, listFiles([root, path.join(root, 'notes.txt')], root, [], { accept: (f, named) => named || f.endsWith('.sql'), maxBytes: 1000 }));
    assert.deepEqual(r.files, ['migrations/001/migration.sql', 'q.sql', 'notes.txt']);
    assert.deepEqual(r.skipped, [{ file: 'big.sql', reason: 'larger than 1000 bytes' }]);
  });
});

describe('readText', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-read-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function read(name: string, bytes: Buffer | string): { text?: string; skipped: { file: string; reason: string }[] } {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    const skipped: { file: string; reason: string }[] = [];
    return { text: readText(file, skipped), skipped };
  }

  it('drops a UTF-8 byte order mark (editors show the text without it)', () => {
    assert.deepEqual(read('bom.sql', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('SELECT 1;\n')])), { text: 'SELECT 1;\n', skipped: [] });
    // Only at the start.
    assert.equal(read('mid.sql', 'SELECT 1; -- \ufeff\n').text, 'SELECT 1; -- \ufeff\n');
  });

  it('skips a binary file: NUL bytes, or mostly bytes that are not text', () => {
    const file = path.join(dir, 'nul.sql');
    assert.deepEqual(read('nul.sql', Buffer.from('SELECT 1;\0\0\0')), { text: undefined, skipped: [{ file, reason: 'binary file' }] });
    const noise = Buffer.alloc(4096);
    let x = 12345;
    for (let i = 0; i < noise.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      noise[i] = 1 + ((x >> 16) % 255);
    }
    assert.deepEqual(read('noise.sql', noise).skipped.map((s) => s.reason), ['binary file']);
  });

  it('keeps text with a few bytes that are not UTF-8 (a Latin-1 comment)', () => {
    const latin1 = Buffer.from('-- caf\xe9 cr\xe8me br\xfbl\xe9e\nSELECT * FROM t WHERE a = 1;\n', 'latin1');
    const r = read('latin1.sql', latin1);
    assert.deepEqual(r.skipped, []);
    assert.ok(r.text?.includes('SELECT * FROM t WHERE a = 1;'));
  });

  it('records a file it cannot read in skipped', () => {
    const skipped: { file: string; reason: string }[] = [];
    assert.equal(readText(path.join(dir, 'missing.sql'), skipped), undefined);
    assert.match(skipped[0].reason, /ENOENT/);
  });
});

describe('compareListingOrder', () => {
  it('orders paths as a walk lists them: by name, folder by folder, depth first', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-order-'));
    try {
      // Names where whole-path string order and the walk's order differ ('/' sorts after '.' and '-').
      tree(root, { 'a.ts': '', 'a/b.sql': '', 'a/a.ts': '', 'a-b.ts': '', 'a/b/c.ts': '', 'a/b.ts': '', 'B.ts': '', 'ab.ts': '', 'a0/x.ts': '' });
      const listed = listFiles([root], root, []).files;
      assert.equal(listed.length, 9);
      assert.deepEqual([...listed].sort(compareListingOrder), listed);
      assert.deepEqual([...listed].reverse().sort(compareListingOrder), listed);
      assert.ok(compareListingOrder(path.join(root, 'a', 'b.ts'), path.join(root, 'a.ts')) < 0);
      assert.equal(compareListingOrder(path.join(root, 'a.ts'), path.join(root, 'a.ts')), 0);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
