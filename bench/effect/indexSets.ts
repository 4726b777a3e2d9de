/**
 * The three index sets of the benchmark, on the same loaded data (no reload: run.ts gives each set a
 * file copy of the loaded database, so the sets can be measured interleaved):
 * - before: the sample's Prisma migration (what loadLms builds);
 * - tool:   + the migration pg-index-review generates for examples/lms, generated in process at run
 *           time (so it is always the current generator's output, never a copy);
 * - plan:   + the reference plan's own migration (test/fixtures/plan-migration), corrected only as far
 *           as needed to run: statement by statement in autocommit (the plan's "Option 2", psql), with
 *           the statements the migration linter says fail replaced by the linter's own fix.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Queryable } from '../../src/core/db/connection';
import { generateOptimizationMigration } from '../../src/core/migration/generate';
import { lintMigrationHistory } from '../../src/core/migration/lint';
import { Project } from '../../src/core/project';
import { parseSqlDocument } from '../../src/core/sql/parser';
import { VERSION } from '../../src/cli/version';

export type SetId = 'before' | 'tool' | 'plan';

export const SET_LABELS: Record<SetId, string> = {
  before: 'before (sample schema)',
  tool: 'after pg-index-review’s migration',
  plan: 'after the plan’s migration',
};

const ROOT = path.resolve(__dirname, '..', '..');
export const SAMPLE = path.join(ROOT, 'examples', 'lms');
export const PLAN_MIGRATION = path.join(ROOT, 'test', 'fixtures', 'plan-migration', 'prisma', 'migrations', '20251010_database_optimization', 'migration.sql');

/** One statement to run, and what was changed in it to make it run. */
export interface Step {
  sql: string;
  ordinal: number;
  correction?: { rule: string; sqlstate?: string; message: string; original: string };
}

export interface MigrationSteps {
  name: string;
  file: string;
  steps: Step[];
  /** How the file is run, and why. */
  runner: string;
  summary?: string;
}

/** The tool's migration for examples/lms as the generator produces it now (nothing written to the repo). */
export async function toolMigration(): Promise<MigrationSteps> {
  const project = await Project.open(SAMPLE);
  const result = project.analyze();
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pir-effect-'));
  try {
    const g = generateOptimizationMigration(project, result, { outDir, command: 'pg-index-review migration examples/lms (bench/effect)', toolVersion: VERSION });
    const file = g.files.find((f) => f.kind === 'migration')!;
    return {
      name: g.name,
      file: path.basename(file.path),
      steps: parseSqlDocument(file.text)
        .filter((s) => s.ast)
        .map((s, i) => ({ sql: s.text, ordinal: i })),
      runner: 'statement by statement outside a transaction, as its header says (CREATE/DROP INDEX CONCURRENTLY)',
      summary: `${g.plan.creates.length} new indexes, ${g.plan.drops.length} dropped`,
    };
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * The plan's migration, statement by statement as psql runs it (autocommit: its VACUUM can run), with
 * each statement the linter predicts to fail for that runner (an error with a SQLSTATE) replaced by
 * the linter's fix — on the plan's file that is one: `WHERE progressPercent < 100` needs the
 * camelCase column quoted. Nothing else is changed (no CONCURRENTLY, no IF NOT EXISTS, no extra indexes).
 */
export function planMigration(): MigrationSteps {
  const text = fs.readFileSync(PLAN_MIGRATION, 'utf8');
  const base = path.join(SAMPLE, 'prisma', 'migrations');
  const history = fs
    .readdirSync(base)
    .sort()
    .filter((d) => fs.existsSync(path.join(base, d, 'migration.sql')))
    .map((d) => ({ file: path.join(base, d, 'migration.sql'), text: fs.readFileSync(path.join(base, d, 'migration.sql'), 'utf8') }));
  const { findings } = lintMigrationHistory([...history, { file: PLAN_MIGRATION, text }], { report: (f) => f === PLAN_MIGRATION, runner: 'statements' });
  const failing = findings.filter((f) => f.file === PLAN_MIGRATION && f.severity === 'error' && f.sqlstate && f.statement);
  const steps: Step[] = parseSqlDocument(text)
    .filter((s) => s.ast)
    .map((s, i) => {
      const fix = failing.find((f) => f.statement!.ordinal === i);
      if (!fix) return { sql: s.text, ordinal: i };
      if (!fix.fix?.sql) throw new Error(`the linter says statement ${i + 1} of the plan's migration fails (${fix.rule}) but offers no fix`);
      return { sql: fix.fix.sql.replace(/;\s*$/, ''), ordinal: i, correction: { rule: fix.rule, sqlstate: fix.sqlstate, message: fix.message, original: s.text } };
    });
  return {
    name: '20251010_database_optimization',
    file: path.relative(ROOT, PLAN_MIGRATION),
    steps,
    runner: 'statement by statement in autocommit, as the plan’s “Option 2” (psql < migration.sql); under Prisma migrate (one transaction) it fails and applies nothing',
  };
}

export interface StepResult {
  ordinal: number;
  sql: string;
  ms: number;
  error?: string;
}

/** Runs the steps one by one (autocommit); a failing statement is recorded and the next one runs, as psql without ON_ERROR_STOP does. */
export async function applySteps(q: Queryable, m: MigrationSteps): Promise<StepResult[]> {
  const out: StepResult[] = [];
  for (const s of m.steps) {
    const t = performance.now();
    try {
      await q.query(s.sql);
      out.push({ ordinal: s.ordinal, sql: s.sql, ms: performance.now() - t });
    } catch (e) {
      out.push({ ordinal: s.ordinal, sql: s.sql, ms: performance.now() - t, error: (e as Error).message });
    }
  }
  return out;
}

export interface IndexSize {
  count: number;
  bytes: number;
  perTable: Record<string, { count: number; bytes: number }>;
}

/** Total index size (`pg_indexes_size` summed over the public tables) and the number of indexes. */
export async function indexSize(q: Queryable): Promise<IndexSize> {
  const rows = await q.query<{ t: string; n: number; b: string }>(
    `SELECT c.relname AS t, (SELECT count(*)::int FROM pg_index i WHERE i.indrelid = c.oid) AS n, pg_indexes_size(c.oid)::text AS b
       FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname = $1 AND c.relkind = $2
      ORDER BY 1`,
    ['public', 'r'],
  );
  const perTable: IndexSize['perTable'] = {};
  for (const r of rows) perTable[r.t] = { count: r.n, bytes: Number(r.b) };
  return { count: rows.reduce((a, r) => a + r.n, 0), bytes: rows.reduce((a, r) => a + Number(r.b), 0), perTable };
}

export async function hasSearchVector(q: Queryable): Promise<boolean> {
  return (await q.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3`, ['public', 'courses', 'search_vector'])).length > 0;
}
