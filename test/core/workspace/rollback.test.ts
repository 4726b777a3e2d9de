import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Project } from '../../../src/core/project';
import { isRollbackFile } from '../../../src/core/workspace/files';

describe('rollback scripts beside migrations', () => {
  it('recognises rollback and down scripts by name, and nothing else', () => {
    assert.equal(isRollbackFile('migrations/20251001_index_optimization_rollback.sql'), true);
    assert.equal(isRollbackFile('db/migrations/0003.down.sql'), true);
    assert.equal(isRollbackFile('db/migrations/0003/down.sql'), true);
    assert.equal(isRollbackFile('prisma/migrations/20251001_init/migration.sql'), false);
    assert.equal(isRollbackFile('db/migrations/0004_countdown.sql'), false);
  });

  it('are not applied forward when the schema is built', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pir-rollback-'));
    try {
      fs.mkdirSync(path.join(dir, 'migrations'));
      fs.writeFileSync(path.join(dir, 'migrations', '001_init.sql'), 'CREATE TABLE t (id int PRIMARY KEY, a int);\nCREATE INDEX t_a_idx ON t (a);\n');
      fs.writeFileSync(path.join(dir, 'migrations', '001_init_rollback.sql'), 'DROP INDEX t_a_idx;\nDROP TABLE t;\n');
      const p = await Project.open(dir);
      assert.deepEqual(p.schema.tables.get('t')?.indexes.map((i) => i.name), ['t_pkey', 't_a_idx']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
