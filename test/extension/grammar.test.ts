/**
 * The SQL injection grammar (syntaxes/sql-injection.tmLanguage.json). vscode-textmate and
 * vscode-oniguruma are not installed, so this checks the structure and runs the begin/end
 * patterns (written in the subset of Oniguruma syntax JavaScript shares) over real source lines.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const file = path.join(__dirname, '../../syntaxes/sql-injection.tmLanguage.json');
const grammar = JSON.parse(fs.readFileSync(file, 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));

function re(src: string): RegExp {
  return new RegExp(src);
}

function allRules(node: any, out: any[] = []): any[] {
  if (node && typeof node === 'object') {
    if (typeof node.begin === 'string' || typeof node.match === 'string') out.push(node);
    for (const v of Object.values(node)) allRules(v, out);
  }
  return out;
}

describe('SQL injection grammar', () => {
  it('is registered in package.json for TS/JS and embeds SQL', () => {
    const g = pkg.contributes.grammars.find((x: any) => x.scopeName === grammar.scopeName);
    assert.ok(g);
    assert.equal(path.normalize(g.path), path.normalize('./syntaxes/sql-injection.tmLanguage.json'));
    assert.deepEqual(g.injectTo.sort(), ['source.js', 'source.js.jsx', 'source.ts', 'source.tsx']);
    assert.equal(g.embeddedLanguages['meta.embedded.block.sql'], 'sql');
    assert.match(grammar.injectionSelector, /L:source\.ts -comment -string/);
  });

  it('every pattern compiles and every include resolves', () => {
    for (const r of allRules(grammar)) {
      for (const k of ['begin', 'end', 'match']) if (typeof r[k] === 'string' && !/\\\d/.test(r[k])) re(r[k]);
    }
    const includes = JSON.stringify(grammar).match(/"include":\s*"([^"]+)"/g)!.map((s) => s.replace(/.*"([^"]+)"$/, '$1'));
    for (const inc of includes) {
      if (inc.startsWith('#')) assert.ok(grammar.repository[inc.slice(1)], inc);
      else assert.ok(['source.sql', 'source.ts#expression'].includes(inc), inc);
    }
  });

  const tagged = re(grammar.repository['tagged-template'].begin);
  const call = re(grammar.repository['query-call'].begin);

  it('starts SQL at $queryRaw, $executeRaw, Prisma.sql and sql tagged templates', () => {
    for (const line of ['await prisma.$queryRaw`SELECT 1`', 'prisma.$executeRaw`UPDATE t SET a = 1`', 'const q = Prisma.sql`WHERE id = ${id}`', 'db.execute(sql`SELECT 1`)', 'prisma.$queryRaw<User[]>`SELECT * FROM users`', 'prisma.$queryRaw<Array<{ n: number }>>`SELECT 1 AS n`']) {
      const m = tagged.exec(line);
      assert.ok(m, line);
      assert.equal(line[m.index + m[0].length - 1], '`', line);
    }
    for (const line of ['const mysql = `SELECT 1`', 'foo.sql`x`', 'prisma.$queryRawUnsafe(`SELECT 1`)', 'html`<p>`']) assert.equal(tagged.exec(line), null, line);
  });

  it('starts SQL in string literals passed to .query( and the Unsafe raw calls', () => {
    for (const line of ["await pool.query('SELECT * FROM users WHERE id = $1', [id])", 'client.query("SELECT 1")', 'pool.query(`SELECT ${x}`)', "prisma.$queryRawUnsafe('SELECT 1')", 'prisma.$executeRawUnsafe(`DELETE FROM t`)']) {
      const m = call.exec(line);
      assert.ok(m, line);
      const quote = m[5];
      const rest = line.slice(m.index + m[0].length);
      const end = new RegExp(grammar.repository['query-call'].end.replace('\\5', quote === '`' ? '`' : quote));
      assert.ok(end.exec(rest), `${line}: no end`);
    }
    for (const line of ['pool.query(text, values)', 'router.query']) assert.equal(call.exec(line), null, line);
  });

  it('template substitutions go back to TypeScript', () => {
    const sub = grammar.repository.substitution;
    assert.ok(re(sub.begin).test('${id}'));
    assert.deepEqual(sub.patterns, [{ include: 'source.ts#expression' }]);
    assert.equal(grammar.repository['tagged-template'].patterns[0].include, '#substitution');
  });
});
