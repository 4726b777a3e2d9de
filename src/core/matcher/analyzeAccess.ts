/** Evaluates every index of a table for one access and picks the path the planner would likely take. */
import type { OrderItem, TableAccess } from '../model/query';
import type { IndexDef, SchemaModel, TableDef } from '../model/schema';
import { atomColumns, type ContainOp, type Literal, type PredicateAtom } from '../model/predicate';
import { normalizeExprText } from '../sql/expr';
import { exprOperators } from '../sql/exprCost';
import { atomsOnKey, constantColumns, coversColumns, equalityAtoms, hasEquality, keyName, matchKeys, orderMatch, partialUsable, rangeAtoms, rangeAtomsOnKey, requiredOrder } from './btree';
import type { MatcherOptions } from './options';
import { combinedSelectivity, DEFAULT_MATCH_SEL, distinctValues, type SelectivityContext } from './selectivity';
import { ginServes, ginValueKind, isJsonbPath } from './ginOperators';
import { gatherCost, parallelDivisor, parallelIndexWorkers, parallelSeqScan, parallelWorkers } from './parallelScan';
import { DEFAULT_PLANNER_COSTS, type PlannerCosts } from './plannerCosts';
import type { AccessVerdict, IndexUse } from './types';

export function rowsOf(table: string, opts: MatcherOptions): { rows: number; assumed: boolean } {
  const r = opts.rows[table];
  return r !== undefined ? { rows: r, assumed: false } : { rows: opts.defaultRows, assumed: true };
}

export function selectivityContext(schema: SchemaModel, table: TableDef, opts: MatcherOptions): SelectivityContext {
  return { schema, table, rows: rowsOf(table.name, opts).rows, rowsOf: (t) => rowsOf(t, opts).rows, serverVersion: opts.serverVersion, parallel: opts.parallel, costs: opts.costs };
}

/*
 * Costs are in PostgreSQL's units, with its constants (costsize.c: the defaults, or a live database's settings,
 * plannerCosts.ts), so that the choice between a sequential scan, an ordered index scan and a bitmap scan breaks
 * even where the planner's does.
 */
function costsOf(ctx: SelectivityContext): PlannerCosts {
  return ctx.costs ?? DEFAULT_PLANNER_COSTS;
}
/** Rows per 8 kB heap page when the table's size is not known (~130 bytes a row). */
export const ROWS_PER_PAGE = 60;
/** Usable bytes of a B-tree leaf page (8 kB at the default fill factor of 90%). */
const INDEX_PAGE_BYTES = 7372;
/** Within this factor of the sequential scan the planner's choice is a coin flip: the sequential scan is kept. */
const SEQ_SCAN_MARGIN = 0.9;
/** compare_path_costs_fuzzily(): costs within 1% are equal, and the path with the useful order wins. */
const FUZZ = 1.01;

/**
 * Sorting N rows (cost_sort(): 2 × cpu_operator_cost × N × log₂ N), or keeping the top `limit` of them
 * in a bounded heap (× log₂ 2·limit) when a LIMIT needs fewer than half of them.
 */
export function sortCost(n: number, limit?: number, c: PlannerCosts = DEFAULT_PLANNER_COSTS): number {
  if (n <= 1) return 0;
  const depth = limit !== undefined && 2 * limit < n ? Math.log2(2 * Math.max(1, limit)) : Math.log2(n);
  return 2 * c.cpuOperator * n * depth;
}

/** The share of the table's pages an index-only scan need not visit (pg_class.relallvisible / relpages); all without a database. */
function allVisibleFraction(ctx: SelectivityContext): number {
  const { pageEstimate, allVisiblePages } = ctx.table;
  return pageEstimate && allVisiblePages !== undefined ? Math.min(1, allVisiblePages / pageEstimate) : 1;
}

/** Heap pages of the table: pg_class.relpages when read from a database, else rows / ROWS_PER_PAGE. */
export function pagesOf(ctx: SelectivityContext): number {
  return Math.max(1, ctx.table.pageEstimate ?? ctx.rows / ROWS_PER_PAGE);
}

/** A sequential scan: every page in order, every row through the filter (`quals`: operators evaluated per row). */
export function seqScanCostOf(rows: number, pages: number, quals = 1, c: PlannerCosts = DEFAULT_PLANNER_COSTS): number {
  return pages * c.seqPage + rows * (c.cpuTuple + c.cpuOperator * quals);
}

/**
 * Operators a filter evaluates per row (cost_qual_eval()): one per atom, and for a value computed by an
 * expression (`now() - interval '7 days'`) its function and operator too — an index condition computes it
 * once, a filter on every row.
 */
function qualOperators(atoms: PredicateAtom[]): number {
  let n = 0;
  for (const a of atoms) {
    n += 1;
    const values = a.kind === 'compare' || a.kind === 'not-equal' ? [a.value] : a.kind === 'between' ? [a.low, a.high] : a.kind === 'in' ? a.values : [];
    // Its value's functions and operators, computed for every row (unknown: a function and an operator).
    for (const v of values) if (v.kind === 'expr') n += exprOperators(v.text) ?? 2;
  }
  return n;
}

/**
 * The index part of a scan returning R entries: a descent (one random page), the leaf pages and the entries — each
 * tested against the scan's conditions (one operator, however many), or not at all when it has none (an index read
 * whole: `conditions` = 0).
 */
function indexPartCost(r: number, perPage: number, conditions: number, c: PlannerCosts): number {
  // genericcostestimate() charges random_page_cost for every index page it expects to read.
  return Math.max(1, Math.ceil(r / perPage)) * c.randomPage + r * (c.cpuIndexTuple + c.cpuOperator * Math.min(1, conditions));
}

/** Bytes a key of this column takes in an index entry. */
function keyWidth(ctx: SelectivityContext, column: string | undefined): number {
  const col = column ? ctx.table.columns.get(column) : undefined;
  if (!col) return 16;
  if (col.enumName || /^(bool|int|integer|int4|smallint|int2|real|float4|date|oid)\b/.test(col.type)) return 4;
  if (/^(bigint|int8|double|float8|timestamp|timestamptz|time|money|serial|bigserial)\b/.test(col.type)) return 8;
  if (/^uuid\b/.test(col.type)) return 16;
  return 32; // text: identifiers, e-mail addresses, short strings
}

