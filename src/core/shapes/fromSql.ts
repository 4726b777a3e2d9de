/** SQL text → query shapes: which tables a statement reads or writes and how it filters and sorts them. */
import type { Finding } from '../model/finding';
import type { LineIndex, Range } from '../model/location';
import { emptyAccess, type AccessKind, type QueryOrigin, type QueryShape, type TableAccess } from '../model/query';
import type { SchemaModel } from '../model/schema';
import { AGGREGATE_FUNCTIONS, callsFunction, columnRef, columnRefsIn, funcCallName, intOf, type Node, nodeType, walk } from '../sql/expr';
import { lexSql, type SqlToken } from '../sql/lexer';
import { type ParsedStatement, parseSqlDocument, parseStatement } from '../sql/parser';
import { bindNamedParameters } from '../sql/clientSyntax';
import { lineEndAt } from '../sql/tokenOffsets';
import { foreignDialect, type ForeignDialect } from '../sql/dialect';
import { CONFIG_FILE } from '../config/config';
import type { SqlDocumentParser } from '../sql/parseCache';
import { predicateAtoms, splitAnd, type ColumnResolver, type Conjuncts, type JoinEquality } from '../sql/predicates';
import { acceptsNull } from '../sql/nullRejecting';
import { tableKey } from '../sql/identifiers';
import { readOuterJoins } from './outerJoins';
import { readUsingJoins } from './usingJoins';
import { throughViews } from './viewAccess';
import { type CteScope, type DeclaredCtes, declareCtes, pullUpSubqueries, subselectScope } from './pullUp';
import { markSerialStatement, mayNeedSerialPlan, needsSerialPlan, partiallyAggregated, restrictedCall } from './parallelSafety';

export interface SqlContext {
  file: string;
  origin: QueryOrigin;
  /** Line index of the host file (the .sql file, or the .ts file holding embedded SQL). */
  lines: LineIndex;
  /** Maps an offset in the SQL text to an offset in the host file; identity for .sql files. */
  mapOffset?: (sqlOffset: number) => number;
  /** Used to tell which table an unqualified column belongs to. */
  schema?: SchemaModel;
  /** Parses the text (default parseSqlDocument; see cachedSqlParser). */
  parse?: SqlDocumentParser;
}

interface Binding {
  alias: string;
  /** Table name; undefined for CTEs and derived tables. */
  table?: string;
  nullable: boolean;
  /** The outer join that makes it nullable (see outerJoins.ts). */
  outerJoin?: number;
  order: number;
  access?: TableAccess;
}

class Scope {
  readonly bindings = new Map<string, Binding>();
  /** The alias each FROM item (table, sub-select, function) is bound to. */
  readonly leafAliases = new Map<Node, string>();
  /** Columns merged by USING or NATURAL joins: the alias an unqualified reference means (null: none; see usingJoins.ts). */
  merged?: Map<string, string | null>;
  /** A sub-select PostgreSQL runs as a sub-plan, once for each row of the query around it (not pulled up into a join). */
  subPlan?: boolean;
  constructor(readonly parent: Scope | undefined) {}

  lookup(alias: string): Binding | undefined {
    return this.bindings.get(alias) ?? this.parent?.lookup(alias);
  }

  first(): Binding | undefined {
    let best: Binding | undefined;
    for (const b of this.bindings.values()) if (!best || b.order < best.order) best = b;
    return best;
  }
}

/** Per-statement state: where the statement sits in the host file, and its tokens for end offsets. */
class StatementContext {
  private tokens?: SqlToken[];
  readonly accesses: TableAccess[] = [];
  /** The SELECTs (their `SelectStmt` bodies) of sub-selects run as sub-plans (see Scope.subPlan). */
  readonly subPlans = new Set<Node>();
  /** The statement may hold a call that keeps a table's scan serial (mayNeedSerialPlan): its conditions are looked at. */
  maySerialize = true;

  constructor(
    readonly stmt: ParsedStatement,
    readonly ctx: SqlContext,
  ) {}

  hostOffset(docOffset: number): number {
    return this.ctx.mapOffset ? this.ctx.mapOffset(docOffset) : docOffset;
  }

  /** Range of a node: from its first to the end of its last located token. */
  nodeRange(node: unknown): Range | undefined {
    let min = Infinity;
    let max = -1;
    const visit = (x: unknown): void => {
      if (Array.isArray(x)) {
        for (const y of x) visit(y);
        return;
      }
      if (!x || typeof x !== 'object') return;
      const obj = x as Node;
      for (const k in obj) {
        const v = obj[k];
        if (k === 'location' && typeof v === 'number' && v >= 0) {
          if (v < min) min = v;
          if (v > max) max = v;
        } else if (typeof v === 'object') visit(v);
      }
    };
    visit(node);
    if (max < 0) return undefined;
    const end = this.tokenEnd(max);
    return this.ctx.lines.range(this.hostOffset(this.stmt.toDocOffset(min)), this.hostOffset(this.stmt.toDocOffset(end)));
  }

