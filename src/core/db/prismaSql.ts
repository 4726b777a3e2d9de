/**
 * Prisma Client call shape → the SQL statements Prisma ORM 5/6 sends to PostgreSQL.
 *
 * It lets the database features handle Prisma calls like SQL: EXPLAIN and what-if need a statement,
 * and the slow-query mapping needs the text pg_stat_statements records for the call. The format is
 * the one of Prisma's query engine (the default `engineType` of Prisma 5 and 6, built on quaint's
 * PostgreSQL visitor):
 *
 * - every identifier is quoted and fully qualified: `"public"."users"."role"`;
 * - the select list names every scalar field of the model in schema order (or the `select`ed ones,
 *   plus the relation keys Prisma needs to stitch results together); enum columns are read as
 *   `"col"::text` (Prisma ≥ 5.4);
 * - every value is a bind parameter `$n`, literals in the code included; enum values are sent as
 *   `CAST($n::text AS "public"."Role")`;
 * - `contains` / `startsWith` / `endsWith` compare `"col"::text LIKE $n` (`ILIKE` with
 *   `mode: 'insensitive'`);
 * - reads always end with `OFFSET $n` (skip defaults to 0), preceded by `LIMIT $n` for `take` and
 *   for findFirst/findUnique; a read without a `where` has `WHERE 1=1`;
 * - `include` / a relation in `select` is a separate query per relation level, keyed by
 *   `"child"."fk" IN ($1,$2,…)` (one parameter per parent row; PostgreSQL 15's pg_stat_statements
 *   keeps one entry per list length, the fingerprint below treats them as one); `_count` of a relation
 *   is a LEFT JOIN on a grouped sub-select of the related table;
 * - relation filters (`some`, `none`, `every`, `is`) are `("parent"."id") IN (SELECT "t1"."fk" FROM
 *   "public"."child" AS "t1" WHERE (… AND "t1"."fk" IS NOT NULL))`;
 * - count() / aggregate() select from a sub-select aliased "sub"; groupBy() groups the table itself;
 * - create is `INSERT … RETURNING` every column, with the columns Prisma fills in itself
 *   (`@default(uuid())`, `@default(cuid())`, `@default(now())`, `@updatedAt`); update and delete
 *   are one statement with `RETURNING`; updateMany/deleteMany have no RETURNING; update adds every
 *   `@updatedAt` field to SET.
 *
 * Limits (the statement is then marked `approximate`): data passed as a variable (`data: input`)
 * has unknown columns; nested writes (`create` inside `data`), `connectOrCreate`, JSON filters,
 * full-text search, scalar-list filters and `OR` groups Prisma nests differently are rendered
 * from the shape's atoms, not from Prisma's own filter tree; nested `take`/`skip` in an `include`
 * (Prisma pages them with ROW_NUMBER()), `distinct`, cursor sub-selects, the `relationJoins`
 * preview feature (one LATERAL JOIN query) and the Rust-free query compiler of `engineType =
 * "client"` (casts written `$1::"Role"`) produce different text. The slow-query mapping falls back
 * to comparing query shapes for those (src/core/report/statementMatch.ts).
 */
// A plain require: esbuild's namespace wrapper (__toESM) would turn every ts.* access into a getter call.
import ts = require('typescript');
import type { PredicateAtom } from '../model/predicate';
import type { QueryShape, TableAccess } from '../model/query';
import type { ColumnDef, PrismaModel, SchemaModel, TableDef } from '../model/schema';
import { quoteAlways } from '../sql/identifiers';
import { ginValueKind } from '../matcher/ginOperators';

export interface PrismaSqlStatement {
  /** The statement as Prisma sends it, with `$n` parameters. */
  sql: string;
  /** What the statement does, for people: "main query", "loads `course` (include)". */
  purpose: string;
  /** Indexes into `shape.accesses` this statement covers. */
  accesses: number[];
  /** Highest `$n`. */
  params: number;
  /** Part of the call could not be read statically (a variable as `data`, nested writes…): the text may differ from Prisma's. */
  approximate: boolean;
}

export interface PrismaSqlOptions {
  /** schema.prisma's text: `@updatedAt` and Prisma-generated `@default`s (uuid, cuid, now) come from it. */
  schemaText?: string;
}

/** Field attributes Prisma acts on in writes, per model: `@updatedAt` and client-side defaults. */
export interface PrismaWriteAttributes {
  updatedAt: Set<string>;
  generated: Set<string>;
}

