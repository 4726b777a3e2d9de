/**
 * schema-drift: differences between what schema.prisma declares and what the SQL
 * migrations build — the changes the next `prisma migrate dev` would make.
 *
 * Compares tables, columns (presence, type, nullability) and indexes. Indexes are
 * matched by name; a schema.prisma index with no same-named migration index but an
 * identical definition (table, method, key columns and directions, operator classes,
 * uniqueness, predicate) is reported as a name mismatch. Indexes that exist only in
 * migrations are warnings, except partial and expression indexes (which Prisma can't
 * express, so keeping them in SQL only is expected): those are `info`.
 *
 * Findings are located in schema.prisma (the attribute, else the model header, else
 * the start of the file) with `related` pointing at the migration statement.
 * An empty schema.prisma model (e.g. one that failed to parse) yields no findings; one
 * read in part (`prisma.leftOut`: models the engine rejected) yields none about tables
 * only the migrations have.
 */
import * as path from 'node:path';
import type { Finding, RelatedLocation, Severity } from '../model/finding';
import { ZERO_RANGE, type Range, type SourceLocation } from '../model/location';
import type { ColumnDef, IndexDef, IndexKey, PrismaModel, SchemaModel, TableDef } from '../model/schema';
import { nonUniqueIndexName, uniqueIndexName } from '../schema/prisma/naming';

