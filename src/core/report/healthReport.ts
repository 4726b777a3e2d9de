/**
 * The index health report: what a live database says about the workspace's tables and indexes,
 * next to what the analysis says about them — one JSON-able object (version 1) that the CLI
 * (`pg-index-review report`) renders as text, JSON, HTML or Markdown and the editor's "Show Index
 * Report" renders in a webview.
 *
 * Verdicts are never recomputed here: redundant, low-selectivity, unused (live statistics) and
 * unused-by-workload come from the findings of `Project.analyze()` (the rules, with the workspace's
 * rule levels and suppressions), "which queries can use this index" from the matcher's candidates,
 * connection-pool advice and slow queries from their rules.
 */
import * as path from 'node:path';
import type { ShapeVerdict } from '../analysis/verdicts';
import type { Session } from '../db/connection';
import { loadLiveSchema, type LiveSchema } from '../db/liveSchema';
import { proposesIndex, type Finding, type Severity } from '../model/finding';
import type { SourceLocation } from '../model/location';
import type { IndexDef, TableDef } from '../model/schema';
import type { AnalysisResult, Project } from '../project';
import { redundantIndexes } from '../rules/redundantIndex';
import { DEFAULT_UNUSED_INDEX_MIN_DAYS } from '../rules/unusedIndex';
import { accessVerdictText } from '../rules/slowQuery';
import { keyName } from '../matcher/btree';
import { readCatalogStats, type BloatEstimate, type CatalogStats, type SessionRow, type TableStatsRow } from './catalog';
import { accessesOf, StatementIndex, type MatchHow } from './statementMatch';
import { howUsed } from '../analysis/howUsed';
import { servesAccess } from '../analysis/indexUses';
import type { StatStatement } from '../db/statStatements';

export const REPORT_VERSION = 1;

export interface ReportLocation {
  /** Absolute path. */
  file: string;
  /** 0-based. */
  line: number;
  character: number;
}

export interface ReportFinding {
  rule: string;
  severity: Severity;
  message: string;
  location: ReportLocation;
  fixSql?: string;
  fixPrisma?: string;
}

export interface BloatInfo {
  bytes: number;
  /** 0…1; absent for relations too small to judge. */
  ratio?: number;
  unreliable: boolean;
}

export interface QueryRef {
  label: string;
  origin: string;
  location: ReportLocation;
  /** How the index serves it (equality on …, delivers the ORDER BY…). */
  how: string;
}

export interface IndexHealth {
  name: string;
  table: string;
  definition: string;
  method: string;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  bytes: number;
  scans: number;
  tupRead: number;
  tupFetch: number;
  lastScan?: string;
  /** idx_scan = 0 since the statistics began (see report.stats.since). */
  unscanned: boolean;
  /** The analysis' verdicts on it (from its findings). */
  unused?: ReportFinding;
  redundant?: ReportFinding & { of?: string };
  lowSelectivity?: ReportFinding;
  unusedByWorkload?: ReportFinding;
  drift?: ReportFinding;
  /** Workspace queries the planner would pick it for / could use it for (the matcher's candidates). */
  chosenBy: QueryRef[];
  usableBy: QueryRef[];
  bloat?: BloatInfo;
  location?: ReportLocation;
}

/** The catalog's counters as the report shows them (dates as ISO strings, set below). */
type TableCounters = Pick<
  TableStatsRow,
  'schema' | 'liveTuples' | 'deadTuples' | 'tableBytes' | 'indexBytes' | 'totalBytes' | 'seqScans' | 'seqTupRead' | 'idxScans' | 'inserts' | 'updates' | 'deletes' | 'modSinceAnalyze'
>;

export interface TableHealth extends TableCounters {
  name: string;
  rows: number;
  /** dead / (live + dead). */
  deadRatio: number;
  /** idx_scan / (seq_scan + idx_scan), undefined without scans. */
  indexScanShare?: number;
  lastVacuum?: string;
  lastAutovacuum?: string;
  lastAnalyze?: string;
  lastAutoanalyze?: string;
  bloat?: BloatInfo;
  location?: ReportLocation;
  /** Findings about the table's queries (missing-index) and declaration (drift). */
  findings: ReportFinding[];
  indexes: IndexHealth[];
}

export interface SessionInfo {
  pid: number;
  application: string;
  user?: string;
  database?: string;
  state: string;
  /** Active: since the query started; idle in transaction: since the transaction went idle. */
  durationMs: number;
  transactionMs?: number;
  waitEvent?: string;
  query?: string;
}

