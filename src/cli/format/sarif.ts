/** SARIF 2.1.0 for code-scanning (GitHub, Azure DevOps). Regions are 1-based, columns in UTF-16 units. */
import type { Finding, Severity } from '../../core/model/finding';
import type { AnalysisResult } from '../../core/project';
import { RULES } from '../../core/rules/registry';
import { displayPath } from './paths';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

function region(r: Finding['range']) {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

/** A relative URI reference: each path segment percent-encoded (`#`, `?`, `%` included). */
function fileUri(p: string): string {
  return p.startsWith('/') ? `file://${p.split('/').map(encodeURIComponent).join('/')}` : p.split('/').map(encodeURIComponent).join('/');
}

function location(file: string, range: Finding['range'], message?: string) {
  return {
    physicalLocation: { artifactLocation: { uri: fileUri(displayPath(file)), uriBaseId: '%SRCROOT%' }, region: region(range) },
    ...(message ? { message: { text: message } } : {}),
  };
}

export function toSarif(r: AnalysisResult, version: string): object {
  const ruleIndex = new Map(RULES.map((rule, i) => [rule.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pg-index-review',
            semanticVersion: version,
            informationUri: 'https://github.com/pg-index-review/pg-index-review#rules',
            rules: RULES.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.summary },
              fullDescription: { text: rule.description },
              helpUri: `https://github.com/pg-index-review/pg-index-review#${rule.id}`,
              defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: r.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule) ?? -1,
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [location(f.file, f.range)],
          ...(f.related.length ? { relatedLocations: f.related.map((x, i) => ({ id: i, ...location(x.file, x.range, x.message) })) } : {}),
          ...(f.fix?.sql ? { properties: { fixSql: f.fix.sql, ...(f.fix.prisma ? { fixPrisma: f.fix.prisma } : {}) } } : {}),
        })),
      },
    ],
  };
}
