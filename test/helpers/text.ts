/**
 * Locating things in file text without the product's own LineIndex, so tests check
 * positions independently.
 */
import type { Range } from '../../src/core/model/location';

export interface Pos {
  line: number;
  character: number;
}

/** 0-based line / UTF-16 character of an offset. */
export function positionAt(text: string, offset: number): Pos {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Offset of a 0-based line / character. */
export function offsetAt(text: string, pos: Pos): number {
  const lines = text.split('\n');
  if (pos.line >= lines.length) throw new Error(`line ${pos.line} is past the end (${lines.length} lines)`);
  let offset = 0;
  for (let i = 0; i < pos.line; i++) offset += lines[i].length + 1;
  return offset + pos.character;
}

/** The text a range covers. */
export function textOf(text: string, range: Range): string {
  return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}

/** The offset of `needle`, failing loudly when the fixture text changed. */
export function indexOfOrThrow(text: string, needle: string, from = 0): number {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`text has no ${JSON.stringify(needle)}`);
  return i;
}

/** Only one occurrence allowed: returns its offset. */
export function uniqueIndexOf(text: string, needle: string): number {
  const i = indexOfOrThrow(text, needle);
  if (text.indexOf(needle, i + 1) >= 0) throw new Error(`text has ${JSON.stringify(needle)} more than once`);
  return i;
}

export interface Span {
  start: number;
  end: number;
  label: string;
}

/** `export async function name(` … the closing `}` at column 0. */
export function functionSpan(text: string, name: string): Span {
  const start = uniqueIndexOf(text, `function ${name}(`);
  const close = indexOfOrThrow(text, '\n}\n', start);
  return { start, end: close + 2, label: `function ${name}` };
}

/** A `-- name: Query` block of a .sql file, up to and including its `;`. */
export function namedQuerySpan(text: string, name: string): Span {
  const start = uniqueIndexOf(text, `-- name: ${name} `);
  const semi = indexOfOrThrow(text, ';', start);
  return { start, end: semi + 1, label: `query ${name}` };
}

/** From a distinctive snippet to the end of a later one (inclusive). */
export function snippetSpan(text: string, from: string, to: string): Span {
  const start = uniqueIndexOf(text, from);
  const end = indexOfOrThrow(text, to, start) + to.length;
  return { start, end, label: `${JSON.stringify(from)}…` };
}

export function contains(span: Span, offset: number): boolean {
  return offset >= span.start && offset < span.end;
}