export interface ConnectionsHealth {
  maxConnections?: number;
  superuserReserved?: number;
  reserved?: number;
  availableToApp?: number;
  /** Client connections, this report's own excluded. */
  total: number;
  byState: { state: string; count: number }[];
  byApplication: { application: string; count: number; states: Record<string, number> }[];
  longRunning: SessionInfo[];
  idleInTransaction: SessionInfo[];
  longRunningMs: number;
}

export interface SlowStatementCandidate {
  label: string;
  origin: string;
  /** For a Prisma call: which of its statements this is. */
  purpose?: string;
  location: ReportLocation;
  /** The matcher's verdict, per table access. */
  verdict: string[];
  proposal?: { sql: string; prisma?: string };
  /** The Prisma SQL was rendered from an incomplete reading of the call. */
  approximate: boolean;
}

/** A pg_stat_statements entry (buffer counts aside) and where the workspace sends it from. */
export interface SlowStatementReport extends Omit<StatStatement, 'sharedBlksHit' | 'sharedBlksRead'> {
  how?: MatchHow;
  candidates: SlowStatementCandidate[];
}

export interface SlowQueriesHealth {
  available: boolean;
  reason?: string;
  since?: string;
  totalExecMs: number;
  statements: SlowStatementReport[];
  matched: number;
  unmatched: number;
}

export interface HealthReport {
  version: typeof REPORT_VERSION;
  generatedAt: string;
  /** `host:port/db`, no credentials. */
  target: string;
  serverVersion: number;
  workspace: { root: string; name: string; files: number; queries: number };
  stats: { since: string; source: 'stats_reset' | 'server start'; ageDays: number; unusedMinDays: number };
  summary: {
    tables: number;
    indexes: number;
    totalBytes: number;
    indexBytes: number;
    unscannedIndexes: number;
    unusedIndexes: number;
    unusedBytes: number;
    redundantIndexes: number;
    redundantBytes: number;
    invalidIndexes: number;
    missingIndexFindings: number;
    /** unindexed-foreign-key findings: keys the workspace deletes through with no index to search them by. */
    unindexedForeignKeys: number;
    tableBloatBytes: number;
    indexBloatBytes: number;
  };
  tables: TableHealth[];
  connections: ConnectionsHealth;
  slowQueries: SlowQueriesHealth;
  poolAdvice: ReportFinding[];
  timings: { totalMs: number; schemaMs: number; analysisMs: number; catalogMs: number; matchingMs: number };
  /** Parts that could not be read (and why); the rest of the report stands. */
  problems: string[];
}

export interface HealthReportOptions {
  /** Active statements running longer than this are listed as long-running (default 60 s). */
  longRunningMs?: number;
  /** Overrides the workspace's `unusedIndexMinDays` for the unused verdict. */
  unusedIndexMinDays?: number;
}

const DAY_MS = 86_400_000;

function loc(l: SourceLocation | undefined): ReportLocation | undefined {
  return l ? { file: l.file, line: l.range.start.line, character: l.range.start.character } : undefined;
}

function reportFinding(f: Finding): ReportFinding {
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    location: loc(f)!,
    ...(f.fix?.sql ? { fixSql: f.fix.sql } : {}),
    ...(f.fix?.prisma ? { fixPrisma: f.fix.prisma } : {}),
  };
}

function withoutBuffers({ sharedBlksHit: _hit, sharedBlksRead: _read, ...rest }: StatStatement): Omit<StatStatement, 'sharedBlksHit' | 'sharedBlksRead'> {
  return rest;
}

function bloatInfo(b: BloatEstimate | undefined): BloatInfo | undefined {
  return b ? { bytes: b.bloatBytes, ratio: b.ratio, unreliable: b.unreliable } : undefined;
}

function iso(d: Date | undefined): string | undefined {
  return d ? d.toISOString() : undefined;
}