  /** End byte offset of the token starting at `byteOffset`, extended to close any parenthesis it opens. */
  private tokenEnd(byteOffset: number): number {
    if (!this.tokens) {
      try {
        // The split of the document usually lexed the statement already.
        this.tokens = this.stmt.tokens ?? lexSql(this.stmt.text);
      } catch {
        this.tokens = [];
      }
    }
    const i = tokenStartingAt(this.tokens, byteOffset);
    if (i < 0) return byteOffset + 1;
    let depth = 0;
    for (let j = i; j < this.tokens.length; j++) {
      const t = this.tokens[j];
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      if (depth <= 0 && (j > i || this.tokens[j + 1]?.text !== '(')) return t.end;
    }
    return this.tokens[this.tokens.length - 1].end;
  }
}

/** Index of the token starting at `byteOffset` (tokens are in order), or -1. */
function tokenStartingAt(tokens: SqlToken[], byteOffset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = tokens[mid].start;
    if (s === byteOffset) return mid;
    if (s < byteOffset) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function shapesFromSqlText(sql: string, ctx: SqlContext): { shapes: QueryShape[]; problems: Finding[] } {
  const shapes: QueryShape[] = [];
  const problems: Finding[] = [];
  let statements: ParsedStatement[];
  try {
    statements = (ctx.parse ?? parseSqlDocument)(sql);
  } catch (err) {
    problems.push(parseError(ctx, 0, sql.length, `Could not read SQL: ${(err as Error).message}`));
    return { shapes, problems };
  }
  const failed: ParsedStatement[] = [];
  let parsed = 0;
  for (const each of statements) {
    const stmt = each.error ? (withBoundParameters(each) ?? each) : each;
    if (stmt.error) {
      failed.push(stmt);
      const at = stmt.error.offset;
      problems.push(parseError(ctx, at, Math.min(stmt.end, Math.max(lineEndAt(sql, at), at + 1)), `SQL syntax error: ${stmt.error.message}`));
      continue;
    }
    parsed++;
    // One statement the analysis can't handle (nesting deeper than the stack) does not cost the others.
    try {
      const shape = shapeOfStatement(stmt, ctx);
      if (shape) shapes.push(shape);
    } catch (err) {
      problems.push(parseError(ctx, stmt.start, stmt.end, `Could not analyse this statement: ${failureReason(err)}`));
    }
  }
  // A query file written for another database: one note instead of an error per statement. Most of its statements
  // fail, or bear that database's marks (Oracle's VARCHAR2 parses); one statement being typed in a file of
  // PostgreSQL does not make it another database's.
  if (ctx.origin === 'sql-file' && failed.length > 0) {
    const dialect = foreignDialect(failed.map((f) => f.text));
    const marked = () => statements.filter((s) => s.error || foreignDialect([s.text])?.name === dialect!.name).length;
    if (dialect && (failed.length > parsed || 2 * marked() > statements.length)) return { shapes: [], problems: [foreignSqlFinding(ctx, dialect, failed, statements.length)] };
  }
  return { shapes, problems };
}

/** The statement with its named parameters bound (see bindNamedParameters), when that makes it parse. */
function withBoundParameters(stmt: ParsedStatement): ParsedStatement | undefined {
  const bound = bindNamedParameters(stmt.text);
  if (bound === undefined) return undefined;
  try {
    const ast = parseStatement(bound);
    if (!ast) return undefined;
    const { error: _error, tokens: _tokens, ...rest } = stmt;
    return { ...rest, ast, text: bound };
  } catch {
    return undefined;
  }
}

function foreignSqlFinding(ctx: SqlContext, dialect: ForeignDialect, failed: ParsedStatement[], total: number): Finding {
  const first = dialect.marks[0];
  const at = failed[first.text].start + first.offset;
  const map = ctx.mapOffset ?? ((o: number) => o);
  const error = failed[0].error!;
  const where = ctx.lines.range(map(error.offset), map(error.offset)).start.line + 1;
  const rejected = failed.length === total ? (total === 1 ? 'its statement' : total === 2 ? 'both of its statements' : `all ${total} of its statements`) : `${failed.length} of its ${total} statements`;
  return {
    rule: 'non-postgres-sql',
    severity: 'info',
    message: `This file looks like ${dialect.name}, not PostgreSQL (${dialect.marks.map((m) => m.what).join(', ')}): PostgreSQL's parser rejects ${rejected} (the first at line ${where}: ${error.message}), so the file is not analysed. To hide this note, add the file to "ignore" in ${CONFIG_FILE}.`,
    file: ctx.file,
    range: ctx.lines.range(map(at), map(at + first.length)),
    related: [],
  };
}

/**
 * The schema's views as CTEs PostgreSQL always inlines: the rewriter puts a view's query where a statement
 * reads it, so a read of a view is planned (and analysed) as a sub-select of its query, pulled up when simple.
 * A CTE of the statement with the same name hides the view, as in PostgreSQL. A view's query sees the views
 * created before it (a view can only name what exists when it is created, so there is no cycle). Shared by the
 * statements of one schema: the analysis copies what it changes (pullUp.ts), and a view is never a CTE a
 * statement declares (whose `used` flag matters).
 */
function viewScope(schema: SchemaModel | undefined): CteScope {
  if (!schema?.views?.size) return new Map();
  let scope = viewScopes.get(schema);
  if (!scope) {
    scope = new Map();
    for (const v of schema.views.values()) scope.set(v.name, { inline: v.query, colnames: v.colnames, scope: new Map(scope) });
    viewScopes.set(schema, scope);
  }
  return scope;
}

const viewScopes = new WeakMap<SchemaModel, CteScope>();

/** What went wrong, in words: a stack overflow means the statement nests too deeply. */
export function failureReason(err: unknown): string {
  if (err instanceof RangeError && /call stack/i.test(err.message)) return 'it is nested too deeply';
  return err instanceof Error ? err.message : String(err);
}

function parseError(ctx: SqlContext, start: number, end: number, message: string): Finding {
  const map = ctx.mapOffset ?? ((o: number) => o);
  return {
    rule: 'parse-error',
    severity: 'error',
    message,
    file: ctx.file,
    range: ctx.lines.range(map(start), map(Math.max(start, end))),
    related: [],
  };
}

const DML = new Set(['SelectStmt', 'UpdateStmt', 'DeleteStmt', 'InsertStmt']);

export function shapeOfStatement(stmt: ParsedStatement, ctx: SqlContext): QueryShape | undefined {
  let ast = stmt.ast;
  if (!ast) return undefined;
  if (ast.ExplainStmt) ast = ast.ExplainStmt.query;
  if (ast?.PrepareStmt) ast = ast.PrepareStmt.query;
  if (ast?.CreateTableAsStmt) ast = ast.CreateTableAsStmt.query;
  // A REFRESH runs the materialized view's query (the one its migration wrote).
  const refreshed = ast?.RefreshMatViewStmt && !ast.RefreshMatViewStmt.skipData ? tableKey(ast.RefreshMatViewStmt.relation) : undefined;
  if (refreshed) ast = ctx.schema?.tables.get(refreshed)?.materialized?.query;
  const type = nodeType(ast);
  if (!type || !DML.has(type)) return undefined;
  const sc = new StatementContext(stmt, ctx);
  // A statement that writes reads serially anyway (markSerialStatement). A REFRESH's text is not its view's query:
  // that one is walked without the quick test on the text.
  sc.maySerialize = type === 'SelectStmt' && (refreshed !== undefined || mayNeedSerialPlan(stmt.text, ctx.schema));
  analyzeStatement(ast!, sc, undefined, viewScope(ctx.schema));
  const accesses = sc.accesses;
  if (accesses.length === 0) return undefined;
  markSerialStatement(accesses, sc.maySerialize ? needsSerialPlan(ast!, ctx.schema) : undefined);
  const start = sc.hostOffset(stmt.start);
  const end = sc.hostOffset(stmt.end);
  const range = ctx.lines.range(start, end);
  const verb = type.replace('Stmt', '').toUpperCase();
  const tables = [...new Set(accesses.map((a) => a.table))];
  const shape: QueryShape = {
    id: `${ctx.file}:${range.start.line + 1}:${range.start.character + 1}`,
    origin: ctx.origin,
    location: { file: ctx.file, range },
    text: stmt.text,
    label: refreshed ? `REFRESH MATERIALIZED VIEW ${refreshed} (${verb} on ${tables.join(', ')})` : `${verb} on ${tables.join(', ')}`,
    accesses,
  };
  // An UPDATE, DELETE or INSERT through a view writes its table (PostgreSQL rewrites a simple view's writes).
  return ctx.schema ? throughViews(shape, ctx.schema) : shape;
}

function withCtes(node: Node, sc: StatementContext, parent: Scope | undefined, ctes: CteScope): DeclaredCtes {
  return declareCtes(node, ctes, (query, scope) => analyzeStatement(query, sc, parent, scope));
}

function analyzeStatement(ast: Node, sc: StatementContext, parent: Scope | undefined, ctes: CteScope): void {
  if (ast.SelectStmt) return analyzeSelect(ast.SelectStmt, sc, parent, ctes);
  if (ast.UpdateStmt) return analyzeModify(ast.UpdateStmt, 'update', sc, parent, ctes);
  if (ast.DeleteStmt) return analyzeModify(ast.DeleteStmt, 'delete', sc, parent, ctes);
  if (ast.InsertStmt) {
    const ins = ast.InsertStmt;
    const declared = withCtes(ins, sc, parent, ctes);
    const names = declared.scope;
    const table = ins.relation ? tableKey(ins.relation) : undefined;
    if (table && !names.has(table)) {
      const access = emptyAccess(table, ins.onConflictClause?.action === 'ONCONFLICT_UPDATE' ? 'upsert' : 'insert');
      access.columnsRead = [];
      sc.accesses.push(access);
    }
    if (ins.selectStmt?.SelectStmt && !ins.selectStmt.SelectStmt.valuesLists) analyzeStatement(ins.selectStmt, sc, parent, names);
    declared.done();
  }
}

function addRange(node: Node, scope: Scope, sc: StatementContext, ctes: CteScope, order: { n: number }, nullable: boolean): void {
  if (node.RangeVar) {
    const rv = node.RangeVar;
    const alias = rv.alias?.aliasname ?? rv.relname;
    const isCte = !rv.schemaname && ctes.has(rv.relname);
    scope.bindings.set(alias, { alias, table: isCte ? undefined : tableKey(rv), nullable, order: order.n++ });
    scope.leafAliases.set(node, alias);
    return;
  }
  if (node.JoinExpr) {
    const j = node.JoinExpr;
    const leftNullable = nullable || j.jointype === 'JOIN_RIGHT' || j.jointype === 'JOIN_FULL';
    const rightNullable = nullable || j.jointype === 'JOIN_LEFT' || j.jointype === 'JOIN_FULL';
    if (j.larg) addRange(j.larg, scope, sc, ctes, order, leftNullable);
    if (j.rarg) addRange(j.rarg, scope, sc, ctes, order, rightNullable);
    return;
  }
  if (node.RangeSubselect) {
    const rs = node.RangeSubselect;
    const alias = rs.alias?.aliasname ?? `subquery${order.n}`;
    scope.bindings.set(alias, { alias, nullable, order: order.n++ });
    scope.leafAliases.set(node, alias);
    // A sub-select in FROM sees the queries around this one (and, LATERAL, the FROM items before it).
    if (rs.subquery) analyzeStatement(rs.subquery, sc, rs.lateral ? scope : scope.parent, subselectScope(node) ?? ctes);
    return;
  }
  if (node.RangeFunction) {
    const alias = node.RangeFunction.alias?.aliasname ?? `function${order.n}`;
    scope.bindings.set(alias, { alias, nullable, order: order.n++ });
    scope.leafAliases.set(node, alias);
  }
}

/**
 * Settles which tables the outer joins of `from` leave nullable once the WHERE clause has had its say (see
 * outerJoins.ts), and returns each outer join's ON condition with the tables it can't filter. Must run before
 * the scope's accesses are made (they take `nullable` as outerJoined). A column the schema does not place in
 * one table of the scope proves nothing (resolverFor's guess could name the nullable table).
 */
function settleOuterJoins(scope: Scope, from: Node[], where: Node | undefined, schema: SchemaModel | undefined, using: Map<Node, Node>): Map<Node, Set<string>> | undefined {
  let outer = false;
  for (const b of scope.bindings.values()) outer ||= b.nullable;
  if (!outer) return undefined;
  const resolve = resolverFor(scope, schema);
  const placed: ColumnResolver = (qualifier, column) => {
    if (qualifier) return resolve(qualifier, column);
    const merged = scope.merged?.get(column);
    if (merged !== undefined) return merged ?? undefined;
    const owners = [...scope.bindings.values()].filter((b) => b.table && schema?.tables.get(b.table)?.columns.has(column));
    return owners.length === 1 ? owners[0].alias : undefined;
  };
  const reading = readOuterJoins(from, where, placed, (leaf) => scope.leafAliases.get(leaf), (j) => j.quals ?? using.get(j));
  for (const b of scope.bindings.values()) {
    b.outerJoin = reading.nullable.get(b.alias);
    b.nullable = b.outerJoin !== undefined;
  }
  return reading.preservedBy;
}

/** Each join's condition under `node`: its ON clause, or the equalities its USING or NATURAL stands for (`using`). */
function joinQuals(node: Node, out: Node[], using: Map<Node, Node>): void {
  if (node.JoinExpr) {
    const j = node.JoinExpr;
    if (j.larg) joinQuals(j.larg, out, using);
    if (j.rarg) joinQuals(j.rarg, out, using);
    const quals = j.quals ?? using.get(j);
    if (quals) out.push(quals);
  }
}

/**
 * The conditions of the USING and NATURAL joins of `from`, once its tables are bound (see usingJoins.ts); the
 * columns they merge are kept on the scope, for unqualified references to resolve to where they come from.
 */
function usingOf(scope: Scope, from: Node[], schema: SchemaModel | undefined): Map<Node, Node> {
  const reading = readUsingJoins(
    from,
    (leaf) => scope.leafAliases.get(leaf),
    (leaf) => {
      const rv = leaf.RangeVar;
      const alias = scope.leafAliases.get(leaf);
      const table = rv && alias ? scope.bindings.get(alias)?.table : undefined;
      const columns = table ? schema?.tables.get(table)?.columns : undefined;
      if (!columns) return undefined;
      // `t AS x(a, b)` renames the first columns.
      const renamed: string[] = (rv.alias?.colnames ?? []).map((c: Node) => c.String?.sval);
      return new Map([...columns.keys()].map((c, i) => [renamed[i] ?? c, c]));
    },
  );
  scope.merged = reading.merged;
  return reading.conditions;
}

function resolverFor(scope: Scope, schema: SchemaModel | undefined): ColumnResolver {
  return (qualifier, column) => {
    if (qualifier) {
      const b = scope.lookup(qualifier);
      return b ? b.alias : undefined;
    }
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const merged = s.merged?.get(column);
      if (merged !== undefined) return merged ?? undefined;
      const tables = [...s.bindings.values()];
      const columnsOf = (b: Binding) => (b.table ? schema?.tables.get(b.table)?.columns : undefined);
      // An outer query's only table is the column's owner unless the schema says it has no such column.
      if (tables.length === 1 && (s === scope || !columnsOf(tables[0]) || columnsOf(tables[0])!.has(column))) return tables[0].alias;
      const owners = tables.filter((b) => columnsOf(b)?.has(column));
      if (owners.length >= 1) return owners[0].alias;
      if (!schema) return tables.find((b) => b.table)?.alias;
      // A FROM item whose columns are not known (a sub-select, a function, a CTE) may be the owner: the name does not
      // reach the query around this one.
      const unknown = tables.filter((b) => !columnsOf(b));
      if (unknown.length === 1) return unknown[0].alias;
      if (unknown.length > 1) return undefined;
    }
    return undefined;
  };
}

