/**
 * Reads of a view that are not SQL (a Prisma Client call on a `view` model) as reads of its table, the way
 * PostgreSQL plans them: the rewriter puts the view's query in the statement and the planner pulls a simple
 * one up, so the call's conditions, sort and columns reach the table under the table's own column names, and
 * the view's WHERE filters it. Simple means what pull_up_subqueries() pulls up: one table, no GROUP BY,
 * aggregate, DISTINCT, LIMIT/OFFSET, window, WITH, set operation or sub-select; a condition on a column the
 * view computes is a condition on its expression. Other views are left as they are.
 * SQL reads of a view are expanded where the SQL is read (fromSql.ts), with the sub-select machinery.
 */
import type { PredicateAtom } from '../model/predicate';
import type { LocatedAtom, QueryShape, TableAccess } from '../model/query';
import type { SchemaModel, ViewDef } from '../model/schema';
import { columnRef, columnRefsIn, exprText, type Node, walk } from '../sql/expr';
import { tableKey } from '../sql/identifiers';
import { predicateAtoms } from '../sql/predicates';
import { figureColname } from '../sql/columnNames';

interface SimpleView {
  table: string;
  /** View column → the table's column. */
  columns: Map<string, string>;
  /**
   * View column → the expression it computes over the table's columns, as a condition names it (the text an
   * expression index is matched by), and the columns it reads.
   */
  computed: Map<string, { expression: string; reads: string[] }>;
  /** The view's own conditions, on the table's columns. */
  where: PredicateAtom[];
}

const simpleViews = new WeakMap<ViewDef, SimpleView | null>();

function simpleView(view: ViewDef, schema: SchemaModel): SimpleView | undefined {
  let v = simpleViews.get(view);
  if (v === undefined) simpleViews.set(view, (v = readSimpleView(view, schema) ?? null));
  return v ?? undefined;
}

function readSimpleView(view: ViewDef, schema: SchemaModel): SimpleView | undefined {
  const sel = view.query.SelectStmt;
  if (!sel || (sel.op && sel.op !== 'SETOP_NONE') || sel.groupClause || sel.havingClause || sel.distinctClause || sel.limitCount || sel.limitOffset || sel.withClause || sel.windowClause) return undefined;
  const from: Node[] = sel.fromClause ?? [];
  if (from.length !== 1 || !from[0].RangeVar) return undefined;
  const table = tableKey(from[0].RangeVar);
  const base = schema.tables.get(table);
  if (!base) return undefined;
  let nested = false;
  walk([sel.targetList, sel.whereClause], (_n, type) => {
    if (type === 'SubLink' || type === 'WindowFunc') nested = true;
    if (type === 'FuncCall' && _n.FuncCall.over) nested = true;
    return !nested;
  });
  if (nested) return undefined;
  const names: string[] = [];
  const sources: (string | { expression: string; reads: string[] })[] = [];
  for (const t of sel.targetList ?? []) {
    const r = t.ResTarget;
    const ref = columnRef(r?.val);
    if (ref?.star) {
      for (const c of base.columns.keys()) {
        names.push(c);
        sources.push(c);
      }
      continue;
    }
    const column = ref?.column;
    // PostgreSQL names a computed column after its function (`lower`), or `?column?`.
    const name: string | undefined = r?.name ?? figureColname(r?.val) ?? '?column?';
    if (!name) return undefined;
    names.push(name);
    if (column && ref && !ref.star && r?.val?.ColumnRef) {
      if (!base.columns.has(column)) return undefined;
      sources.push(column);
    } else {
      const reads = columnRefsIn(r?.val).map((c) => c.column).filter((c): c is string => c !== undefined);
      sources.push({ expression: exprText(r?.val), reads: [...new Set(reads)] });
    }
  }
  (view.colnames ?? []).forEach((c, i) => {
    const renamed = c.String?.sval;
    if (renamed && i < names.length) names[i] = renamed;
  });
  const columns = new Map<string, string>();
  const computed = new Map<string, { expression: string; reads: string[] }>();
  names.forEach((n, i) => {
    const src = sources[i];
    if (typeof src === 'string') columns.set(n, src);
    else computed.set(n, src);
  });
  const alias = from[0].RangeVar.alias?.aliasname ?? from[0].RangeVar.relname;
  const where = predicateAtoms(sel.whereClause, () => alias).atoms.filter((a) => a.binding === alias).map((a) => a.atom);
  return { table, columns, computed, where };
}

