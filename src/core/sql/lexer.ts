/**
 * PostgreSQL's lexer, in JavaScript, for what the analysis needs from tokens: where each token
 * starts and ends (UTF-8 byte offsets, like the parser's `location`s) and its text. It gives
 * exactly what libpg-query's `scanSync(text).tokens` gives for `start`, `end` and `text` (comments
 * included), an order of magnitude faster (no WASM round trip, no JSON). Differential tests
 * (test/core/sql/lexer.test.ts) hold it to that.
 *
 * It follows src/backend/parser/scan.l with standard_conforming_strings on: identifiers (with
 * `$` after the first character, any non-ASCII character), "quoted" and U&"quoted"
 * identifiers, '…', E'…', B'…', X'…', U&'…' strings and their continuation across a line break,
 * $tag$ dollar quotes, $n parameters, numbers, `--` and nested `/* *\/` comments, operators
 * (cut at an embedded comment start; a trailing + or - dropped unless the operator has one of
 * ~ ! @ # ^ & | ` ? %), `::`, `:=`, `..`, and single characters.
 *
 * Where the real lexer reports an error or the text is unusual (unterminated literals or
 * comments, numbers with trailing junk, underscores or non-decimal bases, stray dollar signs,
 * control characters, an empty text),
 * it hands the whole text to `scanSync`, so the result (or the exception) is the real lexer's.
 */
import { scanSync } from 'libpg-query';

export interface SqlToken {
  /** UTF-8 byte offsets in the scanned text. */
  start: number;
  end: number;
  text: string;
}

class Defer extends Error {}

const enum C {
  TAB = 9,
  LF = 10,
  VT = 11,
  FF = 12,
  CR = 13,
  SPACE = 32,
  DQUOTE = 34,
  DOLLAR = 36,
  AMP = 38,
  QUOTE = 39,
  STAR = 42,
  PLUS = 43,
  MINUS = 45,
  DOT = 46,
  SLASH = 47,
  D0 = 48,
  D9 = 57,
  COLON = 58,
  EQ = 61,
  BACKSLASH = 92,
  UNDERSCORE = 95,
}

function isSpace(c: number): boolean {
  return c === C.SPACE || c === C.TAB || c === C.LF || c === C.CR || c === C.FF || c === C.VT;
}
function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}
function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === C.UNDERSCORE || c >= 0x80;
}
function isIdentCont(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === C.DOLLAR;
}
/** ~ ! @ # ^ & | ` ? + - * / % < > = */
function isOpChar(c: number): boolean {
  switch (c) {
    case 126:
    case 33:
    case 64:
    case 35:
    case 94:
    case 38:
    case 124:
    case 96:
    case 63:
    case 43:
    case 45:
    case 42:
    case 47:
    case 37:
    case 60:
    case 62:
    case 61:
      return true;
    default:
      return false;
  }
}
/** Operator characters that let a multi-character operator end in + or -. */
function isNonSqlOpChar(c: number): boolean {
  return c === 126 || c === 33 || c === 64 || c === 35 || c === 94 || c === 38 || c === 124 || c === 96 || c === 63 || c === 37;
}

/** Tokens of `text`, as libpg-query's scanSync reports them (start, end, text). Throws where scanSync throws. */
export function lexSql(text: string): SqlToken[] {
  return lexSqlWithOffsets(text).tokens;
}

/**
 * The tokens and, when known, their UTF-16 offsets in `text` (`chars[2k]`, `chars[2k + 1]` for
 * token k); `chars` is absent when the real lexer did the work.
 */
export function lexSqlWithOffsets(text: string): { tokens: SqlToken[]; chars?: number[] } {
  let spans: number[];
  try {
    spans = lexSpans(text);
  } catch (e) {
    if (!(e instanceof Defer)) throw e;
    return { tokens: (scanSync(text) as { tokens: SqlToken[] }).tokens.map((t) => ({ start: t.start, end: t.end, text: t.text })) };
  }
  const out: SqlToken[] = new Array(spans.length / 2);
  // eslint-disable-next-line no-control-regex
  const ascii = !/[^\x00-\x7f]/.test(text);
  let bytes: Uint32Array | undefined;
  if (!ascii) {
    bytes = new Uint32Array(text.length + 1);
    let b = 0;
    for (let i = 0; i < text.length; i++) {
      bytes[i] = b;
      const c = text.charCodeAt(i);
      if (c < 0x80) b += 1;
      else if (c < 0x800) b += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          b += 4;
          bytes[++i] = b; // a low surrogate has no bytes of its own
          continue;
        }
        b += 3;
      } else b += 3;
    }
    bytes[text.length] = b;
  }
  for (let k = 0; k < spans.length; k += 2) {
    const s = spans[k];
    const e = spans[k + 1];
    out[k / 2] = { start: bytes ? bytes[s] : s, end: bytes ? bytes[e] : e, text: text.slice(s, e) };
  }
  return { tokens: out, chars: spans };
}

