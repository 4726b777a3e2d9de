/** Small readers over libpg-query AST nodes (`{ NodeType: {…} }` objects). */
import type { Literal } from '../model/predicate';

export type Node = Record<string, any>;

export function nodeType(n: Node | undefined): string | undefined {
  return n ? Object.keys(n)[0] : undefined;
}

export function inner(n: Node | undefined, type: string): any {
  return n?.[type];
}

export function strings(list: Node[] | undefined): string[] {
  return (list ?? []).map((x) => x.String?.sval ?? '').filter((s) => s !== '');
}

/** The option `name` of a statement's options (a DefElem list: `WITH (…)`, a function's clauses, an aggregate's definition). */
export function defElem(options: Node[] | undefined, name: string): Node | undefined {
  return options?.find((o) => o.DefElem?.defname === name)?.DefElem;
}

/** A column reference: `[qualifier?, column]`, or `star` for `*` / `t.*`, or a whole-row alias reference. */
export interface ColumnRefInfo {
  qualifier?: string;
  column?: string;
  star: boolean;
  location: number;
}

export function columnRef(n: Node | undefined): ColumnRefInfo | undefined {
  const c = n?.ColumnRef;
  if (!c) return undefined;
  const fields: Node[] = c.fields ?? [];
  const names = fields.map((f) => f.String?.sval as string | undefined);
  const star = fields.some((f) => 'A_Star' in f);
  const location = c.location ?? -1;
  if (star) return { qualifier: names.length > 1 ? names[names.length - 2] : undefined, star: true, location };
  if (names.length === 1) return { column: names[0], star: false, location };
  return { qualifier: names[names.length - 2], column: names[names.length - 1], star: false, location };
}

/** Strips casts on a value side: `'x'::"Role"`, `$1::text`. */
export function stripCasts(n: Node | undefined): Node | undefined {
  let cur = n;
  while (cur?.TypeCast) cur = cur.TypeCast.arg;
  while (cur?.CollateClause) cur = cur.CollateClause.arg;
  return cur;
}

/** A literal, a parameter, or (for anything else) an expression value; undefined when it reads a column. */
export function literalOf(n: Node | undefined): Literal | undefined {
  const v = stripCasts(n);
  if (!v) return undefined;
  if (v.A_Const) {
    const a = v.A_Const;
    if (a.isnull) return { kind: 'null' };
    if ('sval' in a) return { kind: 'string', value: a.sval.sval ?? '' };
    if ('ival' in a) return { kind: 'number', value: a.ival.ival ?? 0 };
    if ('fval' in a) return { kind: 'number', value: Number(a.fval.fval) };
    if ('boolval' in a) return { kind: 'bool', value: a.boolval.boolval === true };
    if ('bsval' in a) return { kind: 'string', value: a.bsval.bsval ?? '' };
    return { kind: 'expr', text: '?' };
  }
  if (v.ParamRef) return { kind: 'param' };
  return undefined;
}

export function opName(n: Node): string {
  return strings(n.name).join('.');
}

/** Visits every node below `n` (objects and arrays), calling `fn` for each `{Type: …}` node. */
export function walk(n: unknown, fn: (node: Node, type: string) => boolean | void): void {
  if (Array.isArray(n)) {
    for (const x of n) walk(x, fn);
    return;
  }
  if (!n || typeof n !== 'object') return;
  const node = n as Node;
  // for…in over the parser's plain objects: Object.keys would allocate an array per node.
  for (const k in node) {
    const v = node[k];
    if (!v || typeof v !== 'object') continue; // nothing below a scalar
    const c = k.charCodeAt(0);
    if (c >= 65 && c <= 90 && !Array.isArray(v)) {
      // A `{Type: …}` node (node types start with an upper-case letter).
      if (fn(node, k) === false) continue;
    }
    walk(v, fn);
  }
}

/** Aggregate functions: a call of one without OVER aggregates the rows of its query. */
export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set(['count', 'sum', 'avg', 'min', 'max', 'json_agg', 'jsonb_agg', 'array_agg', 'string_agg', 'bool_and', 'bool_or', 'every', 'json_object_agg', 'jsonb_object_agg', 'bit_and', 'bit_or', 'stddev', 'variance', 'percentile_cont', 'percentile_disc', 'mode']);

