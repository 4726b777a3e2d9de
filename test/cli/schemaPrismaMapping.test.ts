/**
 * `check --schema <migrations dir>` in a Prisma workspace: the index set comes from the migrations
 * only, but Prisma Client calls still need schema.prisma to map models and fields to tables and
 * columns (@@map / @map). The workspace's schema.prisma gives that mapping; without one, a single
 * finding says Prisma calls can't be analysed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonFinding, JsonReport } from '../../src/cli/format/json';
import { runMain } from '../helpers/cli';
import { shown } from '../helpers/paths';

const SCHEMA_PRISMA = `generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model CourseAnalytics {
  id       Int @id
  courseId Int @map("course_id")
  views    Int

  @@index([courseId])
  @@index([views], map: "only_in_prisma_idx")
  @@map("course_analytics")
}
`;

const MIGRATION = `CREATE TABLE "course_analytics" (
    "id" INTEGER NOT NULL,
    "course_id" INTEGER NOT NULL,
    "views" INTEGER NOT NULL,
    CONSTRAINT "course_analytics_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "course_analytics_course_id_idx" ON "course_analytics"("course_id");
`;

const QUERIES = `import { prisma } from './db'

export async function popular() {
  return prisma.courseAnalytics.findMany({ where: { views: 42 } })
}

export async function forCourse(courseId: number) {
  return prisma.courseAnalytics.findMany({ where: { courseId } })
}
`;

function workspace(withPrisma: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-schema-mapping-'));
  fs.mkdirSync(path.join(dir, 'prisma', 'migrations', '20250101000000_init'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'src'));
  if (withPrisma) fs.writeFileSync(path.join(dir, 'prisma', 'schema.prisma'), SCHEMA_PRISMA);
  fs.writeFileSync(path.join(dir, 'prisma', 'migrations', '20250101000000_init', 'migration.sql'), MIGRATION);
  fs.writeFileSync(path.join(dir, 'src', 'analytics.ts'), QUERIES);
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "mapping-fixture" }\n');
  fs.writeFileSync(path.join(dir, 'pg-index-review.json'), JSON.stringify({ rows: { course_analytics: 1_000_000 } }));
  return dir;
}

async function check(...args: string[]): Promise<JsonReport> {
  const r = await runMain(['check', ...args, '--format', 'json']);
  assert.equal(r.stderr, '', 'nothing on stderr');
  assert.ok(r.code === 0 || r.code === 1, `exit code ${r.code}`);
  return JSON.parse(r.stdout) as JsonReport;
}

const onCode = (r: JsonReport) => r.findings.filter((f) => f.file.endsWith('.ts')).map((f) => [f.rule, f.file, f.range.start.line, f.message]);

describe('cli: check --schema <migrations> in a Prisma workspace', () => {
  let ws: string;
  let bare: string;
  before(() => {
    ws = workspace(true);
    bare = workspace(false);
  });
  after(() => {
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(bare, { recursive: true, force: true });
  });

  it('maps Prisma calls through the workspace schema.prisma: the same findings on code as without --schema', async () => {
    const withMigrations = await check(shown(ws), '--schema', shown(path.join(ws, 'prisma', 'migrations')));
    const discovered = await check(shown(ws));
    const missing = withMigrations.findings.filter((f) => f.rule === 'missing-index' && f.file.endsWith('analytics.ts'));
    assert.equal(missing.length, 1, JSON.stringify(withMigrations.findings, null, 2));
    assert.equal(missing[0].table, 'course_analytics');
    assert.equal(missing[0].range.start.line, 3, 'the views filter of popular()');
    assert.equal(missing[0].fix?.model, 'CourseAnalytics', 'the table knows its Prisma model');
    assert.deepEqual(onCode(withMigrations), onCode(discovered));
    assert.ok(!withMigrations.findings.some((f) => /not in the schema|can't be analysed/.test(f.message)));
  });

  it('the index set still comes from the migrations alone', async () => {
    const r = await check(shown(ws), '--schema', shown(path.join(ws, 'prisma', 'migrations')));
    assert.equal(r.stats.indexes, 2, 'the primary key and course_analytics_course_id_idx, not the index only schema.prisma declares');
    assert.deepEqual(r.stats.schemaSources.map((s) => path.basename(s)), ['migration.sql']);
    const unused = r.findings.filter((f) => f.rule === 'unused-by-workload');
    assert.deepEqual(unused, [], 'forCourse() uses course_analytics_course_id_idx');
    assert.ok(!r.findings.some((f) => f.rule === 'schema-drift'));
    assert.ok(!r.findings.some((f) => f.index === 'only_in_prisma_idx'));
  });

  it('also when only part of the workspace is checked', async () => {
    const r = await check(shown(path.join(ws, 'src')), '--schema', shown(path.join(ws, 'prisma', 'migrations')));
    assert.equal(r.findings.filter((f: JsonFinding) => f.rule === 'missing-index' && f.table === 'course_analytics').length, 1);
  });

  it('without any schema.prisma: one warning that Prisma calls cannot be analysed, not a finding per call', async () => {
    for (const args of [[shown(bare), '--schema', shown(path.join(bare, 'prisma', 'migrations'))], [shown(bare)]]) {
      const r = await check(...args);
      const code = r.findings.filter((f) => f.file.endsWith('.ts'));
      assert.equal(code.length, 1, JSON.stringify(code, null, 2));
      assert.equal(code[0].severity, 'warning');
      assert.match(code[0].message, /2 Prisma Client calls in 1 file can't be analysed without schema\.prisma/);
      assert.match(code[0].message, /schema\.prisma/);
      assert.match(code[0].message, /"CourseAnalytics"/);
      assert.equal(code[0].range.start.line, 3, 'at the first Prisma call');
    }
  });
});
