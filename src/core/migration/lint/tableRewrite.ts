import { blocksReads, blocksWrites } from '../statements';
import { existingTableLocks, type MigrationFinding, type MigrationRule, statementFinding } from './context';

export const tableRewrite: MigrationRule = {
  id: 'table-rewrite',
  defaultSeverity: 'warning',
  squawk: ['adding-field-with-default', 'changing-column-type', 'adding-required-field', 'constraint-missing-not-valid'],
  summary: 'A statement rewrites or scans a whole existing table while holding a lock that blocks its writes (most forms: ACCESS EXCLUSIVE, which blocks reads too).',
  description:
    'Some ALTER TABLE forms rewrite every row (ADD COLUMN … GENERATED ALWAYS AS … STORED, ADD COLUMN with a volatile DEFAULT such as random() or gen_random_uuid(), a serial column, ALTER COLUMN TYPE to a type that is not binary-coercible, SET LOGGED/UNLOGGED, VACUUM FULL) or read every row (SET NOT NULL, ADD CONSTRAINT CHECK without NOT VALID) while holding ACCESS EXCLUSIVE: no query on the table runs until it is done. ADD CONSTRAINT FOREIGN KEY without NOT VALID reads every row while holding SHARE ROW EXCLUSIVE on the table and on the one it references: reads go on, writes of both wait. Alternatives: a plain nullable column filled in batches (then a trigger or the application keeps it up to date), a constant or stable DEFAULT (no rewrite since PostgreSQL 11), NOT VALID constraints validated separately, or a new column and a swap.',
  check(f) {
    const out: MigrationFinding[] = [];
    for (const s of f.statements) {
      const locks = existingTableLocks(s);
      if (!locks.length || !blocksWrites(locks[0].mode) || !s.slow || (s.kind !== 'alter-table' && !s.rewrite)) continue;
      const { table, mode } = locks[0];
      out.push(statementFinding(this.id, 'warning', f, s, `On "${table}": ${s.slow}. ${blocksReads(mode) ? 'Reads and writes' : 'Writes'} of "${table}" wait until it is done.`, { table }));
    }
    return out;
  },
};
