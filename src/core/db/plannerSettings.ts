import type { ParallelSettings } from '../matcher/parallelScan';
import type { Queryable } from './connection';

/**
 * The settings with which the server plans parallel scans, as the connected role sees them (per-role and
 * per-database settings included). pg_settings gives min_parallel_table_scan_size in 8 kB pages.
 */
export async function readParallelSettings(q: Queryable): Promise<ParallelSettings> {
  const rows = await q.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_catalog.pg_settings WHERE name IN ('max_parallel_workers_per_gather', 'min_parallel_table_scan_size')`,
  );
  const get = (n: string, fallback: number): number => {
    const v = Number(rows.find((r) => r.name === n)?.setting);
    return Number.isFinite(v) ? v : fallback;
  };
  return { maxWorkersPerGather: get('max_parallel_workers_per_gather', 2), minTableScanPages: get('min_parallel_table_scan_size', 1024) };
}
