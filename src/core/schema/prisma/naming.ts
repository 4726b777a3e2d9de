/**
 * Prisma's default names for the constraints and indexes it creates on PostgreSQL.
 *
 * Mirrors `ConstraintNames` in prisma-engines
 * (psl/psl-core/src/datamodel_connector/constraint_names.rs):
 *
 *   primary key  {table}_pkey
 *   unique       {table}_{col1}_{col2}_key
 *   index        {table}_{col1}_{col2}_idx
 *   foreign key  {table}_{col1}_{col2}_fkey
 *
 * The inputs are always database names (after @map / @@map). When the name would
 * exceed PostgreSQL's identifier limit (63 bytes), Prisma truncates the joined
 * `{table}_{columns}` part — not just the table name — to `63 - suffix.length`
 * bytes (backing off to a UTF-8 character boundary), then appends the suffix, so
 * the result is at most 63 bytes.
 */

/** PostgreSQL's NAMEDATALEN - 1, what Prisma's postgres connector reports as max_identifier_length. */
export const POSTGRES_MAX_IDENTIFIER_BYTES = 63;

export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * The longest prefix of `s` that fits in `maxBytes` UTF-8 bytes without splitting a
 * character (Rust's `floor_char_boundary` + `truncate`).
 */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (utf8Length(s) <= maxBytes) return s;
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    const n = utf8Length(ch);
    if (bytes + n > maxBytes) break;
    bytes += n;
    out += ch;
  }
  return out;
}

function withSuffix(base: string, suffix: string, limit: number): string {
  return truncateUtf8(base, limit - utf8Length(suffix)) + suffix;
}

export function primaryKeyName(table: string, limit = POSTGRES_MAX_IDENTIFIER_BYTES): string {
  return withSuffix(table, '_pkey', limit);
}

export function uniqueIndexName(table: string, columns: string[], limit = POSTGRES_MAX_IDENTIFIER_BYTES): string {
  return withSuffix(`${table}_${columns.join('_')}`, '_key', limit);
}

export function nonUniqueIndexName(table: string, columns: string[], limit = POSTGRES_MAX_IDENTIFIER_BYTES): string {
  return withSuffix(`${table}_${columns.join('_')}`, '_idx', limit);
}

export function foreignKeyName(table: string, columns: string[], limit = POSTGRES_MAX_IDENTIFIER_BYTES): string {
  return withSuffix(`${table}_${columns.join('_')}`, '_fkey', limit);
}

/**
 * Implicit many-to-many relation tables: `_{RelationName}` with columns A and B,
 * a primary key `_{RelationName}_AB_pkey` (Prisma ≥ 6; a unique index
 * `_{RelationName}_AB_unique` before) and an index `_{RelationName}_B_index`.
 */
export function implicitRelationTableNames(relationName: string): { table: string; primaryKey: string; bIndex: string } {
  const table = `_${relationName}`;
  return { table, primaryKey: `${table}_AB_pkey`, bIndex: `${table}_B_index` };
}

/** Prisma Client's accessor for a model: the name with its first character lower-cased. */
export function clientAccessor(model: string): string {
  return model.length === 0 ? model : model.charAt(0).toLowerCase() + model.slice(1);
}

/** Prisma Client's selector name for a compound @@unique / @@id without `name:`. */
export function compoundSelectorName(fields: string[]): string {
  return fields.join('_');
}
