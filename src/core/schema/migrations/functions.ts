/**
 * The functions and aggregates the migrations create, for their parallel safety: `CREATE [OR REPLACE] FUNCTION …
 * PARALLEL SAFE | RESTRICTED | UNSAFE` (UNSAFE when it says nothing, as PostgreSQL assumes), `CREATE AGGREGATE (…,
 * PARALLEL = …)`, `ALTER FUNCTION … PARALLEL … | RENAME TO | SET SCHEMA` and `DROP FUNCTION`. A query that calls one
 * may lose its parallel plan (shapes/parallelSafety.ts).
 *
 * A name written without a schema is taken to be in `public`: a migration's `SET search_path` is not followed.
 */
import type { FunctionDef, ParallelSafety, SchemaModel } from '../../model/schema';
import { AGGREGATE_FUNCTIONS, defElem as option, funcCallQualifiedName, strings, walk, type Node } from '../../sql/expr';
import { parseStatement } from '../../sql/parser';
import { typeNameText } from './columnTypes';

/** Parameter modes that are part of a function's signature (OUT and TABLE columns are not). */
const SIGNATURE_MODES = new Set(['FUNC_PARAM_IN', 'FUNC_PARAM_INOUT', 'FUNC_PARAM_VARIADIC', 'FUNC_PARAM_DEFAULT']);

/** Argument types as FunctionDef.args writes them: without a type's schema or modifiers, which don't tell overloads apart. */
function signature(types: Node[]): string {
  return types.map((t) => typeNameText({ ...t, names: strings(t?.names).slice(-1).map((sval) => ({ String: { sval } })), typmods: undefined })).join(', ');
}

function safety(value: unknown): ParallelSafety | undefined {
  return value === 'safe' || value === 'restricted' || value === 'unsafe' ? value : undefined;
}

/** The qualified name of a CREATE / ALTER / DROP: its schema (`public` when not written) and name. */
function nameOf(parts: Node[] | undefined): { schema: string; name: string } | undefined {
  const names = strings(parts);
  const name = names.pop();
  return name ? { schema: names.pop() ?? 'public', name } : undefined;
}

/**
 * The function a CREATE FUNCTION statement makes (undefined for a procedure: it is CALLed, never part of a query).
 * Shared with the database's catalog, read as pg_get_functiondef() writes each function.
 */
export function functionFromCreate(stmt: Node): FunctionDef | undefined {
  if (stmt.is_procedure) return undefined;
  const id = nameOf(stmt.funcname);
  if (!id) return undefined;
  const params: Node[] = (stmt.parameters ?? []).map((p: Node) => p.FunctionParameter).filter((p: Node | undefined) => p && SIGNATURE_MODES.has(p.mode));
  const fn: FunctionDef = { ...id, args: signature(params.map((p) => p.argType)), parallel: safety(option(stmt.options, 'parallel')?.arg?.String?.sval) ?? 'unsafe', onSearchPath: id.schema === 'public' };
  const inlined = inlinedCalls(stmt);
  if (inlined) fn.inlinedCalls = inlined;
  return fn;
}

/**
 * The functions an inlined SQL function's body calls, when PostgreSQL inlines it (inline_function(), PostgreSQL 15):
 * LANGUAGE sql, not SECURITY DEFINER, STRICT or SETOF, no SET, a body that is one expression (`SELECT expr` without
 * FROM…, or `RETURN expr`) without sub-selects or aggregates. A function declared IMMUTABLE or STABLE is inlined only
 * when its body is no more volatile, which is not known here for a body that calls functions: taken as not inlined then.
 */
function inlinedCalls(stmt: Node): { schema?: string; name: string }[] | undefined {
  const o = stmt.options;
  // A body written in SQL (`RETURN …`, `BEGIN ATOMIC …`) needs no LANGUAGE clause.
  const language = option(o, 'language')?.arg?.String?.sval ?? (stmt.sql_body ? 'sql' : undefined);
  if (language !== 'sql' || option(o, 'security')?.arg?.Boolean?.boolval || option(o, 'strict')?.arg?.Boolean?.boolval) return undefined;
  if (option(o, 'set') || stmt.returnType?.setof) return undefined;
  let body: Node | undefined;
  if (stmt.sql_body?.ReturnStmt) body = stmt.sql_body.ReturnStmt.returnval;
  else {
    const text = option(o, 'as')?.arg?.List?.items?.[0]?.String?.sval;
    let select: Node | undefined;
    try {
      select = typeof text === 'string' ? parseStatement(text)?.SelectStmt : undefined;
    } catch {
      return undefined;
    }
    const { targetList, op, limitOption, ...rest } = select ?? {};
    void op;
    void limitOption;
    if (!select || targetList?.length !== 1 || Object.keys(rest).length > 0) return undefined;
    body = targetList[0].ResTarget?.val;
  }
  if (!body) return undefined;
  const calls: { schema?: string; name: string }[] = [];
  let inlinable = true;
  walk(body, (node, type) => {
    if (type === 'SubLink') inlinable = false;
    if (type === 'FuncCall') {
      const call = funcCallQualifiedName(node);
      if ((AGGREGATE_FUNCTIONS.has(call.name) && !call.schema) || node.FuncCall.over) inlinable = false;
      calls.push(call);
    }
    return inlinable ? undefined : false;
  });
  const volatility = option(o, 'volatility')?.arg?.String?.sval;
  if (!inlinable || (calls.length > 0 && (volatility === 'immutable' || volatility === 'stable'))) return undefined;
  return calls;
}

