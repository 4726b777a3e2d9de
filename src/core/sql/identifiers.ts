/**
 * PostgreSQL identifier rules: unquoted names fold to lower case, quoted names keep
 * their case. The parser already applies this to the names it returns; these helpers
 * serve names that reach us as text (Prisma names, config, CLI flags, messages).
 */
export function foldIdentifier(name: string): string {
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    return name.slice(1, -1).replace(/""/g, '"');
  }
  return name.toLowerCase();
}

const SAFE = /^[a-z_][a-z0-9_$]*$/;
// Reserved words that can't be column or table names unquoted (a subset that matters for index DDL).
const RESERVED = new Set(
  ('all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create ' +
    'current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc ' +
    'distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral ' +
    'leading limit localtime localtimestamp not null offset on only or order placing primary references returning ' +
    'select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with')
    .split(' '),
);

/** Quotes a catalog name for SQL when PostgreSQL would otherwise fold or reject it. */
export function quoteIdentifier(name: string): string {
  if (SAFE.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** Always-quoted form, as Prisma writes identifiers. */
export function quoteAlways(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Table names in the model are bare for the default `public` schema and `schema.table` for any
 * other (`auth.users`), so two tables of one name in two schemas stay apart.
 */
export function tableKey(rangeVar: { relname?: string; schemaname?: string } | undefined): string {
  const name = rangeVar?.relname ?? '';
  const schema = rangeVar?.schemaname;
  return schema && schema !== 'public' && schema !== 'pg_catalog' ? `${schema}.${name}` : name;
}

/** SQL for a model table name: `"users"`, `"auth"."users"`. */
export function quoteTable(key: string): string {
  const dot = key.indexOf('.');
  return dot > 0 ? `${quoteAlways(key.slice(0, dot))}.${quoteAlways(key.slice(dot + 1))}` : quoteAlways(key);
}

/** SQL for an index of a model table: indexes live in their table's schema. */
export function quoteIndex(name: string, tableKey: string): string {
  const dot = tableKey.indexOf('.');
  return dot > 0 ? `${quoteAlways(tableKey.slice(0, dot))}.${quoteAlways(name)}` : quoteAlways(name);
}
