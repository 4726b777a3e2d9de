/**
 * What decides whether PostgreSQL may read a statement's tables in parallel (standard_planner(): parallelModeOK;
 * set_rel_consider_parallel()), and whether its aggregates run in each process (a Partial Aggregate).
 */
import type { TableAccess } from '../model/query';
import type { FunctionDef, ParallelSafety, SchemaModel, ViewDef } from '../model/schema';
import { funcCallName, funcCallQualifiedName, walk, type Node } from '../sql/expr';

/**
 * Functions PostgreSQL 15 marks PARALLEL UNSAFE (pg_proc.proparallel = 'u') that an application's queries call:
 * sequences, settings, transaction ids, large objects, the search path. One anywhere in a statement plans it
 * without workers. The functions the schema knows (SchemaModel.functions) say for themselves.
 */
const UNSAFE_FUNCTIONS: ReadonlySet<string> = new Set([
  'nextval', 'currval', 'setval', 'lastval', 'pg_sequence_last_value',
  'set_config', 'current_schema', 'current_schemas',
  'txid_current', 'txid_current_if_assigned', 'pg_current_xact_id', 'pg_current_xact_id_if_assigned', 'pg_export_snapshot',
  'lo_creat', 'lo_create', 'lo_open', 'lo_close', 'lo_import', 'lo_export', 'lo_unlink', 'lo_get', 'lo_put', 'lo_from_bytea', 'loread', 'lowrite', 'lo_lseek', 'lo_lseek64', 'lo_tell', 'lo_tell64', 'lo_truncate', 'lo_truncate64',
  'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml', 'cursor_to_xmlschema',
  'ts_stat', 'ts_rewrite', 'pg_logical_emit_message', 'brin_summarize_range', 'brin_summarize_new_values', 'brin_desummarize_range', 'gin_clean_pending_list',
]);

/**
 * Functions PostgreSQL 15 marks PARALLEL RESTRICTED ('r') that queries call: evaluated in the leader only, so a
 * table whose condition calls one is not scanned in parallel (in the select list they are computed above the Gather).
 */
const RESTRICTED_FUNCTIONS: ReadonlySet<string> = new Set([
  'random', 'setseed', 'pg_backend_pid', 'inet_client_addr', 'inet_client_port', 'inet_server_addr', 'inet_server_port', 'current_query', 'pg_notify', 'pg_trigger_depth',
  'pg_advisory_lock', 'pg_advisory_lock_shared', 'pg_advisory_unlock', 'pg_advisory_unlock_shared', 'pg_advisory_unlock_all', 'pg_advisory_xact_lock', 'pg_advisory_xact_lock_shared',
  'pg_try_advisory_lock', 'pg_try_advisory_lock_shared', 'pg_try_advisory_xact_lock', 'pg_try_advisory_xact_lock_shared',
]);

type Functions = Map<string, FunctionDef[]> | undefined;

const SEVERITY: Record<ParallelSafety, number> = { safe: 0, restricted: 1, unsafe: 2 };
const worse = (a: ParallelSafety, b: ParallelSafety): ParallelSafety => (SEVERITY[b] > SEVERITY[a] ? b : a);

/** The schema's functions a call of `name` (in `schema`, when written) may be: those on the search path without one. */
function candidates(functions: Functions, name: string, schema?: string): FunctionDef[] {
  return (functions?.get(name) ?? []).filter((f) => (schema ? f.schema === schema : f.onSearchPath));
}

/**
 * A call's safety as declared (what makes a statement PARALLEL UNSAFE, checked before inlining): the built-ins' lists,
 * else the least safe of the schema's functions it may be (overloads the argument types would tell apart included).
 */
function declaredSafety(functions: Functions, name: string, schema?: string): ParallelSafety {
  if (!schema || schema === 'pg_catalog') {
    if (UNSAFE_FUNCTIONS.has(name)) return 'unsafe';
    if (RESTRICTED_FUNCTIONS.has(name)) return 'restricted';
  }
  let worst: ParallelSafety = 'safe';
  for (const f of candidates(functions, name, schema)) worst = worse(worst, f.parallel);
  return worst;
}

/** A call's safety in a table's condition (set_rel_consider_parallel(), after inlining): an inlined function's is its body's. */
function conditionSafety(functions: Functions, name: string, schema?: string, depth = 0): ParallelSafety {
  const declared = declaredSafety(functions, name, schema);
  const fns = candidates(functions, name, schema);
  if (depth > 8 || fns.length === 0 || fns.some((f) => !f.inlinedCalls)) return declared;
  if ((!schema || schema === 'pg_catalog') && (UNSAFE_FUNCTIONS.has(name) || RESTRICTED_FUNCTIONS.has(name))) return declared;
  let worst: ParallelSafety = 'safe';
  for (const f of fns) for (const c of f.inlinedCalls!) worst = worse(worst, conditionSafety(functions, c.name, c.schema, depth + 1));
  return worst;
}

