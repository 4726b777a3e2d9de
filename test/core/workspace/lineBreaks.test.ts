/**
 * Files with CR-only (old Mac), CRLF and LF line endings, opened from disk by Project.open: every
 * finding lands on the line and character VS Code shows (VS Code breaks lines at CRLF, a lone CR and
 * a lone LF), and a suppression comment reaches the line below it in each.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Position } from '../../../src/core/model/location';
import { Project } from '../../../src/core/project';

const MIGRATION = `CREATE TABLE items (
    id integer PRIMARY KEY,
    owner_id integer NOT NULL,
    shelf_id integer NOT NULL
);
CREATE TABLE notes (
    id integer PRIMARY KEY,
    author_id integer NOT NULL,
    body text NOT NULL
);
`;

const SQL_LINES = [
  'SELECT 1;',
  'SELECT 2;',
  'SELECT id FROM items WHERE owner_id = $1;', // line 3 (0-based 2): missing index
  '/* pg-index-review-ignore missing-index */',
  'SELECT id FROM notes WHERE author_id = $1;', // silenced by the comment above
  'SELECT id FROM items WHERE shelf_id = $1;', // the comment reaches one line only
  '',
];

const TS_LINES = [
  "import { pool } from './db'",
  'export async function a(id: number) {',
  "  return pool.query('SELECT id FROM items WHERE owner_id = $1', [id])", // line 3 (0-based 2): missing index
  '}',
  'export async function b(id: number) {',
  '  // pg-index-review-ignore missing-index',
  "  return pool.query('SELECT id FROM notes WHERE author_id = $1', [id])", // silenced
  '}',
  "export const c = (id: number) => pool.query('SELECT id FROM items WHERE shelf_id = $1', [id])",
  'export async function d(body: string) {',
  '  return pool.query(`',
  '    SELECT id',
  '    FROM notes',
  '    WHERE body = $1`, [body])', // a template literal's line breaks are cooked to \n: positions still map back
  '}',
  '',
];

/** Where `needle` is in `lines` (its first occurrence). */
function pos(lines: string[], needle: string): Position {
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return { line, character: lines[line].indexOf(needle) };
}

