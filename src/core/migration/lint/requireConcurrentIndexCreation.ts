import { quoteAlways, tableKey } from '../../sql/identifiers';
import { withConcurrently } from '../statements';
import { existingTableLocks, type MigrationFinding, type MigrationRule, runnerPhrase, statementFinding } from './context';

export const requireConcurrentIndexCreation: MigrationRule = {
  id: 'require-concurrent-index-creation',
  defaultSeverity: 'warning',
  squawk: ['require-concurrent-index-creation'],
  summary: 'CREATE INDEX without CONCURRENTLY on a table that already exists.',
  description:
    'A plain CREATE INDEX holds a SHARE lock on the table for the whole build: every INSERT, UPDATE and DELETE waits until the index is built (minutes on a large table). CREATE INDEX CONCURRENTLY takes a SHARE UPDATE EXCLUSIVE lock that lets reads and writes go on. It cannot run inside a transaction block, so a runner that wraps the file in a transaction (Prisma migrate, a single multi-statement query) needs the statement in a file of its own, or `pg-index-review apply`, which runs statements one at a time. Tables created in the same migration are exempt: nobody uses them yet.',
  check(f) {
    const out: MigrationFinding[] = [];
    for (const s of f.statements) {
      if (s.kind !== 'create-index' || s.concurrent) continue;
      // PostgreSQL can't build an index on a partitioned table CONCURRENTLY (statement-fails says what to do instead).
      if (s.ast?.IndexStmt && s.partitionedTables.has(tableKey(s.ast.IndexStmt.relation))) continue;
      const lock = existingTableLocks(s)[0];
      if (!lock) continue;
      const name = s.indexNames[0] ? ` ${quoteAlways(s.indexNames[0])}` : '';
      const where = s.transaction !== 'none' ? ` Note: ${runnerPhrase(f)}, and CONCURRENTLY cannot run inside one — put the statement in a migration of its own or run it with \`pg-index-review apply\`.` : '';
      out.push(
        statementFinding(this.id, 'warning', f, s, `CREATE INDEX${name} on "${lock.table}" without CONCURRENTLY holds a SHARE lock for the whole build: writes to "${lock.table}" wait until it finishes. Use CREATE INDEX CONCURRENTLY.${where}`, {
          table: lock.table,
          index: s.indexNames[0],
          fix: { sql: `${withConcurrently(s)};` },
        }),
      );
    }
    return out;
  },
};
