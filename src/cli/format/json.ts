import type { Finding } from '../../core/model/finding';
import type { AnalysisResult } from '../../core/project';
import { displayPath } from './paths';

/**
 * The stable JSON shape (version 1) other tools script against; documented in the README.
 * Lines and characters are 0-based, characters count UTF-16 code units.
 */
export interface JsonReport {
  version: 1;
  findings: JsonFinding[];
  stats: { files: number; queries: number; tables: number; indexes: number; errors: number; warnings: number; infos: number; schemaSources: string[]; skipped: { file: string; reason: string }[]; schemaSkipped: { file: string; reason: string }[] };
}

export interface JsonFinding {
  rule: string;
  severity: string;
  message: string;
  file: string;
  range: Finding['range'];
  table: string | null;
  index: string | null;
  related: { file: string; range: Finding['range']; message: string }[];
  fix: { sql: string | null; prisma: string | null; prismaAction: string | null; model: string | null } | null;
}

export function toJsonReport(r: AnalysisResult): JsonReport {
  const count = (s: string) => r.findings.filter((f) => f.severity === s).length;
  return {
    version: 1,
    findings: r.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      file: displayPath(f.file),
      range: f.range,
      table: f.table ?? null,
      index: f.index ?? null,
      related: f.related.map((x) => ({ file: displayPath(x.file), range: x.range, message: x.message })),
      fix: f.fix ? { sql: f.fix.sql ?? null, prisma: f.fix.prisma ?? null, prismaAction: f.fix.prismaAction ?? null, model: f.fix.model ?? null } : null,
    })),
    stats: {
      files: r.stats.files,
      queries: r.stats.queries,
      tables: r.stats.tables,
      indexes: r.stats.indexes,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info') + count('hint'),
      schemaSources: r.stats.schemaSources.map((s) => displayPath(s)),
      skipped: r.stats.skipped.map((s) => ({ file: displayPath(s.file), reason: s.reason })),
      schemaSkipped: r.stats.schemaSkipped.map((s) => ({ file: displayPath(s.file), reason: s.reason })),
    },
  };
}
