/**
 * Sub-selects in FROM and CTEs the way PostgreSQL's planner sees them before it chooses access paths:
 *
 * - A CTE that is read once (or is NOT MATERIALIZED), only reads, is not recursive and calls no volatile
 *   function is inlined where it is read, as a sub-select (PostgreSQL 12+, SS_process_ctes()).
 * - A simple sub-select is pulled up into the query that reads it (pull_up_subqueries(), is_simple_subquery()):
 *   one table, no GROUP BY, aggregate, DISTINCT, ORDER BY, LIMIT/OFFSET, window function, WITH or volatile
 *   output. Its table joins the outer query under the sub-select's alias, its WHERE filters that table (in the
 *   ON condition of an outer join that makes it nullable), and the outer query's references to its output
 *   columns read the table's own columns. So `SELECT * FROM (SELECT * FROM t WHERE a = 1) s WHERE s.b = $1`
 *   is planned, and analysed, as a read of t on a and b.
 * - Into a sub-select that stays one, the outer WHERE's conditions on its output columns are pushed down
 *   (set_subquery_pathlist(), subquery_is_pushdown_safe()): not past LIMIT/OFFSET, DISTINCT ON or a window
 *   function, not onto an aggregate, a volatile or a set-returning output, and not into a sub-select an outer
 *   join makes nullable; into every branch of a UNION / INTERSECT / EXCEPT.
 *
 * The parse tree is never changed (it may be cached): what changes is copied.
 */
import type { SchemaModel } from '../model/schema';
import { columnRef, type Node, walk } from '../sql/expr';
import { tableKey } from '../sql/identifiers';
import { splitAnd } from '../sql/predicates';

/** A CTE in scope: its query when PostgreSQL inlines it where it is read, undefined when it is materialized. */
export interface CteDef {
  inline?: Node;
  /** `WITH x(a, b) AS (…)`: names for its first output columns. */
  colnames?: Node[];
}
export type CteScope = Map<string, CteDef>;

/** Functions whose result may change from row to row (provolatile = 'v'): they keep a sub-select or CTE as is. */
const VOLATILE = new Set(['random', 'nextval', 'setval', 'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v4', 'clock_timestamp', 'timeofday', 'txid_current', 'pg_sleep', 'currval', 'lastval']);
/** Set-returning functions commonly found in target lists: a condition on their output is not pushed down. */
const SET_RETURNING = new Set(['unnest', 'generate_series', 'jsonb_array_elements', 'json_array_elements', 'jsonb_array_elements_text', 'json_array_elements_text', 'jsonb_each', 'json_each', 'jsonb_each_text', 'json_each_text', 'jsonb_object_keys', 'json_object_keys', 'regexp_split_to_table', 'regexp_matches', 'string_to_table', 'jsonb_to_recordset', 'json_to_recordset', 'jsonb_path_query']);
const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'json_agg', 'jsonb_agg', 'array_agg', 'string_agg', 'bool_and', 'bool_or', 'every', 'json_object_agg', 'jsonb_object_agg', 'bit_and', 'bit_or', 'stddev', 'variance', 'percentile_cont', 'percentile_disc', 'mode']);

const funcName = (n: Node): string => (n.FuncCall?.funcname ?? []).map((x: Node) => x.String?.sval).pop() ?? '';

/** Whether an expression calls one of `names` (or any window function, with `windows`), not looking into sub-selects. */
function calls(n: unknown, names: Set<string>, windows = false): boolean {
  let found = false;
  walk(n, (node, type) => {
    if (found || type === 'SubLink') return false;
    if (type === 'FuncCall' && (names.has(funcName(node)) || (windows && node.FuncCall.over))) found = true;
  });
  return found;
}

const hasSubLink = (n: unknown): boolean => {
  let found = false;
  walk(n, (_node, type) => {
    if (type === 'SubLink') found = true;
    return !found;
  });
  return found;
};

const columnNode = (qualifier: string, column: string, location: number): Node => ({
  ColumnRef: { fields: [{ String: { sval: qualifier } }, { String: { sval: column } }], location },
});

function and(parts: (Node | undefined)[]): Node | undefined {
  const args = parts.filter((p): p is Node => !!p);
  if (args.length <= 1) return args[0];
  return { BoolExpr: { boolop: 'AND_EXPR', args, location: -1 } };
}

