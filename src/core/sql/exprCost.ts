/**
 * What evaluating an expression costs PostgreSQL per row, in operators (cost_qual_eval_walker() charges
 * cpu_operator_cost for each function call, operator and SQL value function such as CURRENT_DATE, and
 * nothing for constants, parameters or a cast of a constant, which the planner folds).
 */
import { parseSync } from 'libpg-query';
import type { Node } from './expr';

/** Kept per expression text: the few distinct texts of a workspace are asked for on every evaluation. */
const counted = new Map<string, number | undefined>();
const MAX_KEPT = 4096;

/** The operators of `text` (an expression as exprText() prints it), or undefined when it does not parse. */
export function exprOperators(text: string): number | undefined {
  if (counted.has(text)) return counted.get(text);
  let n: number | undefined;
  try {
    const tree = parseSync(`SELECT ${text}`) as { stmts?: { stmt: Node }[] };
    const target = tree.stmts?.length === 1 ? tree.stmts[0].stmt.SelectStmt?.targetList : undefined;
    n = target?.length === 1 ? operatorsIn(target[0].ResTarget?.val) : undefined;
  } catch {
    n = undefined;
  }
  if (counted.size >= MAX_KEPT) counted.clear();
  counted.set(text, n);
  return n;
}

const CHARGED = new Set(['FuncCall', 'A_Expr', 'SQLValueFunction', 'CoalesceExpr', 'MinMaxExpr', 'NullIfExpr', 'BoolExpr']);

function operatorsIn(n: unknown): number {
  if (Array.isArray(n)) return n.reduce((s: number, x) => s + operatorsIn(x), 0);
  if (!n || typeof n !== 'object') return 0;
  let total = 0;
  for (const [key, value] of Object.entries(n as Node)) {
    // A cast of a constant (`'7 days'::interval`) is folded at plan time.
    if (key === 'TypeCast' && (value as Node).arg?.A_Const) continue;
    if (CHARGED.has(key) || (key === 'TypeCast' && !(value as Node).arg?.ParamRef)) total += 1;
    total += operatorsIn(value);
  }
  return total;
}