/**
 * Index entries per leaf page: measured (pg_relation_size) when read from a database; else from the key
 * widths — an entry is an 8-byte header, the keys (8-byte aligned) and a 4-byte line pointer, and a key
 * with few distinct values is deduplicated (PostgreSQL 13+: ~6 bytes per row in a posting list).
 */
function entriesPerPage(index: IndexDef, ctx: SelectivityContext): number {
  const size = index.stats?.sizeBytes;
  const entries = ctx.rows * (index.predicate ? combinedSelectivity(ctx, index.predicate) : 1);
  if (size && size > 8192 && entries > 0) return Math.max(1, entries / (size / 8192 - 1));
  let keys = 0;
  for (const k of index.keys) keys += k.column ? keyWidth(ctx, k.column) : 16;
  const lead = index.keys.length === 1 && index.keys[0].column ? distinctValues(ctx, index.keys[0].column) : undefined;
  const deduplicated = lead !== undefined && lead * 20 < ctx.rows;
  return INDEX_PAGE_BYTES / (deduplicated ? 6 : 12 + Math.ceil(keys / 8) * 8);
}

/** Heap pages R rows out of T pages touch (Mackert–Lohman, as index_pages_fetched() for a table that fits in cache). */
function pagesFetched(r: number, t: number): number {
  return Math.min(t, (2 * t * r) / (2 * t + r));
}

/**
 * Heap cost of a plain (ordered) index scan returning R rows: a random page per row when the column's
 * order is unrelated to the physical order, sliding to reading R/rows of the pages in order as the
 * correlation nears ±1 (cost_index() interpolates by correlation²).
 */
function orderedHeapCost(r: number, pages: number, rows: number, correlation: number, c: PlannerCosts): number {
  const maxIo = pagesFetched(r, pages) * c.randomPage;
  const minIo = c.randomPage + Math.max(0, Math.ceil(Math.min(pages, (r / Math.max(1, rows)) * pages)) - 1) * c.seqPage;
  const c2 = correlation * correlation;
  return maxIo + c2 * (minIo - maxIo) + r * c.cpuTuple;
}

/** Heap cost of a bitmap heap scan of R rows: the pages in physical order, from random to sequential as their share grows (cost_bitmap_heap_scan()). */
function bitmapHeapCost(r: number, pages: number, c: PlannerCosts): number {
  const pf = pagesFetched(r, pages);
  // A page or two: random reads (cost_bitmap_heap_scan() charges random_page_cost below 2 pages).
  const perPage = pf < 2 ? c.randomPage : c.randomPage - (c.randomPage - c.seqPage) * Math.sqrt(pf / pages);
  return pf * perPage + r * c.cpuTuple;
}

/**
 * The share of its matches a scan that stops at the LIMIT reads: LIMIT (+ OFFSET) of them, or — a LIMIT
 * given as a parameter — 10%, what the planner assumes for a generic plan (preprocess_limit()).
 */
function limitShare(access: TableAccess, matches: number): number {
  if (limitRows(access) === undefined) return 1;
  if (access.limit === 'param') return 0.1;
  return Math.min(1, (limitRows(access) ?? 0) / Math.max(matches, 1e-9));
}

/** Rows of the table a LIMIT (+ OFFSET) lets a scan stop at; none when it limits groups or aggregates, not rows. */
function limitRows(access: TableAccess): number | undefined {
  if (access.limit === undefined || access.aggregated || access.groupBy.length > 0) return undefined;
  const l = access.limit === 'param' ? 50 : access.limit;
  const o = access.offset === undefined ? 0 : access.offset === 'param' ? 50 : access.offset;
  return l + o;
}

/** All atoms restricting the access, join keys included on the inner side of a join. */
function filterAtoms(access: TableAccess) {
  const atoms = access.predicates.map((p) => p.atom);
  if (access.joinedFrom) {
    for (const j of access.joinKeys) if (!hasEquality(access, j.column)) atoms.push({ kind: 'compare', column: j.column, op: '=', value: { kind: 'param' } });
  }
  return atoms;
}

/** What every index evaluation of one access needs, computed once per access. */
interface AccessFacts {
  selAll: number;
  constant: Set<string>;
  required: OrderItem[];
  eq: Map<string, PredicateAtom[]>;
  /** rangeAtoms(access): every range candidate, by column. */
  range: Map<string, PredicateAtom[]>;
  /** The sequential scan's cost (with the sort, when there is an ORDER BY): the cheaper of a serial and a parallel one. */
  seqCost: number;
  /** Workers of the parallel sequential scan, when it is the cheaper. */
  seqWorkers?: number;
  /** Why the scan is serial although a parallel one would be cheaper (TableAccess.serialOnly). */
  serialBecause?: string;
  /**
   * What an index path must cost less than to be the verdict: SEQ_SCAN_MARGIN of a serial scan (a coin flip is left
   * to the table), but a parallel scan's own cost — on PostgreSQL 15 the planner took every index path that cost
   * 0.9–1.0× the Gather (a review's 22 probes of a filter on 22–42% of a table; with the margin, 11 disagreed).
   */
  seqBar: number;
  /** filterAtoms(access). */
  atoms: PredicateAtom[];
}

function accessFacts(access: TableAccess, ctx: SelectivityContext): AccessFacts {
  const constant = constantColumns(access);
  const required = requiredOrder(access, constant);
  const atoms = filterAtoms(access);
  const selAll = combinedSelectivity(ctx, atoms);
  const needsSort = required.length > 0;
  const limit = limitRows(access);
  // With a LIMIT and nothing to sort, the scan stops after LIMIT matches.
  const share = !needsSort && limit !== undefined ? limitShare(access, selAll * ctx.rows) : 1;
  const c = costsOf(ctx);
  const pages = pagesOf(ctx);
  const quals = Math.max(1, qualOperators(atoms));
  const matched = ctx.rows * selAll;
  const serial = seqScanCostOf(ctx.rows, pages, quals, c) * share + (needsSort ? sortCost(matched, limit, c) : 0);
  // A statement that must run serially (serialOnly) is costed as it could run in parallel too, to tell why it is not.
  const parallel =
    ctx.parallel && readOnceBySelect(access)
      ? parallelSeqScan(
          {
            pages,
            tableWorkers: ctx.table.parallelWorkers,
            diskCost: pages * c.seqPage,
            cpuCost: ctx.rows * (c.cpuTuple + c.cpuOperator * quals),
            matched,
            handedOver: (workers) => handedOver(access, ctx, workers, matched),
            aggregateCpu: aggregateCpu(access, c),
            share,
            sortCost: needsSort ? (n) => sortCost(n, limit, c) : undefined,
            limit,
          },
          ctx.parallel,
          c,
        )
      : undefined;
  // add_path(): within 1% the serial scan, which starts at once, is kept over the Gather, which starts at parallel_setup_cost.
  const parallelWins = parallel !== undefined && parallel.cost * FUZZ < serial;
  const seq =
    parallelWins && !access.serialOnly
      ? { seqCost: parallel.cost, seqWorkers: parallel.workers, seqBar: parallel.cost }
      : { seqCost: serial, seqBar: serial * SEQ_SCAN_MARGIN, ...(parallelWins ? { serialBecause: access.serialOnly } : {}) };
  return { selAll, constant, required, eq: equalityAtoms(access), range: rangeAtoms(access), ...seq, atoms };
}

