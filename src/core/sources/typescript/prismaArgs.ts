/**
 * Arguments of a Prisma Client call → TableAccesses.
 *
 * The first access is the call's own table; then accesses added by relation
 * filters in `where` (joined, see prismaWhere.ts); then one access per relation
 * read through `include`/`select` (and `_count`), in source order, each followed
 * by its own nested reads. Prisma reads a relation with a separate query
 * `SELECT … FROM child WHERE child.fk IN ($1, …)`, so such an access is a
 * standalone read (no joinKeys/joinedFrom) with an `in` atom of one parameter on
 * the related table's join column, plus the nested `where`/`orderBy`/`take`/
 * `skip`/`cursor`. A `_count` of a relation is an access grouped by that column.
 *
 * columnsRead: `select` listing fields → the selected columns plus the local
 * join columns of selected relations and counts (Prisma reads those to stitch
 * results together; a nested select also reads the related join column);
 * `include`, `omit` or no selection → '*'. count() reads the primary key (Prisma
 * counts a sub-select of it) and the fields named in its `select`, aggregate() the
 * fields named in `_sum`/`_avg`/`_min`/`_max`/`_count` (and the primary key for a
 * `_count` of all rows), groupBy() its `by` fields and those.
 */
// A plain require: esbuild's namespace wrapper (__toESM) would turn every ts.* access into a getter call.
import ts = require('typescript');
import { emptyAccess, type AccessKind, type LocatedAtom, type TableAccess } from '../../model/query';
import { asArray, asObject, boolValue, getProp, isUndefinedValue, objectProps, stringValue } from './literals';
import { applyOrderAndPaging } from './prismaOrder';
import {
  columnOf,
  fieldInfo,
  listRelations,
  rangeOf,
  relationAccesses,
  relationLink,
  type ModelView,
  type PrismaContext,
  type RelationLink,
} from './prismaRelations';
import { nestedWriteAccesses } from './prismaNestedWrites';
import { markSerialStatement } from '../../shapes/parallelSafety';
import { whereAtoms } from './prismaWhere';

/** Prisma Client model operations and the kind of access each performs. */
export const PRISMA_OPERATIONS: ReadonlyMap<string, AccessKind> = new Map<string, AccessKind>([
  ['findMany', 'select'],
  ['findFirst', 'select'],
  ['findFirstOrThrow', 'select'],
  ['findUnique', 'select'],
  ['findUniqueOrThrow', 'select'],
  ['count', 'select'],
  ['aggregate', 'select'],
  ['groupBy', 'select'],
  ['update', 'update'],
  ['updateMany', 'update'],
  ['updateManyAndReturn', 'update'],
  ['delete', 'delete'],
  ['deleteMany', 'delete'],
  ['upsert', 'upsert'],
  ['create', 'insert'],
  ['createMany', 'insert'],
  ['createManyAndReturn', 'insert'],
]);

const MAX_INCLUDE_DEPTH = 8;
const AGGREGATES = ['_sum', '_avg', '_min', '_max', '_count'];

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** All accesses of one Prisma call; the first is on the call's own table. Never throws. */
export function accessesForCall(ctx: PrismaContext, view: ModelView, op: string, arg: ts.Expression | undefined): TableAccess[] {
  const kind = PRISMA_OPERATIONS.get(op) ?? 'select';
  const main = emptyAccess(view.table, kind);
  const out: TableAccess[] = [main];
  if (kind === 'insert') return out;
  const args = asObject(arg);
  if (!args) return out;
  try {
    const where = whereAtoms(ctx, view, getProp(args, 'where')?.value);
    main.predicates.push(...where.atoms);
    out.push(...where.related);
    applyOrderAndPaging(ctx, view, main, args, op);
    switch (op) {
      case 'count':
        main.columnsRead = countColumns(ctx, view, args);
        break;
      case 'aggregate':
        main.columnsRead = unique([...aggregateColumns(view, args), ...(countsAll(getProp(args, '_count')?.value) ? primaryKey(ctx, view) : [])]);
        break;
      case 'groupBy': {
        main.groupBy = byColumns(view, getProp(args, 'by')?.value);
        main.columnsRead = unique([...main.groupBy, ...aggregateColumns(view, args)]);
        break;
      }
      case 'updateMany':
      case 'deleteMany':
        break;
      default:
        applySelection(ctx, view, main, args, out, 0);
    }
    if (op === 'update' || op === 'upsert') out.push(...nestedWriteAccesses(ctx, view, getProp(args, op === 'update' ? 'data' : 'update')?.value));
    // groupBy() of one table is a GROUP BY PostgreSQL aggregates in each process; count() and aggregate() are sent as an
    // aggregate over a sub-select with OFFSET, which it aggregates in the leader alone.
    if (op === 'groupBy' && out.length === 1) main.aggregated = true;
  } catch {
    // keep what was gathered
  }
  markSerialStatement(out);
  return out;
}

