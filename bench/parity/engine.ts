/**
 * One parity case, run: the tool's verdict (the analysis core on the live schema and statistics,
 * exactly what `check --database` and the hover use) next to the planner's EXPLAIN, on the same index
 * set. Every case runs in a transaction that is rolled back, so its CREATE/DROP INDEX (and the indexes
 * built to test a missing-index proposal) never leak into the next case.
 *
 * What is compared, per table the tool analyses (matched to the plan's scans by alias, else by name):
 * - `index`: the index the tool says the planner uses (or a sequential scan) vs the plan's scans of the
 *   table (a Bitmap Heap Scan counts with every index under it: the tool agrees when its index is one
 *   of them);
 * - `index-only`: when both name the same index, index-only or not;
 * - `sort` (per statement with a top-level ORDER BY): whether an explicit Sort / Incremental Sort of
 *   the ORDER BY remains;
 * - `missing-index`: when the tool proposes an index, it is built for real and the plan must use it
 *   with a gain (the statement's estimated cost at least 1.2× lower — the tool's own MIN_GAIN); when
 *   the tool leaves a table it reads sequentially without a proposal, the index it would have drafted
 *   (or the case's `candidate`) is built and the plan must NOT gain from it that way.
 */
import { explainedTable, explainShape, type ExplainedTable } from '../../src/core/analysis/explainShape';
import { verdictsFor } from '../../src/core/analysis/verdicts';
import type { Queryable, Session } from '../../src/core/db/connection';
import { explainJson } from '../../src/core/db/genericPlan';
import { liveMatcherOptions, loadLiveSchema, overlayLiveSchema, type LiveSchema } from '../../src/core/db/liveSchema';
import { summarizePlan, type PlanNode } from '../../src/core/db/planSummary';
import { classifyStatement } from '../../src/core/db/readOnlyCheck';
import { selectivityContext } from '../../src/core/matcher/analyzeAccess';
import type { MatcherOptions } from '../../src/core/matcher/options';
import { draftAsIndex, draftIndex, finishDraft } from '../../src/core/matcher/propose';
import type { AccessVerdict } from '../../src/core/matcher/types';
import { LineIndex } from '../../src/core/model/location';
import type { SchemaModel } from '../../src/core/model/schema';
import { shapesFromSqlText } from '../../src/core/shapes/fromSql';
import { extractFromTypeScript } from '../../src/core/sources/typescript/extract';
import { parseStatement } from '../../src/core/sql/parser';

export type Category =
  | 'subquery'
  | 'leading-equality'
  | 'range-after-equality'
  | 'order-forward'
  | 'order-backward'
  | 'order-mixed'
  | 'order-nulls'
  | 'partial-implied'
  | 'partial-not-implied'
  | 'semi-join'
  | 'index-only'
  | 'in-list'
  | 'is-null'
  | 'like-prefix'
  | 'ilike-trigram'
  | 'or-bitmap'
  | 'full-text'
  | 'gin-jsonb'
  | 'brin'
  | 'selectivity'
  | 'join'
  | 'outer-join'
  | 'limit'
  | 'skip-scan'
  | 'parallel'
  | 'sample-sql'
  | 'prisma';

export interface ParityCase {
  id: string;
  category: Category;
  /** What the case checks. */
  note: string;
  /**
   * The SQL given to EXPLAIN. For a Prisma case: the SQL Prisma sends for the call, written by hand —
   * one statement per query Prisma runs (an `include` is a second query), matched to the tool's
   * accesses by table.
   */
  sql: string | string[];
  /** A Prisma call (TypeScript): the tool analyses this instead of `sql`. */
  prisma?: string;
  /** Where the query comes from in the sample. */
  source?: string;
  /** Index set changes for this case: statements run first (CREATE INDEX …), index names dropped. */
  create?: string[];
  drop?: string[];
  /** For the missing-index check when the tool proposes nothing for that table: an index the planner should ignore. */
  candidate?: string;
  /** Tables (alias or name) to compare; default every table the tool analyses. */
  only?: string[];
  /** Not run on this engine (e.g. needs a newer server). */
  skip?: (version: number) => string | undefined;
}

export type Dimension = 'index' | 'index-only' | 'sort' | 'missing-index' | 'parallel';

