/**
 * `explainStatement`: the safe EXPLAIN behind `pg-index-review explain` and the editor's hover.
 *
 * - Plain `EXPLAIN (FORMAT JSON, VERBOSE, SETTINGS)` by default, in the session's READ ONLY transaction.
 * - `$n` parameters → a generic plan (see genericPlan.ts), unless values are given.
 * - `analyze: true` runs the statement. A statement that provably only reads runs in the READ ONLY
 *   transaction (the server itself refuses any write). Anything that may write — INSERT/UPDATE/DELETE/
 *   MERGE, a writing CTE, FOR UPDATE, a VOLATILE function — runs inside a transaction that is always
 *   rolled back, and the result says so. Statements whose effects survive a ROLLBACK are refused.
 */
import type { Queryable, Session } from './connection';
import { explainJson } from './genericPlan';
import { renderPlanTree, summarizePlan, type IndexChoice, type PlanNode, type PlanSummary, type PlanThresholds } from './planSummary';
import { classifyStatement, possiblyWritingFunctions, StatementError } from './readOnlyCheck';
import { initSqlParser } from '../sql/parser';

export { StatementError };

export interface ExplainOptions {
  /** Run the statement (EXPLAIN ANALYZE). */
  analyze?: boolean;
  /** Values for `$1…$n`. Without them a parameterised statement gets its generic plan (and is not run). */
  params?: unknown[];
  /** Where expensive nodes start; the embedded database scales `seqScanRows` to its data. */
  thresholds?: Partial<PlanThresholds>;
}

export interface ExplainResult {
  /** The statement as explained (one statement, no trailing semicolon). */
  sql: string;
  /** Where it ran, without credentials. */
  target: string;
  embedded: boolean;
  serverVersion: number;
  analyzed: boolean;
  /** How the generic plan of a parameterised statement was obtained; undefined when values were used or there are none. */
  generic?: 'GENERIC_PLAN' | 'PREPARE';
  /** `read-only`: the session's READ ONLY transaction; `rolled-back`: a read-write transaction that was rolled back. */
  transaction: 'read-only' | 'rolled-back';
  /** Why the statement was treated as one that may write (empty for reads). */
  writes: string[];
  /** Things the user must be told: the rollback, a generic plan instead of ANALYZE, … */
  notes: string[];
  plan: PlanNode;
  summary: PlanSummary;
  /** The index the planner chose for the statement's first table that uses one; undefined when it uses none. */
  chosenIndex?: IndexChoice;
  /** Raw EXPLAIN (FORMAT JSON) output. */
  raw: unknown;
  /** Wall time of the EXPLAIN round trip. */
  elapsedMs: number;
}

