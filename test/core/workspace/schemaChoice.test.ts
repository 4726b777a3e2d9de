/**
 * Which schema sources a workspace's analysis reads (src/core/workspace/schemaChoice.ts): another database's
 * schema.prisma or migrations are not read, and of several apps' schemas one is, with its own migrations.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Project } from '../../../src/core/project';
import { chooseSchema } from '../../../src/core/workspace/schemaChoice';

const datasource = (provider: string) => `datasource db {\n  provider = "${provider}"\n  url      = env("DATABASE_URL")\n}\n`;

function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-choice-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('chooseSchema', () => {
  const root = path.join(os.tmpdir(), 'ws');
  const at = (rel: string) => path.join(root, ...rel.split('/'));
  const noLocks = () => undefined;

  it('reads the PostgreSQL schema.prisma, not a MySQL one, wherever each is listed', () => {
    const mysql = { file: at('db/mysql/prisma/schema.prisma'), text: datasource('mysql') };
    const pg = { file: at('db/postgresql/schema.prisma'), text: datasource('postgresql') };
    for (const files of [[mysql, pg], [pg, mysql]]) {
      const c = chooseSchema(files, [at('db/mysql/prisma/migrations/1_init/migration.sql'), at('db/postgresql/migrations/1_init/migration.sql')], root, noLocks);
      assert.equal(c.prisma, pg.file);
      assert.equal(c.usesMigration(at('db/mysql/prisma/migrations/1_init/migration.sql')), false);
      assert.equal(c.usesMigration(at('db/postgresql/migrations/1_init/migration.sql')), true);
      assert.deepEqual(c.skipped.map((s) => s.file).sort(), [mysql.file, at('db/mysql/prisma/migrations')].sort());
      assert.match(c.skipped.find((s) => s.file === mysql.file)!.reason, /"mysql"/);
    }
  });

  it('reads no schema.prisma when none is for PostgreSQL (postgres is accepted as PostgreSQL too)', () => {
    assert.equal(chooseSchema([{ file: at('prisma/schema.prisma'), text: datasource('sqlite') }], [], root, noLocks).prisma, undefined);
    assert.equal(chooseSchema([{ file: at('prisma/schema.prisma'), text: datasource('postgres') }], [], root, noLocks).prisma, at('prisma/schema.prisma'));
  });

  it("reads the app's schema.prisma nearest the root, not an example's further down, nor a new empty one", () => {
    const pg = datasource('postgresql');
    const files = [
      { file: at('examples/demo/prisma/schema.prisma'), text: pg },
      { file: at('apps/admin/prisma/schema.prisma'), text: '' },
      { file: at('prisma/schema.prisma'), text: pg },
    ];
    const c = chooseSchema(files, [at('prisma/migrations/1_a/migration.sql'), at('examples/demo/prisma/migrations/1_a/migration.sql')], root, noLocks);
    assert.equal(c.prisma, at('prisma/schema.prisma'));
    assert.equal(c.usesMigration(at('prisma/migrations/1_a/migration.sql')), true);
    assert.equal(c.usesMigration(at('examples/demo/prisma/migrations/1_a/migration.sql')), false);
    assert.equal(chooseSchema([{ file: at('prisma/schema.prisma'), text: '' }, { file: at('db/schema.prisma'), text: pg }], [], root, noLocks).prisma, at('db/schema.prisma'));
  });

  it('keeps a schema whose provider is being typed (not yet another database)', () => {
    for (const typed of ['', 'p', 'postg']) assert.ok(chooseSchema([{ file: at('prisma/schema.prisma'), text: datasource(typed) }], [], root, noLocks).prisma, typed);
  });

  it('leaves out migrations whose migration_lock.toml is for another provider, also ones added later', () => {
    const locks: Record<string, string> = { [at('mysql/migrations')]: 'mysql', [at('pg/migrations')]: 'postgresql' };
    const c = chooseSchema([], [at('mysql/migrations/1_a/migration.sql'), at('pg/migrations/1_a/migration.sql'), at('sql/001.sql')], root, (f) => locks[f]);
    assert.equal(c.prisma, undefined);
    assert.equal(c.usesMigration(at('mysql/migrations/1_a/migration.sql')), false);
    assert.equal(c.usesMigration(at('mysql/migrations/2_b/migration.sql')), false);
    assert.equal(c.usesMigration(at('pg/migrations/2_b/migration.sql')), true);
    assert.equal(c.usesMigration(at('sql/001.sql')), true);
    assert.deepEqual(c.skipped, [{ file: at('mysql/migrations'), reason: 'its migration_lock.toml is for "mysql": only PostgreSQL migrations are read' }]);
  });
});

describe('Project: a monorepo with two apps, each with its schema.prisma and migrations', () => {
  let root: string;
  before(() => {
    root = workspace({
      'apps/alpha/prisma/schema.prisma': `${datasource('postgresql')}model User {\n  id    Int    @id\n  email String @unique\n}\n`,
      'apps/alpha/prisma/migrations/1_init/migration.sql': 'CREATE TABLE "User" ("id" INTEGER NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n',
      'apps/alpha/prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
      'apps/beta/prisma/schema.prisma': `${datasource('postgresql')}model Post {\n  id   Int    @id\n  slug String @unique\n}\n`,
      'apps/beta/prisma/migrations/1_init/migration.sql': 'CREATE TABLE "Post" ("id" INTEGER NOT NULL, "slug" TEXT NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));\nCREATE UNIQUE INDEX "Post_slug_key" ON "Post"("slug");\n',
      'apps/legacy/prisma/schema.prisma': `${datasource('mysql')}model Old {\n  id Int @id\n}\n`,
    });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("reads one app's schema with its own migrations: no drift from the other app's tables", async () => {
    const r = (await Project.open(root)).analyze();
    assert.deepEqual([...r.schema.tables.keys()], ['User']);
    assert.deepEqual(
      r.findings.filter((f) => f.rule === 'schema-drift').map((f) => f.message),
      [],
    );
    assert.deepEqual(r.stats.schemaSources.map((f) => path.relative(root, f)).sort(), ['apps/alpha/prisma/migrations/1_init/migration.sql', 'apps/alpha/prisma/schema.prisma']);
    assert.deepEqual(r.stats.schemaSkipped.map((s) => path.relative(root, s.file)).sort(), ['apps/beta/prisma/migrations', 'apps/beta/prisma/schema.prisma', 'apps/legacy/prisma/schema.prisma']);
  });

  it('knows the schema sources named explicitly (the extension keeps tracking them inside ignored folders)', async () => {
    const named = path.join(root, 'apps', 'beta', 'prisma');
    const p = await Project.open(root, { schema: [named] });
    assert.equal(p.namesAsSchema(path.join(named, 'schema.prisma')), true);
    assert.equal(p.namesAsSchema(path.join(named, 'migrations', '1_init', 'migration.sql')), true);
    assert.equal(p.namesAsSchema(path.join(root, 'apps', 'alpha', 'prisma', 'schema.prisma')), false);
    assert.equal(p.namesAsSchema(`${named}-other/schema.prisma`), false);
    assert.equal((await Project.open(root)).namesAsSchema(path.join(named, 'schema.prisma')), false);
  });

  it('opened on the other app, reads that one', async () => {
    const r = (await Project.open(path.join(root, 'apps', 'beta'))).analyze();
    assert.deepEqual([...r.schema.tables.keys()], ['Post']);
    assert.deepEqual(r.stats.schemaSkipped, []);
  });
});
