/**
 * GIN on jsonb and array columns: `@>`, `<@`, `&&`, `?`, `?|`, `?&` are served by the operator class of the key
 * (jsonb_ops, jsonb_path_ops, array_ops), and a missing one is proposed with the class the tests need.
 */
import assert from 'node:assert/strict';
import { verdictsFor } from '../../../src/core/analysis/verdicts';
import { LineIndex } from '../../../src/core/model/location';
import { missingIndex } from '../../../src/core/rules/missingIndex';
import { unusedByWorkload } from '../../../src/core/rules/unusedByWorkload';
import { loadPrismaSchema } from '../../../src/core/schema/prisma/loadPrismaSchema';
import { shapesFromSqlText } from '../../../src/core/shapes/fromSql';
import { extractFromTypeScript } from '../../../src/core/sources/typescript/extract';
import { initSqlParser } from '../../../src/core/sql/parser';
import { missingFindings, options, schemaFrom, verdict } from './harness';

const DDL = `
CREATE TABLE events (id bigint PRIMARY KEY, meta jsonb NOT NULL, tags text[] NOT NULL, body text NOT NULL);
CREATE INDEX events_tags_idx ON events USING gin (tags);
CREATE INDEX events_meta_path_idx ON events USING gin (meta jsonb_path_ops);
`;
const opts = options({ events: 5_000_000 });

