import { type MigrationFinding, type MigrationRule, runnerPhrase, statementFinding } from './context';

export const transactionNesting: MigrationRule = {
  id: 'transaction-nesting',
  defaultSeverity: 'warning',
  squawk: ['transaction-nesting'],
  summary: 'BEGIN inside an open transaction, COMMIT without one, or BEGIN/COMMIT in a file the runner already runs as one transaction.',
  description:
    'A second BEGIN only prints a warning and does not nest; a COMMIT/ROLLBACK with no transaction open does nothing. In a file the runner sends as one multi-statement query (Prisma migrate up to 7.3), BEGIN/COMMIT split the implicit transaction: statements before a COMMIT stay committed when a later one fails, while the runner records the whole migration as failed.',
  check(f) {
    const out: MigrationFinding[] = [];
    let open = false;
    for (const s of f.statements) {
      if (s.kind === 'begin') {
        if (open) out.push(statementFinding(this.id, 'warning', f, s, 'BEGIN inside a transaction that is already open: PostgreSQL does not nest transactions (it only warns), so the COMMIT that follows ends the outer one too.'));
        else if (f.runner !== 'statements' && f.statements.length > 1) out.push(statementFinding(this.id, 'warning', f, s, `BEGIN in a file the runner already runs as one transaction (${runnerPhrase(f)}): explicit transaction control splits it, and statements committed before a failure stay applied while the migration is recorded as failed.`));
        open = true;
      } else if (s.kind === 'commit' || s.kind === 'rollback') {
        if (!open && f.runner === 'statements') out.push(statementFinding(this.id, 'warning', f, s, `${s.kind.toUpperCase()} with no transaction open: it does nothing (PostgreSQL warns "there is no transaction in progress").`));
        else if (!open && f.statements.length > 1) out.push(statementFinding(this.id, 'warning', f, s, `${s.kind.toUpperCase()} in a file the runner runs as one transaction (${runnerPhrase(f)}): it ends that transaction early; what follows runs in a new one.`));
        open = false;
      }
    }
    return out;
  },
};
