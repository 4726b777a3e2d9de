import type { AnalysisResult } from '../../core/project';
import { displayPath } from './paths';

/** Related locations printed under a finding; JSON and SARIF carry them all. */
const RELATED_SHOWN = 5;

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', hint: '\x1b[2m' } as const;

/** Compiler-style lines: `file:line:col severity rule message`, 1-based like compilers print. */
export function formatText(r: AnalysisResult, opts: { color: boolean; showFixes: boolean }): string {
  const lines: string[] = [];
  for (const f of r.findings) {
    const sev = opts.color ? `${COLORS[f.severity]}${f.severity}\x1b[0m` : f.severity;
    lines.push(`${displayPath(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${sev} ${f.rule} ${f.message}`);
    if (opts.showFixes && f.fix?.sql) for (const l of f.fix.sql.split(/\r\n|\r|\n/)) lines.push(`    fix: ${l}`);
    if (opts.showFixes && f.fix?.prisma) lines.push(`    prisma: ${f.fix.prisma}${f.fix.model ? ` (model ${f.fix.model})` : ''}`);
    if (opts.showFixes) {
      for (const x of f.related.slice(0, RELATED_SHOWN)) lines.push(`    see: ${displayPath(x.file)}:${x.range.start.line + 1}:${x.range.start.character + 1} ${x.message}`);
      if (f.related.length > RELATED_SHOWN) lines.push(`    see: … and ${f.related.length - RELATED_SHOWN} more (--format json lists them all)`);
    }
  }
  const count = (s: string) => r.findings.filter((f) => f.severity === s).length;
  const s = r.stats;
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  lines.push(
    `${n(r.findings.length, 'finding')} (${count('error')} error, ${count('warning')} warning, ${count('info') + count('hint')} info) in ${n(s.files, 'file')}: ${n(s.queries, 'query').replace('querys', 'queries')} against ${n(s.tables, 'table')} and ${n(s.indexes, 'index').replace('indexs', 'indexes')}.`,
  );
  for (const sk of s.skipped) lines.push(`skipped ${displayPath(sk.file)}: ${sk.reason}`);
  return lines.join('\n');
}
