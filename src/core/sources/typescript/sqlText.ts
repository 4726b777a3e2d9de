/**
 * Building the SQL text of an embedded query together with a map from every
 * offset of that text back to an offset of the TypeScript file.
 *
 * The file holds *raw* literal text (`\n`, `\``, `\\`, `\u{…}`, line
 * continuations, CRLF line ends) while the SQL that reaches PostgreSQL is the
 * *cooked* text. `cookRaw` decodes raw text and remembers, for each cooked
 * UTF-16 unit, the file offset of the raw character(s) it came from; an escape
 * sequence maps to its backslash. Handled escapes: `\\ \` \' \" \$ \{` and any
 * other non-special character (identity escapes), `\n \t \r \b \f \v`, `\0`,
 * legacy octal (`\101`, string literals only), `\xHH`, `\uHHHH`, `\u{H…}`, line
 * continuations (`\` + LF / CR / CRLF / U+2028 / U+2029 → nothing) and, in
 * templates, raw CR / CRLF → LF. Callers compare the result with the cooked
 * text TypeScript computed and fall back to an approximate map when they differ
 * (invalid escapes in tagged templates are the only known case).
 */

export type RawKind = 'template' | 'string';

export interface CookedText {
  text: string;
  /** offsets[i]: file offset of the raw text that produced text[i]. */
  offsets: number[];
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

function isHex(c: string | undefined): boolean {
  return c !== undefined && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
}

function isOctal(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

/** Decodes the raw text of a string literal or template piece starting at file offset `fileStart`. */
export function cookRaw(raw: string, fileStart: number, kind: RawKind): CookedText {
  // Most literals have nothing to decode: the text is the raw text, offset for offset.
  if (!raw.includes('\\') && !(kind === 'template' && raw.includes('\r'))) {
    const offsets = new Array<number>(raw.length);
    for (let k = 0; k < raw.length; k++) offsets[k] = fileStart + k;
    return { text: raw, offsets };
  }
  let text = '';
  const offsets: number[] = [];
  const push = (s: string, at: number): void => {
    text += s;
    for (let k = 0; k < s.length; k++) offsets.push(at);
  };
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    const at = fileStart + i;
    if (c === '\\' && i + 1 < raw.length) {
      const n = raw[i + 1];
      if (n in SIMPLE_ESCAPES) {
        push(SIMPLE_ESCAPES[n], at);
        i += 2;
      } else if (n === '\r') {
        i += raw[i + 2] === '\n' ? 3 : 2; // line continuation
      } else if (n === '\n' || n === '\u2028' || n === '\u2029') {
        i += 2; // line continuation
      } else if (n === 'x' && isHex(raw[i + 2]) && isHex(raw[i + 3])) {
        push(String.fromCharCode(parseInt(raw.slice(i + 2, i + 4), 16)), at);
        i += 4;
      } else if (n === 'u' && raw[i + 2] === '{') {
        const close = raw.indexOf('}', i + 3);
        const hex = close < 0 ? '' : raw.slice(i + 3, close);
        const cp = hex.length > 0 && [...hex].every(isHex) ? parseInt(hex, 16) : NaN;
        if (Number.isFinite(cp) && cp <= 0x10ffff) {
          push(String.fromCodePoint(cp), at);
          i = close + 1;
        } else {
          push(n, at); // invalid: keep something; the caller's cross-check falls back
          i += 2;
        }
      } else if (n === 'u' && isHex(raw[i + 2]) && isHex(raw[i + 3]) && isHex(raw[i + 4]) && isHex(raw[i + 5])) {
        push(String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16)), at);
        i += 6;
      } else if (n >= '0' && n <= '9') {
        const next = raw[i + 2];
        if (n === '0' && !(next !== undefined && next >= '0' && next <= '9')) {
          push('\0', at);
          i += 2;
        } else if (kind === 'string' && isOctal(n)) {
          // Legacy octal escape in a string literal: up to three digits, value <= 0o377.
          let j = i + 1;
          let digits = '';
          const max = n <= '3' ? 3 : 2;
          while (digits.length < max && isOctal(raw[j])) digits += raw[j++];
          push(String.fromCharCode(parseInt(digits, 8)), at);
          i = j;
        } else {
          push(n, at); // \8 \9 (identity in strings; invalid in templates: the cross-check falls back)
          i += 2;
        }
      } else {
        push(n, at); // identity escape: \\ \` \' \" \$ \{ …
        i += 2;
      }
    } else if (kind === 'template' && c === '\r') {
      push('\n', at);
      i += raw[i + 1] === '\n' ? 2 : 1;
    } else {
      push(c, at);
      i += 1;
    }
  }
  return { text, offsets };
}

