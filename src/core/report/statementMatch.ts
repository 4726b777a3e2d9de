/**
 * Statements the database recorded (pg_stat_statements) → the workspace code that sends them.
 *
 * Every query of the workspace is turned into the SQL it sends — the statement itself for `.sql`
 * files and embedded SQL, the statements Prisma generates for a Prisma Client call (prismaSql.ts:
 * the main query and one per relation level it loads) — and each side is reduced to two keys:
 *
 * 1. the libpg-query fingerprint (`fingerprintSync`): the parse tree without constants, parameter
 *    numbers, aliases, select-list order or IN-list lengths. Two texts that differ only in literals,
 *    whitespace, comments, `$n` numbering or the number of IN values match; a different column,
 *    operator, cast or qualification (`users.id` vs `id`) does not;
 * 2. the query shape (the same extraction the index analysis uses): per table, the kind of access,
 *    the filter columns with their operator class (=/IN, range, IS NULL, LIKE…), ORDER BY and
 *    whether there is a LIMIT. It matches what the fingerprint misses — a select list, a cast or a
 *    qualification written differently (Prisma text we render slightly differently than a given
 *    Prisma version, a hand-written query run through another driver) — at the price of precision:
 *    two different queries with the same filters and order are indistinguishable.
 *
 * A statement matches the workspace statements sharing its fingerprint, else those sharing its
 * shape key; several candidates are reported as such (the same query written in two places).
 */
import { fingerprintSync, normalizeSync } from 'libpg-query';
import type { QueryShape, TableAccess } from '../model/query';
import { LineIndex } from '../model/location';
import type { SchemaModel } from '../model/schema';
import type { PredicateAtom } from '../model/predicate';
import { prismaStatements } from '../db/prismaSql';
import type { StatStatement } from '../db/statStatements';
import { shapesFromSqlText } from '../shapes/fromSql';

export interface WorkspaceStatement {
  shape: QueryShape;
  /** The SQL it sends: the statement's text, or Prisma's SQL for a Prisma call. */
  sql: string;
  /** For a Prisma call: which of its statements this is (main query, a relation load). */
  purpose?: string;
  /** For a Prisma call: the indexes into `shape.accesses` this statement covers (all of them otherwise). */
  accesses?: number[];
  /** Prisma SQL rendered from an incomplete reading of the call. */
  approximate: boolean;
  fingerprint?: string;
  /** The normalised text: constants as `$n`, parameters renumbered in order, whitespace collapsed. */
  textKey?: string;
  shapeKey?: string;
}

/** `text`: same normalised text; `fingerprint`: same parse tree but for constants, casts of parameters, list lengths…; `shape`: same filters and order. */
export type MatchHow = 'text' | 'fingerprint' | 'shape';

export interface StatementMatch {
  statement: StatStatement;
  how?: MatchHow;
  /** Workspace statements that send it (several: the same query in several places). */
  candidates: WorkspaceStatement[];
}

/** A libpg-query fingerprint, or undefined when the text does not parse. */
export function fingerprintOf(sql: string): string | undefined {
  try {
    return fingerprintSync(sql);
  } catch {
    return undefined;
  }
}

/**
 * Normalised text: constants as `$n` (what pg_stat_statements shows), parameters renumbered in
 * order of appearance, whitespace and identifier quoting that change nothing (`"courses"` =
 * `courses`, keywords in any case) evened out. Texts with the same key differ at most in layout;
 * texts with different keys may still be one pg_stat_statements entry (aliases written differently).
 */
export function textKeyOf(sql: string): string | undefined {
  let text: string;
  try {
    text = normalizeSync(sql);
  } catch {
    return undefined;
  }
  let n = 0;
  const map = new Map<string, number>();
  // Split into quoted identifiers and the rest; normalizeSync has already replaced string literals.
  return text
    .split(/("(?:[^"]|"")*")/)
    .map((part, i) => {
      if (i % 2 === 1) return /^"[a-z_][a-z0-9_$]*"$/.test(part) ? part.slice(1, -1) : part;
      return part
        .toLowerCase()
        .replace(/\$(\d+)/g, (_, d: string) => {
          if (!map.has(d)) map.set(d, ++n);
          return `$${map.get(d)}`;
        })
        .replace(/\s+/g, ' ')
        .replace(/\s*([(),;=<>+*/-])\s*/g, '$1');
    })
    .join('')
    .replace(/;\s*$/, '')
    .trim();
}

function opClass(a: PredicateAtom): string[] {
  switch (a.kind) {
    case 'compare':
      return [`${a.column}${a.op === '=' ? '=' : a.op}`];
    case 'in':
      return [`${a.column}=`];
    case 'null':
      return [`${a.column}${a.isNull ? ' null' : ' notnull'}`];
    case 'between':
      return [`${a.column}>=`, `${a.column}<=`];
    case 'like':
      return [`${a.column}${a.negated ? ' not' : ''} like`];
    case 'not-equal':
      return [`${a.column}<>`];
    case 'fulltext':
      return [`${a.column}@@`];
    case 'other':
      return [`(${[...a.columns].sort().join(',')})`];
  }
}

