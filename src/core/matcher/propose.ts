/**
 * The index that would serve one access best, built the way a Postgres engineer would:
 * equality columns first (most selective first), then either the one range column or the
 * ORDER BY columns with their directions; constant predicates on low-cardinality columns
 * (booleans, enum literals, IS NULL) go into a partial-index WHERE instead of the key.
 * LIKE/ILIKE with a leading wildcard and full-text matches get a GIN index instead.
 */
import { literalText, type PredicateAtom } from '../model/predicate';
import type { TableAccess } from '../model/query';
import type { IndexDef, IndexKey, PrismaMapping, SchemaModel, TableDef } from '../model/schema';
import { quoteAlways, quoteTable } from '../sql/identifiers';
import { bytewise, equalityAtoms, likePrefix, rangeAtoms, requiredOrder } from './btree';
import { atomSelectivity, combinedSelectivity, type SelectivityContext } from './selectivity';
import { ginServes, ginValueKind } from './ginOperators';
import type { ProposedIndex } from './types';

export function proposeIndex(access: TableAccess, schema: SchemaModel, table: TableDef, ctx: SelectivityContext): ProposedIndex | undefined {
  const draft = draftIndex(access, table, ctx);
  return draft && finishDraft(draft, table, schema);
}

/**
 * The index proposeIndex would propose, before it is named and written out as SQL and Prisma:
 * enough to evaluate it (draftAsIndex); finishDraft turns it into the ProposedIndex.
 */
export function draftIndex(access: TableAccess, table: TableDef, ctx: SelectivityContext): Draft | undefined {
  const btree = proposeBtree(access, table, ctx);
  const text = proposeText(access, table, ctx);
  if (!text) return btree;
  if (!btree) return text;
  // Prefer the B-tree when its conditions alone are selective enough to make the text match cheap.
  const btreeSel = combinedSelectivity(ctx, btree.conditions);
  return btreeSel <= 0.01 ? btree : text;
}

/**
 * The draft as an index definition the matcher can evaluate: what proposalAsIndex(finishDraft(d))
 * gives, except for the name and the predicate text, which evaluateIndex only quotes in reasons.
 */
export function draftAsIndex(d: Draft, table: TableDef): IndexDef {
  return {
    name: '',
    table: table.name,
    method: d.method,
    keys: d.keys,
    include: [],
    unique: false,
    primary: false,
    constraint: false,
    predicate: d.predicate.length ? d.predicate : undefined,
    valid: true,
    origin: 'migration',
  };
}

export interface Draft {
  method: 'btree' | 'gin';
  keys: IndexKey[];
  predicate: PredicateAtom[];
  conditions: PredicateAtom[];
  extension?: string;
}

function isConstantLiteral(atom: PredicateAtom): boolean {
  // A row comparison's bound can't be a partial-index predicate: the query would not prove it.
  if (atom.kind === 'compare') return atom.value.kind !== 'param' && atom.value.kind !== 'expr' && !atom.rowBound;
  if (atom.kind === 'null') return true;
  return false;
}

