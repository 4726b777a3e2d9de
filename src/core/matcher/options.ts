import { DEFAULT_PARALLEL_SETTINGS, type ParallelSettings } from './parallelScan';
import { DEFAULT_PLANNER_COSTS, type PlannerCosts } from './plannerCosts';

export interface MatcherOptions {
  /** Row estimates per table (catalog name). */
  rows: Record<string, number>;
  /** Rows assumed for a table with no estimate. */
  defaultRows: number;
  /** Tables smaller than this never get a missing-index finding. */
  minRows: number;
  /** Rows saved (read or sorted) from which a missing index is a warning rather than info. */
  rowsThreshold: number;
  /** Rows an info-level proposal must save (read or sorted) per execution to be reported at all. */
  minRowsSaved: number;
  /** Largest share of a table an index scan may return and still be worth proposing. */
  maxSelectivity: number;
  /** PostgreSQL major version the verdicts are for. */
  serverVersion: number;
  /** The server's settings for parallel sequential scans (PostgreSQL's defaults, or the live database's). */
  parallel: ParallelSettings;
  /** The planner's cost constants (PostgreSQL's defaults, or the live database's). */
  costs: PlannerCosts;
}

export const DEFAULT_MATCHER_OPTIONS: MatcherOptions = {
  rows: {},
  defaultRows: 10_000,
  minRows: 1_000,
  rowsThreshold: 1_000,
  minRowsSaved: 5,
  maxSelectivity: 0.2,
  serverVersion: 16,
  parallel: DEFAULT_PARALLEL_SETTINGS,
  costs: DEFAULT_PLANNER_COSTS,
};
