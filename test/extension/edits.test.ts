import assert from 'node:assert/strict';
import * as path from 'node:path';
import { commentStyleFor, ignoreFileChange, ignoreLineChange } from '../../src/extension/edits/ignoreComment';
import { isPrismaMigration, migrationName, planMigration, withoutConcurrently } from '../../src/extension/edits/migrationFile';
import { addBlockAttribute, removeAttribute } from '../../src/extension/edits/prismaSchema';
import { applyChanges, eolOf, lineEnd, lineStart, nextLineStart, offsetOfLine } from '../../src/extension/edits/text';

const SCHEMA = `model User {
  id    Int    @id
  email String @unique
  role  Role

  @@index([email])
  @@map("users")
}

model Post {
    id Int @id
    title String
}
`;

function add(text: string, model: string, attr: string): string {
  const r = addBlockAttribute(text, model, attr);
  assert.ok('change' in r, JSON.stringify(r));
  return applyChanges(text, [r.change]);
}

describe('extension edits: schema.prisma', () => {
  it('adds @@index after the last index attribute, before @@map, with the model indentation', () => {
    const out = add(SCHEMA, 'User', '@@index([role, email(sort: Desc)])');
    assert.match(out, /  @@index\(\[email\]\)\n  @@index\(\[role, email\(sort: Desc\)\]\)\n  @@map\("users"\)\n\}/);
  });

  it('adds the first block attribute after a blank line, indented like the fields', () => {
    const out = add(SCHEMA, 'Post', '@@index([title])');
    assert.match(out, /    title String\n\n    @@index\(\[title\]\)\n\}/);
  });

  it('keeps CRLF line endings', () => {
    const crlf = SCHEMA.replace(/\n/g, '\r\n');
    const out = add(crlf, 'User', '@@index([role])');
    assert.ok(out.includes('  @@index([email])\r\n  @@index([role])\r\n  @@map("users")'));
    assert.ok(!/[^\r]\n/.test(out));
  });

  it('says when the index is already there or the model is missing', () => {
    assert.deepEqual(addBlockAttribute(SCHEMA, 'User', '@@index([ email ])'), { alreadyPresent: true });
    assert.ok('error' in addBlockAttribute(SCHEMA, 'Nope', '@@index([x])'));
  });

  it('removes an attribute line whole', () => {
    const start = SCHEMA.indexOf('@@index([email])');
    const out = applyChanges(SCHEMA, [removeAttribute(SCHEMA, start, start + '@@index([email])'.length)]);
    assert.ok(out.includes('  role  Role\n\n  @@map("users")'));
  });
});

describe('extension edits: ignore comments', () => {
  it('inserts a comment line above with the line indentation', () => {
    const text = 'SELECT *\n  FROM t\n  WHERE a = 1;\n';
    assert.equal(applyChanges(text, [ignoreLineChange(text, 2, 'missing-index', '--')]), 'SELECT *\n  FROM t\n  -- pg-index-review-ignore missing-index\n  WHERE a = 1;\n');
  });

  it('adds a file comment at the top, after a shebang, or extends an existing one', () => {
    assert.equal(applyChanges('x\n', [ignoreFileChange('x\n', 'missing-index', '//')]), '// pg-index-review-ignore-file missing-index\nx\n');
    assert.equal(applyChanges('#!/usr/bin/env node\nx\n', [ignoreFileChange('#!/usr/bin/env node\nx\n', 'missing-index', '//')]), '#!/usr/bin/env node\n// pg-index-review-ignore-file missing-index\nx\n');
    const existing = '-- pg-index-review-ignore-file redundant-index\nSELECT 1;\n';
    assert.equal(applyChanges(existing, [ignoreFileChange(existing, 'missing-index', '--')]), '-- pg-index-review-ignore-file redundant-index, missing-index\nSELECT 1;\n');
    assert.equal(commentStyleFor('a/b.sql'), '--');
    assert.equal(commentStyleFor('a/b.ts'), '//');
  });
});

