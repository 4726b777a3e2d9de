/**
 * A seeded, reproducible synthetic workspace shaped like examples/lms, for the speed benchmarks:
 *
 * - `prisma/schema.prisma`: the final state of the migration history (same tables, columns,
 *   types, nullability and index names, so schema-drift only reports the few partial indexes
 *   Prisma can't express);
 * - `prisma/migrations/<timestamp>_<name>/migration.sql`: Prisma-style migrations creating the
 *   enums, tables, unique indexes, foreign keys and indexes over time, plus later
 *   `ALTER TABLE … ADD COLUMN`, indexes created and dropped again, columns added and dropped
 *   again, `ALTER TYPE … ADD VALUE`, and a few partial indexes;
 * - `src/modules/<domain>/<name>.service.ts`: services with Prisma Client calls (findMany,
 *   findFirst, findUnique, count, groupBy, aggregate, create, update, updateMany, delete,
 *   `include`, `$transaction`), `$queryRaw` / `$executeRaw` templates, `Prisma.sql` +
 *   `Prisma.join` fragments, `$queryRawUnsafe`, node-postgres `pool.query` and a `query()`
 *   helper, and ordinary non-query code around them;
 * - `sql/<domain>/<name>.sql`: named queries with `$n` parameters, joins, CTEs, aggregates;
 * - `pg-index-review.json` with row estimates;
 * - optionally `src/legacy/monolith.ts`, one 5,000-line TypeScript file (editor latency).
 *
 * At scale 1: 2,000 service files, 300 migrations, 200 .sql files, 60 models; every count
 * scales linearly with `scale`. The output depends only on (seed, scale, bigFile).
 *
 * CLI: `tsx bench/synthetic/generate.ts [--scale 1] [--seed 42] [--out dir] [--no-big-file] [--json]`
 * (prints the directory, or with --json the whole SyntheticWorkspace; a fresh temp dir by default).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const BASE_COUNTS = { tsFiles: 2000, migrations: 300, sqlFiles: 200, models: 60 };
export const BIG_FILE_LINES = 5000;
export const DEFAULT_SEED = 20251001;

export interface SyntheticOptions {
  /** Size multiplier (1, 2, 4, 8…); fractions are allowed for quick runs. Default 1. */
  scale?: number;
  seed?: number;
  /** Directory to write into (created; must be empty or absent). Default: a new temp dir. */
  out?: string;
  /** Also write the 5,000-line `src/legacy/monolith.ts`. Default true. */
  bigFile?: boolean;
}

export interface SyntheticWorkspace {
  root: string;
  scale: number;
  seed: number;
  schemaFile: string;
  configFile: string;
  migrationFiles: string[];
  sqlFiles: string[];
  /** Every TypeScript file, the big one included. */
  tsFiles: string[];
  bigFile?: string;
  /** 0-based lines of the big file holding `take: N,`: places for one-line edits that change a query. */
  bigFileEditLines: number[];
  models: number;
  bytes: number;
}

// ---------------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------------

class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  /** mulberry32 */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
}

// ---------------------------------------------------------------------------------------------
// The data model
// ---------------------------------------------------------------------------------------------

type Scalar = 'String' | 'Int' | 'Float' | 'Boolean' | 'DateTime' | 'Decimal';

interface Field {
  name: string;
  column: string;
  type: Scalar | 'enum';
  enumName?: string;
  optional: boolean;
  unique?: boolean;
  id?: boolean;
  prismaDefault?: string;
  sqlDefault?: string;
  updatedAt?: boolean;
  /** Added by an ALTER TABLE after the table was created. */
  late?: boolean;
  /** Foreign key to this model's table. */
  references?: Model;
}

interface IndexSpec {
  name: string;
  columns: string[];
  /** Field names, for @@index. */
  fields: string[];
  unique: boolean;
  /** Partial index (migrations only; Prisma can't express it). */
  where?: string;
  /** Created with the table (same migration). */
  inline: boolean;
  /** Created and later dropped: not in the final schema. */
  dropped?: boolean;
}

interface Model {
  k: number;
  name: string;
  accessor: string;
  table: string;
  domain: string;
  fields: Field[];
  indexes: IndexSpec[];
  /** Compound @@unique([tenantId, slug]) */
  tenantSlugUnique: boolean;
  parent?: Model;
  parentField?: Field;
  user?: Field;
  /** Back-relation fields declared on this model: [field name, child model, relation name]. */
  backRelations: { name: string; child: Model; relation: string }[];
  /** Relation field name on this model pointing at the parent / user. */
  parentRelation?: { name: string; relation: string };
  userRelation?: { name: string; relation: string };
  rows: number;
}

const DOMAINS = [
  'Order', 'Invoice', 'Customer', 'Product', 'Shipment', 'Ticket', 'Project', 'Task', 'Article', 'Comment',
  'Booking', 'Payment', 'Subscription', 'Warehouse', 'Supplier', 'Campaign', 'Lead', 'Contract', 'Device', 'Alert',
  'Report', 'Document', 'Review', 'Coupon', 'Refund', 'Vehicle', 'Route', 'Patient', 'Appointment', 'Course',
];

const ENUMS: Record<string, string[]> = {
  Status: ['DRAFT', 'ACTIVE', 'PENDING', 'ARCHIVED', 'DELETED'],
  Priority: ['LOW', 'MEDIUM', 'HIGH', 'URGENT'],
  Visibility: ['PRIVATE', 'TEAM', 'PUBLIC'],
  Channel: ['WEB', 'MOBILE', 'API', 'EMAIL', 'PHONE'],
  Role: ['MEMBER', 'MANAGER', 'ADMIN', 'OWNER'],
};
/** Enum values added by a later `ALTER TYPE … ADD VALUE` migration. */
const LATE_ENUM_VALUES: [string, string][] = [
  ['Status', 'ON_HOLD'],
  ['Channel', 'PARTNER'],
];

function snake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
function plural(s: string): string {
  return s.endsWith('y') && !/[aeiou]y$/.test(s) ? s.slice(0, -1) + 'ies' : s.endsWith('s') || s.endsWith('x') || s.endsWith('ch') ? s + 'es' : s + 's';
}

function sqlType(f: Field): string {
  switch (f.type) {
    case 'String':
      return 'TEXT';
    case 'Int':
      return 'INTEGER';
    case 'Float':
      return 'DOUBLE PRECISION';
    case 'Boolean':
      return 'BOOLEAN';
    case 'DateTime':
      return 'TIMESTAMP(3)';
    case 'Decimal':
      return 'DECIMAL(12,2)';
    case 'enum':
      return `"${f.enumName}"`;
  }
}

