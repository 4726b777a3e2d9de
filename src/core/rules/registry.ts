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

const nonPostgresSqlRule: Rule = {
  id: 'non-postgres-sql',
  defaultSeverity: 'info',
  summary: 'A .sql file written for another database (MySQL, SQL Server, ClickHouse, SQLite, Oracle) or a Jinja template (dbt): it is not analysed.',
  description:
    'When PostgreSQL’s parser rejects statements of a .sql file that bear marks of another dialect, and most of its statements are rejected or bear those marks (backtick-quoted identifiers, ENGINE=…, [bracketed] names, GO, TOP, AUTOINCREMENT, VARCHAR2, {{ … }}), the file gets this one note, with the marks and the first syntax error, instead of an error per statement, and none of its queries is analysed. psql scripts and pg_dump output are PostgreSQL: their meta-commands (\\set, \\connect, \\restrict…) and COPY … FROM stdin rows are skipped, and psql variables and named parameters (:name, :\'name\', PgTyped’s :name! and IN :ids) are read as parameters.',
  run: () => [],
};

/** The migration linter's rules: their findings come from `lintMigrations`, which `Project.analyze()` runs over migration files. */
const migrationRules: Rule[] = MIGRATION_RULES.map((r) => ({ id: r.id, defaultSeverity: r.defaultSeverity, summary: r.summary, description: r.description, run: () => [] }));

export const RULES: Rule[] = [missingIndex, unindexedForeignKey, redundantIndex, lowSelectivityIndex, unusedByWorkload, unusedIndex, schemaDriftRule, parseErrorRule, nonPostgresSqlRule, poolAdviceRule, slowQuery, ...migrationRules];

export function ruleById(id: RuleId): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

export function defaultSeverity(id: RuleId): Severity {
  return ruleById(id)?.defaultSeverity ?? 'warning';
}
