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
 * Not modelled: pulling up a sub-select of several tables (it stays a sub-select; the outer conditions on its
 * columns are pushed into it when that is safe).
 *
 * The parse tree is never changed (it may be cached): what changes is copied.
 */
import type { SchemaModel } from '../model/schema';
import { AGGREGATE_FUNCTIONS, callsFunction, columnRef, exprText, type Node, VOLATILE_FUNCTIONS, walk } from '../sql/expr';
import { tableKey } from '../sql/identifiers';
import { splitAnd } from '../sql/predicates';

/** A CTE in scope: its query when PostgreSQL inlines it where it is read, undefined when it is materialized. */
export interface CteDef {
  inline?: Node;
  /** `WITH x(a, b) AS (…)`: names for its first output columns. */
  colnames?: Node[];
  /** The CTEs its query sees: those declared before it (all of its WITH, itself included, in WITH RECURSIVE). */
  scope: CteScope;
  /** Set once a FROM item inlines it; an inlined CTE never read from FROM is analysed where it is declared. */
  used?: boolean;
}
export type CteScope = Map<string, CteDef>;

/** Set-returning functions commonly found in target lists: a condition on their output is not pushed down. */
const SET_RETURNING = new Set(['unnest', 'generate_series', 'jsonb_array_elements', 'json_array_elements', 'jsonb_array_elements_text', 'json_array_elements_text', 'jsonb_each', 'json_each', 'jsonb_each_text', 'json_each_text', 'jsonb_object_keys', 'json_object_keys', 'regexp_split_to_table', 'regexp_matches', 'string_to_table', 'jsonb_to_recordset', 'json_to_recordset', 'jsonb_path_query']);

/**
 * Whether an expression calls one of `names` (or any window function, with `windows`); into sub-selects only with
 * `deep` (contain_volatile_functions() looks into them; an aggregate there is the sub-select's own).
 */
const calls = (n: unknown, names: ReadonlySet<string>, windows = false, deep = false): boolean => callsFunction(n, (name, call) => names.has(name) || (windows && !!call.over), deep);
const volatile = (n: unknown) => calls(n, VOLATILE_FUNCTIONS, false, true);

/** Whether a node of that type is below `n`. */
function holds(n: unknown, nodeType: string): boolean {
  let found = false;
  walk(n, (_node, type) => {
    if (type === nodeType) found = true;
    return !found;
  });
  return found;
}
const hasSubLink = (n: unknown) => holds(n, 'SubLink');

const columnNode = (qualifier: string, column: string, location: number): Node => ({
  ColumnRef: { fields: [{ String: { sval: qualifier } }, { String: { sval: column } }], location },
});

function and(parts: (Node | undefined)[]): Node | undefined {
  const args = parts.filter((p): p is Node => !!p);
  if (args.length <= 1) return args[0];
  return { BoolExpr: { boolop: 'AND_EXPR', args, location: -1 } };
}

type Ref = (ref: Node) => Node | undefined;
/** At a node of a parse tree: the Ref to use below it, null to leave it as it is, undefined to go on as before. */
type Enter = (node: Node, type: string) => Ref | null | undefined;

/** A copy of `n` with every ColumnRef passed through `fn` (which returns a replacement or undefined); `enter` may switch or stop at a node. */
function mapRefs(n: unknown, fn: Ref, enter?: Enter): any {
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
    // A sub-select keeps its own places: its findings point at its text.
    out[k] = k === 'location' && typeof v === 'number' ? location : k === 'SubLink' ? v : relocate(v, location);
  }
  return out;
}

/** The aliases a FROM list binds (tables, sub-selects, functions), looking through joins, in order. */
function boundAliases(from: Node[] | undefined, out = new Set<string>()): Set<string> {
  for (const f of from ?? []) {
    if (f.RangeVar) out.add(f.RangeVar.alias?.aliasname ?? f.RangeVar.relname);
    else if (f.RangeSubselect?.alias) out.add(f.RangeSubselect.alias.aliasname);
    else if (f.RangeFunction?.alias) out.add(f.RangeFunction.alias.aliasname);
    else if (f.JoinExpr) boundAliases([f.JoinExpr.larg, f.JoinExpr.rarg].filter(Boolean), out);
  }
  return out;
}

