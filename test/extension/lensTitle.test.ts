/** The code lens's few words (src/extension/present.ts): a DELETE's foreign-key searches are not tables it names. */
import assert from 'node:assert/strict';
import { verdictsFor } from '../../src/core/analysis/verdicts';
import { LineIndex } from '../../src/core/model/location';
import { assessMissingIndex } from '../../src/core/rules/missingIndex';
import { shapesFromSqlText } from '../../src/core/shapes/fromSql';
import { initSqlParser } from '../../src/core/sql/parser';
import { hoverMarkdown, lensTitle } from '../../src/extension/present';
import { lmsSchema } from '../core/typescript/schemaFixture';
import { extractFromTypeScript } from '../../src/core/sources/typescript/extract';
import { options, schemaFrom } from '../core/matcher/harness';

const DDL = `
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id));
CREATE INDEX orders_user_id_idx ON orders (user_id);
CREATE TABLE notes (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id));
`;

function title(sql: string, ddl: string): string {
  const schema = schemaFrom(ddl);
  const opts = options({ users: 100_000, orders: 1_000_000, notes: 1_000_000 });
  const { shapes } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
  const verdicts = verdictsFor(shapes, schema, opts);
  return lensTitle(verdicts[0], (v) => assessMissingIndex(v, { schema, verdicts, options: opts }));
}

describe('code lens title', () => {
  before(() => initSqlParser());

  it("names the deleted table's own path and counts its foreign-key searches apart", () => {
    const ddl = DDL.replace(/CREATE TABLE notes[^\n]*\n/, '');
    assert.equal(title('DELETE FROM users WHERE id = $1', ddl), '✓ users: users_pkey; 1 foreign key searched');
  });

  it('leads with an unindexed foreign key when there is one', () => {
    assert.match(title('DELETE FROM users WHERE id = $1', DDL), /^⚠ notes: seq scan ~1M rows → index proposed/);
  });

  it('says when the table is read by a parallel sequential scan, in the lens and the hover', () => {
    assert.match(title('SELECT id FROM notes WHERE user_id > $1 ORDER BY user_id LIMIT 10', DDL), /^⚠ notes: parallel seq scan ~1M rows \+ sort → index proposed/);
    const schema = schemaFrom(DDL);
    const opts = options({ users: 100_000, orders: 1_000_000, notes: 1_000_000 });
    const sql = 'SELECT id FROM notes WHERE user_id = $1';
    const { shapes } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
    const verdicts = verdictsFor(shapes, schema, opts);
    assert.match(hoverMarkdown(verdicts[0], () => undefined, ''), /\*\*notes\*\* ~1M rows: no index — sequential scan in parallel \(2 workers\)/);
  });

  it('says a Prisma call whose model is chosen at run time is not analysed', () => {
    const text = 'export const f = (model: string, id: string) => prisma[model].findUnique({ where: { id } });';
    const schema = lmsSchema();
    const { shapes } = extractFromTypeScript(text, 'a.ts', schema);
    const [sv] = verdictsFor(shapes, schema, options({}));
    assert.equal(lensTitle(sv, () => undefined), '? not analysed: its model is chosen at run time');
    assert.match(hoverMarkdown(sv, () => undefined, ''), /Not analysed: its model is chosen at run time/);
  });
});

