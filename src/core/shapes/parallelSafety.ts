/**
 * What decides whether PostgreSQL may read a statement's tables in parallel (standard_planner(): parallelModeOK;
 * set_rel_consider_parallel()), and whether its aggregates run in each process (a Partial Aggregate).
 */
import type { TableAccess } from '../model/query';
import type { FunctionDef, ParallelSafety } from '../model/schema';
import { funcCallName, walk, type Node } from '../sql/expr';

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

/** Cheap test on the text before the tree is walked: a locking clause's keywords or a function of either list. */
const MAYBE_SERIAL = maybeSerial([...UNSAFE_FUNCTIONS, ...RESTRICTED_FUNCTIONS]);

function maybeSerial(names: string[]): RegExp {
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`\\bfor\\s+(?:no\\s+key\\s+update|update|key\\s+share|share)\\b|"?\\b(?:${escaped.join('|')})"?\\s*\\(`, 'i');
}

const SEVERITY: Record<ParallelSafety, number> = { safe: 0, restricted: 1, unsafe: 2 };

/** A function's safety: the built-ins' lists, else the least safe of the schema's functions of that name (the call's argument types are not known). */
function safetyOf(name: string, functions: Map<string, FunctionDef[]> | undefined): ParallelSafety {
  if (UNSAFE_FUNCTIONS.has(name)) return 'unsafe';
  if (RESTRICTED_FUNCTIONS.has(name)) return 'restricted';
  let worst: ParallelSafety = 'safe';
  for (const f of functions?.get(name) ?? []) if (SEVERITY[f.parallel] > SEVERITY[worst]) worst = f.parallel;
  return worst;
}

/** MAYBE_SERIAL with the names of the schema's functions that are not PARALLEL SAFE, once per functions map. */
const withFunctions = new WeakMap<Map<string, FunctionDef[]>, RegExp>();

function textTest(functions: Map<string, FunctionDef[]> | undefined): RegExp {
  if (!functions?.size) return MAYBE_SERIAL;
  let test = withFunctions.get(functions);
  if (!test) {
    const hazards = [...functions.keys()].filter((name) => safetyOf(name, functions) !== 'safe');
    // A quoted name that does not start and end with a word character has no \b to find it by: every text is walked.
    if (hazards.some((name) => !/^\w(?:.*\w)?$/s.test(name))) test = /(?:)/;
    else test = hazards.length ? maybeSerial([...UNSAFE_FUNCTIONS, ...RESTRICTED_FUNCTIONS, ...hazards]) : MAYBE_SERIAL;
    withFunctions.set(functions, test);
  }
  return test;
}

/**
 * Why a statement that only reads needs a plan without parallel scans, if it does: it locks rows, calls a PARALLEL
 * UNSAFE function anywhere, or a PARALLEL RESTRICTED one in a condition (WHERE, ON). `text`, when given, is tested
 * first. `functions`: the schema's (a function a migration creates is PARALLEL UNSAFE unless it says otherwise).
 */
export function needsSerialPlan(ast: Node, text?: string, functions?: Map<string, FunctionDef[]>): string | undefined {
  if (text !== undefined && !textTest(functions).test(text)) return undefined;
  let why: string | undefined;
  const restrictedIn = (quals: unknown) => {
    walk(quals, (node, type) => {
      if (type === 'FuncCall' && safetyOf(funcCallName(node), functions) === 'restricted') why = `its condition calls ${funcCallName(node)}(), PARALLEL RESTRICTED`;
      return why ? false : undefined;
    });
  };
  walk(ast, (node, type) => {
    if (why) return false;
    if (type === 'SelectStmt' || type === 'UpdateStmt' || type === 'DeleteStmt') {
      const stmt = node[type] as { lockingClause?: Node[]; whereClause?: unknown };
      if (stmt.lockingClause?.length) why = `it locks the rows it reads, ${LOCKING[stmt.lockingClause[0].LockingClause?.strength] ?? 'FOR UPDATE'}`;
      else restrictedIn(stmt.whereClause);
    } else if (type === 'JoinExpr') restrictedIn((node.JoinExpr as { quals?: unknown }).quals);
    else if (type === 'FuncCall' && safetyOf(funcCallName(node), functions) === 'unsafe') why = `it calls ${funcCallName(node)}(), PARALLEL UNSAFE`;
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
 * DISTINCT or ORDER BY inside. `aggregates` are the FuncCall nodes of its select list and HAVING.
 */
export function partiallyAggregated(group: Node[], aggregates: Node[]): boolean {
  if (group.some((g) => !g.ColumnRef)) return false;
  return aggregates.every((call) => {
    const f = call.FuncCall as { agg_distinct?: boolean; agg_order?: unknown[] };
    return PARTIAL_AGGREGATES.has(funcCallName(call)) && !f.agg_distinct && !f.agg_order?.length;
  });
}
