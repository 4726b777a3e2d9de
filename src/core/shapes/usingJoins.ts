/**
 * `JOIN … USING (a, b)` and `NATURAL JOIN` as the condition they stand for, `l.a = r.a AND l.b = r.b`
 * (transformFromClauseItem() builds the same): without it such a join has no key, and its inner side reads
 * as a cross join. Each column is taken from the first table of a side that has it: PostgreSQL requires it
 * to be unambiguous there, or the side is an earlier USING join whose merged column is its left table's (an
 * inner or left join). A column no table of a side is known to have (no schema, a sub-select) is left out,
 * and so is a NATURAL join over a side whose columns aren't all known.
 */
import type { Node } from '../sql/expr';

/**
 * The condition of every USING or NATURAL join in `from`, by the join (the JoinExpr's object). `aliasOf`
 * names a FROM leaf as the scope bound it; `columnsOf` gives a bound alias's columns, when known.
 */
export function usingConditions(from: Node[], aliasOf: (leaf: Node) => string | undefined, columnsOf: (alias: string) => ReadonlySet<string> | undefined): Map<Node, Node> {
  const out = new Map<Node, Node>();
  const leaves = (n: Node): (string | undefined)[] => (n.JoinExpr ? [...(n.JoinExpr.larg ? leaves(n.JoinExpr.larg) : []), ...(n.JoinExpr.rarg ? leaves(n.JoinExpr.rarg) : [])] : [aliasOf(n)]);
  const visit = (n: Node): void => {
    const j = n.JoinExpr;
    if (!j) return;
    if (j.larg) visit(j.larg);
    if (j.rarg) visit(j.rarg);
    if (j.quals || !j.larg || !j.rarg) return;
    const left = leaves(j.larg);
    const right = leaves(j.rarg);
    const owner = (side: (string | undefined)[], column: string): string | undefined => {
      const found = side.find((a) => a !== undefined && columnsOf(a)?.has(column));
      if (found) return found;
      // A lone table whose columns aren't known: the column can only be its.
      return side.length === 1 && side[0] !== undefined && !columnsOf(side[0]) ? side[0] : undefined;
    };
    let columns: string[] = (j.usingClause ?? []).map((c: Node) => c.String?.sval).filter((c: unknown): c is string => typeof c === 'string');
    if (j.isNatural) {
      const all = (side: (string | undefined)[]) => (side.every((a) => a !== undefined && columnsOf(a)) ? new Set(side.flatMap((a) => [...columnsOf(a!)!])) : undefined);
      const l = all(left);
      const r = all(right);
      columns = l && r ? [...l].filter((c) => r.has(c)) : [];
    }
    const equalities: Node[] = [];
    for (const column of columns) {
      const l = owner(left, column);
      const r = owner(right, column);
      if (l && r) equalities.push(equality(l, r, column));
    }
    if (equalities.length === 1) out.set(j, equalities[0]);
    else if (equalities.length > 1) out.set(j, { BoolExpr: { boolop: 'AND_EXPR', args: equalities, location: -1 } });
  };
  for (const f of from) visit(f);
  return out;
}

/** `l.column = r.column`, as the parser writes it; written nowhere, so at no location. */
function equality(l: string, r: string, column: string): Node {
  const ref = (alias: string) => ({ ColumnRef: { fields: [{ String: { sval: alias } }, { String: { sval: column } }], location: -1 } });
  return { A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: '=' } }], lexpr: ref(l), rexpr: ref(r), location: -1 } };
}
