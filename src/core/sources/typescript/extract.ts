/**
 * Query shapes of a TypeScript/JavaScript file (.ts .tsx .js .jsx .mjs .cjs):
 * embedded SQL (see embeddedSql.ts) and Prisma Client calls (see prismaCalls.ts).
 * Syntax only: no type checker, no program. TypeScript syntax errors produce no
 * findings (the editor shows them) and whatever parses is still extracted;
 * syntax errors in embedded SQL come back from shapesFromSqlText as parse-error
 * findings, except for SQL with statically unknown parts (`dynamic`), where the
 * error may be an artefact of our placeholders.
 */
import * as ts from 'typescript';
import type { Finding } from '../../model/finding';
import { LineIndex } from '../../model/location';
import type { QueryShape } from '../../model/query';
import type { SchemaModel } from '../../model/schema';
import { shapesFromSqlText } from '../../shapes/fromSql';
import { EmbeddedSqlCollector, type EmbeddedSql } from './embeddedSql';
import { prismaShapeFor } from './prismaCalls';
import { enumLookup, type PrismaContext } from './prismaRelations';
import { parseSource } from './scriptKind';
import { walk } from './walk';

export { scriptKindFor } from './scriptKind';
export { findEmbeddedSql, type EmbeddedSql, type EmbeddedSqlKind } from './embeddedSql';

export interface ExtractOptions {
  /** Replaces shapesFromSqlText (tests). */
  sqlToShapes?: typeof shapesFromSqlText;
}

export interface TypeScriptExtraction {
  shapes: QueryShape[];
  problems: Finding[];
}

export function extractFromTypeScript(
  text: string,
  file: string,
  schema: SchemaModel,
  options: ExtractOptions = {},
): TypeScriptExtraction {
  const shapes: QueryShape[] = [];
  const problems: Finding[] = [];
  let sf: ts.SourceFile;
  try {
    sf = parseSource(text, file);
  } catch {
    return { shapes, problems };
  }
  const lines = new LineIndex(text);
  const ctx: PrismaContext = { sf, lines, schema, mapping: schema.prisma, enums: enumLookup(schema) };
  const embedded = new EmbeddedSqlCollector(sf, lines);
  const prismaShapes: QueryShape[] = [];
  try {
    walk(sf, (node) => {
      embedded.visit(node);
      if (ts.isCallExpression(node)) {
        const shape = prismaShapeFor(ctx, file, node);
        if (shape) prismaShapes.push(shape);
      }
    });
  } catch {
    // keep what was found before the failure
  }
  const toShapes = options.sqlToShapes ?? shapesFromSqlText;
  let found: EmbeddedSql[] = [];
  try {
    found = embedded.finish();
  } catch {
    found = [];
  }
  for (const e of found) {
    try {
      const r = toShapes(e.sql, { file, origin: 'embedded-sql', lines, mapOffset: e.mapOffset, schema });
      shapes.push(...r.shapes);
      problems.push(...(e.dynamic ? r.problems.filter((p) => p.rule !== 'parse-error') : r.problems));
    } catch {
      // a failure in one statement doesn't lose the others
    }
  }
  shapes.push(...prismaShapes);
  shapes.sort(
    (a, b) =>
      a.location.range.start.line - b.location.range.start.line ||
      a.location.range.start.character - b.location.range.start.character,
  );
  return { shapes, problems };
}
