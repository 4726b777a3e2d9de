/**
 * The reduced planner-parity suite (the full one is `npm run parity`, bench/parity/): 40 of its most
 * discriminating cases — one or two per B-tree rule the matcher implements, the missing-index
 * assessment on a rare and a common value, a join, LIMIT, Prisma and the sample's SQL, plus the
 * known disagreements of the last full run, so that a fix of the matcher shows up here — on a real
 * PostgreSQL 15 server, with the sample at 3/100 of its configured rows (~0.4M rows, realistic
 * distributions, bench/parity/data.ts). Fails when the tool agrees with the planner on fewer cases than it did when the
 * floor below was set.
 */
import assert from 'node:assert/strict';
import { openSession, type Session } from '../../src/core/db/connection';
import { Project } from '../../src/core/project';
import { CASES, PRISMA_CASES, sampleSqlCases } from '../../bench/parity/cases';
import { loadLms, SAMPLE } from '../../bench/parity/data';
import { runCase, summarize, type CaseResult } from '../../bench/parity/engine';
import { SERVER_SETTINGS } from '../../bench/parity/run';
import { PgCluster } from '../support/pgCluster';

const SCALE = 0.03;

const IDS = [
  // agreements that guard the rules
  'eq-composite-both',
  'eq-unique-pair',
  'range-after-eq',
  'range-no-index',
  'order-fwd-limit',
  'order-bwd-last-module',
  'order-mixed-matching-index',
  'nulls-desc-last',
  'partial-pending',
  'partial-param',
  'io-include',
  'io-composite-covers',
  'null-with-eq',
  'like-pattern-ops',
  'like-param',
  'ilike-or-two-trgm',
  'sel-pending',
  'sel-student',
  'sel-payment-free',
  'join-session-user',
  'limit-filter-on-order-index',
  'prisma:getPendingTransactions',
  'sample:src/services/quizzes.ts:60',
  // disagreements of the first full run (bench/parity/README.md), each resolved by a merged matcher fix
  'partial-in-list', // `= ANY (ARRAY[…])` of a live index predicate is read as one parameter
  'in-enum-rare', // IN ignores the most-common-value shares of its values
  'fts-expression-index', // `'simple'::regconfig` in the catalog's expression vs `'simple'` in the query
  'partial-failed-attempts', // index-only when the only uncovered column is implied by the index predicate
  'join-lesson-activity', // the driving table of a join is taken from the FROM order
  'nulls-not-null-filter', // IS NOT NULL is a B-tree index condition
  'order-fwd-eq-then-order', // ~10 rows: bitmap scan + sort beats an ordered index scan
  'semi-in-courses-of-user', // IN (SELECT …): the sub-select's table drives the semi-join
  'semi-exists-courses-of-user', // a correlated EXISTS was read with the outer table driving
  'join-order-both-filtered', // two filtered tables: the joined one's unique key is the cheaper start
  'outer-anti-join', // LEFT JOIN … WHERE x.id IS NULL was read as a lookup of x by a NULL id
  'join3-far-filter-email', // only the last table of a chain filtered: the join starts there and walks back
  'join-using-columns', // JOIN … USING (…) made no join key: the inner side was read as a cross join
  'jsonb-contains-path-ops', // jsonb @> was no test a GIN (jsonb_path_ops) index serves
  'subquery-cte-inlined', // a CTE read once lost the outer condition (PostgreSQL 12+ inlines it)
  'subquery-distinct-on-latest', // the outer condition on a DISTINCT ON key is pushed into the sub-select
  'subplan-correlated-in-limit', // a correlated IN (SELECT … LIMIT) was read as a semi-join, its table hashed once
  'parallel-seq-over-bitmap', // a parallel sequential scan was costed as a serial one: the bitmap scan won
  'parallel-for-update', // FOR UPDATE allows no parallel plan: the bitmap scan wins
  'parallel-unsafe-function', // a function created without PARALLEL SAFE was not known: its statement was costed parallel
  'parallel-inlined-restricted', // an inlined SQL function's RESTRICTED label does not keep the table serial
];

