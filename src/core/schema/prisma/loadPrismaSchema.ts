import type { Finding } from '../../model/finding';
import { LineIndex, ZERO_RANGE, type Range, type SourceLocation } from '../../model/location';
import {
  emptySchema,
  type ColumnDef,
  type EnumDef,
  type IndexDef,
  type IndexKey,
  type LeftOutField,
  type PrismaField,
  type PrismaMapping,
  type PrismaModel,
  type SchemaModel,
  type TableDef,
} from '../../model/schema';
import {
  getDatamodel,
  parseEngineError,
  type DmmfDatamodel,
  type EngineDiagnostic,
  type DmmfField,
  type DmmfIndex,
  type DmmfModel,
} from './dmmf';
import {
  clientAccessor,
  compoundSelectorName,
  foreignKeyName,
  implicitRelationTableNames,
  nonUniqueIndexName,
  primaryKeyName,
  uniqueIndexName,
} from './naming';
import { attributeFieldNames, firstStringArgument, listArgument, scanPrismaSchema, stringArgument, type AttributeSpan, type BlockSpan, type FieldSpan } from './ranges';
import { readDatasource, withDatasourceUrl, writtenLine } from './datasource';
import { leftOutNotes, recoverDatamodel, type LeftOut } from './recover';
import { operatorClassSql, prismaColumnType, unsupportedType } from './types';

export interface LoadedPrismaSchema {
  schema: SchemaModel;
  problems: Finding[];
}

/**
 * What a relation field means in SQL, beyond what `PrismaField.relation` can say.
 * Get it with {@link relationInfo}.
 */
export interface RelationInfo {
  /** Prisma's relation name (`PostToUser`, or the name given in `@relation("…")`). */
  relationName: string;
  /** The relation field on the other side (same relation name), when there is one. */
  oppositeField?: string;
  /**
   * Which model's table holds the foreign key:
   * `'self'` — this field's model (the side declaring `@relation(fields: …)`);
   * `'related'` — the related model (this is the back-relation side);
   * `'none'` — neither: an implicit many-to-many through `joinTable`.
   */
  foreignKeyOn: 'self' | 'related' | 'none';
  /**
   * The foreign key whichever side this field is on: `model` holds it, `fields` are
   * that model's FK fields, `references` the referenced fields of the other model.
   * Absent for implicit many-to-many.
   */
  foreignKey?: { model: string; fields: string[]; references: string[] };
  /** For implicit many-to-many: the relation table and which of its columns points at each side. */
  joinTable?: { table: string; selfColumn: 'A' | 'B'; relatedColumn: 'A' | 'B' };
}

const relationInfos = new WeakMap<PrismaField, RelationInfo>();

/**
 * Relation details of a field produced by {@link loadPrismaSchema} (undefined for
 * scalar fields and for fields built elsewhere, e.g. by hand in tests).
 */
export function relationInfo(field: PrismaField): RelationInfo | undefined {
  return relationInfos.get(field);
}