let lastAttributes: { text: string; attrs: Map<string, PrismaWriteAttributes> } | undefined;

/** Reads `@updatedAt` and `@default(uuid()|cuid()|nanoid()|now()|ulid())` fields from schema.prisma text. */
export function prismaWriteAttributes(schemaText: string): Map<string, PrismaWriteAttributes> {
  if (lastAttributes?.text === schemaText) return lastAttributes.attrs;
  const out = new Map<string, PrismaWriteAttributes>();
  const modelRe = /^\s*model\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm;
  for (let m = modelRe.exec(schemaText); m; m = modelRe.exec(schemaText)) {
    const attrs: PrismaWriteAttributes = { updatedAt: new Set(), generated: new Set() };
    for (const raw of m[2].split(/\r\n|\r|\n/)) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      const f = /^(\w+)\s+\S+/.exec(line);
      if (!f || line.startsWith('@@')) continue;
      if (/@updatedAt\b/.test(line)) attrs.updatedAt.add(f[1]);
      if (/@default\(\s*(uuid|cuid|nanoid|ulid|now)\s*\(/.test(line)) attrs.generated.add(f[1]);
    }
    out.set(m[1], attrs);
  }
  lastAttributes = { text: schemaText, attrs: out };
  return out;
}

/** The arguments of a call read from its source text (the shape keeps the call's text). */
interface CallArgs {
  args?: ts.ObjectLiteralExpression;
  sf?: ts.SourceFile;
}

function parseCall(text: string): CallArgs {
  if (text.endsWith('…')) return {};
  try {
    const sf = ts.createSourceFile('call.ts', `(${text});`, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    let call: ts.CallExpression | undefined;
    const visit = (n: ts.Node): void => {
      if (call) return;
      if (ts.isCallExpression(n)) call = n;
      else ts.forEachChild(n, visit);
    };
    visit(sf);
    const a = call?.arguments[0];
    return { args: a && ts.isObjectLiteralExpression(a) ? a : undefined, sf };
  } catch {
    return {};
  }
}

function propsOf(obj: ts.ObjectLiteralExpression | undefined): { name: string; value?: ts.Expression; spread?: boolean }[] {
  if (!obj) return [];
  const out: { name: string; value?: ts.Expression; spread?: boolean }[] = [];
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p)) {
      const n = p.name;
      const name = ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n) ? n.text : undefined;
      if (name !== undefined) out.push({ name, value: p.initializer });
    } else if (ts.isShorthandPropertyAssignment(p)) out.push({ name: p.name.text, value: p.name });
    else if (ts.isSpreadAssignment(p)) out.push({ name: '...', spread: true });
  }
  return out;
}

function prop(obj: ts.ObjectLiteralExpression | undefined, name: string): ts.Expression | undefined {
  return propsOf(obj).filter((p) => p.name === name).pop()?.value;
}

function objectOf(e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  let u = e;
  while (u && (ts.isParenthesizedExpression(u) || ts.isAsExpression(u) || ts.isSatisfiesExpression(u))) u = u.expression;
  return u && ts.isObjectLiteralExpression(u) ? u : undefined;
}

/** Builds one statement's text and numbers its parameters. */
class Writer {
  params = 0;
  approximate = false;
  param(): string {
    return `$${++this.params}`;
  }
}

interface Ctx {
  schema: SchemaModel;
  attrs: Map<string, PrismaWriteAttributes>;
  aliasCounter: { n: number };
}

function modelForTable(schema: SchemaModel, table: string): PrismaModel | undefined {
  for (const m of schema.prisma?.models.values() ?? []) if (m.table === table) return m;
  return undefined;
}

function tableSql(t: TableDef | undefined, name: string): string {
  const schema = t?.schema ?? 'public';
  const bare = name.includes('.') ? name.slice(name.indexOf('.') + 1) : name;
  return `${quoteAlways(schema)}.${quoteAlways(bare)}`;
}

/** Scalar columns Prisma reads for a model, in schema order. */
function modelColumns(ctx: Ctx, table: string): string[] {
  const m = modelForTable(ctx.schema, table);
  if (m) return [...m.fields.values()].filter((f) => !f.relation && f.column !== undefined && !f.isList).map((f) => f.column!);
  return [...(ctx.schema.tables.get(table)?.columns.keys() ?? [])];
}

