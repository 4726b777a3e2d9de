/**
 * Runs one query of queries.ts on the current index set: `warmup` unmeasured runs, then `runs`
 * measured ones, each `EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON)` with the parameters bound
 * through node-postgres (an unnamed prepared statement: PostgreSQL plans it with the values, as it
 * does the application's parameterised queries). The figure is the server's "Execution Time"
 * (executor start to end, planning excluded — reported apart), median over the runs; TIMING OFF
 * avoids the per-node clock calls that inflate ANALYZE on big scans. A write runs inside a
 * transaction that is rolled back, so every run and every index set sees the same rows.
 */
import type { Queryable, Session } from '../../src/core/db/connection';
import type { EffectQuery, Picks, QueryContext } from './queries';
import { accessPaths, hasSort, median, planShape, type PlanNode } from './summary';

export interface QueryMeasure {
  /** Median "Execution Time" (ms). */
  medianMs: number;
  runsMs: number[];
  planningMs: number;
  /** Rows the top node returned (the same on every index set: a check the data did not change). */
  rows: number;
  /** Shared buffers hit + read, median run. */
  buffers: number;
  shape: string;
  access: string[];
  sort: boolean;
  sql: string;
  error?: string;
}

interface ExplainOutput {
  Plan: PlanNode & { 'Actual Rows'?: number; 'Shared Hit Blocks'?: number; 'Shared Read Blocks'?: number };
  'Planning Time': number;
  'Execution Time': number;
}

async function explainOnce(q: Queryable, sql: string, params: unknown[]): Promise<ExplainOutput> {
  const rows = await q.query<{ 'QUERY PLAN': ExplainOutput[] }>(`EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) ${sql}`, params);
  return rows[0]['QUERY PLAN'][0];
}

export async function measureQuery(session: Session, query: EffectQuery, picks: Picks, ctx: QueryContext, opts: { runs: number; warmup: number }): Promise<QueryMeasure> {
  const sql = query.sql(ctx);
  const params = query.params(picks);
  const once = (): Promise<ExplainOutput> => (query.write ? session.rolledBack((q) => explainOnce(q, sql, params)) : explainOnce(session, sql, params));
  try {
    for (let i = 0; i < opts.warmup; i++) await once();
    const outs: ExplainOutput[] = [];
    for (let i = 0; i < opts.runs; i++) outs.push(await once());
    const times = outs.map((o) => o['Execution Time']);
    const med = median(times);
    // The run closest to the median gives the plan shape and the buffer count.
    const rep = outs.reduce((a, o) => (Math.abs(o['Execution Time'] - med) < Math.abs(a['Execution Time'] - med) ? o : a));
    return {
      medianMs: med,
      runsMs: times.map((t) => Math.round(t * 1000) / 1000),
      planningMs: median(outs.map((o) => o['Planning Time'])),
      rows: rep.Plan['Actual Rows'] ?? 0,
      buffers: (rep.Plan['Shared Hit Blocks'] ?? 0) + (rep.Plan['Shared Read Blocks'] ?? 0),
      shape: planShape(rep.Plan),
      access: accessPaths(rep.Plan),
      sort: hasSort(rep.Plan),
      sql,
    };
  } catch (e) {
    return { medianMs: NaN, runsMs: [], planningMs: NaN, rows: 0, buffers: 0, shape: '', access: [], sort: false, sql, error: (e as Error).message };
  }
}