export function schemaDrift(prisma: SchemaModel, migrations: SchemaModel, prismaFile: string): Finding[] {
  if (prisma.tables.size === 0) return [];
  const findings: Finding[] = [];
  const report = (
    severity: Severity,
    message: string,
    at: At,
    extra: { table?: string; index?: string; related?: RelatedLocation[]; fix?: Finding['fix'] } = {},
  ): void => {
    // A schema split over several files: the file the model or attribute is in.
    const f: Finding = { rule: 'schema-drift', severity, message, file: at.file ?? prismaFile, range: at.range, related: extra.related ?? [] };
    if (extra.table !== undefined) f.table = extra.table;
    if (extra.index !== undefined) f.index = extra.index;
    if (extra.fix !== undefined) f.fix = extra.fix;
    findings.push(f);
  };

  // What no migration creates may be in a statement that does not parse: said so, at info level, pointing at it.
  const unparsed = migrations.unparsed?.[0];
  const notCreated = (what: string) =>
    unparsed
      ? { severity: 'info' as const, message: `${what} no migration that parses creates it: the statement that does not parse${fileLabel(unparsed)} may; fix that first.`, related: related(unparsed, 'This statement does not parse') }
      : { severity: 'warning' as const, message: `${what} no migration creates it: the next \`prisma migrate dev\` will create it.`, related: [] };

  // Tables.
  for (const t of prisma.tables.values()) {
    if (migrations.tables.has(t.name)) continue;
    const what = t.model ? `Model ${t.model} (table "${t.name}")` : `Table "${t.name}"`;
    const n = notCreated(`${what} is in schema.prisma but`);
    report(n.severity, n.message, tableAt(t), { table: t.name, related: n.related });
  }
  // With models left out of schema.prisma (engine errors), their tables are among these: nothing to say.
  const partial = (prisma.prisma?.leftOut?.length ?? 0) > 0;
  for (const t of partial ? [] : migrations.tables.values()) {
    // Prisma Migrate leaves materialized views alone (it neither creates nor drops views).
    if (prisma.tables.has(t.name) || t.materialized) continue;
    report(
      'warning',
      `Table "${t.name}" exists in migrations${fileLabel(t.location)} but has no model in schema.prisma: the next \`prisma migrate dev\` will drop it.`,
      { range: ZERO_RANGE },
      { table: t.name, related: related(t.location, `Table "${t.name}" is created here`) },
    );
  }

  // Columns of the tables both sides have.
  for (const pt of prisma.tables.values()) {
    const mt = migrations.tables.get(pt.name);
    if (!mt) continue;
    const pkColumns = new Set([...pt.indexes, ...mt.indexes].filter((i) => i.primary).flatMap((i) => i.keys.map((k) => k.column ?? '')));
    for (const pc of pt.columns.values()) {
      const mc = mt.columns.get(pc.name);
      const where = pc.location ?? tableAt(pt);
      const field = fieldLabel(prisma, pt, pc.name);
      if (!mc) {
        report(
          'warning',
          `Column "${pc.name}" of "${pt.name}"${field} is not in the migrations: the next \`prisma migrate dev\` will add it.`,
          where,
          { table: pt.name, related: related(mt.location, `Table "${mt.name}" is created here`) },
        );
        continue;
      }
      const pType = normalizeType(pc);
      const mType = normalizeType(mc);
      if (pType !== mType) {
        report(
          'warning',
          `Column "${pc.name}" of "${pt.name}"${field} is ${pc.type} in schema.prisma but ${mc.type} in migrations${fileLabel(mc.location ?? mt.location)}: the next \`prisma migrate dev\` will change its type.`,
          where,
          { table: pt.name, related: related(mc.location ?? mt.location, `Column "${mc.name}" is defined here`) },
        );
      }
      if (pc.nullable !== mc.nullable && !pkColumns.has(pc.name)) {
        const state = (n: boolean): string => (n ? 'nullable' : 'NOT NULL');
        report(
          'warning',
          `Column "${pc.name}" of "${pt.name}"${field} is ${state(pc.nullable)} in schema.prisma but ${state(mc.nullable)} in migrations${fileLabel(mc.location ?? mt.location)}: the next \`prisma migrate dev\` will ${pc.nullable ? 'drop' : 'add'} the NOT NULL constraint.`,
          where,
          { table: pt.name, related: related(mc.location ?? mt.location, `Column "${mc.name}" is defined here`) },
        );
      }
    }
    for (const mc of mt.columns.values()) {
      if (pt.columns.has(mc.name)) continue;
      report(
        'warning',
        `Column "${mc.name}" of "${mt.name}" exists in migrations${fileLabel(mc.location ?? mt.location)} but not in schema.prisma: the next \`prisma migrate dev\` will drop it.`,
        tableAt(pt),
        { table: pt.name, related: related(mc.location ?? mt.location, `Column "${mc.name}" is defined here`) },
      );
    }
  }

  // Indexes of the tables both sides have.
  const migrationIndexByName = new Map<string, IndexDef>();
  for (const t of migrations.tables.values()) for (const i of t.indexes) if (!migrationIndexByName.has(i.name)) migrationIndexByName.set(i.name, i);
  const prismaIndexNames = new Set([...prisma.tables.values()].flatMap((t) => t.indexes.map((i) => i.name)));
  const matched = new Set<IndexDef>();
  const unmatched: IndexDef[] = [];

  for (const pt of prisma.tables.values()) {
    if (!migrations.tables.has(pt.name)) continue;
    for (const p of pt.indexes) {
      const m = migrationIndexByName.get(p.name);
      if (!m) {
        unmatched.push(p);
        continue;
      }
      matched.add(m);
      const diffs = indexDifferences(p, m);
      if (diffs.length === 0) continue;
      report(
        'warning',
        `${kind(p)} "${p.name}" differs between schema.prisma and migrations${fileLabel(m.location)}: ${diffs.join('; ')}. The next \`prisma migrate dev\` will recreate it.`,
        indexAt(p, pt),
        { table: pt.name, index: p.name, related: related(m.location, `${kind(m)} "${m.name}" is created here`) },
      );
    }
  }

  for (const p of unmatched) {
    const pt = prisma.tables.get(p.table)!;
    const mt = migrations.tables.get(p.table)!;
    const twin = mt.indexes.find((m) => !matched.has(m) && !prismaIndexNames.has(m.name) && indexDifferences(p, m).length === 0);
    if (twin) {
      matched.add(twin);
      report(
        'warning',
        `${kind(p)} "${p.name}" in schema.prisma is named "${twin.name}" in migrations${fileLabel(twin.location)}: the next \`prisma migrate dev\` will rename it. Add \`map: "${twin.name}"\` to keep the current name.`,
        indexAt(p, pt),
        { table: pt.name, index: p.name, related: related(twin.location, `${kind(twin)} "${twin.name}" is created here`) },
      );
    } else {
      const n = notCreated(`${kind(p)} "${p.name}" is declared in schema.prisma but`);
      report(n.severity, n.message, indexAt(p, pt), { table: pt.name, index: p.name, related: [...related(mt.location, `Table "${mt.name}" is created here`), ...n.related] });
    }
  }

  for (const mt of migrations.tables.values()) {
    const pt = prisma.tables.get(mt.name);
    if (!pt) continue;
    for (const m of mt.indexes) {
      if (matched.has(m)) continue;
      const inexpressible = partialOrExpression(m);
      const extra = {
        table: pt.name,
        index: m.name,
        related: related(m.location, `${kind(m)} "${m.name}" is created here`),
      } as const;
      if (inexpressible) {
        report(
          'info',
          `${inexpressible} index "${m.name}" exists only in migrations${fileLabel(m.location)}: Prisma can't express ${inexpressible.toLowerCase()} indexes, so keeping it in SQL is expected — but \`prisma migrate dev\` will try to drop it: create migrations with \`--create-only\` and delete that DROP INDEX.`,
          tableAt(pt),
          extra,
        );
        continue;
      }
      const fix = prismaAttributeFor(m, prisma, pt);
      report(
        'warning',
        `${kind(m)} "${m.name}" exists in migrations${fileLabel(m.location)} but not in schema.prisma: the next \`prisma migrate dev\` will drop it.`,
        tableAt(pt),
        fix ? { ...extra, fix } : extra,
      );
    }
  }
  return findings;
}

