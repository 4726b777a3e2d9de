import assert from 'node:assert/strict';
import { openSession, type Session } from '../../src/core/db/connection';
import { applyChecks, checkMissingIndexes, checkRedundantIndexes, type ProposalCheck } from '../../src/core/db/proveFindings';
import { candidateFromProposal, normalizeBooleanPredicates, whatIfIndex, whatIfWithoutIndex } from '../../src/core/db/whatIf';
import { Project } from '../../src/core/project';
import { initSqlParser } from '../../src/core/sql/parser';
import { LMS } from '../helpers/paths';
import { PgCluster } from '../support/pgCluster';
import { loadSample } from './sample';

describe('HypoPG predicate normalisation', () => {
  before(() => initSqlParser());
  it('writes boolean comparisons the way HypoPG matches them, leaving strings alone', () => {
    assert.equal(normalizeBooleanPredicates(`CREATE INDEX i ON courses ("createdAt") WHERE published = true AND "featured" = false`), `CREATE INDEX i ON courses ("createdAt") WHERE published AND NOT "featured"`);
    assert.equal(normalizeBooleanPredicates(`CREATE INDEX i ON t (a) WHERE b = 'x = true'`), `CREATE INDEX i ON t (a) WHERE b = 'x = true'`);
    assert.equal(normalizeBooleanPredicates(`CREATE INDEX i ON t (a)`), `CREATE INDEX i ON t (a)`);
  });
});

