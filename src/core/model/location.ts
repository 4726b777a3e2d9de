/** 0-based line and UTF-16 character, the way editors and LSP count. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface SourceLocation {
  file: string;
  range: Range;
}

/**
 * Maps UTF-16 offsets of one text to line/character positions. Lines break where VS Code, LSP and
 * TypeScript break them: at `\r\n` (one break), a lone `\r` and a lone `\n`; not at U+2028/U+2029
 * (TypeScript's scanner counts those, VS Code's text model and LSP do not, and diagnostics are shown
 * by VS Code). Positions, not offsets, are what agree with an open editor: VS Code normalizes a
 * document's line breaks to one style (a CR-only file is shown with CRLF), which moves offsets but
 * keeps every line and character where it was.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    const starts = this.starts;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 13) continue;
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
  }

  /** Number of lines: line breaks + 1 (an empty text, or a text ending in a break, has an empty last line). */
  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset of the first character of a 0-based line (clamped to the last line). */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    // Between the \r and the \n of a CRLF: the end of the line, as VS Code's positionAt says.
    const between = o > this.starts[lo] && this.text.charCodeAt(o) === 10 && this.text.charCodeAt(o - 1) === 13;
    return { line: lo, character: o - this.starts[lo] - (between ? 1 : 0) };
  }

  offset(pos: Position): number {
    const start = this.starts[Math.max(0, Math.min(pos.line, this.starts.length - 1))] ?? 0;
    return Math.min(start + pos.character, this.text.length);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** `p` with its line moved by `delta` when it is after line `after` (the same object when it is not). */
function movedPosition(p: Position, after: number, delta: number): Position {
  return p.line > after && delta !== 0 ? { line: p.line + delta, character: p.character } : p;
}

/** `r` with its ends moved as movedPosition moves them (the same object when neither moves). */
export function movedRange(r: Range, after: number, delta: number): Range {
  const start = movedPosition(r.start, after, delta);
  const end = movedPosition(r.end, after, delta);
  return start === r.start && end === r.end ? r : { start, end };
}
