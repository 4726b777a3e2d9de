import { findIndex } from '../../schema/migrations/applyStatement';
import { type MigrationFinding, type MigrationRule, statementFinding } from './context';

export const dropIndexNoop: MigrationRule = {
  id: 'drop-index-noop',
  defaultSeverity: 'warning',
  summary: 'DROP INDEX IF EXISTS of an index that does not exist at that point of the history: a silent no-op.',
  description:
    'IF EXISTS turns a wrong name into a notice nobody reads: the author believes an index was dropped, the database keeps it. Typical causes: a name typed by hand that differs from the generated one (case, truncation to 63 bytes), an index created by a later migration, or one already dropped. The rule checks the name against the indexes the migration history has built up to the statement (it is only as complete as the history it is given).',
  check(f) {
    const out: MigrationFinding[] = [];
    for (const s of f.statements) {
      // A statement PostgreSQL rejects (statement-fails) is not a no-op.
      if (s.kind !== 'drop-index' || !s.ifExists || s.applyError) continue;
      for (const name of s.indexNames) {
        if (findIndex(s.before, name)) continue;
        const twin = [...s.before.tables.values()].flatMap((t) => t.indexes).find((i) => i.name.toLowerCase() === name.toLowerCase());
        const hint = twin ? ` An index "${twin.name}" exists: unquoted names fold to lower case — quote it as "${twin.name}".` : '';
        out.push(statementFinding(this.id, 'warning', f, s, `Index "${name}" does not exist at this point of the migration history, so DROP INDEX IF EXISTS does nothing (PostgreSQL only prints a notice).${hint}`, { index: name }));
      }
    }
    return out;
  },
};
