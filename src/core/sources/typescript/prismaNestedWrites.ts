/**
 * Nested writes in the `data` of an update (and the `update` of an upsert): Prisma runs each one as its own
 * statement on the related table, found by the relation's columns — `posts: { deleteMany: { published: false } }`
 * deletes `WHERE "authorId" = <the user> AND published = false`, `set` and `disconnect` clear the key of the rows
 * that hold it, `update`/`delete`/`upsert` of a to-one relation find its row by the key. Those searches need an
 * index like any query (and a nested delete searches the tables that reference the deleted rows in turn).
 *
 * Not read: `create`/`createMany`/`connect`/`connectOrCreate` (an insert, or a search by a unique key), and the
 * link changes of an implicit many-to-many relation (its join table's keys are indexed by Prisma). The accesses
 * are marked `nestedWrite`: statements of their own, not part of the call's main one.
 */
// A plain require: esbuild's namespace wrapper (__toESM) would turn every ts.* access into a getter call.
import ts = require('typescript');
import { emptyAccess, type AccessKind, type LocatedAtom, type TableAccess } from '../../model/query';
import { asArray, asObject, boolValue, getProp, isUndefinedValue, objectProps } from './literals';
import { fieldInfo, rangeOf, type ModelView, type PrismaContext, type RelationLink } from './prismaRelations';
import { whereAtoms } from './prismaWhere';

const MAX_DEPTH = 8;

/** What each nested operation does to the rows of the relation: the statement kind, and where its filter is. */
const OPERATIONS: ReadonlyMap<string, { kind: AccessKind; where: 'value' | 'where' | 'none' }> = new Map([
  ['deleteMany', { kind: 'delete', where: 'value' }],
  ['updateMany', { kind: 'update', where: 'where' }],
  ['delete', { kind: 'delete', where: 'value' }],
  ['update', { kind: 'update', where: 'where' }],
  ['upsert', { kind: 'update', where: 'where' }],
  ['disconnect', { kind: 'update', where: 'value' }],
  ['set', { kind: 'update', where: 'none' }],
]);

/** The accesses of the nested writes in `data` (an update's data) of a `view` row. Never throws. */
export function nestedWriteAccesses(ctx: PrismaContext, view: ModelView, data: ts.Expression | undefined, depth = 0): TableAccess[] {
  const out: TableAccess[] = [];
  const obj = asObject(data);
  if (!obj || depth > MAX_DEPTH) return out;
  for (const p of objectProps(obj)) {
    if (isUndefinedValue(p.value)) continue;
    const info = fieldInfo(ctx, view, p.name, p.node);
    if (info.kind !== 'relation' || !info.link) continue;
    const link = info.link;
    const ops = asObject(p.value);
    if (!ops) continue;
    for (const op of objectProps(ops)) {
      const how = OPERATIONS.get(op.name);
      if (!how || isUndefinedValue(op.value) || boolValue(op.value) === false) continue;
      // Through an implicit many-to-many relation only deleting the related rows is a statement on their table (the
      // links are the join table's, whose keys Prisma indexes): by the ids read from the join table, and the filter.
      if (link.via && how.kind !== 'delete') continue;
      // Disconnecting a relation whose key this row holds clears this row's own column: nothing is searched.
      if (how.where !== 'where' && how.kind === 'update' && link.fkOnThis) continue;
      // A list relation takes a list of filters (or of `{ where, data }`) as well as one; `set` searches once, even for [].
      const items = op.name === 'set' ? [op.value] : (asArray(op.value)?.elements ?? [op.value]);
      for (const item of items) {
        if (isUndefinedValue(item)) continue;
        const access = keyedAccess(link, how.kind, rangeOf(ctx, op.node));
        const args = asObject(item);
        const filter = how.where === 'value' ? item : how.where === 'where' ? getProp(args, 'where')?.value : undefined;
        const where = filter && boolValue(filter) === undefined ? whereAtoms(ctx, link.target, filter) : undefined;
        if (where) access.predicates.push(...where.atoms);
        for (const a of [access, ...(where?.related ?? [])]) {
          a.nestedWrite = true;
          out.push(a);
        }
        // The related row's own nested writes: `update: { where, data: { … } }`, or a to-one's `update: { … }`.
        const nested = op.name === 'upsert' ? getProp(args, 'update')?.value : how.where === 'where' ? (getProp(args, 'data')?.value ?? (link.isList ? undefined : item)) : undefined;
        if (nested) out.push(...nestedWriteAccesses(ctx, link.target, nested, depth + 1));
      }
    }
  }
  return out;
}

/**
 * A statement on the related table, found by the relation's columns there (the key of one parent row); through
 * a many-to-many relation by the related keys the join table lists (`IN ($1)`).
 */
function keyedAccess(link: RelationLink, kind: AccessKind, range: LocatedAtom['range']): TableAccess {
  const access = emptyAccess(link.target.table, kind);
  for (const p of link.pairs) {
    const atom: LocatedAtom['atom'] = link.via ? { kind: 'in', column: p.remote, values: [{ kind: 'param' }] } : { kind: 'compare', column: p.remote, op: '=', value: { kind: 'param' } };
    access.predicates.push({ atom, range });
  }
  return access;
}
