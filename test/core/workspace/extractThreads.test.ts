/**
 * Extraction on threads (src/core/workspace/extractPool.ts): the built engine (dist/engine.js, which
 * starts dist/extract-worker.js) must give exactly what extraction on the calling thread gives, and a
 * thread that dies must cost nothing but time.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Project } from '../../../src/core/project';
import { initSqlParser } from '../../../src/core/sql/parser';
import { emptySchema } from '../../../src/core/model/schema';
import { extractFile, type FileExtraction } from '../../../src/core/workspace/extractFile';
import { ExtractPool, type extractPool } from '../../../src/core/workspace/extractPool';
import type { ExtractJob } from '../../../src/core/workspace/extractProtocol';
import { generateWorkspace } from '../../../bench/synthetic/generate';
import { LMS, REPO } from '../../helpers/paths';

const ENGINE = path.join(REPO, 'dist', 'engine.js');

interface BuiltEngine {
  Project: typeof Project;
  extractPool: typeof extractPool;
}

/** The built engine, with `threads` extraction threads loaded: the calling thread does not wait for threads still loading. */
async function builtEngine(threads: number): Promise<BuiltEngine> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const engine = require(ENGINE) as BuiltEngine;
  const pool = engine.extractPool();
  assert.ok(pool, 'the engine finds dist/extract-worker.js beside it');
  pool.start(threads);
  await pool.whenLoaded();
  return engine;
}

/**
 * `x` without the keys whose value is undefined: a thread's results cross as JSON, which leaves those
 * keys out. Nothing else is normalised (an Infinity that came back as null would still differ).
 */
function definedOnly<T>(x: T): T {
  if (Array.isArray(x)) return x.map(definedOnly) as T;
  if (x === null || typeof x !== 'object') return x;
  return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined).map(([k, v]) => [k, definedOnly(v)])) as T;
}

/** Everything a Project derived from its files, for comparison. */
function outcome(p: Project) {
  const r = p.analyze();
  const shapes = [...p.files.values()].map((e) => ({ file: e.file, shapes: e.shapes, problems: e.problems }));
  return definedOnly({ shapes, findings: r.findings, stats: r.stats, verdicts: r.verdicts.length });
}

describe('workspace: extraction on threads', function () {
  this.timeout(300_000);
  let tmp: string;

  before(() => {
    execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'pipe' });
    assert.ok(fs.existsSync(path.join(REPO, 'dist', 'extract-worker.js')), 'the build wrote dist/extract-worker.js');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-threads-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the sample workspace: the same shapes, problems and findings with two threads as with none', async () => {
    const { Project: P } = await builtEngine(2);
    const threaded = await P.open(LMS, { threads: 2 });
    const alone = await P.open(LMS, { threads: 0 });
    assert.ok(threaded.threadedFiles > 0, 'some files were extracted by a thread');
    assert.equal(alone.threadedFiles, 0);
    const a = outcome(threaded);
    const b = outcome(alone);
    assert.ok(a.findings.length > 10 && a.verdicts > 50, 'the sample has queries and findings');
    assert.deepEqual(a, b);
  });

  it('a synthetic workspace with broken files and rule settings applied after open: the same outcome, and edits after a threaded open work as before', async () => {
    const ws = generateWorkspace({ scale: 0.08, seed: 7, out: path.join(tmp, 'synthetic'), bigFile: false });
    // Half-typed code and broken SQL travel through the threads too.
    fs.writeFileSync(path.join(ws.root, 'src', 'half-typed.ts'), 'export async function f(id: string) {\n  return prisma.user.findMany({ where: { id, \n');
    fs.writeFileSync(path.join(ws.root, 'sql', 'broken.sql'), 'SELECT * FROM WHERE;\nSELECT 1;\n');
    const { Project: P } = await builtEngine(1);
    const threaded = await P.open(ws.root, { threads: 1 });
    const alone = await P.open(ws.root, { threads: 0 });
    assert.ok(threaded.threadedFiles > 0);
    // Rule settings applied between open and analyze, as the extension applies its own: honoured.
    for (const p of [threaded, alone]) Object.assign(p.config.rules, { 'missing-index': 'info', 'redundant-index': 'off' });
    const first = outcome(threaded);
    assert.deepEqual(first, outcome(alone));
    assert.ok(first.findings.some((f) => f.rule === 'missing-index') && first.findings.every((f) => f.rule !== 'missing-index' || f.severity === 'info'));
    assert.ok(first.findings.every((f) => f.rule !== 'redundant-index'));
    assert.ok(outcome(alone).shapes.some((f) => f.problems.some((p) => p.rule === 'parse-error')), 'the broken SQL is reported');

    const file = ws.tsFiles[3];
    const edited = fs.readFileSync(file, 'utf8').replace(/take: \d+/, 'take: 7').replace('findMany({ where: {', 'findMany({ where: { deletedAt: null,');
    threaded.updateFile(file, edited);
    alone.updateFile(file, edited);
    assert.deepEqual(outcome(threaded), outcome(alone));
  });

  it('two workspaces opened at once: the second extracts on its own thread, both as without threads', async () => {
    const { Project: P } = await builtEngine(1);
    const [a, b] = await Promise.all([P.open(LMS, { threads: 1 }), P.open(LMS, { threads: 1 })]);
    const alone = outcome(await P.open(LMS, { threads: 0 }));
    assert.equal(b.threadedFiles, 0, 'the pool was busy with the first');
    assert.deepEqual(outcome(a), alone);
    assert.deepEqual(outcome(b), alone);
  });

  it('a thread that dies: its batches are extracted on the calling thread, each file reported once', async () => {
    await initSqlParser();
    const dying = path.join(tmp, 'dying-worker.js');
    fs.writeFileSync(dying, 'process.exit(3)\n');
    const jobs: ExtractJob[] = [
      { file: '/w/a.sql', kind: 'sql', text: 'SELECT * FROM users WHERE id = 1;' },
      { file: '/w/b.ts', kind: 'script', text: "const r = await client.query('SELECT * FROM orders WHERE user_id = $1', [id])" },
      { file: '/w/c.sql', kind: 'sql', text: 'SELECT FROM WHERE' },
    ];
    const schema = emptySchema();
    const here = (j: ExtractJob) => extractFile(j.file, j.kind, j.text, schema);
    const seen = new Map<string, FileExtraction[]>();
    const pool = new ExtractPool(dying);
    try {
      await pool.run(jobs, schema, 2, { here, onResult: (file, r) => seen.set(file, [...(seen.get(file) ?? []), r]) });
    } finally {
      pool.close();
    }
    assert.deepEqual([...seen.keys()].sort(), jobs.map((j) => j.file).sort());
    for (const j of jobs) {
      assert.equal(seen.get(j.file)!.length, 1, `${j.file} reported once`);
      assert.deepEqual(seen.get(j.file)![0], here(j));
    }
    assert.ok(seen.get('/w/b.ts')![0].shapes.length === 1 && seen.get('/w/c.sql')![0].problems.length === 1);
  });
});
