/**
 * What one migration statement does to a PostgreSQL server: the tables it locks and with which
 * lock mode, whether it can run inside a transaction block, whether its duration grows with the
 * table (index builds, rewrites, full scans), and the settings it changes. Shared by the
 * migration linter, the generator and `apply` (dry run and execution).
 *
 * Lock modes follow the PostgreSQL 15 documentation ("Explicit Locking", and each command's page).
 */
import type { SchemaModel } from '../model/schema';
import { strings, type Node, VOLATILE_FUNCTIONS } from '../sql/expr';
import { lexSql } from '../sql/lexer';
import { tableKey } from '../sql/identifiers';
import { parseSqlDocument, type ParsedStatement } from '../sql/parser';
import { findIndex } from '../schema/migrations/applyStatement';

export type LockMode =
  | 'ACCESS SHARE'
  | 'ROW SHARE'
  | 'ROW EXCLUSIVE'
  | 'SHARE UPDATE EXCLUSIVE'
  | 'SHARE'
  | 'SHARE ROW EXCLUSIVE'
  | 'EXCLUSIVE'
  | 'ACCESS EXCLUSIVE';

const LOCK_ORDER: LockMode[] = ['ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'];

export function strongerLock(a: LockMode, b: LockMode): LockMode {
  return LOCK_ORDER.indexOf(a) >= LOCK_ORDER.indexOf(b) ? a : b;
}

/** The lock conflicts with ROW EXCLUSIVE: INSERT/UPDATE/DELETE on the table wait. */
export function blocksWrites(m: LockMode): boolean {
  return LOCK_ORDER.indexOf(m) >= LOCK_ORDER.indexOf('SHARE');
}

/** The lock conflicts with ACCESS SHARE: even SELECT waits. */
export function blocksReads(m: LockMode): boolean {
  return m === 'ACCESS EXCLUSIVE';
}

export function lockEffect(m: LockMode): string {
  if (blocksReads(m)) return 'blocks reads and writes';
  if (blocksWrites(m)) return 'blocks writes';
  return 'does not block reads or writes';
}

export type StatementKind =
  | 'create-index'
  | 'drop-index'
  | 'create-table'
  | 'drop-table'
  | 'alter-table'
  | 'rename'
  | 'vacuum'
  | 'analyze'
  | 'reindex'
  | 'refresh'
  | 'set'
  | 'reset'
  | 'begin'
  | 'commit'
  | 'rollback'
  | 'savepoint'
  | 'create-extension'
  | 'create-type'
  | 'dml'
  | 'other'
  | 'syntax-error';

export interface TableLock {
  table: string;
  mode: LockMode;
}

export interface StatementInfo {
  /** Ordinal in its file (0-based). */
  ordinal: number;
  start: number;
  end: number;
  text: string;
  ast?: Node;
  error?: { message: string; offset: number };
  kind: StatementKind;
  /** Tables it locks (index statements lock the index's table). */
  locks: TableLock[];
  /** CREATE/DROP/REINDEX … CONCURRENTLY. */
  concurrent: boolean;
  /** PostgreSQL refuses to run it inside a transaction block (25001). */
  noTransaction?: string;
  /** Why its duration grows with the table size (index build, rewrite, validating scan); undefined when it is quick. */
  slow?: string;
  /** Why it rewrites the whole table or scans it under ACCESS EXCLUSIVE (table-rewrite rule). */
  rewrite?: string;
  setting?: { name: string; value?: string; local: boolean };
  /** Index created or dropped by it. */
  indexNames: string[];
  ifExists: boolean;
  ifNotExists: boolean;
}

/** A volatile function a DEFAULT calls (its result changes per row: ADD COLUMN rewrites the table), if any. */
function callsVolatile(n: unknown): string | undefined {
  if (!n || typeof n !== 'object') return undefined;
  if (Array.isArray(n)) {
    for (const x of n) {
      const f = callsVolatile(x);
      if (f) return f;
    }
    return undefined;
  }
  const o = n as Node;
  if (o.FuncCall) {
    const name = strings(o.FuncCall.funcname).pop()?.toLowerCase();
    if (name && VOLATILE_FUNCTIONS.has(name)) return name;
  }
  for (const v of Object.values(o)) {
    const f = callsVolatile(v);
    if (f) return f;
  }
  return undefined;
}