function column(ctx: Ctx, table: string, name: string): ColumnDef | undefined {
  return ctx.schema.tables.get(table)?.columns.get(name);
}

function enumType(ctx: Ctx, table: string, col: string): string | undefined {
  const c = column(ctx, table, col);
  if (!c?.enumName) return undefined;
  const schema = ctx.schema.tables.get(table)?.schema ?? 'public';
  return `${quoteAlways(schema)}.${quoteAlways(c.enumName)}`;
}

/** A value for `col`: `$n`, or the enum cast Prisma writes. */
function value(ctx: Ctx, w: Writer, table: string, col: string): string {
  const e = enumType(ctx, table, col);
  return e ? `CAST(${w.param()}::text AS ${e})` : w.param();
}

function selected(ctx: Ctx, q: string, table: string, col: string): string {
  return `${q}.${quoteAlways(col)}${column(ctx, table, col)?.enumName ? '::text' : ''}`;
}

const SEMI_JOIN = /^\((.*)\) (NOT )?IN \(SELECT /;

function atomSql(ctx: Ctx, w: Writer, q: string, table: string, atom: PredicateAtom): string | undefined {
  const col = (c: string) => `${q}.${quoteAlways(c)}`;
  switch (atom.kind) {
    case 'compare':
      return `${col(atom.column)} ${atom.op} ${value(ctx, w, table, atom.column)}`;
    case 'in':
      return `${col(atom.column)} IN (${atom.values.map(() => value(ctx, w, table, atom.column)).join(',')})`;
    case 'null':
      return `${col(atom.column)} IS ${atom.isNull ? '' : 'NOT '}NULL`;
    case 'between':
      return `(${col(atom.column)} >= ${value(ctx, w, table, atom.column)} AND ${col(atom.column)} <= ${value(ctx, w, table, atom.column)})`;
    case 'like':
      return `${col(atom.column)}::text ${atom.negated ? 'NOT ' : ''}${atom.caseInsensitive ? 'ILIKE' : 'LIKE'} ${w.param()}`;
    case 'not-equal':
      return `${col(atom.column)} <> ${value(ctx, w, table, atom.column)}`;
    case 'fulltext':
      return `to_tsvector(concat_ws(' ', ${col(atom.column)})) @@ to_tsquery(${w.param()})`;
    case 'other': {
      if (SEMI_JOIN.test(atom.text)) return undefined; // rendered from the joined access
      // Scalar-list and Json containment (`has`, `hasSome`, `hasEvery`, `array_contains`): the operator on one array or jsonb value.
      if (atom.contains) {
        // A Json filter's `array_contains` also tests JSONB_TYPEOF(col) = 'array': not written here.
        if (ginValueKind(column(ctx, table, atom.contains.column)) === 'jsonb') w.approximate = true;
        return `${col(atom.contains.column)} ${atom.contains.op} ${w.param()}`;
      }
      if (atom.anyLike?.length) return `(${atom.anyLike.map((l) => `${col(l.column)}::text ${l.caseInsensitive ? 'ILIKE' : 'LIKE'} ${w.param()}`).join(' OR ')})`;
      // An OR group or a NOT written as SQL-like text by the extractor: qualify its columns, number its values.
      let text = atom.text.replace(/'(?:[^']|'')*'/g, () => w.param()).replace(/\?/g, () => w.param());
      for (const c of [...atom.columns].sort((a, b) => b.length - a.length)) text = text.replace(new RegExp(`(?<![\\w."])${c.replace(/[$]/g, '\\$')}(?![\\w"])`, 'g'), col(c));
      w.approximate = true;
      return text;
    }
  }
}

interface Group {
  /** Index of the statement's first access. */
  root: number;
  /** Accesses joined to the root (relation filters, the far side of a many-to-many read). */
  joined: number[];
  /** `_count` reads folded into this statement as LEFT JOINs. */
  counts: number[][];
  kind: 'main' | 'relation';
}

function isCountEntry(a: TableAccess): boolean {
  return !a.joinedFrom && a.groupBy.length > 0;
}

function isRelationRead(a: TableAccess): boolean {
  return !a.joinedFrom && a.groupBy.length === 0 && a.predicates.some((p) => p.atom.kind === 'in' && p.atom.values.length === 1 && p.atom.values[0].kind === 'param');
}

