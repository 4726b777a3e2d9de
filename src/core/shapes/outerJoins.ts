/**
 * Outer joins as PostgreSQL plans them (reduce_outer_joins()): a condition that rejects the NULL row of a
 * nullable table makes its outer join inner — from the WHERE clause, or from the ON clause of a join above it
 * (`a LEFT JOIN b ON … LEFT JOIN c ON c.id = b."cId" WHERE c.x = 1` leaves no NULL row of c, and c's own
 * condition then leaves none of b). What stays outer tells two things the shape needs: which tables are still
 * nullable (they can't drive a join), and which tables an outer join's ON condition can't filter (the preserved
 * side keeps every row; its ON conditions only decide what it is joined to).
 */
import type { Node } from '../sql/expr';
import { nullRejectedBindings } from '../sql/nullRejecting';
import type { ColumnResolver } from '../sql/predicates';

export interface OuterJoinReading {
  /** Aliases on the nullable side of an outer join that stays outer, with the number of the innermost such join. */
  nullable: Map<string, number>;
  /** Each outer join's ON condition, with the aliases whose rows it keeps whatever it says. */
  preservedBy: Map<Node, Set<string>>;
}

type JoinType = 'JOIN_INNER' | 'JOIN_LEFT' | 'JOIN_RIGHT' | 'JOIN_FULL';
const OUTER = new Set<string>(['JOIN_LEFT', 'JOIN_RIGHT', 'JOIN_FULL']);

/**
 * Reads the FROM items after the WHERE clause's say. `aliasOf` names a FROM leaf (table, sub-select, function)
 * the way the scope bound it; `qualsOf` gives a join's condition (a USING join's, see usingJoins.ts).
 */
export function readOuterJoins(
  from: Node[],
  where: Node | undefined,
  resolve: ColumnResolver,
  aliasOf: (leaf: Node) => string | undefined,
  qualsOf: (join: Node) => Node | undefined = (j) => j.quals,
): OuterJoinReading {
  const reading: OuterJoinReading = { nullable: new Map(), preservedBy: new Map() };
  let joins = 0;
  const rejected = nullRejectedBindings(where, resolve);
  const under = new Map<Node, string[]>();
  const aliasesUnder = (n: Node): string[] => {
    let found = under.get(n);
    if (!found) {
      const j = n.JoinExpr;
      found = j ? [...(j.larg ? aliasesUnder(j.larg) : []), ...(j.rarg ? aliasesUnder(j.rarg) : [])] : [aliasOf(n)].filter((a): a is string => a !== undefined);
      under.set(n, found);
    }
    return found;
  };
  // `outer`: the number of the innermost outer join whose nullable side `n` is on (0: none).
  const visit = (n: Node, forced: Set<string>, outer: number): void => {
    const j = n.JoinExpr;
    if (!j) {
      if (outer) for (const a of aliasesUnder(n)) reading.nullable.set(a, outer);
      return;
    }
    const left = j.larg ? aliasesUnder(j.larg) : [];
    const right = j.rarg ? aliasesUnder(j.rarg) : [];
    const hitLeft = left.some((a) => forced.has(a));
    const hitRight = right.some((a) => forced.has(a));
    let type: JoinType = OUTER.has(j.jointype) ? j.jointype : 'JOIN_INNER';
    if (type === 'JOIN_LEFT' && hitRight) type = 'JOIN_INNER';
    else if (type === 'JOIN_RIGHT' && hitLeft) type = 'JOIN_INNER';
    else if (type === 'JOIN_FULL') type = hitLeft && hitRight ? 'JOIN_INNER' : hitLeft ? 'JOIN_LEFT' : hitRight ? 'JOIN_RIGHT' : type;
    const quals = qualsOf(j);
    const own = type === 'JOIN_FULL' ? new Set<string>() : nullRejectedBindings(quals, resolve);
    const withOwn = own.size ? new Set([...forced, ...own]) : forced;
    const id = type === 'JOIN_INNER' ? 0 : ++joins;
    const leftOuter = type === 'JOIN_RIGHT' || type === 'JOIN_FULL' ? id : outer;
    const rightOuter = type === 'JOIN_LEFT' || type === 'JOIN_FULL' ? id : outer;
    // The ON condition rejects NULL rows inside the side it filters: all of an inner join, the nullable side of an outer one.
    if (j.larg) visit(j.larg, type === 'JOIN_INNER' || type === 'JOIN_RIGHT' ? withOwn : forced, leftOuter);
    if (j.rarg) visit(j.rarg, type === 'JOIN_INNER' || type === 'JOIN_LEFT' ? withOwn : forced, rightOuter);
    if (quals && type !== 'JOIN_INNER') {
      const kept = type === 'JOIN_LEFT' ? left : type === 'JOIN_RIGHT' ? right : [...left, ...right];
      reading.preservedBy.set(quals, new Set(kept));
    }
  };
  for (const f of from) visit(f, rejected, 0);
  return reading;
}
