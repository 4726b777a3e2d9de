import { quoteAlways } from '../../sql/identifiers';
import { type MigrationFinding, type MigrationRule, runnerPhrase, statementFinding } from './context';

export const cannotRunInTransaction: MigrationRule = {
  id: 'cannot-run-in-transaction',
  defaultSeverity: 'error',
  squawk: ['ban-concurrent-index-creation-in-transaction'],
  summary: 'A statement PostgreSQL refuses inside a transaction block (CONCURRENTLY, VACUUM) runs inside one.',
  description:
    'CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, CREATE DATABASE and ALTER SYSTEM fail with SQLSTATE 25001 inside a transaction block — including the implicit one PostgreSQL opens for a query string holding several statements, which is how Prisma migrate (up to 7.3) and `client.query(fileText)` send a migration file. The whole migration then fails and everything before the statement is rolled back. Run such statements one at a time (a migration file holding only that statement, `psql -f`, or `pg-index-review apply`); for statistics use ANALYZE, which does run in a transaction.',
  check(f) {
    const out: MigrationFinding[] = [];
    for (const s of f.statements) {
      if (!s.noTransaction || s.transaction === 'none') continue;
      const ctx = s.transaction === 'implicit' ? runnerPhrase(f) : `it runs inside the BEGIN at line ${(f.statements[s.transactionStart ?? 0]?.range.start.line ?? 0) + 1}`;
      let fix: MigrationFinding['fix'];
      if (s.kind === 'vacuum' && /analy[sz]e/i.test(s.text)) {
        const tables = s.locks.map((l) => l.table);
        const explicit = (s.ast?.VacuumStmt?.rels ?? []).length > 0;
        fix = { sql: explicit ? tables.map((t) => `ANALYZE ${quoteAlways(t)};`).join('\n') : 'ANALYZE;' };
      }
      out.push(
        statementFinding(this.id, 'error', f, s, `${s.noTransaction} cannot run inside a transaction block (SQLSTATE 25001), and ${ctx}: the statement fails and the whole transaction, every statement before it included, is rolled back.${s.kind === 'vacuum' ? ' ANALYZE alone refreshes the planner statistics and can run in a transaction.' : ' Move it to a migration of its own or run the file statement by statement (`pg-index-review apply`).'}`, {
          sqlstate: '25001',
          table: s.locks[0]?.table,
          index: s.indexNames[0],
          fix,
        }),
      );
    }
    return out;
  },
};
