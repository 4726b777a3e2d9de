/**
 * Materialized views and CREATE TABLE … AS from the migrations: relations of their own, with the SELECT's output
 * columns (named as PostgreSQL names them) and indexes of their own, which queries read as they read a table; a
 * REFRESH runs the view's query; REFRESH … CONCURRENTLY needs a unique index PostgreSQL can match rows by.
 */
import assert from 'node:assert/strict';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { lintMigrationHistory } from '../../../src/core/migration/lint';
import { LineIndex } from '../../../src/core/model/location';
import type { SchemaModel } from '../../../src/core/model/schema';
import { schemaDrift } from '../../../src/core/rules/schemaDrift';
import { loadMigrations } from '../../../src/core/schema/migrations/loadMigrations';
import { loadPrismaSchema } from '../../../src/core/schema/prisma/loadPrismaSchema';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { initSqlParser } from '../../../src/core/sql/parser';
import { options } from '../matcher/harness';

const TABLES = `
CREATE TYPE "Status" AS ENUM ('PENDING', 'PAID');
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status "Status" NOT NULL, total numeric NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE customers (id bigint PRIMARY KEY, name text);
CREATE VIEW paid_orders AS SELECT * FROM orders WHERE status = 'PAID';
`;
const opts = options({ orders: 5_000_000, customers: 100_000, customer_totals: 100_000, recent_orders: 200_000 });

function load(...migrations: string[]) {
  return loadMigrations(migrations.map((text, i) => ({ file: `/w/migrations/${i + 1}_m/migration.sql`, text })));
}

function schemaOf(...migrations: string[]): SchemaModel {
  const r = load(...migrations);
  assert.deepEqual(r.problems.map((p) => p.message), []);
  return r.schema;
}

