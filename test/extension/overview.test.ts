/**
 * The overview behind the Postgres Indexes view and the Index Report (src/extension/overview.ts, no `vscode`
 * import): tables with their indexes and the queries that use them; a materialized view says it is one.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Project } from '../../src/core/project';
import { buildOverview } from '../../src/extension/overview';

describe('index overview', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgir-overview-'));
    fs.mkdirSync(path.join(dir, 'migrations', '1_init'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'migrations', '1_init', 'migration.sql'),
      `CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total numeric NOT NULL);
CREATE MATERIALIZED VIEW customer_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
CREATE UNIQUE INDEX customer_totals_customer_id_key ON customer_totals (customer_id);
`,
    );
    fs.writeFileSync(path.join(dir, 'q.sql'), 'SELECT total FROM customer_totals WHERE customer_id = $1;\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists a materialized view as one, with its index and the query using it', async () => {
    const overview = buildOverview((await Project.open(dir)).analyze());
    const mv = overview.find((t) => t.name === 'customer_totals')!;
    assert.equal(mv.materialized, true);
    assert.equal(overview.find((t) => t.name === 'orders')!.materialized, undefined);
    assert.deepEqual(
      mv.indexes.map((i) => [i.name, i.queries.map((q) => [q.label, q.chosen])]),
      [['customer_totals_customer_id_key', [['SELECT on customer_totals', true]]]],
    );
  });
});
