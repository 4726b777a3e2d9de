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
import { movedFindings, type Finding } from '../../model/finding';
import { LineIndex } from '../../model/location';
import { movedShape, type MovedQueries, type QueryShape } from '../../model/query';
import type { SchemaModel } from '../../model/schema';
import { failureReason, shapesFromSqlText } from '../../shapes/fromSql';
import type { SqlDocumentParser } from '../../sql/parseCache';
import { EmbeddedSqlCollector, type EmbeddedSql } from './embeddedSql';
import { prismaShapeFor } from './prismaCalls';
import { enumLookup, type PrismaContext } from './prismaRelations';
import { parseAndIndex, type IndexedSource } from './scriptKind';
import { walk } from './walk';

export { scriptKindFor } from './scriptKind';
export { findEmbeddedSql, type EmbeddedSql, type EmbeddedSqlKind } from './embeddedSql';

export interface ExtractOptions {
  /** Replaces shapesFromSqlText (tests). */
  sqlToShapes?: typeof shapesFromSqlText;
  /** Parses the embedded SQL (default parseSqlDocument; see cachedSqlParser). */
  parseSql?: SqlDocumentParser;
}

export interface TypeScriptExtraction {
  shapes: QueryShape[];
  problems: Finding[];
  /**
   * What reextractTypeScript needs to redo only the function an edit falls in; absent when the file
   * had syntax errors or parts whose extraction depends on other top-level statements.
   */
  reuse?: TypeScriptReuse;
  /** From reextractTypeScript: the queries the edit only moved, each with the query it was. */
  moved?: MovedQueries;
}

/** The extraction of a file, by top-level statement (see reextractTypeScript). */
export interface TypeScriptReuse {
  text: string;
  lines: LineIndex;
  schema: SchemaModel;
  toShapes: typeof shapesFromSqlText;
  parseSql?: SqlDocumentParser;
  /** `text` with every blankable top-level statement blanked (line breaks kept, offsets unchanged), once needed. */
  blanked?: string;
  statements: TopLevel[];
  /** Per embedded SQL text, in file order: its statement and what came of it. */
  embedded: { stmt: number; shapes: QueryShape[]; problems: Finding[] }[];
  /** Per Prisma call, in file order. */
  prisma: { stmt: number; shape: QueryShape }[];
}

interface TopLevel {
  /** From the first token (getStart) to the end. */
  start: number;
  end: number;
  kind: ts.SyntaxKind;
  /** A function declaration's body: offsets of its `{` and `}`. */
  body?: { open: number; close: number };
}

export function extractFromTypeScript(
  text: string,
  file: string,
  schema: SchemaModel,
  options: ExtractOptions = {},
): TypeScriptExtraction {
  const lines = new LineIndex(text);
  const collected = collectWithRecovery(text, file, schema, lines);
  const toShapes = options.sqlToShapes ?? shapesFromSqlText;
  const parseSql = options.parseSql;
  const embedded = collected.embedded.map((e) => ({ start: e.start, ...embeddedShapes(e, file, schema, lines, toShapes, parseSql) }));
  const result = assemble(
    embedded,
    collected.prisma.map((p) => p.shape),
  );
  if (collected.unparsed) {
    const at = { line: 0, character: 0 };
    result.problems.push({ rule: 'parse-error', severity: 'error', message: `TypeScript's parser could not read this file (${collected.unparsed}): its queries are not analysed.`, file, range: { start: at, end: at }, related: [] });
  }
  const clean = collected.clean;
  if (clean && !clean.crossLinks) {
    const statements = topLevel(clean.sf);
    if (statements && !duplicateTopLevelNames(clean.sf)) {
      const stmtOf = (offset: number) => statementAt(statements, offset);
      result.reuse = {
        text,
        lines,
        schema,
        toShapes,
        parseSql,
        statements,
        embedded: embedded.map((e) => ({ stmt: stmtOf(e.start), shapes: e.shapes, problems: e.problems })),
        prisma: collected.prisma.map((p) => ({ stmt: stmtOf(p.start), shape: p.shape })),
      };
    }
  }
  return result;
}

