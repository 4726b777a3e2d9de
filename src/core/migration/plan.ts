/**
 * Turns a workspace's findings into one optimization plan: the indexes to create and the ones to
 * drop, merged so that the migration never adds an index it would make redundant itself.
 *
 * 1. Demands: every table access with a missing-index finding, or the search of an unindexed-foreign-key one (at or above `minSeverity`, not
 *    silenced, rule not off), with the index the finding proposes.
 * 2. Merge (per table): the matcher evaluates every proposed index against every demand; an index
 *    "serves" a demand when it is usable for it, costs at most 25% more than the demand's own
 *    proposal and avoids the sort whenever that one does. A greedy cover picks the indexes that
 *    serve the most demands (ties: fewer keys, then name), so `(role, createdAt DESC)` serves both
 *    "users by role" and "users by role, newest first", a proposal that is a leading prefix of
 *    another with the same predicate disappears, and `(status, createdAt)` and
 *    `(status, createdAt DESC)` become one index.
 * 3. Drops: indexes with a redundant-index or low-selectivity-index finding, plus existing
 *    indexes the new ones make redundant (a leading prefix of a new index). A chosen index that is
 *    itself redundant given the indexes that stay is not created.
 * 4. Workload check: a drop is cancelled when some query of the workspace would get more than 20%
 *    more expensive without that index once the new indexes exist (the analysis' cost model).
 *
 * Below the threshold, a proposal still gets its index when it widens an existing one: the existing
 * index is a leading prefix of it (`(userId)` → `(userId, createdAt DESC)`), so the new index replaces
 * it and the table keeps as many indexes: the small gain costs next to nothing on writes and disk.
 * Per-parent lists get the same: a query that finds its rows by equality on every key of a plain
 * index and sorts them for ORDER BY … LIMIT has that index widened by its sort keys. On average rows
 * the sort is small; for the parents with many rows (data is rarely uniform) the query reads LIMIT
 * rows instead of all of theirs, and no other new index (one on the sort column alone) can tempt
 * the planner into walking the whole table in order, betting on where that parent's rows are.
 */
import type { Finding, RuleId, Severity } from '../model/finding';
import type { RuleSetting } from '../config/config';
import type { QueryShape } from '../model/query';
import type { IndexDef, SchemaModel, TableDef } from '../model/schema';
import type { AccessVerdict, ProposedIndex } from '../matcher/types';
import { analyzeAccess, evaluateIndex, selectivityContext } from '../matcher/analyzeAccess';
import { keyLabel, keyName } from '../matcher/btree';
import { finishDraft, proposalAsIndex } from '../matcher/propose';
import { assessMissingIndex, type MissingIndexAssessment } from '../rules/missingIndex';
import { redundancy } from '../rules/indexRelations';
import { redundantIndexes } from '../rules/redundantIndex';
import type { RuleContext } from '../rules/context';
import { accessCost, regresses, withIndexes } from '../analysis/dropEffect';
import { verdictsFor, type ShapeVerdict } from '../analysis/verdicts';
import { missingIndex } from '../rules/missingIndex';
import { unindexedForeignKey } from '../rules/unindexedForeignKey';
import type { MatcherOptions } from '../matcher/options';

export interface Demand {
  shape: QueryShape;
  verdict: AccessVerdict;
  assessment: MissingIndexAssessment;
  finding: Finding;
  severity: Severity;
}

export interface PlannedCreate {
  index: IndexDef;
  /** The proposal whose definition is created. */
  proposal: ProposedIndex;
  /** Every demand the index serves (its own and the merged ones). */
  serves: Demand[];
  /** Other proposed definitions this one replaces (not created). */
  merged: ProposedIndex[];
  extension?: string;
  /**
   * Set when the index only serves demands below the severity threshold: the existing index it
   * replaces (a leading prefix of it, dropped as superseded), so the table keeps as many indexes.
   */
  widens?: IndexDef;
  /**
   * Per-parent lists (ORDER BY … LIMIT on the rows an equality on every key of `widens` finds) the
   * index returns in order: no sort, and LIMIT rows read instead of all of the parent's.
   */
  paginates?: { shape: QueryShape; verdict: AccessVerdict }[];
}

