/**
 * What every rendering of the report says, independent of the format: the headline, the action
 * items (what to drop, rebuild, add, reconfigure — each tied to its finding and location) and the
 * per-index verdict words. Text, Markdown and HTML lay these out.
 */
import type { HealthReport, IndexHealth, ReportFinding, ReportLocation, SlowStatementReport } from '../healthReport';
import { bytes, count, ms, when } from './format';

export interface ActionItem {
  kind: 'invalid' | 'redundant' | 'unused' | 'low-selectivity' | 'slow-query' | 'pool' | 'missing-index';
  title: string;
  detail: string;
  location?: ReportLocation;
  sql?: string;
}

export function headline(r: HealthReport): string {
  return `Index health — ${r.workspace.name} on ${r.target} (PostgreSQL ${r.serverVersion}), ${when(r.generatedAt)} UTC`;
}

export function statsLine(r: HealthReport): string {
  const src = r.stats.source === 'stats_reset' ? 'last statistics reset' : 'server start, never reset';
  const age = r.stats.ageDays >= 1 ? `${r.stats.ageDays.toFixed(1)} days` : `${(r.stats.ageDays * 24).toFixed(1)} hours`;
  const young = r.stats.ageDays < r.stats.unusedMinDays ? ` — too young for "unused" verdicts (they need ${r.stats.unusedMinDays} days; indexes with 0 scans are listed as unscanned)` : '';
  return `Usage counters since ${when(r.stats.since)} UTC (${src}): ${age}${young}.`;
}

export function summaryLine(r: HealthReport): string {
  const s = r.summary;
  return [
    `${s.tables} tables, ${bytes(s.totalBytes - s.indexBytes)} of tables and ${bytes(s.indexBytes)} in ${s.indexes} indexes`,
    `${s.unscannedIndexes} never scanned${s.unusedIndexes ? ` (${s.unusedIndexes} unused: ${bytes(s.unusedBytes)})` : ''}`,
    `${s.redundantIndexes} redundant (${bytes(s.redundantBytes)})`,
    `${s.invalidIndexes} invalid`,
    `${s.missingIndexFindings} queries missing an index`,
    ...(s.unindexedForeignKeys ? [`${s.unindexedForeignKeys} foreign key${s.unindexedForeignKeys === 1 ? '' : 's'} without an index`] : []),
  ].join(' · ');
}

/** The words of an index's verdict column. */
export function indexVerdicts(i: IndexHealth): string[] {
  const v: string[] = [];
  if (!i.valid) v.push('INVALID');
  if (i.redundant) v.push(i.redundant.of ? `redundant (${i.redundant.of})` : 'redundant');
  if (i.unused) v.push('unused');
  else if (i.unscanned) v.push('0 scans');
  if (i.lowSelectivity) v.push('low selectivity');
  if (i.unusedByWorkload) v.push('no workspace query');
  if (i.drift) v.push('drift');
  return v;
}

export function usedByText(i: IndexHealth): string {
  if (i.chosenBy.length) return `${i.chosenBy.length} quer${i.chosenBy.length === 1 ? 'y' : 'ies'} pick it${i.usableBy.length ? `, ${i.usableBy.length} could use it` : ''}`;
  if (i.usableBy.length) return `${i.usableBy.length} quer${i.usableBy.length === 1 ? 'y' : 'ies'} could use it (another index is preferred)`;
  return 'no workspace query';
}

function findingItem(kind: ActionItem['kind'], title: string, f: ReportFinding): ActionItem {
  return { kind, title, detail: f.message, location: f.location, sql: f.fixSql };
}

export function slowTitle(s: SlowStatementReport): string {
  const rank = s.rankByTotal <= s.rankByMean ? `#${s.rankByTotal} by total time` : `#${s.rankByMean} by mean time`;
  return `${rank}: ${ms(s.meanMs)} mean × ${count(s.calls)} calls = ${ms(s.totalMs)} (${(s.shareOfTotal * 100).toFixed(s.shareOfTotal >= 0.1 ? 0 : 1)}%)`;
}

/** What to do, most urgent first: invalid, redundant, unused indexes, slow statements an index would help, pool configuration. */
export function actionItems(r: HealthReport, maxSlow = 5, topRank = 10): ActionItem[] {
  const items: ActionItem[] = [];
  const all = r.tables.flatMap((t) => t.indexes);
  for (const i of all.filter((x) => !x.valid)) {
    items.push({ kind: 'invalid', title: `${i.name} on ${i.table} is INVALID (${bytes(i.bytes)})`, detail: i.unused?.message ?? 'A failed CREATE INDEX CONCURRENTLY: never used by the planner, still maintained on writes. Drop it and build it again.', location: i.location, sql: i.unused?.fixSql ?? `DROP INDEX CONCURRENTLY IF EXISTS "${i.name}";` });
  }
  for (const i of all.filter((x) => x.redundant)) items.push(findingItem('redundant', `${i.name} on ${i.table} is redundant${i.redundant!.of ? ` with ${i.redundant!.of}` : ''} (${bytes(i.bytes)}, ${count(i.scans)} scans)`, i.redundant!));
  for (const i of all.filter((x) => x.unused && x.valid && !x.redundant)) items.push(findingItem('unused', `${i.name} on ${i.table} is unused (${bytes(i.bytes)}, 0 scans since ${when(r.stats.since)})`, i.unused!));
  for (const i of all.filter((x) => x.lowSelectivity && !x.redundant && !x.unused)) items.push(findingItem('low-selectivity', `${i.name} on ${i.table} has low selectivity (${count(i.scans)} scans)`, i.lowSelectivity!));
  const slow = r.slowQueries.statements.filter((s) => Math.min(s.rankByTotal, s.rankByMean) <= topRank && s.candidates.some((c) => c.proposal)).slice(0, maxSlow);
  for (const s of slow) {
    const c = s.candidates.find((x) => x.proposal)!;
    items.push({ kind: 'slow-query', title: `${slowTitle(s)} — ${c.label}`, detail: c.verdict.join('; '), location: c.location, sql: c.proposal!.sql });
  }
  for (const f of r.poolAdvice) items.push(findingItem('pool', f.severity === 'warning' ? 'Connection pool' : 'Connection pool (info)', f));
  return items;
}

export function connectionsLine(r: HealthReport): string {
  const c = r.connections;
  const limits =
    c.maxConnections !== undefined
      ? ` of ${c.availableToApp} available (max_connections ${c.maxConnections} − ${c.superuserReserved} superuser_reserved${c.reserved ? ` − ${c.reserved} reserved` : ''})`
      : '';
  return `${c.total} client connection${c.total === 1 ? '' : 's'}${limits}${c.byState.length ? ': ' + c.byState.map((s) => `${s.count} ${s.state}`).join(', ') : ''}`;
}

export const METHOD_NOTE =
  'Bloat is estimated from pg_stats (average widths, NULL fractions) with the ioguix/pgsql-bloat-estimation method: the pages the rows need at the fillfactor, compared with the pages the relation has; nothing is scanned. It needs fresh ANALYZE statistics, counts alignment padding as bloat (up to ~10–20% on narrow tables of mixed types), cannot see B-tree deduplication (PostgreSQL 13+: duplicate-heavy indexes show 0), and is not given for relations under 10 pages. Treat ratios below ~20–30% as noise; confirm with pgstattuple before a rebuild.';
