import { strings, type Node } from '../../sql/expr';
import { quoteAlways } from '../../sql/identifiers';
import { type LintStatement, type MigrationFinding, type MigrationRule, statementFinding } from './context';

interface Failure {
  re: RegExp;
  sqlstate: string;
  needsHistory: boolean;
  /** What to write instead, appended to the message. */
  hint?: string;
  fix?: (s: LintStatement) => string | undefined;
}

/** One DROP INDEX CONCURRENTLY per index of the statement (none when it has CASCADE, which CONCURRENTLY refuses too). */
function dropEachConcurrently(s: LintStatement): string | undefined {
  const ds: Node | undefined = s.ast?.DropStmt;
  if (!ds || ds.behavior === 'DROP_CASCADE') return undefined;
  const names: string[] = (ds.objects ?? []).map((o: Node) => strings(o.List?.items ?? [o]).map(quoteAlways).join('.'));
  return names.map((n) => `DROP INDEX CONCURRENTLY ${ds.missing_ok ? 'IF EXISTS ' : ''}${n};`).join('\n');
}

/** applyStatement's messages (and unsupportedStatement's) for statements PostgreSQL rejects, with the SQLSTATE it raises. */
const FAILURES: Failure[] = [
  { re: /^relation ".*" already exists$/, sqlstate: '42P07', needsHistory: false },
  { re: /^index ".*" does not exist$/, sqlstate: '42704', needsHistory: true },
  { re: /unknown table ".*"$/, sqlstate: '42P01', needsHistory: true },
  { re: /^column ".*" does not exist$/, sqlstate: '42703', needsHistory: true },
  { re: /^relation ".*" does not exist$/, sqlstate: '42P01', needsHistory: true },
  { re: /^column ".*" specified more than once$/, sqlstate: '42701', needsHistory: true, hint: 'Name the columns apart with AS.' },
  { re: /^too many column names were specified$/, sqlstate: '42601', needsHistory: true },
  { re: /^".*" is not a materialized view$/, sqlstate: '42809', needsHistory: false },
  { re: /^".*" is not a table$/, sqlstate: '42809', needsHistory: false, hint: 'It is a materialized view: drop it with DROP MATERIALIZED VIEW.' },
  { re: /^CONCURRENTLY cannot be used when the materialized view is not populated$/, sqlstate: '0A000', needsHistory: false, hint: 'It was made or refreshed WITH NO DATA: refresh it once without CONCURRENTLY.' },
  { re: /^CONCURRENTLY and WITH NO DATA options cannot be used together$/, sqlstate: '42601', needsHistory: false },
  { re: /^cannot refresh materialized view ".*" concurrently$/, sqlstate: '55000', needsHistory: false, hint: 'Create a unique index with no WHERE clause on one or more columns of the materialized view (PostgreSQL matches the old and new rows by it).' },
  { re: /^DROP INDEX CONCURRENTLY does not support dropping multiple objects$/, sqlstate: '0A000', needsHistory: false, hint: 'Drop one index per statement.', fix: dropEachConcurrently },
  { re: /^DROP INDEX CONCURRENTLY does not support CASCADE$/, sqlstate: '0A000', needsHistory: false, hint: 'Drop what depends on the index first, then the index without CASCADE.' },
  {
    re: /^cannot create index on partitioned table ".*" concurrently$/,
    sqlstate: '0A000',
    needsHistory: false,
    hint: 'Create it on the parent alone with CREATE INDEX … ON ONLY (without CONCURRENTLY; it stays invalid until complete), on each partition with CONCURRENTLY, and ALTER INDEX … ATTACH PARTITION each partition’s index; or build it without CONCURRENTLY, which blocks writes to every partition.',
  },
];

export const statementFails: MigrationRule = {
  id: 'statement-fails',
  defaultSeverity: 'error',
  summary: 'A statement PostgreSQL rejects at that point of the history: an index name already taken, a DROP INDEX or RENAME of something that does not exist, an index on an unknown table, a CONCURRENTLY form PostgreSQL does not support, a REFRESH … CONCURRENTLY of a materialized view without a unique index.',
  description:
    'The migration stops at this statement (and, when it runs as one transaction, nothing before it stays applied). The rule replays the history the linter is given; an object that does not exist is only reported when that history has tables at all, so a workspace that starts from an existing database without its first migrations is not flooded with errors. Not supported (0A000): DROP INDEX CONCURRENTLY of several indexes or with CASCADE, and CREATE INDEX CONCURRENTLY on a partitioned table (one created with PARTITION BY). REFRESH MATERIALIZED VIEW CONCURRENTLY needs a unique index on plain columns without a WHERE clause (55000), and a view that has been filled (one made WITH NO DATA needs a plain REFRESH first).',
  check(f) {
    const out: MigrationFinding[] = [];
    for (const s of f.statements) {
      if (!s.applyError) continue;
      const kind = FAILURES.find((k) => k.re.test(s.applyError!));
      if (!kind || (kind.needsHistory && s.before.tables.size === 0)) continue;
      const fix = kind.fix?.(s);
      out.push(statementFinding(this.id, 'error', f, s, `PostgreSQL rejects this statement here: ${s.applyError}.${kind.hint ? ` ${kind.hint}` : ''}`, { sqlstate: kind.sqlstate, fix: fix ? { sql: fix } : undefined }));
    }
    return out;
  },
};
