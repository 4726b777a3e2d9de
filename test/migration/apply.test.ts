/**
 * `apply` against a real PostgreSQL 15 server: the sample's generated migration and its rollback on
 * the sample schema with data, a lock held by another session, a backend killed mid-build, a second
 * run, the Prisma layout, and production-looking targets.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Client } from 'pg';
import { applyMigration, type ApplyEvent, checkTarget, checksumOf, refusal } from '../../src/core/migration/apply';
import { generateOptimizationMigration, type GeneratedMigration } from '../../src/core/migration/generate';
import { cloneSchema } from '../../src/core/migration/lint/history';
import type { IndexDef, SchemaModel } from '../../src/core/model/schema';
import { keyName } from '../../src/core/matcher/btree';
import { Project } from '../../src/core/project';
import { applyStatement } from '../../src/core/schema/migrations/applyStatement';
import { initSqlParser, parseSqlDocument } from '../../src/core/sql/parser';
import { runMain } from '../helpers/cli';
import { LMS, REPO } from '../helpers/paths';
import { PgCluster } from '../support/pgCluster';
import { connect, createTemplate, freshDatabase, indexDefs, invalidIndexNames, read } from './support';

const NAME = '20251001205347_index_optimization';
const MIGRATION = path.join(REPO, 'migrations', `${NAME}.sql`);
const ROLLBACK = path.join(REPO, 'migrations', `${NAME}_rollback.sql`);
/** Statements in the shipped migration (after initSqlParser). */
const total = () => parseSqlDocument(read(MIGRATION)).length;