function proposeBtree(access: TableAccess, table: TableDef, ctx: SelectivityContext): Draft | undefined {
  const eq = equalityAtoms(access);
  const predicate: PredicateAtom[] = [];
  const eqCols: { column: string; sel: number }[] = [];
  const conditions: PredicateAtom[] = [];
  for (const [column, atoms] of eq) {
    if (!table.columns.has(column) && !column.includes('(')) continue;
    const atom = atoms[0];
    // A constant boolean or IS NULL test is better as a partial-index predicate than a key column.
    const isBool = table.columns.get(column)?.type === 'boolean';
    if (isConstantLiteral(atom) && (isBool || atom.kind === 'null')) {
      predicate.push(atom);
      continue;
    }
    eqCols.push({ column, sel: Math.min(...atoms.map((a) => atomSelectivity(ctx, a))) });
    conditions.push(...atoms);
  }
  eqCols.sort((a, b) => a.sel - b.sel);

  const ranges = [...rangeAtoms(access)]
    .filter(([c]) => table.columns.has(c))
    .map(([column, atoms]) => ({ column, atoms, sel: combinedSelectivity(ctx, atoms), constant: atoms.every(isConstantLiteral) }))
    .sort((a, b) => Number(a.constant) - Number(b.constant) || a.sel - b.sel);
  const order = requiredOrder(access).filter((o) => table.columns.has(o.column) || o.column.includes('('));
  const keys: IndexKey[] = eqCols.map((e) => ({ column: e.column, desc: false, nullsFirst: false }));
  // With ORDER BY … LIMIT the index should deliver the order (equality, sort); otherwise
  // equality then the one range column. Constant ranges that are not keys narrow a partial index.
  const byOrder = order.length > 0 && (access.limit !== undefined || ranges.length === 0);
  const range = byOrder ? undefined : ranges[0];
  for (const r of ranges) if (r !== range && r.constant) predicate.push(...r.atoms);
  if (byOrder) {
    for (const o of order) {
      if (!keys.some((k) => k.column === o.column)) keys.push({ column: o.column, desc: o.desc, nullsFirst: o.nullsFirst ?? o.desc });
    }
  } else if (range) {
    keys.push({ column: range.column, desc: false, nullsFirst: false });
    conditions.push(...range.atoms);
  }
  if (keys.length === 0) return undefined;
  // A LIKE prefix needs text_pattern_ops unless the column compares bytewise already (its own or the database's C collation).
  const usesPrefixLike = range?.atoms.some((a) => likePrefix(a) !== undefined) && !bytewise(table.columns.get(range!.column)?.collation ?? ctx.schema.collation);
  if (usesPrefixLike) {
    const k = keys.find((x) => x.column === range!.column);
    if (k) k.opclass = 'text_pattern_ops';
  }
  // The index is built with each column's own collation (a C column's keys compare bytewise). A filter or sort on
  // an expression (`lower(email)`, `meta ->> 'k'`) is keyed by that expression, not by a column of that name.
  const collated = keys.map((k): IndexKey => {
    if (k.column && !table.columns.has(k.column) && /[^\w$]/.test(k.column)) {
      const { column, ...rest } = k;
      return { ...rest, expression: column, expressionColumns: [...table.columns.keys()].filter((c) => new RegExp(`(^|[^\\w$"])"?${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[^\\w$"])`).test(column)) };
    }
    const c = k.column && !k.collation ? table.columns.get(k.column)?.collation : undefined;
    return c ? { ...k, columnCollation: c } : k;
  });
  return { method: 'btree', keys: collated, predicate: dedupe(predicate), conditions };
}

function proposeText(access: TableAccess, table: TableDef, ctx: SelectivityContext): Draft | undefined {
  for (const { atom } of access.predicates) {
    if (atom.kind === 'fulltext' && (table.columns.has(atom.column) || atom.expression)) {
      const key: IndexKey = atom.expression ? { expression: atom.column, desc: false, nullsFirst: false } : { column: atom.column, desc: false, nullsFirst: false };
      return { method: 'gin', keys: [key], predicate: [], conditions: [atom] };
    }
  }
  const contained = proposeContainment(access, table, ctx);
  if (contained) return contained;
  const likeCols: string[] = [];
  for (const { atom } of access.predicates) {
    if (atom.kind === 'like' && !atom.negated && likePrefix(atom) === undefined) likeCols.push(atom.column);
    if (atom.kind === 'other' && atom.anyLike) likeCols.push(...atom.anyLike.map((l) => l.column));
  }
  const cols = [...new Set(likeCols)].filter((c) => table.columns.has(c));
  if (cols.length === 0) return undefined;
  return {
    method: 'gin',
    keys: cols.map((c) => ({ column: c, desc: false, nullsFirst: false, opclass: 'gin_trgm_ops' })),
    predicate: [],
    conditions: [],
    extension: 'pg_trgm',
  };
}

/**
 * A GIN index for the containment tests on one jsonb or array column (the one whose tests its type's default class
 * serves select fewest rows): jsonb_path_ops when it serves them all (smaller, faster), else the default class.
 */