describe('extension edits: CR-only and mixed line endings (lines break as in VS Code)', () => {
  it('line starts and ends: a lone CR ends a line, CRLF is one break', () => {
    const text = 'ab\rcd\r\nef\ngh';
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((l) => offsetOfLine(text, l)), [0, 3, 7, 10, 12, 12]);
    assert.equal(lineStart(text, 4), 3);
    assert.equal(lineEnd(text, 3), 5);
    assert.equal(nextLineStart(text, 3), 7);
    assert.equal(nextLineStart(text, 0), 3);
    assert.equal(nextLineStart(text, 11), 12);
    assert.deepEqual([eolOf('a\rb\r'), eolOf('a\r\nb'), eolOf('a\nb'), eolOf('ab')], ['\r', '\r\n', '\n', '\n']);
  });

  it('ignore comment above a line of a CR-only file: on that line, with a CR', () => {
    const text = 'SELECT *\r  FROM t\r  WHERE a = 1;\r';
    assert.equal(applyChanges(text, [ignoreLineChange(text, 2, 'missing-index', '--')]), 'SELECT *\r  FROM t\r  -- pg-index-review-ignore missing-index\r  WHERE a = 1;\r');
  });

  it('file comment in CR-only and CRLF files: after a shebang line; ids added on the comment line, before its break', () => {
    const cr = '#!/usr/bin/env node\rx\r';
    assert.equal(applyChanges(cr, [ignoreFileChange(cr, 'missing-index', '//')]), '#!/usr/bin/env node\r// pg-index-review-ignore-file missing-index\rx\r');
    for (const eol of ['\r', '\r\n']) {
      const existing = `-- pg-index-review-ignore-file redundant-index${eol}SELECT 1;${eol}`;
      assert.equal(applyChanges(existing, [ignoreFileChange(existing, 'missing-index', '--')]), `-- pg-index-review-ignore-file redundant-index, missing-index${eol}SELECT 1;${eol}`);
    }
  });
});

describe('extension edits: migration files', () => {
  it('a backslash is part of a file name on POSIX, a separator only on Windows', () => {
    const named = '/w/prisma/migrations\\20251001205346_init\\migration.sql';
    assert.equal(isPrismaMigration('/w/prisma/migrations/20251001205346_init/migration.sql'), true);
    assert.equal(isPrismaMigration(named), path.sep === '\\');
  });


  const now = new Date(Date.UTC(2025, 9, 2, 3, 4, 5));
  const sql = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "users_role_idx" ON "users" ("role");';

  it('Prisma layout: a timestamped folder, without CONCURRENTLY, and says why', () => {
    const p = planMigration({ root: '/w', migrationFiles: ['/w/prisma/migrations/20251001205346_init/migration.sql'], name: migrationName('add', 'users_role_idx'), sql, table: 'users', now, exists: () => false });
    assert.equal(p.file, path.join('/w/prisma/migrations/20251002030405_add_users_role_idx/migration.sql'));
    assert.ok(p.prismaLayout);
    assert.match(p.content, /^CREATE INDEX IF NOT EXISTS "users_role_idx" ON "users" \("role"\);$/m);
    assert.match(p.content, /-- .*transaction.*CONCURRENTLY/s);
  });

  it('Prisma layout: stays after the newest migration', () => {
    const p = planMigration({ root: '/w', migrationFiles: ['/w/prisma/migrations/20990101000000_future/migration.sql'], name: 'add_x', sql, now, exists: () => false });
    assert.equal(path.basename(path.dirname(p.file)), '20990101000001_add_x');
  });

  it('plain .sql migrations: numbered like the others, CONCURRENTLY kept', () => {
    const p = planMigration({ root: '/w', migrationFiles: ['/w/db/migrations/0001_init.sql', '/w/db/migrations/0002_users.sql'], name: 'add_x', sql, now, exists: () => false });
    assert.equal(p.file, path.join('/w/db/migrations/0003_add_x.sql'));
    assert.ok(!p.prismaLayout);
    assert.ok(p.content.includes(sql));
  });

  it('no migrations yet: migrations/<timestamp>_name.sql at the root', () => {
    const p = planMigration({ root: '/w', migrationFiles: [], name: 'add_x', sql, now, exists: () => false });
    assert.equal(p.file, path.join('/w/migrations/20251002030405_add_x.sql'));
  });

  it('withoutConcurrently handles CREATE UNIQUE INDEX and DROP INDEX', () => {
    assert.equal(withoutConcurrently('CREATE UNIQUE INDEX CONCURRENTLY a ON t (x);\nDROP INDEX CONCURRENTLY IF EXISTS "b";'), 'CREATE UNIQUE INDEX a ON t (x);\nDROP INDEX IF EXISTS "b";');
  });
});
