/**
 * The columns of the relation a CREATE TABLE … AS or CREATE MATERIALIZED VIEW makes: its SELECT's output, named
 * as PostgreSQL names them (FigureColname in parse_target.c) and typed as far as the schema tells. A `*` over a
 * table of the schema expands to its columns; over anything else (a view, a sub-select, a function) the columns
 * are not all known, and `complete` says so. No column is NOT NULL: PostgreSQL copies no constraint.
 */
import type { ColumnDef, SchemaModel, TableDef } from '../../model/schema';
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

/**
 * The name PostgreSQL gives an output column written without AS (FigureColnameInternal), with its strength: 2 for a
 * column's or function's name (or `array`, `row`…), 1 for `case` or a cast's type, 0 for none ("?column?"). A cast keeps a strong
 * inner name, else takes its type's; a CASE takes its ELSE's strong name, else `case`.
 */
function figure(n: Node | undefined): [string | undefined, number] {
  if (!n) return [undefined, 0];
  const ref = columnRef(n);
  if (ref) return ref.column ? [ref.column, 2] : [undefined, 0];
  if (n.FuncCall) return [funcCallName(n), 2];
  if (n.TypeCast) {
    const inner = figure(n.TypeCast.arg);
    return inner[1] > 1 ? inner : [strings(n.TypeCast.typeName?.names).pop() ?? inner[0], 1];
  }
  if (n.CollateClause) return figure(n.CollateClause.arg);
  if (n.A_Indirection) {
    // The last field name, past any subscripts (`(c).f[1]` is f).
    const field = [...(n.A_Indirection.indirection ?? [])].reverse().find((x: Node) => x.String)?.String?.sval;
    return field ? [field, 2] : figure(n.A_Indirection.arg);
  }
  if (n.CaseExpr) {
    const otherwise = figure(n.CaseExpr.defresult);
    return otherwise[1] > 1 ? otherwise : ['case', 1];
  }
  if (n.A_Expr?.kind === 'AEXPR_NULLIF') return ['nullif', 2];
  if (n.A_ArrayExpr) return ['array', 2];
  if (n.RowExpr) return ['row', 2];
  if (n.CoalesceExpr) return ['coalesce', 2];
  if (n.MinMaxExpr) return [n.MinMaxExpr.op === 'IS_LEAST' ? 'least' : 'greatest', 2];
  if (n.GroupingFunc) return ['grouping', 2];
  if (n.XmlExpr) return [XML_FUNCTIONS[n.XmlExpr.op as string], 2];
  if (n.SQLValueFunction) return [SQL_VALUE_FUNCTIONS[n.SQLValueFunction.op as string], 2];
  if (n.SubLink) {
    const kind = n.SubLink.subLinkType;
    if (kind === 'EXISTS_SUBLINK') return ['exists', 2];
    if (kind === 'ARRAY_SUBLINK') return ['array', 2];
    if (kind === 'EXPR_SUBLINK') {
      const first = n.SubLink.subselect?.SelectStmt?.targetList?.[0]?.ResTarget;
      return first?.name ? [first.name, 2] : figure(first?.val);
    }
  }
  return [undefined, 0];
}

/** The name PostgreSQL gives an output column written without AS; undefined for "?column?". */
export function figureColname(n: Node | undefined): string | undefined {
  return figure(n)[0];
}

const XML_FUNCTIONS: Record<string, string> = {
  IS_XMLCONCAT: 'xmlconcat',
  IS_XMLELEMENT: 'xmlelement',
  IS_XMLFOREST: 'xmlforest',
  IS_XMLPARSE: 'xmlparse',
  IS_XMLPI: 'xmlpi',
  IS_XMLROOT: 'xmlroot',
  IS_XMLSERIALIZE: 'xmlserialize',
  IS_DOCUMENT: '?column?',
};

const SQL_VALUE_FUNCTIONS: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'current_date',
  SVFOP_CURRENT_TIME: 'current_time',
  SVFOP_CURRENT_TIME_N: 'current_time',
  SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
  SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp',
  SVFOP_LOCALTIME: 'localtime',
  SVFOP_LOCALTIME_N: 'localtime',
  SVFOP_LOCALTIMESTAMP: 'localtimestamp',
  SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
  SVFOP_CURRENT_ROLE: 'current_role',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_SESSION_USER: 'session_user',
  SVFOP_USER: 'user',
  SVFOP_CURRENT_CATALOG: 'current_catalog',
  SVFOP_CURRENT_SCHEMA: 'current_schema',
};

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
