/**
 * Prisma `where` objects → predicate atoms.
 *
 * Conventions:
 * - values: literals keep their kind, members of known enums become strings,
 *   anything else (identifiers, shorthand `{ slug }`, calls, `new Date()`) is a
 *   parameter; `undefined` values are dropped (Prisma ignores them). A
 *   non-literal value given straight to a scalar field (`{ createdAt: range }`)
 *   is taken as equality, unless it names a `const` object in scope, which is
 *   read as the filter object it is.
 * - `contains`/`startsWith`/`endsWith` build a like atom. With a literal the
 *   pattern is the string Prisma sends (`'%x%'`, `'x%'`, `'%x'`; `%`/`_` inside
 *   the value are not escaped, as Prisma doesn't). With a non-literal value the
 *   pattern is an `expr` literal spelling the concatenation with `?` for the
 *   unknown value: `? || '%'` (startsWith: a prefix match, no leading
 *   wildcard), `'%' || ? || '%'` (contains) and `'%' || ?` (endsWith); a leading
 *   wildcard shows as the text starting with `'%'`.
 * - `mode: 'insensitive'` makes like atoms case-insensitive; `equals` with it is
 *   a like atom without wildcards (Prisma emits ILIKE); `in`/`notIn` with it
 *   become `other`.
 * - relation filters (`some`/`every`/`none`/`is`/`isNot` or a to-one where
 *   object) add a TableAccess on the related table: its predicates (negated into
 *   an `other` atom for `every`), `joinKeys` equating its column to this
 *   table's, `joinedFrom` this table (for an implicit many-to-many relation:
 *   the join table joined from this table, then the related table joined from
 *   the join table). This table gets an `other` atom naming its own join
 *   columns (the FK for `course: {…}`, the referenced key, usually `id`, for
 *   back-relations), whose text spells the semi-join
 *   (`(instructorId) IN (SELECT id FROM users WHERE …)`). A to-one relation
 *   with the FK on this model compared to null is a null atom on the FK.
 * - `OR` whose branches are all equalities/INs on one column becomes an `in`
 *   atom; a single-branch OR is an AND; otherwise an `other` atom naming every
 *   column (with `anyLike` filled when every branch is one LIKE test, the usual
 *   search box `OR: [{ title: { contains: q } }, { body: { contains: q } }]`).
 * - `NOT` of a single atom negates it (= → not-equal, IS NULL ↔ IS NOT NULL,
 *   LIKE ↔ NOT LIKE); anything larger is an `other` atom.
 */
// A plain require: esbuild's namespace wrapper (__toESM) would turn every ts.* access into a getter call.
import ts = require('typescript');
import type { ContainOp, Literal, PredicateAtom } from '../../model/predicate';
import { literalText } from '../../model/predicate';
import type { LocatedAtom, TableAccess } from '../../model/query';
import type { Range } from '../../model/location';
import {
  asArray,
  asObject,
  getProp,
  isNullLiteral,
  isUndefinedValue,
  literalOf,
  objectProps,
  stringValue,
  unwrap,
  type Prop,
} from './literals';
import {
  columnOf,
  fieldInfo,
  rangeOf,
  relationAccesses,
  semiJoinText,
  type ModelView,
  type PrismaContext,
  type RelationLink,
} from './prismaRelations';

export interface WhereResult {
  atoms: LocatedAtom[];
  /** Accesses to related tables introduced by relation filters. */
  related: TableAccess[];
}

const MAX_DEPTH = 24;

/** Pattern for `startsWith` with a non-literal value: a prefix match. */
export function paramPrefixPattern(): Literal {
  return { kind: 'expr', text: "? || '%'" };
}
/** Pattern for `contains` with a non-literal value: leading wildcard. */
export function paramContainsPattern(): Literal {
  return { kind: 'expr', text: "'%' || ? || '%'" };
}
/** Pattern for `endsWith` with a non-literal value: leading wildcard. */
export function paramSuffixPattern(): Literal {
  return { kind: 'expr', text: "'%' || ?" };
}

