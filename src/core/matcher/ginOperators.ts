/**
 * GIN on jsonb and array columns: which of the containment operators each operator class serves, and the planner's
 * default share of rows such a test matches. jsonb_ops (jsonb's default) serves `@>`, `?`, `?|`, `?&` and the
 * jsonpath `@?`, `@@`; jsonb_path_ops only `@>`, `@?`, `@@` (a smaller, faster index); array_ops (an array's
 * default) and intarray's gin__int_ops `@>`, `<@`, `&&`. Not modelled: btree_gin's classes on scalar columns, `=`
 * on a whole array.
 */
import type { ContainOp } from '../model/predicate';
import type { ColumnDef } from '../model/schema';

export type GinValueKind = 'jsonb' | 'array';

const SERVED: Record<string, ReadonlySet<ContainOp>> = {
  jsonb_ops: new Set(['@>', '?', '?|', '?&', '@?', '@@']),
  jsonb_path_ops: new Set(['@>', '@?', '@@']),
  array_ops: new Set(['@>', '<@', '&&']),
  // intarray's class for int4[] (the usual one where the extension is installed).
  gin__int_ops: new Set(['@>', '<@', '&&']),
};

/** A jsonb or array column (as ColumnDef.type writes it: `jsonb`, `text[]`, `_int4`); undefined for anything else. */
export function ginValueKind(column: ColumnDef | undefined): GinValueKind | undefined {
  const type = column?.type.replace(/"/g, '').toLowerCase();
  if (!type) return undefined;
  if (type === 'jsonb') return 'jsonb';
  if (type.endsWith('[]') || /^_\w+$/.test(type) || / array$/.test(type)) return 'array';
  return undefined;
}

/** An index expression that takes a jsonb value out of a jsonb column (`(meta -> 'tags')`, `(meta #> '{a,b}')`), not text (`->>`). */
export function isJsonbPath(expression: string): boolean {
  return /(->|#>)(?!>)/.test(expression.replace(/'(?:[^']|'')*'/g, "''"));
}

/** The operators a GIN key with `opclass` (undefined: the type's default) serves on a column of `kind`. */
export function ginServes(kind: GinValueKind, opclass: string | undefined): ReadonlySet<ContainOp> {
  const name = (opclass ?? (kind === 'jsonb' ? 'jsonb_ops' : 'array_ops')).toLowerCase();
  if (kind === 'jsonb' && name !== 'jsonb_ops' && name !== 'jsonb_path_ops') return new Set();
  return SERVED[name] ?? new Set();
}

/**
 * The share of rows a containment test matches without statistics to evaluate it against: matchingsel()'s
 * DEFAULT_MATCHING_SEL for jsonb (PostgreSQL 13+), array_selfuncs.c's DEFAULT_OVERLAP_SEL for `&&` and
 * DEFAULT_CONTAIN_SEL for `@>` and `<@` on arrays.
 */
export function containSelectivity(kind: GinValueKind | undefined, op: ContainOp): number {
  if (kind !== 'array') return 0.01;
  return op === '&&' ? 0.01 : 0.005;
}
