/**
 * Runs one query of queries.ts on every index set, interleaved: `warmup` unmeasured runs on each set,
 * then `runs` measured rounds, each round visiting every set (in an order rotated per round), so load
 * from other processes and drift over time fall on all sets alike. Each run is
 * `EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON)` with the parameters bound through node-postgres
 * (an unnamed prepared statement: PostgreSQL plans it with the values, as it does the application's
 * parameterised queries). The figure is the server's "Execution Time" (executor start to end, planning
 * excluded — reported apart), median over the runs; TIMING OFF avoids the per-node clock calls that
 * inflate ANALYZE on big scans. A write runs inside a transaction that is rolled back, so every run and
 * every index set sees the same rows.
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

export interface Target<Id extends string = string> {
  id: Id;
  session: Session;
  ctx: QueryContext;
}

/** The index of the set visited at position `pos` of round `round` (a rotation: each set goes first in turn). */
export function rotation(n: number, round: number, pos: number): number {
  return (pos + round) % n;
}

export async function measureQuery<Id extends string>(targets: Target<Id>[], query: EffectQuery, picks: Picks, opts: { runs: number; warmup: number }): Promise<Record<Id, QueryMeasure>> {
  const params = query.params(picks);
  const once = (t: Target<Id>): Promise<ExplainOutput> => {
    const sql = query.sql(t.ctx);
    return query.write ? t.session.rolledBack((q) => explainOnce(q, sql, params)) : explainOnce(t.session, sql, params);
  };
  const outs = new Map<Id, ExplainOutput[]>(targets.map((t) => [t.id, []]));
  const errors = new Map<Id, string>();
  const attempt = async (t: Target<Id>, keep: boolean) => {
    if (errors.has(t.id)) return;
    try {
      const o = await once(t);
      if (keep) outs.get(t.id)!.push(o);
    } catch (e) {
      errors.set(t.id, (e as Error).message);
    }
  };
  for (const t of targets) for (let i = 0; i < opts.warmup; i++) await attempt(t, false);
  for (let r = 0; r < opts.runs; r++) for (let k = 0; k < targets.length; k++) await attempt(targets[rotation(targets.length, r, k)], true);
  const result = {} as Record<Id, QueryMeasure>;
  for (const t of targets) {
    const sql = query.sql(t.ctx);
    const list = outs.get(t.id)!;
    const error = errors.get(t.id);
    if (error || !list.length) {
      result[t.id] = { medianMs: NaN, runsMs: [], planningMs: NaN, rows: 0, buffers: 0, shape: '', access: [], sort: false, sql, error: error ?? 'no run' };
      continue;
    }
    const times = list.map((o) => o['Execution Time']);
    const med = median(times);
    // The run closest to the median gives the plan shape and the buffer count.
    const rep = list.reduce((a, o) => (Math.abs(o['Execution Time'] - med) < Math.abs(a['Execution Time'] - med) ? o : a));
    result[t.id] = {
      medianMs: med,
      runsMs: times.map((x) => Math.round(x * 1000) / 1000),
      planningMs: median(list.map((o) => o['Planning Time'])),
      rows: rep.Plan['Actual Rows'] ?? 0,
      buffers: (rep.Plan['Shared Hit Blocks'] ?? 0) + (rep.Plan['Shared Read Blocks'] ?? 0),
      shape: planShape(rep.Plan),
      access: accessPaths(rep.Plan),
      sort: hasSort(rep.Plan),
      sql,
    };
  }
  return result;
}