export function likePattern(op: 'contains' | 'startsWith' | 'endsWith', value: Literal): Literal {
  if (value.kind === 'string') {
    const v = value.value;
    return { kind: 'string', value: op === 'contains' ? `%${v}%` : op === 'startsWith' ? `${v}%` : `%${v}` };
  }
  return op === 'contains' ? paramContainsPattern() : op === 'startsWith' ? paramPrefixPattern() : paramSuffixPattern();
}

/** SQL-like text of an atom, for `other` atoms that wrap it. */
export function describeAtom(atom: PredicateAtom): string {
  switch (atom.kind) {
    case 'compare':
      return `${atom.column} ${atom.op} ${literalText(atom.value)}`;
    case 'in':
      return `${atom.column} IN (${atom.values.map(literalText).join(', ')})`;
    case 'null':
      return `${atom.column} IS ${atom.isNull ? '' : 'NOT '}NULL`;
    case 'between':
      return `${atom.column} BETWEEN ${literalText(atom.low)} AND ${literalText(atom.high)}`;
    case 'like':
      return `${atom.column} ${atom.negated ? 'NOT ' : ''}${atom.caseInsensitive ? 'ILIKE' : 'LIKE'} ${literalText(atom.pattern)}`;
    case 'fulltext':
      return `${atom.column} @@ to_tsquery(?)`;
    case 'not-equal':
      return `${atom.column} <> ${literalText(atom.value)}`;
    case 'other':
      return atom.text;
  }
}

function columnsOf(atoms: PredicateAtom[]): string[] {
  const out: string[] = [];
  for (const a of atoms) for (const c of a.kind === 'other' ? a.columns : [a.column]) if (!out.includes(c)) out.push(c);
  return out;
}

function conj(atoms: PredicateAtom[]): string {
  return atoms.length === 0 ? 'TRUE' : atoms.map(describeAtom).join(' AND ');
}

/** Logical negation of one atom, as precise as the atom kinds allow. */
export function negateAtom(atom: PredicateAtom): PredicateAtom {
  switch (atom.kind) {
    case 'compare':
      if (atom.op === '=') return { kind: 'not-equal', column: atom.column, value: atom.value };
      break;
    case 'not-equal':
      return { kind: 'compare', column: atom.column, op: '=', value: atom.value };
    case 'null':
      return { kind: 'null', column: atom.column, isNull: !atom.isNull };
    case 'like':
      return { ...atom, negated: !atom.negated };
  }
  return { kind: 'other', columns: columnsOf([atom]), text: `NOT (${describeAtom(atom)})` };
}

function elementsOf(e: ts.Expression): ts.Expression[] {
  const arr = asArray(e);
  if (!arr) return [e];
  return arr.elements.filter((x) => !ts.isSpreadElement(x));
}

/** Atoms of a `where` object on `view`'s table. Never throws. */
export function whereAtoms(ctx: PrismaContext, view: ModelView, expr: ts.Expression | undefined, depth = 0): WhereResult {
  const result: WhereResult = { atoms: [], related: [] };
  if (!expr || depth > MAX_DEPTH) return result;
  const obj = asObject(expr);
  if (!obj) return result;
  for (const p of objectProps(obj)) {
    try {
      if (isUndefinedValue(p.value)) continue;
      const range = rangeOf(ctx, p.node);
      switch (p.name) {
        case 'AND':
          for (const e of elementsOf(p.value)) merge(result, whereAtoms(ctx, view, e, depth + 1));
          break;
        case 'OR':
          merge(result, orAtoms(ctx, view, p.value, range, depth));
          break;
        case 'NOT':
          merge(result, notAtoms(ctx, view, p.value, range, depth));
          break;
        default:
          merge(result, fieldAtoms(ctx, view, p, range, depth));
      }
    } catch {
      // skip what can't be understood
    }
  }
  return result;
}

function merge(into: WhereResult, from: WhereResult): void {
  into.atoms.push(...from.atoms);
  into.related.push(...from.related);
}

