import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkGenerateOptions, durationMs, durationProblem, GenerateError, generateOptimizationMigration, latestTimestamp, nextTimestamp, timestampProblem, type GeneratedMigration } from '../../src/core/migration/generate';
import { renderMigration, renderPrismaMigration, sqlLiteral } from '../../src/core/migration/render';
import { lintMigrationHistory } from '../../src/core/migration/lint';
import { prismaIndexAttribute } from '../../src/core/migration/prisma';
import { describeStatements } from '../../src/core/migration/statements';
import { keyName } from '../../src/core/matcher/btree';
import type { IndexKey } from '../../src/core/model/schema';
import { Project } from '../../src/core/project';
import { loadPrismaSchema } from '../../src/core/schema/prisma/loadPrismaSchema';
import { initSqlParser } from '../../src/core/sql/parser';
import { runMain } from '../helpers/cli';
import { LMS, LMS_MIGRATION, REPO } from '../helpers/paths';

const OUT = path.join(REPO, 'migrations');
const NAME = '20251001205347_index_optimization';

function keys(i: { keys: IndexKey[] }): string {
  return i.keys.map((k) => `${keyName(k)}${k.desc ? ' DESC' : ''}`).join(', ');
}

describe('migration generator', () => {
  let project: Project;
  let g: GeneratedMigration;
  before(async () => {
    await initSqlParser();
    project = await Project.open(LMS);
    g = generateOptimizationMigration(project, project.analyze(), { outDir: OUT, command: 'test', toolVersion: 'test' });
  });

  it('ships migrations/ exactly as the tool generates it (regenerate with `pg-index-review migration examples/lms --out migrations`)', async () => {
    const r = await runMain(['migration', 'examples/lms', '--out', 'migrations', '--check']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const f of [`${NAME}.sql`, `${NAME}_rollback.sql`, 'README.md']) assert.ok(fs.existsSync(path.join(OUT, f)), f);
  });

  it('names the workspace’s files relative to the migration, never by an absolute path (the same files on any machine)', () => {
    for (const f of [`${NAME}.sql`, `${NAME}_rollback.sql`, 'README.md']) {
      const text = fs.readFileSync(path.join(OUT, f), 'utf8');
      assert.ok(!text.includes(path.resolve(LMS)), `${f} names ${path.resolve(LMS)}`);
    }
    // The README's list of flagged indexes kept for a query links that query like the others.
    assert.match(fs.readFileSync(path.join(OUT, 'README.md'), 'utf8'), /^- `[^`]+` \(low-selectivity-index\): .* \(\[`\.\.\/examples\/lms\/[^`]+:\d+`\]\(\.\.\/examples\/lms\/[^)]+#L\d+\)\) still uses it/m);
  });

  it('dates the migration from the workspace’s latest migration, never from the clock', () => {
    assert.equal(latestTimestamp([LMS_MIGRATION]), '20251001205346');
    assert.equal(nextTimestamp('20251231235959'), '20260101000000');
    assert.equal(g.name, NAME);
    const again = generateOptimizationMigration(project, project.analyze(), { outDir: OUT, command: 'test', toolVersion: 'test', timestamp: '20990101000000' });
    assert.equal(again.name, '20990101000000_index_optimization');
  });

  it('merges proposals: one composite index per query family, prefixes with the same predicate dropped', () => {
    const created = new Map(g.plan.creates.map((c) => [c.index.name, c]));
    const role = created.get('users_role_createdAt_idx');
    assert.ok(role, 'users (role, createdAt DESC)');
    assert.equal(keys(role.index), 'role, createdAt DESC');
    // Serves both "users by role" and "users by role, newest first".
    assert.ok(role.serves.length >= 2);
    assert.ok(role.serves.some((d) => d.verdict.access.orderBy.length > 0) && role.serves.every((d) => d.verdict.access.predicates.some((p) => 'column' in p.atom && p.atom.column === 'role')));
    // (difficulty) WHERE published is a leading prefix of (difficulty, featured DESC, createdAt DESC) WHERE published.
    const catalog = created.get('courses_difficulty_featured_createdAt_part_idx');
    assert.ok(catalog?.merged.some((p) => keys(p) === 'difficulty' && p.predicateText === catalog.index.predicateText));
    assert.ok(!g.plan.creates.some((c) => c.index.table === 'courses' && keys(c.index) === 'difficulty'));
    // (status, createdAt) and (status, createdAt DESC) become one index.
    assert.equal(g.plan.creates.filter((c) => c.index.table === 'transactions' && c.index.keys[0]?.column === 'status').length, 1);
  });

  it('leaves nothing redundant and no missing-index warning behind', () => {
    assert.deepEqual(g.residual.redundant.map((r) => r.index.name), []);
    assert.deepEqual(g.residual.missing.filter((f) => f.severity === 'warning' || f.severity === 'error').map((f) => f.index), []);
    for (const c of g.plan.creates) {
      assert.ok(!project.schema.tables.get(c.index.table)!.indexes.some((i) => i.name === c.index.name), `${c.index.name} is new`);
    }
  });

  it('drops the redundant and low-selectivity indexes, and keeps unique and constraint indexes', () => {
    const dropped = g.plan.drops.map((d) => d.index.name).sort();
    for (const n of ['users_email_idx', 'courses_slug_idx', 'transactions_providerTxnId_idx', 'certificates_certificateNo_idx', 'enrollments_userId_idx', 'course_progress_userId_idx', 'lesson_progress_progressId_idx', 'transactions_status_idx', 'media_type_idx']) assert.ok(dropped.includes(n), n);
    assert.ok(g.plan.drops.every((d) => !d.index.unique && !d.index.constraint && !d.index.primary));
    assert.ok(!dropped.includes('course_progress_progressPercent_idx'), 'the plan calls it low-cardinality; the workload uses it and it is not low-selectivity');
    // The low-selectivity index the pending-payments queries use is replaced by a new one that starts with the same column.
    assert.equal(g.plan.drops.find((d) => d.index.name === 'transactions_status_idx')?.coveredBy?.name, 'transactions_status_createdAt_idx');
  });

  it('takes an info-level proposal only where it widens an existing plain index, which it then replaces (no table gains an index that way)', () => {
    const widening = g.plan.creates.filter((c) => c.widens);
    assert.ok(widening.length > 0, 'the sample has per-parent lists whose FK index can be widened');
    for (const c of widening) {
      const w = c.widens!;
      assert.ok(c.serves.every((d) => d.severity === 'info'), `${c.index.name} serves only info-level demands`);
      assert.ok(w.keys.every((k, i) => keyName(k) === keyName(c.index.keys[i])), `${w.name} is a leading prefix of ${c.index.name}`);
      assert.ok(!w.unique && !w.primary && !w.constraint);
      const drop = g.plan.drops.find((d) => d.index === w);
      assert.equal(drop?.reason, 'superseded', `${w.name} is dropped as superseded`);
    }
    // Each widened index is replaced by one new index only.
    assert.equal(new Set(widening.map((c) => c.widens)).size, widening.length);
    // Info-level proposals that widen nothing stay out.
    for (const s of g.plan.skipped) assert.ok(!g.plan.creates.some((c) => c.proposal === s.proposal));
    assert.match(fs.readFileSync(path.join(OUT, 'README.md'), 'utf8'), /it widens `[^`]+`/);
  });

  it('widens the plain index a per-parent list (equality on its keys, ORDER BY … LIMIT) finds its rows with by the sort keys', () => {
    const lists = g.plan.creates.filter((c) => c.paginates?.length);
    assert.ok(lists.length > 0, 'the sample lists a user’s payments and attempts, newest first, with a LIMIT');
    for (const c of lists) {
      const w = c.widens!;
      assert.ok(w && !w.unique && !w.primary && !w.constraint, `${c.index.name} replaces a plain index`);
      assert.equal(g.plan.drops.find((d) => d.index === w)?.reason, 'superseded');
      for (const p of c.paginates!) {
        const a = p.verdict.access;
        assert.ok(a.limit !== undefined && a.orderBy.length > 0, `${p.shape.id} is an ORDER BY … LIMIT`);
        assert.equal(p.verdict.best?.index, w, `${p.shape.id} finds its rows through ${w.name} today`);
        // The first list decides the keys; later ones join when the index serves them in order too.
        if (p !== c.paginates![0]) continue;
        // The new keys: the old index's, the list's other equality filters, then the ORDER BY's, in its directions.
        const equal = a.predicates.flatMap(({ atom }) => (atom.kind === 'compare' && atom.op === '=' && !w.keys.some((k) => k.column === atom.column) ? [[atom.column, false]] : []));
        assert.deepEqual(
          c.index.keys.map((k) => [keyName(k), k.desc]),
          [...w.keys.map((k) => [keyName(k), k.desc]), ...equal, ...a.orderBy.filter((o) => !w.keys.some((k) => k.column === o.column)).map((o) => [o.column, o.desc])],
        );
      }
    }
    // A user's payments, newest first: not left to a walk of a new index on createdAt alone.
    const payments = lists.find((c) => c.index.table === 'transactions');
    assert.equal(payments && keys(payments.index), 'userId, createdAt DESC');
    // A course's active students by enrolment date: the status filter goes in the index too, as check proposes it.
    const roster = lists.find((c) => c.index.table === 'enrollments');
    assert.equal(roster && keys(roster.index), 'courseId, status, enrolledAt');
  });

  it('writes PostgreSQL-correct SQL: quoted names, CONCURRENTLY IF [NOT] EXISTS, timeouts first, creates before drops, ANALYZE, no transaction block', () => {
    const sql = g.files[0].text;
    const stmts = describeStatements(sql);
    assert.ok(stmts.every((s) => s.kind !== 'syntax-error'));
    assert.deepEqual(
      stmts.slice(0, 2).map((s) => [s.kind, s.setting?.name]),
      [
        ['set', 'lock_timeout'],
        ['set', 'statement_timeout'],
      ],
    );
    assert.ok(!stmts.some((s) => s.kind === 'begin' || s.kind === 'commit' || s.kind === 'vacuum'));
    const creates = stmts.filter((s) => s.kind === 'create-index');
    const drops = stmts.filter((s) => s.kind === 'drop-index');
    assert.equal(creates.length, g.plan.creates.length);
    assert.ok(creates.every((s) => /^CREATE INDEX CONCURRENTLY IF NOT EXISTS "[^"]+" ON "[^"]+"/.test(s.text)));
    assert.ok(drops.every((s) => /^DROP INDEX CONCURRENTLY IF EXISTS "[^"]+"$/.test(s.text)));
    assert.ok(Math.max(...creates.map((s) => s.ordinal)) < Math.min(...drops.map((s) => s.ordinal)), 'every replacement exists before anything is dropped');
    const analyzed = stmts.filter((s) => s.kind === 'analyze').map((s) => s.locks[0].table);
    assert.deepEqual(analyzed, g.plan.tables);
    assert.ok(stmts.findIndex((s) => s.kind === 'create-extension') < stmts.findIndex((s) => /gin_trgm_ops/.test(s.text)));
  });

  it('lints clean, and its rollback restores the index set (per the linter’s replay)', () => {
    const sources = [LMS_MIGRATION, path.join(OUT, `${NAME}.sql`), path.join(OUT, `${NAME}_rollback.sql`)].map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
    const r = lintMigrationHistory(sources, { report: (f) => f !== LMS_MIGRATION });
    assert.deepEqual(r.findings.map((f) => `${f.rule}: ${f.message}`), []);
    const rb = r.files.find((f) => f.role === 'rollback')!;
    assert.equal(rb.rollbackOf?.name, NAME);
  });

  it('recreates dropped indexes from their original definitions', () => {
    const rb = g.files[1].text;
    assert.match(rb, /CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_email_idx" ON "users"\("email"\);/);
    assert.match(rb, /DROP INDEX CONCURRENTLY IF EXISTS "users_role_createdAt_idx";/);
  });

  it('explains each statement with the finding it comes from in README.md', () => {
    const readme = g.files[2].text;
    let n = 0;
    for (const c of g.plan.creates) assert.ok(readme.includes(`] \`${c.index.name}\``), c.index.name), n++;
    for (const d of g.plan.drops) assert.ok(readme.includes(`drop \`${d.index.name}\``), d.index.name), n++;
    assert.equal(n, g.plan.creates.length + g.plan.drops.length);
    assert.match(readme, /From \*\*missing-index\*\*/);
    assert.match(readme, /From \*\*redundant-index\*\*/);
    assert.match(readme, /From \*\*low-selectivity-index\*\*/);
    assert.match(readme, /\[`\.\.\/examples\/lms\/src\/services\/users\.ts:\d+`\]\(\.\.\/examples\/lms\/src\/services\/users\.ts#L\d+\)/);
  });

  it('renders @@index through @map and sort, and says why Prisma cannot declare partial indexes', () => {
    const media = project.schema.tables.get('media')!;
    const mapping = project.schema.prisma!;
    const idx = { name: 'media_uploaded_by_createdAt_idx', table: 'media', method: 'btree', keys: [{ column: 'uploaded_by', desc: false, nullsFirst: false }, { column: 'createdAt', desc: true, nullsFirst: true }], include: [], unique: false, primary: false, constraint: false, valid: true, origin: 'migration' as const };
    assert.equal(prismaIndexAttribute(idx, media, mapping).attribute, '@@index([uploadedById, createdAt(sort: Desc)], map: "media_uploaded_by_createdAt_idx")');
    assert.match(prismaIndexAttribute({ ...idx, predicateText: '"published"', predicate: [] }, media, mapping).why ?? '', /partial index/);
  });

  it('drops an index as superseded only when the new one reads every order it reads (NULLS ordering and collation included)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pir-nulls-'));
    try {
      fs.mkdirSync(path.join(dir, 'migrations', '001_init'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'migrations', '001_init', 'migration.sql'),
        'CREATE TABLE ca (id bigint PRIMARY KEY, revenue numeric NOT NULL, score int, code text);\n' +
          'CREATE INDEX ca_rev_idx ON ca (revenue DESC);\nCREATE INDEX ca_score_idx ON ca (score);\nCREATE INDEX ca_code_idx ON ca (code);\n',
      );
      fs.writeFileSync(
        path.join(dir, 'queries.sql'),
        'SELECT * FROM ca ORDER BY revenue DESC LIMIT 10;\nSELECT * FROM ca ORDER BY revenue DESC NULLS LAST LIMIT 10;\n' +
          'SELECT * FROM ca ORDER BY score DESC LIMIT 10;\nSELECT * FROM ca ORDER BY score DESC NULLS LAST LIMIT 10;\n' +
          "SELECT * FROM ca ORDER BY code LIMIT 10;\nSELECT * FROM ca WHERE code COLLATE \"C\" LIKE 'ab%';\n",
      );
      fs.writeFileSync(path.join(dir, 'pg-index-review.json'), JSON.stringify({ rows: { ca: 1_000_000 } }));
      const p = await Project.open(dir);
      const generated = generateOptimizationMigration(p, p.analyze(), { outDir: path.join(dir, 'out'), command: 'test', toolVersion: 'test', timestamp: '20260101000000' });
      const plan = generated.plan;
      // Nothing dropped: no INVALID-index check is needed before the (absent) drops.
      assert.doesNotMatch(generated.files[0].text, /\$guard\$/);
      assert.ok(plan.creates.some((c) => c.index.keys[0].column === 'revenue' && c.index.keys[0].desc && !c.index.keys[0].nullsFirst), 'a (revenue DESC NULLS LAST) index is proposed');
      assert.ok(plan.creates.some((c) => c.index.keys[0].column === 'score' && c.index.keys[0].desc && !c.index.keys[0].nullsFirst), 'a (score DESC NULLS LAST) index is proposed');
      assert.deepEqual(plan.drops.map((d) => d.index.name), [], 'the old indexes still serve ORDER BY … DESC (NULLS FIRST) and ORDER BY code');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates the index of an unindexed foreign key the workspace deletes through, once for all its DELETEs, and says which rule asked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pir-fk-'));
    try {
      fs.mkdirSync(path.join(dir, 'migrations', '001_init'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'migrations', '001_init', 'migration.sql'),
        'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE TABLE admins (id bigint PRIMARY KEY);\n' +
          'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), total numeric NOT NULL);\n' +
          '-- pg-index-review-ignore unindexed-foreign-key\nALTER TABLE orders ADD CONSTRAINT orders_admin_fk FOREIGN KEY (user_id) REFERENCES admins (id);\n',
      );
      // The DELETE from admins searches the same column through the silenced key: it asks for no index.
      fs.writeFileSync(path.join(dir, 'queries.sql'), 'DELETE FROM users WHERE id = $1;\nDELETE FROM users WHERE email = $1;\nDELETE FROM admins WHERE id = $1;\n');
      fs.writeFileSync(path.join(dir, 'pg-index-review.json'), JSON.stringify({ rows: { users: 100_000, admins: 100, orders: 2_000_000 } }));
      const p = await Project.open(dir);
      const result = p.analyze();
      const fk = result.findings.filter((f) => f.rule === 'unindexed-foreign-key');
      assert.equal(fk.length, 1);
      assert.equal(path.relative(dir, fk[0].file), path.join('migrations', '001_init', 'migration.sql'));
      assert.equal(fk[0].related.length, 2);
      const generated = generateOptimizationMigration(p, result, { outDir: path.join(dir, 'out'), command: 'test', toolVersion: 'test', timestamp: '20260101000000' });
      const created = generated.plan.creates.filter((c) => c.index.table === 'orders');
      assert.deepEqual(created.map((c) => [keys(c.index), c.serves.length]), [['user_id', 2]]);
      assert.match(generated.files.find((f) => f.path.endsWith('README.md'))!.text, /From \*\*unindexed-foreign-key\*\*/);
      assert.deepEqual(generated.residual.missing, []);
      // With the rule off, nothing asks for the index, and what is left after the migration says nothing of it either.
      fs.writeFileSync(path.join(dir, 'pg-index-review.json'), JSON.stringify({ rows: { users: 100_000, admins: 100, orders: 2_000_000 }, rules: { 'unindexed-foreign-key': 'off' } }));
      const off = await Project.open(dir);
      const without = generateOptimizationMigration(off, off.analyze(), { outDir: path.join(dir, 'out'), command: 'test', toolVersion: 'test', timestamp: '20260101000000' });
      assert.deepEqual(without.plan.creates.filter((c) => c.index.table === 'orders'), []);
      assert.deepEqual(without.residual.missing.map((f) => f.rule), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('--prisma on a copy of the sample', () => {
    let dir: string;
    let run: Awaited<ReturnType<typeof runMain>>;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pir-prisma-'));
      fs.cpSync(LMS, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
      run = await runMain(['migration', dir, '--out', path.join(dir, 'optimization'), '--prisma']);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('edits schema.prisma: @@index lines added to the right models with map and sort, dropped ones removed; Prisma’s engine accepts it', () => {
      assert.equal(run.code, 0, run.stderr);
      const text = fs.readFileSync(path.join(dir, 'prisma', 'schema.prisma'), 'utf8');
      const model = (name: string) => /model (\w+) \{[\s\S]*?\n\}/g.exec(text.slice(text.indexOf(`model ${name} {`)))![0];
      assert.match(model('User'), /@@index\(\[role, createdAt\(sort: Desc\)\], map: "users_role_createdAt_idx"\)/);
      assert.doesNotMatch(model('User'), /@@index\(\[email\]\)/);
      assert.match(model('Media'), /@@index\(\[type, createdAt\(sort: Desc\)\], map: "media_type_createdAt_idx"\)/);
      assert.doesNotMatch(model('Media'), /@@index\(\[type\]\)/);
      assert.match(model('Course'), /@@index\(\[title\(ops: raw\("gin_trgm_ops"\)\), description\(ops: raw\("gin_trgm_ops"\)\)\], type: Gin, map: "courses_title_description_idx"\)/);
      assert.match(model('Course'), /\/\/ pg-index-review: "courses_price_createdAt_part_idx" exists in SQL only — a partial index/);
      // The new lines sit before @@map.
      assert.ok(model('User').indexOf('users_role_createdAt_idx') < model('User').indexOf('@@map'));
      const loaded = loadPrismaSchema(text, path.join(dir, 'prisma', 'schema.prisma'));
      assert.deepEqual(loaded.problems.filter((p) => p.severity === 'error').map((p) => p.message), []);
      assert.ok(loaded.schema.tables.get('users')!.indexes.some((i) => i.name === 'users_role_createdAt_idx'));
    });

    it('writes prisma/migrations/<timestamp>_index_optimization/migration.sql that runs in Prisma’s transaction', () => {
      const file = path.join(dir, 'prisma', 'migrations', NAME, 'migration.sql');
      const text = fs.readFileSync(file, 'utf8');
      assert.doesNotMatch(text.replace(/^--.*$/gm, ''), /CONCURRENTLY|VACUUM|BEGIN|COMMIT/);
      assert.match(text, /^SET LOCAL lock_timeout = '5s';$/m);
      const r = lintMigrationHistory(
        [
          { file: path.join(dir, 'prisma', 'migrations', '20251001205346_init', 'migration.sql'), text: fs.readFileSync(LMS_MIGRATION, 'utf8') },
          { file, text },
        ],
        { report: (f) => f === file },
      );
      assert.equal(r.files[1].runner, 'prisma');
      assert.deepEqual(r.findings.filter((f) => f.severity === 'error').map((f) => f.message), []);
      assert.match(run.stderr, /has no CONCURRENTLY: Prisma migrate runs the file as one transaction/);
    });

    it('leaves a workspace the analysis finds consistent: no drift between schema.prisma and the migrations, nothing redundant', async () => {
      const p = await Project.open(dir);
      const findings = p.analyze().findings;
      assert.deepEqual(findings.filter((f) => f.rule === 'schema-drift' && f.severity !== 'info').map((f) => f.message), []);
      assert.deepEqual(findings.filter((f) => f.rule === 'redundant-index' || f.rule === 'low-selectivity-index').filter((f) => !/reads? it whole in place of the table/.test(f.message)).map((f) => f.index), []);
      assert.deepEqual(findings.filter((f) => f.rule === 'missing-index' && f.severity === 'warning').map((f) => f.index), []);
    });
  });
});

describe('migration generator: the options that end up in the SQL', () => {
  let project: Project;
  before(async () => {
    await initSqlParser();
    project = await Project.open(LMS);
  });

  const INJECTION = "5s'; DROP TABLE users; --";

  it('durations: PostgreSQL’s (a number, an optional unit us, ms, s, min, h or d), nothing else', () => {
    for (const ok of ['0', '500', '1500us', '250ms', '5s', '1.5 min', '2h', '1d', '24d']) assert.equal(durationProblem('--lock-timeout', ok), undefined, ok);
    assert.equal(durationMs('1.5 min'), 90_000);
    assert.equal(durationMs('1500us'), 1.5);
    for (const bad of [INJECTION, '5S', '5 seconds', '-1s', '1e3', '', 's', '5s;']) {
      assert.match(durationProblem('--lock-timeout', bad) ?? '', /^--lock-timeout must be a PostgreSQL duration/, bad);
    }
    assert.match(durationProblem('--statement-timeout', '500us') ?? '', /less than 1ms/);
    assert.match(durationProblem('--statement-timeout', '25d') ?? '', /more than PostgreSQL allows/);
  });

  it('timestamps: real date-times only', () => {
    for (const ok of ['20250101000000', '20240229235959', '20001231235959', '99991231235959']) assert.equal(timestampProblem(ok), undefined, ok);
    for (const bad of ['20250229000000', '21000229000000', '20250631000000', '20251301000000', '20250101250000', '20250101006000', '20250101000060', '00000101000000', '2025010100000', 'abcdefghijklmn']) {
      assert.match(timestampProblem(bad) ?? '', /^--timestamp must be a date and time written YYYYMMDDHHMMSS/, bad);
    }
  });

  it('generateOptimizationMigration refuses them too (the editor’s command calls it directly): a GenerateError, no SQL', () => {
    const base = { outDir: OUT, command: 'test', toolVersion: 'test' };
    for (const opts of [{ lockTimeout: INJECTION }, { statementTimeout: "1h'; SELECT pg_sleep(100); --" }, { timestamp: '20250230000000' }]) {
      assert.throws(() => generateOptimizationMigration(project, project.analyze(), { ...base, ...opts }), GenerateError, JSON.stringify(opts));
      assert.throws(() => checkGenerateOptions(opts), GenerateError);
    }
    const g = generateOptimizationMigration(project, project.analyze(), { ...base, lockTimeout: '2s', statementTimeout: '30 min' });
    assert.match(g.files[0].text, /^SET lock_timeout = '2s';\nSET statement_timeout = '30 min';$/m);
  });

  it('renders any value as one SQL literal, even one that bypassed the check; a line break in the command stays in the comment', () => {
    assert.equal(sqlLiteral('5s'), "'5s'");
    assert.equal(sqlLiteral(INJECTION), "'5s''; DROP TABLE users; --'");
    assert.equal(sqlLiteral("5s\\'; DROP TABLE users; --"), "E'5s\\\\''; DROP TABLE users; --'");
    const g = generateOptimizationMigration(project, project.analyze(), { outDir: OUT, command: 'test', toolVersion: 'test' });
    const ctx = {
      name: g.name,
      toolVersion: 'test',
      command: 'pg-index-review migration evil\nDROP TABLE users;',
      rel: (f: string) => f,
      originalCreate: () => undefined,
      lockTimeout: INJECTION,
      statementTimeout: '1h',
      stats: { queries: 1, indexes: 1, tables: 1 },
      residual: g.residual,
      workspace: '.',
    };
    const { sql, rollback } = renderMigration(g.plan, ctx);
    for (const text of [sql, rollback]) {
      assert.ok(text.includes("SET lock_timeout = '5s''; DROP TABLE users; --';"), text.slice(0, 2000));
      assert.ok(!/^DROP TABLE/m.test(text), 'the command line’s second line is a comment');
    }
    assert.match(sql, /^-- DROP TABLE users;$/m);
    assert.ok(renderPrismaMigration(g.plan, ctx, `${g.name}.sql`).includes("SET LOCAL lock_timeout = '5s''; DROP TABLE users; --';"));
  });
});
