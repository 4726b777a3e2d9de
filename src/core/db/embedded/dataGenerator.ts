/**
 * Synthetic rows shaped by the schema, so a planner sees realistic sizes and statistics.
 *
 * Each table gets one `INSERT … SELECT … FROM generate_series(1, N) g` (parents before children),
 * with every value computed by the server — fast on PGlite and native PostgreSQL alike, and the
 * same data on both for a given seed (`setseed` before each table):
 * - primary keys and other unique columns: a function of the row number `g`, so they are unique;
 *   a referenced column's value for row `k` is the same function of `k`, so a foreign key picks
 *   a parent by drawing `k` in 1…N(parent) — every reference points at an existing row;
 * - a unique key made only of foreign-key / enum / boolean columns (`(userId, courseId)`) enumerates
 *   distinct combinations (and the table is capped to how many there are);
 * - enums are skewed towards their default (or first) value, booleans 80/20 towards their default,
 *   text columns with a literal default keep it 90% of the time, nullable columns are 10% NULL;
 * - everything else is drawn by type (timestamps over the last two years, numbers, md5 text, …).
 * `ON CONFLICT DO NOTHING` is the last guard against a unique key the rules above missed.
 */
import type { Queryable } from '../connection';
import type { ColumnDef, SchemaModel, TableDef } from '../../model/schema';
import { quoteAlways, quoteTable } from '../../sql/identifiers';

export interface GenerateOptions {
  /** Rows to generate per table (catalog name); tables not listed get `defaultRows`. */
  rows: Record<string, number>;
  defaultRows: number;
  /** Column defaults (table → column → SQL expression), as loadLiveSchema reads them. */
  defaults?: Map<string, Map<string, string>>;
  /** Seed for setseed(), in [-1, 1]. */
  seed?: number;
}

export interface TablePlan {
  table: string;
  /** Rows the INSERT asks for (after capping to what unique keys allow). */
  rows: number;
  /** `SELECT setseed(…)` — run it just before `insert`. */
  seedSql: string;
  insert: string;
  /** Why the table has fewer rows than asked, or columns it could not fill. */
  notes: string[];
}

/** Tables in an order where every referenced table comes first (cycles: in name order, at the end). */
export function parentsFirst(schema: SchemaModel): TableDef[] {
  const tables = [...schema.tables.values()];
  const done = new Set<string>();
  const out: TableDef[] = [];
  let progress = true;
  while (out.length < tables.length && progress) {
    progress = false;
    for (const t of tables) {
      if (done.has(t.name)) continue;
      if (t.foreignKeys.every((f) => f.refTable === t.name || done.has(f.refTable) || !schema.tables.has(f.refTable))) {
        out.push(t);
        done.add(t.name);
        progress = true;
      }
    }
  }
  for (const t of tables) if (!done.has(t.name)) out.push(t);
  return out;
}

/** Stands for a parent's row number in a value expression, until the expression picking it replaces it. */
const ROW = '\u0000row\u0000';

/** `1 + floor(random() * n)`: a row number of a table with n rows. */
function pick(n: number): string {
  return `(1 + floor(random() * ${Math.max(1, n)}))::int`;
}

function literal(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

/** The default as a plain literal (`'USD'::text` → USD, `false` → false), when it is one. */
function defaultLiteral(expr: string | undefined): string | undefined {
  if (!expr) return undefined;
  const m = /^'((?:[^']|'')*)'(?:::[\w" .]+)?$/.exec(expr.trim());
  if (m) return m[1].replace(/''/g, "'");
  if (/^(true|false)$/i.test(expr.trim())) return expr.trim().toLowerCase();
  return undefined;
}

function baseType(c: ColumnDef): string {
  return c.type.toLowerCase().replace(/\(.*\)$/, '').trim();
}

