/** WHERE / ON / partial-index predicates → conjunctions of predicate atoms per table. */
import { atomColumns, type CompareOp, type ContainOp, type Literal, type PredicateAtom } from '../model/predicate';
import { tableKey } from './identifiers';
import { columnRef, columnRefsIn, exprText, literalOf, type ColumnRefInfo, type Node, nodeType, opName, stripCasts, strings, walk } from './expr';

/** Resolves a column reference to the table binding (alias) it belongs to. */
export type ColumnResolver = (qualifier: string | undefined, column: string) => string | undefined;

export interface BoundAtom {
  binding: string;
  atom: PredicateAtom;
  /** Parser location (UTF-8 byte offset in the statement) of the predicate, when known. */
  location: number;
}

export interface JoinEquality {
  left: { binding: string; column: string };
  right: { binding: string; column: string };
}

export interface Conjuncts {
  atoms: BoundAtom[];
  joins: JoinEquality[];
  /** Sub-selects found in the predicate (EXISTS, IN (SELECT …), scalar sub-queries). */
  subqueries: Node[];
  /** Of `subqueries`, those PostgreSQL pulls up into a semi- or anti-join; the others run as sub-plans. */
  pulledUp?: Set<Node>;
}

export function splitAnd(expr: Node | undefined): Node[] {
  if (!expr) return [];
  const b = expr.BoolExpr;
  if (b && b.boolop === 'AND_EXPR') return (b.args ?? []).flatMap(splitAnd);
  return [expr];
}