/** [start, end) character offsets of every token, flattened. Throws Defer when the real lexer should decide. */
function lexSpans(text: string): number[] {
  const n = text.length;
  // scanSync fails on an empty text and on control characters (its JSON output doesn't escape them).
  // eslint-disable-next-line no-control-regex
  if (n === 0 || /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)) throw new Defer();
  const out: number[] = [];
  let i = 0;
  const at = (k: number) => (k < n ? text.charCodeAt(k) : -1);

  /**
   * End of a quoted string body starting after its opening quote; `escapes`: backslash escapes
   * (E'…', U&'…': left to the real lexer);
   * `doubled`: '' is a quote inside the string (not in B'…' / X'…').
   */
  const stringEnd = (from: number, escapes: boolean, doubled = true): number => {
    let k = from;
    for (;;) {
      if (k >= n) throw new Defer();
      const c = text.charCodeAt(k);
      // Backslash escapes are checked by the real lexer (\0, bad Unicode escapes are errors).
      if (escapes && c === C.BACKSLASH) throw new Defer();
      if (c === C.QUOTE) {
        if (doubled && at(k + 1) === C.QUOTE) {
          k += 2;
          continue;
        }
        // Continuation: white space with a line break, then another quote.
        let j = k + 1;
        while (j < n && (text.charCodeAt(j) === C.SPACE || text.charCodeAt(j) === C.TAB || text.charCodeAt(j) === C.FF)) j++;
        if (j < n && (text.charCodeAt(j) === C.LF || text.charCodeAt(j) === C.CR)) {
          while (j < n && isSpace(text.charCodeAt(j))) j++;
          if (at(j) === C.QUOTE) {
            k = j + 1;
            continue;
          }
        }
        return k + 1;
      }
      k++;
    }
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    const next = at(i + 1);
    // Comments.
    if (c === C.MINUS && next === C.MINUS) {
      let k = i + 2;
      while (k < n && text.charCodeAt(k) !== C.LF && text.charCodeAt(k) !== C.CR) k++;
      out.push(start, k);
      i = k;
      continue;
    }
    if (c === C.SLASH && next === C.STAR) {
      let depth = 1;
      let k = i + 2;
      while (depth > 0) {
        if (k >= n) throw new Defer();
        const d = text.charCodeAt(k);
        if (d === C.SLASH && at(k + 1) === C.STAR) {
          depth++;
          k += 2;
        } else if (d === C.STAR && at(k + 1) === C.SLASH) {
          depth--;
          k += 2;
        } else k++;
      }
      out.push(start, k);
      i = k;
      continue;
    }
    // Strings with a prefix, and identifiers.
    if (isIdentStart(c)) {
      if (next === C.QUOTE && (c === 69 || c === 101)) {
        i = stringEnd(i + 2, true); // E'…'
        out.push(start, i);
        continue;
      }
      if (next === C.QUOTE && (c === 66 || c === 98 || c === 88 || c === 120)) {
        i = stringEnd(i + 2, false, false); // B'…' X'…'
        out.push(start, i);
        continue;
      }
      if ((c === 85 || c === 117) && next === C.AMP && (at(i + 2) === C.QUOTE || at(i + 2) === C.DQUOTE)) {
        if (at(i + 2) === C.QUOTE) i = stringEnd(i + 3, true);
        else {
          const close = quotedIdentEnd(text, i + 3);
          i = close;
        }
        out.push(start, i);
        continue;
      }
      let k = i + 1;
      while (k < n && isIdentCont(text.charCodeAt(k))) k++;
      out.push(start, k);
      i = k;
      continue;
    }
    if (c === C.QUOTE) {
      i = stringEnd(i + 1, false);
      out.push(start, i);
      continue;
    }
    if (c === C.DQUOTE) {
      i = quotedIdentEnd(text, i + 1);
      out.push(start, i);
      continue;
    }
    if (c === C.DOLLAR) {
      if (isDigit(next)) {
        let k = i + 1;
        while (k < n && isDigit(text.charCodeAt(k))) k++;
        if (at(k) === C.UNDERSCORE) throw new Defer();
        out.push(start, k);
        i = k;
        continue;
      }
      if (next === C.DOLLAR || isIdentStart(next)) {
        let k = i + 1;
        while (k < n && (isIdentStart(text.charCodeAt(k)) || isDigit(text.charCodeAt(k)))) k++;
        if (at(k) !== C.DOLLAR) throw new Defer(); // $name without a closing $: not a dollar quote
        const delim = text.slice(i, k + 1);
        const close = text.indexOf(delim, k + 1);
        if (close < 0) throw new Defer();
        i = close + delim.length;
        out.push(start, i);
        continue;
      }
      throw new Defer();
    }
    // Numbers.
    if (isDigit(c) || (c === C.DOT && isDigit(next))) {
      i = numberEnd(text, i);
      out.push(start, i);
      continue;
    }
    if (c === C.COLON && (next === C.COLON || next === C.EQ)) {
      out.push(start, i + 2);
      i += 2;
      continue;
    }
    if (c === C.DOT && next === C.DOT) {
      out.push(start, i + 2);
      i += 2;
      continue;
    }
    if (isOpChar(c)) {
      let k = i + 1;
      while (k < n && isOpChar(text.charCodeAt(k))) k++;
      let len = k - i;
      // An embedded comment start ends the operator.
      for (let j = i + 1; j < k - 1; j++) {
        const a = text.charCodeAt(j);
        const b = text.charCodeAt(j + 1);
        if ((a === C.SLASH && b === C.STAR) || (a === C.MINUS && b === C.MINUS)) {
          len = j - i;
          break;
        }
      }
      if (len > 1) {
        const last = text.charCodeAt(i + len - 1);
        if (last === C.PLUS || last === C.MINUS) {
          let qualifies = false;
          for (let j = i + len - 2; j >= i; j--) {
            if (isNonSqlOpChar(text.charCodeAt(j))) {
              qualifies = true;
              break;
            }
          }
          if (!qualifies) {
            do len--;
            while (len > 1 && (text.charCodeAt(i + len - 1) === C.PLUS || text.charCodeAt(i + len - 1) === C.MINUS));
          }
        }
      }
      out.push(start, i + len);
      i += len;
      continue;
    }
    // Anything else is a token of its own: , ( ) [ ] . ; : { } \ …
    out.push(start, i + 1);
    i++;
  }
  return out;
}