function proposeContainment(access: TableAccess, table: TableDef, ctx: SelectivityContext): Draft | undefined {
  let best: { draft: Draft; sel: number } | undefined;
  const tested = new Map<string, { path: boolean; columns: string[] }>();
  for (const { atom } of access.predicates) if (atom.kind === 'other' && atom.contains) tested.set(atom.contains.column, { path: atom.contains.path === true, columns: atom.columns });
  for (const [column, { path, columns }] of tested) {
    const kind = path ? 'jsonb' : ginValueKind(table.columns.get(column));
    if (!kind) continue;
    // The tests on the column its type's default class serves (jsonb's `<@` none does); jsonb_path_ops when it serves them all.
    const tests = access.predicates.map((p) => p.atom).filter((a) => a.kind === 'other' && a.contains?.column === column && ginServes(kind, undefined).has(a.contains.op));
    if (tests.length === 0) continue;
    const opclass = kind === 'jsonb' && tests.every((a) => a.kind === 'other' && ginServes(kind, 'jsonb_path_ops').has(a.contains!.op)) ? 'jsonb_path_ops' : undefined;
    const sel = combinedSelectivity(ctx, tests);
    // A jsonb value taken from a column is indexed as that expression.
    const key: IndexKey = path ? { expression: column, expressionColumns: columns, desc: false, nullsFirst: false } : { column, desc: false, nullsFirst: false };
    if (!best || sel < best.sel) best = { draft: { method: 'gin', keys: [{ ...key, ...(opclass ? { opclass } : {}) }], predicate: [], conditions: tests }, sel };
  }
  return best?.draft;
}

