import { movedRange, type Range, type SourceLocation } from './location';
import type { LineMove } from './query';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export type RuleId =
  | 'missing-index'
  | 'unindexed-foreign-key'
  | 'redundant-index'
  | 'low-selectivity-index'
  | 'unused-by-workload'
  | 'unused-index'
  | 'schema-drift'
  | 'parse-error'
  | 'non-postgres-sql'
  // Production insight (src/core/rules/pool/, src/core/rules/slowQuery.ts)
  | 'pool-advice'
  | 'slow-query'
  // Migration linter (src/core/migration/lint/)
  | 'require-concurrent-index-creation'
  | 'require-concurrent-index-deletion'
  | 'require-concurrent-constraint-index'
  | 'require-concurrent-refresh'
  | 'cannot-run-in-transaction'
  | 'unknown-column'
  | 'migration-redundant-index'
  | 'prefer-robust-stmts'
  | 'require-lock-timeout'
  | 'require-statement-timeout'
  | 'rollback-mismatch'
  | 'drop-index-noop'
  | 'table-rewrite'
  | 'lock-held-in-transaction'
  | 'transaction-nesting'
  | 'statement-fails';

export interface RelatedLocation extends SourceLocation {
  message: string;
}

export interface Fix {
  /** SQL that applies the fix (CREATE INDEX / DROP INDEX). */
  sql?: string;
  /** The schema.prisma change: an attribute line to add (`@@index([...])`) or the text to remove. */
  prisma?: string;
  /** What the fix does to schema.prisma. */
  prismaAction?: 'add' | 'remove';
  /** Prisma model the fix applies to. */
  model?: string;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  table?: string;
  index?: string;
  related: RelatedLocation[];
  fix?: Fix;
}

/** Rules whose fix is an index to add (`fix.sql` CREATE INDEX, `fix.prisma` an @@index). */
export function proposesIndex(f: Pick<Finding, 'rule'>): boolean {
  return f.rule === 'missing-index' || f.rule === 'unindexed-foreign-key';
}

function movedBy(r: Range, moves: LineMove[]): Range {
  for (const m of moves) r = movedRange(r, m.after, m.delta);
  return r;
}

/** The findings, with their ranges (and related ranges) in `file` moved by each of `moves` in turn. */
export function movedFindings(list: Finding[], file: string, moves: LineMove[]): Finding[] {
  return list.map((f) => {
    const range = f.file === file ? movedBy(f.range, moves) : f.range;
    let related = f.related;
    for (let i = 0; i < related.length; i++) {
      const r = related[i];
      if (r.file !== file) continue;
      const moved = movedBy(r.range, moves);
      if (moved !== r.range) (related === f.related ? (related = [...f.related]) : related)[i] = { ...r, range: moved };
    }
    return range === f.range && related === f.related ? f : { ...f, range, related };
  });
}
