/**
 * The report as GitHub-flavoured Markdown, to save with a pull request: every index, finding and
 * slow statement links to its source line (relative to the folder the report is written to, with
 * GitHub's `#L<line>` anchors); the per-table index lists fold away in `<details>`.
 */
import type { HealthReport, ReportLocation } from '../healthReport';
import { bytes, count, href, latest, locText, ms, pct, when } from './format';
import { actionItems, connectionsLine, headline, indexVerdicts, METHOD_NOTE, slowTitle, statsLine, summaryLine, usedByText } from './sections';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, ' ');
}

function code(s: string): string {
  const t = s.replace(/\s+/g, ' ');
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
}

export function renderReportMarkdown(r: HealthReport, base: string): string {
  const link = (l: ReportLocation | undefined, text: string) => (l ? `[${cell(text)}](${href(l, base)})` : cell(text));
  const out: string[] = [`# ${headline(r)}`, '', statsLine(r), '', `**${summaryLine(r)}**`, ''];
  const items = actionItems(r);
  out.push(`## Action items (${items.length})`, '');
  if (!items.length) out.push('Nothing to act on.', '');
  for (const it of items) {
    out.push(`- **${it.kind}** — ${link(it.location, it.title)}${it.location ? ` (${locText(it.location, base)})` : ''}`);
    out.push(`  ${cell(it.detail)}`);
    if (it.sql) out.push('', '  ```sql', `  ${it.sql}`, '  ```');
  }
  out.push('', '## Tables', '', '| table | rows | table size | index size | seq scans | index scans | index % | dead tuples | bloat (est.) | last vacuum | last analyze |', '|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|');
  for (const t of r.tables) {
    out.push(
      `| ${link(t.location, t.name)} | ${count(t.rows)} | ${bytes(t.tableBytes)} | ${bytes(t.indexBytes)} | ${count(t.seqScans)} | ${count(t.idxScans)} | ${pct(t.indexScanShare)} | ${count(t.deadTuples)} (${pct(t.deadRatio)}) | ${t.bloat?.ratio !== undefined ? pct(t.bloat.ratio) : '—'} | ${latest(t.lastVacuum, t.lastAutovacuum)} | ${latest(t.lastAnalyze, t.lastAutoanalyze)} |`,
    );
  }
  out.push('', '## Indexes', '');
  for (const t of r.tables) {
    const flagged = t.indexes.filter((i) => indexVerdicts(i).length).length;
    out.push(`<details${flagged ? ' open' : ''}><summary><b>${t.name}</b> — ${t.indexes.length} indexes, ${bytes(t.indexBytes)}${flagged ? `, ${flagged} flagged` : ''}${t.findings.length ? `, ${t.findings.length} queries without a fitting index` : ''}</summary>`, '');
    out.push('| index | definition | size | scans | tuples read / fetched | bloat | verdict | workspace queries |', '|---|---|--:|--:|--:|--:|---|---|');
    for (const i of t.indexes) {
      const uses = [...i.chosenBy.map((q) => `✓ ${link(q.location, `${q.label} ${locText(q.location, base)}`)}`), ...i.usableBy.slice(0, 3).map((q) => `○ ${link(q.location, `${q.label} ${locText(q.location, base)}`)}`)];
      out.push(
        `| ${link(i.location, i.name)} | ${code(i.definition)} | ${bytes(i.bytes)} | ${count(i.scans)} | ${count(i.tupRead)} / ${count(i.tupFetch)} | ${i.bloat?.ratio !== undefined ? pct(i.bloat.ratio) : '—'} | ${indexVerdicts(i).join(', ') || 'ok'} | ${uses.length ? uses.join('<br>') : usedByText(i)}${i.usableBy.length > 3 ? `<br>+${i.usableBy.length - 3} more` : ''} |`,
      );
    }
    for (const f of t.findings) out.push('', `- ${f.rule}: ${link(f.location, locText(f.location, base))} — ${cell(f.message)}`);
    out.push('', '</details>', '');
  }
  const sq = r.slowQueries;
  out.push('## Slow queries', '');
  if (!sq.available) out.push(`Not available: ${sq.reason}`, '');
  else {
    out.push(`pg_stat_statements${sq.since ? ` since ${when(sq.since)} UTC` : ''}, ${ms(sq.totalExecMs)} of statement time. ${sq.matched} statements traced to the workspace, ${sq.unmatched} not.`, '');
    out.push('| rank | mean | calls | total | code | verdict | proposal |', '|---|--:|--:|--:|---|---|---|');
    for (const s of sq.statements.filter((x) => x.candidates.length)) {
      const c0 = s.candidates[0];
      out.push(
        `| ${slowTitle(s).split(':')[0]} | ${ms(s.meanMs)} | ${count(s.calls)} | ${ms(s.totalMs)} (${pct(s.shareOfTotal)}) | ${s.candidates.map((c) => link(c.location, `${c.label} ${locText(c.location, base)}`)).join('<br>')} _(${s.how})_ | ${cell(c0.verdict.join('; '))} | ${c0.proposal ? code(c0.proposal.sql) : ''} |`,
      );
    }
    const un = sq.statements.filter((x) => !x.candidates.length);
    if (un.length) {
      out.push('', `<details><summary>${un.length} statements no workspace code sends</summary>`, '');
      for (const s of un) out.push(`- ${slowTitle(s)}: ${code(s.query.slice(0, 300))}`);
      out.push('', '</details>');
    }
    out.push('');
  }
  out.push('## Connections', '', connectionsLine(r) + '.', '');
  const c = r.connections;
  if (c.byApplication.length) out.push('| application | connections | states |', '|---|--:|---|', ...c.byApplication.map((a) => `| ${cell(a.application)} | ${a.count} | ${Object.entries(a.states).map(([s, n]) => `${n} ${s}`).join(', ')} |`), '');
  out.push(`Long-running (active ≥ ${ms(c.longRunningMs)}): ${c.longRunning.length || 'none'}. Idle in transaction: ${c.idleInTransaction.length || 'none'}.`, '');
  for (const s of [...c.longRunning, ...c.idleInTransaction]) out.push(`- pid ${s.pid} ${cell(s.application)} — ${s.state} for ${ms(s.durationMs)}${s.query ? `: ${code(s.query)}` : ''}`);
  if (r.poolAdvice.length) {
    out.push('', '### Connection pools', '');
    for (const f of r.poolAdvice) out.push(`- **${f.severity}** ${link(f.location, locText(f.location, base))}: ${cell(f.message)}`);
  }
  if (r.problems.length) out.push('', '### Not read', '', ...r.problems.map((p) => `- ${cell(p)}`));
  out.push('', '---', '', `_${METHOD_NOTE}_`, '', `_Generated by pg-index-review in ${ms(r.timings.totalMs)}._`, '');
  return out.join('\n');
}
