/**
 * Edits to schema.prisma for the quick fixes: add an `@@index([...])` to a model, remove one.
 * Positions come from the core's tolerant schema scanner; the text's own indentation and line
 * endings are kept.
 */
import { scanPrismaSchema, type AttributeSpan } from '../../core/schema/prisma/ranges';
import { eolOf, indentationAt, lineEnd, lineStart, nextLineStart, type TextChange } from './text';

export type AddIndexResult = { change: TextChange } | { error: string } | { alreadyPresent: true };

const KEY_ATTRIBUTES = new Set(['index', 'unique', 'id', 'fulltext']);

function normalize(attr: string): string {
  return attr.replace(/\s+/g, '');
}

/**
 * Adds `attribute` (`@@index([a, b(sort: Desc)])`) to `model`: after the model's last
 * `@@index`/`@@unique`/`@@id` when it has one (so indexes stay together, before `@@map`), else after
 * its last `@@` attribute, else on its own line (after a blank one) before the closing brace.
 */
export function addBlockAttribute(text: string, model: string, attribute: string): AddIndexResult {
  const block = scanPrismaSchema(text).find((b) => b.kind === 'model' && b.name === model);
  if (!block) return { error: `model ${model} is not in this schema.prisma` };
  const blockAttrs = block.attributes.filter((a) => a.block);
  if (blockAttrs.some((a) => normalize(text.slice(a.start, a.end)) === normalize(attribute))) return { alreadyPresent: true };
  const eol = eolOf(text);
  const closing = text.lastIndexOf('}', block.end - 1);
  if (closing < block.headerEnd - 1) return { error: `model ${model} has no closing brace` };
  const anchor: AttributeSpan | undefined = [...blockAttrs].reverse().find((a) => KEY_ATTRIBUTES.has(a.name)) ?? blockAttrs[blockAttrs.length - 1];
  const indent = anchor ? indentationAt(text, anchor.start) : block.fields.length ? indentationAt(text, block.fields[0].start) : '  ';
  if (anchor) {
    const at = lineEnd(text, anchor.end);
    return { change: { offset: at, length: 0, text: `${eol}${indent}${attribute}` } };
  }
  const braceLine = lineStart(text, closing);
  if (text.slice(braceLine, closing).trim() !== '') {
    // `model A { id Int @id }` on one line: open it up.
    return { change: { offset: closing, length: 0, text: `${eol}${indent}${attribute}${eol}` } };
  }
  // A blank line between the fields and the block attributes, as `prisma format` leaves it.
  const before = text.slice(block.headerEnd, braceLine);
  const endsBlank = /(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r|\n)$/.test(before) || before.trim() === '';
  return { change: { offset: braceLine, length: 0, text: `${endsBlank ? '' : eol}${indent}${attribute}${eol}` } };
}

/**
 * Removes the attribute spanning [start, end): the whole line when nothing else is on it (a
 * trailing comment goes with it), else just the attribute.
 */
export function removeAttribute(text: string, start: number, end: number): TextChange {
  const ls = lineStart(text, start);
  const le = lineEnd(text, end);
  const rest = text.slice(end, le).trim();
  if (text.slice(ls, start).trim() === '' && (rest === '' || rest.startsWith('//'))) {
    const next = nextLineStart(text, end);
    return { offset: ls, length: next - ls, text: '' };
  }
  let s = start;
  while (s > ls && /[ \t]/.test(text[s - 1])) s--;
  return { offset: s, length: end - s, text: '' };
}