export interface Check {
  dimension: Dimension;
  table?: string;
  tool: string;
  planner: string;
  agree: boolean;
  /**
   * `index` disagreements: estimated cost of the statement with the tool's access path forced (planner
   * settings / other indexes dropped, in a savepoint) ÷ the planner's own cost. Near 1: a coin flip the
   * planner's cost model settles by a few percent; large: the tool's choice is clearly worse.
   */
  forcedCostRatio?: number;
  /**
   * `index` only: the planner chose another index that the tool rates the same way (same equality and
   * range columns, same order) — e.g. `(userId)` vs the unique `(userId, courseId)` for `userId = $1`:
   * a tie between redundant indexes, counted as agreement.
   */
  equivalent?: boolean;
}

export interface PlannerScan {
  relation: string;
  alias?: string;
  /** `seq`, or the scan node type. */
  node: string;
  /** A parallel scan (under a Gather). */
  parallel?: boolean;
  indexes: string[];
  indexCond?: string;
}

export interface CaseResult {
  id: string;
  category: Category;
  note: string;
  source?: string;
  sql: string[];
  prisma?: string;
  indexSet: { create: string[]; drop: string[] };
  tool: (Pick<ExplainedTable, 'table' | 'alias' | 'index' | 'sortAvoided' | 'indexOnly' | 'parallelWorkers' | 'reason' | 'rows' | 'limit'> & { rowsRead: number | null; orderBy: string[] })[];
  proposals: { table: string; sql: string; severity: string; why: string }[];
  planner: { scans: PlannerScan[]; sort: boolean; plan: string }[];
  checks: Check[];
  agree: boolean;
  /**
   * Scans of a B-tree whose leading column is not in the Index Cond: a skip scan on PostgreSQL 18, a
   * full scan of the (smaller) index with a non-leading condition before.
   */
  skipScans: string[];
  error?: string;
  skipped?: string;
  ms: number;
}

export interface EngineContext {
  session: Session;
  /** The workspace's own schema (for Prisma mappings and locations, as `check --database` overlays). */
  workspace: SchemaModel;
  /** Matcher options from the workspace config (rows are replaced by the live reltuples). */
  options: MatcherOptions;
  version: number;
  /** Build and test the missing-index proposals (and drafts) for real. */
  missingIndexChecks: boolean;
}

/** Every table scan in the plan: relation, alias, node, indexes (a bitmap heap scan with its index scans). */
export function plannerScans(root: PlanNode): PlannerScan[] {
  const out: PlannerScan[] = [];
  const bitmapIndexes = (n: PlanNode): { names: string[]; cond: string[] } => {
    if (n.nodeType === 'Bitmap Index Scan') return { names: n.index ? [n.index] : [], cond: n.indexCond ? [n.indexCond] : [] };
    const parts = n.children.map(bitmapIndexes);
    return { names: parts.flatMap((p) => p.names), cond: parts.flatMap((p) => p.cond) };
  };
  const visit = (n: PlanNode): void => {
    if (n.nodeType === 'Bitmap Heap Scan' && n.relation) {
      const b = bitmapIndexes(n);
      out.push({ relation: n.relation, alias: n.alias, node: n.nodeType, ...(n.parallelAware ? { parallel: true } : {}), indexes: b.names, indexCond: b.cond.join(' / ') });
      return;
    }
    if (n.relation && /Scan$/.test(n.nodeType) && n.nodeType !== 'Bitmap Index Scan') {
      out.push({ relation: n.relation, alias: n.alias, node: n.nodeType === 'Seq Scan' ? 'seq' : n.nodeType, ...(n.parallelAware ? { parallel: true } : {}), indexes: n.index ? [n.index] : [], indexCond: n.indexCond });
    }
    for (const c of n.children) visit(c);
  };
  visit(root);
  return out;
}

