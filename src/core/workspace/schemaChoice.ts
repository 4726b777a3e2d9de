/**
 * Which of a workspace's schema sources describe the PostgreSQL database it reviews: a repository may hold a
 * MySQL schema beside the PostgreSQL one, or several apps each with a schema.prisma and its own migrations.
 *
 * - A schema.prisma whose datasource names another provider is not read, nor are migrations under a
 *   `migration_lock.toml` that names one.
 * - Of the PostgreSQL schema.prisma files, one is read (`prisma/schema.prisma` first, then `schema.prisma`,
 *   then the first listed); the others are named, and the migrations beside them (`<its folder>/migrations/`,
 *   where Prisma keeps them) are theirs, not the one read.
 * - A schema split over several files (Prisma 6.6+): when the one read is in a schema folder — Prisma's
 *   `prisma/schema/`, or the folder `prisma.config.ts` or package.json's `"prisma": { "schema" }` names — the
 *   `.prisma` files without a datasource in that folder and below are read with it as one schema. Elsewhere
 *   (the default `prisma/schema.prisma` is one file) other `.prisma` files are not part of it.
 */
import * as fs from 'node:fs';
import { readSettingsFile } from './files';
import * as path from 'node:path';
import { isPostgresProvider, readDatasource } from '../schema/prisma/datasource';

export interface SchemaSourceSkipped {
  /** A schema.prisma, or a migrations folder. */
  file: string;
  reason: string;
}

export interface SchemaChoice {
  /** The schema.prisma read, if any: the one with the datasource. */
  prisma?: string;
  /** The files of that schema: `prisma` first, then the files of its folder it is split over (none when absent). */
  prismaFiles: string[];
  /** Schema sources not read, and why. */
  skipped: SchemaSourceSkipped[];
  /** Whether a migration file is one of the schema read. */
  usesMigration(file: string): boolean;
}

/** The provider a Prisma `migration_lock.toml` names in `folder`, if it has one. */
export type LockReader = (folder: string) => string | undefined;

