/**
 * Prisma scalar / native types → the PostgreSQL column type `prisma migrate` writes,
 * lower-cased (`text`, `timestamp(3)`, `decimal(65,30)`, `varchar(255)`).
 *
 * Follows the postgres renderer of prisma-engines' sql-migration-connector
 * (`render_column_type`): without `@db.*`, String → TEXT, Int → INTEGER,
 * BigInt → BIGINT, Float → DOUBLE PRECISION, Decimal → DECIMAL(65,30),
 * Boolean → BOOLEAN, DateTime → TIMESTAMP(3), Json → JSONB, Bytes → BYTEA;
 * lists get `[]`. Autoincrement columns are written SERIAL / BIGSERIAL /
 * SMALLSERIAL in migrations but are integer / bigint / smallint in the catalog,
 * which is what we return.
 */

const SCALAR_DEFAULTS: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'decimal(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3)',
  Json: 'jsonb',
  Bytes: 'bytea',
};

/** `@db.X` name → SQL type name (arguments are appended as written). */
const NATIVE_TYPES: Record<string, string> = {
  SmallInt: 'smallint',
  Integer: 'integer',
  BigInt: 'bigint',
  Decimal: 'decimal',
  Money: 'money',
  Inet: 'inet',
  Oid: 'oid',
  Citext: 'citext',
  Real: 'real',
  DoublePrecision: 'double precision',
  VarChar: 'varchar',
  Char: 'char',
  Text: 'text',
  ByteA: 'bytea',
  Timestamp: 'timestamp',
  Timestamptz: 'timestamptz',
  Date: 'date',
  Time: 'time',
  Timetz: 'timetz',
  Boolean: 'boolean',
  Bit: 'bit',
  VarBit: 'varbit',
  Uuid: 'uuid',
  Xml: 'xml',
  Json: 'json',
  JsonB: 'jsonb',
};

/** DMMF's `nativeType`: `["VarChar", ["255"]]`. */
export type DmmfNativeType = [string, string[]] | null | undefined;

/**
 * The column type for a scalar field. `enumDbName` is the enum's catalog name
 * when the field's kind is `enum` (the type is then that name, as Prisma quotes it).
 */
export function prismaColumnType(
  scalar: string,
  nativeType: DmmfNativeType,
  isList: boolean,
  enumDbName?: string,
): string {
  let base: string;
  if (enumDbName !== undefined) {
    base = enumDbName;
  } else if (nativeType && NATIVE_TYPES[nativeType[0]] !== undefined) {
    const args = nativeType[1] ?? [];
    base = NATIVE_TYPES[nativeType[0]] + (args.length > 0 ? `(${args.map((a) => a.trim()).join(',')})` : '');
  } else if (nativeType) {
    base = nativeType[0].toLowerCase();
  } else {
    base = SCALAR_DEFAULTS[scalar] ?? scalar.toLowerCase();
  }
  return isList ? `${base}[]` : base;
}

/** `Unsupported("tsvector")` → `tsvector`; undefined when the type isn't Unsupported(...). */
export function unsupportedType(typeText: string): string | undefined {
  const m = /^Unsupported\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\)/.exec(typeText.trim());
  return m ? m[1].replace(/\\(.)/g, '$1').toLowerCase() : undefined;
}

/**
 * Prisma's operator class names (`ops: JsonbPathOps`) → PostgreSQL's
 * (`jsonb_path_ops`), as in sql-schema-describer's `SQLOperatorClassKind::as_ref`.
 * `raw("gin_trgm_ops")` reaches us already in SQL form and is returned unchanged.
 */
export function operatorClassSql(prismaName: string): string {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(prismaName)) return prismaName;
  return prismaName
    .replace(/MinMax/g, 'Minmax')
    .replace(/TimestampTz/g, 'Timestamptz')
    .replace(/TimeTz/g, 'Timetz')
    .replace(/VarBit/g, 'Varbit')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