/**
 * Reads a schema.prisma into the shared {@link SchemaModel}. Never throws: when the
 * engine rejects the schema, its errors are `parse-error` findings and the model holds
 * the models, views and enums not at fault (./recover), their names in
 * `prisma.leftOut`; it is empty when none survives.
 *
 * Meaning comes from Prisma's engine (`get_dmmf` of @prisma/prisma-schema-wasm);
 * positions come from a tolerant scan of the text (./ranges).
 *
 * Tables: one per model, named by @@map (else the model name), schema from @@schema
 * (else `public`), plus one per implicit many-to-many relation (`_CategoryToPost`
 * with columns A/B, `…_AB_pkey` and `…_B_index`, as Prisma 6 creates them).
 * Indexes: the primary key (`constraint: true`), every @unique/@@unique (unique
 * indexes, `constraint: false`), every @@index; unnamed ones get Prisma's default
 * names (./naming). `location` is the attribute text (`@unique`, `@@index([...])`).
 *
 * `schema.prisma` (PrismaMapping) conventions:
 * - `fields` holds scalar and enum fields (`column` = @map or the name; `type` = the
 *   Prisma type name) and relation fields (`type` = related model, no `column`).
 *   `Unsupported(...)` fields are columns of the table but not Prisma fields (Prisma
 *   Client can't read them).
 * - `relation` follows the contract of `PrismaField.relation` in model/schema.ts:
 *   on the side declaring `@relation(fields: [authorId], references: [id])`,
 *   `fields` are this model's FK fields and `references` the related model's fields;
 *   on the back-relation side (`posts Post[]`, or the bare side of a 1-1) and on both
 *   sides of an implicit many-to-many, both are empty. So non-empty `fields` ⇔ this
 *   model's table holds the FK. For the back side, `relationInfo(field)` gives the
 *   opposite field (matched by relation name, so several relations between the same
 *   two models and self-relations are unambiguous) and the FK it declares
 *   (`foreignKey: { model, fields, references }`, fields on the model holding the FK),
 *   and for implicit many-to-many the `_AToB` join table and its A/B columns.
 * - `compoundUniques`: Prisma Client's compound selector names (`userId_courseId`, or
 *   the `name:` argument) of every multi-field @@unique and of a multi-field @@id.
 * - `accessors`: `courseProgress` → `CourseProgress` (model name, first letter lower-cased).
 */
export function loadPrismaSchema(text: string, file: string): LoadedPrismaSchema {
  const lines = new LineIndex(text);
  const engineText = withDatasourceUrl(text);
  let datamodel: DmmfDatamodel;
  try {
    datamodel = getDatamodel(engineText);
  } catch (e) {
    return readWhatIsValid(e, text, engineText, file, lines);
  }
  try {
    return { schema: buildSchema(datamodel, text, file, lines), problems: [] };
  } catch (e) {
    return {
      schema: emptySchema(),
      problems: [
        {
          rule: 'parse-error',
          severity: 'error',
          message: `Could not read schema.prisma: ${e instanceof Error ? e.message : String(e)}`,
          file,
          range: ZERO_RANGE,
          related: [],
        },
      ],
    };
  }
}

/**
 * The engine rejected the text: its errors as problems, and the models, views and
 * enums not at fault (./recover), each problem saying what its error leaves out.
 * Nothing is read when no model survives.
 */
/** `engineText`: the text as the engine read it (withDatasourceUrl), the same up to the original's end. */
function readWhatIsValid(thrown: unknown, text: string, engineText: string, file: string, lines: LineIndex): LoadedPrismaSchema {
  // An error in the datasource written again after the text (withDatasourceUrl) is placed on the block's line.
  const located = engineProblems(thrown, text, file, lines, engineText === text ? undefined : (line) => writtenLine(text, line));
  const problems = located.map((l) => l.finding);
  const recovered = recoverDatamodel(engineText);
  if (!recovered || recovered.datamodel.models.length === 0) return { schema: emptySchema(), problems };
  let schema: SchemaModel;
  try {
    schema = buildSchema(recovered.datamodel, recovered.text, file, lines);
  } catch {
    return { schema: emptySchema(), problems };
  }
  // A second definition of a model is left out, the first one is read.
  const blocks = recovered.leftOut.filter((l) => l.kind !== 'field' && !schema.prisma?.models.has(l.name));
  if (schema.prisma && blocks.length > 0) {
    schema.prisma.leftOut = blocks.map((l) => l.name);
    schema.prisma.leftOutAt = new Map(blocks.map((l) => [l.name, { kind: l.kind, range: lineRange(text, lines, lines.position(l.start).line) }]));
  }
  const fields = recovered.leftOut.filter((l) => l.kind === 'field' && schema.prisma?.models.has(l.name.slice(0, l.name.indexOf('.'))));
  if (schema.prisma && fields.length > 0) {
    const blocks = scanPrismaSchema(text);
    schema.prisma.leftOutFields = new Map(fields.map((l) => [l.name, leftOutField(l, blocks, text, lines)]));
  }
  const notes = leftOutNotes(text, located.map((l) => l.offset), recovered.leftOut);
  return { schema, problems: problems.map((p, i) => (notes[i] ? { ...p, message: p.message + notes[i] } : p)) };
}

