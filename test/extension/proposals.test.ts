/** The "Add index" of a query: a finding at the query, else an unindexed foreign key the query (a DELETE) searches. */
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/model/finding';
import type { Range } from '../../src/core/model/location';
import { proposalIn, proposalsTouching } from '../../src/extension/features/proposals';

const at = (line: number, from = 0, to = 40): Range => ({ start: { line, character: from }, end: { line, character: to } });
const within = (outer: Range) => (r: Range) => r.start.line >= outer.start.line && r.end.line <= outer.end.line;
const finding = (over: Partial<Finding>): Finding => ({ rule: 'missing-index', severity: 'warning', message: '', file: 'a.ts', range: at(0), related: [], fix: { sql: 'CREATE INDEX x ON t (c);' }, ...over });

describe('extension: the index proposal of a query', () => {
  const key = finding({ rule: 'unindexed-foreign-key', file: 'migration.sql', range: at(4), related: [{ file: 'a.ts', range: at(7), message: 'Deletes from "users"' }, { file: 'b.ts', range: at(2), message: 'Deletes from "users"' }] });
  const here = finding({ range: at(3) });
  const redundant = finding({ rule: 'redundant-index', range: at(7) });

  it('prefers a proposal at the query, and takes no finding that proposes no index', () => {
    assert.equal(proposalIn([key, here, redundant], 'a.ts', within(at(3)))?.finding, here);
    assert.equal(proposalIn([redundant], 'a.ts', within(at(7))), undefined);
  });

  it('finds an unindexed foreign key through the DELETEs related to it, and says where in this file', () => {
    const found = proposalIn([here, key, redundant], 'a.ts', within(at(7)));
    assert.equal(found?.finding, key);
    assert.deepEqual(found?.range, at(7));
    assert.deepEqual(proposalIn([key], 'b.ts', within(at(2)))?.range, at(2));
    assert.equal(proposalIn([key], 'c.ts', within(at(7))), undefined);
    assert.equal(proposalIn([{ ...key, fix: undefined }], 'a.ts', within(at(7))), undefined);
  });

  it('gathers once the findings a file can show: its own proposals and the keys its DELETEs search', () => {
    const elsewhere = finding({ file: 'c.ts' });
    assert.deepEqual(proposalsTouching([key, here, redundant, elsewhere], 'a.ts'), [key, here]);
    assert.deepEqual(proposalsTouching([key, here, redundant, elsewhere], 'b.ts'), [key]);
  });
});