function orAtoms(ctx: PrismaContext, view: ModelView, value: ts.Expression, range: Range, depth: number): WhereResult {
  const elems = elementsOf(value);
  const branches = elems.map((e) => whereAtoms(ctx, view, e, depth + 1));
  const related = branches.flatMap((b) => b.related);
  if (branches.length === 0) return { atoms: [], related };
  if (branches.length === 1) return { atoms: branches[0].atoms, related };
  const single = branches.every((b) => b.atoms.length === 1) ? branches.map((b) => b.atoms[0].atom) : undefined;
  if (single && single.every((a) => (a.kind === 'compare' && a.op === '=') || a.kind === 'in')) {
    const column = (single[0] as { column: string }).column;
    if (single.every((a) => (a as { column: string }).column === column)) {
      const values: Literal[] = [];
      for (const a of single) {
        if (a.kind === 'compare') values.push(a.value);
        else if (a.kind === 'in') values.push(...a.values);
      }
      return { atoms: [{ atom: { kind: 'in', column, values }, range }], related };
    }
  }
  const all = branches.flatMap((b) => b.atoms.map((a) => a.atom));
  const text = `(${branches.map((b) => conj(b.atoms.map((a) => a.atom))).join(' OR ')})`;
  const atom: PredicateAtom = { kind: 'other', columns: columnsOf(all), text };
  // One test per branch: a BitmapOr of an index per branch can serve it.
  if (single && single.every((a) => a.kind !== 'other')) atom.anyOf = single;
  // An OR of LIKE tests (a search box over several columns): a trigram index per column can serve it.
  if (single && single.every((a) => a.kind === 'like' && !a.negated)) {
    atom.anyLike = single.map((a) => {
      const l = a as Extract<PredicateAtom, { kind: 'like' }>;
      return { column: l.column, caseInsensitive: l.caseInsensitive, pattern: l.pattern };
    });
  }
  return { atoms: [{ atom, range }], related };
}

function notAtoms(ctx: PrismaContext, view: ModelView, value: ts.Expression, range: Range, depth: number): WhereResult {
  const out: WhereResult = { atoms: [], related: [] };
  for (const e of elementsOf(value)) {
    const inner = whereAtoms(ctx, view, e, depth + 1);
    out.related.push(...inner.related);
    const atoms = inner.atoms.map((a) => a.atom);
    if (atoms.length === 1) out.atoms.push({ atom: negateAtom(atoms[0]), range });
    else if (atoms.length > 1) out.atoms.push({ atom: { kind: 'other', columns: columnsOf(atoms), text: `NOT (${conj(atoms)})` }, range });
  }
  return out;
}

function valueAtom(column: string, value: ts.Expression, ctx: PrismaContext): PredicateAtom {
  const lit = literalOf(value, ctx.enums);
  if (lit.kind === 'null') return { kind: 'null', column, isNull: true };
  return { kind: 'compare', column, op: '=', value: lit };
}

function fieldAtoms(ctx: PrismaContext, view: ModelView, p: Prop, range: Range, depth: number): WhereResult {
  const out: WhereResult = { atoms: [], related: [] };
  const compound = view.model?.compoundUniques.get(p.name);
  if (compound) {
    const obj = asObject(p.value);
    for (const f of compound) {
      const column = columnOf(view, f);
      if (!column) continue;
      const v = getProp(obj, f)?.value;
      out.atoms.push({ atom: v ? valueAtom(column, v, ctx) : { kind: 'compare', column, op: '=', value: { kind: 'param' } }, range });
    }
    return out;
  }
  const info = fieldInfo(ctx, view, p.name, p.node);
  if (info.kind === 'unknown') return out;
  if (info.kind === 'relation') {
    if (info.link) relationFilter(ctx, view, info.link, p.value, range, depth, out);
    return out;
  }
  const column = info.column;
  const v = unwrap(p.value);
  if (isNullLiteral(v)) {
    out.atoms.push({ atom: { kind: 'null', column, isNull: true }, range });
    return out;
  }
  const obj = asObject(v);
  if (obj) {
    if (info.field?.type === 'Json') {
      // Without a path, `array_contains` is `col @> value` (a GIN index serves it); other Json filters are opaque.
      const contains = !getProp(obj, 'path') && getProp(obj, 'array_contains') !== undefined;
      const atom: PredicateAtom = contains ? { kind: 'other', columns: [column], text: `${column} @> ?`, contains: { column, op: '@>' } } : { kind: 'other', columns: [column], text: `${column} (JSON filter)` };
      out.atoms.push({ atom, range });
      return out;
    }
    for (const atom of scalarFilter(ctx, column, obj, depth)) out.atoms.push({ atom, range });
    return out;
  }
  out.atoms.push({ atom: valueAtom(column, v, ctx), range });
  return out;
}

