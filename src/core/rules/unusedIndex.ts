import type { Finding } from '../model/finding';
import { ZERO_RANGE } from '../model/location';
import type { IndexDef, TableDef } from '../model/schema';
import { keyLabel, keyName } from '../matcher/btree';
import { quoteAlways } from '../sql/identifiers';
import type { Rule, RuleContext } from './context';

export const DEFAULT_UNUSED_INDEX_MIN_DAYS = 30;

const DAY_MS = 86_400_000;

function size(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(1)} GB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

function fkNote(table: TableDef, index: IndexDef): string {
  const lead = index.keys[0] && keyName(index.keys[0]);
  const fk = table.foreignKeys.find((f) => f.columns[0] === lead);
  if (fk?.emulated) return ` It also serves the searches Prisma Client makes for the relation "${fk.columns.join('", "')}" → "${fk.refTable}" (relationMode = "prisma"): without it, each Prisma delete of a "${fk.refTable}" row scans "${table.name}".`;
  return fk ? ` It also serves the foreign-key checks of "${fk.columns.join('", "')}" → "${fk.refTable}": without it, deleting or re-keying a "${fk.refTable}" row scans "${table.name}".` : '';
}

export const unusedIndex: Rule = {
  id: 'unused-index',
  defaultSeverity: 'warning',
  summary: 'The live database has never scanned this index in the statistics period (pg_stat_user_indexes.idx_scan = 0).',
  description:
    'With --database, index usage comes from pg_stat_user_indexes. An index with idx_scan = 0 has not served a single query since the statistics were last reset, yet every INSERT and every UPDATE of its columns maintains it. The verdict is only given when the statistics cover at least `unusedIndexMinDays` days (default 30; since pg_stat_database.stats_reset, or the server start when they were never reset), so a fresh reset or restart does not make every index look unused. Unique and primary-key indexes enforce rules and are never reported. Statistics are per server: check read replicas before dropping anything. An INVALID index (a failed CREATE INDEX CONCURRENTLY) is reported whatever its statistics: the planner never uses it.',
  run(ctx: RuleContext): Finding[] {
    const live = ctx.live;
    if (!live) return [];
    const ageDays = (live.schema.readAt.getTime() - live.schema.statsSince.getTime()) / DAY_MS;
    const oldEnough = ageDays >= live.minStatsDays;
    const since = `${live.schema.statsSince.toISOString().slice(0, 10)} (${live.schema.statsSinceSource === 'stats_reset' ? 'last statistics reset' : 'server start; never reset'})`;
    const out: Finding[] = [];
    for (const table of ctx.schema.tables.values()) {
      for (const index of table.indexes) {
        if (index.stats === undefined) continue;
        const location = index.location ?? table.location ?? (live.workspaceFile ? { file: live.workspaceFile, range: ZERO_RANGE } : undefined);
        if (!location) continue;
        const bytes = size(index.stats.sizeBytes);
        const base = { rule: 'unused-index' as const, file: location.file, range: location.range, table: table.name, index: index.name, related: [] };
        const fix = { sql: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteAlways(index.name)};`, prismaAction: index.origin === 'prisma' ? ('remove' as const) : undefined, model: table.model };
        if (!index.valid) {
          out.push({
            ...base,
            severity: 'warning',
            message: `Index "${index.name}" on "${table.name}" is INVALID on ${live.schema.target} (a failed CREATE INDEX CONCURRENTLY): the planner never uses it, but writes still maintain it. Drop it and build it again.`,
            fix,
          });
          continue;
        }
        if (index.primary || index.unique || index.constraint || index.stats.scans !== 0 || !oldEnough) continue;
        out.push({
          ...base,
          severity: 'warning',
          message:
            `Index "${index.name}" on "${table.name}" (${index.keys.map(keyLabel).join(', ')}${bytes ? `, ${bytes}` : ''}) has not been scanned once on ${live.schema.target} since ${since}, ${Math.floor(ageDays)} days of statistics. ` +
            `It only costs writes.${fkNote(table, index)} Statistics are per server: check read replicas before dropping it.`,
          fix,
        });
      }
    }
    return out;
  },
};
