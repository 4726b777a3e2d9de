/** Applies one DDL statement to a schema model, the way PostgreSQL would change its catalog. */
import type { SourceLocation } from '../../model/location';
import type { ColumnDef, IndexDef, IndexKey, SchemaModel, TableDef } from '../../model/schema';
import { columnRef, columnRefsIn, defElem, exprText, type Node, strings, withoutLocations } from '../../sql/expr';
import { predicateAtoms } from '../../sql/predicates';
import { renameColumnInViews, renameTableInViews, renameViewColumn } from './viewRenames';
import { tableKey } from '../../sql/identifiers';
import { typeNameText } from './columnTypes';
import { alterFunction, createFunction, defineAggregate, dropFunctions, renameFunction, setFunctionSchema } from './functions';
import { selectColumns, withStarsExpanded } from './selectColumns';

export interface StatementOrigin {
  /** Where the statement is, for IndexDef.location and TableDef.location. */
  location: SourceLocation;
  /** Original statement text (predicate text is sliced from it). */
  text: string;
  /** The line of the statement from a parser location (a byte offset into `text`) on: where one of its clauses is. */
  lineAt?(byteOffset: number): SourceLocation;
}

/** Where a constraint is written: its line, else the statement. */
function constraintLocation(origin: StatementOrigin, c: Node, fallback?: number): SourceLocation {
  const at = typeof c.location === 'number' && c.location >= 0 ? c.location : fallback;
  return (at !== undefined && origin.lineAt?.(at)) || origin.location;
}

function newTable(name: string, schemaName: string | undefined, origin: StatementOrigin): TableDef {
  return { name, schema: schemaName && schemaName !== 'public' ? schemaName : 'public', columns: new Map(), indexes: [], foreignKeys: [], location: origin.location };
}

/**
 * The columns of the table `rel` names, copied into `table` (CREATE TABLE … PARTITION OF, INHERITS, LIKE). Its indexes
 * are not: a partition's come from the partitioned table's, and LIKE … INCLUDING INDEXES names them anew.
 */
function copyColumns(schema: SchemaModel, table: TableDef, rel: Node | undefined): void {
  const from = rel ? schema.tables.get(tableKey(rel)) : undefined;
  for (const [name, col] of from?.columns ?? []) if (!table.columns.has(name)) table.columns.set(name, { ...col, location: table.location });
}

/** A column key without a COLLATE of its own takes the column's (PostgreSQL builds the index with it). */
function withColumnCollation(table: TableDef, key: IndexKey): IndexKey {
  const c = key.column && !key.collation ? table.columns.get(key.column)?.collation : undefined;
  return c ? { ...key, columnCollation: c } : key;
}

function sortKey(elem: Node): IndexKey {
  const e = elem.IndexElem ?? {};
  const desc = e.ordering === 'SORTBY_DESC';
  const nullsFirst = e.nulls_ordering === 'SORTBY_NULLS_FIRST' ? true : e.nulls_ordering === 'SORTBY_NULLS_LAST' ? false : desc;
  const opclass = strings(e.opclass).pop();
  const collation = strings(e.collation).pop();
  const extra = collation ? { collation } : {};
  if (e.name) return { column: e.name, desc, nullsFirst, opclass, ...extra };
  const expr = e.expr;
  const ref = columnRef(expr);
  if (ref?.column) return { column: ref.column, desc, nullsFirst, opclass, ...extra };
  return {
    expression: exprText(expr),
    expressionColumns: columnRefsIn(expr).flatMap((c) => (c.column ? [c.column] : [])),
    desc,
    nullsFirst,
    opclass,
    ...extra,
  };
}

function enumOf(schema: SchemaModel, typeName: string): string | undefined {
  const bare = typeName.replace(/\[\]$/, '');
  return schema.enums.has(bare) ? bare : undefined;
}

