/**
 * The pure parts of the "effect of the migration" benchmark (bench/effect/): summary maths, the plan
 * shape, and the SVG chart. The benchmark itself (a PostgreSQL cluster with millions of rows) is not
 * part of the test suite: `npx tsx bench/effect/run.ts` or `npm run bench`.
 */
import assert from 'node:assert/strict';
import { decades, esc, logScale, renderEffectChart, type ChartData } from '../../bench/effect/chart';
import { QUERIES } from '../../bench/effect/queries';
import { accessPaths, geomean, hasSort, median, planShape, speedup, type PlanNode } from '../../bench/effect/summary';

describe('bench/effect summary maths', () => {
  it('median of odd and even counts, unsorted input left alone', () => {
    const xs = [5, 1, 3];
    assert.equal(median(xs), 3);
    assert.deepEqual(xs, [5, 1, 3]);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it('speed-up is before / after, floored at 1 µs', () => {
    assert.equal(speedup(10, 2), 5);
    assert.equal(speedup(2, 10), 0.2);
    assert.equal(speedup(1, 0), 1000);
  });

  it('geometric mean treats 4× and ¼× as cancelling, ignores NaN and non-positive values', () => {
    assert.ok(Math.abs(geomean([4, 0.25]) - 1) < 1e-12);
    assert.ok(Math.abs(geomean([2, 8, NaN, 0]) - 4) < 1e-12);
    assert.ok(Number.isNaN(geomean([NaN])));
  });

  it('plan shape: node types, index names, backward scans, branches and sub-plans', () => {
    const plan: PlanNode = {
      'Node Type': 'Sort',
      Plans: [
        {
          'Node Type': 'Hash Join',
          Plans: [
            { 'Node Type': 'Seq Scan', 'Relation Name': 'courses' },
            { 'Node Type': 'Hash', Plans: [{ 'Node Type': 'Bitmap Heap Scan', 'Relation Name': 'enrollments', Plans: [{ 'Node Type': 'Bitmap Index Scan', 'Index Name': 'enrollments_userId_idx' }] }] },
          ],
        },
        { 'Node Type': 'Index Scan', 'Index Name': 'lessons_moduleId_order_idx', 'Relation Name': 'lessons', 'Parent Relationship': 'SubPlan', 'Scan Direction': 'Backward' },
      ],
    };
    assert.equal(planShape(plan), 'Sort(HashJoin(Seq[courses], Hash > BitmapHeap[enrollments] > BitmapIdx[enrollments_userId_idx]), sub:Idx[lessons_moduleId_order_idx ←])');
    assert.deepEqual(accessPaths(plan), ['courses: seq scan', 'bitmap enrollments_userId_idx', 'index lessons_moduleId_order_idx']);
    assert.equal(hasSort(plan), true);
    assert.equal(hasSort({ 'Node Type': 'Limit', Plans: [{ 'Node Type': 'Index Only Scan', 'Index Name': 'x' }] }), false);
  });

  it('covers the plan’s seven query patterns and the Common Queries of its five tables, every value a parameter', () => {
    const patterns = new Set(QUERIES.filter((q) => q.group === 'pattern').map((q) => q.source.replace(/,.*$/, '')));
    assert.equal(patterns.size, 7);
    const tables = new Set(QUERIES.filter((q) => q.group === 'common').map((q) => /\((\w+)\)/.exec(q.source)![1]));
    assert.deepEqual([...tables].sort(), ['course_progress', 'courses', 'quiz_attempts', 'transactions', 'users']);
    for (const q of QUERIES) {
      for (const sv of [true, false]) {
        const sql = q.sql({ searchVector: sv });
        // No quoted values in the text (only the text search configuration and json keys): values go as $n.
        const literals = (sql.match(/'[^']*'/g) ?? []).filter((l) => !["'english'", "'A'", "'B'", "''", "'module'", "'lessons'"].includes(l));
        assert.deepEqual(literals, [], `${q.id}: ${literals.join(', ')}`);
        // Every camelCase identifier is quoted (the plan's SQL writes them bare, which PostgreSQL folds to lower case).
        assert.doesNotMatch(sql.replace(/"[^"]*"/g, ''), /\b[a-z]+[A-Z]\w*\b(?!\()/, q.id);
      }
    }
  });
});

describe('bench/effect chart', () => {
  const data: ChartData = {
    title: 'Effect <test> & more',
    subtitle: 's',
    queries: [
      { id: 'Q1', label: 'fast', tool: 10, plan: 2 },
      { id: 'Q2', label: 'slower after', tool: 0.5, plan: NaN },
    ],
    sets: [
      { id: 'before', label: 'before', indexBytes: 100 * 2 ** 20, indexCount: 59, geomean: 1 },
      { id: 'tool', label: 'tool', indexBytes: 110 * 2 ** 20, indexCount: 61, geomean: 2.2 },
      { id: 'plan', label: 'plan', indexBytes: 150 * 2 ** 20, indexCount: 72, geomean: 1.5 },
    ],
  };

  it('log scale: decades around the values and 1×, equal distance per factor of 10', () => {
    assert.deepEqual(decades(0.5, 37), [0.1, 100]);
    assert.deepEqual(decades(1, 1), [1, 10]);
    const x = logScale(0.1, 100, 0, 300);
    assert.equal(x(0.1), 0);
    assert.equal(x(1), 100);
    assert.equal(x(100), 300);
    assert.equal(x(1000), 300, 'clamped');
  });

  it('renders well-formed SVG: escaped text, one bar per measured speed-up, slow-downs left of 1×, one point per index set', () => {
    assert.equal(esc('a<b & "c"'), 'a&lt;b &amp; &quot;c&quot;');
    const svg = renderEffectChart(data);
    assert.match(svg, /^<svg [^>]*width="1000" height="\d+"/);
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    assert.ok(svg.includes('Effect &lt;test&gt; &amp; more'));
    assert.ok(!svg.includes('<test>'));
    const bars = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="11" fill="(#[0-9a-f]+)"><title>([^<]*)<\/title>/g)];
    assert.equal(bars.length, 3, 'NaN gives no bar');
    const one = Number(/<line x1="([\d.]+)"[^>]*stroke-width="1.5"/.exec(svg)![1]);
    const slow = bars.find((b) => b[4].startsWith('Q2 tool'))!;
    assert.ok(Math.abs(Number(slow[1]) + Number(slow[2]) - one) < 0.2, 'the 0.5× bar ends at 1×');
    const fast = bars.find((b) => b[4].startsWith('Q1 tool'))!;
    assert.ok(Math.abs(Number(fast[1]) - one) < 0.2, 'the 10× bar starts at 1×');
    assert.equal((svg.match(/<circle /g) ?? []).length, 3);
    assert.ok(svg.includes('110 MB in 61 indexes, 2.20×'));
    // Balanced tags.
    const opened = (svg.match(/<(text|title|svg)\b/g) ?? []).length;
    const closed = (svg.match(/<\/(text|title|svg)>/g) ?? []).length;
    assert.equal(opened, closed);
  });
});