/**
 * Cooked text with its offset map; when our decoding disagrees with `expected`
 * (TypeScript's own cooked text) the expected text wins and offsets are spread
 * linearly over the raw span.
 */
export function cookChecked(raw: string, fileStart: number, kind: RawKind, expected: string | undefined): CookedText {
  const cooked = cookRaw(raw, fileStart, kind);
  if (expected === undefined || cooked.text === expected) return cooked;
  const offsets: number[] = [];
  for (let k = 0; k < expected.length; k++) offsets.push(fileStart + Math.min(k, Math.max(0, raw.length - 1)));
  return { text: expected, offsets };
}

export interface BuiltSql {
  sql: string;
  /** Maps an offset in `sql` to an offset in the host file. Offsets at or past the end map to the end of the last piece. */
  mapOffset: (sqlOffset: number) => number;
  /** Number of `$n` placeholders emitted. */
  params: number;
  /** Some of the text is unknown (a `Prisma.raw(variable)`, string interpolation in a plain template). */
  dynamic: boolean;
}

/**
 * Accumulates SQL text piece by piece: decoded literal text (mapped character
 * by character), `$n` placeholders (every character mapped to the `${` of
 * their hole) and fixed text.
 */
export class SqlTextBuilder {
  private text = '';
  private readonly offsets: number[] = [];
  private end = 0;
  private started = false;
  private paramCount = 0;
  dynamic = false;

  /** Appends decoded literal text; `rawEnd` is the file offset just after the raw piece. */
  appendCooked(cooked: CookedText, rawEnd: number): void {
    this.text += cooked.text;
    for (const o of cooked.offsets) this.offsets.push(o);
    this.touch(rawEnd);
  }

  /**
   * Appends the next PostgreSQL parameter (`$1`, `$2`, …). `holeStart` is the
   * offset of the hole's `${` (or of the expression), `holeEnd` just after it.
   * Returns the parameter number.
   */
  appendParam(holeStart: number, holeEnd: number): number {
    const n = ++this.paramCount;
    this.appendFixed(`$${n}`, holeStart, holeEnd);
    return n;
  }

  /** Appends text that has no source of its own; every character maps to `at`. */
  appendFixed(text: string, at: number, endAt: number = at): void {
    this.text += text;
    for (let k = 0; k < text.length; k++) this.offsets.push(at);
    this.touch(endAt);
  }

  /** Records a piece that adds no text (an empty template piece, `Prisma.empty`). */
  touch(endAt: number): void {
    this.end = endAt;
    this.started = true;
  }

  get length(): number {
    return this.text.length;
  }

  build(): BuiltSql {
    const sql = this.text;
    const offsets = this.offsets.slice();
    const end = this.started ? this.end : 0;
    const mapOffset = (sqlOffset: number): number => {
      if (!(sqlOffset >= 0)) return offsets.length > 0 ? offsets[0] : end;
      if (sqlOffset >= offsets.length) return end;
      return offsets[Math.floor(sqlOffset)];
    };
    return { sql, mapOffset, params: this.paramCount, dynamic: this.dynamic };
  }
}

const STATEMENT_KEYWORDS = new Set(['select', 'with', 'insert', 'update', 'delete']);

/**
 * The first word of a SQL text after whitespace, `--` and (nested) `/* *\/`
 * comments and opening parentheses, lower-cased; undefined when the text starts
 * with something else.
 */
export function firstSqlWord(sql: string): string | undefined {
  let i = 0;
  const n = sql.length;
  for (;;) {
    while (i < n && (sql[i] === ' ' || sql[i] === '\t' || sql[i] === '\n' || sql[i] === '\r' || sql[i] === '\f' || sql[i] === '(')) i++;
    if (sql.startsWith('--', i)) {
      while (i < n && sql[i] !== '\n' && sql[i] !== '\r') i++;
      continue;
    }
    if (sql.startsWith('/*', i)) {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    break;
  }
  let j = i;
  while (j < n && ((sql[j] >= 'a' && sql[j] <= 'z') || (sql[j] >= 'A' && sql[j] <= 'Z'))) j++;
  return j > i ? sql.slice(i, j).toLowerCase() : undefined;
}

/** True when the text starts (after whitespace/comments) with SELECT, WITH, INSERT, UPDATE or DELETE. */
export function startsWithSqlKeyword(sql: string): boolean {
  const w = firstSqlWord(sql);
  return w !== undefined && STATEMENT_KEYWORDS.has(w);
}
