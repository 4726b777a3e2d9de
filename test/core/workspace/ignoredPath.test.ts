/**
 * ignoredPath (src/core/workspace/files.ts) is what the editor asks of one file or folder it hears
 * about; it must agree with what listFiles (`check`, `Project.open`) reads from the same tree.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { DEFAULT_IGNORES } from '../../../src/core/config/config';
import { classify, ignoredPath, listFiles } from '../../../src/core/workspace/files';

const TREE = [
  'prisma/schema.prisma',
  'prisma/migrations/001_init/migration.sql',
  'prisma/migrations/legacy/000_old/migration.sql',
  'node_modules/some-orm/prisma/migrations/1_x/migration.sql',
  'vendor/node_modules/x.sql',
  '.git/hooks/q.sql',
  'src/a.ts',
  'src/types.d.ts',
  'src/dist/bundle.js',
  'src/dist-helpers/b.ts',
  'sql/reports.sql',
  'sql/skip/old.sql',
  'sql/skipped.sql',
  'sql/one-off.sql',
];
const IGNORE = [...DEFAULT_IGNORES, 'prisma/migrations/legacy', 'sql/skip/', 'sql/one-off.sql'];

describe('ignoredPath', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-ignored-'));
    for (const rel of TREE) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), rel.endsWith('.prisma') ? '' : 'SELECT 1;\n');
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('passes over exactly the files listFiles leaves out', () => {
    const listed = new Set(listFiles([root], root, IGNORE).files.map((f) => path.relative(root, f).split(path.sep).join('/')));
    const isIgnored = picomatch(IGNORE, { dot: true });
    const kept = TREE.filter((rel) => classify(rel) && !ignoredPath(rel, isIgnored));
    assert.deepEqual(kept.sort(), [...listed].sort());
    // The tree holds files of each kind of exclusion: an ignored folder, node_modules and .git by name, a file pattern.
    assert.deepEqual([...listed].sort(), ['prisma/migrations/001_init/migration.sql', 'prisma/schema.prisma', 'sql/reports.sql', 'sql/skipped.sql', 'src/a.ts', 'src/dist-helpers/b.ts']);
  });

  it('says a folder is passed over when it, or a folder above it, is', () => {
    const isIgnored = picomatch(IGNORE, { dot: true });
    const folders = {
      'prisma/migrations/legacy/000_old': true,
      'node_modules/some-orm/prisma/migrations': true,
      'node_modules': true,
      'sql/skip': true,
      'prisma/migrations/001_init': false,
      'src/dist-helpers': false,
      sql: false,
    };
    for (const [rel, ignored] of Object.entries(folders)) assert.equal(ignoredPath(rel, isIgnored, true), ignored, rel);
  });
});
