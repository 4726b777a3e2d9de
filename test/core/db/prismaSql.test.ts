/** Prisma Client calls → the SQL Prisma's query engine sends (src/core/db/prismaSql.ts). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseSync } from 'libpg-query';
import { prismaStatements, prismaWriteAttributes } from '../../../src/core/db/prismaSql';
import type { QueryShape } from '../../../src/core/model/query';
import { Project } from '../../../src/core/project';
import { fingerprintOf, textKeyOf } from '../../../src/core/report/statementMatch';
import { loadPrismaSchema } from '../../../src/core/schema/prisma/loadPrismaSchema';
import { extractFromTypeScript } from '../../../src/core/sources/typescript/extract';
import { initSqlParser } from '../../../src/core/sql/parser';
import { LMS, LMS_SCHEMA } from '../../helpers/paths';

function shapesOf(schemaText: string, code: string): { shapes: QueryShape[]; schema: ReturnType<typeof loadPrismaSchema>['schema'] } {
  const { schema } = loadPrismaSchema(schemaText, '/ws/schema.prisma');
  return { shapes: extractFromTypeScript(code, '/ws/a.ts', schema).shapes.filter((s) => s.origin === 'prisma'), schema };
}

describe('Prisma SQL (prismaSql.ts)', () => {
  let lms: Project;
  let lmsText: string;
  before(async () => {
    await initSqlParser();
    lms = await Project.open(LMS);
    lmsText = fs.readFileSync(LMS_SCHEMA, 'utf8');
  });

  const lmsCall = (file: string, marker: string): QueryShape => {
    const abs = `${LMS}/src/services/${file}`;
    const text = fs.readFileSync(abs, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes(marker));
    const s = lms.shapes().find((x) => x.origin === 'prisma' && x.location.file === abs && x.location.range.start.line <= line && line <= x.location.range.end.line);
    assert.ok(s, `a Prisma call at ${marker}`);
    return s;
  };

  it('renders findMany with where/orderBy/take/skip the way Prisma 6 writes it', () => {
    const s = lmsCall('users.ts', 'skip: (page - 1) * pageSize');
    const [main] = prismaStatements(s, lms.schema, { schemaText: lmsText });
    assert.equal(
      main.sql,
      'SELECT "public"."users"."id", "public"."users"."name", "public"."users"."email", "public"."users"."email_verified", "public"."users"."avatar_url", "public"."users"."role"::text, "public"."users"."createdAt", "public"."users"."updatedAt" FROM "public"."users" WHERE 1=1 ORDER BY "public"."users"."createdAt" DESC LIMIT $1 OFFSET $2',
    );
    const byRole = prismaStatements(lmsCall('users.ts', "where: { role: 'STUDENT' }"), lms.schema)[0];
    assert.match(byRole.sql, /WHERE "public"\."users"\."role" = CAST\(\$1::text AS "public"\."Role"\) ORDER BY "public"\."users"\."createdAt" DESC LIMIT \$2 OFFSET \$3$/);
    assert.match(byRole.sql, /^SELECT "public"\."users"\."id", "public"\."users"\."name", "public"\."users"\."email", "public"\."users"\."role"::text, "public"\."users"\."createdAt" FROM/);
  });

  it('matches Prisma’s own logged SQL (public issue reports) by fingerprint', () => {
    // prisma/prisma#23957 (Prisma 5): findUnique with select and a null filter.
    const a = shapesOf(
      `datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel User {\n  id        Int       @id\n  deletedAt DateTime?\n}\n`,
      `prisma.user.findUnique({ select: { id: true }, where: { id: id, deletedAt: null } })`,
    );
    const logged = 'SELECT "public"."User"."id" FROM "public"."User" WHERE ("public"."User"."id" = $1 AND "public"."User"."deletedAt" IS NULL) LIMIT $2 OFFSET $3';
    const ours = prismaStatements(a.shapes[0], a.schema)[0].sql;
    assert.equal(ours, logged);
    // prisma/prisma#25777 (Prisma 5.7): a compound unique plus a field of it.
    const b = shapesOf(
      `datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel Thing {\n  id             String @id @unique @default(uuid())\n  organizationId String\n  @@unique([id, organizationId])\n}\n`,
      `prisma.thing.findUnique({ where: { id_organizationId: { id: "abc", organizationId: "def" }, organizationId: "def" }, select: { id: true } })`,
    );
    const logged2 = 'SELECT "public"."Thing"."id" FROM "public"."Thing" WHERE (("public"."Thing"."id" = $1 AND "public"."Thing"."organizationId" = $2) AND "public"."Thing"."organizationId" = $3) LIMIT $4 OFFSET $5';
    assert.equal(fingerprintOf(prismaStatements(b.shapes[0], b.schema)[0].sql), fingerprintOf(logged2));
  });

  it('sends a relation load as its own statement keyed by IN (…), one per include level', () => {
    const s = lmsCall('courses.ts', 'include: {');
    const st = prismaStatements(s, lms.schema, { schemaText: lmsText });
    assert.ok(st.length >= 3, `${st.length} statements`);
    assert.equal(st[0].purpose, 'main query');
    const tables = st.slice(1).map((x) => /FROM "public"\."(\w+)"/.exec(x.sql)![1]);
    assert.ok(tables.includes('course_modules') && tables.includes('lessons'), tables.join(','));
    const modules = st.find((x) => /FROM "public"\."course_modules"/.test(x.sql))!;
    assert.match(modules.sql, /WHERE "public"\."course_modules"\."courseId" IN \(\$1\) ORDER BY "public"\."course_modules"\."order" ASC OFFSET \$2$/);
    // Prisma sends one $n per parent row: the fingerprint is the same whatever the count.
    assert.equal(fingerprintOf(modules.sql), fingerprintOf(modules.sql.replace('IN ($1)', 'IN ($1,$2,$3,$4)').replace('OFFSET $2', 'OFFSET $5')));
  });

  it('renders count, aggregate, groupBy, _count joins and relation filters', () => {
    const count = prismaStatements(lmsCall('users.ts', 'prisma.user.count()'), lms.schema)[0].sql;
    assert.equal(count, 'SELECT COUNT(*) AS "_count._all" FROM (SELECT "public"."users"."id" FROM "public"."users" WHERE 1=1 OFFSET $1) AS "sub"');
    const group = prismaStatements(lmsCall('users.ts', 'prisma.user.groupBy'), lms.schema)[0].sql;
    assert.equal(group, 'SELECT "public"."users"."role"::text, COUNT(*) AS "_count._all" FROM "public"."users" WHERE 1=1 GROUP BY "public"."users"."role" OFFSET $1');
    const agg = prismaStatements(lmsCall('payments.ts', '_sum: { amount: true },\n    _count'.split('\n')[0]), lms.schema)[0].sql;
    assert.match(agg, /^SELECT SUM\("amount"\) AS "_sum\.amount", COUNT\(\*\) AS "_count\._all" FROM \(SELECT "public"\."transactions"\."amount", "public"\."transactions"\."id" FROM/);
    const counted = prismaStatements(lmsCall('users.ts', '_count: { select: { courses: true } }'), lms.schema)[0].sql;
    assert.match(counted, /LEFT JOIN \(SELECT "public"\."courses"\."instructorId", COUNT\(\*\) AS "_aggr_count_courses" FROM "public"\."courses" WHERE 1=1 GROUP BY "public"\."courses"\."instructorId"\) AS "aggr_selection_0_courses" ON \("public"\."users"\."id" = "aggr_selection_0_courses"\."instructorId"\)/);
  });

  it('renders writes with the columns Prisma fills itself (@updatedAt, client-side defaults)', () => {
    const attrs = prismaWriteAttributes(lmsText);
    assert.ok(attrs.get('User')!.updatedAt.has('updatedAt'));
    assert.ok(attrs.get('Course')!.generated.has('id'));
    const upd = prismaStatements(lmsCall('users.ts', 'data: { role },'), lms.schema, { schemaText: lmsText })[0];
    assert.match(upd.sql, /^UPDATE "public"\."users" SET "role" = CAST\(\$1::text AS "public"\."Role"\), "updatedAt" = \$2 WHERE "public"\."users"\."id" = \$3 RETURNING "public"\."users"\."id", /);
    assert.equal(upd.approximate, false);
    // `data` passed as a variable: the columns are unknown, the statement says so.
    assert.equal(prismaStatements(lmsCall('users.ts', 'data,'), lms.schema, { schemaText: lmsText })[0].approximate, true);
    const del = prismaStatements(lmsCall('users.ts', 'prisma.user.delete'), lms.schema)[0].sql;
    assert.match(del, /^DELETE FROM "public"\."users" WHERE "public"\."users"\."id" = \$1 RETURNING /);
  });

  it('gives every Prisma call of the sample SQL that PostgreSQL’s parser accepts', () => {
    let n = 0;
    for (const s of lms.shapes().filter((x) => x.origin === 'prisma')) {
      for (const st of prismaStatements(s, lms.schema, { schemaText: lmsText })) {
        n++;
        assert.doesNotThrow(() => parseSync(st.sql), `${s.label} ${st.sql}`);
        assert.ok(textKeyOf(st.sql), st.sql);
      }
    }
    assert.ok(n > 140, `${n} statements`);
  });
});