function accessFor(b: Binding, sc: StatementContext, kind: AccessKind = 'select'): TableAccess | undefined {
  if (!b.table) return undefined;
  if (!b.access) {
    b.access = emptyAccess(b.table, kind);
    if (b.alias !== b.table) b.access.alias = b.alias;
    if (b.nullable) {
      b.access.outerJoined = true;
      if (b.outerJoin !== undefined) b.access.outerJoin = b.outerJoin;
    }
    b.access.columnsRead = [];
    sc.accesses.push(b.access);
  }
  return b.access;
}

function findBinding(scope: Scope, alias: string): { binding: Binding; local: boolean } | undefined {
  const local = scope.bindings.get(alias);
  if (local) return { binding: local, local: true };
  const outer = scope.parent?.lookup(alias);
  return outer ? { binding: outer, local: false } : undefined;
}

/**
 * PostgreSQL's equivalence classes: with `a.x = b.x` and `b.x = $1` it knows `a.x = $1` too, so either
 * table can be read through its own index on x (generate_base_implied_equalities()). Not across an
 * outer join, and only for `=` (an IN list or a range is not carried over).
 */
function impliedEqualities(scope: Scope, joins: JoinEquality[]): void {
  const equalityOn = (access: TableAccess, column: string) =>
    access.predicates.find((p) => p.atom.kind === 'compare' && p.atom.op === '=' && p.atom.column === column && !p.atom.isTest && !p.atom.rowBound);
  for (let pass = 0, changed = true; changed && pass < 4; pass++) {
    changed = false;
    for (const j of joins) {
      for (const [me, other] of [
        [j.left, j.right],
        [j.right, j.left],
      ]) {
        // Only into this scope's tables: a sub-select's conditions filter nothing outside it (NOT EXISTS, a scalar sub-select).
        const found = findBinding(scope, me.binding);
        const mine = found?.local ? found.binding : undefined;
        const theirs = findBinding(scope, other.binding)?.binding;
        if (!mine?.access || !theirs?.access || mine.nullable || theirs.nullable || equalityOn(mine.access, me.column)) continue;
        const known = equalityOn(theirs.access, other.column);
        if (!known || known.atom.kind !== 'compare') continue;
        // No range of its own: it is not written anywhere.
        mine.access.predicates.push({ atom: { kind: 'compare', column: me.column, op: '=', value: known.atom.value } });
        changed = true;
      }
    }
  }
}