export type DropReason = 'redundant' | 'low-selectivity' | 'superseded';

export interface PlannedDrop {
  index: IndexDef;
  reason: DropReason;
  /** The finding that asks for it (redundant-index / low-selectivity-index). */
  finding?: Finding;
  /** The index that serves its queries from now on. */
  coveredBy?: IndexDef;
  why: string;
}

export interface KeptIndex {
  index: IndexDef;
  finding: Finding;
  /** The query that needs it, and its estimated cost with the index and without. */
  query: QueryShape;
  before: number;
  after: number;
}

/** Why a flagged index is kept, with `where` naming the query's file and line as the caller shows paths. */
export function keptReason(k: KeptIndex, where: string): string {
  return `${k.query.label} (${where}) still uses it: without it the query's estimated cost goes from ${Math.round(k.before)} to ${Math.round(k.after)}`;
}

export interface SkippedProposal {
  proposal: ProposedIndex;
  demands: Demand[];
  why: string;
}

export interface OptimizationPlan {
  creates: PlannedCreate[];
  drops: PlannedDrop[];
  /** Flagged indexes the plan keeps because a query still needs them. */
  kept: KeptIndex[];
  /** Proposals not in the migration (below the severity threshold). */
  skipped: SkippedProposal[];
  /** unused-by-workload findings: reported, never dropped automatically (check idx_scan first). */
  unused: Finding[];
  extensions: string[];
  before: SchemaModel;
  after: SchemaModel;
  /** Tables the migration creates or drops indexes on, in schema order. */
  tables: string[];
}

export interface PlanInput {
  schema: SchemaModel;
  verdicts: ShapeVerdict[];
  /** Findings after configuration and suppressions: only what survives drives the migration. */
  findings: Finding[];
  options: MatcherOptions;
  ruleContext: RuleContext;
}

export interface PlanOptions {
  /** Lowest missing-index severity that gets an index (default warning: info-level proposals save a handful of rows). */
  minSeverity?: 'warning' | 'info';
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };
/** A merged index may cost this much more than a demand's own proposal and still serve it. */
const MERGE_TOLERANCE = 1.25;

function defKey(p: { method: string; keys: IndexDef['keys']; predicateText?: string }): string {
  return `${p.method}|${p.keys.map((k) => `${keyName(k)}:${k.desc ? 'd' : 'a'}:${k.nullsFirst ? 'f' : 'l'}:${k.opclass ?? ''}`).join(',')}|${p.predicateText ?? ''}`;
}

