/**
 * The thread codec (src/core/workspace/shapeCodec.ts): what a thread sends comes back equal to what it
 * extracted — keys in the same order, ranges and ids whole — for every shape of the LMS sample and of a
 * small synthetic workspace (SQL files, migrations, embedded SQL, Prisma calls).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Project } from '../../../src/core/project';
import type { QueryShape } from '../../../src/core/model/query';
import type { ExtractResult } from '../../../src/core/workspace/extractProtocol';
import { decodeResults, encodeResults } from '../../../src/core/workspace/shapeCodec';
import { generateWorkspace } from '../../../bench/synthetic/generate';
import { LMS } from '../../helpers/paths';

async function resultsOf(root: string): Promise<ExtractResult[]> {
  const p = await Project.open(root, { threads: 0 });
  return [...p.files.values()].filter((e) => e.shapes.length || e.problems.length).map((e) => ({ file: e.file, shapes: e.shapes, problems: e.problems }));
}

/** As JSON sees it (keys whose value is undefined left out), in key order. */
const asJson = (x: unknown) => JSON.stringify(x);

describe('workspace: thread codec', function () {
  this.timeout(120_000);

  it('gives back every shape of the LMS sample and of a synthetic workspace as it was', async () => {
    const ws = generateWorkspace({ seed: 7, scale: 0.02, bigFile: false });
    try {
      for (const root of [LMS, ws.root]) {
        const results = await resultsOf(root);
        const shapes = results.reduce((n, r) => n + r.shapes.length, 0);
        assert.ok(shapes > 100, `${root}: ${shapes} shapes to carry`);
        const back = decodeResults(encodeResults(results));
        assert.equal(asJson(back), asJson(results));
        assert.deepEqual(back, JSON.parse(asJson(results)));
      }
    } finally {
      fs.rmSync(ws.root, { recursive: true, force: true });
    }
  });

  it('is smaller than the plain JSON of the same results', async () => {
    const results = await resultsOf(LMS);
    const packed = encodeResults(results).length;
    const plain = JSON.stringify(results).length;
    assert.ok(packed < plain * 0.8, `packed ${packed} chars, plain ${plain}`);
  });

  it('packs a shape with fields of its own (a Prisma call\u2019s left-out relations), and carries whole one located in another file', () => {
    const shape: QueryShape = {
      id: '/w/other.sql:3:1',
      origin: 'sql-file',
      location: { file: '/w/other.sql', range: { start: { line: 2, character: 0 }, end: { line: 2, character: 20 } } },
      text: 'SELECT 1 FROM t WHERE a = 1',
      label: 'SELECT on t',
      accesses: [
        {
          table: 't',
          kind: 'select',
          predicates: [{ atom: { kind: 'compare', column: 'a', op: '=', value: { kind: 'number', value: 1 } }, range: { start: { line: 2, character: 22 }, end: { line: 2, character: 27 } } }],
          joinKeys: [],
          orderBy: [{ column: 'b', desc: true, nullsFirst: false, range: { start: { line: 2, character: 30 }, end: { line: 2, character: 36 } } }],
          groupBy: [],
          columnsRead: ['a', 'b'],
        },
      ],
      leftOut: [{ field: 'T.rel', range: { start: { line: 2, character: 40 }, end: { line: 2, character: 43 } } }],
    };
    // The same shape in its own file is packed (its extra fields carried as they are); in another file it travels whole.
    const own: QueryShape = { ...shape, id: '/w/this.ts:3:1', location: { ...shape.location, file: '/w/this.ts' } };
    const results: ExtractResult[] = [{ file: '/w/this.ts', shapes: [own, shape], problems: [] }];
    const packed = encodeResults(results);
    assert.equal(asJson(decodeResults(packed)), asJson(results));
    assert.equal((packed.match(/\/w\/this\.ts/g) ?? []).length, 1, 'the packed shape leaves its file out of its id and location');
  });
});