function shapesOf(sql: string, schema: SchemaModel) {
  const { shapes, problems } = shapesFromSqlText(sql, { file: '/w/q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
  assert.deepEqual(problems, []);
  return shapes;
}

function failures(...migrations: string[]): { message: string; sqlstate?: string; line: number }[] {
  const r = lintMigrationHistory(
    migrations.map((text, i) => ({ file: `/w/migrations/${i + 1}_m/migration.sql`, text })),
    { report: () => true },
  );
  return r.findings.filter((f) => f.rule === 'statement-fails').map((f) => ({ message: f.message, sqlstate: (f as { sqlstate?: string }).sqlstate, line: f.range.start.line }));
}

const columnsOf = (schema: SchemaModel, table: string) => [...schema.tables.get(table)!.columns.values()].map((c) => `${c.name} ${c.type}${c.nullable ? '' : ' not null'}`);

describe('materialized views and CREATE TABLE AS', () => {
  before(() => initSqlParser());

  it('names and types the columns of a materialized view as PostgreSQL does', () => {
    const schema = schemaOf(
      TABLES,
      `CREATE MATERIALIZED VIEW customer_totals AS
         SELECT o.customer_id, c.name AS customer, sum(o.total), count(*), max(o.created_at), o.status::text, now() - interval '1 day', coalesce(c.name, '?')
           FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY 1, 2, o.status;`,
    );
    const mv = schema.tables.get('customer_totals')!;
    assert.ok(mv.materialized?.populated);
    assert.deepEqual(columnsOf(schema, 'customer_totals'), [
      'customer_id bigint',
      'customer text',
      'sum unknown',
      'count bigint',
      'max timestamptz',
      'status text',
      '?column? unknown',
      'coalesce unknown',
    ]);
    assert.equal(mv.columnsIncomplete, undefined);
  });

  it('takes the names of a column list, expands * over tables and knows when it cannot', () => {
    const schema = schemaOf(
      TABLES,
      'CREATE MATERIALIZED VIEW named (who, how_much) AS SELECT customer_id, total, status FROM orders WITH NO DATA;',
      'CREATE TABLE orders_copy AS SELECT o.*, 1 AS one FROM orders o;',
      'CREATE MATERIALIZED VIEW through_view AS SELECT * FROM paid_orders;',
    );
    assert.deepEqual(columnsOf(schema, 'named'), ['who bigint', 'how_much numeric', 'status Status']);
    assert.equal(schema.tables.get('named')!.materialized?.populated, false);
    assert.deepEqual(columnsOf(schema, 'orders_copy'), ['id bigint', 'customer_id bigint', 'status Status', 'total numeric', 'created_at timestamptz', 'one unknown']);
    assert.equal(schema.tables.get('orders_copy')!.materialized, undefined, 'CREATE TABLE AS makes a table');
    assert.equal(schema.tables.get('through_view')!.columnsIncomplete, true);
    // Of such a relation, no column is said not to exist.
    const lint = lintMigrationHistory(
      [
        { file: '/w/migrations/1_m/migration.sql', text: `${TABLES}\nCREATE MATERIALIZED VIEW through_view AS SELECT * FROM paid_orders;` },
        { file: '/w/migrations/2_m/migration.sql', text: 'CREATE INDEX through_view_total_idx ON through_view (total);\nALTER MATERIALIZED VIEW through_view RENAME COLUMN total TO amount;' },
      ],
      { report: () => true },
    );
    assert.deepEqual(lint.findings.filter((f) => f.rule === 'unknown-column' || f.rule === 'statement-fails').map((f) => f.message), []);
  });

  it('names columns by PostgreSQL’s strength rules (a CASE by its ELSE, a cast by a strong inner name, else its type)', () => {
    const schema = schemaOf(
      TABLES,
      `CREATE MATERIALIZED VIEW named_by_rules AS SELECT current_role, CASE WHEN true THEN 1 ELSE customer_id END, CASE WHEN true THEN 1 END::text, nullif(total, 1), (CASE WHEN true THEN 1 END) FROM orders;`,
    );
    assert.deepEqual([...schema.tables.get('named_by_rules')!.columns.keys()], ['current_role', 'customer_id', 'text', 'nullif', 'case']);
  });

  it('fails, as PostgreSQL does, on a name given twice or more names than columns; leaves * over a WITH query, an alias’s column list or USING unexpanded', () => {
    assert.deepEqual(failures(TABLES, 'CREATE TABLE both_ids AS SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id;').map((f) => f.sqlstate), ['42701']);
    assert.deepEqual(failures(TABLES, 'CREATE TABLE three (p, q, r) AS SELECT id, total FROM orders;').map((f) => f.sqlstate), ['42601']);
    const schema = schemaOf(
      TABLES,
      'CREATE MATERIALIZED VIEW shadowed AS WITH orders AS (SELECT 1 AS z) SELECT * FROM orders;',
      'CREATE MATERIALIZED VIEW aliased AS SELECT * FROM orders AS t (a, b);',
      'CREATE MATERIALIZED VIEW merged AS SELECT * FROM orders JOIN customers USING (id);',
    );
    for (const name of ['shadowed', 'aliased', 'merged']) assert.equal(schema.tables.get(name)!.columnsIncomplete, true, name);
    assert.ok(!schema.tables.get('shadowed')!.columns.has('id'));
  });

  it('takes the indexes created on it, and a query on it is served by them', () => {
    const schema = schemaOf(
      TABLES,
      `CREATE MATERIALIZED VIEW customer_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
       CREATE UNIQUE INDEX customer_totals_customer_id_key ON customer_totals (customer_id);`,
    );
    const shapes = shapesOf('SELECT total FROM customer_totals WHERE customer_id = $1', schema);
    const [v] = verdictsFor(shapes, schema, opts)[0].accesses;
    assert.equal(v.access.table, 'customer_totals');
    assert.equal(v.best?.index.name, 'customer_totals_customer_id_key');
  });

  it('a REFRESH runs the view’s query: its reads of the tables are a query of the workload', () => {
    const schema = schemaOf(TABLES, "CREATE MATERIALIZED VIEW recent_orders AS SELECT id, total FROM orders WHERE customer_id = 42 AND status = 'PENDING';");
    const [shape] = shapesOf('REFRESH MATERIALIZED VIEW CONCURRENTLY recent_orders;', schema);
    assert.equal(shape.label, 'REFRESH MATERIALIZED VIEW recent_orders (SELECT on orders)');
    assert.deepEqual(
      shape.accesses.map((a) => [a.table, a.predicates.map((p) => (p.atom.kind === 'compare' ? p.atom.column : p.atom.kind)).sort()]),
      [['orders', ['customer_id', 'status']]],
    );
    // The view's query follows its table and columns through renames, as PostgreSQL binds it to them.
    const renamed = schemaOf(TABLES, "CREATE MATERIALIZED VIEW recent_orders AS SELECT id, total FROM orders WHERE customer_id = 42 AND status = 'PENDING';", 'ALTER TABLE orders RENAME TO purchases;', 'ALTER TABLE purchases RENAME COLUMN customer_id TO buyer_id;');
    const [after] = shapesOf('REFRESH MATERIALIZED VIEW recent_orders;', renamed);
    assert.deepEqual(after.accesses.map((a) => [a.table, a.predicates.map((p) => (p.atom.kind === 'compare' ? p.atom.column : p.atom.kind)).sort()]), [['purchases', ['buyer_id', 'status']]]);
    // WITH NO DATA empties it: nothing is read.
    assert.deepEqual(shapesOf('REFRESH MATERIALIZED VIEW recent_orders WITH NO DATA;', schema), []);
  });

  it('follows DROP and RENAME of a materialized view, which DROP TABLE does not touch', () => {
    const base = `${TABLES}\nCREATE MATERIALIZED VIEW mv AS SELECT customer_id FROM orders;\nCREATE INDEX mv_customer_id_idx ON mv (customer_id);`;
    assert.ok(load(base, 'DROP TABLE IF EXISTS mv;').schema.tables.has('mv'));
    assert.deepEqual(failures(base, 'DROP TABLE IF EXISTS mv;').map((f) => f.sqlstate), ['42809']);
    assert.deepEqual(failures(base, 'DROP MATERIALIZED VIEW orders;').map((f) => f.sqlstate), ['42809']);
    assert.ok(!schemaOf(base, 'DROP MATERIALIZED VIEW mv;').tables.has('mv'));
    const renamed = schemaOf(base, 'ALTER MATERIALIZED VIEW mv RENAME TO mv2;', 'ALTER MATERIALIZED VIEW mv2 RENAME COLUMN customer_id TO who;');
    assert.deepEqual(
      renamed.tables.get('mv2')!.indexes.map((i) => [i.table, i.keys[0].column]),
      [['mv2', 'who']],
    );
  });

  it('an index on a materialized view or a CREATE TABLE AS table is no statement that fails', () => {
    assert.deepEqual(
      failures(TABLES, 'CREATE MATERIALIZED VIEW mv AS SELECT customer_id FROM orders;\nCREATE INDEX mv_idx ON mv (customer_id);\nCREATE TABLE t AS SELECT id FROM orders;\nCREATE INDEX t_idx ON t (id);'),
      [],
    );
  });

  it('REFRESH … CONCURRENTLY fails without a unique index on plain columns and with no WHERE, and before the view is filled', () => {
    const mv = 'CREATE MATERIALIZED VIEW mv AS SELECT customer_id, status FROM orders GROUP BY 1, 2;';
    const refresh = 'REFRESH MATERIALIZED VIEW CONCURRENTLY mv;';
    const [noIndex] = failures(TABLES, `${mv}\nCREATE INDEX mv_plain ON mv (customer_id);\n${refresh}`);
    assert.match(noIndex.message, /cannot refresh materialized view "mv" concurrently\. Create a unique index with no WHERE clause/);
    assert.equal(noIndex.sqlstate, '55000');
    assert.equal(noIndex.line, 2);
    assert.equal(failures(TABLES, `${mv}\nCREATE UNIQUE INDEX mv_partial ON mv (customer_id, status) WHERE status = 'PAID';\n${refresh}`).length, 1);
    assert.equal(failures(TABLES, `${mv}\nCREATE UNIQUE INDEX mv_expr ON mv (customer_id, (status::text));\n${refresh}`).length, 1);
    assert.deepEqual(failures(TABLES, `${mv}\nCREATE UNIQUE INDEX mv_key ON mv (customer_id, status);\n${refresh}`), []);

    const empty = 'CREATE MATERIALIZED VIEW mv AS SELECT customer_id FROM orders GROUP BY 1 WITH NO DATA;\nCREATE UNIQUE INDEX mv_key ON mv (customer_id);';
    const [unfilled] = failures(TABLES, `${empty}\n${refresh}`);
    assert.equal(unfilled.sqlstate, '0A000');
    assert.match(unfilled.message, /not populated/);
    // A plain REFRESH fills it (in a later migration too); then CONCURRENTLY works.
    assert.deepEqual(failures(TABLES, empty, `REFRESH MATERIALIZED VIEW mv;\n${refresh}`), []);
    // The failing statement is judged against the history before it: the later fill does not excuse it.
    assert.equal(failures(TABLES, `${empty}\n${refresh}`, 'REFRESH MATERIALIZED VIEW mv;').length, 1);

    // WITH NO DATA empties a filled view again; and it never goes with CONCURRENTLY.
    const filled = `${mv}\nCREATE UNIQUE INDEX mv_key ON mv (customer_id, status);`;
    assert.deepEqual(failures(TABLES, filled, `REFRESH MATERIALIZED VIEW mv WITH NO DATA;\n${refresh}`).map((f) => f.sqlstate), ['0A000']);
    assert.deepEqual(failures(TABLES, filled, 'REFRESH MATERIALIZED VIEW CONCURRENTLY mv WITH NO DATA;').map((f) => f.sqlstate), ['42601']);
    // Of a materialized view in another schema too (the history's snapshot before the REFRESH is not changed by it).
    assert.deepEqual(failures(TABLES, `CREATE SCHEMA r;\nCREATE MATERIALIZED VIEW r.mv AS SELECT customer_id FROM orders GROUP BY 1 WITH NO DATA;\nCREATE UNIQUE INDEX r_mv_key ON r.mv (customer_id);`, 'REFRESH MATERIALIZED VIEW CONCURRENTLY r.mv;\nREFRESH MATERIALIZED VIEW r.mv;').map((f) => f.sqlstate), ['0A000']);
    assert.equal(failures(TABLES, 'ALTER MATERIALIZED VIEW orders RENAME TO orders2;')[0]?.sqlstate, '42809');
    assert.equal(failures(TABLES, 'REFRESH MATERIALIZED VIEW orders;')[0].sqlstate, '42809');
    assert.equal(failures(TABLES, 'REFRESH MATERIALIZED VIEW nowhere;')[0].sqlstate, '42P01');
  });

  it('schema drift leaves a materialized view alone (Prisma Migrate neither creates nor drops one), not a CREATE TABLE AS table', () => {
    const prisma = loadPrismaSchema(
      'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel Order {\n  id BigInt @id\n  @@map("orders")\n}\n',
      '/w/prisma/schema.prisma',
    ).schema;
    const migrations = schemaOf(
      'CREATE TABLE orders (id bigint PRIMARY KEY);',
      'CREATE MATERIALIZED VIEW order_ids AS SELECT id FROM orders;\nCREATE UNIQUE INDEX order_ids_id_key ON order_ids (id);\nCREATE TABLE order_copy AS SELECT id FROM orders;',
    );
    const tables = schemaDrift(prisma, migrations, '/w/prisma/schema.prisma').map((f) => f.table);
    assert.deepEqual(tables, ['order_copy']);
  });

  it('a table renamed in another schema keeps its indexes pointing at it', () => {
    const schema = schemaOf('CREATE SCHEMA auth;\nCREATE TABLE auth.users (id bigint PRIMARY KEY, email text);\nCREATE INDEX users_email_idx ON auth.users (email);\nALTER TABLE auth.users RENAME TO members;');
    assert.deepEqual(
      schema.tables.get('auth.members')!.indexes.map((i) => i.table),
      ['auth.members', 'auth.members'],
    );
  });
});