function byColumns(view: ModelView, e: ts.Expression | undefined): string[] {
  if (!e) return [];
  const single = stringValue(e);
  const names = single !== undefined ? [single] : (asArray(e)?.elements.map((x) => stringValue(x)) ?? []);
  const cols: string[] = [];
  for (const n of names) {
    const c = n === undefined ? undefined : columnOf(view, n);
    if (c) cols.push(c);
  }
  return cols;
}

function fieldsSetTrue(view: ModelView, e: ts.Expression | undefined): string[] {
  const obj = asObject(e);
  if (!obj) return [];
  const cols: string[] = [];
  for (const p of objectProps(obj)) {
    if (p.name === '_all' || boolValue(p.value) === false) continue;
    const c = columnOf(view, p.name);
    if (c) cols.push(c);
  }
  return cols;
}

/** count() counts the rows of a sub-select of the primary key (`SELECT COUNT(*) FROM (SELECT id … ) sub`), plus any fields it counts. */
function countColumns(ctx: PrismaContext, view: ModelView, args: ts.ObjectLiteralExpression): string[] {
  const select = getProp(args, 'select')?.value;
  const fields = fieldsSetTrue(view, select);
  const all = fields.length === 0 || objectProps(asObject(select)!).some((p) => p.name === '_all' && boolValue(p.value) !== false);
  return unique([...fields, ...(all ? primaryKey(ctx, view) : [])]);
}

/** `_count: true` or `_count: { _all: true }` of aggregate(). */
function countsAll(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  if (boolValue(e) === true) return true;
  const o = asObject(e);
  return !!o && objectProps(o).some((p) => p.name === '_all' && boolValue(p.value) !== false);
}

function primaryKey(ctx: PrismaContext, view: ModelView): string[] {
  const pk = ctx.schema.tables.get(view.table)?.indexes.find((i) => i.primary);
  return pk ? pk.keys.flatMap((k) => (k.column ? [k.column] : [])) : [];
}

function aggregateColumns(view: ModelView, args: ts.ObjectLiteralExpression): string[] {
  const cols: string[] = [];
  for (const key of AGGREGATES) cols.push(...fieldsSetTrue(view, getProp(args, key)?.value));
  return unique(cols);
}