/** The aliases a SELECT binds; for a set operation, those of every branch (each a scope of its own). */
function selectBinds(s: Node | undefined, out = new Set<string>()): Set<string> {
  if (!s) return out;
  if (s.op && s.op !== 'SETOP_NONE') {
    selectBinds(s.larg, out);
    selectBinds(s.rarg, out);
    return out;
  }
  return boundAliases(s.fromClause, out);
}

/** The columns a SELECT's FROM items may have, when they are all tables the schema knows; else undefined. */
function fromColumns(s: Node, schema: SchemaModel | undefined): Set<string> | undefined {
  if (!schema || (s.op && s.op !== 'SETOP_NONE')) return undefined;
  const out = new Set<string>();
  const visit = (f: Node | undefined): boolean => {
    if (!f) return true;
    if (f.JoinExpr) return visit(f.JoinExpr.larg) && visit(f.JoinExpr.rarg);
    const cols = f.RangeVar ? schema.tables.get(tableKey(f.RangeVar))?.columns : undefined;
    if (!cols) return false;
    for (const c of cols.keys()) out.add(c);
    return true;
  };
  return (s.fromClause ?? []).every(visit) ? out : undefined;
}

// ── CTEs ─────────────────────────────────────────────────────────────────────────────────────────

/** How often each name is read as a table in `n` (CTE references, not telling a nested WITH's names apart). */
function reads(n: unknown, names: Set<string>): Map<string, number> {
  const count = new Map<string, number>();
  walk(n, (node, type) => {
    if (type !== 'RangeVar') return;
    const rv = node.RangeVar;
    if (!rv.schemaname && names.has(rv.relname)) count.set(rv.relname, (count.get(rv.relname) ?? 0) + 1);
  });
  return count;
}

export interface DeclaredCtes {
  scope: CteScope;
  /** Analyses the inlined CTEs no FROM item read (a CTE read in a VALUES list or an ORDER BY's sub-select). */
  done(): void;
}

/**
 * The CTEs of `stmt`'s WITH clause added to `outer`, each with its query when PostgreSQL inlines it.
 * Calls `analyze` for the queries it does not inline, in order, each with the CTEs its query sees.
 */
export function declareCtes(stmt: Node, outer: CteScope, analyze: (query: Node, scope: CteScope) => void): DeclaredCtes {
  const w = stmt.withClause;
  const ctes: Node[] = (w?.ctes ?? []).map((c: Node) => c.CommonTableExpr).filter(Boolean);
  if (ctes.length === 0) return { scope: outer, done: () => undefined };
  const recursive = !!w.recursive;
  const main = { ...stmt, withClause: undefined };
  const scope: CteScope = new Map(outer);
  const declared: CteDef[] = [];
  const defs = ctes.map(() => ({}) as CteDef);
  // In WITH RECURSIVE every query sees every CTE of the clause; otherwise only those before it.
  if (recursive) ctes.forEach((cte, i) => scope.set(cte.ctename, defs[i]));
  ctes.forEach((cte, i) => {
    const name: string = cte.ctename;
    const query: Node | undefined = cte.ctequery;
    const sees: CteScope = recursive ? scope : new Map(scope);
    // Read by the statement and by the queries that see it (not by its own, unless recursive).
    let n = reads(main, new Set([name])).get(name) ?? 0;
    ctes.forEach((other, j) => {
      if (j !== i && (recursive || j > i)) n += reads(other.ctequery, new Set([name])).get(name) ?? 0;
    });
    const selfReference = recursive && (reads(query, new Set([name])).get(name) ?? 0) > 0;
    const inline =
      !!query?.SelectStmt &&
      !selfReference &&
      cte.ctematerialized !== 'CTEMaterializeAlways' &&
      (cte.ctematerialized === 'CTEMaterializeNever' ? n >= 1 : n === 1) &&
      !volatile(query) &&
      !modifies(query);
    Object.assign(defs[i], { inline: inline ? query : undefined, colnames: cte.aliascolnames, scope: sees });
    scope.set(name, defs[i]);
    if (inline) declared.push(defs[i]);
    else if (query) analyze(query, sees);
  });
  return {
    scope,
    done: () => {
      for (const d of declared) if (!d.used && d.inline) analyze(d.inline, d.scope);
    },
  };
}

