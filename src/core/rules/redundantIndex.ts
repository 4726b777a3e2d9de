import type { Finding } from '../model/finding';
import type { IndexDef } from '../model/schema';
import { quoteAlways, quoteIndex } from '../sql/identifiers';
import { keyLabel } from '../matcher/btree';
import type { Rule, RuleContext } from './context';
import { redundancy, type Redundancy } from './indexRelations';

function describe(i: IndexDef): string {
  const kind = i.primary ? 'PRIMARY KEY' : i.unique ? 'UNIQUE' : 'index';
  return `${kind} "${i.name}" (${i.keys.map(keyLabel).join(', ')})`;
}

/** For each redundant index, the one that makes it redundant (preferring unique, then the widest). */
export function redundantIndexes(indexes: IndexDef[]): Map<IndexDef, Redundancy> {
  const out = new Map<IndexDef, Redundancy>();
  for (const a of indexes) {
    let chosen: Redundancy | undefined;
    for (const b of indexes) {
      const r = redundancy(a, b);
      if (!r) continue;
      // Two identical non-unique indexes: keep the first declared.
      if (r.kind === 'duplicate' && !a.unique && !b.unique && indexes.indexOf(b) > indexes.indexOf(a)) continue;
      const better = !chosen || (r.of.unique && !chosen.of.unique) || (r.of.unique === chosen.of.unique && r.kind === 'duplicate' && chosen.kind !== 'duplicate');
      if (better) chosen = r;
    }
    if (chosen) out.set(a, chosen);
  }
  return out;
}

export const redundantIndex: Rule = {
  id: 'redundant-index',
  defaultSeverity: 'warning',
  scope: 'schema',
  summary: 'An index duplicates another or is a leading prefix of one.',
  description:
    'A B-tree index whose key columns are the leading columns of another index on the same table (same method, same partial predicate) serves no query the other cannot serve, yet every INSERT and UPDATE pays to maintain it. Unique and primary-key indexes enforce rules and are never proposed for removal.',
  run(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const table of ctx.schema.tables.values()) {
      for (const [index, r] of redundantIndexes(table.indexes)) {
        if (!index.location) continue;
        const what =
          r.kind === 'duplicate'
            ? `duplicates ${describe(r.of)}`
            : `is a leading prefix of ${describe(r.of)}`;
        out.push({
          rule: 'redundant-index',
          severity: 'warning',
          message: `Index "${index.name}" on "${table.name}" ${what}: every query it can serve can use "${r.of.name}" instead. Dropping it saves its space and the cost of maintaining it on every write.`,
          file: index.location.file,
          range: index.location.range,
          table: table.name,
          index: index.name,
          related: r.of.location ? [{ ...r.of.location, message: `Covering index "${r.of.name}"` }] : [],
          fix: {
            sql: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIndex(index.name, table.name)};`,
            prismaAction: index.origin === 'prisma' ? 'remove' : undefined,
            model: table.model,
          },
        });
      }
    }
    return out;
  },
};
