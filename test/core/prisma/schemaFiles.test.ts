/**
 * A Prisma schema split over several files (Prisma 6.6+: `prisma/schema/*.prisma`): read as one schema, with
 * every finding, location and edit in the file that declares the model.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../../src/core/model/finding';
import { Project } from '../../../src/core/project';
import { loadPrismaSchemaFiles } from '../../../src/core/schema/prisma/schemaFiles';
import { chooseSchema } from '../../../src/core/workspace/schemaChoice';
import { runMain } from '../../helpers/cli';
import { LMS } from '../../helpers/paths';

/** The sample's schema.prisma as Prisma's split layout: generator and datasource in schema.prisma, each model or enum in its own file. */
function splitSample(dir: string): Map<string, string> {
  const single = path.join(dir, 'prisma', 'schema.prisma');
  const lines = fs.readFileSync(single, 'utf8').split('\n');
  const folder = path.join(dir, 'prisma', 'schema');
  fs.mkdirSync(folder);
  const main: string[] = [];
  const parts = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const m = /^(model|enum) (\w+) \{/.exec(lines[i]);
    if (!m) {
      main.push(lines[i]);
      continue;
    }
    let j = i;
    while (lines[j] !== '}') j++;
    parts.set(m[2], lines.slice(i, j + 1).join('\n') + '\n');
    i = j;
  }
  fs.writeFileSync(path.join(folder, 'schema.prisma'), main.join('\n'));
  for (const [name, text] of parts) fs.writeFileSync(path.join(folder, `${name}.prisma`), text);
  fs.rmSync(single);
  // Prisma keeps the migrations beside the file with the datasource.
  fs.renameSync(path.join(dir, 'prisma', 'migrations'), path.join(folder, 'migrations'));
  return parts;
}

function copyOfSample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-split-'));
  fs.cpSync(LMS, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  return dir;
}

/** The line a finding (or related location) points at, with its file's path relative to `dir` when it is not a .prisma file. */
function where(dir: string, at: { file: string; range: Finding['range'] }): string {
  if (!at.file.endsWith('.prisma')) return `${path.relative(dir, at.file)}:${at.range.start.line}:${at.range.start.character}`;
  const line = fs.readFileSync(at.file, 'utf8').split(/\r?\n/)[at.range.start.line];
  return `prisma:${line.trim()}:${at.range.start.character}`;
}

function comparable(dir: string, findings: Finding[]): string[] {
  return findings.map((f) => [f.rule, f.severity, f.message.replaceAll('prisma/schema/migrations', 'prisma/migrations'), where(dir, f), ...f.related.map((r) => where(dir, r))].join(' | ')).sort();
}