function quotedIdentEnd(text: string, from: number): number {
  let k = from;
  for (;;) {
    const close = text.indexOf('"', k);
    if (close < 0) throw new Defer();
    if (text.charCodeAt(close + 1) === C.DQUOTE) {
      k = close + 2;
      continue;
    }
    if (close === from) throw new Defer(); // "" is a zero-length identifier: an error
    return close + 1;
  }
}

/** Decimal integers and numerics with an optional exponent; anything unusual goes to the real lexer. */
function numberEnd(text: string, from: number): number {
  const n = text.length;
  let k = from;
  const digits = () => {
    const s = k;
    while (k < n && isDigit(text.charCodeAt(k))) k++;
    return k - s;
  };
  const first = text.charCodeAt(k);
  if (first === C.D0 && k + 1 < n && /[xXoObB]/.test(text[k + 1])) throw new Defer();
  if (first === C.DOT) {
    k++;
    digits();
  } else {
    digits();
    if (text.charCodeAt(k) === C.DOT) {
      if (text.charCodeAt(k + 1) === C.DOT) throw new Defer(); // 1..2
      k++;
      digits();
    }
  }
  const e = text.charCodeAt(k);
  if (e === 69 || e === 101) {
    let j = k + 1;
    if (text.charCodeAt(j) === C.PLUS || text.charCodeAt(j) === C.MINUS) j++;
    if (!isDigit(text.charCodeAt(j))) throw new Defer();
    k = j;
    digits();
  }
  const after = k < n ? text.charCodeAt(k) : -1;
  if (after >= 0 && (isIdentCont(after) || after === C.DOT)) throw new Defer();
  return k;
}
