/**
 * A foreign key whose searches no index serves, where the workspace deletes from the table it references: one
 * finding per key, at its declaration, with the DELETEs that make the search as related locations (see
 * analysis/foreignKeyChecks.ts for the searches). pg-index-health's "foreign keys without index", limited to the
 * keys a DELETE of this workspace actually searches.
 */
import type { ShapeVerdict } from '../analysis/verdicts';
import { accessKey } from '../analysis/verdicts';
import { foreignKeyChecks } from '../analysis/foreignKeyChecks';
import type { AccessVerdict } from '../matcher/types';
import type { MatcherOptions } from '../matcher/options';
import type { TableAccess } from '../model/query';
import type { Finding, RelatedLocation } from '../model/finding';
import type { SourceLocation } from '../model/location';
import type { ForeignKeyDef, SchemaModel } from '../model/schema';
import type { Rule, RuleContext } from './context';
import { assessMissingIndex, proposalKeysText } from './missingIndex';
import { fmt } from '../matcher/analyzeAccess';

interface KeySearch {
  verdict: AccessVerdict;
  /** The statements that make the search. */
  sites: ShapeVerdict[];
}

/** A statement's searches through foreign keys, with the id of each key (see searchesOf). */
const searchesMade = new WeakMap<ShapeVerdict, { id: string; verdict: AccessVerdict }[]>();

function searchesOf(sv: ShapeVerdict): { id: string; verdict: AccessVerdict }[] {
  let list = searchesMade.get(sv);
  if (!list) {
    list = [];
    for (const v of sv.accesses) {
      const fk = v.access.foreignKeyCheck;
      if (!fk) continue;
      list.push({ id: `${v.access.table}\u0000${fk.references}\u0000${fk.constraint ?? v.access.predicates.map((p) => (p.atom.kind === 'compare' ? p.atom.column : '')).join(',')}`, verdict: v });
    }
    searchesMade.set(sv, list);
  }
  return list;
}

/**
 * Each key's finding, for the schema and options it was made with and the statements (in gathering order)
 * it was made from: the rule runs on every analysis, and an edit leaves most keys' statements as they were.
 */
const findingsMade = new WeakMap<SchemaModel, { options: MatcherOptions; byKey: Map<string, { sites: ShapeVerdict[]; finding?: Finding }> }>();

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The key a search goes through: by constraint name, else by columns. */
function keyOf(schema: SchemaModel, v: AccessVerdict): ForeignKeyDef | undefined {
  const fk = v.access.foreignKeyCheck!;
  const keys = schema.tables.get(v.access.table)?.foreignKeys.filter((f) => f.refTable === fk.references) ?? [];
  const columns = v.access.predicates.map((p) => (p.atom.kind === 'compare' ? p.atom.column : ''));
  return (fk.constraint ? keys.find((f) => f.name === fk.constraint) : undefined) ?? keys.find((f) => f.columns.length === columns.length && f.columns.every((c, i) => c === columns[i]));
}

/**
 * The table the statement deletes from whose rows make `search`: the key's own table, else the first one an ON DELETE
 * CASCADE leads from to it (`WITH a AS (DELETE FROM orders …), b AS (DELETE FROM users …)` searches orders' key to
 * users because of b).
 */
function deletedFirst(sv: ShapeVerdict, search: TableAccess, schema: SchemaModel): string | undefined {
  const deletes = sv.shape.accesses.filter((a) => a.kind === 'delete');
  const references = search.foreignKeyCheck!.references;
  const direct = deletes.find((a) => a.table === references);
  if (direct) return direct.table;
  const key = accessKey(search);
  return deletes.find((a) => foreignKeyChecks(a, schema, sv.shape.origin === 'prisma').some((c) => accessKey(c) === key))?.table;
}

/** Rows the statement deletes from `table`, as its DELETE's verdict estimates them. */
function deletedRows(sv: ShapeVerdict, table: string): number | undefined {
  const v = sv.accesses.find((a) => a.access.kind === 'delete' && a.access.table === table && !a.access.foreignKeyCheck);
  return v ? Math.max(1, Math.round(v.matchedRows)) : undefined;
}

