/**
 * Connection strings and connection errors without a PostgreSQL server (src/core/db/connection.ts):
 * the password is removed from messages without garbling them, what isn't a postgres:// URL is refused
 * before any connection attempt, and `sslmode` is read as libpq reads it, without node-postgres's
 * console warning. The servers are local stand-ins: one that never answers, one that hangs up, and one
 * that accepts PostgreSQL's SSLRequest and then hangs up after the TLS handshake.
 */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { connectionUrlProblem, DatabaseError, openSession, redact, toDatabaseError } from '../../src/core/db/connection';
import { failure } from '../helpers/failure';

/** A self-signed certificate for "pg-index-review test" (not for 127.0.0.1), test use only. */
const CERT = `-----BEGIN CERTIFICATE-----
MIIBlDCCATugAwIBAgIUUzjuiJ4JS5kOp49O3ozdh8JkR/4wCgYIKoZIzj0EAwIw
HzEdMBsGA1UEAwwUcGctaW5kZXgtcmV2aWV3IHRlc3QwIBcNMjYxMTI3MDQ1NjE0
WhgPMjEyNjExMDMwNDU2MTRaMB8xHTAbBgNVBAMMFHBnLWluZGV4LXJldmlldyB0
ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHpxyFdv54jJf/u159HLYIrHe
gLAaapJmn7HsY/aVmpn5ttkFhxM8ClTG13u+M8rLGxw2ilL63qhv9SP2oQud2KNT
MFEwHQYDVR0OBBYEFLhm80e7klBwjMC476FR8BsF8KxvMB8GA1UdIwQYMBaAFLhm
80e7klBwjMC476FR8BsF8KxvMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID
RwAwRAIgcG+mqEWwZEVGRSXWblZyhXQ2sjnQgcQXhS5x8gTaRmACIAnFWFS3m8vH
VnHKww5XVgupEXjh0GE9V32b0cK0cHcQ
-----END CERTIFICATE-----
`;
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgaokhD9Vw1j5eUxdp
F8Lms27Ff3KTEFrYEa24NCOIFFShRANCAAQenHIV2/niMl/+7Xn0ctgisd6AsBpq
kmafsexj9pWamfm22QWHEzwKVMbXe74zyssbHDaKUvreqG/1I/ahC53Y
-----END PRIVATE KEY-----
`;

/** PostgreSQL's SSLRequest: length 8, code 80877103. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);

/** A local server on a free port; `onConnection` decides what it does with each client. */
async function serve(onConnection: (socket: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers the SSLRequest with 'S', completes the TLS handshake, then hangs up on the startup message. */
function tlsThenHangUp(socket: net.Socket): void {
  socket.once('data', (first) => {
    if (!first.subarray(0, 8).equals(SSL_REQUEST)) {
      socket.destroy(); // a plain-text startup message
      return;
    }
    socket.write('S');
    const secure = new tls.TLSSocket(socket, { isServer: true, cert: CERT, key: KEY });
    secure.on('error', () => socket.destroy());
    secure.once('data', () => secure.destroy());
  });
}


describe('database connections: messages, URLs and sslmode (no server)', function () {
  this.timeout(30_000);

  describe('redact', () => {
    it('leaves words alone: a short password is never replaced inside a word', () => {
      assert.equal(redact('timeout expired', 'postgres://u:p@127.0.0.1:5999/db'), 'timeout expired');
      assert.equal(redact('Connection terminated unexpectedly', 'postgres://u:e@127.0.0.1:5999/db'), 'Connection terminated unexpectedly');
      assert.equal(redact('password authentication failed for user "u"', 'postgres://u:a@h/db'), 'password authentication failed for user "u"');
      // A longer password is removed only as a whole word, never from inside another.
      assert.equal(redact('the session was terminated', 'postgres://u:term@h/db'), 'the session was terminated');
    });

    it('removes the password where the connection string is quoted, in its user:password@ part, and as a whole word', () => {
      const url = 'postgresql://app:s3cr%40t@db.example.com:5432/app';
      assert.equal(redact(`cannot use ${url} here`, url), 'cannot use postgresql://app:***@db.example.com:5432/app here');
      assert.equal(redact('bad authority app:s3cr@t@db', url), 'bad authority app:***@db');
      assert.equal(redact('bad authority app:s3cr%40t@db', url), 'bad authority app:***@db');
      assert.equal(redact('got "s3cr@t" where a port was expected', url), 'got "***" where a port was expected');
      assert.equal(redact('dsn password=s3cr@t host=db', url), 'dsn password=*** host=db');
      // Any postgres:// URL in a message loses its password, whichever URL was used.
      assert.equal(redact('see postgres://x:y@z/db', undefined), 'see postgres://x:***@z/db');
    });

    it('toDatabaseError: the message and its hint intact', () => {
      const e = toDatabaseError(Object.assign(new Error('timeout expired'), {}), 'postgres://u:p@127.0.0.1:5999/db');
      assert.equal(e.message, 'timeout expired (the server did not answer in time)');
    });
  });

  describe('a server that never answers or hangs up', () => {
    it('a silent server: "timeout expired", whatever single letter the password is', async () => {
      const server = await serve(() => undefined);
      try {
        for (const pw of ['p', 'e', 'x', 'i']) {
          const err = await failure(openSession(`postgres://u:${pw}@127.0.0.1:${server.port}/db`, { connectTimeoutMs: 300 }));
          assert.ok(err instanceof DatabaseError, String(err));
          assert.equal(err.message, 'timeout expired (the server did not answer in time)');
        }
      } finally {
        await server.close();
      }
    });

    it('a server that hangs up: "Connection terminated unexpectedly" with the password e', async () => {
      const server = await serve((s) => s.destroy());
      try {
        for (const pw of ['e', 'n', 't']) {
          const err = await failure(openSession(`postgres://u:${pw}@127.0.0.1:${server.port}/db`, { connectTimeoutMs: 2_000 }));
          assert.ok(err instanceof DatabaseError, String(err));
          assert.equal(err.message, 'Connection terminated unexpectedly');
        }
      } finally {
        await server.close();
      }
    });
  });

  describe('what is not a postgres:// URL', () => {
    it('is refused with a clear reason, before any connection attempt, never quoting the password', async () => {
      const cases: [string, RegExp][] = [
        ['', /empty/],
        ['   ', /empty/],
        ['not a url', /not a PostgreSQL connection URL: expected postgres:\/\/user:password@host:5432\/database/],
        ['host=localhost dbname=app password=hunter2', /key=value connection strings are not supported/],
        ['db.example.com:5432', /not a PostgreSQL connection URL/],
        ['mysql://u:hunter2@127.0.0.1:3306/db', /^mysql:\/\/ is not a PostgreSQL connection URL: expected postgres:\/\/ or postgresql:\/\/$/],
        ['postgres://u:hun/ter2@127.0.0.1/db', /not a valid connection URL/],
      ];
      for (const [url, message] of cases) {
        assert.match(connectionUrlProblem(url) ?? '', message, JSON.stringify(url));
        const err = await failure(openSession(url, { connectTimeoutMs: 500 }));
        assert.ok(err instanceof DatabaseError, `${JSON.stringify(url)}: ${err}`);
        assert.match(err.message, message);
        assert.doesNotMatch(err.message, /hunter2|hun\/ter2|getaddrinfo|ENOTFOUND/, err.message);
      }
    });

    it('postgres:// and postgresql:// URLs pass (any case of the scheme)', () => {
      for (const url of ['postgres://u:p@h/db', 'postgresql://u:p@h:5432/db?sslmode=require', 'POSTGRESQL://h/db', 'postgresql:///db?host=/var/run/postgresql']) {
        assert.equal(connectionUrlProblem(url), undefined, url);
      }
    });
  });

  describe('sslmode, as libpq reads it', () => {
    let server: { port: number; close(): Promise<void> };
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    before(async () => {
      server = await serve(tlsThenHangUp);
      process.on('warning', onWarning);
    });
    after(async () => {
      process.removeListener('warning', onWarning);
      await server.close();
    });

    it('require: encrypts without verifying the certificate (the handshake with a self-signed one succeeds), and prints no warning', async () => {
      const err = await failure(openSession(`postgres://u:p@127.0.0.1:${server.port}/db?sslmode=require`, { connectTimeoutMs: 3_000 }));
      assert.ok(err instanceof DatabaseError, String(err));
      // Past TLS: the server hung up on the startup message.
      assert.equal(err.message, 'Connection terminated unexpectedly');
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings.filter((w) => /SECURITY WARNING|sslmode/i.test(w)), []);
    });

    it('verify-full: refuses the self-signed certificate', async () => {
      const err = await failure(openSession(`postgres://u:p@127.0.0.1:${server.port}/db?sslmode=verify-full`, { connectTimeoutMs: 3_000 }));
      assert.ok(err instanceof DatabaseError, String(err));
      assert.match(err.message, /certificate/i);
    });

    it('disable: no TLS at all (the server sees a plain startup message)', async () => {
      const err = await failure(openSession(`postgres://u:p@127.0.0.1:${server.port}/db?sslmode=disable`, { connectTimeoutMs: 3_000 }));
      assert.equal(err.message, 'Connection terminated unexpectedly');
    });

    it('verify-ca without sslrootcert: a clear refusal, no connection', async () => {
      const err = await failure(openSession(`postgres://u:p@127.0.0.1:${server.port}/db?sslmode=verify-ca`, { connectTimeoutMs: 3_000 }));
      assert.ok(err instanceof DatabaseError, String(err));
      assert.match(err.message, /verify-ca requires specifying a CA with sslrootcert/);
    });
  });
});