/** Type changes PostgreSQL does without a rewrite (binary-coercible): varchar(n) → varchar(m ≥ n) or text, numeric precision increase. */
function typeChangeIsCheap(def: Node): boolean {
  const names = strings(def?.typeName?.names).filter((n) => n !== 'pg_catalog');
  const t = names.join('.').toLowerCase();
  return t === 'text' || (t === 'varchar' && !(def?.typeName?.typmods?.length > 0));
}

function tableOf(rel: Node | undefined): string | undefined {
  return rel?.relname;
}

function constValue(n: Node | undefined): string | undefined {
  const c = n?.A_Const;
  if (!c) return undefined;
  if (c.sval) return c.sval.sval ?? '';
  if (c.ival) return String(c.ival.ival ?? 0);
  if (c.fval) return String(c.fval.fval);
  return undefined;
}

/**
 * Describes one parsed statement. `schema` (the schema at that point of the history) resolves
 * the table of an index named in DROP INDEX / REINDEX INDEX; without it, that lock is unknown.
 */
export function describeStatement(stmt: ParsedStatement, ordinal: number, schema?: SchemaModel): StatementInfo {
  const info: StatementInfo = { ordinal, start: stmt.start, end: stmt.end, text: stmt.text, ast: stmt.ast, kind: 'other', locks: [], concurrent: false, indexNames: [], ifExists: false, ifNotExists: false };
  if (stmt.error || !stmt.ast) {
    info.kind = 'syntax-error';
    info.error = stmt.error;
    return info;
  }
  const ast = stmt.ast;
  const indexTable = (name: string) => (schema ? findIndex(schema, name)?.table.name : undefined);

  if (ast.IndexStmt) {
    const s = ast.IndexStmt;
    const table = tableOf(s.relation);
    info.kind = 'create-index';
    info.concurrent = !!s.concurrent;
    info.ifNotExists = !!s.if_not_exists;
    if (s.idxname) info.indexNames.push(s.idxname);
    if (table) info.locks.push({ table, mode: s.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE' });
    info.slow = 'builds an index (reads and sorts the whole table)';
    if (s.concurrent) info.noTransaction = 'CREATE INDEX CONCURRENTLY';
    return info;
  }
  if (ast.DropStmt) {
    const s = ast.DropStmt;
    const names: string[] = (s.objects ?? []).map((o: Node) => strings(o.List?.items ?? [o]).pop()).filter(Boolean);
    info.ifExists = !!s.missing_ok;
    info.concurrent = !!s.concurrent;
    if (s.removeType === 'OBJECT_INDEX') {
      info.kind = 'drop-index';
      info.indexNames.push(...names);
      for (const n of names) {
        const t = indexTable(n);
        if (t) info.locks.push({ table: t, mode: s.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE' });
      }
      if (s.concurrent) info.noTransaction = 'DROP INDEX CONCURRENTLY';
    } else if (s.removeType === 'OBJECT_TABLE') {
      info.kind = 'drop-table';
      for (const n of names) info.locks.push({ table: n, mode: 'ACCESS EXCLUSIVE' });
    }
    return info;
  }
  if (ast.CreateStmt) {
    info.kind = 'create-table';
    const t = tableOf(ast.CreateStmt.relation);
    if (t) info.locks.push({ table: t, mode: 'ACCESS EXCLUSIVE' });
    return info;
  }
  if (ast.AlterTableStmt) return describeAlterTable(ast.AlterTableStmt, info);
  if (ast.RenameStmt) {
    info.kind = 'rename';
    const rs = ast.RenameStmt;
    const t = rs.renameType === 'OBJECT_INDEX' ? indexTable(rs.relation?.relname) : tableOf(rs.relation);
    if (t) info.locks.push({ table: t, mode: rs.renameType === 'OBJECT_INDEX' ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE' });
    return info;
  }
  if (ast.VacuumStmt) {
    const s = ast.VacuumStmt;
    const opts = (s.options ?? []).map((o: Node) => String(o.DefElem?.defname ?? '').toLowerCase());
    const rels: string[] = (s.rels ?? []).map((r: Node) => tableOf(r.VacuumRelation?.relation)).filter(Boolean);
    const full = opts.includes('full');
    info.kind = s.is_vacuumcmd ? 'vacuum' : 'analyze';
    const mode: LockMode = full ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE';
    if (rels.length) for (const t of rels) info.locks.push({ table: t, mode });
    else if (schema) for (const t of schema.tables.keys()) info.locks.push({ table: t, mode });
    info.slow = s.is_vacuumcmd ? (rels.length ? 'VACUUM reads the whole table' : 'VACUUM of the whole database reads every table') : rels.length ? 'ANALYZE samples the table' : 'ANALYZE of the whole database samples every table';
    if (s.is_vacuumcmd) info.noTransaction = full ? 'VACUUM FULL' : 'VACUUM';
    if (full) info.rewrite = 'VACUUM FULL rewrites the table under ACCESS EXCLUSIVE';
    return info;
  }
  if (ast.ReindexStmt) {
    const s = ast.ReindexStmt;
    info.kind = 'reindex';
    const params = (s.params ?? []).map((o: Node) => String(o.DefElem?.defname ?? '').toLowerCase());
    info.concurrent = params.includes('concurrently');
    const t = s.kind === 'REINDEX_OBJECT_INDEX' ? indexTable(s.relation?.relname) : tableOf(s.relation);
    if (t) info.locks.push({ table: t, mode: info.concurrent ? 'SHARE UPDATE EXCLUSIVE' : s.kind === 'REINDEX_OBJECT_INDEX' ? 'SHARE' : 'SHARE' });
    info.slow = 'rebuilds indexes (reads the whole table)';
    if (info.concurrent) info.noTransaction = 'REINDEX CONCURRENTLY';
    else if (s.kind === 'REINDEX_OBJECT_SCHEMA' || s.kind === 'REINDEX_OBJECT_DATABASE' || s.kind === 'REINDEX_OBJECT_SYSTEM') info.noTransaction = 'REINDEX SCHEMA/DATABASE/SYSTEM';
    return info;
  }
  if (ast.RefreshMatViewStmt) {
    // Both run the view's query again; CONCURRENTLY then merges the differences under EXCLUSIVE (reads go on), a
    // plain REFRESH swaps the whole contents under ACCESS EXCLUSIVE.
    const s = ast.RefreshMatViewStmt;
    info.kind = 'refresh';
    info.concurrent = !!s.concurrent;
    info.locks.push({ table: tableKey(s.relation), mode: s.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE' });
    if (!s.skipData) info.slow = "REFRESH MATERIALIZED VIEW runs the view's query again";
    return info;
  }
  if (ast.VariableSetStmt) {
    const s = ast.VariableSetStmt;
    const name = String(s.name ?? '').toLowerCase();
    if (s.kind === 'VAR_RESET' || s.kind === 'VAR_RESET_ALL') {
      info.kind = 'reset';
      info.setting = { name: s.kind === 'VAR_RESET_ALL' ? 'all' : name, local: false };
    } else if (s.kind === 'VAR_SET_DEFAULT') {
      info.kind = 'reset';
      info.setting = { name, local: !!s.is_local };
    } else {
      info.kind = 'set';
      info.setting = { name, value: constValue(s.args?.[0]), local: !!s.is_local };
    }
    return info;
  }
  if (ast.TransactionStmt) {
    const k = ast.TransactionStmt.kind as string;
    info.kind = k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START' ? 'begin' : k === 'TRANS_STMT_COMMIT' ? 'commit' : k === 'TRANS_STMT_ROLLBACK' ? 'rollback' : 'savepoint';
    return info;
  }
  if (ast.CreateExtensionStmt) {
    info.kind = 'create-extension';
    return info;
  }
  if (ast.CreateEnumStmt || ast.AlterEnumStmt || ast.CompositeTypeStmt || ast.CreateDomainStmt) {
    info.kind = 'create-type';
    return info;
  }
  if (ast.CreatedbStmt || ast.DropdbStmt) {
    info.noTransaction = ast.CreatedbStmt ? 'CREATE DATABASE' : 'DROP DATABASE';
    return info;
  }
  if (ast.AlterSystemStmt) {
    info.noTransaction = 'ALTER SYSTEM';
    return info;
  }
  if (ast.CreateTableSpaceStmt || ast.DropTableSpaceStmt) {
    info.noTransaction = 'CREATE/DROP TABLESPACE';
    return info;
  }
  if (ast.InsertStmt || ast.UpdateStmt || ast.DeleteStmt) {
    info.kind = 'dml';
    const rel = ast.InsertStmt?.relation ?? ast.UpdateStmt?.relation ?? ast.DeleteStmt?.relation;
    const t = tableOf(rel);
    if (t) info.locks.push({ table: t, mode: 'ROW EXCLUSIVE' });
    if (ast.UpdateStmt || ast.DeleteStmt) info.slow = `${ast.UpdateStmt ? 'UPDATE' : 'DELETE'} touches every matching row`;
    return info;
  }
  if (ast.LockStmt) {
    const modes: Record<number, LockMode> = { 1: 'ACCESS SHARE', 2: 'ROW SHARE', 3: 'ROW EXCLUSIVE', 4: 'SHARE UPDATE EXCLUSIVE', 5: 'SHARE', 6: 'SHARE ROW EXCLUSIVE', 7: 'EXCLUSIVE', 8: 'ACCESS EXCLUSIVE' };
    const mode = modes[ast.LockStmt.mode as number] ?? 'ACCESS EXCLUSIVE';
    for (const r of ast.LockStmt.relations ?? []) {
      const t = tableOf(r.RangeVar);
      if (t) info.locks.push({ table: t, mode });
    }
    return info;
  }
  return info;
}

/** The lock ADD CONSTRAINT holds while it validates; a foreign key takes the same lock on the referenced table. */
function heldForValidation(con: Node, m: LockMode, table: string | undefined): string {
  const ref = con.contype === 'CONSTR_FOREIGN' ? tableOf(con.pktable) : undefined;
  return ref && ref !== table ? `${m}, also on "${ref}" (it ${lockEffect(m)} of "${ref}" too)` : m;
}

function describeAlterTable(at: Node, info: StatementInfo): StatementInfo {
  info.kind = 'alter-table';
  const table = tableOf(at.relation);
  let mode: LockMode | undefined;
  const rewrites: string[] = [];
  const slow: string[] = [];
  for (const c of at.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (!cmd) continue;
    let m: LockMode = 'ACCESS EXCLUSIVE';
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const def = cmd.def?.ColumnDef;
        const constraints: Node[] = (def?.constraints ?? []).map((x: Node) => x.Constraint).filter(Boolean);
        const generated = constraints.find((x) => x.contype === 'CONSTR_GENERATED');
        const dflt = constraints.find((x) => x.contype === 'CONSTR_DEFAULT');
        if (generated) rewrites.push(`ADD COLUMN "${def.colname}" … GENERATED ALWAYS AS (…) STORED computes the column for every row: the whole table is rewritten under ACCESS EXCLUSIVE`);
        else if (dflt) {
          const v = callsVolatile(dflt.raw_expr);
          if (v) rewrites.push(`ADD COLUMN "${def.colname}" with the volatile default ${v}() rewrites the whole table under ACCESS EXCLUSIVE (a constant or stable default such as now() does not, since PostgreSQL 11)`);
        }
        const typeName = strings(def?.typeName?.names).pop()?.toLowerCase();
        if (typeName && /^(serial|bigserial|smallserial|serial[248])$/.test(typeName)) rewrites.push(`ADD COLUMN "${def.colname}" ${typeName} fills every row from a sequence: the whole table is rewritten under ACCESS EXCLUSIVE`);
        if (constraints.some((x) => x.contype === 'CONSTR_PRIMARY' || x.contype === 'CONSTR_UNIQUE')) slow.push('builds a unique index');
        break;
      }
      case 'AT_AlterColumnType':
        if (!typeChangeIsCheap(cmd.def?.ColumnDef)) rewrites.push(`ALTER COLUMN "${cmd.name}" TYPE rewrites the whole table (and rebuilds its indexes) under ACCESS EXCLUSIVE unless the old type is binary-coercible to the new one`);
        break;
      case 'AT_SetNotNull':
        slow.push(`SET NOT NULL on "${cmd.name}" scans the whole table under ACCESS EXCLUSIVE`);
        break;
      case 'AT_AddConstraint': {
        const con = cmd.def?.Constraint;
        if (con?.contype === 'CONSTR_FOREIGN') m = 'SHARE ROW EXCLUSIVE';
        if ((con?.contype === 'CONSTR_CHECK' || con?.contype === 'CONSTR_FOREIGN') && !con.skip_validation) slow.push(`ADD CONSTRAINT ${con.contype === 'CONSTR_CHECK' ? 'CHECK' : 'FOREIGN KEY'} without NOT VALID scans the whole table while holding ${heldForValidation(con, m, table)}`);
        if ((con?.contype === 'CONSTR_PRIMARY' || con?.contype === 'CONSTR_UNIQUE') && !con.indexname) slow.push('ADD PRIMARY KEY/UNIQUE builds its index while holding ACCESS EXCLUSIVE');
        break;
      }
      case 'AT_ValidateConstraint':
        m = 'SHARE UPDATE EXCLUSIVE';
        slow.push('VALIDATE CONSTRAINT scans the table');
        break;
      case 'AT_SetStatistics':
      case 'AT_SetOptions':
      case 'AT_ResetOptions':
      case 'AT_ClusterOn':
      case 'AT_DropCluster':
        m = 'SHARE UPDATE EXCLUSIVE';
        break;
      case 'AT_SetRelOptions':
      case 'AT_ResetRelOptions':
        m = 'SHARE UPDATE EXCLUSIVE';
        break;
      case 'AT_SetLogged':
      case 'AT_SetUnLogged':
        rewrites.push('SET LOGGED/UNLOGGED rewrites the whole table under ACCESS EXCLUSIVE');
        break;
      case 'AT_SetTableSpace':
        rewrites.push('SET TABLESPACE copies the whole table under ACCESS EXCLUSIVE');
        break;
    }
    mode = mode ? strongerLock(mode, m) : m;
  }
  if (table && mode) info.locks.push({ table, mode });
  if (rewrites.length) info.rewrite = rewrites.join('; ');
  const all = [...rewrites, ...slow];
  if (all.length) info.slow = all.join('; ');
  return info;
}

/** Parses and describes every statement of a migration file. */
export function describeStatements(text: string, schema?: SchemaModel): StatementInfo[] {
  return parseSqlDocument(text).map((s, i) => describeStatement(s, i, schema));
}

/**
 * The statement with CONCURRENTLY added after `INDEX` (CREATE [UNIQUE] INDEX, DROP INDEX), for
 * statements written for a transactional runner and executed one by one. Unchanged otherwise.
 */
export function withConcurrently(info: Pick<StatementInfo, 'kind' | 'concurrent' | 'text'>): string {
  if ((info.kind !== 'create-index' && info.kind !== 'drop-index') || info.concurrent) return info.text;
  let tokens: { start: number; end: number; text: string }[];
  try {
    tokens = lexSql(info.text);
  } catch {
    return info.text;
  }
  const idx = tokens.find((t) => t.text.toUpperCase() === 'INDEX');
  if (!idx) return info.text;
  // Token offsets are UTF-8 bytes; the statement head is ASCII up to INDEX.
  const head = Buffer.from(info.text, 'utf8').subarray(0, idx.end).toString('utf8');
  return `${head} CONCURRENTLY${info.text.slice(head.length)}`;
}

/**
 * An index statement made safe to run on a live table and to re-run: CONCURRENTLY added and
 * IF NOT EXISTS / IF EXISTS added when missing. Other statements come back unchanged.
 */
export function robustConcurrent(info: Pick<StatementInfo, 'kind' | 'concurrent' | 'text' | 'ifExists' | 'ifNotExists'>): string {
  const text = withConcurrently(info);
  const guard = info.kind === 'create-index' && !info.ifNotExists ? 'IF NOT EXISTS' : info.kind === 'drop-index' && !info.ifExists ? 'IF EXISTS' : undefined;
  if (!guard) return text;
  let tokens: { start: number; end: number; text: string }[];
  try {
    tokens = lexSql(text);
  } catch {
    return text;
  }
  const at = tokens.findIndex((t) => t.text.toUpperCase() === 'CONCURRENTLY');
  if (at < 0) return text;
  const head = Buffer.from(text, 'utf8').subarray(0, tokens[at].end).toString('utf8');
  return `${head} ${guard}${text.slice(head.length)}`;
}