function columnFrom(def: Node, schema: SchemaModel, origin: StatementOrigin, table: TableDef): ColumnDef {
  const type = typeNameText(def.typeName);
  const constraints: Node[] = (def.constraints ?? []).map((c: Node) => c.Constraint).filter(Boolean);
  const col: ColumnDef = {
    name: def.colname,
    type,
    nullable: !constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY'),
    enumName: enumOf(schema, type),
    generated: constraints.some((c) => c.contype === 'CONSTR_GENERATED') || undefined,
    location: origin.location,
  };
  const collation = strings(def.collClause?.collname).pop();
  if (collation) col.collation = collation;
  // Set before its constraints' indexes are made, which take the column's collation.
  table.columns.set(def.colname, col);
  for (const c of constraints) {
    if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') {
      addConstraintIndex(schema, table, { ...c, keys: [{ String: { sval: def.colname } }] }, origin);
    } else if (c.contype === 'CONSTR_FOREIGN') {
      table.foreignKeys.push({ name: c.conname ?? foreignKeyName(schema, table.name, [def.colname]), columns: [def.colname], refTable: tableKey(c.pktable), refColumns: strings(c.pk_attrs), ...cascades(c), location: constraintLocation(origin, def, c.location) });
    }
  }
  return col;
}

/**
 * PostgreSQL's makeObjectName: `name1_name2_label`, shortening the longer of the two names until
 * the whole fits in 63 bytes, so the label always survives.
 */
export function makeObjectName(name1: string, name2: string | undefined, label: string): string {
  const enc = new TextEncoder();
  const bytes = (x: string) => enc.encode(x).length;
  const avail = 63 - (bytes(label) + 1) - (name2 ? 1 : 0);
  let a = [...name1];
  let b = name2 ? [...name2] : [];
  const len = (cs: string[]) => bytes(cs.join(''));
  while (len(a) + len(b) > avail) {
    if (len(a) > len(b)) a = a.slice(0, -1);
    else b = b.slice(0, -1);
  }
  return name2 ? `${a.join('')}_${b.join('')}_${label}` : `${a.join('')}_${label}`;
}

/** ChooseRelationName: a free name, appending 1, 2, … to the label on collision. */
function chooseName(taken: Set<string>, name1: string, name2: string | undefined, label: string): string {
  for (let n = 0; ; n++) {
    const name = makeObjectName(name1, name2, n === 0 ? label : `${label}${n}`);
    if (!taken.has(name)) return name;
  }
}

function allNames(schema: SchemaModel): Set<string> {
  const names = new Set<string>(schema.tables.keys());
  for (const t of schema.tables.values()) for (const i of t.indexes) names.add(i.name);
  return names;
}

/** PostgreSQL's FigureIndexColname: the column, the function name, or "expr". */
function indexColumnName(elem: Node): string {
  const e = elem.IndexElem ?? {};
  if (e.name) return e.name;
  let expr = e.expr;
  while (expr?.TypeCast) expr = expr.TypeCast.arg;
  const ref = columnRef(expr);
  if (ref?.column) return ref.column;
  if (expr?.FuncCall) return strings(expr.FuncCall.funcname).pop() ?? 'expr';
  if (expr?.CoalesceExpr) return 'coalesce';
  return 'expr';
}

/** ChooseIndexNameAddition / ChooseConstraintNameAddition: names joined by "_", at most 63 bytes. */
function nameAddition(names: string[]): string {
  return names.join('_').slice(0, 63);
}

/** PostgreSQL's name for an unnamed constraint's index: `table_col_key` / `table_pkey`. */
export function defaultConstraintName(schema: SchemaModel, table: string, columns: string[], primary: boolean): string {
  const taken = allNames(schema);
  return primary ? chooseName(taken, table, undefined, 'pkey') : chooseName(taken, table, nameAddition(columns), 'key');
}

/** ON DELETE CASCADE (`fk_del_action` 'c'). */
function cascades(c: Node): { cascades?: true } {
  return c.fk_del_action === 'c' ? { cascades: true } : {};
}

/** PostgreSQL's name for an unnamed foreign key: `table_col_fkey` (ChooseConstraintName), so that DROP CONSTRAINT finds it. */
function foreignKeyName(schema: SchemaModel, table: string, columns: string[]): string {
  const taken = new Set<string>();
  for (const t of schema.tables.values()) {
    for (const f of t.foreignKeys) if (f.name) taken.add(f.name);
    for (const i of t.indexes) if (i.constraint) taken.add(i.name);
  }
  return chooseName(taken, table, nameAddition(columns), 'fkey');
}

