/**
 * Recognises Prisma Client model calls, `<receiver>.<accessor>.<operation>(args)`,
 * and turns each into a QueryShape with origin 'prisma'.
 *
 * - accessor in `schema.prisma.accessors` and a known operation: any receiver
 *   (`prisma`, `tx`, `this.db`, `ctx.prisma`, a `$transaction` callback
 *   parameter…) except a few names that are never a Prisma client
 *   (`req`, `res`, `session`, `props`, …).
 * - accessor unknown to schema.prisma (or no schema.prisma at all), a known
 *   operation and a Prisma-looking receiver (`prisma`, `db`, `tx`, `trx`,
 *   `client`, `*prisma*`, `*Db`): the table is guessed as the model name
 *   (Prisma's default) and field names are used as column names.
 * - known accessor, unknown operation (a client extension method), Prisma-looking
 *   receiver: one select access without predicates.
 * Calls inside `prisma.$transaction([...])` and `$transaction(async (tx) => …)`
 * are ordinary calls found by the same walk.
 */
// A plain require: esbuild's namespace wrapper (__toESM) would turn every ts.* access into a getter call.
import { throughViews } from '../../shapes/viewAccess';
import ts = require('typescript');
import type { QueryShape } from '../../model/query';
import { emptyAccess } from '../../model/query';
import { receiverName, unwrap } from './literals';
import { accessesForCall, PRISMA_OPERATIONS } from './prismaArgs';
import { guessedView, rangeOf, viewOf, type ModelView, type PrismaContext } from './prismaRelations';

export interface PrismaCall {
  call: ts.CallExpression;
  accessor: string;
  op: string;
  view: ModelView;
  /** False for an operation Prisma Client doesn't have (an extension method). */
  knownOp: boolean;
}

const NOT_A_CLIENT = new Set(['req', 'request', 'res', 'response', 'session', 'props', 'state', 'window', 'document', 'console']);

const MAX_TEXT = 500;

export function looksLikePrismaClient(name: string | undefined): boolean {
  if (!name) return false;
  const lower = name.toLowerCase();
  return (
    lower.includes('prisma') ||
    lower === 'db' ||
    lower.endsWith('db') ||
    lower === 'tx' ||
    lower === 'trx' ||
    lower === 'client' ||
    lower === 'transaction'
  );
}

function propName(e: ts.Expression): { name: string; owner: ts.Expression } | undefined {
  const u = unwrap(e);
  if (ts.isPropertyAccessExpression(u) && ts.isIdentifier(u.name)) return { name: u.name.text, owner: u.expression };
  return undefined;
}

export function recognizePrismaCall(ctx: PrismaContext, call: ts.CallExpression): PrismaCall | undefined {
  const callee = propName(call.expression);
  if (!callee) return undefined;
  const acc = propName(callee.owner);
  if (!acc) return undefined;
  const op = callee.name;
  const accessor = acc.name;
  if (accessor.startsWith('$') || op.startsWith('$')) return undefined;
  const receiver = receiverName(acc.owner);
  if (receiver !== undefined && NOT_A_CLIENT.has(receiver)) return undefined;
  const knownOp = PRISMA_OPERATIONS.has(op);
  const modelName = ctx.mapping?.accessors.get(accessor);
  const view = modelName ? viewOf(ctx, modelName) : undefined;
  if (view) {
    if (knownOp || looksLikePrismaClient(receiver)) return { call, accessor, op, view, knownOp };
    return undefined;
  }
  if (knownOp && looksLikePrismaClient(receiver)) return { call, accessor, op, view: guessedView(accessor), knownOp };
  return undefined;
}

export function shapeForPrismaCall(ctx: PrismaContext, file: string, pc: PrismaCall): QueryShape {
  const leftOut: NonNullable<QueryShape['leftOut']> = [];
  const accesses = pc.knownOp ? accessesForCall({ ...ctx, leftOut }, pc.view, pc.op, pc.call.arguments[0]) : [emptyAccess(pc.view.table, 'select')];
  const shape = callShape(ctx, file, pc.call, `prisma.${pc.accessor}.${pc.op}`, accesses);
  if (leftOut.length) shape.leftOut = leftOut;
  return shape;
}

/** A Prisma call as a shape: where it is, its text (cut at MAX_TEXT), a label and its accesses. */
function callShape(ctx: PrismaContext, file: string, call: ts.CallExpression, label: string, accesses: QueryShape['accesses']): QueryShape {
  const range = rangeOf(ctx, call);
  const source = call.getText(ctx.sf);
  return {
    id: `${file}:${range.start.line + 1}:${range.start.character + 1}`,
    origin: 'prisma',
    location: { file, range },
    text: source.length > MAX_TEXT ? source.slice(0, MAX_TEXT - 1) + '…' : source,
    label,
    accesses,
  };
}

/** The QueryShape of a call when it is a Prisma Client model call. Never throws. */
export function prismaShapeFor(ctx: PrismaContext, file: string, node: ts.CallExpression): QueryShape | undefined {
  try {
    const pc = recognizePrismaCall(ctx, node);
    const shape = pc ? shapeForPrismaCall(ctx, file, pc) : runTimeModelShape(ctx, file, node);
    // A call on a view model reads the view's table (see shapes/viewAccess.ts).
    return shape && ctx.schema.views?.size ? throughViews(shape, ctx.schema) : shape;
  } catch {
    return undefined;
  }
}

/** Operations no other common client has under these names, with these arguments. */
const PRISMA_ONLY = new Set(['findMany', 'findFirst', 'findFirstOrThrow', 'findUnique', 'findUniqueOrThrow', 'updateMany', 'deleteMany', 'createMany', 'upsert', 'groupBy', 'aggregate']);
const PRISMA_ARGUMENTS = new Set(['where', 'data', 'select', 'include', 'orderBy', 'take', 'skip', 'cursor', 'distinct', 'by', 'create', 'update']);

/**
 * A Prisma Client call whose model is chosen at run time — `prisma[model].findMany({ where })` (a client
 * indexed by a variable), `this.table().findMany({ where })` (a delegate a function returns) — as a shape with
 * no accesses that says why: it is not analysed, and an index it uses may look unused.
 */
function runTimeModelShape(ctx: PrismaContext, file: string, call: ts.CallExpression): QueryShape | undefined {
  // Only in a workspace with a schema.prisma: elsewhere `x().findMany({ where })` is as likely another client's.
  if (!ctx.mapping) return undefined;
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !PRISMA_ONLY.has(callee.name.text)) return undefined;
  const arg = call.arguments[0] && unwrap(call.arguments[0]);
  if (!arg || !ts.isObjectLiteralExpression(arg)) return undefined;
  if (!arg.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && PRISMA_ARGUMENTS.has(p.name.text))) return undefined;
  const delegate = unwrap(callee.expression);
  const indexed = ts.isElementAccessExpression(delegate) && !ts.isStringLiteralLike(delegate.argumentExpression) && looksLikePrismaClient(receiverName(delegate.expression));
  if (!indexed && !ts.isCallExpression(delegate)) return undefined;
  return { ...callShape(ctx, file, call, `${delegate.getText(ctx.sf).slice(0, 60)}.${callee.name.text}`, []), unresolved: 'its model is chosen at run time' };
}
