/**
 * The cost of an index set on writes: insert and update throughput (rows/s) on the plan's hot tables,
 * measured through the driver. Each measurement sends `rows` rows in batches of `batch` — one
 * parameterised statement per batch (`INSERT … SELECT * FROM unnest($1::text[], …)`,
 * `UPDATE … FROM unnest($1::text[])`) — inside one transaction that is rolled back, so the data stays
 * the same; the clock runs from the first batch to the end of the last (BEGIN and ROLLBACK excluded).
 * The rows are prepared once and are the same for every set; the sets (one database each, byte-identical
 * copies of the loaded data) are measured interleaved — a warm-up on each, then rounds visiting every
 * set in a rotated order — so every set sees the same history of rolled-back writes, and load from
 * other processes falls on all of them alike.
 *
 * Which tables are hot, from the plan: lesson_progress and course_progress (pattern 4, "User Progress
 * Tracking", high frequency), transactions and enrollments (pattern 6, payment processing), quiz_attempts
 * ("High (1000s-10000s)", a row per attempt).
 */
import type { Queryable, Session } from '../../src/core/db/connection';
import { median } from './summary';

export const HOT_TABLES = ['enrollments', 'course_progress', 'lesson_progress', 'transactions', 'quiz_attempts'] as const;
export type HotTable = (typeof HOT_TABLES)[number];

interface WriteSpec {
  table: HotTable;
  /** What an update does (from the plan's patterns). */
  update: string;
  insertSql: string;
  updateSql: string;
}

/** Columns of each batch: arrays of equal length, sent as parameters. */
type Columns = unknown[][];

export interface WriteData {
  insert: Record<HotTable, Columns>;
  updateIds: Record<HotTable, string[]>;
}

const SPECS: WriteSpec[] = [
  {
    table: 'enrollments',
    update: 'status → COMPLETED, completedAt (a course completed)',
    insertSql: `INSERT INTO enrollments (id, "userId", "courseId", status, "paymentStatus")
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::"EnrollmentStatus"[], $5::"PaymentStatus"[])`,
    updateSql: `UPDATE enrollments t SET status = $2, "completedAt" = NOW() FROM unnest($1::text[]) AS x(id) WHERE t.id = x.id`,
  },
  {
    table: 'course_progress',
    update: 'completedLessons + 1, progressPercent, lastAccessedAt (pattern 4)',
    insertSql: `INSERT INTO course_progress (id, "userId", "courseId", "totalLessons", "updatedAt")
                SELECT i, u, c, n, NOW() FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS x(i, u, c, n)`,
    updateSql: `UPDATE course_progress t
                   SET "completedLessons" = "completedLessons" + 1,
                       "progressPercent" = least(100, ("completedLessons" + 1) * 100 / greatest("totalLessons", 1)),
                       "lastAccessedAt" = NOW()
                  FROM unnest($1::text[]) AS x(id) WHERE t.id = x.id`,
  },
  {
    table: 'lesson_progress',
    update: 'completed, completedAt, watchTimeSeconds (pattern 4)',
    insertSql: `INSERT INTO lesson_progress (id, "progressId", "lessonId", "watchTimeSeconds")
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])`,
    updateSql: `UPDATE lesson_progress t SET completed = true, "completedAt" = NOW(), "watchTimeSeconds" = t."watchTimeSeconds" + $2
                  FROM unnest($1::text[]) AS x(id) WHERE t.id = x.id`,
  },
  {
    table: 'transactions',
    update: 'status → COMPLETED, updatedAt (payment reconciled)',
    insertSql: `INSERT INTO transactions (id, "userId", "courseId", amount, status, provider, "providerTxnId", "updatedAt")
                SELECT i, u, c, a, s, p, t, NOW() FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::"TransactionStatus"[], $6::text[], $7::text[]) AS x(i, u, c, a, s, p, t)`,
    updateSql: `UPDATE transactions t SET status = $2, "updatedAt" = NOW() FROM unnest($1::text[]) AS x(id) WHERE t.id = x.id`,
  },
  {
    table: 'quiz_attempts',
    update: 'score, passed, completedAt (an attempt submitted)',
    insertSql: `INSERT INTO quiz_attempts (id, "quizId", "userId", score, passed)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::boolean[])`,
    updateSql: `UPDATE quiz_attempts t SET score = $2, passed = $2 >= 70, "completedAt" = NOW() FROM unnest($1::text[]) AS x(id) WHERE t.id = x.id`,
  },
];

