/**
 * The columns of the relation a CREATE TABLE … AS or CREATE MATERIALIZED VIEW makes: its SELECT's output, named
 * as PostgreSQL names them (sql/columnNames.ts) and typed as far as the schema tells. A `*` over a
 * table of the schema expands to its columns; over anything else (a view, a sub-select, a function) the columns
 * are not all known, and `complete` says so. No column is NOT NULL: PostgreSQL copies no constraint.
 */
import type { ColumnDef, SchemaModel, TableDef } from '../../model/schema';
import { figureColname } from '../../sql/columnNames';
import { columnRef, funcCallName, type Node, strings } from '../../sql/expr';
import { tableKey } from '../../sql/identifiers';
import { typeNameText } from './columnTypes';

export interface SelectColumns {
  columns: ColumnDef[];
  /** False when a `*` reads something whose columns the schema does not know. */
  complete: boolean;
}

/**
 * The tables of a SELECT's FROM clause by the names a column reference may qualify them with, in FROM order. What
 * renames or merges columns — a WITH query of the same name, an alias's column list, a JOIN … USING or NATURAL JOIN
 * (one column for both sides) — counts as unknown: a `*` over it is not written out.
 */
function fromTables(sel: Node | undefined, schema: SchemaModel): { names: string[]; table?: TableDef }[] {
  const out: { names: string[]; table?: TableDef }[] = [];
  const ctes = new Set<string>((sel?.withClause?.ctes ?? []).map((c: Node) => c.CommonTableExpr?.ctename).filter(Boolean));
  const visit = (n: Node | undefined) => {
    if (!n) return;
    if (n.JoinExpr) {
      visit(n.JoinExpr.larg);
      visit(n.JoinExpr.rarg);
      if (n.JoinExpr.usingClause?.length || n.JoinExpr.isNatural) out.push({ names: [] });
    } else if (n.RangeVar) {
      const rv = n.RangeVar;
      const renamed = (!rv.schemaname && ctes.has(rv.relname)) || rv.alias?.colnames?.length;
      out.push({ names: [rv.alias?.aliasname ?? rv.relname], table: renamed ? undefined : schema.tables.get(tableKey(rv)) });
    } else {
      // A sub-select, a function, VALUES: its columns are not read here.
      const alias = n.RangeSubselect?.alias?.aliasname ?? n.RangeFunction?.alias?.aliasname;
      out.push({ names: alias ? [alias] : [] });
    }
  };
  for (const n of sel?.fromClause ?? []) visit(n);
  return out;
}

/** What the schema tells of an output expression's type; `unknown` when it does not. */
function typeOf(n: Node | undefined, column: (qualifier: string | undefined, name: string) => ColumnDef | undefined): { type: string; enumName?: string } {
  const ref = columnRef(n);
  if (ref?.column) {
    const c = column(ref.qualifier, ref.column);
    if (c) return { type: c.type, ...(c.enumName ? { enumName: c.enumName } : {}) };
  }
  if (n?.TypeCast) return { type: typeNameText(n.TypeCast.typeName) };
  if (n?.FuncCall) {
    const name = funcCallName(n);
    if (name === 'count') return { type: 'bigint' };
    if ((name === 'min' || name === 'max') && n.FuncCall.args?.length === 1) return typeOf(n.FuncCall.args[0], column);
  }
  return { type: 'unknown' };
}

/**
 * `query` (a SelectStmt node) with each `*` and `t.*` of its select list written out as the columns it stands for
 * now, as PostgreSQL stores a view: a column added to the table later is not in the view, and one renamed keeps the
 * view's name (see viewRenames.ts). A `*` over something the schema does not know stays.
 */
export function withStarsExpanded(query: Node, schema: SchemaModel): Node {
  const sel = query.SelectStmt;
  if (!sel?.targetList?.some((t: Node) => columnRef(t.ResTarget?.val)?.star)) return query;
  const tables = fromTables(sel, schema);
  const targetList = sel.targetList.flatMap((t: Node) => {
    const ref = columnRef(t.ResTarget?.val);
    if (!ref?.star) return [t];
    const read = tables.filter((x) => ref.qualifier === undefined || x.names.includes(ref.qualifier));
    if (read.length === 0 || read.some((x) => !x.table || x.names.length === 0)) return [t];
    return read.flatMap((x) =>
      [...x.table!.columns.keys()].map((c) => ({ ResTarget: { val: { ColumnRef: { fields: [{ String: { sval: x.names[0] } }, { String: { sval: c } }], location: -1 } }, location: -1 } })),
    );
  });
  return { SelectStmt: { ...sel, targetList } };
}

/**
 * The output columns of `query` (a SelectStmt node; a set operation takes its first branch's names, as PostgreSQL
 * does), renamed by `colNames` (`CREATE MATERIALIZED VIEW v (a, b) AS …`) from the first on.
 */
export function selectColumns(query: Node | undefined, schema: SchemaModel, colNames?: Node[]): SelectColumns {
  let sel = query?.SelectStmt;
  while (sel && sel.op && sel.op !== 'SETOP_NONE') sel = sel.larg;
  const columns: ColumnDef[] = [];
  let complete = !!sel;
  if (sel?.valuesLists?.length) {
    const width = sel.valuesLists[0]?.List?.items?.length ?? 0;
    for (let i = 1; i <= width; i++) columns.push({ name: `column${i}`, type: 'unknown', nullable: true });
  }
  const tables = fromTables(sel, schema);
  const column = (qualifier: string | undefined, name: string): ColumnDef | undefined => {
    for (const t of tables) if (t.table && (qualifier === undefined || t.names.includes(qualifier))) {
      const c = t.table.columns.get(name);
      if (c) return c;
    }
    return undefined;
  };
  for (const target of sel?.targetList ?? []) {
    const r = target.ResTarget;
    const ref = columnRef(r?.val);
    if (ref?.star) {
      for (const t of tables.filter((x) => ref.qualifier === undefined || x.names.includes(ref.qualifier))) {
        if (!t.table) complete = false;
        else for (const c of t.table.columns.values()) columns.push({ name: c.name, type: c.type, nullable: true, ...(c.enumName ? { enumName: c.enumName } : {}) });
      }
      continue;
    }
    columns.push({ name: r?.name ?? figureColname(r?.val) ?? '?column?', nullable: true, ...typeOf(r?.val, column) });
  }
  strings(colNames).forEach((name, i) => {
    if (columns[i]) columns[i] = { ...columns[i], name };
  });
  return { columns, complete };
}
