import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Range } from '../../../src/core/model/location';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'prisma');

export function fixture(name: string): { text: string; file: string } {
  const file = join(FIXTURES, name);
  return { text: readFileSync(file, 'utf8'), file };
}

/** 0-based line/character of a UTF-16 offset, counted independently of LineIndex. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/**
 * The range of `needle` in `text`; with `after`, the first occurrence after the first
 * occurrence of `after` (to pick e.g. the `@unique` on a given field's line).
 */
export function rangeOf(text: string, needle: string, after?: string): Range {
  const from = after === undefined ? 0 : text.indexOf(after);
  if (from < 0) throw new Error(`fixture has no ${JSON.stringify(after)}`);
  const start = text.indexOf(needle, from);
  if (start < 0) throw new Error(`fixture has no ${JSON.stringify(needle)}`);
  return { start: positionAt(text, start), end: positionAt(text, start + needle.length) };
}

export const DATASOURCE = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
`;

/** A schema.prisma the engine rejects: model User has a typo (`Str`), model Tag is valid. */
export const ONE_BROKEN_MODEL =
  DATASOURCE + // lines 1-4; `model User {` is line 6
  `
model User {
  id    Int    @id
  name  Str
  email String @unique
}

model Tag {
  id    Int    @id
  label String @unique
  slug  String @map("tag_slug")
  kind  String

  @@index([kind, label])
  @@map("tags")
}
`;
