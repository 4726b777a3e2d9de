/**
 * The JavaScript lexer against libpg-query's scanSync: same tokens (start, end, text) on every
 * SQL text of the repository, on edge cases of scan.l, and on random mixtures of SQL fragments;
 * where scanSync throws, lexSql throws too.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanSync } from 'libpg-query';
import { lexSql } from '../../../src/core/sql/lexer';
import { initSqlParser } from '../../../src/core/sql/parser';
import { findEmbeddedSql } from '../../../src/core/sources/typescript/embeddedSql';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function real(text: string): { start: number; end: number; text: string }[] | 'throws' {
  try {
    return (scanSync(text) as { tokens: { start: number; end: number; text: string }[] }).tokens.map((t) => ({ start: t.start, end: t.end, text: t.text }));
  } catch {
    return 'throws';
  }
}

function ours(text: string): { start: number; end: number; text: string }[] | 'throws' {
  try {
    return lexSql(text);
  } catch {
    return 'throws';
  }
}

function same(text: string): void {
  assert.deepEqual(ours(text), real(text), `tokens of ${JSON.stringify(text.length > 300 ? text.slice(0, 300) + '…' : text)}`);
}

function filesUnder(dir: string, test: (f: string) => boolean, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.git' || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, test, out);
    else if (test(p)) out.push(p);
  }
  return out;
}

/** mulberry32 */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const EDGE_CASES = [
  `SELECT 'a''b' , E'x\\'y', U&'d\\0061t' UESCAPE '!', "Q""id", U&"x", $$ a;b $$, $tag$ x $tag$, $1, a$b$c, 'a'\n  'b' -- c\n/* x /* y */ z */ ;`,
  `x::int <=> y -> 'k' ->> 'k' @> '{}' !=- 1 *- 2 <-- c\n+ - */`,
  `1.5e10 .5 12. 1e+5 1.e5 .5e-3 1E3`,
  `1..2`, `1e`, `1e+`, `0x1F`, `0x`, `0x_1`, `0b101`, `0o17`, `1_000`, `1__0`, `1_`, `3abc`, `1.x`, `1.5.6`, `1.5e3x`,
  `$1a`, `$1_`, `$1$`, `a$1`, `$$`, `$a`, `$a b`, `$`, `$ 1`, `a.1`, `x.*`, `e'\\\\'`, `$a$ x $b$ y $a$`, `$a$ x$ba$a$`, `$$a$b$$`, `$ab$ $xab$ $ab$`,
  `/* unterminated`, `"unterminated`, `$$ unterminated`, `e'abc\\'`, `'unterminated`, `""`, `"a""b"`, `U&""`,
  `'x' -- c\n 'y'`, `'x'\n-- c\n'y'`, `'x' /* c */\n'y'`, `'x'\n/* c */'y'`, `'a'\v\n'b'`, `'a'\n\v'b'`, `'a' \t\n \n 'b'`, `'a'\r'b'`,
  `a\r\nb\x0bc\fd`, `x --c\r\n y`, `'a'\r\n'b'`, `E'a'\n'b\\n'`, `B'1'\n'0'`, `U&'a'\n'b'`, `u&x`, `U&"a"\n"b"`, `n'x'`, `nx'y'`, `x'1'`, `b''`, `X'ff'`,
  `\\x`, `?`, `a!b`, `!!x`, `@-1`, `+-`, `=-`, `~-`, `#-`, `-1`, `--`, `/**/x`, `a/*x*/b`, `\`x\``, `{}`, `\\`, `/*/ */`, `/* //* */ */`, `/* **/`, `a/*b`, `*/*`,
  `a[1:2] :x :=  => .. ;`, `a::b`, `a: :b`, `<=>`, `<>`, `!=`, `>=`, `<=`, `||/`, `|/`, `@@`, `#>>`, `-|-`, `&&`, `?|`, `?&`, `*-+`, `%-`, `^-`, `+*-`, `-/*c*/-`, `<--->`,
  `N'nat' B'101' X'ff' é_ident "é" 'é' $é$ x $é$`, `SELECT '😀', "😀x", 😀 FROM t`, `a\u00a0b`, `'\u2028'`,
  `SELECT 1; BEGIN ATOMIC SELECT 2; END;`, `a\x01b`, `a\x7fb`,
  `SELECT * FROM "users" WHERE "role" = $1::"Role" ORDER BY "createdAt" DESC LIMIT $2 OFFSET $3`,
  `CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 ELSE 2 END; END`,
];

describe('SQL lexer (JavaScript) = libpg-query scanSync', () => {
  before(async () => {
    await initSqlParser();
  });

  it('on edge cases of the PostgreSQL lexer', () => {
    for (const text of EDGE_CASES) same(text);
  });

  it('on every .sql file and every embedded SQL string of the repository', () => {
    const sql = filesUnder(ROOT, (f) => f.endsWith('.sql'));
    const scripts = filesUnder(path.join(ROOT, 'examples'), (f) => /\.(ts|js)$/.test(f)).concat(filesUnder(path.join(ROOT, 'test', 'fixtures'), (f) => f.endsWith('.ts.txt')));
    let n = 0;
    for (const f of sql) {
      same(fs.readFileSync(f, 'utf8'));
      n++;
    }
    for (const f of scripts) {
      for (const e of findEmbeddedSql(fs.readFileSync(f, 'utf8'), f.replace(/\.txt$/, ''))) {
        same(e.sql);
        n++;
      }
    }
    assert.ok(n > 50, `only ${n} texts`);
  });

  it('on random mixtures of SQL fragments', () => {
    const pieces = [
      ' ', '\n', '\t', '\r\n', '\v', '\f', 'SELECT', 'a', 'é', '😀', '_x', 'x$y', '1', '12', '.5', '1.5', '1e5', '0', '.', '..', ',', ';', '(', ')', '[', ']', ':', '::', ':=',
      "'", "''", "'s'", "E'", "e'\\'", '\\', '"', '"q"', 'U&', "U&'u'", 'u&"v"', 'B', "b'", "X'", 'N', '$', '$$', '$1', '$t$', '$é$', '--', '-- c\n', '/*', '*/', '/* c */',
      '+', '-', '*', '/', '<', '>', '=', '~', '!', '@', '#', '^', '&', '|', '`', '?', '%', '{', '}', '<=', '>=', '<>', '!=', '->>', '@>', '*-', '+-', '-+',
    ];
    const r = rng(20251001);
    let compared = 0;
    for (let i = 0; i < 20000; i++) {
      const len = 1 + Math.floor(r() * 14);
      let s = '';
      for (let k = 0; k < len; k++) s += pieces[Math.floor(r() * pieces.length)];
      same(s);
      compared++;
    }
    assert.equal(compared, 20000);
  });
});
