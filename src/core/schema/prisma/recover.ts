/**
 * Reading what is valid in a schema.prisma that Prisma's engine rejects.
 *
 * The engine rejects a whole document for one error. Here the parts its errors are in
 * are blanked (spaces, line breaks kept, so offsets and lines don't move) and the
 * engine runs again, a bounded number of rounds, until it accepts the rest:
 *
 * - a model / enum / view / composite type with an error is left out, except:
 * - an error in a relation field (its type is a model, or it has `@relation` and no
 *   scalar or enum type) leaves out that field alone: it is no column, so the model's
 *   table and indexes stay exact;
 * - what a left-out part makes invalid (the cascade) is handled the same way: a
 *   relation field to a left-out model, or the other side of a left-out relation
 *   field, is left out alone; a model using a left-out enum is left out whole (the
 *   enum's column would be missing from its table);
 * - a datasource or generator with an error is replaced by a stand-in appended after
 *   the text (the datasource decides which native types and attributes are valid, so
 *   blanking it alone would invalidate every model using `@db.…`);
 * - errors outside every block (a line that starts no block) are blanked alone; when the engine reads such text on
 *   into the next block (`model {` without a name), only the text before that block;
 * - an error the engine places in a block that follows an unclosed one (no `}` before
 *   the next `model …{`) is the unclosed block's: the engine reads on into the next.
 *
 * When the errors can't be placed, or the engine still rejects the text after
 * MAX_ROUNDS rounds, nothing is recovered.
 */
import { getDatamodel, knownPreviewFeatures, lintErrors, type DmmfDatamodel, type EngineSpan } from './dmmf';
import { scanPrismaSchema, type BlockKind, type BlockSpan, type FieldSpan } from './ranges';

const MAX_ROUNDS = 5;

type DataBlockKind = Exclude<BlockKind, 'datasource' | 'generator'>;

export interface LeftOut {
  /** A whole block, or one relation field of a model or view. */
  kind: DataBlockKind | 'field';
  /** The block's name; for a field, `Model.field`. */
  name: string;
  /** Offsets of what was blanked (the block, or the field) in the text. */
  start: number;
  end: number;
  /** The left-out part (block or field name) whose absence made this one invalid; absent for an error of its own. */
  because?: string;
}

export interface Recovered {
  datamodel: DmmfDatamodel;
  /** The text the engine accepted, without the stand-ins: the original with the left-out parts blanked. */
  text: string;
  leftOut: LeftOut[];
}

/** What the engine accepts of `text` once the parts at fault are left out; undefined when that fails. Never throws. */
export function recoverDatamodel(text: string): Recovered | undefined {
  try {
    return recover(text);
  } catch {
    return undefined;
  }
}

interface CutField {
  model: string;
  field: string;
  type: string;
}

interface State {
  text: string;
  /** Replacement datasource / generator blocks, appended after the text. */
  standIns: Map<string, string>;
  leftOut: LeftOut[];
  /** Left-out model, view, enum and type names. */
  gone: Map<string, DataBlockKind>;
  /** Left-out relation fields. */
  cut: CutField[];
}

function recover(original: string): Recovered | undefined {
  const state: State = { text: original, standIns: new Map(), leftOut: [], gone: new Map(), cut: [] };
  for (let round = 0; ; round++) {
    const source = state.text + [...state.standIns.values()].join('');
    const errors = lintErrors(source);
    if (errors.length === 0) return { datamodel: getDatamodel(source), text: state.text, leftOut: state.leftOut };
    if (round === MAX_ROUNDS) return undefined;
    const plan = planRound(errors, state);
    if (!plan || !applyPlan(plan, errors, state)) return undefined;
  }
}

interface Plan {
  /** The blocks of the text this round. */
  all: BlockSpan[];
  /** Blocks to blank → the left-out part that made them invalid, if that's why. */
  blocks: Map<BlockSpan, string | undefined>;
  fields: Map<FieldSpan, { block: BlockSpan; because?: string }>;
  /** Text outside every block. */
  spans: [number, number][];
}

function planRound(errors: EngineSpan[], state: State): Plan | undefined {
  const { text } = state;
  const blocks = scanPrismaSchema(text);
  const plan: Plan = { all: blocks, blocks: new Map(), fields: new Map(), spans: [] };
  for (const e of errors) {
    // Beyond the text: in a stand-in, which was meant to be valid.
    if (!(e.start >= 0 && e.start < text.length)) return undefined;
    const block = owningBlock(blocks, text, e.start);
    if (!block) {
      const end = Math.min(Math.max(e.end, e.start + 1), text.length);
      // Text that starts no known block (`model {` half typed) and that the engine read on into the next block:
      // the text before that block is what is wrong.
      const next = blocks.find((b) => b.start > e.start && b.start < end);
      if (next) {
        plan.spans.push([e.start, next.start]);
        continue;
      }
      if (blocks.some((b) => b.start < end && e.start < b.end)) return undefined;
      plan.spans.push([e.start, end]);
      continue;
    }
    const field = block.kind === 'model' || block.kind === 'view' ? block.fields.find((f) => f.start <= e.start && e.start < f.end) : undefined;
    const cut = field && relationFieldCut(field, block, blocks, state);
    if (field && cut) plan.fields.set(field, { block, ...cut });
    else if (!plan.blocks.has(block)) plan.blocks.set(block, field && usesGoneType(field, state));
  }
  return plan;
}

