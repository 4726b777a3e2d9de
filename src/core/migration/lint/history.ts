/**
 * Walks a migration history in order, statement by statement, the way PostgreSQL would run it:
 * the schema at each point (through the same `applyStatement` the analysis uses), the transaction
 * each statement runs in for the file's runner, the lock_timeout / statement_timeout in effect,
 * and the tables created earlier in the same file.
 */
import * as path from 'node:path';
import { LineIndex } from '../../model/location';
import { emptySchema, type SchemaModel } from '../../model/schema';
import { applyStatement } from '../../schema/migrations/applyStatement';
import { sortMigrations } from '../../schema/migrations/loadMigrations';
import type { Node } from '../../sql/expr';
import { tableKey } from '../../sql/identifiers';
import type { ParsedStatement } from '../../sql/parser';
import { detectRunner, parseMigrationText } from '../../schema/migrations/runner';
import { describeStatement, type StatementInfo } from '../statements';
import type { LintFile, LintStatement, Runner } from './context';
import { partitionedTablesAfter, unsupportedStatement } from './unsupported';

export interface MigrationSource {
  file: string;
  text: string;
  /** `parseMigrationText(file, text)`, when the caller has it already (loadMigrations parsed it): not parsed again, only read. */
  parsed?: ParsedStatement[];
}

export interface WalkOptions {
  /** Schema the first file starts from (the history before these files). */
  schemaBefore?: SchemaModel;
  /** Runner for every file, instead of detecting it per file. */
  runner?: Runner;
  /** Only these files get findings; the others build the history (default: all). */
  report?: (file: string) => boolean;
}

const ROLLBACK_RE = /(?:^|[._-])(rollback|down)\.sql$/i;

export function isRollbackFile(file: string): boolean {
  return ROLLBACK_RE.test(path.basename(file));
}

/** The migration's name: the folder of `migration.sql` / `up.sql`, else the file name without `.sql`. */
export function migrationName(file: string): string {
  const base = path.basename(file);
  if (/^(migration|up|down|rollback)\.sql$/i.test(base)) return path.basename(path.dirname(file));
  return base.replace(/\.sql$/i, '').replace(/(\.up)$/i, '');
}

/** The migration a rollback file takes back: `X_rollback.sql` / `X.down.sql` → `X`; `down.sql` in a folder → the folder. */
export function rolledBackName(file: string): string {
  const base = path.basename(file);
  if (/^(down|rollback)\.sql$/i.test(base)) return path.basename(path.dirname(file));
  return base.replace(ROLLBACK_RE, '');
}

export { detectRunner } from '../../schema/migrations/runner';

export function cloneSchema(s: SchemaModel): SchemaModel {
  // The Prisma mapping is read-only here; share it instead of copying it for every statement.
  const { prisma, ...rest } = s;
  const copy = structuredClone(rest) as SchemaModel;
  if (prisma) copy.prisma = prisma;
  return copy;
}

/**
 * A snapshot of `live` that stays as it is while `live` changes, for the cost of two Map copies:
 * `applyStatement` mutates tables in place, so before a statement runs, the tables (and enums)
 * it can touch are replaced in `live` by copies, and the snapshot keeps the originals.
 */
