/** What a migration lint rule sees: each file of the history, statement by statement, with the schema at that point. */
import type { Finding, RuleId, Severity } from '../../model/finding';
import type { LineIndex, Range } from '../../model/location';
import type { SchemaModel } from '../../model/schema';
import { lexSql, type SqlToken } from '../../sql/lexer';
import { blocksReads, type StatementInfo } from '../statements';

/** How a file is run (see schema/migrations/runner.ts). */
import type { Runner } from '../../schema/migrations/runner';
export type { Runner };

export interface LintStatement extends StatementInfo {
  /** The statement's tokens as libpg-query's scanSync would give them for `text`, when the parse had them (see statementTokens). */
  tokens?: SqlToken[];
  file: string;
  range: Range;
  /** The schema just before the statement runs (a snapshot). */
  before: SchemaModel;
  /** How it runs: in autocommit, in a BEGIN … COMMIT block, or in the implicit transaction of a multi-statement query. */
  transaction: 'none' | 'explicit' | 'implicit';
  /** Ordinal of the statement that opened the transaction it runs in (BEGIN, or 0 for an implicit one). */
  transactionStart?: number;
  /** Settings in effect when it runs ('0' / unset → undefined). */
  lockTimeout?: string;
  statementTimeout?: string;
  /** Tables created earlier in the same file (a new table has no traffic to block). */
  newTables: ReadonlySet<string>;
  /** Tables created with PARTITION BY that exist just before it (the schema model does not record partitioning). */
  partitionedTables: ReadonlySet<string>;
  /** Why applying it to the schema model failed (unknown table, index already exists…), or why PostgreSQL rejects it as not supported (then it is not applied). */
  applyError?: string;
}

export interface LintFile {
  file: string;
  text: string;
  lines: LineIndex;
  runner: Runner;
  /** Why this runner was assumed (shown in messages). */
  runnerReason: string;
  /** Migration name: the folder of a `migration.sql`, else the file name without `.sql`. */
  name: string;
  statements: LintStatement[];
  /** Schema before the file's first statement and after its last. */
  before: SchemaModel;
  after: SchemaModel;
  /** The partitioned tables after its last statement. */
  partitionedAfter: ReadonlySet<string>;
  role: 'migration' | 'rollback';
  /** For a rollback: the migration it takes back. */
  rollbackOf?: LintFile;
  /** The file runs as one transaction: a failure leaves nothing half-applied. */
  atomic: boolean;
  /** Findings are reported for this file (files of the prior history only build the schema). */
  report: boolean;
}

/** A migration finding; `sqlstate` is the error PostgreSQL raises when the statement is run as the runner runs it. */
export interface MigrationFinding extends Finding {
  sqlstate?: string;
  /** The statement's range in its file (UTF-16 offsets). */
  statement?: { start: number; end: number; ordinal: number };
}

export interface MigrationRule {
  id: RuleId;
  defaultSeverity: Severity;
  summary: string;
  description: string;
  /** The squawk rules it covers, when there are any. */
  squawk?: string[];
  check(file: LintFile): MigrationFinding[];
}

/** A finding located on one statement. */
export function statementFinding(
  rule: RuleId,
  severity: Severity,
  f: LintFile,
  s: LintStatement,
  message: string,
  extra: Partial<Pick<MigrationFinding, 'table' | 'index' | 'fix' | 'related' | 'sqlstate' | 'range'>> = {},
): MigrationFinding {
  return {
    rule,
    severity,
    message,
    file: f.file,
    range: extra.range ?? s.range,
    related: extra.related ?? [],
    ...(extra.table !== undefined ? { table: extra.table } : {}),
    ...(extra.index !== undefined ? { index: extra.index } : {}),
    ...(extra.fix !== undefined ? { fix: extra.fix } : {}),
    ...(extra.sqlstate !== undefined ? { sqlstate: extra.sqlstate } : {}),
    statement: { start: s.start, end: s.end, ordinal: s.ordinal },
  };
}

/** `line N` of a statement, 1-based, for messages. */
export function lineOf(s: LintStatement): number {
  return s.range.start.line + 1;
}

/**
 * The statement's locks on tables that existed before its migration (a new table has no traffic to block) — on a
 * materialized view only a lock that blocks reads: nothing writes one, so a lock that blocks writes (CREATE INDEX,
 * REFRESH … CONCURRENTLY) holds up only the next REFRESH.
 */
export function existingTableLocks(s: LintStatement) {
  return s.locks.filter((l) => {
    if (s.newTables.has(l.table)) return false;
    const t = s.before.tables.get(l.table);
    return t !== undefined && (!t.materialized || blocksReads(l.mode));
  });
}

export function runnerPhrase(f: LintFile): string {
  switch (f.runner) {
    case 'prisma':
      return `Prisma migrate sends this file (${f.runnerReason}) as one multi-statement query, which PostgreSQL runs as a single transaction`;
    case 'single-query':
      return `this file is sent as one multi-statement query (${f.runnerReason}), which PostgreSQL runs as a single transaction`;
    default:
      return `this file runs statement by statement (${f.runnerReason})`;
  }
}

/** The tokens of a statement's text (exactly what `scanSync(s.text).tokens` gives): those the parse kept, else lexed now. Throws on a lexer error, like scanSync. */
export function statementTokens(s: LintStatement): SqlToken[] {
  return s.tokens ?? lexSql(s.text);
}