describe('GIN on jsonb and arrays', () => {
  before(() => initSqlParser());

  it('reads @>, <@, &&, ? as tests of their column, the commuted form as the column on the left', () => {
    const schema = schemaFrom(DDL);
    const sql = `SELECT * FROM events WHERE meta @> $1 AND $2 <@ tags AND meta ? 'k' AND tags && ARRAY['a']`;
    const { shapes } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
    assert.deepEqual(
      shapes[0].accesses[0].predicates.map((p) => (p.atom.kind === 'other' ? p.atom.contains : undefined)),
      [{ column: 'meta', op: '@>' }, { column: 'tags', op: '@>' }, { column: 'meta', op: '?' }, { column: 'tags', op: '&&' }],
    );
  });

  it('uses a GIN index whose operator class serves the operator, and only then', () => {
    const schema = schemaFrom(DDL);
    assert.equal(verdict(schema, 'SELECT * FROM events WHERE meta @> $1', opts).best?.index.name, 'events_meta_path_idx');
    assert.equal(verdict(schema, 'SELECT * FROM events WHERE tags && $1', opts).best?.index.name, 'events_tags_idx');
    assert.equal(verdict(schema, 'SELECT * FROM events WHERE $1 <@ tags', opts).best?.index.name, 'events_tags_idx');
    // jsonb_path_ops has no key-existence operator; array_ops has no `?`.
    const exists = verdict(schema, `SELECT * FROM events WHERE meta ? 'k'`, opts);
    assert.equal(exists.best, undefined);
    assert.equal(exists.candidates.find((c) => c.index.name === 'events_meta_path_idx')!.reason, 'no @>, @?, @@ on "meta"');
    // jsonb's default class (jsonb_ops) serves it.
    const withOps = schemaFrom(`${DDL} CREATE INDEX events_meta_idx ON events USING gin (meta);`);
    assert.equal(verdict(withOps, `SELECT * FROM events WHERE meta ?| $1`, opts).best?.index.name, 'events_meta_idx');
    // A text column is no jsonb: an `@>` on it is nothing a GIN key of another column serves.
    assert.equal(verdict(schema, `SELECT * FROM events WHERE body @> $1`, opts).best, undefined);
  });

  it('proposes GIN with jsonb_path_ops for @> alone, the default class for key existence, and the Prisma attribute', () => {
    const bare = schemaFrom('CREATE TABLE events (id bigint PRIMARY KEY, meta jsonb NOT NULL, tags text[] NOT NULL);');
    const [contains] = missingFindings(bare, 'SELECT * FROM events WHERE meta @> $1', opts);
    assert.match(contains.fix!.sql!, /ON "events" USING gin \("meta" jsonb_path_ops\)/);
    const [exists] = missingFindings(bare, `SELECT * FROM events WHERE meta @> $1 AND meta ? 'k'`, opts);
    assert.match(exists.fix!.sql!, /ON "events" USING gin \("meta"\);/);
    const [overlap] = missingFindings(bare, 'SELECT * FROM events WHERE tags && $1', opts);
    assert.match(overlap.fix!.sql!, /ON "events" USING gin \("tags"\);/);

    const { schema } = loadPrismaSchema(
      `datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\nmodel Event {\n  id   String   @id\n  meta Json\n  tags String[]\n}\n`,
      'schema.prisma',
    );
    const text = `export const a = (t: string) => prisma.event.findMany({ where: { tags: { hasSome: [t] }, meta: { array_contains: [t] } } })\n`;
    const { shapes } = extractFromTypeScript(text, 'events.ts', schema);
    assert.deepEqual(
      shapes[0].accesses[0].predicates.map((p) => (p.atom.kind === 'other' ? p.atom.contains : undefined)),
      [{ column: 'tags', op: '&&' }, { column: 'meta', op: '@>' }],
    );
    const o = options({ Event: 5_000_000 });
    const findings = missingIndex.run({ schema, verdicts: verdictsFor(shapes, schema, o), options: o });
    assert.deepEqual(findings.map((f) => f.fix?.prisma), ['@@index([tags], type: Gin)']);
    // A field reference compares two columns (`x = ANY(tags)`): no containment test.
    const ref = extractFromTypeScript(`export const c = () => prisma.event.findMany({ where: { tags: { has: prisma.event.fields.id } } })\n`, 'r.ts', schema);
    assert.equal(ref.shapes[0].accesses[0].predicates.map((p) => (p.atom.kind === 'other' ? p.atom.contains : 'x'))[0], undefined);
    const jsonOnly = extractFromTypeScript(`export const b = (m: object) => prisma.event.findMany({ where: { meta: { array_contains: m } } })\n`, 'e.ts', schema);
    const [json] = missingIndex.run({ schema, verdicts: verdictsFor(jsonOnly.shapes, schema, o), options: o });
    assert.equal(json.fix?.prisma, '@@index([meta(ops: JsonbPathOps)], type: Gin)');
  });

  it('takes && as matching twice the rows @> does (DEFAULT_OVERLAP_SEL): a selective B-tree then wins', () => {
    const schema = schemaFrom(`${DDL} ALTER TABLE events ADD COLUMN tenant_id bigint NOT NULL; CREATE INDEX events_tenant_idx ON events (tenant_id);`);
    const overlap = verdict(schema, 'SELECT * FROM events WHERE tags && $1', opts);
    const contains = verdict(schema, 'SELECT * FROM events WHERE tags @> $1', opts);
    assert.equal(overlap.best?.rowsRead, 2 * contains.best!.rowsRead);
    assert.equal(verdict(schema, 'SELECT * FROM events WHERE tenant_id = $1 AND tags && $2', opts).best?.index.name, 'events_tenant_idx');
  });

  it('reads a cast on the column as no test of it, and jsonpath @? as one', () => {
    const schema = schemaFrom(DDL);
    assert.equal(verdict(schema, 'SELECT * FROM events WHERE meta::jsonb @> $1', opts).best, undefined);
    assert.equal(verdict(schema, `SELECT * FROM events WHERE meta @? '$.a'`, opts).best?.index.name, 'events_meta_path_idx');
    const intarray = schemaFrom('CREATE TABLE s (id bigint PRIMARY KEY, ids int[] NOT NULL); CREATE INDEX s_ids ON s USING gin (ids gin__int_ops);');
    assert.equal(verdict(intarray, 'SELECT * FROM s WHERE ids && $1', options({ s: 5_000_000 })).best?.index.name, 's_ids');
  });

  it('proposes for the most selective column its type can serve', () => {
    const bare = schemaFrom('CREATE TABLE events (id bigint PRIMARY KEY, meta jsonb NOT NULL, tags text[] NOT NULL, created_at timestamptz NOT NULL);');
    // jsonb's <@ is served by no class: the array test gets the index.
    const [mixed] = missingFindings(bare, 'SELECT * FROM events WHERE meta <@ $1 AND tags @> $2', opts);
    assert.match(mixed.fix!.sql!, /USING gin \("tags"\)/);
  });

  it('serves a jsonb value taken from a column (`meta -> \'tags\'`) by a GIN index on that expression, and proposes one', () => {
    const schema = schemaFrom(`${DDL} CREATE INDEX events_meta_tags_idx ON events USING gin ((meta -> 'tags'));`);
    assert.equal(verdict(schema, `SELECT * FROM events WHERE meta -> 'tags' @> $1`, opts).best?.index.name, 'events_meta_tags_idx');
    // `->>` gives text: no containment test.
    assert.equal(verdict(schema, `SELECT * FROM events WHERE (meta ->> 'tags') = $1`, opts).best, undefined);
    const [f] = missingFindings(schema, `SELECT * FROM events WHERE meta #> '{a,b}' @> $1`, opts);
    assert.match(f.fix!.sql!, /USING gin \(\(\(meta #> '\{a,b\}'\)\) jsonb_path_ops\);$/);
    // The proposal, created, serves the query.
    const withIt = schemaFrom(`${DDL} ${f.fix!.sql!.replace(' CONCURRENTLY IF NOT EXISTS', '')}`);
    assert.equal(verdict(withIt, `SELECT * FROM events WHERE meta #> '{a,b}' @> $1`, opts).best?.index.name, f.index);
  });

  it('proposes a B-tree on an expression as an expression key, not a column of that name', () => {
    const schema = schemaFrom('CREATE TABLE people (id bigint PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL);');
    const o = options({ people: 1_000_000 });
    const [f] = missingFindings(schema, 'SELECT * FROM people WHERE lower(email) = $1 ORDER BY created_at DESC LIMIT 5', o);
    assert.equal(f.fix!.sql!, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "people_lower_email_created_at_idx" ON "people" ((lower(email)), "created_at" DESC);');
    const withIt = schemaFrom(`CREATE TABLE people (id bigint PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL); ${f.fix!.sql!.replace(' CONCURRENTLY IF NOT EXISTS', '')}`);
    const v = verdict(withIt, 'SELECT * FROM people WHERE lower(email) = $1 ORDER BY created_at DESC LIMIT 5', o);
    assert.equal(v.best?.index.name, 'people_lower_email_created_at_idx');
    assert.equal(v.sortAvoided, true);
  });

  it('counts a GIN index a containment query uses as used by the workload, on an expression too', () => {
    const schema = schemaFrom(`${DDL} CREATE INDEX events_meta_tags_idx ON events USING gin ((meta -> 'tags'));`);
    const sql = `SELECT id FROM events WHERE meta @> $1; SELECT id FROM events WHERE meta -> 'tags' @> $1`;
    const { shapes } = shapesFromSqlText(sql, { file: 'q.sql', origin: 'sql-file', lines: new LineIndex(sql), schema });
    const unused = unusedByWorkload.run({ schema, verdicts: verdictsFor(shapes, schema, opts), options: opts }).map((f) => f.index);
    assert.ok(!unused.includes('events_meta_path_idx'), unused.join());
    assert.ok(!unused.includes('events_meta_tags_idx'), unused.join());
    assert.ok(unused.includes('events_tags_idx'), unused.join());
  });
});
