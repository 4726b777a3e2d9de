/**
 * The editor's handle on the embedded database (src/extension/embedded.ts), driven with a stand-in
 * thread that answers like embeddedWorker.ts: quickly, with an error, or never (a busy loop, the
 * way PGlite holds its thread). The real thread runs in the VS Code suite (04b-embedded).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedDatabase, type EmbeddedProject } from '../../src/extension/embedded';

const FAKE_WORKER = `
const { parentPort } = require('node:worker_threads');
let key;
parentPort.on('message', (m) => {
  const reply = (value) => parentPort.postMessage({ id: m.id, ok: true, value });
  const fail = (message) => parentPort.postMessage({ id: m.id, ok: false, error: { name: 'Error', message } });
  if (m.op === 'open') {
    const text = m.migrations.map((x) => x.text).join('\\n');
    if (text.includes('HANG')) { const end = Date.now() + 30000; while (Date.now() < end); }
    setTimeout(() => {
      if (text.includes('FAIL')) return fail('CREATE TABLE failed');
      key = m.key;
      reply({ key: m.key, serverVersion: 18, scale: 0.01, target: 'embedded PGlite (fake)', tables: 1, rows: 1000, timings: { startMs: 1, schemaMs: 1, dataMs: 1, analyzeMs: 1, totalMs: 4 }, problems: [] });
    }, 150);
  } else if (m.op === 'explain') {
    if (m.key !== key) return fail('the embedded database was replaced');
    if (m.sql.includes('HANG')) { const end = Date.now() + 30000; while (Date.now() < end); }
    reply({ sql: m.sql, target: 'embedded PGlite (fake)', embedded: true, serverVersion: 18, explainedAt: Date.now() });
  } else reply(undefined);
});
`;

function project(text = 'CREATE TABLE t (id int);', rows: Record<string, number> = { t: 100 }): EmbeddedProject {
  return { migrationFiles: () => [{ file: '/ws/migrations/1/migration.sql', text }], config: { matcher: { rows, defaultRows: 10_000 } } };
}

const kind = (db: EmbeddedDatabase): string => db.status.kind;

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

describe('extension: the embedded database thread', function () {
  this.timeout(20_000);
  let dir: string;
  let file: string;
  const open: EmbeddedDatabase[] = [];
  const make = (limits = {}) => {
    const db = new EmbeddedDatabase(quiet, file, limits);
    open.push(db);
    return db;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-embedded-'));
    file = path.join(dir, 'worker.cjs');
    fs.writeFileSync(file, FAKE_WORKER);
  });
  afterEach(() => open.splice(0).forEach((d) => d.dispose()));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts on the first plan asked for, says it is preparing, then answers and remembers plans', async () => {
    const db = make();
    const seen: string[] = [];
    db.onDidChange((s) => seen.push(s.kind));
    assert.equal(kind(db), 'off');
    const first = db.explain(project(), 'SELECT 1');
    assert.equal(first.preparing, true);
    assert.equal(kind(db), 'starting');
    const r = (await first.result) as unknown as { sql: string; embedded: boolean };
    assert.equal(r.sql, 'SELECT 1');
    assert.equal(r.embedded, true);
    assert.equal(kind(db), 'ready');
    assert.deepEqual(seen, ['starting', 'ready']);
    const again = db.explain(project(), 'SELECT 1');
    assert.equal(again.preparing, false);
    assert.equal(again.result, first.result, 'the plan is remembered');
    await db.explain(project(), 'SELECT 2').result;
    assert.equal(db.builds, 1);
  });

  it('rebuilds when the migrations or the row counts change, and forgets the old plans', async () => {
    const db = make();
    const a = await db.explain(project(), 'SELECT 1').result;
    const changed = db.explain(project('CREATE TABLE t (id int, x int);'), 'SELECT 1');
    assert.equal(changed.preparing, true);
    const b = await changed.result;
    assert.notEqual(a, b);
    await db.explain(project('CREATE TABLE t (id int, x int);', { t: 5 }), 'SELECT 1').result;
    assert.equal(db.builds, 3);
    assert.equal(db.keyOf(project()), db.keyOf(project()), 'the key is stable');
  });

  it('a build that fails is reported and not retried until the schema changes', async () => {
    const db = make();
    await assert.rejects(db.explain(project('FAIL'), 'SELECT 1').result, /CREATE TABLE failed/);
    assert.equal(kind(db), 'failed');
    assert.match((db.status as { message: string }).message, /could not be built: CREATE TABLE failed/);
    const again = db.explain(project('FAIL'), 'SELECT 1');
    assert.equal(again.preparing, false);
    await assert.rejects(again.result, /CREATE TABLE failed/);
    assert.equal(db.builds, 1, 'not retried');
    await db.explain(project('CREATE TABLE t (id int);'), 'SELECT 1').result;
    assert.equal(db.builds, 2);
    assert.equal(kind(db), 'ready');
  });

  it('an EXPLAIN past its time limit stops the thread; that statement is not run again, others rebuild', async () => {
    const db = make({ explainLimitMs: 400 });
    await db.explain(project(), 'SELECT 1').result;
    const t0 = Date.now();
    await assert.rejects(db.explain(project(), 'SELECT HANG').result, /EXPLAIN on the embedded database took longer than 0.4 s: stopped/);
    assert.ok(Date.now() - t0 < 3000, 'the caller is not held up by the busy thread');
    assert.equal(kind(db), 'off');
    await assert.rejects(db.explain(project(), 'SELECT HANG').result, /took longer than 0.4 s on the embedded database before/);
    await db.explain(project(), 'SELECT 3').result;
    assert.equal(db.builds, 2);
  });

  it('a build past its time limit is stopped and reported', async () => {
    const db = make({ buildLimitMs: 400 });
    await assert.rejects(db.explain(project('HANG'), 'SELECT 1').result, /building the embedded database took longer than 0.4 s: stopped/);
    assert.equal(kind(db), 'failed');
  });

  it('dispose (deactivation) ends the thread and what is pending', async () => {
    const db = make();
    const p = db.explain(project(), 'SELECT 1');
    db.dispose();
    await assert.rejects(p.result, /closed: the extension is deactivated/);
    assert.equal(kind(db), 'off');
  });

  it('closes itself after the idle time', async () => {
    const db = make({ idleMs: 500 });
    await db.explain(project(), 'SELECT 1').result;
    assert.equal(kind(db), 'ready');
    await new Promise((r) => setTimeout(r, 900));
    assert.equal(kind(db), 'off');
    const next = db.explain(project(), 'SELECT 1');
    assert.equal(next.preparing, true, 'built again when next needed');
    await next.result;
  });
});
