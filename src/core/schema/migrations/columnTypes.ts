import { strings, type Node } from '../../sql/expr';

/** Renders a TypeName node the way `format_type` would print it, close enough for messages and mapping. */
export function typeNameText(tn: Node | undefined): string {
  if (!tn) return 'unknown';
  const names = strings(tn.names).filter((n) => n !== 'pg_catalog');
  let base = names.join('.');
  const alias: Record<string, string> = {
    int4: 'integer',
    int8: 'bigint',
    int2: 'smallint',
    float8: 'double precision',
    float4: 'real',
    bool: 'boolean',
    varchar: 'varchar',
    bpchar: 'char',
    timestamptz: 'timestamptz',
  };
  base = alias[base] ?? base;
  const mods = (tn.typmods ?? [])
    .map((m: Node) => m.A_Const?.ival?.ival ?? (m.A_Const?.ival ? 0 : undefined))
    .filter((x: unknown) => x !== undefined);
  if (mods.length) base += `(${mods.join(',')})`;
  if (tn.arrayBounds?.length) base += '[]';
  return base;
}