/** Shapes and problems of one embedded SQL text. */
function embeddedShapes(
  e: EmbeddedSql,
  file: string,
  schema: SchemaModel,
  lines: LineIndex,
  toShapes: typeof shapesFromSqlText,
  parse: SqlDocumentParser | undefined,
): { shapes: QueryShape[]; problems: Finding[] } {
  try {
    const r = toShapes(e.sql, { file, origin: 'embedded-sql', lines, mapOffset: e.mapOffset, schema, parse });
    return { shapes: r.shapes, problems: e.dynamic ? r.problems.filter((p) => p.rule !== 'parse-error') : r.problems };
  } catch {
    // a failure in one statement doesn't lose the others
    return { shapes: [], problems: [] };
  }
}

/** The file's shapes (embedded SQL first, then Prisma calls, stably sorted by position) and problems. */
function assemble(embedded: { shapes: QueryShape[]; problems: Finding[] }[], prisma: QueryShape[]): TypeScriptExtraction {
  const shapes: QueryShape[] = [];
  const problems: Finding[] = [];
  for (const e of embedded) {
    shapes.push(...e.shapes);
    problems.push(...e.problems);
  }
  shapes.push(...prisma);
  shapes.sort(
    (a, b) =>
      a.location.range.start.line - b.location.range.start.line ||
      a.location.range.start.character - b.location.range.start.character,
  );
  return { shapes, problems };
}

/**
 * The extraction of `text` from that of an earlier text of the same file, when the edit between
 * them lies inside the body of one top-level function declaration: only that function is extracted again, from a parse of the text with every other function
 * declaration blanked (offsets and lines unchanged); the other statements' shapes are reused as
 * they are, moved by the lines the edit added or removed. Undefined when that can't give what
 * extractFromTypeScript would (the edit crosses a function's braces, shares a line with another
 * statement, introduces a syntax error or a dependency on another statement): extract the whole file then.
 */
