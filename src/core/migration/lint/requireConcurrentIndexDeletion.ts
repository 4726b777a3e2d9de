import { quoteAlways } from '../../sql/identifiers';
import { withConcurrently } from '../statements';
import { existingTableLocks, type MigrationFinding, type MigrationRule, runnerPhrase, statementFinding } from './context';

export const requireConcurrentIndexDeletion: MigrationRule = {
  id: 'require-concurrent-index-deletion',
  defaultSeverity: 'warning',
  squawk: ['require-concurrent-index-deletion'],
  summary: 'DROP INDEX without CONCURRENTLY on a table that already exists.',
  description:
    'A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the index’s table: while it waits for that lock (behind any long query) every other query on the table, reads included, queues behind it. DROP INDEX CONCURRENTLY waits for running queries without blocking new ones. Like CREATE INDEX CONCURRENTLY it cannot run inside a transaction block.',
  check(f) {
    const out: MigrationFinding[] = [];
    for (const s of f.statements) {
      if (s.kind !== 'drop-index' || s.concurrent) continue;
      const lock = existingTableLocks(s)[0];
      if (!lock) continue;
      const names = s.indexNames.map(quoteAlways).join(', ');
      const where = s.transaction !== 'none' ? ` Note: ${runnerPhrase(f)}, where the lock is held until the whole transaction commits, and CONCURRENTLY cannot run inside one.` : '';
      out.push(
        statementFinding(this.id, 'warning', f, s, `DROP INDEX ${names} takes an ACCESS EXCLUSIVE lock on "${lock.table}": reads and writes of "${lock.table}" queue behind it. Use DROP INDEX CONCURRENTLY.${where}`, {
          table: lock.table,
          index: s.indexNames[0],
          fix: s.indexNames.length === 1 ? { sql: `${withConcurrently(s)};` } : undefined,
        }),
      );
    }
    return out;
  },
};
