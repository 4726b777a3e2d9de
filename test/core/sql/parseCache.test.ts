/**
 * cachedSqlParser: what parseSqlDocument gives, parsed once per text while kept; and shared statements
 * leave every file's shapes where that file has them (the cache holds no location of its own).
 */
import assert from 'node:assert/strict';
import { loadMigrations } from '../../../src/core/schema/migrations/loadMigrations';
import { cachedSqlParser } from '../../../src/core/sql/parseCache';
import { initSqlParser, parseSqlDocument } from '../../../src/core/sql/parser';
import { extractFromTypeScript } from '../../../src/core/sources/typescript/extract';

/** A parser that counts the documents it really parses. */
function counting(maxEntries?: number, maxChars?: number, maxTotalChars?: number) {
  const seen: string[] = [];
  const lib = require('libpg-query');
  const parse = cachedSqlParser(maxEntries, maxChars, maxTotalChars);
  return {
    seen,
    parse: (text: string) => {
      const orig = lib.parseSync;
      lib.parseSync = (s: string) => {
        seen.push(s);
        return orig(s);
      };
      try {
        return parse(text);
      } finally {
        lib.parseSync = orig;
      }
    },
  };
}

describe('cachedSqlParser', () => {
  before(() => initSqlParser());

  it('gives what parseSqlDocument gives, broken statements included', () => {
    const { parse } = counting();
    for (const text of ['SELECT 1; SELECT * FROM t WHERE a = $1', 'SELEC oops; SELECT 2', '-- only a comment', "SELECT 'é' FROM t; UPDATE t SET a = 1"]) {
      const strip = (xs: ReturnType<typeof parseSqlDocument>) => xs.map(({ toDocOffset, ...rest }) => ({ ...rest, offsets: [0, 3, 9].map((b) => toDocOffset(b)) }));
      assert.deepEqual(strip(parse(text)), strip(parseSqlDocument(text)));
      assert.deepEqual(strip(parse(text)), strip(parseSqlDocument(text)));
    }
  });

  it('parses a text once while it is kept, and the least recently used text goes first', () => {
    const { parse, seen } = counting(2);
    const a = parse('SELECT * FROM a');
    assert.equal(parse('SELECT * FROM a'), a);
    parse('SELECT * FROM b');
    parse('SELECT * FROM a'); // a is now the most recently used
    parse('SELECT * FROM c'); // b goes
    parse('SELECT * FROM a');
    parse('SELECT * FROM b');
    assert.deepEqual(seen, ['SELECT * FROM a', 'SELECT * FROM b', 'SELECT * FROM c', 'SELECT * FROM b']);
  });

  it('keeps at most maxTotalChars characters of text, dropping the least recently used first', () => {
    const { parse, seen } = counting(100, 100, 40);
    const [a, b, c] = ['SELECT * FROM aaaaaaaaaaaa', 'SELECT * FROM bbbbbbbbbbbb', 'SELECT * FROM cccccccccccc'];
    parse(a);
    parse(b); // 52 characters: a goes
    parse(b);
    parse(a);
    parse(c);
    assert.deepEqual(seen, [a, b, a, c]);
  });

  it('does not keep texts longer than its limit', () => {
    const { parse, seen } = counting(10, 20);
    const long = 'SELECT * FROM some_table WHERE x = 1';
    parse(long);
    parse(long);
    parse('SELECT 1');
    parse('SELECT 1');
    assert.deepEqual(seen, [long, long, 'SELECT 1']);
  });

  it('leaves each file its own shapes when files share a SQL text', () => {
    const { schema } = loadMigrations([{ file: 'm.sql', text: 'CREATE TABLE users (id int PRIMARY KEY, email text, org int);' }]);
    const sql = 'SELECT * FROM users WHERE email = $1 AND org = $2';
    const files = {
      'a.ts': `const q = sql\`${sql}\`;\nawait pool.query('${sql}', [e, o]);\n`,
      'b.ts': `\n\n  // moved down and right\n    export async function f() { await client.query('SELECT * FROM nope WHERE'); return client.query('${sql}'); }\n`,
    };
    const { parse, seen } = counting();
    for (const [file, text] of Object.entries(files)) {
      const alone = extractFromTypeScript(text, file, schema);
      const shared = extractFromTypeScript(text, file, schema, { parseSql: parse });
      assert.ok(alone.shapes.length > 0);
      assert.deepEqual(JSON.parse(JSON.stringify(shared.shapes)), JSON.parse(JSON.stringify(alone.shapes)));
      assert.deepEqual(shared.problems, alone.problems);
      if (file === 'b.ts') assert.equal(alone.problems.length, 1, 'the broken SQL is reported');
    }
    assert.equal(seen.filter((s) => s === sql).length, 1, 'the shared text is parsed once');
  });
});

// Found by fuzzing (stop 26): an unterminated comment dropped the rest of the file silently, and a nested one ended
// at its inner `*/`, giving a false syntax error and losing the statement after it.
describe('parseSqlDocument: block comments as PostgreSQL reads them', () => {
  before(() => initSqlParser());
  const kinds = (text: string) => parseSqlDocument(text).map((s) => (s.error ? `error: ${s.error.message.split(' at or near')[0]}` : (s.ast?.IndexStmt?.idxname ?? Object.keys(s.ast ?? {})[0])));

  it('nest: a statement inside a nested comment is no statement, the one after it is', () => {
    assert.deepEqual(kinds('CREATE TABLE t (a int, b int);\n/* o /* i */ CREATE INDEX hidden ON t(a); */\nCREATE INDEX shown ON t(b);\n'), ['CreateStmt', 'shown']);
  });

  it('an unterminated one is an error, not the end of the file', () => {
    assert.deepEqual(kinds('CREATE TABLE t (a int);\n/* unterminated\nCREATE INDEX x ON t(a);\n'), ['CreateStmt', 'error: unterminated /* comment']);
  });
});
