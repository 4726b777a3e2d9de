/**
 * `relationMode = "prisma"`: Prisma creates no foreign key; Prisma Client emulates the relations, searching the
 * referencing table itself when it deletes a referenced row. So a Prisma delete still needs the index on the
 * relation's scalar field (Prisma's docs say to add it), while a SQL DELETE makes no search at all.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { foreignKeyChecks, foreignKeySearchSql } from '../../../src/core/analysis/foreignKeyChecks';
import { overlayLiveSchema, type LiveSchema } from '../../../src/core/db/liveSchema';
import { loadMigrations } from '../../../src/core/schema/migrations/loadMigrations';
import { mergeSchemas } from '../../../src/core/workspace/mergeSchemas';
import { initSqlParser } from '../../../src/core/sql/parser';
import { Project } from '../../../src/core/project';
import { loadPrismaSchema } from '../../../src/core/schema/prisma/loadPrismaSchema';

const schemaWith = (relationMode: string) => `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
${relationMode}
}
model User {
  id    Int    @id
  email String @unique
  posts Post[]
}
model Post {
  id       Int    @id
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)
  tags     Tag[]
}
model Tag {
  id    Int    @id
  posts Post[]
}
`;
const EMULATED = schemaWith('  relationMode = "prisma"');
// What `prisma migrate dev` writes for EMULATED: the tables and their keys, no FOREIGN KEY.
const MIGRATION = `CREATE TABLE "User" ("id" INTEGER NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE TABLE "Post" ("id" INTEGER NOT NULL, "title" TEXT NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Tag" ("id" INTEGER NOT NULL, CONSTRAINT "Tag_pkey" PRIMARY KEY ("id"));
CREATE TABLE "_PostToTag" ("A" INTEGER NOT NULL, "B" INTEGER NOT NULL, CONSTRAINT "_PostToTag_AB_pkey" PRIMARY KEY ("A","B"));
CREATE INDEX "_PostToTag_B_index" ON "_PostToTag"("B");
`;
const PRISMA_DELETE = 'export const removeUser = (id: number) => prisma.user.delete({ where: { id } });\n';
const SQL_DELETE = 'export const removeUserSql = (id: number) => prisma.$executeRaw`DELETE FROM "User" WHERE id = ${id}`;\n';

describe('relationMode = "prisma": relations Prisma Client emulates', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-relation-mode-'));
    fs.mkdirSync(path.join(dir, 'prisma'));
    fs.writeFileSync(path.join(dir, 'pg-index-review.json'), JSON.stringify({ rows: { User: 100_000, Post: 2_000_000 } }));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function findings(schema: string, code: string, migration?: string) {
    fs.writeFileSync(path.join(dir, 'prisma', 'schema.prisma'), schema);
    fs.rmSync(path.join(dir, 'prisma', 'migrations'), { recursive: true, force: true });
    if (migration) {
      fs.mkdirSync(path.join(dir, 'prisma', 'migrations', '1_init'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'prisma', 'migrations', '1_init', 'migration.sql'), migration);
    }
    fs.writeFileSync(path.join(dir, 'users.ts'), code);
    return (await Project.open(dir)).analyze().findings.filter((f) => f.rule === 'unindexed-foreign-key');
  }

  it('marks every key of the schema emulated, the implicit many-to-many table’s too', () => {
    const { schema } = loadPrismaSchema(EMULATED, '/w/prisma/schema.prisma');
    assert.equal(schema.prisma?.relationMode, 'prisma');
    const keys = [...schema.tables.values()].flatMap((t) => t.foreignKeys.map((f) => `${t.name}.${f.columns} ${f.emulated ? 'emulated' : 'constraint'}`));
    assert.deepEqual(keys.sort(), ['Post.authorId emulated', '_PostToTag.A emulated', '_PostToTag.B emulated']);
    // The legacy name of the setting (Prisma 3.1 – 4.4) too; and the default, foreignKeys, makes constraints.
    assert.equal(loadPrismaSchema(schemaWith('  referentialIntegrity = "prisma"'), '/w/prisma/schema.prisma').schema.prisma?.relationMode, 'prisma');
    const plain = loadPrismaSchema(schemaWith(''), '/w/prisma/schema.prisma').schema;
    assert.equal(plain.prisma?.relationMode, undefined);
    assert.ok(plain.tables.get('Post')!.foreignKeys.every((f) => !f.emulated));
  });

  it('a Prisma delete searches the relation through Prisma Client, with migrations that have no FOREIGN KEY', async () => {
    const [f] = await findings(EMULATED, PRISMA_DELETE, MIGRATION);
    assert.ok(f, 'the emulated relation is reported');
    assert.equal(f.table, 'Post');
    assert.match(f.message, /^Unindexed relation: each row Prisma Client deletes from "User" makes it search "Post" by "authorId" \(relationMode = "prisma"/);
    assert.equal(f.fix?.prisma, '@@index([authorId])');
    // Declared at the relation field of schema.prisma.
    assert.match(f.file, /schema\.prisma$/);
  });

  it('a SQL DELETE makes no search through an emulated relation; through a real foreign key it does', async () => {
    assert.deepEqual(await findings(EMULATED, SQL_DELETE, MIGRATION), []);
    assert.deepEqual(await findings(EMULATED, SQL_DELETE), [], 'schema.prisma alone: its relations are still emulated');
    const [real] = await findings(schemaWith(''), SQL_DELETE);
    assert.match(real?.message ?? '', /^Unindexed foreign key: each row deleted from "User" makes PostgreSQL search "Post"/);
  });

  it('keeps the emulated keys over a live catalog, which has none of them', async () => {
    await initSqlParser();
    const workspace = mergeSchemas(loadMigrations([{ file: '/w/prisma/migrations/1_init/migration.sql', text: MIGRATION }]).schema, loadPrismaSchema(EMULATED, '/w/prisma/schema.prisma').schema);
    // The catalog of a database those migrations built: the same tables, no foreign key.
    const catalog = loadMigrations([{ file: '/db', text: MIGRATION }]).schema;
    const now = new Date();
    const live: LiveSchema = { schema: catalog, target: 'db', serverVersion: 150000, readAt: now, statsSince: now, statsSinceSource: 'server start', defaults: new Map(), problems: [] };
    const overlaid = overlayLiveSchema(live, workspace);
    assert.deepEqual(overlaid.tables.get('Post')!.foreignKeys.map((f) => [f.columns.join(), f.refTable, f.emulated]), [['authorId', 'User', true]]);
    assert.equal(overlaid.tables.get('_PostToTag')!.foreignKeys.length, 2);
  });

  it('the emulated search reads the referencing rows’ primary key (so an index with it can be read alone), only for a Prisma delete', () => {
    const { schema } = loadPrismaSchema(EMULATED, '/w/prisma/schema.prisma');
    const del = { table: 'User', kind: 'delete' as const, predicates: [], joinKeys: [], orderBy: [], groupBy: [], columnsRead: [] as string[] };
    const post = foreignKeyChecks(del, schema, true).find((a) => a.table === 'Post')!;
    assert.deepEqual(post.columnsRead, ['id']);
    assert.equal(foreignKeySearchSql(post), 'SELECT "id" FROM "Post" WHERE "authorId" = $1');
    assert.deepEqual(foreignKeyChecks(del, schema, false), []);
  });

  it("EXPLAINs the emulated search as the plain SELECT Prisma Client sends, not the referential trigger's query", () => {
    const access = {
      table: 'Post',
      kind: 'select' as const,
      predicates: [{ atom: { kind: 'compare' as const, column: 'authorId', op: '=' as const, value: { kind: 'param' as const } } }],
      joinKeys: [],
      orderBy: [],
      groupBy: [],
      columnsRead: '*' as const,
    };
    assert.equal(foreignKeySearchSql({ ...access, columnsRead: ['id'], foreignKeyCheck: { references: 'User', emulated: true } }), 'SELECT "id" FROM "Post" WHERE "authorId" = $1');
    assert.match(foreignKeySearchSql({ ...access, foreignKeyCheck: { references: 'User' } }), /FOR KEY SHARE OF x$/);
  });
});
