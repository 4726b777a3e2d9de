/** The names PostgreSQL gives the output columns of a SELECT written without AS (parse_target.c). */
import { columnRef, funcCallName, type Node, strings } from './expr';

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
