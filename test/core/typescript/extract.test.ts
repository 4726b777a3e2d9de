import assert from 'node:assert/strict';
import * as ts from 'typescript';
import type { Finding } from '../../../src/core/model/finding';
import { emptySchema } from '../../../src/core/model/schema';
import type { QueryShape } from '../../../src/core/model/query';
import type { SqlContext } from '../../../src/core/shapes/fromSql';
import { initSqlParser } from '../../../src/core/sql/parser';
import { extractFromTypeScript, scriptKindFor } from '../../../src/core/sources/typescript/extract';
import { atoms, extractFixture, fixture, shapeAfter } from './helpers';
import { lmsSchema } from './schemaFixture';

describe('typescript/extract', () => {
  before(() => initSqlParser());

  it('picks the script kind from the extension', () => {
    assert.equal(scriptKindFor('a.ts'), ts.ScriptKind.TS);
    assert.equal(scriptKindFor('a.mts'), ts.ScriptKind.TS);
    assert.equal(scriptKindFor('a/b.tsx'), ts.ScriptKind.TSX);
    assert.equal(scriptKindFor('a.js'), ts.ScriptKind.JS);
    assert.equal(scriptKindFor('a.MJS'), ts.ScriptKind.JS);
    assert.equal(scriptKindFor('a.cjs'), ts.ScriptKind.JS);
    assert.equal(scriptKindFor('a.jsx'), ts.ScriptKind.JSX);
  });

  it('hands each embedded statement to shapesFromSqlText with the file, line index and offset map', () => {
    const text = fixture('embedded.ts.txt');
    const calls: { sql: string; ctx: SqlContext }[] = [];
    const fake = (sql: string, ctx: SqlContext): { shapes: QueryShape[]; problems: Finding[] } => {
      calls.push({ sql, ctx });
      const range = ctx.lines.range(ctx.mapOffset!(0), ctx.mapOffset!(sql.length));
      const problem: Finding = { rule: 'parse-error', severity: 'error', message: 'x', file: ctx.file, range, related: [] };
      return { shapes: [], problems: [problem] };
    };
    const schema = lmsSchema();
    const r = extractFromTypeScript(text, 'src/embedded.ts', schema, { sqlToShapes: fake });
    assert.equal(calls.length, 18);
    for (const c of calls) {
      assert.equal(c.ctx.file, 'src/embedded.ts');
      assert.equal(c.ctx.origin, 'embedded-sql');
      assert.equal(c.ctx.schema, schema);
      assert.equal(c.ctx.lines.text, text);
    }
    const first = calls[0];
    assert.equal(first.sql, 'SELECT * FROM users WHERE id = $1 AND created_at > $2');
    assert.equal(first.ctx.mapOffset!(first.sql.indexOf('$2')), text.indexOf('${since}'));
    // parse errors of statements with unknown parts (2 dynamic ones) are dropped
    assert.equal(r.problems.length, 16);
  });

  it('returns prisma shapes and embedded SQL shapes together, in source order', () => {
    const text = [
      "const a = await prisma.user.findMany({ where: { email: 'x' } });",
      "const b = await prisma.$queryRaw`SELECT * FROM users WHERE email = ${e}`;",
    ].join('\n');
    const fake = (sql: string, ctx: SqlContext): { shapes: QueryShape[]; problems: Finding[] } => {
      const range = ctx.lines.range(ctx.mapOffset!(0), ctx.mapOffset!(sql.length));
      const shape: QueryShape = { id: 'sql', origin: ctx.origin, location: { file: ctx.file, range }, text: sql, label: 'SELECT on users', accesses: [] };
      return { shapes: [shape], problems: [] };
    };
    const r = extractFromTypeScript(text, 'a.ts', lmsSchema(), { sqlToShapes: fake });
    assert.deepEqual(
      r.shapes.map((s) => [s.origin, s.location.range.start.line]),
      [
        ['prisma', 0],
        ['embedded-sql', 1],
      ],
    );
  });

  it('finds calls inside $transaction arrays and callbacks and on any receiver', () => {
    const x = extractFixture('prisma-transaction.ts.txt');
    const labels = x.shapes.map((s) => s.label);
    assert.deepEqual(labels, [
      'prisma.enrollment.create',
      'prisma.course.update',
      'prisma.enrollment.findFirst',
      'prisma.user.update',
      'prisma.course.findUnique',
      'prisma.user.findMany',
      'prisma.lesson.findMany',
      'prisma.user.softDelete',
    ]);
    const inCallback = shapeAfter(x, 'tx.enrollment.findFirst');
    assert.equal(inCallback.text, x.text.slice(x.text.indexOf('tx.enrollment.findFirst'), x.text.indexOf(');', x.text.indexOf('tx.enrollment.findFirst')) + 1));
    assert.deepEqual(
      atoms(inCallback.accesses[0]).map((a) => a.kind === 'compare' && a.column),
      ['userId', 'courseId'],
    );
    assert.equal(shapeAfter(x, 'this.db.course').accesses[0].table, 'courses');
  });

  it('guesses the table of a model schema.prisma does not know; unknown operations give a bare access', () => {
    const x = extractFixture('prisma-transaction.ts.txt');
    const lesson = shapeAfter(x, 'prisma.lesson.findMany');
    assert.equal(lesson.accesses[0].table, 'Lesson');
    assert.deepEqual(atoms(lesson.accesses[0]), [{ kind: 'compare', column: 'title', op: '=', value: { kind: 'string', value: 'x' } }]);
    const ext = shapeAfter(x, 'prisma.user.softDelete');
    assert.equal(ext.accesses.length, 1);
    assert.deepEqual(ext.accesses[0].predicates, []);
  });

  it('keeps a Prisma call whose model is chosen at run time as a query not analysed, and no look-alike of another client', () => {
    const text = [
      'const a = prisma[model].findMany({ where: { shop } });',
      'const b = (this.prisma as any)[name].findUnique({ where: { id } });',
      'const c = this.table().findMany({ where: { shop }, take: 25 });',
      // Not Prisma, or not a call with Prisma arguments: no query.
      'const d = db.query.users.findMany({ with: { posts: true } });',
      'const e = repo.findMany();',
      'const f = this.table().findMany(options);',
      'const g = cache[key].findFirst({ where: { id } });',
    ].join('\n');
    const r = extractFromTypeScript(text, 'a.ts', lmsSchema());
    const found = r.shapes.map((q) => [q.location.range.start.line, q.accesses.length, q.unresolved]);
    assert.deepEqual(found, [
      [0, 0, 'its model is chosen at run time'],
      [1, 0, 'its model is chosen at run time'],
      [2, 0, 'its model is chosen at run time'],
    ]);
    // Without a schema.prisma, nothing says these are Prisma calls.
    assert.deepEqual(extractFromTypeScript(text, 'a.ts', emptySchema()).shapes, []);
  });

  it('works without any Prisma schema', () => {
    const r = extractFromTypeScript("await prisma.user.findMany({ where: { email: 'a' } });", 'a.ts', emptySchema());
    assert.equal(r.shapes.length, 1);
    assert.equal(r.shapes[0].accesses[0].table, 'User');
  });

  it('extracts what parses from half-typed code and reports no TypeScript errors', () => {
    const x = extractFixture('half-typed.ts.txt');
    const r = extractFromTypeScript(x.text, 'half-typed.ts', lmsSchema());
    assert.deepEqual(r.problems, []);
    assert.equal(r.shapes.filter((s) => s.origin === 'embedded-sql').length, 1);
    const labels = x.shapes.map((s) => s.label);
    assert.ok(labels.includes('prisma.course.findUnique'));
    assert.ok(labels.includes('prisma.user.findMany'));
    assert.ok(labels.includes('prisma.enrollment.findMany'));
    // the call being typed ends with its line instead of swallowing the rest of the file
    const typing = shapeAfter(x, 'prisma.user.findMany');
    assert.equal(typing.text, 'prisma.user.findMany({ where: { ro');
    assert.equal(typing.location.range.end.line, typing.location.range.start.line);
    const enrollment = shapeAfter(x, 'prisma.enrollment.findMany');
    assert.deepEqual(atoms(enrollment.accesses[0])[0], { kind: 'compare', column: 'courseId', op: '=', value: { kind: 'param' } });
    assert.deepEqual(
      enrollment.accesses[0].orderBy.map((o) => [o.column, o.desc]),
      [['enrolledAt', true]],
    );
    const course = shapeAfter(x, 'prisma.course.findUnique');
    assert.deepEqual(atoms(course.accesses[0]), [{ kind: 'compare', column: 'slug', op: '=', value: { kind: 'param' } }]);
  });

  it('says so when nesting is too deep for a parser, and keeps the other statements of a SQL text', () => {
    let where = '{ userId: 1 }';
    for (let i = 0; i < 600; i++) where = `{ AND: [${where}] }`;
    const deep = extractFromTypeScript(`const a = await prisma.user.findMany({ where: ${where} });\n`, 'deep.ts', lmsSchema());
    assert.deepEqual(
      deep.problems.map((p) => [p.rule, p.severity, p.message]),
      [['parse-error', 'error', "TypeScript's parser could not read this file (it is nested too deeply): its queries are not analysed."]],
    );
    const terms = Array.from({ length: 4000 }, () => '$1').join(' || ');
    const sql = `const q = sql\`SELECT * FROM users WHERE email = $\{e}\`;\nconst r = sql\`SELECT * FROM users WHERE name = ${terms}\`;\n`;
    const r = extractFromTypeScript(sql, 'sql.ts', lmsSchema());
    assert.equal(r.shapes.length, 1, 'the first statement is kept');
    assert.deepEqual(
      r.problems.map((p) => [p.range.start.line, p.message]),
      [[1, 'Could not analyse this statement: it is nested too deeply']],
    );
  });

  it('keeps what the first parse found after a harmless error inside a multi-line template', () => {
    const text = [
      'const help = `first line',
      '  bad \\u{zz} escape',
      '  last line`;',
      "await prisma.user.findMany({ where: { email: 'x' } });",
      'const more = `x`;',
      "await prisma.course.findMany({ where: { slug: 'y' } });",
    ].join('\n');
    assert.ok(text.includes('\\u{zz}'));
    const r = extractFromTypeScript(text, 'a.ts', lmsSchema());
    assert.deepEqual(
      r.shapes.map((s) => [s.label, s.location.range.start.line, atoms(s.accesses[0]).length]),
      [
        ['prisma.user.findMany', 3, 1],
        ['prisma.course.findMany', 5, 1],
      ],
    );
  });

  it('end to end: embedded SQL shapes and syntax errors are located in the TypeScript file', () => {
    const text = [
      'export async function f(id: string, col: string) {',
      '  const ok = await prisma.$queryRaw`SELECT id FROM users WHERE email = ${id}`;',
      '  const bad = await prisma.$queryRaw`SELECT id FROM users WHERE WHERE id = ${id}`;',
      '  const dyn = await prisma.$queryRaw`SELECT id FROM ${Prisma.raw(col)} WHERE WHERE`;',
      '}',
    ].join('\n');
    const r = extractFromTypeScript(text, 'f.ts', lmsSchema());
    const sqlShapes = r.shapes.filter((s) => s.origin === 'embedded-sql');
    assert.equal(sqlShapes.length, 1);
    const okAt = text.indexOf('SELECT id FROM users WHERE email');
    assert.deepEqual(sqlShapes[0].location.range.start, { line: 1, character: okAt - text.indexOf('  const ok') });
    assert.equal(sqlShapes[0].accesses[0].table, 'users');
    assert.equal(r.problems.length, 1);
    const [p] = r.problems;
    assert.equal(p.rule, 'parse-error');
    assert.equal(p.range.start.line, 2);
    const line2 = text.split('\n')[2];
    assert.equal(p.range.start.character, line2.indexOf('WHERE id'));
  });

  it('never throws on any prefix of a fixture', () => {
    const text = fixture('prisma-relations.ts.txt') + fixture('embedded.ts.txt');
    const schema = lmsSchema();
    for (let i = 0; i <= text.length; i += 11) {
      assert.doesNotThrow(() => extractFromTypeScript(text.slice(0, i), 'p.ts', schema), `prefix ${i}`);
    }
  });

  it('copes with huge files and deep expressions', () => {
    const calls = Array.from({ length: 3000 }, (_, i) => `await prisma.user.findMany({ where: { email: 'u${i}' }, take: ${i} });`);
    const concat = 'const q = ' + Array.from({ length: 5000 }, (_, i) => `'p${i} '`).join(' + ') + ';\nawait pool.query("SELECT 1 " + q);';
    const text = calls.join('\n') + '\n' + concat;
    const r = extractFromTypeScript(text, 'big.ts', lmsSchema(), { sqlToShapes: () => ({ shapes: [], problems: [] }) });
    assert.equal(r.shapes.length, 3000);
    assert.equal(r.shapes[2999].accesses[0].limit, 2999);
  });

  it('truncates long call texts to 500 characters', () => {
    const long = `await prisma.user.findMany({ where: { email: '${'x'.repeat(1000)}' } });`;
    const [s] = extractFromTypeScript(long, 'a.ts', lmsSchema()).shapes;
    assert.equal(s.text.length, 500);
  });
});