function within(inner: Finding['range'], outer: Finding['range']): boolean {
  const le = (a: Finding['range']['start'], b: Finding['range']['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

function collectDemands(input: PlanInput): Demand[] {
  const out: Demand[] = [];
  for (const sv of input.verdicts) {
    for (const v of sv.accesses) {
      const m = assessMissingIndex(v, input.ruleContext);
      if (!m) continue;
      // A foreign key's search is reported once per key, where the key is declared, with the DELETEs that make it related.
      const at = sv.shape.location;
      const site = (f: Finding) => (f.file === at.file && within(f.range, at.range)) || f.related.some((r) => r.file === at.file && within(r.range, at.range));
      const finding = v.access.foreignKeyCheck
        ? input.findings.find((f) => f.rule === 'unindexed-foreign-key' && f.table === v.access.table && f.fix?.sql === m.proposal.sql && site(f))
        : input.findings.find((f) => f.rule === 'missing-index' && f.file === at.file && f.index === m.proposal.name && within(f.range, at.range));
      if (!finding) continue; // silenced by a comment, or the rule is off
      out.push({ shape: sv.shape, verdict: v, assessment: m, finding, severity: finding.severity });
    }
  }
  return out;
}

interface Candidate {
  key: string;
  proposal: ProposedIndex;
  index: IndexDef;
  demands: Demand[];
}

function mergeTable(table: TableDef, demands: Demand[], schema: SchemaModel, opts: MatcherOptions): { chosen: Candidate[]; served: Map<Candidate, Demand[]> } {
  const sctx = selectivityContext(schema, table, opts);
  const candidates = new Map<string, Candidate>();
  for (const d of demands) {
    const key = defKey(d.assessment.proposal);
    const c = candidates.get(key) ?? { key, proposal: d.assessment.proposal, index: proposalAsIndex(d.assessment.proposal), demands: [] };
    c.demands.push(d);
    candidates.set(key, c);
  }
  const own = new Map(demands.map((d) => [d, evaluateIndex(proposalAsIndex(d.assessment.proposal), d.verdict.access, sctx)]));
  const serves = (c: Candidate, d: Demand): boolean => {
    const use = evaluateIndex(c.index, d.verdict.access, sctx);
    const mine = own.get(d)!;
    // The same filter conditions must reach the index (not just an ORDER BY … LIMIT walk that
    // bets on how many rows the filter keeps), and the sort must be avoided when it was.
    const conds = new Set(use.conditions.map((c) => JSON.stringify(c)));
    const sameFilter = mine.conditions.every((c) => conds.has(JSON.stringify(c)));
    return use.usable && sameFilter && use.cost <= mine.cost * MERGE_TOLERANCE + 1 && (!mine.sortAvoided || use.sortAvoided);
  };
  const servedBy = new Map<Candidate, Demand[]>();
  for (const c of candidates.values()) servedBy.set(c, demands.filter((d) => serves(c, d)));
  const uncovered = new Set(demands);
  const chosen: Candidate[] = [];
  const pool = [...candidates.values()];
  while (uncovered.size) {
    let best: Candidate | undefined;
    let bestCount = 0;
    for (const c of pool) {
      if (chosen.includes(c)) continue;
      const n = servedBy.get(c)!.filter((d) => uncovered.has(d)).length;
      const better =
        n > bestCount ||
        (n === bestCount && n > 0 && best && (c.index.keys.length < best.index.keys.length || (c.index.keys.length === best.index.keys.length && (c.demands.length > best.demands.length || (c.demands.length === best.demands.length && c.proposal.name < best.proposal.name)))));
      if (better) {
        best = c;
        bestCount = n;
      }
    }
    if (!best) break;
    chosen.push(best);
    for (const d of servedBy.get(best)!) uncovered.delete(d);
  }
  return { chosen, served: servedBy };
}

function lowSelectivityWhy(schema: SchemaModel, table: TableDef, i: IndexDef): string {
  const col = i.keys[0]?.column ? table.columns.get(i.keys[0].column) : undefined;
  if (!col) return 'a column with few distinct values';
  if (col.type === 'boolean') return `"${col.name}" is a boolean: an equality match returns about half of the table`;
  const n = col.enumName ? schema.enums.get(col.enumName)?.values.length : undefined;
  return `"${col.name}" is an enum (${col.enumName}${n ? `, ${n} values` : ''}): an equality match returns about 1/${n ?? '?'} of the table`;
}

/**
 * Widens the plain index a per-parent list finds its rows with by the list's sort keys (see the
 * header). A pagination takes an index an info-level widening holds; the first list (in workspace
 * order) decides the sort keys, and later lists on the same index join it when it serves them too.
 */
function paginationWidenings(input: PlanInput, creates: PlannedCreate[], widenable: (e: IndexDef) => boolean, release: (ds: Demand[]) => void): void {
  const schema = input.schema;
  for (const sv of input.verdicts) {
    for (const v of sv.accesses) {
      const a = v.access;
      const use = v.best;
      const e = use?.index;
      if (!use || !e || a.limit === undefined || !a.orderBy.length || !v.needsSort || use.sortAvoided) continue;
      if (!widenable(e) || e.method !== 'btree' || e.predicate || e.include.length || use.rangeColumn || use.equalityColumns.length < e.keys.length) continue;
      const table = schema.tables.get(e.table);
      if (!table) continue;
      const sctx = selectivityContext(schema, table, input.options);
      // In order *and* through the same equality: an index on the sort column alone is the walk to avoid.
      const sortFree = (i: IndexDef) => {
        const u = evaluateIndex(i, a, sctx);
        return u.usable && (u.sortAvoided || !!u.canOrder) && use.equalityColumns.every((c) => u.equalityColumns.includes(c));
      };
      const onTable = creates.filter((c) => c.index.table === e.table);
      const holder = onTable.find((c) => c.widens === e);
      if (holder?.paginates) {
        if (sortFree(holder.index)) holder.paginates.push({ shape: sv.shape, verdict: v });
        continue;
      }
      // Served in order by a new index already, or `e` is superseded by one: nothing to widen.
      if (onTable.some((c) => c !== holder && (sortFree(c.index) || redundancy(e, c.index)))) continue;
      const extra = a.orderBy.filter((o) => !e.keys.some((k) => k.column === o.column));
      // The list's other equality filters go before the sort keys: the index then serves them too (and the rows stay in order).
      const equal = new Set<string>();
      for (const { atom } of a.predicates) {
        if (atom.kind === 'compare' && atom.op === '=' && table.columns.has(atom.column) && !e.keys.some((k) => k.column === atom.column) && !extra.some((o) => o.column === atom.column)) equal.add(atom.column);
      }
      const keys = [...e.keys, ...[...equal].map((column) => ({ column, desc: false, nullsFirst: false })), ...extra.map((o) => ({ column: o.column, desc: o.desc, nullsFirst: o.nullsFirst ?? o.desc }))];
      const proposal = finishDraft({ method: 'btree', keys, predicate: [], conditions: [] }, table, schema);
      const index = proposalAsIndex(proposal);
      if (!sortFree(index)) continue;
      if (holder) {
        creates.splice(creates.indexOf(holder), 1);
        release(holder.serves);
      }
      creates.push({ index: { ...index }, proposal, serves: [], merged: [], widens: e, paginates: [{ shape: sv.shape, verdict: v }] });
    }
  }
}

/** The existing plain B-tree index a proposal would make redundant (a leading prefix of it), if any. */
function widenedIndex(schema: SchemaModel, p: ProposedIndex, widenable: (e: IndexDef) => boolean): IndexDef | undefined {
  const table = schema.tables.get(p.table);
  if (!table) return undefined;
  const n = proposalAsIndex(p);
  return table.indexes.find((e) => widenable(e) && redundancy(e, n));
}

function describe(i: IndexDef): string {
  return `"${i.name}" (${i.keys.map(keyLabel).join(', ')})${i.predicateText ? ` WHERE ${i.predicateText}` : ''}`;
}

export function planOptimization(input: PlanInput, opts: PlanOptions = {}): OptimizationPlan {
  const minRank = RANK[opts.minSeverity ?? 'warning'];
  const schema = input.schema;
  const all = collectDemands(input);
  // Indexes the findings drop anyway can't be widened: a new index in their place would be one more.
  const dropped = new Set(input.findings.filter((f) => (f.rule === 'redundant-index' || f.rule === 'low-selectivity-index') && f.index).map((f) => `${f.table}|${f.index}`));
  const widenable = (e: IndexDef) => !e.unique && !e.primary && !e.constraint && !dropped.has(`${e.table}|${e.name}`);
  const widened = (d: Demand) => widenedIndex(schema, d.assessment.proposal, widenable);
  const promoted = all.filter((d) => RANK[d.severity] < minRank && widened(d));
  const demands = all.filter((d) => RANK[d.severity] >= minRank || promoted.includes(d));
  let below = all.filter((d) => !demands.includes(d));

  // 2. Merge proposals per table.
  const creates: PlannedCreate[] = [];
  const byTable = new Map<string, Demand[]>();
  for (const d of demands) byTable.set(d.verdict.access.table, [...(byTable.get(d.verdict.access.table) ?? []), d]);
  for (const [tableName, ds] of byTable) {
    const table = schema.tables.get(tableName);
    if (!table) continue;
    const { chosen, served } = mergeTable(table, ds, schema, input.options);
    const others = [...new Set(ds.map((d) => defKey(d.assessment.proposal)))];
    for (const c of chosen) {
      const serves = served.get(c)!;
      const merged = others
        .filter((k) => k !== c.key)
        .map((k) => ds.find((d) => defKey(d.assessment.proposal) === k)!.assessment.proposal)
        .filter((p) => ds.filter((d) => defKey(d.assessment.proposal) === defKey(p)).every((d) => serves.includes(d)) && !chosen.some((x) => x.key === defKey(p)));
      creates.push({ index: { ...c.index }, proposal: c.proposal, serves, merged, extension: c.proposal.extension });
    }
  }

  // A create that serves only promoted demands must replace an existing index no other create replaces.
  const claimed = new Set<IndexDef>();
  for (const c of [...creates].sort((a, b) => b.serves.length - a.serves.length)) {
    if (!c.serves.every((d) => promoted.includes(d))) continue;
    const table = schema.tables.get(c.index.table)!;
    const e = table.indexes.find((i) => !claimed.has(i) && widenable(i) && redundancy(i, c.index));
    if (e) {
      claimed.add(e);
      c.widens = e;
    } else {
      creates.splice(creates.indexOf(c), 1);
      below = [...below, ...c.serves];
    }
  }

  paginationWidenings(input, creates, widenable, (ds) => (below = [...below, ...ds]));

  // Unique names: two chosen definitions can share a generated name (same keys, other predicate).
  const taken = new Set([...schema.tables.values()].flatMap((t) => t.indexes.map((i) => i.name)));
  for (const c of creates) {
    let name = c.index.name;
    for (let n = 2; taken.has(name); n++) name = `${c.index.name.slice(0, 60)}${n}`;
    taken.add(name);
    c.index.name = name;
  }

  // 3. Drops and the redundancy fixpoint.
  const findingsFor = (rule: Finding['rule']) => input.findings.filter((f) => f.rule === rule && f.index);
  const flagged = new Map<string, { finding: Finding; reason: DropReason }>();
  for (const f of findingsFor('low-selectivity-index')) flagged.set(`${f.table}|${f.index}`, { finding: f, reason: 'low-selectivity' });
  for (const f of findingsFor('redundant-index')) flagged.set(`${f.table}|${f.index}`, { finding: f, reason: 'redundant' });

  const drops = new Map<IndexDef, PlannedDrop>();
  const kept: KeptIndex[] = [];
  let createList = [...creates];
  for (let round = 0; round < 5; round++) {
    let changed = false;
    for (const table of schema.tables.values()) {
      const newHere = createList.filter((c) => c.index.table === table.name).map((c) => c.index);
      for (const e of table.indexes) {
        if (drops.has(e)) continue;
        const flag = flagged.get(`${table.name}|${e.name}`);
        if (flag) {
          const r = redundantIndexes(table.indexes).get(e);
          const cover = r?.of ?? newHere.find((n) => n.keys[0] && e.keys[0] && keyName(n.keys[0]) === keyName(e.keys[0]));
          drops.set(e, {
            index: e,
            reason: flag.reason,
            finding: flag.finding,
            coveredBy: cover,
            why: flag.reason === 'redundant' ? `redundant: ${r ? `${r.kind === 'duplicate' ? 'duplicates' : 'is a leading prefix of'} ${describe(r.of)}` : 'see the finding'}` : `low selectivity: ${lowSelectivityWhy(schema, table, e)}`,
          });
          changed = true;
          continue;
        }
        if (e.unique || e.primary || e.constraint || !e.valid) continue;
        const by = newHere.find((n) => redundancy(e, n));
        if (by) {
          drops.set(e, { index: e, reason: 'superseded', coveredBy: by, why: `superseded: a leading prefix of the new ${describe(by)}` });
          changed = true;
        }
      }
      // A new index that the indexes staying on the table (or another new one) make redundant is not created.
      const staying = table.indexes.filter((i) => !drops.has(i));
      for (const c of createList.filter((x) => x.index.table === table.name)) {
        const others = [...staying, ...createList.filter((x) => x !== c && x.index.table === table.name).map((x) => x.index)];
        const r = others.map((o) => redundancy(c.index, o)).find(Boolean);
        if (r) {
          createList = createList.filter((x) => x !== c);
          const heir = createList.find((x) => x.index === r.of);
          if (heir) heir.merged.push(c.proposal, ...c.merged), heir.serves.push(...c.serves.filter((d) => !heir.serves.includes(d)));
          changed = true;
        }
      }
    }
    if (!changed) break;
  }

  // 4. Workload check: keep a flagged index when some query still needs it.
  const allVerdicts = input.verdicts.flatMap((sv) => sv.accesses.map((v) => ({ sv, v })));
  const afterSchema = (dropSet: Set<IndexDef>): SchemaModel => {
    let s = schema;
    for (const table of schema.tables.values()) {
      const newHere = createList.filter((c) => c.index.table === table.name).map((c) => c.index);
      const removed = table.indexes.filter((i) => dropSet.has(i));
      if (!newHere.length && !removed.length) continue;
      s = withIndexes(s, table.name, [...table.indexes.filter((i) => !dropSet.has(i)), ...newHere]);
    }
    return s;
  };
  const dropSet = new Set(drops.keys());
  for (const d of [...drops.values()].sort((a, b) => a.index.name.localeCompare(b.index.name))) {
    if (d.reason === 'superseded') continue;
    const without = afterSchema(dropSet);
    const withIt = afterSchema(new Set([...dropSet].filter((x) => x !== d.index)));
    for (const { sv, v } of allVerdicts) {
      if (v.access.table !== d.index.table) continue;
      const a = accessCost(v.access, without, input.options);
      const b = accessCost(v.access, withIt, input.options);
      if (regresses(b, a)) {
        dropSet.delete(d.index);
        drops.delete(d.index);
        kept.push({ index: d.index, finding: d.finding!, query: sv.shape, before: b, after: a });
        break;
      }
    }
  }

  const after = afterSchema(dropSet);
  const order = [...schema.tables.keys()];
  const byTableOrder = (a: IndexDef, b: IndexDef) => order.indexOf(a.table) - order.indexOf(b.table) || a.name.localeCompare(b.name);
  const finalCreates = createList.sort((a, b) => byTableOrder(a.index, b.index));
  const finalDrops = [...drops.values()].sort((a, b) => byTableOrder(a.index, b.index));
  const tables = order.filter((t) => finalCreates.some((c) => c.index.table === t) || finalDrops.some((d) => d.index.table === t));

  // Proposals left out below the threshold, once per definition.
  const skipped = new Map<string, SkippedProposal>();
  for (const d of below) {
    const key = `${d.verdict.access.table}|${defKey(d.assessment.proposal)}`;
    const s = skipped.get(key) ?? { proposal: d.assessment.proposal, demands: [], why: `${d.severity}-level: ${d.assessment.why}` };
    s.demands.push(d);
    skipped.set(key, s);
  }
  return {
    creates: finalCreates,
    drops: finalDrops,
    kept,
    skipped: [...skipped.values()].sort((a, b) => a.proposal.table.localeCompare(b.proposal.table) || a.proposal.name.localeCompare(b.proposal.name)),
    unused: input.findings.filter((f) => f.rule === 'unused-by-workload' && !finalDrops.some((d) => d.index.name === f.index)),
    extensions: [...new Set(finalCreates.flatMap((c) => (c.extension ? [c.extension] : [])))].sort(),
    before: schema,
    after,
    tables,
  };
}

export interface Residual {
  /** Index proposals (missing-index, unindexed-foreign-key) the analysis still reports on the schema after the migration. */
  missing: Finding[];
  /** Indexes still redundant after the migration, with the index that covers each. */
  redundant: { index: IndexDef; of: IndexDef }[];
}

/**
 * Runs the analysis again on the schema the plan leaves: what would `check` still report? `levels`: the rules'
 * configured levels (pg-index-review.json `rules`), so a rule turned off reports nothing and a level replaces the severity.
 */
export function residualFindings(plan: OptimizationPlan, shapes: QueryShape[], options: MatcherOptions, levels: Partial<Record<RuleId, RuleSetting>> = {}): Residual {
  const verdicts = verdictsFor(shapes, plan.after, options);
  const ctx = { schema: plan.after, verdicts, options };
  const missing: Finding[] = [];
  for (const rule of [missingIndex, unindexedForeignKey]) {
    const level = levels[rule.id];
    if (level === 'off') continue;
    for (const f of rule.run(ctx)) missing.push(level ? { ...f, severity: level } : f);
  }
  const redundant: Residual['redundant'] = [];
  for (const t of plan.after.tables.values()) for (const [index, r] of redundantIndexes(t.indexes)) redundant.push({ index, of: r.of });
  return { missing, redundant };
}
