/** Ignore comments the suppression reader in src/core/analysis/suppressions.ts understands. */
import { eolOf, indentationAt, nextLineStart, offsetOfLine, type TextChange } from './text';

export type CommentStyle = '--' | '//';

export function commentStyleFor(file: string): CommentStyle {
  return /\.sql$/i.test(file) ? '--' : '//';
}

/**
 * A comment line above `line` that silences `rule` there. `style` is `--` inside SQL (a .sql file,
 * or SQL embedded in a template literal spanning the line above), `//` in TS/JS and schema.prisma.
 */
export function ignoreLineChange(text: string, line: number, rule: string, style: CommentStyle): TextChange {
  const at = offsetOfLine(text, line);
  const eol = eolOf(text);
  return { offset: at, length: 0, text: `${indentationAt(text, at)}${style} pg-index-review-ignore ${rule}${eol}` };
}

/** `pg-index-review-ignore-file rule` at the top of the file (after a shebang line). */
export function ignoreFileChange(text: string, rule: string, style: CommentStyle): TextChange {
  const eol = eolOf(text);
  const existing = /^(.*pg-index-review-ignore-file)([^\r\n]*)$/m.exec(text);
  if (existing && !/\*\//.test(existing[2])) {
    const ids = existing[2].split(/[\s,]+/).filter(Boolean);
    // No ids means every rule already; otherwise add this one to the list.
    if (ids.length === 0 || ids.includes(rule)) return { offset: 0, length: 0, text: '' };
    const end = existing.index + existing[0].length;
    return { offset: end, length: 0, text: `, ${rule}` };
  }
  const at = text.startsWith('#!') ? nextLineStart(text, 0) : 0;
  return { offset: at, length: 0, text: `${style} pg-index-review-ignore-file ${rule}${eol}` };
}
