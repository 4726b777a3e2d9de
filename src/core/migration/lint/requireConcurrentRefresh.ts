import { quoteTable } from '../../sql/identifiers';
import { existingTableLocks, type MigrationFinding, type MigrationRule, statementFinding } from './context';

export const requireConcurrentRefresh: MigrationRule = {
  id: 'require-concurrent-refresh',
  defaultSeverity: 'warning',
  summary: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY on a filled view that already exists: its reads wait while the query runs.',
  description:
    "A plain REFRESH MATERIALIZED VIEW runs the view's query again and swaps the result in under an ACCESS EXCLUSIVE lock held the whole time: every query that reads the view waits, for as long as the query takes (minutes for a heavy aggregate). REFRESH MATERIALIZED VIEW CONCURRENTLY takes an EXCLUSIVE lock instead, so reads go on, and merges the new rows into the old ones. It needs a unique index on plain columns of the view with no WHERE clause (PostgreSQL matches old and new rows by it) and a view already filled; it costs more than a plain refresh when most rows change. The fix adds CONCURRENTLY when the view has such an index; without one, the finding says to create it first. A view created in the same migration, or made WITH NO DATA and filled for the first time, is exempt: nothing reads it yet. REFRESH … WITH NO DATA of a filled view is reported too: it empties the view, and every query that reads it fails until the next REFRESH.",
  check(f) {
    const out: MigrationFinding[] = [];
    for (const s of f.statements) {
      const rs = s.ast?.RefreshMatViewStmt;
      if (!rs || rs.concurrent || s.applyError) continue;
      const lock = existingTableLocks(s)[0];
      const view = lock && s.before.tables.get(lock.table);
      if (!view?.materialized?.populated) continue;
      const name = quoteTable(view.name);
      if (rs.skipData) {
        out.push(
          statementFinding(this.id, 'warning', f, s, `REFRESH MATERIALIZED VIEW ${name} WITH NO DATA empties the view: until the next REFRESH, every query that reads it fails with "materialized view … has not been populated" (SQLSTATE 55000).`, {
            table: view.name,
          }),
        );
        continue;
      }
      const key = view.indexes.find((i) => i.unique && i.valid && !i.predicate && i.keys.every((k) => k.column));
      const blocked = `REFRESH MATERIALIZED VIEW ${name} without CONCURRENTLY holds ACCESS EXCLUSIVE while it runs the view's query again: every read of ${name} waits until it finishes.`;
      out.push(
        key
          ? statementFinding(this.id, 'warning', f, s, `${blocked} Use REFRESH MATERIALIZED VIEW CONCURRENTLY: reads go on, and the new rows are matched to the old ones by the unique index "${key.name}".`, {
              table: view.name,
              fix: { sql: `REFRESH MATERIALIZED VIEW CONCURRENTLY ${name};` },
            })
          : statementFinding(this.id, 'warning', f, s, `${blocked} REFRESH MATERIALIZED VIEW CONCURRENTLY lets reads go on, but needs a unique index on plain columns of ${name} with no WHERE clause, which it does not have: create one on the columns that identify a row (CREATE UNIQUE INDEX CONCURRENTLY … ON ${name} (…)), then refresh CONCURRENTLY.`, {
              table: view.name,
            }),
      );
    }
    return out;
  },
};