/** The range of the predicate `needle` (`owner_id = $1`) as the missing-index finding reports it. */
function rangeOf(lines: string[], needle: string) {
  const start = pos(lines, needle);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

for (const [name, eol] of [
  ['CR-only', '\r'],
  ['CRLF', '\r\n'],
  ['LF', '\n'],
  ['mixed', 'mixed'],
] as const) {
  describe(`line breaks: ${name} files opened by Project.open`, () => {
    let root: string;
    let project: Project;
    const join = (lines: string[]) => (eol === 'mixed' ? lines.map((l, i) => l + (i === lines.length - 1 ? '' : ['\r', '\r\n', '\n'][i % 3])).join('') : lines.join(eol));

    before(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-eol-'));
      fs.mkdirSync(path.join(root, 'migrations', '20240101000000_init'), { recursive: true });
      fs.writeFileSync(path.join(root, 'migrations', '20240101000000_init', 'migration.sql'), MIGRATION);
      fs.writeFileSync(path.join(root, 'pg-index-review.json'), JSON.stringify({ rows: { items: 1_000_000, notes: 1_000_000 } }));
      fs.mkdirSync(path.join(root, 'sql'));
      fs.mkdirSync(path.join(root, 'src'));
      fs.writeFileSync(path.join(root, 'sql', 'q.sql'), join(SQL_LINES));
      fs.writeFileSync(path.join(root, 'src', 'q.ts'), join(TS_LINES));
      project = await Project.open(root);
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    const findings = (rel: string) =>
      project
        .analyze()
        .findings.filter((f) => f.file === path.join(root, rel))
        .map((f) => ({ rule: f.rule, range: f.range }));

    it('.sql: the missing-index finding of the query on line 3 is on line 2 (0-based), where VS Code shows it', () => {
      const f = findings('sql/q.sql');
      assert.deepEqual(f[0], { rule: 'missing-index', range: { start: { line: 2, character: 27 }, end: { line: 2, character: 40 } } });
      assert.deepEqual(f, [
        { rule: 'missing-index', range: rangeOf(SQL_LINES, 'owner_id = $1') },
        { rule: 'missing-index', range: rangeOf(SQL_LINES, 'shelf_id = $1') },
      ]);
    });

    it('.ts: the missing-index finding of the query on line 3 is on line 2 (0-based), also inside a multi-line template', () => {
      const f = findings('src/q.ts');
      assert.deepEqual(f[0], { rule: 'missing-index', range: { start: { line: 2, character: 48 }, end: { line: 2, character: 61 } } });
      assert.deepEqual(f, [
        { rule: 'missing-index', range: rangeOf(TS_LINES, 'owner_id = $1') },
        { rule: 'missing-index', range: rangeOf(TS_LINES, 'shelf_id = $1') },
        { rule: 'missing-index', range: rangeOf(TS_LINES, 'body = $1') },
      ]);
    });

    it('.ts with a half-typed call: the recovery pass (parsed again from the error line on) finds the query after it, on its line', () => {
      const lines = [
        "import { pool } from './db'",
        'export async function a(id: number) {',
        "  return pool.query('SELECT id FROM items WHERE owner_id = $1', [id])",
        '}',
        'export async function typing() {',
        '  pool.query(`SELECT id FROM items WHERE shelf_id = ${',
        'export async function b(id: number) {',
        "  return pool.query('SELECT id FROM notes WHERE author_id = $1', [id])",
        '}',
        '',
      ];
      const file = path.join(root, 'src', 'typing.ts');
      project.updateFile(file, join(lines));
      try {
        assert.deepEqual(
          project
            .analyze()
            .findings.filter((f) => f.file === file)
            .map((f) => [f.rule, f.range.start]),
          [
            ['missing-index', { line: 2, character: 48 }],
            ['missing-index', { line: 5, character: 41 }],
            ['missing-index', { line: 7, character: 48 }],
          ],
        );
      } finally {
        project.removeFile(file);
      }
    });

    it('a suppression comment on the line before a query silences it (the query is still read, on its line)', () => {
      const lineOfShape = (rel: string, needle: string) =>
        project
          .shapes()
          .filter((s) => s.location.file === path.join(root, rel) && s.text.includes(needle))
          .map((s) => s.location.range.start.line);
      assert.deepEqual(lineOfShape('sql/q.sql', 'author_id'), [pos(SQL_LINES, 'SELECT id FROM notes').line]);
      assert.deepEqual(lineOfShape('src/q.ts', 'author_id'), [pos(TS_LINES, "pool.query('SELECT id FROM notes").line]);
      const onLine = (rel: string, line: number) => project.analyze().findings.filter((f) => f.file === path.join(root, rel) && f.range.start.line === line);
      assert.deepEqual(onLine('sql/q.sql', pos(SQL_LINES, 'SELECT id FROM notes').line), []);
      assert.deepEqual(onLine('src/q.ts', pos(TS_LINES, "pool.query('SELECT id FROM notes").line), []);
      // Without the comment, the same query is reported there.
      const bare = (lines: string[]) => join(lines.map((l) => (l.includes('pg-index-review-ignore') ? '' : l)));
      project.updateFile(path.join(root, 'sql', 'q.sql'), bare(SQL_LINES));
      project.updateFile(path.join(root, 'src', 'q.ts'), bare(TS_LINES));
      try {
        assert.deepEqual(findings('sql/q.sql')[1], { rule: 'missing-index', range: rangeOf(SQL_LINES, 'author_id = $1') });
        assert.deepEqual(findings('src/q.ts')[1], { rule: 'missing-index', range: rangeOf(TS_LINES, 'author_id = $1') });
      } finally {
        project.updateFile(path.join(root, 'sql', 'q.sql'), join(SQL_LINES));
        project.updateFile(path.join(root, 'src', 'q.ts'), join(TS_LINES));
      }
    });
  });
}

/**
 * CR-only files: a `--` comment ends at \r too (src/core/sql/parser.ts, trimPiece), and an edit moves
 * the findings below it by the difference in line counts (src/core/sources/typescript/extract.ts).
 */
describe('line breaks: CR-only files, a comment line before a statement and an edit that adds a line', () => {
  let root: string;
  let project: Project;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-eol-'));
    fs.mkdirSync(path.join(root, 'migrations', '20240101000000_init'), { recursive: true });
    fs.writeFileSync(path.join(root, 'migrations', '20240101000000_init', 'migration.sql'), MIGRATION);
    fs.writeFileSync(path.join(root, 'pg-index-review.json'), JSON.stringify({ rows: { items: 1_000_000, notes: 1_000_000 } }));
    project = await Project.open(root);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const findings = (file: string) =>
    project
      .analyze()
      .findings.filter((f) => f.file === file)
      .map((f) => [f.rule, f.range.start.line]);

  it('.sql: a statement after a `--` comment line is read, and `-- pg-index-review-ignore` silences it (src/core/sql/parser.ts)', () => {
    const file = path.join(root, 'comments.sql');
    const lines = ['SELECT 1;', '-- owners', 'SELECT id FROM items WHERE owner_id = $1;', '-- pg-index-review-ignore missing-index', 'SELECT id FROM notes WHERE author_id = $1;', ''];
    project.updateFile(file, lines.join('\r'));
    assert.deepEqual(findings(file), [['missing-index', 2]]);
    assert.deepEqual(
      project
        .shapes()
        .filter((s) => s.location.file === file)
        .map((s) => s.location.range.start.line),
      [2, 4],
    );
  });

  it('.ts: a line added inside one function moves the findings of the functions below it (src/core/sources/typescript/extract.ts)', () => {
    const file = path.join(root, 'edit.ts');
    const lines = ["import { pool } from './db'", 'export async function a(id: number) {', "  return pool.query('SELECT id FROM items WHERE owner_id = $1', [id])", '}', 'export async function b(id: number) {', "  return pool.query('SELECT id FROM notes WHERE author_id = $1', [id])", '}', ''];
    project.updateFile(file, lines.join('\r'));
    assert.deepEqual(findings(file), [['missing-index', 2], ['missing-index', 5]]);
    project.updateFile(file, [...lines.slice(0, 2), '  const x = 1', ...lines.slice(2)].join('\r'));
    assert.deepEqual(findings(file), [['missing-index', 3], ['missing-index', 6]]);
  });
});

describe('line breaks: U+2028 / U+2029 are not line breaks (as in VS Code; TypeScript alone counts them)', () => {
  let root: string;
  after(() => root && fs.rmSync(root, { recursive: true, force: true }));

  it('a query below a comment holding U+2028 and U+2029 is reported on the line VS Code shows', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-eol-'));
    fs.mkdirSync(path.join(root, 'migrations', '20240101000000_init'), { recursive: true });
    fs.writeFileSync(path.join(root, 'migrations', '20240101000000_init', 'migration.sql'), MIGRATION);
    fs.writeFileSync(path.join(root, 'pg-index-review.json'), JSON.stringify({ rows: { items: 1_000_000, notes: 1_000_000 } }));
    const file = path.join(root, 'q.ts');
    fs.writeFileSync(file, ["import { pool } from './db' // a\u2028b\u2029c", 'export async function a(id: number) {', "  return pool.query('SELECT id FROM items WHERE owner_id = $1', [id])", '}', ''].join('\r'));
    const project = await Project.open(root);
    assert.deepEqual(
      project
        .analyze()
        .findings.filter((f) => f.file === file)
        .map((f) => [f.rule, f.range]),
      [['missing-index', { start: { line: 2, character: 48 }, end: { line: 2, character: 61 } }]],
    );
  });
});
