import type { Finding, RelatedLocation } from '../model/finding';
import type { IndexDef, SchemaModel, TableDef } from '../model/schema';
import type { MatcherOptions } from '../matcher/options';
import type { ShapeVerdict } from '../analysis/verdicts';
import { accessCost, regresses, withIndexes } from '../analysis/dropEffect';
import { accessKey } from '../analysis/verdicts';
import { quoteAlways, quoteIndex } from '../sql/identifiers';
import { distinctValues, isLowCardinality } from '../matcher/selectivity';
import { fmt, selectivityContext } from '../matcher/analyzeAccess';
import type { Rule, RuleContext } from './context';
import { indexesUsedByWorkload } from './unusedByWorkload';

interface LowCardinalityIndex {
  index: IndexDef & { location: NonNullable<IndexDef['location']> };
  table: TableDef;
  column: string;
  values: number;
  /** The schema without this index, to price the queries that choose it. */
  without: SchemaModel;
}

/** A query that chooses the index and would cost more without it. */
interface Dependant {
  verdict: ShapeVerdict;
  before: number;
  after: number;
  /** It reads the index whole in place of the table (no condition on it: the index is only narrower). */
  whole: boolean;
}

/** How many dependants a finding points at. */
const SHOWN = 3;

/** The flagged indexes per schema and options (the rule runs on every analysis; these change with the schema). */
const flaggedBySchema = new WeakMap<SchemaModel, WeakMap<MatcherOptions, LowCardinalityIndex[]>>();
/**
 * Per flagged list (so per schema and options): each access (accessKey) choosing a flagged index, its cost with
 * and without it; each verdict list (one file's), the dependants among its queries.
 */
const workedOut = new WeakMap<LowCardinalityIndex[], { costs: Map<string, { before: number; after: number }>; byList: WeakMap<readonly ShapeVerdict[], Map<IndexDef, Dependant[]>> }>();

function flaggedIndexes(schema: SchemaModel, opts: MatcherOptions): LowCardinalityIndex[] {
  let byOpts = flaggedBySchema.get(schema);
  if (!byOpts) flaggedBySchema.set(schema, (byOpts = new WeakMap()));
  let flagged = byOpts.get(opts);
  if (!flagged) byOpts.set(opts, (flagged = lowCardinalityIndexes(schema, opts)));
  return flagged;
}

function lowCardinalityIndexes(schema: SchemaModel, opts: MatcherOptions): LowCardinalityIndex[] {
  const out: LowCardinalityIndex[] = [];
  for (const table of schema.tables.values()) {
    const sctx = selectivityContext(schema, table, opts);
    for (const index of table.indexes) {
      if (index.keys.length !== 1 || index.unique || index.predicate || index.method !== 'btree' || !index.location) continue;
      const column = index.keys[0].column;
      if (!column || !isLowCardinality(sctx, column)) continue;
      const without = withIndexes(schema, table.name, table.indexes.filter((i) => i !== index));
      out.push({ index: index as LowCardinalityIndex['index'], table, column, values: distinctValues(sctx, column)!, without });
    }
  }
  return out;
}

/**
 * The queries whose chosen path is one of `flagged` and that would cost more without it: the matcher
 * (with the statistics it has: a live database's most common values make a rare value selective) says
 * they use it, so "drop it" would contradict the workspace's own verdicts. Worked out per file and kept
 * with the file's verdict list, so a keystroke looks at the edited file only.
 */
function dependants(ctx: RuleContext, flagged: LowCardinalityIndex[]): Map<IndexDef, Dependant[]> {
  let state = workedOut.get(flagged);
  if (!state) workedOut.set(flagged, (state = { costs: new Map(), byList: new WeakMap() }));
  const { costs, byList } = state;
  const out = new Map<IndexDef, Dependant[]>();
  for (const list of ctx.verdictsByFile ?? [ctx.verdicts]) {
    let mine = byList.get(list);
    if (!mine) byList.set(list, (mine = dependantsIn(ctx, flagged, list, costs)));
    for (const [index, deps] of mine) {
      const acc = out.get(index);
      if (acc) acc.push(...deps);
      else out.set(index, [...deps]);
    }
  }
  return out;
}