/** The update's parameters after the ids. */
const UPDATE_PARAMS: Record<HotTable, unknown[]> = {
  enrollments: ['COMPLETED'],
  course_progress: [],
  lesson_progress: [60],
  transactions: ['COMPLETED'],
  quiz_attempts: [85],
};

export function updateDescription(t: HotTable): string {
  return SPECS.find((s) => s.table === t)!.update;
}

/**
 * Rows to insert (valid foreign keys, no unique-key conflicts) and ids to update, `n` per table,
 * taken from the data (deterministic: ordered by the md5-derived ids, which spreads them over the table).
 */
export async function prepareWrites(q: Queryable, n: number): Promise<WriteData> {
  const col = <T>(rows: Record<string, unknown>[], k: string) => rows.map((r) => r[k] as T);
  const ids = (prefix: string) => Array.from({ length: n }, (_, i) => `bench_${prefix}_${String(i).padStart(6, '0')}`);
  // (user, course) pairs with no enrollment (nor course_progress: one per enrollment).
  const pairs = await q.query<{ u: string; c: string }>(
    `SELECT u.id AS u, c.id AS c
       FROM (SELECT id FROM users ORDER BY id LIMIT $2) u
      CROSS JOIN (SELECT id FROM courses ORDER BY id LIMIT $3) c
      WHERE NOT EXISTS (SELECT 1 FROM enrollments e WHERE e."userId" = u.id AND e."courseId" = c.id)
        AND NOT EXISTS (SELECT 1 FROM course_progress p WHERE p."userId" = u.id AND p."courseId" = c.id)
      ORDER BY 1, 2 LIMIT $1`,
    [n, Math.ceil(n / 40), 50],
  );
  // (progress, lesson) pairs with no lesson_progress row: lessons of the course the student has not reached.
  const lp = await q.query<{ p: string; l: string }>(
    `SELECT cp.id AS p, l.id AS l
       FROM (SELECT id, "courseId" FROM course_progress ORDER BY id LIMIT $2) cp
       JOIN course_modules m ON m."courseId" = cp."courseId"
       JOIN lessons l ON l."moduleId" = m.id
      WHERE NOT EXISTS (SELECT 1 FROM lesson_progress x WHERE x."progressId" = cp.id AND x."lessonId" = l.id)
      ORDER BY 1, 2 LIMIT $1`,
    [n, Math.ceil(n / 10)],
  );
  const users = col<string>(await q.query(`SELECT id FROM users ORDER BY id LIMIT $1`, [n]), 'id');
  const courses = await q.query<{ id: string; price: string }>(`SELECT id, greatest(price, 9.99)::text AS price FROM courses ORDER BY id LIMIT $1`, [n]);
  const quizzes = col<string>(await q.query(`SELECT id FROM quizzes ORDER BY id LIMIT $1`, [n]), 'id');
  if (pairs.length < n || lp.length < n) throw new Error(`could not prepare ${n} insert rows (${pairs.length} user/course pairs, ${lp.length} progress/lesson pairs)`);
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length];
  const range = Array.from({ length: n }, (_, i) => i);
  const updateIds = {} as Record<HotTable, string[]>;
  for (const t of HOT_TABLES) updateIds[t] = col<string>(await q.query(`SELECT id FROM ${t} ORDER BY id LIMIT $1`, [n]), 'id');
  return {
    insert: {
      enrollments: [ids('e'), col(pairs, 'u'), col(pairs, 'c'), range.map(() => 'ACTIVE'), range.map((i) => (i % 2 ? 'FREE' : 'PENDING'))],
      course_progress: [ids('cp'), col(pairs, 'u'), col(pairs, 'c'), range.map(() => 50)],
      lesson_progress: [ids('lp'), col(lp, 'p'), col(lp, 'l'), range.map((i) => (i * 37) % 1800)],
      transactions: [
        ids('t'),
        range.map((i) => pick(users, i * 7)),
        range.map((i) => pick(courses, i * 13).id),
        range.map((i) => pick(courses, i * 13).price),
        range.map((i) => (i % 10 === 0 ? 'PENDING' : 'COMPLETED')),
        range.map((i) => (i % 7 === 0 ? 'paypal' : 'stripe')),
        ids('pi'),
      ],
      quiz_attempts: [ids('qa'), range.map((i) => pick(quizzes, i * 11)), range.map((i) => pick(users, i * 3)), range.map((i) => (i * 29) % 101), range.map((i) => (i * 29) % 101 >= 70)],
    },
    updateIds,
  };
}

