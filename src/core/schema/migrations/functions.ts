/**
 * The functions the migrations create, for their parallel safety: `CREATE [OR REPLACE] FUNCTION … PARALLEL SAFE |
 * RESTRICTED | UNSAFE` (UNSAFE when it says nothing, as PostgreSQL assumes), `ALTER FUNCTION … PARALLEL …` and
 * `DROP FUNCTION`. A query that calls one may lose its parallel plan (shapes/parallelSafety.ts).
 */
import type { FunctionDef, ParallelSafety, SchemaModel } from '../../model/schema';
import { strings, type Node } from '../../sql/expr';
import { typeNameText } from './columnTypes';

/** Parameter modes that are part of a function's signature (OUT and TABLE columns are not). */
const SIGNATURE_MODES = new Set(['FUNC_PARAM_IN', 'FUNC_PARAM_INOUT', 'FUNC_PARAM_VARIADIC', 'FUNC_PARAM_DEFAULT']);

/** Argument types as FunctionDef.args writes them (type modifiers are not part of a signature). */
function signature(types: Node[]): string {
  return types.map((t) => typeNameText(t).replace(/\(.*\)/, '')).join(', ');
}

function parallelOption(options: Node[] | undefined): ParallelSafety | undefined {
  const value = options?.find((o) => o.DefElem?.defname === 'parallel')?.DefElem.arg?.String?.sval;
  return value === 'safe' || value === 'restricted' || value === 'unsafe' ? value : undefined;
}

/** The qualified name of a CREATE / ALTER / DROP: its schema (`public` when not written) and name. */
function nameOf(parts: Node[] | undefined): { schema: string; name: string } | undefined {
  const names = strings(parts);
  const name = names.pop();
  return name ? { schema: names.pop() ?? 'public', name } : undefined;
}

export function createFunction(schema: SchemaModel, stmt: Node): void {
  // A procedure is CALLed, never part of a query.
  if (stmt.is_procedure) return;
  const id = nameOf(stmt.funcname);
  if (!id) return;
  const params: Node[] = (stmt.parameters ?? []).map((p: Node) => p.FunctionParameter).filter((p: Node | undefined) => p && SIGNATURE_MODES.has(p.mode));
  const fn: FunctionDef = { ...id, args: signature(params.map((p) => p.argType)), parallel: parallelOption(stmt.options) ?? 'unsafe' };
  const functions = (schema.functions ??= new Map<string, FunctionDef[]>());
  // OR REPLACE (or a second CREATE, which PostgreSQL refuses) gives the function the properties this one states.
  const others = (functions.get(fn.name) ?? []).filter((f) => !(f.schema === fn.schema && f.args === fn.args));
  functions.set(fn.name, [...others, fn]);
}

/** The functions an ALTER or DROP names (an ObjectWithArgs): the one with its argument types, or all of that name when it gives none. */
function matching(schema: SchemaModel, target: Node | undefined): FunctionDef[] {
  const id = nameOf(target?.objname);
  if (!id) return [];
  const args = target!.args_unspecified ? undefined : signature((target!.objargs ?? []).map((t: Node) => t.TypeName));
  return (schema.functions?.get(id.name) ?? []).filter((f) => f.schema === id.schema && (args === undefined || f.args === args));
}

// The lists and definitions are replaced, never changed: a snapshot of the schema (migration/lint/history.ts) keeps its own.

export function alterFunction(schema: SchemaModel, stmt: Node): void {
  if (stmt.objtype !== 'OBJECT_FUNCTION' && stmt.objtype !== 'OBJECT_ROUTINE') return;
  const parallel = parallelOption(stmt.actions);
  const altered = new Set(matching(schema, stmt.func));
  if (!parallel || !altered.size) return;
  const name = [...altered][0].name;
  schema.functions!.set(name, schema.functions!.get(name)!.map((f) => (altered.has(f) ? { ...f, parallel } : f)));
}

export function dropFunctions(schema: SchemaModel, objects: Node[]): void {
  for (const o of objects) {
    const gone = new Set(matching(schema, o.ObjectWithArgs));
    if (!gone.size) continue;
    const name = [...gone][0].name;
    const left = schema.functions!.get(name)!.filter((f) => !gone.has(f));
    if (left.length) schema.functions!.set(name, left);
    else schema.functions!.delete(name);
  }
}