/** A copy of `n` with every ColumnRef passed through `fn` (which returns a replacement or undefined); `enter` may stop at a node. */
function mapRefs(n: unknown, fn: (ref: Node) => Node | undefined, enter?: (node: Node, type: string) => ((ref: Node) => Node | undefined) | null | undefined): any {
  if (Array.isArray(n)) return n.map((x) => mapRefs(x, fn, enter));
  if (!n || typeof n !== 'object') return n;
  const node = n as Node;
  if (node.ColumnRef) return fn(node) ?? node;
  let f = fn;
  for (const k in node) {
    const c = k.charCodeAt(0);
    if (c >= 65 && c <= 90 && enter) {
      const next = enter(node, k);
      if (next === null) return node;
      if (next) f = next;
    }
  }
  let out: Node | undefined;
  for (const k in node) {
    const v = node[k];
    if (!v || typeof v !== 'object') continue;
    const m = mapRefs(v, f, enter);
    if (m !== v) (out ??= { ...node })[k] = m;
  }
  return out ?? node;
}

/** Every location in a copy of `n` set to `location`: an expression moved to where its output column is read. */
function relocate(n: unknown, location: number): any {
  if (Array.isArray(n)) return n.map((x) => relocate(x, location));
  if (!n || typeof n !== 'object') return n;
  const out: Node = {};
  for (const k in n as Node) {
    const v = (n as Node)[k];
    out[k] = k === 'location' && typeof v === 'number' ? location : relocate(v, location);
  }
  return out;
}

/** The aliases a FROM list binds (tables, sub-selects, functions), looking through joins. */
function boundAliases(from: Node[] | undefined, out = new Set<string>()): Set<string> {
  for (const f of from ?? []) {
    if (f.RangeVar) out.add(f.RangeVar.alias?.aliasname ?? f.RangeVar.relname);
    else if (f.RangeSubselect?.alias) out.add(f.RangeSubselect.alias.aliasname);
    else if (f.RangeFunction?.alias) out.add(f.RangeFunction.alias.aliasname);
    else if (f.JoinExpr) boundAliases([f.JoinExpr.larg, f.JoinExpr.rarg].filter(Boolean), out);
  }
  return out;
}

// ── CTEs ─────────────────────────────────────────────────────────────────────────────────────────

/** How often each name is read as a table in `n` (CTE references, not telling shadowing apart). */
function reads(n: unknown, names: Set<string>): Map<string, number> {
  const count = new Map<string, number>();
  walk(n, (node, type) => {
    if (type !== 'RangeVar') return;
    const rv = node.RangeVar;
    if (!rv.schemaname && names.has(rv.relname)) count.set(rv.relname, (count.get(rv.relname) ?? 0) + 1);
  });
  return count;
}

/**
 * The CTEs of `stmt`'s WITH clause added to `outer`, each with its query when PostgreSQL inlines it.
 * Calls `analyze` for the queries it does not inline, in order, with the CTEs declared before them.
 */
export function declareCtes(stmt: Node, outer: CteScope, analyze: (query: Node, scope: CteScope) => void): CteScope {
  const w = stmt.withClause;
  const ctes: Node[] = (w?.ctes ?? []).map((c: Node) => c.CommonTableExpr).filter(Boolean);
  if (ctes.length === 0) return outer;
  const names = new Set(ctes.map((c) => c.ctename as string));
  const count = reads(stmt, names);
  const scope: CteScope = new Map(outer);
  for (const cte of ctes) {
    const query: Node | undefined = cte.ctequery;
    const selfReference = w.recursive && (reads(query, new Set([cte.ctename])).get(cte.ctename) ?? 0) > 0;
    const n = count.get(cte.ctename) ?? 0;
    const inline =
      !!query?.SelectStmt &&
      !selfReference &&
      cte.ctematerialized !== 'CTEMaterializeAlways' &&
      (cte.ctematerialized === 'CTEMaterializeNever' ? n >= 1 : n === 1) &&
      !calls(query, VOLATILE) &&
      !modifies(query);
    scope.set(cte.ctename, { inline: inline ? query : undefined, colnames: cte.aliascolnames });
    if (!inline && query) analyze(query, scope);
  }
  return scope;
}

/** Whether a query holds a data-modifying CTE (which keeps it from being inlined). */
function modifies(query: Node): boolean {
  let found = false;
  walk(query, (_node, type) => {
    if (type === 'InsertStmt' || type === 'UpdateStmt' || type === 'DeleteStmt' || type === 'MergeStmt') found = true;
    return !found;
  });
  return found;
}

