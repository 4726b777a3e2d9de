/**
 * Predicate atoms shared by query shapes and partial-index predicates.
 * A WHERE clause is reduced to a conjunction of atoms; anything the matcher
 * cannot reason about becomes an `other` atom that still names its columns.
 */
export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  /** A bind parameter ($1, a `${}` hole, a Prisma argument): a value unknown until run time. */
  | { kind: 'param' }
  /** An expression such as now() - interval '30 days': a value, not known statically. */
  | { kind: 'expr'; text: string };

export type CompareOp = '=' | '<' | '<=' | '>' | '>=';

/** The jsonb and array operators a GIN index serves: containment, contained-by, overlap, key existence, jsonpath. */
export type ContainOp = '@>' | '<@' | '&&' | '?' | '?|' | '?&' | '@?' | '@@';

export type PredicateAtom =
  /**
   * `isTest`: written `col IS TRUE` / `IS FALSE`, which PostgreSQL proves a partial-index predicate from only as written.
   * `rowBound`: the first column's bound taken from a row comparison (`(a, b) < ($1, $2)`): an index range, never a proof.
   */
  | { kind: 'compare'; column: string; op: CompareOp; value: Literal; isTest?: true; rowBound?: true }
  | { kind: 'in'; column: string; values: Literal[] }
  | { kind: 'null'; column: string; isNull: boolean }
  | { kind: 'between'; column: string; low: Literal; high: Literal }
  /** LIKE 'abc%' (a B-tree range with text_pattern_ops or the C collation) or LIKE/ILIKE with a leading wildcard. */
  | { kind: 'like'; column: string; pattern: Literal; caseInsensitive: boolean; negated: boolean }
  /** tsvector @@ tsquery; `column` is the tsvector column or the expression text. */
  | { kind: 'fulltext'; column: string; expression: boolean }
  | { kind: 'not-equal'; column: string; value: Literal }
  /** Anything else (function calls, OR groups over several columns, sub-selects). */
  | {
      kind: 'other';
      columns: string[];
      text: string;
      /** For `a ILIKE '%x%' OR b ILIKE '%y%'`: the LIKE tests it is made of (a trigram index per column serves it). */
      anyLike?: { column: string; caseInsensitive: boolean; pattern: Literal }[];
      /** For an OR whose branches each test one column (`a = 1 OR b > 2`): one atom per branch (a BitmapOr of an index per branch serves it). */
      anyOf?: PredicateAtom[];
      /**
       * For `col IN (SELECT c FROM t …)` and a Prisma relation filter (`some`, `is`): a semi-join on these keys
       * (this table's column = t's column), which PostgreSQL may also run with t driving (see chooseDriver).
       */
      semiJoin?: { column: string; otherTable: string; otherColumn: string }[];
      /**
       * `col @> value`, `col && value`, `col ? key`…: a test a GIN index on the jsonb or array column serves (by its
       * operator class). `path`: the value tested is taken from a jsonb column (`col -> 'key'`, `col #> '{a,b}'`), and
       * `column` is that expression's text (what a GIN index on the expression is keyed by).
       */
      contains?: { column: string; op: ContainOp; path?: true };
    };

export function atomColumns(atom: PredicateAtom): string[] {
  return atom.kind === 'other' ? atom.columns : [atom.column];
}

export function literalText(l: Literal): string {
  switch (l.kind) {
    case 'string':
      return `'${l.value.replace(/'/g, "''")}'`;
    case 'number':
      return String(l.value);
    case 'bool':
      return l.value ? 'true' : 'false';
    case 'null':
      return 'NULL';
    case 'param':
      return '?';
    case 'expr':
      return l.text;
  }
}

export function literalEquals(a: Literal, b: Literal): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return a.value === (b as typeof a).value;
    case 'null':
      return true;
    case 'param':
    case 'expr':
      return false; // two unknown values are never provably equal
  }
}
