/**
 * A DELETE makes PostgreSQL search every table whose foreign key references the deleted table, once per deleted
 * row: without an index led by the key's columns, each search reads the whole referencing table.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Project } from '../../../src/core/project';
import { explainShape } from '../../../src/core/analysis/explainShape';
import { foreignKeySearchSql } from '../../../src/core/analysis/foreignKeyChecks';
import { VerdictMemo, verdictsFor } from '../../../src/core/analysis/verdicts';
import { LineIndex } from '../../../src/core/model/location';
import { loadPrismaSchema } from '../../../src/core/schema/prisma/loadPrismaSchema';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { extractFromTypeScript } from '../../../src/core/sources/typescript/extract';
import { initSqlParser } from '../../../src/core/sql/parser';
import type { Finding } from '../../../src/core/model/finding';
import type { MatcherOptions } from '../../../src/core/matcher/options';
import type { SchemaModel } from '../../../src/core/model/schema';
import { unindexedForeignKey } from '../../../src/core/rules/unindexedForeignKey';
import { missingFindings, options, schemaFrom } from '../matcher/harness';

/** unindexed-foreign-key's findings for SQL texts, each in its own file (`q0.sql`, `q1.sql`, …). */
function keyFindings(schema: SchemaModel, sqls: string | string[], opts: MatcherOptions): Finding[] {
  const shapes = [sqls].flat().flatMap((sql, i) => shapesFromSqlText(sql, { file: `q${i}.sql`, origin: 'sql-file', lines: new LineIndex(sql), schema }).shapes);
  return unindexedForeignKey.run({ schema, verdicts: verdictsFor(shapes, schema, opts), options: opts });
}

const DDL = `
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), total numeric NOT NULL);
CREATE TABLE shipments (id bigint PRIMARY KEY, order_id bigint NOT NULL, carrier text NOT NULL,
  CONSTRAINT shipments_order_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE);
CREATE INDEX shipments_order_id_idx ON shipments (order_id);
CREATE TABLE regions (country text NOT NULL, code text NOT NULL, PRIMARY KEY (country, code));
CREATE TABLE stores (id bigint PRIMARY KEY, country text NOT NULL, code text NOT NULL, FOREIGN KEY (country, code) REFERENCES regions (country, code));
`;
const opts = options({ users: 100_000, orders: 1_000_000, shipments: 1_000_000, regions: 1_000, stores: 50_000 });