function q(id: string): string {
  return `"${id}"`;
}

function buildModels(rng: Rng, count: number): Model[] {
  const models: Model[] = [];
  const user: Model = {
    k: 0,
    name: 'User',
    accessor: 'user',
    table: 'users',
    domain: 'account',
    fields: [
      { name: 'id', column: 'id', type: 'String', optional: false, id: true, prismaDefault: 'cuid()' },
      { name: 'email', column: 'email', type: 'String', optional: false, unique: true },
      { name: 'name', column: 'name', type: 'String', optional: true },
      { name: 'tenantId', column: 'tenant_id', type: 'String', optional: false },
      { name: 'role', column: 'role', type: 'enum', enumName: 'Role', optional: false, prismaDefault: 'MEMBER', sqlDefault: `'MEMBER'` },
      { name: 'isActive', column: 'is_active', type: 'Boolean', optional: false, prismaDefault: 'true', sqlDefault: 'true' },
      { name: 'lastLoginAt', column: 'last_login_at', type: 'DateTime', optional: true, late: true },
      { name: 'createdAt', column: 'created_at', type: 'DateTime', optional: false, prismaDefault: 'now()', sqlDefault: 'CURRENT_TIMESTAMP' },
      { name: 'updatedAt', column: 'updated_at', type: 'DateTime', optional: false, updatedAt: true },
    ],
    indexes: [],
    tenantSlugUnique: false,
    backRelations: [],
    rows: 2_000_000,
  };
  user.indexes.push(
    { name: 'users_tenant_id_created_at_idx', columns: ['tenant_id', 'created_at'], fields: ['tenantId', 'createdAt'], unique: false, inline: true },
    { name: 'users_role_idx', columns: ['role'], fields: ['role'], unique: false, inline: false },
  );
  models.push(user);
  for (let k = 1; k < count; k++) {
    const domain = DOMAINS[(k - 1) % DOMAINS.length];
    const gen = Math.floor((k - 1) / DOMAINS.length);
    const name = gen === 0 ? domain : `${domain}${gen + 1}`;
    const table = gen === 0 ? snake(plural(domain)) : `${snake(plural(domain))}_${gen + 1}`;
    const m: Model = { k, name, accessor: lowerFirst(name), table, domain: snake(domain), fields: [], indexes: [], tenantSlugUnique: false, backRelations: [], rows: 0 };
    // Mapped (snake_case) or Prisma-default (camelCase) columns, per model, as real schemas mix both.
    const mapped = rng.chance(0.6);
    const col = (n: string) => (mapped ? snake(n) : n);
    const f = (name: string, type: Field['type'], extra: Partial<Field> = {}): Field => ({ name, column: col(name), type, optional: false, ...extra });
    m.fields.push({ name: 'id', column: 'id', type: 'String', optional: false, id: true, prismaDefault: 'cuid()' });
    m.fields.push(f('tenantId', 'String'));
    m.user = f('userId', 'String', { references: user });
    m.fields.push(m.user);
    if (k > 1 && rng.chance(0.7)) {
      const parent = models[rng.int(1, k - 1)];
      m.parent = parent;
      m.parentField = f(`${parent.accessor}Id`, 'String', { optional: rng.chance(0.3), references: parent });
      m.fields.push(m.parentField);
    }
    m.fields.push(f('title', 'String'));
    m.fields.push(f('slug', 'String'));
    m.fields.push(f('status', 'enum', { enumName: 'Status', prismaDefault: 'ACTIVE', sqlDefault: `'ACTIVE'` }));
    if (rng.chance(0.6)) m.fields.push(f('priority', 'enum', { enumName: 'Priority', prismaDefault: 'MEDIUM', sqlDefault: `'MEDIUM'` }));
    if (rng.chance(0.4)) m.fields.push(f('channel', 'enum', { enumName: 'Channel', optional: true }));
    m.fields.push(f('amount', 'Decimal', { prismaDefault: '0', sqlDefault: '0' }));
    m.fields.push(f('quantity', 'Int', { prismaDefault: '0', sqlDefault: '0' }));
    if (rng.chance(0.5)) m.fields.push(f('score', 'Float', { optional: true }));
    m.fields.push(f('isActive', 'Boolean', { prismaDefault: 'true', sqlDefault: 'true' }));
    if (rng.chance(0.5)) m.fields.push(f('featured', 'Boolean', { prismaDefault: 'false', sqlDefault: 'false' }));
    m.fields.push(f('category', 'String', { optional: true }));
    if (rng.chance(0.5)) m.fields.push(f('externalRef', 'String', { optional: true, unique: true }));
    if (rng.chance(0.5)) m.fields.push(f('publishedAt', 'DateTime', { optional: true, late: rng.chance(0.5) }));
    if (rng.chance(0.5)) m.fields.push(f('deletedAt', 'DateTime', { optional: true, late: rng.chance(0.5) }));
    if (rng.chance(0.4)) m.fields.push(f('notes', 'String', { optional: true, late: true }));
    if (rng.chance(0.3)) m.fields.push(f('rank', 'Int', { prismaDefault: '0', sqlDefault: '0', late: true }));
    m.fields.push(f('createdAt', 'DateTime', { prismaDefault: 'now()', sqlDefault: 'CURRENT_TIMESTAMP' }));
    m.fields.push(f('updatedAt', 'DateTime', { updatedAt: true }));
    m.tenantSlugUnique = rng.chance(0.5);
    if (!m.tenantSlugUnique) m.fields.find((x) => x.name === 'slug')!.unique = rng.chance(0.5);

    const byName = (n: string) => m.fields.find((x) => x.name === n);
    const addIndex = (fields: string[], opts: { inline?: boolean; dropped?: boolean; where?: string } = {}): void => {
      const fs_ = fields.map((n) => byName(n)).filter((x): x is Field => !!x);
      if (fs_.length !== fields.length) return;
      const columns = fs_.map((x) => x.column);
      const name = opts.where ? `${table}_${columns.join('_')}_${opts.where.includes('PENDING') ? 'pending' : 'active'}_idx` : `${table}_${columns.join('_')}_idx`;
      if (name.length > 63 || m.indexes.some((i) => i.name === name)) return;
      m.indexes.push({ name, columns, fields, unique: false, inline: opts.inline ?? false, dropped: opts.dropped, where: opts.where });
    };
    addIndex(['userId'], { inline: rng.chance(0.5) });
    if (rng.chance(0.7)) addIndex(['tenantId', 'createdAt'], { inline: rng.chance(0.5) });
    if (m.parentField && rng.chance(0.6)) addIndex([m.parentField.name]);
    if (rng.chance(0.35)) addIndex(['status']); // low selectivity
    if (rng.chance(0.2)) addIndex(['isActive']); // low selectivity
    if (rng.chance(0.4)) addIndex(['category', 'createdAt']);
    if (rng.chance(0.3)) addIndex(['userId', 'createdAt']); // makes (userId) a redundant prefix
    if (rng.chance(0.25)) addIndex(['tenantId', 'status', 'createdAt']);
    if (byName('publishedAt') && rng.chance(0.5)) addIndex(['publishedAt']);
    if (byName('deletedAt') && rng.chance(0.3)) addIndex(['tenantId', 'deletedAt']);
    if (byName('rank') && rng.chance(0.5)) addIndex(['rank']);
    if (rng.chance(0.5)) addIndex(['title'], { dropped: true });
    if (rng.chance(0.3)) addIndex(['amount'], { dropped: true });
    if (rng.chance(0.15)) addIndex(['createdAt'], { where: `${q(col('status'))} = 'PENDING'` });
    m.rows = Math.round(Math.exp(Math.log(1_000) + rng.next() * (Math.log(20_000_000) - Math.log(1_000))));
    models.push(m);
  }
  // Relation fields (named relations, so several relations between two models stay unambiguous).
  for (const m of models) {
    if (m.user) {
      const relation = `${m.name}User`;
      m.userRelation = { name: 'user', relation };
      user.backRelations.push({ name: `${lowerFirst(plural(m.name))}`, child: m, relation });
    }
    if (m.parent && m.parentField) {
      const relation = `${m.name}Parent`;
      m.parentRelation = { name: m.parent.accessor, relation };
      m.parent.backRelations.push({ name: `${lowerFirst(plural(m.name))}`, child: m, relation });
    }
  }
  return models;
}