function kind(i: IndexDef): string {
  return i.primary ? 'Primary key' : i.unique ? 'Unique index' : 'Index';
}

/** Where a finding goes: in `file`, else in the schema.prisma read (the one with the datasource). */
type At = { file?: string; range: Range };

function tableAt(t: TableDef): At {
  return t.location ?? { range: ZERO_RANGE };
}

function indexAt(i: IndexDef, t: TableDef): At {
  return i.location ?? tableAt(t);
}

function related(location: SourceLocation | undefined, message: string): RelatedLocation[] {
  return location ? [{ file: location.file, range: location.range, message }] : [];
}

/** ` (20251010_x/migration.sql)`: the migration folder and file, or '' when unknown. */
function fileLabel(location: SourceLocation | undefined): string {
  if (!location?.file) return '';
  const parts = location.file.split(path.sep === '\\' ? /[\\/]/ : '/').filter(Boolean);
  return ` (${parts.slice(-2).join('/')})`;
}

function fieldLabel(prisma: SchemaModel, table: TableDef, column: string): string {
  const model = modelOf(prisma, table);
  const field = model && [...model.fields.values()].find((f) => f.column === column);
  return field ? ` (${model.name}.${field.name})` : '';
}

function modelOf(prisma: SchemaModel, table: TableDef): PrismaModel | undefined {
  const models = prisma.prisma?.models;
  if (!models) return undefined;
  if (table.model && models.get(table.model)?.table === table.name) return models.get(table.model);
  return [...models.values()].find((m) => m.table === table.name);
}

/** 'Partial' / 'Expression' when Prisma can't declare the index, else undefined. */
function partialOrExpression(i: IndexDef): string | undefined {
  if (i.predicate !== undefined || (i.predicateText !== undefined && i.predicateText.trim() !== '')) return 'Partial';
  if (i.keys.some((k) => k.column === undefined)) return 'Expression';
  return undefined;
}

// ---------------------------------------------------------------------------
// Index definitions
// ---------------------------------------------------------------------------

/** Operator classes PostgreSQL uses by default, which Prisma doesn't write out. */
const DEFAULT_OPCLASSES = new Set(['jsonb_ops', 'array_ops', 'text_ops', 'inet_ops', 'inet_inclusion_ops', 'tsvector_ops']);

function normalizeOpclass(opclass: string | undefined): string | undefined {
  if (!opclass) return undefined;
  const o = opclass.toLowerCase().replace(/^pg_catalog\./, '');
  if (DEFAULT_OPCLASSES.has(o) || /_minmax_ops$/.test(o)) return undefined;
  return o;
}