/**
 * Whether PostgreSQL may read the table with a parallel scan: a SELECT's table read once — not a write's
 * target, nor a table looked up for each row of another (a nested loop's inner side, a sub-plan, a foreign
 * key's check, a nested write Prisma runs as a statement of its own).
 */
function mayScanInParallel(access: TableAccess): boolean {
  return readOnceBySelect(access) && !access.serialOnly;
}

/** A SELECT's table read once, whatever else its statement does (mayScanInParallel without `serialOnly`). */
function readOnceBySelect(access: TableAccess): boolean {
  return access.kind === 'select' && !access.joinedFrom && !access.perOuterRow && !access.foreignKeyCheck && !access.nestedWrite;
}

/**
 * An index-only scan of a whole index in parallel, as cost_index() costs a partial path: its workers by the index's
 * pages, the index's pages and entries (`indexCost`, with the heap pages not all-visible) read once in all, the rest of
 * the CPU (`rowCpu`: cpu_tuple_cost and the filter per row) shared, then a Gather of the rows or of each process's
 * partial aggregates. Undefined when the index is too small or the statement can't run in parallel.
 */
function parallelWholeIndexRead(access: TableAccess, ctx: SelectivityContext, indexPages: number, indexCost: number, rowCpu: number, rows: number): { workers: number; cost: number } | undefined {
  if (!ctx.parallel || !mayScanInParallel(access)) return undefined;
  return gathered(access, ctx, parallelIndexWorkers(indexPages, ctx.parallel, ctx.table.parallelWorkers), indexCost, rowCpu, rows);
}

/** "in parallel: 2 workers and the leader". */
function parallelNote(workers: number): string {
  return `in parallel: ${workers} worker${workers > 1 ? 's' : ''} and the leader`;
}

/** A partial path of `rows` rows under a Gather (see gatherCost), or undefined without workers. */
function gathered(access: TableAccess, ctx: SelectivityContext, workers: number, ioCost: number, rowCpu: number, rows: number): { workers: number; cost: number } | undefined {
  if (workers === 0 || !ctx.parallel) return undefined;
  const c = costsOf(ctx);
  const parts = { ioCost, rowCpu, handed: handedOver(access, ctx, workers, rows), aggregateCpu: rows * aggregateCpu(access, c) };
  return { workers, cost: gatherCost(parts, parallelDivisor(workers, ctx.parallel.leaderParticipation), c) };
}

/**
 * CPU per input row of a partial aggregation (cost_agg(): cpu_operator_cost per grouping column and per aggregate's
 * transition; one aggregate is assumed), when the access is aggregated in each process.
 */
function aggregateCpu(access: TableAccess, c: PlannerCosts): number {
  return access.aggregated ? c.cpuOperator * (access.groupBy.length + 1) : 0;
}

/** Rows the workers hand the leader: the rows, or — aggregated in each worker — each worker's groups (the Gather's estimate). */
function handedOver(access: TableAccess, ctx: SelectivityContext, workers: number, rows: number): number {
  if (!access.aggregated) return rows;
  let groups = 1;
  // The product of the GROUP BY columns' distinct values (200 for a column not known, as PostgreSQL assumes).
  for (const col of access.groupBy) groups *= distinctValues(ctx, col) ?? 200;
  return Math.min(rows, workers * groups);
}

export function evaluateIndex(index: IndexDef, access: TableAccess, ctx: SelectivityContext): IndexUse {
  return evaluateWith(index, access, ctx, accessFacts(access, ctx));
}

const noLeadingConditionText = new WeakMap<IndexDef, string>();

/** The reason most indexes of a table can't serve a query, one string per index (every access of the table gives it). */
function noLeadingCondition(index: IndexDef): string {
  let text = noLeadingConditionText.get(index);
  if (text === undefined) noLeadingConditionText.set(index, (text = `no condition on its leading column "${index.keys[0] ? keyName(index.keys[0]) : '?'}"`));
  return text;
}

/** The empty lists of every unusable result, shared (IndexUse's lists are read-only; frozen, should one be cast away). */
const NONE: readonly never[] = Object.freeze([]);

/** Most evaluations end unusable: that result is built in one go, not copied from a base object. */
function unusableUse(index: IndexDef, rows: number, reason: string, sortAvoided = false, backward = false, indexOnly = false): IndexUse {
  return { index, usable: false, equalityColumns: NONE, conditions: NONE, sortAvoided, backward, indexOnly, rowsRead: rows, cost: Infinity, reason };
}

/**
 * A valid B-tree index, not partial, on plain columns none of which the access tests or sorts by: no
 * condition, no order, no predicate to offer. Most indexes of a table are that for a given query.
 */
function untouched(index: IndexDef, facts: AccessFacts): boolean {
  if (!index.valid || index.method !== 'btree' || index.predicate) return false;
  for (const k of index.keys) {
    const c = k.column;
    if (c === undefined || facts.eq.has(c) || facts.range.has(c) || facts.required.some((o) => o.column === c)) return false;
  }
  return true;
}

/** evaluateWith's result for an untouched index, per index-only flag, kept per index for the last row count asked: shared by every access (frozen). */
const untouchedUses = new WeakMap<IndexDef, { rows: number; uses: [IndexUse?, IndexUse?] }>();

function untouchedUse(index: IndexDef, rows: number, indexOnly: boolean): IndexUse {
  let kept = untouchedUses.get(index);
  if (!kept || kept.rows !== rows) untouchedUses.set(index, (kept = { rows, uses: [undefined, undefined] }));
  const slot = indexOnly ? 1 : 0;
  return (kept.uses[slot] ??= Object.freeze(unusableUse(index, rows, noLeadingCondition(index), false, false, indexOnly)));
}

