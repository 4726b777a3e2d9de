/**
 * `pg-index-review migration`: a Project's findings → the optimization migration, its rollback,
 * its README and (with `prisma`) the schema.prisma edits and a Prisma-layout migration.
 * Output is deterministic: the timestamp comes from an option or from the latest migration of
 * the workspace (plus one second), never from the clock.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../model/location';
import type { IndexDef } from '../model/schema';
import type { AnalysisResult, Project } from '../project';
import { parseSqlDocument } from '../sql/parser';
import { planOptimization, residualFindings, type OptimizationPlan, type Residual } from './plan';
import { editPrismaSchema, type PrismaSchemaChange } from './prisma';
import { renderMigration, renderPrismaMigration } from './render';
import { describeStatement, robustConcurrent } from './statements';

export interface GenerateOptions {
  /** Folder the migration, rollback and README go to (absolute or relative to the cwd). */
  outDir: string;
  /** `YYYYMMDDHHMMSS`; default: the workspace's latest migration timestamp + 1 s. */
  timestamp?: string;
  minSeverity?: 'warning' | 'info';
  /** Also edit schema.prisma and write prisma/migrations/<timestamp>_index_optimization/migration.sql. */
  prisma?: boolean;
  lockTimeout?: string;
  statementTimeout?: string;
  /** The command line shown in the generated headers. */
  command: string;
  toolVersion: string;
}

export interface GeneratedFile {
  path: string;
  text: string;
  kind: 'migration' | 'rollback' | 'readme' | 'prisma-migration' | 'prisma-schema';
}

export interface GeneratedMigration {
  name: string;
  timestamp: string;
  plan: OptimizationPlan;
  residual: Residual;
  files: GeneratedFile[];
  prisma?: PrismaSchemaChange;
  warnings: string[];
}

export class GenerateError extends Error {}