// ---------------------------------------------------------------------------------------------
// schema.prisma
// ---------------------------------------------------------------------------------------------

function prismaSchema(models: Model[]): string {
  const out: string[] = [
    '// Synthetic workspace for the Postgres Index Review benchmarks (bench/synthetic/generate.ts).',
    '',
    'generator client {',
    '  provider = "prisma-client-js"',
    '}',
    '',
    'datasource db {',
    '  provider = "postgresql"',
    '  url      = env("DATABASE_URL")',
    '}',
    '',
  ];
  for (const [name, values] of Object.entries(ENUMS)) {
    const all = [...values, ...LATE_ENUM_VALUES.filter(([e]) => e === name).map(([, v]) => v)];
    out.push(`enum ${name} {`, ...all.map((v) => `  ${v}`), '}', '');
  }
  for (const m of models) {
    out.push(`model ${m.name} {`);
    const w = Math.max(...m.fields.map((f) => f.name.length), ...m.backRelations.map((b) => b.name.length), 4) + 1;
    for (const f of m.fields) {
      const type = (f.type === 'enum' ? f.enumName! : f.type) + (f.optional ? '?' : '');
      const attrs: string[] = [];
      if (f.id) attrs.push('@id');
      if (f.unique) attrs.push('@unique');
      if (f.prismaDefault) attrs.push(`@default(${f.prismaDefault})`);
      if (f.updatedAt) attrs.push('@updatedAt');
      if (f.column !== f.name) attrs.push(`@map("${f.column}")`);
      if (f.type === 'Decimal') attrs.push('@db.Decimal(12, 2)');
      out.push(`  ${f.name.padEnd(w)} ${type.padEnd(12)} ${attrs.join(' ')}`.trimEnd());
    }
    if (m.userRelation) out.push(`  ${m.userRelation.name.padEnd(w)} User @relation("${m.userRelation.relation}", fields: [userId], references: [id], onDelete: Cascade)`);
    if (m.parentRelation && m.parent && m.parentField)
      out.push(`  ${m.parentRelation.name.padEnd(w)} ${m.parent.name}${m.parentField.optional ? '?' : ''} @relation("${m.parentRelation.relation}", fields: [${m.parentField.name}], references: [id])`);
    for (const b of m.backRelations) out.push(`  ${b.name.padEnd(w)} ${b.child.name}[] @relation("${b.relation}")`);
    out.push('');
    if (m.tenantSlugUnique) out.push('  @@unique([tenantId, slug])');
    for (const i of m.indexes) if (!i.dropped && !i.where && !i.unique) out.push(`  @@index([${i.fields.join(', ')}])`);
    out.push(`  @@map("${m.table}")`, '}', '');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Migrations
// ---------------------------------------------------------------------------------------------

interface Op {
  t: number;
  name: string;
  sql: string;
}

function createTableSql(m: Model): string {
  const cols = m.fields.filter((f) => !f.late);
  const lines = cols.map((f) => {
    let s = `    ${q(f.column)} ${sqlType(f)}`;
    if (!f.optional) s += ' NOT NULL';
    if (f.sqlDefault) s += ` DEFAULT ${f.sqlDefault}`;
    return s;
  });
  lines.push(`    CONSTRAINT ${q(`${m.table}_pkey`)} PRIMARY KEY ("id")`);
  const out = [`-- CreateTable\nCREATE TABLE ${q(m.table)} (\n${lines.join(',\n')}\n);`];
  for (const f of cols) if (f.unique) out.push(`-- CreateIndex\nCREATE UNIQUE INDEX ${q(`${m.table}_${f.column}_key`)} ON ${q(m.table)}(${q(f.column)});`);
  if (m.tenantSlugUnique) {
    const t = m.fields.find((f) => f.name === 'tenantId')!.column;
    const s = m.fields.find((f) => f.name === 'slug')!.column;
    out.push(`-- CreateIndex\nCREATE UNIQUE INDEX ${q(`${m.table}_${t}_${s}_key`)} ON ${q(m.table)}(${q(t)}, ${q(s)});`);
  }
  for (const i of m.indexes) if (i.inline) out.push(createIndexSql(m, i));
  for (const f of cols)
    if (f.references)
      out.push(
        `-- AddForeignKey\nALTER TABLE ${q(m.table)} ADD CONSTRAINT ${q(`${m.table}_${f.column}_fkey`)} FOREIGN KEY (${q(f.column)}) REFERENCES ${q(f.references.table)}("id") ON DELETE ${f.references.k === 0 ? 'CASCADE' : f.optional ? 'SET NULL' : 'RESTRICT'} ON UPDATE CASCADE;`,
      );
  return out.join('\n\n');
}

function createIndexSql(m: Model, i: IndexSpec): string {
  return `-- CreateIndex\nCREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${q(i.name)} ON ${q(m.table)}(${i.columns.map(q).join(', ')})${i.where ? ` WHERE ${i.where}` : ''};`;
}

function migrationOps(rng: Rng, models: Model[], target: number): Op[] {
  const ops: Op[] = [];
  const enums = Object.entries(ENUMS)
    .map(([n, v]) => `-- CreateEnum\nCREATE TYPE ${q(n)} AS ENUM (${v.map((x) => `'${x}'`).join(', ')});`)
    .join('\n\n');
  ops.push({ t: 0, name: 'init_enums', sql: enums });
  const created = new Map<Model, number>();
  models.forEach((m, idx) => {
    // Tables appear over the first 70% of the history, in dependency order.
    const t = 0.0001 + (idx / models.length) * 0.7;
    created.set(m, t);
    ops.push({ t, name: `create_${m.table}`, sql: createTableSql(m) });
  });
  for (const m of models) {
    const t0 = created.get(m)!;
    const later = (after: number) => after + 0.00001 + rng.next() * (1 - after) * 0.9;
    const lateCols = new Map<string, number>();
    for (const f of m.fields.filter((x) => x.late)) {
      const t = later(t0);
      lateCols.set(f.name, t);
      let sql = `-- AlterTable\nALTER TABLE ${q(m.table)} ADD COLUMN ${q(f.column)} ${sqlType(f)}${f.optional ? '' : ' NOT NULL'}${f.sqlDefault ? ` DEFAULT ${f.sqlDefault}` : ''};`;
      if (f.unique) sql += `\n\n-- CreateIndex\nCREATE UNIQUE INDEX ${q(`${m.table}_${f.column}_key`)} ON ${q(m.table)}(${q(f.column)});`;
      ops.push({ t, name: `add_${m.table}_${f.column}`, sql });
    }
    for (const i of m.indexes) {
      if (i.inline) continue;
      const dep = Math.max(t0, ...i.fields.map((n) => lateCols.get(n) ?? 0));
      const t = later(dep);
      ops.push({ t, name: `add_${i.name}`, sql: createIndexSql(m, i) });
      if (i.dropped) ops.push({ t: later(t), name: `drop_${i.name}`, sql: `-- DropIndex\nDROP INDEX ${q(i.name)};` });
    }
    if (rng.chance(0.35)) {
      // A column added, then dropped again (a feature that was reverted).
      const column = `legacy_${rng.pick(['flag', 'code', 'label', 'ref'])}`;
      const t = later(t0);
      ops.push({ t, name: `add_${m.table}_${column}`, sql: `-- AlterTable\nALTER TABLE ${q(m.table)} ADD COLUMN ${q(column)} TEXT;` });
      ops.push({ t: later(t), name: `drop_${m.table}_${column}`, sql: `-- AlterTable\nALTER TABLE ${q(m.table)} DROP COLUMN ${q(column)};` });
    }
  }
  for (const [e, v] of LATE_ENUM_VALUES) ops.push({ t: 0.5 + rng.next() * 0.4, name: `enum_${snake(e)}_${v.toLowerCase()}`, sql: `-- AlterEnum\nALTER TYPE ${q(e)} ADD VALUE '${v}';` });
  // Filler until there are enough steps: indexes tried out and dropped again.
  let n = 0;
  while (ops.length < target) {
    const m = models[1 + (n % (models.length - 1))] ?? models[0];
    const f = rng.pick(m.fields.filter((x) => !x.late && !x.id && x.type !== 'Boolean'));
    const name = `${m.table}_${f.column}_tmp${n}_idx`;
    const t = created.get(m)! + 0.00001 + rng.next() * (1 - created.get(m)!) * 0.9;
    ops.push({ t, name: `try_${name}`, sql: `-- CreateIndex\nCREATE INDEX ${q(name)} ON ${q(m.table)}(${q(f.column)});` });
    ops.push({ t: t + 0.000001 + rng.next() * (1 - t) * 0.9, name: `drop_${name}`, sql: `-- DropIndex\nDROP INDEX ${q(name)};` });
    n++;
  }
  ops.sort((a, b) => a.t - b.t);
  return ops;
}

function writeMigrations(dir: string, rng: Rng, ops: Op[], target: number): string[] {
  // Partition the ordered steps into `target` migrations (the first one is the initial schema).
  const files: string[] = [];
  let time = Date.UTC(2023, 0, 2, 9, 0, 0);
  const groups: Op[][] = [];
  const firstSize = Math.max(1, ops.length - target + 1 > 6 ? 6 : ops.length - target + 1);
  groups.push(ops.slice(0, firstSize));
  const rest = ops.slice(firstSize);
  const slots = target - 1;
  for (let i = 0; i < slots; i++) {
    const a = Math.floor((i * rest.length) / slots);
    const b = Math.floor(((i + 1) * rest.length) / slots);
    groups.push(rest.slice(a, b));
  }
  groups.forEach((g, i) => {
    time += rng.int(1, 96) * 3_600_000 + rng.int(0, 59) * 60_000;
    const d = new Date(time);
    const stamp = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}${String(d.getUTCSeconds()).padStart(2, '0')}`;
    const label = i === 0 ? 'init' : (g[0]?.name ?? 'noop').slice(0, 60);
    const folder = path.join(dir, `${stamp}_${label}`);
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'migration.sql');
    fs.writeFileSync(file, g.map((o) => o.sql).join('\n\n') + '\n');
    files.push(file);
  });
  fs.writeFileSync(path.join(dir, 'migration_lock.toml'), '# Please do not edit this file manually\nprovider = "postgresql"\n');
  return files;
}

// ---------------------------------------------------------------------------------------------
// TypeScript services
// ---------------------------------------------------------------------------------------------

interface Emit {
  lines: string[];
}

function fieldOf(m: Model, name: string): Field | undefined {
  return m.fields.find((f) => f.name === name);
}

function enumValue(rng: Rng, f: Field): string {
  return rng.pick(ENUMS[f.enumName!]);
}

/** A Prisma `where` object (as text) on some of the model's columns. */
function prismaWhere(rng: Rng, m: Model): { text: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  const choice = rng.int(0, 9);
  if (choice <= 2) {
    parts.push('tenantId');
    params.push('tenantId: string');
  } else if (choice <= 5) {
    parts.push('userId');
    params.push('userId: string');
  } else if (choice === 6 && m.parentField) {
    parts.push(m.parentField.name);
    params.push(`${m.parentField.name}: string`);
  } else if (choice === 7) {
    parts.push(`category`);
    params.push('category: string');
  }
  const status = fieldOf(m, 'status')!;
  if (rng.chance(0.5)) parts.push(`status: '${enumValue(rng, status)}'`);
  else if (rng.chance(0.3)) parts.push(`status: { in: ['${enumValue(rng, status)}', '${enumValue(rng, status)}'] }`);
  if (rng.chance(0.3)) parts.push('isActive: true');
  if (fieldOf(m, 'deletedAt') && rng.chance(0.5)) parts.push('deletedAt: null');
  if (rng.chance(0.25)) {
    parts.push('createdAt: { gte: since }');
    params.push('since: Date');
  }
  if (rng.chance(0.1)) {
    parts.push(`title: { contains: search, mode: 'insensitive' }`);
    params.push('search: string');
  } else if (rng.chance(0.1)) {
    parts.push(`slug: { startsWith: prefix }`);
    params.push('prefix: string');
  }
  if (fieldOf(m, 'priority') && rng.chance(0.2)) parts.push(`OR: [{ priority: 'HIGH' }, { priority: 'URGENT' }]`);
  if (parts.length === 0) parts.push(`status: 'ACTIVE'`);
  return { text: `{ ${parts.join(', ')} }`, params };
}

function orderField(rng: Rng, m: Model): string {
  return rng.pick(['createdAt', 'createdAt', 'updatedAt', 'title', fieldOf(m, 'rank') ? 'rank' : 'amount', fieldOf(m, 'publishedAt') ? 'publishedAt' : 'createdAt']);
}

/** A SQL WHERE (text with `$n` or `${…}` holes) over `alias` columns. */
function sqlWhere(rng: Rng, m: Model, alias: string, hole: (i: number, name: string) => string): { text: string; names: string[] } {
  const a = alias ? `${alias}.` : '';
  const c = (n: string) => `${a}${q(fieldOf(m, n)!.column)}`;
  const conds: string[] = [];
  const names: string[] = [];
  const add = (name: string, expr: (h: string) => string) => {
    names.push(name);
    conds.push(expr(hole(names.length, name)));
  };
  const lead = rng.int(0, 3);
  if (lead === 0) add('tenantId', (h) => `${c('tenantId')} = ${h}`);
  else if (lead === 1) add('userId', (h) => `${c('userId')} = ${h}`);
  else if (lead === 2 && m.parentField) add(m.parentField.name, (h) => `${c(m.parentField!.name)} = ${h}`);
  else add('category', (h) => `${c('category')} = ${h}`);
  if (rng.chance(0.5)) conds.push(`${c('status')} = '${enumValue(rng, fieldOf(m, 'status')!)}'`);
  if (rng.chance(0.3)) add('since', (h) => `${c('createdAt')} >= ${h}`);
  if (fieldOf(m, 'deletedAt') && rng.chance(0.4)) conds.push(`${c('deletedAt')} IS NULL`);
  if (rng.chance(0.15)) add('minAmount', (h) => `${c('amount')} BETWEEN ${h} AND ${h} * 10`);
  if (rng.chance(0.1)) add('search', (h) => `${c('title')} ILIKE ${h}`);
  return { text: conds.join('\n      AND '), names };
}

function selectList(rng: Rng, m: Model, alias: string): string {
  if (rng.chance(0.25)) return alias ? `${alias}.*` : '*';
  const a = alias ? `${alias}.` : '';
  const cols = rng.shuffle(m.fields.filter((f) => !f.late).map((f) => f.column)).slice(0, rng.int(2, 6));
  if (!cols.includes('id')) cols.unshift('id');
  return cols.map((x) => `${a}${q(x)}`).join(', ');
}

/** One exported function running one or two queries. */
function emitFunction(rng: Rng, m: Model, fnName: string, out: Emit): void {
  const L = out.lines;
  const kind = rng.int(0, 21);
  const acc = m.accessor;
  const w = prismaWhere(rng, m);
  const sig = (extra: string[] = []) => [...new Set([...w.params, ...extra])].join(', ');
  const take = () => {
    L.push(`    take: ${rng.pick([10, 20, 25, 50, 100])},`);
  };
  switch (kind) {
    case 0:
    case 1:
    case 2: {
      L.push(`export async function ${fnName}(${sig()}) {`, `  return prisma.${acc}.findMany({`, `    where: ${w.text},`, `    orderBy: { ${orderField(rng, m)}: '${rng.pick(['asc', 'desc', 'desc'])}' },`);
      take();
      L.push(`  })`, `}`);
      break;
    }
    case 3: {
      const sel = rng.shuffle(m.fields.filter((f) => !f.id)).slice(0, 3);
      L.push(
        `export async function ${fnName}(${sig(['page = 1'])}) {`,
        `  return prisma.${acc}.findMany({`,
        `    where: ${w.text},`,
        `    orderBy: [{ ${orderField(rng, m)}: 'desc' }, { id: 'asc' }],`,
        `    select: { id: true, ${sel.map((f) => `${f.name}: true`).join(', ')} },`,
        `    skip: (page - 1) * PAGE_SIZE,`,
      );
      take();
      L.push(`  })`, `}`);
      break;
    }
    case 4: {
      L.push(`export async function ${fnName}(id: string) {`, `  return prisma.${acc}.findUnique({ where: { id } })`, `}`);
      break;
    }
    case 5: {
      if (m.tenantSlugUnique) L.push(`export async function ${fnName}(tenantId: string, slug: string) {`, `  return prisma.${acc}.findUnique({ where: { tenantId_slug: { tenantId, slug } } })`, `}`);
      else L.push(`export async function ${fnName}(slug: string) {`, `  return prisma.${acc}.findFirst({ where: { slug }, orderBy: { createdAt: 'desc' } })`, `}`);
      break;
    }
    case 6: {
      L.push(`export async function ${fnName}(${sig()}) {`, `  return prisma.${acc}.count({ where: ${w.text} })`, `}`);
      break;
    }
    case 7: {
      const by = rng.pick(['status', 'category', fieldOf(m, 'priority') ? 'priority' : 'status']);
      L.push(
        `export async function ${fnName}(${sig()}) {`,
        `  const groups = await prisma.${acc}.groupBy({`,
        `    by: ['${by}'],`,
        `    where: ${w.text},`,
        `    _count: { _all: true },`,
        `  })`,
        `  return Object.fromEntries(groups.map((g) => [g.${by} ?? 'none', g._count._all]))`,
        `}`,
      );
      break;
    }
    case 8: {
      L.push(
        `export async function ${fnName}(tenantId: string, from: Date, to: Date) {`,
        `  const result = await prisma.${acc}.aggregate({`,
        `    where: { tenantId, status: 'ACTIVE', createdAt: { gte: from, lt: to } },`,
        `    _sum: { amount: true },`,
        `    _count: { _all: true },`,
        `  })`,
        `  return { total: result._sum.amount ?? new Prisma.Decimal(0), count: result._count._all }`,
        `}`,
      );
      break;
    }
    case 9: {
      L.push(
        `export async function ${fnName}(id: string, status: Status) {`,
        `  return prisma.${acc}.update({`,
        `    where: { id },`,
        `    data: { status, updatedAt: new Date() },`,
        `  })`,
        `}`,
      );
      break;
    }
    case 10: {
      L.push(`export async function ${fnName}(${sig()}) {`, `  return prisma.${acc}.updateMany({`, `    where: ${w.text},`, `    data: { isActive: false },`, `  })`, `}`);
      break;
    }
    case 11: {
      L.push(
        `export async function ${fnName}(input: Create${m.name}Input) {`,
        `  return prisma.${acc}.create({`,
        `    data: {`,
        `      tenantId: input.tenantId,`,
        `      userId: input.userId,`,
        `      title: input.title.trim(),`,
        `      slug: slugify(input.title),`,
        `      amount: new Prisma.Decimal(input.amount ?? 0),`,
        `    },`,
        `  })`,
        `}`,
      );
      break;
    }
    case 12: {
      L.push(`export async function ${fnName}(id: string) {`, `  await prisma.${acc}.delete({ where: { id } })`, `  log('deleted ${m.name}', id)`, `}`);
      break;
    }
    case 13: {
      const rel = m.parentRelation && rng.chance(0.6) ? m.parentRelation.name : 'user';
      L.push(
        `export async function ${fnName}(${sig()}) {`,
        `  return prisma.${acc}.findMany({`,
        `    where: ${w.text},`,
        `    include: { ${rel}: { select: { id: true${rel === 'user' ? ', email: true' : ', title: true'} } } },`,
        `    orderBy: { createdAt: 'desc' },`,
      );
      take();
      L.push(`  })`, `}`);
      break;
    }
    case 14: {
      const where = sqlWhere(rng, m, 't', (_i, name) => `\${${name}}`);
      const join = m.parent && m.parentField && !m.parentField.optional && rng.chance(0.5);
      const names = [...new Set(where.names)];
      L.push(
        `export async function ${fnName}(${names.map((n) => `${n}: ${n === 'since' ? 'Date' : n === 'minAmount' ? 'number' : 'string'}`).join(', ')}) {`,
        `  return prisma.$queryRaw<${m.name}Row[]>\``,
        `    SELECT ${selectList(rng, m, 't')}${join ? `, p.${q('title')} AS "parentTitle"` : ''}`,
        `    FROM ${q(m.table)} t`,
      );
      if (join) L.push(`    JOIN ${q(m.parent!.table)} p ON p.${q('id')} = t.${q(m.parentField!.column)}`);
      L.push(`    WHERE ${where.text}`, `    ORDER BY t.${q(fieldOf(m, 'createdAt')!.column)} DESC`, `    LIMIT \${limit}`, `  \``, `}`);
      // `limit` is a module constant.
      break;
    }
    case 15: {
      const where = sqlWhere(rng, m, '', (i) => `$${i}`);
      const names = [...new Set(where.names)];
      L.push(
        `export async function ${fnName}(${names.map((n) => `${n}: ${n === 'since' ? 'Date' : n === 'minAmount' ? 'number' : 'string'}`).join(', ')}) {`,
        `  const { rows } = await pool.query<${m.name}Row>(`,
        `    \`SELECT ${selectList(rng, m, '')}`,
        `       FROM ${m.table}`,
        `      WHERE ${where.text.replace(/\n {6}AND/g, '\n        AND')}`,
        `      ORDER BY ${q(fieldOf(m, 'createdAt')!.column)} DESC`,
        `      LIMIT 50\`,`,
        `    [${where.names.join(', ')}],`,
        `  )`,
        `  return rows`,
        `}`,
      );
      break;
    }
    case 16: {
      const where = sqlWhere(rng, m, '', (i) => `$${i}`);
      L.push(
        `export async function ${fnName}(${[...new Set(where.names)].map((n) => `${n}: ${n === 'since' ? 'Date' : n === 'minAmount' ? 'number' : 'string'}`).join(', ')}) {`,
        `  return query<${m.name}Row>(`,
        `    \`SELECT count(*)::int AS n, ${q(fieldOf(m, 'status')!.column)}`,
        `       FROM ${q(m.table)}`,
        `      WHERE ${where.text.replace(/\n {6}AND/g, '\n        AND')}`,
        `      GROUP BY ${q(fieldOf(m, 'status')!.column)}\`,`,
        `    [${where.names.join(', ')}],`,
        `  )`,
        `}`,
      );
      break;
    }
    case 17: {
      const c = (n: string) => q(fieldOf(m, n)!.column);
      L.push(
        `export async function ${fnName}(id: string, status: Status) {`,
        `  return prisma.$executeRaw\`UPDATE ${q(m.table)} SET ${c('status')} = \${status}::"Status", ${c('updatedAt')} = NOW() WHERE ${c('id')} = \${id}\``,
        `}`,
      );
      break;
    }
    case 18: {
      const c = (n: string) => q(fieldOf(m, n)!.column);
      L.push(
        `export async function ${fnName}(filters: ${m.name}Filters) {`,
        `  const conditions: Prisma.Sql[] = [Prisma.sql\`${c('tenantId')} = \${filters.tenantId}\`]`,
        `  if (filters.status) conditions.push(Prisma.sql\`${c('status')} = \${filters.status}::"Status"\`)`,
        `  if (filters.category) conditions.push(Prisma.sql\`${c('category')} = \${filters.category}\`)`,
        `  return prisma.$queryRaw<${m.name}Row[]>\``,
        `    SELECT * FROM ${q(m.table)}`,
        `    WHERE \${Prisma.join(conditions, ' AND ')}`,
        `    ORDER BY ${c('createdAt')} DESC`,
        `    LIMIT \${PAGE_SIZE}`,
        `  \``,
        `}`,
      );
      break;
    }
    case 19: {
      const c = (n: string) => q(fieldOf(m, n)!.column);
      L.push(
        `export async function ${fnName}(userId: string, limit = 20) {`,
        `  return prisma.$queryRawUnsafe<${m.name}Row[]>(`,
        `    'SELECT ${c('id')}, ${c('title')} FROM ${q(m.table)} WHERE ${c('userId')} = $1 AND ${c('isActive')} = true ORDER BY ${c('updatedAt')} DESC LIMIT $2',`,
        `    userId,`,
        `    limit,`,
        `  )`,
        `}`,
      );
      break;
    }
    case 20: {
      L.push(
        `export async function ${fnName}(id: string, userId: string) {`,
        `  const [item, recent] = await prisma.$transaction([`,
        `    prisma.${acc}.update({ where: { id }, data: { quantity: { increment: 1 } } }),`,
        `    prisma.${acc}.findMany({ where: { userId, isActive: true }, orderBy: { updatedAt: 'desc' }, take: 5 }),`,
        `  ])`,
        `  return { item, recent }`,
        `}`,
      );
      break;
    }
    default: {
      // Plain code: no query.
      L.push(
        `export function ${fnName}(rows: ${m.name}Row[]): Map<string, ${m.name}Row[]> {`,
        `  const byKey = new Map<string, ${m.name}Row[]>()`,
        `  for (const row of rows) {`,
        `    const key = String(row.id).slice(0, ${rng.int(2, 8)})`,
        `    const list = byKey.get(key) ?? []`,
        `    list.push(row)`,
        `    byKey.set(key, list)`,
        `  }`,
        `  return byKey`,
        `}`,
      );
    }
  }
  L.push('');
}

function header(m: Model, L: string[], rel = '../../lib'): void {
  L.push(
    `import { Prisma, type Status } from '@prisma/client'`,
    `import { prisma } from '${rel}/db'`,
    `import { pool, query } from '${rel}/pg'`,
    '',
    `const PAGE_SIZE = 25`,
    `const limit = 50`,
    '',
    `export interface ${m.name}Row {`,
    ...m.fields.slice(0, 8).map((f) => `  ${f.column.includes('_') ? `'${f.column}'` : f.column}${f.optional ? '?' : ''}: ${f.type === 'DateTime' ? 'Date' : f.type === 'Int' || f.type === 'Float' ? 'number' : f.type === 'Boolean' ? 'boolean' : 'string'}`),
    `}`,
    '',
    `export interface ${m.name}Filters {`,
    `  tenantId: string`,
    `  status?: Status`,
    `  category?: string`,
    `}`,
    '',
    `export interface Create${m.name}Input {`,
    `  tenantId: string`,
    `  userId: string`,
    `  title: string`,
    `  amount?: number`,
    `}`,
    '',
    `function slugify(s: string): string {`,
    `  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')`,
    `}`,
    '',
    `function log(message: string, ...args: unknown[]): void {`,
    `  if (process.env.DEBUG) console.debug(\`[${m.accessor}] \${message}\`, ...args)`,
    `}`,
    '',
  );
}

function serviceFile(rng: Rng, m: Model, n: number): string {
  const L: string[] = [];
  header(m, L);
  const count = rng.int(5, 11);
  const out: Emit = { lines: L };
  for (let i = 0; i < count; i++) emitFunction(rng, m, `${m.accessor}Op${n}_${i}`, out);
  return L.join('\n');
}

function bigFile(rng: Rng, models: Model[]): { text: string; takes: number[] } {
  const L: string[] = [
    '/**',
    ' * The legacy monolith: every query the old admin backend ran, in one file (synthetic).',
    ' */',
    `import { Prisma, type Status } from '@prisma/client'`,
    `import { prisma } from '../lib/db'`,
    `import { pool, query } from '../lib/pg'`,
    '',
    'const PAGE_SIZE = 25',
    'const limit = 50',
    '',
  ];
  for (const m of models.slice(1)) {
    L.push(`type ${m.name}Row = Record<string, unknown> & { id: string }`);
    L.push(`interface ${m.name}Filters { tenantId: string; status?: Status; category?: string }`);
    L.push(`interface Create${m.name}Input { tenantId: string; userId: string; title: string; amount?: number }`);
  }
  L.push('', `function slugify(s: string): string {`, `  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-')`, `}`, '', `function log(message: string, ...args: unknown[]): void {`, `  if (process.env.DEBUG) console.debug(message, ...args)`, `}`, '');
  const out: Emit = { lines: L };
  const flatten = () => {
    const flat = L.join('\n').split('\n');
    L.length = 0;
    L.push(...flat);
  };
  flatten();
  let i = 0;
  while (L.length < BIG_FILE_LINES - 40) {
    const m = models[1 + (i % (models.length - 1))];
    emitFunction(rng, m, `legacy${m.name}${i}`, out);
    flatten();
    i++;
  }
  while (L.length < BIG_FILE_LINES - 1) L.push(`// end of legacy section ${L.length}`);
  L.push('export const LEGACY_FUNCTIONS = ' + i);
  const takes: number[] = [];
  L.forEach((line, n) => {
    if (/^\s+take: \d+,$/.test(line)) takes.push(n);
  });
  return { text: L.join('\n') + '\n', takes };
}

// ---------------------------------------------------------------------------------------------
// .sql files
// ---------------------------------------------------------------------------------------------

function sqlFile(rng: Rng, m: Model, models: Model[]): string {
  const out: string[] = [`-- ${m.name} queries (synthetic).`, ''];
  const count = rng.int(3, 7);
  const c = (mm: Model, n: string) => q(fieldOf(mm, n)!.column);
  for (let i = 0; i < count; i++) {
    const kind = rng.int(0, 6);
    out.push(`-- name: ${m.name}Query${i} :many`);
    if (kind <= 1) {
      const w = sqlWhere(rng, m, 't', (k) => `$${k}`);
      out.push(`SELECT ${selectList(rng, m, 't')}`, `FROM ${q(m.table)} t`, `WHERE ${w.text.replace(/\n {6}AND/g, '\n  AND')}`, `ORDER BY t.${c(m, 'createdAt')} DESC`, `LIMIT ${rng.pick([10, 20, 50, 100])};`);
    } else if (kind === 2 && m.parent && m.parentField) {
      out.push(
        `SELECT p.${q('id')}, p.${c(m.parent, 'title')}, count(t.${q('id')}) AS n`,
        `FROM ${q(m.parent.table)} p`,
        `LEFT JOIN ${q(m.table)} t ON t.${q(m.parentField.column)} = p.${q('id')} AND t.${c(m, 'status')} = 'ACTIVE'`,
        `WHERE p.${c(m.parent, 'tenantId')} = $1`,
        `GROUP BY p.${q('id')}, p.${c(m.parent, 'title')}`,
        `ORDER BY n DESC`,
        `LIMIT 20;`,
      );
    } else if (kind === 3) {
      out.push(
        `WITH recent AS (`,
        `  SELECT ${c(m, 'userId')}, max(${c(m, 'createdAt')}) AS last_at`,
        `  FROM ${q(m.table)}`,
        `  WHERE ${c(m, 'createdAt')} > now() - interval '30 days'`,
        `  GROUP BY ${c(m, 'userId')}`,
        `)`,
        `SELECT u.${q('id')}, u.${q('email')}, r.last_at`,
        `FROM recent r`,
        `JOIN ${q(models[0].table)} u ON u.${q('id')} = r.${c(m, 'userId')}`,
        `WHERE u.${q('tenant_id')} = $1`,
        `ORDER BY r.last_at DESC;`,
      );
    } else if (kind === 4) {
      out.push(
        `UPDATE ${q(m.table)}`,
        `   SET ${c(m, 'isActive')} = false, ${c(m, 'updatedAt')} = now()`,
        ` WHERE ${c(m, 'tenantId')} = $1`,
        `   AND ${c(m, 'updatedAt')} < $2;`,
      );
    } else if (kind === 5) {
      out.push(
        `SELECT t.*`,
        `FROM ${q(m.table)} t`,
        `WHERE t.${c(m, 'userId')} = $1`,
        `  AND EXISTS (SELECT 1 FROM ${q(models[0].table)} u WHERE u.${q('id')} = t.${c(m, 'userId')} AND u.${q('is_active')} = true)`,
        `ORDER BY t.${c(m, 'updatedAt')} DESC`,
        `LIMIT 25;`,
      );
    } else {
      out.push(`DELETE FROM ${q(m.table)}`, `WHERE ${c(m, 'status')} = 'DELETED'`, `  AND ${c(m, 'updatedAt')} < now() - interval '90 days';`);
    }
    out.push('');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The workspace
// ---------------------------------------------------------------------------------------------

const LIB_DB = `import { PrismaClient } from '@prisma/client'

const globalForPrisma = globalThis as unknown as { prisma: PrismaClient | undefined }

export const prisma = globalForPrisma.prisma ?? new PrismaClient()

if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma
`;

const LIB_PG = `import { Pool, type QueryResultRow } from 'pg'

export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 })

export async function query<T extends QueryResultRow = QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const { rows } = await pool.query<T>(text, params)
  return rows
}
`;

export function generateWorkspace(opts: SyntheticOptions = {}): SyntheticWorkspace {
  const scale = opts.scale ?? 1;
  const seed = opts.seed ?? DEFAULT_SEED;
  const root = opts.out ? path.resolve(opts.out) : fs.mkdtempSync(path.join(os.tmpdir(), `pgir-synthetic-${scale}x-`));
  fs.mkdirSync(root, { recursive: true });
  if (fs.readdirSync(root).length > 0) throw new Error(`${root} is not empty`);
  const rng = new Rng(seed * 31 + Math.round(scale * 1000));
  const nModels = Math.max(4, Math.round(BASE_COUNTS.models * scale));
  const nMigrations = Math.max(2, Math.round(BASE_COUNTS.migrations * scale));
  const nTs = Math.max(1, Math.round(BASE_COUNTS.tsFiles * scale));
  const nSql = Math.max(1, Math.round(BASE_COUNTS.sqlFiles * scale));
  const models = buildModels(rng, nModels);
  let bytes = 0;
  const write = (rel: string, text: string): string => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
    return file;
  };

  const schemaFile = write('prisma/schema.prisma', prismaSchema(models));
  const migDir = path.join(root, 'prisma', 'migrations');
  fs.mkdirSync(migDir, { recursive: true });
  const migrationFiles = writeMigrations(migDir, rng, migrationOps(rng, models, nMigrations), nMigrations);
  for (const f of migrationFiles) bytes += fs.statSync(f).size;

  const rows: Record<string, number> = {};
  for (const m of models) if (m.k === 0 || m.k % 10 !== 7) rows[m.table] = m.rows; // a few tables without an estimate
  const configFile = write('pg-index-review.json', JSON.stringify({ rows }, null, 2) + '\n');
  write('package.json', JSON.stringify({ name: `synthetic-${scale}x`, private: true, dependencies: { '@prisma/client': '6.16.0', pg: '8.16.0' } }, null, 2) + '\n');
  write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs' } }, null, 2) + '\n');

  const tsFiles: string[] = [write('src/lib/db.ts', LIB_DB), write('src/lib/pg.ts', LIB_PG)];
  for (let i = 0; i < nTs - 2; i++) {
    const m = models[1 + (i % (models.length - 1))];
    tsFiles.push(write(`src/modules/${m.domain}/${m.table}-${String(i).padStart(5, '0')}.service.ts`, serviceFile(rng, m, i)));
  }
  const sqlFiles: string[] = [];
  for (let i = 0; i < nSql; i++) {
    const m = models[1 + ((i * 7) % (models.length - 1))];
    sqlFiles.push(write(`sql/${m.domain}/${m.table}-${String(i).padStart(4, '0')}.sql`, sqlFile(rng, m, models)));
  }
  let big: string | undefined;
  let bigFileEditLines: number[] = [];
  if (opts.bigFile ?? true) {
    const b = bigFile(rng, models);
    big = write('src/legacy/monolith.ts', b.text);
    tsFiles.push(big);
    bigFileEditLines = b.takes;
  }
  return { root, scale, seed, schemaFile, configFile, migrationFiles, sqlFiles, tsFiles, bigFile: big, bigFileEditLines, models: models.length, bytes };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const get = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const ws = generateWorkspace({
    scale: get('scale') ? Number(get('scale')) : undefined,
    seed: get('seed') ? Number(get('seed')) : undefined,
    out: get('out'),
    bigFile: !args.includes('--no-big-file'),
  });
  if (args.includes('--json')) console.log(JSON.stringify(ws));
  else console.log(
    `${ws.root}\n  ${ws.tsFiles.length} TypeScript files, ${ws.migrationFiles.length} migrations, ${ws.sqlFiles.length} .sql files, ${ws.models} models, ${(ws.bytes / 1024 / 1024).toFixed(1)} MB`,
  );
}
