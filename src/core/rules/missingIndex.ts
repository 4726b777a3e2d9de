import type { Finding } from '../model/finding';
import type { Range } from '../model/location';
import type { AccessVerdict, ProposedIndex } from '../matcher/types';
import { analyzeAccess, evaluateIndex, fmt, selectivityContext } from '../matcher/analyzeAccess';
import { keyLabel, requiredOrder } from '../matcher/btree';
import { draftAsIndex, draftIndex, finishDraft, type Draft } from '../matcher/propose';
import { atomColumns, type PredicateAtom } from '../model/predicate';
import type { IndexDef, IndexKey, TableDef } from '../model/schema';
import type { TableAccess } from '../model/query';
import { normalizeExprText } from '../sql/expr';
import type { ShapeVerdict } from '../analysis/verdicts';
import type { Rule, RuleContext } from './context';
import { DEFAULT_THRESHOLDS } from '../db/planSummary';

/** How much cheaper the proposal must be before it is worth an index. */
const MIN_GAIN = 1.2;
/** How many times fewer rows a B-tree must read than the BRIN index on its columns that a query uses now. */
const BRIN_GAIN = 10;
/** A sort worth removing for its own sake (planSummary's DEFAULT_THRESHOLDS.sortRows). */
const SORT_ROWS = DEFAULT_THRESHOLDS.sortRows;

export interface MissingIndexAssessment {
  proposal: ProposedIndex;
  severity: 'warning' | 'info';
  why: string;
  rowsNow: number;
  rowsWith: number;
  sortAvoided: boolean;
}

/**
 * Assessments by evaluation: keyed by the verdict's `candidates` array, which verdicts share exactly
 * when they are one evaluation of equal accesses (VerdictMemo) — the assessment reads nothing else
 * that differs between them (not the ranges). Not a hash join's inner side: its verdict shares the
 * evaluation of the table read once with every other use of that evaluation (another join of the same
 * table, a plain read of it), but its assessment also reads the join's outer rows and keys.
 */
const assessed = new WeakMap<AccessVerdict['candidates'], { options: object; schema: object; result: MissingIndexAssessment | undefined }>();

/** Decides whether an access deserves an index and which one; shared by the rule and hovers. */
export function assessMissingIndex(v: AccessVerdict, ctx: RuleContext): MissingIndexAssessment | undefined {
  if (v.hashJoin) return assess(v, ctx);
  const hit = assessed.get(v.candidates);
  if (hit && hit.options === ctx.options && hit.schema === ctx.schema) return hit.result;
  const result = assess(v, ctx);
  assessed.set(v.candidates, { options: ctx.options, schema: ctx.schema, result });
  return result;
}

