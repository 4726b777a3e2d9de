import { defaultConstraintName } from '../../schema/migrations/applyStatement';
import { strings } from '../../sql/expr';
import { quoteAlways, quoteTable, tableKey } from '../../sql/identifiers';
import { existingTableLocks, type MigrationFinding, type MigrationRule, runnerPhrase, statementFinding } from './context';

export const requireConcurrentConstraintIndex: MigrationRule = {
  id: 'require-concurrent-constraint-index',
  defaultSeverity: 'warning',
  squawk: ['disallowed-unique-constraint', 'adding-primary-key-constraint'],
  summary: 'ALTER TABLE … ADD UNIQUE or PRIMARY KEY on a table that already exists builds the constraint’s index under ACCESS EXCLUSIVE.',
  description:
    'Adding a UNIQUE or PRIMARY KEY constraint builds its unique index while the ALTER TABLE holds an ACCESS EXCLUSIVE lock: every read and write of the table waits for the whole build (minutes on a large table). Build the index first with CREATE UNIQUE INDEX CONCURRENTLY (reads and writes go on), then attach it: ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX (or PRIMARY KEY USING INDEX), which only takes the lock for a moment. A PRIMARY KEY also needs its columns NOT NULL: SET NOT NULL scans the table unless a validated CHECK (col IS NOT NULL) proves it (PostgreSQL 12+). Tables created in the same migration are exempt.',
  check(f) {
    const out: MigrationFinding[] = [];
    for (const s of f.statements) {
      const at = s.ast?.AlterTableStmt;
      if (!at) continue;
      const lock = existingTableLocks(s)[0];
      if (!lock) continue;
      const table = tableKey(at.relation);
      for (const c of at.cmds ?? []) {
        const cmd = c.AlterTableCmd;
        const con = cmd?.subtype === 'AT_AddConstraint' ? cmd.def?.Constraint : undefined;
        if (!con || (con.contype !== 'CONSTR_UNIQUE' && con.contype !== 'CONSTR_PRIMARY') || con.indexname) continue;
        const primary = con.contype === 'CONSTR_PRIMARY';
        const keys = strings(con.keys);
        // Only a plain B-tree on columns can be attached with USING INDEX (no expression, no WHERE, no EXCLUDE).
        if (keys.length === 0 || (con.access_method && con.access_method !== 'btree')) continue;
        const kind = primary ? 'PRIMARY KEY' : 'UNIQUE';
        // The name PostgreSQL gives the constraint and its index (the index keeps it through USING INDEX).
        const name: string = con.conname ?? defaultConstraintName(s.before, table, keys, primary);
        const include = strings(con.including);
        const nulls = con.nulls_not_distinct ? ' NULLS NOT DISTINCT' : '';
        const deferrable = `${con.deferrable ? ' DEFERRABLE' : ''}${con.initdeferred ? ' INITIALLY DEFERRED' : ''}`;
        const fix = [
          `CREATE UNIQUE INDEX CONCURRENTLY ${quoteAlways(name)} ON ${quoteTable(table)} (${keys.map(quoteAlways).join(', ')})${include.length ? ` INCLUDE (${include.map(quoteAlways).join(', ')})` : ''}${nulls};`,
          `ALTER TABLE ${quoteTable(table)} ADD CONSTRAINT ${quoteAlways(name)} ${kind} USING INDEX ${quoteAlways(name)}${deferrable};`,
        ].join('\n');
        const where = s.transaction !== 'none' ? ` Note: ${runnerPhrase(f)}, and CONCURRENTLY cannot run inside one — put the CREATE UNIQUE INDEX CONCURRENTLY in a migration of its own or run it with \`pg-index-review apply\`.` : '';
        const notNull = primary ? ' The PRIMARY KEY also sets its columns NOT NULL, which scans the table unless a validated CHECK (… IS NOT NULL) already proves it.' : '';
        out.push(
          statementFinding(
            this.id,
            'warning',
            f,
            s,
            `ADD ${kind} on "${lock.table}" builds its unique index while holding an ACCESS EXCLUSIVE lock: every read and write of "${lock.table}" waits for the whole build. Build it with CREATE UNIQUE INDEX CONCURRENTLY, then attach it with ADD CONSTRAINT … ${kind} USING INDEX.${notNull}${where}`,
            { table: lock.table, index: name, fix: { sql: fix } },
          ),
        );
      }
    }
    return out;
  },
};
