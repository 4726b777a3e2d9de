import { byteToCharMapper } from '../../sql/parser';
import { type LintStatement, type MigrationFinding, type MigrationRule, statementFinding, statementTokens } from './context';

/** The statement with `words` inserted after the token sequence `after` (e.g. INDEX [CONCURRENTLY]). */
function insertAfter(s: LintStatement, after: string[], words: string): string | undefined {
  let tokens: { start: number; end: number; text: string }[];
  try {
    tokens = statementTokens(s);
  } catch {
    return undefined;
  }
  const toChar = byteToCharMapper(s.text);
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].text.toUpperCase() !== after[0]) continue;
    let j = i;
    // Skip optional words that may follow (CONCURRENTLY).
    while (j + 1 < tokens.length && after.slice(1).includes(tokens[j + 1].text.toUpperCase())) j++;
    const at = toChar(tokens[j].end);
    return `${s.text.slice(0, at)} ${words}${s.text.slice(at)}`;
  }
  return undefined;
}

export const preferRobustStmts: MigrationRule = {
  id: 'prefer-robust-stmts',
  defaultSeverity: 'warning',
  squawk: ['prefer-robust-stmts'],
  summary: 'CREATE INDEX without IF NOT EXISTS / DROP INDEX without IF EXISTS in a migration that can stop half-way.',
  description:
    'A migration that does not run as one transaction (statement by statement, or with CONCURRENTLY, which commits on its own) can fail after some statements have run. Re-running it must then skip what is done: CREATE INDEX IF NOT EXISTS, DROP INDEX IF EXISTS, ADD COLUMN IF NOT EXISTS. Files that run as one transaction are exempt (a failure rolls everything back). Beware: IF NOT EXISTS also skips an INVALID index left by a failed CONCURRENTLY build — `pg-index-review apply` drops such a leftover before re-running the statement.',
  check(f) {
    if (f.atomic) return [];
    const out: MigrationFinding[] = [];
    for (const s of f.statements) {
      if (s.newTables.size && s.locks.every((l) => s.newTables.has(l.table))) continue;
      if (s.kind === 'create-index' && !s.ifNotExists) {
        const fixed = insertAfter(s, ['INDEX', 'CONCURRENTLY'], 'IF NOT EXISTS');
        out.push(statementFinding(this.id, 'warning', f, s, `CREATE INDEX without IF NOT EXISTS: if this migration stops after this statement, re-running it fails here with "relation already exists" (42P07).`, { index: s.indexNames[0], table: s.locks[0]?.table, fix: fixed ? { sql: `${fixed};` } : undefined }));
      } else if (s.kind === 'drop-index' && !s.ifExists) {
        const fixed = insertAfter(s, ['INDEX', 'CONCURRENTLY'], 'IF EXISTS');
        out.push(statementFinding(this.id, 'warning', f, s, `DROP INDEX without IF EXISTS: if this migration stops after this statement, re-running it fails here with "index does not exist" (42704).`, { index: s.indexNames[0], table: s.locks[0]?.table, fix: fixed ? { sql: `${fixed};` } : undefined }));
      } else if (s.kind === 'alter-table') {
        for (const c of s.ast?.AlterTableStmt?.cmds ?? []) {
          const cmd = c.AlterTableCmd;
          if (cmd?.subtype === 'AT_AddColumn' && !cmd.missing_ok) {
            out.push(statementFinding(this.id, 'warning', f, s, `ADD COLUMN "${cmd.def?.ColumnDef?.colname}" without IF NOT EXISTS: re-running the migration after a partial failure fails here (42701).`, { table: s.locks[0]?.table }));
          }
        }
      }
    }
    return out;
  },
};
