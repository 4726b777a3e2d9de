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
  /** min_parallel_index_scan_size, in 8 kB pages. */
  minIndexScanPages: number;
  /** parallel_leader_participation: the leader scans too, besides gathering. */
  leaderParticipation: boolean;
}

/** PostgreSQL's defaults (2 workers, 8 MB of table, 512 kB of index). */
export const DEFAULT_PARALLEL_SETTINGS: ParallelSettings = { maxWorkersPerGather: 2, minTableScanPages: 1024, minIndexScanPages: 64, leaderParticipation: true };

/**
 * compute_parallel_worker() for a table of `pages` heap pages: one worker from the threshold, one more each time the
 * size triples; or the table's own parallel_workers storage parameter, whatever its size.
 */
export function parallelWorkers(pages: number, s: ParallelSettings, tableSetting?: number): number {
  return workersFor(pages, s.minTableScanPages, s, tableSetting);
}

/** The same for an index-only scan: by the index pages it reads alone (cost_index() leaves the heap pages out). */
export function parallelIndexWorkers(indexPages: number, s: ParallelSettings, tableSetting?: number): number {
  return workersFor(indexPages, s.minIndexScanPages, s, tableSetting);
}

function workersFor(pages: number, minPages: number, s: ParallelSettings, tableSetting: number | undefined): number {
  if (tableSetting !== undefined) return Math.max(0, Math.min(tableSetting, s.maxWorkersPerGather));
  if (s.maxWorkersPerGather <= 0 || pages < minPages) return 0;
  let workers = 1;
  let threshold = Math.max(1, minPages);
  while (pages >= threshold * 3 && threshold <= 0x7fffffff / 3) {
    workers++;
    threshold *= 3;
  }
  return Math.min(workers, s.maxWorkersPerGather);
}

/** get_parallel_divisor(): the workers, and the leader's share (less the more workers it has to serve; none without parallel_leader_participation). */
export function parallelDivisor(workers: number, leaderParticipation = true): number {
  const leader = leaderParticipation ? 1 - 0.3 * workers : 0;
  return workers + (leader > 0 ? leader : 0);
}

export interface ParallelSeqScan {
  workers: number;
  cost: number;
}

/** A partial path under a Gather, in parts. */
export interface GatherParts {
  /** Paid once in all: the pages read (and an index's entries, or the bitmap the leader builds). */
  ioCost: number;
  /** Shared by the processes: the CPU of the rows they read. */
  rowCpu: number;
  /** Rows handed to the leader. */
  handed: number;
  /** The aggregation of the rows read, which the processes share when they aggregate (a serial plan pays it whole): 0 otherwise. */
  aggregateCpu: number;
}

/**
 * The cost of a partial path under a Gather (cost_gather()): parallel_setup_cost, then — the `share` of it a LIMIT runs —
 * the I/O, the CPU shared by `divisor` processes and parallel_tuple_cost for each row handed over, less the part of the
 * aggregation the processes take off the leader, so that it compares with serial paths, which leave the aggregation out.
 */
export function gatherCost(g: GatherParts, divisor: number, c: PlannerCosts, share = 1): number {
  const shared = 1 - 1 / divisor;
  return c.parallelSetup + share * (g.ioCost + g.rowCpu * (1 - shared) + c.parallelTuple * g.handed - g.aggregateCpu * shared);
}

/** The serial scan a parallel one would replace, and what comes after it. */
export interface SeqScanParts {
  pages: number;
  /** The table's parallel_workers storage parameter, when set. */
  tableWorkers?: number;
  /** pages × seq_page_cost */
  diskCost: number;
  /** rows × the CPU each row costs (cpu_tuple_cost and the filter's operators) */
  cpuCost: number;
  /** Rows the filters keep. */
  matched: number;
  /** Rows of those the workers hand the leader (fewer when they aggregate them), given the workers. */
  handedOver: (workers: number) => number;
  /**
   * CPU per matched row of the aggregation the processes share when they aggregate in parallel (0 when they don't): a
   * serial plan pays it whole, so its share saved is taken off the parallel cost to compare the two.
   */
  aggregateCpu: number;
  /** The part of the scan a LIMIT lets it run (no ORDER BY). */
  share: number;
  /** The cost of sorting n rows when there is an ORDER BY to satisfy, else undefined. */
  sortCost?: (n: number) => number;
  limit?: number;
}

/** The parallel sequential scan (under a Gather, or a Gather Merge when sorted), or undefined when the table is too small for one. */
export function parallelSeqScan(p: SeqScanParts, s: ParallelSettings, c: PlannerCosts): ParallelSeqScan | undefined {
  const workers = parallelWorkers(p.pages, s, p.tableWorkers);
  if (workers === 0) return undefined;
  const divisor = parallelDivisor(workers, s.leaderParticipation);
  // A Limit over the Gather takes its startup (the setup) and its share of the rest.
  if (!p.sortCost) return { workers, cost: gatherCost({ ioCost: p.diskCost, rowCpu: p.cpuCost, handed: p.handedOver(workers), aggregateCpu: p.matched * p.aggregateCpu }, divisor, c, p.share) };
  const partial = p.diskCost + p.cpuCost / divisor;
  const streams = workers + 1;
  // Gather Merge: each process sorts its share of the rows, the leader merges the sorted streams, and a
  // LIMIT stops the merge early (the sorts are paid in full before the first row).
  const perRow = c.cpuOperator * (2 * Math.log2(streams) + 1) + c.parallelTuple * 1.05;
  const merged = p.limit !== undefined ? Math.min(p.matched, p.limit) : p.matched;
  return { workers, cost: partial + p.sortCost(p.matched / divisor) + c.parallelSetup + merged * perRow };
}
