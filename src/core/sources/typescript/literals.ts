/**
 * Helpers that read values out of TypeScript syntax without a type checker:
 * literal values, object-literal properties, receiver names.
 */
// A plain require: esbuild's namespace wrapper (__toESM) would turn every ts.* access into a getter call.
import ts = require('typescript');
import type { Literal } from '../../model/predicate';
import { resolveConstInitializer } from './scope';

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>x` assertions. */
export function unwrap(e: ts.Expression): ts.Expression {
  let cur = e;
  for (;;) {
    switch (cur.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
        cur = (cur as ts.ParenthesizedExpression | ts.AsExpression | ts.SatisfiesExpression | ts.NonNullExpression | ts.TypeAssertion).expression;
        break;
      default:
        return cur;
    }
  }
}

/** Text of a string literal or a template without substitutions. */
export function stringValue(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  if (ts.isStringLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u)) return u.text;
  return undefined;
}

/** A numeric (or bigint) literal, optionally signed. */
export function numberValue(e: ts.Expression | undefined): number | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  if (ts.isNumericLiteral(u)) {
    const n = Number(u.text);
    return Number.isFinite(n) ? n : undefined;
  }
  if (ts.isBigIntLiteral(u)) {
    const n = Number(u.text.endsWith('n') ? u.text.slice(0, -1) : u.text);
    return Number.isFinite(n) ? n : undefined;
  }
  if (ts.isPrefixUnaryExpression(u) && (u.operator === ts.SyntaxKind.MinusToken || u.operator === ts.SyntaxKind.PlusToken)) {
    const inner = numberValue(u.operand);
    if (inner === undefined) return undefined;
    return u.operator === ts.SyntaxKind.MinusToken ? -inner : inner;
  }
  return undefined;
}

export function boolValue(e: ts.Expression | undefined): boolean | undefined {
  if (!e) return undefined;
  const u = unwrap(e);
  if (u.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (u.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

export function isNullLiteral(e: ts.Expression | undefined): boolean {
  return !!e && unwrap(e).kind === ts.SyntaxKind.NullKeyword;
}

/** `undefined` or `void 0`: Prisma ignores a filter whose value is undefined. */
export function isUndefinedValue(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  const u = unwrap(e);
  return (ts.isIdentifier(u) && u.text === 'undefined') || ts.isVoidExpression(u);
}

/** Says whether `member` is a value of the enum named `enumName` (`Role.ADMIN`). */
export type EnumLookup = (enumName: string, member: string) => boolean;

export const NO_ENUMS: EnumLookup = () => false;

/**
 * The Literal a value expression stands for. Strings, numbers, booleans and null
 * are kept; a member of a known enum (`Role.ADMIN`, `$Enums.Role.ADMIN`) becomes
 * its string; anything else (identifiers, calls, `new Date()`) is a parameter,
 * which is what Prisma sends it as.
 */
export function literalOf(e: ts.Expression | undefined, enums: EnumLookup = NO_ENUMS): Literal {
  if (!e) return { kind: 'param' };
  const s = stringValue(e);
  if (s !== undefined) return { kind: 'string', value: s };
  const n = numberValue(e);
  if (n !== undefined) return { kind: 'number', value: n };
  const b = boolValue(e);
  if (b !== undefined) return { kind: 'bool', value: b };
  if (isNullLiteral(e)) return { kind: 'null' };
  const u = unwrap(e);
  if (ts.isPropertyAccessExpression(u) && ts.isIdentifier(u.name)) {
    const owner = unwrap(u.expression);
    const ownerName = ts.isIdentifier(owner)
      ? owner.text
      : ts.isPropertyAccessExpression(owner) && ts.isIdentifier(owner.name)
        ? owner.name.text
        : undefined;
    if (ownerName && enums(ownerName, u.name.text)) return { kind: 'string', value: u.name.text };
  }
  return { kind: 'param' };
}

/** Name of a property key when it is static (`a`, `'a'`, `1`, `['a']`). */
export function propertyNameText(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) return stringValue(name.expression);
  return undefined;
}

export interface Prop {
  name: string;
  /** The value; for a shorthand property `{ slug }` this is the identifier itself. */
  value: ts.Expression;
  /** The whole property (`key: value`), for ranges. */
  node: ts.ObjectLiteralElementLike;
  shorthand: boolean;
}

/** Static properties of an object literal, in source order. Spreads, methods and accessors are skipped. */
export function objectProps(obj: ts.ObjectLiteralExpression): Prop[] {
  const out: Prop[] = [];
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p)) {
      const name = propertyNameText(p.name);
      if (name !== undefined && p.initializer) out.push({ name, value: p.initializer, node: p, shorthand: false });
    } else if (ts.isShorthandPropertyAssignment(p)) {
      out.push({ name: p.name.text, value: p.name, node: p, shorthand: true });
    }
  }
  return out;
}

/** The last static property with that name (JavaScript semantics: later keys win). */
export function getProp(obj: ts.ObjectLiteralExpression | undefined, name: string): Prop | undefined {
  if (!obj) return undefined;
  // objectProps without building every Prop: called for each key a Prisma argument may have.
  const props = obj.properties;
  for (let i = props.length - 1; i >= 0; i--) {
    const p = props[i];
    if (ts.isPropertyAssignment(p)) {
      if (p.initializer && propertyNameText(p.name) === name) return { name, value: p.initializer, node: p, shorthand: false };
    } else if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return { name, value: p.name, node: p, shorthand: true };
  }
  return undefined;
}

/** The expression itself, or for an identifier naming a `const` in scope, its initializer. */
function followConst(e: ts.Expression): ts.Expression {
  const u = unwrap(e);
  if (!ts.isIdentifier(u)) return u;
  const init = resolveConstInitializer(u);
  return init ? unwrap(init) : u;
}

/** An object literal, written in place or held by a `const` in scope (`const where = {…}; findMany({ where })`). */
export function asObject(e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  if (!e) return undefined;
  const u = followConst(e);
  return ts.isObjectLiteralExpression(u) ? u : undefined;
}

/** An array literal, written in place or held by a `const` in scope. */
export function asArray(e: ts.Expression | undefined): ts.ArrayLiteralExpression | undefined {
  if (!e) return undefined;
  const u = followConst(e);
  return ts.isArrayLiteralExpression(u) ? u : undefined;
}

/** Last name of a receiver chain: `prisma` for `prisma`, `db` for `this.db`, `prisma` for `ctx.prisma`, `this` for `this`. */
export function receiverName(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  if (ts.isIdentifier(u)) return u.text;
  if (u.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(u) && ts.isIdentifier(u.name)) return u.name.text;
  if (ts.isElementAccessExpression(u)) return stringValue(u.argumentExpression);
  if (ts.isCallExpression(u)) return receiverName(u.expression);
  if (ts.isAwaitExpression(u)) return receiverName(u.expression);
  return undefined;
}
