/** The rule list: one place the engine, the CLI, SARIF and the docs read. */
import type { Finding, RuleId, Severity } from '../model/finding';
import { MIGRATION_RULES } from '../migration/lint';
import type { Rule, RuleContext } from './context';
import { lowSelectivityIndex } from './lowSelectivityIndex';
import { missingIndex } from './missingIndex';
import { unindexedForeignKey } from './unindexedForeignKey';
import { redundantIndex } from './redundantIndex';
import { schemaDrift } from './schemaDrift';
import { unusedByWorkload } from './unusedByWorkload';
import { unusedIndex } from './unusedIndex';
import { liveDrift } from '../db/liveDrift';
import { poolAdviceRule } from './pool/poolAdvice';
import { slowQuery } from './slowQuery';

const schemaDriftRule: Rule = {
  id: 'schema-drift',
  defaultSeverity: 'warning',
  scope: 'schema',
  summary: 'schema.prisma and the SQL migrations (or, with --database, the live database and the workspace) disagree about tables or indexes.',
  description:
    'When schema.prisma declares an index the migrations never create (or the reverse), the database differs from what the code assumes, and the next `prisma migrate dev` will try to reconcile them — possibly dropping an index that was added by hand in SQL. Indexes Prisma cannot express (partial, expression) are reported at info level.',
  run(ctx: RuleContext): Finding[] {
    const live = ctx.live ? liveDrift(ctx.live) : [];
    if (!ctx.prismaSchema || !ctx.migrationsSchema || !ctx.prismaFile) return live;
    return [...schemaDrift(ctx.prismaSchema, ctx.migrationsSchema, ctx.prismaFile), ...live];
  },
};

const parseErrorRule: Rule = {
  id: 'parse-error',
  defaultSeverity: 'error',
  summary: 'A file or statement could not be parsed; the rest of the workspace is still analysed.',
  description: 'SQL is parsed with the PostgreSQL parser itself (libpg-query), schema.prisma with Prisma’s schema engine. A statement that does not parse is skipped and reported here.',
  run: () => [],
};

/** The migration linter's rules: their findings come from `lintMigrations`, which `Project.analyze()` runs over migration files. */
const migrationRules: Rule[] = MIGRATION_RULES.map((r) => ({ id: r.id, defaultSeverity: r.defaultSeverity, summary: r.summary, description: r.description, run: () => [] }));

export const RULES: Rule[] = [missingIndex, unindexedForeignKey, redundantIndex, lowSelectivityIndex, unusedByWorkload, unusedIndex, schemaDriftRule, parseErrorRule, poolAdviceRule, slowQuery, ...migrationRules];

export function ruleById(id: RuleId): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

export function defaultSeverity(id: RuleId): Severity {
  return ruleById(id)?.defaultSeverity ?? 'warning';
}