/** Atoms of a scalar filter object (`{ gte: a, lt: b }`, `{ contains: 'x', mode: 'insensitive' }`). */
export function scalarFilter(
  ctx: PrismaContext,
  column: string,
  obj: ts.ObjectLiteralExpression,
  depth = 0,
  inheritedInsensitive = false,
): PredicateAtom[] {
  const out: PredicateAtom[] = [];
  if (depth > MAX_DEPTH) return out;
  const mode = getProp(obj, 'mode');
  // `mode` of an enclosing object applies inside `not: { … }` as well.
  const insensitive = mode ? stringValue(mode.value) === 'insensitive' : inheritedInsensitive;
  const other = (text: string, contains?: { column: string; op: ContainOp }): PredicateAtom => ({ kind: 'other', columns: [column], text, ...(contains ? { contains } : {}) });
  for (const p of objectProps(obj)) {
    if (isUndefinedValue(p.value)) continue;
    const lit = (): Literal => literalOf(p.value, ctx.enums);
    switch (p.name) {
      case 'mode':
        break;
      case 'equals': {
        const l = lit();
        if (l.kind === 'null') out.push({ kind: 'null', column, isNull: true });
        else if (insensitive) out.push({ kind: 'like', column, pattern: l, caseInsensitive: true, negated: false });
        else out.push({ kind: 'compare', column, op: '=', value: l });
        break;
      }
      case 'not': {
        const inner = asObject(p.value);
        if (inner) {
          const atoms = scalarFilter(ctx, column, inner, depth + 1, insensitive);
          if (atoms.length === 1) out.push(negateAtom(atoms[0]));
          else if (atoms.length > 1) out.push(other(`NOT (${conj(atoms)})`));
          break;
        }
        const l = lit();
        if (l.kind === 'null') out.push({ kind: 'null', column, isNull: false });
        else if (insensitive) out.push({ kind: 'like', column, pattern: l, caseInsensitive: true, negated: true });
        else out.push({ kind: 'not-equal', column, value: l });
        break;
      }
      case 'in': {
        const values = listValues(ctx, p.value);
        if (insensitive) out.push(other(`lower(${column}) IN (${values.map(literalText).join(', ')})`));
        else out.push({ kind: 'in', column, values });
        break;
      }
      case 'notIn':
        out.push(other(`${column} NOT IN (${listValues(ctx, p.value).map(literalText).join(', ')})`));
        break;
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte': {
        const op = p.name === 'lt' ? '<' : p.name === 'lte' ? '<=' : p.name === 'gt' ? '>' : '>=';
        out.push({ kind: 'compare', column, op, value: lit() });
        break;
      }
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        out.push({ kind: 'like', column, pattern: likePattern(p.name, lit()), caseInsensitive: insensitive, negated: false });
        break;
      case 'search':
        out.push({ kind: 'fulltext', column, expression: false });
        break;
      // Scalar lists: `has`/`hasEvery` are `col @> ARRAY[…]`, `hasSome` is `col && ARRAY[…]` (a GIN index serves both).
      case 'has':
      case 'hasEvery':
        // `has: prisma.model.fields.x` compares with another column (`x = ANY(col)`): no GIN search.
        out.push(isFieldRef(p.value) ? other(`${column} ${p.name} field`) : other(`${column} @> ?`, { column, op: '@>' }));
        break;
      case 'hasSome':
        out.push(other(`${column} && ?`, { column, op: '&&' }));
        break;
      default:
        // isEmpty (scalar lists), isSet, … : not index predicates we model.
        out.push(other(`${column} ${p.name} ?`));
    }
  }
  return out;
}

