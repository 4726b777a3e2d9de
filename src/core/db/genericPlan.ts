/**
 * The EXPLAIN statement itself, run on an open transaction (`Session.exclusive` / `rolledBack`).
 *
 * A statement with `$1…$n` parameters has no values to plan with, so it is explained as a generic
 * plan — the plan a prepared statement gets when it can't look at the values:
 * - PostgreSQL 16+: `EXPLAIN (GENERIC_PLAN) …` (sent without values over the simple protocol);
 * - older servers: `PREPARE` (parameter types inferred), `SET LOCAL plan_cache_mode =
 *   force_generic_plan`, `EXPLAIN EXECUTE name(NULL, …)`, all inside a savepoint that is rolled
 *   back (which also undoes the setting), then `DEALLOCATE`.
 */
import { DatabaseError, type Queryable } from './connection';

export interface PlanRequest {
  /** One statement, no trailing semicolon. */
  sql: string;
  /** Highest `$n` in it. */
  params: number;
  /** Server major version. */
  version: number;
  analyze?: boolean;
  /** Values for `$1…$n` (ANALYZE of a parameterised statement, or a custom plan). */
  values?: unknown[];
}

export interface RawPlan {
  /** EXPLAIN (FORMAT JSON) output. */
  json: unknown;
  /** How a generic plan was obtained; undefined for a plan with values (or no parameters). */
  generic?: 'GENERIC_PLAN' | 'PREPARE';
}

let counter = 0;

function options(analyze: boolean, generic: boolean): string {
  return ['FORMAT JSON', 'VERBOSE', 'SETTINGS', ...(analyze ? ['ANALYZE', 'BUFFERS'] : []), ...(generic ? ['GENERIC_PLAN'] : [])].join(', ');
}

function planOf(rows: Record<string, unknown>[]): unknown {
  return rows[0]?.['QUERY PLAN'];
}

export async function explainJson(q: Queryable, req: PlanRequest): Promise<RawPlan> {
  const analyze = !!req.analyze;
  if (req.params === 0 || req.values) {
    const rows = await q.query(`EXPLAIN (${options(analyze, false)}) ${req.sql}`, req.values ?? []);
    return { json: planOf(rows) };
  }
  if (analyze) throw new DatabaseError('ANALYZE of a statement with parameters needs their values');
  if (req.version >= 16) {
    const rows = await q.query(`EXPLAIN (${options(false, true)}) ${req.sql}`);
    return { json: planOf(rows), generic: 'GENERIC_PLAN' };
  }
  return { json: await preparedGenericPlan(q, req), generic: 'PREPARE' };
}

async function preparedGenericPlan(q: Queryable, req: PlanRequest): Promise<unknown> {
  const name = `pir_generic_${process.pid}_${++counter}`;
  // Parameters whose type the server can't infer (`SELECT $1`) are declared text, one at a time.
  const declared: string[] = [];
  for (let attempt = 0; attempt <= req.params; attempt++) {
    await q.query('SAVEPOINT pir_generic');
    let prepared = false;
    try {
      const types = declared.length ? `(${Array.from({ length: req.params }, (_, i) => declared[i] ?? 'unknown').join(', ')})` : '';
      await q.query(`PREPARE ${name}${types} AS ${req.sql}`);
      prepared = true;
      await q.query('SET LOCAL plan_cache_mode = force_generic_plan');
      const nulls = Array.from({ length: req.params }, () => 'NULL').join(', ');
      return planOf(await q.query(`EXPLAIN (${options(false, false)}) EXECUTE ${name}(${nulls})`));
    } catch (err) {
      const m = /could not determine data type of parameter \$(\d+)/.exec((err as Error).message);
      if (!m || (err as DatabaseError).code !== '42P18') throw err;
      declared[Number(m[1]) - 1] = 'text';
    } finally {
      await q.query('ROLLBACK TO SAVEPOINT pir_generic');
      await q.query('RELEASE SAVEPOINT pir_generic');
      if (prepared) await q.query(`DEALLOCATE ${name}`);
    }
  }
  throw new DatabaseError('could not infer the parameter types of the statement');
}
