/**
 * Statements PostgreSQL plans without parallel workers, whatever their tables' sizes (standard_planner():
 * parallelModeOK): one that writes, in a data-modifying CTE too; one that locks the rows it reads (FOR UPDATE,
 * FOR SHARE …); one that calls a PARALLEL UNSAFE function.
 */
import type { TableAccess } from '../model/query';
import { funcCallName, walk, type Node } from '../sql/expr';

/**
 * Functions PostgreSQL 15 marks PARALLEL UNSAFE (pg_proc.proparallel = 'u') that an application's queries call:
 * sequences, settings, transaction ids, large objects, the search path. A function a migration creates is
 * PARALLEL UNSAFE too unless it says otherwise; it is not known here.
 */
const UNSAFE_FUNCTIONS: ReadonlySet<string> = new Set([
  'nextval', 'currval', 'setval', 'lastval', 'pg_sequence_last_value',
  'set_config', 'current_schema', 'current_schemas',
  'txid_current', 'txid_current_if_assigned', 'pg_current_xact_id', 'pg_current_xact_id_if_assigned', 'pg_export_snapshot',
  'lo_creat', 'lo_create', 'lo_open', 'lo_close', 'lo_import', 'lo_export', 'lo_unlink', 'lo_get', 'lo_put', 'lo_from_bytea', 'loread', 'lowrite', 'lo_lseek', 'lo_lseek64', 'lo_tell', 'lo_tell64', 'lo_truncate', 'lo_truncate64',
  'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml', 'cursor_to_xmlschema',
  'ts_stat', 'ts_rewrite', 'pg_logical_emit_message', 'brin_summarize_range', 'brin_summarize_new_values', 'brin_desummarize_range', 'gin_clean_pending_list',
]);

/** Cheap test on the text before the tree is walked: a locking clause's keywords or an unsafe function's name. */
const MAYBE_SERIAL = new RegExp(`\\bfor\\s+(?:no\\s+key\\s+update|update|key\\s+share|share)\\b|\\b(?:${[...UNSAFE_FUNCTIONS].join('|')})\\s*\\(`, 'i');

/** Whether a statement that only reads locks rows or calls a PARALLEL UNSAFE function anywhere (sub-selects and CTEs included). */
export function readsSerially(ast: Node, text: string): boolean {
  if (!MAYBE_SERIAL.test(text)) return false;
  let serial = false;
  walk(ast, (node, type) => {
    if (serial) return false;
    if (type === 'SelectStmt' && (node.SelectStmt as { lockingClause?: unknown[] }).lockingClause?.length) serial = true;
    else if (type === 'FuncCall' && UNSAFE_FUNCTIONS.has(funcCallName(node))) serial = true;
  });
  return serial;
}

/**
 * Marks a statement's accesses serialOnly when it writes (an access that is not a read; a nested write Prisma runs
 * as a statement of its own does not count, nor is it marked) or `serial` says so.
 */
export function markSerialStatement(accesses: TableAccess[], serial = false): void {
  if (!serial && !accesses.some((a) => a.kind !== 'select' && !a.nestedWrite)) return;
  for (const a of accesses) if (!a.nestedWrite) a.serialOnly = true;
}