/** Heap pages a BRIN index summarizes per entry, unless its `pages_per_range` says otherwise (the default). */
const PAGES_PER_RANGE = 128;

/**
 * A BRIN index (minmax): each entry holds the least and greatest values of a range of heap pages, and a Bitmap Index
 * Scan returns every range whose values may match a comparison (=, <, <=, >, >=, BETWEEN), an IN list (the bitmap
 * scan takes `= ANY`) or IS [NOT] NULL on one of its columns. As brincostestimate(): of the table's ranges, the share
 * a perfectly ordered heap would match, divided by the column's correlation — so it pays only where the rows lie in
 * the column's order (an append-only timestamp). Read from a database, a column without statistics has correlation
 * 0 (the planner's start); from migrations alone that order is assumed (it is why a BRIN index is made), and the
 * reason says so. The heap scan is lossy: every row of the ranges read is checked again. Bloom operator classes
 * (equality by hashing) are not modelled.
 */
function evaluateBrin(index: IndexDef, access: TableAccess, ctx: SelectivityContext, needsSort: boolean, matched: number): IndexUse {
  const rows = ctx.rows;
  if (index.keys.some((k) => /_bloom_ops$/.test(k.opclass ?? ''))) return unusableUse(index, rows, 'BRIN bloom indexes are not modelled');
  const keys = new Set(index.keys.map((k) => k.column).filter((c): c is string => c !== undefined));
  const conditions = access.predicates
    .map((p) => p.atom)
    .filter((a) => keys.has((a as { column?: string }).column ?? '') && ((a.kind === 'compare' && !a.rowBound) || a.kind === 'between' || a.kind === 'null' || a.kind === 'in'));
  if (conditions.length === 0) return unusableUse(index, rows, `BRIN index: no comparison on ${[...keys].map((k) => `"${k}"`).join(', ')}`);
  const columns = [...new Set(conditions.map((a) => (a as { column: string }).column))];
  const known = columns.map((c) => ctx.table.columns.get(c)?.stats?.correlation).filter((c): c is number => c !== undefined);
  const fromDatabase = ctx.table.pageEstimate !== undefined || [...ctx.table.columns.values()].some((c) => c.stats);
  const correlation = known.length ? Math.max(...known.map(Math.abs)) : fromDatabase ? 0 : 1;
  const pages = pagesOf(ctx);
  const ranges = Math.max(1, Math.ceil(pages / (index.pagesPerRange ?? PAGES_PER_RANGE)));
  const minimal = Math.ceil(ranges * combinedSelectivity(ctx, conditions));
  const scanned = correlation < 1e-10 ? ranges : Math.min(minimal / correlation, ranges);
  const rowsRead = Math.max(1, (rows * scanned) / ranges);
  // The summary is a few pages (one entry per range), read whole; each row of the ranges is checked again.
  const costs = costsOf(ctx);
  const indexCost = Math.max(1, Math.ceil(ranges / 500)) * costs.randomPage + ranges * (costs.cpuIndexTuple + costs.cpuOperator * conditions.length);
  const cost = indexCost + bitmapHeapCost(rowsRead, pages, costs) + rowsRead * costs.cpuOperator * conditions.length + (needsSort ? sortCost(matched, undefined, costs) : 0);
  const order = known.length || fromDatabase ? `correlation ${correlation.toFixed(2)}` : `assuming the rows lie in ${columns.map((c) => `"${c}"`).join(', ')} order, as a BRIN index needs (no statistics)`;
  const reason = `BRIN: ${conditions.length === 1 ? 'a condition' : `${conditions.length} conditions`} on ${columns.map((c) => `"${c}"`).join(', ')}, reading ~${fmt(scanned)} of ${fmt(ranges)} page ranges (${order})`;
  return { ...unusableUse(index, rows, reason), usable: true, conditions, rowsRead, cost };
}