function snapshotBefore(live: SchemaModel, ast: Record<string, any> | undefined): SchemaModel {
  const snap: SchemaModel = { tables: new Map(live.tables), enums: new Map(live.enums) };
  if (live.prisma) snap.prisma = live.prisma;
  // CREATE, ALTER and DROP VIEW replace a view in the map: a copy of the map keeps the snapshot's.
  if (live.views) snap.views = new Map(live.views);
  // A statement on functions replaces the map (schema/migrations/functions.ts): the snapshot keeps this one.
  if (live.functions) snap.functions = live.functions;
  if (!ast) return snap;
  const touched = new Set<string>();
  const add = (t: string | undefined) => {
    if (t && live.tables.has(t)) touched.add(t);
  };
  const indexTable = (name: string | undefined) => {
    for (const t of live.tables.values()) if (t.indexes.some((i) => i.name === name)) return t.name;
    return undefined;
  };
  if (ast.IndexStmt) add(ast.IndexStmt.relation?.relname);
  else if (ast.AlterTableStmt) add(ast.AlterTableStmt.relation?.relname);
  // A REFRESH marks a materialized view filled.
  else if (ast.RefreshMatViewStmt) add(tableKey(ast.RefreshMatViewStmt.relation));
  else if (ast.RenameStmt) {
    add(ast.RenameStmt.relation?.relname);
    add(indexTable(ast.RenameStmt.relation?.relname));
    if (ast.RenameStmt.subname) add(indexTable(ast.RenameStmt.subname));
  } else if (ast.DropStmt) {
    for (const o of ast.DropStmt.objects ?? []) {
      const items = o.List?.items ?? [o];
      const name = items[items.length - 1]?.String?.sval;
      add(indexTable(name));
    }
  } else if (ast.AlterEnumStmt) {
    const names = (ast.AlterEnumStmt.typeName ?? []).map((x: any) => x.String?.sval);
    const e = live.enums.get(names[names.length - 1]);
    if (e) live.enums.set(e.name, structuredClone(e));
  }
  // CREATE INDEX and DROP only add an index to a table's list or remove one from it: a new list
  // does (a deep copy of a table with thousands of indexes, once per statement, grew as their square).
  const listOnly = !!(ast.IndexStmt || ast.DropStmt);
  for (const t of touched) {
    const table = live.tables.get(t)!;
    if (listOnly) {
      live.tables.set(t, { ...table, indexes: [...table.indexes] });
      continue;
    }
    const { location, ...rest } = table;
    const copy = structuredClone(rest) as typeof table;
    if (location) copy.location = location;
    live.tables.set(t, copy);
  }
  return snap;
}

function effective(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  return v === '0' || v === '' || v === 'default' ? undefined : value;
}

/**
 * describeStatement, except that SET NOT NULL on a column already NOT NULL at that point is not a
 * full scan: PostgreSQL skips the scan then (the lock stays).
 */
function describeAt(p: ParsedStatement, ordinal: number, schema: SchemaModel): StatementInfo {
  const info = describeStatement(p, ordinal, schema);
  const at = p.ast?.AlterTableStmt;
  const table = at && info.slow ? schema.tables.get(tableKey(at.relation)) : undefined;
  if (!table) return info;
  const cmds: Node[] = at.cmds ?? [];
  const scanning = cmds.filter((c) => !(c.AlterTableCmd?.subtype === 'AT_SetNotNull' && table.columns.get(c.AlterTableCmd.name)?.nullable === false));
  if (scanning.length === cmds.length) return info;
  const rest = describeStatement({ ...p, ast: { AlterTableStmt: { ...at, cmds: scanning } } }, ordinal, schema);
  return { ...info, slow: rest.slow, rewrite: rest.rewrite };
}