export function reextractTypeScript(prev: TypeScriptReuse, text: string, file: string, schema: SchemaModel, options: ExtractOptions = {}): TypeScriptExtraction | undefined {
  const toShapes = options.sqlToShapes ?? shapesFromSqlText;
  if (prev.schema !== schema || prev.toShapes !== toShapes) return undefined;
  const parseSql = options.parseSql ?? prev.parseSql;
  const old = prev.text;
  // The edit: old[p, oldEnd) became text[p, newEnd).
  const min = Math.min(old.length, text.length);
  const p = commonPrefix(old, text, min);
  const suffix = commonSuffix(old, text, min - p);
  const oldEnd = old.length - suffix;
  const newEnd = text.length - suffix;
  const delta = text.length - old.length;
  const ti = statementAt(prev.statements, p);
  const t = prev.statements[ti];
  if (!t?.body || p <= t.body.open || oldEnd > t.body.close) return undefined;
  const firstLine = prev.lines.position(p).line;
  const lastLine = prev.lines.position(oldEnd).line;
  if (ti > 0 && prev.lines.position(prev.statements[ti - 1].end).line >= firstLine) return undefined;
  if (ti + 1 < prev.statements.length && prev.lines.position(prev.statements[ti + 1].start).line <= lastLine) return undefined;

  // Parse the new text with the other functions blanked, and check it has the expected statements.
  const tEnd = t.end + delta;
  const template = (prev.blanked ??= blankStatements(old, prev.statements, -1));
  const blanked = template.slice(0, t.start) + text.slice(t.start, tEnd) + template.slice(t.end);
  let indexed: IndexedSource;
  try {
    indexed = parseAndIndex(blanked, file);
  } catch {
    return undefined;
  }
  const sf = indexed.sf;
  if (firstSyntaxError(sf) !== undefined) return undefined;
  const shift = (x: number) => (x >= t.end ? x + delta : x);
  const statements: TopLevel[] = prev.statements.map((st) => (st === t ? { ...st, end: tEnd, body: { open: st.body!.open, close: st.body!.close + delta } } : { ...st, start: shift(st.start), end: shift(st.end), body: st.body && { open: shift(st.body.open), close: shift(st.body.close) } }));
  // (Ends, not starts: a start is found by skipping the blanked text before it.)
  const kept = statements.filter((st, i) => i === ti || !blankable(st.kind));
  if (sf.statements.length !== kept.length) return undefined;
  for (let i = 0; i < kept.length; i++) {
    const node = sf.statements[i];
    if (node.kind !== kept[i].kind || node.end !== kept[i].end) return undefined;
  }
  const fn = sf.statements[kept.indexOf(statements[ti])];
  if (!ts.isFunctionDeclaration(fn) || !fn.body || fn.body.getStart(sf) !== statements[ti].body!.open || fn.body.end - 1 !== statements[ti].body!.close) return undefined;

  // Extract the function again.
  const lines = new LineIndex(text);
  // Lines added or removed move everything after the edit down or up. The text after the edit is the
  // same, so by the difference in line counts (counting breaks inside the edit would miss a CRLF
  // split or joined at its ends).
  const lineDelta = lines.lineCount - prev.lines.lineCount;
  const ctx: PrismaContext = { sf, lines, schema, mapping: schema.prisma, enums: enumLookup(schema) };
  const collector = new EmbeddedSqlCollector(sf, lines);
  const prismaByStart = new Map<number, QueryShape>();
  const inside = (n: ts.Node) => n.pos >= t.start && n.end <= tEnd;
  try {
    for (const node of indexed.calls) {
      if (!inside(node)) continue;
      collector.visit(node);
      if (ts.isCallExpression(node)) {
        const shape = prismaShapeFor(ctx, file, node);
        if (shape) prismaByStart.set(lines.offset(shape.location.range.start), shape);
      }
    }
  } catch {
    return undefined;
  }
  for (const d of collector.dependencies()) for (const n of d.nodes) if (ts.isSourceFile(n) || !inside(n)) return undefined;
  let found: EmbeddedSql[];
  try {
    found = collector.finish();
  } catch {
    return undefined;
  }
  const embeddedByStart = new Map<number, EmbeddedSql>();
  for (const e of found) embeddedByStart.set(e.start, e);
  const sorted = <T>(m: Map<number, T>): T[] => [...m.entries()].sort((x, y) => x[0] - y[0]).map(([, v]) => v);
  const embeddedHere = sorted(embeddedByStart).map((e) => ({ stmt: ti, ...embeddedShapes(e, file, schema, lines, toShapes, parseSql) }));
  const prismaHere = sorted(prismaByStart).map((shape) => ({ stmt: ti, shape }));

  // The other statements' shapes and problems: as they were, moved by the lines the edit added or removed.
  const moves: MovedQueries = { file, from: new Map() };
  const thisMove = [{ after: lastLine, delta: lineDelta }];
  const moveShape = (shape: QueryShape): QueryShape => {
    const moved = lineDelta === 0 ? shape : movedShape(shape, lastLine, lineDelta);
    if (moved === shape) return shape;
    const start = moved.location.range.start;
    const out = { ...moved, id: `${moved.location.file}:${start.line + 1}:${start.character + 1}` };
    moves.from.set(out, { was: shape, moves: thisMove });
    return out;
  };
  const others = <T extends { stmt: number }>(list: T[], at: (x: T) => T, before: boolean) => list.filter((e) => (before ? e.stmt < ti : e.stmt > ti)).map(at);
  const movedEmbedded = (e: TypeScriptReuse['embedded'][number]) => ({ stmt: e.stmt, shapes: e.shapes.map(moveShape), problems: movedFindings(e.problems, file, thisMove) });
  const movedPrisma = (e: TypeScriptReuse['prisma'][number]) => ({ stmt: e.stmt, shape: moveShape(e.shape) });
  const embedded = [...others(prev.embedded, movedEmbedded, true), ...embeddedHere, ...others(prev.embedded, movedEmbedded, false)];
  const prisma = [...others(prev.prisma, movedPrisma, true), ...prismaHere, ...others(prev.prisma, movedPrisma, false)];
  const result = assemble(
    embedded,
    prisma.map((x) => x.shape),
  );
  if (moves.from.size) result.moved = moves;
  result.reuse = {
    text,
    lines,
    schema,
    toShapes,
    parseSql,
    blanked: template.slice(0, t.start) + blank(text, t.start, tEnd) + template.slice(t.end),
    statements,
    embedded,
    prisma,
  };
  return result;
}

