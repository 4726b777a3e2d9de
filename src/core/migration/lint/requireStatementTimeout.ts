import { existingTableLocks, type LintStatement, lineOf, type MigrationFinding, type MigrationRule, statementFinding } from './context';

export const requireStatementTimeout: MigrationRule = {
  id: 'require-statement-timeout',
  defaultSeverity: 'warning',
  squawk: ['require-statement-timeout'],
  summary: 'A statement whose duration grows with the table (index build, rewrite, full scan) runs with no statement_timeout.',
  description:
    'Index builds, table rewrites, validating scans and VACUUM take time proportional to the table. Without a statement_timeout a build on a table far larger than expected, or one stuck behind other work, runs (and holds its locks) indefinitely. Set a bound that fits the largest table, e.g. `SET statement_timeout = \'1h\'`; a CONCURRENTLY build cancelled by it leaves an INVALID index that must be dropped (`pg-index-review apply` does that). Reported once per file.',
  check(f) {
    const offenders: LintStatement[] = [];
    for (const s of f.statements) {
      if (s.statementTimeout || !s.slow) continue;
      if (s.locks.length && !existingTableLocks(s).length) continue; // only new tables: they are empty
      offenders.push(s);
    }
    if (!offenders.length) return [];
    const [first, ...rest] = offenders;
    const local = first.transaction !== 'none';
    const more = rest.length ? ` ${rest.length} more statement${rest.length === 1 ? '' : 's'} of this file do the same (lines ${rest.slice(0, 8).map(lineOf).join(', ')}${rest.length > 8 ? ', …' : ''}).` : '';
    return [
      statementFinding(this.id, 'warning', f, first, `No statement_timeout is set, and this statement ${first.slow}; on a large table it runs (holding its locks) as long as it takes. Add SET ${local ? 'LOCAL ' : ''}statement_timeout = '1h' (or a bound that fits your largest table) before it.${more}`, {
        table: first.locks[0]?.table,
        related: rest.map((s) => ({ file: f.file, range: s.range, message: `${s.slow} without statement_timeout` })),
        fix: { sql: `SET ${local ? 'LOCAL ' : ''}statement_timeout = '1h';` },
      }),
    ] as MigrationFinding[];
  },
};
