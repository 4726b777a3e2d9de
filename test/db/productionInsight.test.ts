/**
 * Production insight against a real PostgreSQL 15 with pg_stat_statements preloaded and the sample
 * schema with data: the sample's queries are run through node-postgres (Prisma calls as the SQL
 * Prisma sends), then the index health report must list the expected unused and redundant indexes,
 * sizes and scan counts equal to the catalog's, connections as they are, and trace each statement
 * the run issued to its line in examples/lms. The report and plan webviews are rendered in
 * headless Chromium (screenshots in test-artifacts/).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { openSession, type Session } from '../../src/core/db/connection';
import { explainStatement } from '../../src/core/db/explain';
import { readStatStatements } from '../../src/core/db/statStatements';
import { Project } from '../../src/core/project';
import { buildHealthReport, type HealthReport } from '../../src/core/report/healthReport';
import { renderReportHtml } from '../../src/core/report/render/html';
import { renderReportMarkdown } from '../../src/core/report/render/markdown';
import { renderReportText } from '../../src/core/report/render/text';
import { StatementIndex, type WorkspaceStatement } from '../../src/core/report/statementMatch';
import { initSqlParser } from '../../src/core/sql/parser';
import { planHtml } from '../../src/extension/planView/planHtml';
import { runMain } from '../helpers/cli';
import { LMS, LMS_SCHEMA, REPO } from '../helpers/paths';
import { PgCluster } from '../support/pgCluster';
import { ARTIFACTS, chromiumAvailable, openRenderer, type PageRenderer } from '../support/webview';
import { runWorkload, type WorkloadResult } from '../support/workload';
import { loadSample } from './sample';

const OUTSIDE = `SELECT count(*) FROM quiz_attempts WHERE score > 50 AND "completedAt" IS NOT NULL`;

function rel(ws: WorkspaceStatement): string {
  return `${path.relative(LMS, ws.shape.location.file)}:${ws.shape.location.range.start.line + 1}`;
}

describe('production insight (PostgreSQL 15 + pg_stat_statements)', function () {
  this.timeout(120_000);
  let cluster: PgCluster;
  let url: string;
  let workload: WorkloadResult;
  let index: StatementIndex;
  let report: HealthReport;
  let session: Session;
  const holders: Client[] = [];
  const catalog = (sql: string) => cluster.psql(sql, 'lms').trim().split('\n').filter(Boolean);

  before(async function () {
    if (!PgCluster.available()) this.skip();
    await initSqlParser();
    cluster = await PgCluster.start({ preload: ['pg_stat_statements'] });
    url = cluster.url('lms');
    await loadSample(cluster, 'lms');
    cluster.psql('CREATE EXTENSION pg_stat_statements; CREATE EXTENSION pgstattuple; ANALYZE', 'lms');
    cluster.psql('SELECT pg_stat_statements_reset()', 'lms');
    const p = await Project.open(LMS);
    index = new StatementIndex(p.shapes(), p.schema, fs.readFileSync(LMS_SCHEMA, 'utf8'));
    // The monitoring queries of sql/maintenance.sql read only system views: not the workload.
    workload = await runWorkload(url, index.statements, { skip: (ws) => ws.shape.location.file.endsWith('maintenance.sql') });
    // A statement no workspace code sends, run often enough to rank.
    const other = new Client({ connectionString: url, application_name: 'reporting-cron' });
    await other.connect();
    for (let i = 0; i < 30; i++) await other.query(OUTSIDE);
    await other.end();
    // Sessions for the connections section: one idle in a transaction, one running a long statement.
    const idle = new Client({ connectionString: url, application_name: 'lms-worker' });
    await idle.connect();
    await idle.query('BEGIN');
    await idle.query('SELECT 1 FROM users LIMIT 1');
    const busy = new Client({ connectionString: url, application_name: 'lms-worker' });
    await busy.connect();
    void busy.query('SELECT pg_sleep(30)').catch(() => undefined);
    holders.push(idle, busy);
    await new Promise((r) => setTimeout(r, 400));
    const project = await Project.open(LMS);
    project.config.appInstances = 5; // 5 × (connection_limit 20 + pg pool 5) = 125 > 97
    session = await openSession(url);
    report = await buildHealthReport(project, session, { unusedIndexMinDays: 0, longRunningMs: 300 });
  });

  after(async () => {
    await session?.close();
    for (const c of holders) await c.end().catch(() => undefined);
    cluster?.stop();
  });

  it('runs the sample’s statements through the driver', () => {
    const failures = workload.failed.map((f) => `${rel(f.ws)} ${f.error}`);
    // Prisma creates whose `data` is a variable have unknown columns: NOT NULL columns go missing.
    assert.ok(workload.executed.length >= 170, `${workload.executed.length} executed; failed: ${failures.join('\n')}`);
    // Every statement, Prisma's included, is accepted and planned by the server.
    assert.deepEqual(workload.failed.filter((f) => f.phase === 'plan').map((f) => `${rel(f.ws)} ${f.error}`), []);
    assert.ok(workload.failed.every((f) => f.ws.approximate || /not-null/.test(f.error)), failures.join('\n'));
  });

  it('lists the redundant indexes, with the same verdict as the static analysis', async () => {
    const fromReport = report.tables.flatMap((t) => t.indexes.filter((i) => i.redundant).map((i) => `${i.name} ← ${i.redundant!.of}`)).sort();
    const fromCheck = (await Project.open(LMS)).analyze().findings.filter((f) => f.rule === 'redundant-index').map((f) => f.index);
    assert.deepEqual(fromReport.map((x) => x.split(' ')[0]).sort(), [...fromCheck].sort());
    assert.deepEqual(fromReport, [
      'certificates_certificateNo_idx ← certificates_certificateNo_key',
      'course_progress_userId_idx ← course_progress_userId_courseId_key',
      'courses_slug_idx ← courses_slug_key',
      'enrollments_userId_idx ← enrollments_userId_courseId_key',
      'lesson_progress_progressId_idx ← lesson_progress_progressId_lessonId_key',
      'transactions_providerTxnId_idx ← transactions_providerTxnId_key',
      'users_email_idx ← users_email_key',
    ]);
  });

  it('lists as unused exactly the indexes the catalog says were never scanned (unique and primary keys excepted), with the reset time', () => {
    const expected = catalog(
      `SELECT s.indexrelname FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary ORDER BY 1`,
    );
    const unused = report.tables.flatMap((t) => t.indexes.filter((i) => i.unused).map((i) => i.name)).sort();
    assert.deepEqual(unused, [...expected].sort());
    assert.ok(unused.includes('lesson_progress_completed_idx') && unused.includes('media_type_idx'), unused.join(', '));
    const started = new Date(catalog(`SELECT to_char(pg_postmaster_start_time() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')`)[0] + 'Z');
    assert.ok(Math.abs(new Date(report.stats.since).getTime() - started.getTime()) < 2000);
    assert.equal(report.stats.source, 'server start');
    const md = renderReportMarkdown(report, REPO);
    assert.match(md, /lesson_progress_completed_idx on lesson_progress is unused \([\d.]+ kB, 0 scans since \d{4}-\d\d-\d\d \d\d:\d\d\)/);
  });

  it('gives sizes and scan counts equal to the catalog’s', () => {
    const rows = catalog(
      `SELECT s.relname || '|' || s.indexrelname || '|' || pg_relation_size(s.indexrelid) || '|' || s.idx_scan || '|' || s.idx_tup_read || '|' || s.idx_tup_fetch FROM pg_stat_user_indexes s`,
    );
    const idx = new Map(report.tables.flatMap((t) => t.indexes).map((i) => [`${i.table}|${i.name}`, i]));
    assert.equal(idx.size, rows.length);
    for (const r of rows) {
      const [table, name, bytes, scans, read, fetched] = r.split('|');
      const i = idx.get(`${table}|${name}`)!;
      assert.deepEqual([i.bytes, i.scans, i.tupRead, i.tupFetch], [Number(bytes), Number(scans), Number(read), Number(fetched)], name);
    }
    const trows = catalog(`SELECT relname || '|' || pg_table_size(relid) || '|' || pg_indexes_size(relid) || '|' || seq_scan || '|' || idx_scan || '|' || n_dead_tup || '|' || coalesce(last_analyze::text, '') FROM pg_stat_user_tables`);
    const tables = new Map(report.tables.map((t) => [t.name, t]));
    for (const r of trows) {
      const [name, tb, ib, seq, idxs, dead, analyzed] = r.split('|');
      const t = tables.get(name)!;
      assert.deepEqual([t.tableBytes, t.indexBytes, t.seqScans, t.idxScans, t.deadTuples], [Number(tb), Number(ib), Number(seq), Number(idxs), Number(dead)], name);
      assert.equal(!!t.lastAnalyze, analyzed !== '', name);
    }
    assert.equal(report.summary.indexes, 59);
    assert.equal(report.summary.tables, 17);
  });

  it('traces every statement the run issued to its line in examples/lms, and measures the precision', async () => {
    const st = await session.exclusive((q) => readStatStatements(q, 15, { top: 1000 }));
    assert.ok(st.available, st.reason);
    const matches = index.match(st.statements);
    let traced = 0;
    let exact = 0;
    let wrong = 0;
    const byHow: Record<string, number> = {};
    const byOrigin: Record<string, { statements: number; exact: number }> = {};
    const misses: string[] = [];
    for (const m of matches) {
      const truth = workload.truth.get(m.statement.queryid);
      if (!truth) continue; // not from the run (the outside statement)
      const truthLocs = new Set(truth.map(rel));
      const got = new Set(m.candidates.map(rel));
      const origin = truth[0].shape.origin;
      byOrigin[origin] ??= { statements: 0, exact: 0 };
      byOrigin[origin].statements++;
      if (!m.candidates.length) {
        misses.push(`${[...truthLocs].join(', ')}: ${m.statement.query.slice(0, 100)}`);
        continue;
      }
      traced++;
      byHow[m.how!] = (byHow[m.how!] ?? 0) + 1;
      if ([...truthLocs].every((l) => got.has(l))) {
        if (got.size === truthLocs.size) {
          exact++;
          byOrigin[origin].exact++;
        }
      } else misses.push(`${[...truthLocs].join(', ')} → ${[...got].join(', ')}`);
      if ([...got].some((l) => !truthLocs.has(l))) wrong++;
    }
    const fromRun = matches.filter((m) => workload.truth.has(m.statement.queryid)).length;
    const figures = {
      statementsRecorded: fromRun,
      traced,
      exactLocations: exact,
      withAnExtraLocation: wrong,
      precision: +(exact / Math.max(1, traced)).toFixed(3),
      recall: +(traced / Math.max(1, fromRun)).toFixed(3),
      byHow,
      byOrigin,
      ambiguousInTheWorkspace: matches.filter((m) => m.candidates.length > 1).length,
      reportGenerationMs: report.timings,
    };
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'slow-query-matching.json'), `${JSON.stringify({ ...figures, misses }, null, 2)}\n`);
    assert.deepEqual(misses, []);
    assert.equal(traced, fromRun);
    assert.ok(figures.precision >= 0.95, JSON.stringify(figures));
    // Spot checks: a Prisma call, its relation load, embedded SQL, a job.
    const lineOf = (file: string, text: string) => fs.readFileSync(path.join(LMS, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
    const locs = (pred: (w: WorkspaceStatement) => boolean) => matches.filter((m) => m.candidates.some(pred)).flatMap((m) => m.candidates.map(rel));
    assert.ok(locs((w) => w.shape.label === 'prisma.transaction.findMany' && /"public"\."transactions"\."status" = CAST/.test(w.sql)).includes(`src/services/payments.ts:${lineOf('src/services/payments.ts', 'export async function getPendingTransactions') + 1}`));
    assert.ok(locs((w) => !!w.purpose && /"course_modules"/.test(w.purpose)).some((l) => l.startsWith('src/services/courses.ts:')));
    assert.ok(locs((w) => w.shape.location.file.endsWith('inactive-students.ts')).length > 0);
  });

  it('reports the slowest statements next to their code, and the ones no code sends', () => {
    const sq = report.slowQueries;
    assert.ok(sq.available, sq.reason);
    const outside = sq.statements.find((s) => /quiz_attempts WHERE score > \$1/.test(s.query));
    assert.ok(outside, 'the outside statement is listed');
    assert.deepEqual(outside.candidates, []);
    assert.ok(sq.unmatched >= 1 && sq.matched >= 40, `${sq.matched} matched, ${sq.unmatched} not`);
    const top = sq.statements.filter((s) => s.candidates.length)[0];
    assert.ok(top.candidates[0].verdict.length > 0);
    for (const s of sq.statements) for (const c of s.candidates) assert.ok(fs.existsSync(c.location.file) && c.location.file.startsWith(LMS));
    const text = renderReportText(report, REPO);
    assert.match(text, /Not sent by any workspace code \(\d+\):/);
    assert.match(text, /#\d+ by (total|mean) time: .* mean × \d+ calls/);
  });

  it('counts connections by state and application against max_connections, with long-running and idle-in-transaction sessions', () => {
    const c = report.connections;
    assert.deepEqual([c.maxConnections, c.superuserReserved, c.availableToApp], [100, 3, 97]);
    const worker = c.byApplication.find((a) => a.application === 'lms-worker');
    assert.deepEqual(worker && { count: worker.count, states: worker.states }, { count: 2, states: { active: 1, 'idle in transaction': 1 } });
    assert.ok(c.longRunning.some((s) => s.application === 'lms-worker' && /pg_sleep/.test(s.query ?? '') && s.durationMs >= 300));
    assert.ok(c.idleInTransaction.some((s) => s.application === 'lms-worker' && s.durationMs >= 300));
    assert.ok(!c.byApplication.some((a) => a.application === 'pg-index-review' && a.count > 0), 'the report’s own session is left out');
  });

  it('advises on the pool with the server’s figures, on the .env line', () => {
    const f = report.poolAdvice.find((x) => /exhaust|more than the server accepts/.test(x.message));
    assert.ok(f, JSON.stringify(report.poolAdvice));
    assert.equal(path.basename(f.location.file), '.env.example');
    assert.equal(f.location.line, 1);
    // connection_limit=20 of .env.example plus the node-postgres pool of src/lib/pg.ts (PG_POOL_MAX=5).
    assert.match(f.message, /5 instances × 25 \(Prisma connection_limit 20 \+ node-postgres pool 5 \(PG_POOL_MAX=5\)\) = 125 connections/);
    assert.deepEqual(f.location.file, path.join(LMS, '.env.example'));
    assert.match(f.message, /max_connections 100 − 3 superuser_reserved_connections = 97/);
    assert.ok(!f.message.includes('password'), 'no credentials');
  });

  it('estimates bloat within the stated bounds of pgstattuple', () => {
    const est = new Map(report.tables.filter((t) => t.bloat?.ratio !== undefined).map((t) => [t.name, t.bloat!.ratio!]));
    assert.ok(est.size >= 3, `${est.size} tables large enough`);
    const errors: number[] = [];
    for (const [name, ratio] of est) {
      const free = Number(catalog(`SELECT (free_percent + dead_tuple_percent) / 100 FROM pgstattuple('"${name}"')`)[0]);
      errors.push(Math.abs(ratio - free));
    }
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    // B-tree indexes: the space beyond what the entries need at fillfactor 90, from pgstatindex's leaf density.
    const ix = { unique: [] as number[], nonUnique: [] as number[] };
    for (const i of report.tables.flatMap((t) => t.indexes)) {
      if (i.bloat?.ratio === undefined || i.method !== 'btree') continue;
      const density = Number(catalog(`SELECT avg_leaf_density FROM pgstatindex('"${i.name}"')`)[0]) / 100;
      (i.unique ? ix.unique : ix.nonUnique).push(Math.abs(i.bloat.ratio - Math.max(0, 1 - density / 0.9)));
    }
    const stats = (xs: number[]) => ({ n: xs.length, meanAbsError: +(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(3), maxAbsError: +Math.max(0, ...xs).toFixed(3) });
    fs.writeFileSync(
      path.join(ARTIFACTS, 'bloat-estimate.json'),
      `${JSON.stringify({ tables: { n: est.size, meanAbsError: +mean.toFixed(3), maxAbsError: +Math.max(...errors).toFixed(3) }, uniqueIndexes: stats(ix.unique), nonUniqueIndexes: stats(ix.nonUnique) }, null, 2)}\n`,
    );
    assert.ok(mean < 0.1 && Math.max(...errors) < 0.2, `mean ${mean}, max ${Math.max(...errors)}`);
  });

  it('`pg-index-review report` writes Markdown and HTML for a pull request, and JSON, in seconds', async () => {
    const out = path.join(ARTIFACTS, 'index-report.md');
    const t0 = Date.now();
    const md = await runMain(['report', LMS, '--database', url, '--out', out, '--unused-days', '0']);
    assert.equal(md.code, 0, md.stderr);
    assert.ok(Date.now() - t0 < 15_000);
    const text = fs.readFileSync(out, 'utf8');
    assert.match(text, /\]\(\.\.\/examples\/lms\/prisma\/schema\.prisma#L\d+\)/, 'links relative to the report, with line anchors');
    assert.match(text, /\[prisma\.\w+\.\w+ \.\.\/examples\/lms\/src\/services\/\w+\.ts:\d+\]\(\.\.\/examples\/lms\/src\/services\/\w+\.ts#L\d+\)/);
    assert.ok(!text.includes(PgCluster.PASSWORD));
    const html = await runMain(['report', LMS, '--database', url, '--format', 'html', '--out', path.join(ARTIFACTS, 'index-report.html')]);
    assert.equal(html.code, 0, html.stderr);
    const json = await runMain(['report', LMS, '--database', url, '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const r = JSON.parse(json.stdout) as HealthReport;
    assert.equal(r.version, 1);
    assert.ok(r.tables.every((t) => !t.location || !path.isAbsolute(t.location.file)), 'paths are relative');
    // `check --database` carries the same statements as slow-query findings on their code.
    const check = await runMain(['check', LMS, '--database', url, '--format', 'json']);
    const slow = (JSON.parse(check.stdout) as { findings: { rule: string; file: string; message: string }[] }).findings.filter((f) => f.rule === 'slow-query');
    assert.ok(slow.length >= 10, `${slow.length} slow-query findings`);
    assert.ok(slow.every((f) => /^#\d+ by (total|mean) time: .* on 127\.0\.0\.1:\d+\/lms\./.test(f.message) && f.file.includes('examples/lms/')), slow[0]?.message);
    const bad = await runMain(['report', LMS, '--database', url.replace(String(cluster.port), '1')]);
    assert.equal(bad.code, 1);
    assert.ok(!bad.stderr.includes(PgCluster.PASSWORD));
  });

  describe('webviews in headless Chromium', function () {
    let chrome: PageRenderer;
    before(async function () {
      if (!chromiumAvailable()) this.skip();
      chrome = await openRenderer();
    });
    after(() => chrome?.close());
    const renderPage = (html: string, name: string, o?: Parameters<PageRenderer['render']>[2]) => chrome.render(html, name, o);

    it('the report renders themed with VS Code’s variables under its CSP, links post reveal messages', async () => {
      const nonce = randomBytes(12).toString('base64');
      const html = renderReportHtml(report, { mode: 'webview', base: LMS, nonce, cspSource: 'vscode-webview://test' });
      const r = await renderPage(html, 'report-webview', { webview: true, height: 1300, click: 'a[data-loc]' });
      assert.deepEqual(r.errors, []);
      assert.equal((r.messages[0] as { type: string }).type, 'reveal');
      assert.match(r.text, /Action items/);
      assert.match(r.text, /users_email_idx on users is redundant with users_email_key/);
      const standalone = renderReportHtml(report, { mode: 'standalone', base: ARTIFACTS, nonce });
      assert.ok(!/<script/.test(standalone), 'a saved report has no script');
      const s = await renderPage(standalone, 'report-standalone', { height: 1300 });
      assert.deepEqual(s.errors, []);
    });

    it('the plan view shows the tree with time bars, estimated vs actual rows, buffers, the index and the hover’s markers', async () => {
      const sql = `SELECT u.id, u.email, count(*) AS n
        FROM users u JOIN enrollments e ON e."userId" = u.id
        WHERE u.role = 'STUDENT' AND e.status = 'ACTIVE'
        GROUP BY u.id, u.email ORDER BY n DESC LIMIT 20`;
      const rw = await openSession(url, { readOnly: false });
      let analyzed;
      try {
        analyzed = await explainStatement(rw, sql, { analyze: true, thresholds: { seqScanRows: 100, sortRows: 10 } });
      } finally {
        await rw.close();
      }
      const nonce = randomBytes(12).toString('base64');
      const input = { title: 'Top students by active enrollments', sql: analyzed.sql, target: analyzed.target, serverVersion: 15, analyzed: true, notes: analyzed.notes, summary: analyzed.summary, raw: analyzed.raw, source: { label: 'sql/dashboard.sql:3', file: path.join(LMS, 'sql/dashboard.sql'), line: 2, character: 0 }, canAnalyze: false };
      const r = await renderPage(planHtml(input, { nonce, cspSource: 'vscode-webview://test' }), 'plan-analyze', { webview: true, height: 1100, click: 'button[data-action="export"]' });
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.messages, [{ type: 'export' }]);
      assert.match(r.text, /EXPLAIN ANALYZE on 127\.0\.0\.1:\d+\/lms/);
      assert.match(r.text, /est\. → \d+ actual/);
      assert.match(r.text, /Buffers shared: hit/);
      assert.match(r.text, /sequential scan reads ~[\d.k]+ rows of (users|enrollments)/);
      for (const f of analyzed.summary.flagged.flatMap((n) => n.flags)) assert.ok(r.text.includes(f.message), f.message);
      // A generic plan of a Prisma call (parameters, not run): cost bars.
      const prisma = index.statements.find((w) => w.shape.label === 'prisma.transaction.findMany' && /CAST/.test(w.sql))!;
      const generic = await explainStatement(session, prisma.sql);
      const g = await renderPage(
        planHtml({ title: `${prisma.shape.label} — ${rel(prisma)}`, sql: generic.sql, target: generic.target, serverVersion: 15, analyzed: false, notes: generic.notes, summary: generic.summary, raw: generic.raw }, { nonce, cspSource: 'vscode-webview://test' }),
        'plan-generic',
        { webview: true, height: 700 },
      );
      assert.deepEqual(g.errors, []);
      assert.match(g.text, /self cost/);
      assert.match(g.text, /Generic plan for \$1/);
    });
  });
});