/** Explains one statement on a session. Throws StatementError for input it won't run, DatabaseError for server problems. */
export async function explainStatement(session: Session, sql: string, opts: ExplainOptions = {}): Promise<ExplainResult> {
  await initSqlParser();
  const cls = classifyStatement(sql);
  const started = Date.now();
  const version = await session.serverVersion();
  const notes: string[] = [];
  let analyze = !!opts.analyze;
  if (analyze && cls.refuse) throw new StatementError(`refusing to run this statement for EXPLAIN ANALYZE: ${cls.refuse}`);
  if (analyze && cls.params > 0 && !opts.params) {
    analyze = false;
    notes.push(`ANALYZE needs values for $1…$${cls.params}; showing the generic plan without running the statement`);
  }
  if (opts.params && opts.params.length < cls.params) throw new StatementError(`the statement uses $${cls.params} but only ${opts.params.length} value(s) were given`);

  const writes = [...cls.writes];
  if (analyze && !writes.length) {
    const fns = await session.exclusive((q) => possiblyWritingFunctions(q, cls));
    if (fns.length) writes.push(`it calls ${fns.map((f) => `${f}()`).join(', ')}, VOLATILE and so possibly writing`);
  }
  const rolledBack = (analyze && writes.length > 0) || !session.readOnly;
  const step = async (q: Queryable) => {
    const raw = await explainJson(q, { sql: cls.sql, params: cls.params, version, analyze, values: opts.params });
    return { raw, rows: await tableRows(q, raw.json) };
  };
  const out = rolledBack ? await session.rolledBack(step) : await session.exclusive(step);
  if (analyze && writes.length) {
    notes.push(
      `This statement can write (${writes.join('; ')}), so it ran inside a transaction that was rolled back: no row was changed.` +
        (cls.consumesSequences ? ' Sequence values it consumed are not given back.' : ''),
    );
  }
  if (out.raw.generic) notes.push(`Generic plan for $1…$${cls.params} (${out.raw.generic === 'GENERIC_PLAN' ? 'EXPLAIN (GENERIC_PLAN)' : 'PREPARE + force_generic_plan'}): the plan a prepared statement uses without looking at the values.`);
  const summary = summarizePlan(out.raw.json, out.rows, opts.thresholds);
  return {
    sql: cls.sql,
    target: session.target,
    embedded: session.embedded,
    serverVersion: version,
    analyzed: analyze,
    generic: out.raw.generic,
    transaction: rolledBack ? 'rolled-back' : 'read-only',
    writes: analyze ? writes : [],
    notes,
    plan: summary.root,
    summary,
    chosenIndex: summary.indexes[0],
    raw: out.raw.json,
    elapsedMs: Date.now() - started,
  };
}

/** Row estimates (reltuples) of the relations in a plan, to size sequential scans that were not run. */
async function tableRows(q: Queryable, json: unknown): Promise<Map<string, number>> {
  const names = new Set<string>();
  const visit = (p: Record<string, any>): void => {
    if (p['Relation Name']) names.add(p['Relation Name']);
    for (const c of p.Plans ?? []) visit(c);
  };
  const top = (Array.isArray(json) ? json[0] : json) as Record<string, any> | undefined;
  if (top?.Plan) visit(top.Plan);
  if (!names.size) return new Map();
  const rows = await q.query<{ relname: string; reltuples: number }>(
    `SELECT c.relname, c.reltuples::float8 AS reltuples FROM pg_catalog.pg_class c
      WHERE c.relname = ANY($1::text[]) AND pg_catalog.pg_table_is_visible(c.oid)`,
    [[...names]],
  );
  return new Map(rows.map((r) => [r.relname, Math.max(0, Number(r.reltuples))]));
}

/** The text a person reads: what ran where, the notes, the index chosen, the plan tree. */
export function renderExplain(r: ExplainResult): string {
  const lines: string[] = [];
  const how = r.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN';
  lines.push(`${how} on ${r.target} (PostgreSQL ${r.serverVersion})${r.transaction === 'rolled-back' ? ', in a transaction that was rolled back' : ''}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  const s = r.summary;
  if (s.indexes.length) lines.push(`index chosen: ${s.indexes.map((i) => `"${i.index}"${i.relation ? ` on ${i.relation}` : ''}`).join(', ')}`);
  else lines.push('index chosen: none');
  if (s.seqScans.length) lines.push(`sequential scan: ${s.seqScans.join(', ')}`);
  const timing = [
    `total cost ${s.totalCost.toFixed(2)}`,
    `~${Math.round(s.estRows)} rows est`,
    ...(s.planningMs !== undefined ? [`planning ${s.planningMs.toFixed(3)} ms`] : []),
    ...(s.executionMs !== undefined ? [`execution ${s.executionMs.toFixed(3)} ms`] : []),
  ];
  lines.push(timing.join(', '));
  if (s.flagged.length) lines.push(`expensive: ${s.flagged.flatMap((n) => n.flags.map((f) => f.message)).join('; ')}`);
  lines.push('', renderPlanTree(r.plan));
  return lines.join('\n');
}
