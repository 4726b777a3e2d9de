/** Settings files are read only when they are small regular files: a FIFO would block the read, /dev/zero fill the memory. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConfig } from '../../../src/core/config/config';
import { findDatabaseUrl } from '../../../src/core/db/connection';
import { readMigrationLock } from '../../../src/core/workspace/schemaChoice';
import { MAX_SETTINGS_BYTES, readSettingsFile } from '../../../src/core/workspace/files';

describe('settings files', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-settings-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are read when they are regular files of at most 1 MB', () => {
    fs.writeFileSync(path.join(dir, 'a.json'), '{"minRows": 5}');
    assert.equal(readSettingsFile(path.join(dir, 'a.json')), '{"minRows": 5}');
    fs.writeFileSync(path.join(dir, 'big.json'), Buffer.alloc(MAX_SETTINGS_BYTES + 1, 0x20));
    assert.throws(() => readSettingsFile(path.join(dir, 'big.json')), /larger than 1024 kB/);
  });

  it('refuse a FIFO and a device without reading them: a clear error for the configuration, a silent skip for the others', () => {
    execFileSync('mkfifo', [path.join(dir, 'pg-index-review.json')]);
    assert.throws(() => readConfig(dir), /pg-index-review\.json: could not be read \(.*is not a regular file\)/);
    assert.throws(() => readConfig(dir, '/dev/zero'), /is not a regular file/);
    fs.mkdirSync(path.join(dir, 'prisma', 'migrations'), { recursive: true });
    execFileSync('mkfifo', [path.join(dir, 'prisma', 'migrations', 'migration_lock.toml')]);
    assert.equal(readMigrationLock(path.join(dir, 'prisma', 'migrations')), undefined);
    fs.symlinkSync('/dev/zero', path.join(dir, '.env'));
    assert.equal(findDatabaseUrl(dir, undefined, {}), undefined);
  });
});
