/**
 * The static verdict next to the plan a database gave for the same statement: per table, the index
 * the analysis expects the planner to use (or a sequential scan) against the scans in the plan. The
 * hover and the Explain document say so when they differ, so a user trusts neither blindly.
 */
import type { IndexChoice, PlanSummary } from '../db/planSummary';
import type { IndexUse } from '../matcher/types';
import type { ShapeVerdict } from './verdicts';

export interface TablePlanComparison {
  table: string;
  /** The index the static analysis expects; undefined for a sequential scan. */
  expected?: string;
  /** The indexes the plan reads this table through (a bitmap scan may combine several). */
  plannerIndexes: string[];
  plannerSeqScan: boolean;
  agree: boolean;
  /** The planner picked another index the analysis rates the same way (same conditions, same order). */
  equivalent: boolean;
}

function bare(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot >= 0 ? name.slice(dot + 1) : name).replace(/"/g, '');
}

function sameUse(a: IndexUse | undefined, b: IndexUse | undefined): boolean {
  if (!a || !b || !b.usable) return false;
  // Equality columns in any order: `a = 1 AND b = 2` is the same search on (a, b) and (b, a).
  const eq = (u: IndexUse) => [...u.equalityColumns].sort().join();
  return eq(a) === eq(b) && a.rangeColumn === b.rangeColumn && a.sortAvoided === b.sortAvoided;
}

/** One row per table of the statement that the plan reads; tables the plan never scans (pruned, a CTE) are left out. */
export function comparePlan(verdict: ShapeVerdict, summary: Pick<PlanSummary, 'indexes' | 'seqScans'>): TablePlanComparison[] {
  const out: TablePlanComparison[] = [];
  const seen = new Set<string>();
  for (const a of verdict.accesses) {
    const table = bare(a.access.table);
    if (seen.has(table)) continue;
    seen.add(table);
    const plannerIndexes = summary.indexes.filter((i: IndexChoice) => i.relation !== undefined && bare(i.relation) === table).map((i) => i.index);
    const plannerSeqScan = summary.seqScans.some((r) => bare(r) === table);
    if (!plannerIndexes.length && !plannerSeqScan) continue;
    const expected = a.best?.index.name;
    let agree = expected === undefined ? plannerSeqScan && !plannerIndexes.length : plannerIndexes.includes(expected) && !plannerSeqScan;
    let equivalent = false;
    if (!agree && expected !== undefined && !plannerSeqScan && plannerIndexes.length === 1) {
      equivalent = agree = sameUse(a.best, a.candidates.find((c) => c.index.name === plannerIndexes[0]));
    }
    out.push({ table, expected, plannerIndexes, plannerSeqScan, agree, equivalent });
  }
  return out;
}

function plannerText(c: TablePlanComparison): string {
  const idx = c.plannerIndexes.map((i) => `"${i}"`).join(' and ');
  if (c.plannerSeqScan && idx) return `a sequential scan and ${idx}`;
  return c.plannerSeqScan ? 'a sequential scan' : `${idx}`;
}

/**
 * Markdown lines on where the plan and the analysis differ; empty when they agree. `synthetic`: the
 * plan comes from generated rows (the embedded database), so data-dependent differences are expected.
 */
export function disagreementText(rows: TablePlanComparison[], synthetic: boolean): string[] {
  const off = rows.filter((r) => !r.agree);
  if (!off.length) return [];
  const lines = off.map((r) => `- \`${r.table}\`: the analysis expects ${r.expected ? `"${r.expected}"` : 'a sequential scan'}, the planner uses ${plannerText(r)}.`);
  const why = synthetic
    ? 'The embedded database plans synthetic rows: where the difference comes from data sizes or value skew, the plan on your own database decides.'
    : "The planner's choice rests on this database's statistics; the analysis on its row estimates and the schema. Where they differ, the plan is what runs.";
  return ['**The plan differs from the static analysis**', '', ...lines, '', `_${why}_`];
}