/** `select`/`include`/`omit` of find/update/delete/upsert arguments (and of nested reads). */
function applySelection(
  ctx: PrismaContext,
  view: ModelView,
  access: TableAccess,
  args: ts.ObjectLiteralExpression,
  out: TableAccess[],
  depth: number,
): void {
  if (depth > MAX_INCLUDE_DEPTH) return;
  const selectProp = getProp(args, 'select');
  const select = asObject(selectProp?.value);
  if (select) {
    const cols: string[] = [];
    for (const p of objectProps(select)) {
      if (isUndefinedValue(p.value) || boolValue(p.value) === false) continue;
      if (p.name === '_count') {
        for (const link of countReads(ctx, view, p.value, rangeOf(ctx, p.node), out)) cols.push(...link.pairs.map((x) => x.local));
        continue;
      }
      const info = fieldInfo(ctx, view, p.name, p.node);
      if (info.kind === 'scalar') cols.push(info.column);
      else if (info.kind === 'relation' && info.link) {
        cols.push(...info.link.pairs.map((x) => x.local));
        relationRead(ctx, view.table, info.link, p.value, rangeOf(ctx, p.node), out, depth + 1);
      }
    }
    access.columnsRead = unique(cols);
  }
  const include = asObject(getProp(args, 'include')?.value);
  if (include) {
    for (const p of objectProps(include)) {
      if (isUndefinedValue(p.value) || boolValue(p.value) === false) continue;
      if (p.name === '_count') {
        countReads(ctx, view, p.value, rangeOf(ctx, p.node), out);
        continue;
      }
      const info = fieldInfo(ctx, view, p.name, p.node);
      if (info.kind === 'relation' && info.link) relationRead(ctx, view.table, info.link, p.value, rangeOf(ctx, p.node), out, depth + 1);
    }
  }
}

/** The separate query Prisma runs to read a relation for a batch of parent rows. */
function relationRead(
  ctx: PrismaContext,
  parentTable: string,
  link: RelationLink,
  value: ts.Expression,
  range: LocatedAtom['range'],
  out: TableAccess[],
  depth: number,
): void {
  if (depth > MAX_INCLUDE_DEPTH) return;
  const rel = relationAccesses(link, parentTable, 'read', range);
  out.push(...rel.accesses);
  const args = asObject(value);
  if (!args) return;
  const access = rel.target;
  const target = link.target;
  const where = whereAtoms(ctx, target, getProp(args, 'where')?.value);
  access.predicates.push(...where.atoms);
  applyOrderAndPaging(ctx, target, access, args, 'findMany');
  out.push(...where.related);
  applySelection(ctx, target, access, args, out, depth);
  if (access.columnsRead !== '*') access.columnsRead = unique([...access.columnsRead, ...link.pairs.map((p) => p.remote)]);
}

/** `_count: true` or `_count: { select: { rel: true | { where } } }`: one grouped access per counted relation. */
function countReads(
  ctx: PrismaContext,
  view: ModelView,
  value: ts.Expression,
  range: LocatedAtom['range'],
  out: TableAccess[],
): RelationLink[] {
  const counted: { link: RelationLink; where?: ts.Expression }[] = [];
  if (boolValue(value) === true) {
    for (const f of listRelations(view)) {
      const link = relationLink(ctx, view, f);
      if (link) counted.push({ link });
    }
    // Every relation is counted, those schema.prisma's errors left out too: said at `_count`.
    if (view.model && range) {
      const prefix = `${view.model.name}.`;
      for (const field of ctx.mapping?.leftOutFields?.keys() ?? []) if (field.startsWith(prefix)) ctx.leftOut?.push({ field, range });
    }
  } else {
    const select = asObject(getProp(asObject(value), 'select')?.value);
    for (const p of select ? objectProps(select) : []) {
      if (isUndefinedValue(p.value) || boolValue(p.value) === false) continue;
      const info = fieldInfo(ctx, view, p.name, p.node);
      if (info.kind !== 'relation' || !info.link) continue;
      counted.push({ link: info.link, where: getProp(asObject(p.value), 'where')?.value });
    }
  }
  for (const { link, where } of counted) {
    const rel = relationAccesses(link, view.table, 'read', range);
    rel.entry.groupBy = rel.entryColumns;
    rel.entry.columnsRead = rel.entryColumns;
    const w = whereAtoms(ctx, link.target, where);
    rel.target.predicates.push(...w.atoms);
    // Without a filter, counting a many-to-many relation only needs the join table.
    const accesses = link.via && w.atoms.length === 0 && w.related.length === 0 ? [rel.entry] : rel.accesses;
    out.push(...accesses, ...w.related);
  }
  return counted.map((c) => c.link);
}
