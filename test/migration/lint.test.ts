import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RuleId } from '../../src/core/model/finding';
import { lintMigrationHistory, MIGRATION_RULES, type MigrationFinding } from '../../src/core/migration/lint';
import { withConcurrently, describeStatements } from '../../src/core/migration/statements';
import { Project } from '../../src/core/project';
import { RULES } from '../../src/core/rules/registry';
import { initSqlParser } from '../../src/core/sql/parser';
import { REPO } from '../helpers/paths';

const BASE = `
CREATE TABLE "users" ("id" text PRIMARY KEY, "email" text NOT NULL, "role" text NOT NULL, "createdAt" timestamp NOT NULL, "progressPercent" int NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX "users_email_key" ON "users" ("email");
CREATE INDEX "users_role_idx" ON "users" ("role");
`;
const BASE_FILE = '/ws/db/20240101000000_base.sql';
const PLAIN = '/ws/db/20240102000000_change.sql';
const PRISMA = '/ws/prisma/migrations/20240102000000_change/migration.sql';

function lint(sql: string, opts: { file?: string; rollback?: string; base?: string } = {}): MigrationFinding[] {
  const file = opts.file ?? PLAIN;
  const sources = [{ file: BASE_FILE, text: opts.base ?? BASE }, { file, text: sql }];
  if (opts.rollback !== undefined) sources.push({ file: file.replace(/\.sql$/, '_rollback.sql'), text: opts.rollback });
  return lintMigrationHistory(sources, { report: (f) => f !== BASE_FILE }).findings;
}

function only(findings: MigrationFinding[], rule: RuleId): MigrationFinding[] {
  return findings.filter((f) => f.rule === rule);
}

/** Header that satisfies the timeout rules, for cases about other rules. */
const T = `SET lock_timeout = '5s';\nSET statement_timeout = '1h';\n`;

