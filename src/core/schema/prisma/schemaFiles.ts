/**
 * A Prisma schema split over several files (Prisma 6.6+: the `.prisma` files of the schema's folder). Prisma
 * reads their blocks as one schema; so does this: the files are joined, each from a line of its own, read as
 * one schema.prisma (./loadPrismaSchema), and every position found is put back in its own file.
 */
import { LineIndex, type Range } from '../../model/location';
import { type LoadedPrismaSchema, loadPrismaSchema } from './loadPrismaSchema';
import { type BlockSpan, scanPrismaSchema } from './ranges';

export interface PrismaSchemaFile {
  file: string;
  text: string;
}

/** The file name the joined text is read under, until its positions are put back in their files. */
const JOINED = '\u0000joined.prisma';

/**
 * Reads the files as one schema; the first is the one with the datasource (its name is the mapping's `file`).
 * Never throws (see loadPrismaSchema).
 */
export function loadPrismaSchemaFiles(files: PrismaSchemaFile[]): LoadedPrismaSchema {
  if (files.length === 1) return loadPrismaSchema(files[0].text, files[0].file);
  const { text, firstLines, unclosed } = joinPrismaFiles(files);
  const loaded = loadPrismaSchema(text, JOINED);
  const place = (range: Range): { file: string; range: Range } => {
    let i = firstLines.length - 1;
    while (i > 0 && firstLines[i] > range.start.line) i--;
    const shift = firstLines[i];
    return { file: files[i].file, range: { start: { ...range.start, line: range.start.line - shift }, end: { ...range.end, line: range.end.line - shift } } };
  };
  relocate(loaded, place, files[0].file);
  for (const { index, block } of unclosed) {
    const f = files[index];
    const lines = new LineIndex(f.text);
    loaded.problems.push({
      rule: 'parse-error',
      severity: 'error',
      message: `${block.kind[0].toUpperCase()}${block.kind.slice(1)} "${block.name}" is not closed: its "}" is missing at the end of this file, which Prisma reads on its own. It is read here as if it were closed, so that the schema's next file is read as written.`,
      file: f.file,
      range: lines.range(block.start, block.headerEnd),
      related: [],
    });
  }
  return loaded;
}

/**
 * The files' texts as one, each starting on a new line, and the line each starts at. A file whose last block is not
 * closed (being typed) gets its `}` on a line of its own (listed in `unclosed`): Prisma reads each file on its own, so
 * the next file's blocks are not that block's lines.
 */
export function joinPrismaFiles(files: PrismaSchemaFile[]): { text: string; firstLines: number[]; unclosed: { index: number; block: BlockSpan }[] } {
  let text = '';
  let line = 0;
  const firstLines: number[] = [];
  const unclosed: { index: number; block: BlockSpan }[] = [];
  const newLine = () => {
    if (text && !/[\n\r]$/.test(text)) {
      text += '\n';
      line++;
    }
  };
  files.forEach((f, index) => {
    newLine();
    firstLines.push(line);
    text += f.text;
    line += (f.text.match(/\r\n|\r|\n/g) ?? []).length;
    const last = index < files.length - 1 && f.text.includes('{') ? scanPrismaSchema(f.text).at(-1) : undefined;
    if (last && last.end >= f.text.length && f.text[last.end - 1] !== '}') {
      newLine();
      text += '}\n';
      line++;
      unclosed.push({ index, block: last });
    }
  });
  return { text, firstLines, unclosed };
}

/**
 * Puts every location the loader made in the joined text back in its file: objects with `file` JOINED and a
 * `range` (schema locations, findings, related locations), and the ranges of what the engine's errors left out.
 */
function relocate(loaded: LoadedPrismaSchema, place: (range: Range) => { file: string; range: Range }, main: string): void {
  const seen = new Set<object>();
  const visit = (x: unknown): void => {
    if (!x || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if (x instanceof Map) {
      for (const v of x.values()) visit(v);
      return;
    }
    if (Array.isArray(x)) {
      for (const v of x) visit(v);
      return;
    }
    const o = x as Record<string, unknown>;
    if (o.file === JOINED) {
      if (o.range && typeof o.range === 'object') Object.assign(o, place(o.range as Range));
      else o.file = main;
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(loaded);
  const mapping = loaded.schema.prisma;
  for (const at of mapping?.leftOutAt?.values() ?? []) Object.assign(at, place(at.range));
  for (const f of mapping?.leftOutFields?.values() ?? []) Object.assign(f, place(f.range));
}