function addConstraintIndex(schema: SchemaModel, table: TableDef, c: Node, origin: StatementOrigin): void {
  const primary = c.contype === 'CONSTR_PRIMARY';
  if (c.indexname) {
    // ADD CONSTRAINT … USING INDEX: the existing unique index becomes the constraint's, renamed to it.
    const existing = table.indexes.find((i) => i.name === c.indexname);
    if (existing) {
      if (c.conname) existing.name = c.conname;
      existing.constraint = true;
      existing.primary = primary;
      existing.unique = true;
      return;
    }
  }
  const columns = strings(c.keys);
  table.indexes.push({
    name: c.conname ?? c.indexname ?? defaultConstraintName(schema, table.name, columns, primary),
    table: table.name,
    method: c.access_method ?? 'btree',
    keys: columns.map((column) => withColumnCollation(table, { column, desc: false, nullsFirst: false })),
    include: strings(c.including),
    unique: true,
    primary,
    constraint: true,
    valid: true,
    origin: 'migration',
    location: origin.location,
  });
  if (primary) for (const col of columns) {
    const cd = table.columns.get(col);
    if (cd) cd.nullable = false;
  }
}

function addTableConstraint(schema: SchemaModel, table: TableDef, c: Node, origin: StatementOrigin): void {
  if (c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_UNIQUE') addConstraintIndex(schema, table, c, origin);
  else if (c.contype === 'CONSTR_FOREIGN') {
    const columns = strings(c.fk_attrs);
    table.foreignKeys.push({ name: c.conname ?? foreignKeyName(schema, table.name, columns), columns, refTable: tableKey(c.pktable), refColumns: strings(c.pk_attrs), ...cascades(c), location: constraintLocation(origin, c) });
  }
}

/** PostgreSQL's generated index name: `table_col1_col2_idx`, made unique with a number. */
function defaultIndexName(schema: SchemaModel, table: string, params: Node[]): string {
  return chooseName(allNames(schema), table, nameAddition(params.map(indexColumnName)), 'idx');
}

function predicateText(where: Node, origin: StatementOrigin): string {
  return exprText(where).replace(/^\((.*)\)$/, '$1') || origin.text;
}

export function findIndex(schema: SchemaModel, name: string): { table: TableDef; index: IndexDef; position: number } | undefined {
  for (const table of schema.tables.values()) {
    const position = table.indexes.findIndex((i) => i.name === name);
    if (position >= 0) return { table, index: table.indexes[position], position };
  }
  return undefined;
}

/** Returns a message when the statement could not be applied (unknown table, …); undefined otherwise. */
export function applyStatement(schema: SchemaModel, ast: Node, origin: StatementOrigin): string | undefined {
  if (ast.CreateEnumStmt) {
    const name = strings(ast.CreateEnumStmt.typeName).pop()!;
    schema.enums.set(name, { name, values: strings(ast.CreateEnumStmt.vals) });
    return;
  }
  if (ast.AlterEnumStmt) {
    const name = strings(ast.AlterEnumStmt.typeName).pop()!;
    const e = schema.enums.get(name);
    if (e && ast.AlterEnumStmt.newVal && !e.values.includes(ast.AlterEnumStmt.newVal)) e.values.push(ast.AlterEnumStmt.newVal);
    return;
  }
  if (ast.CreateStmt) {
    const cs = ast.CreateStmt;
    const name = tableKey(cs.relation);
    if (schema.tables.has(name) && cs.if_not_exists) return;
    const table = newTable(name, cs.relation.schemaname, origin);
    schema.tables.set(name, table);
    // PARTITION OF and INHERITS: the parents' columns come first.
    for (const parent of cs.inhRelations ?? []) copyColumns(schema, table, parent.RangeVar);
    for (const el of cs.tableElts ?? []) {
      if (el.ColumnDef) table.columns.set(el.ColumnDef.colname, columnFrom(el.ColumnDef, schema, origin, table));
      else if (el.Constraint) addTableConstraint(schema, table, el.Constraint, origin);
      else if (el.TableLikeClause) copyColumns(schema, table, el.TableLikeClause.relation);
    }
    setParallelWorkers(table, cs.options);
    return;
  }
  if (ast.CreateTableAsStmt) return createTableAs(schema, ast.CreateTableAsStmt, origin);
  if (ast.RefreshMatViewStmt) return refreshMaterializedView(schema, ast.RefreshMatViewStmt);
  if (ast.IndexStmt) return createIndex(schema, ast.IndexStmt, origin);
  if (ast.ViewStmt) return createView(schema, ast.ViewStmt, origin);
  if (ast.DropStmt) return drop(schema, ast.DropStmt);
  if (ast.AlterTableStmt) return alterTable(schema, ast.AlterTableStmt, origin);
  if (ast.RenameStmt) return ROUTINES.has(ast.RenameStmt.renameType) ? renameFunction(schema, ast.RenameStmt) : rename(schema, ast.RenameStmt);
  if (ast.CreateFunctionStmt) createFunction(schema, ast.CreateFunctionStmt);
  else if (ast.DefineStmt) defineAggregate(schema, ast.DefineStmt);
  else if (ast.AlterFunctionStmt) return alterFunction(schema, ast.AlterFunctionStmt);
  else if (ast.AlterObjectSchemaStmt && ROUTINES.has(ast.AlterObjectSchemaStmt.objectType)) return setFunctionSchema(schema, ast.AlterObjectSchemaStmt);
  return;
}

/** Object types of functions, procedures and aggregates in ALTER / DROP statements. */
const ROUTINES = new Set(['OBJECT_FUNCTION', 'OBJECT_ROUTINE', 'OBJECT_AGGREGATE', 'OBJECT_PROCEDURE']);

/** `WITH (parallel_workers = n)` / `SET (…)` on a table; `reset`: RESET (parallel_workers). Other storage parameters don't matter here. */
function setParallelWorkers(table: TableDef, options: Node[] | undefined, reset = false): void {
  const option = defElem(options, 'parallel_workers');
  if (!option) return;
  if (reset) {
    delete table.parallelWorkers;
    return;
  }
  // The parser leaves out an Integer's ival when it is 0; a quoted value is a String.
  const value = option.arg?.Integer ? (option.arg.Integer.ival ?? 0) : Number(option.arg?.String?.sval);
  if (Number.isInteger(value) && value >= 0) table.parallelWorkers = value;
}

/** CREATE TABLE … AS and CREATE MATERIALIZED VIEW: a relation with the SELECT's output columns (and, for the view, its query). */
function createTableAs(schema: SchemaModel, cs: Node, origin: StatementOrigin): string | undefined {
  const rel = cs.into?.rel;
  if (!rel || (cs.objtype !== 'OBJECT_TABLE' && cs.objtype !== 'OBJECT_MATVIEW')) return;
  const name = tableKey(rel);
  if (schema.tables.has(name) || schema.views?.has(name)) return cs.if_not_exists ? undefined : `relation "${name}" already exists`;
  const table = newTable(name, rel.schemaname, origin);
  const { columns, complete } = selectColumns(cs.query, schema, cs.into.colNames);
  if (complete && (cs.into.colNames?.length ?? 0) > columns.length) return 'too many column names were specified';
  for (const c of columns) {
    if (table.columns.has(c.name) && complete) return `column "${c.name}" specified more than once`;
    if (!table.columns.has(c.name)) table.columns.set(c.name, { ...c, location: origin.location });
  }
  if (!complete) table.columnsIncomplete = true;
  if (cs.objtype === 'OBJECT_MATVIEW') table.materialized = { query: withoutLocations(cs.query), populated: !cs.into.skipData };
  schema.tables.set(name, table);
  return;
}

/**
 * REFRESH MATERIALIZED VIEW: fills one made WITH NO DATA. CONCURRENTLY needs it filled already and a unique index
 * PostgreSQL can match rows by: on plain columns, without a WHERE clause (refresh_by_match_merge()).
 */
function refreshMaterializedView(schema: SchemaModel, rs: Node): string | undefined {
  const name = tableKey(rs.relation);
  const mv = schema.tables.get(name);
  if (!mv) return `relation "${name}" does not exist`;
  if (!mv.materialized) return `"${name}" is not a materialized view`;
  if (rs.concurrent && rs.skipData) return 'CONCURRENTLY and WITH NO DATA options cannot be used together';
  if (rs.concurrent && !mv.materialized.populated) return 'CONCURRENTLY cannot be used when the materialized view is not populated';
  if (rs.concurrent && !mv.indexes.some((i) => i.unique && !i.predicate && i.valid && i.keys.every((k) => k.column))) return `cannot refresh materialized view "${name}" concurrently`;
  // WITH NO DATA empties it again.
  mv.materialized = { ...mv.materialized, populated: !rs.skipData };
  return;
}

/** Views of the public schema only: those are what an unqualified name in a query finds. */
function createView(schema: SchemaModel, vs: Node, origin: StatementOrigin): string | undefined {
  const name = tableKey(vs.view);
  if (name.includes('.') || !vs.query?.SelectStmt) return;
  const views = (schema.views ??= new Map());
  if (views.has(name) && !vs.replace) return `relation "${name}" already exists`;
  if (schema.tables.has(name)) return `relation "${name}" already exists`;
  views.set(name, { name, query: withStarsExpanded(withoutLocations(vs.query), schema), ...(vs.aliases?.length ? { colnames: vs.aliases } : {}), location: origin.location });
  return;
}

function createIndex(schema: SchemaModel, is: Node, origin: StatementOrigin): string | undefined {
  const tableName = tableKey(is.relation);
  const table = schema.tables.get(tableName);
  if (!table) return `CREATE INDEX on unknown table "${tableName}"`;
  const keys = (is.indexParams ?? []).map((p: Node) => withColumnCollation(table, sortKey(p)));
  const name: string = is.idxname ?? defaultIndexName(schema, tableName, is.indexParams ?? []);
  if (findIndex(schema, name)) {
    if (is.if_not_exists) return;
    return `relation "${name}" already exists`;
  }
  const where = is.whereClause;
  const index: IndexDef = {
    name,
    table: tableName,
    method: is.accessMethod ?? 'btree',
    keys,
    include: (is.indexIncludingParams ?? []).map((p: Node) => p.IndexElem?.name).filter(Boolean),
    unique: !!is.unique,
    primary: !!is.primary,
    constraint: false,
    valid: true,
    origin: 'migration',
    location: origin.location,
  };
  const pagesPerRange = defElem(is.options, 'pages_per_range')?.arg;
  const perRange = Number(pagesPerRange?.Integer?.ival ?? pagesPerRange?.String?.sval);
  if (index.method === 'brin' && perRange > 0) index.pagesPerRange = perRange;
  if (where) {
    index.predicate = predicateAtoms(where, () => tableName).atoms.map((a) => a.atom);
    index.predicateText = predicateText(where, origin);
  }
  table.indexes.push(index);
  return;
}

function drop(schema: SchemaModel, ds: Node): string | undefined {
  const qualified: string[][] = (ds.objects ?? []).map((o: Node) => strings(o.List?.items ?? [o]));
  const names: string[] = qualified.map((q) => q[q.length - 1]).filter(Boolean);
  if (ds.removeType === 'OBJECT_INDEX') {
    for (const n of names) {
      const found = findIndex(schema, n);
      if (found) found.table.indexes.splice(found.position, 1);
      else if (!ds.missing_ok) return `index "${n}" does not exist`;
    }
  } else if (ds.removeType === 'OBJECT_TABLE' || ds.removeType === 'OBJECT_MATVIEW') {
    for (const q of qualified) {
      const key = tableKey({ relname: q[q.length - 1], schemaname: q.length > 1 ? q[q.length - 2] : undefined });
      const t = schema.tables.get(key);
      // DROP TABLE does not drop a materialized view, nor DROP MATERIALIZED VIEW a table (IF EXISTS or not).
      if (t && !t.materialized !== (ds.removeType === 'OBJECT_TABLE')) return `"${key}" is not a ${t.materialized ? 'table' : 'materialized view'}`;
      schema.tables.delete(key);
      // DROP TABLE … CASCADE drops the foreign keys that reference it (without CASCADE, the statement fails).
      for (const t of schema.tables.values()) t.foreignKeys = t.foreignKeys.filter((f) => f.refTable !== key);
    }
  } else if (ds.removeType === 'OBJECT_VIEW') {
    for (const q of qualified) schema.views?.delete(tableKey({ relname: q[q.length - 1], schemaname: q.length > 1 ? q[q.length - 2] : undefined }));
  } else if (ds.removeType === 'OBJECT_TYPE') {
    for (const n of names) schema.enums.delete(n);
  } else if (ROUTINES.has(ds.removeType)) {
    return dropFunctions(schema, ds.objects ?? []);
  }
  return;
}

function alterTable(schema: SchemaModel, at: Node, origin: StatementOrigin): string | undefined {
  const table = schema.tables.get(tableKey(at.relation));
  if (!table) return at.missing_ok ? undefined : `ALTER TABLE on unknown table "${tableKey(at.relation)}"`;
  for (const c of at.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (!cmd) continue;
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const def = cmd.def?.ColumnDef;
        if (def && !(cmd.missing_ok && table.columns.has(def.colname))) table.columns.set(def.colname, columnFrom(def, schema, origin, table));
        break;
      }
      case 'AT_DropColumn': {
        table.columns.delete(cmd.name);
        // PostgreSQL drops every index that uses the column.
        table.indexes = table.indexes.filter((i) => !indexColumns(i).has(cmd.name));
        // And every foreign key of the column, or to it.
        table.foreignKeys = table.foreignKeys.filter((f) => !f.columns.includes(cmd.name));
        for (const t of schema.tables.values()) t.foreignKeys = t.foreignKeys.filter((f) => !(f.refTable === table.name && f.refColumns.includes(cmd.name)));
        break;
      }
      case 'AT_AddConstraint':
        if (cmd.def?.Constraint) addTableConstraint(schema, table, cmd.def.Constraint, origin);
        break;
      case 'AT_DropConstraint':
        table.indexes = table.indexes.filter((i) => !(i.constraint && i.name === cmd.name));
        table.foreignKeys = table.foreignKeys.filter((f) => f.name !== cmd.name);
        break;
      case 'AT_AlterColumnType': {
        const col = table.columns.get(cmd.name);
        const def = cmd.def?.ColumnDef;
        if (col && def) {
          col.type = typeNameText(def.typeName);
          col.enumName = enumOf(schema, col.type);
          // The indexes on the column are rebuilt with the type's (or the given) collation.
          const collation = strings(def.collClause?.collname).pop();
          if (collation) col.collation = collation;
          else delete col.collation;
          for (const i of table.indexes) {
            i.keys = i.keys.map((k) => {
              if (k.column !== col.name || k.collation) return k;
              const { columnCollation: _, ...rest } = k;
              return collation ? { ...rest, columnCollation: collation } : rest;
            });
          }
        }
        break;
      }
      case 'AT_SetRelOptions':
      case 'AT_ResetRelOptions':
        setParallelWorkers(table, cmd.def?.List?.items, cmd.subtype === 'AT_ResetRelOptions');
        break;
      case 'AT_SetNotNull':
      case 'AT_DropNotNull': {
        const col = table.columns.get(cmd.name);
        if (col) col.nullable = cmd.subtype === 'AT_DropNotNull';
        break;
      }
    }
  }
  return;
}

