import type { TableDef } from '../../model/schema';
import { columnRefsIn, type Node } from '../../sql/expr';
import { quoteAlways } from '../../sql/identifiers';
import { byteToCharMapper } from '../../sql/parser';
import { type LintFile, type LintStatement, type MigrationFinding, type MigrationRule, statementFinding, statementTokens } from './context';

interface Ref {
  name: string;
  where: 'key' | 'INCLUDE' | 'predicate';
}

function referencedColumns(is: Node): Ref[] {
  const refs: Ref[] = [];
  for (const p of is.indexParams ?? []) {
    const e = p.IndexElem ?? {};
    if (e.name) refs.push({ name: e.name, where: 'key' });
    else for (const c of columnRefsIn(e.expr)) if (c.column) refs.push({ name: c.column, where: 'key' });
  }
  for (const p of is.indexIncludingParams ?? []) if (p.IndexElem?.name) refs.push({ name: p.IndexElem.name, where: 'INCLUDE' });
  for (const c of columnRefsIn(is.whereClause)) if (c.column) refs.push({ name: c.column, where: 'predicate' });
  return refs;
}

/** Document ranges of the unquoted identifier tokens of a statement that fold to `folded`. */
function unquotedTokens(f: LintFile, s: LintStatement, folded: string): { start: number; end: number }[] {
  let tokens: { start: number; end: number; text: string }[];
  try {
    tokens = statementTokens(s);
  } catch {
    return [];
  }
  const toChar = byteToCharMapper(s.text);
  return tokens
    .filter((t) => !t.text.startsWith('"') && t.text.toLowerCase() === folded && t.text !== folded)
    .map((t) => ({ start: s.start + toChar(t.start), end: s.start + toChar(t.end) }));
}

function caseTwin(table: TableDef, folded: string): string | undefined {
  return [...table.columns.keys()].find((c) => c.toLowerCase() === folded && c !== folded);
}

export const unknownColumn: MigrationRule = {
  id: 'unknown-column',
  defaultSeverity: 'error',
  summary: 'An index key, INCLUDE column or partial-index predicate names a column the table does not have (often: unquoted camelCase).',
  description:
    'PostgreSQL folds unquoted identifiers to lower case, so `WHERE progressPercent < 100` looks for a column "progresspercent" and fails with SQLSTATE 42703 when the column was created quoted as "progressPercent" (as Prisma creates every column). The rule checks each column of CREATE INDEX against the table as the migration history has built it at that point; the fix quotes the identifier with its real spelling.',
  check(f) {
    const out: MigrationFinding[] = [];
    for (const s of f.statements) {
      const is = s.ast?.IndexStmt;
      if (!is) continue;
      const table = s.before.tables.get(is.relation?.relname);
      // An unknown table: the history given is incomplete, or another rule's business; so is a table whose columns are not all known.
      if (!table || table.columnsIncomplete) continue;
      const seen = new Set<string>();
      for (const ref of referencedColumns(is)) {
        if (table.columns.has(ref.name) || seen.has(ref.name)) continue;
        seen.add(ref.name);
        const twin = caseTwin(table, ref.name);
        const tokens = twin ? unquotedTokens(f, s, ref.name) : [];
        let fixed: string | undefined;
        if (twin && tokens.length) {
          fixed = f.text.slice(s.start, s.end);
          for (const t of [...tokens].reverse()) fixed = fixed.slice(0, t.start - s.start) + quoteAlways(twin) + fixed.slice(t.end - s.start);
        }
        const where = ref.where === 'key' ? 'index key' : ref.where === 'INCLUDE' ? 'INCLUDE list' : 'partial-index predicate';
        const message = twin
          ? `column "${ref.name}" does not exist (SQLSTATE 42703): the ${where} writes ${tokens.length ? f.text.slice(tokens[0].start, tokens[0].end) : ref.name} unquoted, which PostgreSQL folds to lower case, but the column of "${table.name}" is "${twin}". Quote it: ${quoteAlways(twin)}.`
          : `column "${ref.name}" of the ${where} does not exist in "${table.name}" at this point of the migration history (SQLSTATE 42703).`;
        out.push(
          statementFinding(this.id, 'error', f, s, message, {
            sqlstate: '42703',
            table: table.name,
            index: s.indexNames[0],
            range: tokens.length ? f.lines.range(tokens[0].start, tokens[0].end) : undefined,
            fix: fixed ? { sql: `${fixed};` } : undefined,
          }),
        );
      }
    }
    return out;
  },
};
