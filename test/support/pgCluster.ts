/**
 * A throwaway PostgreSQL cluster from Debian's packages, on a free 127.0.0.1 port, for tests,
 * parity runs and benchmarks. `PgCluster.start()` runs initdb + pg_ctl (as the `postgres` user
 * when we are root, since PostgreSQL refuses to run as root); `stop()` removes it all.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface ClusterOptions {
  /** shared_preload_libraries, e.g. ['pg_stat_statements']. */
  preload?: string[];
  /** Extra postgresql.conf lines. */
  settings?: Record<string, string>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export class PgCluster {
  static readonly PASSWORD = 'pir-test-password';

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  /** Connection URL (password authentication over TCP). */
  url(database = 'postgres', user = 'postgres', password: string = PgCluster.PASSWORD): string {
    return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/${database}`;
  }

  static available(): boolean {
    return fs.existsSync(path.join(PG_BIN, 'initdb'));
  }

  static async start(opts: ClusterOptions = {}): Promise<PgCluster> {
    if (!PgCluster.available()) throw new Error(`PostgreSQL binaries not found in ${PG_BIN}: run scripts/setup-test-env.sh`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pir-pg-'));
    const port = await freePort();
    const c = new PgCluster(dir, port);
    const pwfile = path.join(dir, 'pw');
    fs.writeFileSync(pwfile, PgCluster.PASSWORD + '\n');
    if (isRoot()) {
      fs.chmodSync(dir, 0o755);
      execFileSync('chown', ['-R', 'postgres:postgres', dir]);
    }
    c.run('initdb', ['-D', c.dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    const conf = [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dir}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      ...(opts.preload?.length ? [`shared_preload_libraries = '${opts.preload.join(',')}'`] : []),
      ...Object.entries(opts.settings ?? {}).map(([k, v]) => `${k} = ${v}`),
    ];
    fs.appendFileSync(path.join(c.dataDir, 'postgresql.conf'), '\n' + conf.join('\n') + '\n');
    c.run('pg_ctl', ['-D', c.dataDir, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', 'start']);
    return c;
  }

  /**
   * Runs a PostgreSQL binary as the cluster's owner, with `input` on its stdin. As root it runs as
   * `postgres` from `/`: the checkout may be in a directory only root can enter (a `mktemp -d` clone).
   */
  run(bin: string, args: string[], input?: string): string {
    const exe = path.join(PG_BIN, bin);
    const out = isRoot() ? execFileSync('runuser', ['-u', 'postgres', '--', exe, ...args], { stdio: 'pipe', input, cwd: '/' }) : execFileSync(exe, args, { stdio: 'pipe', input });
    return out.toString();
  }

  /** Runs a SQL file with psql, the file read by this process (the `postgres` user need not be able to read it). */
  psqlFile(file: string, database = 'postgres'): string {
    return this.run('psql', ['-h', this.dir, '-p', String(this.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-q', '-f', '-'], fs.readFileSync(file, 'utf8'));
  }

  /** psql through the Unix socket as the superuser. */
  psql(sql: string, database = 'postgres'): string {
    return this.run('psql', ['-h', this.dir, '-p', String(this.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql]);
  }

  log(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'server.log'), 'utf8');
    } catch {
      return '';
    }
  }

  stop(): void {
    try {
      this.run('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
