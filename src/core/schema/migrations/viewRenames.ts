/**
 * Views follow what they read: PostgreSQL binds a view to its tables and columns, not to their names, so a
 * table or column renamed after the view was created is renamed in the view's query too; and a view's own
 * columns can be renamed (ALTER VIEW … RENAME COLUMN). The parse trees are copied, never changed.
 */
import type { SchemaModel, ViewDef } from '../../model/schema';
import { columnRef, type Node } from '../../sql/expr';
import { tableKey } from '../../sql/identifiers';

/** A copy of `node` with `fn` applied to each `{Type: …}` node, bottom-up (fn returns the node to keep). */
function mapNodes(node: unknown, fn: (n: Node) => Node): unknown {
  if (Array.isArray(node)) return node.map((x) => mapNodes(x, fn));
  if (!node || typeof node !== 'object') return node;
  const out: Node = {};
  for (const [k, v] of Object.entries(node as Node)) out[k] = mapNodes(v, fn);
  return fn(out);
}

/** The names (alias, else table name) the view's query binds `table` to, in any of its FROM clauses. */
function namesOf(query: Node, table: string): Set<string> {
  const names = new Set<string>();
  mapNodes(query, (n) => {
    if (n.RangeVar && tableKey(n.RangeVar) === table) names.add(n.RangeVar.alias?.aliasname ?? n.RangeVar.relname);
    return n;
  });
  return names;
}

/** `query` reading `to` where it read table `from` (`to`: the new bare name; the schema stays); undefined when it does not read it. */
function tableRenamedIn(query: Node, from: string, to: string): Node | undefined {
  if (namesOf(query, from).size === 0) return undefined;
  return mapNodes(query, (n) => {
    if (!n.RangeVar || tableKey(n.RangeVar) !== from) return n;
    // The query's column references keep naming the table as they did: by an alias, else by the old name.
    const alias = n.RangeVar.alias ?? { aliasname: n.RangeVar.relname };
    return { RangeVar: { ...n.RangeVar, relname: to, alias } };
  }) as Node;
}

/** The stored queries that follow renames: each view's, and each materialized view's (what a REFRESH runs). */
function eachStoredQuery(schema: SchemaModel, rename: (query: Node) => Node | undefined): void {
  for (const [name, v] of schema.views ?? []) {
    const query = rename(v.query);
    if (query) schema.views!.set(name, { ...v, query });
  }
  // A new table object: a history's snapshots share the old one.
  for (const [key, t] of schema.tables) {
    const query = t.materialized?.query && rename(t.materialized.query);
    if (query) schema.tables.set(key, { ...t, materialized: { ...t.materialized!, query } });
  }
}

/** Every view (and materialized view) reading table `from` reads `to` instead (`to`: the new bare name; the schema stays). */
export function renameTableInViews(schema: SchemaModel, from: string, to: string): void {
  eachStoredQuery(schema, (query) => tableRenamedIn(query, from, to));
}

/**
 * Column `from` of `table` is `to` in every view (and materialized view) reading it: references qualified by the
 * table's name in the view, or unqualified in a query whose only table it is. A view column named after it keeps its name.
 */
export function renameColumnInViews(schema: SchemaModel, table: string, from: string, to: string): void {
  eachStoredQuery(schema, (query) => columnRenamedIn(query, table, from, to));
}

function columnRenamedIn(viewQuery: Node, table: string, from: string, to: string): Node | undefined {
  const names = namesOf(viewQuery, table);
  if (names.size === 0) return undefined;
  let changed = false;
  const renameRef = (n: Node, soleTable: boolean): Node => {
    const ref = columnRef(n);
    if (!ref || ref.star || ref.column !== from) return n;
    if (ref.qualifier !== undefined ? !names.has(ref.qualifier) : !soleTable) return n;
    changed = true;
    const fields = [...n.ColumnRef.fields];
    fields[fields.length - 1] = { String: { sval: to } };
    return { ColumnRef: { ...n.ColumnRef, fields } };
  };
  const query = mapNodes(viewQuery, (n) => {
    if (!n.SelectStmt) return n;
    const sel = n.SelectStmt;
    const from_: Node[] = sel.fromClause ?? [];
    const soleTable = from_.length === 1 && !!from_[0].RangeVar && tableKey(from_[0].RangeVar) === table;
    const targetList = (sel.targetList ?? []).map((t: Node) => {
      const r = t.ResTarget;
      if (!r?.val?.ColumnRef) return t;
      const val = renameRef(r.val, soleTable);
      // The view's column was named after the table's: it keeps the name.
      return val === r.val ? t : { ResTarget: { ...r, val, name: r.name ?? from } };
    });
    const renameIn = (x: unknown) => mapNodes(x, (m) => (m.ColumnRef ? renameRef(m, soleTable) : m));
    return { SelectStmt: { ...sel, targetList, whereClause: renameIn(sel.whereClause), fromClause: renameIn(sel.fromClause), sortClause: renameIn(sel.sortClause), groupClause: renameIn(sel.groupClause) } };
  }) as Node;
  return changed ? query : undefined;
}

/** The view with its own column `from` named `to`; undefined when it has no such column. */
export function renameViewColumn(view: ViewDef, from: string, to: string): ViewDef | undefined {
  const colnames = view.colnames?.map((c) => c.String?.sval);
  const at = colnames?.indexOf(from) ?? -1;
  if (at >= 0) return { ...view, colnames: view.colnames!.map((c, i) => (i === at ? { String: { sval: to } } : c)) };
  const sel = view.query.SelectStmt;
  let found = false;
  const targetList = (sel?.targetList ?? []).map((t: Node, i: number) => {
    const r = t.ResTarget;
    if (found || (colnames && i < colnames.length)) return t;
    const named = r?.name ?? columnRef(r?.val)?.column;
    if (named !== from) return t;
    found = true;
    return { ResTarget: { ...r, name: to } };
  });
  return found ? { ...view, query: { SelectStmt: { ...sel, targetList } } } : undefined;
}