describe('foreign-key searches of a DELETE', () => {
  before(() => initSqlParser());

  it('proposes an index on an unindexed foreign key of a table the workspace deletes from, at the key, and says why', () => {
    const findings = keyFindings(schemaFrom(DDL), 'DELETE FROM users WHERE id = $1', opts);
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f.rule, 'unindexed-foreign-key');
    assert.equal(f.severity, 'warning');
    assert.match(f.fix!.sql!, /ON "orders" \("user_id"\)/);
    assert.match(f.message, /each row deleted from "users" makes PostgreSQL search "orders" by "user_id"/);
    assert.match(f.message, /One DELETE in the workspace makes this search/);
    // At the CREATE TABLE that declares the key (the third statement of DDL, on line 3), the DELETE related.
    assert.deepEqual([f.file, f.range.start.line], ['schema.sql', 2]);
    assert.deepEqual(f.related.map((r) => [r.file, r.message]), [['q0.sql', 'Deletes ~1 row from "users"']]);
    // missing-index leaves the search to this rule.
    assert.deepEqual(missingFindings(schemaFrom(DDL), 'DELETE FROM users WHERE id = $1', opts), []);
  });

  it('counts a search per deleted row: a DELETE of many rows makes a small table’s key worth a warning', () => {
    // 1,000 stores: one search reads ~1,000 rows, under the warning threshold when a DELETE removes one region.
    const small = options({ ...opts.rows, regions: 10_000, stores: 1_000 });
    const [one] = keyFindings(schemaFrom(DDL), 'DELETE FROM regions WHERE country = $1 AND code = $2', small);
    assert.equal(one.severity, 'info', one.message);
    assert.doesNotMatch(one.message, /searches, each/);
    assert.deepEqual(one.related.map((r) => r.message), ['Deletes ~1 row from "regions"']);
    // A country's regions: each deleted row searches the stores again.
    const [many] = keyFindings(schemaFrom(DDL), 'DELETE FROM regions WHERE country = $1', small);
    assert.equal(many.severity, 'warning');
    const m = /The largest deletes ~(\d+) rows: ~(\d+) searches, each reading ~1000 rows/.exec(many.message);
    assert.ok(m, many.message);
    assert.equal(m[1], m[2]);
    assert.ok(Number(m[1]) > 1);
    assert.deepEqual(many.related.map((r) => r.message), [`Deletes ~${m[1]} rows from "regions"`]);
  });

  it('reports a key once however many DELETEs search it, each DELETE a related location', () => {
    const deletes = ['DELETE FROM users WHERE id = $1', 'DELETE FROM users WHERE email = $1', `SELECT 1;\nDELETE FROM users WHERE id = ANY($1)`];
    const findings = keyFindings(schemaFrom(DDL), deletes, opts);
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /3 DELETE statements in the workspace make this search/);
    assert.deepEqual(findings[0].related.map((r) => [r.file, r.range.start.line]), [['q0.sql', 0], ['q1.sql', 0], ['q2.sql', 1]]);
  });

  it('without a declaration to point at (a key read from the database), reports at the first DELETE and relates the others', () => {
    const schema = schemaFrom(DDL);
    for (const fk of schema.tables.get('orders')!.foreignKeys) delete fk.location;
    const [f] = keyFindings(schema, ['SELECT 1;\nDELETE FROM users WHERE id = $1', 'DELETE FROM users WHERE id = $2'], opts);
    assert.deepEqual([f.file, f.range.start.line], ['q0.sql', 1]);
    assert.match(f.message, /This DELETE and 1 other in the workspace make this search/);
    assert.deepEqual(f.related.map((r) => r.file), ['q1.sql']);
  });

  it('anchors each key at its own line of the CREATE TABLE, where a comment silences that key alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgir-fk-lines-'));
    try {
      mkdirSync(join(dir, 'migrations', '001_init'), { recursive: true });
      const migration = [
        'CREATE TABLE users (id bigint PRIMARY KEY);',
        'CREATE TABLE shops (id bigint PRIMARY KEY);',
        'CREATE TABLE orders (',
        '  id bigint PRIMARY KEY,',
        '  user_id bigint NOT NULL REFERENCES users (id),',
        '  shop_id bigint NOT NULL REFERENCES shops (id), -- pg-index-review-ignore unindexed-foreign-key',
        '  seller_id bigint NOT NULL,',
        '  -- pg-index-review-ignore unindexed-foreign-key',
        '  CONSTRAINT orders_seller_fk FOREIGN KEY (seller_id) REFERENCES users (id),',
        '  CONSTRAINT orders_shop2_fk FOREIGN KEY (shop_id) REFERENCES shops (id)',
        ');',
      ].join('\n');
      writeFileSync(join(dir, 'migrations', '001_init', 'migration.sql'), migration);
      writeFileSync(join(dir, 'queries.sql'), 'DELETE FROM users WHERE id = $1;\nDELETE FROM shops WHERE id = $1;\n');
      writeFileSync(join(dir, 'pg-index-review.json'), JSON.stringify({ rows: { users: 100_000, shops: 1_000, orders: 2_000_000 } }));
      const project = await Project.open(dir);
      const found = project.analyze().findings.filter((f) => f.rule === 'unindexed-foreign-key');
      // Line 6's key is silenced by its own line's comment, line 9's by the comment above it: lines 5 and 10 are left.
      assert.deepEqual(found.map((f) => [f.range.start.line + 1, f.range.start.character]), [[5, 2], [10, 2]]);
      assert.deepEqual(found.map((f) => f.related.map((r) => r.range.start.line + 1)), [[1], [2]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after edits, relates the DELETEs the workspace makes now, the same as a fresh analysis', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgir-fk-edits-'));
    try {
      mkdirSync(join(dir, 'migrations', '001_init'), { recursive: true });
      writeFileSync(join(dir, 'migrations', '001_init', 'migration.sql'), DDL);
      writeFileSync(join(dir, 'a.sql'), 'DELETE FROM users WHERE id = $1;\n');
      writeFileSync(join(dir, 'b.sql'), 'SELECT * FROM users WHERE id = $1;\n');
      writeFileSync(join(dir, 'pg-index-review.json'), JSON.stringify({ rows: { users: 100_000, orders: 1_000_000, shipments: 1_000_000 } }));
      const project = await Project.open(dir);
      const keyFindingsOf = (p: Project) => p.analyze().findings.filter((f) => f.rule === 'unindexed-foreign-key');
      const sites = (p: Project) => keyFindingsOf(p).map((f) => f.related.map((r) => `${r.file.slice(dir.length + 1)}:${r.range.start.line}`));
      assert.deepEqual(sites(project), [['a.sql:0']]);
      const edits: [string, string][] = [
        ['b.sql', 'SELECT * FROM users WHERE id = $1;\nDELETE FROM users WHERE email = $1;\n'],
        ['a.sql', 'DELETE FROM users WHERE id > $1;\n'],
        ['b.sql', 'SELECT * FROM users WHERE id = $1;\n'],
        ['a.sql', 'SELECT 1;\n'],
      ];
      const seen: unknown[] = [];
      for (const [file, text] of edits) {
        writeFileSync(join(dir, file), text);
        project.updateFile(join(dir, file), text);
        const now = keyFindingsOf(project);
        assert.deepEqual(now, keyFindingsOf(await Project.open(dir)), `after the edit of ${file}`);
        seen.push(sites(project));
      }
      assert.deepEqual(seen, [[['a.sql:0', 'b.sql:1']], [['a.sql:0', 'b.sql:1']], [['a.sql:0']], []]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets go of the DELETEs a key is no longer searched by', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const dir = mkdtempSync(join(tmpdir(), 'pgir-fk-release-'));
    try {
      mkdirSync(join(dir, 'migrations', '001_init'), { recursive: true });
      writeFileSync(join(dir, 'migrations', '001_init', 'migration.sql'), DDL);
      writeFileSync(join(dir, 'a.sql'), 'DELETE FROM users WHERE id = $1;\n');
      writeFileSync(join(dir, 'pg-index-review.json'), JSON.stringify({ rows: { users: 100_000, orders: 1_000_000 } }));
      const project = await Project.open(dir);
      let deleted: WeakRef<object> | undefined;
      (() => {
        const r = project.analyze();
        assert.equal(r.findings.filter((f) => f.rule === 'unindexed-foreign-key').length, 1);
        deleted = new WeakRef(r.verdicts.find((v) => v.shape.location.file.endsWith('a.sql'))!.shape);
      })();
      project.updateFile(join(dir, 'a.sql'), 'SELECT 1;\n');
      assert.equal(project.analyze().findings.filter((f) => f.rule === 'unindexed-foreign-key').length, 0);
      for (let i = 0; i < 5 && deleted.deref(); i++) {
        await new Promise((resolve) => setImmediate(resolve));
        gc();
      }
      assert.equal(deleted.deref(), undefined, 'the DELETE that is gone is still held');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the DELETE whose rows make the search when a statement deletes from two tables', () => {
    const ddl = `CREATE TABLE users (id bigint PRIMARY KEY);
      CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE);
      CREATE INDEX orders_user_id_idx ON orders (user_id);
      CREATE TABLE notes (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
      CREATE TABLE lines (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));`;
    const o = options({ users: 100_000, orders: 1_000_000, notes: 1_000_000, lines: 5_000_000 });
    const two = 'WITH a AS (DELETE FROM lines WHERE id = $1 RETURNING id), b AS (DELETE FROM users WHERE id = $2 RETURNING id) SELECT 1';
    const byTable = new Map(keyFindings(schemaFrom(ddl), two, o).map((f) => [f.table, f.related.map((r) => r.message)]));
    assert.deepEqual(byTable.get('notes'), ['Deletes ~1 row from "users"']);
    assert.deepEqual(byTable.get('lines'), ['Deletes ~1 row from "users"; ON DELETE CASCADE deletes from "orders"']);
  });

  it('finds the index a foreign key already has, and asks nothing of a table no key references', () => {
    assert.deepEqual(keyFindings(schemaFrom(DDL), 'DELETE FROM orders WHERE total = 0', opts), []);
    const schema = schemaFrom(DDL);
    const sql = 'DELETE FROM orders WHERE id = $1';
    const { shapes } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
    const checks = verdictsFor(shapes, schema, opts)[0].accesses.filter((v) => v.access.foreignKeyCheck);
    assert.deepEqual(checks.map((v) => [v.access.table, v.best?.index.name]), [['shipments', 'shipments_order_id_idx']]);
    assert.match(checks[0].reason, /foreign key "shipments_order_fkey"/);
    // explain-shape's JSON marks the search: a table the statement does not name.
    assert.deepEqual(explainShape(sql, schema, opts).statements[0].tables.map((t) => [t.table, t.foreignKey]), [['orders', undefined], ['shipments', 'shipments_order_fkey']]);
    assert.equal(verdictsFor(shapesFromSqlText('DELETE FROM shipments WHERE id = $1', { file: 'q.sql', origin: 'sql-file', lines: new LineIndex('x'), schema }).shapes, schema, opts)[0].accesses.length, 1);
  });

  it('searches by every column of a composite key', () => {
    const [f] = keyFindings(schemaFrom(DDL), `DELETE FROM regions WHERE country = 'NZ'`, opts);
    assert.ok(/ON "stores" \("country", "code"\)/.test(f.fix!.sql!) || /ON "stores" \("code", "country"\)/.test(f.fix!.sql!), f.fix!.sql);
  });

  it('searches once per key however often a statement deletes from the table, reads the rows (never index-only), and as the same search through the memo', () => {
    const schema = schemaFrom(DDL);
    const sql = 'WITH a AS (DELETE FROM users WHERE id = $1 RETURNING id), b AS (DELETE FROM users WHERE id = $2 RETURNING id) SELECT * FROM a, b';
    const { shapes } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
    const direct = verdictsFor(shapes, schema, opts)[0].accesses.filter((v) => v.access.foreignKeyCheck);
    assert.deepEqual(direct.map((v) => v.access.table), ['orders']);
    const withIndex = schemaFrom(`${DDL} CREATE INDEX orders_user_id_idx ON orders (user_id);`);
    const memo = new VerdictMemo(withIndex, opts).verdictOf(shapesFromSqlText('DELETE FROM users WHERE id = $1', { file: 'q.sql', origin: 'sql-file', lines: new LineIndex('x'), schema: withIndex }).shapes[0]);
    const check = memo.accesses.find((v) => v.access.foreignKeyCheck)!;
    assert.equal(check.best?.index.name, 'orders_user_id_idx');
    assert.equal(check.best?.indexOnly, false);
    assert.equal(foreignKeySearchSql(check.access), 'SELECT 1 FROM ONLY "orders" x WHERE "user_id" = $1 FOR KEY SHARE OF x');
  });

  it('follows ON DELETE CASCADE: the rows a cascade deletes make their own searches, each table expanded once', () => {
    const ddl = `
      CREATE TABLE users (id bigint PRIMARY KEY);
      CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE);
      CREATE INDEX orders_user_id_idx ON orders (user_id);
      CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));
      CREATE TABLE employees (id bigint PRIMARY KEY, manager_id bigint REFERENCES employees (id) ON DELETE CASCADE, user_id bigint REFERENCES users (id) ON DELETE CASCADE);`;
    const findings = keyFindings(schemaFrom(ddl), 'DELETE FROM users WHERE id = $1', options({ users: 100_000, orders: 1_000_000, order_lines: 5_000_000, employees: 50_000 }));
    const proposed = findings.map((f) => f.fix!.sql!.replace(/^.* ON /, '')).sort();
    assert.deepEqual(proposed, ['"employees" ("manager_id");', '"employees" ("user_id");', '"order_lines" ("order_id");']);
    const lines = findings.find((f) => /order_lines/.test(f.fix!.sql!))!;
    assert.match(lines.message, /each row deleted from "orders" makes PostgreSQL search "order_lines"/);
    assert.deepEqual(lines.related.map((r) => r.message), ['Deletes ~1 row from "users"; ON DELETE CASCADE deletes from "orders"']);
    // Many users deleted: each of their orders makes a search, so the users are a lower bound.
    const [many] = keyFindings(schemaFrom(ddl), 'DELETE FROM users WHERE id > $1', options({ users: 100_000, orders: 1_000_000, order_lines: 5_000_000, employees: 50_000 })).filter((f) => /order_lines/.test(f.fix!.sql!));
    assert.match(many.message, /The largest deletes ~[\d.,k]+ rows: at least ~[\d.,k]+ searches/);
  });

  it('only for a DELETE: a read, an update or an insert of the referenced table searches nothing', () => {
    for (const sql of ['SELECT * FROM users WHERE id = $1', 'UPDATE users SET email = $2 WHERE id = $1', 'INSERT INTO users (id, email) VALUES ($1, $2)']) {
      assert.deepEqual(keyFindings(schemaFrom(DDL), sql, opts), [], sql);
    }
  });

  it('for a Prisma delete as for SQL', () => {
    const { schema } = loadPrismaSchema(
      `datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel User {\n  id    String  @id\n  posts Post[]\n}\nmodel Post {\n  id       String @id\n  authorId String\n  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)\n}\n`,
      'schema.prisma',
    );
    const text = `export const drop = (id: string) => prisma.user.delete({ where: { id } })\n`;
    const { shapes } = extractFromTypeScript(text, 'users.ts', schema);
    const o = options({ User: 100_000, Post: 1_000_000 });
    const findings = unindexedForeignKey.run({ schema, verdicts: verdictsFor(shapes, schema, o), options: o });
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /search "Post" by "authorId"/);
    assert.match(findings[0].fix!.prisma ?? '', /@@index\(\[authorId\]\)/);
    // At the relation field that declares the key (line 12 of the schema), the call related.
    assert.deepEqual([findings[0].file, findings[0].range.start.line], ['schema.prisma', 11]);
    assert.deepEqual(findings[0].related.map((r) => [r.file, r.range.start.line]), [['users.ts', 0]]);
  });
});