/** Stretch compared natively at once when looking for where two texts start to differ. */
const CHUNK = 4096;

/** Length of the common prefix of a and b (at most max): whole chunks first, then character by character. */
function commonPrefix(a: string, b: string, max: number): number {
  let n = 0;
  while (n + CHUNK <= max && a.substring(n, n + CHUNK) === b.substring(n, n + CHUNK)) n += CHUNK;
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/** Length of the common suffix of a and b (at most max). */
function commonSuffix(a: string, b: string, max: number): number {
  let n = 0;
  while (n + CHUNK <= max && a.substring(a.length - n - CHUNK, a.length - n) === b.substring(b.length - n - CHUNK, b.length - n)) n += CHUNK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

function topLevelOf(st: ts.Statement, sf: ts.SourceFile): TopLevel {
  const out: TopLevel = { start: st.getStart(sf), end: st.end, kind: st.kind };
  if (ts.isFunctionDeclaration(st) && st.body) out.body = { open: st.body.getStart(sf), close: st.body.end - 1 };
  return out;
}

/** The top-level statements, or undefined when their spans overlap (never for a parse without errors). */
function topLevel(sf: ts.SourceFile): TopLevel[] | undefined {
  const out = sf.statements.map((st) => topLevelOf(st, sf));
  for (let i = 1; i < out.length; i++) if (out[i].start < out[i - 1].end) return undefined;
  return out;
}

/** Index of the statement whose span holds `offset`, else of the last one starting before it (-1 when none). */
function statementAt(statements: TopLevel[], offset: number): number {
  let lo = 0;
  let hi = statements.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid].start <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/**
 * Whether two top-level declarations bind the same name. Blanking a function declaration changes
 * what scope.ts finds for its name only when another declaration binds it too.
 */
function duplicateTopLevelNames(sf: ts.SourceFile): boolean {
  const seen = new Set<string>();
  let dup = false;
  const add = (name: string) => {
    if (seen.has(name)) dup = true;
    seen.add(name);
  };
  const addBinding = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) add(name.text);
    else for (const el of name.elements) if (ts.isBindingElement(el)) addBinding(el.name);
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) addBinding(d.name);
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st) || ts.isModuleDeclaration(st)) && st.name && ts.isIdentifier(st.name)) add(st.name.text);
    else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) add(c.name.text);
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) add(nb.name.text);
      if (nb && ts.isNamedImports(nb)) for (const e of nb.elements) add(e.name.text);
    } else if (ts.isImportEqualsDeclaration(st)) add(st.name.text);
  }
  return dup;
}

/**
 * Top-level statements that can be blanked when extracting another one: all but those whose
 * contents scope.ts reads (const initializers) or that bind names (variables, imports). Function,
 * class, enum and namespace names only shadow, and no other declaration binds them (see
 * duplicateTopLevelNames); interfaces and types bind no value.
 */
function blankable(kind: ts.SyntaxKind): boolean {
  return kind !== ts.SyntaxKind.VariableStatement && kind !== ts.SyntaxKind.ImportDeclaration && kind !== ts.SyntaxKind.ImportEqualsDeclaration;
}

/** `text` with the characters of [from, to) other than line breaks replaced by spaces. */
function blank(text: string, from: number, to: number): string {
  return text.slice(from, to).replace(/[^\r\n]/g, ' ');
}

