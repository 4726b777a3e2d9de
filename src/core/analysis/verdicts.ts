/** Query shapes + schema → a verdict for every table access. */
import type { QueryShape } from '../model/query';
import type { SchemaModel } from '../model/schema';
import { analyzeAccess } from '../matcher/analyzeAccess';
import type { MatcherOptions } from '../matcher/options';
import type { AccessVerdict } from '../matcher/types';

export interface ShapeVerdict {
  shape: QueryShape;
  accesses: AccessVerdict[];
}

export function verdictsFor(shapes: QueryShape[], schema: SchemaModel, opts: MatcherOptions): ShapeVerdict[] {
  return shapes.map((shape) => ({ shape, accesses: shape.accesses.map((a) => analyzeAccess(a, schema, opts)) }));
}