/** The folders a workspace configures as its Prisma schema (absolute), from `prisma.config.*` and package.json. */
export function readPrismaSchemaFolders(root: string): string[] {
  const out: string[] = [];
  const add = (rel: unknown) => {
    if (typeof rel !== 'string' || !rel) return;
    const abs = path.resolve(root, rel);
    try {
      if (fs.statSync(abs).isDirectory()) out.push(abs);
    } catch {
      // not there: nothing configured
    }
  };
  try {
    add((JSON.parse(readSettingsFile(path.join(root, 'package.json'))) as { prisma?: { schema?: unknown } }).prisma?.schema);
  } catch {
    // no package.json, or not JSON
  }
  for (const name of ['prisma.config.ts', 'prisma.config.mts', 'prisma.config.js', 'prisma.config.mjs', 'prisma.config.cjs']) {
    try {
      add(/\bschema\s*:\s*(?:path\.join\(\s*)?['"`]([^'"`]+)['"`]/.exec(readSettingsFile(path.join(root, name)))?.[1]);
    } catch {
      // no such file
    }
  }
  return out;
}

export const readMigrationLock: LockReader = (folder) => {
  try {
    return /^\s*provider\s*=\s*"([^"]*)"/m.exec(readSettingsFile(path.join(folder, 'migration_lock.toml')))?.[1];
  } catch {
    return undefined;
  }
};

/** Prisma's default places first (`prisma/schema.prisma`, a file of a split `prisma/schema/`), then any `schema.prisma`, then other `.prisma` files. */
export function prismaRank(file: string): number {
  const parts = file.split(path.sep === '\\' ? /[\\/]/ : '/');
  const [folder, name] = [parts[parts.length - 2], parts[parts.length - 1]];
  if ((folder === 'prisma' && name === 'schema.prisma') || (folder === 'schema' && parts[parts.length - 3] === 'prisma')) return 0;
  return file.endsWith('schema.prisma') ? 1 : 2;
}

/** The schema folder `file` is in: a configured one holding it, else its own folder when that is named `schema`. */
function schemaFolderOf(file: string, configured: string[]): string | undefined {
  const own = configured.filter((f) => file.startsWith(f + path.sep)).sort((a, b) => b.length - a.length)[0];
  if (own) return own;
  const dir = path.dirname(file);
  return path.basename(dir) === 'schema' ? dir : undefined;
}

export function chooseSchema(
  prismaFiles: { file: string; text: string }[],
  migrationFiles: string[],
  root: string,
  readLock: LockReader = readMigrationLock,
  schemaFolders: string[] = readPrismaSchemaFolders(root),
): SchemaChoice {
  const rel = (f: string) => path.relative(root, f) || f;
  const skipped: SchemaSourceSkipped[] = [];
  const postgres: { file: string; datasource: boolean }[] = [];
  for (const p of prismaFiles) {
    const ds = readDatasource(p.text);
    if (isPostgresProvider(ds?.provider)) postgres.push({ file: p.file, datasource: ds !== undefined });
    else skipped.push({ file: p.file, reason: `its datasource is for ${JSON.stringify(ds?.provider)}: only PostgreSQL schemas are reviewed` });
  }
  // One with a datasource (an empty new file is no schema yet), then by name, then the nearest the root (the app's,
  // not an example's or a fixture's further down), then the first listed.
  const depth = (f: string) => path.relative(root, f).split(path.sep).length;
  const chosen = [...postgres].sort((a, b) => Number(b.datasource) - Number(a.datasource) || prismaRank(a.file) - prismaRank(b.file) || depth(a.file) - depth(b.file))[0]?.file;
  // The rest of a split schema: files with no datasource of their own in the schema folder of the one that has it.
  const chosenHasDatasource = postgres.find((p) => p.file === chosen)?.datasource === true;
  const folder = chosen && chosenHasDatasource ? schemaFolderOf(chosen, schemaFolders) : undefined;
  const parts = folder ? postgres.filter((p) => p.file !== chosen && !p.datasource && p.file.startsWith(folder + path.sep)).map((p) => p.file).sort() : [];
  const read = new Set([chosen, ...parts]);
  for (const { file: f } of postgres) if (!read.has(f)) skipped.push({ file: f, reason: `another schema.prisma: this analysis reads ${rel(chosen)} (open the other one's folder on its own, or pass --schema, to review it)` });

  // Folders whose migrations are not the chosen schema's: beside a schema.prisma not read, or locked to another provider.
  const notOurs = new Map<string, string>();
  const chosenFolder = chosen && path.join(path.dirname(chosen), 'migrations');
  for (const s of skipped) {
    const folder = path.join(path.dirname(s.file), 'migrations');
    if (folder !== chosenFolder) notOurs.set(folder, `the migrations of ${rel(s.file)}, which is not read`);
  }
  const lockOf = new Map<string, string | undefined>();
  const excludedBy = (file: string): string | undefined => {
    for (const folder of notOurs.keys()) if (file.startsWith(folder + path.sep)) return folder;
    // Prisma's layout: migrations/<name>/migration.sql, the lock in migrations/; a flat folder has it beside its files.
    for (const folder of [path.dirname(path.dirname(file)), path.dirname(file)]) {
      if (!lockOf.has(folder)) lockOf.set(folder, readLock(folder));
      const provider = lockOf.get(folder);
      if (provider !== undefined && !isPostgresProvider(provider)) {
        notOurs.set(folder, `its migration_lock.toml is for ${JSON.stringify(provider)}: only PostgreSQL migrations are read`);
        return folder;
      }
      if (provider !== undefined) break;
    }
    return undefined;
  };
  const excluded = new Set<string>();
  for (const m of migrationFiles) {
    const folder = excludedBy(m);
    if (folder !== undefined && !excluded.has(folder)) {
      excluded.add(folder);
      skipped.push({ file: folder, reason: notOurs.get(folder)! });
    }
  }
  // Asked of files added later too (a migration created in the editor).
  return { prisma: chosen, prismaFiles: chosen ? [chosen, ...parts] : [], skipped, usesMigration: (file) => excludedBy(file) === undefined };
}
