/**
 * The static verdict next to a real plan (throwaway PostgreSQL 15): agreement when both pick the same
 * path, and a disagreement named per table when the database has an index the workspace doesn't know.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { comparePlan, disagreementText } from '../../src/core/analysis/planAgreement';
import { openSession, type Session } from '../../src/core/db/connection';
import { explainStatement } from '../../src/core/db/explain';
import { Project } from '../../src/core/project';
import { PgCluster } from '../support/pgCluster';

const MIGRATION = `CREATE TABLE "orders" ("id" integer PRIMARY KEY, "customer" integer NOT NULL, "note" text);\n`;
const QUERIES = [
  'SELECT * FROM orders WHERE id = $1;',
  'SELECT * FROM orders WHERE customer = $1;',
].join('\n');

describe('plan vs static verdict (throwaway PostgreSQL 15)', function () {
  this.timeout(120_000);
  let cluster: PgCluster;
  let session: Session;
  let dir: string;
  let project: Project;

  before(async function () {
    if (!PgCluster.available()) this.skip();
    cluster = await PgCluster.start();
    cluster.psql('CREATE DATABASE shop');
    // The database has an index on "customer" that the workspace's migrations don't create.
    cluster.psql(
      `${MIGRATION}
       INSERT INTO orders SELECT g, g % 5000, 'n' FROM generate_series(1, 100000) g;
       CREATE INDEX orders_customer_idx ON orders (customer);
       ANALYZE orders;`,
      'shop',
    );
    session = await openSession(cluster.url('shop'));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-plan-agreement-'));
    fs.mkdirSync(path.join(dir, 'migrations'));
    fs.writeFileSync(path.join(dir, 'migrations', '001_init.sql'), MIGRATION);
    fs.writeFileSync(path.join(dir, 'queries.sql'), QUERIES);
    fs.writeFileSync(path.join(dir, 'pg-index-review.json'), JSON.stringify({ rows: { orders: 100000 } }));
    project = await Project.open(dir);
  });
  after(async () => {
    await session?.close();
    cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function compare(sqlStart: string) {
    const sv = project.analyze().verdicts.find((v) => v.shape.text.startsWith(sqlStart));
    assert.ok(sv, `no verdict for ${sqlStart}`);
    const r = await explainStatement(session, sv.shape.text);
    return { rows: comparePlan(sv, r.summary), embedded: r.embedded };
  }

  it('agrees when the planner takes the index the analysis expects (the primary key)', async () => {
    const { rows, embedded } = await compare('SELECT * FROM orders WHERE id');
    assert.deepEqual(rows.map((r) => [r.table, r.expected, r.agree]), [['orders', 'orders_pkey', true]]);
    assert.deepEqual(disagreementText(rows, embedded), []);
  });

  it('names the table, both verdicts and why, when the database uses an index the workspace lacks', async () => {
    const { rows, embedded } = await compare('SELECT * FROM orders WHERE customer');
    assert.equal(rows.length, 1);
    assert.equal(rows[0].expected, undefined, 'the workspace has no index on customer: a sequential scan');
    assert.deepEqual(rows[0].plannerIndexes, ['orders_customer_idx']);
    assert.equal(rows[0].agree, false);
    const text = disagreementText(rows, embedded).join('\n');
    assert.match(text, /`orders`: the analysis expects a sequential scan, the planner uses "orders_customer_idx"/);
    assert.match(text, /this database's statistics/);
  });
});