function rename(schema: SchemaModel, rs: Node): string | undefined {
  // ALTER TABLE … RENAME TO renames a view too.
  const view = (rs.renameType === 'OBJECT_VIEW' || rs.renameType === 'OBJECT_TABLE') && !schema.tables.has(tableKey(rs.relation)) ? schema.views?.get(tableKey(rs.relation)) : undefined;
  if (view) {
    schema.views!.delete(view.name);
    schema.views!.set(rs.newname, { ...view, name: rs.newname });
  } else if (rs.renameType === 'OBJECT_VIEW') {
    return rs.missing_ok ? undefined : `view "${tableKey(rs.relation)}" does not exist`;
  } else if (rs.renameType === 'OBJECT_TABLE' || rs.renameType === 'OBJECT_MATVIEW') {
    const t = schema.tables.get(tableKey(rs.relation));
    if (!t) return rs.missing_ok ? undefined : `ALTER TABLE RENAME on unknown table "${tableKey(rs.relation)}"`;
    if (rs.renameType === 'OBJECT_MATVIEW' && !t.materialized) return `"${t.name}" is not a materialized view`;
    const old = t.name;
    schema.tables.delete(t.name);
    t.name = tableKey({ relname: rs.newname, schemaname: rs.relation?.schemaname });
    for (const i of t.indexes) i.table = t.name;
    schema.tables.set(t.name, t);
    // Foreign keys and views follow the table they reference.
    for (const other of schema.tables.values()) for (const f of other.foreignKeys) if (f.refTable === old) f.refTable = t.name;
    renameTableInViews(schema, old, rs.newname);
  } else if (rs.renameType === 'OBJECT_COLUMN' && !schema.tables.has(tableKey(rs.relation)) && schema.views?.has(tableKey(rs.relation))) {
    // ALTER VIEW … RENAME COLUMN (or ALTER TABLE on a view).
    const v = schema.views.get(tableKey(rs.relation))!;
    const renamed = renameViewColumn(v, rs.subname, rs.newname);
    if (!renamed) return `column "${rs.subname}" does not exist`;
    schema.views.set(v.name, renamed);
  } else if (rs.renameType === 'OBJECT_COLUMN') {
    const t = schema.tables.get(tableKey(rs.relation));
    const col = t?.columns.get(rs.subname);
    if (!t || !col) return t?.columnsIncomplete ? undefined : `column "${rs.subname}" does not exist`;
    t.columns.delete(rs.subname);
    col.name = rs.newname;
    t.columns.set(col.name, col);
    for (const i of t.indexes) renameColumnInIndex(i, rs.subname, rs.newname);
    const renamed = (cols: string[]) => cols.map((c) => (c === rs.subname ? rs.newname : c));
    for (const f of t.foreignKeys) f.columns = renamed(f.columns);
    for (const other of schema.tables.values()) for (const f of other.foreignKeys) if (f.refTable === t.name) f.refColumns = renamed(f.refColumns);
    renameColumnInViews(schema, t.name, rs.subname, rs.newname);
  } else if (rs.renameType === 'OBJECT_INDEX' || (rs.renameType === 'OBJECT_TABCONSTRAINT' && rs.subname)) {
    const oldName = rs.renameType === 'OBJECT_INDEX' ? rs.relation?.relname : rs.subname;
    const found = findIndex(schema, oldName);
    if (!found) return rs.missing_ok ? undefined : `index "${oldName}" does not exist`;
    found.index.name = rs.newname;
  }
  return;
}

