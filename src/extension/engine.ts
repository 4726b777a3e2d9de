/**
 * The analysis engine as the extension sees it: everything from src/core the editor layer calls at
 * run time. It is bundled separately (dist/engine.js, with the WASM parsers, TypeScript and the
 * database driver) and loaded on first use, so activating the extension parses only the small
 * editor bundle. Extension modules import types from src/core freely; values come from here.
 */
import picomatch from 'picomatch';

export { Project } from '../core/project';
export { extractPool } from '../core/workspace/extractPool';
export { assessMissingIndex } from '../core/rules/missingIndex';
export { atomSql } from '../core/matcher/propose';
export { openSession, findDatabaseUrl, redact, redactUrl, describeTarget } from '../core/db/connection';
export { explainStatement, renderExplain } from '../core/db/explain';
export { comparePlan, disagreementText } from '../core/analysis/planAgreement';

/** A matcher for workspace-relative paths (forward slashes). */
export function globMatcher(globs: string[]): (rel: string) => boolean {
  if (!globs.length) return () => false;
  return picomatch(globs, { dot: true });
}
export { generateOptimizationMigration, writeGenerated, GenerateError } from '../core/migration/generate';
export { applyMigration, checkTarget, formatBytes } from '../core/migration/apply';
// Production insight: the index health report, Prisma's SQL, the plan view.
export { buildHealthReport } from '../core/report/healthReport';
export { renderReportHtml } from '../core/report/render/html';
export { renderReportMarkdown } from '../core/report/render/markdown';
export { prismaStatements } from '../core/db/prismaSql';
