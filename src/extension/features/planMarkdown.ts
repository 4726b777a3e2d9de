/**
 * How a database plan reads in the hover and in the Explain document: the configured database's
 * (`**EXPLAIN** (database)`) or the embedded one's, always labelled as synthetic data, plus what to
 * say while it is on its way or when it failed.
 */
import type { ShapeVerdict } from '../../core/analysis/verdicts';
import type { ExplainResult } from '../../core/db/explain';
import type { PlanRequest } from '../database';
import type { EmbeddedStatus } from '../embedded';
import type { EngineModule } from '../state';

/** The heading of an embedded plan (the tests and the UI smoke test look for it). */
export const EMBEDDED_HEADING = '**EXPLAIN** (embedded database, synthetic data)';
export const DATABASE_HEADING = '**EXPLAIN** (database)';

/** Settles to the value, the error, or 'timeout' after `ms`. */
export function within<T>(p: Promise<T>, ms: number): Promise<T | Error | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)));
  return Promise.race([p.then((x) => x, (err: unknown) => (err instanceof Error ? err : new Error(String(err)))), timeout]).finally(() => clearTimeout(timer));
}

function cleanMd(s: string): string {
  return s.replace(/[`*_[\]<>|\\]/g, '');
}

/** Where the embedded plan comes from, in one sentence. */
export function embeddedNote(r: ExplainResult, status: EmbeddedStatus): string {
  const info = status.kind === 'ready' ? status.info : undefined;
  const scale = info ? (info.scale >= 1 ? 'the configured row counts' : `1/${Math.round(1 / info.scale)} of the configured row counts, at least 1,000 a table`) : 'scaled from the configured row counts';
  return (
    `_Planned by PostgreSQL ${r.serverVersion} running inside the editor (PGlite), on the workspace's migrations filled with synthetic rows (${scale})${info ? `, ${info.rows.toLocaleString('en-US')} in all` : ''}: ` +
    'not your database. [Configure a database](command:pgIndexReview.configureDatabase) for its real plans._'
  );
}

function clip(text: string): string {
  return text.length > 3000 ? `${text.slice(0, 3000)}\n…` : text;
}

/** Where the plan and the static verdict differ (empty lines when they agree). */
function disagreement(engine: EngineModule, r: ExplainResult, sv: ShapeVerdict): string[] {
  const lines = engine.disagreementText(engine.comparePlan(sv, r.summary), r.embedded);
  return lines.length ? ['', ...lines] : [];
}

/** The plan section of a hover. */
export function hoverPlanSection(engine: EngineModule, r: ExplainResult, status: EmbeddedStatus, sv: ShapeVerdict): string {
  const head = r.embedded ? [EMBEDDED_HEADING, '', embeddedNote(r, status)] : [DATABASE_HEADING];
  return [...head, '', '```text', clip(engine.renderExplain(r)), '```', ...disagreement(engine, r, sv)].join('\n');
}

/** The plan section of the Explain document: the plan, why there is none, or that it is coming. */
export function documentPlanSection(engine: EngineModule, plan: PlanRequest, r: ExplainResult | Error | 'timeout', status: EmbeddedStatus, sv: ShapeVerdict): string {
  const title = plan.source === 'embedded' ? '## EXPLAIN on the embedded database (synthetic data)' : '## EXPLAIN on the database';
  if (r === 'timeout') return [title, '', pendingText(plan, 'document'), ''].join('\n');
  if (r instanceof Error) return [title, '', failedText(plan, r), ''].join('\n');
  return [title, '', ...(r.embedded ? [embeddedNote(r, status), ''] : []), '```text', engine.renderExplain(r), '```', ...disagreement(engine, r, sv), ''].join('\n');
}

/** What to say while the plan is on its way. */
export function pendingText(plan: PlanRequest, where: 'hover' | 'document'): string {
  const later = where === 'hover' ? 'Hover again for its plan.' : 'The plan appears here when it is ready.';
  if (plan.preparing) return `_Preparing the embedded database… (PostgreSQL in the editor with synthetic rows: a few seconds, the first time only). ${later}_`;
  return `_EXPLAIN is still running on the ${plan.source === 'embedded' ? 'embedded database' : 'database'}. ${where === 'hover' ? 'Hover again in a moment.' : later}_`;
}

export function failedText(plan: PlanRequest, err: Error): string {
  return `_EXPLAIN failed on the ${plan.source === 'embedded' ? 'embedded database' : 'database'}: ${cleanMd(err.message)}_`;
}
