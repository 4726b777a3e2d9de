import type { ShapeVerdict } from '../analysis/verdicts';
import type { Finding, RuleId, Severity } from '../model/finding';
import type { SchemaModel } from '../model/schema';
import type { MatcherOptions } from '../matcher/options';

export interface RuleContext {
  schema: SchemaModel;
  verdicts: ShapeVerdict[];
  options: MatcherOptions;
  /** Both schema sources, when the workspace has both (for drift). */
  prismaSchema?: SchemaModel;
  migrationsSchema?: SchemaModel;
  prismaFile?: string;
}

export interface Rule {
  id: RuleId;
  defaultSeverity: Severity;
  /** One line for listings and SARIF. */
  summary: string;
  /** Why it matters and what to do, for docs and hovers. */
  description: string;
  run(ctx: RuleContext): Finding[];
}
