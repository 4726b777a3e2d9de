import type { IndexDef, SchemaModel } from '../../model/schema';
import { keyName } from '../../matcher/btree';
import { createIndexSql } from '../../matcher/propose';
import { quoteAlways } from '../../sql/identifiers';
import type { RelatedLocation } from '../../model/finding';
import { type LintFile, type MigrationFinding, type MigrationRule, statementFinding } from './context';

/** A canonical text of what an index is (name aside): two indexes with the same text are the same index. */
export function indexSignature(i: IndexDef): string {
  const keys = i.keys.map((k) => `${keyName(k)}${k.opclass ? ` ${k.opclass}` : ''}${k.desc ? ' DESC' : ''}${k.nullsFirst !== k.desc ? (k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : ''}`);
  return `${i.unique ? 'UNIQUE ' : ''}${i.table} USING ${i.method} (${keys.join(', ')})${i.include.length ? ` INCLUDE (${i.include.join(', ')})` : ''}${i.predicateText ? ` WHERE ${i.predicateText.replace(/\s+/g, ' ')}` : ''}`;
}

function indexMap(s: SchemaModel, tables: Set<string>): Map<string, IndexDef> {
  const m = new Map<string, IndexDef>();
  for (const t of s.tables.values()) if (tables.has(t.name)) for (const i of t.indexes) m.set(i.name, i);
  return m;
}

export const rollbackMismatch: MigrationRule = {
  id: 'rollback-mismatch',
  defaultSeverity: 'error',
  summary: 'A rollback script does not restore the index set its migration changed.',
  description:
    'A rollback file (`<migration>_rollback.sql`, `<migration>.down.sql`, `down.sql` next to `up.sql`) is run after its migration. The rule replays both on the schema and compares the indexes of every table that existed before the migration with what the rollback leaves: indexes the migration dropped and the rollback does not recreate, indexes the migration created and the rollback leaves in place, and indexes recreated with a different definition (lost DESC, UNIQUE, predicate, operator class). The fix lists the statements that restore each one, from the definitions the history holds.',
  check(f) {
    const m = f.rollbackOf;
    if (f.role !== 'rollback' || !m) return [];
    const tables = new Set(m.before.tables.keys());
    const want = indexMap(m.before, tables);
    const got = indexMap(f.after, tables);
    const out: MigrationFinding[] = [];
    const anchor = f.statements[0];
    if (!anchor) return [];
    const migrationStatement = (name: string, kind: 'create-index' | 'drop-index'): RelatedLocation[] => {
      const s = m.statements.find((x) => x.kind === kind && x.indexNames.includes(name));
      return s ? [{ file: m.file, range: s.range, message: `the migration ${kind === 'create-index' ? 'creates' : 'drops'} "${name}" here` }] : [];
    };
    for (const [name, before] of want) {
      const after = got.get(name);
      if (!after) {
        out.push(
          statementFinding(this.id, 'error', f, anchor, `The rollback does not recreate "${name}" on "${before.table}" (${indexSignature(before)}), which existed before ${m.name}: after migration + rollback the index is gone.`, {
            table: before.table,
            index: name,
            related: migrationStatement(name, 'drop-index'),
            fix: before.constraint ? undefined : { sql: createIndexSql(before) },
          }),
        );
      } else if (indexSignature(before) !== indexSignature(after)) {
        const s = f.statements.find((x) => x.kind === 'create-index' && x.indexNames.includes(name)) ?? anchor;
        out.push(
          statementFinding(this.id, 'error', f, s, `The rollback recreates "${name}" as ${indexSignature(after)}, but before ${m.name} it was ${indexSignature(before)}.`, {
            table: before.table,
            index: name,
            fix: before.constraint ? undefined : { sql: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteAlways(name)};\n${createIndexSql(before)}` },
          }),
        );
      }
    }
    for (const [name, after] of got) {
      if (want.has(name)) continue;
      const createdByMigration = m.after.tables.get(after.table)?.indexes.some((i) => i.name === name);
      out.push(
        statementFinding(this.id, 'error', f, anchor, `The rollback leaves "${name}" on "${after.table}" in place${createdByMigration ? `, which ${m.name} created` : ''}: it did not exist before the migration.`, {
          table: after.table,
          index: name,
          related: migrationStatement(name, 'create-index'),
          fix: { sql: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteAlways(name)};` },
        }),
      );
    }
    return out;
  },
};
