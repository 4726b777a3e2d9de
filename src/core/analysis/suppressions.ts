/**
 * Inline suppressions: `-- pg-index-review-ignore rule-id` (SQL, Prisma `//`) or
 * `// pg-index-review-ignore rule-id` (TS/JS). A comment alone on its line silences the next
 * line and, when that line starts a query, every finding inside the query; a comment after
 * code silences its own line only. `pg-index-review-ignore-file rule-id` anywhere silences
 * the file. Without rule ids, every rule.
 */
import type { Finding } from '../model/finding';
import { LineIndex } from '../model/location';

/** The rule ids run to the end of the line: a lone `\r` ends it too (see LineIndex). */
const PATTERN = /(--|\/\/|\/\*|#)\s*pg-index-review-ignore(-file)?(?![\w-])([^\r\n*]*)/g;

type Ids = Set<string> | 'all';

export interface Suppressions {
  /** Comments after code: their own line. */
  sameLine: Map<number, Ids>;
  /** Comments alone on a line: the line below. */
  nextLine: Map<number, Ids>;
  file: Ids | undefined;
}

function merge(existing: Ids | undefined, ids: string[]): Ids {
  if (ids.length === 0 || existing === 'all') return 'all';
  const s = existing ?? new Set<string>();
  ids.forEach((i) => s.add(i));
  return s;
}

/** `lines`: the text's LineIndex when the caller has one (else made here, only when a comment is found). */
export function readSuppressions(text: string, lines?: LineIndex): Suppressions {
  const out: Suppressions = { sameLine: new Map(), nextLine: new Map(), file: undefined };
  if (!text.includes('pg-index-review-ignore')) return out;
  PATTERN.lastIndex = 0;
  for (let m = PATTERN.exec(text); m; m = PATTERN.exec(text)) {
    const ids = m[3]
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter((s) => /^[a-z][a-z-]*$/.test(s));
    if (m[2]) {
      out.file = merge(out.file, ids);
      continue;
    }
    lines ??= new LineIndex(text);
    const line = lines.position(m.index).line;
    const alone = text.slice(lines.lineStart(line), m.index).trim() === '';
    if (alone) out.nextLine.set(line + 1, merge(out.nextLine.get(line + 1), ids));
    else out.sameLine.set(line, merge(out.sameLine.get(line), ids));
  }
  return out;
}

function covers(s: Ids | undefined, rule: string): boolean {
  return s === 'all' || (s instanceof Set && s.has(rule));
}

/**
 * `statementLines`: first lines of the queries that contain the finding, so a comment above a
 * multi-line query silences what is reported inside it.
 */
export function isSuppressed(f: Finding, s: Suppressions, statementLines: number[] = []): boolean {
  if (covers(s.file, f.rule)) return true;
  const line = f.range.start.line;
  if (covers(s.sameLine.get(line), f.rule) || covers(s.nextLine.get(line), f.rule)) return true;
  return statementLines.some((l) => covers(s.nextLine.get(l), f.rule) || covers(s.sameLine.get(l), f.rule));
}
