/** `check`'s text format: each finding, its fix, and its related locations (at most five, then a count). */
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/model/finding';
import type { AnalysisResult } from '../../src/core/project';
import { formatText } from '../../src/cli/format/text';

const range = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 10 } });

function result(findings: Finding[]): AnalysisResult {
  return { findings, verdicts: [], schema: { tables: new Map(), enums: new Map() }, stats: { files: 1, queries: 0, tables: 0, indexes: 0, skipped: [], schemaSources: [] } } as unknown as AnalysisResult;
}

describe('check --format text', () => {
  const key: Finding = {
    rule: 'unindexed-foreign-key',
    severity: 'warning',
    message: 'Unindexed foreign key',
    file: 'migration.sql',
    range: range(4),
    related: Array.from({ length: 7 }, (_, i) => ({ file: `q${i}.sql`, range: range(i), message: 'Deletes from "users"' })),
    fix: { sql: 'CREATE INDEX x ON orders (user_id);' },
  };

  it('prints the related locations under the fix, 1-based, five of them and how many more', () => {
    const lines = formatText(result([key]), { color: false, showFixes: true }).split('\n');
    assert.equal(lines[0], 'migration.sql:5:1 warning unindexed-foreign-key Unindexed foreign key');
    assert.equal(lines[1], '    fix: CREATE INDEX x ON orders (user_id);');
    assert.deepEqual(lines.slice(2, 7), [0, 1, 2, 3, 4].map((i) => `    see: q${i}.sql:${i + 1}:1 Deletes from "users"`));
    assert.equal(lines[7], '    see: … and 2 more (--format json lists them all)');
  });

  it('leaves them out with --no-fixes', () => {
    assert.doesNotMatch(formatText(result([key]), { color: false, showFixes: false }), /see:/);
  });
});
