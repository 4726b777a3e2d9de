import type { Finding } from '../model/finding';
import { quoteAlways, quoteIndex } from '../sql/identifiers';
import { distinctValues, isLowCardinality } from '../matcher/selectivity';
import { selectivityContext } from '../matcher/analyzeAccess';
import type { Rule, RuleContext } from './context';

export const lowSelectivityIndex: Rule = {
  id: 'low-selectivity-index',
  defaultSeverity: 'warning',
  scope: 'schema',
  summary: 'A single-column index on a boolean or low-cardinality enum.',
  description:
    'An index on a column with a handful of values returns a large share of the table for most values, so the planner prefers a sequential scan and the index only costs writes. If one value is rare and queried (PENDING payments, incomplete lessons), a partial index on the columns those queries filter or sort by, WHERE column = that value, is smaller and faster.',
  run(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const table of ctx.schema.tables.values()) {
      const sctx = selectivityContext(ctx.schema, table, ctx.options);
      for (const index of table.indexes) {
        if (index.keys.length !== 1 || index.unique || index.predicate || index.method !== 'btree' || !index.location) continue;
        const column = index.keys[0].column;
        if (!column || !isLowCardinality(sctx, column)) continue;
        const col = table.columns.get(column)!;
        const n = distinctValues(sctx, column)!;
        const kind = col.type === 'boolean' ? 'a boolean' : `an enum "${col.enumName}"`;
        out.push({
          rule: 'low-selectivity-index',
          severity: 'warning',
          message: `Index "${index.name}" is on "${column}", ${kind} column with ${n} possible values: an equality match returns ~1/${n} of the table, where a sequential scan is usually cheaper. Drop it, or replace it with a partial index WHERE ${quoteAlways(column)} = <the rare value> on the columns those queries filter or sort by.`,
          file: index.location.file,
          range: index.location.range,
          table: table.name,
          index: index.name,
          related: [],
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