interface ClauseSet {
  where?: Node;
  extraQuals: Node[];
  /** Of extraQuals, the ON conditions of outer joins, with the tables whose rows they keep (see outerJoins.ts). */
  preservedBy?: Map<Node, Set<string>>;
  targets: Node[];
  sort: Node[];
  group: Node[];
  having?: Node;
  limit?: Node;
  offset?: Node;
  distinct: boolean;
}

function analyzeSelect(sel: Node, sc: StatementContext, parent: Scope | undefined, ctes: CteScope): void {
  const declared = withCtes(sel, sc, parent, ctes);
  analyzeSelectIn(sel, sc, parent, declared.scope);
  declared.done();
}

function analyzeSelectIn(sel: Node, sc: StatementContext, parent: Scope | undefined, names: CteScope): void {
  if (sel.op && sel.op !== 'SETOP_NONE') {
    if (sc.subPlans.has(sel)) for (const arm of [sel.larg, sel.rarg]) if (arm) sc.subPlans.add(arm);
    if (sel.larg) analyzeSelect(sel.larg, sc, parent, names);
    if (sel.rarg) analyzeSelect(sel.rarg, sc, parent, names);
    return;
  }
  if (sel.valuesLists) return;
  const scope = new Scope(parent);
  if (sc.subPlans.has(sel)) scope.subPlan = true;
  const order = { n: 0 };
  const pulled = pullUpSubqueries(sel.fromClause ?? [], sel.whereClause, names, sc.ctx.schema);
  const from: Node[] = pulled?.from ?? sel.fromClause ?? [];
  const where: Node | undefined = pulled ? pulled.where : sel.whereClause;
  const rewrite = pulled ? pulled.rewrite : <T>(n: T): T => n;
  for (const f of from) addRange(f, scope, sc, names, order, false);
  const using = usingOf(scope, from, sc.ctx.schema);
  const quals: Node[] = [];
  for (const f of from) joinQuals(f, quals, using);
  const preservedBy = settleOuterJoins(scope, from, where, sc.ctx.schema, using);
  analyzeScope(scope, sc, names, {
    where,
    extraQuals: quals,
    preservedBy,
    targets: rewrite(sel.targetList ?? []),
    sort: rewrite(sel.sortClause ?? []),
    group: rewrite(sel.groupClause ?? []),
    having: rewrite(sel.havingClause),
    limit: sel.limitCount,
    offset: sel.limitOffset,
    distinct: Array.isArray(sel.distinctClause),
  });
}

