/**
 * `pg-index-review check`, run in-process through `main(argv, out, err)`: the text, JSON and SARIF
 * formats, exit codes, --quiet, --rows and a workspace full of bad input.
 */
import assert from 'node:assert/strict';
import { RULES } from '../../src/core/rules/registry';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { JsonFinding, JsonReport } from '../../src/cli/format/json';
import { toSarif } from '../../src/cli/format/sarif';
import { runMain, type CliRun } from '../helpers/cli';
import { LMS, LMS_MIGRATION, REPO, shown, WORKSPACES } from '../helpers/paths';
import { describeErrors, sarifErrors } from '../helpers/sarif';
import { offsetAt, positionAt, textOf, uniqueIndexOf } from '../helpers/text';

const LINE = /^(\S+):(\d+):(\d+) (error|warning|info|hint) ([a-z]+(?:-[a-z]+)*) (\S.*)$/;
const SUMMARY = /^(\d+) findings? \((\d+) error, (\d+) warning, (\d+) info\) in (\d+) files: (\d+) queries against (\d+) tables and (\d+) indexes\.$/;
const BROKEN = path.join(WORKSPACES, 'broken');

const REPORTS_SQL = path.join(LMS, 'sql', 'reports.sql');
/** The finance export "TransactionsInRange": no index has "createdAt", so the range filter is what to flag. */
const RANGE_PREDICATE = '"createdAt" BETWEEN $1 AND $2';

function read(relOrAbs: string): string {
  return readFileSync(path.resolve(REPO, relOrAbs), 'utf8');
}

function json(run: CliRun): JsonReport {
  assert.equal(run.stderr, '', 'nothing on stderr');
  return JSON.parse(run.stdout) as JsonReport;
}