const SCALARS = new Set(['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes']);

/**
 * When an error in `field` leaves out the field alone (a relation field, no column):
 * why, if it is the cascade of a left-out part; undefined when the block goes.
 */
function relationFieldCut(field: FieldSpan, block: BlockSpan, blocks: BlockSpan[], state: State): { because?: string } | undefined {
  const type = baseTypeName(field.typeText);
  if (type === undefined) return undefined;
  const goneKind = state.gone.get(type);
  if (goneKind === 'model' || goneKind === 'view') return { because: type };
  const opposite = state.cut.find((c) => c.model === type && c.type === block.name);
  if (opposite) return { because: `${opposite.model}.${opposite.field}` };
  const named = blocks.find((b) => b.name === type && b.kind !== 'datasource' && b.kind !== 'generator');
  if (named) return named.kind === 'model' || named.kind === 'view' ? {} : undefined;
  const hasRelation = field.attributes.some((a) => !a.block && a.name === 'relation');
  return hasRelation && !goneKind && !SCALARS.has(type) ? {} : undefined;
}

/** The left-out enum or type a field's type names, if it does. */
function usesGoneType(field: FieldSpan, state: State): string | undefined {
  const type = baseTypeName(field.typeText);
  return type !== undefined && state.gone.has(type) ? type : undefined;
}

/** Blanks what the plan says; false when nothing changed (the engine would answer the same). */
function applyPlan(plan: Plan, errors: EngineSpan[], state: State): boolean {
  const before = state.text;
  const standInsBefore = state.standIns.size;
  const remaining = plan.all.filter((b) => !plan.blocks.has(b));
  for (const [block, because] of plan.blocks) {
    state.text = blank(state.text, block.start, block.end);
    if (block.kind === 'datasource') {
      if (!state.standIns.has('datasource') && !remaining.some((b) => b.kind === 'datasource')) {
        state.standIns.set('datasource', datasourceStandIn(block, before, errors));
      }
    } else if (block.kind === 'generator') {
      const standIn = generatorStandIn(block, before);
      if (standIn && !state.standIns.has(`generator ${block.name}`)) state.standIns.set(`generator ${block.name}`, standIn);
    } else {
      state.gone.set(block.name, block.kind);
      state.leftOut.push(leftOutEntry(block.kind, block.name, block, because));
    }
  }
  for (const [field, { block, because }] of plan.fields) {
    if (plan.blocks.has(block)) continue;
    state.text = blank(state.text, field.start, field.end);
    state.cut.push({ model: block.name, field: field.name, type: baseTypeName(field.typeText) ?? '' });
    state.leftOut.push(leftOutEntry('field', `${block.name}.${field.name}`, field, because));
  }
  for (const [start, end] of plan.spans) state.text = blank(state.text, start, end);
  return state.text !== before || state.standIns.size !== standInsBefore;
}

function leftOutEntry(kind: LeftOut['kind'], name: string, span: { start: number; end: number }, because: string | undefined): LeftOut {
  const entry: LeftOut = { kind, name, start: span.start, end: span.end };
  if (because !== undefined) entry.because = because;
  return entry;
}

/**
 * The block an offset belongs to, as the engine reads it: a block after an unclosed
 * one (no `}` before the next header) is, for the engine, part of the unclosed one.
 */
export function owningBlock(blocks: BlockSpan[], text: string, offset: number): BlockSpan | undefined {
  let i = blocks.findIndex((b) => b.start <= offset && offset < b.end);
  if (i < 0) return undefined;
  while (i > 0 && isUnclosedBefore(blocks[i - 1], blocks[i], text)) i--;
  return blocks[i];
}

function isUnclosedBefore(block: BlockSpan, next: BlockSpan, text: string): boolean {
  // A closed block ends just after its `}`; an unclosed one where the next header starts.
  return block.end === next.start && text[block.end - 1] !== '}';
}

/** `User?`, `Post[]` → the type's name; undefined for `Unsupported(…)` and the like. */
function baseTypeName(typeText: string): string | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[\s*\])?\s*\??$/.exec(typeText.trim());
  return m ? m[1] : undefined;
}

/** Spaces over [start, end), line breaks kept. */
function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, ' ') + text.slice(end);
}