/** Every column an index depends on: keys, expressions, INCLUDE and predicate. */
function indexColumns(i: IndexDef): Set<string> {
  const cols = new Set<string>();
  for (const k of i.keys) {
    if (k.column) cols.add(k.column);
    for (const c of k.expressionColumns ?? []) cols.add(c);
  }
  for (const c of i.include) cols.add(c);
  for (const a of i.predicate ?? []) for (const c of a.kind === 'other' ? a.columns : [a.column]) cols.add(c);
  return cols;
}

function renameInText(text: string, from: string, to: string): string {
  const esc = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(^|[^\\w"$])("?)${esc}\\2(?![\\w$])`, 'g'), (_m, pre: string, q: string) => `${pre}${q}${to}${q}`);
}

function renameColumnInIndex(i: IndexDef, from: string, to: string): void {
  for (const k of i.keys) {
    if (k.column === from) k.column = to;
    if (k.expressionColumns?.includes(from)) {
      k.expressionColumns = k.expressionColumns.map((c) => (c === from ? to : c));
      if (k.expression) k.expression = renameInText(k.expression, from, to);
    }
  }
  i.include = i.include.map((c) => (c === from ? to : c));
  if (i.predicate) {
    i.predicate = i.predicate.map((a) =>
      a.kind === 'other' ? { ...a, columns: a.columns.map((c) => (c === from ? to : c)), text: renameInText(a.text, from, to) } : a.column === from ? { ...a, column: to } : a,
    );
  }
  if (i.predicateText) i.predicateText = renameInText(i.predicateText, from, to);
}
