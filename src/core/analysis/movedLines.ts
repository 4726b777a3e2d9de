/**
 * Queries an edit only moved (lines added or removed above them, in the same file): their verdicts and
 * findings are those they had, at their new lines. A verdict depends on what a query asks, not where it
 * is written, so re-evaluating a moved query gives the same verdict with the moved query's positions,
 * which is what these build without evaluating anything again.
 */
import type { Finding } from '../model/finding';
import { movedRange } from '../model/location';
import type { LineShift, QueryShape, TableAccess } from '../model/query';
import type { ShapeVerdict } from './verdicts';

/** The findings, with their ranges (and related ranges) in the shifted file moved. */
export function movedFindings(list: Finding[], s: LineShift): Finding[] {
  return list.map((f) => {
    const range = f.file === s.file ? movedRange(f.range, s.after, s.delta) : f.range;
    let related = f.related;
    for (let i = 0; i < related.length; i++) {
      const r = related[i];
      if (r.file !== s.file) continue;
      const moved = movedRange(r.range, s.after, s.delta);
      if (moved !== r.range) (related === f.related ? (related = [...f.related]) : related)[i] = { ...r, range: moved };
    }
    return range === f.range && related === f.related ? f : { ...f, range, related };
  });
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
  return { shape: to, accesses };
}
