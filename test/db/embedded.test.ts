/**
 * The embedded database (PGlite, PostgreSQL 18 in WASM). One instance for the whole file: it takes
 * ~3 s and ~400 MB to start. Data at 1/1000 of the sample's configured rows (at least 1000 a table).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSession, type Session } from '../../src/core/db/connection';
import { closeEmbeddedDatabase, getEmbeddedDatabase, type EmbeddedDatabase } from '../../src/core/db/embedded/pglite';
import { scaledRows } from '../../src/core/db/embedded/seed';
import { explainStatement } from '../../src/core/db/explain';
import { checkMissingIndexes, checkRedundantIndexes } from '../../src/core/db/proveFindings';
import { whatIfIndex } from '../../src/core/db/whatIf';
import { quoteAlways, quoteTable } from '../../src/core/sql/identifiers';
import { Project } from '../../src/core/project';
import { loadMigrations } from '../../src/core/schema/migrations/loadMigrations';
import { runMain } from '../helpers/cli';
import { LMS } from '../helpers/paths';
import { PgCluster } from '../support/pgCluster';
import { comparable, loadSample, sampleMigrations, sampleRows } from './sample';

const SCALE = 1 / 1000;

describe('embedded database (PGlite)', function () {
  this.timeout(180_000);
  let project: Project;
  let db: EmbeddedDatabase;
  let s: Session;
  const count = async (sql: string) => Number((await s.query<{ n: number }>(sql))[0].n);

  before(async () => {
    project = await Project.open(LMS);
    db = await getEmbeddedDatabase(project, { scale: SCALE });
    s = db.session;
  });
  after(() => closeEmbeddedDatabase());

  it('starts lazily, once per workspace and row counts', async () => {
    assert.equal(await getEmbeddedDatabase(project, { scale: SCALE }), db, 'cached');
    assert.equal(db.serverVersion, 18);
    assert.equal(s.embedded, true);
    assert.equal(s.readOnly, true);
    assert.match(s.target, /^embedded PGlite \(synthetic data at 1\/1000 of the configured rows\)$/);
    assert.deepEqual(db.problems, []);
  });

  it('loads the sample schema from its migrations', () => {
    assert.deepEqual(comparable(db.schema), comparable(loadMigrations(sampleMigrations()).schema));
  });

  it('fills every table at the scaled row counts, with foreign keys that point at existing rows and unique keys that are unique', async () => {
    const wanted = scaledRows(db.schema.tables.keys(), { rows: sampleRows(), scale: SCALE });
    for (const [table, n] of db.rows) {
      assert.ok(n > 0, `${table} has rows`);
      assert.ok(n <= wanted[table], table);
      assert.equal(await count(`SELECT count(*)::int AS n FROM ${quoteTable(table)}`), n, table);
    }
    assert.equal(db.rows.get('lesson_progress'), 10_000);
    assert.equal(db.rows.get('users'), 1_000);
    for (const t of db.schema.tables.values()) {
      for (const fk of t.foreignKeys) {
        const on = fk.columns.map((c, i) => `p.${quoteAlways(fk.refColumns[i])} = c.${quoteAlways(c)}`).join(' AND ');
        const dangling = await count(
          `SELECT count(*)::int AS n FROM ${quoteTable(t.name)} c WHERE ${fk.columns.map((c) => `c.${quoteAlways(c)} IS NOT NULL`).join(' AND ')} AND NOT EXISTS (SELECT 1 FROM ${quoteTable(fk.refTable)} p WHERE ${on})`,
        );
        assert.equal(dangling, 0, `${fk.name}: every reference exists`);
      }
      for (const i of t.indexes.filter((x) => x.unique)) {
        const cols = i.keys.map((k) => `x.${quoteAlways(k.column!)}`);
        const dups = await count(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${quoteTable(t.name)} x WHERE ${cols.map((c) => `${c} IS NOT NULL`).join(' AND ')} GROUP BY ${cols.join(', ')} HAVING count(*) > 1) d`);
        assert.equal(dups, 0, `${i.name} holds`);
      }
    }
    // Skew: enums towards their default, booleans 80/20 towards theirs.
    const [top] = await s.query<{ status: string }>(`SELECT status::text FROM enrollments GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    assert.equal(top.status, 'ACTIVE');
    const published = await count(`SELECT (100 * avg(published::int))::int AS n FROM courses`);
    assert.ok(published >= 10 && published <= 30, `${published}% published (default false)`);
  });

  it('explains every SQL statement of the sample, with EXPLAIN (GENERIC_PLAN) for parameters', async () => {
    const shapes = project.shapes().filter((x) => x.origin !== 'prisma' && !/pg_stat_statements/.test(x.text));
    for (const shape of shapes) {
      const r = await explainStatement(s, shape.text);
      assert.ok(r.plan.nodeType, shape.id);
      assert.equal(r.serverVersion, 18);
      assert.equal(r.generic, /\$\d/.test(shape.text) ? 'GENERIC_PLAN' : undefined, shape.id);
    }
    const big = await explainStatement(s, 'SELECT * FROM lesson_progress WHERE "lessonId" = $1');
    assert.deepEqual(big.summary.indexes.map((i) => i.index), ['lesson_progress_lessonId_idx']);
  });

  it('--analyze of a write is rolled back there too', async () => {
    const before = await count('SELECT count(*)::int AS n FROM quiz_attempts');
    const r = await explainStatement(s, 'DELETE FROM quiz_attempts WHERE passed', { analyze: true });
    assert.equal(r.transaction, 'rolled-back');
    assert.equal(await count('SELECT count(*)::int AS n FROM quiz_attempts'), before);
  });

  it('what-if builds real indexes in rolled-back transactions: GIN (trigram) proposals included', async () => {
    const checks = await checkMissingIndexes(project, s);
    for (const c of checks.filter((x) => x.statements.length)) {
      assert.equal(c.result.method, 'real-index', c.proposal.name);
      assert.notEqual(c.verdict, 'unavailable', `${c.proposal.name}: ${c.reason}`);
      assert.notEqual(c.verdict, 'unconfirmed', 'a real index settles it');
    }
    assert.ok(checks.some((c) => c.proposal.method === 'gin' && c.statements.length), 'a trigram proposal was checked');
    const left = await count(`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public'`);
    assert.equal(left, [...db.schema.tables.values()].reduce((n, t) => n + t.indexes.length, 0), 'every index was rolled back');
    assert.equal(await count(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pg_trgm'`), 0);
  });

  it('a partial index a real index shows unused is "not used", not "unconfirmed"', async () => {
    const r = await whatIfIndex(
      s,
      { name: 'courses_created_published', table: 'courses', method: 'btree', partial: true, createSql: 'CREATE INDEX courses_created_published ON courses ("createdAt") WHERE published' },
      [`SELECT id FROM courses WHERE "createdAt" > now() - interval '1 day'`],
    );
    assert.equal(r.verdict, 'not-used');
  });

  it('redundant indexes are dropped in a rolled-back transaction: the plans must not get worse', async () => {
    const checks = await checkRedundantIndexes(project, s);
    assert.ok(checks.length >= 5);
    for (const c of checks) {
      assert.equal(c.result.method, 'real-index');
      assert.ok(c.result.verdict === 'safe' || c.result.verdict === 'worse', `${c.index}: ${c.result.reason}`);
      assert.equal(await count(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = '${c.index}'`), 1, `${c.index} is still there`);
    }
    assert.equal(checks.find((c) => c.index === 'users_email_idx')?.result.verdict, 'safe');
  });

  describe('settling what HypoPG cannot, against a server', () => {
    let cluster: PgCluster;
    let server: Session;
    before(async () => {
      cluster = await PgCluster.start();
      await loadSample(cluster);
      cluster.psql('CREATE EXTENSION hypopg', 'lms');
      server = await openSession(cluster.url('lms'));
    });
    after(async () => {
      await server?.close();
      cluster?.stop();
    });

    it('GIN proposals and partial indexes HypoPG rejects are checked on the embedded database', async () => {
      const checks = await checkMissingIndexes(project, server, { confirm: s });
      let settled = 0;
      for (const c of checks.filter((x) => x.statements.length)) {
        if (c.result.verdict === 'unconfirmed' || c.result.verdict === 'unavailable') {
          settled++;
          assert.equal(c.confirmation?.method, 'real-index', c.proposal.name);
          assert.equal(c.verdict, c.confirmation!.verdict);
          assert.notEqual(c.verdict, 'unconfirmed');
        } else {
          assert.equal(c.confirmation, undefined);
          assert.equal(c.result.method, 'hypopg');
        }
      }
      assert.ok(settled > 0, 'the trigram proposal at least');
    });
  });

  describe('pg-index-review explain --embedded (last: the command closes the cached instance)', () => {
    it('explains on the cached embedded database', async () => {
      const file = path.join(LMS, 'sql', 'search.sql');
      const line = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('name: CatalogByDifficulty')) + 2;
      const r = await runMain(['explain', '--embedded', '--scale', String(SCALE), '--file', file, '--line', String(line)]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^EXPLAIN on embedded PGlite \(synthetic data at 1\/1000 of the configured rows\) \(PostgreSQL 18\)/);
      assert.match(r.stdout, /EXPLAIN \(GENERIC_PLAN\)/);
      assert.match(r.stdout, /Limit/);
    });
  });
});