/** Sort / Incremental Sort nodes, outside sub-plans, whose first key mentions `column` (any sort when undefined). */
export function hasSortOn(root: PlanNode, column: string | undefined): boolean {
  let found = false;
  const visit = (n: PlanNode, inSubplan: boolean): void => {
    const sub = inSubplan || n.parentRelationship === 'SubPlan' || n.parentRelationship === 'InitPlan';
    if (!sub && (n.nodeType === 'Sort' || n.nodeType === 'Incremental Sort')) {
      const key = (n.sortKey?.[0] ?? '').replace(/"/g, '');
      if (column === undefined || new RegExp(`(^|[^A-Za-z0-9_])${column.replace(/[^A-Za-z0-9_]/g, '')}([^A-Za-z0-9_]|$)`).test(key)) found = true;
    }
    for (const c of n.children) visit(c, sub);
  };
  visit(root, false);
  return found;
}

/** The first ORDER BY item of the statement's top level: a column name, `expr` for anything else, undefined for none. */
export function topOrderBy(sql: string): { first: string | undefined; has: boolean } {
  const ast = parseStatement(sql);
  const type = ast && Object.keys(ast)[0];
  const body = type ? ast![type] : undefined;
  const sort = body?.sortClause as Record<string, any>[] | undefined;
  if (!sort?.length) return { first: undefined, has: false };
  const node = sort[0].SortBy?.node;
  const fields = node?.ColumnRef?.fields as Record<string, any>[] | undefined;
  const last = fields?.[fields.length - 1]?.String?.sval;
  return { first: typeof last === 'string' ? last : undefined, has: true };
}

function fmtScan(s: PlannerScan): string {
  return s.node === 'seq' ? 'seq scan' : `${s.node} ${s.indexes.join('+')}`;
}

function matchScans(scans: PlannerScan[], table: string, alias: string | null): PlannerScan[] {
  const byAlias = alias ? scans.filter((s) => s.relation === table && s.alias === alias) : [];
  return byAlias.length ? byAlias : scans.filter((s) => s.relation === table);
}

async function plan(q: Queryable, sql: string, version: number): Promise<PlanNode> {
  const cls = classifyStatement(sql);
  const raw = await explainJson(q, { sql: cls.sql, params: cls.params, version });
  return summarizePlan(raw.json).root;
}

/** The live schema as the tool sees it with `--database`: overlaid on the workspace, rows from reltuples. */
export function toolInputs(live: LiveSchema, ctx: Pick<EngineContext, 'workspace' | 'options'>): { schema: SchemaModel; options: MatcherOptions } {
  return { schema: overlayLiveSchema(live, ctx.workspace), options: liveMatcherOptions(live, ctx.options) };
}

interface ToolAccess {
  table: ExplainedTable;
  verdict?: AccessVerdict;
}

/** The tool's verdicts: SQL through explainShape (the CLI's `explain-shape`), Prisma through the TypeScript extractor. */
function toolVerdicts(c: ParityCase, schema: SchemaModel, options: MatcherOptions): ToolAccess[] {
  if (c.prisma) {
    const file = `${process.cwd()}/examples/lms/src/parity-case.ts`;
    const text = `import { prisma } from '@/lib/db'\nexport async function parityCase(${PRISMA_ARGS}) {\n  return ${c.prisma}\n}\n`;
    const { shapes, problems } = extractFromTypeScript(text, file, schema);
    if (!shapes.length) throw new Error(`the tool found no query in the Prisma call${problems.length ? `: ${problems[0].message}` : ''}`);
    const verdicts = verdictsFor(shapes, schema, options);
    const ctx = { schema, verdicts, options };
    // A foreign key's search per deleted row is no scan of the statement's plan: it is left out of the comparison.
    return verdicts.flatMap((sv) => sv.accesses.filter((v) => !v.access.foreignKeyCheck).map((v) => ({ verdict: v, table: explainedTable(v, ctx) })));
  }
  const sqls = Array.isArray(c.sql) ? c.sql : [c.sql];
  const out: ToolAccess[] = [];
  for (const sql of sqls) {
    const r = explainShape(sql, schema, options);
    if (r.problems.length && !r.statements.length) throw new Error(`the tool could not read the SQL: ${r.problems[0].message}`);
    // The verdicts themselves, for the drafts of the missing-index check.
    for (const st of r.statements) for (const t of st.tables) if (t.foreignKey === undefined) out.push({ table: t });
  }
  return out;
}

/** Parameter names a Prisma call in a case may use (all strings/numbers to the extractor: unknown values). */
const PRISMA_ARGS = 'userId: string, courseId: string, quizId: string, moduleId: string, progressId: string, lessonId: string, slug: string, sessionToken: string, email: string, role: any, difficulty: any, q: string, term: string, ids: string[], instructorId: string, providerTxnId: string, certificateNo: string, from: Date, to: Date, min: number, max: number, currentOrder: number, limit: number, cutoff: Date, type: any';

/** The index the tool would draft for an access (even when it does not propose it), as SQL. */
function draftSql(access: AccessVerdict, schema: SchemaModel, options: MatcherOptions): string | undefined {
  if (!access.table) return undefined;
  const sctx = selectivityContext(schema, access.table, options);
  const d = draftIndex(access.access, access.table, sctx);
  if (!d) return undefined;
  // Not when an existing index already has exactly these keys and predicate (nothing to learn).
  const same = access.table.indexes.some(
    (i) => JSON.stringify(i.keys.map((k) => [k.column, k.expression, k.desc])) === JSON.stringify(draftAsIndex(d, access.table!).keys.map((k) => [k.column, k.expression, k.desc])) && !i.predicate && !d.predicate.length,
  );
  if (same) return undefined;
  return finishDraft(d, access.table, schema).sql;
}

/** The gain a missing index must bring to count as used (the tool's own MIN_GAIN in rules/missingIndex.ts). */
export const MIN_GAIN = 1.2;

function fmtCost(c: number): string {
  return c >= 1e4 ? `${Math.round(c / 1e3)}k` : c.toFixed(0);
}

function runnable(sql: string): string {
  return sql.replace(/\bCONCURRENTLY\s+/i, '').replace(/;\s*$/, '');
}

function indexNameOf(sql: string): string | undefined {
  const m = /INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?("(?:[^"]|"")+"|\w+)/i.exec(sql);
  return m ? m[1].replace(/^"|"$/g, '').replace(/""/g, '"') : undefined;
}

