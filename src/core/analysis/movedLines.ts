/**
 * Queries an edit only moved (lines added or removed above them, in the same file): their verdicts and
 * findings are those they had, at their new lines. A verdict depends on what a query asks, not where it
 * is written, so re-evaluating a moved query gives the same verdict with the moved query's positions,
 * which is what these build without evaluating anything again.
 */
import type { MovedQueries, QueryShape, TableAccess } from '../model/query';
import type { ShapeVerdict } from './verdicts';

/**
 * The queries `next` moved, followed back through `earlier` (moves of the same file not analysed yet: two
 * keystrokes before one analysis) to the queries they were when last analysed.
 */
export function chainedMoves(shapes: QueryShape[], next: MovedQueries | undefined, earlier: MovedQueries): MovedQueries | undefined {
  const from: MovedQueries['from'] = new Map();
  for (const s of shapes) {
    const step = next?.from.get(s);
    const before = earlier.from.get(step ? step.was : s);
    if (before) from.set(s, { was: before.was, moves: step ? [...before.moves, ...step.moves] : before.moves });
    else if (step) from.set(s, step);
  }
  return from.size ? { file: earlier.file, from } : undefined;
}

const placed = (a: TableAccess) => a.predicates.some((p) => p.range !== undefined) || a.orderBy.some((o) => o.range !== undefined);

/**
 * The verdict of `to` (`from` moved) from `from`'s verdict: each access's verdict with `to`'s access in
 * place of `from`'s. Undefined when a verdict reads an access of its own that carries positions (one
 * derived from the query's, which would have to be moved too): evaluate that query again.
 */
export function movedVerdict(v: ShapeVerdict, from: QueryShape, to: QueryShape): ShapeVerdict | undefined {
  if (from.accesses.length !== to.accesses.length) return undefined;
  const at = new Map(from.accesses.map((a, i) => [a, i]));
  const accesses = [];
  for (const a of v.accesses) {
    const i = at.get(a.access);
    if (i !== undefined) accesses.push(a.access === to.accesses[i] ? a : { ...a, access: to.accesses[i] });
    else if (!placed(a.access)) accesses.push(a);
    else return undefined;
  }
  return { ...v, shape: to, accesses };
}
