import type { IndexDef, SchemaModel } from '../../model/schema';
import * as path from 'node:path';
import { keyLabel } from '../../matcher/btree';
import { redundancy } from '../../rules/indexRelations';
import { quoteAlways } from '../../sql/identifiers';
import { type LintFile, type LintStatement, type MigrationFinding, type MigrationRule, statementFinding } from './context';

function describe(i: IndexDef): string {
  const keys = i.keys.map(keyLabel).join(', ');
  return `${i.unique ? 'UNIQUE ' : ''}"${i.name}" (${keys})${i.predicateText ? ` WHERE ${i.predicateText}` : ''}`;
}

/** Key columns a partial index's predicate pins to one value (`WHERE completed = false` with `completed` in the key). */
function pinnedKeys(i: IndexDef): string[] {
  const pinned = new Set<string>();
  for (const a of i.predicate ?? []) {
    if (a.kind === 'compare' && a.op === '=' && a.value.kind !== 'param' && a.value.kind !== 'expr') pinned.add(a.column);
    if (a.kind === 'null' && a.isNull) pinned.add(a.column);
  }
  return i.keys.flatMap((k) => (k.column && pinned.has(k.column) ? [k.column] : []));
}

function createdBy(f: LintFile, s: LintStatement, schema: SchemaModel): IndexDef | undefined {
  const t = schema.tables.get(s.ast?.IndexStmt?.relation?.relname);
  return t?.indexes.find((i) => i.location?.file === f.file && i.location.range.start.line === s.range.start.line && i.location.range.start.character === s.range.start.character);
}

function where(i: IndexDef, f: LintFile): string {
  if (!i.location) return '';
  return i.location.file === f.file ? ` (line ${i.location.range.start.line + 1})` : ` (created in ${i.location.file.split(path.sep === '\\' ? /[\\/]/ : '/').slice(-2).join('/')})`;
}

export const migrationRedundantIndex: MigrationRule = {
  id: 'migration-redundant-index',
  defaultSeverity: 'warning',
  summary: 'A migration creates an index that duplicates, or is a leading prefix of, one that exists at that point or that a later statement of the same file creates.',
  description:
    'A B-tree index whose keys are the leading keys of another index on the same table (same predicate, same method) serves no query the other cannot, but every write pays for both. The rule checks each CREATE INDEX against the indexes the migration history has built up to that point, and against the indexes created later in the same file. It also notes (info) when a new index makes an existing one redundant without the migration dropping it.',
  check(f) {
    const out: MigrationFinding[] = [];
    // A rollback recreates what the migration dropped, redundant or not: that is its job.
    if (f.role === 'rollback') return out;
    const leftRedundant = new Set<string>();
    f.statements.forEach((s, i) => {
      if (s.kind !== 'create-index' || s.applyError) return;
      if (s.indexNames[0] && s.before.tables.get(s.ast?.IndexStmt?.relation?.relname)?.indexes.some((x) => x.name === s.indexNames[0])) return; // IF NOT EXISTS no-op
      const next = f.statements[i + 1]?.before ?? f.after;
      const idx = createdBy(f, s, next);
      if (!idx) return;
      const pinned = pinnedKeys(idx);
      if (pinned.length) {
        out.push(
          statementFinding(this.id, 'info', f, s, `Key column${pinned.length === 1 ? '' : 's'} ${pinned.map((c) => `"${c}"`).join(', ')} of "${idx.name}" ${pinned.length === 1 ? 'is' : 'are'} fixed by its own predicate (WHERE ${idx.predicateText}): every entry has the same value there, so the key only makes the index wider. Drop ${pinned.length === 1 ? 'it' : 'them'} from the key.`, { table: idx.table, index: idx.name }),
        );
      }
      const existing = s.before.tables.get(idx.table)?.indexes ?? [];
      for (const e of existing) {
        const r = redundancy(idx, e);
        if (!r) continue;
        out.push(
          statementFinding(this.id, 'warning', f, s, `${describe(idx)} ${r.kind === 'duplicate' ? 'duplicates' : 'is a leading prefix of'} ${describe(e)}${where(e, f)}, which exists at this point: every query it could serve can use "${e.name}". Don't create it.`, {
            table: idx.table,
            index: idx.name,
            related: e.location ? [{ ...e.location, message: `"${e.name}" is created here` }] : [],
          }),
        );
        return;
      }
      const finalIdx = f.after.tables.get(idx.table)?.indexes.find((x) => x.name === idx.name);
      if (finalIdx) {
        for (const l of f.after.tables.get(idx.table)?.indexes ?? []) {
          if (l === finalIdx || l.location?.file !== f.file || l.location.range.start.line <= s.range.start.line) continue;
          const r = redundancy(finalIdx, l);
          if (!r) continue;
          out.push(
            statementFinding(this.id, 'warning', f, s, `${describe(idx)} ${r.kind === 'duplicate' ? 'duplicates' : 'is a leading prefix of'} ${describe(l)}, which this file creates later${where(l, f)}: once that one exists this index serves nothing it doesn't. Create only "${l.name}".`, {
              table: idx.table,
              index: idx.name,
              related: l.location ? [{ ...l.location, message: `"${l.name}" is created here` }] : [],
            }),
          );
          return;
        }
      }
      // The reverse: an index that existed before this file and that the new one makes redundant, left in place.
      for (const e of existing) {
        if (e.location?.file === f.file) continue;
        const stillThere = f.after.tables.get(idx.table)?.indexes.some((x) => x.name === e.name);
        if (!stillThere || !finalIdx || redundancy(e, finalIdx)?.of !== finalIdx || leftRedundant.has(e.name)) continue;
        leftRedundant.add(e.name);
        out.push(
          statementFinding(this.id, 'info', f, s, `${describe(idx)} makes the existing ${describe(e)}${where(e, f)} redundant (it is a leading prefix of the new index), but the migration keeps it: drop it here too, after this statement.`, {
            table: idx.table,
            index: e.name,
            related: e.location ? [{ ...e.location, message: `"${e.name}" is created here` }] : [],
            fix: { sql: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteAlways(e.name)};` },
          }),
        );
      }
    });
    return out;
  },
};
