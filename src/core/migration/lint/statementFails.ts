import { type MigrationFinding, type MigrationRule, statementFinding } from './context';

/** applyStatement's messages for statements PostgreSQL rejects, with the SQLSTATE it raises. */
const FAILURES: { re: RegExp; sqlstate: string; needsHistory: boolean }[] = [
  { re: /^relation ".*" already exists$/, sqlstate: '42P07', needsHistory: false },
  { re: /^index ".*" does not exist$/, sqlstate: '42704', needsHistory: true },
  { re: /unknown table ".*"$/, sqlstate: '42P01', needsHistory: true },
  { re: /^column ".*" does not exist$/, sqlstate: '42703', needsHistory: true },
];

export const statementFails: MigrationRule = {
  id: 'statement-fails',
  defaultSeverity: 'error',
  summary: 'A statement PostgreSQL rejects at that point of the history: an index name already taken, a DROP INDEX or RENAME of something that does not exist, an index on an unknown table.',
  description:
    'The migration stops at this statement (and, when it runs as one transaction, nothing before it stays applied). The rule replays the history the linter is given; an object that does not exist is only reported when that history has tables at all, so a workspace that starts from an existing database without its first migrations is not flooded with errors.',
  check(f) {
    const out: MigrationFinding[] = [];
    for (const s of f.statements) {
      if (!s.applyError) continue;
      const kind = FAILURES.find((k) => k.re.test(s.applyError!));
      if (!kind || (kind.needsHistory && s.before.tables.size === 0)) continue;
      out.push(statementFinding(this.id, 'error', f, s, `PostgreSQL rejects this statement here: ${s.applyError}.`, { sqlstate: kind.sqlstate }));
    }
    return out;
  },
};
