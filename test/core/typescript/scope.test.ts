import assert from 'node:assert/strict';
import * as ts from 'typescript';
import { resolveConstInitializer } from '../../../src/core/sources/typescript/scope';
import { findEmbeddedSql } from '../../../src/core/sources/typescript/embeddedSql';

function resolveAt(code: string, marker: string): string | undefined {
  const sf = ts.createSourceFile('a.ts', code, ts.ScriptTarget.Latest, true);
  const at = code.indexOf(marker);
  let found: ts.Identifier | undefined;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n.getStart(sf) === at) found = n;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  assert.ok(found, marker);
  return resolveConstInitializer(found)?.getText(sf);
}

describe('typescript/scope', () => {
  it('resolves the nearest const and respects shadowing', () => {
    const code = [
      "const Q = 'outer';",
      'function a() { const Q = "inner"; use(Q /*1*/); }',
      'function b(Q: string) { use(Q /*2*/); }',
      'function c() { use(Q /*3*/); }',
      'function d() { let Q = 1; use(Q /*4*/); }',
      'for (const Q of xs) use(Q /*5*/);',
    ].join('\n');
    assert.equal(resolveAt(code, 'Q /*1*/'), '"inner"');
    assert.equal(resolveAt(code, 'Q /*2*/'), undefined);
    assert.equal(resolveAt(code, 'Q /*3*/'), "'outer'");
    assert.equal(resolveAt(code, 'Q /*4*/'), undefined);
    assert.equal(resolveAt(code, 'Q /*5*/'), undefined);
  });

  it('lets each function use its own `const sql`', () => {
    const code = [
      'async function one(id) { const sql = "SELECT * FROM a WHERE id = $1"; return pool.query(sql, [id]); }',
      'async function two(id) { const sql = `SELECT * FROM b WHERE id = $1`; return pool.query(sql, [id]); }',
      'async function three(sql) { return pool.query(sql, []); }',
    ].join('\n');
    assert.deepEqual(
      findEmbeddedSql(code, 'a.js').map((e) => e.sql),
      ['SELECT * FROM a WHERE id = $1', 'SELECT * FROM b WHERE id = $1'],
    );
  });
});