/** Splits a Prisma shape's accesses into the statements Prisma sends. */
function groupsOf(shape: QueryShape, op: string): Group[] {
  const groups: Group[] = [];
  const acc = shape.accesses;
  if (!acc.length) return groups;
  let current: Group = { root: 0, joined: [], counts: [], kind: 'main' };
  groups.push(current);
  let count: number[] | undefined;
  for (let i = 1; i < acc.length; i++) {
    const a = acc[i];
    // A nested write of an update is a statement of its own, which is not rendered (the call's is then approximate).
    if (a.nestedWrite) continue;
    if (a.joinedFrom) {
      if (count && a.joinedFrom === acc[count[count.length - 1]].table) count.push(i);
      else current.joined.push(i);
      continue;
    }
    count = undefined;
    if (op !== 'groupBy' && isCountEntry(a)) {
      count = [i];
      current.counts.push(count);
    } else if (isRelationRead(a)) {
      current = { root: i, joined: [], counts: [], kind: 'relation' };
      groups.push(current);
    } else current.joined.push(i);
  }
  return groups;
}

function whereSql(ctx: Ctx, w: Writer, shape: QueryShape, g: Group, q: string): string[] {
  const root = shape.accesses[g.root];
  const conds: string[] = [];
  for (const p of root.predicates) {
    const s = atomSql(ctx, w, q, root.table, p.atom);
    if (s) conds.push(s);
  }
  // Relation filters: a sub-select on the related table, keyed by the join columns.
  for (const i of g.joined) {
    const a = shape.accesses[i];
    if (a.joinedFrom !== root.table || !a.joinKeys.length) continue;
    const negated = root.predicates.some((p) => p.atom.kind === 'other' && SEMI_JOIN.exec(p.atom.text)?.[2] && p.atom.text.includes(`FROM ${a.table}`));
    const alias = `"t${++ctx.aliasCounter.n}"`;
    const inner: string[] = [];
    for (const p of a.predicates) {
      const s = atomSql(ctx, w, alias, a.table, p.atom);
      if (s) inner.push(s);
    }
    for (const k of a.joinKeys) inner.push(`${alias}.${quoteAlways(k.column)} IS NOT NULL`);
    const locals = a.joinKeys.map((k) => `${q}.${quoteAlways(k.otherColumn)}`).join(', ');
    const remotes = a.joinKeys.map((k) => `${alias}.${quoteAlways(k.column)}`).join(', ');
    conds.push(`(${locals}) ${negated ? 'NOT IN' : 'IN'} (SELECT ${remotes} FROM ${tableSql(ctx.schema.tables.get(a.table), a.table)} AS ${alias} WHERE (${inner.join(' AND ')}))`);
  }
  return conds;
}

function whereClause(conds: string[]): string {
  if (!conds.length) return ' WHERE 1=1';
  return conds.length === 1 ? ` WHERE ${conds[0]}` : ` WHERE (${conds.join(' AND ')})`;
}

