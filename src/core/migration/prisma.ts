/**
 * The schema.prisma side of an optimization plan: `@@index([...], map: "…")` lines added to the
 * right model (fields through @map, `sort: Desc`, GIN operator classes through `ops: raw(…)`),
 * `@@index` lines of dropped indexes removed, and a comment for each index Prisma cannot declare.
 */
import { LineIndex } from '../model/location';
import type { IndexDef, PrismaMapping, SchemaModel, TableDef } from '../model/schema';
import { scanPrismaSchema } from '../schema/prisma/ranges';
import type { OptimizationPlan } from './plan';

export interface PrismaSchemaEdit {
  /** UTF-16 offsets in the original text. */
  start: number;
  end: number;
  newText: string;
  model: string;
  description: string;
}

export interface PrismaSchemaChange {
  text: string;
  edits: PrismaSchemaEdit[];
  /** Indexes the migration creates that schema.prisma cannot declare (kept in SQL only). */
  sqlOnly: { index: IndexDef; why: string }[];
}

function fieldFor(mapping: PrismaMapping, table: TableDef, column: string): string | undefined {
  const model = table.model ? mapping.models.get(table.model) : undefined;
  if (!model) return undefined;
  for (const f of model.fields.values()) if (f.column === column) return f.name;
  return undefined;
}

const ALGORITHMS: Record<string, string> = { gin: 'Gin', gist: 'Gist', hash: 'Hash', brin: 'Brin', spgist: 'SpGist' };

/** `@@index([...], map: "name")` for an index definition, or why Prisma cannot declare it. */
export function prismaIndexAttribute(index: IndexDef, table: TableDef, mapping: PrismaMapping): { attribute?: string; why?: string } {
  if (index.predicate?.length || index.predicateText) return { why: 'a partial index (WHERE …): Prisma before 7.4 cannot declare one, and leaves it alone when it exists only in SQL' };
  if (index.include.length) return { why: 'INCLUDE columns cannot be declared in Prisma' };
  const parts: string[] = [];
  for (const k of index.keys) {
    const field = k.column ? fieldFor(mapping, table, k.column) : undefined;
    if (!field) return { why: k.column ? `column "${k.column}" has no field in model ${table.model}` : 'an expression key cannot be declared in Prisma' };
    if (k.nullsFirst !== k.desc) return { why: 'NULLS FIRST/LAST cannot be declared in Prisma' };
    const args: string[] = [];
    if (k.desc) args.push('sort: Desc');
    if (k.opclass) args.push(`ops: raw("${k.opclass}")`);
    parts.push(args.length ? `${field}(${args.join(', ')})` : field);
  }
  const extra: string[] = [];
  if (index.method !== 'btree') {
    const alg = ALGORITHMS[index.method];
    if (!alg) return { why: `${index.method} indexes cannot be declared in Prisma` };
    extra.push(`type: ${alg}`);
  }
  extra.push(`map: "${index.name}"`);
  return { attribute: `@@${index.unique ? 'unique' : 'index'}([${parts.join(', ')}], ${extra.join(', ')})` };
}

/** Offset of the start of the line holding `offset` (lines break at CRLF, CR and LF, as in LineIndex). */
function lineStartOf(lines: LineIndex, offset: number): number {
  return lines.lineStart(lines.position(offset).line);
}

/** Offset of the start of the line after the one holding `offset` (the text length on the last line). */
function nextLineStartOf(lines: LineIndex, offset: number): number {
  const line = lines.position(offset).line;
  return line + 1 < lines.lineCount ? lines.lineStart(line + 1) : lines.text.length;
}

/** The line break for lines added to a text: its own (CRLF, a lone CR, else LF). */
function eolOf(text: string): string {
  if (text.includes('\r\n')) return '\r\n';
  return text.includes('\r') && !text.includes('\n') ? '\r' : '\n';
}

