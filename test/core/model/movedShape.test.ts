/**
 * movedShape moves a query's positions by the lines an edit added or removed above them: every position
 * in the shape after the edited line, and nothing else. Checked against a walk that moves every
 * { line, character } object it finds, over the queries of the LMS sample and of a synthetic workspace.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project } from '../../../src/core/project';
import { movedShape, type QueryShape } from '../../../src/core/model/query';
import { generateWorkspace } from '../../../bench/synthetic/generate';

/** Every object that is exactly { line, character } below `x`, moved when its line is after `after`. */
function everyPositionMoved<T>(x: T, after: number, delta: number): T {
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 2 && typeof o.line === 'number' && typeof o.character === 'number') return o.line > after ? { line: o.line + delta, character: o.character } : o;
    return Object.fromEntries(keys.map((k) => [k, visit(o[k])]));
  };
  return visit(x) as T;
}

async function shapesOf(root: string): Promise<QueryShape[]> {
  const p = await Project.open(root);
  return [...p.files.values()].flatMap((e) => e.shapes);
}

describe('movedShape', function () {
  this.timeout(120000);
  let ws: ReturnType<typeof generateWorkspace> | undefined;
  after(() => ws && fs.rmSync(ws.root, { recursive: true, force: true }));

  it('moves every position after the line, as a walk over the whole shape does, and keeps the shape when none moves', async () => {
    ws = generateWorkspace({ seed: 11, scale: 0.02, bigFile: false });
    const shapes = [...(await shapesOf(path.join(__dirname, '..', '..', '..', 'examples', 'lms'))), ...(await shapesOf(ws.root))];
    assert.ok(shapes.length > 300);
    let moved = 0;
    for (const s of shapes) {
      const line = s.location.range.start.line;
      for (const [after, delta] of [[line - 1, 3], [line, -1], [line + 2, 2], [-1, 5]] as const) {
        const got = movedShape(s, after, delta);
        assert.deepEqual(got, everyPositionMoved(s, after, delta), `${s.id} moved after line ${after} by ${delta}`);
        if (got !== s) moved++;
      }
      assert.equal(movedShape(s, s.location.range.end.line + 1000, 7), s, 'a shape above the edit is kept as it is');
      assert.equal(movedShape(s, 0, 0), s);
    }
    assert.ok(moved > shapes.length, `${moved} moved shapes`);
  });
});