function orderSql(q: string, a: TableAccess): string {
  if (!a.orderBy.length) return '';
  return ` ORDER BY ${a.orderBy
    .map((o) => `${q}.${quoteAlways(o.column)} ${o.desc ? 'DESC' : 'ASC'}${o.nullsFirst === undefined ? '' : o.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST'}`)
    .join(', ')}`;
}

/** `_count` of relations: LEFT JOIN (SELECT fk, COUNT(*) … GROUP BY fk) per counted relation. */
function countJoins(ctx: Ctx, w: Writer, shape: QueryShape, g: Group, q: string): { joins: string; columns: string[] } {
  const root = shape.accesses[g.root];
  let joins = '';
  const columns: string[] = [];
  g.counts.forEach((chain, n) => {
    const entry = shape.accesses[chain[0]];
    const t = tableSql(ctx.schema.tables.get(entry.table), entry.table);
    const alias = `"aggr_selection_${n}_${entry.table}"`;
    const key = entry.groupBy[0];
    const where = entry.predicates.filter((p) => !(p.atom.kind === 'in' && p.atom.column === key)).map((p) => atomSql(ctx, w, t, entry.table, p.atom)).filter((s): s is string => !!s);
    // The parent column it joins on: the root's primary key, in practice `id`.
    const parentKey = ctx.schema.tables.get(root.table)?.indexes.find((i) => i.primary)?.keys[0]?.column ?? 'id';
    const countAlias = `_aggr_count_${entry.table}`;
    joins += ` LEFT JOIN (SELECT ${t}.${quoteAlways(key)}, COUNT(*) AS ${quoteAlways(countAlias)} FROM ${t} WHERE ${where.length ? where.join(' AND ') : '1=1'} GROUP BY ${t}.${quoteAlways(key)}) AS ${alias} ON (${q}.${quoteAlways(parentKey)} = ${alias}.${quoteAlways(key)})`;
    columns.push(`COALESCE(${alias}.${quoteAlways(countAlias)}, 0) AS ${quoteAlways(countAlias)}`);
  });
  return { joins, columns };
}

function readSql(ctx: Ctx, shape: QueryShape, g: Group, op: string): PrismaSqlStatement {
  const w = new Writer();
  const a = shape.accesses[g.root];
  const t = ctx.schema.tables.get(a.table);
  const q = tableSql(t, a.table);
  const cols = a.columnsRead === '*' ? modelColumns(ctx, a.table) : a.columnsRead.length ? a.columnsRead : modelColumns(ctx, a.table);
  const counts = countJoins(ctx, w, shape, g, q);
  const conds = whereSql(ctx, w, shape, g, q);
  let sql = `SELECT ${[...cols.map((c) => selected(ctx, q, a.table, c)), ...counts.columns].join(', ')} FROM ${q}${counts.joins}${whereClause(conds)}${orderSql(q, a)}`;
  const single = g.kind === 'main' && /^find(First|Unique)(OrThrow)?$/.test(op);
  if (g.kind === 'main' && (a.limit !== undefined || single)) sql += ` LIMIT ${w.param()}`;
  sql += ` OFFSET ${w.param()}`;
  const relation = g.kind === 'relation' ? shape.accesses[g.root].table : undefined;
  return {
    sql,
    purpose: relation ? `loads the related "${relation}" rows (include/select): one query per relation level, keyed by IN (…)` : 'main query',
    accesses: [g.root, ...g.joined, ...g.counts.flat()],
    params: w.params,
    approximate: w.approximate,
  };
}

const AGG_FN: Record<string, string> = { _sum: 'SUM', _avg: 'AVG', _min: 'MIN', _max: 'MAX', _count: 'COUNT' };

function aggregateSql(ctx: Ctx, shape: QueryShape, g: Group, op: string, call: CallArgs): PrismaSqlStatement {
  const w = new Writer();
  const a = shape.accesses[g.root];
  const t = ctx.schema.tables.get(a.table);
  const q = tableSql(t, a.table);
  const model = modelForTable(ctx.schema, a.table);
  const colOf = (field: string) => model?.fields.get(field)?.column ?? field;
  const pk = t?.indexes.find((i) => i.primary)?.keys.map((k) => k.column ?? '').filter(Boolean) ?? ['id'];
  const outer: string[] = [];
  const inner = new Set<string>();
  if (!call.args) w.approximate = true;
  if (op === 'count') {
    const sel = objectOf(prop(call.args, 'select'));
    const fields = propsOf(sel).filter((p) => p.name !== '_all');
    if (fields.length) for (const f of fields) (inner.add(colOf(f.name)), outer.push(`COUNT(${quoteAlways(colOf(f.name))}) AS ${quoteAlways(`_count.${f.name}`)}`));
    if (!fields.length || propsOf(sel).some((p) => p.name === '_all')) (pk.forEach((c) => inner.add(c)), outer.push(`COUNT(*) AS "_count._all"`));
  } else {
    for (const [key, fn] of Object.entries(AGG_FN)) {
      const v = prop(call.args, key);
      if (!v) continue;
      const o = objectOf(v);
      const fields = o ? propsOf(o) : [{ name: '_all' }];
      for (const f of fields) {
        if (f.name === '_all') {
          pk.forEach((c) => inner.add(c));
          outer.push(`COUNT(*) AS "_count._all"`);
        } else {
          inner.add(colOf(f.name));
          outer.push(`${fn}(${quoteAlways(colOf(f.name))}) AS ${quoteAlways(`${key}.${f.name}`)}`);
        }
      }
    }
    if (!outer.length) (pk.forEach((c) => inner.add(c)), outer.push('COUNT(*) AS "_count._all"'));
  }
  const conds = whereSql(ctx, w, shape, g, q);
  let sub = `SELECT ${[...inner].map((c) => `${q}.${quoteAlways(c)}`).join(', ')} FROM ${q}${whereClause(conds)}${orderSql(q, a)}`;
  if (a.limit !== undefined) sub += ` LIMIT ${w.param()}`;
  sub += ` OFFSET ${w.param()}`;
  return { sql: `SELECT ${outer.join(', ')} FROM (${sub}) AS "sub"`, purpose: `${op}: aggregates over a sub-select`, accesses: [g.root, ...g.joined], params: w.params, approximate: w.approximate };
}

function groupBySql(ctx: Ctx, shape: QueryShape, g: Group, call: CallArgs): PrismaSqlStatement {
  const w = new Writer();
  const a = shape.accesses[g.root];
  const q = tableSql(ctx.schema.tables.get(a.table), a.table);
  const model = modelForTable(ctx.schema, a.table);
  const colOf = (field: string) => model?.fields.get(field)?.column ?? field;
  const outer = a.groupBy.map((c) => selected(ctx, q, a.table, c));
  if (!call.args) w.approximate = true;
  for (const [key, fn] of Object.entries(AGG_FN)) {
    const o = objectOf(prop(call.args, key));
    for (const f of propsOf(o)) {
      if (f.name === '_all') outer.push(`COUNT(*) AS "_count._all"`);
      else outer.push(`${fn}(${q}.${quoteAlways(colOf(f.name))}) AS ${quoteAlways(`${key}.${f.name}`)}`);
    }
  }
  const conds = whereSql(ctx, w, shape, g, q);
  let sql = `SELECT ${outer.join(', ')} FROM ${q}${whereClause(conds)} GROUP BY ${a.groupBy.map((c) => `${q}.${quoteAlways(c)}`).join(', ')}${orderSql(q, a)}`;
  if (a.limit !== undefined) sql += ` LIMIT ${w.param()}`;
  sql += ` OFFSET ${w.param()}`;
  return { sql, purpose: 'groupBy', accesses: [g.root, ...g.joined], params: w.params, approximate: w.approximate };
}

/** Columns a `data` object writes: scalar fields, and the FK columns of `relation: { connect: … }`. */
function dataColumns(ctx: Ctx, table: string, data: ts.Expression | undefined, w: Writer): string[] {
  const model = modelForTable(ctx.schema, table);
  const obj = objectOf(data);
  if (!obj) {
    w.approximate = true;
    return [];
  }
  const cols: string[] = [];
  for (const p of propsOf(obj)) {
    if (p.spread) {
      w.approximate = true;
      continue;
    }
    const f = model?.fields.get(p.name);
    if (!model) cols.push(p.name);
    else if (!f) continue;
    else if (f.relation) {
      const inner = objectOf(p.value);
      if (inner && prop(inner, 'connect') && f.relation.fields.length) for (const fk of f.relation.fields) cols.push(model.fields.get(fk)?.column ?? fk);
      else w.approximate = true; // nested create/update/connectOrCreate: separate statements Prisma runs in a transaction
    } else if (f.column) cols.push(f.column);
  }
  return cols;
}

function writeSql(ctx: Ctx, shape: QueryShape, op: string, call: CallArgs): PrismaSqlStatement {
  const w = new Writer();
  const a = shape.accesses[0];
  const t = ctx.schema.tables.get(a.table);
  const q = tableSql(t, a.table);
  const model = modelForTable(ctx.schema, a.table);
  const attrs = model ? ctx.attrs.get(model.name) : undefined;
  const colOf = (field: string) => model?.fields.get(field)?.column ?? field;
  const returning = ` RETURNING ${(a.columnsRead === '*' || !a.columnsRead.length ? modelColumns(ctx, a.table) : a.columnsRead).map((c) => selected(ctx, q, a.table, c)).join(', ')}`;
  const g: Group = { root: 0, joined: shape.accesses.map((_, i) => i).filter((i) => i > 0 && shape.accesses[i].joinedFrom && !shape.accesses[i].nestedWrite), counts: [], kind: 'main' };
  if (!call.args) w.approximate = true;
  if (op === 'create' || op === 'createMany' || op === 'createManyAndReturn' || op === 'upsert') {
    const dataExpr = op === 'upsert' ? prop(call.args, 'create') : prop(call.args, 'data');
    const cols = dataColumns(ctx, a.table, op === 'createMany' || op === 'createManyAndReturn' ? undefined : dataExpr, w);
    for (const f of [...(attrs?.generated ?? []), ...(attrs?.updatedAt ?? [])]) if (!cols.includes(colOf(f))) cols.push(colOf(f));
    let sql = cols.length ? `INSERT INTO ${q} (${cols.map(quoteAlways).join(',')}) VALUES (${cols.map((c) => value(ctx, w, a.table, c)).join(',')})` : `INSERT INTO ${q} DEFAULT VALUES`;
    if (op === 'upsert') {
      const conflict = a.predicates.filter((p) => p.atom.kind === 'compare' && p.atom.op === '=').map((p) => (p.atom as { column: string }).column);
      const upd = dataColumns(ctx, a.table, prop(call.args, 'update'), w);
      for (const f of attrs?.updatedAt ?? []) if (!upd.includes(colOf(f))) upd.push(colOf(f));
      const conds = whereSql(ctx, w, shape, g, q);
      sql += upd.length
        ? ` ON CONFLICT (${conflict.map(quoteAlways).join(',')}) DO UPDATE SET ${upd.map((c) => `${quoteAlways(c)} = ${value(ctx, w, a.table, c)}`).join(', ')}${whereClause(conds)}`
        : ` ON CONFLICT (${conflict.map(quoteAlways).join(',')}) DO NOTHING`;
      w.approximate = true; // Prisma falls back to SELECT + INSERT/UPDATE when the native upsert's conditions are not met
    }
    if (op !== 'createMany') sql += returning;
    if (op === 'createMany' || op === 'createManyAndReturn') w.approximate = true; // one VALUES row per element
    return { sql, purpose: op, accesses: [0], params: w.params, approximate: w.approximate };
  }
  if (op === 'update' || op === 'updateMany' || op === 'updateManyAndReturn') {
    const cols = dataColumns(ctx, a.table, prop(call.args, 'data'), w);
    for (const f of attrs?.updatedAt ?? []) if (!cols.includes(colOf(f))) cols.push(colOf(f));
    if (!cols.length) {
      // `data` unknown and no @updatedAt: some column is set; the statement's shape (its WHERE) is what matters.
      cols.push(...modelColumns(ctx, a.table).filter((c) => !a.predicates.some((p) => 'column' in p.atom && p.atom.column === c)).slice(0, 1));
      w.approximate = true;
    }
    const set = cols.map((c) => `${quoteAlways(c)} = ${value(ctx, w, a.table, c)}`).join(', ');
    const conds = whereSql(ctx, w, shape, g, q);
    const sql = `UPDATE ${q} SET ${set}${whereClause(conds)}${op === 'updateMany' ? '' : returning}`;
    return { sql, purpose: op, accesses: [0, ...g.joined], params: w.params, approximate: w.approximate };
  }
  // delete / deleteMany
  const conds = whereSql(ctx, w, shape, g, q);
  const sql = `DELETE FROM ${q}${whereClause(conds)}${op === 'delete' ? returning : ''}`;
  return { sql, purpose: op, accesses: [0, ...g.joined], params: w.params, approximate: w.approximate };
}

const WRITES = new Set(['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany']);

/** The operation of a Prisma shape (`findMany` for `prisma.user.findMany`). */
export function prismaOperation(shape: QueryShape): string | undefined {
  return shape.origin === 'prisma' ? /\.(\w+)$/.exec(shape.label)?.[1] : undefined;
}

/**
 * The statements Prisma sends for one Prisma Client call, in order: the main statement first, then
 * one per relation level it loads. Empty for a shape that is not a Prisma call or has no table.
 */
export function prismaStatements(shape: QueryShape, schema: SchemaModel, opts: PrismaSqlOptions = {}): PrismaSqlStatement[] {
  const op = prismaOperation(shape);
  if (!op || !shape.accesses.length) return [];
  const ctx: Ctx = { schema, attrs: opts.schemaText ? prismaWriteAttributes(opts.schemaText) : new Map(), aliasCounter: { n: 0 } };
  const call = parseCall(shape.text);
  const out: PrismaSqlStatement[] = [];
  const groups = groupsOf(shape, op);
  groups.forEach((g, i) => {
    if (i === 0) {
      if (WRITES.has(op)) out.push(writeSql(ctx, shape, op, call));
      else if (op === 'count' || op === 'aggregate') out.push(aggregateSql(ctx, shape, g, op, call));
      else if (op === 'groupBy') out.push(groupBySql(ctx, shape, g, call));
      else out.push(readSql(ctx, shape, g, op));
    } else out.push(readSql(ctx, shape, g, op));
  });
  return out;
}
