/**
 * SQL embedded in TypeScript/JavaScript:
 *
 * - tagged templates: `x.$queryRaw`…``, `x.$executeRaw`…`` (any receiver, or the
 *   bare names), and standalone `Prisma.sql`…`` / `sql`…`` when their text starts
 *   with a statement keyword (fragments such as `WHERE …` are not statements);
 * - `x.$queryRaw(Prisma.sql`…`)` (the call form);
 * - `x.$queryRawUnsafe('…', …)` / `x.$executeRawUnsafe('…', …)`;
 * - `x.query('…', […])` / `x.query({ text: '…' })` on any receiver, a bare
 *   `query('…', […])` (the usual helper around a pg pool) and pg-promise's
 *   `db.any/one/oneOrNone/many/manyOrNone/none/result/multi('…')`, kept only
 *   when the text starts with SELECT, WITH, INSERT, UPDATE or DELETE.
 *
 * In tagged templates every `${expr}` hole is a PostgreSQL parameter `$1`, `$2`, …
 * numbered in order, exactly as Prisma sends them, except:
 * - a nested `Prisma.sql`/`sql` template is inlined (its holes numbered in turn);
 * - `Prisma.raw('literal')` inlines the literal text;
 * - `Prisma.join(list)` is one parameter, unless the list is known: an array
 *   literal or a `const` array in scope plus what is `push`ed onto it (the
 *   usual "optional conditions" pattern); then each fragment is inlined, each
 *   value is a parameter, and the separator (default `,`) goes between;
 * - `Prisma.empty` is the empty string;
 * - `cond ? Prisma.sql`…` : Prisma.empty` inlines the first fragment-like branch;
 * - an identifier naming a `const x = Prisma.sql`…`` in scope is inlined.
 * An unknown raw fragment (`Prisma.raw(variable)`, a `sql(identifier)` helper
 * call) becomes a parameter too and marks the SQL `dynamic`.
 *
 * For plain strings passed to `query`/`$queryRawUnsafe`, `${expr}` is string
 * interpolation: string literals and string constants in scope are inlined, anything else becomes a `$n` placeholder and marks the SQL `dynamic`;
 * `'a' + 'b'` concatenations are followed the same way.
 */
// A plain require: esbuild's namespace wrapper (__toESM) would turn every ts.* access into a getter call.
import ts = require('typescript');
import { LineIndex, type Range } from '../../model/location';
import { unwrap } from './literals';
import { declarationScope, resolveConstInitializer } from './scope';
import { parseAndIndex } from './scriptKind';
import { cookChecked, SqlTextBuilder, startsWithSqlKeyword } from './sqlText';
import { walk } from './walk';

export type EmbeddedSqlKind =
  /** `x.$queryRaw`…`` / `x.$executeRaw`…`` and their call form. */
  | 'prisma-raw'
  /** A standalone `Prisma.sql`…`` or `sql`…`` holding a whole statement. */
  | 'sql-tag'
  /** `x.$queryRawUnsafe('…')` / `x.$executeRawUnsafe('…')`. */
  | 'raw-unsafe'
  /** `x.query('…', […])` / `x.query({ text: '…' })` / `query('…', […])`. */
  | 'query-call';

export interface EmbeddedSql {
  /** SQL text as sent to PostgreSQL (holes replaced by `$n`). */
  sql: string;
  /** Maps an offset in `sql` to an offset in the TypeScript file. */
  mapOffset: (sqlOffset: number) => number;
  kind: EmbeddedSqlKind;
  /** File offsets of the whole host expression (the tagged template or the call). */
  start: number;
  end: number;
  range: Range;
  /** Number of `$n` placeholders emitted. */
  params: number;
  /** Part of the text is unknown statically; syntax errors may be ours, not the user's. */
  dynamic: boolean;
}

const MAX_DEPTH = 32;

/**
 * Methods taking SQL text first: node-postgres / TypeORM / Sequelize `query`
 * (also a bare `query()` helper) and pg-promise's result-specific methods.
 * Kept only when the text starts with a statement keyword.
 */
const QUERY_METHODS = new Set(['query', 'any', 'one', 'oneOrNone', 'many', 'manyOrNone', 'none', 'result', 'multi']);

type TagKind = 'prisma-raw' | 'sql';