/** `line`: where a 0-based line of the text the engine read is in `text`, when the two differ. */
function engineProblems(thrown: unknown, text: string, file: string, lines: LineIndex, line?: (engineLine: number) => number): { finding: Finding; offset?: number }[] {
  let diagnostics: EngineDiagnostic[];
  try {
    diagnostics = parseEngineError(thrown);
  } catch {
    diagnostics = [{ message: String(thrown) }];
  }
  return diagnostics.map((d) => {
    const range = d.line !== undefined ? lineRange(text, lines, line ? line(d.line - 1) : d.line - 1, d.highlight) : ZERO_RANGE;
    const finding: Finding = { rule: 'parse-error', severity: 'error', message: d.message, file, range, related: [] };
    return range === ZERO_RANGE ? { finding } : { finding, offset: lines.offset(range.start) };
  });
}

/** A left-out relation field (`Model.field`) as declared: its line, its @relation's FK fields, why. */
function leftOutField(l: LeftOut, blocks: BlockSpan[], text: string, lines: LineIndex): LeftOutField {
  const [model, name] = l.name.split('.');
  const span = blocks.find((b) => b.name === model && b.start <= l.start && l.start < b.end)?.fields.find((f) => f.name === name);
  const relation = span?.attributes.find((a) => !a.block && a.name === 'relation');
  const field = { range: lineRange(text, lines, lines.position(l.start).line), fields: relation ? listArgument(relation.argsText, 'fields') : [] };
  return l.because === undefined ? field : { ...field, because: l.because };
}

/** The highlighted text on a 0-based line, else the line without its indentation. */
function lineRange(text: string, lines: LineIndex, line: number, highlight?: string): Range {
  const start = lines.offset({ line, character: 0 });
  if (lines.position(start).line !== line) return ZERO_RANGE;
  let end = start;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  const content = text.slice(start, end);
  if (highlight) {
    const at = content.indexOf(highlight);
    if (at >= 0) return lines.range(start + at, start + at + highlight.length);
  }
  const indent = content.length - content.trimStart().length;
  return lines.range(start + indent, start + content.length);
}

interface ModelContext {
  model: DmmfModel;
  table: TableDef;
  block?: BlockSpan;
  /** Field name → column name, including Unsupported fields. */
  columnOf: Map<string, string>;
}