describe('migration linter', () => {
  before(() => initSqlParser());

  it('registers every rule with a README anchor, in RuleId and the rule registry', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    for (const r of MIGRATION_RULES) {
      assert.ok(RULES.some((x) => x.id === r.id), `${r.id} in the registry`);
      assert.ok(readme.includes(`<a id="${r.id}"></a>`), `README anchor for ${r.id}`);
    }
    assert.equal(new Set(MIGRATION_RULES.map((r) => r.id)).size, MIGRATION_RULES.length);
  });

  describe('require-concurrent-index-creation', () => {
    it('fires on CREATE INDEX on an existing table, with the CONCURRENTLY statement as fix', () => {
      const [f] = only(lint(`${T}CREATE INDEX IF NOT EXISTS "users_createdAt_idx" ON "users" ("createdAt");`), 'require-concurrent-index-creation');
      assert.ok(f);
      assert.equal(f.fix?.sql, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_createdAt_idx" ON "users" ("createdAt");');
    });
    it('does not fire with CONCURRENTLY, nor on a table created in the same file', () => {
      assert.deepEqual(only(lint(`${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS "a" ON "users" ("createdAt");`), 'require-concurrent-index-creation'), []);
      assert.deepEqual(only(lint(`CREATE TABLE "t" ("id" int);\nCREATE INDEX "t_id_idx" ON "t" ("id");`), 'require-concurrent-index-creation'), []);
      // Nor on one CREATE TABLE … AS or CREATE MATERIALIZED VIEW made in the same file.
      assert.deepEqual(only(lint(`CREATE TABLE "c" AS SELECT "id" FROM "users";\nCREATE INDEX "c_id_idx" ON "c" ("id");\nCREATE MATERIALIZED VIEW "m" AS SELECT "role" FROM "users";\nCREATE INDEX "m_role_idx" ON "m" ("role");`), 'require-concurrent-index-creation'), []);
    });
  });

  describe('require-concurrent-index-deletion', () => {
    it('fires on DROP INDEX of an existing table’s index', () => {
      const [f] = only(lint(`${T}DROP INDEX IF EXISTS "users_role_idx";`), 'require-concurrent-index-deletion');
      assert.equal(f?.fix?.sql, 'DROP INDEX CONCURRENTLY IF EXISTS "users_role_idx";');
    });
    it('does not fire on DROP INDEX CONCURRENTLY', () => {
      assert.deepEqual(only(lint(`${T}DROP INDEX CONCURRENTLY IF EXISTS "users_role_idx";`), 'require-concurrent-index-deletion'), []);
    });
  });

  describe('require-concurrent-constraint-index', () => {
    it('fires on ADD UNIQUE / PRIMARY KEY of an existing table, with the index built CONCURRENTLY and attached USING INDEX', () => {
      const [f] = only(lint(`${T}ALTER TABLE "users" ADD CONSTRAINT "users_role_email_key" UNIQUE ("role", "email") INCLUDE ("createdAt");`), 'require-concurrent-constraint-index');
      assert.match(f?.message ?? '', /ACCESS EXCLUSIVE/);
      assert.equal(
        f.fix?.sql,
        'CREATE UNIQUE INDEX CONCURRENTLY "users_role_email_key" ON "users" ("role", "email") INCLUDE ("createdAt");\nALTER TABLE "users" ADD CONSTRAINT "users_role_email_key" UNIQUE USING INDEX "users_role_email_key";',
      );
      // Unnamed: the name PostgreSQL would give it, past the names taken (users_email_key is).
      const [unnamed] = only(lint(`${T}ALTER TABLE "users" ADD UNIQUE NULLS NOT DISTINCT ("email");`), 'require-concurrent-constraint-index');
      assert.equal(unnamed?.fix?.sql, 'CREATE UNIQUE INDEX CONCURRENTLY "users_email_key1" ON "users" ("email") NULLS NOT DISTINCT;\nALTER TABLE "users" ADD CONSTRAINT "users_email_key1" UNIQUE USING INDEX "users_email_key1";');
      const base = 'CREATE TABLE "events" ("id" bigint NOT NULL, "at" timestamptz NOT NULL);';
      const [pk] = only(lint(`${T}ALTER TABLE "events" ADD PRIMARY KEY ("id");`, { base }), 'require-concurrent-constraint-index');
      assert.match(pk?.message ?? '', /NOT NULL/);
      assert.equal(pk.fix?.sql, 'CREATE UNIQUE INDEX CONCURRENTLY "events_pkey" ON "events" ("id");\nALTER TABLE "events" ADD CONSTRAINT "events_pkey" PRIMARY KEY USING INDEX "events_pkey";');
    });
    it('does not fire on USING INDEX, on a table created in the same file, nor on other constraints', () => {
      assert.deepEqual(only(lint(`${T}ALTER TABLE "users" ADD CONSTRAINT "users_email_key2" UNIQUE USING INDEX "users_email_key";`), 'require-concurrent-constraint-index'), []);
      assert.deepEqual(only(lint(`CREATE TABLE "t" ("id" int);\nALTER TABLE "t" ADD PRIMARY KEY ("id");`), 'require-concurrent-constraint-index'), []);
      assert.deepEqual(only(lint(`${T}ALTER TABLE "users" ADD CONSTRAINT "users_pct" CHECK ("progressPercent" >= 0) NOT VALID;`), 'require-concurrent-constraint-index'), []);
    });
  });

  describe('require-concurrent-refresh', () => {
    const MV = `${BASE}CREATE MATERIALIZED VIEW "role_counts" AS SELECT "role", count(*) AS "n" FROM "users" GROUP BY "role";\n`;
    const KEYED = `${MV}CREATE UNIQUE INDEX "role_counts_role_key" ON "role_counts" ("role");\n`;

    it('fires on a plain REFRESH of a filled view that exists, with CONCURRENTLY as the fix when a unique index on columns allows it', () => {
      const [f] = only(lint(`${T}REFRESH MATERIALIZED VIEW "role_counts";`, { base: KEYED }), 'require-concurrent-refresh');
      assert.match(f?.message ?? '', /ACCESS EXCLUSIVE/);
      assert.match(f.message, /"role_counts_role_key"/);
      assert.equal(f.fix?.sql, 'REFRESH MATERIALIZED VIEW CONCURRENTLY "role_counts";');
      // Without such an index CONCURRENTLY fails (55000): no fix, the index to create first.
      const [g] = only(lint(`${T}REFRESH MATERIALIZED VIEW "role_counts";`, { base: MV }), 'require-concurrent-refresh');
      assert.equal(g?.fix, undefined);
      assert.match(g.message, /needs a unique index/);
      // A unique index with a WHERE clause or on an expression does not match rows for it.
      const partial = `${MV}CREATE UNIQUE INDEX "rc_part" ON "role_counts" ("role") WHERE "n" > 0;\nCREATE UNIQUE INDEX "rc_expr" ON "role_counts" (lower("role"));\n`;
      assert.equal(only(lint(`${T}REFRESH MATERIALIZED VIEW "role_counts";`, { base: partial }), 'require-concurrent-refresh')[0]?.fix, undefined);
    });

    it('reports WITH NO DATA of a filled view: it empties it, and its readers fail until the next REFRESH', () => {
      const [f] = only(lint(`${T}REFRESH MATERIALIZED VIEW "role_counts" WITH NO DATA;`, { base: KEYED }), 'require-concurrent-refresh');
      assert.match(f?.message ?? '', /empties the view/);
      assert.equal(f.fix, undefined);
    });

    it('does not fire on CONCURRENTLY, a first fill, or a view made in the same file', () => {
      const none = (sql: string, base = KEYED) => assert.deepEqual(only(lint(sql, { base }), 'require-concurrent-refresh'), [], sql);
      none(`${T}REFRESH MATERIALIZED VIEW CONCURRENTLY "role_counts";`);
      // Made WITH NO DATA: nothing can read it until this first REFRESH, which can't be CONCURRENTLY (0A000).
      none(`${T}REFRESH MATERIALIZED VIEW "role_counts";`, `${BASE}CREATE MATERIALIZED VIEW "role_counts" AS SELECT "role" FROM "users" WITH NO DATA;\nCREATE UNIQUE INDEX "rk" ON "role_counts" ("role");\n`);
      none(`${T}CREATE MATERIALIZED VIEW "fresh" AS SELECT "role" FROM "users";\nREFRESH MATERIALIZED VIEW "fresh";`, BASE);
    });

    it('counts a REFRESH among the statements that take locks and run long', () => {
      const [st] = describeStatements(`REFRESH MATERIALIZED VIEW "role_counts";`);
      assert.deepEqual([st.kind, st.locks], ['refresh', [{ table: 'role_counts', mode: 'ACCESS EXCLUSIVE' }]]);
      assert.ok(st.slow);
      const [c] = describeStatements(`REFRESH MATERIALIZED VIEW CONCURRENTLY reporting.role_counts;`);
      assert.deepEqual(c.locks, [{ table: 'reporting.role_counts', mode: 'EXCLUSIVE' }]);
      // So a REFRESH without lock_timeout is reported as the first statement that needs one.
      const [lt] = only(lint(`REFRESH MATERIALIZED VIEW "role_counts";`, { base: KEYED }), 'require-lock-timeout');
      assert.match(lt?.message ?? '', /ACCESS EXCLUSIVE on "role_counts"/);
      // Nothing writes a materialized view: EXCLUSIVE (CONCURRENTLY) or SHARE (a plain CREATE INDEX) holds up only the next REFRESH.
      assert.deepEqual(only(lint(`REFRESH MATERIALIZED VIEW CONCURRENTLY "role_counts";`, { base: KEYED }), 'require-lock-timeout'), []);
      assert.deepEqual(only(lint(`${T}CREATE INDEX "rc_n_idx" ON "role_counts" ("n");`, { base: KEYED }), 'require-concurrent-index-creation'), []);
    });
  });

  describe('cannot-run-in-transaction', () => {
    it('fires on CONCURRENTLY and VACUUM in a file Prisma runs as one transaction (25001)', () => {
      const fs2 = only(lint(`CREATE INDEX CONCURRENTLY "a" ON "users" ("createdAt");\nVACUUM ANALYZE;`, { file: PRISMA }), 'cannot-run-in-transaction');
      assert.deepEqual(
        fs2.map((f) => [f.range.start.line, f.sqlstate]),
        [
          [0, '25001'],
          [1, '25001'],
        ],
      );
      assert.equal(fs2[1].fix?.sql, 'ANALYZE;');
    });
    it('fires inside an explicit BEGIN … COMMIT', () => {
      assert.equal(only(lint(`BEGIN;\nCREATE INDEX CONCURRENTLY "a" ON "users" ("createdAt");\nCOMMIT;`), 'cannot-run-in-transaction').length, 1);
    });
    it('does not fire statement by statement, nor in a one-statement Prisma migration', () => {
      assert.deepEqual(only(lint(`CREATE INDEX CONCURRENTLY "a" ON "users" ("createdAt");\nVACUUM ANALYZE;`), 'cannot-run-in-transaction'), []);
      assert.deepEqual(only(lint(`CREATE INDEX CONCURRENTLY "a" ON "users" ("createdAt");`, { file: PRISMA }), 'cannot-run-in-transaction'), []);
    });
  });

  describe('unknown-column', () => {
    it('fires on an unquoted camelCase column, explains the case folding and quotes it in the fix (42703)', () => {
      const [f] = only(lint(`${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS "x" ON "users" ("role") WHERE progressPercent < 100;`), 'unknown-column');
      assert.ok(f);
      assert.equal(f.sqlstate, '42703');
      assert.match(f.message, /column "progresspercent" does not exist/);
      assert.match(f.message, /"progressPercent"/);
      assert.equal(f.fix?.sql, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "x" ON "users" ("role") WHERE "progressPercent" < 100;');
      assert.equal(f.range.start.line, 2, 'points at the identifier');
    });
    it('checks INCLUDE lists and keys too', () => {
      assert.equal(only(lint(`${T}CREATE INDEX CONCURRENTLY "x" ON "users" ("role") INCLUDE (createdAt);`), 'unknown-column').length, 1);
      assert.equal(only(lint(`${T}CREATE INDEX CONCURRENTLY "x" ON "users" ("nope");`), 'unknown-column').length, 1);
    });
    it('does not fire on quoted or lower-case columns that exist', () => {
      assert.deepEqual(only(lint(`${T}CREATE INDEX CONCURRENTLY "x" ON "users" (role, lower(email)) WHERE "progressPercent" < 100;`), 'unknown-column'), []);
    });
    // Found by fuzzing (stop 26): an error-level false positive on every index of a partition.
    it("knows the columns a table takes from its parent (PARTITION OF, INHERITS) or copies (LIKE)", () => {
      const base = `CREATE TABLE p (tenant int, at timestamptz) PARTITION BY RANGE (at);
CREATE TABLE c PARTITION OF p FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE d () INHERITS (p);
CREATE TABLE e (LIKE p INCLUDING ALL, extra int);
`;
      const unknown = (sql: string) => only(lint(base + sql), 'unknown-column').map((f) => f.message.match(/column "(\w+)"/)?.[1]);
      assert.deepEqual(unknown('CREATE INDEX c_i ON c (tenant);\nCREATE INDEX d_i ON d (at);\nCREATE INDEX e_i ON e (tenant, extra);'), []);
      assert.deepEqual(unknown('CREATE INDEX e_bad ON e (nope);'), ['nope']);
    });
  });

  describe('migration-redundant-index', () => {
    it('fires on a duplicate of an index that exists at that point', () => {
      const [f] = only(lint(`${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_email_idx" ON "users" ("email");`), 'migration-redundant-index');
      assert.match(f.message, /duplicates UNIQUE "users_email_key"/);
    });
    it('fires on an index a later statement of the file makes redundant, and notes an existing one the migration leaves redundant', () => {
      const fs2 = only(lint(`${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_createdAt_idx" ON "users" ("createdAt");\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "users_createdAt_role_idx" ON "users" ("createdAt", "role");\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "users_role_createdAt_idx" ON "users" ("role", "createdAt");`), 'migration-redundant-index');
      assert.ok(fs2.some((f) => f.index === 'users_createdAt_idx' && /which this file creates later/.test(f.message)));
      assert.ok(fs2.some((f) => f.severity === 'info' && f.index === 'users_role_idx'));
    });
    it('fires (info) on a key column its own predicate pins', () => {
      assert.ok(only(lint(`${T}CREATE INDEX CONCURRENTLY "x" ON "users" ("createdAt", "role") WHERE "role" = 'ADMIN';`), 'migration-redundant-index').some((f) => /fixed by its own predicate/.test(f.message)));
    });
    it('does not fire on a new, distinct index', () => {
      assert.deepEqual(only(lint(`${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_createdAt_idx" ON "users" ("createdAt");`), 'migration-redundant-index'), []);
    });
  });

  describe('prefer-robust-stmts', () => {
    it('fires on CREATE INDEX without IF NOT EXISTS in a file that runs statement by statement', () => {
      const [f] = only(lint(`${T}CREATE INDEX CONCURRENTLY "a" ON "users" ("createdAt");`), 'prefer-robust-stmts');
      assert.equal(f?.fix?.sql, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "a" ON "users" ("createdAt");');
      assert.equal(only(lint(`${T}DROP INDEX CONCURRENTLY "users_role_idx";`), 'prefer-robust-stmts').length, 1);
    });
    it('does not fire with IF [NOT] EXISTS, nor in a file that runs as one transaction', () => {
      assert.deepEqual(only(lint(`${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS "a" ON "users" ("createdAt");`), 'prefer-robust-stmts'), []);
      assert.deepEqual(only(lint(`${T}CREATE INDEX "a" ON "users" ("createdAt");`, { file: PRISMA }), 'prefer-robust-stmts'), []);
    });
  });

  describe('require-lock-timeout', () => {
    it('fires once per file on statements taking write-blocking locks without lock_timeout', () => {
      const fs2 = only(lint(`DROP INDEX IF EXISTS "users_role_idx";\nCREATE INDEX IF NOT EXISTS "b" ON "users" ("createdAt");`), 'require-lock-timeout');
      assert.equal(fs2.length, 1);
      assert.equal(fs2[0].related.length, 1);
      assert.equal(fs2[0].fix?.sql, "SET lock_timeout = '5s';");
    });
    it('does not fire after SET lock_timeout, nor for CONCURRENTLY (SHARE UPDATE EXCLUSIVE blocks no reads or writes)', () => {
      assert.deepEqual(only(lint(`SET lock_timeout = '2s';\nDROP INDEX IF EXISTS "users_role_idx";`), 'require-lock-timeout'), []);
      assert.deepEqual(only(lint(`DROP INDEX CONCURRENTLY IF EXISTS "users_role_idx";`), 'require-lock-timeout'), []);
    });
    it('ignores SET LOCAL outside a transaction block (it has no effect there)', () => {
      assert.equal(only(lint(`SET LOCAL lock_timeout = '2s';\nDROP INDEX IF EXISTS "users_role_idx";`), 'require-lock-timeout').length, 1);
      assert.deepEqual(only(lint(`SET LOCAL lock_timeout = '2s';\nDROP INDEX IF EXISTS "users_role_idx";`, { file: PRISMA }), 'require-lock-timeout'), []);
    });
  });

  describe('require-statement-timeout', () => {
    it('fires on an index build without statement_timeout', () => {
      assert.equal(only(lint(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "a" ON "users" ("createdAt");`), 'require-statement-timeout').length, 1);
    });
    it('does not fire after SET statement_timeout, or when it only builds on new tables', () => {
      assert.deepEqual(only(lint(`SET statement_timeout = '30min';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "a" ON "users" ("createdAt");`), 'require-statement-timeout'), []);
      assert.deepEqual(only(lint(`CREATE TABLE "t" ("id" int);\nCREATE INDEX "t_id_idx" ON "t" ("id");`), 'require-statement-timeout'), []);
    });
  });

  describe('rollback-mismatch', () => {
    const migration = `${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_createdAt_idx" ON "users" ("createdAt" DESC);\nDROP INDEX CONCURRENTLY IF EXISTS "users_role_idx";`;
    it('does not fire when the rollback restores the index set', () => {
      const rb = `${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_role_idx" ON "users" ("role");\nDROP INDEX CONCURRENTLY IF EXISTS "users_createdAt_idx";`;
      assert.deepEqual(only(lint(migration, { rollback: rb }), 'rollback-mismatch'), []);
    });
    it('fires for an index not recreated, one left in place, and one recreated differently', () => {
      const missing = only(lint(migration, { rollback: `${T}DROP INDEX CONCURRENTLY IF EXISTS "users_createdAt_idx";` }), 'rollback-mismatch');
      assert.equal(missing.length, 1);
      assert.match(missing[0].message, /does not recreate "users_role_idx"/);
      assert.equal(missing[0].fix?.sql, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_role_idx" ON "users" ("role");');
      const left = only(lint(migration, { rollback: `${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_role_idx" ON "users" ("role");` }), 'rollback-mismatch');
      assert.match(left[0].message, /leaves "users_createdAt_idx"/);
      const different = only(lint(migration, { rollback: `${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_role_idx" ON "users" ("role" DESC);\nDROP INDEX CONCURRENTLY IF EXISTS "users_createdAt_idx";` }), 'rollback-mismatch');
      assert.match(different[0].message, /recreates "users_role_idx" as .*DESC/);
    });
  });

  describe('drop-index-noop', () => {
    it('fires on DROP INDEX IF EXISTS of an index that does not exist at that point (with the case-folding hint)', () => {
      assert.equal(only(lint(`${T}DROP INDEX CONCURRENTLY IF EXISTS "users_nope_idx";`), 'drop-index-noop').length, 1);
      const [f] = only(lint(`${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_createdAt_idx" ON "users" ("createdAt");\nDROP INDEX CONCURRENTLY IF EXISTS users_createdAt_idx;`), 'drop-index-noop');
      assert.match(f.message, /"users_createdat_idx" does not exist.*"users_createdAt_idx" exists/);
    });
    it('does not fire when the index exists', () => {
      assert.deepEqual(only(lint(`${T}DROP INDEX CONCURRENTLY IF EXISTS "users_role_idx";`), 'drop-index-noop'), []);
    });
  });

  describe('table-rewrite', () => {
    it('fires on a stored generated column, a volatile default and a type change', () => {
      const fs2 = only(
        lint(`${T}ALTER TABLE "users" ADD COLUMN IF NOT EXISTS "sv" tsvector GENERATED ALWAYS AS (to_tsvector('english', "email")) STORED;\nALTER TABLE "users" ADD COLUMN IF NOT EXISTS "token" uuid DEFAULT gen_random_uuid();\nALTER TABLE "users" ALTER COLUMN "progressPercent" TYPE bigint;`),
        'table-rewrite',
      );
      assert.deepEqual(
        fs2.map((f) => f.range.start.line),
        [2, 3, 4],
      );
      assert.match(fs2[0].message, /GENERATED ALWAYS AS/);
    });
    it('does not fire on a stable default or a binary-coercible type change', () => {
      assert.deepEqual(only(lint(`${T}ALTER TABLE "users" ADD COLUMN IF NOT EXISTS "seenAt" timestamptz DEFAULT now();\nALTER TABLE "users" ALTER COLUMN "role" TYPE text;`), 'table-rewrite'), []);
    });
    it('does not fire on SET NOT NULL of a column that is already NOT NULL (PostgreSQL skips the scan), nor count it as slow', () => {
      const sql = `SET lock_timeout = '5s';\nALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;\nALTER TABLE "users" ALTER COLUMN "id" SET NOT NULL;`;
      const findings = lint(sql);
      assert.deepEqual(only(findings, 'table-rewrite'), []);
      assert.deepEqual(only(findings, 'require-statement-timeout'), []);
    });
    it('fires on SET NOT NULL of a nullable column, also next to one already NOT NULL', () => {
      const sql = `${T}ALTER TABLE "users" ADD COLUMN IF NOT EXISTS "bio" text, ADD COLUMN IF NOT EXISTS "nick" text;\nALTER TABLE "users" ALTER COLUMN "bio" SET NOT NULL;\nALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL, ALTER COLUMN "nick" SET NOT NULL;`;
      const fs2 = only(lint(sql), 'table-rewrite');
      assert.deepEqual(
        fs2.map((f) => f.range.start.line),
        [3, 4],
      );
      assert.match(fs2[0].message, /SET NOT NULL on "bio" scans the whole table/);
      assert.match(fs2[1].message, /SET NOT NULL on "nick" scans the whole table/);
      assert.doesNotMatch(fs2[1].message, /"email"/);
    });
    const ORDERS = `${BASE}CREATE TABLE "orders" ("id" text PRIMARY KEY, "userId" text, "total" int);\n`;
    it('names the lock of ADD FOREIGN KEY (SHARE ROW EXCLUSIVE on both tables: writes wait, reads do not) and of ADD CHECK (ACCESS EXCLUSIVE)', () => {
      const sql = `${T}ALTER TABLE "orders" ADD CONSTRAINT "orders_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id");\nALTER TABLE "orders" ADD CONSTRAINT "orders_total_check" CHECK ("total" >= 0);`;
      const [fk, check, ...rest] = only(lint(sql, { base: ORDERS }), 'table-rewrite');
      assert.deepEqual(rest, []);
      assert.match(fk.message, /SHARE ROW EXCLUSIVE/);
      assert.match(fk.message, /Writes of "orders" wait/);
      assert.match(fk.message, /writes of "users"/);
      assert.doesNotMatch(fk.message, /reads|ACCESS EXCLUSIVE/i);
      assert.match(check.message, /ACCESS EXCLUSIVE/);
      assert.match(check.message, /Reads and writes of "orders" wait/);
    });
    it('does not fire on VALIDATE CONSTRAINT (SHARE UPDATE EXCLUSIVE blocks neither reads nor writes)', () => {
      const sql = `${T}ALTER TABLE "orders" ADD CONSTRAINT "orders_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") NOT VALID;\nALTER TABLE "orders" VALIDATE CONSTRAINT "orders_userId_fkey";`;
      assert.deepEqual(only(lint(sql, { base: ORDERS }), 'table-rewrite'), []);
    });
  });

  describe('lock-held-in-transaction', () => {
    it('fires where a blocking lock is taken before slow statements of the same transaction', () => {
      const fs2 = only(lint(`${T}BEGIN;\nDROP INDEX "users_role_idx";\nCREATE INDEX "users_createdAt_idx" ON "users" ("createdAt");\nCOMMIT;`), 'lock-held-in-transaction');
      assert.equal(fs2.length, 1);
      assert.equal(fs2[0].range.start.line, 3);
      assert.match(fs2[0].message, /ACCESS EXCLUSIVE on "users"/);
    });
    it('does not fire when the lock-taking statement comes last, or outside a transaction', () => {
      assert.deepEqual(only(lint(`${T}BEGIN;\nCREATE INDEX "users_createdAt_idx" ON "users" ("createdAt");\nDROP INDEX "users_role_idx";\nCOMMIT;`), 'lock-held-in-transaction'), []);
      assert.deepEqual(only(lint(`${T}DROP INDEX "users_role_idx";\nCREATE INDEX "users_createdAt_idx" ON "users" ("createdAt");`), 'lock-held-in-transaction'), []);
    });
  });

  describe('transaction-nesting', () => {
    it('fires on a nested BEGIN and on BEGIN in a Prisma migration', () => {
      assert.equal(only(lint(`BEGIN;\nBEGIN;\nCOMMIT;`), 'transaction-nesting').length, 1);
      assert.equal(only(lint(`BEGIN;\nCREATE TABLE "t" ("id" int);\nCOMMIT;`, { file: PRISMA }), 'transaction-nesting').length, 1);
    });
    it('does not fire on one BEGIN … COMMIT run statement by statement', () => {
      assert.deepEqual(only(lint(`BEGIN;\nCREATE TABLE "t" ("id" int);\nCOMMIT;`), 'transaction-nesting'), []);
    });
  });

  describe('statement-fails', () => {
    it('fires, with the SQLSTATE, on an index name already taken, a DROP INDEX of a missing index, an index on an unknown table and a rename of a missing column', () => {
      const sql = `${T}CREATE INDEX IF NOT EXISTS "users_role_idx" ON "users" ("email");\nCREATE INDEX "users_role_idx" ON "users" ("email");\nDROP INDEX "users_nope_idx";\nCREATE INDEX "orders_x_idx" ON "orders" ("x");\nALTER TABLE "users" RENAME COLUMN "nope" TO "yes";`;
      const fs2 = only(lint(sql), 'statement-fails');
      assert.deepEqual(
        fs2.map((f) => [f.range.start.line, f.sqlstate, f.severity]),
        [
          [3, '42P07', 'error'],
          [4, '42704', 'error'],
          [5, '42P01', 'error'],
          [6, '42703', 'error'],
        ],
      );
      assert.match(fs2[1].message, /"users_nope_idx" does not exist/);
    });
    it('fires on DROP INDEX CONCURRENTLY of several indexes (0A000), whether they exist or not, with one statement per index as fix', () => {
      const [f, ...rest] = only(lint(`${T}DROP INDEX CONCURRENTLY IF EXISTS "users_role_idx", "users_nope_idx";`), 'statement-fails');
      assert.deepEqual(rest, []);
      assert.equal(f?.sqlstate, '0A000');
      assert.equal(f.range.start.line, 2);
      assert.match(f.message, /DROP INDEX CONCURRENTLY does not support dropping multiple objects/);
      assert.equal(f.fix?.sql, 'DROP INDEX CONCURRENTLY IF EXISTS "users_role_idx";\nDROP INDEX CONCURRENTLY IF EXISTS "users_nope_idx";');
    });
    it('fires on DROP INDEX CONCURRENTLY … CASCADE (0A000), and leaves the index in the schema and drop-index-noop silent', () => {
      const findings = lint(`${T}DROP INDEX CONCURRENTLY "users_role_idx" CASCADE;\nDROP INDEX CONCURRENTLY IF EXISTS "users_nope_idx" CASCADE;\nDROP INDEX CONCURRENTLY IF EXISTS "users_role_idx";`);
      const fs2 = only(findings, 'statement-fails');
      assert.deepEqual(
        fs2.map((f) => [f.range.start.line, f.sqlstate]),
        [
          [2, '0A000'],
          [3, '0A000'],
        ],
      );
      assert.match(fs2[0].message, /DROP INDEX CONCURRENTLY does not support CASCADE/);
      assert.deepEqual(only(findings, 'drop-index-noop'), [], 'the rejected DROP leaves "users_role_idx" in place; the rejected IF EXISTS is no silent no-op');
    });
    it('does not fire on DROP INDEX CONCURRENTLY of one index without CASCADE, nor on a plain DROP INDEX of several', () => {
      assert.deepEqual(only(lint(`${T}DROP INDEX CONCURRENTLY IF EXISTS "users_role_idx";`), 'statement-fails'), []);
      assert.deepEqual(only(lint(`${T}DROP INDEX CONCURRENTLY "users_role_idx" RESTRICT;`), 'statement-fails'), []);
      assert.deepEqual(only(lint(`${T}DROP INDEX IF EXISTS "users_role_idx", "users_email_key" CASCADE;`), 'statement-fails'), []);
    });
    describe('CREATE INDEX CONCURRENTLY on a partitioned table', () => {
      const PARTITIONED = `${BASE}CREATE TABLE "events" ("id" bigint NOT NULL, "at" timestamptz NOT NULL) PARTITION BY RANGE ("at");\nCREATE TABLE "events_2024" PARTITION OF "events" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n`;
      it('fires (0A000) on a table an earlier migration created with PARTITION BY, with IF NOT EXISTS too', () => {
        const fs2 = only(lint(`${T}CREATE INDEX CONCURRENTLY "events_at_idx" ON "events" ("at");\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "events_id_idx" ON "events" ("id");`, { base: PARTITIONED }), 'statement-fails');
        assert.deepEqual(
          fs2.map((f) => [f.range.start.line, f.sqlstate]),
          [
            [2, '0A000'],
            [3, '0A000'],
          ],
        );
        assert.match(fs2[0].message, /cannot create index on partitioned table "events" concurrently/);
      });
      it('follows the table through RENAME and DROP within the history', () => {
        const renamed = `${T}ALTER TABLE "events" RENAME TO "happenings";\nCREATE INDEX CONCURRENTLY "h_at_idx" ON "happenings" ("at");`;
        assert.deepEqual(only(lint(renamed, { base: PARTITIONED }), 'statement-fails').map((f) => [f.range.start.line, f.sqlstate]), [[3, '0A000']]);
        const recreated = `${T}DROP TABLE "events";\nCREATE TABLE "events" ("id" bigint NOT NULL, "at" timestamptz NOT NULL);\nCREATE INDEX CONCURRENTLY "events_at_idx" ON "events" ("at");`;
        assert.deepEqual(only(lint(recreated, { base: PARTITIONED }), 'statement-fails'), []);
      });
      it('does not fire on a non-partitioned table, on a partition, or without CONCURRENTLY', () => {
        assert.deepEqual(only(lint(`${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_createdAt_idx" ON "users" ("createdAt");`, { base: PARTITIONED }), 'statement-fails'), []);
        assert.deepEqual(only(lint(`${T}CREATE INDEX CONCURRENTLY IF NOT EXISTS "events_2024_at_idx" ON "events_2024" ("at");`, { base: PARTITIONED }), 'statement-fails'), []);
        assert.deepEqual(only(lint(`${T}CREATE INDEX IF NOT EXISTS "events_at_idx" ON "events" ("at");`, { base: PARTITIONED }), 'statement-fails'), []);
      });
      it('does not ask for CONCURRENTLY where PostgreSQL refuses it, and still does on a partition', () => {
        assert.deepEqual(only(lint(`${T}CREATE INDEX IF NOT EXISTS "events_at_idx" ON "events" ("at");`, { base: PARTITIONED }), 'require-concurrent-index-creation'), []);
        assert.equal(only(lint(`${T}CREATE INDEX IF NOT EXISTS "events_2024_at_idx" ON "events_2024" ("at");`, { base: PARTITIONED }), 'require-concurrent-index-creation').length, 1);
      });
    });
    it('does not fire with IF [NOT] EXISTS, on objects the history has, nor on unknown objects when the history has no table', () => {
      assert.deepEqual(only(lint(`${T}CREATE INDEX IF NOT EXISTS "users_role_idx" ON "users" ("email");\nDROP INDEX IF EXISTS "users_nope_idx";\nDROP INDEX "users_role_idx";\nALTER TABLE "users" RENAME COLUMN "role" TO "kind";`), 'statement-fails'), []);
      const alone = lintMigrationHistory([{ file: PLAIN, text: 'CREATE INDEX "orders_x_idx" ON "orders" ("x");\nDROP INDEX "orders_y_idx";' }]).findings;
      assert.deepEqual(only(alone, 'statement-fails'), []);
    });
  });

  it('adds CONCURRENTLY after INDEX without touching the rest', () => {
    const [c, d] = describeStatements(`CREATE UNIQUE INDEX "a" ON "t" ("x");\nDROP INDEX IF EXISTS "a";`);
    assert.equal(withConcurrently(c), 'CREATE UNIQUE INDEX CONCURRENTLY "a" ON "t" ("x")');
    assert.equal(withConcurrently(d), 'DROP INDEX CONCURRENTLY IF EXISTS "a"');
  });

  it('reaches the check output through Project.analyze for a workspace’s migrations', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pir-lint-'));
    try {
      const m = path.join(dir, 'prisma', 'migrations');
      fs.mkdirSync(path.join(m, '20240101000000_init'), { recursive: true });
      fs.mkdirSync(path.join(m, '20240102000000_idx'), { recursive: true });
      fs.writeFileSync(path.join(m, '20240101000000_init', 'migration.sql'), `CREATE TABLE "users" ("id" text PRIMARY KEY, "progressPercent" int NOT NULL);`);
      fs.writeFileSync(path.join(m, '20240102000000_idx', 'migration.sql'), `CREATE INDEX "users_p_idx" ON "users" ("id") WHERE progressPercent < 100;\nVACUUM ANALYZE;`);
      const p = await Project.open(dir);
      const rules = p.analyze().findings.map((f) => f.rule);
      for (const r of ['unknown-column', 'cannot-run-in-transaction', 'require-concurrent-index-creation'] as RuleId[]) assert.ok(rules.includes(r), `${r} in ${rules.join(', ')}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says nothing about the sample’s init migration (every index is on a table it creates)', async () => {
    const p = await Project.open(path.join(REPO, 'examples', 'lms'));
    const migrationRules = new Set<string>(MIGRATION_RULES.map((r) => r.id));
    assert.deepEqual(p.analyze().findings.filter((f) => migrationRules.has(f.rule)), []);
  });
});

describe('migration linter: the schema before each statement', () => {
  before(() => initSqlParser());

  it('stays as it was when later statements create, drop or rename indexes on the same table', () => {
    const sql = [
      'CREATE INDEX "a_idx" ON "users" ("createdAt");',
      'CREATE INDEX "b_idx" ON "users" ("progressPercent");',
      'DROP INDEX "users_role_idx";',
      'ALTER INDEX "a_idx" RENAME TO "a2_idx";',
      'ALTER TABLE "users" RENAME COLUMN "role" TO "kind";',
      'CREATE INDEX "c_idx" ON "users" ("kind");',
    ].join('\n');
    const { files } = lintMigrationHistory([{ file: BASE_FILE, text: BASE }, { file: PLAIN, text: sql }]);
    const statements = files.find((f) => f.file === PLAIN)!.statements;
    const indexes = (i: number) => statements[i].before.tables.get('users')!.indexes.map((x) => `${x.name}(${x.keys.map((k) => k.column ?? k.expression).join(',')})`);
    const columns = (i: number) => [...statements[i].before.tables.get('users')!.columns.keys()];
    assert.deepEqual(indexes(0), ['users_pkey(id)', 'users_email_key(email)', 'users_role_idx(role)']);
    assert.deepEqual(indexes(1), ['users_pkey(id)', 'users_email_key(email)', 'users_role_idx(role)', 'a_idx(createdAt)']);
    assert.deepEqual(indexes(2), ['users_pkey(id)', 'users_email_key(email)', 'users_role_idx(role)', 'a_idx(createdAt)', 'b_idx(progressPercent)']);
    assert.deepEqual(indexes(3), ['users_pkey(id)', 'users_email_key(email)', 'a_idx(createdAt)', 'b_idx(progressPercent)']);
    assert.deepEqual(indexes(4), ['users_pkey(id)', 'users_email_key(email)', 'a2_idx(createdAt)', 'b_idx(progressPercent)']);
    assert.deepEqual(indexes(5), ['users_pkey(id)', 'users_email_key(email)', 'a2_idx(createdAt)', 'b_idx(progressPercent)']);
    assert.ok(columns(4).includes('role') && !columns(4).includes('kind'));
    assert.ok(columns(5).includes('kind') && !columns(5).includes('role'));
    // The file's starting schema (the base file's end) is not changed by this file's statements.
    assert.deepEqual(files.find((f) => f.file === BASE_FILE)!.after.tables.get('users')!.indexes.map((x) => x.name), ['users_pkey', 'users_email_key', 'users_role_idx']);
  });
});
