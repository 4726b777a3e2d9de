/**
 * On POSIX a backslash is an ordinary character of a file name: `a\b.sql` is one file in `sql/`, and
 * every output names it as it is (only Windows' own separator becomes `/`). The file also has CR-only
 * line endings: its finding is on the line VS Code shows.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonReport } from '../../src/cli/format/json';
import { displayPath } from '../../src/cli/format/paths';
import type { HealthReport } from '../../src/core/report/healthReport';
import { renderReportHtml } from '../../src/core/report/render/html';
import { renderReportMarkdown } from '../../src/core/report/render/markdown';
import { runMain } from '../helpers/cli';

const posix = path.sep === '/';

describe('cli: a file name with a backslash (POSIX)', () => {
  let root: string;
  let file: string;
  before(function () {
    if (!posix) return this.skip();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-names-'));
    fs.mkdirSync(path.join(root, 'migrations', '001'), { recursive: true });
    fs.writeFileSync(path.join(root, 'migrations', '001', 'migration.sql'), 'CREATE TABLE t (id int primary key, a int);\n');
    fs.writeFileSync(path.join(root, 'pg-index-review.json'), JSON.stringify({ rows: { t: 1_000_000 } }));
    fs.mkdirSync(path.join(root, 'sql'));
    file = path.join(root, 'sql', 'a\\b.sql');
    // CR-only line endings; the query is on line 3.
    fs.writeFileSync(file, ['SELECT 1;', 'SELECT 2;', 'SELECT id FROM t WHERE a = 1;', ''].join('\r'));
  });
  after(() => root && fs.rmSync(root, { recursive: true, force: true }));

  it('displayPath keeps the backslash (relative and absolute)', () => {
    if (!posix) return;
    assert.equal(displayPath('/w/sql/a\\b.sql', '/w'), 'sql/a\\b.sql');
    assert.equal(displayPath('/elsewhere/a\\b.sql', '/w'), '/elsewhere/a\\b.sql');
  });

  it('check (text): `<root>/sql/a\\b.sql:3:24 warning missing-index …`', async () => {
    const r = await runMain(['check', root, '--format', 'text']);
    const line = r.stdout.split('\n').find((l) => l.includes('missing-index'));
    assert.ok(line, r.stdout + r.stderr);
    assert.ok(line.startsWith(`${displayPath(file)}:3:24 warning missing-index `), line);
    assert.ok(line.includes('sql/a\\b.sql:3:24'), line);
    assert.ok(!line.includes('sql/a/b.sql'), line);
  });

  it('check (json and sarif): the same name; SARIF percent-encodes the backslash in its URI', async () => {
    const json = JSON.parse((await runMain(['check', root, '--format', 'json'])).stdout) as JsonReport;
    const f = json.findings.find((x) => x.rule === 'missing-index')!;
    assert.equal(f.file, displayPath(file));
    assert.ok(f.file.endsWith('/sql/a\\b.sql'), f.file);
    assert.deepEqual(f.range.start, { line: 2, character: 23 });
    const sarif = JSON.parse((await runMain(['check', root, '--format', 'sarif'])).stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    const loc = sarif.runs[0].results[0].locations[0].physicalLocation;
    assert.ok(loc.artifactLocation.uri.endsWith('/sql/a%5Cb.sql'), loc.artifactLocation.uri);
    assert.equal(loc.region.startLine, 3);
  });

  it('the HTML and Markdown reports name the file a\\b.sql, not b.sql or a/b.sql', () => {
    const where = { file, line: 2, character: 23 };
    const report = minimalReport(root, where);
    const html = renderReportHtml(report, { mode: 'standalone', base: root, nonce: 'n' });
    // The short location beside a query (file name and line), the full one and the link.
    assert.ok(html.includes('<span class="muted">a\\b.sql:3</span>'), 'short location');
    assert.ok(html.includes('sql/a\\b.sql:3'), 'location relative to the report');
    assert.ok(html.includes('href="sql/a%5Cb.sql#L3"'), 'link');
    assert.ok(!html.includes('a/b.sql') && !/[>/]b\.sql/.test(html), 'no a/b.sql, no bare b.sql');
    const webview = renderReportHtml(report, { mode: 'webview', base: root, nonce: 'n', cspSource: 'x' });
    assert.ok(webview.includes('<span class="muted">a\\b.sql:3</span>'));
    const md = renderReportMarkdown(report, root);
    assert.ok(md.includes('sql/a\\b.sql:3'), md);
    assert.ok(!md.includes('a/b.sql'));
  });
});

/** A report with one table, one index a query at `where` uses, and a missing-index finding there. */
function minimalReport(root: string, where: { file: string; line: number; character: number }): HealthReport {
  const zeroStats = { schema: 'public', liveTuples: 1000, deadTuples: 0, tableBytes: 8192, indexBytes: 8192, totalBytes: 16384, seqScans: 1, seqTupRead: 1000, idxScans: 1, inserts: 0, updates: 0, deletes: 0, modSinceAnalyze: 0 };
  return {
    version: 1,
    generatedAt: '2024-01-01T00:00:00.000Z',
    target: 'localhost:5432/db',
    serverVersion: 160000,
    workspace: { root, name: 'ws', files: 1, queries: 1 },
    stats: { since: '2023-12-01T00:00:00.000Z', source: 'stats_reset', ageDays: 31, unusedMinDays: 14 },
    summary: { tables: 1, indexes: 1, totalBytes: 16384, indexBytes: 8192, unscannedIndexes: 0, unusedIndexes: 0, unusedBytes: 0, redundantIndexes: 0, redundantBytes: 0, invalidIndexes: 0, missingIndexFindings: 1, unindexedForeignKeys: 0, tableBloatBytes: 0, indexBloatBytes: 0 },
    tables: [
      {
        ...zeroStats,
        name: 't',
        rows: 1000,
        deadRatio: 0,
        findings: [{ rule: 'missing-index', severity: 'warning', message: 'no index on t (a)', location: where, fixSql: 'CREATE INDEX CONCURRENTLY t_a_idx ON t (a);' }],
        indexes: [
          {
            name: 't_pkey',
            table: 't',
            definition: '(id)',
            method: 'btree',
            unique: true,
            primary: true,
            valid: true,
            bytes: 8192,
            scans: 1,
            tupRead: 1,
            tupFetch: 1,
            unscanned: false,
            chosenBy: [{ label: 'SELECT on t', origin: 'sql-file', location: where, how: 'equality on id' }],
            usableBy: [],
          },
        ],
      },
    ],
    connections: { total: 1, byState: [{ state: 'active', count: 1 }], byApplication: [], longRunning: [], idleInTransaction: [], longRunningMs: 60_000 },
    slowQueries: { available: false, reason: 'not installed', totalExecMs: 0, statements: [], matched: 0, unmatched: 0 },
    poolAdvice: [],
    timings: { totalMs: 1, schemaMs: 0, analysisMs: 0, catalogMs: 0, matchingMs: 0 },
    problems: [],
  };
}