/** PostgreSQL's units for a time setting (lock_timeout, statement_timeout), in milliseconds. */
const TIME_UNITS_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
/** A time setting as PostgreSQL reads it: a non-negative number, then optionally one of its units (case matters). */
const DURATION = /^(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?$/;
/** The largest lock_timeout / statement_timeout PostgreSQL accepts: INT_MAX milliseconds (about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Milliseconds of a PostgreSQL time setting (`5s`, `1.5min`, `500` = 500 ms), or undefined when it isn't one. */
export function durationMs(value: string): number | undefined {
  const m = DURATION.exec(value.trim());
  return m ? Number(m[1]) * TIME_UNITS_MS[m[2] ?? 'ms'] : undefined;
}

/**
 * Why `value` can't be the `option` setting (`--lock-timeout`, `--statement-timeout`), or undefined when
 * it can: a non-negative number with an optional unit among us, ms, s, min, h, d (PostgreSQL's), from
 * 1ms (less is rounded to 0, which disables the timeout: write 0 for that) to about 24 days.
 */
export function durationProblem(option: string, value: string): string | undefined {
  const ms = durationMs(value);
  if (ms === undefined) return `${option} must be a PostgreSQL duration: a number with an optional unit us, ms, s, min, h or d (such as 5s, 500ms, 1h), got "${value}"`;
  if (ms > 0 && ms < 1) return `${option} ${value.trim()} is less than 1ms, which PostgreSQL rounds to 0 (no timeout at all)`;
  if (ms > MAX_TIMEOUT_MS) return `${option} ${value.trim()} is more than PostgreSQL allows (2147483647ms, about 24 days)`;
  return undefined;
}

/** Why `ts` is not a real date-time written YYYYMMDDHHMMSS (UTC), or undefined when it is one. */
export function timestampProblem(ts: string): string | undefined {
  const bad = (why: string) => `--timestamp must be a date and time written YYYYMMDDHHMMSS (${why}), got "${ts}"`;
  if (!/^\d{14}$/.test(ts)) return bad('14 digits');
  const [y, mo, d, h, mi, s] = [ts.slice(0, 4), ts.slice(4, 6), ts.slice(6, 8), ts.slice(8, 10), ts.slice(10, 12), ts.slice(12, 14)].map(Number);
  if (y < 1) return bad('no year 0000');
  if (mo < 1 || mo > 12) return bad(`no month ${ts.slice(4, 6)}`);
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  if (d < 1 || d > days) return bad(`no day ${ts.slice(6, 8)} in month ${ts.slice(4, 6)} of ${ts.slice(0, 4)}`);
  if (h > 23) return bad(`no hour ${ts.slice(8, 10)}`);
  if (mi > 59) return bad(`no minute ${ts.slice(10, 12)}`);
  if (s > 59) return bad(`no second ${ts.slice(12, 14)}`);
  return undefined;
}

/**
 * The options that end up in the generated SQL, checked: `timestamp` a real YYYYMMDDHHMMSS,
 * `lockTimeout` / `statementTimeout` PostgreSQL durations (see durationProblem). Throws a GenerateError
 * saying what is wrong. The CLI calls it before analysing (a usage error); generateOptimizationMigration
 * calls it too, whoever calls that.
 */
export function checkGenerateOptions(opts: Pick<GenerateOptions, 'timestamp' | 'lockTimeout' | 'statementTimeout'>): void {
  const problem =
    (opts.timestamp !== undefined ? timestampProblem(opts.timestamp) : undefined) ??
    (opts.lockTimeout !== undefined ? durationProblem('--lock-timeout', opts.lockTimeout) : undefined) ??
    (opts.statementTimeout !== undefined ? durationProblem('--statement-timeout', opts.statementTimeout) : undefined);
  if (problem) throw new GenerateError(problem);
}

const STAMP = /^(\d{14})(?:_|$)/;
export const MIGRATION_SUFFIX = '_index_optimization';

/** The latest `YYYYMMDDHHMMSS` prefix among migration names (our own optimization migrations excluded). */
export function latestTimestamp(files: string[]): string | undefined {
  let best: string | undefined;
  for (const f of files) {
    const parts = f.split(path.sep === '\\' ? /[\\/]/ : '/');
    const base = parts[parts.length - 1];
    const name = /^(migration|up)\.sql$/i.test(base) ? parts[parts.length - 2] : base.replace(/\.sql$/i, '');
    if (!name || name.endsWith(MIGRATION_SUFFIX) || name.endsWith(`${MIGRATION_SUFFIX}_rollback`)) continue;
    const m = STAMP.exec(name);
    if (m && (!best || m[1] > best)) best = m[1];
  }
  return best;
}

export function nextTimestamp(ts: string): string {
  const d = new Date(Date.UTC(+ts.slice(0, 4), +ts.slice(4, 6) - 1, +ts.slice(6, 8), +ts.slice(8, 10), +ts.slice(10, 12), +ts.slice(12, 14) + 1));
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

function slash(p: string): string {
  return p.split(path.sep).join('/');
}

export function generateOptimizationMigration(project: Project, result: AnalysisResult, opts: GenerateOptions): GeneratedMigration {
  const outDir = path.resolve(opts.outDir);
  const migrationFiles = [...project.files.values()].filter((e) => e.kind === 'migration').map((e) => e.file);
  checkGenerateOptions(opts);
  let timestamp = opts.timestamp;
  if (!timestamp) {
    const latest = latestTimestamp(migrationFiles);
    if (!latest) throw new GenerateError('no migration with a YYYYMMDDHHMMSS timestamp in the workspace to date the new one from: pass --timestamp YYYYMMDDHHMMSS');
    timestamp = nextTimestamp(latest);
  }
  const name = `${timestamp}${MIGRATION_SUFFIX}`;
  const ruleContext = {
    schema: result.schema,
    verdicts: result.verdicts,
    options: project.config.matcher,
    prismaSchema: project.prismaSchema,
    migrationsSchema: project.migrationsSchema,
    prismaFile: project.prismaFile,
  };
  const plan = planOptimization({ schema: result.schema, verdicts: result.verdicts, findings: result.findings, options: project.config.matcher, ruleContext }, { minSeverity: opts.minSeverity });
  const residual = residualFindings(plan, project.shapes(), project.config.matcher, project.config.rules);

  const originalCreate = (index: IndexDef): string | undefined => {
    const def = project.migrationsSchema?.tables.get(index.table)?.indexes.find((i) => i.name === index.name);
    const loc = def?.location;
    const entry = loc && project.files.get(loc.file);
    if (!loc || !entry) return undefined;
    const li = new LineIndex(entry.text);
    const text = entry.text.slice(li.offset(loc.range.start), li.offset(loc.range.end));
    const [stmt] = parseSqlDocument(text);
    if (!stmt?.ast?.IndexStmt) return undefined;
    return `${robustConcurrent(describeStatement(stmt, 0))};`;
  };
  const workspace = slash(path.relative(path.dirname(outDir), project.root)) || '.';
  const ctx = {
    name,
    toolVersion: opts.toolVersion,
    command: opts.command,
    rel: (f: string) => slash(path.relative(outDir, f)),
    originalCreate,
    lockTimeout: opts.lockTimeout?.trim() ?? '5s',
    statementTimeout: opts.statementTimeout?.trim() ?? '1h',
    stats: { queries: result.stats.queries, indexes: result.stats.indexes, tables: result.stats.tables },
    residual,
    workspace,
  };
  const rendered = renderMigration(plan, ctx);
  const files: GeneratedFile[] = [
    { path: path.join(outDir, `${name}.sql`), text: rendered.sql, kind: 'migration' },
    { path: path.join(outDir, `${name}_rollback.sql`), text: rendered.rollback, kind: 'rollback' },
    { path: path.join(outDir, 'README.md'), text: rendered.readme, kind: 'readme' },
  ];
  const warnings: string[] = [];
  let prisma: PrismaSchemaChange | undefined;
  if (opts.prisma) {
    const prismaFile = project.prismaFile;
    const mapping = result.schema.prisma ?? project.prismaSchema?.prisma;
    if (!prismaFile || !project.prismaSchema || !mapping) throw new GenerateError('--prisma: no schema.prisma in the workspace');
    // A model the engine rejected is not in the index set: its indexes would be dropped from the migration and kept in
    // schema.prisma, which the next `prisma migrate dev` would create again.
    const unread = [...(mapping.leftOut ?? []), ...(mapping.leftOutFields?.keys() ?? [])];
    if (unread.length) throw new GenerateError(`--prisma: schema.prisma has errors (${unread.slice(0, 5).join(', ')}${unread.length > 5 ? ', …' : ''} could not be read): fix them first, or generate without --prisma`);
    const prismaDir = path.dirname(prismaFile);
    // A schema split over several files: each file gets the edits of the models and attributes it declares.
    const parts = project.prismaFiles.length ? project.prismaFiles : [prismaFile];
    const changes = parts.map((file) => ({ file, change: editPrismaSchema(project.files.get(file)?.text ?? fs.readFileSync(file, 'utf8'), plan, project.prismaSchema!, mapping, file) }));
    prisma = { text: changes[0].change.text, edits: changes.flatMap((c) => c.change.edits), sqlOnly: changes[0].change.sqlOnly };
    for (const c of changes) if (c.file === prismaFile || c.change.edits.length) files.push({ path: c.file, text: withBomOf(c.file, c.change.text), kind: 'prisma-schema' });
    files.push({ path: path.join(prismaDir, 'migrations', name, 'migration.sql'), text: renderPrismaMigration(plan, { ...ctx, rel: (f: string) => slash(path.relative(path.join(prismaDir, 'migrations', name), f)) }, `${name}.sql`), kind: 'prisma-migration' });
    warnings.push(
      `prisma/migrations/${name}/migration.sql has no CONCURRENTLY: Prisma migrate runs the file as one transaction, where CONCURRENTLY fails (25001); each CREATE INDEX blocks writes and each DROP INDEX blocks reads of its table until the file commits. On a live database run \`pg-index-review apply ${slash(path.relative(process.cwd(), path.join(prismaDir, 'migrations', name, 'migration.sql')))} --prisma --database …\` instead: it adds CONCURRENTLY, runs one statement at a time and records the migration in _prisma_migrations.`,
    );
    for (const s of prisma.sqlOnly) warnings.push(`"${s.index.name}" is not declared in schema.prisma: ${s.why}.`);
  }
  return { name, timestamp, plan, residual, files, prisma, warnings };
}

/** Writes the generated files (creating folders); returns the paths written. */
export function writeGenerated(g: GeneratedMigration): string[] {
  for (const f of g.files) {
    fs.mkdirSync(path.dirname(f.path), { recursive: true });
    fs.writeFileSync(f.path, f.text);
  }
  return g.files.map((f) => f.path);
}

/** `text` with the byte order mark `file` starts with, if it does: the workspace's texts are read without it. */
function withBomOf(file: string, text: string): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(3);
      const n = fs.readSync(fd, head, 0, 3, 0);
      return n === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? `\ufeff${text}` : text;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return text;
  }
}
