/**
 * How one query's verdict reads in the editor: the hover, the code lens title and the Explain
 * document. Text only, from the core's ShapeVerdict and its proposal; no `vscode` import.
 */
import type { ShapeVerdict } from '../core/analysis/verdicts';
import type { AccessVerdict } from '../core/matcher/types';
import type { PredicateAtom } from '../core/model/predicate';
import type { MissingIndexAssessment } from '../core/rules/missingIndex';
import { howUsed } from '../core/analysis/howUsed';

export type Assess = (v: AccessVerdict) => MissingIndexAssessment | undefined;

export function fmtRows(n: number): string {
  if (n < 1) return '<1';
  if (n >= 1e6) return `${+(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k`;
  return String(Math.round(n));
}

function tableName(v: AccessVerdict): string {
  return v.access.alias && v.access.alias !== v.access.table ? `${v.access.table} (${v.access.alias})` : v.access.table;
}

/** " in parallel (2 workers)" when the path is a parallel scan under a Gather. */
function inParallel(workers: number | undefined): string {
  return workers ? ` in parallel (${workers} worker${workers > 1 ? 's' : ''})` : '';
}

/** "uses `x`: equality on a; delivers the ORDER BY" / "sequential scan". */
export function accessLine(v: AccessVerdict): string {
  if (v.best) return `index \`${v.best.index.name}\` — ${howUsed(v.best)}${v.needsSort && !v.sortAvoided ? '; sorts the result' : ''}${v.best.parallelWorkers ? `; read${inParallel(v.best.parallelWorkers)}` : ''}`;
  return `no index — sequential scan${inParallel(v.parallelWorkers)}${v.needsSort ? ' and a sort' : ''}`;
}

function reasonOf(v: AccessVerdict): string {
  return v.access.orderByUnsatisfiable ? `${v.reason}; ${v.access.orderByUnsatisfiable}` : v.reason;
}

export function hoverMarkdown(sv: ShapeVerdict, assess: Assess, commandLinks: string): string {
  const out: string[] = [`**${escapeMd(sv.shape.label)}** — Postgres Index Review`, ''];
  if (!sv.accesses.length) out.push(sv.shape.unresolved ? `Not analysed: ${sv.shape.unresolved}, so no table or filter is known here.` : 'No table access the index review can judge.');
  for (const v of sv.accesses) {
    out.push(`- **${escapeMd(tableName(v))}** ~${fmtRows(v.rows)} rows${v.rowsAssumed ? ' (assumed)' : ''}: ${accessLine(v)}`);
    out.push(`  - ${escapeMd(reasonOf(v))}`);
    const m = assess(v);
    if (m) {
      out.push(`  - **Proposed** (${m.severity}): would ${escapeMd(m.why)}`);
      out.push('');
      out.push('    ```sql');
      for (const l of m.proposal.sql.split('\n')) out.push(`    ${l}`);
      out.push('    ```');
      if (m.proposal.prisma) out.push(`    Prisma: \`${m.proposal.prisma}\``);
      else if (m.proposal.prismaNote) out.push(`    ${escapeMd(m.proposal.prismaNote)}`);
    }
  }
  if (commandLinks) out.push('', commandLinks);
  return out.join('\n');
}

