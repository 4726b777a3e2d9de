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

export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function lineEnd(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  if (i < 0) return text.length;
  return i > 0 && text[i - 1] === '\r' ? i - 1 : i;
}

/** Offset just past the line break of the line holding `offset` (the text length on the last line). */
export function nextLineStart(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i + 1;
}

export function indentationAt(text: string, offset: number): string {
  const s = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(s))![0];
}

/** The offset of a 0-based line start. */
export function offsetOfLine(text: string, line: number): number {
  let o = 0;
  for (let l = 0; l < line; l++) {
    const i = text.indexOf('\n', o);
    if (i < 0) return text.length;
    o = i + 1;
  }
  return o;
}