// ── Pull-up ──────────────────────────────────────────────────────────────────────────────────────

/** A sub-select pulled up: the table it reads, bound to the sub-select's alias, and what its output columns read. */
interface Pulled {
  alias: string;
  table: Node;
  where?: Node;
  outputs: Map<string, Node>;
  /** `SELECT *`: any column of the table is an output column of the same name. */
  star: boolean;
  /** The table's columns, when the schema knows them. */
  columns?: ReadonlyMap<string, unknown>;
}

type Ref = (ref: Node) => Node | undefined;

/** The sub-select `sub` read as `alias`, pulled up when PostgreSQL would. */
function pullable(sub: Node | undefined, alias: string, colnames: Node[] | undefined, ctes: CteScope, schema: SchemaModel | undefined): Pulled | undefined {
  const s = sub?.SelectStmt;
  if (!s || (s.op && s.op !== 'SETOP_NONE') || s.valuesLists || s.withClause || s.intoClause) return undefined;
  if (s.groupClause?.length || s.havingClause || s.sortClause?.length || s.limitCount || s.limitOffset || s.distinctClause || s.lockingClause?.length || s.windowClause?.length) return undefined;
  const from: Node[] = s.fromClause ?? [];
  const rv = from.length === 1 ? from[0].RangeVar : undefined;
  if (!rv || (!rv.schemaname && ctes.has(rv.relname)) || rv.alias?.colnames?.length) return undefined;
  const targets: Node[] = s.targetList ?? [];
  if (calls(targets, AGGREGATES, true) || calls(targets, VOLATILE) || calls(targets, SET_RETURNING)) return undefined;
  const inner = rv.alias?.aliasname ?? rv.relname;
  const columns = schema?.tables.get(tableKey(rv))?.columns;
  const own = (column: string) => !columns || columns.has(column);
  // The sub-select's references to its table, renamed to the alias the outer query reads it by.
  const renamed = (ref: Node, unqualified: boolean): Node | undefined => {
    const c = columnRef(ref);
    if (!c || c.star || !c.column) return undefined;
    if (c.qualifier === undefined ? unqualified && own(c.column) : c.qualifier === inner) return columnNode(alias, c.column, c.location);
    return undefined;
  };
  const requalify = (n: unknown) =>
    mapRefs(
      n,
      (ref) => renamed(ref, true),
      // A sub-select inside it names its own tables' columns unqualified, and may bind the table's name again.
      (node, type) => {
        if (type !== 'SelectStmt') return undefined;
        const bound = boundAliases(node.SelectStmt.fromClause);
        if (bound.has(inner)) return null;
        return bound.size > 0 ? (ref) => renamed(ref, false) : undefined;
      },
    );
  const outputs = new Map<string, Node>();
  let star = false;
  for (let i = 0; i < targets.length; i++) {
    const rt = targets[i].ResTarget;
    if (!rt?.val) return undefined;
    const ref = columnRef(rt.val);
    if (ref?.star) {
      if (ref.qualifier !== undefined && ref.qualifier !== inner) return undefined;
      if (colnames?.length) return undefined;
      star = true;
      continue;
    }
    const name: string | undefined = colnames?.[i]?.String?.sval ?? rt.name ?? ref?.column;
    if (name && !outputs.has(name)) outputs.set(name, requalify(rt.val));
  }
  const table = { RangeVar: { ...rv, alias: { aliasname: alias } } };
  return { alias, table, where: s.whereClause ? requalify(s.whereClause) : undefined, outputs, star, columns };
}

/** What a reference to a pulled-up sub-select's output column reads, placed where the reference is. */
function expand(p: Pulled, column: string, location: number): Node | undefined {
  const out = p.outputs.get(column);
  if (out) return out.ColumnRef ? { ColumnRef: { ...out.ColumnRef, location } } : relocate(out, location);
  if (p.star && (!p.columns || p.columns.has(column))) return columnNode(p.alias, column, location);
  return undefined;
}

export interface PulledStatement {
  /** The FROM items, with pulled-up sub-selects replaced by their tables and inlined CTEs by sub-selects. */
  from: Node[];
  where?: Node;
  /** Rewrites an expression of the statement (target list, ORDER BY, GROUP BY, HAVING…) for the pulled-up sub-selects. */
  rewrite<T>(n: T): T;
}

