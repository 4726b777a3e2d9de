/**
 * `check --threads N`: bounded (a usage error above MAX_REQUESTED_THREADS), no threads for a workspace
 * too small to gain from them, and an extraction pool that never starts more threads than it may or
 * than it has batches for. Runs from the sources: the pool is driven with a stand-in thread script
 * that records each start.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractionThreads } from '../../src/cli/commands/check';
import { emptySchema } from '../../src/core/model/schema';
import { Project } from '../../src/core/project';
import { initSqlParser } from '../../src/core/sql/parser';
import { extractFile } from '../../src/core/workspace/extractFile';
import { ExtractPool, MAX_REQUESTED_THREADS, MIN_PARALLEL_CHARS } from '../../src/core/workspace/extractPool';
import type { ExtractJob } from '../../src/core/workspace/extractProtocol';
import { runMain } from '../helpers/cli';
import { LMS } from '../helpers/paths';

describe('cli: check --threads', function () {
  this.timeout(120_000);
  let tmp: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-threads-cli-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('2 for more threads than the limit (16), naming it; up to the limit is accepted', async () => {
    assert.equal(MAX_REQUESTED_THREADS, 16);
    for (const bad of ['17', '50', '1000', '', '1e1', '0x2', ' ']) {
      const r = await runMain(['check', 'examples/lms', '--threads', bad]);
      assert.equal(r.code, 2, `--threads "${bad}": ${r.stderr}`);
      assert.match(r.stderr, /--threads must be auto or a whole number from 0 to 16/);
      assert.equal(r.stdout, '');
    }
    const ok = await runMain(['check', 'examples/lms', '--threads', '16', '--format', 'json']);
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('--help gives the limit and says a small workspace gets no threads', async () => {
    const r = await runMain(['check', '--help']);
    assert.match(r.stdout.replace(/\s+/g, ' '), /--threads <N\|auto> Extraction threads besides the main one, 0 to 16 \(default 0\); none while the query files hold less than 1 MB/);
  });

  it('N threads only for 1 MB of query files or more (as auto): none for a small workspace', async () => {
    // What check asks Project.open for, and how many threads open then decides on.
    const decided = async (value: string, root: string) => (await Project.open(root, { threads: extractionThreads(value), minParallelChars: MIN_PARALLEL_CHARS })).extractionThreads;
    assert.equal(extractionThreads(undefined), undefined);
    assert.equal(extractionThreads('auto'), 'auto');
    // examples/lms: 25 files, ~70 kB of queries.
    assert.equal(await decided('4', LMS), 0);
    assert.equal(await decided('16', LMS), 0);

    const big = path.join(tmp, 'big');
    fs.mkdirSync(path.join(big, 'sql'), { recursive: true });
    const statement = 'SELECT * FROM users WHERE id = $1;\n';
    fs.writeFileSync(path.join(big, 'sql', 'queries.sql'), statement.repeat(Math.ceil((MIN_PARALLEL_CHARS + 1) / statement.length)));
    assert.equal(await decided('4', big), 4);
    assert.equal(await decided('0', big), 0);
    // What the config leaves out does not count.
    fs.writeFileSync(path.join(big, 'pg-index-review.json'), JSON.stringify({ ignore: ['sql/**'] }));
    assert.equal(await decided('4', big), 0);
  });

  describe('the extraction pool', () => {
    let marks: string;
    let script: string;
    const started = () => (fs.existsSync(marks) ? fs.readFileSync(marks, 'utf8').length : 0);

    beforeEach(() => {
      marks = path.join(tmp, `marks-${Date.now()}-${Math.random()}`);
      script = path.join(tmp, `counting-worker-${path.basename(marks)}.js`);
      // Records its start, then exits: the pool counts it as lost and extracts on the calling thread.
      fs.writeFileSync(script, `require('node:fs').appendFileSync(${JSON.stringify(marks)}, 'x');\nprocess.exit(3);\n`);
    });

    it('never starts more than 16 threads, whatever it is asked for', async () => {
      const pool = new ExtractPool(script);
      try {
        pool.start(40);
        await pool.whenLoaded();
      } finally {
        pool.close();
      }
      assert.equal(started(), MAX_REQUESTED_THREADS);
    });

    it('starts no more threads than there are batches to hand out (one small batch: one thread)', async () => {
      await initSqlParser();
      const schema = emptySchema();
      const jobs: ExtractJob[] = [
        { file: '/w/a.sql', kind: 'sql', text: 'SELECT * FROM users WHERE id = 1;' },
        { file: '/w/b.sql', kind: 'sql', text: 'SELECT * FROM orders WHERE user_id = 2;' },
      ];
      const seen = new Set<string>();
      const pool = new ExtractPool(script);
      try {
        await pool.run(jobs, schema, 8, { here: (j) => extractFile(j.file, j.kind, j.text, schema), onResult: (file) => seen.add(file) });
        await pool.whenLoaded();
      } finally {
        pool.close();
      }
      assert.deepEqual([...seen].sort(), ['/w/a.sql', '/w/b.sql']);
      assert.equal(started(), 1);
    });
  });
});