/** `prisma.model.fields.name` (or `x.fields.name`): a field reference, Prisma's way of comparing two columns. */
function isFieldRef(e: ts.Expression): boolean {
  const v = unwrap(e);
  return ts.isPropertyAccessExpression(v) && ts.isPropertyAccessExpression(v.expression) && v.expression.name.text === 'fields';
}

function listValues(ctx: PrismaContext, e: ts.Expression): Literal[] {
  const arr = asArray(e);
  if (!arr) return [{ kind: 'param' }];
  return arr.elements.map((x) => (ts.isSpreadElement(x) ? { kind: 'param' } : literalOf(x, ctx.enums)));
}

type RelMode = 'some' | 'every' | 'none' | 'is' | 'isNot';

function relationFilter(
  ctx: PrismaContext,
  view: ModelView,
  link: RelationLink,
  value: ts.Expression,
  range: Range,
  depth: number,
  out: WhereResult,
): void {
  const locals = link.pairs.map((p) => p.local);
  const sub = (mode: RelMode, expr: ts.Expression | undefined): void => {
    const inner = whereAtoms(ctx, link.target, expr, depth + 1);
    const rel = relationAccesses(link, view.table, 'semi');
    const innerAtoms = inner.atoms.map((a) => a.atom);
    if (mode === 'every') {
      if (innerAtoms.length > 0) {
        rel.target.predicates.push({ atom: { kind: 'other', columns: columnsOf(innerAtoms), text: `NOT (${conj(innerAtoms)})` }, range });
      }
    } else {
      rel.target.predicates.push(...inner.atoms);
    }
    out.related.push(...rel.accesses, ...inner.related);
    const negated = mode === 'none' || mode === 'every' || mode === 'isNot';
    const whereText = innerAtoms.length === 0 ? '' : mode === 'every' ? `NOT (${conj(innerAtoms)})` : conj(innerAtoms);
    const atom: PredicateAtom = { kind: 'other', columns: locals, text: semiJoinText(link, negated, whereText) };
    // A row matches when a related row does (`some`, `is`): the related table may drive the semi-join.
    if (!negated && !link.via) atom.semiJoin = link.pairs.map((p) => ({ column: p.local, otherTable: link.target.table, otherColumn: p.remote }));
    out.atoms.push({ atom, range });
  };
  const nullOnFk = (isNull: boolean): void => {
    for (const c of locals) out.atoms.push({ atom: { kind: 'null', column: c, isNull }, range });
  };

  const v = unwrap(value);
  if (link.isList) {
    const obj = asObject(v);
    if (!obj) return;
    for (const p of objectProps(obj)) {
      if (isUndefinedValue(p.value)) continue;
      if (p.name === 'some' || p.name === 'every' || p.name === 'none') sub(p.name, p.value);
    }
    return;
  }
  if (isNullLiteral(v)) {
    if (link.fkOnThis) nullOnFk(true);
    else sub('isNot', undefined);
    return;
  }
  const obj = asObject(v);
  if (!obj) return;
  const props = objectProps(obj);
  if (props.length > 0 && props.every((p) => p.name === 'is' || p.name === 'isNot')) {
    for (const p of props) {
      if (isUndefinedValue(p.value)) continue;
      const mode = p.name as 'is' | 'isNot';
      if (isNullLiteral(p.value)) {
        if (link.fkOnThis) nullOnFk(mode === 'is');
        else sub(mode === 'is' ? 'isNot' : 'is', undefined);
      } else {
        sub(mode, p.value);
      }
    }
    return;
  }
  sub('is', v);
}
