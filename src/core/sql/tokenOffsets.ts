/** Tokens of a text with their UTF-16 offsets, and text blanked in place: what rewrites of SQL text that keep every offset need. */
import { lexSqlWithOffsets, type SqlToken } from './lexer';
import { byteToCharMapper } from './parser';

export interface LocatedTokens {
  tokens: SqlToken[];
  /** UTF-16 offset in the text of token k's first character, and of the character after its last. */
  start(k: number): number;
  end(k: number): number;
}

/** The text's tokens and where each is in it; undefined when PostgreSQL's lexer rejects the text. */
export function locatedTokens(text: string): LocatedTokens | undefined {
  let lexed: { tokens: SqlToken[]; chars?: number[] };
  try {
    lexed = lexSqlWithOffsets(text);
  } catch {
    return undefined;
  }
  const { tokens, chars } = lexed;
  if (chars) return { tokens, start: (k) => chars[2 * k], end: (k) => chars[2 * k + 1] };
  const toChar = byteToCharMapper(text);
  return { tokens, start: (k) => toChar(tokens[k].start), end: (k) => toChar(tokens[k].end) };
}

/** Replaces `chars[from..to)` by spaces, line breaks kept (so lines and columns stay where they were). */
export function blankChars(chars: string[], from: number, to: number): void {
  for (let i = from; i < to; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
}

/** The offset of the end of the line holding `at` (its line break, or the end of the text). */
export function lineEndAt(text: string, at: number): number {
  let i = at;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}