function buildSchema(dm: DmmfDatamodel, text: string, file: string, lines: LineIndex): SchemaModel {
  const schema = emptySchema();
  const blocks = scanPrismaSchema(text);
  const blockOf = new Map<string, BlockSpan>();
  for (const b of blocks) {
    if ((b.kind === 'model' || b.kind === 'view') && !blockOf.has(b.name)) blockOf.set(b.name, b);
  }
  const loc = (start: number, end: number): SourceLocation => ({ file, range: lines.range(start, end) });

  // Enums, by catalog name (@@map, else the enum name).
  const enumDbName = new Map<string, string>();
  for (const e of dm.enums) {
    const name = e.dbName ?? e.name;
    enumDbName.set(e.name, name);
    const def: EnumDef = { name, values: e.values.map((v) => v.dbName ?? v.name) };
    schema.enums.set(name, def);
  }

  const mapping: PrismaMapping = { file, models: new Map(), accessors: new Map() };
  const contexts = new Map<string, ModelContext>();

  for (const model of dm.models) {
    const block = blockOf.get(model.name);
    const tableName = model.dbName ?? model.name;
    const table: TableDef = {
      name: tableName,
      schema: model.schema ?? 'public',
      columns: new Map(),
      indexes: [],
      foreignKeys: [],
      model: model.name,
    };
    if (block) table.location = loc(block.start, block.headerEnd);
    const fieldSpans = new Map<string, FieldSpan>();
    for (const f of block?.fields ?? []) if (!fieldSpans.has(f.name)) fieldSpans.set(f.name, f);

    const columnOf = new Map<string, string>();
    const prismaModel: PrismaModel = {
      name: model.name,
      table: tableName,
      fields: new Map(),
      compoundUniques: new Map(),
      location: table.location,
    };

    // Columns in declaration order: DMMF fields, with Unsupported(...) fields (absent from DMMF) slotted in from the text.
    const dmmfFields = new Map(model.fields.map((f) => [f.name, f]));
    const order: string[] = block ? block.fields.map((f) => f.name).filter((n) => dmmfFields.has(n) || isUnsupportedSpan(fieldSpans.get(n))) : [];
    for (const f of model.fields) if (!order.includes(f.name)) order.push(f.name);

    for (const name of order) {
      const f = dmmfFields.get(name);
      const span = fieldSpans.get(name);
      if (!f) {
        // An Unsupported("type") field: a column Prisma manages but Prisma Client can't see.
        if (!span) continue;
        const column = mappedName(span) ?? span.name;
        const typeText = span.typeText.trim();
        const list = /\[\s*\]\s*\??$/.test(typeText);
        const def: ColumnDef = {
          name: column,
          type: (unsupportedType(typeText) ?? 'unknown') + (list ? '[]' : ''),
          nullable: typeText.endsWith('?') || list,
          location: loc(span.start, span.end),
        };
        table.columns.set(column, def);
        columnOf.set(span.name, column);
        continue;
      }
      if (f.kind === 'object') {
        prismaModel.fields.set(f.name, { name: f.name, type: f.type, isList: f.isList });
        continue;
      }
      const column = f.dbName ?? f.name;
      const enumName = f.kind === 'enum' ? enumDbName.get(f.type) ?? f.type : undefined;
      const def: ColumnDef = {
        name: column,
        type: prismaColumnType(f.type, f.nativeType, f.isList, enumName),
        nullable: f.isList || !f.isRequired,
      };
      if (enumName !== undefined) def.enumName = enumName;
      if (span) def.location = loc(span.start, span.end);
      table.columns.set(column, def);
      columnOf.set(f.name, column);
      prismaModel.fields.set(f.name, { name: f.name, column, type: f.type, isList: f.isList });
    }

    // Compound selectors for Prisma Client's `where`.
    if (model.primaryKey && model.primaryKey.fields.length > 1) {
      const pk = model.primaryKey;
      prismaModel.compoundUniques.set(pk.name ?? compoundSelectorName(pk.fields), [...pk.fields]);
    }
    for (const u of model.uniqueIndexes) {
      if (u.fields.length > 1) prismaModel.compoundUniques.set(u.name ?? compoundSelectorName(u.fields), [...u.fields]);
    }

    // A view maps Prisma Client calls to its name, but it is no table: it has no indexes of its own (its @@unique
    // declares none), migrations do not manage it, and what a query on it reads depends on its definition.
    if (block?.kind !== 'view') schema.tables.set(tableName, table);
    mapping.models.set(model.name, prismaModel);
    mapping.accessors.set(clientAccessor(model.name), model.name);
    contexts.set(model.name, { model, table, block, columnOf });
  }

  addIndexes(dm, contexts, loc);
  addRelations(dm, mapping, contexts, schema, blockOf, loc);
  if (readDatasource(text, blocks)?.relationMode === 'prisma') {
    // Prisma creates no foreign key then (nor on an implicit many-to-many table): Prisma Client keeps the relations.
    mapping.relationMode = 'prisma';
    for (const t of schema.tables.values()) for (const fk of t.foreignKeys) fk.emulated = true;
  }
  schema.prisma = mapping;
  return schema;
}

