/**
 * Tokenizes real source lines with the SQL injection grammar through vscode-textmate and the
 * Oniguruma engine VS Code uses, over minimal stand-ins for the TypeScript and SQL grammars
 * (VS Code's own ship with VS Code, not with npm).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type StateStack } from 'vscode-textmate';

const ROOT = path.join(__dirname, '../..');
const INJECTION = fs.readFileSync(path.join(ROOT, 'syntaxes/sql-injection.tmLanguage.json'), 'utf8');
const injectionScope = JSON.parse(INJECTION).scopeName as string;

const TS_STUB = JSON.stringify({
  scopeName: 'source.ts',
  patterns: [{ include: '#expression' }],
  repository: { expression: { patterns: [{ match: '\\b[A-Za-z_$][\\w$]*\\b', name: 'variable.other.ts' }] } },
});
const SQL_STUB = JSON.stringify({
  scopeName: 'source.sql',
  patterns: [{ match: '(?i)\\b(select|from|where|update|set|order|by|limit)\\b', name: 'keyword.other.sql' }],
});

async function loadGrammar(): Promise<IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => {
      const src = scope === 'source.ts' ? TS_STUB : scope === 'source.sql' ? SQL_STUB : scope === injectionScope ? INJECTION : undefined;
      return src ? parseRawGrammar(src, `${scope}.json`) : null;
    },
    getInjections: (scope) => (scope === 'source.ts' ? [injectionScope] : undefined),
  });
  const g = await registry.loadGrammar('source.ts');
  if (!g) throw new Error('grammar did not load');
  return g;
}

/** Scopes of each token of each line, as `text → scopes`. */
function tokenize(g: IGrammar, text: string): { text: string; scopes: string[] }[] {
  let stack: StateStack = INITIAL;
  const out: { text: string; scopes: string[] }[] = [];
  for (const line of text.split('\n')) {
    const r = g.tokenizeLine(line, stack);
    for (const t of r.tokens) out.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    stack = r.ruleStack;
  }
  return out;
}

function scopesOf(tokens: { text: string; scopes: string[] }[], text: string): string[] {
  const t = tokens.find((x) => x.text.trim() === text);
  assert.ok(t, `no token "${text}" in ${JSON.stringify(tokens.map((x) => x.text))}`);
  return t.scopes;
}

describe('SQL injection grammar (tokenized with vscode-textmate)', () => {
  let g: IGrammar;
  before(async () => {
    g = await loadGrammar();
  });

  it('marks the inside of a $queryRaw template as embedded SQL and highlights its keywords', () => {
    const tokens = tokenize(g, 'const rows = await prisma.$queryRaw`SELECT id FROM users WHERE email = ${email}`;');
    assert.ok(scopesOf(tokens, 'SELECT').includes('meta.embedded.block.sql'));
    assert.ok(scopesOf(tokens, 'SELECT').includes('keyword.other.sql'));
    assert.ok(!scopesOf(tokens, 'const').includes('meta.embedded.block.sql'));
  });

  it('hands ${…} substitutions back to TypeScript', () => {
    const tokens = tokenize(g, 'await prisma.$queryRaw`SELECT 1 WHERE a = ${userId}`;');
    const s = scopesOf(tokens, 'userId');
    assert.ok(s.includes('meta.embedded.line.ts'));
    assert.ok(s.includes('variable.other.ts'));
  });

  it('keeps SQL mode across the lines of a multi-line template and ends at the closing backtick', () => {
    const tokens = tokenize(g, 'const q = Prisma.sql`\n  SELECT *\n  FROM courses\n  ORDER BY x\n`;\nconst after = 1;');
    assert.ok(scopesOf(tokens, 'FROM').includes('meta.embedded.block.sql'));
    assert.ok(!scopesOf(tokens, 'after').includes('meta.embedded.block.sql'));
  });

  it('embeds SQL in a string passed to .query(', () => {
    const tokens = tokenize(g, "const r = await pool.query('UPDATE t SET a = $1', [a]);");
    assert.ok(scopesOf(tokens, 'UPDATE').includes('meta.embedded.block.sql'));
    // After the closing quote we are back in TypeScript: the argument list is not SQL.
    const close = tokens.findIndex((t) => t.scopes.some((s) => s.startsWith('punctuation.definition.string.end')));
    assert.ok(close > 0, 'the string ends');
    assert.ok(tokens.slice(close + 1).every((t) => !t.scopes.includes('meta.embedded.block.sql')));
  });

  it('leaves ordinary template strings alone', () => {
    const tokens = tokenize(g, 'const msg = html`SELECT is a word here`;');
    assert.ok(tokens.every((t) => !t.scopes.includes('meta.embedded.block.sql')));
  });
});