/** The SQL statements of a case (one for SQL, one per Prisma query). */
function sqlsOf(c: ParityCase): string[] {
  return Array.isArray(c.sql) ? c.sql : [c.sql];
}

export async function runCase(c: ParityCase, ctx: EngineContext): Promise<CaseResult> {
  const started = Date.now();
  const result: CaseResult = {
    id: c.id,
    category: c.category,
    note: c.note,
    source: c.source,
    sql: sqlsOf(c),
    prisma: c.prisma,
    indexSet: { create: c.create ?? [], drop: c.drop ?? [] },
    tool: [],
    proposals: [],
    planner: [],
    checks: [],
    agree: false,
    skipScans: [],
    ms: 0,
  };
  const why = c.skip?.(ctx.version);
  if (why) return { ...result, skipped: why, ms: 0 };
  const s = ctx.session;
  await s.query('BEGIN');
  try {
    for (const name of c.drop ?? []) await s.query(`DROP INDEX "${name}"`);
    for (const sql of c.create ?? []) await s.query(runnable(sql));
    // Expression indexes get their own statistics from ANALYZE.
    for (const sql of c.create ?? []) {
      const t = /\bON\s+("(?:[^"]|"")+"|\w+)/i.exec(sql)?.[1];
      if (t && /\(\s*(lower|upper|to_tsvector|date_trunc|\(|coalesce)/i.test(sql.slice(sql.search(/\bON\b/i)))) await s.query(`ANALYZE ${t}`);
    }
    const live = await loadLiveSchema(s);
    const { schema, options } = toolInputs(live, ctx);
    const tool = toolVerdicts(c, schema, options);
    result.tool = tool.map((t) => ({
      table: t.table.table,
      alias: t.table.alias,
      index: t.table.index,
      sortAvoided: t.table.sortAvoided,
      indexOnly: t.table.indexOnly,
      ...(t.table.parallelWorkers ? { parallelWorkers: t.table.parallelWorkers } : {}),
      reason: t.table.reason,
      rows: t.table.rows,
      limit: t.table.limit,
      orderBy: t.table.orderBy,
      rowsRead: t.table.candidates.find((x) => x.index === t.table.index)?.rowsRead ?? null,
    }));
    result.proposals = tool.filter((t) => t.table.proposal).map((t) => ({ table: t.table.table, sql: t.table.proposal!.sql, severity: t.table.proposal!.severity, why: t.table.proposal!.why }));

    const sqls = sqlsOf(c);
    const plans: PlanNode[] = [];
    for (const sql of sqls) plans.push(await plan(s, sql, ctx.version));
    // Which statement a tool access belongs to: for Prisma, the statement that scans its table (in order).
    const stmtOf = (table: string, i: number): number => {
      if (sqls.length === 1) return 0;
      const candidates = plans.map((p, k) => (plannerScans(p).some((x) => x.relation === table) ? k : -1)).filter((k) => k >= 0);
      return candidates.length ? candidates[Math.min(i, candidates.length - 1)] : 0;
    };
    const seenPerTable = new Map<string, number>();
    const toolStmt = tool.map((t) => {
      const n = seenPerTable.get(t.table.table) ?? 0;
      seenPerTable.set(t.table.table, n + 1);
      return stmtOf(t.table.table, n);
    });
    sqls.forEach((sql, k) => {
      const order = topOrderBy(sql);
      result.planner.push({ scans: plannerScans(plans[k]), sort: order.has ? hasSortOn(plans[k], order.first) : false, plan: renderCompact(plans[k]) });
    });

    // Index and index-only, per table.
    tool.forEach((t, i) => {
      const name = t.table.alias ?? t.table.table;
      if (c.only && !c.only.includes(name) && !c.only.includes(t.table.table)) return;
      const scans = matchScans(result.planner[toolStmt[i]].scans, t.table.table, t.table.alias);
      if (!scans.length) return; // not in the plan (join removed, insert without a scan)
      const plannerIdx = new Set(scans.flatMap((x) => x.indexes));
      const plannerSeq = scans.some((x) => x.node === 'seq');
      let agree = t.table.index === null ? plannerSeq && plannerIdx.size === 0 : plannerIdx.has(t.table.index) && !plannerSeq;
      let equivalent = false;
      if (!agree && t.table.index !== null && !plannerSeq && plannerIdx.size === 1) {
        const mine = t.table.candidates.find((x) => x.index === t.table.index);
        const theirs = t.table.candidates.find((x) => x.index === [...plannerIdx][0]);
        const same = (a: typeof mine, b: typeof mine) =>
          !!a && !!b && b.usable && [...a.equality].sort().join() === [...b.equality].sort().join() && a.range === b.range && a.sortAvoided === b.sortAvoided;
        equivalent = agree = same(mine, theirs);
      }
      result.checks.push({ dimension: 'index', table: name, tool: t.table.index ?? 'seq scan', planner: scans.map(fmtScan).join(', '), agree, ...(equivalent ? { equivalent } : {}) });
      if (agree && !equivalent && t.table.index !== null) {
        const plannerOnly = scans.every((x) => x.node === 'Index Only Scan');
        result.checks.push({ dimension: 'index-only', table: name, tool: t.table.indexOnly ? 'index-only' : 'heap fetch', planner: plannerOnly ? 'index-only' : 'heap fetch', agree: plannerOnly === t.table.indexOnly });
      }
      // The `parallel` cases also check whether the table is read by a parallel scan (elsewhere a near tie between a
      // serial and a parallel plan of the same path is no disagreement).
      if (c.category === 'parallel') {
        const plannerParallel = scans.some((x) => x.parallel);
        const toolParallel = !!t.table.parallelWorkers;
        result.checks.push({ dimension: 'parallel', table: name, tool: toolParallel ? 'parallel' : 'serial', planner: plannerParallel ? 'parallel' : 'serial', agree: toolParallel === plannerParallel });
      }
    });

    // How much worse the tool's path is, by the planner's own estimate: force it and re-plan.
    for (const k of result.checks) {
      if (k.dimension !== 'index' || k.agree) continue;
      const i = tool.findIndex((t) => (t.table.alias ?? t.table.table) === k.table);
      if (i < 0) continue;
      const t = tool[i];
      const stmt = toolStmt[i];
      await s.query('SAVEPOINT parity_forced');
      try {
        const scans = matchScans(result.planner[stmt].scans, t.table.table, t.table.alias);
        const plannerSeq = scans.some((x) => x.node === 'seq');
        if (t.table.index === null) {
          await s.query('SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_indexonlyscan = off');
        } else {
          // Only the tool's index (and constraint indexes, which can't be dropped) remain on the table.
          const others = (live.schema.tables.get(t.table.table)?.indexes ?? []).filter((x) => x.name !== t.table.index && !x.constraint);
          for (const o of others) await s.query(`DROP INDEX "${o.name.replace(/"/g, '""')}"`);
          if (plannerSeq) await s.query('SET LOCAL enable_seqscan = off');
          // The tool reads an inner table by lookups: a nested loop.
          if (sqls.length && result.planner[stmt].scans.length > 1) await s.query('SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off');
        }
        const forced = await plan(s, sqls[stmt], ctx.version);
        k.forcedCostRatio = Math.round((forced.totalCost / Math.max(plans[stmt].totalCost, 1e-9)) * 100) / 100;
      } catch {
        // the forced plan is a diagnostic only
      } finally {
        await s.query('ROLLBACK TO SAVEPOINT parity_forced');
      }
    }

    // Sort, per statement with a top-level ORDER BY.
    sqls.forEach((sql, k) => {
      if (!topOrderBy(sql).has) return;
      const mine = tool.filter((_, i) => toolStmt[i] === k);
      const toolSort = !mine.some((t) => t.table.sortAvoided === true);
      const plannerSort = result.planner[k].sort;
      result.checks.push({ dimension: 'sort', tool: toolSort ? 'sort' : 'no sort', planner: plannerSort ? 'sort' : 'no sort', agree: toolSort === plannerSort });
    });

    // Missing index: build what the tool proposes (must be used) or would draft where it proposes nothing for a table it scans (must not be).
    if (ctx.missingIndexChecks) {
      const verdicts = c.prisma ? tool.map((t) => t.verdict) : toolVerdictsRaw(c, schema, options);
      const tested = new Set<string>();
      for (let i = 0; i < tool.length; i++) {
        const t = tool[i];
        const name = t.table.alias ?? t.table.table;
        if (c.only && !c.only.includes(name) && !c.only.includes(t.table.table)) continue;
        const proposal = t.table.proposal?.sql;
        let sql = proposal;
        let expectUsed = true;
        if (!sql) {
          if (t.table.index !== null) continue; // an index is used and nothing better is proposed: nothing to build
          const v = verdicts[i];
          sql = c.candidate && indexTable(c.candidate) === t.table.table ? c.candidate : v ? draftSql(v, schema, options) : undefined;
          expectUsed = false;
          if (!sql) continue;
        }
        const key = `${t.table.table}\u0000${sql}`;
        if (tested.has(key)) continue;
        tested.add(key);
        const idx = indexNameOf(sql);
        await s.query('SAVEPOINT parity_missing');
        try {
          await s.query(runnable(sql));
          if (/\(\s*(lower|upper|to_tsvector|\()/i.test(sql)) await s.query(`ANALYZE "${t.table.table}"`);
          const p = await plan(s, sqls[toolStmt[i]], ctx.version);
          const scans = matchScans(plannerScans(p), t.table.table, t.table.alias);
          const used = scans.some((x) => idx !== undefined && x.indexes.includes(idx));
          // Worth it: the planner uses the index and the statement's estimated cost drops by the tool's own MIN_GAIN (1.2×).
          const before = plans[toolStmt[i]].totalCost;
          const gain = before / Math.max(p.totalCost, 1e-9);
          const useful = used && gain >= MIN_GAIN;
          result.checks.push({
            dimension: 'missing-index',
            table: name,
            tool: proposal ? `proposes ${compactIndex(sql)}` : `no proposal (tested ${compactIndex(sql)})`,
            planner: useful ? `uses it (cost ${fmtCost(before)} → ${fmtCost(p.totalCost)})` : used ? `uses it but gains only ${gain.toFixed(2)}× (cost ${fmtCost(before)} → ${fmtCost(p.totalCost)})` : `ignores it (${scans.map(fmtScan).join(', ') || 'no scan'})`,
            agree: useful === expectUsed,
          });
        } finally {
          await s.query('ROLLBACK TO SAVEPOINT parity_missing');
        }
      }
    }

    // Skip scans: an index scan whose leading key column is not in its Index Cond.
    for (const p of result.planner) {
      for (const x of p.scans) {
        for (const ix of x.indexes) {
          const def = live.schema.tables.get(x.relation)?.indexes.find((i) => i.name === ix);
          const lead = def?.keys[0]?.column;
          if (def?.method === 'btree' && lead && x.indexCond && !new RegExp(`(^|[^A-Za-z0-9_])${lead}([^A-Za-z0-9_]|$)`).test(x.indexCond.replace(/"/g, ''))) {
            result.skipScans.push(`${x.relation}.${ix} (leading "${lead}" not in ${x.indexCond})`);
          }
        }
      }
    }
    result.agree = result.checks.length > 0 && result.checks.every((k) => k.agree);
    if (!result.checks.length) result.error = 'nothing to compare (no table of the tool found in the plan)';
  } catch (err) {
    result.error = (err as Error).message;
  } finally {
    await s.query('ROLLBACK').catch(() => undefined);
  }
  result.ms = Date.now() - started;
  return result;
}

function toolVerdictsRaw(c: ParityCase, schema: SchemaModel, options: MatcherOptions): (AccessVerdict | undefined)[] {
  // explainShape does not return the AccessVerdicts; recompute them the way it does.
  const out: (AccessVerdict | undefined)[] = [];
  for (const sql of sqlsOf(c)) {
    const { shapes } = shapesFromSqlText(sql, { file: '<input>', origin: 'sql-file', lines: new LineIndex(sql), schema });
    for (const sv of verdictsFor(shapes, schema, options)) out.push(...sv.accesses);
  }
  return out;
}

function indexTable(sql: string): string | undefined {
  return /\bON\s+(?:ONLY\s+)?("(?:[^"]|"")+"|\w+)/i.exec(sql)?.[1].replace(/^"|"$/g, '');
}

/** `CREATE INDEX … "x" ON "t" ("a", "b" DESC) WHERE …` → `t(a, b DESC) WHERE …`. */
export function compactIndex(sql: string): string {
  const m = /\bON\s+(?:ONLY\s+)?("(?:[^"]|"")+"|\w+)\s*(USING\s+\w+\s*)?(\([\s\S]*?\))(\s+INCLUDE\s*\([^)]*\))?(\s+WHERE\s+[\s\S]*?)?;?\s*$/i.exec(sql);
  if (!m) return sql;
  return `${m[1].replace(/"/g, '')}${m[2] ? ` ${m[2].trim().toLowerCase()} ` : ''}${m[3].replace(/"/g, '')}${m[4] ? m[4].replace(/"/g, '') : ''}${m[5] ? m[5].replace(/"/g, '') : ''}`;
}

/** The plan as one line per node: type, relation, index, conditions. */
export function renderCompact(root: PlanNode): string {
  const lines: string[] = [];
  const visit = (n: PlanNode, d: number) => {
    const bits = [n.nodeType + (n.scanDirection === 'Backward' ? ' Backward' : ''), n.index ? `using ${n.index}` : '', n.relation && n.nodeType !== 'Bitmap Index Scan' ? `on ${n.relation}${n.alias && n.alias !== n.relation ? ` ${n.alias}` : ''}` : ''];
    const extra = [n.indexCond ? `cond ${n.indexCond}` : '', n.filter ? `filter ${n.filter}` : '', n.sortKey ? `key ${n.sortKey.join(', ')}` : ''].filter(Boolean);
    lines.push(`${'  '.repeat(d)}${bits.filter(Boolean).join(' ')} (rows ${Math.round(n.estRows)}, cost ${n.totalCost.toFixed(0)})${extra.length ? ` [${extra.join('; ')}]` : ''}`);
    for (const c of n.children) visit(c, d + 1);
  };
  visit(root, 0);
  return lines.join('\n');
}

export interface Summary {
  cases: number;
  compared: number;
  agree: number;
  rate: number;
  checks: number;
  checksAgree: number;
  perCategory: Record<string, { cases: number; agree: number; rate: number }>;
  perDimension: Record<string, { checks: number; agree: number; rate: number }>;
  errors: number;
  skipped: number;
}

export function summarize(results: CaseResult[]): Summary {
  const compared = results.filter((r) => !r.error && !r.skipped);
  const perCategory: Summary['perCategory'] = {};
  for (const r of compared) {
    const e = (perCategory[r.category] ??= { cases: 0, agree: 0, rate: 0 });
    e.cases++;
    if (r.agree) e.agree++;
  }
  for (const e of Object.values(perCategory)) e.rate = e.agree / e.cases;
  const perDimension: Summary['perDimension'] = {};
  for (const r of compared) {
    for (const k of r.checks) {
      const e = (perDimension[k.dimension] ??= { checks: 0, agree: 0, rate: 0 });
      e.checks++;
      if (k.agree) e.agree++;
    }
  }
  for (const e of Object.values(perDimension)) e.rate = e.agree / e.checks;
  const checks = compared.flatMap((r) => r.checks);
  const agree = compared.filter((r) => r.agree).length;
  return {
    cases: results.length,
    compared: compared.length,
    agree,
    rate: compared.length ? agree / compared.length : 0,
    checks: checks.length,
    checksAgree: checks.filter((k) => k.agree).length,
    perCategory,
    perDimension,
    errors: results.filter((r) => r.error).length,
    skipped: results.filter((r) => r.skipped).length,
  };
}