function dedupe(atoms: PredicateAtom[]): PredicateAtom[] {
  const seen = new Set<string>();
  return atoms.filter((a) => {
    const k = JSON.stringify(a);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function atomSql(a: PredicateAtom): string {
  const col = (c: string) => (c.includes('(') ? c : quoteAlways(c));
  switch (a.kind) {
    case 'compare':
      if (a.op === '=' && a.value.kind === 'bool') {
        // Written as the query writes it: PostgreSQL proves `x IS FALSE` only from `x IS FALSE`.
        if (a.isTest) return `${col(a.column)} IS ${a.value.value ? 'TRUE' : 'FALSE'}`;
        return a.value.value ? col(a.column) : `NOT ${col(a.column)}`;
      }
      return `${col(a.column)} ${a.op} ${literalText(a.value)}`;
    case 'null':
      return `${col(a.column)} IS ${a.isNull ? '' : 'NOT '}NULL`;
    case 'in':
      return `${col(a.column)} IN (${a.values.map(literalText).join(', ')})`;
    case 'between':
      return `${col(a.column)} BETWEEN ${literalText(a.low)} AND ${literalText(a.high)}`;
    case 'not-equal':
      return `${col(a.column)} <> ${literalText(a.value)}`;
    case 'like':
      return `${col(a.column)} ${a.negated ? 'NOT ' : ''}${a.caseInsensitive ? 'ILIKE' : 'LIKE'} ${literalText(a.pattern)}`;
    case 'fulltext':
      // The atom keeps the tsvector side only: the query side is shown as a placeholder.
      return `${col(a.column)} @@ …`;
    case 'other':
      return a.text;
  }
}

export function keySql(k: IndexKey): string {
  let s = k.column ? quoteAlways(k.column) : `(${k.expression})`;
  if (k.collation) s += ` COLLATE ${quoteAlways(k.collation)}`;
  if (k.opclass) s += ` ${k.opclass}`;
  if (k.desc) s += ' DESC';
  const defaultNullsFirst = k.desc;
  if (k.nullsFirst !== defaultNullsFirst) s += k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
  return s;
}

/** `CREATE INDEX CONCURRENTLY IF NOT EXISTS …` for an index definition. */
export function createIndexSql(def: Pick<IndexDef, 'name' | 'table' | 'method' | 'keys' | 'include' | 'unique'> & { predicateText?: string }): string {
  const using = def.method === 'btree' ? '' : ` USING ${def.method}`;
  const include = def.include.length ? ` INCLUDE (${def.include.map(quoteAlways).join(', ')})` : '';
  const where = def.predicateText ? ` WHERE ${def.predicateText}` : '';
  const unique = def.unique ? 'UNIQUE ' : '';
  return `CREATE ${unique}INDEX CONCURRENTLY IF NOT EXISTS ${quoteAlways(def.name)} ON ${quoteTable(def.table)}${using} (${def.keys.map(keySql).join(', ')})${include}${where};`;
}

function indexName(table: TableDef, keys: IndexKey[], partial: boolean): string {
  // An expression key is named by its words, as PostgreSQL names by the function (`lower(email)` → lower_email).
  const cols = keys.map((k) => k.column ?? (k.expression?.replace(/'(?:[^']|'')*'/g, (s) => s.replace(/[{}]/g, ' ')).replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'expr')).join('_');
  const bare = table.name.slice(table.name.indexOf('.') + 1);
  const base = `${bare}_${cols}${partial ? '_part' : ''}_idx`;
  const taken = new Set(table.indexes.map((i) => i.name));
  let name = base.length > 63 ? base.slice(0, 63) : base;
  for (let n = 1; taken.has(name); n++) name = `${base.slice(0, 60)}${n}`;
  return name;
}

/** Prisma field name for a column of a model, through @map. */
function fieldFor(mapping: PrismaMapping | undefined, table: TableDef, column: string): string | undefined {
  const model = table.model ? mapping?.models.get(table.model) : undefined;
  if (!model) return undefined;
  for (const f of model.fields.values()) if (f.column === column) return f.name;
  return undefined;
}

function prismaAttribute(draft: Draft, table: TableDef, schema: SchemaModel, name: string): { prisma?: string; note?: string } {
  if (!table.model || !schema.prisma) return {};
  if (draft.predicate.length) return { note: 'Prisma schema files cannot declare partial indexes: keep this one in a SQL migration.' };
  const parts: string[] = [];
  for (const k of draft.keys) {
    const field = k.column && fieldFor(schema.prisma, table, k.column);
    if (!field) return { note: 'Prisma cannot express an index on an expression: keep it in a SQL migration.' };
    const args: string[] = [];
    if (k.desc) args.push('sort: Desc');
    if (k.opclass === 'gin_trgm_ops') args.push('ops: raw("gin_trgm_ops")');
    else if (k.opclass === 'jsonb_path_ops') args.push('ops: JsonbPathOps');
    else if (k.opclass) args.push(`ops: raw("${k.opclass}")`);
    parts.push(args.length ? `${field}(${args.join(', ')})` : field);
  }
  const type = draft.method === 'gin' ? ', type: Gin' : '';
  const defaultName = `${table.name}_${draft.keys.map((k) => k.column).join('_')}_idx`;
  const map = name !== defaultName ? `, map: "${name}"` : '';
  return { prisma: `@@index([${parts.join(', ')}]${type}${map})` };
}

export function finishDraft(draft: Draft, table: TableDef, schema: SchemaModel): ProposedIndex {
  const predicateText = draft.predicate.length ? draft.predicate.map(atomSql).join(' AND ') : undefined;
  const name = indexName(table, draft.keys, !!predicateText);
  let sql = createIndexSql({ name, table: table.name, method: draft.method, keys: draft.keys, include: [], unique: false, predicateText });
  if (draft.extension) sql = `CREATE EXTENSION IF NOT EXISTS ${draft.extension};\n${sql}`;
  const { prisma, note } = prismaAttribute(draft, table, schema, name);
  return {
    table: table.name,
    name,
    method: draft.method,
    keys: draft.keys,
    predicate: draft.predicate.length ? draft.predicate : undefined,
    predicateText,
    extension: draft.extension,
    sql,
    prisma,
    prismaNote: note,
  };
}

/** The proposal as an index definition the matcher can evaluate. */
export function proposalAsIndex(p: ProposedIndex): IndexDef {
  return {
    name: p.name,
    table: p.table,
    method: p.method,
    keys: p.keys,
    include: [],
    unique: false,
    primary: false,
    constraint: false,
    predicate: p.predicate,
    predicateText: p.predicateText,
    valid: true,
    origin: 'migration',
  };
}