/**
 * Cases of IDS on which the tool agrees with PostgreSQL 15.18 at SCALE, less a margin of one for the
 * data's sampling (ANALYZE samples rows): with fixes A–Q merged, three runs gave 30 each (2026-11-26;
 * before them: 23, none of the 7 then-known disagreements); with the two semi-join cases and EXISTS read
 * as a semi-join, three runs gave 32 of 32 (2026-11-27); with join order by cost and its case, two runs gave
 * 33 of 33 (2026-11-27, stop 13); with outer joins read after the WHERE clause and the anti-join case, two
 * runs gave 34 of 34 (2026-11-27, stop 16); with a join started from a filtered table further along and its
 * case, two runs gave 35 of 35 (stop 16); with USING joins and GIN on jsonb and their cases, two runs gave
 * 37 of 37 (stop 17); with sub-selects in FROM and CTEs read as the planner does and their two cases, two runs
 * gave 39 of 39 (stop 18); with correlated sub-selects read as sub-plans and their case, two runs gave 40 of 40
 * (stop 22); with PostgreSQL's default parallel settings, parallel scans modelled and their two cases, two runs
 * gave 42 of 42 (stop 25); with the workspace's functions' parallel safety and two cases on it, 44 of 44 (stop 26).
 * Never lower it to let a change pass.
 */
const AGREEMENT_FLOOR = 43;

describe('planner parity (reduced suite, PostgreSQL 15)', function () {
  this.timeout(180_000);
  let cluster: PgCluster | undefined;
  let session: Session;
  let project: Project;
  let results: CaseResult[] = [];

  before(async function () {
    if (!PgCluster.available()) this.skip();
    cluster = await PgCluster.start({ settings: SERVER_SETTINGS });
    cluster.psql('CREATE DATABASE lms');
    const loader = await openSession(cluster.url('lms'), { readOnly: false, statementTimeoutMs: 600_000 });
    await loadLms(loader, { scale: SCALE });
    await loader.close();
    session = await openSession(cluster.url('lms'), { readOnly: false, statementTimeoutMs: 120_000 });
    project = await Project.open(SAMPLE);
  });

  after(async () => {
    await session?.close();
    cluster?.stop();
  });

  it('has every case it names', () => {
    const all = new Set([...CASES, ...PRISMA_CASES, ...sampleSqlCases(project.shapes(), SAMPLE, project.schema)].map((c) => c.id));
    assert.deepEqual(IDS.filter((id) => !all.has(id)), []);
  });

  it(`agrees with the planner on at least ${AGREEMENT_FLOOR} of ${IDS.length} cases`, async () => {
    const all = [...CASES, ...PRISMA_CASES, ...sampleSqlCases(project.shapes(), SAMPLE, project.schema)];
    const version = await session.serverVersion();
    for (const id of IDS) {
      const c = all.find((x) => x.id === id)!;
      results.push(await runCase(c, { session, workspace: project.schema, options: project.config.matcher, version, missingIndexChecks: true }));
    }
    const errors = results.filter((r) => r.error).map((r) => `${r.id}: ${r.error}`);
    assert.deepEqual(errors, [], 'every case runs');
    const s = summarize(results);
    const report = results
      .filter((r) => !r.agree)
      .map((r) => `  ${r.id}: ${r.checks.filter((k) => !k.agree).map((k) => `${k.dimension}${k.table ? ` ${k.table}` : ''}: tool ${k.tool} | planner ${k.planner}`).join('; ')}`)
      .join('\n');
    if (process.env.PGIR_PARITY_REPORT) console.log(`${s.agree}/${s.compared}\n${report}`);
    assert.ok(s.agree >= AGREEMENT_FLOOR, `agreement fell to ${s.agree}/${s.compared} (floor ${AGREEMENT_FLOOR}):\n${report}`);
  });
});
