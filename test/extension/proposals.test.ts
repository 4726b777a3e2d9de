/** The "Add index" of a query: a finding at the query, else an unindexed foreign key the query (a DELETE) searches. */
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/model/finding';
import type { Range } from '../../src/core/model/location';
import { FileProposals, proposalIn } from '../../src/extension/features/proposals';

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

  it('by line (the code lenses): the same cases', () => {
    const lookup = (findings: Finding[], file: string, r: Range) => new FileProposals(findings, file).within(r.start.line, r.end.line, within(r));
    assert.equal(lookup([key, here, redundant], 'a.ts', at(3))?.finding, here);
    assert.equal(lookup([redundant], 'a.ts', at(7)), undefined);
    assert.equal(lookup([here, key, redundant], 'a.ts', at(7))?.finding, key);
    assert.deepEqual(lookup([key], 'b.ts', at(2))?.range, at(2));
    assert.equal(lookup([key], 'c.ts', at(7)), undefined);
    assert.equal(lookup([{ ...key, fix: undefined }], 'a.ts', at(7)), undefined);
  });

  it('by line: what proposalIn finds, for random findings and queries (several proposals a line, keys searched from many places)', () => {
    // mulberry32, seeded: the same cases on every run.
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    };
    const files = ['a.ts', 'b.ts', 'm.sql'];
    const span = (near?: number): Range => {
      const line = near === undefined ? rnd(60) : near + rnd(2);
      return { start: { line, character: rnd(30) }, end: { line: line + rnd(3), character: rnd(30) } };
    };
    const contains = (outer: Range) => (r: Range) =>
      (r.start.line > outer.start.line || (r.start.line === outer.start.line && r.start.character >= outer.start.character)) &&
      (r.end.line < outer.end.line || (r.end.line === outer.end.line && r.end.character <= outer.end.character));
    let found = 0;
    for (let round = 0; round < 40; round++) {
      const findings: Finding[] = [];
      for (let i = 0; i < 60; i++) {
        // Every other round has no missing-index finding: in a.ts and b.ts the keys' DELETEs decide alone.
        const kind = round % 2 ? rnd(4) : 1 + 2 * rnd(2);
        const file = files[rnd(files.length)];
        if (kind === 0) findings.push(finding({ file, range: span() }));
        else if (kind === 1) findings.push(finding({ rule: 'redundant-index', file, range: span() }));
        else if (kind === 2) findings.push(finding({ file, range: span(), fix: rnd(2) ? undefined : { sql: 'CREATE INDEX y ON t (d);' } }));
        else {
          // DELETEs close together: one key searched twice within a query's lines.
          const near = rnd(60);
          const related = Array.from({ length: 1 + rnd(4) }, () => ({ file: files[rnd(2)], range: span(near), message: 'Deletes' }));
          findings.push(finding({ rule: 'unindexed-foreign-key', file: 'm.sql', range: span(), related }));
        }
      }
      for (const file of files) {
        const byLine = new FileProposals(findings, file);
        for (let q = 0; q < 40; q++) {
          const query = span();
          const want = proposalIn(findings, file, contains(query));
          const got = byLine.within(query.start.line, query.end.line, contains(query));
          assert.equal(got?.finding, want?.finding, `round ${round}, ${file}, query ${JSON.stringify(query)}`);
          assert.equal(got?.range, want?.range);
          if (want) found++;
        }
      }
    }
    assert.ok(found > 200, `the random cases find proposals (${found})`);
  });
});
