/**
 * The migration linter given the statements loadMigrations parsed (what Project.analyze() passes)
 * finds exactly what it finds parsing the files itself.
 */
import assert from 'node:assert/strict';
import { lintMigrationHistory } from '../../src/core/migration/lint';
import { initSqlParser, parseSqlDocument } from '../../src/core/sql/parser';

describe('migration linter on pre-parsed statements', () => {
  before(() => initSqlParser());

  it('gives the same findings as its own parse', () => {
    const files = [
      { file: '/w/prisma/migrations/20240101000000_a/migration.sql', text: 'CREATE TABLE "t" ("id" TEXT NOT NULL, "userId" TEXT);\nCREATE INDEX "t_u_idx" ON "t"(userid);\n' },
      { file: '/w/prisma/migrations/20240102000000_b/migration.sql', text: 'DROP INDEX "t_u_idx";\nCREATE INDEX "t_id_idx" ON "t"("id");' },
      { file: '/w/migrations/003_c.sql', text: 'CREATE INDEX t_id2_idx ON t (id)' },
    ];
    const own = lintMigrationHistory(files).findings;
    const given = lintMigrationHistory(files.map((f) => ({ ...f, parsed: parseSqlDocument(f.text) }))).findings;
    assert.ok(own.length > 0);
    assert.deepEqual(JSON.parse(JSON.stringify(given)), JSON.parse(JSON.stringify(own)));
  });
});
