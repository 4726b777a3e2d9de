/** pg-index-review.json: parseConfig, applyRowFlags and their effect on a Project. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { applyRowFlags, defaultConfig, DEFAULT_IGNORES, parseConfig } from '../../../src/core/config/config';
import { Project } from '../../../src/core/project';
import { WORKSPACES } from '../../helpers/paths';

const SRC = 'ws/pg-index-review.json';

/** Asserts parseConfig rejects `raw` with a message naming the source file and the key. */
function rejects(raw: unknown, key: RegExp): void {
  assert.throws(
    () => parseConfig(raw, SRC),
    (e: unknown) => {
      assert.ok(e instanceof Error, 'throws an Error');
      assert.ok(e.message.includes(SRC), `message names the file: ${e.message}`);
      assert.match(e.message, key, `message names the key: ${e.message}`);
      return true;
    },
  );
}

describe('config', () => {
  describe('parseConfig', () => {
    it('an empty object gives the defaults', () => {
      const c = parseConfig({}, SRC);
      assert.deepEqual(c, defaultConfig());
      assert.deepEqual(c.matcher.rows, {});
      assert.deepEqual(c.rules, {});
      assert.deepEqual(c.schema, []);
      assert.deepEqual(c.ignore, DEFAULT_IGNORES);
    });

    it('reads row estimates per table, including 0', () => {
      const c = parseConfig({ rows: { users: 100000, courses: 250, empty_table: 0 } }, SRC);
      assert.deepEqual(c.matcher.rows, { users: 100000, courses: 250, empty_table: 0 });
    });

    it('reads rule levels, including "off"', () => {
      const c = parseConfig({ rules: { 'missing-index': 'error', 'redundant-index': 'off', 'low-selectivity-index': 'info', 'unused-by-workload': 'hint', 'schema-drift': 'warning' } }, SRC);
      assert.deepEqual(c.rules, { 'missing-index': 'error', 'redundant-index': 'off', 'low-selectivity-index': 'info', 'unused-by-workload': 'hint', 'schema-drift': 'warning' });
    });

    it('reads schema as a single string or a list', () => {
      assert.deepEqual(parseConfig({ schema: 'prisma/schema.prisma' }, SRC).schema, ['prisma/schema.prisma']);
      assert.deepEqual(parseConfig({ schema: ['prisma/schema.prisma', 'db/migrations'] }, SRC).schema, ['prisma/schema.prisma', 'db/migrations']);
      assert.deepEqual(parseConfig({ schema: [] }, SRC).schema, []);
    });

    it('adds ignore patterns (string or list) to the default ignores, never replacing them', () => {
      assert.deepEqual(parseConfig({ ignore: ['generated/**', '**/*.spec.ts'] }, SRC).ignore, [...DEFAULT_IGNORES, 'generated/**', '**/*.spec.ts']);
      assert.deepEqual(parseConfig({ ignore: 'legacy/**' }, SRC).ignore, [...DEFAULT_IGNORES, 'legacy/**']);
      assert.ok(DEFAULT_IGNORES.some((g) => g.includes('node_modules')));
    });

    it('reads the numeric matcher settings', () => {
      const c = parseConfig({ defaultRows: 500, minRows: 50, rowsThreshold: 2000, maxSelectivity: 0.1, minRowsSaved: 10, serverVersion: 14 }, SRC);
      assert.equal(c.matcher.defaultRows, 500);
      assert.equal(c.matcher.minRows, 50);
      assert.equal(c.matcher.rowsThreshold, 2000);
      assert.equal(c.matcher.maxSelectivity, 0.1);
      assert.equal(c.matcher.minRowsSaved, 10);
      assert.equal(c.matcher.serverVersion, 14);
    });

    it('does not share state between calls', () => {
      const a = parseConfig({ rows: { users: 1 } }, SRC);
      const b = parseConfig({}, SRC);
      assert.deepEqual(b.matcher.rows, {});
      a.ignore.push('x');
      assert.ok(!parseConfig({}, SRC).ignore.includes('x'));
    });

    describe('malformed values throw an Error naming the file and the key', () => {
      it('not an object', () => {
        rejects([], /object/);
        rejects(null, /object/);
        rejects('rows', /object/);
        rejects(42, /object/);
      });
      it('rows that is not a map', () => {
        rejects({ rows: 5 }, /"rows"/);
        rejects({ rows: 'users=5' }, /"rows"/);
        rejects({ rows: null }, /"rows"/);
      });
      it('a row count that is not a non-negative number', () => {
        rejects({ rows: { users: '100000' } }, /rows\.users/);
        rejects({ rows: { users: -1 } }, /rows\.users/);
        rejects({ rows: { users: null } }, /rows\.users/);
        rejects({ rows: { users: 1, courses: true } }, /rows\.courses/);
      });
      it('an unknown rule level', () => {
        rejects({ rules: { 'missing-index': 'fatal' } }, /rules\.missing-index/);
        rejects({ rules: { 'missing-index': false } }, /rules\.missing-index/);
        rejects({ rules: 'off' }, /"rules"/);
      });
      it('schema / ignore that are not strings', () => {
        rejects({ schema: 5 }, /"schema"/);
        rejects({ schema: ['prisma/schema.prisma', 5] }, /"schema"/);
        rejects({ ignore: { a: 1 } }, /"ignore"/);
        rejects({ ignore: [null] }, /"ignore"/);
      });
      it('numeric settings that are not non-negative numbers', () => {
        rejects({ minRows: '1000' }, /"minRows"/);
        rejects({ defaultRows: -5 }, /"defaultRows"/);
        rejects({ maxSelectivity: null }, /"maxSelectivity"/);
      });
    });

    // Regression test (was a bug, fixed in 6446f34): "rows" given as a JSON array is accepted (an array is an object), turning [1, 2] into the
    // estimates {"0": 1, "1": 2} instead of rejecting a malformed value.
    // Repro: parseConfig({ rows: [100000] }, 'x.json') → matcher.rows = { "0": 100000 }, no error.
    it('rejects "rows" given as a list', () => {
      rejects({ rows: [100000] }, /"rows"/);
    });

    // Regression test (was a bug, fixed in 6446f34): a row count of 1e400 in the file (JSON.parse gives Infinity) is accepted, while the top-level numeric
    // settings reject non-finite numbers ("minRows": 1e400 throws). Row counts should be finite too.
    // Repro: parseConfig(JSON.parse('{"rows":{"users":1e400}}'), 'x.json') → matcher.rows.users = Infinity.
    it('rejects a row count that is not finite', () => {
      rejects(JSON.parse('{"rows":{"users":1e400}}'), /rows\.users/);
    });

    // Found by fuzzing (stop 26): 1e308 rows gave "sequential scan of ~1e+302M rows".
    it('rejects a row count no PostgreSQL table can hold (over 10^12), in the file and in --rows', () => {
      rejects({ rows: { users: 1e308 } }, /rows\.users is 1e\+308: a PostgreSQL table holds at most ~10\^12 rows/);
      assert.equal(parseConfig({ rows: { users: 1e12 } }, SRC).matcher.rows.users, 1e12);
      assert.throws(() => applyRowFlags(defaultConfig(), ['users=2000000M']), /--rows users=2000000M: a PostgreSQL table holds at most/);
    });

    // Regression test (was a bug, fixed in 6446f34): an unknown rule id in "rules" is accepted silently, so a typo such as "missing-indexes": "off"
    // (or "missing_index") has no effect and nobody is told. The ids are a closed set (RuleId).
    // Repro: parseConfig({ rules: { 'missing-indexes': 'off' } }, 'x.json') → no error, rules = { 'missing-indexes': 'off' }.
    it('rejects an unknown rule id, naming it', () => {
      rejects({ rules: { 'missing-indexes': 'off' } }, /missing-indexes/);
    });
  });

  describe('applyRowFlags (--rows table=N)', () => {
    it('reads table=N and the k / M suffixes, and overrides the config file', () => {
      const c = parseConfig({ rows: { users: 5, courses: 7 } }, SRC);
      applyRowFlags(c, ['users=100000', 'enrollments=10k', 'lesson_progress=2M', 'tags=1.5k', 'events=250K']);
      assert.deepEqual(c.matcher.rows, { users: 100000, courses: 7, enrollments: 10000, lesson_progress: 2000000, tags: 1500, events: 250000 });
    });

    it('the last flag for a table wins', () => {
      const c = defaultConfig();
      applyRowFlags(c, ['users=1', 'users=2']);
      assert.equal(c.matcher.rows.users, 2);
    });

    it('rejects a malformed flag with a message showing the expected form and the flag', () => {
      for (const bad of ['users', 'users=', '=5', 'users=abc', 'users=-5', 'users=10g']) {
        assert.throws(
          () => applyRowFlags(defaultConfig(), [bad]),
          (e: unknown) => {
            assert.ok(e instanceof Error);
            assert.match(e.message, /table=N/);
            assert.ok(e.message.includes(`"${bad}"`), e.message);
            return true;
          },
          bad,
        );
      }
    });
  });

  describe('in a Project', () => {
    const root = path.join(WORKSPACES, 'suppressions');
    const cfg = (name: string) => path.join(WORKSPACES, 'config', name);

    it('a rule level from the config changes the severity of that rule only', async () => {
      const base = (await Project.open(root)).analyze().findings;
      const raised = (await Project.open(root, { configFile: cfg('missing-index-error.json') })).analyze().findings;
      const missing = raised.filter((f) => f.rule === 'missing-index');
      assert.ok(missing.length > 0, 'the workspace has missing-index findings');
      assert.ok(missing.every((f) => f.severity === 'error'));
      assert.equal(missing.length, base.filter((f) => f.rule === 'missing-index').length);
      for (const f of raised.filter((x) => x.rule !== 'missing-index')) {
        assert.equal(f.severity, base.find((b) => b.rule === f.rule && b.file === f.file && b.message === f.message)?.severity);
      }
    });

    it('"off" removes the rule\'s findings', async () => {
      const off = (await Project.open(root, { configFile: cfg('missing-index-off.json') })).analyze().findings;
      assert.deepEqual(off.filter((f) => f.rule === 'missing-index'), []);
    });

    it('a small row estimate for one table removes that table\'s missing-index findings only', async () => {
      const findings = (await Project.open(root, { configFile: cfg('notes-tiny.json') })).analyze().findings;
      const tables = new Set(findings.filter((f) => f.rule === 'missing-index').map((f) => f.table));
      assert.ok(tables.has('items'));
      assert.ok(!tables.has('notes'));
    });

    it('--rows flags override the config file', async () => {
      const p = await Project.open(root, { rows: ['notes=10'] });
      assert.equal(p.config.matcher.rows.notes, 10);
      assert.equal(p.config.matcher.rows.items, 1000000, 'other tables keep the file\'s estimate');
    });

    it('a config file that is not JSON, or has a bad value, fails with a message naming the file', async () => {
      await assert.rejects(Project.open(root, { configFile: cfg('invalid-json.json') }), (e: Error) => {
        assert.ok(e.message.includes('invalid-json.json'), e.message);
        assert.match(e.message, /JSON/);
        return true;
      });
      await assert.rejects(Project.open(root, { configFile: cfg('bad-rows.json') }), (e: Error) => {
        assert.ok(e.message.includes('bad-rows.json'), e.message);
        assert.match(e.message, /rows\.items/);
        return true;
      });
      await assert.rejects(Project.open(root, { configFile: cfg('no-such-file.json') }), /not found/);
    });
  });
});