/**
 * The statement's FROM items and WHERE as PostgreSQL plans them (see the file comment); undefined when
 * nothing changes, which is the common case and costs one pass over the FROM items.
 */
export function pullUpSubqueries(from: Node[], where: Node | undefined, ctes: CteScope, schema: SchemaModel | undefined): PulledStatement | undefined {
  if (!from.some((f) => mayChange(f, ctes))) return undefined;
  const pulled = new Map<string, Pulled>();
  const qualified: Ref = (ref) => {
    const c = columnRef(ref);
    if (!c || c.star || !c.column || c.qualifier === undefined) return undefined;
    const p = pulled.get(c.qualifier);
    return p ? expand(p, c.column, c.location) : undefined;
  };
  // Nested sub-selects that bind a pulled alias again read their own; unqualified names there are theirs.
  const nested = (node: Node, type: string): Ref | null | undefined => {
    if (type !== 'SelectStmt') return undefined;
    const rebound = boundAliases(node.SelectStmt.fromClause);
    if (![...pulled.keys()].some((a) => rebound.has(a))) return rebound.size > 0 ? qualified : undefined;
    return (ref) => {
      const c = columnRef(ref);
      return c?.qualifier !== undefined && !rebound.has(c.qualifier) ? qualified(ref) : undefined;
    };
  };
  const conjuncts = splitAnd(where);
  const items: Node[] = [];
  let pending: (Node | undefined)[] = [];
  for (const f of from) {
    const r = rewriteItem(f, { pulled, ctes, schema, conjuncts, qualified, nested, allowPull: true, nullable: false, soleItem: from.length === 1 });
    items.push(r.item);
    pending = pending.concat(r.pending);
  }
  // Unqualified references to a pulled-up sub-select's output, when no other FROM item can have that column.
  const others = otherColumns(items, pulled, schema);
  const anyRef: Ref = (ref) => {
    const q = qualified(ref);
    if (q) return q;
    const c = columnRef(ref);
    if (!c || c.star || !c.column || c.qualifier !== undefined || !others || others.has(c.column)) return undefined;
    const owners = [...pulled.values()].filter((p) => p.outputs.has(c.column!) || (p.star && p.columns?.has(c.column!)));
    return owners.length === 1 ? expand(owners[0], c.column, c.location) : undefined;
  };
  const rewrite = <T>(n: T): T => mapRefs(n, anyRef, nested);
  return { from: items, where: and([rewrite(where), ...pending]), rewrite };
}

/** Whether a FROM item holds a sub-select or a CTE to inline. */
function mayChange(f: Node | undefined, ctes: CteScope): boolean {
  if (!f) return false;
  if (f.RangeSubselect) return true;
  if (f.RangeVar) return !f.RangeVar.schemaname && !!ctes.get(f.RangeVar.relname)?.inline;
  if (f.JoinExpr) return mayChange(f.JoinExpr.larg, ctes) || mayChange(f.JoinExpr.rarg, ctes);
  return false;
}

/**
 * The columns FROM items other than the pulled-up sub-selects may have; undefined when one of them is
 * unknown (no schema, a sub-select or function that stays): then unqualified names are left as they are.
 */
function otherColumns(items: Node[], pulled: Map<string, Pulled>, schema: SchemaModel | undefined): Set<string> | undefined {
  const out = new Set<string>();
  const tables = new Set([...pulled.values()].map((p) => p.table));
  let known = true;
  const visit = (f: Node | undefined) => {
    if (!f || !known) return;
    if (f.JoinExpr) {
      if (f.JoinExpr.usingClause || f.JoinExpr.isNatural) known = false;
      visit(f.JoinExpr.larg);
      visit(f.JoinExpr.rarg);
    } else if (f.RangeVar) {
      if (tables.has(f)) return;
      const cols = schema?.tables.get(tableKey(f.RangeVar))?.columns;
      if (!cols) known = false;
      else for (const c of cols.keys()) out.add(c);
    } else known = false;
  };
  for (const f of items) visit(f);
  return known ? out : undefined;
}

interface ItemContext {
  pulled: Map<string, Pulled>;
  ctes: CteScope;
  schema: SchemaModel | undefined;
  /** The outer WHERE's conjuncts, for pushdown. */
  conjuncts: Node[];
  qualified: Ref;
  nested: (node: Node, type: string) => Ref | null | undefined;
  /** False under a FULL join or a USING / NATURAL join, where a pulled-up WHERE would have no place to go. */
  allowPull: boolean;
  nullable: boolean;
  /** The item is the statement's only FROM item: unqualified names in the WHERE are its columns. */
  soleItem: boolean;
}