/** What an index is, read back from pg_indexes the same way as from the plan: keys, order, operator classes, predicate. */
function signature(i: IndexDef): string {
  const keys = i.keys.map((k) => `${keyName(k)}${k.opclass ? ` ${k.opclass}` : ''}${k.desc ? ' DESC' : ''}${k.nullsFirst !== k.desc ? ' NULLS' : ''}`).join(', ');
  return `${i.table}.${i.name} ${i.unique ? 'UNIQUE ' : ''}${i.method} (${keys})${i.predicateText ? ` WHERE ${i.predicateText.replace(/["()\s]/g, '')}` : ''}`;
}

function planned(schema: SchemaModel): string[] {
  return [...schema.tables.values()].flatMap((t) => t.indexes.map(signature)).sort();
}

/** pg_indexes → the same signatures, parsed by the product's own migration model. */
function fromCatalog(defs: Map<string, string>, shape: SchemaModel): string[] {
  const s = cloneSchema(shape);
  for (const t of s.tables.values()) t.indexes = [];
  for (const def of defs.values()) {
    const [stmt] = parseSqlDocument(def);
    applyStatement(s, stmt.ast!, { location: { file: 'pg_indexes', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, text: def });
  }
  // Constraint indexes read back as plain unique indexes: compare them as such.
  return [...s.tables.values()].flatMap((t) => t.indexes.map(signature)).sort();
}

function asCatalogSees(schema: SchemaModel): SchemaModel {
  const s = cloneSchema(schema);
  for (const t of s.tables.values()) t.indexes = t.indexes.map((i) => ({ ...i, constraint: false, primary: false }));
  return s;
}

describe('apply (PostgreSQL 15)', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  let g: GeneratedMigration;
  const text = read(MIGRATION);

  before(async function () {
    if (!PgCluster.available()) this.skip();
    await initSqlParser();
    cluster = await PgCluster.start();
    createTemplate(cluster);
    const project = await Project.open(LMS);
    g = generateOptimizationMigration(project, project.analyze(), { outDir: path.join(REPO, 'migrations'), command: 'test', toolVersion: 'test', prisma: true });
  });
  after(() => cluster?.stop());

  it('applies the sample’s migration (index set = the plan), is a no-op the second time, and the rollback restores the original index set exactly', async () => {
    const url = cluster.url(freshDatabase(cluster));
    const before = await indexDefs(url);
    assert.deepEqual(fromCatalog(before, g.plan.before), planned(asCatalogSees(g.plan.before)), 'the template holds the schema the analysis read');

    const events: ApplyEvent['type'][] = [];
    const r = await applyMigration({ file: MIGRATION, text, url, onEvent: (e) => events.push(e.type), pollMs: 50 });
    assert.equal(r.status, 'applied', r.message);
    assert.ok(r.steps.every((s) => s.status === 'done'));
    assert.equal(await invalidIndexNames(url).then((x) => x.length), 0);
    const after = await indexDefs(url);
    assert.deepEqual(fromCatalog(after, g.plan.before), planned(asCatalogSees(g.plan.after)), 'pg_indexes after apply = the planned index set');
    assert.equal(after.size, before.size + g.plan.creates.length - g.plan.drops.length);

    const again = await applyMigration({ file: MIGRATION, text, url });
    assert.equal(again.status, 'already-applied', again.message);
    assert.deepEqual(await indexDefs(url), after);

    const rb = await applyMigration({ file: ROLLBACK, text: read(ROLLBACK), url });
    assert.equal(rb.status, 'applied', rb.message);
    assert.deepEqual(await indexDefs(url), before, 'pg_indexes after rollback = before, definition for definition');
    const c = await connect(url);
    try {
      const rows = (await c.query(`SELECT name, status, statements_done, statements_total, checksum FROM index_review.applied_migrations ORDER BY name`)).rows;
      assert.deepEqual(
        rows.map((x) => [x.name, x.status, x.statements_done === x.statements_total]),
        [
          [NAME, 'applied', true],
          [`${NAME}_rollback`, 'applied', true],
        ],
      );
      assert.equal(rows[0].checksum, checksumOf(text));
    } finally {
      await c.end();
    }
  });

  it('previews before running: lock level, sizes, existing indexes; the dry run changes nothing', async () => {
    const url = cluster.url(freshDatabase(cluster));
    const r = await applyMigration({ file: MIGRATION, text, url, dryRun: true });
    assert.equal(r.status, 'dry-run');
    const create = r.preview!.find((p) => p.index === 'users_role_createdAt_idx')!;
    assert.deepEqual([create.table, create.lock, create.indexState, create.action], ['users', 'SHARE UPDATE EXCLUSIVE', 'absent', 'run']);
    assert.ok(create.tableBytes! > 0 && create.tableRows === 3000);
    const drop = r.preview!.find((p) => p.index === 'users_email_idx')!;
    assert.deepEqual([drop.kind, drop.table, drop.lock, drop.indexState], ['drop-index', 'users', 'SHARE UPDATE EXCLUSIVE', 'valid']);
    const c = await connect(url);
    try {
      assert.equal((await c.query(`SELECT to_regnamespace('index_review') AS s`)).rows[0].s, null);
    } finally {
      await c.end();
    }
  });

  it('stops at lock_timeout when another session holds ACCESS EXCLUSIVE on the table, and leaves no INVALID index', async () => {
    const url = cluster.url(freshDatabase(cluster));
    const blocker = await connect(url);
    try {
      await blocker.query('BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const t0 = Date.now();
      const r = await applyMigration({ file: MIGRATION, text, url, lockTimeoutMs: 1000 });
      assert.equal(r.status, 'failed', r.message);
      assert.equal(r.error?.code, '55P03');
      assert.ok(Date.now() - t0 < 15_000);
      const failed = r.steps.find((s) => s.status === 'failed')!;
      assert.match(failed.sql, /"users_createdAt_idx"/);
      assert.deepEqual(
        r.steps.filter((s) => s.status === 'done').map((s) => s.ordinal),
        [0, 1, 2],
      );
      assert.equal(r.done, 3);
      assert.deepEqual(await invalidIndexNames(url), []);
      assert.match(r.message, new RegExp(`failed at statement 4 \\(line \\d+\\).*lock timeout.*3 of ${total()} are done`));
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
  });

  it('run with psql -f, stops before any drop when an earlier run left a new index INVALID, and runs through once it is dropped', async () => {
    const db = freshDatabase(cluster);
    const url = cluster.url(db);
    const before = await indexDefs(url);
    // An INVALID index under a planned name: a unique build over a table's (duplicate) rows fails and leaves one.
    const target = g.plan.creates.find((c) => Number(cluster.psql(`SELECT count(*) FROM "${c.index.table}"`, db)) >= 2)!.index;
    assert.throws(() => cluster.psql(`CREATE UNIQUE INDEX CONCURRENTLY "${target.name}" ON "${target.table}" ((1))`, db));
    assert.deepEqual(await invalidIndexNames(url), [target.name]);
    assert.throws(() => cluster.psqlFile(MIGRATION, db), /INVALID index left by a failed CREATE INDEX CONCURRENTLY/);
    const after = await indexDefs(url);
    for (const d of g.plan.drops) assert.ok(after.has(d.index.name), `${d.index.name} is not dropped`);
    assert.ok(before.size < after.size, 'the builds before the check ran');
    cluster.psql(`DROP INDEX CONCURRENTLY "${target.name}"`, db);
    cluster.psqlFile(MIGRATION, db);
    assert.deepEqual(await invalidIndexNames(url), []);
    assert.deepEqual(fromCatalog(await indexDefs(url), g.plan.before), planned(asCatalogSees(g.plan.after)));
  });

  it('recovers on the next run when the backend is killed mid-build (the INVALID index is dropped, the run resumes)', async () => {
    const url = cluster.url(freshDatabase(cluster));
    // A writer in an open transaction makes CREATE INDEX CONCURRENTLY wait ("waiting for writers before build")
    // after it has created its INVALID catalog entry: the build is in flight for as long as we need.
    const writer = await connect(url);
    const killer = await connect(url);
    let killed = false;
    try {
      await writer.query(`BEGIN; INSERT INTO users (id, email, role, "createdAt", "updatedAt") VALUES ('writer', 'writer@example.com', 'STUDENT', now(), now())`);
      const phases: string[] = [];
      const r1 = await applyMigration({
        file: MIGRATION,
        text,
        url,
        lockTimeoutMs: 1000,
        pollMs: 50,
        onEvent: (e) => {
          if (e.type !== 'progress') return;
          phases.push(e.progress.phase);
          if (killed) return;
          killed = true;
          void killer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pg-index-review' AND query LIKE 'CREATE INDEX CONCURRENTLY%' AND state = 'active'`);
        },
      });
      assert.ok(killed, 'the build was observed through pg_stat_progress_create_index');
      assert.ok(phases.some((p) => /waiting for writers/.test(p)), phases.join());
      assert.equal(r1.status, 'failed', r1.message);
      assert.equal(r1.done, 3);
      // The cleanup could not drop it while the writer is still there: it says so, and the index is INVALID.
      assert.deepEqual(await invalidIndexNames(url), ['users_createdAt_idx']);
      assert.deepEqual(r1.invalidIndexes.map((x) => [x.name, x.dropped]), [['users_createdAt_idx', false]]);
      await writer.query('ROLLBACK');

      const cleaned: string[] = [];
      const r2 = await applyMigration({ file: MIGRATION, text, url, onEvent: (e) => e.type === 'cleanup' && e.dropped && cleaned.push(e.index) });
      assert.equal(r2.status, 'applied', r2.message);
      assert.equal(r2.resumedFrom, 3);
      assert.deepEqual(cleaned, ['users_createdAt_idx']);
      assert.deepEqual(await invalidIndexNames(url), []);
      assert.deepEqual(fromCatalog(await indexDefs(url), g.plan.before), planned(asCatalogSees(g.plan.after)));
    } finally {
      await writer.end();
      await killer.end();
    }
  });

  it('cancels the running build (pg_cancel_backend) when asked, and says what ran', async () => {
    const url = cluster.url(freshDatabase(cluster));
    const writer = await connect(url);
    try {
      await writer.query(`BEGIN; INSERT INTO users (id, email, role, "createdAt", "updatedAt") VALUES ('writer', 'writer@example.com', 'STUDENT', now(), now())`);
      const controller = new AbortController();
      const r = await applyMigration({ file: MIGRATION, text, url, lockTimeoutMs: 500, pollMs: 50, signal: controller.signal, onEvent: (e) => e.type === 'progress' && controller.abort() });
      assert.equal(r.status, 'cancelled', r.message);
      assert.equal(r.error?.code, '57014');
      assert.deepEqual(
        r.steps.map((s) => s.status).slice(0, 5),
        ['done', 'done', 'done', 'failed', 'not-run'],
      );
      assert.match(r.message, new RegExp(`cancelled at statement 4 .*3 of ${total()} are done.*INVALID index left: users_createdAt_idx`));
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      await writer.end();
    }
  });

  it('the Prisma-layout migration runs as one multi-statement query (as prisma migrate deploy sends it); apply --prisma adds CONCURRENTLY and records it in _prisma_migrations', async () => {
    const prismaFile = g.files.find((f) => f.kind === 'prisma-migration')!;
    const expected = planned(asCatalogSees(g.plan.after));
    let c: Client = await connect(cluster.url(freshDatabase(cluster)));
    try {
      await c.query(prismaFile.text);
    } finally {
      await c.end();
    }
    const url = cluster.url(freshDatabase(cluster));
    const r = await applyMigration({ file: prismaFile.path, text: prismaFile.text, url, prisma: true });
    assert.equal(r.status, 'applied', r.message);
    assert.ok(r.steps.filter((s) => /INDEX/.test(s.sql)).every((s) => /INDEX CONCURRENTLY/.test(s.sql)));
    assert.deepEqual(fromCatalog(await indexDefs(url), g.plan.before), expected);
    c = await connect(url);
    try {
      const rows = (await c.query(`SELECT migration_name, checksum, finished_at IS NOT NULL AS done, applied_steps_count FROM "_prisma_migrations"`)).rows;
      assert.deepEqual(rows, [{ migration_name: NAME, checksum: checksumOf(prismaFile.text), done: true, applied_steps_count: 1 }]);
    } finally {
      await c.end();
    }
    assert.equal((await applyMigration({ file: prismaFile.path, text: prismaFile.text, url, prisma: true })).status, 'already-applied');
  });

  it('refuses a production-looking database unless its name is confirmed (CLI: dry run first, password never printed)', async () => {
    cluster.psql('CREATE DATABASE lms_prod TEMPLATE lms_template');
    const url = cluster.url('lms_prod');
    const refused = await runMain(['apply', MIGRATION, '--database', url, '--yes']);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /Dry run on 127\.0\.0\.1:\d+\/lms_prod/);
    assert.match(refused.stdout, /refused: database name "lms_prod" looks like production: type the database name again to go ahead \(--confirm lms_prod\)/);
    assert.ok(!refused.stdout.includes(PgCluster.PASSWORD) && !refused.stderr.includes(PgCluster.PASSWORD));
    assert.deepEqual(await indexDefs(url).then((d) => d.has('users_role_createdAt_idx')), false);
    const ok = await runMain(['apply', MIGRATION, '--database', url, '--yes', '--confirm', 'lms_prod']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /\[4\] CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_createdAt_idx"/);
    assert.match(ok.stdout, new RegExp(`${total()} statements applied on 127\\.0\\.0\\.1:\\d+/lms_prod`));
    assert.ok(!ok.stdout.includes(PgCluster.PASSWORD));
  });

  it('recognises production-looking names and hosts, and the allow-list', () => {
    assert.equal(checkTarget('postgresql://app:pw@db.internal/lms_prod').production, true);
    assert.equal(checkTarget('postgresql://app:pw@prod-db.example.com/lms').production, true);
    assert.equal(checkTarget('postgresql://app:pw@localhost/live').production, true);
    assert.equal(checkTarget('postgresql://app:pw@localhost/production').production, true);
    assert.equal(checkTarget('postgresql://app:pw@localhost/product_catalog').production, false);
    assert.equal(checkTarget('postgresql://app:pw@olive.example.com/lms_staging').production, false);
    const prod = checkTarget('postgresql://app:pw@localhost/lms_prod');
    assert.match(refusal(prod, undefined)!, /--confirm lms_prod/);
    assert.match(refusal(prod, 'lms')!, /does not match/);
    assert.equal(refusal(prod, 'lms_prod'), undefined);
    assert.equal(refusal(checkTarget('postgresql://app:pw@localhost/lms_prod', ['lms_prod']), undefined), undefined);
  });
});