/** `x` with every `column` and `columns` entry mapped; undefined when one has no mapping. */
function renamed<T>(x: T, map: (c: string) => string | undefined): T | undefined {
  if (Array.isArray(x)) {
    const out: unknown[] = [];
    for (const y of x) {
      const m = renamed(y, map);
      if (m === undefined) return undefined;
      out.push(m);
    }
    return out as T;
  }
  if (!x || typeof x !== 'object') return x;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) {
    if (k === 'column' && typeof v === 'string') {
      const c = map(v);
      if (c === undefined) return undefined;
      out[k] = c;
    } else if (k === 'columns' && Array.isArray(v) && v.every((c) => typeof c === 'string')) {
      const cs = v.map(map);
      if (cs.some((c) => c === undefined)) return undefined;
      out[k] = cs;
    } else if (k === 'range') out[k] = v;
    else {
      const m = renamed(v, map);
      if (m === undefined && v !== undefined) return undefined;
      out[k] = m;
    }
  }
  return out as T;
}

/** The shape with its reads of simple views made reads of their tables; the shape itself when it reads none. */
export function throughViews(shape: QueryShape, schema: SchemaModel): QueryShape {
  const views = schema.views;
  if (!views?.size) return shape;
  const expanded = new Map<string, SimpleView>();
  for (const a of shape.accesses) {
    if (schema.tables.has(a.table) || expanded.has(a.table)) continue;
    const view = views.get(a.table);
    const simple = view && simpleView(view, schema);
    if (simple) expanded.set(a.table, simple);
  }
  if (expanded.size === 0) return shape;
  const accesses = shape.accesses.map((a) => {
    const v = expanded.get(a.table);
    const own = v ? (c: string) => v.columns.get(c) : (c: string) => c;
    // A condition on a computed column is a condition on its expression (an expression index serves it).
    const inCondition = v ? (c: string) => v.columns.get(c) ?? v.computed.get(c)?.expression : own;
    // Reading a computed column reads the columns its expression does.
    const reads = (cs: string[]): string[] | undefined => {
      const out: string[] = [];
      for (const c of cs) {
        const col = own(c);
        if (col !== undefined) out.push(col);
        else if (v?.computed.has(c)) out.push(...v.computed.get(c)!.reads);
        else return undefined;
      }
      return [...new Set(out)];
    };
    const keys = a.joinKeys.flatMap((k) => {
      const other = expanded.get(k.otherTable);
      const column = own(k.column);
      const otherColumn = other ? other.columns.get(k.otherColumn) : k.otherColumn;
      return column !== undefined && otherColumn !== undefined ? [{ ...k, column, otherTable: other?.table ?? k.otherTable, otherColumn }] : [];
    });
    const joinedFrom = a.joinedFrom !== undefined ? (expanded.get(a.joinedFrom)?.table ?? a.joinedFrom) : undefined;
    if (!v) return keys.length === a.joinKeys.length && joinedFrom === a.joinedFrom && a.joinKeys.every((k, i) => k === keys[i]) ? a : { ...a, joinKeys: keys, joinedFrom };
    const predicates: LocatedAtom[] = [];
    for (const p of a.predicates) {
      const atom = renamed(p.atom, inCondition);
      if (atom) predicates.push({ ...p, atom });
    }
    for (const atom of v.where) predicates.push({ atom });
    const orderBy = a.orderBy.map((o) => ({ ...o, column: own(o.column) }));
    const sorted = orderBy.every((o) => o.column !== undefined);
    const columnsRead = reads(a.columnsRead === '*' ? [...v.columns.keys(), ...v.computed.keys()] : a.columnsRead) ?? '*';
    const access: TableAccess = {
      ...a,
      table: v.table,
      alias: a.alias ?? a.table,
      predicates,
      joinKeys: keys,
      joinedFrom,
      orderBy: sorted ? (orderBy as TableAccess['orderBy']) : [],
      groupBy: a.groupBy.flatMap((c) => (own(c) === undefined ? [] : [own(c)!])),
      columnsRead,
    };
    if (!sorted) access.orderByUnsatisfiable = `ORDER BY sorts on a column view "${a.table}" computes`;
    const outputs = a.outputColumns && reads(a.outputColumns);
    if (a.outputColumns) {
      if (outputs) access.outputColumns = outputs;
      else delete access.outputColumns;
    }
    return access;
  });
  return { ...shape, accesses };
}