/** `text` with every blankable top-level statement but the one at index `except` blanked. */
function blankStatements(text: string, statements: TopLevel[], except: number): string {
  const parts: string[] = [];
  let at = 0;
  statements.forEach((st, i) => {
    if (i === except || !blankable(st.kind)) return;
    parts.push(text.slice(at, st.start), blank(text, st.start, st.end));
    at = st.end;
  });
  parts.push(text.slice(at));
  return parts.join('');
}

interface PassResult {
  prisma: QueryShape[];
  embedded: EmbeddedSql[];
  sf?: ts.SourceFile;
  /** See crossLinks. */
  crossLinks: boolean;
  /** Offset of the first syntax error TypeScript reported, if any. */
  firstError?: number;
  /** Why TypeScript's parser failed on the text (it threw: nesting deeper than its stack). */
  unparsed?: string;
}

/** One parse of `text` (which has the same offsets as the file) and everything found in it. */
function runPass(text: string, file: string, schema: SchemaModel, lines: LineIndex): PassResult {
  const result: PassResult = { prisma: [], embedded: [], crossLinks: false };
  let indexed: IndexedSource;
  try {
    indexed = parseAndIndex(text, file);
  } catch (err) {
    result.unparsed = failureReason(err);
    return result;
  }
  const sf = indexed.sf;
  result.firstError = firstSyntaxError(sf);
  const ctx: PrismaContext = { sf, lines, schema, mapping: schema.prisma, enums: enumLookup(schema) };
  const embedded = new EmbeddedSqlCollector(sf, lines);
  try {
    // The collectors only look at calls and tagged templates: visit those, in the order a walk would.
    for (const node of indexed.calls) {
      embedded.visit(node);
      if (ts.isCallExpression(node)) {
        const shape = prismaShapeFor(ctx, file, node);
        if (shape) result.prisma.push(shape);
      }
    }
  } catch {
    // keep what was found before the failure
  }
  try {
    result.embedded = embedded.finish();
  } catch {
    result.embedded = [];
  }
  result.sf = sf;
  result.crossLinks = crossLinks(sf, embedded);
  return result;
}

/** Whether a candidate's text (or its being reported) depends on a node in another top-level statement. */
function crossLinks(sf: ts.SourceFile, collector: EmbeddedSqlCollector): boolean {
  const top = (n: ts.Node): ts.Node | undefined => {
    let cur: ts.Node = n;
    while (cur.parent && cur.parent !== sf) cur = cur.parent;
    return cur.parent === sf ? cur : undefined;
  };
  for (const d of collector.dependencies()) {
    const home = top(d.root);
    for (const n of d.nodes) if (n === sf || top(n) !== home) return true;
  }
  return false;
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
): { prisma: { start: number; shape: QueryShape }[]; embedded: EmbeddedSql[]; clean?: { sf: ts.SourceFile; crossLinks: boolean }; unparsed?: string } {
  let clean: { sf: ts.SourceFile; crossLinks: boolean } | undefined;
  const prisma = new Map<number, QueryShape>();
  const embedded = new Map<number, EmbeddedSql>();
  // Each pass re-parses the whole text: fewer for very large files.
  const passes = text.length > 300_000 ? 2 : MAX_RECOVERY_PASSES;
  let from = 0;
  for (let pass = 0; pass < passes; pass++) {
    const r = runPass(from === 0 ? text : blankBefore(text, from), file, schema, lines);
    if (pass === 0 && r.unparsed) return { prisma: [], embedded: [], unparsed: r.unparsed };
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
    // One pass over the whole text without a syntax error: the extraction can be reused by statement.
    if (pass === 0 && r.firstError === undefined && r.sf) clean = { sf: r.sf, crossLinks: r.crossLinks };
    if (stop === Infinity) break;
    from = stop;
  }
  const byStart = <T>(m: Map<number, T>): T[] => [...m.entries()].sort((x, y) => x[0] - y[0]).map(([, v]) => v);
  return {
    prisma: [...prisma.entries()].sort((x, y) => x[0] - y[0]).map(([start, shape]) => ({ start, shape })),
    embedded: byStart(embedded),
    clean,
  };
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