/** `Prisma`, or `client_1.Prisma`: TypeScript compiles `import { Prisma }` to CommonJS that way. */
function isPrismaNamespace(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (ts.isIdentifier(u)) return u.text === 'Prisma';
  return ts.isPropertyAccessExpression(u) && u.name.text === 'Prisma' && ts.isIdentifier(unwrap(u.expression));
}

function isPrismaMember(e: ts.Expression, name: string): boolean {
  const u = unwrap(e);
  return ts.isPropertyAccessExpression(u) && u.name.text === name && isPrismaNamespace(u.expression);
}

/** Name called or accessed last: `$queryRaw` for `this.db.$queryRaw`, `sql` for `sql`. */
function memberName(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  if (ts.isPropertyAccessExpression(u)) return u.name.text;
  if (ts.isIdentifier(u)) return u.text;
  return undefined;
}

export function classifyTag(tag: ts.Expression): TagKind | undefined {
  const u = unwrap(tag);
  const name = memberName(u);
  if (name === '$queryRaw' || name === '$executeRaw') return 'prisma-raw';
  if (ts.isIdentifier(u) && u.text === 'sql') return 'sql';
  if (isPrismaMember(u, 'sql')) return 'sql';
  return undefined;
}

function isSqlTemplate(e: ts.Expression): e is ts.TaggedTemplateExpression {
  return ts.isTaggedTemplateExpression(e) && classifyTag(e.tag) === 'sql';
}

/** A hole value that is SQL text rather than a parameter value. */
function isFragmentLike(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (isSqlTemplate(u)) return true;
  if (isPrismaMember(u, 'empty')) return true;
  if (ts.isCallExpression(u) && (isPrismaMember(u.expression, 'raw') || isPrismaMember(u.expression, 'join'))) return true;
  return false;
}

/** The type written for the function parameter `id` names, when it is one (`(w: Prisma.Sql) => …`). */
function parameterType(id: ts.Identifier): string | undefined {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (!ts.isFunctionLike(n)) continue;
    const param = n.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === id.text);
    if (param) return param.type?.getText();
  }
  return undefined;
}

function isEscaped(text: string, pos: number, floor: number): boolean {
  let n = 0;
  for (let k = pos - 1; k >= floor && text[k] === '\\'; k--) n++;
  return n % 2 === 1;
}

interface Candidate {
  root: ts.Node;
  sql: EmbeddedSql;
  consumed: ts.Node[];
  /** Blocks (or the file) searched for `push` calls onto a const array. */
  scopes: ts.Node[];
  /** Set when the whole text came from a resolved constant: that constant's initializer. */
  source?: ts.Node;
  order: number;
}

