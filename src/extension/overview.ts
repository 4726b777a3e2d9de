/**
 * Tables → indexes → the queries that can use each index, and the findings on each: the data
 * behind the Index view and the Index Report. Built from one AnalysisResult; no `vscode` import.
 */
import { proposesIndex, type Finding } from '../core/model/finding';
import type { SourceLocation } from '../core/model/location';
import type { IndexDef } from '../core/model/schema';
import type { AnalysisResult } from '../core/project';
import { howUsed } from '../core/analysis/howUsed';
import { servesAccess } from '../core/analysis/indexUses';

export interface QueryUse {
  label: string;
  location: SourceLocation;
  /** The planner's likely choice for this query (not just a usable candidate). */
  chosen: boolean;
  how: string;
}

export interface IndexOverview {
  name: string;
  definition: string;
  unique: boolean;
  primary: boolean;
  location?: SourceLocation;
  findings: Finding[];
  queries: QueryUse[];
}

export interface TableOverview {
  name: string;
  /** A materialized view: queries read its rows and indexes as a table's. */
  materialized?: true;
  rows?: number;
  location?: SourceLocation;
  indexes: IndexOverview[];
  /** Findings about the table's queries (missing indexes), not tied to an existing index. */
  findings: Finding[];
}

export function indexDefinition(i: IndexDef): string {
  const keys = i.keys.map((k) => `${k.column ?? k.expression ?? '?'}${k.desc ? ' DESC' : ''}`).join(', ');
  const kind = i.primary ? 'PRIMARY KEY ' : i.unique ? 'UNIQUE ' : '';
  const method = i.method !== 'btree' ? `USING ${i.method} ` : '';
  return `${kind}${method}(${keys})${i.include.length ? ` INCLUDE (${i.include.join(', ')})` : ''}${i.predicateText ? ` WHERE ${i.predicateText}` : ''}`;
}


export function buildOverview(r: AnalysisResult): TableOverview[] {
  const tables: TableOverview[] = [];
  const byIndex = new Map<string, IndexOverview>();
  for (const t of [...r.schema.tables.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const to: TableOverview = { name: t.name, ...(t.materialized ? { materialized: true as const } : {}), rows: t.rowEstimate, location: t.location, indexes: [], findings: [] };
    for (const i of t.indexes) {
      const io: IndexOverview = { name: i.name, definition: indexDefinition(i), unique: i.unique, primary: i.primary, location: i.location, findings: [], queries: [] };
      to.indexes.push(io);
      byIndex.set(`${t.name}\u0000${i.name}`, io);
    }
    tables.push(to);
  }
  const byTable = new Map(tables.map((t) => [t.name, t]));
  for (const sv of r.verdicts) {
    for (const v of sv.accesses) {
      for (const c of v.candidates) {
        if (!servesAccess(v, c)) continue;
        const io = byIndex.get(`${v.access.table}\u0000${c.index.name}`);
        if (!io) continue;
        const chosen = v.best?.index.name === c.index.name;
        if (io.queries.some((q) => q.location.file === sv.shape.location.file && q.location.range.start.line === sv.shape.location.range.start.line && q.label === sv.shape.label)) continue;
        io.queries.push({ label: sv.shape.label, location: sv.shape.location, chosen, how: howUsed(c) });
      }
    }
  }
  for (const f of r.findings) {
    if (!f.table) continue;
    const io = f.index ? byIndex.get(`${f.table}\u0000${f.index}`) : undefined;
    if (io && !proposesIndex(f)) io.findings.push(f);
    else byTable.get(f.table)?.findings.push(f);
  }
  for (const t of tables) for (const i of t.indexes) i.queries.sort((a, b) => Number(b.chosen) - Number(a.chosen) || a.location.file.localeCompare(b.location.file) || a.location.range.start.line - b.location.range.start.line);
  return tables;
}