export function generateData(schema: SchemaModel, opts: GenerateOptions): TablePlan[] {
  const target = new Map<string, number>();
  for (const t of schema.tables.values()) target.set(t.name, Math.max(0, Math.round(opts.rows[t.name] ?? opts.defaultRows)));
  const plans: TablePlan[] = [];
  const actual = new Map<string, number>();
  let seedStep = 0;
  for (const table of parentsFirst(schema)) {
    const plan = planTable(schema, table, target.get(table.name)!, actual, opts);
    actual.set(table.name, plan.rows);
    const seed = ((opts.seed ?? 0.42) + 0.01 * seedStep++) % 1;
    plan.seedSql = `SELECT setseed(${seed.toFixed(4)})`;
    plans.push(plan);
  }
  return plans;
}

/** How a referenced/unique column's value for row number `k` is computed. */
function keyedValue(table: TableDef, col: ColumnDef, k: string): string | undefined {
  const t = baseType(col);
  const tag = literal(`${table.name}.${col.name}:`);
  if (['integer', 'int', 'int4', 'bigint', 'int8', 'smallint', 'int2', 'serial', 'bigserial', 'numeric', 'decimal'].includes(t)) return `(${k})::${col.type}`;
  if (t === 'uuid') return `md5(${tag} || ${k})::uuid`;
  if (['text', 'varchar', 'character varying', 'char', 'character', 'citext', 'bpchar'].includes(t)) {
    const len = /\((\d+)\)/.exec(col.type)?.[1];
    return `substr(md5(${tag} || ${k}), 1, ${len ? Math.min(24, Number(len)) : 24})${t === 'citext' ? '::citext' : ''}`;
  }
  return undefined;
}

function finiteDomain(schema: SchemaModel, table: TableDef, col: ColumnDef, rows: Map<string, number>): { size: number; value(k: string): string } | undefined {
  const fk = table.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === col.name);
  if (fk) {
    const parent = schema.tables.get(fk.refTable);
    const refCol = parent?.columns.get(fk.refColumns[0]);
    const n = rows.get(fk.refTable);
    if (parent && refCol && n !== undefined) {
      const v = keyedValue(parent, refCol, ROW);
      if (v) return { size: n, value: (k) => v.split(ROW).join(`(${k})`) };
    }
    return undefined;
  }
  if (col.enumName) {
    const values = schema.enums.get(col.enumName)?.values ?? [];
    if (!values.length) return undefined;
    return { size: values.length, value: (k) => `(ARRAY[${values.map(literal).join(', ')}])[${k}]::${quoteAlways(col.enumName!)}` };
  }
  if (baseType(col) === 'boolean') return { size: 2, value: (k) => `((${k}) = 1)` };
  return undefined;
}