/** Builds one SQL text: shares the parameter counter and the set of consumed fragments. */
class Build {
  readonly b = new SqlTextBuilder();
  readonly consumed: ts.Node[] = [];
  /** Scopes listElements searched: the text depends on everything in them. */
  readonly scopes: ts.Node[] = [];
  /** Characters that came from literal text (not placeholders). */
  literalChars = 0;
  private readonly resolving = new Set<ts.Node>();

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly resolve: (id: ts.Identifier) => ts.Expression | undefined,
  ) {}

  private get text(): string {
    return this.sf.text;
  }

  /** A template piece (head, middle, tail or a whole no-substitution template). */
  private templatePiece(lit: ts.TemplateLiteralLikeNode & ts.Node): void {
    const text = this.text;
    const start = lit.getStart(this.sf);
    const rawStart = start + 1; // after ` or }
    let rawEnd = lit.end;
    if (lit.kind === ts.SyntaxKind.TemplateHead || lit.kind === ts.SyntaxKind.TemplateMiddle) {
      if (text.startsWith('${', lit.end - 2)) rawEnd = lit.end - 2;
    } else if (lit.end - 1 >= rawStart && text[lit.end - 1] === '`' && !isEscaped(text, lit.end - 1, rawStart)) {
      rawEnd = lit.end - 1;
    }
    const raw = text.slice(rawStart, Math.max(rawStart, rawEnd));
    const cooked = cookChecked(raw, rawStart, 'template', lit.text);
    this.literalChars += cooked.text.length;
    this.b.appendCooked(cooked, rawEnd);
  }

  private stringPiece(lit: ts.StringLiteral): void {
    const text = this.text;
    const start = lit.getStart(this.sf);
    const quote = text[start];
    const rawStart = start + 1;
    let rawEnd = lit.end;
    if (lit.end - 1 >= rawStart && text[lit.end - 1] === quote && !isEscaped(text, lit.end - 1, rawStart)) rawEnd = lit.end - 1;
    const cooked = cookChecked(text.slice(rawStart, Math.max(rawStart, rawEnd)), rawStart, 'string', lit.text);
    this.literalChars += cooked.text.length;
    this.b.appendCooked(cooked, rawEnd);
  }

  /**
   * A template; `params` mode numbers holes as parameters (tagged SQL templates),
   * `interpolation` mode splices string values in (plain template strings).
   */
  template(tpl: ts.TemplateLiteral, mode: 'params' | 'interpolation', depth: number): void {
    if (ts.isNoSubstitutionTemplateLiteral(tpl)) {
      this.templatePiece(tpl);
      return;
    }
    this.templatePiece(tpl.head);
    let prev: ts.Node = tpl.head;
    for (const span of tpl.templateSpans) {
      const holeStart = this.text.startsWith('${', prev.end - 2) ? prev.end - 2 : span.expression.getStart(this.sf);
      const holeEnd = span.literal.getStart(this.sf) + 1;
      if (mode === 'params') this.hole(span.expression, holeStart, holeEnd, depth + 1);
      else this.stringish(span.expression, depth + 1, holeStart, holeEnd);
      this.templatePiece(span.literal);
      prev = span.literal;
    }
  }

  /** A `${…}` hole of a tagged SQL template. */
  private hole(expr: ts.Expression, holeStart: number, holeEnd: number, depth: number): void {
    const e = unwrap(expr);
    if (depth > MAX_DEPTH) {
      this.b.dynamic = true;
      this.b.appendParam(holeStart, holeEnd);
      return;
    }
    if (isSqlTemplate(e)) {
      this.consumed.push(e);
      this.template(e.template, 'params', depth);
      return;
    }
    if (isPrismaMember(e, 'empty')) {
      this.b.touch(holeEnd);
      return;
    }
    if (ts.isCallExpression(e)) {
      if (isPrismaMember(e.expression, 'join')) {
        this.join(e, holeStart, holeEnd, depth);
        return;
      }
      if (isPrismaMember(e.expression, 'raw')) {
        const arg = e.arguments[0];
        if (arg) this.stringish(arg, depth, holeStart, holeEnd);
        else this.b.touch(holeEnd);
        return;
      }
      const callee = unwrap(e.expression);
      if (ts.isIdentifier(callee) && callee.text === 'sql') {
        // postgres.js-style identifier helper: unknown SQL text.
        this.b.dynamic = true;
        this.b.appendParam(holeStart, holeEnd);
        return;
      }
    }
    if (ts.isConditionalExpression(e)) {
      const branch = isFragmentLike(e.whenTrue) ? e.whenTrue : isFragmentLike(e.whenFalse) ? e.whenFalse : undefined;
      if (branch) {
        this.hole(branch, holeStart, holeEnd, depth + 1);
        return;
      }
    }
    if (ts.isIdentifier(e)) {
      const init = this.resolve(e);
      if (init && !this.resolving.has(init)) {
        const target = unwrap(init);
        if (isSqlTemplate(target)) {
          this.resolving.add(init);
          this.consumed.push(target);
          this.template(target.template, 'params', depth);
          this.resolving.delete(init);
          return;
        }
        // `const where = cond ? Prisma.sql`WHERE …` : Prisma.empty`, `const all = Prisma.join(parts, ' AND ')`.
        if (isFragmentLike(target) || (ts.isConditionalExpression(target) && (isFragmentLike(target.whenTrue) || isFragmentLike(target.whenFalse)))) {
          this.resolving.add(init);
          this.hole(target, holeStart, holeEnd, depth + 1);
          this.resolving.delete(init);
          return;
        }
      }
      // A parameter typed as a fragment (`where: Prisma.Sql`): SQL text not known here.
      if (!init && /(?:^|\.)Sql$/.test(parameterType(e) ?? '')) {
        this.b.dynamic = true;
        this.b.appendParam(holeStart, holeEnd);
        return;
      }
    }
    this.b.appendParam(holeStart, holeEnd);
  }

  /**
   * `Prisma.join(list, separator = ',', prefix = '', suffix = '')`: when the
   * list is known (an array literal, or a `const` array in scope plus the
   * values `push`ed onto it in its block), each element is a fragment
   * (inlined) or a value (a parameter) and the separators are spliced in;
   * otherwise the whole list is one parameter.
   */
  private join(call: ts.CallExpression, holeStart: number, holeEnd: number, depth: number): void {
    const elements = call.arguments[0] ? this.listElements(call.arguments[0]) : undefined;
    if (!elements || depth > MAX_DEPTH) {
      this.b.appendParam(holeStart, holeEnd);
      return;
    }
    const [, sep, prefix, suffix] = call.arguments;
    const text = (arg: ts.Expression | undefined, fallback: string, at: number): void => {
      if (arg) this.stringish(arg, depth + 1);
      else if (fallback) this.b.appendFixed(fallback, at);
    };
    text(prefix, '', holeStart);
    elements.forEach((el, i) => {
      if (i > 0) text(sep, ',', el.getStart(this.sf));
      if (ts.isSpreadElement(el)) this.b.appendParam(el.getStart(this.sf), el.end);
      else this.hole(el, el.getStart(this.sf), el.end, depth + 1);
    });
    text(suffix, '', holeEnd);
    this.b.touch(holeEnd);
  }

  private listElements(arg: ts.Expression): ts.Expression[] | undefined {
    const e = unwrap(arg);
    if (ts.isArrayLiteralExpression(e)) return [...e.elements];
    if (!ts.isIdentifier(e)) return undefined;
    const init = this.resolve(e);
    const arr = init ? unwrap(init) : undefined;
    const scope = init ? declarationScope(init) : undefined;
    if (!init || !arr || !ts.isArrayLiteralExpression(arr) || !scope) return undefined;
    const out: ts.Expression[] = [...arr.elements];
    this.scopes.push(scope);
    walk(scope, (n) => {
      if (!ts.isCallExpression(n)) return;
      const callee = unwrap(n.expression);
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'push') return;
      const owner = unwrap(callee.expression);
      if (ts.isIdentifier(owner) && owner.text === e.text && this.resolve(owner) === init) out.push(...n.arguments);
    });
    return out;
  }

  /**
   * A value spliced into SQL text: string literals, templates, `+`
   * concatenations and constants in scope are followed; anything else is
   * unknown text (a `$n` placeholder, `dynamic`).
   */
  stringish(expr: ts.Expression, depth: number, holeStart?: number, holeEnd?: number): void {
    const e = unwrap(expr);
    const unknown = (): void => {
      this.b.dynamic = true;
      this.b.appendParam(holeStart ?? e.getStart(this.sf), holeEnd ?? e.end);
    };
    if (depth > MAX_DEPTH) return unknown();
    if (ts.isStringLiteral(e)) return this.stringPiece(e);
    if (ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e)) return this.template(e, 'interpolation', depth);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      // Flatten the left-nested chain iteratively.
      const operands: ts.Expression[] = [];
      let cur: ts.Expression = e;
      while (ts.isBinaryExpression(cur) && cur.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        operands.push(cur.right);
        cur = unwrap(cur.left);
      }
      operands.push(cur);
      for (let k = operands.length - 1; k >= 0; k--) this.stringish(operands[k], depth + 1);
      return;
    }
    if (ts.isIdentifier(e)) {
      const init = this.resolve(e);
      if (init && !this.resolving.has(init)) {
        this.resolving.add(init);
        this.stringish(init, depth + 1, holeStart, holeEnd);
        this.resolving.delete(init);
        return;
      }
    }
    unknown();
  }
}