function accessKey(a: TableAccess): string {
  const preds = a.predicates.flatMap((p) => opClass(p.atom)).sort();
  const order = a.orderBy.map((o) => `${o.column}${o.desc ? '-' : '+'}`).join(',');
  return `${a.kind} ${a.table}[${[...new Set(preds)].join(' ')}|${order}|${a.limit !== undefined ? 'L' : ''}|${a.groupBy.join(',')}]`;
}

/** The shape key of a list of accesses (order-insensitive). */
export function shapeKeyOf(accesses: TableAccess[]): string | undefined {
  if (!accesses.length) return undefined;
  return accesses.map(accessKey).sort().join(' ; ');
}

/** The shape key of SQL text, read the way the analysis reads a `.sql` file. */
export function shapeKeyOfSql(sql: string, schema: SchemaModel): string | undefined {
  try {
    const r = shapesFromSqlText(sql, { file: '<pg_stat_statements>', origin: 'sql-file', lines: new LineIndex(sql), schema });
    if (r.shapes.length !== 1) return undefined;
    return shapeKeyOf(r.shapes[0].accesses);
  } catch {
    return undefined;
  }
}

const cache = new WeakMap<QueryShape, { schema: SchemaModel; out: WorkspaceStatement[] }>();

/** The statements one workspace query sends, with their keys (cached per shape and schema). */
export function statementsOf(shape: QueryShape, schema: SchemaModel, prismaSchemaText?: string): WorkspaceStatement[] {
  const hit = cache.get(shape);
  if (hit && hit.schema === schema) return hit.out;
  let out: WorkspaceStatement[];
  if (shape.origin === 'prisma') {
    out = prismaStatements(shape, schema, { schemaText: prismaSchemaText }).map((s) => ({
      shape,
      sql: s.sql,
      purpose: s.purpose,
      accesses: s.accesses,
      approximate: s.approximate,
      fingerprint: fingerprintOf(s.sql),
    }));
  } else if (shape.origin === 'sql-file' || shape.origin === 'embedded-sql') {
    out = [{ shape, sql: shape.text, approximate: false, fingerprint: fingerprintOf(shape.text) }];
  } else out = [];
  cache.set(shape, { schema, out });
  return out;
}

/** The normalised text of a workspace statement, computed once (only fingerprint collisions need it). */
function textKeyOfStatement(w: WorkspaceStatement): string | undefined {
  if (!('textKey' in w)) w.textKey = textKeyOf(w.sql);
  return w.textKey;
}

/** The shape key of a workspace statement, computed once (only statements no fingerprint matched need it). */
function shapeKeyOfStatement(w: WorkspaceStatement, schema: SchemaModel): string | undefined {
  if (!('shapeKey' in w)) w.shapeKey = shapeKeyOfSql(w.sql, schema) ?? (w.shape.origin === 'prisma' ? undefined : shapeKeyOf(w.shape.accesses));
  return w.shapeKey;
}

export class StatementIndex {
  readonly statements: WorkspaceStatement[] = [];
  private readonly byFingerprint = new Map<string, WorkspaceStatement[]>();
  private byShape?: Map<string, WorkspaceStatement[]>;

  constructor(
    shapes: QueryShape[],
    private readonly schema: SchemaModel,
    prismaSchemaText?: string,
  ) {
    for (const shape of shapes) {
      for (const ws of statementsOf(shape, schema, prismaSchemaText)) {
        this.statements.push(ws);
        if (ws.fingerprint) push(this.byFingerprint, ws.fingerprint, ws);
      }
    }
  }

  /** The workspace statements that send `sql`, and how they were found. */
  lookup(sql: string): { how?: MatchHow; candidates: WorkspaceStatement[] } {
    const fp = fingerprintOf(sql);
    const exact = fp ? this.byFingerprint.get(fp) : undefined;
    if (exact?.length) {
      if (exact.length === 1) return { how: 'fingerprint', candidates: exact };
      // pg_stat_statements tells apart some texts the fingerprint does not (a cast, an OFFSET): prefer the same text.
      const text = textKeyOf(sql);
      const same = text ? exact.filter((w) => textKeyOfStatement(w) === text) : [];
      return same.length ? { how: 'text', candidates: dedupe(same) } : { how: 'fingerprint', candidates: dedupe(exact) };
    }
    const key = shapeKeyOfSql(sql, this.schema);
    if (!key) return { candidates: [] };
    if (!this.byShape) {
      this.byShape = new Map();
      for (const ws of this.statements) {
        const k = shapeKeyOfStatement(ws, this.schema);
        if (k) push(this.byShape, k, ws);
      }
    }
    const similar = this.byShape.get(key);
    if (similar?.length) return { how: 'shape', candidates: dedupe(similar) };
    return { candidates: [] };
  }

  match(stats: StatStatement[]): StatementMatch[] {
    return stats.map((statement) => ({ statement, ...this.lookup(statement.query) }));
  }
}

/** The table accesses a workspace statement makes (a Prisma relation load: its own, not the whole call's). */
export function accessesOf<T>(w: WorkspaceStatement, all: T[]): T[] {
  return w.accesses ? w.accesses.map((i) => all[i]).filter((x): x is T => x !== undefined) : all;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** One candidate per source location (a Prisma call's two identical relation loads are one place). */
function dedupe(list: WorkspaceStatement[]): WorkspaceStatement[] {
  const seen = new Set<string>();
  return list.filter((w) => {
    const k = `${w.shape.location.file}:${w.shape.location.range.start.line}:${w.shape.location.range.start.character}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
