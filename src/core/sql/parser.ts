import { loadModule, parseSync } from 'libpg-query';
import { lexSqlWithOffsets, type SqlToken } from './lexer';

/** One statement of a SQL document, with its offsets in the document's UTF-16 text. */
export interface ParsedStatement {
  /** The statement's AST node (`{ SelectStmt: … }`), absent when it failed to parse. */
  ast?: Record<string, any>;
  start: number;
  end: number;
  text: string;
  /** Converts a UTF-8 byte offset inside `text` (as the parser reports it) to a document offset. */
  toDocOffset(byteOffset: number): number;
  error?: { message: string; offset: number };
  /**
   * The tokens of `text` (UTF-8 byte offsets in `text`, exactly as libpg-query's scanSync would
   * give them for `text`), when splitting the document already lexed them.
   */
  tokens?: SqlToken[];
}

let loaded: Promise<void> | undefined;
let ready = false;

/** Loads the WASM parser once; every other function here needs it. */
export function initSqlParser(): Promise<void> {
  loaded ??= loadModule().then(() => {
    ready = true;
  });
  return loaded;
}

export function sqlParserReady(): boolean {
  return ready;
}

function assertReady(): void {
  if (!ready) throw new Error('SQL parser not loaded: await initSqlParser() first');
}

/** Maps UTF-8 byte offsets of `text` to UTF-16 offsets (identity for ASCII text). */
export function byteToCharMapper(text: string): (byteOffset: number) => number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return (b) => Math.min(b, text.length);
  const byteStarts: number[] = [];
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    byteStarts.push(bytes);
    const code = text.codePointAt(i)!;
    if (code > 0xffff) {
      bytes += 4;
      byteStarts.push(bytes); // low surrogate: no bytes of its own
      i++;
    } else bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
  }
  return (b) => {
    if (b >= bytes) return text.length;
    let lo = 0;
    let hi = byteStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (byteStarts[mid] <= b) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

interface Piece {
  start: number;
  end: number;
}

interface Split {
  pieces: Piece[];
  /** The document's tokens and their UTF-16 offsets (absent when there was no need to lex, or on a lexer error). */
  tokens?: SqlToken[];
  chars?: number[];
}

/** Splits a document at top-level semicolons using PostgreSQL's lexer rules (see ./lexer). */
function splitStatements(text: string): Split {
  // No semicolon anywhere: a single piece, whatever the tokens are.
  if (!text.includes(';')) return { pieces: [{ start: 0, end: text.length }] };
  let lexed: { tokens: SqlToken[]; chars?: number[] };
  try {
    lexed = lexSqlWithOffsets(text);
  } catch {
    return { pieces: naiveSplit(text) };
  }
  const { tokens } = lexed;
  const toChar = lexed.chars ? undefined : byteToCharMapper(text);
  const charStart = (k: number) => (lexed.chars ? lexed.chars[2 * k] : toChar!(tokens[k].start));
  const charEnd = (k: number) => (lexed.chars ? lexed.chars[2 * k + 1] : toChar!(tokens[k].end));
  const pieces: Piece[] = [];
  let start = 0;
  // BEGIN ATOMIC … END function bodies contain semicolons; CASE … END nests inside them.
  let inBody = false;
  let caseDepth = 0;
  let prev = '';
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const word = t.text.toLowerCase();
    if (!inBody && word === 'atomic' && prev === 'begin') inBody = true;
    else if (inBody && word === 'case') caseDepth++;
    else if (inBody && word === 'end') {
      if (caseDepth > 0) caseDepth--;
      else inBody = false;
    }
    prev = word;
    if (t.text === ';' && !inBody) {
      pieces.push({ start, end: charStart(k) });
      start = charEnd(k);
    }
  }
  pieces.push({ start, end: text.length });
  return { pieces, tokens, chars: lexed.chars };
}

/**
 * The tokens lying in each piece, re-based on the piece's first byte; undefined for a piece a
 * token straddles (white space JavaScript trims but PostgreSQL reads as part of a token).
 */
