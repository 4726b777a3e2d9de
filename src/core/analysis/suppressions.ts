/**
 * Inline suppressions: `-- pg-index-review-ignore rule-id` (SQL, Prisma `//`) or
 * `// pg-index-review-ignore rule-id` (TS/JS) on the line of a finding or the line above;
 * `pg-index-review-ignore-file rule-id` anywhere in a file. Without rule ids, every rule.
 */
import type { Finding } from '../model/finding';

const PATTERN = /(?:--|\/\/|\/\*|#)\s*pg-index-review-ignore(-file)?\b([^\n*]*)/g;

export interface Suppressions {
  lines: Map<number, Set<string> | 'all'>;
  file: Set<string> | 'all' | undefined;
}

function merge(existing: Set<string> | 'all' | undefined, ids: string[]): Set<string> | 'all' {
  if (ids.length === 0 || existing === 'all') return 'all';
  const s = existing ?? new Set<string>();
  ids.forEach((i) => s.add(i));
  return s;
}

export function readSuppressions(text: string): Suppressions {
  const out: Suppressions = { lines: new Map(), file: undefined };
  if (!text.includes('pg-index-review-ignore')) return out;
  PATTERN.lastIndex = 0;
  for (let m = PATTERN.exec(text); m; m = PATTERN.exec(text)) {
    const ids = m[2]
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter((s) => /^[a-z][a-z-]*$/.test(s));
    if (m[1]) {
      out.file = merge(out.file, ids);
      continue;
    }
    let line = 0;
    for (let i = 0; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    out.lines.set(line, merge(out.lines.get(line), ids));
  }
  return out;
}

function covers(s: Set<string> | 'all' | undefined, rule: string): boolean {
  return s === 'all' || (s instanceof Set && s.has(rule));
}

export function isSuppressed(f: Finding, s: Suppressions): boolean {
  if (covers(s.file, f.rule)) return true;
  const line = f.range.start.line;
  return covers(s.lines.get(line), f.rule) || covers(s.lines.get(line - 1), f.rule);
}
