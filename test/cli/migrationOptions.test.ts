/**
 * `migration` and `apply` options that end up in SQL or on the disk: --lock-timeout and
 * --statement-timeout must be PostgreSQL durations, --timestamp a real date-time, --out a folder.
 * Each mistake is a usage error (exit code 2) that says what is wrong, and nothing is written.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMain } from '../helpers/cli';

const INJECTION = "5s'; DROP TABLE users; --";

describe('cli: migration and apply options', function () {
  this.timeout(120_000);
  let tmp: string;
  let ws: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-migration-options-'));
    // A two-file workspace with one missing index.
    ws = path.join(tmp, 'ws');
    fs.mkdirSync(path.join(ws, 'prisma', 'migrations', '20240101000000_init'), { recursive: true });
    fs.mkdirSync(path.join(ws, 'sql'));
    fs.writeFileSync(
      path.join(ws, 'prisma', 'migrations', '20240101000000_init', 'migration.sql'),
      'CREATE TABLE "users" ("id" INTEGER NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "users_pkey" PRIMARY KEY ("id"));\n',
    );
    fs.writeFileSync(path.join(ws, 'sql', 'users.sql'), 'SELECT * FROM users WHERE email = $1;\n');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const migration = (...extra: string[]) => runMain(['migration', ws, '--stdout', '--timestamp', '20250101000000', ...extra]);

  // Found by fuzzing (stop 26): `migration` wrote an empty migration ("0 new indexes", exit 0) where `check` said no schema.
  it('without a schema (an empty folder, a MySQL schema.prisma): exit 2 with check\'s message, and no files written', async () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(path.join(empty, 'sql'), { recursive: true });
    fs.writeFileSync(path.join(empty, 'sql', 'q.sql'), 'SELECT * FROM users WHERE email = $1;\n');
    const out = path.join(tmp, 'empty-out');
    const r = await runMain(['migration', empty, '--out', out, '--timestamp', '20250101000000']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no schema found in .*empty/);
    assert.equal(fs.existsSync(out), false);
    const check = await runMain(['check', empty]);
    assert.equal(check.code, 2);
    assert.equal(check.stderr, r.stderr);
  });

  // Found by fuzzing (stop 26): the Prisma migration dropped the broken model's index, which schema.prisma kept declaring.
  it('--prisma with a model schema.prisma can\'t be read: a usage error naming it, no files written', async () => {
    const broken = path.join(tmp, 'broken');
    fs.mkdirSync(path.join(broken, 'prisma'), { recursive: true });
    fs.writeFileSync(
      path.join(broken, 'prisma', 'schema.prisma'),
      'datasource db {\n  provider = "postgresql"\n  url = env("D")\n}\nmodel Course {\n  id Int @id\n  slug Strin\n  @@index([slug])\n}\nmodel Tag {\n  id Int @id\n  label String\n}\n',
    );
    const out = path.join(tmp, 'broken-out');
    const r = await runMain(['migration', broken, '--prisma', '--out', out, '--timestamp', '20250101000000']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--prisma: schema\.prisma has errors \(Course could not be read\): fix them first/);
    assert.equal(fs.existsSync(out), false);
    assert.equal((await runMain(['migration', broken, '--stdout', '--timestamp', '20250101000000'])).code, 0, 'without --prisma');
  });

  it('--prisma keeps the byte order mark schema.prisma starts with (the edit is made on the text without it)', async () => {
    const bom = path.join(tmp, 'bom');
    fs.mkdirSync(path.join(bom, 'prisma'), { recursive: true });
    fs.mkdirSync(path.join(bom, 'sql'));
    fs.writeFileSync(path.join(bom, 'prisma', 'schema.prisma'), '\ufeffdatasource db {\n  provider = "postgresql"\n  url = env("D")\n}\nmodel User {\n  id Int @id\n  email String\n  @@map("users")\n}\n');
    fs.writeFileSync(path.join(bom, 'sql', 'q.sql'), 'SELECT * FROM users WHERE email = $1;\n');
    const r = await runMain(['migration', bom, '--prisma', '--out', path.join(tmp, 'bom-out'), '--timestamp', '20250101000000']);
    assert.equal(r.code, 0, r.stderr);
    const written = fs.readFileSync(path.join(bom, 'prisma', 'schema.prisma'), 'utf8');
    assert.ok(written.startsWith('\ufeffdatasource'), JSON.stringify(written.slice(0, 12)));
    assert.match(written, /@@index\(\[email\], map: "users_email_idx"\)/);
  });

  it('--lock-timeout / --statement-timeout: SQL in the value is a usage error, nothing is printed', async () => {
    for (const option of ['--lock-timeout', '--statement-timeout']) {
      for (const bad of [INJECTION, '5 seconds', '5S', '-1s', '1e3', '', "5s' "]) {
        const r = await migration(`${option}=${bad}`);
        assert.equal(r.code, 2, `${option} "${bad}": ${r.stderr}`);
        assert.ok(r.stderr.startsWith(`pg-index-review migration: ${option} must be a PostgreSQL duration: a number with an optional unit us, ms, s, min, h or d`), r.stderr);
        assert.equal(r.stdout, '');
      }
    }
    const tiny = await migration('--lock-timeout', '500us');
    assert.equal(tiny.code, 2);
    assert.match(tiny.stderr, /--lock-timeout 500us is less than 1ms, which PostgreSQL rounds to 0/);
    const huge = await migration('--statement-timeout', '30d');
    assert.equal(huge.code, 2);
    assert.match(huge.stderr, /--statement-timeout 30d is more than PostgreSQL allows/);
  });

  it('--lock-timeout / --statement-timeout: PostgreSQL durations are written as given', async () => {
    const r = await migration('--lock-timeout', '1.5 min', '--statement-timeout', '0');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^SET lock_timeout = '1\.5 min';$/m);
    assert.match(r.stdout, /^SET statement_timeout = '0';$/m);
    for (const ok of ['250ms', '5s', '2h', '1d', '1500us', '1500']) {
      const o = await migration('--lock-timeout', ok);
      assert.equal(o.code, 0, `${ok}: ${o.stderr}`);
      assert.ok(o.stdout.includes(`SET lock_timeout = '${ok}';`), ok);
    }
  });

  it('--timestamp: only a real date-time YYYYMMDDHHMMSS', async () => {
    const bad: [string, string][] = [
      ['20250230000000', 'no day 30 in month 02 of 2025'],
      ['20250229120000', 'no day 29 in month 02 of 2025'],
      ['20250431000000', 'no day 31 in month 04 of 2025'],
      ['20251301000000', 'no month 13'],
      ['20250001000000', 'no month 00'],
      ['20250100000000', 'no day 00 in month 01 of 2025'],
      ['20250101240000', 'no hour 24'],
      ['20250101006000', 'no minute 60'],
      ['20250101000060', 'no second 60'],
      ['2025010100000', '14 digits'],
      ['2025-01-01', '14 digits'],
    ];
    for (const [ts, why] of bad) {
      const r = await runMain(['migration', ws, '--stdout', '--timestamp', ts]);
      assert.equal(r.code, 2, `${ts}: ${r.stderr}`);
      assert.ok(r.stderr.startsWith(`pg-index-review migration: --timestamp must be a date and time written YYYYMMDDHHMMSS (${why}), got "${ts}"`), r.stderr);
    }
    const leap = await runMain(['migration', ws, '--stdout', '--timestamp', '20240229235959']);
    assert.equal(leap.code, 0, leap.stderr);
    assert.match(leap.stdout, /^-- 20240229235959_index_optimization\.sql/);
  });

  it('--out: an existing file (or a file on the way to it) is a usage error naming it, not EEXIST', async () => {
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, 'keep me\n');
    const r = await runMain(['migration', ws, '--timestamp', '20250101000000', '--out', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.startsWith(`pg-index-review migration: --out ${file} exists and is not a folder`), r.stderr);
    assert.doesNotMatch(r.stderr, /EEXIST|ENOTDIR/);
    const below = await runMain(['migration', ws, '--timestamp', '20250101000000', '--out', path.join(file, 'sub')]);
    assert.equal(below.code, 2, below.stderr);
    assert.match(below.stderr, /can't be created: .*a-file exists and is not a folder/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'keep me\n');
    // A folder that does not exist yet is created.
    const fresh = path.join(tmp, 'new', 'migrations');
    const ok = await runMain(['migration', ws, '--timestamp', '20250101000000', '--out', fresh]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(fs.existsSync(path.join(fresh, '20250101000000_index_optimization.sql')));
  });

  it('apply --lock-timeout / --statement-timeout: the same durations, more than 0, checked before connecting', async () => {
    const file = path.join(tmp, '20250101000000_index_optimization.sql');
    fs.writeFileSync(file, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_email_idx" ON "users" ("email");\n');
    const apply = (...extra: string[]) => runMain(['apply', file, '--database', 'postgres://u:p@127.0.0.1:1/db', '--dry-run', ...extra]);
    for (const option of ['--lock-timeout', '--statement-timeout']) {
      const injected = await apply(option, INJECTION);
      assert.equal(injected.code, 2);
      assert.ok(injected.stderr.startsWith(`pg-index-review apply: ${option} must be a PostgreSQL duration`), injected.stderr);
      const zero = await apply(option, '0');
      assert.equal(zero.code, 2);
      assert.ok(zero.stderr.startsWith(`pg-index-review apply: ${option} must be more than 0`), zero.stderr);
      const tiny = await apply(option, '10us');
      assert.equal(tiny.code, 2);
      assert.match(tiny.stderr, /is less than 1ms/);
    }
  });
});
