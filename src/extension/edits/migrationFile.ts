/**
 * Where a new migration goes and what it says. Prisma Migrate's layout
 * (`prisma/migrations/<timestamp>_<name>/migration.sql`) when the workspace uses it, else a plain
 * `.sql` file beside the existing migrations, numbered like them.
 */
import * as path from 'node:path';

export interface MigrationPlan {
  /** Absolute path of the file to create. */
  file: string;
  content: string;
  prismaLayout: boolean;
}

export interface MigrationRequest {
  root: string;
  /** Absolute paths of the workspace's migration .sql files. */
  migrationFiles: string[];
  /** `add_users_role_createdAt_idx`: becomes part of the file name. */
  name: string;
  /** The statement(s), with CONCURRENTLY as the core writes them. */
  sql: string;
  table?: string;
  now: Date;
  exists: (file: string) => boolean;
}

/**
 * The platform's path separators, as regex source: `/` on POSIX, where a backslash is an ordinary
 * character of a file name (`a\b.sql`); either on Windows.
 */
const SEP = path.sep === '\\' ? '[\\\\/]' : '/';
const NOT_SEP = path.sep === '\\' ? '[^\\\\/]' : '[^/]';
const PRISMA_DIR = new RegExp(`^(.*)${SEP}(\\d{14})_${NOT_SEP}+${SEP}migration\\.sql$`);

/** `…/migrations/<14-digit timestamp>_<name>/migration.sql`: a Prisma Migrate migration. */
export function isPrismaMigration(file: string): boolean {
  return PRISMA_DIR.test(file);
}

function timestamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

export function migrationName(kind: 'add' | 'drop', index: string): string {
  return `${kind}_${index}`.replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+/g, '_').slice(0, 80);
}

/** Removes CONCURRENTLY: Prisma Migrate runs each migration file in a transaction, where it is not allowed. */
export function withoutConcurrently(sql: string): string {
  return sql.replace(/\b(CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+INDEX)\s+CONCURRENTLY\s+/gi, '$1 ');
}

export function planMigration(req: MigrationRequest): MigrationPlan {
  const prismaDirs = req.migrationFiles.map((f) => PRISMA_DIR.exec(f)).filter((m): m is RegExpExecArray => !!m);
  const sql = req.sql.trim();
  if (prismaDirs.length) {
    const dir = prismaDirs.map((m) => m[1]).sort((a, b) => a.length - b.length)[0];
    let ts = timestamp(req.now);
    // Prisma orders migrations by folder name: stay after the newest one.
    const newest = prismaDirs.map((m) => m[2]).sort().pop()!;
    if (ts <= newest) ts = String(BigInt(newest) + 1n);
    let folder = path.join(dir, `${ts}_${req.name}`);
    for (let i = 2; req.exists(folder); i++) folder = path.join(dir, `${ts}_${req.name}_${i}`);
    const what = req.table ? ` on "${req.table}"` : '';
    const content = [
      `-- ${req.name} (written by Postgres Index Review)`,
      `-- Prisma Migrate runs every migration in a transaction, and CREATE/DROP INDEX CONCURRENTLY cannot run`,
      `-- inside one, so this file uses the plain form, which blocks writes${what} while it runs.`,
      `-- On a large, busy table, run the CONCURRENTLY form below by hand first (then \`prisma migrate resolve --applied\`):`,
      ...sql.split('\n').map((l) => `--   ${l}`),
      '',
      withoutConcurrently(sql),
      '',
    ].join('\n');
    return { file: path.join(folder, 'migration.sql'), content, prismaLayout: true };
  }
  const sqlFiles = req.migrationFiles.filter((f) => /\.sql$/i.test(f));
  const dir = sqlFiles.length ? mostCommonDir(sqlFiles) : path.join(req.root, 'migrations');
  const siblings = sqlFiles.filter((f) => path.dirname(f) === dir).map((f) => path.basename(f));
  const numbered = siblings.map((b) => /^(\d+)_/.exec(b)?.[1]).filter((x): x is string => !!x);
  let prefix = timestamp(req.now);
  if (numbered.length && numbered.length === siblings.length && numbered.every((n) => n.length < 14)) {
    const width = Math.max(...numbered.map((n) => n.length));
    prefix = String(Math.max(...numbered.map(Number)) + 1).padStart(width, '0');
  }
  let file = path.join(dir, `${prefix}_${req.name}.sql`);
  for (let i = 2; req.exists(file); i++) file = path.join(dir, `${prefix}_${req.name}_${i}.sql`);
  const content = [
    `-- ${req.name} (written by Postgres Index Review)`,
    `-- CONCURRENTLY builds the index without blocking writes, but cannot run inside a transaction:`,
    `-- run this file on its own, not wrapped in BEGIN/COMMIT (no psql --single-transaction).`,
    '',
    sql,
    '',
  ].join('\n');
  return { file, content, prismaLayout: false };
}

function mostCommonDir(files: string[]): string {
  const counts = new Map<string, number>();
  for (const f of files) counts.set(path.dirname(f), (counts.get(path.dirname(f)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
}