describe('a Prisma schema split over several files', function () {
  this.timeout(120_000);
  let singleDir: string;
  let splitDir: string;
  let parts: Map<string, string>;

  before(() => {
    singleDir = copyOfSample();
    splitDir = copyOfSample();
    parts = splitSample(splitDir);
  });
  after(() => {
    fs.rmSync(singleDir, { recursive: true, force: true });
    fs.rmSync(splitDir, { recursive: true, force: true });
  });

  it('is read as one schema: the same tables, indexes and findings as the one-file schema, each at the same line of the file declaring it', async () => {
    const single = await Project.open(singleDir);
    const split = await Project.open(splitDir);
    const a = single.analyze();
    const b = split.analyze();
    assert.equal(b.stats.tables, a.stats.tables);
    assert.equal(b.stats.indexes, a.stats.indexes);
    assert.ok(b.findings.some((f) => f.file.endsWith('.prisma')), 'some findings are in the schema');
    assert.deepEqual(comparable(splitDir, b.findings), comparable(singleDir, a.findings));
    assert.deepEqual(b.stats.schemaSkipped, []);
  });

  it("puts each model's locations in its own file, and knows which file declares which model", async () => {
    const split = await Project.open(splitDir);
    const folder = path.join(splitDir, 'prisma', 'schema');
    assert.equal(split.prismaFile, path.join(folder, 'schema.prisma'));
    assert.deepEqual(split.prismaFiles.slice(1), [...parts.keys()].map((n) => path.join(folder, `${n}.prisma`)).sort());
    const users = split.schema.tables.get('users')!;
    assert.equal(users.location?.file, path.join(folder, 'User.prisma'));
    assert.equal(users.indexes.find((i) => i.name === 'users_email_idx')?.location?.file, path.join(folder, 'User.prisma'));
    assert.equal(split.prismaFileOf('Media'), path.join(folder, 'Media.prisma'));
    assert.equal(split.prismaFileOf(undefined), split.prismaFile);
    assert.match(split.prismaSchemaText() ?? '', /datasource db[\s\S]*model User \{/);
  });

  it('reads an edit of one of its files (updateFile) as a fresh analysis does', async () => {
    const split = await Project.open(splitDir);
    const file = path.join(splitDir, 'prisma', 'schema', 'Media.prisma');
    const text = fs.readFileSync(file, 'utf8');
    const drift = (fs: Finding[]) => fs.filter((f) => f.rule === 'schema-drift' && f.file === file);
    assert.deepEqual(drift(split.analyze().findings), []);
    const edited = text.replace(/\n {2}@@index\(\[type\]\)[^\n]*/, '');
    assert.notEqual(edited, text);
    split.updateFile(file, edited);
    const after = split.analyze().findings;
    // The migrations still create the index schema.prisma no longer declares: drift, on Media's file.
    assert.equal(drift(after).length, 1, JSON.stringify(after.filter((f) => f.rule === 'schema-drift')));
    assert.match(drift(after)[0].message, /media_type_idx/);
    fs.writeFileSync(file, edited);
    try {
      assert.deepEqual(comparable(splitDir, after), comparable(splitDir, (await Project.open(splitDir)).analyze().findings));
    } finally {
      fs.writeFileSync(file, text);
    }
  });

  it('reports an error of one file in that file and leaves out only what it breaks', () => {
    const folder = path.join(os.tmpdir(), 'split-schema');
    const files = [
      { file: path.join(folder, 'schema.prisma'), text: 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n' },
      { file: path.join(folder, 'post.prisma'), text: 'model Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n  @@index([authorId])\n}' },
      { file: path.join(folder, 'tag.prisma'), text: '// tags\nmodel Tag {\n  id Int @id\n  name Strin\n}\n' },
      { file: path.join(folder, 'user.prisma'), text: 'model User {\n  id Int @id\n  posts Post[]\n}\n' },
    ];
    const r = loadPrismaSchemaFiles(files);
    assert.deepEqual(r.problems.map((p) => [p.file, p.range.start.line]), [[files[2].file, 3]]);
    assert.deepEqual([...r.schema.tables.keys()].sort(), ['Post', 'User']);
    assert.deepEqual(r.schema.prisma?.leftOut, ['Tag']);
    assert.equal(r.schema.prisma?.leftOutAt?.get('Tag')?.file, files[2].file);
    assert.equal(r.schema.prisma?.leftOutAt?.get('Tag')?.range.start.line, 1);
    const post = r.schema.tables.get('Post')!;
    // The last line of a file with no line break at its end: the next file still starts on a line of its own.
    assert.deepEqual([post.indexes.find((i) => i.name === 'Post_authorId_idx')?.location?.file, post.indexes.find((i) => i.name === 'Post_authorId_idx')?.location?.range.start.line], [files[1].file, 4]);
    assert.deepEqual(post.foreignKeys.map((f) => [f.refTable, f.location?.file]), [['User', files[1].file]]);
  });

  it('a block left open at the end of one file (being typed) does not take in the next file: it is an error of its own file', () => {
    const folder = path.join(os.tmpdir(), 'split-schema');
    const files = [
      { file: path.join(folder, 'schema.prisma'), text: 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n' },
      { file: path.join(folder, 'user.prisma'), text: 'model User {\n  id Int @id\n  email String @unique\n  posts Post[]\n' },
      { file: path.join(folder, 'post.prisma'), text: 'model Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n  @@index([authorId])\n}\n' },
    ];
    const r = loadPrismaSchemaFiles(files);
    assert.deepEqual(r.problems.map((p) => [p.file, p.range.start.line, p.message.slice(0, 26)]), [[files[1].file, 0, 'Model "User" is not closed']]);
    assert.deepEqual([...r.schema.tables.keys()].sort(), ['Post', 'User']);
    assert.equal(r.schema.prisma?.leftOut, undefined);
    const index = r.schema.tables.get('Post')!.indexes.find((i) => i.name === 'Post_authorId_idx')!;
    assert.deepEqual([index.location?.file, index.location?.range.start.line], [files[2].file, 4]);
    assert.deepEqual(r.schema.tables.get('User')!.indexes.map((i) => i.location?.file), [files[1].file, files[1].file]);
  });

  it("edits, with migration --prisma, the file that declares each model, and leaves Prisma's engine a valid schema", async () => {
    const dir = copyOfSample();
    try {
      splitSample(dir);
      const folder = path.join(dir, 'prisma', 'schema');
      const before = new Map(fs.readdirSync(folder).filter((f) => f.endsWith('.prisma')).map((f) => [f, fs.readFileSync(path.join(folder, f), 'utf8')]));
      const run = await runMain(['migration', dir, '--out', path.join(dir, 'optimization'), '--prisma']);
      assert.equal(run.code, 0, run.stderr);
      const now = (f: string) => fs.readFileSync(path.join(folder, f), 'utf8');
      assert.match(now('User.prisma'), /@@index\(\[role, createdAt\(sort: Desc\)\], map: "users_role_createdAt_idx"\)/);
      assert.doesNotMatch(now('Media.prisma'), /@@index\(\[type\]\)/);
      assert.match(now('Media.prisma'), /map: "media_type_createdAt_idx"/);
      assert.equal(now('schema.prisma'), before.get('schema.prisma'));
      const changed = [...before.keys()].filter((f) => now(f) !== before.get(f));
      assert.ok(changed.includes('User.prisma') && changed.includes('Media.prisma'));
      assert.ok(changed.length < before.size - 1, `only the files of the models the plan touches change: ${changed.join(', ')}`);
      const loaded = loadPrismaSchemaFiles([...before.keys()].sort((a, b) => Number(b === 'schema.prisma') - Number(a === 'schema.prisma')).map((f) => ({ file: path.join(folder, f), text: now(f) })));
      assert.deepEqual(loaded.problems.filter((p) => p.severity === 'error').map((p) => p.message), []);
      assert.ok(fs.existsSync(path.join(folder, 'migrations')) && fs.readdirSync(path.join(folder, 'migrations')).some((m) => m.endsWith('_index_optimization')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('chooseSchema: a schema split over several files', () => {
  const root = path.join(os.tmpdir(), 'ws');
  const at = (rel: string) => path.join(root, ...rel.split('/'));
  const ds = 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n';

  it('reads the files without a datasource in the folder (and below) of the one with it, not those elsewhere nor another app’s schema', () => {
    const c = chooseSchema(
      [
        { file: at('prisma/schema/user.prisma'), text: 'model User {\n  id Int @id\n}\n' },
        { file: at('prisma/schema/main.prisma'), text: ds },
        { file: at('prisma/schema/billing/invoice.prisma'), text: 'model Invoice {\n  id Int @id\n}\n' },
        { file: at('tools/scratch.prisma'), text: 'model Scratch {\n  id Int @id\n}\n' },
        { file: at('apps/admin/prisma/schema.prisma'), text: ds },
      ],
      [],
      root,
      () => undefined,
      [],
    );
    assert.equal(c.prisma, at('prisma/schema/main.prisma'));
    assert.deepEqual(c.prismaFiles, [at('prisma/schema/main.prisma'), at('prisma/schema/billing/invoice.prisma'), at('prisma/schema/user.prisma')]);
    assert.deepEqual(c.skipped.map((s) => s.file).sort(), [at('apps/admin/prisma/schema.prisma'), at('tools/scratch.prisma')].sort());
  });

  it('reads the default prisma/schema.prisma alone: other .prisma files beside or below it (templates a generator joins) are not part of it', () => {
    const c = chooseSchema(
      [
        { file: at('prisma/schema.prisma'), text: ds },
        { file: at('prisma/templates/user.prisma'), text: 'model User {\n  id Int @id\n}\n' },
      ],
      [],
      root,
      () => undefined,
      [],
    );
    assert.deepEqual(c.prismaFiles, [at('prisma/schema.prisma')]);
    assert.deepEqual(c.skipped.map((s) => s.file), [at('prisma/templates/user.prisma')]);
  });

  it('reads the folder prisma.config.ts or package.json names as the schema', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-schema-folder-'));
    try {
      fs.mkdirSync(path.join(dir, 'db', 'models'), { recursive: true });
      const files = [
        { file: path.join(dir, 'db', 'main.prisma'), text: ds },
        { file: path.join(dir, 'db', 'models', 'user.prisma'), text: 'model User {\n  id Int @id\n}\n' },
      ];
      assert.deepEqual(chooseSchema(files, [], dir, () => undefined).prismaFiles, [files[0].file]);
      fs.writeFileSync(path.join(dir, 'prisma.config.ts'), "import { defineConfig } from 'prisma/config';\nexport default defineConfig({ schema: 'db' });\n");
      assert.deepEqual(chooseSchema(files, [], dir, () => undefined).prismaFiles, [files[0].file, files[1].file]);
      fs.rmSync(path.join(dir, 'prisma.config.ts'));
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ prisma: { schema: './db' } }));
      assert.deepEqual(chooseSchema(files, [], dir, () => undefined).prismaFiles, [files[0].file, files[1].file]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads one file alone when no file has a datasource', () => {
    const c = chooseSchema([{ file: at('a/x.prisma'), text: 'model X {\n  id Int @id\n}\n' }, { file: at('a/y.prisma'), text: '' }], [], root, () => undefined);
    assert.equal(c.prismaFiles.length, 1);
  });
});