/** A few words for the code lens: the worst access decides. */
export function lensTitle(sv: ShapeVerdict, assess: Assess): string {
  if (!sv.accesses.length) return sv.shape.unresolved ? `? not analysed: ${sv.shape.unresolved}` : 'no table access';
  const judged = sv.accesses.map((v) => ({ v, m: assess(v) }));
  const bad = judged.filter((j) => j.m).sort((a, b) => (a.m!.severity === b.m!.severity ? b.m!.rowsNow - a.m!.rowsNow : a.m!.severity === 'warning' ? -1 : 1));
  if (bad.length) {
    const { v, m } = bad[0];
    const now = v.best ? `${v.best.index.name} reads ~${fmtRows(m!.rowsNow)} rows` : `${v.parallelWorkers ? 'parallel ' : ''}seq scan ~${fmtRows(v.rows)} rows`;
    const sort = v.needsSort && !v.sortAvoided ? ' + sort' : '';
    return `${m!.severity === 'warning' ? '⚠' : 'ℹ'} ${v.access.table}: ${now}${sort} → index proposed${bad.length > 1 ? ` (+${bad.length - 1})` : ''}`;
  }
  // The tables the statement names; a DELETE's foreign-key searches are counted apart.
  const named = sv.accesses.filter((v) => !v.access.foreignKeyCheck);
  const searches = sv.accesses.length - named.length;
  const fkNote = searches ? `; ${searches} foreign key${searches > 1 ? 's' : ''} searched` : '';
  if (!named.length) return `✓ ${searches} foreign key${searches > 1 ? 's' : ''} searched`;
  const scans = named.filter((v) => !v.best);
  if (named.length === 1) {
    const v = named[0];
    return (v.best ? `✓ ${v.access.table}: ${v.best.index.name}${v.best.indexOnly ? ' (index-only)' : ''}${v.needsSort && !v.sortAvoided ? ', sorts' : ''}` : `✓ ${v.access.table}: seq scan is fine (~${fmtRows(v.rows)} rows)`) + fkNote;
  }
  return `✓ ${named.length - scans.length}/${named.length} tables by index${scans.length ? `, ${scans.map((v) => v.access.table).join(', ')} scanned (small or no better index)` : ''}${fkNote}`;
}

/** The Explain Query document (markdown): the query shape and the verdict per table, every candidate index. */
export function explainMarkdown(sv: ShapeVerdict, assess: Assess, file: string, atomSql: (a: PredicateAtom) => string): string {
  const s = sv.shape;
  const out: string[] = [`# ${s.label}`, '', `${file}:${s.location.range.start.line + 1} (${s.origin})`, '', '```' + (s.origin === 'prisma' ? 'ts' : 'sql'), s.text.trim(), '```', ''];
  for (const v of sv.accesses) {
    const a = v.access;
    out.push(`## ${tableName(v)} — ~${fmtRows(v.rows)} rows${v.rowsAssumed ? ' (assumed; set row estimates in pg-index-review.json)' : ''}`, '');
    if (a.predicates.length) out.push(`- filter: ${a.predicates.map((p) => `\`${atomSql(p.atom)}\``).join(' AND ')}`);
    if (a.joinKeys.length) out.push(`- join: ${a.joinKeys.map((j) => `\`"${j.column}" = ${j.otherTable}."${j.otherColumn}"\``).join(', ')}`);
    if (a.orderBy.length) out.push(`- order by: \`${a.orderBy.map((o) => `"${o.column}"${o.desc ? ' DESC' : ''}`).join(', ')}\`${a.limit !== undefined ? ` LIMIT ${a.limit === 'param' ? '$n' : a.limit}` : ''}`);
    out.push(`- verdict: ${accessLine(v)}`, `- why: ${reasonOf(v)}`, '');
    if (v.candidates.length) {
      out.push('| index | usable | how / why not | rows read |', '|---|---|---|---|');
      for (const c of v.candidates) out.push(`| \`${c.index.name}\` | ${c.usable ? 'yes' : 'no'} | ${c.reason.replace(/\|/g, '\\|')} | ${c.usable ? `~${fmtRows(c.rowsRead)}` : '—'} |`);
      out.push('');
    }
    const m = assess(v);
    if (m) {
      out.push(`**Proposed index** (${m.severity}): would ${m.why}.`, '', '```sql', m.proposal.sql, '```');
      if (m.proposal.prisma) out.push('', `Prisma: \`${m.proposal.prisma}\``);
      else if (m.proposal.prismaNote) out.push('', m.proposal.prismaNote);
      out.push('');
    }
  }
  return out.join('\n');
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_{}[\]<>|])/g, '\\$1');
}