/** Collects embedded SQL while the caller walks the tree; `finish` drops fragments consumed by an enclosing query. */
export class EmbeddedSqlCollector {
  private readonly candidates: Candidate[] = [];

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly lines: LineIndex,
  ) {}

  visit(node: ts.Node): void {
    try {
      if (ts.isTaggedTemplateExpression(node)) this.tagged(node);
      else if (ts.isCallExpression(node)) this.call(node);
    } catch {
      // Never let one odd expression stop the extraction of the rest of the file.
    }
  }

  /**
   * For each candidate (reported or not): its expression and the other nodes its text or its
   * being reported depends on (fragments it consumed, the constant it came from, scopes searched).
   */
  dependencies(): { root: ts.Node; nodes: ts.Node[] }[] {
    return this.candidates.map((c) => ({ root: c.root, nodes: [...c.consumed, ...c.scopes, ...(c.source ? [c.source] : [])] }));
  }

  finish(): EmbeddedSql[] {
    const consumed = new Set<ts.Node>();
    for (const c of this.candidates) for (const n of c.consumed) consumed.add(n);
    const seenSources = new Set<ts.Node>();
    const out: EmbeddedSql[] = [];
    for (const c of [...this.candidates].sort((a, b) => a.order - b.order)) {
      if (consumed.has(c.root)) continue;
      if (c.source) {
        if (seenSources.has(c.source)) continue;
        seenSources.add(c.source);
      }
      out.push(c.sql);
    }
    return out;
  }

  private resolveConst = (id: ts.Identifier): ts.Expression | undefined => resolveConstInitializer(id);

  private add(root: ts.Node, build: Build, kind: EmbeddedSqlKind, source?: ts.Node): void {
    const built = build.b.build();
    const start = root.getStart(this.sf);
    this.candidates.push({
      root,
      consumed: build.consumed,
      scopes: build.scopes,
      source,
      order: start,
      sql: {
        sql: built.sql,
        mapOffset: built.mapOffset,
        kind,
        start,
        end: root.end,
        range: this.lines.range(start, root.end),
        params: built.params,
        dynamic: built.dynamic,
      },
    });
  }

  private tagged(node: ts.TaggedTemplateExpression): void {
    const kind = classifyTag(node.tag);
    if (!kind) return;
    const build = new Build(this.sf, this.resolveConst);
    build.template(node.template, 'params', 0);
    if (kind === 'sql') {
      if (!startsWithSqlKeyword(build.b.build().sql)) return;
      this.add(node, build, 'sql-tag');
    } else {
      this.add(node, build, 'prisma-raw');
    }
  }

  private call(node: ts.CallExpression): void {
    const callee = unwrap(node.expression);
    const name = memberName(callee);
    const arg0 = node.arguments[0];
    if (!name || !arg0) return;
    if (name === '$queryRaw' || name === '$executeRaw') {
      // Call form: x.$queryRaw(Prisma.sql`…`) or x.$queryRaw(query) with a const query.
      let target = unwrap(arg0);
      let source: ts.Node | undefined;
      if (ts.isIdentifier(target)) {
        const init = this.resolveConst(target);
        if (!init) return;
        source = init;
        target = unwrap(init);
      }
      if (!isSqlTemplate(target)) return;
      const build = new Build(this.sf, this.resolveConst);
      build.consumed.push(target);
      build.template(target.template, 'params', 0);
      this.add(node, build, 'prisma-raw', source);
      return;
    }
    if (name === '$queryRawUnsafe' || name === '$executeRawUnsafe') {
      const build = new Build(this.sf, this.resolveConst);
      build.stringish(arg0, 0);
      if (build.literalChars === 0) return; // nothing known about the text
      this.add(node, build, 'raw-unsafe', this.constSource(arg0));
      return;
    }
    if (QUERY_METHODS.has(name)) {
      let textArg: ts.Expression | undefined = unwrap(arg0);
      if (ts.isObjectLiteralExpression(textArg)) {
        textArg = undefined;
        for (const p of (unwrap(arg0) as ts.ObjectLiteralExpression).properties) {
          if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'text') textArg = p.initializer;
          else if (ts.isShorthandPropertyAssignment(p) && p.name.text === 'text') textArg = p.name;
        }
      }
      if (!textArg) return;
      const build = new Build(this.sf, this.resolveConst);
      build.stringish(textArg, 0);
      if (build.literalChars === 0 || !startsWithSqlKeyword(build.b.build().sql)) return;
      this.add(node, build, 'query-call', this.constSource(textArg));
    }
  }

  private constSource(arg: ts.Expression): ts.Node | undefined {
    const u = unwrap(arg);
    return ts.isIdentifier(u) ? this.resolveConst(u) : undefined;
  }
}

/** Every embedded SQL statement of a file, in source order. */
export function findEmbeddedSql(text: string, file: string): EmbeddedSql[] {
  try {
    const { sf, calls } = parseAndIndex(text, file);
    const collector = new EmbeddedSqlCollector(sf, new LineIndex(text));
    for (const n of calls) collector.visit(n);
    return collector.finish();
  } catch {
    return [];
  }
}