function lineBounds(lines: LineIndex, start: number, end: number): { start: number; end: number; whole: boolean } {
  const text = lines.text;
  const ls = lineStartOf(lines, start);
  const next = nextLineStartOf(lines, end);
  const before = text.slice(ls, start);
  const after = text.slice(end, next).replace(/(\r\n|\r|\n)$/, '');
  const whole = /^\s*$/.test(before) && /^\s*(\/\/.*)?$/.test(after);
  return whole ? { start: ls, end: next, whole } : { start, end, whole };
}

/**
 * Applies the plan to a schema.prisma text. `prismaSchema` is the schema read from that text (its
 * index locations say where each `@@index` is); `schema` the analysis schema (tables → models).
 * `file`: the text is that file of a schema split over several; only the `@@index` attributes located
 * in it are removed, and only models declared in it get new ones.
 */
export function editPrismaSchema(text: string, plan: OptimizationPlan, prismaSchema: SchemaModel, mapping: PrismaMapping, file?: string): PrismaSchemaChange {
  const lines = new LineIndex(text);
  const eol = eolOf(text);
  const blocks = scanPrismaSchema(text).filter((b) => b.kind === 'model');
  const edits: PrismaSchemaEdit[] = [];
  const sqlOnly: PrismaSchemaChange['sqlOnly'] = [];

  for (const d of plan.drops) {
    const p = prismaSchema.tables.get(d.index.table)?.indexes.find((i) => i.name === d.index.name);
    if (!p?.location || p.origin !== 'prisma' || p.unique || p.primary) continue;
    if (file !== undefined && p.location.file !== file) continue;
    const s = lines.offset(p.location.range.start);
    const e = lines.offset(p.location.range.end);
    if (!/^@@index\b/.test(text.slice(s, e))) continue;
    const b = lineBounds(lines, s, e);
    edits.push({ start: b.start, end: b.end, newText: '', model: prismaSchema.tables.get(d.index.table)?.model ?? '', description: `remove ${text.slice(s, e)} ("${d.index.name}")` });
  }

  const adds = new Map<string, { lines: string[]; table: TableDef }>();
  for (const c of plan.creates) {
    const table = plan.before.tables.get(c.index.table);
    if (!table?.model) {
      sqlOnly.push({ index: c.index, why: 'its table has no Prisma model' });
      continue;
    }
    const r = prismaIndexAttribute(c.index, table, mapping);
    const entry = adds.get(table.model) ?? { lines: [], table };
    if (r.attribute) entry.lines.push(r.attribute);
    else {
      sqlOnly.push({ index: c.index, why: r.why! });
      entry.lines.push(`// pg-index-review: "${c.index.name}" exists in SQL only — ${r.why}.`);
    }
    adds.set(table.model, entry);
  }
  for (const [model, { lines: attrs }] of adds) {
    const block = blocks.find((b) => b.name === model);
    if (!block) continue;
    const indent = detectIndent(lines, block);
    const mapAttr = block.attributes.find((a) => a.block && a.name === 'map');
    const lastIndex = [...block.attributes].filter((a) => a.block && a.name !== 'map').pop();
    let at: number;
    if (mapAttr) at = lineStartOf(lines, mapAttr.start);
    else if (lastIndex) at = nextLineStartOf(lines, lastIndex.end);
    else at = lineStartOf(lines, block.end - 1);
    edits.push({ start: at, end: at, newText: attrs.map((a) => `${indent}${a}${eol}`).join(''), model, description: `add ${attrs.length} line${attrs.length === 1 ? '' : 's'} to model ${model}` });
  }
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const e of edits) {
    out += text.slice(pos, e.start) + e.newText;
    pos = Math.max(pos, e.end);
  }
  out += text.slice(pos);
  return { text: out, edits, sqlOnly };
}

function detectIndent(lines: LineIndex, block: { attributes: { start: number }[]; fields: { start: number }[] }): string {
  const first = block.attributes[0]?.start ?? block.fields[0]?.start;
  if (first === undefined) return '  ';
  const ls = lineStartOf(lines, first);
  const m = /^[ \t]*/.exec(lines.text.slice(ls, first));
  return m ? m[0] : '  ';
}
