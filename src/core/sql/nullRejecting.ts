/**
 * Which tables a condition rejects NULL rows of: PostgreSQL's find_nonnullable_rels(), as far as the raw
 * parse tree tells. A WHERE condition that is false or NULL whenever a table's columns are all NULL turns an
 * outer join that makes that table nullable into an inner one (reduce_outer_joins()): `LEFT JOIN users u …
 * WHERE u.email = $1` is an inner join. A condition it cannot place (an operator class it does not know) rejects
 * nothing here, so the join stays outer; callers must not read "not rejected" as "passes NULL" (see acceptsNull).
 */
import { columnRef, columnRefsIn, type Node, opName, walk } from './expr';
import type { ColumnResolver } from './predicates';

/**
 * Built-in functions known to be strict (NULL in, NULL out) that conditions apply to a column. Any other function
 * rejects nothing here: a user-defined one is CALLED ON NULL INPUT unless declared STRICT.
 */
const STRICT_FUNCTIONS = new Set([
  'lower', 'upper', 'initcap', 'btrim', 'ltrim', 'rtrim', 'length', 'char_length', 'octet_length', 'substr', 'substring', 'left', 'right', 'replace', 'md5',
  'date', 'date_trunc', 'date_part', 'extract', 'to_char', 'abs', 'round', 'floor', 'ceil', 'to_tsvector', 'jsonb_extract_path_text', 'json_extract_path_text',
  'strpos', 'position', 'split_part', 'regexp_replace', 'regexp_match', 'regexp_like', 'starts_with', 'lpad', 'rpad', 'reverse', 'repeat', 'translate', 'ascii',
  'array_length', 'cardinality', 'jsonb_array_length', 'json_array_length', 'jsonb_typeof', 'json_typeof',
  'to_date', 'to_timestamp', 'to_number', 'age', 'date_bin', 'timezone', 'trunc', 'sign', 'sqrt', 'power', 'mod', 'ceiling', 'sha256', 'encode', 'decode',
]);

/**
 * A_Expr kinds that are NULL when their tested operand is: comparisons, `= ANY`, IN lists, LIKE, BETWEEN. Not
 * `<> ALL (…)`: over an empty array it is true whatever the operand.
 */
const STRICT_A_EXPR = new Set(['AEXPR_OP', 'AEXPR_OP_ANY', 'AEXPR_IN', 'AEXPR_LIKE', 'AEXPR_ILIKE', 'AEXPR_SIMILAR', 'AEXPR_BETWEEN', 'AEXPR_NOT_BETWEEN', 'AEXPR_BETWEEN_SYM', 'AEXPR_NOT_BETWEEN_SYM']);

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
  // NOT of a strict expression is NULL where the expression is (not of an AND or OR: NOT (x OR true) is false).
  // (`NOT (x = ANY ('{}'))` is true for a NULL x, and NOT of a null test or a sub-select is no strict expression either.)
  if (b?.boolop === 'NOT_EXPR') {
    const arg = b.args?.[0];
    // `NOT (x IS NULL)` is `x IS NOT NULL` to the planner.
    if (arg?.NullTest?.nulltesttype === 'IS_NULL') strictOperandBindings(arg.NullTest.arg, resolve, out);
    else if (arg?.A_Expr) {
      if (arg.A_Expr.kind !== 'AEXPR_OP_ANY') for (const x of nullRejectedBindings(arg, resolve)) out.add(x);
    } else if (arg?.ColumnRef || arg?.FuncCall || arg?.TypeCast) strictOperandBindings(arg, resolve, out);
    return out;
  }
  if (qual.A_Expr) {
    const e = qual.A_Expr;
    // `<> ALL (ARRAY[1, 2])`: an array written out, never empty, is strict (is_strict_saop()); `<> ALL ($1)` may be empty.
    if (!STRICT_A_EXPR.has(e.kind) && !(e.kind === 'AEXPR_OP_ALL' && writtenArray(e.rexpr))) return out;
    // `(a, b) <> (x, y)` is true when one pair differs, whatever the other holds.
    if (opName(e) === '<>' && (e.lexpr?.RowExpr || e.rexpr?.RowExpr)) return out;
    strictOperandBindings(e.lexpr, resolve, out, e.kind === 'AEXPR_OP' && isEquals(e));
    // Both sides of an operator; not the elements of an IN list or an array, where one NULL does not make it NULL.
    if (e.kind === 'AEXPR_OP' || e.kind === 'AEXPR_LIKE' || e.kind === 'AEXPR_ILIKE' || e.kind === 'AEXPR_SIMILAR') strictOperandBindings(e.rexpr, resolve, out, isEquals(e));
    return out;
  }
  // `x IN (SELECT …)` becomes a semi-join whose condition is x = the sub-select's column.
  if (qual.SubLink?.subLinkType === 'ANY_SUBLINK') {
    strictOperandBindings(qual.SubLink.testexpr, resolve, out, true);
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
  // A boolean column or a strict function on its own (`WHERE c.published`).
  strictOperandBindings(qual, resolve, out);
  return out;
}