function analyzeModify(stmt: Node, kind: AccessKind, sc: StatementContext, parent: Scope | undefined, ctes: CteScope): void {
  const declared = withCtes(stmt, sc, parent, ctes);
  analyzeModifyIn(stmt, kind, sc, parent, declared.scope);
  declared.done();
}

function analyzeModifyIn(stmt: Node, kind: AccessKind, sc: StatementContext, parent: Scope | undefined, names: CteScope): void {
  const scope = new Scope(parent);
  const order = { n: 0 };
  const rv = stmt.relation;
  if (!rv) return;
  const alias = rv.alias?.aliasname ?? rv.relname;
  const target: Binding = { alias, table: tableKey(rv), nullable: false, order: order.n++ };
  scope.bindings.set(alias, target);
  accessFor(target, sc, kind);
  const written: Node[] = stmt.fromClause ?? stmt.usingClause ?? [];
  const pulled = pullUpSubqueries(written, stmt.whereClause, names, sc.ctx.schema, alias);
  const from = pulled?.from ?? written;
  const where: Node | undefined = pulled ? pulled.where : stmt.whereClause;
  const targets: Node[] = [...(stmt.targetList ?? []), ...(stmt.returningClause?.exprs ?? stmt.returningList ?? [])];
  for (const f of from) addRange(f, scope, sc, names, order, false);
  const using = usingOf(scope, from, sc.ctx.schema);
  const quals: Node[] = [];
  for (const f of from) joinQuals(f, quals, using);
  const preservedBy = settleOuterJoins(scope, from, where, sc.ctx.schema, using);
  analyzeScope(scope, sc, names, {
    where,
    extraQuals: quals,
    preservedBy,
    targets: pulled ? pulled.rewrite(targets) : targets,
    sort: [],
    group: [],
    distinct: false,
  });
}