function evaluateWith(index: IndexDef, access: TableAccess, ctx: SelectivityContext, facts: AccessFacts): IndexUse {
  const rows = ctx.rows;
  // What the full evaluation below returns for such an index, without its matching and costing — unless
  // it holds every column read: a scan of it whole may cost less than reading the table (below).
  if (untouched(index, facts)) {
    const covering = coversColumns(index, access);
    if (!covering) return untouchedUse(index, rows, false);
  }
  const selAll = facts.selAll;
  const matched = rows * selAll;
  const needsSort = facts.required.length > 0;
  if (!index.valid) return unusableUse(index, rows, 'index is INVALID (a failed concurrent build): the planner ignores it');
  if (!partialUsable(index, access)) {
    return unusableUse(index, rows, `partial index: the WHERE clause does not imply "${index.predicateText ?? 'its predicate'}"`);
  }
  const predicateSel = index.predicate ? combinedSelectivity(ctx, index.predicate) : 1;

  if (index.method === 'gin' || index.method === 'gist') return evaluateTextIndex(index, access, ctx, unusableUse(index, rows, ''), needsSort, matched);
  if (index.method === 'hash') {
    const k = index.keys[0] && keyName(index.keys[0]);
    const eq = access.predicates.find((p) => p.atom.kind === 'compare' && p.atom.op === '=' && p.atom.column === k);
    if (!eq) return unusableUse(index, rows, `hash index: no equality on "${k}"`);
    const rowsRead = rows * combinedSelectivity(ctx, [eq.atom]);
    const costs = costsOf(ctx);
    const cost = indexPartCost(rowsRead, entriesPerPage(index, ctx), 1, costs) + bitmapHeapCost(rowsRead, pagesOf(ctx), costs) + (needsSort ? sortCost(matched, undefined, costs) : 0);
    return { ...unusableUse(index, rows, `equality on "${k}"`), usable: true, equalityColumns: [k!], conditions: [eq.atom], rowsRead, cost };
  }
  if (index.method === 'brin') return evaluateBrin(index, access, ctx, needsSort, matched);
  if (index.method !== 'btree') return unusableUse(index, rows, `${index.method} indexes are not modelled`);

  const km = matchKeys(index, access, facts.eq, ctx.schema.collation, facts.range);
  const order = orderMatch(index, access, facts.constant, facts.required);
  const indexOnly = coversColumns(index, access);
  const limit = limitRows(access);
  const pages = pagesOf(ctx);
  const sortAvoided = needsSort && order.sorted;
  let conditions = km.conditions;
  let whole: 'full' | 'skip' | undefined;
  if (conditions.length === 0) {
    // No condition on the leading key: a condition on a later key still narrows the scan — a skip scan
    // from PostgreSQL 18, before that a scan of the whole index with the condition checked on each entry.
    const later = laterKeyConditions(index, access, facts, ctx.schema.collation);
    if (later?.conditions.length) {
      conditions = later.conditions;
      whole = ctx.serverVersion !== undefined && ctx.serverVersion >= 18 && later.skipped === 1 ? 'skip' : 'full';
    }
  }
  // Most indexes of a table have nothing to offer a given query: no condition on any key, no partial
  // predicate, no order, not every column the query reads. They are unusable whatever the costs (see
  // `usable` below): skip the costing.
  if (conditions.length === 0 && !index.predicate && !sortAvoided && !indexOnly) {
    return unusableUse(index, rows, noLeadingCondition(index), sortAvoided, order.backward, indexOnly);
  }
  // An index holding every column read can be read whole instead of the table (an Index Only Scan) for
  // nothing but its width: it pays when the index is much narrower than the table's rows.
  const wholeIndexOnly = conditions.length === 0 && indexOnly && !index.predicate && !sortAvoided;
  const predicate = index.predicate ?? [];
  const condSel = combinedSelectivity(ctx, [...conditions, ...predicate]);
  // Conditions on other key columns are checked on the index entries, before any heap visit.
  const inConditions = new Set(conditions);
  const checked: PredicateAtom[] = [];
  for (const k of index.keys) {
    for (const a of atomsOnKey(facts.eq, k) ?? []) if (!inConditions.has(a)) checked.push(a);
    for (const a of rangeAtomsOnKey(facts.range, access, k, ctx.schema.collation) ?? []) if (!inConditions.has(a)) checked.push(a);
  }
  // Entries the scan reads (all of them for a whole-index scan) and heap rows it fetches, if run to the end.
  const entries = rows * (whole === 'full' ? combinedSelectivity(ctx, predicate) : condSel);
  const heapRows = rows * combinedSelectivity(ctx, [...conditions, ...checked, ...predicate]);
  // With a LIMIT and the rows in the order wanted (or no order wanted) the scan stops early: the planner
  // costs the whole scan and takes the LIMIT's share of it (a Limit node over the path).
  const stopsEarly = (sortAvoided || !needsSort) && limit !== undefined;
  const share = stopsEarly ? limitShare(access, rows * selAll) : 1;
  const skipped = whole === 'skip' ? (distinctValues(ctx, keyName(index.keys[0])) ?? 200) : 0;
  const perPage = entriesPerPage(index, ctx);
  const costs = costsOf(ctx);
  const indexCost = skipped * costs.randomPage + indexPartCost(entries, perPage, conditions.length, costs);
  const lead = index.keys[0] ? keyName(index.keys[0]) : undefined;
  // btcostestimate(): the first key's correlation, discounted by a quarter for a multi-column index.
  const correlation = ((lead && ctx.table.columns.get(lead)?.stats?.correlation) || 0) * (index.keys.length > 1 ? 0.75 : 1);
  const sortLeft = (r: number) => (needsSort ? sortCost(Math.min(matched, r), limit, costs) : 0);
  // The planner's cheaper of an ordered (plain) index scan and a bitmap scan (+ sort); an index-only scan reads no heap.
  let cost: number;
  let rowsRead: number;
  let sortKept = sortAvoided;
  let bitmap = false;
  let inParallel = 0;
  // The rows the index returns go through the filters it did not apply.
  const filterCost = heapRows * costs.cpuOperator * qualOperators(facts.atoms.filter((a) => !inConditions.has(a) && !checked.includes(a)));
  if (indexOnly) {
    // cost_index(): the heap pages of the rows returned that are not all-visible, and cpu_tuple_cost for each row.
    const heapPages = (1 - allVisibleFraction(ctx)) * (orderedHeapCost(heapRows, pages, rows, correlation, costs) - heapRows * costs.cpuTuple);
    cost = (indexCost + heapPages + heapRows * costs.cpuTuple + filterCost) * share + (sortAvoided ? 0 : sortLeft(entries));
    rowsRead = entries * share;
    // Read whole for an aggregate, the index can be read in parallel too (a Parallel Index Only Scan under a Partial Aggregate).
    const parallel = wholeIndexOnly && !needsSort && share === 1 ? parallelWholeIndexRead(access, ctx, Math.ceil(entries / perPage), indexCost + heapPages, heapRows * costs.cpuTuple + filterCost, heapRows) : undefined;
    if (parallel && parallel.cost * FUZZ < cost) {
      cost = parallel.cost;
      inParallel = parallel.workers;
    }
  } else {
    const ordered = (indexCost + orderedHeapCost(heapRows, pages, rows, correlation, costs) + filterCost) * share + (sortAvoided ? 0 : sortLeft(heapRows));
    // A bitmap heap scan checks every condition again on each row it fetches, the index's too (cost_bitmap_heap_scan()
    // charges all the restriction quals: the bitmap may be lossy). It returns rows in physical order: a sort follows
    // (over all of them), or, without an ORDER BY, a LIMIT cuts its heap part short.
    const recheckCost = heapRows * costs.cpuOperator * qualOperators(facts.atoms);
    const heapCost = bitmapHeapCost(heapRows, pages, costs);
    let viaBitmap = needsSort ? indexCost + heapCost + recheckCost + sortLeft(heapRows) : indexCost + (heapCost + recheckCost) * share;
    // A Parallel Bitmap Heap Scan: the leader builds the bitmap, the processes share the heap pages' rows (its workers by
    // the pages it fetches); its I/O is paid once in all (cost_bitmap_heap_scan() divides the CPU alone).
    let bitmapWorkers = 0;
    if (!needsSort && share === 1 && ctx.parallel && mayScanInParallel(access)) {
      const rowCpu = heapRows * costs.cpuTuple + recheckCost;
      const workers = parallelWorkers(pagesFetched(heapRows, pages), ctx.parallel, ctx.table.parallelWorkers);
      const parallel = gathered(access, ctx, workers, indexCost + heapCost - heapRows * costs.cpuTuple, rowCpu, matched);
      if (parallel && parallel.cost * FUZZ < viaBitmap) {
        viaBitmap = parallel.cost;
        bitmapWorkers = parallel.workers;
      }
    }
    // Within the planner's fuzz (1%) the path that keeps the order wins.
    if (viaBitmap * (sortAvoided ? FUZZ : 1) < ordered) {
      cost = viaBitmap;
      bitmap = true;
      inParallel = bitmapWorkers;
      sortKept = false;
      rowsRead = needsSort ? heapRows : heapRows * share;
    } else {
      cost = ordered;
      rowsRead = heapRows * share;
    }
  }
  // Without an index condition an index is worth considering only when its order saves the sort
  // (or feeds a LIMIT), its partial predicate narrows the rows, or it is cheaper than reading the table.
  const usable =
    (km.conditions.length > 0 && !whole) ||
    (sortAvoided && limit !== undefined) ||
    (!!index.predicate && predicateSel < 1) ||
    ((whole !== undefined || sortKept || wholeIndexOnly) && cost < facts.seqBar);
  if (!usable) {
    const why = whole
      ? `only a later key is constrained: ${whole === 'skip' ? 'a skip scan' : 'a scan of the whole index'} costs more than reading the table`
      : needsSort && order.sorted
        ? 'it gives the ORDER BY but without a LIMIT a full index scan does not pay'
        : noLeadingCondition(index);
    return unusableUse(index, rows, why, sortAvoided, order.backward, indexOnly);
  }
  const parts: string[] = [];
  if (km.equalityColumns.length) parts.push(`equality on ${km.equalityColumns.map((c) => `"${c}"`).join(', ')}`);
  if (km.rangeColumn) parts.push(`range on "${km.rangeColumn}"`);
  if (whole === 'skip') parts.push(`skip scan over ~${fmt(skipped)} values of "${lead}"`);
  if (whole === 'full') parts.push(`scans the whole index, checking ${conditions.map((c) => `"${atomColumns(c)[0]}"`).join(', ')} on each entry`);
  if (conditions.length === 0 && index.predicate) parts.push('scans the partial index whole');
  if (conditions.length === 0 && sortKept && limit !== undefined) parts.push('reads in ORDER BY order until the LIMIT');
  if (conditions.length === 0 && sortKept && limit === undefined && !index.predicate) parts.push(indexOnly ? 'reads the whole index in ORDER BY order' : 'reads the whole table in index order (the column follows the physical order)');
  if (wholeIndexOnly) parts.push(`reads the whole index instead of the table: it holds every column the query reads, in ~${fmt(Math.ceil(entries / perPage))} pages`);
  if (needsSort) parts.push(sortKept ? (order.backward ? 'delivers the ORDER BY (backward scan)' : 'delivers the ORDER BY') : sortAvoided && bitmap ? `could deliver the ORDER BY, but a bitmap scan and a sort of ~${fmt(rowsRead)} rows cost less` : 'needs a separate sort');
  if (indexOnly) {
    const visible = allVisibleFraction(ctx);
    parts.push(visible < 0.9 ? `index-only, though ~${pct(1 - visible)} of the table's pages are not all-visible (written since the last VACUUM): the heap is read for those` : 'index-only');
  }
  if (inParallel) parts.push(parallelNote(inParallel));
  return {
    index,
    usable,
    equalityColumns: km.equalityColumns,
    rangeColumn: km.rangeColumn,
    conditions,
    sortAvoided: sortKept,
    canOrder: sortAvoided,
    backward: order.backward,
    indexOnly,
    rowsRead,
    cost,
    reason: parts.join('; '),
    ...(wholeIndexOnly ? { wholeIndex: true } : {}),
    ...(inParallel ? { parallelWorkers: inParallel } : {}),
  };
}

