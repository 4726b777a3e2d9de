/**
 * A parallel sequential scan under a Gather (or a Gather Merge with a sort in each process), costed as
 * PostgreSQL does: the workers compute_parallel_worker() gives a table of this many pages, the CPU part of
 * the scan shared between them and the leader (get_parallel_divisor()), the pages still read once in all,
 * and the Gather's own costs (cost_gather(), cost_gather_merge(): parallel_setup_cost, parallel_tuple_cost
 * for each row handed to the leader).
 */
import type { PlannerCosts } from './plannerCosts';

/** The server settings that decide whether and how wide a parallel scan is. */
export interface ParallelSettings {
  /** max_parallel_workers_per_gather (0 turns parallel plans off). */
  maxWorkersPerGather: number;
  /** min_parallel_table_scan_size, in 8 kB pages. */
  minTableScanPages: number;
}

/** PostgreSQL's defaults (2 workers, 8 MB). */
export const DEFAULT_PARALLEL_SETTINGS: ParallelSettings = { maxWorkersPerGather: 2, minTableScanPages: 1024 };


/** compute_parallel_worker() for a table of `pages` heap pages: one worker from the threshold, one more each time the size triples. */
export function parallelWorkers(pages: number, s: ParallelSettings): number {
  if (s.maxWorkersPerGather <= 0 || pages < s.minTableScanPages) return 0;
  let workers = 1;
  let threshold = Math.max(1, s.minTableScanPages);
  while (pages >= threshold * 3 && threshold <= 0x7fffffff / 3) {
    workers++;
    threshold *= 3;
  }
  return Math.min(workers, s.maxWorkersPerGather);
}

/** get_parallel_divisor(): the workers, and the leader's share (less the more workers it has to serve). */
export function parallelDivisor(workers: number): number {
  const leader = 1 - 0.3 * workers;
  return workers + (leader > 0 ? leader : 0);
}

export interface ParallelSeqScan {
  workers: number;
  cost: number;
}

/**
 * The cheapest parallel sequential scan, or undefined when the table is too small for one.
 * `diskCost` and `cpuCost` are the serial scan's parts (pages × seq_page_cost; rows × per-row CPU);
 * `matched` the rows the filters keep; `share` the part of the scan a LIMIT lets it run (no ORDER BY);
 * `sortCost(n)` the cost of sorting n rows when there is an ORDER BY to satisfy, else undefined.
 */
export function parallelSeqScan(
  pages: number,
  diskCost: number,
  cpuCost: number,
  matched: number,
  share: number,
  sortCost: ((n: number) => number) | undefined,
  limit: number | undefined,
  s: ParallelSettings,
  c: PlannerCosts,
): ParallelSeqScan | undefined {
  const workers = parallelWorkers(pages, s);
  if (workers === 0) return undefined;
  const divisor = parallelDivisor(workers);
  const partial = diskCost + cpuCost / divisor;
  if (!sortCost) {
    // A Limit over the Gather takes its startup (the setup) and its share of the rest.
    return { workers, cost: c.parallelSetup + share * (partial + c.parallelTuple * matched) };
  }
  // Gather Merge: each process sorts its share of the rows, the leader merges the sorted streams, and a
  // LIMIT stops the merge early (the sorts are paid in full before the first row).
  const streams = workers + 1;
  const perRow = c.cpuOperator * (2 * Math.log2(streams) + 1) + c.parallelTuple * 1.05;
  const merged = limit !== undefined ? Math.min(matched, limit) : matched;
  return { workers, cost: partial + sortCost(matched / divisor) + c.parallelSetup + merged * perRow };
}