/**
 * The WHERE clause's atoms, less the conditions a table's NULL row passes (`e.id IS NULL`) on tables an outer
 * join leaves nullable: they test the join's result (an anti-join), not rows PostgreSQL could filter in the scan.
 */
function whereAtoms(where: Node | undefined, scope: Scope, resolve: ColumnResolver): Conjuncts {
  const out: Conjuncts = { atoms: [], joins: [], subqueries: [] };
  for (const c of splitAnd(where)) {
    const more = predicateAtoms(c, resolve);
    if (acceptsNull(c) && more.atoms.length > 0 && more.atoms.every((a) => scope.bindings.get(a.binding)?.nullable)) continue;
    out.atoms.push(...more.atoms);
    out.joins.push(...more.joins);
    out.subqueries.push(...more.subqueries);
    for (const x of more.pulledUp ?? []) (out.pulledUp ??= new Set()).add(x);
  }
  return out;
}

function analyzeScope(scope: Scope, sc: StatementContext, ctes: CteScope, c: ClauseSet): void {
  const schema = sc.ctx.schema;
  const resolve = resolverFor(scope, schema);
  for (const b of scope.bindings.values()) accessFor(b, sc);

  const conj = c.preservedBy ? whereAtoms(c.where, scope, resolve) : predicateAtoms(c.where, resolve);
  for (const q of c.extraQuals) {
    const more = predicateAtoms(q, resolve);
    // An outer join's ON condition filters none of its preserved side's rows, nor joins them to each other.
    const kept = c.preservedBy?.get(q);
    conj.atoms.push(...(kept ? more.atoms.filter((a) => !kept.has(a.binding)) : more.atoms));
    conj.joins.push(...(kept ? more.joins.filter((j) => !(kept.has(j.left.binding) && kept.has(j.right.binding))) : more.joins));
    conj.subqueries.push(...more.subqueries);
    for (const x of more.pulledUp ?? []) (conj.pulledUp ??= new Set()).add(x);
  }
  let owners: Map<number, Node> | undefined;
  for (const a of conj.atoms) {
    const found = findBinding(scope, a.binding);
    if (!found?.local) continue;
    const access = found.binding.access;
    if (!access) continue;
    access.predicates.push({ atom: a.atom, range: a.location >= 0 ? locatedRange(sc, (owners ??= conjunctOwners(c)), a) : undefined });
  }
  if (sc.maySerialize) restrictScans(scope, [c.where, ...c.extraQuals], schema);
  const driving = scope.first();
  for (const j of conj.joins) {
    for (const [me, other] of [
      [j.left, j.right],
      [j.right, j.left],
    ]) {
      const mine = findBinding(scope, me.binding);
      const theirs = findBinding(scope, other.binding);
      if (!mine?.local || !mine.binding.access || !theirs) continue;
      const otherTable = theirs.binding.table ?? theirs.binding.alias;
      mine.binding.access.joinKeys.push({ column: me.column, otherTable, otherColumn: other.column });
      // A sub-plan's correlation: looked up again for each outer row, never hashed.
      if (!theirs.local && scope.subPlan) mine.binding.access.perOuterRow = true;
      // The inner side of a join can look rows up by the join key; the driving table can't.
      if (!theirs.local || mine.binding !== driving) mine.binding.access.joinedFrom ??= otherTable;
    }
  }
  impliedEqualities(scope, conj.joins);

  // Columns read, for index-only scans.
  const readNodes = [c.where, ...c.extraQuals, ...c.targets, ...c.sort, ...c.group, c.having];
  const outputNodes = new Set<Node | undefined>([...c.targets, ...c.sort, ...c.group, c.having]);
  const wholeRow = new Set<string>();
  for (const b of scope.bindings.values()) if (b.access) b.access.outputColumns = [];
  for (const n of readNodes) {
    const output = outputNodes.has(n);
    walk(n, (node, type) => {
      if (type === 'SubLink') return false;
      if (type !== 'ColumnRef') return;
      const ref = columnRef(node)!;
      if (ref.star) {
        const targets = ref.qualifier ? [scope.bindings.get(ref.qualifier)].filter(Boolean) : [...scope.bindings.values()];
        for (const b of targets) if (b?.access) b.access.columnsRead = '*';
        return;
      }
      if (!ref.qualifier && ref.column && scope.bindings.has(ref.column) && !schemaHasColumn(schema, scope, ref.column)) {
        wholeRow.add(ref.column);
        return;
      }
      const alias = resolve(ref.qualifier, ref.column!);
      const b = alias ? scope.bindings.get(alias) : undefined;
      if (b?.access && b.access.columnsRead !== '*' && !b.access.columnsRead.includes(ref.column!)) b.access.columnsRead.push(ref.column!);
      if (output && b?.access?.outputColumns && !b.access.outputColumns.includes(ref.column!)) b.access.outputColumns.push(ref.column!);
    });
  }
  for (const alias of wholeRow) {
    const b = scope.bindings.get(alias);
    if (b?.access) b.access.columnsRead = '*';
  }

  // GROUP BY columns.
  for (const g of c.group) {
    const ref = columnRef(g);
    if (!ref?.column) continue;
    const alias = resolve(ref.qualifier, ref.column);
    const b = alias ? scope.bindings.get(alias) : undefined;
    b?.access?.groupBy.push(ref.column);
  }
  // One table, grouped or aggregated in each process: only partial aggregates leave its scan.
  const only = scope.bindings.size === 1 ? [...scope.bindings.values()][0].access : undefined;
  if (only) {
    const calls = aggregateCalls([...c.targets, c.having]);
    if ((c.group.length > 0 || calls.length > 0) && partiallyAggregated(c.group, calls, schema?.functions)) only.aggregated = true;
  }

  applyOrderAndLimit(scope, sc, c, resolve, driving);

  // Sub-selects in WHERE/targets are scopes of their own that can see this one; those not pulled up into a
  // semi- or anti-join run as sub-plans.
  const subs = [...conj.subqueries];
  for (const s of subs) if (!conj.pulledUp?.has(s) && s.SelectStmt) sc.subPlans.add(s.SelectStmt);
  for (const n of [...c.targets, c.having]) {
    walk(n, (node, type) => {
      if (type === 'SubLink') {
        const sub = node.SubLink.subselect;
        if (sub) subs.push(sub);
        if (sub?.SelectStmt) sc.subPlans.add(sub.SelectStmt);
        return false;
      }
    });
  }
  for (const s of subs) analyzeStatement(s, sc, scope, ctes);
}