/** Conditions on key columns after unconstrained leading ones (equality, or a range on the first constrained key), and how many leading keys are skipped; undefined when the first key has one or none has. */
function laterKeyConditions(index: IndexDef, access: TableAccess, facts: AccessFacts, collation?: string): { skipped: number; conditions: PredicateAtom[] } | undefined {
  if (index.method !== 'btree') return undefined;
  let i = 0;
  while (i < index.keys.length && !atomsOnKey(facts.eq, index.keys[i]) && !rangeAtomsOnKey(facts.range, access, index.keys[i], collation)) i++;
  if (i === 0 || i === index.keys.length) return undefined;
  const rest: IndexDef = { ...index, keys: index.keys.slice(i) };
  return { skipped: i, conditions: matchKeys(rest, access, facts.eq, collation, facts.range).conditions };
}

function evaluateTextIndex(index: IndexDef, access: TableAccess, ctx: SelectivityContext, base: IndexUse, needsSort: boolean, matched: number): IndexUse {
  const keys = index.keys.map(keyName);
  const normKeys = keys.map(normalizeExprText);
  const onKey = (column: string) => normKeys.includes(normalizeExprText(column));
  const trigram = index.keys.some((k) => /trgm/.test(k.opclass ?? ''));
  // What each jsonb or array key of a GIN index serves, by its operator class: a column by name, a jsonb value taken
  // from one (`(meta -> 'tags')`) by its normalized expression text.
  const served = new Map<string, ReadonlySet<ContainOp>>();
  if (index.method === 'gin') {
    for (const k of index.keys) {
      if (k.column) {
        const kind = ginValueKind(ctx.table.columns.get(k.column));
        if (kind) served.set(k.column, ginServes(kind, k.opclass));
      } else if (k.expression && isJsonbPath(k.expression)) served.set(normalizeExprText(k.expression), ginServes('jsonb', k.opclass));
    }
  }
  const servedFor = (c: NonNullable<Extract<PredicateAtom, { kind: 'other' }>['contains']>) => served.get(c.path ? normalizeExprText(c.column) : c.column);
  const conditions = [];
  let unsearchable = false;
  for (const { atom } of access.predicates) {
    if (atom.kind === 'other' && atom.contains && servedFor(atom.contains)?.has(atom.contains.op)) conditions.push(atom);
    else if (atom.kind === 'fulltext' && onKey(atom.column)) conditions.push(atom);
    else if (trigram && atom.kind === 'like' && onKey(atom.column)) {
      if (trigramSearchable(atom.pattern)) conditions.push(atom);
      else unsearchable = true;
    } else if (trigram && atom.kind === 'other' && atom.anyLike?.every((l) => onKey(l.column) && trigramSearchable(l.pattern))) conditions.push(atom);
  }
  if (conditions.length === 0) {
    if (unsearchable) return { ...base, reason: 'the pattern has no three characters in a row: no trigram to search, the index would be read whole' };
    if (served.size) return { ...base, reason: `no ${[...served].map(([c, ops]) => `${[...ops].join(', ')} on "${c}"`).join('; ')}` };
    return { ...base, reason: trigram ? 'no LIKE/ILIKE on its columns' : `no full-text match (@@) on ${keys.map((k) => `"${k}"`).join(', ')}` };
  }
  const contains = conditions.filter((a) => a.kind === 'other' && a.contains);
  // Containment tests each match their share of rows (the bitmaps of several are AND-ed); a text match its default share.
  const rowsRead = ctx.rows * (contains.length === conditions.length ? combinedSelectivity(ctx, conditions) : DEFAULT_MATCH_SEL);
  const reason = contains.length
    ? `GIN search for ${[...new Set(contains.map((a) => (a.kind === 'other' && a.contains ? `${a.contains.op} on "${a.contains.column}"` : '')))].join(', ')}`
    : trigram
      ? 'trigram match for LIKE/ILIKE'
      : 'full-text match (@@)';
  return {
    ...base,
    usable: true,
    conditions,
    rowsRead,
    cost: textIndexCost(rowsRead, ctx) + (needsSort ? sortCost(Math.min(matched, rowsRead), undefined, costsOf(ctx)) : 0),
    reason,
  };
}

