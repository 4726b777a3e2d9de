/** The sample workspace on a throwaway PostgreSQL server: its migrations and synthetic rows. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSession } from '../../src/core/db/connection';
import { seedDatabase, type SeedOptions, type SeedResult } from '../../src/core/db/embedded/seed';
import type { IndexDef, SchemaModel, TableDef } from '../../src/core/model/schema';
import { normalizeType } from '../../src/core/rules/schemaDrift';
import type { MigrationFile } from '../../src/core/schema/migrations/loadMigrations';
import { LMS } from '../helpers/paths';
import type { PgCluster } from '../support/pgCluster';

/** The sample's migration files. */
export function sampleMigrations(): MigrationFile[] {
  const dir = path.join(LMS, 'prisma', 'migrations');
  return fs
    .readdirSync(dir)
    .filter((d) => fs.existsSync(path.join(dir, d, 'migration.sql')))
    .map((d) => ({ file: path.join(dir, d, 'migration.sql'), text: fs.readFileSync(path.join(dir, d, 'migration.sql'), 'utf8') }));
}

/** The sample's configured row counts (pg-index-review.json). */
export function sampleRows(): Record<string, number> {
  return JSON.parse(fs.readFileSync(path.join(LMS, 'pg-index-review.json'), 'utf8')).rows;
}

/** Tests keep data small: 1/1000 of the configured rows, at least 200 per table (~25k rows, ~1 s). */
export const TEST_SEED: SeedOptions = { scale: 1 / 1000, minRows: 200 };

/** Creates `database` on the cluster and loads the sample into it. */
export async function loadSample(cluster: PgCluster, database = 'lms', opts: SeedOptions = TEST_SEED, extra: MigrationFile[] = []): Promise<SeedResult> {
  cluster.psql(`CREATE DATABASE ${database}`);
  const session = await openSession(cluster.url(database), { readOnly: false, statementTimeoutMs: 120_000 });
  try {
    return await seedDatabase(session, [...sampleMigrations(), ...extra], { rows: sampleRows(), ...opts });
  } finally {
    await session.close();
  }
}

/** What must agree between the two sources, in a form deepEqual compares. */
export function comparable(schema: SchemaModel) {
  const index = (i: IndexDef) => ({
    name: i.name,
    method: i.method,
    unique: i.unique,
    primary: i.primary,
    keys: i.keys.map((k) => ({ column: k.column, expression: k.expression, desc: k.desc, nullsFirst: k.nullsFirst, opclass: k.opclass })),
    include: i.include,
    predicate: i.predicate ?? null,
  });
  const table = (t: TableDef) => ({
    columns: [...t.columns.values()].map((c) => ({ name: c.name, type: normalizeType(c), nullable: c.nullable, enumName: c.enumName })).sort((a, b) => a.name.localeCompare(b.name)),
    indexes: t.indexes.map(index).sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: t.foreignKeys.map(({ location, ...f }) => f).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')),
  });
  return {
    enums: [...schema.enums.values()].sort((a, b) => a.name.localeCompare(b.name)),
    tables: Object.fromEntries([...schema.tables.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([n, t]) => [n, table(t)])),
  };
}