function rewriteItem(f: Node, ctx: ItemContext): { item: Node; pending: Node[] } {
  if (f.RangeVar) {
    const rv = f.RangeVar;
    const cte = rv.schemaname ? undefined : ctx.ctes.get(rv.relname);
    if (!cte?.inline) return { item: f, pending: [] };
    const alias = rv.alias?.aliasname ?? rv.relname;
    const colnames = rv.alias?.colnames ?? cte.colnames;
    return subselect(cte.inline, alias, colnames, false, ctx);
  }
  if (f.RangeSubselect) {
    const rs = f.RangeSubselect;
    if (!rs.alias?.aliasname) return { item: f, pending: [] };
    return subselect(rs.subquery, rs.alias.aliasname, rs.alias.colnames, !!rs.lateral, ctx);
  }
  if (f.JoinExpr) {
    const j = f.JoinExpr;
    const full = j.jointype === 'JOIN_FULL';
    const allowPull = ctx.allowPull && !full && !j.usingClause && !j.isNatural;
    const left = j.larg ? rewriteItem(j.larg, { ...ctx, allowPull, soleItem: false, nullable: ctx.nullable || full || j.jointype === 'JOIN_RIGHT' }) : undefined;
    const right = j.rarg ? rewriteItem(j.rarg, { ...ctx, allowPull, soleItem: false, nullable: ctx.nullable || full || j.jointype === 'JOIN_LEFT' }) : undefined;
    const quals = j.quals ? mapRefs(j.quals, ctx.qualified, ctx.nested) : undefined;
    const l = left?.pending ?? [];
    const r = right?.pending ?? [];
    // A pulled-up WHERE filters its table before the join: in the ON condition of a join that makes it nullable.
    let on: (Node | undefined)[] = [quals];
    let up: Node[] = [];
    if (j.jointype === 'JOIN_LEFT') [on, up] = [[quals, ...r], l];
    else if (j.jointype === 'JOIN_RIGHT') [on, up] = [[quals, ...l], r];
    else if (j.usingClause || j.isNatural) up = [...l, ...r];
    else on = [quals, ...l, ...r];
    const item = { JoinExpr: { ...j, larg: left?.item ?? j.larg, rarg: right?.item ?? j.rarg, quals: and(on) } };
    if (item.JoinExpr.quals === undefined) delete item.JoinExpr.quals;
    return { item, pending: up };
  }
  return { item: f, pending: [] };
}

/** A sub-select (or an inlined CTE) read as `alias`: pulled up, or kept with the outer conditions it can take. */
function subselect(query: Node | undefined, alias: string, colnames: Node[] | undefined, lateral: boolean, ctx: ItemContext): { item: Node; pending: Node[] } {
  // A LATERAL sub-select reads the FROM items before it, some of which may have been pulled up.
  const sub = lateral && query ? mapRefs(query, ctx.qualified, ctx.nested) : query;
  const p = ctx.allowPull && !ctx.pulled.has(alias) ? pullable(sub, alias, colnames, ctx.ctes, ctx.schema) : undefined;
  if (p) {
    ctx.pulled.set(alias, p);
    return { item: p.table, pending: p.where ? [p.where] : [] };
  }
  const pushed = ctx.nullable || !sub ? sub : pushDown(sub, alias, colnames, ctx);
  const alias_: Node = { aliasname: alias };
  if (colnames?.length) alias_.colnames = colnames;
  return { item: { RangeSubselect: { ...(lateral ? { lateral: true } : {}), subquery: pushed, alias: alias_ } }, pending: [] };
}

// ── Pushdown ─────────────────────────────────────────────────────────────────────────────────────

/**
 * What the output columns of a sub-select's branch read, by name (`names`, from the first branch) and position.
 * `*` stands for the columns of a single table by their own names, so it only passes a sub-select of one branch.
 */