function assess(v: AccessVerdict, ctx: RuleContext): MissingIndexAssessment | undefined {
  const { access, table } = v;
  if (!table || access.kind === 'insert') return undefined;
  if (v.rows < ctx.options.minRows) return undefined;
  // A unique index matched on every key already returns at most one row.
  if (v.best && v.best.index.unique && !v.best.index.predicate && v.best.equalityColumns.length === v.best.index.keys.length) return undefined;
  const sctx = selectivityContext(ctx.schema, table, ctx.options);
  // Named and written out (SQL, Prisma) only when it is proposed.
  let draft = draftIndex(access, table, sctx);
  let use = draft && evaluateIndex(draftAsIndex(draft, table), access, sctx);
  let orBranch: string | undefined;
  if (!use?.usable) {
    // An OR no single index serves: one for its branch that has none lets a BitmapOr serve it with the others'.
    const forBranch = orBranchIndex(v, table, sctx, ctx);
    if (!forBranch) return undefined;
    ({ draft, use, orBranch } = forBranch);
  }
  if (!draft || !use) return undefined;
  // The table may already have that index, unused for a reason the draft does not change (its cost, a join order).
  const draftPredicate = JSON.stringify(draft.predicate);
  if (table.indexes.some((ix) => sameIndex(ix, draft!, draftPredicate))) return undefined;
  // The inner side of a hash join is read once; an index on its join key is looked up once per outer row.
  const lookups = v.hashJoin && v.outerRows ? v.outerRows : 1;
  const currentCost = v.best?.cost ?? v.seqScanCost;
  const rowsNow = v.best?.rowsRead ?? v.rows;
  const sortNow = v.needsSort && !v.sortAvoided;
  const sortFixed = sortNow && use.sortAvoided;
  // The costs decide, a sort avoided included: removing the sort of a handful of rows saves nothing.
  if (use.cost * lookups * MIN_GAIN >= currentCost) return undefined;
  // A BRIN index on these columns was made to spare a B-tree's size: one beside it must read far fewer rows, not
  // merely skip the heap or the recheck of the page ranges (a range of a correlated timestamp).
  const brin = v.best?.index.method === 'brin' ? v.best.index : undefined;
  if (brin && draft.keys.every((k) => k.column && brin.keys.some((b) => b.column === k.column)) && use.rowsRead * lookups * BRIN_GAIN > rowsNow) return undefined;
  // Without statistics telling how the rows lie on disk (pg_stats.correlation of its first key), an index
  // that returns a large share of the table is not trusted to pay unless it also removes a sort.
  const lead = draft.keys[0]?.column;
  const correlated = lead !== undefined && table.columns.get(lead)?.stats?.correlation !== undefined;
  if (use.rowsRead / v.rows > ctx.options.maxSelectivity && !sortFixed && !correlated) return undefined;
  const sortedRows = sortNow ? Math.min(v.matchedRows, rowsNow) : 0;
  const rowsWith = use.rowsRead * lookups;
  const saved = Math.max(rowsNow - rowsWith, sortFixed ? sortedRows : 0);
  const severity = saved >= ctx.options.rowsThreshold || (sortFixed && access.limit !== undefined && sortedRows > Math.max(SORT_ROWS, typeof access.limit === 'number' ? access.limit : 50)) ? 'warning' : 'info';
  if (severity === 'info') {
    if (saved < ctx.options.minRowsSaved) return undefined;
    // A small gain must still be a real one: half the rows read, or a sort of at least SORT_ROWS rows removed.
    if (!(rowsNow >= 2 * rowsWith || (sortFixed && sortedRows >= SORT_ROWS))) return undefined;
    // Below warning level, a copy of the index in use that only adds a partial predicate is not worth its upkeep.
    const usedKeys = v.best?.equalityColumns ?? [];
    const sameKeys = draft.keys.length === usedKeys.length && draft.keys.every((k, i) => k.column === usedKeys[i]);
    if (sameKeys && !sortFixed) return undefined;
  }
  const parts: string[] = [];
  if (orBranch) parts.push(orBranch);
  if (rowsNow - rowsWith >= 1) parts.push(`read ${approx(rowsWith)} instead of ${approx(rowsNow)} rows`);
  if (sortFixed) parts.push(`return them already in ORDER BY order (${noSort(sortedRows)})`);
  return { proposal: finishDraft(draft, table, ctx.schema), severity, why: parts.join(' and ') || 'serve this query directly', rowsNow, rowsWith, sortAvoided: sortFixed };
}

/**
 * For an OR whose branches all have an index but one (`tenant_id = $1 OR customer_id = $1` with an index led by
 * tenant_id): the index for that branch, and how the access would be read with it (a BitmapOr, when it is cheaper).
 */
function orBranchIndex(v: AccessVerdict, table: TableDef, sctx: ReturnType<typeof selectivityContext>, ctx: RuleContext) {
  const { access } = v;
  for (const p of access.predicates) {
    const or = p.atom;
    if (or.kind !== 'other' || !or.anyOf) continue;
    const others = access.predicates.filter((q) => q !== p);
    const alone = (branch: PredicateAtom): TableAccess => ({ ...access, predicates: [...others, { atom: branch, range: p.range }], orderBy: [], limit: undefined, offset: undefined });
    const unserved = or.anyOf.filter((branch) => !analyzeAccess(alone(branch), ctx.schema, ctx.options).best?.conditions.includes(branch));
    if (unserved.length !== 1) continue;
    const draft = draftIndex(alone(unserved[0]), table, sctx);
    if (!draft || draft.method !== 'btree') continue;
    const best = analyzeAccess(access, ctx.schema, ctx.options, [draftAsIndex(draft, table)]).best;
    if (!best?.conditions.includes(or)) continue;
    const served = or.anyOf.filter((b) => b !== unserved[0]).flatMap(atomColumns);
    return { draft, use: best, orBranch: `let the OR use a BitmapOr with the index${served.length > 1 ? 'es' : ''} on ${served.map((c) => `"${c}"`).join(', ')}` };
  }
  return undefined;
}

/** An index predicate as JSON, once per predicate list (a rename gives the index a new list). */
const predicateJson = new WeakMap<PredicateAtom[], string>();

/**
 * An index with the draft's keys first (same columns, same or fully reversed directions), method and
 * predicate (`draftPredicate`: the draft's as JSON). Keys are compared first: most indexes differ there.
 */