describe('cli: check', () => {
  /** Runs from the repository root, as `npx mocha` does, so printed paths are relative to it. */
  before(() => {
    assert.equal(path.resolve(process.cwd()), REPO, 'tests run from the repository root');
  });

  let text: CliRun;
  let plain: CliRun;
  let report: JsonReport;
  let sarif: CliRun;

  before(async () => {
    text = await runMain(['check', 'examples/lms']);
    plain = await runMain(['check', 'examples/lms', '--no-fixes']);
    report = json(await runMain(['check', 'examples/lms', '--format', 'json']));
    sarif = await runMain(['check', 'examples/lms', '--format', 'sarif']);
  });

  describe('text format', () => {
    it('exits 0 on the sample (no error-level findings) and writes nothing to stderr', () => {
      assert.equal(text.code, 0);
      assert.equal(text.stderr, '');
      assert.equal(report.stats.errors, 0);
    });

    it('prints every finding as path:line:col severity rule message, then one summary line', () => {
      const lines = plain.stdout.trimEnd().split('\n');
      const summary = lines.pop()!;
      const m = SUMMARY.exec(summary);
      assert.ok(m, `summary line: ${summary}`);
      assert.ok(lines.length > 10, 'the sample has findings');
      for (const l of lines) assert.match(l, LINE);
      assert.equal(Number(m[1]), lines.length, 'the summary counts the printed findings');
      const sev = (s: string) => lines.filter((l) => LINE.exec(l)![4] === s).length;
      assert.equal(Number(m[2]), sev('error'));
      assert.equal(Number(m[3]), sev('warning'));
      assert.equal(Number(m[4]), sev('info') + sev('hint'));
    });

    it('positions are 1-based and inside the file they name', () => {
      for (const l of plain.stdout.trimEnd().split('\n').slice(0, -1)) {
        const [, file, line, col] = LINE.exec(l)!;
        assert.ok(!path.isAbsolute(file), `relative path: ${file}`);
        const lines = read(file).split('\n');
        assert.ok(Number(line) >= 1 && Number(line) <= lines.length, l);
        assert.ok(Number(col) >= 1 && Number(col) <= lines[Number(line) - 1].length + 1, l);
      }
    });

    it('points at the unindexed range filter of TransactionsInRange in sql/reports.sql', () => {
      const src = read(REPORTS_SQL);
      const pos = positionAt(src, uniqueIndexOf(src, RANGE_PREDICATE));
      const prefix = `${shown(REPORTS_SQL)}:${pos.line + 1}:${pos.character + 1} `;
      const hit = plain.stdout.split('\n').find((l) => l.startsWith(prefix));
      assert.ok(hit, `a finding starts with ${prefix}`);
      assert.match(hit, / (warning|info) missing-index /);
      assert.match(hit, /"createdAt"/);
    });

    it('shows the fix SQL (and the Prisma attribute) under a finding unless --no-fixes', () => {
      const lines = text.stdout.split('\n');
      const i = lines.findIndex((l) => / missing-index /.test(l) && l.startsWith(`${shown(REPORTS_SQL)}:`));
      assert.ok(i >= 0);
      assert.match(lines[i + 1], /^ {4}fix: CREATE INDEX .*"transactions".*"createdAt"/);
      assert.ok(lines.some((l) => /^ {4}prisma: @@index\(\[/.test(l)));
      assert.ok(!plain.stdout.split('\n').some((l) => /^\s+(fix|prisma):/.test(l)));
    });
  });

  describe('JSON format', () => {
    it('has version 1, the findings and the stats', () => {
      assert.equal(report.version, 1);
      assert.ok(Array.isArray(report.findings));
      assert.equal(report.findings.length, plain.stdout.trimEnd().split('\n').length - 1, 'as many findings as the text format');
      for (const f of report.findings) {
        assert.deepEqual(Object.keys(f).sort(), ['file', 'fix', 'index', 'message', 'range', 'related', 'rule', 'severity', 'table']);
        assert.ok(RULES.some((r) => r.id === f.rule), `unknown rule id ${f.rule}`);
        assert.match(f.severity, /^(error|warning|info|hint)$/);
        assert.equal(typeof f.message, 'string');
        assert.ok(!path.isAbsolute(f.file) && !f.file.includes('\\'), f.file);
        for (const p of [f.range.start, f.range.end]) {
          assert.ok(Number.isInteger(p.line) && p.line >= 0 && Number.isInteger(p.character) && p.character >= 0);
        }
        assert.ok(f.table === null || typeof f.table === 'string');
        assert.ok(f.index === null || typeof f.index === 'string');
        assert.ok(Array.isArray(f.related));
        if (f.fix !== null) assert.deepEqual(Object.keys(f.fix).sort(), ['model', 'prisma', 'prismaAction', 'sql']);
      }
    });

    it('ranges are 0-based: the TransactionsInRange finding covers exactly its range predicate', () => {
      const f = report.findings.find((x) => x.file === shown(REPORTS_SQL) && x.rule === 'missing-index' && x.table === 'transactions' && /createdAt/.test(x.fix?.sql ?? '') && !/status/.test(x.fix?.sql ?? ''));
      assert.ok(f, 'the finding is in the report');
      assert.equal(textOf(read(REPORTS_SQL), f.range), RANGE_PREDICATE);
    });

    it('the text format prints the same position plus one', () => {
      for (const f of report.findings.slice(0, 20)) {
        const prefix = `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule} `;
        assert.ok(plain.stdout.split('\n').some((l) => l.startsWith(prefix)), prefix);
      }
    });

    it('a missing-index finding carries table, proposed index name and fix {sql, prisma, model}', () => {
      const f = report.findings.find((x) => x.rule === 'missing-index' && x.table === 'users' && /"role"/.test(x.fix?.sql ?? ''));
      assert.ok(f);
      assert.equal(typeof f.index, 'string');
      assert.match(f.fix!.sql!, /^CREATE INDEX .* ON "users" /m);
      assert.ok(f.fix!.sql!.includes(`"${f.index}"`), 'the fix creates the index the finding names');
      assert.match(f.fix!.prisma!, /^@@index\(\[role, createdAt/);
      assert.equal(f.fix!.prismaAction, 'add');
      assert.equal(f.fix!.model, 'User');
    });

    it('a redundant-index finding points at the declaration of the redundant index and proposes dropping it', () => {
      const f = report.findings.find((x) => x.rule === 'redundant-index' && x.index === 'users_email_idx');
      assert.ok(f);
      assert.equal(f.table, 'users');
      assert.match(textOf(read(f.file), f.range), /@@index\(\[email\]\)|CREATE INDEX "users_email_idx"/);
      assert.match(f.fix!.sql!, /DROP INDEX .*"users_email_idx"/);
      assert.ok(f.related.some((r) => /users_email_key/.test(r.message)), 'related: the unique index that covers it');
    });

    it('stats count files, tables, indexes and findings by severity', () => {
      const s = report.stats;
      const migration = read(LMS_MIGRATION);
      assert.equal(s.tables, (migration.match(/\bCREATE TABLE\b/g) ?? []).length);
      assert.equal(s.indexes, (migration.match(/\bCREATE (UNIQUE )?INDEX\b/g) ?? []).length + (migration.match(/\bPRIMARY KEY\b/g) ?? []).length);
      const count = (sev: string[]) => report.findings.filter((f: JsonFinding) => sev.includes(f.severity)).length;
      assert.equal(s.errors, count(['error']));
      assert.equal(s.warnings, count(['warning']));
      assert.equal(s.infos, count(['info', 'hint']));
      assert.ok(s.files > 20 && s.queries > 100, `files ${s.files}, queries ${s.queries}`);
      assert.deepEqual([...s.schemaSources].sort(), [shown(LMS_MIGRATION), shown(path.join(LMS, 'prisma', 'schema.prisma'))].sort());
      assert.deepEqual(s.skipped, []);
    });
  });

  describe('SARIF format', () => {
    it('is a valid SARIF 2.1.0 log (official schema)', () => {
      assert.equal(sarif.code, 0);
      const log = JSON.parse(sarif.stdout);
      const errors = sarifErrors(log);
      assert.deepEqual(errors, [], describeErrors(errors));
    });

    it('negative control: a corrupted log fails the same validation', () => {
      const log = JSON.parse(sarif.stdout);
      const bad = structuredClone(log);
      bad.runs[0].results[0].level = 'fatal';
      assert.ok(sarifErrors(bad).length > 0, 'an unknown level is rejected');
      const noVersion = structuredClone(log);
      delete noVersion.version;
      assert.ok(sarifErrors(noVersion).length > 0, 'a log without version is rejected');
      const badRegion = structuredClone(log);
      badRegion.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
      assert.ok(sarifErrors(badRegion).length > 0, 'SARIF lines are 1-based');
    });

    it('has one result per finding, with its rule, level and 1-based region', () => {
      const run = JSON.parse(sarif.stdout).runs[0];
      assert.equal(run.results.length, report.findings.length);
      const level: Record<string, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
      run.results.forEach((r: any, i: number) => {
        const f = report.findings[i];
        assert.equal(r.ruleId, f.rule);
        assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId, 'ruleIndex points at the rule');
        assert.equal(r.level, level[f.severity]);
        const loc = r.locations[0].physicalLocation;
        assert.equal(decodeURI(loc.artifactLocation.uri), f.file);
        assert.deepEqual(loc.region, {
          startLine: f.range.start.line + 1,
          startColumn: f.range.start.character + 1,
          endLine: f.range.end.line + 1,
          endColumn: f.range.end.character + 1,
        });
      });
    });

    // BUG: artifactLocation.uri is built with encodeURI, which leaves '#' and '?' alone, so a file named
    // "report #2.sql" becomes the URI "sql/report%20#2.sql": '#2.sql' is read as a fragment and the result
    // points at "sql/report " (code-scanning UIs cannot open it). Each path segment needs encodeURIComponent.
    // Repro: toSarif({ findings: [{ …, file: `${process.cwd()}/sql/report #2 (100%).sql` }], … }, '0.1.0')
    //        → uri "sql/report%20#2%20(100%25).sql"; new URL(uri, 'file:///root/').pathname → "/root/sql/report%20".
    it('encodes "#" and "?" in file names so the URI resolves to the file', () => {
      const file = path.join(REPO, 'sql', 'report #2 (100%)?.sql');
      const result = {
        findings: [{ rule: 'missing-index' as const, severity: 'warning' as const, message: 'm', file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, related: [] }],
        verdicts: [],
        verdictsIn: () => [],
        schema: { tables: new Map(), enums: new Map() },
        stats: { files: 1, queries: 0, tables: 0, indexes: 0, skipped: [], schemaSources: [], schemaSkipped: [] },
      };
      const log = toSarif(result, '0.0.0') as any;
      const uri: string = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
      const resolved = new URL(uri, 'file:///root/');
      assert.equal(resolved.hash, '');
      assert.equal(resolved.search, '');
      assert.equal(decodeURIComponent(resolved.pathname), '/root/sql/report #2 (100%)?.sql');
    });

    it('the broken workspace (with a parse-error) also gives a valid log', async () => {
      const r = await runMain(['check', shown(BROKEN), '--format', 'sarif']);
      assert.equal(r.code, 1);
      const log = JSON.parse(r.stdout);
      assert.deepEqual(sarifErrors(log), []);
      assert.ok(log.runs[0].results.some((x: any) => x.ruleId === 'parse-error' && x.level === 'error'));
    });
  });

  describe('exit codes and usage errors', () => {
    it('1 when a finding is at error level (a broken .sql file → parse-error)', async () => {
      const r = await runMain(['check', shown(BROKEN)]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, / error parse-error /);
    });

    it('2 for an unknown command, naming it, with the usage', async () => {
      const r = await runMain(['chekc', 'examples/lms']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /unknown command "chekc"/);
      assert.match(r.stderr, /Usage:/);
      assert.equal(r.stdout, '');
    });

    it('2 for a bad --format', async () => {
      const r = await runMain(['check', 'examples/lms', '--format', 'xml']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--format/);
      assert.equal(r.stdout, '');
    });

    it('2 for a path that does not exist, naming it', async () => {
      const r = await runMain(['check', 'examples/no-such-workspace']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /examples\/no-such-workspace/);
      const s = await runMain(['check', 'examples/lms', '--schema', 'examples/lms/prisma/nope.prisma']);
      assert.equal(s.code, 2);
      assert.match(s.stderr, /nope\.prisma/);
    });

    it('2 for a malformed --rows, quoting it', async () => {
      for (const bad of ['users', 'users=many', '=10']) {
        const r = await runMain(['check', 'examples/lms', '--rows', bad]);
        assert.equal(r.code, 2, bad);
        assert.ok(r.stderr.includes(`"${bad}"`), r.stderr);
        assert.equal(r.stdout, '');
      }
    });

    it('2 for a --threads that is neither auto nor a whole number of 0 or more', async () => {
      for (const bad of ['-1', 'many', '1.5']) {
        const r = await runMain(['check', 'examples/lms', '--threads', bad]);
        assert.equal(r.code, 2, bad);
        assert.match(r.stderr, /--threads/);
      }
    });

    it('2 for an unknown option and for no command at all', async () => {
      assert.equal((await runMain(['check', 'examples/lms', '--frobnicate'])).code, 2);
      const none = await runMain([]);
      assert.equal(none.code, 2);
      assert.match(none.stdout + none.stderr, /Usage:/);
    });

    it('2 for a config file that is not valid JSON, naming it', async () => {
      const cfg = path.join(WORKSPACES, 'config', 'invalid-json.json');
      const r = await runMain(['check', shown(path.join(WORKSPACES, 'suppressions')), '--config', shown(cfg)]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /invalid-json\.json/);
    });

    // BUG: the workspace root is the first path given (or its folder), not the folder holding
    // pg-index-review.json / the schema. So `check examples/lms/sql/reports.sql` (what a pre-commit hook or
    // lint-staged passes) or `check examples/lms/sql` finds no schema and no row estimates, and reports
    // "0 findings … against 0 tables" with exit 0; `check examples/lms/src examples/lms` uses default row counts
    // because the first path has no config. The root should be found by walking up, like explain-shape does.
    // Repro: node dist/cli.js check examples/lms/sql/reports.sql → "0 findings (…) in 1 files: 5 queries against 0 tables and 0 indexes."
    it('check on a file or sub-folder of a workspace uses the workspace\'s schema and config', async () => {
      const whole = json(await runMain(['check', 'examples/lms', '--format', 'json']));
      const inFile = (r: JsonReport) => r.findings.filter((f) => f.file === shown(REPORTS_SQL)).map((f) => [f.rule, f.range, f.fix?.sql]);
      const oneFile = json(await runMain(['check', shown(REPORTS_SQL), '--format', 'json']));
      assert.equal(oneFile.stats.tables, whole.stats.tables);
      assert.deepEqual(inFile(oneFile), inFile(whole));
      const reordered = json(await runMain(['check', 'examples/lms/src', 'examples/lms', '--format', 'json']));
      assert.deepEqual(reordered.findings.map((f) => [f.file, f.rule, f.range]), whole.findings.map((f) => [f.file, f.rule, f.range]));
    });

    it('--schema naming a file in an ignored folder (dist/) reads it: the user named it', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'pgir-dist-schema-'));
      try {
        mkdirSync(path.join(dir, 'dist'));
        mkdirSync(path.join(dir, 'src'));
        writeFileSync(path.join(dir, 'dist', 'schema.prisma'), 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel User {\n  id    Int    @id\n  email String\n}\n');
        writeFileSync(path.join(dir, 'src', 'a.ts'), "import { prisma } from './db';\nexport const byEmail = (email: string) => prisma.user.findMany({ where: { email } });\n");
        const run = await runMain(['check', dir, '--schema', path.join(dir, 'dist', 'schema.prisma'), '--format', 'json']);
        assert.equal(run.code, 0, run.stderr);
        const r = json(run);
        assert.equal(r.stats.tables, 1);
        assert.deepEqual(r.stats.schemaSources.map((f) => path.basename(f)), ['schema.prisma']);
        assert.ok(r.findings.some((f) => f.rule === 'missing-index' && f.table === 'User'), JSON.stringify(r.findings));
        // Named as a folder, only its schema files are read: not the build output beside them.
        writeFileSync(path.join(dir, 'dist', 'a.js'), "exports.byEmail = (email) => prisma.user.findMany({ where: { email } });\n");
        const folder = json(await runMain(['check', dir, '--schema', path.join(dir, 'dist'), '--format', 'json']));
        assert.deepEqual(folder.findings.filter((f) => f.rule === 'missing-index').map((f) => path.basename(f.file)), ['a.ts']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('--help exits 0 with the usage on stdout; --version prints the package version', async () => {
      const h = await runMain(['--help']);
      assert.equal(h.code, 0);
      assert.match(h.stdout, /Usage:/);
      assert.match(h.stdout, /check/);
      assert.match(h.stdout, /explain-shape/);
      const v = await runMain(['--version']);
      assert.equal(v.code, 0);
      const pkg = JSON.parse(read('package.json')) as { version: string };
      assert.equal(v.stdout.trim(), pkg.version);
    });
  });

  describe('--quiet and --rows', () => {
    it('--quiet drops parse-error findings and keeps the others', async () => {
      const loud = json(await runMain(['check', shown(BROKEN), '--format', 'json']));
      const quiet = json(await runMain(['check', shown(BROKEN), '--format', 'json', '--quiet']));
      assert.ok(loud.findings.some((f) => f.rule === 'parse-error'));
      assert.deepEqual(quiet.findings.filter((f) => f.rule === 'parse-error'), []);
      assert.deepEqual(
        quiet.findings.map((f) => [f.rule, f.file, f.range]),
        loud.findings.filter((f) => f.rule !== 'parse-error').map((f) => [f.rule, f.file, f.range]),
      );
    });

    it('--rows users=5 (a tiny table) removes the users missing-index findings', async () => {
      const tiny = json(await runMain(['check', 'examples/lms', '--format', 'json', '--rows', 'users=5']));
      const missing = (r: JsonReport, users: boolean) => r.findings.filter((f) => f.rule === 'missing-index' && (f.table === 'users') === users);
      assert.ok(missing(report, true).length > 0, 'the sample has users missing-index findings');
      assert.deepEqual(missing(tiny, true), []);
      // Other tables keep theirs (their estimates may shift: 5 users means many rows per userId).
      assert.ok(missing(tiny, false).length > 0);
      const tables = (r: JsonReport) => new Set(missing(r, false).map((f) => f.table));
      for (const t of ['transactions', 'courses', 'course_progress']) assert.ok(tables(tiny).has(t), t);
    });
  });

  describe('a workspace of bad input (test/fixtures/workspaces/broken)', () => {
    let r: CliRun;
    let rep: JsonReport;
    before(async () => {
      r = await runMain(['check', shown(BROKEN)]);
      rep = json(await runMain(['check', shown(BROKEN), '--format', 'json']));
    });

    it('does not crash: exit 1 (an error finding), not 2, and nothing on stderr', () => {
      assert.equal(r.code, 1);
      assert.equal(r.stderr, '');
    });

    it('reports the broken SQL as a parse-error at the statement being typed', () => {
      const file = path.join(BROKEN, 'sql', 'broken.sql');
      const src = read(file);
      const errs = rep.findings.filter((f) => f.rule === 'parse-error');
      assert.deepEqual(errs.map((f) => f.file), [shown(file)]);
      assert.equal(errs[0].severity, 'error');
      // "SELECT id FROM items WHERE owner_id = ;": the statement ends where a value was expected.
      const at = offsetAt(src, errs[0].range.start);
      const stmt = uniqueIndexOf(src, 'SELECT id FROM items WHERE owner_id = ;');
      assert.ok(at > stmt && at <= stmt + 'SELECT id FROM items WHERE owner_id = ;'.length, `error inside the statement (offset ${at})`);
    });

    it("still reports the valid query's missing index", () => {
      const file = path.join(BROKEN, 'sql', 'valid.sql');
      const f = rep.findings.filter((x) => x.file === shown(file));
      assert.deepEqual(f.map((x) => x.rule), ['missing-index']);
      assert.equal(f[0].table, 'items');
      assert.match(f[0].fix!.sql!, /ON "items" \("owner_id"\)/);
      assert.equal(textOf(read(file), f[0].range), 'owner_id = $1');
    });

    it('skips the binary .sql file with a reason, and has nothing to say about the empty one', () => {
      assert.deepEqual(rep.stats.skipped.map((s) => s.file), [shown(path.join(BROKEN, 'sql', 'binary.sql'))]);
      assert.match(rep.stats.skipped[0].reason, /binary/);
      assert.match(r.stdout, /skipped .*binary\.sql: binary/);
      assert.deepEqual(rep.findings.filter((f) => /empty\.sql$|binary\.sql$/.test(f.file)), []);
    });

    it('reads the schema from the workspace migrations and the rows from its pg-index-review.json', () => {
      assert.deepEqual(rep.stats.schemaSources, [shown(path.join(BROKEN, 'migrations', '20240101000000_init', 'migration.sql'))]);
      assert.equal(rep.stats.tables, 1);
      const valid = rep.findings.find((x) => x.rule === 'missing-index')!;
      assert.match(valid.message, /1M|1,000,000|1000000/, 'uses the configured 1M rows');
    });
  });
});