/**
 * A condition on one table that calls a function PARALLEL RESTRICTED (or UNSAFE once inlined) keeps that table from a
 * parallel scan: it is evaluated in the leader (set_rel_consider_parallel()). A condition on several tables is a join's;
 * one on none is the table's in a one-table query (a volatile one is: distribute_qual_to_rels()), else checked above the scans.
 */
function restrictScans(scope: Scope, quals: (Node | undefined)[], schema: SchemaModel | undefined): void {
  const resolve = resolverFor(scope, schema);
  for (const q of quals.flatMap((x) => splitAnd(x))) {
    const why = restrictedCall(q, schema?.functions);
    if (!why) continue;
    const tables = new Set(columnRefsIn(q).map((r) => (r.column ? resolve(r.qualifier, r.column) : undefined)));
    // A condition on no column (`random() < 0.1`) of a one-table query is that table's.
    if (tables.size === 0 && scope.bindings.size === 1) tables.add([...scope.bindings.keys()][0]);
    const [only] = tables;
    const found = tables.size === 1 && only !== undefined ? findBinding(scope, only) : undefined;
    const access = found?.local ? found.binding.access : undefined;
    if (access?.kind === 'select') access.serialOnly ??= why;
  }
}

function schemaHasColumn(schema: SchemaModel | undefined, scope: Scope, column: string): boolean {
  if (!schema) return false;
  for (const b of scope.bindings.values()) if (b.table && schema.tables.get(b.table)?.columns.has(column)) return true;
  return false;
}