function branchOutputs(s: Node, names: (string | undefined)[], single: boolean, schema: SchemaModel | undefined): ((column: string) => Node | undefined) | undefined {
  const byName = new Map<string, Node>();
  let star: { qualifier: string; columns?: ReadonlyMap<string, unknown> } | undefined;
  const targets: Node[] = s.targetList ?? [];
  for (let i = 0; i < targets.length; i++) {
    const val = targets[i].ResTarget?.val;
    if (!val) return undefined;
    const ref = columnRef(val);
    if (ref?.star) {
      const from: Node[] = s.fromClause ?? [];
      const rv = from.length === 1 ? from[0].RangeVar : undefined;
      if (!single || !rv || rv.alias?.colnames?.length) return undefined;
      const qualifier = rv.alias?.aliasname ?? rv.relname;
      if (ref.qualifier !== undefined && ref.qualifier !== qualifier) return undefined;
      star = { qualifier, columns: schema?.tables.get(tableKey(rv))?.columns };
      continue;
    }
    const name = names[i];
    if (name !== undefined && !byName.has(name)) byName.set(name, val);
  }
  return (column) => byName.get(column) ?? (star && (!star.columns || star.columns.has(column)) ? columnNode(star.qualifier, column, -1) : undefined);
}
/** The leaf SELECTs of a set operation (or the one SELECT), or undefined when a condition can't pass it. */
function branches(s: Node): Node[] | undefined {
  if (s.op && s.op !== 'SETOP_NONE') {
    const l = s.larg ? branches(s.larg) : undefined;
    const r = s.rarg ? branches(s.rarg) : undefined;
    return l && r && !s.sortClause?.length && !s.limitCount && !s.limitOffset ? [...l, ...r] : undefined;
  }
  if (s.valuesLists || s.limitCount || s.limitOffset || s.lockingClause?.length) return undefined;
  if (Array.isArray(s.distinctClause) && s.distinctClause.some((d: Node) => d && Object.keys(d).length > 0)) return undefined;
  if (calls(s.targetList, new Set(), true)) return undefined;
  return [s];
}

/** `sub` with the outer WHERE's conditions on its output columns added to each branch's WHERE. */
function pushDown(sub: Node, alias: string, colnames: Node[] | undefined, ctx: ItemContext): Node {
  const s = sub.SelectStmt;
  const leaves = s ? branches(s) : undefined;
  if (!leaves) return sub;
  const single = leaves.length === 1;
  // Output names come from the first branch (or the alias's column names); a later branch's outputs are matched by position.
  const names: (string | undefined)[] = (leaves[0].targetList ?? []).map((t: Node, i: number) => colnames?.[i]?.String?.sval ?? t.ResTarget?.name ?? columnRef(t.ResTarget?.val)?.column);
  const outputs = leaves.map((leaf) => branchOutputs(leaf, names, single, ctx.schema));
  if (outputs.some((o) => !o)) return sub;
  const nameOf = (ref: Node): string | undefined => {
    const c = columnRef(ref);
    if (!c || c.star || !c.column) return undefined;
    if (c.qualifier !== undefined ? c.qualifier !== alias : !ctx.soleItem) return undefined;
    return c.column;
  };
  const safe = (e: Node) => !calls(e, AGGREGATES, true) && !calls(e, VOLATILE) && !calls(e, SET_RETURNING) && !hasSubLink(e);
  const pushable = ctx.conjuncts.filter((q) => {
    if (hasSubLink(q) || calls(q, VOLATILE)) return false;
    let ok = true;
    let any = false;
    walk(q, (node, type) => {
      if (type !== 'ColumnRef') return;
      const name = nameOf(node);
      const read = name === undefined ? [] : outputs.map((o) => o!(name));
      if (name === undefined || !read.every((e) => e && safe(e))) ok = false;
      any = true;
    });
    return ok && any;
  });
  if (pushable.length === 0) return sub;
  const added = new Map<Node, Node[]>(
    leaves.map((leaf, b) => [
      leaf,
      pushable.map((q) =>
        mapRefs(q, (ref) => {
          const name = nameOf(ref);
          const e = name === undefined ? undefined : outputs[b]!(name);
          return e ? relocate(e, columnRef(ref)!.location) : undefined;
        }),
      ),
    ]),
  );
  const withConditions = (n: Node): Node => {
    const extra = added.get(n);
    if (extra) return { ...n, whereClause: and([n.whereClause, ...extra]) };
    return { ...n, larg: n.larg ? withConditions(n.larg) : n.larg, rarg: n.rarg ? withConditions(n.rarg) : n.rarg };
  };
  return { SelectStmt: withConditions(s) };
}
