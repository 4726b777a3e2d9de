/**
 * What-if checks: would the planner use a proposed index, and would it miss a redundant one?
 *
 * - On a server with HypoPG: `hypopg_create_index` (a hypothetical index only this session's planner
 *   sees), EXPLAIN before and after. When the extension is available but not installed, it is created
 *   inside a transaction that is rolled back, so nothing is left behind. Boolean predicates are
 *   written `WHERE flag` (HypoPG never matches `WHERE flag = true` to a query).
 * - HypoPG can't simulate GIN/GiST indexes, and on the embedded database there is no HypoPG: there a
 *   real index is built inside a transaction that is always rolled back. That takes locks, so it is
 *   only done on the embedded database (or when the caller says the server is disposable).
 * - A redundant index is hidden (`hypopg_hide_index`, HypoPG 1.4+) or, on the embedded database,
 *   dropped inside a rolled-back transaction; the workload's plans must not get more expensive.
 * - HypoPG misjudges some partial indexes, so its "not used" for a partial index is `unconfirmed`
 *   until a real index confirms it (see checkMissingIndexes).
 */
import { scanSync } from 'libpg-query';
import type { Queryable, Session } from './connection';
import { explainJson } from './genericPlan';
import { summarizePlan } from './planSummary';
import { classifyStatement } from './readOnlyCheck';
import type { ProposedIndex } from '../matcher/types';
import { createIndexSql } from '../matcher/propose';
import { byteToCharMapper, initSqlParser } from '../sql/parser';
import { quoteTable } from '../sql/identifiers';

export interface IndexCandidate {
  name: string;
  table: string;
  method: string;
  /** `CREATE INDEX name ON table …` without CONCURRENTLY / IF NOT EXISTS (it runs in a transaction). */
  createSql: string;
  partial: boolean;
  /** Extension the index needs (pg_trgm). */
  extension?: string;
}

export function candidateFromProposal(p: ProposedIndex): IndexCandidate {
  const sql = createIndexSql({ name: p.name, table: p.table, method: p.method, keys: p.keys, include: [], unique: false, predicateText: p.predicateText });
  return {
    name: p.name,
    table: p.table,
    method: p.method,
    createSql: sql.replace(/INDEX CONCURRENTLY IF NOT EXISTS/, 'INDEX').replace(/;\s*$/, ''),
    partial: !!p.predicateText,
    extension: p.extension,
  };
}