function planTable(schema: SchemaModel, table: TableDef, wanted: number, rows: Map<string, number>, opts: GenerateOptions): TablePlan {
  const notes: string[] = [];
  const defaults = opts.defaults?.get(table.name) ?? new Map<string, string>();
  const exprs = new Map<string, string>();
  let n = wanted;

  // Columns other tables reference, and single-column unique keys: distinct per row (a function of g).
  const perRow = new Set<string>();
  for (const other of schema.tables.values()) for (const f of other.foreignKeys) if (f.refTable === table.name) f.refColumns.forEach((c) => perRow.add(c));
  const uniqueKeys = table.indexes.filter((i) => i.unique && i.keys.every((k) => k.column) && !i.predicate).map((i) => i.keys.map((k) => k.column!));
  for (const cols of uniqueKeys) if (cols.length === 1) perRow.add(cols[0]);
  for (const name of [...perRow]) {
    const col = table.columns.get(name);
    if (!col || col.generated) continue;
    const fin = finiteDomain(schema, table, col, rows);
    if (fin) {
      // A unique foreign key (one row per parent) or enum: walk the domain in order, no more rows than it has.
      if (n > fin.size) notes.push(`capped at ${fin.size} rows: "${name}" is unique and has ${fin.size} possible values`);
      n = Math.min(n, fin.size);
      exprs.set(name, fin.value('g'));
      continue;
    }
    const v = keyedValue(table, col, 'g');
    if (v) exprs.set(name, v);
    else {
      perRow.delete(name);
      notes.push(`no unique value generator for "${name}" (${col.type})`);
    }
  }
  // Composite unique keys: one column distinct per row makes the key unique; else a free column is
  // made so; else (foreign keys / enums / booleans only) the combinations are enumerated.
  for (const cols of uniqueKeys) {
    if (cols.length < 2 || cols.some((c) => perRow.has(c))) continue;
    const domains = cols.map((c) => ({ c, col: table.columns.get(c), fin: table.columns.get(c) && finiteDomain(schema, table, table.columns.get(c)!, rows) }));
    const free = domains.find((d) => d.col && !d.fin && keyedValue(table, d.col, 'g'));
    if (free) {
      exprs.set(free.c, keyedValue(table, free.col!, 'g')!);
      perRow.add(free.c);
      continue;
    }
    const [a, b] = domains;
    if (!a?.fin || !b?.fin || domains.slice(2).some((d) => exprs.has(d.c))) continue;
    const combos = a.fin.size * b.fin.size;
    if (n > combos) {
      notes.push(`capped at ${combos} rows: unique (${cols.join(', ')}) has no more combinations`);
      n = combos;
    }
    // Row g → (i, j) = ((g-1) mod A, ((g-1) div A + ((g-1) mod A)·7919) mod B): distinct for distinct g ≤ A·B.
    exprs.set(a.c, a.fin.value(`1 + (g - 1) % ${a.fin.size}`));
    exprs.set(b.c, b.fin.value(`1 + ((g - 1) / ${a.fin.size} + ((g - 1) % ${a.fin.size}) * 7919) % ${b.fin.size}`));
  }
  for (const col of table.columns.values()) {
    if (col.generated || exprs.has(col.name)) continue;
    const v = columnValue(schema, table, col, rows, defaults.get(col.name));
    if (v === undefined) continue; // its default (or NULL) applies
    exprs.set(col.name, col.nullable ? `CASE WHEN random() < 0.1 THEN NULL ELSE ${v} END` : v);
  }
  const names = [...exprs.keys()];
  const insert = names.length
    ? `INSERT INTO ${quoteTable(table.name)} (${names.map(quoteAlways).join(', ')}) SELECT ${names.map((c) => exprs.get(c)).join(', ')} FROM generate_series(1, ${n}) g ON CONFLICT DO NOTHING`
    : `INSERT INTO ${quoteTable(table.name)} SELECT FROM generate_series(1, ${n}) g`;
  return { table: table.name, rows: n, seedSql: '', insert, notes };
}

