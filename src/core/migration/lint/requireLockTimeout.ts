import { blocksWrites } from '../statements';
import { existingTableLocks, type LintStatement, lineOf, type MigrationFinding, type MigrationRule, statementFinding } from './context';

export const requireLockTimeout: MigrationRule = {
  id: 'require-lock-timeout',
  defaultSeverity: 'warning',
  squawk: ['require-lock-timeout'],
  summary: 'A statement takes a lock that blocks writes (or reads) on an existing table with no lock_timeout set before it.',
  description:
    'A DDL statement waiting for its lock (behind a long-running query or an idle transaction) makes every later query on the table queue behind it: a plain DROP INDEX or ALTER TABLE waiting for ACCESS EXCLUSIVE stops reads too. `SET lock_timeout = \'5s\'` before it makes the statement give up instead of stalling the application; retry later. Reported once per file, at the first such statement.',
  check(f) {
    const offenders: { s: LintStatement; table: string; mode: string }[] = [];
    for (const s of f.statements) {
      if (s.lockTimeout) continue;
      const lock = existingTableLocks(s).find((l) => blocksWrites(l.mode));
      if (lock) offenders.push({ s, table: lock.table, mode: lock.mode });
    }
    if (!offenders.length) return [];
    const [first, ...rest] = offenders;
    const local = first.s.transaction !== 'none';
    const more = rest.length ? ` ${rest.length} more statement${rest.length === 1 ? '' : 's'} of this file do the same (lines ${rest.slice(0, 8).map((o) => lineOf(o.s)).join(', ')}${rest.length > 8 ? ', …' : ''}).` : '';
    const out: MigrationFinding[] = [
      statementFinding(this.id, 'warning', f, first.s, `This statement takes ${first.mode} on "${first.table}" with no lock_timeout set: if it has to wait for the lock, every query on "${first.table}" queues behind it for as long as it waits. Add SET ${local ? 'LOCAL ' : ''}lock_timeout = '5s' before it.${more}`, {
        table: first.table,
        related: rest.map((o) => ({ file: f.file, range: o.s.range, message: `takes ${o.mode} on "${o.table}" without lock_timeout` })),
        fix: { sql: `SET ${local ? 'LOCAL ' : ''}lock_timeout = '5s';` },
      }),
    ];
    return out;
  },
};