/** Functions whose result may change from call to call (provolatile = 'v'), among those queries and defaults commonly call. */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set(['random', 'clock_timestamp', 'timeofday', 'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'nextval', 'setval', 'currval', 'lastval', 'txid_current', 'setseed', 'gen_random_bytes', 'pg_sleep']);

/** A function call's name without its schema. */
/** A FuncCall's function name, and its schema when the call names one (`app.f(…)`). */
export function funcCallQualifiedName(n: Node): { name: string; schema?: string } {
  const parts = strings(n.FuncCall?.funcname);
  const name = parts.pop() ?? '';
  return parts.length ? { name, schema: parts.pop() } : { name };
}

export function funcCallName(n: Node): string {
  return (n.FuncCall?.funcname ?? []).map((x: Node) => x.String?.sval).pop() ?? '';
}

/** Whether a function call below `n` passes `test`; into sub-selects only with `intoSubSelects`. */
export function callsFunction(n: unknown, test: (name: string, call: Node) => boolean, intoSubSelects = false): boolean {
  let found = false;
  walk(n, (node, type) => {
    if (found || (type === 'SubLink' && !intoSubSelects)) return false;
    if (type === 'FuncCall' && test(funcCallName(node), node.FuncCall)) found = true;
  });
  return found;
}

/** Column references below a node, not descending into sub-selects. */
export function columnRefsIn(n: unknown): ColumnRefInfo[] {
  const out: ColumnRefInfo[] = [];
  walk(n, (node, type) => {
    if (type === 'SubLink' || type === 'SelectStmt') return false;
    if (type === 'ColumnRef') {
      const c = columnRef(node);
      if (c) out.push(c);
    }
  });
  return out;
}

/** Compact SQL text for an expression, for messages and expression-index matching. */
export function exprText(n: Node | undefined): string {
  if (!n) return '';
  const t = nodeType(n);
  const v = t ? n[t] : undefined;
  switch (t) {
    case 'ColumnRef': {
      const c = columnRef(n)!;
      if (c.star) return c.qualifier ? `${c.qualifier}.*` : '*';
      return c.column!;
    }
    case 'A_Const': {
      const l = literalOf(n);
      if (!l) return '?';
      if (l.kind === 'string') return `'${l.value.replace(/'/g, "''")}'`;
      if (l.kind === 'number') return String(l.value);
      if (l.kind === 'bool') return String(l.value);
      return 'NULL';
    }
    case 'ParamRef':
      return `$${v.number ?? '?'}`;
    case 'TypeCast':
      return `${exprText(v.arg)}::${strings(v.typeName?.names).filter((s) => s !== 'pg_catalog').join('.')}`;
    case 'FuncCall': {
      const name = strings(v.funcname).filter((s) => s !== 'pg_catalog').join('.');
      const args = v.agg_star ? '*' : (v.args ?? []).map(exprText).join(', ');
      return `${name}(${args})`;
    }
    case 'CoalesceExpr':
      return `coalesce(${(v.args ?? []).map(exprText).join(', ')})`;
    case 'A_Expr': {
      const op = opName(v);
      if (v.kind === 'AEXPR_OP') {
        return v.lexpr ? `(${exprText(v.lexpr)} ${op} ${exprText(v.rexpr)})` : `(${op} ${exprText(v.rexpr)})`;
      }
      if (v.kind === 'AEXPR_OP_ANY' || v.kind === 'AEXPR_OP_ALL') return `(${exprText(v.lexpr)} ${op} ${v.kind === 'AEXPR_OP_ANY' ? 'ANY' : 'ALL'} (${exprText(v.rexpr)}))`;
      return `(${exprText(v.lexpr)} ${op} ${exprText(v.rexpr)})`;
    }
    case 'List':
      return (v.items ?? []).map(exprText).join(', ');
    case 'A_ArrayExpr':
      return `ARRAY[${(v.elements ?? []).map(exprText).join(', ')}]`;
    case 'BoolExpr': {
      const args = (v.args ?? []).map(exprText);
      if (v.boolop === 'NOT_EXPR') return `NOT ${args[0]}`;
      return `(${args.join(v.boolop === 'AND_EXPR' ? ' AND ' : ' OR ')})`;
    }
    case 'NullTest':
      return `${exprText(v.arg)} IS ${v.nulltesttype === 'IS_NULL' ? '' : 'NOT '}NULL`;
    case 'SQLValueFunction':
      return String(v.op ?? '').replace(/^SVFOP_/, '').toLowerCase();
    case 'RowExpr':
      return `(${(v.args ?? []).map(exprText).join(', ')})`;
    case 'CollateClause':
      return `${exprText(v.arg)} COLLATE "${strings(v.collname).join('.')}"`;
    case 'BooleanTest':
      return `${exprText(v.arg)} IS ${String(v.booltesttype ?? '').replace(/^IS_/, '').replace('_', ' ')}`;
    case 'SubLink':
      return v.subLinkType === 'EXISTS_SUBLINK' ? 'EXISTS (subquery)' : v.testexpr ? `${exprText(v.testexpr)} IN (subquery)` : '(subquery)';
    case 'CaseExpr':
      return 'CASE … END';
    case 'MinMaxExpr':
      return `${v.op === 'IS_GREATEST' ? 'greatest' : 'least'}(${(v.args ?? []).map(exprText).join(', ')})`;
    default:
      return t ?? '?';
  }
}

export function intOf(n: Node | undefined): number | 'param' | undefined {
  const l = literalOf(n);
  if (!l) return n ? 'param' : undefined;
  if (l.kind === 'number') return l.value;
  if (l.kind === 'null') return undefined;
  return 'param';
}

/**
 * Expression text normalised for comparing an index's expression key (as the catalog prints it) with a
 * query's expression: casts of string constants dropped (`'simple'::regconfig` is how pg_get_indexdef
 * prints the `'simple'` a query writes), implicit casts of a column to text (`lower((email)::text)` for a
 * varchar column), identifier quotes, white space and letter case ignored.
 */
export function normalizeExprText(text: string): string {
  return text
    .replace(/('(?:[^']|'')*')::(?:"[^"]+"|[a-z_][a-z0-9_.]*)(?:\[\])?/gi, '$1')
    .replace(/"([a-z_][a-z0-9_]*)"/gi, '$1')
    .replace(/\(([a-z_][a-z0-9_]*)\)::(?:text|varchar|character varying)\b/gi, '$1')
    .replace(/\b([a-z_][a-z0-9_]*)::(?:text|varchar|character varying)\b/gi, '$1')
    .replace(/\s+/g, '')
    .toLowerCase();
}

/** A copy of a parse tree with every `location` unknown (-1). */
export function withoutLocations<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutLocations) as T;
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'location' && typeof v === 'number' ? -1 : withoutLocations(v);
  return out as T;
}
