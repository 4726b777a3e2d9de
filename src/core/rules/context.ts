import type { ShapeVerdict } from '../analysis/verdicts';
import type { Finding, RuleId, Severity } from '../model/finding';
import type { IndexDef, PrismaMapping, SchemaModel } from '../model/schema';
import type { MatcherOptions } from '../matcher/options';
import type { LiveSchema } from '../db/liveSchema';

/** A live database read as the schema source (`check --database`). */
export interface LiveContext {
  schema: LiveSchema;
  /** Index usage counters younger than this many days don't support an "unused" verdict. */
  minStatsDays: number;
  /** What the workspace declares (migrations, else schema.prisma), to report drift against. */
  workspace?: SchemaModel;
  /** A workspace schema file to attach findings to when nothing closer exists. */
  workspaceFile?: string;
}

/** A workspace file's text, for rules that read files rather than queries (connection settings). */
export interface WorkspaceText {
  file: string;
  kind: 'env' | 'prisma-schema' | 'script';
  text: string;
}

export interface RuleContext {
  schema: SchemaModel;
  verdicts: ShapeVerdict[];
  options: MatcherOptions;
  /** Both schema sources, when the workspace has both (for drift). */
  prismaSchema?: SchemaModel;
  migrationsSchema?: SchemaModel;
  prismaFile?: string;
  /** Present when a live database was read. */
  live?: LiveContext;
  /** `.env*` files, schema.prisma and scripts (connection settings: pool-advice). */
  files?: WorkspaceText[];
  /** How many instances of the application run (`appInstances` in pg-index-review.json). */
  appInstances?: number;
  /**
   * The indexes some verdict's candidates can use (what `indexesUsedByWorkload` computes from
   * `verdicts`), when the caller keeps it up to date more cheaply.
   */
  usedIndexes?: ReadonlySet<IndexDef>;
  /** `verdicts.length`, when the caller builds `verdicts` only if a rule reads it. */
  queryCount?: number;
  /** How many of `verdicts` are of queries not analysed (`shape.unresolved`), when the caller counts them more cheaply. */
  unresolvedQueries?: number;
  /** Of `verdicts`, those that search tables through foreign keys (DELETEs), when the caller keeps them up to date more cheaply. */
  foreignKeySearches?: readonly ShapeVerdict[];
  /**
   * `verdicts`, one list per file in the same order, when the caller keeps each list (the same array)
   * until its file changes: a rule may keep what it derives from a list as long as the list lives.
   */
  verdictsByFile?: readonly (readonly ShapeVerdict[])[];
}

export interface Rule {
  id: RuleId;
  defaultSeverity: Severity;
  /** One line for listings and SARIF. */
  summary: string;
  /** Why it matters and what to do, for docs and hovers. */
  description: string;
  /**
   * What the findings depend on, so `Project.analyze()` can keep them between analyses:
   * - `'verdict'`: the findings for a list of verdicts are the findings for each verdict in turn,
   *   from that verdict, `schema` and `options` alone (run per file, kept until the file or the
   *   schema changes; when an edit only moves a query to other lines, its findings are moved with it,
   *   so they must not say where the query is other than by their ranges);
   * - `'schema'`: `schema`, `options` and the schema sources only, never `verdicts` (kept until the
   *   schema changes).
   * Absent: the rule runs on every analysis with every verdict.
   */
  scope?: 'verdict' | 'schema';
  run(ctx: RuleContext): Finding[];
}

/** The Prisma mapping calls are read with: the schema's, else (schema sources without a schema.prisma) the workspace's schema.prisma's. */
export function prismaMappingOf(ctx: Pick<RuleContext, 'schema' | 'prismaSchema'>): PrismaMapping | undefined {
  return ctx.schema.prisma ?? ctx.prismaSchema?.prisma;
}
