import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, diagnosticsOn, open, ours, ruleOf } from './helpers';

describe('diagnostics', () => {
  before(api);

  it('a .sql file: missing-index on the unserved filter, with the rule documentation link', async () => {
    const doc = await open('sql/reports.sql');
    const [d] = diagnosticsOn(doc, 'missing-index', '"createdAt" BETWEEN $1 AND $2');
    assert.ok(d, ours(doc.uri).map((x) => `${ruleOf(x)} ${doc.getText(x.range)}`).join('\n'));
    assert.equal(d.range.start.line, 20);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    const code = d.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'missing-index');
    assert.match(code.target.toString(), /README\.md#missing-index$/);
    assert.match(d.message, /"transactions" \(createdAt\)/);
    // NewInstructors (role, ORDER BY "createdAt" DESC, no LIMIT): a role keeps a third of the users, so the
    // planner reads the table and sorts (measured in bench/parity): no proposal without statistics.
    assert.equal(diagnosticsOn(doc, 'missing-index', "role = 'INSTRUCTOR'").length, 0);
  });

  it('a TS file with Prisma calls: missing-index on the where field', async () => {
    const doc = await open('src/services/users.ts');
    // getRecentStudents: where role, newest first, take 20 — the index stops after 20 rows.
    const [d] = diagnosticsOn(doc, 'missing-index', "role: 'STUDENT'");
    assert.ok(d, ours(doc.uri).map((x) => `${x.range.start.line} ${ruleOf(x)} ${doc.getText(x.range)}`).join('\n'));
    assert.equal(doc.lineAt(d.range.start.line - 1).text.trim(), 'return prisma.user.findMany({');
    assert.match(d.message, /prisma\.user\.findMany/);
    // listInstructors: the same filter without a LIMIT reads a third of the table: no proposal (see the .sql case).
    assert.equal(diagnosticsOn(doc, 'missing-index', "role: 'INSTRUCTOR'").length, 0);
  });

  it('a TS file with $queryRaw: missing-index inside the template', async () => {
    const doc = await open('src/services/users.ts');
    const [d] = diagnosticsOn(doc, 'missing-index', '"role" = ${role}::"Role"');
    assert.ok(d);
    assert.equal(d.range.start.line, 53);
    assert.match(d.message, /SELECT on users/);
  });

  it('schema.prisma: redundant @@index marked unnecessary, with the covering index as related information', async () => {
    const doc = await open('prisma/schema.prisma');
    const [d] = diagnosticsOn(doc, 'redundant-index', '@@index([email])');
    assert.ok(d);
    assert.deepEqual(d.tags, [vscode.DiagnosticTag.Unnecessary]);
    assert.ok(d.relatedInformation?.some((r) => /users_email_key/.test(r.message)), JSON.stringify(d.relatedInformation));
    assert.equal(diagnosticsOn(doc, 'low-selectivity-index', '@@index([completed])').length, 1);
    const unused = diagnosticsOn(doc, 'unused-by-workload', '@@index([createdAt])');
    assert.equal(unused.length, 1);
    assert.equal(unused[0].severity, vscode.DiagnosticSeverity.Information);
  });

  it('the workspace pass reports files that are not open', async () => {
    const all = vscode.languages.getDiagnostics().filter(([, ds]) => ds.some((d) => d.source === 'pg-index-review'));
    assert.ok(all.length >= 10, `diagnostics in ${all.length} files`);
    assert.ok(all.some(([u]) => u.path.endsWith('/src/services/search.ts')));
  });
});