/**
 * A cheap test on the statement's text before its tree is walked: false only when no locking clause and no call of a
 * function that is not PARALLEL SAFE can be in it. Names are matched as words, not as calls (a comment may stand
 * between a name and its parenthesis, or between FOR and UPDATE); `U&"…"` and `""` in a quoted name spell names the
 * test can't see.
 */
const MAYBE_SERIAL = maybeSerial([...UNSAFE_FUNCTIONS, ...RESTRICTED_FUNCTIONS]);

function maybeSerial(names: string[]): RegExp {
  return new RegExp(`\\bfor\\b.*\\b(?:update|share)\\b|\\b(?:${names.join('|')})\\b|U&|""`, 'is');
}

/** MAYBE_SERIAL with the names of the schema's functions that are not PARALLEL SAFE and of the views that call one, once per schema. */
const schemaTests = new WeakMap<SchemaModel, { functions: Functions; views: SchemaModel['views']; test: RegExp }>();

function textTest(schema: SchemaModel | undefined): RegExp {
  if (!schema || (!schema.functions?.size && !schema.views?.size)) return MAYBE_SERIAL;
  const kept = schemaTests.get(schema);
  if (kept && kept.functions === schema.functions && kept.views === schema.views) return kept.test;
  const hazards: string[] = [];
  for (const [name, fns] of schema.functions ?? []) if (fns.some((f) => f.parallel !== 'safe' || f.inlinedCalls?.length)) hazards.push(name);
  for (const [name, view] of schema.views ?? []) if (hazardIn(view.query, schema, new Set([view]))) hazards.push(name);
  // A name that is not a plain word has no \b to be found by: every text is walked.
  const test = hazards.some((name) => !/^\w+$/.test(name)) ? /(?:)/ : hazards.length ? maybeSerial([...UNSAFE_FUNCTIONS, ...RESTRICTED_FUNCTIONS, ...hazards]) : MAYBE_SERIAL;
  schemaTests.set(schema, { functions: schema.functions, views: schema.views, test });
  return test;
}

/** Whether a tree locks rows or calls a function that is not PARALLEL SAFE (before or after inlining), in the views it reads too. */
function hazardIn(tree: unknown, schema: SchemaModel, seen: Set<ViewDef>): boolean {
  const anyHazard = (name: string, qualifier?: string) =>
    declaredSafety(schema.functions, name, qualifier) !== 'safe' || conditionSafety(schema.functions, name, qualifier) !== 'safe' ? name : undefined;
  return firstHazard(tree, schema, anyHazard, (view) => (seen.has(view) ? undefined : hazardIn(view.query, schema, seen.add(view)) ? view.name : undefined)) !== undefined;
}

/**
 * The first locking clause (as a reason), call `check` names a reason for, or view `inView` does, walking `tree`: what
 * the quick test on the text (any hazard) and needsSerialPlan (an UNSAFE call) look for.
 */
function firstHazard(tree: unknown, schema: SchemaModel | undefined, check: (name: string, qualifier?: string) => string | undefined, inView: (view: ViewDef) => string | undefined): string | undefined {
  let why: string | undefined;
  walk(tree, (node, type) => {
    if (why) return false;
    if (type === 'SelectStmt' || type === 'UpdateStmt' || type === 'DeleteStmt') {
      const lock = (node[type] as { lockingClause?: Node[] }).lockingClause?.[0];
      if (lock) why = `it locks the rows it reads, ${LOCKING[lock.LockingClause?.strength] ?? 'FOR UPDATE'}`;
    } else if (type === 'FuncCall') {
      const { name, schema: qualifier } = funcCallQualifiedName(node);
      why = check(name, qualifier);
    } else if (type === 'RangeVar' && schema) {
      const view = viewOf(node, schema);
      if (view) why = inView(view);
    }
    return why ? false : undefined;
  });
  return why;
}

/** The view a RangeVar names (views of `public` only, as SchemaModel.views holds them). */
function viewOf(node: Node, schema: SchemaModel): ViewDef | undefined {
  const rv = node.RangeVar as { relname?: string; schemaname?: string };
  return schema.views?.size && (!rv.schemaname || rv.schemaname === 'public') ? schema.views.get(rv.relname ?? '') : undefined;
}

/** Whether a statement's text may hold what makes a table or the whole statement serial (see needsSerialPlan, restrictedCall). */
export function mayNeedSerialPlan(text: string, schema: SchemaModel | undefined): boolean {
  return textTest(schema).test(text);
}

/** Views' reasons to be read serially (a PARALLEL UNSAFE call in their query, or in a view it reads), by functions map. */
const viewHazards = new WeakMap<ViewDef, { functions: Functions; why: string | undefined }>();

