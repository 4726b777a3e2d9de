/**
 * The arithmetic of the "effect of the migration" benchmark, kept pure (test/bench/effect.test.ts):
 * medians, speed-ups, geometric means, and the compact plan shape taken from EXPLAIN's JSON.
 */

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** How many times faster `after` is than `before` (> 1: faster, < 1: slower). */
export function speedup(beforeMs: number, afterMs: number): number {
  // Sub-microsecond timings are noise: floor both at 1 µs so a 0.000 ms reading gives no infinity.
  return Math.max(beforeMs, 0.001) / Math.max(afterMs, 0.001);
}

/** Geometric mean (the mean of ratios that treats 2× and ½× symmetrically); NaN for no values. */
export function geomean(xs: readonly number[]): number {
  const v = xs.filter((x) => Number.isFinite(x) && x > 0);
  if (!v.length) return NaN;
  return Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length);
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export function fmtX(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (x >= 100) return `${x.toFixed(0)}×`;
  if (x >= 10) return `${x.toFixed(1)}×`;
  return `${x.toFixed(2)}×`;
}

export function fmtBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MB`;
  if (b >= 2 ** 10) return `${(b / 2 ** 10).toFixed(0)} kB`;
  return `${b} B`;
}

/** A node of EXPLAIN (FORMAT JSON)'s plan tree (the fields used here). */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  'Parent Relationship'?: string;
  Plans?: PlanNode[];
}

const SHORT: Record<string, string> = {
  'Seq Scan': 'Seq',
  'Index Scan': 'Idx',
  'Index Only Scan': 'IdxOnly',
  'Bitmap Heap Scan': 'BitmapHeap',
  'Bitmap Index Scan': 'BitmapIdx',
  'Nested Loop': 'NestLoop',
  'Hash Join': 'HashJoin',
  'Merge Join': 'MergeJoin',
  'Incremental Sort': 'IncrSort',
};

/**
 * A plan tree in one line: node types, the index each scan uses (or the table a sequential scan
 * reads), children in parentheses. `Limit > Idx[users_role_createdAt_idx]`,
 * `Sort > HashJoin(Seq[courses], Hash > BitmapHeap[enrollments] > BitmapIdx[enrollments_userId_idx])`.
 * Backward index scans are marked `←`; sub-plans `sub:`.
 */
export function planShape(node: PlanNode): string {
  const type = node['Node Type'];
  let label = SHORT[type] ?? type;
  if (node['Index Name']) label += `[${node['Index Name']}${node['Scan Direction'] === 'Backward' ? ' ←' : ''}]`;
  else if (node['Relation Name'] && /Scan/.test(type)) label += `[${node['Relation Name']}]`;
  if (node['Parent Relationship'] === 'SubPlan' || node['Parent Relationship'] === 'InitPlan') label = `sub:${label}`;
  const kids = node.Plans ?? [];
  if (!kids.length) return label;
  if (kids.length === 1) return `${label} > ${planShape(kids[0])}`;
  return `${label}(${kids.map(planShape).join(', ')})`;
}

/** The access path of each table in a plan: `users: Idx users_role_createdAt_idx`, `courses: Seq`. */
export function accessPaths(node: PlanNode): string[] {
  const out: string[] = [];
  const walk = (n: PlanNode) => {
    const t = n['Node Type'];
    if (t === 'Seq Scan' && n['Relation Name']) out.push(`${n['Relation Name']}: seq scan`);
    else if (n['Index Name'] && t !== 'Bitmap Heap Scan') out.push(`${SHORT[t] === 'BitmapIdx' ? 'bitmap' : SHORT[t] === 'IdxOnly' ? 'index-only' : 'index'} ${n['Index Name']}`);
    for (const k of n.Plans ?? []) walk(k);
  };
  walk(node);
  return out;
}

/** True when the plan sorts rows itself (an explicit Sort or Incremental Sort node). */
export function hasSort(node: PlanNode): boolean {
  return node['Node Type'] === 'Sort' || node['Node Type'] === 'Incremental Sort' || (node.Plans ?? []).some(hasSort);
}
