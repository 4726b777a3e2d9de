/**
 * `orderBy`, `take`, `skip` and `cursor` of Prisma calls.
 *
 * - `orderBy` is an object or an array of objects; several keys in one object
 *   are taken in source order. `'asc'`/`'desc'` or `{ sort, nulls }` give an
 *   OrderItem (`nulls: 'first'|'last'` → nullsFirst true/false). A non-literal
 *   direction is taken as ascending. Ordering by a relation field, `_count`,
 *   `_relevance` or an aggregate (`_sum`, …) sets `orderByUnsatisfiable`. A
 *   non-literal orderBy (a variable) leaves the order unknown: no items and no
 *   reason.
 * - `take`: a literal gives the limit (its absolute value: a negative take reads
 *   backwards, still a limit); otherwise `'param'`. `skip` gives the offset.
 *   findFirst/findUnique (and their OrThrow forms) have limit 1.
 * - `cursor: { id: v }` adds `id >= v` (`<=` when the first order item is
 *   descending, flipped again by a negative take); when no orderBy is given the
 *   cursor fields become the order (Prisma orders by the cursor for stable
 *   pagination).
 */
// A plain require: esbuild's namespace wrapper (__toESM) would turn every ts.* access into a getter call.
import ts = require('typescript');
import type { CompareOp } from '../../model/predicate';
import type { LocatedAtom, OrderItem, TableAccess } from '../../model/query';
import { asArray, asObject, getProp, literalOf, numberValue, objectProps, stringValue, unwrap } from './literals';
import { columnOf, fieldInfo, rangeOf, type ModelView, type PrismaContext } from './prismaRelations';

export interface OrderResult {
  items: OrderItem[];
  unsatisfiable?: string;
}

const AGGREGATE_KEYS = new Set(['_count', '_sum', '_avg', '_min', '_max']);

export function orderByOf(ctx: PrismaContext, view: ModelView, expr: ts.Expression | undefined): OrderResult {
  const result: OrderResult = { items: [] };
  if (!expr) return result;
  const arr = asArray(expr);
  const elements = arr ? arr.elements : [expr];
  for (const el of elements) {
    if (ts.isSpreadElement(el)) continue;
    const obj = asObject(el);
    if (!obj) continue;
    for (const p of objectProps(obj)) {
      const range = rangeOf(ctx, p.node);
      if (AGGREGATE_KEYS.has(p.name)) {
        result.unsatisfiable ??= p.name === '_count' ? `ordered by a count (${p.name})` : `ordered by an aggregate (${p.name})`;
        continue;
      }
      if (p.name === '_relevance') {
        result.unsatisfiable ??= 'ordered by full-text relevance (_relevance)';
        continue;
      }
      const info = fieldInfo(ctx, view, p.name, p.node);
      if (info.kind === 'unknown') continue;
      if (info.kind === 'relation') {
        const inner = asObject(p.value);
        const innerKey = inner ? objectProps(inner)[0]?.name : undefined;
        result.unsatisfiable ??=
          innerKey === '_count'
            ? `ordered by a relation count (${p.name}._count)`
            : `ordered by a field of the related model (${p.name}${innerKey ? '.' + innerKey : ''})`;
        continue;
      }
      const item: OrderItem = { column: info.column, desc: false, range };
      const dir = stringValue(p.value);
      if (dir !== undefined) {
        item.desc = dir.toLowerCase() === 'desc';
      } else {
        const spec = asObject(p.value);
        if (spec) {
          item.desc = stringValue(getProp(spec, 'sort')?.value)?.toLowerCase() === 'desc';
          const nulls = stringValue(getProp(spec, 'nulls')?.value);
          if (nulls === 'first') item.nullsFirst = true;
          else if (nulls === 'last') item.nullsFirst = false;
        }
      }
      result.items.push(item);
    }
  }
  return result;
}

export interface Pagination {
  limit?: number | 'param';
  offset?: number | 'param';
  /** True when take is a negative literal (Prisma reads backwards). */
  backwards: boolean;
}

function countOf(e: ts.Expression | undefined): number | 'param' | undefined {
  if (!e) return undefined;
  const n = numberValue(e);
  if (n !== undefined) return Math.abs(n);
  const u = unwrap(e);
  if (ts.isIdentifier(u) && u.text === 'undefined') return undefined;
  return 'param';
}

export function paginationOf(args: ts.ObjectLiteralExpression | undefined, op: string): Pagination {
  const take = getProp(args, 'take')?.value;
  const skip = getProp(args, 'skip')?.value;
  const takeN = take ? numberValue(take) : undefined;
  const out: Pagination = { backwards: takeN !== undefined && takeN < 0 };
  const limit = countOf(take);
  if (limit !== undefined) out.limit = limit;
  const offset = countOf(skip);
  if (offset !== undefined) out.offset = offset;
  if (op === 'findFirst' || op === 'findFirstOrThrow' || op === 'findUnique' || op === 'findUniqueOrThrow') out.limit = 1;
  return out;
}

/** Applies `orderBy`, `take`/`skip` and `cursor` of a call's arguments to an access. */
export function applyOrderAndPaging(
  ctx: PrismaContext,
  view: ModelView,
  access: TableAccess,
  args: ts.ObjectLiteralExpression | undefined,
  op: string,
): void {
  const order = orderByOf(ctx, view, getProp(args, 'orderBy')?.value);
  access.orderBy = order.items;
  if (order.unsatisfiable) access.orderByUnsatisfiable = order.unsatisfiable;
  const page = paginationOf(args, op);
  if (page.limit !== undefined) access.limit = page.limit;
  if (page.offset !== undefined) access.offset = page.offset;

  const cursorProp = getProp(args, 'cursor');
  const cursor = asObject(cursorProp?.value);
  if (!cursorProp || !cursor) return;
  const range = rangeOf(ctx, cursorProp.node);
  const firstDesc = access.orderBy[0]?.desc ?? false;
  const op2: CompareOp = firstDesc !== page.backwards ? '<=' : '>=';
  const atoms: LocatedAtom[] = [];
  const cursorColumns: string[] = [];
  for (const p of objectProps(cursor)) {
    const compound = view.model?.compoundUniques.get(p.name);
    const inner = asObject(p.value);
    const fields = compound ? compound.map((f) => ({ f, v: getProp(inner, f)?.value })) : [{ f: p.name, v: p.value as ts.Expression | undefined }];
    for (const { f, v } of fields) {
      const column = columnOf(view, f);
      if (!column) continue;
      cursorColumns.push(column);
      atoms.push({ atom: { kind: 'compare', column, op: op2, value: literalOf(v, ctx.enums) }, range });
    }
  }
  access.predicates.push(...atoms);
  if (access.orderBy.length === 0 && !access.orderByUnsatisfiable) {
    access.orderBy = cursorColumns.map((column) => ({ column, desc: false, range }));
  }
}