/** Whether a query holds a data-modifying CTE (which keeps it from being inlined). */
const modifies = (query: Node) => ['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt'].some((t) => holds(query, t));

/** Whether every table name `query` reads means the same in both scopes (the CTE it names, or no CTE). */
function sameNames(query: Node, a: CteScope, b: CteScope): boolean {
  let same = true;
  walk(query, (node, type) => {
    if (type !== 'RangeVar' || node.RangeVar.schemaname) return;
    if (a.get(node.RangeVar.relname) !== b.get(node.RangeVar.relname)) same = false;
    return same;
  });
  return same;
}

// ── Sub-selects kept as sub-selects ──────────────────────────────────────────────────────────────

/** Sub-selects this pass made or already settled: the CTEs their query sees, and no second pass over them. */
const settled = new WeakMap<Node, CteScope | undefined>();

/** The CTEs a sub-select's query sees, when that is not the statement's (an inlined CTE's query sees those declared before it). */
export function subselectScope(item: Node): CteScope | undefined {
  return settled.get(item);
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

/** Whether a pulled-up sub-select has an output column of that name, as far as is known (undefined: not known). */
function exposes(p: Pulled, column: string): boolean | undefined {
  if (p.outputs.has(column)) return true;
  if (!p.star) return false;
  return p.columns ? p.columns.has(column) : undefined;
}

/** A sub-select's own sub-selects in FROM pulled up first (pull_up_subqueries() works from the inside out). */
function flattened(sub: Node | undefined, ctes: CteScope, schema: SchemaModel | undefined): Node | undefined {
  const s = sub?.SelectStmt;
  if (!s || (s.op && s.op !== 'SETOP_NONE') || s.valuesLists || s.withClause) return sub;
  const p = pullUpSubqueries(s.fromClause ?? [], s.whereClause, ctes, schema);
  if (!p) return sub;
  const { targetList, sortClause, groupClause, havingClause, distinctClause } = s;
  return { SelectStmt: { ...s, fromClause: p.from, whereClause: p.where, ...p.rewrite({ targetList, sortClause, groupClause, havingClause, distinctClause }) } };
}

/** The sub-select `sub` read as `alias`, pulled up when PostgreSQL would. */
function pullable(sub: Node | undefined, alias: string, colnames: Node[] | undefined, ctes: CteScope, schema: SchemaModel | undefined, nullable: boolean): Pulled | undefined {
  const s = sub?.SelectStmt;
  if (!s || (s.op && s.op !== 'SETOP_NONE') || s.valuesLists || s.withClause || s.intoClause) return undefined;
  if (s.groupClause?.length || s.havingClause || s.sortClause?.length || s.limitCount || s.limitOffset || s.distinctClause || s.lockingClause?.length || s.windowClause?.length) return undefined;
  const from: Node[] = s.fromClause ?? [];
  const rv = from.length === 1 ? from[0].RangeVar : undefined;
  if (!rv || (!rv.schemaname && ctes.has(rv.relname)) || rv.alias?.colnames?.length) return undefined;
  const targets: Node[] = s.targetList ?? [];
  if (calls(targets, AGGREGATE_FUNCTIONS, true) || volatile(targets) || calls(targets, SET_RETURNING)) return undefined;
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
        const bound = selectBinds(node.SelectStmt);
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
    // On the nullable side of an outer join PostgreSQL makes an output that reads no column NULL for a row with
    // no match (a PlaceHolderVar); written in place of the reference, it would not be.
    if (nullable && !holds(rt.val, 'ColumnRef')) return undefined;
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

/** `p.*` of a pulled-up sub-select without `*` of its own: its output columns (so an index-only scan stays possible). */
function expandStar(p: Pulled, location: number): Node {
  return { RowExpr: { args: [...p.outputs.keys()].map((c) => expand(p, c, location)), location } };
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
export function pullUpSubqueries(from: Node[], where: Node | undefined, ctes: CteScope, schema: SchemaModel | undefined, target?: string): PulledStatement | undefined {
  if (!from.some((f) => mayChange(f, ctes))) return undefined;
  const pulled = new Map<string, Pulled>();
  const items: Node[] = [];
  const qualified: Ref = (ref) => {
    const c = columnRef(ref);
    if (!c || c.qualifier === undefined) return undefined;
    const p = pulled.get(c.qualifier);
    if (!p) return undefined;
    if (c.star) return p.star ? undefined : expandStar(p, c.location);
    return c.column ? expand(p, c.column, c.location) : undefined;
  };
  // An unqualified name is a pulled-up sub-select's output when exactly one of them has it (two FROM items with
  // the column would make it ambiguous, an error), and none may have it without the schema saying so.
  const unqualified: Ref = (ref) => {
    const c = columnRef(ref);
    if (!c || c.qualifier !== undefined) return undefined;
    if (c.star) {
      if (![...pulled.values()].some((p) => !p.star)) return undefined;
      const args = [...boundAliases(items)].map((a) => {
        const p = pulled.get(a);
        return p && !p.star ? expandStar(p, c.location) : { ColumnRef: { fields: [{ String: { sval: a } }, { A_Star: {} }], location: c.location } };
      });
      return { RowExpr: { args, location: c.location } };
    }
    if (!c.column) return undefined;
    const seen = [...pulled.values()].map((p) => [p, exposes(p, c.column!)] as const);
    if (seen.some(([, e]) => e === undefined)) return undefined;
    const owners = seen.filter(([, e]) => e);
    return owners.length === 1 ? expand(owners[0][0], c.column, c.location) : undefined;
  };
  const anyRef: Ref = (ref) => qualified(ref) ?? unqualified(ref);
  // In a nested sub-select, unqualified names are its own tables' columns, unless the schema says they have none
  // of that name; and a sub-select that binds a pulled alias again reads its own.
  const nested: Enter = (node, type) => {
    if (type !== 'SelectStmt') return undefined;
    const s = node.SelectStmt;
    const rebound = selectBinds(s);
    if (rebound.size === 0) return undefined;
    const own = fromColumns(s, schema);
    return (ref) => {
      const c = columnRef(ref);
      if (!c) return undefined;
      if (c.qualifier !== undefined) return rebound.has(c.qualifier) ? undefined : qualified(ref);
      return own && c.column && !own.has(c.column) ? unqualified(ref) : undefined;
    };
  };
  const rewrite = <T>(n: T): T => mapRefs(n, anyRef, nested);
  const ctx: ItemContext = { pulled, ctes, schema, conjuncts: splitAnd(where), level: boundAliases(from, new Set(target === undefined ? [] : [target])), qualified, nested, later: [], allowPull: true, nullable: false, soleItem: from.length === 1 && target === undefined };
  let pending: (Node | undefined)[] = [];
  for (const f of from) {
    const r = rewriteItem(f, ctx);
    items.push(r.item);
    pending = pending.concat(r.pending);
  }
  // ON conditions once every pulled-up sub-select is known (they may name any of them, unqualified too).
  for (const fill of ctx.later) fill(rewrite);
  return { from: items, where: and([rewrite(where), ...pending]), rewrite };
}

/** Whether a FROM item holds a sub-select or a CTE to inline. */
function mayChange(f: Node | undefined, ctes: CteScope): boolean {
  if (!f) return false;
  if (f.RangeSubselect) return !settled.has(f);
  if (f.RangeVar) return !f.RangeVar.schemaname && !!ctes.get(f.RangeVar.relname)?.inline;
  if (f.JoinExpr) return mayChange(f.JoinExpr.larg, ctes) || mayChange(f.JoinExpr.rarg, ctes);
  return false;
}

interface ItemContext {
  pulled: Map<string, Pulled>;
  ctes: CteScope;
  schema: SchemaModel | undefined;
  /** The outer WHERE's conjuncts, for pushdown. */
  conjuncts: Node[];
  /** The aliases this query's FROM binds: a name qualified by another is an outer query's (a parameter here). */
  level: Set<string>;
  qualified: Ref;
  nested: Enter;
  /** Fills in a join's ON condition once the statement's rewrite is known. */
  later: ((rewrite: <T>(n: T) => T) => void)[];
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
    cte.used = true;
    const alias = rv.alias?.aliasname ?? rv.relname;
    // `FROM x y(c)` renames the first of the CTE's own column names.
    const names: Node[] = [...(cte.colnames ?? [])];
    (rv.alias?.colnames ?? []).forEach((c: Node, i: number) => (names[i] = c));
    return subselect(cte.inline, alias, names.length ? names : undefined, false, ctx, cte.scope);
  }
  if (f.RangeSubselect) {
    const rs = f.RangeSubselect;
    if (!rs.alias?.aliasname || settled.has(f)) return { item: f, pending: [] };
    return subselect(rs.subquery, rs.alias.aliasname, rs.alias.colnames, !!rs.lateral, ctx, undefined);
  }
  if (f.JoinExpr) {
    const j = f.JoinExpr;
    const full = j.jointype === 'JOIN_FULL';
    const using = !!(j.usingClause || j.isNatural);
    const allowPull = ctx.allowPull && !full && !using;
    const left = j.larg ? rewriteItem(j.larg, { ...ctx, allowPull, soleItem: false, nullable: ctx.nullable || full || j.jointype === 'JOIN_RIGHT' }) : undefined;
    const right = j.rarg ? rewriteItem(j.rarg, { ...ctx, allowPull, soleItem: false, nullable: ctx.nullable || full || j.jointype === 'JOIN_LEFT' }) : undefined;
    const l = left?.pending ?? [];
    const r = right?.pending ?? [];
    // A pulled-up WHERE filters its table before the join: in the ON condition of a join that makes it nullable.
    let on: Node[] = [];
    let up: Node[] = [];
    if (j.jointype === 'JOIN_LEFT') [on, up] = [r, l];
    else if (j.jointype === 'JOIN_RIGHT') [on, up] = [l, r];
    else if (using) up = [...l, ...r];
    else on = [...l, ...r];
    const item: Node = { JoinExpr: { ...j, larg: left?.item ?? j.larg, rarg: right?.item ?? j.rarg } };
    delete item.JoinExpr.quals;
    ctx.later.push((rewrite) => {
      const quals = and([j.quals ? rewrite(j.quals) : undefined, ...on]);
      if (quals) item.JoinExpr.quals = quals;
    });
    return { item, pending: up };
  }
  return { item: f, pending: [] };
}

/**
 * A sub-select (or an inlined CTE, whose query sees `ctes`) read as `alias`: pulled up, or kept with the outer
 * conditions it can take.
 */
function subselect(query: Node | undefined, alias: string, colnames: Node[] | undefined, lateral: boolean, ctx: ItemContext, ctes: CteScope | undefined): { item: Node; pending: Node[] } {
  const sees = ctes ?? ctx.ctes;
  // A LATERAL sub-select reads the FROM items before it, some of which may have been pulled up.
  const written = lateral && query ? mapRefs(query, ctx.qualified, ctx.nested) : query;
  const sub = flattened(written, sees, ctx.schema);
  // Merged into this statement, the query's table names would be read with this statement's CTEs.
  const p = ctx.allowPull && !ctx.pulled.has(alias) && (!ctes || !sub || sameNames(sub, ctes, ctx.ctes)) ? pullable(sub, alias, colnames, sees, ctx.schema, ctx.nullable) : undefined;
  if (p) {
    ctx.pulled.set(alias, p);
    return { item: p.table, pending: p.where ? [p.where] : [] };
  }
  // Conditions pushed into the query as written travel on into the sub-selects it keeps when it is flattened; a
  // query whose outputs are only known once flattened (`*` over a sub-select) takes them one level down.
  let pushed = sub;
  if (!ctx.nullable && written && sub) {
    const first = pushDown(written, alias, colnames, ctx);
    pushed = first !== written ? flattened(first, sees, ctx.schema) : pushDown(sub, alias, colnames, ctx);
  }
  const named: Node = { aliasname: alias };
  if (colnames?.length) named.colnames = colnames;
  const item = { RangeSubselect: { ...(lateral ? { lateral: true } : {}), subquery: pushed, alias: named } };
  settled.set(item, ctes);
  return { item, pending: [] };
}

// ── Pushdown ─────────────────────────────────────────────────────────────────────────────────────

/** The leaf SELECTs of a set operation (or the one SELECT), or undefined when no condition can pass it. */
function branches(s: Node): Node[] | undefined {
  if (s.op && s.op !== 'SETOP_NONE') {
    const l = s.larg ? branches(s.larg) : undefined;
    const r = s.rarg ? branches(s.rarg) : undefined;
    return l && r && !s.sortClause?.length && !s.limitCount && !s.limitOffset ? [...l, ...r] : undefined;
  }
  if (s.valuesLists || s.limitCount || s.limitOffset || s.lockingClause?.length) return undefined;
  // Grouping sets make a grouping column NULL in some rows: a condition on it stays above them.
  if ((s.groupClause ?? []).some((g: Node) => g.GroupingSet)) return undefined;
  return [s];
}

/** The PARTITION BY lists of a SELECT's window functions; undefined when one can't be read (a window named in WINDOW that is not found). */
function partitionLists(s: Node): Node[][] | undefined {
  const windows = new Map<string, Node>((s.windowClause ?? []).map((w: Node) => [w.WindowDef?.name, w.WindowDef]));
  const lists: Node[][] = [];
  let ok = true;
  walk(s.targetList, (node, type) => {
    if (type === 'SubLink') return false;
    if (type !== 'FuncCall' || !node.FuncCall.over) return;
    const over = node.FuncCall.over;
    const def = over.name ? windows.get(over.name) : over.refname ? windows.get(over.refname) : over;
    if (!def) ok = false;
    else lists.push(def.partitionClause ?? []);
  });
  return ok ? lists : undefined;
}

/**
 * What the output columns of a sub-select's branch read, by name (`names`, from the first branch) and position,
 * with whether a condition may be pushed onto each (check_output_expressions(): not an aggregate, window function,
 * volatile or set-returning output, and under DISTINCT ON or window functions only a DISTINCT ON expression or
 * one in every PARTITION BY). `*` stands for the columns of the FROM items' tables by their own names, so it only
 * passes a sub-select of one branch.
 */
function branchOutputs(s: Node, names: (string | undefined)[], single: boolean, renamed: boolean, schema: SchemaModel | undefined): ((column: string) => Node | undefined) | undefined {
  const byName = new Map<string, Node>();
  const stars: StarSource[] = [];
  const targets: Node[] = s.targetList ?? [];
  for (let i = 0; i < targets.length; i++) {
    const val = targets[i].ResTarget?.val;
    if (!val) return undefined;
    const ref = columnRef(val);
    if (ref?.star) {
      // Positions after a `*` are not known: only a lone SELECT, not renamed by position, is read by name.
      const more = single && !renamed ? starSources(s.fromClause ?? [], ref.qualifier, schema) : undefined;
      if (!more) return undefined;
      stars.push(...more);
      continue;
    }
    const name = names[i];
    if (name !== undefined && !byName.has(name)) byName.set(name, val);
  }
  const fromStar = (column: string): Node | undefined => {
    const owners = stars.filter((t) => !t.columns || t.columns.has(column));
    // A name two tables share is ambiguous outside; a table of unknown columns is taken only when it is the only one.
    if (owners.length !== 1 || (!owners[0].columns && stars.length > 1)) return undefined;
    return columnNode(owners[0].qualifier, column, -1);
  };
  const distinctOn: Node[] = Array.isArray(s.distinctClause) ? s.distinctClause.filter((d: Node) => d && Object.keys(d).length > 0) : [];
  const partitions = partitionLists(s);
  if (!partitions) return undefined;
  const texts = (list: Node[]) => new Set(list.map((n) => exprText(n)));
  const kept = [...(distinctOn.length ? [texts(distinctOn)] : []), ...partitions.map(texts)];
  const safe = (e: Node) => !calls(e, AGGREGATE_FUNCTIONS, true) && !volatile(e) && !calls(e, SET_RETURNING) && !hasSubLink(e) && kept.every((k) => k.has(exprText(e)));
  return (column) => {
    const e = byName.get(column) ?? fromStar(column);
    return e && safe(e) ? e : undefined;
  };
}

/** A table whose columns a `*` stands for: read as `qualifier.column`; its columns when the schema knows them. */
interface StarSource {
  qualifier: string;
  columns?: ReadonlyMap<string, unknown>;
}

/** The tables `*` (or `qualifier.*`) of a SELECT with these FROM items stands for; undefined when one is not a plain table. */
function starSources(from: Node[], qualifier: string | undefined, schema: SchemaModel | undefined): StarSource[] | undefined {
  const out: StarSource[] = [];
  const visit = (f: Node | undefined): boolean => {
    if (!f) return true;
    // USING and NATURAL merge columns; a sub-select's or a function's columns are not known here.
    if (f.JoinExpr) return !f.JoinExpr.usingClause && !f.JoinExpr.isNatural && visit(f.JoinExpr.larg) && visit(f.JoinExpr.rarg);
    const rv = f.RangeVar;
    if (!rv || rv.alias?.colnames?.length) return qualifier !== undefined && !boundAliases([f]).has(qualifier);
    const alias = rv.alias?.aliasname ?? rv.relname;
    if (qualifier === undefined || alias === qualifier) out.push({ qualifier: alias, columns: schema?.tables.get(tableKey(rv))?.columns });
    return true;
  };
  return from.every(visit) && out.length > 0 ? out : undefined;
}

/** `sub` with the outer WHERE's conditions on its output columns added to each branch's WHERE. */
function pushDown(sub: Node, alias: string, colnames: Node[] | undefined, ctx: ItemContext): Node {
  const s = sub.SelectStmt;
  const leaves = s ? branches(s) : undefined;
  if (!leaves) return sub;
  const single = leaves.length === 1;
  // Output names come from the first branch (or the alias's column names); a later branch's outputs are matched by position.
  const names: (string | undefined)[] = (leaves[0].targetList ?? []).map((t: Node, i: number) => colnames?.[i]?.String?.sval ?? t.ResTarget?.name ?? columnRef(t.ResTarget?.val)?.column);
  const outputs = leaves.map((leaf) => branchOutputs(leaf, names, single, !!colnames?.length, ctx.schema));
  if (outputs.some((o) => !o)) return sub;
  /** The sub-select's output a reference names; null for an outer query's column (a parameter to it); undefined for anything else. */
  const nameOf = (ref: Node): string | null | undefined => {
    const c = columnRef(ref);
    if (!c || c.star || !c.column) return undefined;
    if (c.qualifier === undefined) return ctx.soleItem ? c.column : undefined;
    if (c.qualifier === alias) return c.column;
    return ctx.level.has(c.qualifier) ? undefined : null;
  };
  // An outer query's table named again inside a branch would be read as that branch's own.
  const inside = new Set(leaves.flatMap((leaf) => [...selectBinds(leaf)]));
  const pushable = ctx.conjuncts.filter((q) => {
    if (hasSubLink(q) || volatile(q)) return false;
    let ok = true;
    let mine = false;
    walk(q, (node, type) => {
      if (type !== 'ColumnRef') return;
      const name = nameOf(node);
      if (name === null) {
        if (inside.has(columnRef(node)!.qualifier!)) ok = false;
        return;
      }
      if (name === undefined || !outputs.every((o) => o!(name))) ok = false;
      mine = true;
    });
    return ok && mine;
  });
  if (pushable.length === 0) return sub;
  const added = new Map<Node, Node[]>(
    leaves.map((leaf, b) => [
      leaf,
      pushable.map((q) =>
        mapRefs(q, (ref) => {
          const name = nameOf(ref);
          const e = name ? outputs[b]!(name) : undefined;
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
