/** The report for a terminal: fixed-width tables, locations as `path:line` relative to the current directory. */
import type { HealthReport, SessionInfo } from '../healthReport';
import { bytes, count, latest, locText, ms, pct, when } from './format';
import { actionItems, connectionsLine, headline, indexVerdicts, METHOD_NOTE, slowTitle, statsLine, summaryLine, usedByText } from './sections';

function table(rows: string[][], right: number[] = []): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (right.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

function sessionLine(s: SessionInfo): string {
  return `pid ${s.pid} ${s.application || '(no application_name)'}${s.user ? ` as ${s.user}` : ''}: ${s.state} for ${ms(s.durationMs)}${s.waitEvent ? `, waiting on ${s.waitEvent}` : ''}${s.query ? ` — ${s.query}` : ''}`;
}

export function renderReportText(r: HealthReport, base = process.cwd()): string {
  const out: string[] = [headline(r), statsLine(r), summaryLine(r), ''];
  const items = actionItems(r);
  out.push(items.length ? `Action items (${items.length})` : 'Action items: none');
  for (const it of items) {
    out.push(`  [${it.kind}] ${it.title}${it.location ? ` — ${locText(it.location, base)}` : ''}`);
    if (it.sql) out.push(`      ${it.sql}`);
  }
  out.push('', 'Tables');
  out.push(
    ...table(
      [
        ['table', 'rows', 'table', 'indexes', 'seq scans', 'idx scans', 'idx %', 'dead', 'bloat', 'last vacuum', 'last analyze'],
        ...r.tables.map((t) => [
          t.name,
          count(t.rows),
          bytes(t.tableBytes),
          bytes(t.indexBytes),
          count(t.seqScans),
          count(t.idxScans),
          pct(t.indexScanShare),
          `${count(t.deadTuples)} (${pct(t.deadRatio)})`,
          t.bloat?.ratio !== undefined ? `${pct(t.bloat.ratio)}${t.bloat.unreliable ? '?' : ''}` : '—',
          latest(t.lastVacuum, t.lastAutovacuum),
          latest(t.lastAnalyze, t.lastAutoanalyze),
        ]),
      ],
      [1, 2, 3, 4, 5, 6, 8],
    ).map((l) => `  ${l}`),
  );
  out.push('', 'Indexes');
  for (const t of r.tables) {
    out.push(`  ${t.name}${t.findings.length ? ` — ${t.findings.length} quer${t.findings.length === 1 ? 'y' : 'ies'} without a fitting index` : ''}`);
    out.push(
      ...table(
        [
          ['index', 'size', 'scans', 'tup read', 'tup fetched', 'bloat', 'verdict', 'workspace'],
          ...t.indexes.map((i) => [
            i.name,
            bytes(i.bytes),
            count(i.scans),
            count(i.tupRead),
            count(i.tupFetch),
            i.bloat?.ratio !== undefined ? pct(i.bloat.ratio) : '—',
            indexVerdicts(i).join(', ') || 'ok',
            usedByText(i),
          ]),
        ],
        [1, 2, 3, 4, 5],
      ).map((l) => `    ${l}`),
    );
  }
  const sq = r.slowQueries;
  out.push('');
  if (!sq.available) out.push(`Slow queries: not available — ${sq.reason}`);
  else {
    out.push(`Slow queries (pg_stat_statements${sq.since ? ` since ${when(sq.since)} UTC` : ''}; ${ms(sq.totalExecMs)} of statement time): ${sq.matched} traced to the workspace, ${sq.unmatched} not`);
    for (const s of sq.statements.filter((x) => x.candidates.length)) {
      out.push(`  ${slowTitle(s)} [${s.how}]`);
      for (const c of s.candidates) {
        out.push(`    ${locText(c.location, base)} ${c.label}${c.purpose ? ` (${c.purpose.split(':')[0]})` : ''}${c.verdict.length ? ` — ${c.verdict.join('; ')}` : ''}`);
        if (c.proposal) out.push(`      proposal: ${c.proposal.sql}`);
      }
    }
    const un = sq.statements.filter((x) => !x.candidates.length);
    if (un.length) {
      out.push(`  Not sent by any workspace code (${un.length}):`);
      for (const s of un) out.push(`    ${slowTitle(s)} — ${s.query.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
  }
  out.push('', `Connections: ${connectionsLine(r)}`);
  const c = r.connections;
  if (c.byApplication.length) out.push(`  by application: ${c.byApplication.map((a) => `${a.application} ${a.count}`).join(', ')}`);
  out.push(`  long-running (active ≥ ${ms(c.longRunningMs)}): ${c.longRunning.length ? '' : 'none'}`);
  for (const s of c.longRunning) out.push(`    ${sessionLine(s)}`);
  out.push(`  idle in transaction: ${c.idleInTransaction.length ? '' : 'none'}`);
  for (const s of c.idleInTransaction) out.push(`    ${sessionLine(s)}`);
  if (r.poolAdvice.length) {
    out.push('', 'Connection pools');
    for (const f of r.poolAdvice) out.push(`  ${locText(f.location, base)} ${f.severity}: ${f.message}`);
  }
  if (r.problems.length) out.push('', 'Not read:', ...r.problems.map((p) => `  ${p}`));
  out.push('', `Method: ${METHOD_NOTE}`, `Generated in ${ms(r.timings.totalMs)} (schema ${ms(r.timings.schemaMs)}, analysis ${ms(r.timings.analysisMs)}, catalog ${ms(r.timings.catalogMs)}, matching ${ms(r.timings.matchingMs)}).`);
  return out.join('\n');
}