function sameIndex(ix: IndexDef, draft: Draft, draftPredicate: string): boolean {
  if (!ix.valid || ix.method !== draft.method || ix.keys.length < draft.keys.length) return false;
  const text = (k: IndexKey) => (k.column ? k.column : normalizeExprText(k.expression ?? ''));
  const keyed = (flip: boolean) =>
    draft.keys.every((k, i) => {
      const x = ix.keys[i];
      return text(x) === text(k) && (x.opclass ?? '') === (k.opclass ?? '') && (x.desc !== k.desc) === flip && (x.nullsFirst !== k.nullsFirst) === flip;
    });
  if (!keyed(false) && !keyed(true)) return false;
  if (!ix.predicate) return draftPredicate === '[]';
  let own = predicateJson.get(ix.predicate);
  if (own === undefined) predicateJson.set(ix.predicate, (own = JSON.stringify(ix.predicate)));
  return own === draftPredicate;
}

function approx(n: number): string {
  const s = fmt(n);
  return s === 'under 1' ? s : `~${s}`;
}

/** "no sort of ~1250 rows", "no sort of ~1 row"; just "no sort" when under one row would be sorted. */
function noSort(rows: number): string {
  const s = fmt(rows);
  if (s === 'under 1' || s === '0') return 'no sort';
  return `no sort of ~${s} row${s === '1' ? '' : 's'}`;
}

function findingRange(v: AccessVerdict, sv: ShapeVerdict): Range {
  const a = v.access;
  const usedConditions = new Set(v.best?.conditions.map((c) => JSON.stringify(c)) ?? []);
  if (v.needsSort && !v.sortAvoided) {
    const items = requiredOrder(a).filter((o) => o.range);
    if (items.length && v.best) return { start: items[0].range!.start, end: items[items.length - 1].range!.end };
  }
  const unserved = a.predicates.filter((p) => p.range && !usedConditions.has(JSON.stringify(p.atom)));
  if (unserved.length) return unserved[0].range!;
  const any = a.predicates.find((p) => p.range) ?? requiredOrder(a).find((o) => o.range);
  return any?.range ?? sv.shape.location.range;
}

/** `(a, b DESC) WHERE …`, `GIN (x)`: a proposal's keys as a message names them. */
export function proposalKeysText(p: ProposedIndex): string {
  const keys = p.keys.map(keyLabel).join(', ');
  return `${p.method === 'btree' ? '' : `${p.method.toUpperCase()} `}(${keys})${p.predicateText ? ` WHERE ${p.predicateText}` : ''}`;
}

export const missingIndex: Rule = {
  id: 'missing-index',
  defaultSeverity: 'warning',
  scope: 'verdict',
  summary: 'A query has no index that serves its filter, join or sort.',
  description:
    'PostgreSQL can use a B-tree index for the leading columns compared with =/IN/IS NULL, then one range column, and can return rows in index order when the ORDER BY matches the remaining key columns in the same or fully reversed direction. When no index does that for a query on a large table, it reads and sorts far more rows than it returns. The fix proposes the index (equality, then range or sort columns; constant boolean/enum filters as a partial-index predicate), as SQL and as a Prisma @@index. An OR is served by a BitmapOr of one index per branch: when all its branches have one but one, that branch\'s index is proposed.',
  run(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const sv of ctx.verdicts) {
      for (const v of sv.accesses) {
        // A foreign key's search is reported once per key, where it is declared (unindexed-foreign-key).
        if (v.access.foreignKeyCheck) continue;
        const m = assessMissingIndex(v, ctx);
        if (!m) continue;
        const assumed = v.rowsAssumed ? ` (assuming ~${fmt(v.rows)} rows; set row estimates in pg-index-review.json)` : '';
        out.push({
          rule: 'missing-index',
          severity: m.severity,
          message: `${sv.shape.label}: ${v.reason}. An index on "${v.access.table}" ${proposalKeysText(m.proposal)} would ${m.why}${assumed}.${m.proposal.prismaNote ? ` ${m.proposal.prismaNote}` : ''}`,
          file: sv.shape.location.file,
          range: findingRange(v, sv),
          table: v.access.table,
          index: m.proposal.name,
          related: v.best?.index.location ? [{ ...v.best.index.location, message: `Index used today: "${v.best.index.name}"` }] : [],
          fix: { sql: m.proposal.sql, prisma: m.proposal.prisma, prismaAction: m.proposal.prisma ? 'add' : undefined, model: v.table?.model },
        });
      }
    }
    return out;
  },
};
