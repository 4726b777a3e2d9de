import assert from 'node:assert/strict';
import { findEmbeddedSql, type EmbeddedSql } from '../../../src/core/sources/typescript/embeddedSql';
import { LineIndex } from '../../../src/core/model/location';
import { fixture } from './helpers';

describe('typescript/embedded SQL', () => {
  const text = fixture('embedded.ts.txt');
  let found: EmbeddedSql[];
  before(() => {
    found = findEmbeddedSql(text, 'embedded.ts');
  });

  /** The n-th embedded statement whose host expression starts after `marker`. */
  function after(marker: string, nth = 0): EmbeddedSql {
    const at = text.indexOf(marker);
    assert.ok(at >= 0, marker);
    const e = found.filter((f) => f.start >= at)[nth];
    assert.ok(e, `nothing after ${marker}`);
    return e;
  }

  /** Asserts that the SQL text `needle` maps back to the file text `fileNeedle` (first occurrence after `from`). */
  function assertMaps(e: EmbeddedSql, needle: string, fileNeedle: string, from: number): void {
    const sqlAt = e.sql.indexOf(needle);
    assert.ok(sqlAt >= 0, `${needle} not in ${e.sql}`);
    assert.equal(e.mapOffset(sqlAt), text.indexOf(fileNeedle, from));
  }

  it('finds every form, in order, and nothing else', () => {
    assert.deepEqual(
      found.map((f) => f.kind),
      [
        'prisma-raw', // rawTagged
        'prisma-raw', // tx.$executeRaw
        'prisma-raw', // this.db.$queryRaw
        'prisma-raw', // nested
        'prisma-raw', // conditional
        'prisma-raw', // escapes
        'prisma-raw', // callForm (the Prisma.sql it uses is not reported twice)
        'sql-tag', // bare sql
        'raw-unsafe',
        'raw-unsafe',
        'query-call', // pool.query('…')
        'query-call', // this.pool.query({ text })
        'query-call', // concatenation
        'query-call', // GET_USER (used twice, reported once)
        'query-call', // interpolated table name
        'prisma-raw', // Prisma.raw(variable)
        'prisma-raw', // Prisma.join of pushed conditions
        'query-call', // bare query() helper
      ],
    );
  });

  it('$queryRaw with a type argument: holes become $1, $2 and map to their ${', () => {
    const e = after('function rawTagged');
    assert.equal(e.sql, 'SELECT * FROM users WHERE id = $1 AND created_at > $2');
    assert.equal(e.params, 2);
    assert.equal(e.dynamic, false);
    const fn = text.indexOf('function rawTagged');
    assert.equal(e.mapOffset(e.sql.indexOf('$1')), text.indexOf('${userId}', fn));
    assert.equal(e.mapOffset(e.sql.indexOf('$2')), text.indexOf('${since}', fn));
    assertMaps(e, 'AND created_at', 'AND created_at', fn);
    assertMaps(e, 'SELECT', 'SELECT * FROM users WHERE id = ${userId}', fn);
    // the end of the text maps to the closing backtick
    assert.equal(e.mapOffset(e.sql.length), text.indexOf('}`;', fn) + 1);
    // the range covers the whole tagged template
    const start = text.indexOf('prisma.$queryRaw<', fn);
    assert.equal(e.start, start);
    assert.deepEqual(e.range, new LineIndex(text).range(start, text.indexOf('`;', start) + 1));
  });

  it('any receiver: tx.$executeRaw and this.db.$queryRaw', () => {
    assert.equal(after('function executeOnTx').sql, "UPDATE users SET name = 'x' WHERE id = $1");
    assert.equal(after('async byEmail').sql, 'SELECT id FROM users WHERE email = $1');
  });

  it('inlines nested Prisma.sql, Prisma.raw literals, const fragments; Prisma.join is one param; Prisma.empty is empty', () => {
    const e = after('function nested');
    assert.equal(e.sql, 'SELECT * FROM enrollments WHERE user_id IN ($1) AND course_id = $2 AND status = $3 ORDER BY enrolled_at DESC');
    assert.equal(e.params, 3);
    assert.equal(e.dynamic, false);
    const fn = text.indexOf('function nested');
    assert.equal(e.mapOffset(e.sql.indexOf('$1')), text.indexOf('${Prisma.join(ids)}', fn));
    // $2 is the hole inside the nested template
    assert.equal(e.mapOffset(e.sql.indexOf('$2')), text.indexOf('${ids[0]}', fn));
    // text of the nested template maps into the nested template
    assertMaps(e, 'AND course_id', 'AND course_id', fn);
    // text of the const fragment maps to its declaration
    assertMaps(e, 'AND status', 'AND status', fn);
    assert.equal(e.mapOffset(e.sql.indexOf('$3')), text.indexOf('${status}', fn));
    // Prisma.raw('…') text maps into the string literal
    assertMaps(e, 'enrolled_at', 'enrolled_at', fn);
  });

  it('inlines the fragment branch of a conditional hole', () => {
    const e = after('function conditional');
    assert.equal(e.sql, 'SELECT * FROM enrollments WHERE user_id = $1 AND status = $2');
  });

  it('cooks escapes but maps through the raw text', () => {
    const e = after('function escapes');
    assert.equal(e.sql, "SELECT '\\d' AS a, '`' AS b,\n $1 AS c FROM t");
    const fn = text.indexOf('function escapes');
    assertMaps(e, "AS b", "AS b", fn);
    assertMaps(e, ' AS c FROM t', ' AS c FROM t', fn);
    assert.equal(e.mapOffset(e.sql.indexOf('$1')), text.indexOf('${v}', fn));
    // the cooked newline maps to the backslash of its escape
    assert.equal(e.mapOffset(e.sql.indexOf('\n')), text.indexOf('\\n ${v}', fn));
  });

  it('call form $queryRaw(Prisma.sql) through a const', () => {
    const e = after('function callForm');
    assert.equal(e.sql, 'SELECT id FROM courses WHERE slug = $1');
    const fn = text.indexOf('function callForm');
    assert.equal(e.start, text.indexOf('prisma.$queryRaw(bySlug)', fn));
    assertMaps(e, 'WHERE slug', 'WHERE slug', fn);
  });

  it('bare sql tags; fragments that are not statements are skipped', () => {
    const e = after('function bareSql');
    assert.equal(e.kind, 'sql-tag');
    assert.equal(e.sql, 'SELECT * FROM users WHERE email = $1');
    const fragAt = text.indexOf('function fragmentOnly');
    assert.ok(!found.some((f) => f.start > fragAt && f.start < text.indexOf('function unsafe')));
  });

  it('$queryRawUnsafe / $executeRawUnsafe keep the text as written', () => {
    const a = after('function unsafe');
    assert.equal(a.sql, 'SELECT * FROM users WHERE id = $1');
    assert.equal(a.mapOffset(0), text.indexOf("'SELECT * FROM users WHERE id = $1'", text.indexOf('function unsafe')) + 1);
    assert.equal(after('function unsafe', 1).sql, 'DELETE FROM sessions WHERE expires < now()');
  });

  it('x.query with strings, objects, concatenations and constants; non-SQL calls are skipped', () => {
    const fn = text.indexOf('function queries');
    const [plain, obj, concat, constant, interpolated] = [0, 1, 2, 3, 4].map((i) => after('function queries', i));
    assert.equal(plain.sql, 'SELECT * FROM courses WHERE slug = $1');
    assert.equal(obj.sql, '  -- fetch one\n  /* by id */ select * from lessons where id = $1');
    assertMaps(obj, 'select * from lessons', 'select * from lessons', fn);
    assert.equal(concat.sql, 'SELECT * FROM users WHERE id = $1');
    assertMaps(concat, 'FROM users', 'FROM users', fn);
    assertMaps(concat, 'WHERE id', 'WHERE id', fn);
    assert.equal(constant.sql, 'SELECT * FROM users WHERE id = $1');
    assert.equal(constant.start, text.indexOf('pool.query(GET_USER', fn));
    assert.equal(constant.mapOffset(0), text.indexOf("'SELECT * FROM users WHERE id = $1';") + 1);
    assert.equal(interpolated.dynamic, true);
    assert.ok(interpolated.sql.startsWith('SELECT * FROM $1 WHERE'));
    assert.equal(interpolated.mapOffset(interpolated.sql.indexOf('$1')), text.indexOf('${table}', fn));
  });

  it('Prisma.raw of a variable makes the SQL dynamic', () => {
    const e = after('function rawVariable');
    assert.equal(e.dynamic, true);
    assert.equal(e.sql, 'SELECT $1 FROM users');
  });

  it('inlines Prisma.join over fragments (array plus pushes) with its separator; a literal value list is one param per value', () => {
    const e = after('function joinedConditions');
    assert.equal(e.sql, 'SELECT * FROM courses WHERE "published" = true AND "difficulty" = $1 AND id IN ($2,$3)');
    const fn = text.indexOf('function joinedConditions');
    assertMaps(e, '"difficulty"', '"difficulty"', fn);
    assert.equal(e.mapOffset(e.sql.indexOf('$1')), text.indexOf('${filters.d}', fn));
    // the separator text maps to the separator literal
    assertMaps(e, ' AND "difficulty"', " AND ')", fn);
    // the values of a literal list map to themselves
    assert.equal(e.mapOffset(e.sql.indexOf('$3')), text.indexOf('2])', fn));
  });

  it('finds SQL given to pg-promise methods, not other text', () => {
    const code = "await db.oneOrNone('SELECT * FROM users WHERE id = $1', [id]);\nconst n = list.any('x');";
    assert.deepEqual(
      findEmbeddedSql(code, 'a.ts').map((e) => e.sql),
      ['SELECT * FROM users WHERE id = $1'],
    );
  });

  it('recognises Prisma.sql/raw/join/empty compiled to CommonJS (client_1.Prisma.sql), not other x.sql tags', () => {
    const js = [
      'const client_1 = require("@prisma/client");',
      'prisma.$queryRaw(client_1.Prisma.sql`SELECT * FROM "User" WHERE email = ${e}`);',
      'const q = db_1.Prisma.sql`SELECT * FROM users WHERE id IN (${client_1.Prisma.join(ids)})${client_1.Prisma.empty} ORDER BY ${client_1.Prisma.raw(\'name\')}`;',
      'const other = db_1.sql`SELECT * FROM users`;',
    ].join('\n');
    assert.deepEqual(
      findEmbeddedSql(js, 'a.js').map((e) => [e.kind, e.sql, e.dynamic]),
      [
        ['prisma-raw', 'SELECT * FROM "User" WHERE email = $1', false],
        ['sql-tag', 'SELECT * FROM users WHERE id IN ($1) ORDER BY name', false],
      ],
    );
  });

  it('finds SQL passed to a bare query() helper', () => {
    const e = after('function helper');
    assert.equal(e.kind, 'query-call');
    assert.equal(e.sql, 'SELECT * FROM certificates WHERE id = $1');
  });

  it('works on .js and .jsx files and never throws on broken input', () => {
    const js = 'const r = await db.query(`SELECT 1`);\nconst el = <div>{x}</div>;\n';
    assert.deepEqual(
      findEmbeddedSql(js, 'a.jsx').map((e) => e.sql),
      ['SELECT 1'],
    );
    const broken = 'prisma.$queryRaw`SELECT * FROM users WHERE id = ${id';
    assert.doesNotThrow(() => findEmbeddedSql(broken, 'b.ts'));
    const unterminated = 'const a = prisma.$queryRaw`SELECT * FROM users WHERE id = ${id} AND';
    const [u] = findEmbeddedSql(unterminated, 'c.ts');
    assert.equal(u.sql, 'SELECT * FROM users WHERE id = $1 AND');
    assert.equal(u.mapOffset(u.sql.length), unterminated.length);
  });
  // Found by fuzzing (stop 26): both were error-level "syntax error at or near $1", failing a CI run.
  it('inlines a const holding a conditional fragment, and takes a parameter typed Prisma.Sql as unknown SQL text', () => {
    const ts = [
      "import { Prisma } from '@prisma/client';",
      'export async function f(w: Prisma.Sql, id: string, b: boolean) {',
      '  const where = b ? Prisma.sql`WHERE name = ${id}` : Prisma.empty;',
      '  await prisma.$queryRaw`SELECT * FROM users ${where} ORDER BY "createdAt"`;',
      '  await prisma.$queryRaw`SELECT * FROM users WHERE ${w}`;',
      '  await prisma.$queryRaw`SELECT * FROM users WHERE id = ${id}`;',
      '}',
    ].join('\n');
    assert.deepEqual(
      findEmbeddedSql(ts, 'f.ts').map((e) => [e.sql, e.dynamic]),
      [
        ['SELECT * FROM users WHERE name = $1 ORDER BY "createdAt"', false],
        ['SELECT * FROM users WHERE $1', true],
        ['SELECT * FROM users WHERE id = $1', false],
      ],
    );
  });
});