function tokensOfPieces(text: string, split: Split, pieces: Piece[]): (SqlToken[] | undefined)[] {
  const out: (SqlToken[] | undefined)[] = [];
  const { tokens, chars } = split;
  if (!tokens || !chars) return pieces.map(() => undefined);
  let k = 0;
  let byteAt = 0;
  let charAt = 0;
  for (const p of pieces) {
    byteAt += Buffer.byteLength(text.slice(charAt, p.start));
    charAt = p.start;
    while (k < tokens.length && chars[2 * k + 1] <= p.start) k++;
    const mine: SqlToken[] = [];
    let ok = true;
    let j = k;
    for (; j < tokens.length && chars[2 * j] < p.end; j++) {
      if (chars[2 * j] < p.start || chars[2 * j + 1] > p.end) {
        ok = false;
        break;
      }
      const t = tokens[j];
      mine.push({ start: t.start - byteAt, end: t.end - byteAt, text: t.text });
    }
    out.push(ok ? mine : undefined);
  }
  return out;
}

function naiveSplit(text: string): Piece[] {
  const pieces: Piece[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ';') {
      pieces.push({ start, end: i });
      start = i + 1;
    }
  }
  pieces.push({ start, end: text.length });
  return pieces;
}

/** Skips leading white space and comments so a statement's range starts at its first token. */
function trimPiece(text: string, p: Piece): Piece | undefined {
  let s = p.start;
  let e = p.end;
  for (;;) {
    while (s < e && /\s/.test(text[s])) s++;
    if (text.startsWith('--', s)) {
      // A -- comment ends at \n or \r (PostgreSQL's scanner: newline [\n\r]); the loop above skips the break.
      let nl = s + 2;
      while (nl < e && text[nl] !== '\n' && text[nl] !== '\r') nl++;
      s = Math.min(nl, e);
    } else if (text.startsWith('/*', s)) {
      const close = commentEnd(text, s, e);
      // Unterminated: left in the piece, for the parser to say so (PostgreSQL refuses the file).
      if (close < 0) break;
      s = close;
    } else break;
  }
  while (e > s && /\s/.test(text[e - 1])) e--;
  return s < e ? { start: s, end: e } : undefined;
}

/** The end of the `/* … *\/` comment at `start` (PostgreSQL's nest), or -1 when it does not end before `end`. */
function commentEnd(text: string, start: number, end: number): number {
  let depth = 0;
  for (let k = start; k < end - 1; k++) {
    if (text[k] === '/' && text[k + 1] === '*') {
      depth++;
      k++;
    } else if (text[k] === '*' && text[k + 1] === '/') {
      depth--;
      k++;
      if (depth === 0) return k + 1;
    }
  }
  return -1;
}

function errorOffset(err: unknown, pieceText: string): number {
  const pos = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
  if (typeof pos === 'number' && pos >= 0) return byteToCharMapper(pieceText)(pos);
  return 0;
}

function errorMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/^Error:\s*/, '');
}

/**
 * Parses every statement of a SQL document. One broken statement does not hide the
 * rest: each top-level piece is parsed on its own when the whole fails.
 */
export function parseSqlDocument(text: string): ParsedStatement[] {
  assertReady();
  const out: ParsedStatement[] = [];
  const split = splitStatements(text);
  const pieces: Piece[] = [];
  for (const raw of split.pieces) {
    const p = trimPiece(text, raw);
    if (p) pieces.push(p);
  }
  const pieceTokens = tokensOfPieces(text, split, pieces);
  pieces.forEach((p, i) => {
    const pieceText = text.slice(p.start, p.end);
    const toChar = byteToCharMapper(pieceText);
    const toDocOffset = (b: number) => p.start + toChar(b);
    try {
      const result = parseSync(pieceText) as { stmts?: { stmt: Record<string, any> }[] };
      const stmts = result.stmts ?? [];
      if (stmts.length === 0) return; // only comments
      const stmt: ParsedStatement = { ast: stmts[0].stmt, start: p.start, end: p.end, text: pieceText, toDocOffset };
      if (pieceTokens[i]) stmt.tokens = pieceTokens[i];
      out.push(stmt);
    } catch (err) {
      const offset = p.start + errorOffset(err, pieceText);
      out.push({ start: p.start, end: p.end, text: pieceText, toDocOffset, error: { message: errorMessage(err), offset } });
    }
  });
  return out;
}

/** Parses one statement's text (the first statement only); throws on a syntax error. */
export function parseStatement(text: string): Record<string, any> | undefined {
  assertReady();
  const result = parseSync(text) as { stmts?: { stmt: Record<string, any> }[] };
  return result.stmts?.[0]?.stmt;
}