const COMPARE: Record<string, CompareOp> = { '=': '=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const FLIP: Record<CompareOp, CompareOp> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

interface Operand {
  binding?: string;
  column?: string;
  literal?: Literal;
}

function nodeLocation(n: Node | undefined): number {
  if (!n) return -1;
  const t = nodeType(n);
  const loc = t ? n[t]?.location : undefined;
  return typeof loc === 'number' ? loc : -1;
}

export function predicateAtoms(expr: Node | undefined, resolve: ColumnResolver): Conjuncts {
  const out: Conjuncts = { atoms: [], joins: [], subqueries: [] };
  for (const c of splitAnd(expr)) classify(c, resolve, out);
  return out;
}

function collectSubqueries(n: Node, out: Conjuncts): void {
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(visit);
    if (!x || typeof x !== 'object') return;
    const o = x as Node;
    if (o.SubLink) {
      if (o.SubLink.subselect) out.subqueries.push(o.SubLink.subselect);
      if (o.SubLink.testexpr) visit(o.SubLink.testexpr);
      return;
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(n);
}

function operand(n: Node | undefined, resolve: ColumnResolver): Operand | undefined {
  const bare = stripCasts(n);
  const ref = columnRef(bare);
  // A cast on the column side (`"status"::text = $1`) defeats a plain index on the column,
  // so only a cast-free column reference counts as the column itself.
  if (ref && ref.column && bare === n) {
    const binding = resolve(ref.qualifier, ref.column);
    return binding ? { binding, column: ref.column } : undefined;
  }
  const lit = literalOf(n);
  if (lit) return { literal: lit };
  const refs = columnRefsIn(n);
  if (refs.length === 0 && !containsSubLink(n)) return { literal: { kind: 'expr', text: exprText(n) } };
  // An expression over one table's columns: matches an expression index with the same text.
  const bindings = new Set(refs.map((r) => (r.column ? resolve(r.qualifier, r.column) : undefined)));
  if (bindings.size === 1 && !bindings.has(undefined)) {
    return { binding: [...bindings][0], column: exprText(n) };
  }
  return undefined;
}

function containsSubLink(n: Node | undefined): boolean {
  let found = false;
  const visit = (x: unknown): void => {
    if (found || !x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(visit);
    if ((x as Node).SubLink) {
      found = true;
      return;
    }
    Object.values(x as Node).forEach(visit);
  };
  visit(n);
  return found;
}

const CONTAIN_OPS = new Set(['@>', '<@', '&&', '?', '?|', '?&', '@?']);
/** jsonb operators that take a jsonb value out of a jsonb one (`->>`, `#>>` give text). */
const JSONB_PATH_OPS = new Set(['->', '#>']);
const CONTAIN_FLIP: Record<ContainOp, ContainOp> = { '@>': '<@', '<@': '@>', '&&': '&&', '?': '?', '?|': '?|', '?&': '?&', '@?': '@?', '@@': '@@' };

function push(out: Conjuncts, binding: string, atom: PredicateAtom, location: number): void {
  out.atoms.push({ binding, atom, location });
}

function other(n: Node, resolve: ColumnResolver, out: Conjuncts): void {
  collectSubqueries(n, out);
  const byBinding = new Map<string, Set<string>>();
  for (const r of columnRefsIn(n)) {
    if (!r.column) continue;
    const b = resolve(r.qualifier, r.column);
    if (!b) continue;
    if (!byBinding.has(b)) byBinding.set(b, new Set());
    byBinding.get(b)!.add(r.column);
  }
  const text = exprText(n);
  for (const [binding, cols] of byBinding) push(out, binding, { kind: 'other', columns: [...cols], text }, nodeLocation(n));
}

function classify(n: Node, resolve: ColumnResolver, out: Conjuncts): void {
  const t = nodeType(n);
  const loc = nodeLocation(n);
  if (t === 'A_Expr') {
    const e = n.A_Expr;
    const op = opName(e);
    if (e.kind === 'AEXPR_OP' && COMPARE[op] && nodeType(e.lexpr) === 'RowExpr' && rowComparison(n, op, resolve, out)) return;
    const l = operand(e.lexpr, resolve);
    const r = operand(e.rexpr, resolve);
    if (e.kind === 'AEXPR_OP' && COMPARE[op] && l && r) {
      if (l.column && r.column && l.binding !== r.binding) {
        if (op === '=') out.joins.push({ left: { binding: l.binding!, column: l.column }, right: { binding: r.binding!, column: r.column } });
        else other(n, resolve, out);
        return;
      }
      if (l.column && r.literal) return push(out, l.binding!, { kind: 'compare', column: l.column, op: COMPARE[op], value: r.literal }, loc);
      if (r.column && l.literal) return push(out, r.binding!, { kind: 'compare', column: r.column, op: FLIP[COMPARE[op]], value: l.literal }, loc);
    }
    if (e.kind === 'AEXPR_OP' && (op === '<>' || op === '!=') && l?.column && r?.literal) {
      return push(out, l.binding!, { kind: 'not-equal', column: l.column, value: r.literal }, loc);
    }
    if (e.kind === 'AEXPR_OP' && op === '@@') {
      const target = l?.column ? l : r?.column ? r : undefined;
      if (target) {
        const expression = nodeType(stripCasts(target === l ? e.lexpr : e.rexpr)) !== 'ColumnRef';
        collectSubqueries(n, out);
        return push(out, target.binding!, { kind: 'fulltext', column: target.column!, expression }, loc);
      }
    }
    if (e.kind === 'AEXPR_OP' && CONTAIN_OPS.has(op)) {
      // `value <@ col` is `col @> value` (and the reverse); `&&` is symmetric; `?` takes the column on its left.
      const flipped = !l?.column && r?.column && l?.literal && (op === '@>' || op === '<@' || op === '&&');
      const col = flipped ? r : l?.column && r?.literal ? l : undefined;
      // The column itself, or a jsonb value taken from it (`col -> 'k'`, `col #> '{a,b}'`, what an expression GIN
      // index is built on): a cast or another expression is nothing such an index serves.
      const side: Node | undefined = flipped ? e.rexpr : e.lexpr;
      const path = nodeType(side) === 'A_Expr' && side!.A_Expr.kind === 'AEXPR_OP' && JSONB_PATH_OPS.has(opName(side!.A_Expr)) && nodeType(side!.A_Expr.lexpr) === 'ColumnRef';
      if (col?.column && (nodeType(side) === 'ColumnRef' || path)) {
        const contains = { column: col.column, op: (flipped ? CONTAIN_FLIP[op as ContainOp] : op) as ContainOp, ...(path ? { path: true as const } : {}) };
        const columns = path ? [...new Set(columnRefsIn(side).flatMap((r) => (r.column ? [r.column] : [])))] : [col.column];
        collectSubqueries(n, out);
        return push(out, col.binding!, { kind: 'other', columns, text: exprText(n), contains }, loc);
      }
    }
    if (e.kind === 'AEXPR_OP_ANY' && op === '=' && l?.column) {
      // col = ANY (ARRAY['a', 'b']) — how the catalog prints an IN list (pg_get_indexdef, pg_get_expr): its values.
      const arr = stripCasts(e.rexpr);
      if (nodeType(arr) === 'A_ArrayExpr') {
        const values = ((arr!.A_ArrayExpr.elements ?? []) as Node[]).map((x) => literalOf(x) ?? { kind: 'expr' as const, text: exprText(x) });
        return push(out, l.binding!, { kind: 'in', column: l.column, values }, loc);
      }
      // col = ANY($1): an IN list supplied as one array parameter.
      return push(out, l.binding!, { kind: 'in', column: l.column, values: [{ kind: 'param' }] }, loc);
    }
    if (e.kind === 'AEXPR_IN' && l?.column && nodeType(e.rexpr) === 'List') {
      const values = (e.rexpr.List.items ?? []).map((x: Node) => literalOf(x) ?? { kind: 'expr', text: exprText(x) });
      if (op === '=') return push(out, l.binding!, { kind: 'in', column: l.column, values }, loc);
      return other(n, resolve, out);
    }
    if ((e.kind === 'AEXPR_BETWEEN' || e.kind === 'AEXPR_BETWEEN_SYM') && l?.column && nodeType(e.rexpr) === 'List') {
      const [lo, hi] = e.rexpr.List.items ?? [];
      const low = literalOf(lo) ?? { kind: 'expr', text: exprText(lo) };
      const high = literalOf(hi) ?? { kind: 'expr', text: exprText(hi) };
      return push(out, l.binding!, { kind: 'between', column: l.column, low, high }, loc);
    }
    if ((e.kind === 'AEXPR_LIKE' || e.kind === 'AEXPR_ILIKE') && l?.column && r?.literal) {
      const caseInsensitive = e.kind === 'AEXPR_ILIKE';
      const negated = op.startsWith('!');
      return push(out, l.binding!, { kind: 'like', column: l.column, pattern: r.literal, caseInsensitive, negated }, loc);
    }
    return other(n, resolve, out);
  }
  if (t === 'NullTest') {
    const o = operand(n.NullTest.arg, resolve);
    if (o?.column) return push(out, o.binding!, { kind: 'null', column: o.column, isNull: n.NullTest.nulltesttype === 'IS_NULL' }, loc);
    return other(n, resolve, out);
  }
  if (t === 'ColumnRef') {
    const o = operand(n, resolve);
    if (o?.column) return push(out, o.binding!, { kind: 'compare', column: o.column, op: '=', value: { kind: 'bool', value: true } }, loc);
    return;
  }
  if (t === 'BooleanTest') {
    const o = operand(n.BooleanTest.arg, resolve);
    const bt = n.BooleanTest.booltesttype;
    if (o?.column && (bt === 'IS_TRUE' || bt === 'IS_FALSE')) {
      return push(out, o.binding!, { kind: 'compare', column: o.column, op: '=', value: { kind: 'bool', value: bt === 'IS_TRUE' }, isTest: true }, loc);
    }
    return other(n, resolve, out);
  }
  if (t === 'BoolExpr') {
    const b = n.BoolExpr;
    if (b.boolop === 'NOT_EXPR') {
      const o = operand(b.args?.[0], resolve);
      if (o?.column && nodeType(b.args[0]) === 'ColumnRef') {
        return push(out, o.binding!, { kind: 'compare', column: o.column, op: '=', value: { kind: 'bool', value: false } }, loc);
      }
      // NOT EXISTS tied by equalities becomes an anti-join (convert_EXISTS_sublink_to_join(), under NOT).
      const sub = b.args?.[0]?.SubLink;
      if (sub?.subLinkType === 'EXISTS_SUBLINK' && existsSemiJoin(sub.subselect, resolve)) (out.pulledUp ??= new Set()).add(sub.subselect);
      return other(n, resolve, out);
    }
    if (b.boolop === 'OR_EXPR') return orGroup(n, resolve, out);
  }
  if (t === 'SubLink') {
    const s = n.SubLink;
    if (s.subselect) out.subqueries.push(s.subselect);
    if (s.subLinkType === 'EXISTS_SUBLINK') {
      // PostgreSQL pulls a correlated EXISTS up into a semi-join, as it does IN (SELECT …): either side may drive.
      const link = existsSemiJoin(s.subselect, resolve);
      if (link) {
        push(out, link.binding, { kind: 'other', columns: [...new Set(link.keys.map((k) => k.column))], text: 'EXISTS (subquery)', semiJoin: link.keys }, loc);
        (out.pulledUp ??= new Set()).add(s.subselect);
      }
      return;
    }
    if (s.testexpr) {
      const o = operand(s.testexpr, resolve);
      if (o?.column) {
        const atom: PredicateAtom = { kind: 'other', columns: [o.column], text: `${o.column} IN (subquery)` };
        const key = s.subLinkType === 'ANY_SUBLINK' && (s.operName === undefined || strings(s.operName).join('.') === '=') ? semiJoinKey(o.column, s.subselect) : undefined;
        if (key) {
          atom.semiJoin = [key];
          (out.pulledUp ??= new Set()).add(s.subselect);
        }
        push(out, o.binding!, atom, loc);
      }
    }
    return;
  }
  if (t === 'A_Const') return; // WHERE true
  other(n, resolve, out);
}

/**
 * `a = 1 OR a = 2` is `a IN (1, 2)`; an OR of one test per branch on columns of one table keeps its
 * branches (`anyOf`, and `anyLike` when they are all LIKE tests); any other OR is an opaque filter on
 * the columns it reads.
 */
function orGroup(n: Node, resolve: ColumnResolver, out: Conjuncts): void {
  const branches: Node[] = n.BoolExpr.args ?? [];
  const likes = likeBranches(branches, resolve);
  if (likes) {
    const binding = likes[0].binding;
    const text = exprText(n);
    const anyLike = likes.map((l) => ({ column: l.column, caseInsensitive: l.caseInsensitive, pattern: l.pattern }));
    const anyOf: PredicateAtom[] = likes.map((l) => ({ kind: 'like', column: l.column, caseInsensitive: l.caseInsensitive, pattern: l.pattern, negated: false }));
    return push(out, binding, { kind: 'other', columns: [...new Set(anyLike.map((l) => l.column))], text, anyLike, anyOf }, nodeLocation(n));
  }
  const tests = singleTestBranches(branches, resolve);
  if (tests && !sameColumnEquality(tests.map((t) => t.atom))) {
    const anyOf = tests.map((t) => t.atom);
    return push(out, tests[0].binding, { kind: 'other', columns: [...new Set(anyOf.flatMap(atomColumns))], text: exprText(n), anyOf }, nodeLocation(n));
  }
  const values: Literal[] = [];
  let column: string | undefined;
  let binding: string | undefined;
  for (const br of branches) {
    const sub: Conjuncts = { atoms: [], joins: [], subqueries: [] };
    classify(br, resolve, sub);
    const a = sub.atoms.length === 1 && sub.joins.length === 0 ? sub.atoms[0] : undefined;
    const eq = a && (a.atom.kind === 'compare' && a.atom.op === '=' ? [a.atom.value] : a.atom.kind === 'in' ? a.atom.values : undefined);
    if (!a || !eq || (column !== undefined && (a.atom as { column: string }).column !== column) || (binding !== undefined && a.binding !== binding)) {
      return other(n, resolve, out);
    }
    column = (a.atom as { column: string }).column;
    binding = a.binding;
    values.push(...eq);
  }
  if (column && binding) push(out, binding, { kind: 'in', column, values }, nodeLocation(n));
}

/**
 * `(a, b) < ($1, $2)` (keyset pagination): a B-tree on (a, b) takes it as one index condition, which bounds
 * the first column (`a <= $1`) — the atom kept here; `(a, b) = (x, y)` is an equality on each column.
 * False when the left side is not columns of one table compared with as many values.
 */
function rowComparison(n: Node, op: string, resolve: ColumnResolver, out: Conjuncts): boolean {
  const e = n.A_Expr;
  const left: Node[] = e.lexpr.RowExpr.args ?? [];
  const right: Node[] | undefined = nodeType(e.rexpr) === 'RowExpr' ? (e.rexpr.RowExpr.args ?? []) : undefined;
  if (!right || left.length === 0 || left.length !== right.length) return false;
  const cols = left.map((x) => operand(x, resolve));
  const vals = right.map((x) => operand(x, resolve));
  const binding = cols[0]?.binding;
  if (!binding || cols.some((c) => !c?.column || c.binding !== binding) || vals.some((v) => !v?.literal)) return false;
  const loc = nodeLocation(n);
  const cmp = COMPARE[op];
  if (cmp === '=') {
    cols.forEach((c, i) => push(out, binding, { kind: 'compare', column: c!.column!, op: '=', value: vals[i]!.literal! }, loc));
    return true;
  }
  const bound = cmp === '<' || cmp === '<=' ? '<=' : '>=';
  const atom: PredicateAtom = { kind: 'compare', column: cols[0]!.column!, op: left.length > 1 ? bound : cmp, value: vals[0]!.literal! };
  if (left.length > 1) atom.rowBound = true;
  push(out, binding, atom, loc);
  return true;
}

/**
 * `column IN (SELECT c FROM t …)` with one table and one plain column selected: the semi-join's key. A LIMIT
 * in the sub-select keeps it a semi-join (convert_ANY_sublink_to_join() takes any uncorrelated sub-select; the
 * LIMIT only keeps it from being flattened): its few rows then drive, as in the queue pattern
 * `UPDATE jobs … WHERE id IN (SELECT id FROM jobs WHERE … ORDER BY … LIMIT n FOR UPDATE SKIP LOCKED)`. A
 * sub-select that names a table of the outer query is correlated: it stays a sub-plan, run for each outer row.
 */
function semiJoinKey(column: string, subselect: Node | undefined): { column: string; otherTable: string; otherColumn: string } | undefined {
  const sel = subselect?.SelectStmt;
  if (!sel || (sel.op && sel.op !== 'SETOP_NONE') || sel.groupClause || sel.withClause) return undefined;
  if (namesOuterTable(sel)) return undefined;
  const from: Node[] = sel.fromClause ?? [];
  const targets: Node[] = sel.targetList ?? [];
  if (from.length !== 1 || !from[0].RangeVar || targets.length !== 1) return undefined;
  const ref = columnRef(targets[0].ResTarget?.val);
  if (!ref?.column || ref.star) return undefined;
  return { column, otherTable: tableKey(from[0].RangeVar), otherColumn: ref.column };
}

/** Whether a column reference in the sub-select is qualified by a name none of its FROM items (at any depth) binds. */
function namesOuterTable(sel: Node): boolean {
  const bound = new Set<string>();
  walk(sel, (node, type) => {
    if (type === 'RangeVar') bound.add(node.RangeVar.alias?.aliasname ?? node.RangeVar.relname);
    else if (type === 'RangeSubselect' || type === 'RangeFunction') {
      const alias = node[type].alias?.aliasname;
      if (alias) bound.add(alias);
    }
  });
  let outer = false;
  walk(sel, (node, type) => {
    if (type !== 'ColumnRef') return !outer;
    const ref = columnRef(node);
    if (ref?.qualifier !== undefined && !bound.has(ref.qualifier)) outer = true;
    return !outer;
  });
  return outer;
}

/**
 * `EXISTS (SELECT … FROM t WHERE t.c = outer.d AND …)` with one table: the equalities that tie it to one
 * table of the outer query (qualified on both sides, so which side is which is certain), as semi-join keys.
 */
function existsSemiJoin(subselect: Node | undefined, resolve: ColumnResolver): { binding: string; keys: { column: string; otherTable: string; otherColumn: string }[] } | undefined {
  const sel = subselect?.SelectStmt;
  if (!sel || (sel.op && sel.op !== 'SETOP_NONE') || sel.limitCount || sel.groupClause || sel.withClause || sel.havingClause) return undefined;
  const from: Node[] = sel.fromClause ?? [];
  if (from.length !== 1 || !from[0].RangeVar) return undefined;
  const inner: string = from[0].RangeVar.alias?.aliasname ?? from[0].RangeVar.relname;
  const otherTable = tableKey(from[0].RangeVar);
  let binding: string | undefined;
  const keys: { column: string; otherTable: string; otherColumn: string }[] = [];
  // A condition tying the sides by anything but column = column (`o.id > u.org`) keeps the outer side driving:
  // PostgreSQL can't make the sub-select's rows distinct on such a condition (compute_semijoin_info()).
  const outerRef = (c: Node) => columnRefsIn(c).some((r) => r.column !== undefined && r.qualifier !== undefined && r.qualifier !== inner && resolve(r.qualifier, r.column) !== undefined);
  for (const c of splitAnd(sel.whereClause)) {
    const e = c.A_Expr;
    const key = e && e.kind === 'AEXPR_OP' && strings(e.name).join('.') === '=' ? correlationKey(e, inner) : undefined;
    if (!key) {
      if (outerRef(c)) return undefined;
      continue;
    }
    const { mine, theirs } = key;
    const b = resolve(theirs.qualifier!, theirs.column!);
    if (!b || (binding !== undefined && b !== binding)) return undefined;
    binding = b;
    keys.push({ column: theirs.column!, otherTable, otherColumn: mine.column! });
  }
  return binding && keys.length ? { binding, keys } : undefined;
}

/** `inner.col = outer.col` (either way round, no casts): the two column references, this side's first. */
function correlationKey(e: Node, inner: string): { mine: ColumnRefInfo; theirs: ColumnRefInfo } | undefined {
  const l = columnRef(e.lexpr);
  const r = columnRef(e.rexpr);
  if (!l?.column || !r?.column || !l.qualifier || !r.qualifier || stripCasts(e.lexpr) !== e.lexpr || stripCasts(e.rexpr) !== e.rexpr) return undefined;
  const [mine, theirs] = l.qualifier === inner ? [l, r] : r.qualifier === inner ? [r, l] : [undefined, undefined];
  if (!mine || !theirs || theirs.qualifier === inner) return undefined;
  return { mine, theirs };
}

/** Whether every atom is an equality (= or IN) on one and the same column: the OR is an IN list. */
function sameColumnEquality(atoms: PredicateAtom[]): boolean {
  const first = atoms[0];
  return atoms.every((a) => ((a.kind === 'compare' && a.op === '=') || a.kind === 'in') && first.kind !== 'other' && a.column === first.column);
}

/** The branches of an OR when each is one test (not an opaque one) of a column of the same table. */
function singleTestBranches(branches: Node[], resolve: ColumnResolver): { binding: string; atom: PredicateAtom }[] | undefined {
  const out: { binding: string; atom: PredicateAtom }[] = [];
  for (const br of branches) {
    const sub: Conjuncts = { atoms: [], joins: [], subqueries: [] };
    classify(br, resolve, sub);
    const a = sub.atoms.length === 1 && sub.joins.length === 0 && sub.subqueries.length === 0 ? sub.atoms[0] : undefined;
    if (!a || a.atom.kind === 'other' || (out.length && out[0].binding !== a.binding)) return undefined;
    out.push({ binding: a.binding, atom: a.atom });
  }
  return out.length > 1 ? out : undefined;
}

/** The branches of an OR when each is a LIKE/ILIKE test on a column of one table. */
function likeBranches(branches: Node[], resolve: ColumnResolver): { binding: string; column: string; caseInsensitive: boolean; pattern: Literal }[] | undefined {
  const out: { binding: string; column: string; caseInsensitive: boolean; pattern: Literal }[] = [];
  for (const br of branches) {
    const sub: Conjuncts = { atoms: [], joins: [], subqueries: [] };
    classify(br, resolve, sub);
    const a = sub.atoms.length === 1 ? sub.atoms[0] : undefined;
    if (!a || a.atom.kind !== 'like' || a.atom.negated) return undefined;
    if (out.length && out[0].binding !== a.binding) return undefined;
    out.push({ binding: a.binding, column: a.atom.column, caseInsensitive: a.atom.caseInsensitive, pattern: a.atom.pattern });
  }
  return out.length ? out : undefined;
}