/** The schema's functions with `name`'s replaced by `list`, in a new map: a map once made is never changed (parallelSafety.ts caches by it). */
function withFunctions(schema: SchemaModel, name: string, list: FunctionDef[]): void {
  const next = new Map(schema.functions);
  if (list.length) next.set(name, list);
  else next.delete(name);
  schema.functions = next;
}

function add(schema: SchemaModel, fn: FunctionDef): void {
  // OR REPLACE (or a second CREATE, which PostgreSQL refuses) gives the function the properties this one states.
  withFunctions(schema, fn.name, [...(schema.functions?.get(fn.name) ?? []).filter((f) => !(f.schema === fn.schema && f.args === fn.args)), fn]);
}

export function createFunction(schema: SchemaModel, stmt: Node): void {
  const fn = functionFromCreate(stmt);
  if (fn) add(schema, fn);
}

/** `CREATE AGGREGATE name (args) (…, PARALLEL = SAFE)`: PARALLEL UNSAFE without it. */
export function defineAggregate(schema: SchemaModel, stmt: Node): void {
  if (stmt.kind !== 'OBJECT_AGGREGATE') return;
  const id = nameOf(stmt.defnames);
  if (!id) return;
  const args: Node[] = (stmt.args?.[0]?.List?.items ?? []).map((p: Node) => p.FunctionParameter?.argType).filter(Boolean);
  const parallel = safety(strings(option(stmt.definition, 'parallel')?.arg?.TypeName?.names).pop() ?? option(stmt.definition, 'parallel')?.arg?.String?.sval);
  add(schema, { ...id, args: signature(args), parallel: parallel ?? 'unsafe', onSearchPath: id.schema === 'public' });
}

/**
 * The functions an ALTER or DROP names (an ObjectWithArgs): the one with its argument types; all of that name when it
 * gives none — PostgreSQL refuses that when the name has overloads (`problem`).
 */
function matching(schema: SchemaModel, target: Node | undefined): { found: FunctionDef[]; problem?: string } {
  const id = nameOf(target?.objname);
  if (!id) return { found: [] };
  const args = target!.args_unspecified ? undefined : signature((target!.objargs ?? []).map((t: Node) => t.TypeName));
  const found = (schema.functions?.get(id.name) ?? []).filter((f) => f.schema === id.schema && (args === undefined || f.args === args));
  return found.length > 1 ? { found: [], problem: `function name "${id.name}" is not unique` } : { found };
}

/** Replaces `from` by `to` (or drops it), keeping the others of its name. */
function replace(schema: SchemaModel, from: FunctionDef, to?: FunctionDef): void {
  withFunctions(schema, from.name, (schema.functions?.get(from.name) ?? []).filter((f) => f !== from));
  if (to) add(schema, to);
}

export function alterFunction(schema: SchemaModel, stmt: Node): string | undefined {
  if (stmt.objtype !== 'OBJECT_FUNCTION' && stmt.objtype !== 'OBJECT_ROUTINE' && stmt.objtype !== 'OBJECT_AGGREGATE') return undefined;
  const parallel = safety(option(stmt.actions, 'parallel')?.arg?.String?.sval);
  const { found, problem } = matching(schema, stmt.func);
  if (parallel) for (const f of found) replace(schema, f, { ...f, parallel });
  return problem;
}

/** ALTER FUNCTION … RENAME TO: the function keeps its properties under its new name. */
export function renameFunction(schema: SchemaModel, stmt: Node): string | undefined {
  const { found, problem } = matching(schema, stmt.object?.ObjectWithArgs);
  for (const f of found) replace(schema, f, { ...f, name: stmt.newname });
  return problem;
}

/** ALTER FUNCTION … SET SCHEMA. */
export function setFunctionSchema(schema: SchemaModel, stmt: Node): string | undefined {
  const { found, problem } = matching(schema, stmt.object?.ObjectWithArgs);
  for (const f of found) replace(schema, f, { ...f, schema: stmt.newschema, onSearchPath: stmt.newschema === 'public' });
  return problem;
}

export function dropFunctions(schema: SchemaModel, objects: Node[]): string | undefined {
  let problem: string | undefined;
  for (const o of objects) {
    const m = matching(schema, o.ObjectWithArgs);
    problem ??= m.problem;
    for (const f of m.found) replace(schema, f);
  }
  return problem;
}
