/** Plain text edits on a document's text, by UTF-16 offset; no `vscode` import, so mocha tests them directly. */
export interface TextChange {
  /** Offset where the change starts. */
  offset: number;
  /** Characters replaced (0 for an insertion). */
  length: number;
  text: string;
}

export function applyChanges(text: string, changes: TextChange[]): string {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.offset - a.offset)) out = out.slice(0, c.offset) + c.text + out.slice(c.offset + c.length);
  return out;
}

/**
 * The line break to insert: the text's own. CRLF when it has one; a lone CR for an old-Mac text
 * (CR-only); else LF.
 */
export function eolOf(text: string): string {
  if (text.includes('\r\n')) return '\r\n';
  return text.includes('\r') && !text.includes('\n') ? '\r' : '\n';
}

/** Lines break as in VS Code (and LineIndex): at CRLF, a lone CR, a lone LF. */
function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

export function lineStart(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  while (i > 0 && !isBreak(text.charCodeAt(i - 1))) i--;
  return i;
}

/** Offset of the line break ending the line holding `offset` (the text length on the last line). */
export function lineEnd(text: string, offset: number): number {
  let i = Math.max(0, offset);
  while (i < text.length && !isBreak(text.charCodeAt(i))) i++;
  return i;
}

/** Offset just past the line break of the line holding `offset` (the text length on the last line). */
export function nextLineStart(text: string, offset: number): number {
  const i = lineEnd(text, offset);
  if (i >= text.length) return text.length;
  return text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
}

export function indentationAt(text: string, offset: number): string {
  const s = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(s))![0];
}

/** The offset of a 0-based line start (the text length past the last line). */
export function offsetOfLine(text: string, line: number): number {
  let o = 0;
  for (let l = 0; l < line; l++) {
    const e = lineEnd(text, o);
    if (e >= text.length) return text.length;
    o = nextLineStart(text, e);
  }
  return o;
}
