/**
 * EXPLAIN (FORMAT JSON) output → a compact plan tree for hovers and the CLI: node type, relation,
 * index, conditions, estimated vs actual rows, cost and time, with the expensive nodes marked —
 * a sequential scan over many rows, an explicit Sort, many rows removed by a filter, and row
 * estimates off by 10× or more.
 */

export interface PlanThresholds {
  /** A sequential scan reading at least this many rows is marked. */
  seqScanRows: number;
  /** A filter removing at least this many rows (and more than it keeps) is marked. */
  filterRemovedRows: number;
  /** Estimated and actual rows differing by this factor or more is marked. */
  misestimateFactor: number;
  /** An explicit Sort of at least this many input rows (or one that spills to disk) is marked. */
  sortRows: number;
}

export const DEFAULT_THRESHOLDS: PlanThresholds = { seqScanRows: 10_000, filterRemovedRows: 1_000, misestimateFactor: 10, sortRows: 100 };

export type PlanFlagKind = 'seq-scan' | 'sort' | 'filter' | 'misestimate';

export interface PlanFlag {
  kind: PlanFlagKind;
  message: string;
}

export interface PlanNode {
  nodeType: string;
  /** A parallel scan (`Parallel Aware`): EXPLAIN prints "Parallel Seq Scan" and so on. */
  parallelAware?: boolean;
  /** `Inner`, `Left`… for joins; `Insert`/`Update`/`Delete` for ModifyTable. */
  operation?: string;
  relation?: string;
  schema?: string;
  alias?: string;
  index?: string;
  indexCond?: string;
  recheckCond?: string;
  filter?: string;
  joinFilter?: string;
  hashCond?: string;
  mergeCond?: string;
  sortKey?: string[];
  sortMethod?: string;
  scanDirection?: string;
  startupCost: number;
  totalCost: number;
  estRows: number;
  /** Per loop, when analyzed. */
  actualRows?: number;
  loops?: number;
  /** Total time of one loop in ms, when analyzed. */
  actualTimeMs?: number;
  rowsRemovedByFilter?: number;
  /** Rows the node read from its table (sequential scans), when known. */
  rowsScanned?: number;
  /** Rows a Sort node sorts: its input (actual when analyzed, else estimated). */
  rowsSorted?: number;
  subplanName?: string;
  parentRelationship?: string;
  flags: PlanFlag[];
  children: PlanNode[];
}

export interface IndexChoice {
  index: string;
  relation?: string;
  nodeType: string;
}

export interface PlanSummary {
  root: PlanNode;
  totalCost: number;
  estRows: number;
  planningMs?: number;
  executionMs?: number;
  analyzed: boolean;
  /** Indexes the planner chose, in plan order (each once per relation). */
  indexes: IndexChoice[];
  /** Relations read by a sequential scan. */
  seqScans: string[];
  /** Every flagged node, in plan order. */
  flagged: PlanNode[];
}

type Raw = Record<string, any>;

