import type { Finding } from '../model/finding';
import type { IndexDef, TableDef } from '../model/schema';
import { keyLabel, keyName } from '../matcher/btree';
import type { ShapeVerdict } from '../analysis/verdicts';
import { prismaMappingOf, type Rule, type RuleContext } from './context';
import { addIndexesUsed } from '../analysis/indexUses';
import { redundantIndexes } from './redundantIndex';

export function indexesUsedByWorkload(ctx: RuleContext): ReadonlySet<IndexDef> {
  if (ctx.usedIndexes) return ctx.usedIndexes;
  return addIndexesUsed(new Set<IndexDef>(), ctx.verdicts);
}

/**
 * First columns of the table's foreign keys, those of relation fields schema.prisma's errors left out
 * included (the key is still in the database, and the queries through that relation are not analysed);
 * undefined when such a field's `fields: [...]` names no field of the model (the error may be there):
 * then any index of the table may be that key's.
 */
function foreignKeyLeads(ctx: RuleContext, table: TableDef): Set<string> | undefined {
  const leads = new Set(table.foreignKeys.map((f) => f.columns[0]));
  const mapping = prismaMappingOf(ctx);
  const model = table.model ? mapping?.models.get(table.model) : undefined;
  if (!model || !mapping?.leftOutFields) return leads;
  for (const [name, field] of mapping.leftOutFields) {
    if (!name.startsWith(`${model.name}.`) || !field.fields[0]) continue;
    const column = model.fields.get(field.fields[0])?.column;
    if (column === undefined) return undefined;
    leads.add(column);
  }
  return leads;
}

/** Per file's verdict list: the indexes its queries read whole as their chosen path (kept with the list, so a keystroke walks one file). */
const readWholeByList = new WeakMap<readonly ShapeVerdict[], ReadonlySet<IndexDef>>();

/** The indexes some query reads whole in place of the table as its chosen path (IndexUse.wholeIndex). */
function indexesReadWhole(ctx: RuleContext): ReadonlySet<IndexDef> {
  const out = new Set<IndexDef>();
  for (const list of ctx.verdictsByFile ?? [ctx.verdicts]) {
    let mine = readWholeByList.get(list);
    if (!mine) {
      const set = new Set<IndexDef>();
      for (const sv of list) for (const v of sv.accesses) if (v.best?.wholeIndex) set.add(v.best.index);
      readWholeByList.set(list, (mine = set));
    }
    for (const x of mine) out.add(x);
  }
  return out;
}

export const unusedByWorkload: Rule = {
  id: 'unused-by-workload',
  defaultSeverity: 'info',
  summary: 'No query in the workspace can use this index.',
  description:
    'None of the queries found in the workspace (SQL files, embedded SQL, Prisma Client calls) filters, joins or sorts in a way this index serves. It may serve queries outside the workspace (other services, ad-hoc SQL), so check the live usage statistics (pg_stat_user_indexes.idx_scan) before dropping it. Unique, primary-key and foreign-key indexes are not reported: they enforce rules or speed up cascades. Neither is the index on the foreign key of a relation field that schema.prisma\'s errors left out (the queries through it are not analysed). Prisma calls whose model is chosen at run time are not analysed either: the finding says how many may use the index.',
  run(ctx: RuleContext): Finding[] {
    const unresolved = ctx.unresolvedQueries ?? ctx.verdicts.filter((v) => v.shape.unresolved).length;
    // With no query analysed, "no query can use it" says nothing.
    if ((ctx.queryCount ?? ctx.verdicts.length) - unresolved === 0) return [];
    const caveat = unresolved === 0 ? '' : ` ${unresolved === 1 ? 'One query' : `${unresolved} queries`} of the workspace ${unresolved === 1 ? 'is' : 'are'} not analysed (a Prisma model chosen at run time) and may use it.`;
    const used = indexesUsedByWorkload(ctx);
    let readWhole: ReadonlySet<IndexDef> | undefined;
    const out: Finding[] = [];
    for (const table of ctx.schema.tables.values()) {
      // Runs on every analysis: the pairwise redundancy check only for tables with an index left to report.
      let redundant: Map<IndexDef, unknown> | undefined;
      let fkLeads: Set<string> | undefined | null = null;
      for (const index of table.indexes) {
        if (used.has(index) || index.unique || index.primary || !index.location) continue;
        redundant ??= redundantIndexes(table.indexes);
        if (redundant.has(index)) continue;
        if (fkLeads === null) fkLeads = foreignKeyLeads(ctx, table);
        if (!fkLeads || (index.keys[0] && fkLeads.has(keyName(index.keys[0])))) continue;
        readWhole ??= indexesReadWhole(ctx);
        const what = `"${index.name}" on "${table.name}" (${index.keys.map(keyLabel).join(', ')})`;
        out.push({
          rule: 'unused-by-workload',
          severity: 'info',
          message: readWhole.has(index)
            ? `No query in the workspace needs index ${what}: the queries that read it read it whole in place of the table, which another index holding their columns, or the table, serves about as well. Those reads count in idx_scan, so it will not be 0; without the index they go elsewhere.${caveat}`
            : `No query in the workspace can use index ${what}. If the live statistics agree (idx_scan = 0 over a long period), it only costs writes.${caveat}`,
          file: index.location.file,
          range: index.location.range,
          table: table.name,
          index: index.name,
          related: [],
        });
      }
    }
    return out;
  },
};