function fieldSpanOf(block: BlockSpan | undefined, field: string): FieldSpan | undefined {
  return block?.fields.find((f) => f.name === field);
}

function isUnsupportedSpan(span: FieldSpan | undefined): boolean {
  return span !== undefined && /^Unsupported\s*\(/.test(span.typeText.trim());
}

function mappedName(span: FieldSpan): string | undefined {
  const map = span.attributes.find((a) => a.name === 'map' && !a.block);
  return map ? firstStringArgument(map.argsText) : undefined;
}

const INDEX_ATTRIBUTE: Record<DmmfIndex['type'], string> = { id: 'id', unique: 'unique', normal: 'index', fulltext: 'fulltext' };

function addIndexes(
  dm: DmmfDatamodel,
  contexts: Map<string, ModelContext>,
  loc: (start: number, end: number) => SourceLocation,
): void {
  const usedBlockAttrs = new Set<AttributeSpan>();
  const indexes = dm.indexes ?? derivedIndexes(dm);
  for (const ix of indexes) {
    const ctx = contexts.get(ix.model);
    if (!ctx) continue;
    if (ix.type === 'fulltext') continue; // MySQL / MongoDB only
    const { table, block, columnOf } = ctx;
    const columns = ix.fields.map((f) => columnOf.get(f.name) ?? f.name);
    const keys: IndexKey[] = ix.fields.map((f, i) => {
      const desc = f.sortOrder === 'desc';
      const key: IndexKey = { column: columns[i], desc, nullsFirst: desc };
      if (f.operatorClass) key.opclass = operatorClassSql(f.operatorClass);
      return key;
    });
    const primary = ix.type === 'id';
    const unique = primary || ix.type === 'unique';
    const name =
      ix.dbName ??
      (primary
        ? primaryKeyName(table.name)
        : unique
          ? uniqueIndexName(table.name, columns)
          : nonUniqueIndexName(table.name, columns));
    const def: IndexDef = {
      name,
      table: table.name,
      method: (ix.algorithm ?? 'btree').toLowerCase(),
      keys,
      include: [],
      unique,
      primary,
      constraint: primary,
      valid: true,
      origin: 'prisma',
    };

    // Where it's written: the field attribute, or the matching block attribute.
    const attrName = INDEX_ATTRIBUTE[ix.type];
    let attr: AttributeSpan | undefined;
    if (ix.isDefinedOnField) {
      attr = fieldSpanOf(block, ix.fields[0]?.name ?? '')?.attributes.find((a) => !a.block && a.name === attrName);
    } else if (block) {
      const candidates = block.attributes.filter((a) => a.name === attrName && !usedBlockAttrs.has(a));
      const wanted = ix.fields.map((f) => f.name).join(',');
      attr = candidates.find((a) => attributeFieldNames(a.argsText).join(',') === wanted) ?? candidates[0];
      if (attr) usedBlockAttrs.add(attr);
    }
    if (attr) def.location = loc(attr.start, attr.end);
    else if (table.location) def.location = table.location;
    table.indexes.push(def);
  }
}

/** Older engines without `datamodel.indexes`: rebuild them from fields, primaryKey and uniqueIndexes. */
function derivedIndexes(dm: DmmfDatamodel): DmmfIndex[] {
  const out: DmmfIndex[] = [];
  for (const m of dm.models) {
    for (const f of m.fields) if (f.isId) out.push({ model: m.name, type: 'id', isDefinedOnField: true, fields: [{ name: f.name }] });
    if (m.primaryKey) out.push({ model: m.name, type: 'id', isDefinedOnField: false, fields: m.primaryKey.fields.map((name) => ({ name })) });
    for (const f of m.fields) if (f.isUnique) out.push({ model: m.name, type: 'unique', isDefinedOnField: true, fields: [{ name: f.name }] });
    for (const u of m.uniqueIndexes) out.push({ model: m.name, type: 'unique', isDefinedOnField: false, fields: u.fields.map((name) => ({ name })) });
  }
  return out;
}

function addRelations(
  dm: DmmfDatamodel,
  mapping: PrismaMapping,
  contexts: Map<string, ModelContext>,
  schema: SchemaModel,
  blockOf: Map<string, BlockSpan>,
  loc: (start: number, end: number) => SourceLocation,
): void {
  const byRelation = new Map<string, { model: DmmfModel; field: DmmfField }[]>();
  for (const model of dm.models) {
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.relationName) continue;
      const list = byRelation.get(field.relationName) ?? [];
      list.push({ model, field });
      byRelation.set(field.relationName, list);
    }
  }

  const createdJoinTables = new Set<string>();
  for (const [relationName, sides] of byRelation) {
    for (const side of sides) {
      const prismaField = mapping.models.get(side.model.name)?.fields.get(side.field.name);
      if (!prismaField) continue;
      const own = side.field;
      const opposite = sides.find((s) => s !== side);
      const ownFrom = own.relationFromFields ?? [];
      const oppFrom = opposite?.field.relationFromFields ?? [];
      const info: RelationInfo = { relationName, foreignKeyOn: 'none' };
      if (opposite) info.oppositeField = opposite.field.name;
      if (ownFrom.length > 0) {
        const references = [...(own.relationToFields ?? [])];
        prismaField.relation = { model: own.type, fields: [...ownFrom], references };
        info.foreignKeyOn = 'self';
        info.foreignKey = { model: side.model.name, fields: [...ownFrom], references: [...references] };
        addForeignKey(side.model, own, contexts, blockOf, loc);
      } else {
        prismaField.relation = { model: own.type, fields: [], references: [] };
        if (opposite && oppFrom.length > 0) {
          info.foreignKeyOn = 'related';
          info.foreignKey = { model: opposite.model.name, fields: [...oppFrom], references: [...(opposite.field.relationToFields ?? [])] };
        } else if (own.isList && opposite?.field.isList) {
          const join = implicitJoinTable(relationName, side, opposite, contexts, schema, blockOf, createdJoinTables, loc);
          if (join) info.joinTable = join;
        }
      }
      relationInfos.set(prismaField, info);
    }
  }
}