/** `WHERE published = true` → `WHERE published`, `= false` → `NOT …`, outside string literals (HypoPG). */
export function normalizeBooleanPredicates(sql: string): string {
  const toChar = byteToCharMapper(sql);
  const tokens = scanSync(sql).tokens;
  const where = tokens.findIndex((t) => t.text.toLowerCase() === 'where');
  if (where < 0) return sql;
  let out = '';
  let last = 0;
  for (let i = where + 1; i + 2 < tokens.length; i++) {
    const [a, op, b] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    const bool = b.text.toLowerCase();
    // `<column> = true|false`, not `<expression> = true` (a `)`, a cast) — a column is a word or a quoted name.
    if (op.text !== '=' || (bool !== 'true' && bool !== 'false') || !/^[A-Za-z_"]/.test(a.text)) continue;
    out += sql.slice(last, toChar(a.start)) + (bool === 'true' ? sql.slice(toChar(a.start), toChar(a.end)) : `NOT ${sql.slice(toChar(a.start), toChar(a.end))}`);
    last = toChar(b.end);
    i += 2;
  }
  return out + sql.slice(last);
}

export interface PlanBrief {
  totalCost: number;
  /** Indexes the plan uses. */
  indexes: string[];
  seqScans: string[];
}

export interface QueryComparison {
  sql: string;
  before?: PlanBrief;
  after?: PlanBrief;
  /** The after-plan uses the candidate index (what-if) / the before-plan used the hidden index (hide). */
  usesIndex: boolean;
  /** EXPLAIN failed for this statement (it is left out of the verdict). */
  error?: string;
}

/**
 * `helps`: the planner uses it and the plan gets cheaper; `no-gain`: it would use it for no saving;
 * `not-used`: it keeps its plan; `unconfirmed`: HypoPG said not used for a partial index (it misjudges
 * those); `unavailable`: nothing here can simulate it.
 */
export type WhatIfVerdict = 'helps' | 'no-gain' | 'not-used' | 'unconfirmed' | 'unavailable';

/** PostgreSQL's fuzz factor for comparing path costs (STD_FUZZ_FACTOR). */
const FUZZ = 1.01;

export interface WhatIfResult {
  index: IndexCandidate;
  /** How the index was simulated. */
  method?: 'hypopg' | 'real-index';
  target: string;
  queries: QueryComparison[];
  /** The planner picked the index for at least one of the statements. */
  used: boolean;
  verdict: WhatIfVerdict;
  reason: string;
}

export interface WhatIfOptions {
  /** Build real indexes in a rolled-back transaction even on a server (a disposable test database). Default: only on the embedded database. */
  realIndexes?: boolean;
}

interface HypoState {
  installed: boolean;
  available: boolean;
  canHide: boolean;
}

async function hypopgState(q: Queryable): Promise<HypoState> {
  const rows = await q.query<{ installed: boolean; available: boolean; hide: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'hypopg') AS installed,
            EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'hypopg') AS available,
            EXISTS (SELECT 1 FROM pg_catalog.pg_proc WHERE proname = 'hypopg_hide_index') AS hide`,
  );
  return { installed: rows[0].installed, available: rows[0].available, canHide: rows[0].hide };
}

/** Access methods HypoPG can simulate. */
const HYPOPG_METHODS = new Set(['btree', 'brin', 'hash', 'bloom']);

async function briefPlan(q: Queryable, sql: string, version: number): Promise<PlanBrief> {
  const cls = classifyStatement(sql);
  const raw = await explainJson(q, { sql: cls.sql, params: cls.params, version });
  const s = summarizePlan(raw.json);
  return { totalCost: s.totalCost, indexes: s.indexes.map((i) => i.index), seqScans: s.seqScans };
}

/** Plans of every statement, each in a savepoint so one failing EXPLAIN doesn't end the transaction. */
async function plans(q: Queryable, sqls: string[], version: number): Promise<(PlanBrief | Error)[]> {
  const out: (PlanBrief | Error)[] = [];
  for (const sql of sqls) {
    await q.query('SAVEPOINT pir_whatif');
    try {
      out.push(await briefPlan(q, sql, version));
      await q.query('RELEASE SAVEPOINT pir_whatif');
    } catch (err) {
      await q.query('ROLLBACK TO SAVEPOINT pir_whatif');
      await q.query('RELEASE SAVEPOINT pir_whatif');
      out.push(err as Error);
    }
  }
  return out;
}

function compare(sqls: string[], before: (PlanBrief | Error)[], after: (PlanBrief | Error)[], uses: (b: PlanBrief, a: PlanBrief) => boolean): QueryComparison[] {
  return sqls.map((sql, i) => {
    const b = before[i];
    const a = after[i];
    if (b instanceof Error || a instanceof Error) return { sql, usesIndex: false, error: (b instanceof Error ? b : (a as Error)).message };
    return { sql, before: b, after: a, usesIndex: uses(b, a) };
  });
}

function costs(q: QueryComparison): string {
  return `${q.before!.totalCost.toFixed(1)} → ${q.after!.totalCost.toFixed(1)}`;
}

/** Would the planner use `candidate` for these statements? */
export async function whatIfIndex(session: Session, candidate: IndexCandidate, statements: string[], opts: WhatIfOptions = {}): Promise<WhatIfResult> {
  await initSqlParser();
  const version = await session.serverVersion();
  const base = { index: candidate, target: session.target, queries: [] as QueryComparison[], used: false };
  const state = session.embedded ? undefined : await session.exclusive(hypopgState);
  const hypo = state && (state.installed || state.available) && HYPOPG_METHODS.has(candidate.method);
  const real = session.embedded || !!opts.realIndexes;
  if (!hypo && !real) {
    const why = !state?.installed && !state?.available ? `HypoPG is not available on ${session.target}` : `HypoPG cannot simulate ${candidate.method.toUpperCase()} indexes`;
    return { ...base, verdict: 'unavailable', reason: `${why}; check it on the embedded database instead` };
  }
  let hypoName = candidate.name;
  const run = async (q: Queryable) => {
    if (hypo && !state!.installed) await q.query('CREATE EXTENSION hypopg');
    if (!hypo && candidate.extension) await q.query(`CREATE EXTENSION IF NOT EXISTS ${candidate.extension}`);
    const before = await plans(q, statements, version);
    if (hypo) {
      const rows = await q.query<{ indexname: string }>('SELECT indexname FROM hypopg_create_index($1)', [normalizeBooleanPredicates(candidate.createSql)]);
      hypoName = rows[0].indexname;
      try {
        return { before, after: await plans(q, statements, version) };
      } finally {
        await q.query('SELECT hypopg_reset()');
      }
    }
    await q.query(candidate.createSql);
    if (/\(\s*\(/.test(candidate.createSql)) await q.query(`ANALYZE ${quoteTable(candidate.table)}`); // statistics for expression keys
    return { before, after: await plans(q, statements, version) };
  };
  // With HypoPG installed nothing is written: the READ ONLY transaction will do. Otherwise roll back.
  const { before, after } = hypo && state!.installed ? await session.exclusive(run) : await session.rolledBack(run);
  const queries = compare(statements, before, after, (_b, a) => a.indexes.includes(hypoName));
  const used = queries.some((x) => x.usesIndex);
  const method = hypo ? 'hypopg' : 'real-index';
  const ok = queries.filter((x) => !x.error);
  if (!ok.length) return { ...base, method, queries, verdict: 'unavailable', reason: `none of the statements could be explained: ${queries[0]?.error ?? 'no statements'}` };
  if (used) {
    const users = ok.filter((x) => x.usesIndex);
    // The planner treats paths within 1% as equally cheap: it may pick the index for no gain.
    const gains = users.some((x) => x.after!.totalCost < x.before!.totalCost / FUZZ);
    if (gains) return { ...base, method, queries, used, verdict: 'helps', reason: `the planner on ${session.target} uses it (cost ${users.map(costs).join(', ')})` };
    return { ...base, method, queries, used, verdict: 'no-gain', reason: `the planner on ${session.target} would use it, but the plan gets no cheaper (cost ${users.map(costs).join(', ')})` };
  }
  const keeps = ok[0].after!.indexes.length ? `keeps using ${ok[0].after!.indexes.map((i) => `"${i}"`).join(', ')}` : `keeps a sequential scan of ${ok[0].after!.seqScans.join(', ') || candidate.table}`;
  if (hypo && candidate.partial) {
    return { ...base, method, queries, verdict: 'unconfirmed', reason: `HypoPG says the planner on ${session.target} would not use it (it ${keeps}), but HypoPG misjudges partial indexes: not confirmed` };
  }
  return { ...base, method, queries, verdict: 'not-used', reason: `the planner on ${session.target} would not use it: it ${keeps} (cost ${costs(ok[0])})` };
}

export type HideVerdict = 'safe' | 'worse' | 'unavailable';

export interface HideResult {
  index: string;
  method?: 'hypopg' | 'real-index';
  target: string;
  /** `before`: with the index, `after`: without it. */
  queries: QueryComparison[];
  verdict: HideVerdict;
  reason: string;
}

/** A plan more than this much more expensive without the index counts as worse. */
const WORSE = 1.05;

/** Would these statements get worse without `indexName`? */
export async function whatIfWithoutIndex(session: Session, indexName: string, statements: string[], opts: WhatIfOptions = {}): Promise<HideResult> {
  await initSqlParser();
  const version = await session.serverVersion();
  const base = { index: indexName, target: session.target, queries: [] as QueryComparison[] };
  const state = session.embedded ? undefined : await session.exclusive(hypopgState);
  const real = session.embedded || !!opts.realIndexes;
  const hide = !!state?.canHide;
  if (!hide && !real) {
    const why = state?.installed || state?.available ? `the HypoPG on ${session.target} has no hypopg_hide_index (HypoPG 1.4+)` : `HypoPG is not available on ${session.target}`;
    return { ...base, verdict: 'unavailable', reason: `${why}; check it on the embedded database instead` };
  }
  const run = async (q: Queryable) => {
    const before = await plans(q, statements, version);
    if (hide) {
      await q.query(`SELECT hypopg_hide_index($1::regclass)`, [indexName]);
      try {
        return { before, after: await plans(q, statements, version) };
      } finally {
        await q.query('SELECT hypopg_unhide_all_indexes()');
      }
    }
    await q.query(`DROP INDEX ${quoteTable(indexName)}`);
    return { before, after: await plans(q, statements, version) };
  };
  const { before, after } = hide ? await session.exclusive(run) : await session.rolledBack(run);
  const queries = compare(statements, before, after, (b) => b.indexes.includes(indexName));
  const method = hide ? 'hypopg' : 'real-index';
  const ok = queries.filter((x) => !x.error);
  if (!ok.length) return { ...base, method, queries, verdict: 'unavailable', reason: statements.length ? `none of the statements could be explained: ${queries[0]?.error}` : 'no statement of the workspace reads this table' };
  const worse = ok.filter((x) => x.after!.totalCost > x.before!.totalCost * WORSE + 0.01);
  if (worse.length) {
    return { ...base, method, queries, verdict: 'worse', reason: `${worse.length} of ${ok.length} statements get more expensive without it on ${session.target} (cost ${worse.map(costs).join(', ')})` };
  }
  const usedBefore = ok.filter((x) => x.usesIndex).length;
  return {
    ...base,
    method,
    queries,
    verdict: 'safe',
    reason: `no plan of the ${ok.length} statement(s) reading its table gets more expensive without it on ${session.target}${usedBefore ? ` (${usedBefore} used it and switch to another index at the same cost)` : ''}`,
  };
}