/** A GIN/GiST search: a few pages of the index per term, then a bitmap heap scan. */
function textIndexCost(rowsRead: number, ctx: SelectivityContext): number {
  const costs = costsOf(ctx);
  return 2 * costs.randomPage + indexPartCost(rowsRead, INDEX_PAGE_BYTES / 16, 1, costs) + bitmapHeapCost(rowsRead, pagesOf(ctx), costs);
}

/** pg_trgm extracts no trigram from a pattern without three literal characters in a row (`%an%`). A parameter: assume it has some. */
function trigramSearchable(pattern: Literal): boolean {
  if (pattern.kind !== 'string') return true;
  return pattern.value.split(/(?<!\\)[%_]/).some((run) => run.replace(/\\(.)/g, '$1').length >= 3);
}

/** Indexes that could serve an OR of LIKE tests together (a BitmapOr of one index per column). */
function bitmapOrCovered(access: TableAccess, uses: IndexUse[]): boolean {
  for (const { atom } of access.predicates) {
    if (atom.kind !== 'other' || !atom.anyLike) continue;
    const served = atom.anyLike.every((l) =>
      uses.some((u) => (u.index.method === 'gin' || u.index.method === 'gist') && u.index.keys.some((k) => keyName(k) === l.column && /trgm/.test(k.opclass ?? ''))),
    );
    if (served) return true;
  }
  return false;
}

/**
 * An OR of one test per branch (`a = 1 OR b > 2`, `anyOf`) served by a BitmapOr: for each branch the
 * B-tree whose scan of that branch costs least, their bitmaps OR-ed, then one bitmap heap scan of the rows
 * any branch matches (and a sort, when there is an ORDER BY). Each index taking part becomes usable with
 * the whole plan's cost, unless it is cheaper on its own. Nothing changes when a branch has no index.
 */
/** ORs of one table's conditions looked at as BitmapOrs at most (see bitmapOrOfBranches). */
const MAX_OR_CONDITIONS = 16;

function bitmapOrOfBranches(access: TableAccess, candidates: IndexUse[], ctx: SelectivityContext, facts: AccessFacts): void {
  // Each OR is costed with all the other conditions: thousands of ORs (generated SQL) would take minutes. The first
  // MAX_OR_CONDITIONS are looked at as BitmapOrs; the others stay filters.
  const ors = access.predicates.filter((p) => p.atom.kind === 'other' && p.atom.anyOf).slice(0, MAX_OR_CONDITIONS);
  for (const p of ors) {
    const or = p.atom;
    if (or.kind !== 'other' || !or.anyOf) continue;
    const others = access.predicates.filter((q) => q !== p);
    const picks: { use: IndexUse; branch: PredicateAtom; scan: number; sel: number }[] = [];
    const unserved: PredicateAtom[] = [];
    for (const branch of or.anyOf) {
      // The branch as if it were the OR: PostgreSQL matches (and proves partial predicates) per branch, with the other conjuncts.
      const alone: TableAccess = { ...access, predicates: [...others, { atom: branch, range: p.range }], orderBy: [], limit: undefined, offset: undefined };
      const aloneFacts = accessFacts(alone, ctx);
      let pick: (typeof picks)[number] | undefined;
      for (const c of candidates) {
        if (c.index.method !== 'btree') continue;
        const use = evaluateWith(c.index, alone, ctx, aloneFacts);
        if (!use.usable || !use.conditions.includes(branch)) continue;
        const sel = combinedSelectivity(ctx, [...use.conditions, ...(c.index.predicate ?? [])]);
        // A condition on a later key only (no equality or range on a leading one) is checked on every entry: the whole index is read.
        const whole = use.equalityColumns.length === 0 && use.rangeColumn === undefined;
        const scan = indexPartCost(ctx.rows * (whole ? combinedSelectivity(ctx, c.index.predicate ?? []) : sel), entriesPerPage(c.index, ctx), 1, costsOf(ctx));
        if (!pick || scan < pick.scan) pick = { use: c, branch, scan, sel };
      }
      if (pick) picks.push(pick);
      else unserved.push(branch);
    }
    if (unserved.length > 0) {
      // Say why an index that serves a branch is not used: the OR's other branches have none.
      const missing = unserved.flatMap(atomColumns).map((c) => `"${c}"`).join(', ');
      for (const { use, branch } of picks) {
        if (use.usable) continue;
        const served = atomColumns(branch).map((c) => `"${c}"`).join(', ');
        const at = candidates.indexOf(use);
        if (at >= 0) candidates[at] = { ...use, wholeIndex: undefined, servesOrBranch: true, reason: `serves the OR's branch on ${served}, but no index serves its branch on ${missing} (a BitmapOr needs one for each branch)` };
      }
      continue;
    }
    if (picks.length === 0) continue;
    const heapRows = ctx.rows * Math.min(1, 1 - picks.reduce((keep, x) => keep * (1 - x.sel), 1));
    const needsSort = facts.required.length > 0;
    const matched = ctx.rows * facts.selAll;
    const costs = costsOf(ctx);
    const filterCost = heapRows * costs.cpuOperator * qualOperators(facts.atoms);
    const cost = picks.reduce((s, x) => s + x.scan, 0) + bitmapHeapCost(heapRows, pagesOf(ctx), costs) + filterCost + (needsSort ? sortCost(matched, limitRows(access), costs) : 0);
    const names = picks.map((x) => `"${x.use.index.name}" for ${atomColumns(x.branch).map((c) => `"${c}"`).join(', ')}`);
    for (const use of new Set(picks.map((x) => x.use))) {
      if (use.usable && use.cost <= cost) continue;
      candidates[candidates.indexOf(use)] = {
        ...use,
        wholeIndex: undefined,
        usable: true,
        conditions: [or],
        equalityColumns: [],
        rangeColumn: undefined,
        sortAvoided: false,
        canOrder: false,
        backward: false,
        indexOnly: false,
        rowsRead: heapRows,
        cost,
        reason: `BitmapOr of ${[...new Set(names)].join(' and ')}${needsSort ? '; needs a separate sort' : ''}`,
      };
    }
  }
}

