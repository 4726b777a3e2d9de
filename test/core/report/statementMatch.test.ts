/** Matching pg_stat_statements texts to workspace code: text, fingerprint, shape (src/core/report/statementMatch.ts). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project } from '../../../src/core/project';
import { StatementIndex, textKeyOf } from '../../../src/core/report/statementMatch';
import { initSqlParser } from '../../../src/core/sql/parser';
import { LMS, LMS_SCHEMA } from '../../helpers/paths';

describe('slow-query matching (statementMatch.ts)', () => {
  let index: StatementIndex;
  const at = (c: { shape: { location: { file: string; range: { start: { line: number } } } } }) => `${path.relative(LMS, c.shape.location.file)}:${c.shape.location.range.start.line + 1}`;
  const lineOf = (rel: string, marker: string) => fs.readFileSync(path.join(LMS, rel), 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;

  before(async () => {
    await initSqlParser();
    const p = await Project.open(LMS);
    index = new StatementIndex(p.shapes(), p.schema, fs.readFileSync(LMS_SCHEMA, 'utf8'));
  });

  it('finds a .sql statement from its normalised text (constants replaced by $n, other whitespace)', () => {
    const sql = fs.readFileSync(path.join(LMS, 'sql/reports.sql'), 'utf8');
    const stmt = sql.slice(sql.indexOf('SELECT', sql.indexOf("'PENDING'") - 400)).split(';')[0];
    const normalized = stmt.replace(/'[^']*'/g, () => '$1').replace(/\s+/g, ' ');
    const r = index.lookup(normalized);
    assert.ok(r.how === 'fingerprint' || r.how === 'text', String(r.how));
    assert.ok(r.candidates.some((c) => c.shape.location.file.endsWith('sql/reports.sql')), r.candidates.map(at).join(', '));
  });

  it('finds a Prisma call from the SQL Prisma sends, whatever the IN-list length of a relation load', () => {
    const main = index.statements.find((w) => w.shape.label === 'prisma.course.findUnique' && w.purpose !== 'main query' && /course_modules/.test(w.sql))!;
    const sent = main.sql.replace('IN ($1)', 'IN ($1,$2,$3)').replace(/OFFSET \$2$/, 'OFFSET $4');
    const r = index.lookup(sent);
    assert.ok(r.candidates.some((c) => c.shape === main.shape), r.candidates.map(at).join(', '));
    assert.match(r.candidates[0].purpose ?? '', /loads the related "course_modules" rows/);
  });

  it('tells apart two texts of one fingerprint by their normalised text', () => {
    // users.ts sends the same filter and order twice: as $queryRaw (a cast, no OFFSET) and through pg (OFFSET).
    const r = index.lookup(`SELECT id, name, email, role, "createdAt"\n       FROM users\n      WHERE role = $1\n      ORDER BY "createdAt" DESC\n      LIMIT $2 OFFSET $3`);
    assert.equal(r.how, 'text');
    assert.deepEqual(r.candidates.map(at), [`src/services/users.ts:${lineOf('src/services/users.ts', '`SELECT id, name, email, role, "createdAt"')}`]);
  });

  it('falls back to the query shape when the text differs (qualification, select list)', () => {
    const r = index.lookup(`SELECT s."id", s."userId" FROM "sessions" s WHERE s."sessionToken" = $1 LIMIT $2`);
    assert.equal(r.how, 'shape');
    assert.ok(r.candidates.some((c) => c.shape.label === 'prisma.session.findUnique'), r.candidates.map((c) => c.shape.label).join(', '));
  });

  it('still finds Prisma calls when Prisma writes its SQL differently than we render it (measured)', () => {
    // Differences between Prisma versions / engines that a rendering may get wrong.
    const variants: Record<string, (sql: string) => string> = {
      'IN list of 5 values': (q) => q.replace(/IN \(\$(\d+)\)/g, 'IN ($$$1,$$90,$$91,$$92,$$93)'),
      'no ::text on enum columns (Prisma < 5.4)': (q) => q.replace(/::text(?=[,\s])/g, ''),
      'enum parameters without CAST (Prisma < 4)': (q) => q.replace(/CAST\((\$\d+)::text AS "public"\."\w+"\)/g, '$1'),
      'no OFFSET when skip is absent': (q) => q.replace(/ OFFSET \$\d+$/, ''),
      'extra "AND 1=1" (Prisma 4 findUnique)': (q) => q.replace(/ WHERE (.*?)( ORDER BY| LIMIT| OFFSET|$)/, ' WHERE ($1 AND 1=1)$2'),
      'casts written $1::"Role" (query compiler)': (q) => q.replace(/CAST\((\$\d+)::text AS ("public"\."\w+")\)/g, '$1::$2'),
      'another select list (select: {…} read differently)': (q) => q.replace(/^SELECT .*? FROM/, 'SELECT "public"."x"."id" FROM'),
    };
    const prisma = index.statements.filter((w) => w.shape.origin === 'prisma' && /^SELECT/.test(w.sql));
    const keysOf = new Map<unknown, Set<string | undefined>>();
    for (const x of index.statements) {
      if (!keysOf.has(x.shape)) keysOf.set(x.shape, new Set());
      keysOf.get(x.shape)!.add(textKeyOf(x.sql));
    }
    const figures: Record<string, { changed: number; found: number; byHow: Record<string, number>; candidates: number; right: number; precision?: number }> = {};
    for (const [name, f] of Object.entries(variants)) {
      const fig = (figures[name] = { changed: 0, found: 0, byHow: {} as Record<string, number>, candidates: 0, right: 0 });
      for (const w of prisma) {
        const v = f(w.sql);
        if (v === w.sql) continue;
        fig.changed++;
        const r = index.lookup(v);
        fig.candidates += r.candidates.length;
        // Right: the call itself, or one sending the very same SQL (pg_stat_statements merges those anyway).
        const key = textKeyOf(w.sql);
        fig.right += r.candidates.filter((c) => keysOf.get(c.shape)?.has(key)).length;
        if (r.candidates.some((c) => c.shape === w.shape)) {
          fig.found++;
          fig.byHow[r.how!] = (fig.byHow[r.how!] ?? 0) + 1;
        }
      }
    }
    // Precision: the share of the locations reported that are right (one right one per statement at best).
    for (const fig of Object.values(figures)) fig.precision = fig.candidates ? +(fig.right / fig.candidates).toFixed(3) : undefined;
    fs.mkdirSync(path.join(__dirname, '../../../test-artifacts'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, '../../../test-artifacts/prisma-text-variants.json'), `${JSON.stringify({ prismaSelects: prisma.length, variants: figures }, null, 2)}\n`);
    for (const [name, fig] of Object.entries(figures)) assert.ok(fig.changed === 0 || fig.found / fig.changed >= 0.8, `${name}: ${fig.found}/${fig.changed}`);
  });

  it('matches nothing for a statement no workspace code sends', () => {
    assert.deepEqual(index.lookup(`SELECT count(*) FROM quiz_attempts WHERE score > $1 AND "completedAt" IS NULL`).candidates, []);
    assert.deepEqual(index.lookup('not sql at all').candidates, []);
  });
});