export interface WriteMeasure {
  table: HotTable;
  op: 'insert' | 'update';
  rows: number;
  /** rows / s of the median run. */
  rowsPerSec: number;
  runsMs: number[];
  error?: string;
}

async function timed(session: Session, fn: (q: Queryable) => Promise<void>): Promise<number> {
  return session.rolledBack(async (q) => {
    const t = performance.now();
    await fn(q);
    return performance.now() - t;
  });
}

/** Insert and update throughput on each hot table, for every set (interleaved). */
export async function measureWrites<Id extends string>(targets: { id: Id; session: Session }[], data: WriteData, opts: { batch: number; runs: number; warmup: number }): Promise<Record<Id, WriteMeasure[]>> {
  const out = {} as Record<Id, WriteMeasure[]>;
  for (const t of targets) out[t.id] = [];
  for (const spec of SPECS) {
    const cols = data.insert[spec.table];
    const n = cols[0].length;
    const ids = data.updateIds[spec.table];
    const ops: { op: 'insert' | 'update'; rows: number; fn: (q: Queryable) => Promise<void> }[] = [
      {
        op: 'insert',
        rows: n,
        fn: async (q) => {
          for (let i = 0; i < n; i += opts.batch) await q.query(spec.insertSql, cols.map((c) => c.slice(i, i + opts.batch)));
        },
      },
      {
        op: 'update',
        rows: ids.length,
        fn: async (q) => {
          for (let i = 0; i < ids.length; i += opts.batch) await q.query(spec.updateSql, [ids.slice(i, i + opts.batch), ...UPDATE_PARAMS[spec.table]]);
        },
      },
    ];
    for (const o of ops) {
      const runs = new Map<Id, number[]>(targets.map((t) => [t.id, []]));
      const errors = new Map<Id, string>();
      const attempt = async (t: { id: Id; session: Session }, keep: boolean) => {
        if (errors.has(t.id)) return;
        try {
          const ms = await timed(t.session, o.fn);
          if (keep) runs.get(t.id)!.push(ms);
        } catch (e) {
          errors.set(t.id, (e as Error).message);
        }
      };
      for (const t of targets) for (let i = 0; i < opts.warmup; i++) await attempt(t, false);
      for (let r = 0; r < opts.runs; r++) for (let k = 0; k < targets.length; k++) await attempt(targets[(k + r) % targets.length], true);
      for (const t of targets) {
        const list = runs.get(t.id)!;
        const error = errors.get(t.id);
        out[t.id].push(
          error || !list.length
            ? { table: spec.table, op: o.op, rows: o.rows, rowsPerSec: NaN, runsMs: [], error: error ?? 'no run' }
            : { table: spec.table, op: o.op, rows: o.rows, rowsPerSec: o.rows / (median(list) / 1000), runsMs: list.map((x) => Math.round(x * 10) / 10) },
        );
      }
    }
  }
  return out;
}