export function analyzeAccess(access: TableAccess, schema: SchemaModel, opts: MatcherOptions, extra: IndexDef[] = []): AccessVerdict {
  const table = schema.tables.get(access.table);
  const { rows, assumed } = rowsOf(access.table, opts);
  const needsSort = requiredOrder(access).length > 0;
  if (!table) {
    return {
      access,
      rows,
      rowsAssumed: assumed,
      matchedRows: rows,
      candidates: [],
      needsSort,
      sortAvoided: needsSort ? false : null,
      seqScanCost: seqScanCostOf(rows, rows / ROWS_PER_PAGE),
      reason: `table "${access.table}" is not in the schema`,
    };
  }
  const ctx = selectivityContext(schema, table, opts);
  const facts = accessFacts(access, ctx);
  const selAll = facts.selAll;
  const matched = rows * selAll;
  const limit = limitRows(access);
  const seqScanCost = facts.seqCost;
  const candidates = [...table.indexes, ...extra].map((i) => evaluateWith(i, access, ctx, facts));
  // Trigram indexes on each OR-ed column combine through a BitmapOr.
  if (bitmapOrCovered(access, candidates)) {
    for (const u of candidates) {
      if ((u.index.method === 'gin' || u.index.method === 'gist') && !u.usable && u.index.keys.some((k) => /trgm/.test(k.opclass ?? ''))) {
        u.usable = true;
        u.rowsRead = rows * DEFAULT_MATCH_SEL;
        u.cost = textIndexCost(u.rowsRead, ctx);
        u.reason = 'trigram match, combined with the other columns\u2019 indexes in a BitmapOr';
      }
    }
  }
  if (access.predicates.some((p) => p.atom.kind === 'other' && p.atom.anyOf)) bitmapOrOfBranches(access, candidates, ctx, facts);
  const usable = candidates.filter((c) => c.usable).sort((a, b) => a.cost - b.cost || Number(b.sortAvoided) - Number(a.sortAvoided) || a.index.keys.length - b.index.keys.length);
  // Under the sequential scan's bar (seqBar: the serial scan's within SEQ_SCAN_MARGIN, a coin flip left to the table; a parallel scan's own cost).
  const best = usable[0] && usable[0].cost < facts.seqBar ? usable[0] : undefined;
  const sortAvoided = needsSort ? !!best?.sortAvoided : null;
  let reason: string;
  if (best) reason = `uses "${best.index.name}": ${best.reason}`;
  else if (usable.length) reason = seqScanReason(usable[0], rows, selAll);
  else if (filterAtoms(access).length === 0 && !needsSort) reason = `reads the whole table (no filter)`;
  else reason = `no index can serve ${describeNeeds(access)}: sequential scan of ~${fmt(rows)} rows${needsSort ? ' and a sort' : ''}`;
  if (!best && facts.seqWorkers) reason += ` (${parallelNote(facts.seqWorkers)})`;
  else if (!best && facts.serialBecause) reason += ` (not in parallel: ${facts.serialBecause})`;
  return { access, table, rows, rowsAssumed: assumed, matchedRows: matched, best, candidates, needsSort, sortAvoided, seqScanCost, ...(!best && facts.seqWorkers ? { parallelWorkers: facts.seqWorkers } : {}), reason };
}

/**
 * Why the table is read whole although an index could serve the access: the filters keep a large share
 * of it, or the cheapest usable index matches far more rows than they keep (it serves only part of them).
 */
function seqScanReason(u: IndexUse, rows: number, selAll: number): string {
  const share = rows > 0 ? u.rowsRead / rows : 0;
  if (share > 2 * selAll) return `sequential scan: the filters keep ~${pct(selAll)} of ${fmt(rows)} rows, but "${u.index.name}" serves only part of them and would read ~${pct(share)}, so reading the table is cheaper`;
  return `sequential scan: the filters keep ~${pct(selAll)} of ${fmt(rows)} rows, so reading the table is cheaper than "${u.index.name}"`;
}

/** An ORDER BY item as written: `"a" DESC NULLS LAST` (NULLS only when it is not the direction's default). */
function orderItemText(o: OrderItem): string {
  const nulls = o.nullsFirst === undefined || o.nullsFirst === o.desc ? '' : o.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
  return `"${o.column}"${o.desc ? ' DESC' : ''}${nulls}`;
}

function describeNeeds(access: TableAccess): string {
  const cols = [...new Set(access.predicates.flatMap((p) => (p.atom.kind === 'other' ? [] : [p.atom.column])))];
  const parts: string[] = [];
  const ors = access.predicates.flatMap((p) => (p.atom.kind === 'other' && p.atom.anyOf ? [[...new Set(p.atom.anyOf.flatMap(atomColumns))]] : []));
  if (cols.length) parts.push(`the filter on ${cols.map((c) => `"${c}"`).join(', ')}`);
  else if (ors.length) parts.push(ors.map((c) => `the OR on ${c.map((x) => `"${x}"`).join(', ')} (a BitmapOr needs an index for each branch)`).join(' or '));
  else if (access.predicates.length) parts.push('its filter as written');
  if (access.joinedFrom && access.joinKeys.length) parts.push(`the join on ${access.joinKeys.map((j) => `"${j.column}"`).join(', ')}`);
  if (requiredOrder(access).length) parts.push(`the ORDER BY ${requiredOrder(access).map(orderItemText).join(', ')}`);
  return parts.join(' or ') || 'this access';
}

export function pct(x: number): string {
  const p = x * 100;
  return p >= 10 ? `${Math.round(p)}%` : p >= 0.1 ? `${p.toFixed(1)}%` : `${p.toPrecision(1)}%`;
}

export function fmt(n: number): string {
  if (n > 0 && n < 1) return 'under 1';
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return String(Math.round(n));
}
