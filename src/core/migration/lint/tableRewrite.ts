import { existingTableLocks, type MigrationFinding, type MigrationRule, statementFinding } from './context';

export const tableRewrite: MigrationRule = {
  id: 'table-rewrite',
  defaultSeverity: 'warning',
  squawk: ['adding-field-with-default', 'changing-column-type', 'adding-required-field', 'constraint-missing-not-valid'],
  summary: 'A statement rewrites or scans a whole existing table while holding ACCESS EXCLUSIVE.',
  description:
    'Some ALTER TABLE forms rewrite every row (ADD COLUMN … GENERATED ALWAYS AS … STORED, ADD COLUMN with a volatile DEFAULT such as random() or gen_random_uuid(), a serial column, ALTER COLUMN TYPE to a type that is not binary-coercible, SET LOGGED/UNLOGGED, VACUUM FULL) or read every row (SET NOT NULL, ADD CONSTRAINT CHECK/FOREIGN KEY without NOT VALID) while holding ACCESS EXCLUSIVE: no query on the table runs until it is done. Alternatives: a plain nullable column filled in batches (then a trigger or the application keeps it up to date), a constant or stable DEFAULT (no rewrite since PostgreSQL 11), NOT VALID constraints validated separately, or a new column and a swap.',
  check(f) {
    const out: MigrationFinding[] = [];
    for (const s of f.statements) {
      const locks = existingTableLocks(s);
      if (!locks.length || !s.slow || (s.kind !== 'alter-table' && !s.rewrite)) continue;
      const table = locks[0].table;
      out.push(statementFinding(this.id, 'warning', f, s, `On "${table}": ${s.slow}. Reads and writes of "${table}" wait until it is done.`, { table }));
    }
    return out;
  },
};