function hasAggregate(nodes: Node[]): boolean {
  return callsFunction(nodes, (name, call) => AGGREGATE_FUNCTIONS.has(name) && !call.over);
}

/** The aggregate calls below `nodes` (a call with OVER is a window function), not those of sub-selects. */
function aggregateCalls(nodes: unknown[]): Node[] {
  const calls: Node[] = [];
  walk(nodes, (node, type) => {
    if (type === 'SubLink') return false;
    if (type === 'FuncCall' && !node.FuncCall.over && (node.FuncCall.agg_star || AGGREGATE_FUNCTIONS.has(funcCallName(node)) || node.FuncCall.agg_distinct || node.FuncCall.agg_order)) calls.push(node);
  });
  return calls;
}

function applyOrderAndLimit(scope: Scope, sc: StatementContext, c: ClauseSet, resolve: ColumnResolver, driving: Binding | undefined): void {
  const access = driving?.access;
  if (c.sort.length > 0) {
    const items: { alias?: string; column?: string; desc: boolean; nullsFirst?: boolean; node: Node }[] = [];
    for (const s of c.sort) {
      const sb = s.SortBy;
      const ref = columnRef(sb?.node);
      const alias = ref?.column ? resolve(ref.qualifier, ref.column) : undefined;
      const nulls = sb?.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : sb?.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : undefined;
      items.push({ alias, column: ref?.column, desc: sb?.sortby_dir === 'SORTBY_DESC', nullsFirst: nulls, node: sb?.node });
    }
    const aliases = new Set(items.map((i) => i.alias));
    const only = aliases.size === 1 ? [...aliases][0] : undefined;
    const target = only ? scope.bindings.get(only) : undefined;
    let reason: string | undefined;
    if (!only || !target?.access) reason = items.some((i) => !i.column) ? 'ORDER BY sorts on an expression' : 'ORDER BY mixes columns of several tables';
    else if (c.group.length > 0 || hasAggregate(c.targets)) reason = 'ORDER BY sorts grouped or aggregated rows';
    else if (c.distinct) reason = 'ORDER BY applies after DISTINCT';
    else if (target !== driving) reason = `ORDER BY is on "${target.alias}", which is joined to "${driving?.alias}": the sort runs over the join result`;
    else if (target.nullable) reason = `ORDER BY is on the nullable side of an outer join`;
    if (reason) {
      const holder = target?.access ?? access;
      if (holder) holder.orderByUnsatisfiable = reason;
    } else {
      target!.access!.orderBy = items.map((i) => ({ column: i.column!, desc: i.desc, nullsFirst: i.nullsFirst, range: sc.nodeRange(i.node) }));
    }
  }
  if (access) {
    const limit = countOf(c.limit);
    if (limit !== undefined) access.limit = limit;
    const offset = countOf(c.offset);
    if (offset !== undefined) access.offset = offset;
  }
}

/** A LIMIT's or OFFSET's count: a whole number of rows or a parameter; a negative or overflowing one, which PostgreSQL refuses, is none. */
function countOf(n: Node | undefined): number | 'param' | undefined {
  const v = intOf(n);
  if (typeof v !== 'number') return v;
  return Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined;
}

/**
 * For each location in the WHERE clause and join conditions, the first node (in walk order) that
 * starts there and is not a column reference or constant: what a predicate atom's location belongs to.
 */
function conjunctOwners(c: ClauseSet): Map<number, Node> {
  const owners = new Map<number, Node>();
  for (const root of [c.where, ...c.extraQuals]) {
    walk(root, (node, type) => {
      const loc = node[type]?.location;
      if (typeof loc === 'number' && type !== 'ColumnRef' && type !== 'A_Const' && !owners.has(loc)) owners.set(loc, node);
    });
  }
  return owners;
}

function locatedRange(sc: StatementContext, owners: Map<number, Node>, a: { location: number }): Range | undefined {
  // Predicate atoms point at their operator; the conjunct node that owns that location gives a full range.
  return sc.nodeRange(owners.get(a.location) ?? { X: { location: a.location } });
}

export { columnRefsIn };