function dependantsIn(ctx: RuleContext, flagged: LowCardinalityIndex[], verdicts: readonly ShapeVerdict[], costs: Map<string, { before: number; after: number }>): Map<IndexDef, Dependant[]> {
  const byIndex = new Map(flagged.map((f) => [f.index as IndexDef, f]));
  const out = new Map<IndexDef, Dependant[]>();
  for (const verdict of verdicts) {
    for (const v of verdict.accesses) {
      const f = v.best && byIndex.get(v.best.index);
      if (!f) continue;
      const key = accessKey(v.access);
      let c = costs.get(key);
      if (!c) costs.set(key, (c = { before: accessCost(v.access, ctx.schema, ctx.options), after: accessCost(v.access, f.without, ctx.options) }));
      if (!regresses(c.before, c.after)) continue;
      const list = out.get(f.index) ?? [];
      if (list[list.length - 1]?.verdict !== verdict) list.push({ verdict, ...c, whole: !!v.best?.wholeIndex });
      out.set(f.index, list);
    }
  }
  return out;
}

export const lowSelectivityIndex: Rule = {
  id: 'low-selectivity-index',
  defaultSeverity: 'warning',
  summary: 'A single-column index on a boolean or low-cardinality enum.',
  description:
    'An index on a column with a handful of values returns a large share of the table for most values, so the planner prefers a sequential scan and the index only costs writes. If one value is rare and queried (PENDING payments, incomplete lessons), a partial index on the columns those queries filter or sort by, WHERE column = that value, is smaller and faster. When queries of the workspace choose the index and would cost more without it, the finding says which (at info level) and offers no DROP: give them their own index first (the optimization migration does, then drops this one).',
  run(ctx: RuleContext): Finding[] {
    const flagged = flaggedIndexes(ctx.schema, ctx.options);
    if (!flagged.length) return [];
    const used = indexesUsedByWorkload(ctx);
    const needed = flagged.some((f) => used.has(f.index)) ? dependants(ctx, flagged) : new Map<IndexDef, Dependant[]>();
    return flagged.map((f) => finding(f, needed.get(f.index) ?? []));
  },
};

function finding(f: LowCardinalityIndex, deps: Dependant[]): Finding {
  const { index, table, column, values: n } = f;
  const col = table.columns.get(column)!;
  const kind = col.type === 'boolean' ? 'a boolean' : `an enum "${col.enumName}"`;
  const what = `Index "${index.name}" is on "${column}", ${kind} column with ${n} possible values`;
  const partial = `a partial index WHERE ${quoteAlways(column)} = <the rare value> on the columns those queries filter or sort by`;
  const base = { rule: 'low-selectivity-index' as const, file: index.location.file, range: index.location.range, table: table.name, index: index.name };
  if (deps.length === 0) {
    return {
      ...base,
      severity: 'warning',
      message: `${what}: an equality match returns ~1/${n} of the table, where a sequential scan is usually cheaper. Drop it, or replace it with ${partial}.`,
      related: [],
      fix: {
        sql: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIndex(index.name, table.name)};`,
        prismaAction: index.origin === 'prisma' ? 'remove' : undefined,
        model: table.model,
      },
    };
  }
  const first = deps[0];
  const related: RelatedLocation[] = deps.slice(0, SHOWN).map((d) => ({
    ...d.verdict.shape.location,
    message: `${d.verdict.shape.label} ${d.whole ? 'reads' : 'uses'} "${index.name}"${d.whole ? ' whole' : ''}: estimated cost ${fmt(d.before)}, ${fmt(d.after)} without it`,
  }));
  if (deps.every((d) => d.whole)) {
    // No condition to give a better index: the query counts or groups the whole table, and this index is the narrow copy of the column it reads.
    const count = deps.length === 1 ? 'one query of the workspace reads it whole' : `${deps.length} queries of the workspace read it whole`;
    return {
      ...base,
      severity: 'info',
      message: `${what}, yet ${count} in place of the table (${first.verdict.shape.label}: ${fmt(first.before)} → ${fmt(first.after)} without it), an Index Only Scan of a column the index holds in fewer pages than the table's rows. The optimization migration keeps it; dropping it trades that query's speed for cheaper writes.`,
      related,
    };
  }
  const count = deps.length === 1 ? 'one query of the workspace uses it' : `${deps.length} queries of the workspace use it`;
  return {
    ...base,
    severity: 'info',
    message: `${what}, yet ${count} and would cost more without it (${first.verdict.shape.label}: ${fmt(first.before)} → ${fmt(first.after)}). Don't drop it alone: give those queries the index they need first (their missing-index findings, or ${partial}), then drop it; the optimization migration does both in that order.`,
    related,
  };
}