/** Reads the database and analyses the workspace against it; the session stays open (the caller closes it). */
export async function buildHealthReport(project: Project, session: Session, opts: HealthReportOptions = {}): Promise<HealthReport> {
  const t0 = Date.now();
  const live = await loadLiveSchema(session);
  const t1 = Date.now();
  if (opts.unusedIndexMinDays !== undefined) project.config.unusedIndexMinDays = opts.unusedIndexMinDays;
  project.useLiveSchema(live);
  const result = project.analyze();
  const t2 = Date.now();
  const catalog = await session.exclusive((q) => readCatalogStats(q, live.serverVersion));
  const t3 = Date.now();
  const report = assembleReport(project, live, result, catalog, opts);
  const t4 = Date.now();
  report.timings = { totalMs: t4 - t0, schemaMs: t1 - t0, analysisMs: t2 - t1, catalogMs: t3 - t2, matchingMs: t4 - t3 };
  return report;
}

/** Puts the pieces together (no I/O but reading schema.prisma's text from the project). */
export function assembleReport(project: Project, live: LiveSchema, result: AnalysisResult, catalog: CatalogStats, opts: HealthReportOptions = {}): HealthReport {
  const schema = result.schema;
  const findings = result.findings;
  const unusedMinDays = project.config.unusedIndexMinDays ?? DEFAULT_UNUSED_INDEX_MIN_DAYS;
  const keyOf = (schemaName: string, table: string) => (schemaName === 'public' ? table : `${schemaName}.${table}`);

  // Which workspace queries can use each index (the matcher's candidates), keyed table\0index.
  const usage = new Map<string, { chosen: QueryRef[]; usable: QueryRef[] }>();
  const seen = new Set<string>();
  for (const sv of result.verdicts) {
    for (const v of sv.accesses) {
      for (const c of v.candidates) {
        if (!servesAccess(v, c)) continue;
        const k = `${v.access.table}\u0000${c.index.name}`;
        const dedupe = `${k}\u0000${sv.shape.id}`;
        if (seen.has(dedupe)) continue;
        seen.add(dedupe);
        let u = usage.get(k);
        if (!u) usage.set(k, (u = { chosen: [], usable: [] }));
        const ref: QueryRef = { label: sv.shape.label, origin: sv.shape.origin, location: loc(sv.shape.location)!, how: howUsed(c) };
        (v.best?.index === c.index ? u.chosen : u.usable).push(ref);
      }
    }
  }
  const indexFindings = (table: string, index: string, rule: string) => findings.find((f) => f.table === table && f.index === index && f.rule === rule);
  const bloatOf = (list: BloatEstimate[], schemaName: string, table: string, index?: string) => list.find((b) => b.schema === schemaName && b.table === table && (index === undefined ? b.index === undefined : b.index === index));

  const tables: TableHealth[] = [];
  for (const t of catalog.tables) {
    const key = keyOf(t.schema, t.table);
    const def: TableDef | undefined = schema.tables.get(key);
    const redundant = def ? redundantIndexes(def.indexes) : new Map<IndexDef, { kind: string; of: IndexDef }>();
    const indexes: IndexHealth[] = catalog.indexes
      .filter((i) => i.schema === t.schema && i.table === t.table)
      .map((i) => {
        const idef = def?.indexes.find((x) => x.name === i.index);
        const u = usage.get(`${key}\u0000${i.index}`);
        const red = indexFindings(key, i.index, 'redundant-index');
        const of = idef ? redundant.get(idef)?.of.name : undefined;
        const f = (rule: string) => {
          const x = indexFindings(key, i.index, rule);
          return x ? reportFinding(x) : undefined;
        };
        return {
          name: i.index,
          table: key,
          definition: idef ? indexText(idef) : i.definition.replace(/^CREATE (UNIQUE )?INDEX \S+ ON \S+ (USING \w+ )?/, ''),
          method: i.method,
          unique: i.unique,
          primary: i.primary,
          valid: i.valid,
          bytes: i.bytes,
          scans: i.scans,
          tupRead: i.tupRead,
          tupFetch: i.tupFetch,
          ...(i.lastScan ? { lastScan: iso(i.lastScan) } : {}),
          unscanned: i.scans === 0,
          unused: f('unused-index'),
          redundant: red ? { ...reportFinding(red), ...(of ? { of } : {}) } : undefined,
          lowSelectivity: f('low-selectivity-index'),
          unusedByWorkload: f('unused-by-workload'),
          drift: f('schema-drift'),
          chosenBy: u?.chosen ?? [],
          usableBy: u?.usable ?? [],
          bloat: i.method === 'btree' ? bloatInfo(bloatOf(catalog.indexBloat, t.schema, t.table, i.index)) : undefined,
          location: loc(idef?.location),
        };
      });
    const scans = t.seqScans + t.idxScans;
    tables.push({
      name: key,
      schema: t.schema,
      rows: Math.max(0, t.reltuples),
      liveTuples: t.liveTuples,
      deadTuples: t.deadTuples,
      deadRatio: t.liveTuples + t.deadTuples > 0 ? t.deadTuples / (t.liveTuples + t.deadTuples) : 0,
      tableBytes: t.tableBytes,
      indexBytes: t.indexBytes,
      totalBytes: t.totalBytes,
      seqScans: t.seqScans,
      seqTupRead: t.seqTupRead,
      idxScans: t.idxScans,
      indexScanShare: scans > 0 ? t.idxScans / scans : undefined,
      inserts: t.inserts,
      updates: t.updates,
      deletes: t.deletes,
      modSinceAnalyze: t.modSinceAnalyze,
      lastVacuum: iso(t.lastVacuum),
      lastAutovacuum: iso(t.lastAutovacuum),
      lastAnalyze: iso(t.lastAnalyze),
      lastAutoanalyze: iso(t.lastAutoanalyze),
      bloat: bloatInfo(bloatOf(catalog.tableBloat, t.schema, t.table)),
      location: loc(def?.location),
      findings: findings.filter((f) => f.table === key && (proposesIndex(f) || (f.rule === 'schema-drift' && !f.index))).map(reportFinding),
      indexes,
    });
  }

  const allIndexes = tables.flatMap((t) => t.indexes);
  const ageDays = (live.readAt.getTime() - live.statsSince.getTime()) / DAY_MS;
  return {
    version: REPORT_VERSION,
    generatedAt: live.readAt.toISOString(),
    target: live.target,
    serverVersion: live.serverVersion,
    workspace: { root: project.root, name: path.basename(project.root), files: result.stats.files, queries: result.stats.queries },
    stats: { since: live.statsSince.toISOString(), source: live.statsSinceSource, ageDays, unusedMinDays },
    summary: {
      tables: tables.length,
      indexes: allIndexes.length,
      totalBytes: tables.reduce((n, t) => n + t.totalBytes, 0),
      indexBytes: tables.reduce((n, t) => n + t.indexBytes, 0),
      unscannedIndexes: allIndexes.filter((i) => i.unscanned).length,
      unusedIndexes: allIndexes.filter((i) => i.unused).length,
      unusedBytes: allIndexes.filter((i) => i.unused).reduce((n, i) => n + i.bytes, 0),
      redundantIndexes: allIndexes.filter((i) => i.redundant).length,
      redundantBytes: allIndexes.filter((i) => i.redundant).reduce((n, i) => n + i.bytes, 0),
      invalidIndexes: allIndexes.filter((i) => !i.valid).length,
      missingIndexFindings: findings.filter((f) => f.rule === 'missing-index').length,
      unindexedForeignKeys: findings.filter((f) => f.rule === 'unindexed-foreign-key').length,
      tableBloatBytes: catalog.tableBloat.filter((b) => !b.unreliable && b.ratio !== undefined).reduce((n, b) => n + b.bloatBytes, 0),
      indexBloatBytes: catalog.indexBloat.filter((b) => !b.unreliable && b.ratio !== undefined).reduce((n, b) => n + b.bloatBytes, 0),
    },
    tables,
    connections: connectionsOf(live, catalog, opts.longRunningMs ?? 60_000),
    slowQueries: slowQueriesOf(project, live, result),
    poolAdvice: findings.filter((f) => f.rule === 'pool-advice').map(reportFinding),
    timings: { totalMs: 0, schemaMs: 0, analysisMs: 0, catalogMs: 0, matchingMs: 0 },
    problems: [...live.problems, ...catalog.problems],
  };
}