function normalizeExpression(e: string): string {
  return e.toLowerCase().replace(/["\s]/g, '').replace(/^\((.*)\)$/, '$1');
}

function keyText(k: IndexKey): string {
  let s = k.column !== undefined ? k.column : `(${k.expression ?? '?'})`;
  const op = normalizeOpclass(k.opclass);
  if (op) s += ` ${op}`;
  if (k.desc) s += ' DESC';
  if (k.nullsFirst !== k.desc) s += k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
  return s;
}

function keyIdentity(k: IndexKey): string {
  const base = k.column !== undefined ? `c:${k.column}` : `e:${normalizeExpression(k.expression ?? '')}`;
  return `${base}|${normalizeOpclass(k.opclass) ?? ''}|${k.desc}|${k.nullsFirst}`;
}

function method(i: IndexDef): string {
  return (i.method || 'btree').toLowerCase();
}

function predicateText(i: IndexDef): string | undefined {
  if (i.predicateText !== undefined && i.predicateText.trim() !== '') return i.predicateText.trim();
  if (i.predicate !== undefined) return '(predicate)';
  return undefined;
}

/** How two indexes differ, in words; empty when they are the same index. */
export function indexDifferences(p: IndexDef, m: IndexDef): string[] {
  const diffs: string[] = [];
  if (p.table !== m.table) diffs.push(`on table "${p.table}" in schema.prisma but "${m.table}" in migrations`);
  if (p.primary !== m.primary) {
    diffs.push(p.primary ? 'a primary key in schema.prisma but not in migrations' : 'a primary key in migrations but not in schema.prisma');
  } else if (p.unique !== m.unique) {
    diffs.push(p.unique ? 'unique in schema.prisma but not in migrations' : 'unique in migrations but not in schema.prisma');
  }
  if (method(p) !== method(m)) diffs.push(`method ${method(p)} in schema.prisma but ${method(m)} in migrations`);
  const pk = p.keys.map(keyIdentity).join(',');
  const mk = m.keys.map(keyIdentity).join(',');
  if (pk !== mk) {
    diffs.push(`keys (${p.keys.map(keyText).join(', ')}) in schema.prisma but (${m.keys.map(keyText).join(', ')}) in migrations`);
  }
  const pInc = [...p.include].sort().join(',');
  const mInc = [...m.include].sort().join(',');
  if (pInc !== mInc) diffs.push(`INCLUDE (${p.include.join(', ')}) in schema.prisma but (${m.include.join(', ')}) in migrations`);
  const pPred = predicateText(p);
  const mPred = predicateText(m);
  if ((pPred === undefined) !== (mPred === undefined) || (pPred && mPred && normalizeExpression(pPred) !== normalizeExpression(mPred))) {
    diffs.push(
      `${pPred ? `partial (WHERE ${pPred})` : 'a full index'} in schema.prisma but ${mPred ? `partial (WHERE ${mPred})` : 'a full index'} in migrations`,
    );
  }
  return diffs;
}

/** The schema.prisma attribute that declares a migration-only index, when Prisma can express it. */
function prismaAttributeFor(m: IndexDef, prisma: SchemaModel, pt: TableDef): Finding['fix'] | undefined {
  const model = modelOf(prisma, pt);
  if (!model || m.primary || m.include.length > 0) return undefined;
  const fieldOf = new Map([...model.fields.values()].filter((f) => f.column !== undefined).map((f) => [f.column!, f.name]));
  const parts: string[] = [];
  for (const k of m.keys) {
    if (k.column === undefined || normalizeOpclass(k.opclass) || k.nullsFirst !== k.desc) return undefined;
    const field = fieldOf.get(k.column);
    if (!field) return undefined;
    parts.push(k.desc ? `${field}(sort: Desc)` : field);
  }
  const columns = m.keys.map((k) => k.column!);
  const defaultName = m.unique ? uniqueIndexName(m.table, columns) : nonUniqueIndexName(m.table, columns);
  const args = [`[${parts.join(', ')}]`];
  if (m.name !== defaultName) args.push(`map: "${m.name}"`);
  const algorithm: Record<string, string> = { hash: 'Hash', gin: 'Gin', gist: 'Gist', spgist: 'SpGist', brin: 'Brin' };
  const meth = method(m);
  if (meth !== 'btree') {
    if (!algorithm[meth]) return undefined;
    args.push(`type: ${algorithm[meth]}`);
  }
  return { prisma: `@@${m.unique ? 'unique' : 'index'}(${args.join(', ')})`, prismaAction: 'add', model: model.name };
}

// ---------------------------------------------------------------------------
// Column types
// ---------------------------------------------------------------------------

const TYPE_ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  serial: 'integer',
  serial4: 'integer',
  int8: 'bigint',
  bigserial: 'bigint',
  serial8: 'bigint',
  int2: 'smallint',
  smallserial: 'smallint',
  serial2: 'smallint',
  'character varying': 'varchar',
  character: 'char',
  bpchar: 'char',
  decimal: 'numeric',
  float8: 'double precision',
  float: 'double precision',
  float4: 'real',
  bool: 'boolean',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
  'bit varying': 'varbit',
};

/** A column type in one canonical spelling, so `DECIMAL(10, 2)` = `numeric(10,2)` and `SERIAL` = `integer`. */
export function normalizeType(c: Pick<ColumnDef, 'type' | 'enumName'>): string {
  let t = (c.enumName ?? c.type).toLowerCase().replace(/"/g, '').replace(/\s+/g, ' ').trim();
  let array = '';
  if (c.enumName !== undefined && /\[\s*\]$/.test(c.type)) array = '[]';
  for (;;) {
    const m = /^(.*?)\s*(\[\s*\d*\s*\]|\barray)$/.exec(t);
    if (!m) break;
    array += '[]';
    t = m[1];
  }
  t = t.replace(/^(public|pg_catalog)\./, '');
  // Move a precision written before "with(out) time zone" to the end: timestamp(3) without time zone.
  let args = '';
  const withArgs = /^([a-z ]+?)\s*\(([^)]*)\)\s*(.*)$/.exec(t);
  if (withArgs) {
    args = `(${withArgs[2].replace(/\s+/g, '')})`;
    t = `${withArgs[1]} ${withArgs[3]}`.trim();
  }
  t = TYPE_ALIASES[t] ?? t;
  if (!args && ['timestamp', 'timestamptz', 'time', 'timetz'].includes(t)) args = '(6)';
  if (!args && t === 'char') args = '(1)';
  return `${t}${args}${array}`;
}
