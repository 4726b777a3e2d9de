/**
 * Prisma models as seen from Prisma Client calls: field → column mapping and
 * relation links (which columns of which tables a relation equates).
 */
import * as ts from 'typescript';
import type { LineIndex, Range } from '../../model/location';
import type { PrismaField, PrismaMapping, PrismaModel, SchemaModel } from '../../model/schema';
import type { EnumLookup } from './literals';

export interface PrismaContext {
  sf: ts.SourceFile;
  lines: LineIndex;
  schema: SchemaModel;
  mapping?: PrismaMapping;
  enums: EnumLookup;
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

/** What a key of a where/orderBy/select object names on this model. */
export function fieldInfo(ctx: PrismaContext, view: ModelView, name: string): FieldInfo {
  if (!view.model) return { kind: 'scalar', column: name };
  const field = view.model.fields.get(name);
  if (!field) return { kind: 'unknown' };
  if (field.relation) return { kind: 'relation', field, link: relationLink(ctx, view, field) };
  return { kind: 'scalar', column: field.column ?? name, field };
}

export function columnOf(view: ModelView, fieldName: string): string | undefined {
  if (!view.model) return fieldName;
  const f = view.model.fields.get(fieldName);
  if (!f || f.relation) return undefined;
  return f.column ?? fieldName;
}

/** Column pairs a relation equates: `local` on the model the relation is read from, `remote` on the related model's table. */
export interface RelationLink {
  field: PrismaField;
  target: ModelView;
  pairs: { local: string; remote: string }[];
  /** The FK columns are on this model (`Enrollment.course`); false for back-relations (`Course.enrollments`). */
  fkOnThis: boolean;
  isList: boolean;
}

/**
 * Resolves a relation field to the columns it joins on. For a back-relation
 * (no `fields`), the opposite field on the related model is found by model
 * name; PrismaField carries no relation name, so with several relations
 * between the same two models the first one holding FK fields is taken.
 * Implicit many-to-many relations (no FK on either side) resolve to undefined.
 */
export function relationLink(ctx: PrismaContext, view: ModelView, field: PrismaField): RelationLink | undefined {
  const rel = field.relation;
  if (!rel || !view.model) return undefined;
  const target = viewOf(ctx, rel.model);
  if (!target?.model) return undefined;
  if (rel.fields.length > 0 && rel.references.length === rel.fields.length) {
    const pairs: { local: string; remote: string }[] = [];
    for (let i = 0; i < rel.fields.length; i++) {
      const local = columnOf(view, rel.fields[i]);
      const remote = columnOf(target, rel.references[i]);
      if (!local || !remote) return undefined;
      pairs.push({ local, remote });
    }
    return { field, target, pairs, fkOnThis: true, isList: field.isList };
  }
  for (const opposite of target.model.fields.values()) {
    const orel = opposite.relation;
    if (!orel || orel.model !== view.model.name || opposite === field) continue;
    if (orel.fields.length === 0 || orel.references.length !== orel.fields.length) continue;
    const pairs: { local: string; remote: string }[] = [];
    let ok = true;
    for (let i = 0; i < orel.fields.length; i++) {
      const remote = columnOf(target, orel.fields[i]);
      const local = columnOf(view, orel.references[i]);
      if (!local || !remote) ok = false;
      else pairs.push({ local, remote });
    }
    if (ok) return { field, target, pairs, fkOnThis: false, isList: field.isList };
  }
  return undefined;
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
