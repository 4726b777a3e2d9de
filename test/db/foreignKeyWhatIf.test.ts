/**
 * The index proposed for an unindexed foreign key is proved on the query PostgreSQL runs for it (the
 * referential-integrity search made per deleted row), not on the DELETE, whose plan never shows that search.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSession, type Session } from '../../src/core/db/connection';
import { applyChecks, checkMissingIndexes } from '../../src/core/db/proveFindings';
import { Project } from '../../src/core/project';
import { PgCluster } from '../support/pgCluster';

const DDL = `CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE, total numeric NOT NULL);
`;

describe('what-if of a foreign key’s index (throwaway PostgreSQL 15 + HypoPG)', function () {
  this.timeout(120_000);
  let cluster: PgCluster;
  let session: Session;
  let dir: string;

  before(async function () {
    if (!PgCluster.available()) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'pgir-fk-'));
    mkdirSync(join(dir, 'migrations', '001_init'), { recursive: true });
    writeFileSync(join(dir, 'migrations', '001_init', 'migration.sql'), DDL);
    writeFileSync(join(dir, 'queries.sql'), 'DELETE FROM users WHERE id = $1;\n');
    writeFileSync(join(dir, 'pg-index-review.json'), JSON.stringify({ rows: { users: 10_000, orders: 200_000 } }));
    cluster = await PgCluster.start();
    cluster.psql('CREATE DATABASE shop');
    cluster.psql(`${DDL}
      INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 10000) g;
      INSERT INTO orders SELECT g, 1 + g % 10000, g FROM generate_series(1, 200000) g;
      ANALYZE;`, 'shop');
    session = await openSession(cluster.url('shop'));
  });
  after(async () => {
    await session?.close();
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('explains the search `SELECT 1 FROM ONLY orders … FOR KEY SHARE`, and the planner uses the index for it', async () => {
    const project = await Project.open(dir);
    const checks = await checkMissingIndexes(project, session);
    const fk = checks.find((c) => c.proposal.table === 'orders');
    assert.ok(fk, `a proposal on orders among ${checks.map((c) => c.proposal.sql).join('; ')}`);
    assert.deepEqual(fk.statements, ['SELECT 1 FROM ONLY "orders" x WHERE "user_id" = $1 FOR KEY SHARE OF x']);
    assert.equal(fk.verdict, 'helps', fk.reason);
    // The planner's word lands on the key's finding, at its declaration.
    const [finding] = applyChecks(project.analyze().findings, checks).filter((f) => f.rule === 'unindexed-foreign-key');
    assert.match(finding.message, /Confirmed: the planner on 127\.0\.0\.1:\d+\/shop uses it/);
    assert.match(finding.file, /001_init[\\/]migration\.sql$/);
  });
});
