/**
 * What a statement may do when it runs, decided from its parse tree (libpg-query) before anything is
 * sent to a server: whether EXPLAIN can take it, whether it can write (a data-modifying statement, a
 * writing CTE, row locks, a function that might write), and whether running it is refused outright
 * because its effects survive a ROLLBACK (advisory locks, dblink, signalling other backends…).
 */
import type { Queryable } from './connection';
import { walk, strings, type Node } from '../sql/expr';
import { parseSqlDocument } from '../sql/parser';

/** A statement the tool won't EXPLAIN: a syntax error, several statements, DDL, non-transactional effects. */
export class StatementError extends Error {}

export interface StatementClass {
  /** The statement text without a trailing semicolon. */
  sql: string;
  /** SELECT, INSERT, UPDATE, DELETE, MERGE. */
  kind: string;
  /** Why running it may change data (empty when it provably reads only, pending the function check). */
  writes: string[];
  /** Why running it (EXPLAIN ANALYZE) is refused even in a rolled-back transaction. */
  refuse?: string;
  /** Functions it calls, catalog names without schema. */
  functions: string[];
  /** Highest `$n` parameter number (0 when it has none). */
  params: number;
  /** Tables it names. */
  tables: string[];
  /** It calls nextval()/setval() or inserts rows (sequence defaults): sequence values are not given back by ROLLBACK. */
  consumesSequences: boolean;
}

const EXPLAINABLE: Record<string, string> = {
  SelectStmt: 'SELECT',
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
};

const WRITING = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** Functions whose effects a ROLLBACK does not undo: running them is refused. */
const NON_TRANSACTIONAL = new Set([
  'pg_advisory_lock',
  'pg_advisory_lock_shared',
  'pg_try_advisory_lock',
  'pg_try_advisory_lock_shared',
  'dblink',
  'dblink_exec',
  'dblink_send_query',
  'dblink_connect',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_switch_wal',
  'pg_create_restore_point',
  'pg_promote',
  'lo_export',
  'pg_file_write',
  'pg_file_unlink',
  'pg_file_rename',
  'pg_logical_emit_message',
  'pg_create_logical_replication_slot',
  'pg_create_physical_replication_slot',
  'pg_drop_replication_slot',
  'pg_stat_reset',
  'pg_stat_reset_shared',
  'pg_stat_reset_single_table_counters',
  'pg_stat_reset_single_function_counters',
  'pg_stat_statements_reset',
]);

const SEQUENCE_FUNCTIONS = new Set(['nextval', 'setval']);

/**
 * VOLATILE built-ins that don't write: a statement calling only these (and STABLE / IMMUTABLE functions)
 * still provably reads only.
 */
const HARMLESS_VOLATILE = new Set(['random', 'random_normal', 'gen_random_uuid', 'uuid_generate_v4', 'clock_timestamp', 'timeofday', 'txid_current', 'pg_current_xact_id', 'setseed']);

/** Parses and classifies one statement; throws StatementError when there isn't exactly one explainable statement. */
export function classifyStatement(sql: string): StatementClass {
  const parsed = parseSqlDocument(sql);
  const errors = parsed.filter((p) => p.error);
  if (errors.length) throw new StatementError(`SQL syntax error: ${errors[0].error!.message}`);
  const stmts = parsed.filter((p) => p.ast);
  if (stmts.length === 0) throw new StatementError('no SQL statement to explain');
  if (stmts.length > 1) throw new StatementError(`expected one statement, got ${stmts.length}: explain them one at a time`);
  const { ast, text } = stmts[0];
  const type = Object.keys(ast!)[0];
  const kind = EXPLAINABLE[type];
  if (!kind) throw new StatementError(`EXPLAIN works on SELECT, INSERT, UPDATE, DELETE and MERGE, not on ${type.replace(/Stmt$/, '')} statements`);
  const body: Node = ast![type];

  const writes: string[] = [];
  if (WRITING.has(type)) writes.push(`it is ${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind} statement`);
  if (type === 'SelectStmt' && body.intoClause) throw new StatementError('SELECT … INTO creates a table: use CREATE TABLE AS outside this tool, or drop the INTO');
  const functions = new Set<string>();
  const tables = new Set<string>();
  let params = 0;
  let locks = false;
  walk(ast, (n, t) => {
    const v = n[t];
    if (t === 'FuncCall') {
      const name = strings(v.funcname).pop(); // already case-folded by the parser
      if (name) functions.add(name);
    } else if (t === 'RangeVar' && v.relname) tables.add(v.relname);
    else if (t === 'ParamRef' && typeof v.number === 'number') params = Math.max(params, v.number);
    else if (t === 'CommonTableExpr') {
      const cteType = Object.keys(v.ctequery ?? {})[0];
      if (WRITING.has(cteType)) writes.push(`its WITH clause "${v.ctename}" runs ${EXPLAINABLE[cteType]}`);
    } else if (t === 'SelectStmt' && v.lockingClause?.length) locks = true;
    return undefined;
  });
  if (locks) writes.push('SELECT … FOR UPDATE/SHARE locks rows');
  const fnList = [...functions].sort();
  const refused = fnList.filter((f) => NON_TRANSACTIONAL.has(f));
  const sequences = fnList.filter((f) => SEQUENCE_FUNCTIONS.has(f));
  if (sequences.length) writes.push(`it calls ${sequences.map((f) => `${f}()`).join(', ')}`);
  return {
    sql: text,
    kind,
    writes,
    refuse: refused.length ? `it calls ${refused.map((f) => `${f}()`).join(', ')}, whose effects a ROLLBACK does not undo` : undefined,
    functions: fnList,
    params,
    tables: [...tables],
    consumesSequences: sequences.length > 0 || type === 'InsertStmt' || type === 'MergeStmt',
  };
}

/**
 * Functions of the statement that might write: VOLATILE in the catalog (any overload) and not known
 * harmless. A function the catalog doesn't know is left to the server (EXPLAIN fails on it).
 */
export async function possiblyWritingFunctions(q: Queryable, cls: StatementClass): Promise<string[]> {
  const candidates = cls.functions.filter((f) => !HARMLESS_VOLATILE.has(f) && !SEQUENCE_FUNCTIONS.has(f));
  if (!candidates.length) return [];
  const rows = await q.query<{ proname: string }>(`SELECT DISTINCT proname FROM pg_catalog.pg_proc WHERE proname = ANY($1::text[]) AND provolatile = 'v' ORDER BY 1`, [candidates]);
  return rows.map((r) => r.proname);
}