/** Walks one file from `start`; returns the LintFile (with `after`) — `start` itself is not modified. */
export function walkFile(src: MigrationSource, start: SchemaModel, opts: { runner?: Runner; role: LintFile['role']; report: boolean; partitioned?: ReadonlySet<string> }): LintFile {
  const detected = detectRunner(src.file, src.text);
  const runner = opts.runner ?? detected.runner;
  const reason = opts.runner ? 'as configured' : detected.reason;
  const lines = new LineIndex(src.text);
  const parsed = src.parsed ?? parseMigrationText(src.file, src.text, runner);
  // Copy-on-write: snapshotBefore replaces each table (and enum) a statement can touch by a copy before
  // applyStatement changes it, so `start` (the previous file's `after`) is never modified: share it.
  const schema: SchemaModel = { tables: new Map(start.tables), enums: new Map(start.enums) };
  if (start.prisma) schema.prisma = start.prisma;
  if (start.views) schema.views = new Map(start.views);
  const before = start;
  const implicit = (runner === 'prisma' || runner === 'single-query') && parsed.length > 1;
  const statements: LintStatement[] = [];
  const newTables = new Set<string>();
  let tx: LintStatement['transaction'] = implicit ? 'implicit' : 'none';
  let txStart: number | undefined = implicit ? 0 : undefined;
  // Settings: session-level values, and transaction-local overrides that end with the transaction.
  const session: { lock?: string; stmt?: string } = {};
  let local: { lock?: string; stmt?: string } = {};
  let sawCommitInImplicit = false;
  let partitioned: ReadonlySet<string> = opts.partitioned ?? new Set();
  parsed.forEach((p, i) => {
    const snapshot = snapshotBefore(schema, p.ast);
    const info = describeAt(p, i, snapshot);
    const s: LintStatement = {
      ...info,
      tokens: p.tokens,
      file: src.file,
      range: lines.range(p.start, p.end),
      before: snapshot,
      transaction: tx,
      transactionStart: txStart,
      lockTimeout: effective(local.lock ?? session.lock),
      statementTimeout: effective(local.stmt ?? session.stmt),
      newTables: new Set(newTables),
      partitionedTables: partitioned,
    };
    statements.push(s);
    // Transaction state after this statement.
    if (info.kind === 'begin') {
      tx = 'explicit';
      txStart = i;
      s.transaction = tx;
      s.transactionStart = i;
    } else if (info.kind === 'commit' || info.kind === 'rollback') {
      local = {};
      if (implicit) {
        sawCommitInImplicit = true;
        tx = 'implicit';
        txStart = i + 1;
      } else {
        tx = 'none';
        txStart = undefined;
      }
    } else if (info.setting) {
      const set = (target: { lock?: string; stmt?: string }, v: string | undefined) => {
        if (info.setting!.name === 'lock_timeout') target.lock = v;
        if (info.setting!.name === 'statement_timeout') target.stmt = v;
        if (info.setting!.name === 'all') {
          target.lock = undefined;
          target.stmt = undefined;
        }
      };
      // SET LOCAL outside a transaction block has no effect (PostgreSQL warns and ignores it).
      if (info.setting.local) {
        if (tx !== 'none') set(local, info.kind === 'set' ? info.setting.value : undefined);
      } else {
        set(session, info.kind === 'set' ? info.setting.value : undefined);
        set(local, undefined);
      }
    }
    if (p.ast) {
      // A statement PostgreSQL rejects as not supported changes nothing.
      const unsupported = unsupportedStatement(p.ast, partitioned);
      if (unsupported) s.applyError = unsupported;
      else {
        try {
          const err = applyStatement(schema, p.ast, { location: { file: src.file, range: s.range }, text: p.text });
          if (err) s.applyError = err;
        } catch (e) {
          s.applyError = (e as Error).message;
        }
        partitioned = partitionedTablesAfter(partitioned, p.ast, snapshot);
      }
      if (info.kind === 'create-table' && p.ast.CreateStmt?.relation?.relname) newTables.add(p.ast.CreateStmt.relation.relname);
      // CREATE TABLE … AS and CREATE MATERIALIZED VIEW make a relation nobody uses yet too.
      if (p.ast.CreateTableAsStmt?.into?.rel?.relname) newTables.add(p.ast.CreateTableAsStmt.into.rel.relname);
    }
  });
  const wholeFileInBlock =
    statements.length > 0 &&
    statements[0].kind === 'begin' &&
    statements.findIndex((s) => s.kind === 'commit' || s.kind === 'rollback') === statements.length - 1;
  return {
    file: src.file,
    text: src.text,
    lines,
    runner,
    runnerReason: reason,
    name: migrationName(src.file),
    statements,
    before,
    after: schema,
    partitionedAfter: partitioned,
    role: opts.role,
    atomic: (implicit && !sawCommitInImplicit) || wholeFileInBlock || statements.length <= 1,
    report: opts.report,
  };
}

/**
 * Walks every file: migrations in history order (by their timestamped names), then each
 * rollback file from the schema its migration left behind.
 */
export function walkHistory(sources: MigrationSource[], opts: WalkOptions = {}): LintFile[] {
  const migrations = sortMigrations(sources.filter((s) => !isRollbackFile(s.file)));
  const rollbacks = sources.filter((s) => isRollbackFile(s.file));
  const report = opts.report ?? (() => true);
  let schema = opts.schemaBefore ? cloneSchema(opts.schemaBefore) : emptySchema();
  let partitioned: ReadonlySet<string> = new Set();
  const out: LintFile[] = [];
  for (const m of migrations) {
    const f = walkFile(m, schema, { runner: opts.runner, role: 'migration', report: report(m.file), partitioned });
    out.push(f);
    schema = f.after;
    partitioned = f.partitionedAfter;
  }
  for (const r of rollbacks) {
    const name = rolledBackName(r.file);
    const of = out.find((f) => f.role === 'migration' && f.name === name);
    const start = of ? of.after : schema;
    const f = walkFile(r, start, { runner: opts.runner, role: 'rollback', report: report(r.file), partitioned: of ? of.partitionedAfter : partitioned });
    f.rollbackOf = of;
    out.push(f);
  }
  return out;
}