function before(a: SourceLocation, b: SourceLocation): number {
  return a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

export const unindexedForeignKey: Rule = {
  id: 'unindexed-foreign-key',
  defaultSeverity: 'warning',
  summary: 'A foreign key has no index to search it by, and the workspace deletes from the table it references.',
  description:
    'For every row a DELETE removes, PostgreSQL searches each table whose foreign key references it (to check that no row still refers to it, or to cascade). Without an index led by the key’s columns, each search reads the whole referencing table, so deleting one user can read every order. Reported once per key, at its declaration, with the DELETE statements (SQL, or Prisma delete/deleteMany, through ON DELETE CASCADE too) as related locations; the fix is the index.',
  run(ctx: RuleContext): Finding[] {
    const byKey = new Map<string, KeySearch>();
    for (const sv of ctx.foreignKeySearches ?? ctx.verdicts) {
      for (const { id, verdict: v } of searchesOf(sv)) {
        let k = byKey.get(id);
        if (!k) byKey.set(id, (k = { verdict: v, sites: [] }));
        k.sites.push(sv);
      }
    }
    const made = findingsMade.get(ctx.schema);
    const last = made?.options === ctx.options ? made.byKey : undefined;
    // This run's keys only: a key no DELETE searches any more lets go of its statements.
    const now = new Map<string, { sites: ShapeVerdict[]; finding?: Finding }>();
    findingsMade.set(ctx.schema, { options: ctx.options, byKey: now });
    const out: Finding[] = [];
    for (const [id, search] of byKey) {
      const kept = last?.get(id);
      const entry = kept && sameList(kept.sites, search.sites) ? kept : { sites: [...search.sites], finding: keyFinding(search, ctx) };
      now.set(id, entry);
      if (entry.finding) out.push(entry.finding);
    }
    // Keys declared in one statement, or first searched by one DELETE, in a fixed order: by place, then by key.
    return out.sort((a, b) => before(a, b) || (a.table ?? '').localeCompare(b.table ?? '') || a.message.localeCompare(b.message));
  },
};

/** The finding for one key and the statements that search through it, if no index serves the search. */
function keyFinding({ verdict: v, sites }: KeySearch, ctx: RuleContext): Finding | undefined {
  const m = assessMissingIndex(v, ctx);
  if (!m) return undefined;
  const fk = v.access.foreignKeyCheck!;
  sites.sort((a, b) => before(a.shape.location, b.shape.location));
  // Worked out only for the keys reported: most keys a workspace deletes through are indexed.
  let searches = 0;
  let throughCascade = false;
  const related: RelatedLocation[] = sites.map((sv) => {
    const deleted = deletedFirst(sv, v.access, ctx.schema);
    const rows = deletedRows(sv, deleted ?? fk.references);
    // A search per row deleted from the key's table: through a cascade, at least one per row of the statement's own.
    if (rows !== undefined && rows > searches) [searches, throughCascade] = [rows, !!deleted && deleted !== fk.references];
    const how = rows === undefined ? '' : ` ~${fmt(rows)} row${rows === 1 ? '' : 's'}`;
    return {
      ...sv.shape.location,
      message: deleted && deleted !== fk.references ? `Deletes${how} from "${deleted}"; ON DELETE CASCADE deletes from "${fk.references}"` : `Deletes${how} from "${fk.references}"`,
    };
  });
  const perSearch = v.best?.rowsRead ?? v.rows;
  const many = searches >= 2 ? ` The largest deletes ~${fmt(searches)} rows: ${throughCascade ? 'at least ' : ''}~${fmt(searches)} searches, each reading ~${fmt(perSearch)} rows.` : '';
  // A small table searched once per row of a large DELETE reads as many rows as a large one searched once.
  const severity = m.severity === 'info' && searches >= 2 && searches * (m.rowsNow - m.rowsWith) >= ctx.options.rowsThreshold ? 'warning' : m.severity;
  const declared = keyOf(ctx.schema, v)?.location;
  const at = declared ?? sites[0].shape.location;
  const others = sites.length - 1;
  const count = declared
    ? `${sites.length === 1 ? 'One DELETE in the workspace makes' : `${sites.length} DELETE statements in the workspace make`} this search`
    : `This DELETE${others ? ` and ${others} other${others === 1 ? '' : 's'} in the workspace make` : ' makes'} this search`;
  const assumed = v.rowsAssumed ? ` (assuming ~${fmt(v.rows)} rows; set row estimates in pg-index-review.json)` : '';
  return {
    rule: 'unindexed-foreign-key',
    severity,
    message: `${fk.emulated ? 'Unindexed relation' : 'Unindexed foreign key'}: ${v.reason}. ${count}.${many} An index on "${v.access.table}" ${proposalKeysText(m.proposal)} would ${m.why}${assumed}.${m.proposal.prismaNote ? ` ${m.proposal.prismaNote}` : ''}`,
    file: at.file,
    range: at.range,
    table: v.access.table,
    index: m.proposal.name,
    related: declared ? related : related.slice(1),
    fix: { sql: m.proposal.sql, prisma: m.proposal.prisma, prismaAction: m.proposal.prisma ? 'add' : undefined, model: v.table?.model },
  };
}
