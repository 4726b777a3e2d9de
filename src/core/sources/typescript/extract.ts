/**
 * Query shapes of a TypeScript/JavaScript file (.ts .tsx .js .jsx .mjs .cjs):
 * embedded SQL (see embeddedSql.ts) and Prisma Client calls (see prismaCalls.ts).
 * Syntax only: no type checker, no program. TypeScript syntax errors produce no
 * findings (the editor shows them) and whatever parses is still extracted;
 * syntax errors in embedded SQL come back from shapesFromSqlText as parse-error
 * findings, except for SQL with statically unknown parts (`dynamic`), where the
 * error may be an artefact of our placeholders.
 */
// A plain require: esbuild's namespace wrapper (__toESM) would turn every ts.* access into a getter call.
import ts = require('typescript');
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
  const lines = new LineIndex(text);
  const { prisma: prismaShapes, embedded } = collectWithRecovery(text, file, schema, lines);
  const toShapes = options.sqlToShapes ?? shapesFromSqlText;
  for (const e of embedded) {
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

interface PassResult {
  prisma: QueryShape[];
  embedded: EmbeddedSql[];
  /** Offset of the first syntax error TypeScript reported, if any. */
  firstError?: number;
}

/** One parse of `text` (which has the same offsets as the file) and everything found in it. */
function runPass(text: string, file: string, schema: SchemaModel, lines: LineIndex): PassResult {
  const result: PassResult = { prisma: [], embedded: [] };
  let sf: ts.SourceFile;
  try {
    sf = parseSource(text, file);
  } catch {
    return result;
  }
  result.firstError = firstSyntaxError(sf);
  const ctx: PrismaContext = { sf, lines, schema, mapping: schema.prisma, enums: enumLookup(schema) };
  const embedded = new EmbeddedSqlCollector(sf, lines);
  try {
    walk(sf, (node) => {
      embedded.visit(node);
      if (ts.isCallExpression(node)) {
        const shape = prismaShapeFor(ctx, file, node);
        if (shape) result.prisma.push(shape);
      }
    });
  } catch {
    // keep what was found before the failure
  }
  try {
    result.embedded = embedded.finish();
  } catch {
    result.embedded = [];
  }
  return result;
}

/** Offset of the first parse diagnostic (TypeScript keeps them on the source file). */
function firstSyntaxError(sf: ts.SourceFile): number | undefined {
  const diags = (sf as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics;
  if (Array.isArray(diags)) {
    let min: number | undefined;
    for (const d of diags) if (typeof d.start === 'number' && (min === undefined || d.start < min)) min = d.start;
    return min;
  }
  let min: number | undefined;
  walk(sf, (n) => {
    if ((n.flags & ts.NodeFlags.ThisNodeHasError) !== 0) {
      const at = n.getStart(sf);
      if (min === undefined || at < min) min = at;
    }
  });
  return min;
}

const MAX_RECOVERY_PASSES = 8;

/** The text with everything before `from` blanked (line breaks kept, so offsets and lines don't move). */
function blankBefore(text: string, from: number): string {
  const parts: string[] = [];
  let run = 0;
  for (let i = 0; i < from; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (run > 0) parts.push(' '.repeat(run));
      run = 0;
      parts.push(text[i]);
    } else run++;
  }
  if (run > 0) parts.push(' '.repeat(run));
  return parts.join('') + text.slice(from);
}

/**
 * TypeScript's parser recovers from most errors, but an unclosed bracket while
 * typing (`findMany({ where: { ro`) can swallow the rest of the file. So when a
 * parse reports an error, the file is parsed again from the line of the first
 * error on (everything before it blanked, offsets unchanged), up to a few times.
 * Each pass's findings replace those of earlier passes that start at the same
 * offset at or after where the pass began; findings only earlier passes made are
 * kept (a harmless error inside a multi-line template would make the later pass
 * start in the middle of it). A call that runs from before the first error into
 * it (the one being typed) is cut at the end of the line before the error.
 * Constants declared before a recovery point aren't visible after it.
 */
function collectWithRecovery(
  text: string,
  file: string,
  schema: SchemaModel,
  lines: LineIndex,
): { prisma: QueryShape[]; embedded: EmbeddedSql[] } {
  const prisma = new Map<number, QueryShape>();
  const embedded = new Map<number, EmbeddedSql>();
  // Each pass re-parses the whole text: fewer for very large files.
  const passes = text.length > 300_000 ? 2 : MAX_RECOVERY_PASSES;
  let from = 0;
  for (let pass = 0; pass < passes; pass++) {
    const r = runPass(from === 0 ? text : blankBefore(text, from), file, schema, lines);
    let stop = Infinity;
    if (r.firstError !== undefined) {
      const errorLine = lines.position(r.firstError).line;
      stop = lines.offset({ line: errorLine, character: 0 });
      if (stop <= from) stop = lines.offset({ line: errorLine + 1, character: 0 });
      if (stop <= from || stop >= text.length) stop = Infinity;
    }
    for (const s of r.prisma) {
      const start = lines.offset(s.location.range.start);
      if (start >= from) prisma.set(start, start < stop ? clipShape(s, text, lines, stop) : s);
    }
    for (const e of r.embedded) if (e.start >= from) embedded.set(e.start, e);
    if (stop === Infinity) break;
    from = stop;
  }
  const byStart = <T>(m: Map<number, T>): T[] => [...m.entries()].sort((x, y) => x[0] - y[0]).map(([, v]) => v);
  return { prisma: byStart(prisma), embedded: byStart(embedded) };
}

/** A call that runs into the next recovery point (the one being typed) ends where its line ends. */
function clipShape(shape: QueryShape, text: string, lines: LineIndex, stop: number): QueryShape {
  const start = lines.offset(shape.location.range.start);
  const end = lines.offset(shape.location.range.end);
  if (end <= stop) return shape;
  let clipped = stop;
  while (clipped > start && (text[clipped - 1] === '\n' || text[clipped - 1] === '\r' || text[clipped - 1] === ' ' || text[clipped - 1] === '\t')) clipped--;
  const range = lines.range(start, clipped);
  const body = text.slice(start, clipped);
  return {
    ...shape,
    location: { ...shape.location, range },
    text: body.length > 500 ? body.slice(0, 499) + '…' : body,
  };
}
