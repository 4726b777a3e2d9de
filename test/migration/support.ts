/** Shared helpers of the migration tests: a template database holding the sample schema with data. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import type { PgCluster } from '../support/pgCluster';
import { LMS_MIGRATION } from '../helpers/paths';

export const SEED = path.join(__dirname, 'fixtures', 'lms-seed.sql');

/** Creates `lms_template` (the sample's init migration + seed data) once per cluster. */
export function createTemplate(cluster: PgCluster, name = 'lms_template', seed = true): void {
  cluster.psql(`CREATE DATABASE ${name}`);
  cluster.psqlFile(LMS_MIGRATION, name);
  if (seed) cluster.psqlFile(SEED, name);
}

let counter = 0;
/** A fresh copy of the template (CREATE DATABASE … TEMPLATE is a file copy: milliseconds). */
export function freshDatabase(cluster: PgCluster, template = 'lms_template', name = `t${++counter}`): string {
  cluster.psql(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  return name;
}

export async function connect(url: string): Promise<Client> {
  const c = new Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

/** `name → pg_get_indexdef` of every index in the public schema. */
export async function indexDefs(url: string): Promise<Map<string, string>> {
  const c = await connect(url);
  try {
    const r = await c.query<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`);
    return new Map(r.rows.map((x) => [x.indexname, x.indexdef]));
  } finally {
    await c.end();
  }
}

export async function invalidIndexNames(url: string): Promise<string[]> {
  const c = await connect(url);
  try {
    const r = await c.query<{ n: string }>(`SELECT c.relname AS n FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid ORDER BY 1`);
    return r.rows.map((x) => x.n);
  } finally {
    await c.end();
  }
}

export function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}
