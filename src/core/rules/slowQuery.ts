/**
 * slow-query: the statements a live database spends its time on (pg_stat_statements), shown on the
 * code that sends them — "#3 by total time on db.example.com:5432/app: 1.2 s mean, 48k calls" — with
 * the matcher's verdict for that code and the index it proposes, when one would help.
 * Statements are mapped to code by src/core/report/statementMatch.ts.
 */
import type { Finding } from '../model/finding';
import type { Range } from '../model/location';
import type { StatStatement } from '../db/statStatements';
import { accessesOf, StatementIndex, type MatchHow, type StatementMatch } from '../report/statementMatch';
import type { ShapeVerdict } from '../analysis/verdicts';
import type { AccessVerdict } from '../matcher/types';
import { assessMissingIndex } from './missingIndex';
import type { Rule, RuleContext } from './context';

/** Statements ranked at most this high by total or by mean time get a finding on their code. */
export const SLOW_QUERY_TOP = 10;

export function fmtDuration(ms: number): string {
  if (ms >= 60_000) return `${+(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${+(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  return `${+ms.toFixed(ms >= 1 ? 1 : 2)} ms`;
}

export function fmtCount(n: number): string {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k`;
  return String(n);
}

/** "#3 by total time: 1.2 s mean, 48k calls, 23% of all statement time". */
export function statementHeadline(s: StatStatement): string {
  const rank = s.rankByTotal <= s.rankByMean ? `#${s.rankByTotal} by total time` : `#${s.rankByMean} by mean time`;
  return `${rank}: ${fmtDuration(s.meanMs)} mean, ${fmtCount(s.calls)} call${s.calls === 1 ? '' : 's'}, ${fmtDuration(s.totalMs)} in all (${(s.shareOfTotal * 100).toFixed(s.shareOfTotal >= 0.1 ? 0 : 1)}% of statement time)`;
}

export function howText(how: MatchHow | undefined): string {
  return how === 'text' ? 'same text' : how === 'fingerprint' ? 'same parse tree (libpg-query fingerprint)' : how === 'shape' ? 'same tables, filters and order (query shape)' : 'no match';
}

/** The matcher's verdict on one table access, in a few words. */
export function accessVerdictText(v: AccessVerdict): string {
  if (v.best) return `${v.access.table}: index "${v.best.index.name}"${v.needsSort && !v.sortAvoided ? ', then sorts' : ''}`;
  return `${v.access.table}: sequential scan${v.needsSort ? ' and sort' : ''} (~${fmtCount(Math.round(v.rows))} rows)`;
}

export interface SlowQueryFinding {
  match: StatementMatch;
  verdict?: ShapeVerdict;
  finding: Finding;
}

function firstLine(range: Range, text: string): Range {
  const len = Math.max(1, (text.split(/\r\n|\r|\n/, 1)[0] ?? '').trimEnd().length);
  return range.start.line === range.end.line ? range : { start: range.start, end: { line: range.start.line, character: range.start.character + len } };
}

/** Matches the live database's top statements to the workspace and builds a finding per code location. */
export function slowQueryFindings(ctx: RuleContext, top = SLOW_QUERY_TOP): { matches: StatementMatch[]; findings: SlowQueryFinding[] } {
  const stats = ctx.live?.schema.statements;
  if (!stats?.available || !stats.statements.length) return { matches: [], findings: [] };
  const prismaText = ctx.files?.find((f) => f.kind === 'prisma-schema' && (!ctx.prismaFile || f.file === ctx.prismaFile))?.text;
  const index = new StatementIndex(
    ctx.verdicts.map((v) => v.shape),
    ctx.schema,
    prismaText,
  );
  const verdictOf = new Map(ctx.verdicts.map((v) => [v.shape, v]));
  const matches = index.match(stats.statements);
  const target = ctx.live!.schema.target;
  const findings: SlowQueryFinding[] = [];
  for (const m of matches) {
    const s = m.statement;
    if (!m.candidates.length || Math.min(s.rankByTotal, s.rankByMean) > top) continue;
    for (const ws of m.candidates) {
      const sv = verdictOf.get(ws.shape);
      const verdicts = sv ? accessesOf(ws, sv.accesses).filter((v) => v.access.kind !== 'insert') : [];
      const proposals = verdicts.map((v) => ({ v, m: assessMissingIndex(v, ctx) })).filter((x) => x.m);
      const warn = proposals.some((p) => p.m!.severity === 'warning');
      const others = m.candidates.length - 1;
      const parts = [
        `${statementHeadline(s)} on ${target}.`,
        ws.purpose && ws.purpose !== 'main query' ? `It is this call's ${ws.purpose.replace(/^loads/, 'query that loads')}.` : '',
        verdicts.length ? `Verdict: ${verdicts.map(accessVerdictText).join('; ')}.` : '',
        proposals.length ? `An index would help: ${proposals.map((p) => p.m!.proposal.sql.replace(/;$/, '')).join('; ')}.` : '',
        others ? `The same statement is also sent from ${others} other place${others === 1 ? '' : 's'} (pg_stat_statements counts them together).` : '',
        `Matched by ${howText(m.how)}.`,
      ];
      const p = proposals[0]?.m?.proposal;
      findings.push({
        match: m,
        verdict: sv,
        finding: {
          rule: 'slow-query',
          severity: warn ? 'warning' : 'info',
          message: parts.filter(Boolean).join(' '),
          file: ws.shape.location.file,
          range: firstLine(ws.shape.location.range, ws.shape.text),
          ...(verdicts[0] ? { table: verdicts[0].access.table } : {}),
          related: [],
          ...(p ? { fix: { sql: p.sql, prisma: p.prisma, prismaAction: p.prisma ? ('add' as const) : undefined, model: proposals[0].v.table?.model } } : {}),
        },
      });
    }
  }
  return { matches, findings };
}

export const slowQuery: Rule = {
  id: 'slow-query',
  defaultSeverity: 'info',
  summary: 'A statement among the slowest on the live database (pg_stat_statements), on the code that sends it.',
  description:
    `With --database and pg_stat_statements, the top ${SLOW_QUERY_TOP} statements by total and by mean execution time are matched to the workspace queries that send them (same normalised text, libpg-query fingerprint, else the same query shape; Prisma calls through the SQL Prisma generates) and reported there with their figures, the matcher's verdict and the proposed index. Warning when the matcher proposes an index for it, info otherwise. Statements no workspace code sends are listed by \`pg-index-review report\`.`,
  run: (ctx) => slowQueryFindings(ctx).findings.map((f) => f.finding),
};
