import assert from 'node:assert/strict';
import { APPLICATION_NAME, DatabaseError, openSession, redactUrl, type Session } from '../../src/core/db/connection';
import { explainStatement } from '../../src/core/db/explain';
import { freePort, PgCluster } from '../support/pgCluster';
import { failure } from '../helpers/failure';

const PASSWORD = PgCluster.PASSWORD;


describe('database sessions (throwaway PostgreSQL 15)', function () {
  this.timeout(60_000);
  let cluster: PgCluster;

  before(async () => {
    cluster = await PgCluster.start();
    cluster.psql('CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, g::text FROM generate_series(1, 100) g');
  });
  after(() => cluster?.stop());

  it('a server that is down gives a clear DatabaseError', async () => {
    const port = await freePort();
    const url = `postgresql://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
    const err = await failure(openSession(url, { connectTimeoutMs: 2_000 }));
    assert.ok(err instanceof DatabaseError, String(err));
    assert.match(err.message, /ECONNREFUSED|connect/);
    assert.match(err.message, /is the server running/);
    assert.ok(!err.message.includes(PASSWORD), err.message);
  });

  it('a wrong password gives a clear DatabaseError without the password', async () => {
    const wrong = 'not-the-password-Zq9';
    const err = await failure(openSession(cluster.url('postgres', 'postgres', wrong)));
    assert.ok(err instanceof DatabaseError);
    assert.equal((err as DatabaseError).code, '28P01');
    assert.match(err.message, /password authentication failed/);
    assert.match(err.message, /check the user and password/);
    assert.ok(!err.message.includes(wrong) && !err.message.includes(PASSWORD), err.message);
    assert.ok(!(err.stack ?? '').includes(wrong));
  });

  it('a statement over statement_timeout is cancelled with a clear DatabaseError, and the session keeps working', async () => {
    const s = await openSession(cluster.url(), { statementTimeoutMs: 200 });
    try {
      const started = Date.now();
      const err = await failure(s.query('SELECT pg_sleep(10)'));
      assert.ok(Date.now() - started < 5_000, 'cancelled quickly');
      assert.ok(err instanceof DatabaseError);
      assert.equal((err as DatabaseError).code, '57014');
      assert.match(err.message, /statement timeout/);
      assert.match(err.message, /exceeded statement_timeout/);
      assert.ok(!err.message.includes(PASSWORD));
      // The same through EXPLAIN ANALYZE.
      const viaExplain = await failure(explainStatement(s, 'SELECT pg_sleep(10)', { analyze: true }));
      assert.ok(viaExplain instanceof DatabaseError && viaExplain.code === '57014');
      assert.deepEqual(await s.query('SELECT count(*)::int AS n FROM t'), [{ n: 100 }]);
    } finally {
      await s.close();
    }
  });

  describe('an open read session', () => {
    let s: Session;
    before(async () => {
      s = await openSession(cluster.url(), { statementTimeoutMs: 3_000, lockTimeoutMs: 500 });
    });
    after(() => s.close());

    it('sets statement_timeout, lock_timeout and application_name', async () => {
      const [row] = await s.query<{ st: string; lt: string; app: string }>(
        `SELECT current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt, current_setting('application_name') AS app`,
      );
      assert.deepEqual(row, { st: '3s', lt: '500ms', app: APPLICATION_NAME });
      assert.equal(s.target, `127.0.0.1:${cluster.port}/postgres`);
      assert.ok(!s.target.includes(PASSWORD));
    });

    it('runs in a READ ONLY transaction: writes are refused, and it recovers', async () => {
      const err = await failure(s.query('INSERT INTO t VALUES (1000, $1)', ['x']));
      assert.ok(err instanceof DatabaseError);
      assert.match(err.message, /read-only transaction/);
      assert.equal(cluster.psql('SELECT count(*) FROM t').trim(), '100');
      const [row] = await s.query<{ ro: string }>(`SELECT current_setting('transaction_read_only') AS ro`);
      assert.equal(row.ro, 'on');
    });

    it('rolledBack() undoes every change and returns to READ ONLY', async () => {
      const n = await s.rolledBack(async (q) => {
        await q.query('DELETE FROM t WHERE id <= 50');
        return (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM t'))[0].n;
      });
      assert.equal(n, 50, 'the change is visible inside');
      assert.equal(cluster.psql('SELECT count(*) FROM t').trim(), '100');
      await assert.rejects(
        s.rolledBack(async (q) => {
          await q.query('DELETE FROM t');
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(cluster.psql('SELECT count(*) FROM t').trim(), '100');
      const [row] = await s.query<{ ro: string }>(`SELECT current_setting('transaction_read_only') AS ro`);
      assert.equal(row.ro, 'on');
    });

    it('serialises calls: concurrent queries each get their own answer', async () => {
      const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => s.query<{ i: number }>('SELECT $1::int AS i', [i])));
      assert.deepEqual(
        answers.map((r) => r[0].i),
        [1, 2, 3, 4, 5],
      );
    });
  });

  it('redacts passwords in URLs', () => {
    assert.equal(redactUrl('postgresql://u:secret@h:5432/db'), 'postgresql://u:***@h:5432/db');
    assert.equal(redactUrl('postgres://h/db?password=secret&sslmode=require'), 'postgres://h/db?password=***&sslmode=require');
  });
});
