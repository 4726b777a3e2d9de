/**
 * Prisma models as seen from Prisma Client calls: field → column mapping and
 * relation links (which columns of which tables a relation equates).
 */
// A plain require: esbuild's namespace wrapper (__toESM) would turn every ts.* access into a getter call.
import ts = require('typescript');
import type { LineIndex, Range } from '../../model/location';
import { emptyAccess, type LocatedAtom, type QueryShape, type TableAccess } from '../../model/query';
import type { PrismaField, PrismaMapping, PrismaModel, SchemaModel } from '../../model/schema';
import { relationInfo } from '../../schema/prisma/loadPrismaSchema';
import type { EnumLookup } from './literals';

export interface PrismaContext {
  sf: ts.SourceFile;
  lines: LineIndex;
  schema: SchemaModel;
  mapping?: PrismaMapping;
  enums: EnumLookup;
  /** Collects, for the call being read, the relation fields it names that schema.prisma's errors left out. */
  leftOut?: NonNullable<QueryShape['leftOut']>;
}

export function rangeOf(ctx: PrismaContext, node: ts.Node): Range {
  return ctx.lines.range(node.getStart(ctx.sf), node.end);
}

/**
 * A model as a Prisma call sees it. `model` is undefined when the accessor is
 * not in schema.prisma (then field names are used as column names and no
 * relation can be recognised).
 */
export interface ModelView {
  name: string;
  table: string;
  model?: PrismaModel;
}

export function viewOf(ctx: PrismaContext, modelName: string): ModelView | undefined {
  const model = ctx.mapping?.models.get(modelName);
  return model ? { name: model.name, table: model.table, model } : undefined;
}

/** A view for an accessor that schema.prisma doesn't know: Prisma's default table name is the model name. */
export function guessedView(accessor: string): ModelView {
  const name = accessor.charAt(0).toUpperCase() + accessor.slice(1);
  return { name, table: name };
}

export type FieldInfo =
  | { kind: 'scalar'; column: string; field?: PrismaField }
  | { kind: 'relation'; field: PrismaField; link?: RelationLink }
  | { kind: 'unknown' };

/**
 * What a key of a where/orderBy/select object names on this model. `at`: the property naming it; a
 * relation field left out of the schema is recorded (ctx.leftOut) at its key.
 */
export function fieldInfo(ctx: PrismaContext, view: ModelView, name: string, at?: ts.ObjectLiteralElementLike): FieldInfo {
  if (!view.model) return { kind: 'scalar', column: name };
  const field = view.model.fields.get(name);
  if (!field) {
    const key = `${view.model.name}.${name}`;
    if (at && ctx.leftOut && ctx.mapping?.leftOutFields?.has(key)) ctx.leftOut.push({ field: key, range: rangeOf(ctx, ts.isSpreadAssignment(at) ? at : at.name) });
    return { kind: 'unknown' };
  }
  if (field.relation) return { kind: 'relation', field, link: relationLink(ctx, view, field) };
  return { kind: 'scalar', column: field.column ?? name, field };
}

export function columnOf(view: ModelView, fieldName: string): string | undefined {
  if (!view.model) return fieldName;
  const f = view.model.fields.get(fieldName);
  if (!f || f.relation) return undefined;
  return f.column ?? fieldName;
}

/**
 * How a relation field joins. `pairs` equate a column of this model's table
 * (`local`) with one of the related model's table (`remote`): directly for a
 * foreign key on either side, or, for an implicit many-to-many relation (`via`),
 * each through the join table (`local = via.self`, `via.related = remote`).
 */
export interface RelationLink {
  field: PrismaField;
  target: ModelView;
  pairs: { local: string; remote: string }[];
  /** The FK columns are on this model (`Enrollment.course`); false for back-relations (`Course.enrollments`) and join tables. */
  fkOnThis: boolean;
  isList: boolean;
  /** Implicit many-to-many: the join table and its columns pointing at this model and at the related one. */
  via?: { table: string; self: string; related: string };
}

function pairsOf(
  holder: ModelView,
  other: ModelView,
  fields: string[],
  references: string[],
  holderIsLocal: boolean,
): { local: string; remote: string }[] | undefined {
  if (fields.length === 0 || fields.length !== references.length) return undefined;
  const pairs: { local: string; remote: string }[] = [];
  for (let i = 0; i < fields.length; i++) {
    const fk = columnOf(holder, fields[i]);
    const ref = columnOf(other, references[i]);
    if (!fk || !ref) return undefined;
    pairs.push(holderIsLocal ? { local: fk, remote: ref } : { local: ref, remote: fk });
  }
  return pairs;
}

/** The single primary-key column of a model's table, when there is one. */
function primaryKeyColumn(ctx: PrismaContext, view: ModelView): string | undefined {
  const pk = ctx.schema.tables.get(view.table)?.indexes.find((i) => i.primary);
  if (pk && pk.keys.length === 1 && pk.keys[0].column) return pk.keys[0].column;
  return view.model?.fields.has('id') ? columnOf(view, 'id') : undefined;
}

/**
 * Resolves a relation field to the columns it joins on. Uses the relation
 * details of the schema.prisma loader (`relationInfo`) when the field came from
 * it; otherwise (hand-built models) a back-relation is matched to the first field
 * of the related model pointing back with FK fields, and implicit many-to-many
 * relations are not resolved.
 */
