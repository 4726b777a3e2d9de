/**
 * Which tables a condition rejects NULL rows of: PostgreSQL's find_nonnullable_rels(), as far as the raw
 * parse tree tells. A WHERE condition that is false or NULL whenever a table's columns are all NULL turns an
 * outer join that makes that table nullable into an inner one (reduce_outer_joins()): `LEFT JOIN users u …
 * WHERE u.email = $1` is an inner join. Conservative: a condition counts only when every path to the column is
 * through operators PostgreSQL knows to be strict; anything else (COALESCE, IS NULL, IS DISTINCT FROM, most
 * function calls, sub-selects) rejects nothing.
 */
import { columnRef, type Node } from './expr';
import type { ColumnResolver } from './predicates';

/** Functions that are strict (NULL in, NULL out) and common in conditions on a column. */
const STRICT_FUNCTIONS = new Set(['lower', 'upper', 'date_trunc', 'date_part', 'extract', 'length', 'char_length', 'btrim', 'ltrim', 'rtrim', 'abs', 'md5']);

/** A_Expr kinds that are strict in their operands (the comparison, LIKE, IN-list and BETWEEN families). */
const STRICT_A_EXPR = new Set(['AEXPR_OP', 'AEXPR_OP_ANY', 'AEXPR_OP_ALL', 'AEXPR_IN', 'AEXPR_LIKE', 'AEXPR_ILIKE', 'AEXPR_SIMILAR', 'AEXPR_BETWEEN', 'AEXPR_NOT_BETWEEN', 'AEXPR_BETWEEN_SYM', 'AEXPR_NOT_BETWEEN_SYM']);

/** The bindings (aliases) whose all-NULL row makes `qual` not true. */
export function nullRejectedBindings(qual: Node | undefined, resolve: ColumnResolver): Set<string> {
  const out = new Set<string>();
  if (!qual) return out;
  const b = qual.BoolExpr;
  if (b?.boolop === 'AND_EXPR') {
    for (const arg of b.args ?? []) for (const x of nullRejectedBindings(arg, resolve)) out.add(x);
    return out;
  }
  if (b?.boolop === 'OR_EXPR') {
    // Every branch must reject the table's NULL row.
    const [head, ...rest] = (b.args ?? []).map((arg: Node) => nullRejectedBindings(arg, resolve));
    for (const x of head ?? []) if (rest.every((s: Set<string>) => s.has(x))) out.add(x);
    return out;
  }
  if (qual.A_Expr) {
    const e = qual.A_Expr;
    if (!STRICT_A_EXPR.has(e.kind)) return out;
    strictOperandBindings(e.lexpr, resolve, out);
    // An IN list or BETWEEN bounds: NULL there does not depend on the tested table.
    if (e.kind === 'AEXPR_OP' || e.kind === 'AEXPR_LIKE' || e.kind === 'AEXPR_ILIKE' || e.kind === 'AEXPR_SIMILAR') strictOperandBindings(e.rexpr, resolve, out);
    return out;
  }
  if (qual.NullTest) {
    if (qual.NullTest.nulltesttype === 'IS_NOT_NULL') strictOperandBindings(qual.NullTest.arg, resolve, out);
    return out;
  }
  if (qual.BooleanTest) {
    const t = qual.BooleanTest.booltesttype;
    if (t === 'IS_TRUE' || t === 'IS_FALSE' || t === 'IS_NOT_UNKNOWN') strictOperandBindings(qual.BooleanTest.arg, resolve, out);
    return out;
  }
  // A boolean column on its own (`WHERE c.published`).
  strictOperandBindings(qual, resolve, out);
  return out;
}

/** Bindings of the columns an expression is NULL for when they are: through casts, strict operators and functions. */
function strictOperandBindings(n: Node | undefined, resolve: ColumnResolver, out: Set<string>): void {
  if (!n) return;
  const ref = columnRef(n);
  if (ref) {
    if (ref.column && !ref.star) {
      const b = resolve(ref.qualifier, ref.column);
      if (b) out.add(b);
    }
    return;
  }
  if (n.TypeCast) return strictOperandBindings(n.TypeCast.arg, resolve, out);
  if (n.CollateClause) return strictOperandBindings(n.CollateClause.arg, resolve, out);
  if (n.A_Expr?.kind === 'AEXPR_OP') {
    strictOperandBindings(n.A_Expr.lexpr, resolve, out);
    strictOperandBindings(n.A_Expr.rexpr, resolve, out);
    return;
  }
  const f = n.FuncCall;
  if (f && !f.agg_star && !f.over && !f.agg_distinct) {
    const name = (f.funcname ?? []).map((x: Node) => x.String?.sval).filter(Boolean).pop();
    if (name && STRICT_FUNCTIONS.has(name)) for (const arg of f.args ?? []) strictOperandBindings(arg, resolve, out);
  }
}
