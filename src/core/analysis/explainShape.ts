/** The debugging view of one SQL text: its query shapes and the matcher's verdict per table. */
import type { Finding } from '../model/finding';
import { LineIndex, type Range } from '../model/location';
import type { OrderItem, TableAccess } from '../model/query';
import type { SchemaModel } from '../model/schema';
import type { MatcherOptions } from '../matcher/options';
import type { AccessVerdict } from '../matcher/types';
import type { RuleContext } from '../rules/context';
import { shapesFromSqlText } from '../shapes/fromSql';
import { atomSql } from '../matcher/propose';
import { assessMissingIndex } from '../rules/missingIndex';
import { verdictsFor } from './verdicts';

export interface ExplainedTable {
  table: string;
  alias: string | null;
  /** The index the planner can use, or null for a sequential scan. */
  index: string | null;
  sortAvoided: boolean | null;
  indexOnly: boolean;
  reason: string;
  rows: number;
  rowsAssumed: boolean;
  filters: string[];
  joinKeys: string[];
  orderBy: string[];
  limit: number | 'param' | null;
  candidates: { index: string; usable: boolean; equality: readonly string[]; range: string | null; sortAvoided: boolean; indexOnly: boolean; rowsRead: number | null; reason: string }[];
  proposal: { sql: string; prisma: string | null; severity: string; why: string } | null;
  /** The chosen path's parallel workers (a parallel scan under a Gather), when it is one. */
  parallelWorkers?: number;
  /** For a DELETE, a table it does not name: the search a foreign key of that table makes per deleted row (its name, or "" when unnamed). */
  foreignKey?: string;
}

export interface ExplainedStatement {
  range: Range;
  label: string;
  tables: ExplainedTable[];
}

export interface ExplainShapeResult {
  version: 1;
  statements: ExplainedStatement[];
  problems: { message: string; range: Range }[];
}

function orderText(o: OrderItem): string {
  const nulls = o.nullsFirst === undefined ? '' : o.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
  return `"${o.column}"${o.desc ? ' DESC' : ''}${nulls}`;
}

function filtersOf(a: TableAccess): string[] {
  return a.predicates.map((p) => atomSql(p.atom));
}

/** One table of a statement as `explain-shape` reports it: the verdict, the candidates, the proposal. */
export function explainedTable(v: AccessVerdict, ctx: RuleContext): ExplainedTable {
  const m = assessMissingIndex(v, ctx);
  const workers = v.best ? v.best.parallelWorkers : v.parallelWorkers;
  return {
    table: v.access.table,
    alias: v.access.alias ?? null,
    index: v.best?.index.name ?? null,
    sortAvoided: v.sortAvoided,
    indexOnly: v.best?.indexOnly ?? false,
    ...(workers ? { parallelWorkers: workers } : {}),
    reason: v.access.orderByUnsatisfiable ? `${v.reason}; ${v.access.orderByUnsatisfiable}` : v.reason,
    rows: v.rows,
    rowsAssumed: v.rowsAssumed,
    filters: filtersOf(v.access),
    joinKeys: v.access.joinKeys.map((j) => `"${j.column}" = ${j.otherTable}."${j.otherColumn}"`),
    orderBy: v.access.orderBy.map(orderText),
    limit: v.access.limit ?? null,
    candidates: v.candidates.map((c) => ({
      index: c.index.name,
      usable: c.usable,
      equality: c.equalityColumns,
      range: c.rangeColumn ?? null,
      sortAvoided: c.sortAvoided,
      indexOnly: c.indexOnly,
      rowsRead: c.usable ? Math.round(c.rowsRead) : null,
      reason: c.reason,
    })),
    proposal: m ? { sql: m.proposal.sql, prisma: m.proposal.prisma ?? null, severity: m.severity, why: m.why } : null,
    ...(v.access.foreignKeyCheck ? { foreignKey: v.access.foreignKeyCheck.constraint ?? '' } : {}),
  };
}

export function explainShape(sql: string, schema: SchemaModel, opts: MatcherOptions): ExplainShapeResult {
  const { shapes, problems } = shapesFromSqlText(sql, { file: '<input>', origin: 'sql-file', lines: new LineIndex(sql), schema });
  const verdicts = verdictsFor(shapes, schema, opts);
  const ctx = { schema, verdicts, options: opts };
  return {
    version: 1,
    statements: verdicts.map((sv) => ({
      range: sv.shape.location.range,
      label: sv.shape.label,
      tables: sv.accesses.map((v) => explainedTable(v, ctx)),
    })),
    problems: problems.map((p: Finding) => ({ message: p.message, range: p.range })),
  };
}
