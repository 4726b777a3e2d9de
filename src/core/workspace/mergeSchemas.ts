/**
 * One index set from both schema sources. The migrations say what the database really
 * has (partial and expression indexes included); schema.prisma says where a developer
 * edits it. Tables and indexes come from the migrations, and each index Prisma also
 * declares points at its attribute in schema.prisma, so fixes land where people edit.
 */
import { sameKeyColumns, type SchemaModel } from '../model/schema';

export function mergeSchemas(migrations: SchemaModel, prisma: SchemaModel): SchemaModel {
  const merged: SchemaModel = { tables: new Map(), enums: new Map(migrations.enums), prisma: prisma.prisma };
  if (migrations.views) merged.views = migrations.views;
  if (migrations.functions) merged.functions = migrations.functions;
  for (const [name, table] of migrations.tables) {
    const p = prisma.tables.get(name);
    const indexes = table.indexes.map((i) => {
      const twin = p?.indexes.find((x) => x.name === i.name);
      return twin?.location ? { ...i, location: twin.location, origin: 'prisma' as const } : i;
    });
    // With relationMode = "prisma" the migrations create no foreign key: the relations are schema.prisma's.
    const emulated = p?.foreignKeys.filter((f) => f.emulated && !table.foreignKeys.some((x) => sameKeyColumns(x, f))) ?? [];
    const foreignKeys = emulated.length ? [...table.foreignKeys, ...emulated] : table.foreignKeys;
    merged.tables.set(name, { ...table, indexes, foreignKeys, model: p?.model ?? table.model, location: p?.location ?? table.location });
  }
  // Tables only schema.prisma knows (not migrated yet) still take part.
  for (const [name, table] of prisma.tables) if (!merged.tables.has(name)) merged.tables.set(name, table);
  for (const [name, e] of prisma.enums) if (!merged.enums.has(name)) merged.enums.set(name, e);
  return merged;
}
