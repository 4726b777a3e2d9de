/**
 * `--database <url>` of every command that takes it: a value that isn't a postgres:// or postgresql://
 * URL (an empty one included) is a usage error (exit code 2) that says why, before any connection
 * attempt; a real URL is still tried. No server needed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMain } from '../helpers/cli';

describe('cli: --database values', function () {
  this.timeout(120_000);
  let tmp: string;
  let migration: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-database-url-'));
    migration = path.join(tmp, '20250101000000_index_optimization.sql');
    fs.writeFileSync(migration, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_email_idx" ON "users" ("email");\n');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const BAD: [string, RegExp][] = [
    ['', /--database: the connection string is empty: expected postgres:\/\/user:password@host:5432\/database/],
    ['not a url', /--database: not a PostgreSQL connection URL: expected postgres:\/\/user:password@host:5432\/database/],
    ['mysql://u:hunter2@127.0.0.1:3306/db', /--database: mysql:\/\/ is not a PostgreSQL connection URL: expected postgres:\/\/ or postgresql:\/\//],
    ['host=127.0.0.1 dbname=db password=hunter2', /--database: not a PostgreSQL connection URL \(libpq key=value connection strings are not supported\)/],
  ];

  const commands = (url: string): string[][] => [
    ['check', 'examples/lms', '--database', url],
    ['explain', 'SELECT 1', '--database', url],
    ['whatif', 'examples/lms', '--database', url],
    ['report', 'examples/lms', '--database', url],
    ['apply', migration, '--database', url, '--dry-run'],
  ];

  it('check, explain, whatif, report, apply: exit code 2 and the reason, without the password or a made-up host', async () => {
    for (const [url, reason] of BAD) {
      for (const argv of commands(url)) {
        const r = await runMain(argv);
        assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`^pg-index-review ${argv[0]}: ${reason.source}`), r.stderr);
        assert.doesNotMatch(r.stderr, /hunter2|ENOTFOUND|getaddrinfo/);
        assert.equal(r.stdout, '');
      }
    }
  });

  it('a postgres:// URL is still tried (sslmode=require without node-postgres\'s warning): check says why it could not read the database and analyses without it', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const r = await runMain(['check', 'examples/lms', '--format', 'json', '--database', 'postgres://u:p@127.0.0.1:1/db?sslmode=require']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /could not read the database \(connect ECONNREFUSED 127\.0\.0\.1:1/);
      assert.ok(JSON.parse(r.stdout).findings.length > 0);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.removeListener('warning', onWarning);
    }
    // node-postgres's SECURITY WARNING about sslmode (it goes to the process's stderr, not the CLI's writer).
    assert.deepEqual(warnings.filter((w) => /SECURITY WARNING/.test(w)), []);
  });
});
