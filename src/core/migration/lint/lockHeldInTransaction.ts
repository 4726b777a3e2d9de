import { blocksReads, blocksWrites, type LockMode, strongerLock } from '../statements';
import { existingTableLocks, type LintStatement, lineOf, type MigrationFinding, type MigrationRule, runnerPhrase, statementFinding } from './context';

interface Holder {
  s: LintStatement;
  mode: LockMode;
  followers: LintStatement[];
}

export const lockHeldInTransaction: MigrationRule = {
  id: 'lock-held-in-transaction',
  defaultSeverity: 'warning',
  summary: 'A lock that blocks writes or reads is held, inside one transaction, while later slow statements run.',
  description:
    'Locks are released only when the transaction ends. In a file that runs as one transaction (Prisma migrate, a multi-statement query, BEGIN … COMMIT), a DROP INDEX or ALTER TABLE early in the file keeps its ACCESS EXCLUSIVE lock — and a plain CREATE INDEX its SHARE lock — while every later index build, rewrite or VACUUM runs: the table stays blocked for the sum of all of them. Run the slow statements outside the transaction, one at a time, or put the lock-taking statement last. Reported once per table and lock, at the statement that takes it.',
  check(f) {
    const out: MigrationFinding[] = [];
    let current: number | undefined;
    let held = new Map<string, Holder>();
    let replaced: [string, Holder][] = [];
    const flush = () => {
      for (const [table, h] of [...replaced, ...held]) {
        if (!h.followers.length) continue;
        const what = blocksReads(h.mode) ? 'reads and writes' : 'writes';
        const ctx = h.s.transaction === 'implicit' ? runnerPhrase(f) : `it runs inside the BEGIN at line ${(f.statements[h.s.transactionStart ?? 0]?.range.start.line ?? 0) + 1}`;
        out.push(
          statementFinding(this.id, 'warning', f, h.s, `This statement takes ${h.mode} on "${table}", and ${ctx}: the lock is held until it commits, while ${h.followers.length} slower statement${h.followers.length === 1 ? '' : 's'} run after it (line${h.followers.length === 1 ? '' : 's'} ${h.followers.slice(0, 8).map(lineOf).join(', ')}${h.followers.length > 8 ? ', …' : ''}). ${what[0].toUpperCase()}${what.slice(1)} of "${table}" wait all that time.`, {
            table,
            related: h.followers.map((x) => ({ file: f.file, range: x.range, message: `runs while ${h.mode} on "${table}" is held: ${x.slow}` })),
          }),
        );
      }
      held = new Map();
      replaced = [];
    };
    for (const s of f.statements) {
      if (s.transaction === 'none') {
        flush();
        current = undefined;
        continue;
      }
      if (s.transactionStart !== current) {
        flush();
        current = s.transactionStart;
      }
      if (s.slow) {
        for (const h of held.values()) if (h.s !== s) h.followers.push(s);
      }
      for (const l of existingTableLocks(s)) {
        if (!blocksWrites(l.mode)) continue;
        const h = held.get(l.table);
        if (!h || strongerLock(h.mode, l.mode) !== h.mode) {
          if (h) replaced.push([l.table, h]);
          held.set(l.table, { s, mode: h ? strongerLock(h.mode, l.mode) : l.mode, followers: [] });
        }
      }
      if (s.kind === 'commit' || s.kind === 'rollback') {
        flush();
        current = undefined;
      }
    }
    flush();
    return out;
  },
};