function indexText(i: IndexDef): string {
  const keys = i.keys.map((k) => `${keyName(k)}${k.opclass ? ` ${k.opclass}` : ''}${k.desc ? ' DESC' : ''}`).join(', ');
  return `${i.unique ? 'UNIQUE ' : ''}${i.method === 'btree' ? '' : `${i.method.toUpperCase()} `}(${keys})${i.include.length ? ` INCLUDE (${i.include.join(', ')})` : ''}${i.predicateText ? ` WHERE ${i.predicateText}` : ''}`;
}

function sessionInfo(s: SessionRow, now: Date, since: Date | undefined): SessionInfo {
  return {
    pid: s.pid,
    application: s.application,
    user: s.user,
    database: s.database,
    state: s.state,
    durationMs: since ? Math.max(0, now.getTime() - since.getTime()) : 0,
    ...(s.xactStart ? { transactionMs: Math.max(0, now.getTime() - s.xactStart.getTime()) } : {}),
    waitEvent: s.waitEvent,
    query: s.query,
  };
}

function connectionsOf(live: LiveSchema, catalog: CatalogStats, longRunningMs: number): ConnectionsHealth {
  const others = catalog.sessions.filter((s) => !s.own);
  const count = <K extends string>(keyOf: (s: SessionRow) => K) => {
    const m = new Map<K, SessionRow[]>();
    for (const s of others) {
      const k = keyOf(s);
      const l = m.get(k);
      if (l) l.push(s);
      else m.set(k, [s]);
    }
    return [...m.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  };
  const now = catalog.now;
  return {
    maxConnections: live.server?.maxConnections,
    superuserReserved: live.server?.superuserReserved,
    reserved: live.server?.reserved,
    availableToApp: live.server?.availableToApp,
    total: others.length,
    byState: count((s) => s.state).map(([state, l]) => ({ state, count: l.length })),
    byApplication: count((s) => s.application || '(none)').map(([application, l]) => ({
      application,
      count: l.length,
      states: Object.fromEntries(count((s) => s.state).filter(([st]) => l.some((x) => x.state === st)).map(([st]) => [st, l.filter((x) => x.state === st).length])),
    })),
    longRunning: others
      .filter((s) => s.state === 'active' && s.queryStart && now.getTime() - s.queryStart.getTime() >= longRunningMs)
      .map((s) => sessionInfo(s, now, s.queryStart))
      .sort((a, b) => b.durationMs - a.durationMs),
    idleInTransaction: others
      .filter((s) => s.state.startsWith('idle in transaction'))
      .map((s) => sessionInfo(s, now, s.stateChange))
      .sort((a, b) => b.durationMs - a.durationMs),
    longRunningMs,
  };
}

function slowQueriesOf(project: Project, live: LiveSchema, result: AnalysisResult): SlowQueriesHealth {
  const st = live.statements;
  if (!st?.available) return { available: false, reason: st?.reason ?? 'pg_stat_statements was not read', totalExecMs: 0, statements: [], matched: 0, unmatched: 0 };
  const prismaText = project.prismaSchemaText();
  const index = new StatementIndex(result.verdicts.map((v) => v.shape), result.schema, prismaText);
  const verdictOf = new Map<unknown, ShapeVerdict>(result.verdicts.map((v) => [v.shape, v]));
  const missing = result.findings.filter(proposesIndex);
  const statements = index.match(st.statements).map(
    (m): SlowStatementReport => ({
      ...withoutBuffers(m.statement),
      how: m.how,
      candidates: m.candidates.map((c) => {
        const sv = verdictOf.get(c.shape);
        const r = c.shape.location.range;
        const inside = (f: Pick<Finding, 'file' | 'range'>) =>
          f.file === c.shape.location.file &&
          (f.range.start.line > r.start.line || (f.range.start.line === r.start.line && f.range.start.character >= r.start.character)) &&
          (f.range.start.line < r.end.line || (f.range.start.line === r.end.line && f.range.start.character <= r.end.character));
        const accesses = sv ? accessesOf(c, sv.accesses) : [];
        const tables = new Set(accesses.map((v) => v.access.table));
        // A DELETE slowed by an unindexed foreign key is one of that key's finding's related locations.
        const proposal = missing.find((f) => (inside(f) && (!f.table || tables.has(f.table) || f.rule === 'unindexed-foreign-key')) || (f.rule === 'unindexed-foreign-key' && f.related.some(inside)));
        return {
          label: c.shape.label,
          origin: c.shape.origin,
          ...(c.purpose && c.purpose !== 'main query' ? { purpose: c.purpose } : {}),
          location: loc(c.shape.location)!,
          verdict: accesses.filter((v) => v.access.kind !== 'insert').map(accessVerdictText),
          ...(proposal?.fix?.sql ? { proposal: { sql: proposal.fix.sql, ...(proposal.fix.prisma ? { prisma: proposal.fix.prisma } : {}) } } : {}),
          approximate: c.approximate,
        };
      }),
    }),
  );
  const matched = statements.filter((s) => s.candidates.length).length;
  return { available: true, since: iso(st.since), totalExecMs: st.totalExecMs, statements, matched, unmatched: statements.length - matched };
}