/** The FOREIGN KEY constraint Prisma creates for `@relation(fields: [...], references: [...])`. */
function addForeignKey(model: DmmfModel, field: DmmfField, contexts: Map<string, ModelContext>, blockOf: Map<string, BlockSpan>, loc: (start: number, end: number) => SourceLocation): void {
  const ctx = contexts.get(model.name);
  const target = contexts.get(field.type);
  if (!ctx || !target) return;
  const columns = (field.relationFromFields ?? []).map((f) => ctx.columnOf.get(f) ?? f);
  const refColumns = (field.relationToFields ?? []).map((f) => target.columnOf.get(f) ?? f);
  const span = fieldSpanOf(blockOf.get(model.name), field.name);
  const relationAttr = span?.attributes.find((a) => !a.block && a.name === 'relation');
  const mapped = relationAttr ? stringArgument(relationAttr.argsText, 'map') : undefined;
  ctx.table.foreignKeys.push({
    name: mapped ?? foreignKeyName(ctx.table.name, columns),
    columns,
    refTable: target.table.name,
    refColumns,
    ...(relationAttr && /(?:^|[\s,(])onDelete\s*:\s*Cascade\b/.test(relationAttr.argsText) ? { cascades: true as const } : {}),
    ...(span ? { location: loc(span.start, span.end) } : {}),
  });
}

/**
 * Implicit many-to-many: Prisma creates `_{relationName}` with column A pointing at
 * the model whose name sorts first and B at the other, a primary key on (A, B), an
 * index on B and FKs `_{relationName}_A_fkey` / `_B_fkey`. In a self-relation, A holds
 * the records listed by the field whose name sorts first (Prisma docs, "Troubleshooting
 * relations").
 */
function implicitJoinTable(
  relationName: string,
  side: { model: DmmfModel; field: DmmfField },
  opposite: { model: DmmfModel; field: DmmfField },
  contexts: Map<string, ModelContext>,
  schema: SchemaModel,
  blockOf: Map<string, BlockSpan>,
  created: Set<string>,
  loc: (start: number, end: number) => SourceLocation,
): RelationInfo['joinTable'] {
  // Prisma orders the two fields by (related model, field name): the first one's
  // related records are in column A. So A references the model whose name sorts
  // first; in a self-relation the field sorting first lists the A side.
  const ownKey: [string, string] = [side.field.type, side.field.name];
  const oppKey: [string, string] = [opposite.field.type, opposite.field.name];
  const ownIsFirst = ownKey[0] < oppKey[0] || (ownKey[0] === oppKey[0] && ownKey[1] < oppKey[1]);
  const selfColumn: 'A' | 'B' = ownIsFirst ? 'B' : 'A';
  const relatedColumn: 'A' | 'B' = selfColumn === 'A' ? 'B' : 'A';
  const names = implicitRelationTableNames(relationName);

  if (!created.has(names.table)) {
    created.add(names.table);
    const [first, second] = side.model.name <= opposite.model.name ? [side, opposite] : [opposite, side];
    const idType = (modelName: string): string => {
      const ctx = contexts.get(modelName);
      const idField = ctx?.model.fields.find((f) => f.isId) ?? ctx?.model.fields.find((f) => ctx.model.primaryKey?.fields[0] === f.name);
      const column = idField ? ctx?.columnOf.get(idField.name) : undefined;
      return (column && ctx?.table.columns.get(column)?.type) || 'text';
    };
    const fieldSpan = blockOf.get(first.model.name)?.fields.find((f) => f.name === first.field.name);
    const location = fieldSpan ? loc(fieldSpan.start, fieldSpan.end) : contexts.get(first.model.name)?.table.location;
    const table: TableDef = {
      name: names.table,
      schema: first.model.schema ?? 'public',
      columns: new Map([
        ['A', { name: 'A', type: idType(first.model.name), nullable: false }],
        ['B', { name: 'B', type: idType(second.model.name), nullable: false }],
      ]),
      indexes: [],
      foreignKeys: [],
    };
    if (location) table.location = location;
    const index = (name: string, cols: string[], primary: boolean): IndexDef => {
      const def: IndexDef = {
        name,
        table: names.table,
        method: 'btree',
        keys: cols.map((column) => ({ column, desc: false, nullsFirst: false })),
        include: [],
        unique: primary,
        primary,
        constraint: primary,
        valid: true,
        origin: 'prisma',
      };
      if (location) def.location = location;
      return def;
    };
    table.indexes.push(index(names.primaryKey, ['A', 'B'], true), index(names.bIndex, ['B'], false));
    for (const [column, side] of [['A', first], ['B', second]] as const) {
      const target = contexts.get(side.model.name);
      const pk = target?.table.indexes.find((i) => i.primary);
      if (!target || !pk) continue;
      // Prisma creates an implicit many-to-many table's keys ON DELETE CASCADE.
      table.foreignKeys.push({
        name: foreignKeyName(names.table, [column]),
        columns: [column],
        refTable: target.table.name,
        refColumns: pk.keys.map((k) => k.column ?? ''),
        cascades: true,
        ...(location ? { location } : {}),
      });
    }
    if (!schema.tables.has(names.table)) schema.tables.set(names.table, table);
  }
  return { table: names.table, selfColumn, relatedColumn };
}
