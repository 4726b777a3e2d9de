/**
 * `JOIN … USING (a, b)` and `NATURAL JOIN` as the condition they stand for, `l.a = r.a AND l.b = r.b`
 * (transformFromClauseItem() builds the same): without it such a join has no key, and its inner side reads
 * as a cross join. Each side's column comes from where PostgreSQL takes it (buildMergedJoinVar()): a column
 * an inner or left USING join below merged is its left input's, a right join's its right input's, and a FULL
 * join's is COALESCE(l, r), no one table's (no key is made of it). Otherwise it is the column of the table of
 * that side that has it; a side whose columns aren't known (a sub-select, a function, a table the schema
 * lacks) supplies it only when nothing known does. A NATURAL join over a side whose columns aren't all known
 * joins by nothing.
 */
import type { Node } from '../sql/expr';

export interface UsingReading {
  /** Each USING or NATURAL join's condition, by the join (the JoinExpr's object). */
  conditions: Map<Node, Node>;
  /**
   * The columns USING and NATURAL joins merge at the top of the FROM list, with the alias an unqualified
   * reference to one means; null for a FULL join's merged column, or a name two FROM items merge.
   */
  merged: Map<string, string | null>;
}

/** A FROM leaf's columns as the query sees them (alias column names first), each with the table's own name. */
export type LeafColumns = (leaf: Node) => ReadonlyMap<string, string> | undefined;

type Source = { alias: string; column: string; known: boolean } | 'coalesce' | undefined;

export function readUsingJoins(from: Node[], aliasOf: (leaf: Node) => string | undefined, columnsOf: LeafColumns): UsingReading {
  const conditions = new Map<Node, Node>();
  const mergedBy = new Map<Node, string[]>();

  const visible = (n: Node): Set<string> | undefined => {
    const j = n.JoinExpr;
    if (!j) {
      const cols = columnsOf(n);
      return cols ? new Set(cols.keys()) : undefined;
    }
    const l = j.larg ? visible(j.larg) : undefined;
    const r = j.rarg ? visible(j.rarg) : undefined;
    return l && r ? new Set([...l, ...r]) : undefined;
  };

  const sourceOf = (n: Node, column: string): Source => {
    const j = n.JoinExpr;
    if (!j) {
      const alias = aliasOf(n);
      if (!alias) return undefined;
      const cols = columnsOf(n);
      if (!cols) return { alias, column, known: false };
      const real = cols.get(column);
      return real ? { alias, column: real, known: true } : undefined;
    }
    if (mergedBy.get(j)?.includes(column)) {
      if (j.jointype === 'JOIN_FULL') return 'coalesce';
      const side = j.jointype === 'JOIN_RIGHT' ? j.rarg : j.larg;
      return side ? sourceOf(side, column) : undefined;
    }
    const l = j.larg ? sourceOf(j.larg, column) : undefined;
    const r = j.rarg ? sourceOf(j.rarg, column) : undefined;
    if (l === 'coalesce' || (l && l.known)) return l;
    if (r === 'coalesce' || (r && r.known)) return r;
    return l ?? r;
  };

  const visit = (n: Node): void => {
    const j = n.JoinExpr;
    if (!j) return;
    if (j.larg) visit(j.larg);
    if (j.rarg) visit(j.rarg);
    if (!j.larg || !j.rarg) return;
    let columns: string[] = (j.usingClause ?? []).map((c: Node) => c.String?.sval).filter((c: unknown): c is string => typeof c === 'string');
    if (j.isNatural) {
      const l = visible(j.larg);
      const r = visible(j.rarg);
      columns = l && r ? [...l].filter((c) => r.has(c)) : [];
    }
    if (columns.length === 0) return;
    mergedBy.set(j, columns);
    if (j.quals) return;
    const equalities: Node[] = [];
    for (const column of columns) {
      const l = sourceOf(j.larg, column);
      const r = sourceOf(j.rarg, column);
      if (l && r && l !== 'coalesce' && r !== 'coalesce') equalities.push(equality(l, r));
    }
    if (equalities.length === 1) conditions.set(j, equalities[0]);
    else if (equalities.length > 1) conditions.set(j, { BoolExpr: { boolop: 'AND_EXPR', args: equalities, location: -1 } });
  };
  for (const f of from) visit(f);

  const merged = new Map<string, string | null>();
  for (const f of from) {
    const names = new Set<string>();
    const collect = (n: Node): void => {
      const j = n.JoinExpr;
      if (!j) return;
      for (const c of mergedBy.get(j) ?? []) names.add(c);
      if (j.larg) collect(j.larg);
      if (j.rarg) collect(j.rarg);
    };
    collect(f);
    for (const c of names) {
      const src = sourceOf(f, c);
      const alias = src && src !== 'coalesce' ? src.alias : null;
      merged.set(c, merged.has(c) ? null : alias);
    }
  }
  return { conditions, merged };
}

/** `l.column = r.column`, as the parser writes it; written nowhere, so at no location. */
function equality(l: { alias: string; column: string }, r: { alias: string; column: string }): Node {
  const ref = (s: { alias: string; column: string }) => ({ ColumnRef: { fields: [{ String: { sval: s.alias } }, { String: { sval: s.column } }], location: -1 } });
  return { A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: '=' } }], lexpr: ref(l), rexpr: ref(r), location: -1 } };
}
