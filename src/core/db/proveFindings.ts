/**
 * The workspace's missing-index proposals and redundant indexes, checked against a real planner
 * (whatIf.ts): each proposal with the SQL statements it is for, each redundant index with the
 * statements that read its table. Prisma calls have no SQL text and take no part.
 */
import type { Session } from './connection';
import { candidateFromProposal, whatIfIndex, whatIfWithoutIndex, type HideResult, type WhatIfOptions, type WhatIfResult, type WhatIfVerdict } from './whatIf';
import { proposesIndex, type Finding } from '../model/finding';
import type { QueryShape } from '../model/query';
import type { ProposedIndex } from '../matcher/types';
import type { Project } from '../project';
import { assessMissingIndex } from '../rules/missingIndex';
import { foreignKeySearchSql } from '../analysis/foreignKeyChecks';
import type { RuleContext } from '../rules/context';

export interface CheckOptions extends WhatIfOptions {
  /**
   * Where to settle what the main session can't: a HypoPG "not used" for a partial index, a GIN
   * proposal, a server without HypoPG. Normally the embedded database; a function is only called
   * (once) when something needs settling.
   */
  confirm?: Session | (() => Promise<Session>);
}

export interface ProposalCheck {
  proposal: ProposedIndex;
  /** The static assessment's severity. */
  severity: 'warning' | 'info';
  /** SQL statements the proposal is for. */
  statements: string[];
  /** Prisma calls it is also for (no SQL to explain). */
  prismaCalls: QueryShape[];
  result: WhatIfResult;
  /** The same check on `confirm`, when the main one was unconfirmed or unavailable. */
  confirmation?: WhatIfResult;
  verdict: WhatIfVerdict;
  reason: string;
}

function withSql(s: QueryShape): boolean {
  return s.origin !== 'prisma' && s.text.trim().length > 0;
}

/** Every missing-index proposal of the workspace, proved or downgraded by the planner. */
/** `opts.confirm` as a once-only getter. */
function confirmer(opts: CheckOptions): (() => Promise<Session>) | undefined {
  const c = opts.confirm;
  if (!c) return undefined;
  if (typeof c !== 'function') return async () => c;
  let p: Promise<Session> | undefined;
  return () => (p ??= c());
}

export async function checkMissingIndexes(project: Project, session: Session, opts: CheckOptions = {}): Promise<ProposalCheck[]> {
  const confirm = confirmer(opts);
  const analysis = project.analyze();
  const ctx: RuleContext = { schema: project.schema, verdicts: analysis.verdicts, options: project.config.matcher };
  const groups = new Map<string, { proposal: ProposedIndex; severity: 'warning' | 'info'; shapes: QueryShape[]; searches: string[] }>();
  for (const sv of analysis.verdicts) {
    for (const v of sv.accesses) {
      const m = assessMissingIndex(v, ctx);
      if (!m) continue;
      const g = groups.get(m.proposal.sql) ?? { proposal: m.proposal, severity: m.severity, shapes: [], searches: [] };
      if (m.severity === 'warning') g.severity = 'warning';
      // A foreign key's search is a query of its own: the DELETE's plan never shows it.
      if (v.access.foreignKeyCheck) g.searches.push(foreignKeySearchSql(v.access));
      else if (!g.shapes.includes(sv.shape)) g.shapes.push(sv.shape);
      groups.set(m.proposal.sql, g);
    }
  }
  const out: ProposalCheck[] = [];
  for (const g of groups.values()) {
    const statements = [...new Set([...g.shapes.filter(withSql).map((s) => s.text), ...g.searches])];
    const prismaCalls = g.shapes.filter((s) => !withSql(s));
    const candidate = candidateFromProposal(g.proposal);
    if (!statements.length) {
      const result: WhatIfResult = { index: candidate, target: session.target, queries: [], used: false, verdict: 'unavailable', reason: 'only Prisma Client calls need it: there is no SQL to explain' };
      out.push({ proposal: g.proposal, severity: g.severity, statements, prismaCalls, result, verdict: result.verdict, reason: result.reason });
      continue;
    }
    const result = await whatIfIndex(session, candidate, statements, opts);
    let confirmation: WhatIfResult | undefined;
    let verdict = result.verdict;
    let reason = result.reason;
    if ((verdict === 'unconfirmed' || verdict === 'unavailable') && confirm) {
      confirmation = await whatIfIndex(await confirm(), candidate, statements, opts);
      if (confirmation.verdict !== 'unavailable') {
        verdict = confirmation.verdict;
        reason = result.verdict === 'unconfirmed' ? `${result.reason}; with a real index, ${confirmation.reason}` : confirmation.reason;
      }
    }
    out.push({ proposal: g.proposal, severity: g.severity, statements, prismaCalls, result, confirmation, verdict, reason });
  }
  return out;
}

export interface RedundantCheck {
  index: string;
  table: string;
  statements: string[];
  result: HideResult;
}

/** Every redundant index of the workspace: do the statements reading its table get worse without it? */
export async function checkRedundantIndexes(project: Project, session: Session, opts: CheckOptions = {}): Promise<RedundantCheck[]> {
  const confirm = confirmer(opts);
  const analysis = project.analyze();
  const shapes = project.shapes().filter(withSql);
  const out: RedundantCheck[] = [];
  const seen = new Set<string>();
  for (const f of analysis.findings) {
    if (f.rule !== 'redundant-index' || !f.index || !f.table || seen.has(f.index)) continue;
    seen.add(f.index);
    const statements = [...new Set(shapes.filter((s) => s.accesses.some((a) => a.table === f.table)).map((s) => s.text))];
    let result = await whatIfWithoutIndex(session, f.index, statements, opts);
    if (result.verdict === 'unavailable' && confirm && statements.length) result = await whatIfWithoutIndex(await confirm(), f.index, statements, opts);
    out.push({ index: f.index, table: f.table, statements, result });
  }
  return out;
}

/**
 * Findings with the planner's word added: a missing-index proposal the planner would not use (or
 * would use for no saving) drops to `info` and says why; a confirmed one says so; a redundant index whose removal makes plans worse
 * drops to `info`.
 */
export function applyChecks(findings: Finding[], proposals: ProposalCheck[], redundant: RedundantCheck[] = []): Finding[] {
  return findings.map((f) => {
    if (proposesIndex(f)) {
      // Two proposals may share a name (ASC and DESC variants): the fix SQL tells them apart.
      const c = proposals.find((p) => p.proposal.sql === f.fix?.sql) ?? proposals.find((p) => p.proposal.name === f.index && p.proposal.table === f.table);
      if (!c) return f;
      if (c.verdict === 'not-used' || c.verdict === 'no-gain') return { ...f, severity: 'info', message: `${f.message} Downgraded: ${c.reason}.` };
      if (c.verdict === 'helps') return { ...f, message: `${f.message} Confirmed: ${c.reason}.` };
      return { ...f, message: `${f.message} (Not checked against a planner: ${c.reason}.)` };
    }
    if (f.rule === 'redundant-index') {
      const c = redundant.find((r) => r.index === f.index);
      if (!c) return f;
      if (c.result.verdict === 'worse') return { ...f, severity: 'info', message: `${f.message} But: ${c.result.reason}.` };
      if (c.result.verdict === 'safe') return { ...f, message: `${f.message} Checked: ${c.result.reason}.` };
    }
    return f;
  });
}