describe('what-if on the sample (throwaway PostgreSQL 15 + HypoPG)', function () {
  this.timeout(120_000);
  let cluster: PgCluster;
  let session: Session;
  let project: Project;
  let checks: ProposalCheck[];
  const extensions = () => cluster.psql(`SELECT coalesce(string_agg(extname, ',' ORDER BY extname), '') FROM pg_extension`, 'lms').trim();

  before(async () => {
    cluster = await PgCluster.start();
    await loadSample(cluster);
    session = await openSession(cluster.url('lms'));
    project = await Project.open(LMS);
  });
  after(async () => {
    await session?.close();
    cluster?.stop();
  });

  it('HypoPG available but not installed: created inside a transaction that is rolled back, nothing left behind', async () => {
    assert.equal(extensions(), 'plpgsql');
    checks = await checkMissingIndexes(project, session);
    assert.equal(extensions(), 'plpgsql');
    assert.ok(checks.some((c) => c.result.method === 'hypopg'));
  });

  it('proves each missing-index proposal with SQL: the planner uses the hypothetical index, or the finding is downgraded and says why', () => {
    const findings = applyChecks(project.analyze().findings, checks);
    let helps = 0;
    let downgraded = 0;
    for (const c of checks) {
      const label = `${c.proposal.name}: ${c.reason}`;
      const finding = findings.find((f) => f.rule === 'missing-index' && f.fix?.sql === c.proposal.sql);
      assert.ok(finding, label);
      if (c.verdict === 'helps') {
        helps++;
        const used = c.result.queries.filter((q) => q.usesIndex);
        assert.ok(used.length > 0, label);
        for (const q of used) {
          assert.ok(q.after!.indexes.some((i) => i.includes(c.proposal.name.slice(0, 20)) || i.startsWith('<')), `${label}: the after-plan names the hypothetical index (${q.after!.indexes})`);
          assert.ok(q.after!.totalCost <= q.before!.totalCost * 1.01, label);
        }
        assert.ok(used.some((q) => q.after!.totalCost < q.before!.totalCost / 1.01), `${label}: cheaper`);
        assert.match(finding!.message, /Confirmed: the planner on 127\.0\.0\.1:\d+\/lms uses it/);
      } else if (c.verdict === 'not-used' || c.verdict === 'no-gain') {
        downgraded++;
        if (c.verdict === 'not-used') assert.ok(c.result.queries.every((q) => !q.usesIndex), label);
        else assert.ok(c.result.queries.every((q) => !q.usesIndex || q.after!.totalCost >= q.before!.totalCost / 1.01), label);
        assert.equal(finding!.severity, 'info', label);
        assert.match(finding!.message, /Downgraded: the planner on .* would (not use it: it keeps|use it, but the plan gets no cheaper)/);
      } else if (c.verdict === 'unconfirmed') {
        assert.ok(c.proposal.predicateText, `${label}: only partial indexes stay unconfirmed`);
        assert.match(finding!.message, /HypoPG misjudges partial indexes/);
      } else {
        assert.equal(c.verdict, 'unavailable');
        assert.ok(c.proposal.method === 'gin' || c.statements.length === 0, label);
        assert.match(finding!.message, /Not checked against a planner/);
      }
    }
    assert.ok(helps > 0, 'some proposals are confirmed');
    assert.ok(helps + downgraded >= checks.filter((c) => c.statements.length && c.proposal.method === 'btree').length - checks.filter((c) => c.verdict === 'unconfirmed').length);
  });

  it('with HypoPG installed, the same verdicts come from the READ ONLY session', async () => {
    cluster.psql('CREATE EXTENSION hypopg', 'lms');
    const again = await checkMissingIndexes(project, session);
    assert.deepEqual(
      again.map((c) => [c.proposal.name, c.verdict]),
      checks.map((c) => [c.proposal.name, c.verdict]),
    );
    const [hypo] = await session.query<{ n: number }>('SELECT count(*)::int AS n FROM hypopg()');
    assert.equal(hypo.n, 0, 'hypothetical indexes are reset');
  });

  it('a partial index HypoPG says is not used stays unconfirmed', async () => {
    const r = await whatIfIndex(
      session,
      { name: 'courses_created_published', table: 'courses', method: 'btree', partial: true, createSql: 'CREATE INDEX courses_created_published ON courses ("createdAt") WHERE published = true' },
      [`SELECT id FROM courses WHERE "createdAt" > now() - interval '1 day'`],
    );
    assert.equal(r.verdict, 'unconfirmed');
    assert.match(r.reason, /HypoPG misjudges partial indexes/);
  });

  it('GIN proposals are beyond HypoPG: unavailable on a server, or a real index in a rolled-back transaction on a disposable one', async () => {
    const gin = checks.find((c) => c.proposal.method === 'gin' && c.statements.length)!;
    assert.ok(gin, 'the sample has a trigram proposal');
    assert.equal(gin.verdict, 'unavailable');
    const real = await whatIfIndex(session, candidateFromProposal(gin.proposal), gin.statements, { realIndexes: true });
    assert.equal(real.method, 'real-index');
    assert.notEqual(real.verdict, 'unavailable');
    assert.ok(!extensions().includes('pg_trgm'), 'CREATE EXTENSION pg_trgm was rolled back');
    assert.ok(!cluster.psql(`SELECT indexname FROM pg_indexes WHERE indexname = '${gin.proposal.name}'`, 'lms').trim(), 'the index was rolled back');
  });

  it('redundant indexes: HypoPG 1.3 cannot hide them; with real indexes the plans are shown not to get worse', async () => {
    const onServer = await checkRedundantIndexes(project, session);
    assert.ok(onServer.length >= 5);
    for (const c of onServer) {
      assert.equal(c.result.verdict, 'unavailable');
      assert.match(c.result.reason, /hypopg_hide_index/);
    }
    const dup = await whatIfWithoutIndex(session, 'users_email_idx', [`SELECT id FROM users WHERE email = $1`, `SELECT * FROM users WHERE email = 'a@b'`], { realIndexes: true });
    assert.equal(dup.method, 'real-index');
    assert.equal(dup.verdict, 'safe', dup.reason);
    assert.ok(dup.queries.every((q) => q.after!.indexes.every((i) => i !== 'users_email_idx')));
    assert.equal(cluster.psql(`SELECT count(*) FROM pg_indexes WHERE indexname = 'users_email_idx'`, 'lms').trim(), '1', 'the DROP INDEX was rolled back');
  });
});