/** The first element of EXPLAIN (FORMAT JSON) output, however the driver returned it. */
export function planJsonOf(value: unknown): Raw {
  let v = value;
  if (typeof v === 'string') v = JSON.parse(v);
  if (Array.isArray(v)) v = v[0];
  if (!v || typeof v !== 'object' || !('Plan' in (v as Raw))) throw new Error('EXPLAIN returned no plan');
  return v as Raw;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Summarises EXPLAIN JSON. `tableRows` (relation → reltuples) lets unanalysed sequential scans be sized. */
export function summarizePlan(explainJson: unknown, tableRows: Map<string, number> = new Map(), thresholds: Partial<PlanThresholds> = {}): PlanSummary {
  const th = { ...DEFAULT_THRESHOLDS, ...thresholds };
  const top = planJsonOf(explainJson);
  const analyzed = 'Execution Time' in top || num(top.Plan['Actual Loops']) !== undefined;
  const flagged: PlanNode[] = [];
  const indexes: IndexChoice[] = [];
  const seqScans: string[] = [];
  // `bitmapRelation`: a Bitmap Index Scan doesn't name its table; the Bitmap Heap Scan above it does.
  // `stopsEarly`: a Limit or a semi/anti join above the node may stop reading it before it is done, so
  // fewer actual rows than estimated is expected there, not a misestimate.
  const convert = (p: Raw, bitmapRelation?: string, stopsEarly = false): PlanNode => {
    const node: PlanNode = {
      nodeType: p['Node Type'],
      ...(p['Parallel Aware'] ? { parallelAware: true } : {}),
      operation: p.Operation ?? p['Join Type'] ?? p.Strategy,
      relation: p['Relation Name'] ?? (p['Node Type'] === 'Bitmap Index Scan' ? bitmapRelation : undefined),
      schema: p.Schema,
      alias: p.Alias,
      index: p['Index Name'],
      indexCond: p['Index Cond'],
      recheckCond: p['Recheck Cond'],
      filter: p.Filter,
      joinFilter: p['Join Filter'],
      hashCond: p['Hash Cond'],
      mergeCond: p['Merge Cond'],
      sortKey: p['Sort Key'],
      sortMethod: p['Sort Method'] ? `${p['Sort Method']}${p['Sort Space Used'] !== undefined ? `, ${p['Sort Space Used']} kB ${String(p['Sort Space Type'] ?? '').toLowerCase()}` : ''}` : undefined,
      scanDirection: p['Scan Direction'],
      startupCost: num(p['Startup Cost']) ?? 0,
      totalCost: num(p['Total Cost']) ?? 0,
      estRows: num(p['Plan Rows']) ?? 0,
      actualRows: num(p['Actual Rows']),
      loops: num(p['Actual Loops']),
      actualTimeMs: num(p['Actual Total Time']),
      rowsRemovedByFilter: num(p['Rows Removed by Filter']),
      subplanName: p['Subplan Name'],
      rowsSorted: p['Node Type'] === 'Sort' && p.Plans?.[0] ? (num(p.Plans[0]['Actual Rows']) ?? num(p.Plans[0]['Plan Rows']) ?? 0) * (num(p.Plans[0]['Actual Loops']) ?? 1) : undefined,
      parentRelationship: p['Parent Relationship'],
      flags: [],
      children: [],
    };
    flag(node, tableRows, th, stopsEarly);
    if (node.flags.length) flagged.push(node);
    if (node.index && !indexes.some((i) => i.index === node.index && i.relation === node.relation)) {
      indexes.push({ index: node.index, relation: node.relation, nodeType: node.nodeType });
    }
    if (node.nodeType === 'Seq Scan' && node.relation && !seqScans.includes(node.relation)) seqScans.push(node.relation);
    const below = node.nodeType === 'Bitmap Heap Scan' ? node.relation : /^Bitmap(And|Or)$/.test(node.nodeType) ? bitmapRelation : undefined;
    // A Sort, Hash or hashed/plain Aggregate reads all its input whatever happens above it.
    const drains = node.nodeType === 'Sort' || node.nodeType === 'Hash' || (node.nodeType === 'Aggregate' && node.operation !== 'Sorted');
    const early = (stopsEarly && !drains) || node.nodeType === 'Limit' || node.operation === 'Semi' || node.operation === 'Anti';
    node.children = ((p.Plans as Raw[] | undefined) ?? []).map((c) => convert(c, below, early));
    return node;
  };
  const root = convert(top.Plan);
  return {
    root,
    totalCost: root.totalCost,
    estRows: root.estRows,
    planningMs: num(top['Planning Time']),
    executionMs: num(top['Execution Time']),
    analyzed,
    indexes,
    seqScans,
    flagged,
  };
}

function fmtRows(n: number): string {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return String(Math.round(n));
}

function flag(n: PlanNode, tableRows: Map<string, number>, th: PlanThresholds, stopsEarly: boolean): void {
  const loops = n.loops ?? 1;
  if (n.nodeType === 'Seq Scan') {
    const read = n.actualRows !== undefined ? (n.actualRows + (n.rowsRemovedByFilter ?? 0)) * loops : (n.relation ? tableRows.get(n.relation) : undefined);
    n.rowsScanned = read;
    const rows = read ?? n.estRows;
    if (rows >= th.seqScanRows) n.flags.push({ kind: 'seq-scan', message: `sequential scan reads ~${fmtRows(rows)} rows of ${n.relation}${loops > 1 ? ` (${loops} loops)` : ''}` });
  }
  if (n.nodeType === 'Sort') {
    const rows = n.rowsSorted ?? n.estRows;
    const disk = /disk/i.test(n.sortMethod ?? '');
    if (rows >= th.sortRows || disk) n.flags.push({ kind: 'sort', message: `explicit sort of ~${fmtRows(rows)} rows${n.sortKey?.length ? ` by ${n.sortKey.join(', ')}` : ''}${disk ? ', spilled to disk' : ''}` });
  }
  if (n.rowsRemovedByFilter !== undefined) {
    const removed = n.rowsRemovedByFilter * loops;
    const kept = (n.actualRows ?? 0) * loops;
    if (removed >= th.filterRemovedRows && removed > kept) n.flags.push({ kind: 'filter', message: `filter removes ~${fmtRows(removed)} rows to keep ${fmtRows(kept)}` });
  }
  if (n.actualRows !== undefined && (n.loops ?? 0) > 0) {
    const est = Math.max(n.estRows, 1);
    const act = Math.max(n.actualRows, 1);
    const factor = Math.max(est / act, act / est);
    if (factor >= th.misestimateFactor && !(stopsEarly && act < est)) {
      n.flags.push({ kind: 'misestimate', message: `row estimate off by ${Math.round(factor)}×: ${fmtRows(n.estRows)} estimated, ${fmtRows(n.actualRows)} actual${loops > 1 ? ' per loop' : ''}` });
    }
  }
}

/** The node's one-line title, the way EXPLAIN's text format writes it. */
export function nodeTitle(n: PlanNode): string {
  let t = n.nodeType;
  if (n.nodeType === 'ModifyTable' && n.operation) t = n.operation;
  else if (n.operation && n.operation !== 'Inner' && /(Join|^Nested Loop)$/.test(n.nodeType)) t = `${n.nodeType.replace(/ Join$/, '')} ${n.operation} Join`;
  else if (n.nodeType === 'Aggregate' && n.operation) t = { Sorted: 'GroupAggregate', Hashed: 'HashAggregate', Mixed: 'MixedAggregate' }[n.operation as string] ?? 'Aggregate';
  if (n.parallelAware) t = `Parallel ${t}`;
  if (n.scanDirection === 'Backward') t += ' Backward';
  if (n.index) t += n.nodeType === 'Bitmap Index Scan' ? ` on ${n.index}` : ` using ${n.index}`;
  if (n.relation && n.nodeType !== 'Bitmap Index Scan') t += ` on ${n.relation}${n.alias && n.alias !== n.relation ? ` ${n.alias}` : ''}`;
  else if (!n.relation && n.alias) t += ` on ${n.alias}`;
  if (n.subplanName) t = `${n.subplanName}: ${t}`;
  return t;
}

function numbers(n: PlanNode): string {
  const cost = `cost ${n.startupCost.toFixed(2)}..${n.totalCost.toFixed(2)}`;
  if (n.actualRows === undefined) return `${cost}, rows ${fmtRows(n.estRows)}`;
  if (!n.loops) return `${cost}, rows ${fmtRows(n.estRows)} est, never executed`;
  const loops = n.loops > 1 ? ` × ${n.loops} loops` : '';
  const time = n.actualTimeMs !== undefined ? `, ${n.actualTimeMs.toFixed(3)} ms` : '';
  return `${cost}, rows ${fmtRows(n.estRows)} est / ${fmtRows(n.actualRows)} actual${loops}${time}`;
}

/**
 * The compact text rendering: one line per node (`->` and indentation like EXPLAIN), its conditions
 * below it, and `!!` lines for the marked nodes.
 */
export function renderPlanTree(root: PlanNode): string {
  const lines: string[] = [];
  const visit = (n: PlanNode, depth: number): void => {
    const pad = '   '.repeat(depth);
    lines.push(`${pad}${depth ? '-> ' : ''}${nodeTitle(n)}  (${numbers(n)})`);
    const detail = `${pad}${depth ? '   ' : ''}   `;
    const add = (label: string, v: string | string[] | undefined) => {
      if (v === undefined || (Array.isArray(v) && !v.length)) return;
      lines.push(`${detail}${label}: ${Array.isArray(v) ? v.join(', ') : v}`);
    };
    add('Index Cond', n.indexCond);
    add('Recheck Cond', n.nodeType === 'Bitmap Heap Scan' ? undefined : n.recheckCond);
    add('Hash Cond', n.hashCond);
    add('Merge Cond', n.mergeCond);
    add('Join Filter', n.joinFilter);
    add('Filter', n.filter);
    if (n.rowsRemovedByFilter !== undefined) add('Rows Removed by Filter', String(n.rowsRemovedByFilter));
    add('Sort Key', n.sortKey);
    add('Sort Method', n.sortMethod);
    for (const f of n.flags) lines.push(`${detail}!! ${f.message}`);
    for (const c of n.children) visit(c, depth + 1);
  };
  visit(root, 0);
  return lines.join('\n');
}
