import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocatedAtom, QueryShape, TableAccess } from '../../../src/core/model/query';
import type { PredicateAtom } from '../../../src/core/model/predicate';
import type { SchemaModel } from '../../../src/core/model/schema';
import { LineIndex } from '../../../src/core/model/location';
import { extractFromTypeScript } from '../../../src/core/sources/typescript/extract';
import { lmsSchema } from './schemaFixture';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'typescript');

/** Fixture text; fixtures carry a `.txt` suffix so the project's tsc run ignores them. */
export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export interface Extracted {
  text: string;
  shapes: QueryShape[];
  lines: LineIndex;
}

export function extractFixture(name: string, file = name.replace(/\.txt$/, ''), schema: SchemaModel = lmsSchema()): Extracted {
  const text = fixture(name);
  const r = extractFromTypeScript(text, file, schema);
  return { text, shapes: r.shapes, lines: new LineIndex(text) };
}

/** The first shape starting at or after the first occurrence of `marker` in the text. */
export function shapeAfter(x: Extracted, marker: string, nth = 0): QueryShape {
  const at = x.text.indexOf(marker);
  if (at < 0) throw new Error(`marker not in fixture: ${marker}`);
  const after = x.shapes.filter((s) => x.lines.offset(s.location.range.start) >= at);
  const s = after[nth];
  if (!s) throw new Error(`no shape after ${marker}`);
  return s;
}

export function atoms(access: TableAccess): PredicateAtom[] {
  return access.predicates.map((p: LocatedAtom) => p.atom);
}

export function atomFor(access: TableAccess, column: string): PredicateAtom[] {
  return atoms(access).filter((a) => (a.kind === 'other' ? a.columns.includes(column) : a.column === column));
}
