import { LineIndex } from '../../../src/core/model/location';
import type { SchemaModel } from '../../../src/core/model/schema';
import { analyzeAccess } from '../../../src/core/matcher/analyzeAccess';
import { DEFAULT_MATCHER_OPTIONS, type MatcherOptions } from '../../../src/core/matcher/options';
import type { AccessVerdict, IndexUse } from '../../../src/core/matcher/types';
import { loadMigrations } from '../../../src/core/schema/migrations/loadMigrations';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { missingIndex } from '../../../src/core/rules/missingIndex';
import type { Finding } from '../../../src/core/model/finding';

export function schemaFrom(ddl: string): SchemaModel {
  const { schema, problems } = loadMigrations([{ file: 'schema.sql', text: ddl }]);
  if (problems.length) throw new Error(problems.map((p) => p.message).join('; '));
  return schema;
}

export function options(rows: Record<string, number>, extra: Partial<MatcherOptions> = {}): MatcherOptions {
  return { ...DEFAULT_MATCHER_OPTIONS, rows, ...extra };
}

/** The verdict for the first access of the first statement (or the access on `table`). */
export function verdict(schema: SchemaModel, sql: string, opts: MatcherOptions, table?: string): AccessVerdict {
  const { shapes, problems } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
  if (problems.length) throw new Error(problems[0].message);
  const access = table ? shapes[0].accesses.find((a) => a.table === table) : shapes[0].accesses[0];
  if (!access) throw new Error(`no access on ${table}`);
  return analyzeAccess(access, schema, opts);
}

export function candidate(v: AccessVerdict, index: string): IndexUse {
  const c = v.candidates.find((x) => x.index.name === index);
  if (!c) throw new Error(`no candidate ${index}`);
  return c;
}

export function missingFindings(schema: SchemaModel, sql: string, opts: MatcherOptions): Finding[] {
  const { shapes } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
  return missingIndex.run({ schema, verdicts: verdictsFor(shapes, schema, opts), options: opts });
}
