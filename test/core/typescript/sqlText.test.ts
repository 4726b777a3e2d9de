import assert from 'node:assert/strict';
import { cookChecked, cookRaw, firstSqlWord, SqlTextBuilder, startsWithSqlKeyword } from '../../../src/core/sources/typescript/sqlText';

describe('typescript/sqlText', () => {
  describe('cookRaw', () => {
    it('is the identity map for text without escapes', () => {
      const c = cookRaw('SELECT 1', 100, 'template');
      assert.equal(c.text, 'SELECT 1');
      assert.deepEqual(c.offsets, [100, 101, 102, 103, 104, 105, 106, 107]);
    });

    it('decodes \\\\ and \\` and maps each to its backslash', () => {
      const raw = 'a\\\\b\\`c';
      const c = cookRaw(raw, 10, 'template');
      assert.equal(c.text, 'a\\b`c');
      assert.deepEqual(c.offsets, [10, 11, 13, 14, 16]);
    });

    it('decodes simple, hex, unicode and code point escapes', () => {
      const raw = '\\n\\t\\x41\\u0042\\u{1F600}\\$\\{';
      const c = cookRaw(raw, 0, 'template');
      assert.equal(c.text, '\n\tAB\u{1F600}${');
      const at = (s: string): number => raw.indexOf(s);
      assert.deepEqual(c.offsets, [at('\\n'), at('\\t'), at('\\x41'), at('\\u0042'), at('\\u{'), at('\\u{'), at('\\$'), at('\\{')]);
    });

    it('drops line continuations and normalises CRLF in templates', () => {
      const c = cookRaw('a\\\nb\r\nc', 0, 'template');
      assert.equal(c.text, 'ab\nc');
      assert.deepEqual(c.offsets, [0, 3, 4, 6]);
      const s = cookRaw('a\\\r\nb', 0, 'string');
      assert.equal(s.text, 'ab');
    });

    it('decodes \\0 and legacy octal in strings', () => {
      assert.equal(cookRaw('\\0x', 0, 'string').text, '\0x');
      assert.equal(cookRaw('\\101\\7', 0, 'string').text, 'A\u0007');
      assert.equal(cookRaw("it\\'s", 0, 'string').text, "it's");
    });

    it('falls back to the expected text when decoding disagrees', () => {
      const c = cookChecked('\\u{zz}x', 5, 'template', 'QQ');
      assert.equal(c.text, 'QQ');
      assert.equal(c.offsets.length, 2);
    });
  });

  describe('SqlTextBuilder', () => {
    it('numbers parameters and maps them to their hole', () => {
      const b = new SqlTextBuilder();
      b.appendCooked(cookRaw('id = ', 1, 'template'), 6);
      assert.equal(b.appendParam(6, 10), 1);
      b.appendCooked(cookRaw(' AND b = ', 11, 'template'), 20);
      assert.equal(b.appendParam(20, 25), 2);
      b.appendCooked(cookRaw('', 26, 'template'), 26);
      const built = b.build();
      assert.equal(built.sql, 'id = $1 AND b = $2');
      assert.equal(built.params, 2);
      assert.equal(built.mapOffset(5), 6);
      assert.equal(built.mapOffset(6), 6);
      assert.equal(built.mapOffset(7), 11);
      assert.equal(built.mapOffset(built.sql.length), 26);
      assert.equal(built.mapOffset(-3), 1);
      assert.equal(built.mapOffset(1000), 26);
    });
  });

  describe('statement keywords', () => {
    it('skips whitespace, comments and parentheses', () => {
      assert.equal(firstSqlWord('  -- hi\n /* a /* nested */ b */ (select 1)'), 'select');
      assert.ok(startsWithSqlKeyword('WITH x AS (SELECT 1) SELECT * FROM x'));
      assert.ok(startsWithSqlKeyword('\n\tdelete from t'));
      assert.ok(!startsWithSqlKeyword('BEGIN'));
      assert.ok(!startsWithSqlKeyword('users'));
      assert.ok(!startsWithSqlKeyword(''));
    });
  });
});