export function relationLink(ctx: PrismaContext, view: ModelView, field: PrismaField): RelationLink | undefined {
  const rel = field.relation;
  if (!rel || !view.model) return undefined;
  const target = viewOf(ctx, rel.model);
  if (!target?.model) return undefined;
  const base = { field, target, isList: field.isList };
  const info = relationInfo(field);
  if (info) {
    if (info.foreignKeyOn === 'none' && info.joinTable) {
      const jt = info.joinTable;
      const fks = ctx.schema.tables.get(jt.table)?.foreignKeys ?? [];
      const refOf = (col: string): string | undefined => {
        const fk = fks.find((f) => f.columns.length === 1 && f.columns[0] === col);
        return fk?.refColumns[0];
      };
      const local = refOf(jt.selfColumn) ?? primaryKeyColumn(ctx, view);
      const remote = refOf(jt.relatedColumn) ?? primaryKeyColumn(ctx, target);
      if (!local || !remote) return undefined;
      return { ...base, pairs: [{ local, remote }], fkOnThis: false, via: { table: jt.table, self: jt.selfColumn, related: jt.relatedColumn } };
    }
    const fk = info.foreignKey;
    if (fk) {
      const onThis = info.foreignKeyOn === 'self';
      const pairs = onThis
        ? pairsOf(view, target, fk.fields, fk.references, true)
        : pairsOf(target, view, fk.fields, fk.references, false);
      if (pairs) return { ...base, pairs, fkOnThis: onThis };
    }
  }
  const direct = pairsOf(view, target, rel.fields, rel.references, true);
  if (direct) return { ...base, pairs: direct, fkOnThis: true };
  for (const opposite of target.model.fields.values()) {
    const orel = opposite.relation;
    if (!orel || orel.model !== view.model.name || opposite === field) continue;
    const pairs = pairsOf(target, view, orel.fields, orel.references, false);
    if (pairs) return { ...base, pairs, fkOnThis: false };
  }
  return undefined;
}

export interface RelationAccesses {
  /** In order: the join table first for a many-to-many relation, then the related table. */
  accesses: TableAccess[];
  /** The access on the related model's table (where nested where/orderBy/take go). */
  target: TableAccess;
  /** The first access and the columns it is keyed on (the IN column of a read, the join column of a semi-join). */
  entry: TableAccess;
  entryColumns: string[];
}

/**
 * Accesses Prisma makes to follow a relation from `parentTable`:
 * - `semi` (relation filters): joined from the parent, with joinKeys;
 * - `read` (include/select/_count): a separate query keyed by `IN ($1, …)` on
 *   the entry columns (the related table's join columns, or the join table's
 *   column pointing at the parent).
 * For a many-to-many relation the related table is joined from the join table.
 */
export function relationAccesses(link: RelationLink, parentTable: string, mode: 'semi' | 'read', range?: Range): RelationAccesses {
  const target = emptyAccess(link.target.table, 'select');
  const inAtoms = (cols: string[]): LocatedAtom[] => cols.map((column) => ({ atom: { kind: 'in', column, values: [{ kind: 'param' }] }, range }));
  if (link.via) {
    const via = link.via;
    const jt = emptyAccess(via.table, 'select');
    jt.columnsRead = [via.self, via.related];
    if (mode === 'semi') {
      jt.joinKeys = link.pairs.map((p) => ({ column: via.self, otherTable: parentTable, otherColumn: p.local }));
      jt.joinedFrom = parentTable;
    } else {
      jt.predicates.push(...inAtoms([via.self]));
    }
    target.joinKeys = link.pairs.map((p) => ({ column: p.remote, otherTable: via.table, otherColumn: via.related }));
    target.joinedFrom = via.table;
    return { accesses: [jt, target], target, entry: jt, entryColumns: [via.self] };
  }
  const remotes = link.pairs.map((p) => p.remote);
  if (mode === 'semi') {
    target.joinKeys = link.pairs.map((p) => ({ column: p.remote, otherTable: parentTable, otherColumn: p.local }));
    target.joinedFrom = parentTable;
    target.columnsRead = remotes;
  } else {
    target.predicates.push(...inAtoms(remotes));
  }
  return { accesses: [target], target, entry: target, entryColumns: remotes };
}

/** SQL-like text of the semi-join a relation filter stands for. */
export function semiJoinText(link: RelationLink, negated: boolean, whereText: string): string {
  const locals = link.pairs.map((p) => p.local).join(', ');
  const from = link.via
    ? `${link.via.table} JOIN ${link.target.table} ON ${link.pairs.map((p) => `${link.target.table}.${p.remote} = ${link.via!.table}.${link.via!.related}`).join(' AND ')}`
    : link.target.table;
  const selected = link.via ? link.via.self : link.pairs.map((p) => p.remote).join(', ');
  return `(${locals}) ${negated ? 'NOT IN' : 'IN'} (SELECT ${selected} FROM ${from}${whereText ? ` WHERE ${whereText}` : ''})`;
}

/** Relation fields of a model that hold lists (what `_count: true` counts). */
export function listRelations(view: ModelView): PrismaField[] {
  if (!view.model) return [];
  return [...view.model.fields.values()].filter((f) => f.relation && f.isList);
}

/** Enum lookup over the schema's enums (names compared case-insensitively, since catalog names are folded). */
export function enumLookup(schema: SchemaModel): (enumName: string, member: string) => boolean {
  return (enumName, member) => {
    const direct = schema.enums.get(enumName) ?? schema.enums.get(enumName.toLowerCase());
    if (direct) return direct.values.includes(member);
    const lower = enumName.toLowerCase();
    for (const e of schema.enums.values()) if (e.name.toLowerCase() === lower && e.values.includes(member)) return true;
    return false;
  };
}
