/**
 * A Prisma Client call on a model that schema.prisma's errors left out of the analysis says so at the call:
 * the schema error is in another file, and without this the call would just get no finding.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Project } from '../../../src/core/project';
import { DATASOURCE, ONE_BROKEN_MODEL } from './helpers';

const SCHEMA = ONE_BROKEN_MODEL;

const CODE = `import { prisma } from './db'
export const byName = (name: string) => prisma.user.findMany({ where: { name } })
export const byKind = (kind: string) => prisma.tag.findMany({ where: { kind } })
`;

/** A workspace of schema.prisma and repo.ts, made before each test of the suite and removed after it; its folder. */
function workspaceEach(schema: string, code: string): () => string {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pir-leftout-'));
    fs.mkdirSync(path.join(dir, 'prisma'));
    fs.writeFileSync(path.join(dir, 'prisma', 'schema.prisma'), schema);
    fs.writeFileSync(path.join(dir, 'repo.ts'), code);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

/** The parse-error findings in repo.ts. */
const atCalls = (p: Project) => p.analyze().findings.filter((f) => f.file.endsWith('repo.ts') && f.rule === 'parse-error');

describe('Prisma Client calls on a model left out of schema.prisma', () => {
  const ws = workspaceEach(SCHEMA, CODE);
  let dir: string;
  beforeEach(() => (dir = ws()));

  it('get a note at the call pointing at the model, and calls on the models read get none', async () => {
    const p = await Project.open(dir);
    const found = atCalls(p);
    assert.equal(found.length, 1, JSON.stringify(found));
    const f = found[0];
    assert.equal(f.severity, 'info');
    assert.equal(f.range.start.line, 1, 'at prisma.user.findMany (line 2)');
    assert.match(f.message, /prisma\.user\.findMany: model "User" is left out/);
    assert.equal(f.related.length, 1);
    assert.equal(f.related[0].file, path.join(dir, 'prisma', 'schema.prisma'));
    assert.equal(f.related[0].range.start.line, SCHEMA.split('\n').indexOf('model User {'));
  });

  it('go away once the schema is fixed, and the call is checked again', async () => {
    const p = await Project.open(dir);
    p.updateFile(path.join(dir, 'prisma', 'schema.prisma'), SCHEMA.replace('name  Str', 'name  String'));
    assert.deepEqual(atCalls(p), []);
    assert.ok(p.analyze().verdicts.some((v) => v.shape.label === 'prisma.user.findMany' && v.accesses[0].table?.name === 'User'));
  });

  it('can be silenced like any finding: the rule off', async () => {
    const p = await Project.open(dir);
    assert.equal(atCalls(p).length, 1);
    p.config.rules['parse-error'] = 'off';
    assert.deepEqual(atCalls(p), []);
  });

  it('finds calls on a model named in lower case (as `prisma db pull` names them)', async () => {
    fs.writeFileSync(path.join(dir, 'prisma', 'schema.prisma'), SCHEMA.replace('model User {', 'model order_item {'));
    fs.writeFileSync(path.join(dir, 'repo.ts'), CODE.replace('prisma.user.findMany', 'prisma.order_item.findMany'));
    const found = atCalls(await Project.open(dir));
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.match(found[0].message, /^prisma\.order_item\.findMany: model "order_item" is left out/);
  });
});

/** Model Author has a typo (`Str`): it is left out, and with it the relation field Post.author that points at it. */
const RELATED_BROKEN = `${DATASOURCE}
model Author {
  id    Int    @id
  name  Str
  posts Post[]
}

model Post {
  id       Int    @id
  title    String
  extra    String
  authorId Int
  author   Author @relation(fields: [authorId], references: [id])

  @@index([authorId])
  @@index([title])
  @@index([extra])
}
`;

const RELATED_CODE = `import { prisma } from './db'
export const byAuthor = (name: string) => prisma.post.findMany({ where: { title: 'x', author: { name } } })
export const withAuthor = () => prisma.post.findMany({ where: { title: 'y' }, include: { author: true }, orderBy: { author: { name: 'asc' } } })
export const plain = () => prisma.post.findMany({ where: { title: 'z' } })
export const counted = () => prisma.post.findMany({ where: { title: 'w' }, include: { _count: true } })
`;

describe('Prisma Client calls naming a relation field left out with the model it points at', () => {
  const ws = workspaceEach(RELATED_BROKEN, RELATED_CODE);
  let dir: string;
  beforeEach(() => (dir = ws()));
  const notes = atCalls;

  it('get a note where the call names it (filter, include, order, `_count: true`), pointing at the field; the call on the model is still checked', async () => {
    const p = await Project.open(dir);
    const found = notes(p);
    const lines = RELATED_CODE.split('\n');
    const at = (f: (typeof found)[number]) => (f.range.start.line === f.range.end.line ? lines[f.range.start.line].slice(f.range.start.character, f.range.end.character) : '(several lines)');
    // Exactly the key, not the whole `author: { … }` property (whose value may span lines and hold other findings).
    assert.deepEqual(
      found.map((f) => [f.range.start.line, at(f)]),
      [
        [1, 'author'],
        [2, 'author'],
        [2, 'author'],
        [4, '_count: true'],
      ],
    );
    for (const f of found) {
      assert.equal(f.severity, 'info');
      assert.match(f.message, /^prisma\.post\.findMany: relation field "Post\.author" is left out of the analysis because model "Author", which it points at, is left out too/);
      assert.equal(f.related.length, 1);
      assert.equal(f.related[0].file, path.join(dir, 'prisma', 'schema.prisma'));
      assert.equal(f.related[0].range.start.line, RELATED_BROKEN.split('\n').findIndex((l) => l.trimStart().startsWith('author   Author')));
    }
    assert.equal(new Set(found.map((f) => `${f.range.start.line}:${f.range.start.character}`)).size, 4, 'each at its own key');
    // What the calls ask of Post itself is analysed: each filters on the indexed title.
    const used = p.analyze().verdicts.filter((v) => v.shape.label === 'prisma.post.findMany').map((v) => v.accesses[0].best?.index.name);
    assert.deepEqual(used, ['Post_title_idx', 'Post_title_idx', 'Post_title_idx', 'Post_title_idx']);
  });

  const unusedIndexes = (p: Project) => p.analyze().findings.filter((f) => f.rule === 'unused-by-workload').map((f) => f.index);

  it('does not call the index on the left-out relation\u2019s foreign key unused (the queries through it are not analysed), the table\u2019s other unused ones still', async () => {
    assert.deepEqual(unusedIndexes(await Project.open(dir)), ['Post_extra_idx']);
  });

  it('says when the field is left out for an error of its own, and then reports no index of its table unused', async () => {
    fs.writeFileSync(path.join(dir, 'prisma', 'schema.prisma'), RELATED_BROKEN.replace('name  Str', 'name  String').replace('fields: [authorId]', 'fields: [authorIdd]'));
    const p = await Project.open(dir);
    const found = notes(p).filter((f) => f.message.includes('"Post.author"'));
    assert.equal(found.length, 4, JSON.stringify(notes(p)));
    for (const f of found) assert.match(f.message, /relation field "Post\.author" is left out of the analysis because it has an error, so/);
    assert.deepEqual(unusedIndexes(p), [], 'its `fields:` names no field: any index of Post may be the key');
  });

  it('moves with the call when a line is added above it (an edit re-reads only what changed)', async () => {
    const p = await Project.open(dir);
    const before = notes(p).map((f) => f.range.start.line);
    p.updateFile(path.join(dir, 'repo.ts'), RELATED_CODE.replace("import { prisma } from './db'\n", "import { prisma } from './db'\n// a new comment line\n"));
    assert.deepEqual(notes(p).map((f) => f.range.start.line), before.map((l) => l + 1));
  });

  it('go away once the schema is fixed, and the relation is analysed', async () => {
    const p = await Project.open(dir);
    p.updateFile(path.join(dir, 'prisma', 'schema.prisma'), RELATED_BROKEN.replace('name  Str', 'name  String'));
    assert.deepEqual(notes(p), []);
    assert.ok(p.analyze().verdicts.some((v) => v.shape.label === 'prisma.post.findMany' && v.accesses.some((a) => a.table?.name === 'Author')));
  });
});