/**
 * Whether a WHERE condition is one PostgreSQL does not count as rejecting a NULL row, so that an outer join it
 * tests stays outer and the condition is checked on the join's rows, never in the nullable table's scan: `IS
 * NULL`, `IS UNKNOWN`, `IS NOT TRUE`/`IS NOT FALSE`, `IS [NOT] DISTINCT FROM`, `<> ALL (…)`, a COALESCE of
 * the column, an OR with such a branch (`x.id IS NULL OR x.a = $1`). Any other condition nullRejectedBindings
 * does not place may still be strict (a STRICT function of the user's): it is left where it was written.
 */
export function acceptsNull(qual: Node | undefined): boolean {
  if (!qual) return false;
  if (qual.NullTest) return qual.NullTest.nulltesttype === 'IS_NULL';
  const t = qual.BooleanTest?.booltesttype;
  if (t) return t === 'IS_UNKNOWN' || t === 'IS_NOT_TRUE' || t === 'IS_NOT_FALSE';
  if (qual.BoolExpr?.boolop === 'OR_EXPR') return (qual.BoolExpr.args ?? []).some((arg: Node) => acceptsNull(arg));
  const e = qual.A_Expr;
  if (e) {
    if (e.kind === 'AEXPR_DISTINCT' || e.kind === 'AEXPR_NOT_DISTINCT') return true;
    if (e.kind === 'AEXPR_OP_ALL') return !writtenArray(e.rexpr);
    return hasCoalesce(e.lexpr) || hasCoalesce(e.rexpr);
  }
  // `NOT (x = ANY (…))` is `x <> ALL (…)`.
  const not = qual.BoolExpr?.boolop === 'NOT_EXPR' ? qual.BoolExpr.args?.[0]?.A_Expr : undefined;
  return not?.kind === 'AEXPR_OP_ANY' && !writtenArray(not.rexpr);
}

/** `ARRAY[1, 2]` written out: never empty, unlike a parameter or a sub-select's array. */
function writtenArray(n: Node | undefined): boolean {
  return (n?.A_ArrayExpr?.elements?.length ?? 0) > 0;
}

/** A COALESCE of a column anywhere in an operand (`lower(coalesce(x.a, ''))`): NULL in, a value out. */
function hasCoalesce(n: Node | undefined): boolean {
  let found = false;
  walk(n, (node, type) => {
    if (found || type === 'SubLink') return false;
    if (type === 'CoalesceExpr' && columnRefsIn(node.CoalesceExpr.args).length > 0) found = true;
  });
  return found;
}

function isEquals(e: Node): boolean {
  return opName(e) === '=';
}

/**
 * Bindings of the columns an expression is NULL for when they are: through casts, operators and strict
 * functions. A row `(a, b)` compared by `=` is each of its columns (an AND of equalities); by any other
 * operator, its first.
 */
function strictOperandBindings(n: Node | undefined, resolve: ColumnResolver, out: Set<string>, rowEquality = false): void {
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
  if (n.RowExpr) {
    const args: Node[] = n.RowExpr.args ?? [];
    for (const arg of rowEquality ? args : args.slice(0, 1)) strictOperandBindings(arg, resolve, out);
    return;
  }
  const f = n.FuncCall;
  if (f && !f.agg_star && !f.over && !f.agg_distinct && !f.agg_filter) {
    // A built-in: unqualified or pg_catalog's (`app.lower()` is the user's own).
    const names: string[] = (f.funcname ?? []).map((x: Node) => x.String?.sval).filter(Boolean);
    const name = names.length === 1 || (names.length === 2 && names[0] === 'pg_catalog') ? names[names.length - 1] : undefined;
    if (name && STRICT_FUNCTIONS.has(name)) for (const arg of f.args ?? []) strictOperandBindings(arg, resolve, out);
  }
}