const CONNECTION_PROPERTIES = new Set(['provider', 'url', 'directUrl', 'shadowDatabaseUrl']);

/**
 * A PostgreSQL datasource of the same name (`@db.…` attributes name it), keeping the
 * properties that shape validation (`schemas`, `relationMode`, `extensions`) when they
 * have no error.
 */
function datasourceStandIn(block: BlockSpan, text: string, errors: EngineSpan[]): string {
  const kept = block.fields
    .filter((f) => !CONNECTION_PROPERTIES.has(f.name) && !errors.some((e) => e.start < f.end && f.start < Math.max(e.end, e.start + 1)))
    .map((f) => `  ${text.slice(f.start, f.end)}\n`);
  return `\ndatasource ${block.name} {\n  provider = "postgresql"\n  url      = "postgresql://localhost"\n${kept.join('')}}\n`;
}

/** A generator with the preview features the engine knows (`views` makes view blocks valid); undefined when it has none. */
function generatorStandIn(block: BlockSpan, text: string): string | undefined {
  const property = block.fields.find((f) => f.name === 'previewFeatures');
  if (!property) return undefined;
  const known = new Set(knownPreviewFeatures());
  const features = [...text.slice(property.start, property.end).matchAll(/"([^"\\]*)"/g)].map((m) => m[1]).filter((f) => known.has(f));
  if (features.length === 0) return undefined;
  return `\ngenerator ${block.name} {\n  provider        = "prisma-client-js"\n  previewFeatures = [${features.map((f) => JSON.stringify(f)).join(', ')}]\n}\n`;
}

const KIND_LABEL: Record<LeftOut['kind'], string> = {
  model: 'model',
  view: 'view',
  enum: 'enum',
  type: 'composite type',
  field: 'relation field',
};

/**
 * What to add to each problem's message so that what was left out shows: on every
 * problem in a part left out for its own error, that it is left out; on the first of
 * them, what was left out with it. Left-out parts no problem points at are listed on
 * the first problem. `offsets`: where each problem is in `text` (undefined when unknown).
 */
export function leftOutNotes(text: string, offsets: (number | undefined)[], leftOut: LeftOut[]): string[] {
  const notes = offsets.map(() => [] as string[]);
  if (leftOut.length === 0 || offsets.length === 0) return notes.map(() => '');
  const blocks = scanPrismaSchema(text);
  const owners = offsets.map((o) => (o === undefined ? undefined : owningBlock(blocks, text, o)?.start));
  // A block's problems are those the engine places in it; a field's, those within the field.
  const problemsOf = (entry: LeftOut): number[] =>
    offsets.flatMap((o, i) =>
      (entry.kind === 'field' ? o !== undefined && entry.start <= o && o < entry.end : owners[i] === entry.start) ? [i] : [],
    );
  const byName = new Map(leftOut.map((l) => [l.name, l]));

  const alsoLeftOut = new Map<number, string[]>();
  for (const entry of leftOut) {
    const own = entry.because === undefined ? problemsOf(entry) : [];
    if (own.length > 0) {
      const what = `${KIND_LABEL[entry.kind]} "${entry.name}"`;
      // A second definition of a name: the first one is still read.
      const twice = entry.kind !== 'field' && blocks.some((b) => b.name === entry.name && b.start !== entry.start && !leftOut.some((l) => l.start === b.start));
      const note = `${twice ? `This definition of ${what}` : capitalize(what)} is left out of the index analysis until this is fixed.`;
      for (const i of own) notes[i].push(note);
      continue;
    }
    const root = entry.because === undefined ? undefined : rootOf(entry, byName);
    const at = (root && problemsOf(root)[0]) ?? 0;
    const list = alsoLeftOut.get(at) ?? [];
    list.push(describe(entry, byName));
    alsoLeftOut.set(at, list);
  }
  for (const [i, list] of alsoLeftOut) notes[i].push(`Also left out: ${list.join(', ')}.`);
  return notes.map((n) => (n.length ? ' ' + n.join(' ') : ''));
}

/** The part with an error of its own that `entry` is left out for. */
function rootOf(entry: LeftOut, byName: Map<string, LeftOut>): LeftOut | undefined {
  let current: LeftOut | undefined = entry;
  for (let depth = 0; current?.because !== undefined && depth <= byName.size; depth++) current = byName.get(current.because);
  return current?.because === undefined ? current : undefined;
}

function describe(entry: LeftOut, byName: Map<string, LeftOut>): string {
  const what = `${KIND_LABEL[entry.kind]} "${entry.name}"`;
  if (entry.because === undefined) return `${what} (an error of its own, reported once this is fixed)`;
  if (entry.kind === 'field') return what;
  const cause = byName.get(entry.because);
  return `${what} (it uses ${cause ? KIND_LABEL[cause.kind] : 'type'} "${entry.because}")`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