function viewHazard(view: ViewDef, schema: SchemaModel, seen: Set<ViewDef>): string | undefined {
  const kept = viewHazards.get(view);
  if (kept && kept.functions === schema.functions) return kept.why;
  seen.add(view);
  const why = unsafeIn(view.query, schema, seen);
  viewHazards.set(view, { functions: schema.functions, why });
  return why;
}

/** The first locking clause or PARALLEL UNSAFE call in a tree, views it reads included, as a reason. */
function unsafeIn(ast: unknown, schema: SchemaModel | undefined, seen = new Set<ViewDef>()): string | undefined {
  const unsafe = (name: string, qualifier?: string) => (declaredSafety(schema?.functions, name, qualifier) === 'unsafe' ? `it calls ${name}(), PARALLEL UNSAFE` : undefined);
  return firstHazard(ast, schema, unsafe, (view) => (seen.has(view) ? undefined : viewHazard(view, schema!, seen)));
}

/**
 * Why a statement that only reads runs without any parallel worker, if it does (standard_planner(): parallelModeOK):
 * it locks rows, or calls a PARALLEL UNSAFE function anywhere — in the views it reads too. A function a migration
 * creates is PARALLEL UNSAFE unless it says otherwise. A PARALLEL RESTRICTED call makes only the table whose
 * condition holds it serial (restrictedCall). mayNeedSerialPlan is the quick test on the text to run first.
 */
export function needsSerialPlan(ast: Node, schema: SchemaModel | undefined): string | undefined {
  return unsafeIn(ast, schema);
}

/**
 * The call that keeps a table whose condition is `qual` from a parallel scan (set_rel_consider_parallel()): one that
 * is not PARALLEL SAFE once SQL functions are inlined, outside sub-selects (their own tables' conditions), as a reason.
 */
export function restrictedCall(qual: unknown, functions: Functions): string | undefined {
  let why: string | undefined;
  walk(qual, (node, type) => {
    if (why || type === 'SubLink') return false;
    if (type !== 'FuncCall') return undefined;
    const { name, schema } = funcCallQualifiedName(node);
    const safety = conditionSafety(functions, name, schema);
    if (safety !== 'safe') why = `its condition calls ${name}(), ${safety === 'unsafe' ? 'PARALLEL UNSAFE once inlined' : 'PARALLEL RESTRICTED'}`;
    return why ? false : undefined;
  });
  return why;
}

/** A locking clause's strength as written. */
const LOCKING: Record<string, string> = { LCS_FORUPDATE: 'FOR UPDATE', LCS_FORNOKEYUPDATE: 'FOR NO KEY UPDATE', LCS_FORSHARE: 'FOR SHARE', LCS_FORKEYSHARE: 'FOR KEY SHARE' };

/**
 * Marks the reads of a statement serialOnly, saying why, when it writes (an access that is not a read; a nested write
 * Prisma runs as a statement of its own does not count, nor is it marked) or `why` says it must. Writes are never
 * parallel anyway.
 */
export function markSerialStatement(accesses: TableAccess[], why?: string): void {
  const because = accesses.some((a) => a.kind !== 'select' && !a.nestedWrite) ? 'the statement writes' : why;
  if (!because) return;
  for (const a of accesses) if (a.kind === 'select' && !a.nestedWrite) a.serialOnly = because;
}

/**
 * Aggregates with a combine function in PostgreSQL 15 (pg_aggregate.aggcombinefn): each process aggregates its share
 * and the leader combines them. array_agg, string_agg (before 16), json_agg, percentile_cont … have none.
 */
const PARTIAL_AGGREGATES: ReadonlySet<string> = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'every', 'bit_and', 'bit_or', 'bit_xor',
  'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp', 'corr', 'covar_pop', 'covar_samp',
  'regr_avgx', 'regr_avgy', 'regr_count', 'regr_intercept', 'regr_r2', 'regr_slope', 'regr_sxx', 'regr_sxy', 'regr_syy',
]);

/**
 * Whether a one-table query's grouping runs partly in each process: a GROUP BY of plain columns (the groups are
 * counted from their distinct values), no grouping sets, and only aggregates with a combine function, without
 * DISTINCT or ORDER BY inside, nor a call of a function that is not PARALLEL SAFE in their arguments or FILTER.
 * `aggregates` are the FuncCall nodes of its select list and HAVING.
 */
export function partiallyAggregated(group: Node[], aggregates: Node[], functions?: Functions): boolean {
  if (group.some((g) => !g.ColumnRef)) return false;
  return aggregates.every((call) => {
    const f = call.FuncCall as { agg_distinct?: boolean; agg_order?: unknown[]; args?: unknown; agg_filter?: unknown };
    // An argument or FILTER that calls a function not PARALLEL SAFE is computed in the leader: no partial aggregate.
    return PARTIAL_AGGREGATES.has(funcCallName(call)) && !f.agg_distinct && !f.agg_order?.length && !restrictedCall([f.args, f.agg_filter], functions);
  });
}
