/**
 * reextractTypeScript (the editor's fast path): whenever it answers, it answers exactly what a
 * full extractFromTypeScript of the new text gives; it declines edits it can't handle.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import type { SchemaModel } from '../../../src/core/model/schema';
import { initSqlParser } from '../../../src/core/sql/parser';
import { extractFromTypeScript, reextractTypeScript, type TypeScriptExtraction } from '../../../src/core/sources/typescript/extract';
import { FIXTURES, fixture } from './helpers';
import { lmsSchema } from './schemaFixture';

const FILE = '/ws/src/services/big.ts';

/** A service file: imports, constants, types, and many functions with Prisma calls and SQL. */
function serviceFile(functions: number): string {
  const out = [
    "import { Prisma } from '@prisma/client'",
    "import { prisma } from '@/lib/db'",
    "import { pool, query } from '@/lib/pg'",
    '',
    'const PAGE_SIZE = 25',
    "const ACTIVE = 'ACTIVE'",
    '',
    'export interface Row { id: string; title: string }',
    'type Filters = { role?: string; page?: number }',
    '',
  ];
  for (let i = 0; i < functions; i++) {
    switch (i % 6) {
      case 0:
        out.push(
          `export async function listUsers${i}(role: string) {`,
          '  return prisma.user.findMany({',
          "    where: { role, deletedAt: null },",
          "    orderBy: { createdAt: 'desc' },",
          `    take: ${10 + i},`,
          '  })',
          '}',
        );
        break;
      case 1:
        out.push(
          `export async function courseBySlug${i}(slug: string) {`,
          '  return prisma.course.findUnique({ where: { slug }, include: { instructor: { select: { name: true } } } })',
          '}',
        );
        break;
      case 2:
        out.push(
          `export async function enrolled${i}(userId: string) {`,
          '  return prisma.$queryRaw<Row[]>`',
          '    SELECT c."id", c."title" FROM "courses" c',
          '    JOIN "enrollments" e ON e."courseId" = c."id"',
          `    WHERE e."userId" = \${userId} AND e."status" = \${ACTIVE}`,
          '    ORDER BY e."enrolledAt" DESC',
          '    LIMIT ${PAGE_SIZE}',
          '  `',
          '}',
        );
        break;
      case 3:
        out.push(
          `export async function published${i}(minPrice: number) {`,
          '  const { rows } = await pool.query(',
          `    'SELECT id, title FROM courses WHERE published = true AND price >= $1 ORDER BY "createdAt" DESC LIMIT ${5 + i}',`,
          '    [minPrice],',
          '  )',
          '  return rows',
          '}',
        );
        break;
      case 4:
        out.push(
          `export async function filtered${i}(f: Filters) {`,
          '  const conditions: Prisma.Sql[] = [Prisma.sql`"deletedAt" IS NULL`]',
          '  if (f.role) conditions.push(Prisma.sql`"role" = ${f.role}`)',
          '  return prisma.$queryRaw<Row[]>`SELECT * FROM "users" WHERE ${Prisma.join(conditions, \' AND \')} ORDER BY "createdAt" DESC`',
          '}',
        );
        break;
      default:
        out.push(`export function helper${i}(rows: Row[]): string[] {`, '  return rows.map((r) => r.title.toUpperCase())', '}');
    }
    out.push('');
  }
  return out.join('\n');
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

function same(a: TypeScriptExtraction, b: TypeScriptExtraction, what: string): void {
  assert.deepEqual(JSON.parse(JSON.stringify({ shapes: a.shapes, problems: a.problems })), JSON.parse(JSON.stringify({ shapes: b.shapes, problems: b.problems })), what);
  assert.equal(!!a.reuse, !!b.reuse, `${what}: reusable`);
}

type Edit = (text: string, r: () => number) => string;

const replaceOne = (re: RegExp, by: (m: RegExpMatchArray, r: () => number) => string): Edit => (text, r) => {
  const all = [...text.matchAll(re)];
  if (!all.length) return text;
  const m = all[Math.floor(r() * all.length)];
  return text.slice(0, m.index!) + by(m, r) + text.slice(m.index! + m[0].length);
};

const EDITS: Edit[] = [
  replaceOne(/take: \d+/g, (_m, r) => `take: ${Math.floor(r() * 100)}`),
  replaceOne(/orderBy: \{ createdAt: '(asc|desc)' \}/g, (m) => `orderBy: { createdAt: '${m[1] === 'asc' ? 'desc' : 'asc'}' }`),
  replaceOne(/LIMIT \d+/g, (_m, r) => `LIMIT ${Math.floor(r() * 50)}`),
  replaceOne(/ORDER BY /g, () => 'ORDER  BY '),
  replaceOne(/where: \{ /g, () => "where: { email: 'x', "),
  replaceOne(/WHERE /g, () => 'WHERE 1 = 1 AND '),
  replaceOne(/ACTIVE/g, () => 'ACTIVE2'),
  // Anywhere: a character typed or deleted, a line break.
  (text, r) => {
    const i = Math.floor(r() * text.length);
    return text.slice(0, i) + 'x' + text.slice(i);
  },
  (text, r) => {
    const i = Math.floor(r() * text.length);
    return text.slice(0, i) + text.slice(i + 1);
  },
  (text, r) => {
    const i = Math.floor(r() * text.length);
    return text.slice(0, i) + '\n' + text.slice(i);
  },
];

/** Applies random edits; each answer of reextractTypeScript must equal the full extraction. Returns how many it answered. */
function check(start: string, file: string, schema: SchemaModel, seed: number, rounds: number): { fast: number; full: number } {
  const r = rng(seed);
  let text = start;
  let prev = extractFromTypeScript(text, file, schema);
  let fast = 0;
  for (let i = 0; i < rounds; i++) {
    // Edits that may break the syntax start again from the original text.
    const k = Math.floor(r() * EDITS.length);
    if (k >= 7) {
      text = start;
      prev = extractFromTypeScript(text, file, schema);
    }
    const next = EDITS[k](text, r);
    const full = extractFromTypeScript(next, file, schema);
    const quick = prev.reuse ? reextractTypeScript(prev.reuse, next, file, schema) : undefined;
    if (quick) {
      fast++;
      same(quick, full, `edit ${i} (kind ${k}) of ${file}`);
    }
    prev = quick ?? full;
    text = next;
  }
  return { fast, full: rounds - fast };
}

describe('typescript/reextract (incremental re-extraction)', () => {
  before(() => initSqlParser());

  it('answers one-line edits inside a function exactly as a full extraction does', () => {
    const schema = lmsSchema();
    const text = serviceFile(40);
    const first = extractFromTypeScript(text, FILE, schema);
    assert.ok(first.reuse, 'a clean file is reusable');
    assert.ok(first.shapes.length > 30);
    const { fast } = check(text, FILE, schema, 20251001, 300);
    assert.ok(fast > 100, `only ${fast} edits took the fast path`);
  });

  it('stays exact on the extractor fixtures', () => {
    const schema = lmsSchema();
    for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.ts.txt'))) {
      check(fixture(name), `/ws/${name.replace(/\.txt$/, '')}`, schema, name.length, 80);
    }
  });

  it('moves the queries after an edit that adds or removes lines', () => {
    const schema = lmsSchema();
    const text = serviceFile(12);
    const first = extractFromTypeScript(text, FILE, schema);
    const prev = first.reuse!;
    assert.ok(text.includes('take: 16,'));
    for (const [what, next] of [
      ['a line added', text.replace('take: 16,', 'take: 16,\n    // more\n')],
      ['a line removed', text.replace("    orderBy: { createdAt: 'desc' },\n    take: 16,", "    orderBy: { createdAt: 'desc' }, take: 16,")],
      ['lines added to SQL', text.replace('ORDER BY e."enrolledAt" DESC\n    LIMIT ${PAGE_SIZE}\n  `\n}\n\nexport async function published9', 'ORDER BY\n      e."enrolledAt" DESC\n\n    LIMIT ${PAGE_SIZE}\n  `\n}\n\nexport async function published9')],
    ] as const) {
      assert.notEqual(next, text, what);
      const quick = reextractTypeScript(prev, next, FILE, schema);
      assert.ok(quick, what);
      same(quick, extractFromTypeScript(next, FILE, schema), what);
      // Queries before the edit keep their objects (and so their verdicts); those after it are moved copies.
      assert.equal(quick.shapes[0], first.shapes[0], `${what}: first query`);
      assert.notEqual(quick.shapes[quick.shapes.length - 1], first.shapes[first.shapes.length - 1], `${what}: last query`);
    }
  });

  it('declines edits outside a function body and syntax errors', () => {
    const schema = lmsSchema();
    const text = serviceFile(12);
    const prev = extractFromTypeScript(text, FILE, schema).reuse!;
    assert.equal(reextractTypeScript(prev, text.replace('const PAGE_SIZE = 25', 'const PAGE_SIZE = 26'), FILE, schema), undefined, 'a top-level constant');
    assert.equal(reextractTypeScript(prev, text.replace('take: 10,', 'take: (10,'), FILE, schema), undefined, 'a syntax error');
    assert.equal(reextractTypeScript(prev, text.replace('export async function listUsers0(', 'export async function listUsersX('), FILE, schema), undefined, 'a function header');
    assert.equal(reextractTypeScript(prev, text.replace('take: 10,', 'take: 11,'), FILE, lmsSchema()), undefined, 'another schema');
    const ok = reextractTypeScript(prev, text.replace('take: 10,', 'take: 11,'), FILE, schema);
    assert.ok(ok, 'an edit inside a function body');
    same(ok, extractFromTypeScript(text.replace('take: 10,', 'take: 11,'), FILE, schema), 'take: 11');
  });

  it('is not offered when a query depends on another top-level statement, or names are declared twice', () => {
    const schema = lmsSchema();
    const shared = [
      "import { Prisma } from '@prisma/client'",
      'const conditions: Prisma.Sql[] = []',
      'export function a(role: string) {',
      '  conditions.push(Prisma.sql`"role" = ${role}`)',
      '}',
      'export function b() {',
      "  return prisma.$queryRaw`SELECT * FROM \"users\" WHERE ${Prisma.join(conditions, ' AND ')}`",
      '}',
    ].join('\n');
    assert.equal(extractFromTypeScript(shared, FILE, schema).reuse, undefined, 'a top-level array pushed onto in functions');
    const constQuery = ["const q = Prisma.sql`SELECT * FROM \"users\" WHERE \"role\" = 'ADMIN'`", 'export function a() {', '  return prisma.$queryRaw(q)', '}'].join('\n');
    assert.equal(extractFromTypeScript(constQuery, FILE, schema).reuse, undefined, 'a top-level query constant');
    const twice = ['export function f(): void', 'export function f(x?: number): void {', "  prisma.user.findMany({ where: { role: 'ADMIN' } })", '}'].join('\n');
    assert.equal(extractFromTypeScript(twice, FILE, schema).reuse, undefined, 'an overloaded function');
  });
});
