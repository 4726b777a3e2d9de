/**
 * The migration linter: every rule over every statement of a migration history, with the schema
 * each statement sees. `Project.analyze()` runs it over the workspace's migration files; the
 * `lint` command over the files it is given, on top of a schema.
 */
import type { SchemaModel } from '../../model/schema';
import { cannotRunInTransaction } from './cannotRunInTransaction';
import type { LintFile, MigrationFinding, MigrationRule, Runner } from './context';
import { dropIndexNoop } from './dropIndexNoop';
import { walkHistory, type MigrationSource } from './history';
import { lockHeldInTransaction } from './lockHeldInTransaction';
import { migrationRedundantIndex } from './migrationRedundantIndex';
import { preferRobustStmts } from './preferRobustStmts';
import { requireConcurrentConstraintIndex } from './requireConcurrentConstraintIndex';
import { requireConcurrentIndexCreation } from './requireConcurrentIndexCreation';
import { requireConcurrentIndexDeletion } from './requireConcurrentIndexDeletion';
import { requireConcurrentRefresh } from './requireConcurrentRefresh';
import { requireLockTimeout } from './requireLockTimeout';
import { requireStatementTimeout } from './requireStatementTimeout';
import { rollbackMismatch } from './rollbackMismatch';
import { statementFails } from './statementFails';
import { tableRewrite } from './tableRewrite';
import { transactionNesting } from './transactionNesting';
import { unknownColumn } from './unknownColumn';

export type { LintFile, MigrationFinding, MigrationRule, Runner } from './context';
export type { MigrationSource } from './history';
export { detectRunner, isRollbackFile, migrationName, walkHistory } from './history';

export const MIGRATION_RULES: MigrationRule[] = [
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireConcurrentConstraintIndex,
  requireConcurrentRefresh,
  cannotRunInTransaction,
  unknownColumn,
  migrationRedundantIndex,
  preferRobustStmts,
  requireLockTimeout,
  requireStatementTimeout,
  rollbackMismatch,
  dropIndexNoop,
  tableRewrite,
  lockHeldInTransaction,
  transactionNesting,
  statementFails,
];

export interface LintOptions {
  /** The schema before the first file (the rest of the history); empty by default. */
  schemaBefore?: SchemaModel;
  /** Runner for every file, instead of detecting it per file (Prisma layout → prisma, else statements). */
  runner?: Runner;
  /** Report findings only for these files; the others just build the history. */
  report?: (file: string) => boolean;
  /**
   * Also report each statement PostgreSQL can't parse, as an error-level `parse-error` finding (the
   * `lint` command; `Project.analyze()` has them from loading the migrations already).
   */
  parseErrors?: boolean;
}

export interface LintResult {
  findings: MigrationFinding[];
  files: LintFile[];
}

/** Lints migration files (and rollback scripts) in history order. */
export function lintMigrationHistory(sources: MigrationSource[], opts: LintOptions = {}): LintResult {
  const files = walkHistory(sources, opts);
  const findings: MigrationFinding[] = [];
  for (const f of files) {
    if (!f.report) continue;
    for (const rule of MIGRATION_RULES) findings.push(...rule.check(f));
    if (opts.parseErrors) findings.push(...parseErrors(f));
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule));
  return { findings, files };
}

/** The statements of `f` that PostgreSQL can't parse, as `check` reports them (at the parser's error position). */
export function parseErrors(f: LintFile): MigrationFinding[] {
  const out: MigrationFinding[] = [];
  for (const s of f.statements) {
    if (!s.error) continue;
    out.push({
      rule: 'parse-error',
      severity: 'error',
      message: `SQL syntax error: ${s.error.message}`,
      file: f.file,
      range: f.lines.range(s.error.offset, Math.min(s.end, s.error.offset + 1)),
      related: [],
      statement: { start: s.start, end: s.end, ordinal: s.ordinal },
    });
  }
  return out;
}

let cache: { key: string; findings: MigrationFinding[] } | undefined;

/**
 * The findings for a workspace's migration files (what `Project.analyze()` calls). Memoized on
 * the files' text, so an editor re-analysing after each keystroke in a query file pays nothing.
 */
export function lintMigrations(sources: MigrationSource[], opts: Omit<LintOptions, 'report'> = {}): MigrationFinding[] {
  if (!sources.length) return [];
  const key = opts.schemaBefore || opts.runner ? undefined : JSON.stringify(sources.map((s) => [s.file, s.text]));
  if (key !== undefined && cache?.key === key) return cache.findings;
  const { files, findings: all } = lintMigrationHistory(sources, opts);
  // An index the history leaves redundant is reported by the schema-level redundant-index rule (at
  // the schema.prisma attribute when there is one); only redundant indexes that no longer exist
  // (created and later dropped) are the migration rule's to report here.
  const finalSchema = files.filter((f) => f.role === 'migration').pop()?.after;
  const findings = all.filter((f) => !(f.rule === 'migration-redundant-index' && f.severity !== 'info' && f.index && finalSchema?.tables.get(f.table ?? '')?.indexes.some((i) => i.name === f.index)));
  if (key !== undefined) cache = { key, findings };
  return findings;
}
