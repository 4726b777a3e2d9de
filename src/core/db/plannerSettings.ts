import type { ParallelSettings } from '../matcher/parallelScan';
import { DEFAULT_PLANNER_COSTS, PLANNER_COST_SETTINGS, type PlannerCosts } from '../matcher/plannerCosts';
import type { Queryable } from './connection';
import { readPgSettings } from './pgSettings';

/** The server's settings the verdicts' costs depend on. */
export interface PlannerSettings {
  costs: PlannerCosts;
  parallel: ParallelSettings;
}

/**
 * The planner's cost constants and parallel-scan settings, as the connected role sees them (per-role and
 * per-database settings included). pg_settings gives min_parallel_table_scan_size and min_parallel_index_scan_size in 8 kB pages.
 */
export async function readPlannerSettings(q: Queryable): Promise<PlannerSettings> {
  const names = [...Object.values(PLANNER_COST_SETTINGS), 'max_parallel_workers_per_gather', 'min_parallel_table_scan_size', 'min_parallel_index_scan_size', 'parallel_leader_participation'];
  const settings = await readPgSettings(q, names);
  const get = (n: string, fallback: number): number => {
    const v = Number(settings.get(n));
    return Number.isFinite(v) && v >= 0 ? v : fallback;
  };
  const costs = { ...DEFAULT_PLANNER_COSTS };
  for (const key of Object.keys(PLANNER_COST_SETTINGS) as (keyof PlannerCosts)[]) costs[key] = get(PLANNER_COST_SETTINGS[key], DEFAULT_PLANNER_COSTS[key]);
  const leader = settings.get('parallel_leader_participation');
  return {
    costs,
    parallel: { maxWorkersPerGather: get('max_parallel_workers_per_gather', 2), minTableScanPages: get('min_parallel_table_scan_size', 1024), minIndexScanPages: get('min_parallel_index_scan_size', 64), leaderParticipation: leader !== 'off' },
  };
}
