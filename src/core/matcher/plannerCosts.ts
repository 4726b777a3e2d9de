/**
 * The planner's cost constants (costsize.c): PostgreSQL's defaults, or a live database's own settings —
 * a server on SSDs often has random_page_cost = 1.1, which moves the point where an index scan beats
 * reading the table.
 */
export interface PlannerCosts {
  /** seq_page_cost */
  seqPage: number;
  /** random_page_cost */
  randomPage: number;
  /** cpu_tuple_cost */
  cpuTuple: number;
  /** cpu_index_tuple_cost */
  cpuIndexTuple: number;
  /** cpu_operator_cost */
  cpuOperator: number;
  /** parallel_setup_cost */
  parallelSetup: number;
  /** parallel_tuple_cost */
  parallelTuple: number;
}

export const DEFAULT_PLANNER_COSTS: PlannerCosts = { seqPage: 1, randomPage: 4, cpuTuple: 0.01, cpuIndexTuple: 0.005, cpuOperator: 0.0025, parallelSetup: 1000, parallelTuple: 0.1 };

/** The settings' names in pg_settings. */
export const PLANNER_COST_SETTINGS: Record<keyof PlannerCosts, string> = {
  seqPage: 'seq_page_cost',
  randomPage: 'random_page_cost',
  cpuTuple: 'cpu_tuple_cost',
  cpuIndexTuple: 'cpu_index_tuple_cost',
  cpuOperator: 'cpu_operator_cost',
  parallelSetup: 'parallel_setup_cost',
  parallelTuple: 'parallel_tuple_cost',
};