function columnValue(schema: SchemaModel, table: TableDef, col: ColumnDef, rows: Map<string, number>, def: string | undefined): string | undefined {
  const fk = table.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === col.name);
  if (fk) {
    if (fk.refTable === table.name) {
      // A self-reference points at an earlier (or the same) row of the statement.
      const refCol = table.columns.get(fk.refColumns[0]);
      const v = refCol && keyedValue(table, refCol, ROW);
      return v?.split(ROW).join('(1 + floor(random() * g))::int');
    }
    const fin = finiteDomain(schema, table, col, rows);
    return fin ? fin.value(pick(fin.size)) : undefined;
  }
  const lit = defaultLiteral(def);
  if (col.enumName) {
    const values = [...(schema.enums.get(col.enumName)?.values ?? [])];
    if (!values.length) return undefined;
    if (lit && values.includes(lit)) {
      values.splice(values.indexOf(lit), 1);
      values.unshift(lit);
    }
    // random()² skews towards the first value: with 4 values 50%, 21%, 16%, 13%.
    return `(ARRAY[${values.map(literal).join(', ')}])[1 + floor(power(random(), 2) * ${values.length})::int]::${quoteAlways(col.enumName)}`;
  }
  const t = baseType(col);
  switch (t) {
    case 'boolean':
    case 'bool':
      return lit ? `CASE WHEN random() < 0.8 THEN ${lit} ELSE NOT ${lit} END` : '(random() < 0.5)';
    case 'text':
    case 'varchar':
    case 'character varying':
    case 'char':
    case 'character':
    case 'bpchar':
    case 'citext': {
      const len = /\((\d+)\)/.exec(col.type)?.[1];
      const cap = len ? Math.min(32, Number(len)) : 16;
      const rnd = `substr(md5(random()::text), 1, ${cap})`;
      return lit !== undefined ? `CASE WHEN random() < 0.9 THEN ${literal(lit)} ELSE ${literal(lit.slice(0, Math.max(0, cap - 2)))} || floor(random() * 5)::int END` : rnd;
    }
    case 'integer':
    case 'int':
    case 'int4':
    case 'smallint':
    case 'int2':
      return `floor(random() * ${/percent|score|progress/i.test(col.name) ? 101 : 1000})::int`;
    case 'bigint':
    case 'int8':
      return 'floor(random() * 1000000)::bigint';
    case 'numeric':
    case 'decimal': {
      const scale = /\(\s*\d+\s*,\s*(\d+)\s*\)/.exec(col.type)?.[1] ?? '2';
      return `round((random() * 1000)::numeric, ${scale})`;
    }
    case 'double precision':
    case 'float8':
    case 'real':
    case 'float4':
      return 'random() * 100';
    case 'timestamp':
    case 'timestamptz':
    case 'timestamp without time zone':
    case 'timestamp with time zone':
      return `(now() - random() * interval '730 days')::${col.type}`;
    case 'date':
      return `current_date - floor(random() * 730)::int`;
    case 'time':
    case 'time without time zone':
      return `time '00:00' + random() * interval '24 hours'`;
    case 'interval':
      return `random() * interval '1 hour'`;
    case 'uuid':
      return 'md5(random()::text)::uuid';
    case 'json':
      return `json_build_object('n', g)`;
    case 'jsonb':
      return `jsonb_build_object('n', g)`;
    case 'bytea':
      return `decode(md5(g::text), 'hex')`;
    case 'tsvector':
      return `to_tsvector('simple', md5(g::text))`;
    case 'inet':
    case 'cidr':
      return `('10.' || (g / 65536 % 256) || '.' || (g / 256 % 256) || '.' || (g % 256))::${t}`;
    default:
      return col.type.endsWith('[]') && !col.nullable ? `'{}'::${col.type}` : undefined;
  }
}

export interface FillResult {
  /** Rows in each table afterwards. */
  rows: Map<string, number>;
  problems: string[];
}

/**
 * Runs the generated INSERTs on a database that has the schema (empty tables); run ANALYZE after.
 * `skipForeignKeyChecks` (superuser) sets session_replication_role = replica for the load: the
 * references are valid by construction and checking them row by row doubles the time.
 */
export async function fillTables(q: Queryable, schema: SchemaModel, opts: GenerateOptions & { skipForeignKeyChecks?: boolean }): Promise<FillResult> {
  const rows = new Map<string, number>();
  const problems: string[] = [];
  if (opts.skipForeignKeyChecks) await q.query('SET session_replication_role = replica');
  try {
    for (const plan of generateData(schema, opts)) {
      problems.push(...plan.notes.map((n) => `table ${plan.table}: ${n}`));
      try {
        await q.query(plan.seedSql);
        await q.query(plan.insert);
        const counted = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteTable(plan.table)}`);
        rows.set(plan.table, Number(counted[0].n));
      } catch (err) {
        problems.push(`table ${plan.table}: could not generate rows: ${(err as Error).message}`);
        rows.set(plan.table, 0);
      }
    }
  } finally {
    if (opts.skipForeignKeyChecks) await q.query('RESET session_replication_role');
  }
  return { rows, problems };
}
