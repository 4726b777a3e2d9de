/**
 * The reference plan's queries (/work/shared/reference/lms-database-optimization-plan.md, copied into
 * the benchmark because the plan is not part of the repository): its seven "Expected Query Patterns"
 * (§ Query Pattern Analysis; patterns 4 and 6 are two statements each, pattern 7 also in the
 * full-text form the plan proposes) and the "Common Queries (Expected)" of each table (§ Schema
 * Analysis: users, courses, transactions, course_progress, quiz_attempts).
 *
 * The SQL is the plan's with what it needs to run on the real schema: camelCase identifiers
 * double-quoted (the plan writes `userId` unquoted, which PostgreSQL folds to `userid`), and every
 * value — ids, enum values, booleans, limits, dates, search terms — a `$n` parameter sent through
 * node-postgres, with values picked from the loaded data (`pickParams`).
 */
import type { Queryable } from '../../src/core/db/connection';

/** What the query text may depend on: whether the plan's `courses.search_vector` column exists. */
export interface QueryContext {
  searchVector: boolean;
}

export interface EffectQuery {
  id: string;
  /** `pattern`: an Expected Query Pattern; `common`: a table's Common Queries. */
  group: 'pattern' | 'common';
  title: string;
  /** Where it is in the plan. */
  source: string;
  /** A write runs inside a transaction that is rolled back. */
  write?: boolean;
  /**
   * A rewrite of the app's query that one index set's schema change exists for (the plan's
   * `search_vector` column): left out of the "as written" geometric mean.
   */
  rewrite?: boolean;
  sql: (ctx: QueryContext) => string;
  params: (p: Picks) => unknown[];
}

/** Realistic parameter values, picked once from the loaded data (the same for every index set). */
export interface Picks {
  /** The user with the most enrollments (student dashboard, course_progress). */
  heavyUser: string;
  heavyUserEnrollments: number;
  /** The user with the most transactions. */
  txnUser: string;
  txnUserCount: number;
  /** The user and quiz with the most attempts. */
  quizUser: string;
  quiz: string;
  quizAttempts: number;
  /** The slug of the most enrolled course. */
  slug: string;
  /** The instructor with the most courses. */
  instructor: string;
  instructorCourses: number;
  /** An incomplete lesson_progress row (pattern 4). */
  lessonProgress: { progressId: string; lessonId: string };
  /** An enrollment whose payment is PENDING (pattern 6), and its course's price. */
  pendingEnrollment: { userId: string; courseId: string; amount: string };
  /** A calendar month one year before the newest transaction: [first day, last day] (the plan's "2025-01-01"…"2025-01-31"). */
  month: [string, string];
  /** NOW() - 30 days at the time of the picks (course_progress inactivity cutoff). */
  inactiveSince: string;
}

const FTS_EXPR = `(setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B'))`;

export const QUERIES: EffectQuery[] = [
  // ── Expected Query Patterns ──────────────────────────────────────────────────────────────────
  {
    id: 'P1',
    group: 'pattern',
    title: 'Student dashboard: enrolled courses with progress',
    source: 'Query Pattern 1',
    sql: () => `SELECT c.*, e.status, e."enrolledAt", cp."progressPercent", cp."lastAccessedAt"
  FROM enrollments e
  JOIN courses c ON e."courseId" = c.id
  LEFT JOIN course_progress cp ON cp."userId" = e."userId" AND cp."courseId" = c.id
 WHERE e."userId" = $1 AND e.status = $2
 ORDER BY cp."lastAccessedAt" DESC`,
    params: (p) => [p.heavyUser, 'ACTIVE'],
  },
  {
    id: 'P2',
    group: 'pattern',
    title: 'Course catalog: published, by difficulty',
    source: 'Query Pattern 2',
    sql: () => `SELECT * FROM courses WHERE published = $1 AND difficulty = $2 ORDER BY featured DESC, "createdAt" DESC LIMIT $3`,
    params: () => [true, 'BEGINNER', 20],
  },
  {
    id: 'P3',
    group: 'pattern',
    title: 'Course details page by slug, modules and lessons',
    source: 'Query Pattern 3',
    sql: () => `SELECT c.*,
       json_agg(json_build_object('module', m,
                'lessons', (SELECT json_agg(l ORDER BY l."order") FROM lessons l WHERE l."moduleId" = m.id))
                ORDER BY m."order") AS modules
  FROM courses c
  LEFT JOIN course_modules m ON m."courseId" = c.id
 WHERE c.slug = $1
 GROUP BY c.id`,
    params: (p) => [p.slug],
  },
  {
    id: 'P4a',
    group: 'pattern',
    title: 'Progress tracking: complete a lesson (UPDATE)',
    source: 'Query Pattern 4',
    write: true,
    sql: () => `UPDATE lesson_progress SET completed = $1, "completedAt" = NOW(), "watchTimeSeconds" = $2 WHERE "progressId" = $3 AND "lessonId" = $4`,
    params: (p) => [true, 600, p.lessonProgress.progressId, p.lessonProgress.lessonId],
  },
  {
    id: 'P4b',
    group: 'pattern',
    title: 'Progress tracking: course progress (UPDATE by id)',
    source: 'Query Pattern 4',
    write: true,
    sql: () => `UPDATE course_progress
   SET "completedLessons" = "completedLessons" + 1,
       "progressPercent" = ("completedLessons" + 1) * 100 / "totalLessons",
       "lastAccessedAt" = NOW()
 WHERE id = $1`,
    params: (p) => [p.lessonProgress.progressId],
  },
  {
    id: 'P5',
    group: 'pattern',
    title: 'Admin analytics: an instructor’s courses by revenue',
    source: 'Query Pattern 5',
    sql: () => `SELECT c.id, c.title, ca."totalEnrollments", ca."activeEnrollments", ca."completionRate", ca."totalRevenue"
  FROM courses c
  LEFT JOIN course_analytics ca ON ca."courseId" = c.id
 WHERE c."instructorId" = $1
 ORDER BY ca."totalRevenue" DESC`,
    params: (p) => [p.instructor],
  },
  {
    id: 'P6a',
    group: 'pattern',
    title: 'Payment: record a transaction (INSERT)',
    source: 'Query Pattern 6',
    write: true,
    sql: () => `INSERT INTO transactions (id, "userId", "courseId", amount, status, provider, "providerTxnId", "updatedAt")
VALUES ($1, $2, $3, $4, $5, $6, $7, NOW())`,
    params: (p) => ['bench_txn_p6', p.pendingEnrollment.userId, p.pendingEnrollment.courseId, p.pendingEnrollment.amount, 'COMPLETED', 'stripe', 'pi_bench_p6'],
  },
  {
    id: 'P6b',
    group: 'pattern',
    title: 'Payment: mark the enrollment paid (UPDATE)',
    source: 'Query Pattern 6',
    write: true,
    sql: () => `UPDATE enrollments SET "paymentStatus" = $1 WHERE "userId" = $2 AND "courseId" = $3`,
    params: (p) => ['COMPLETED', p.pendingEnrollment.userId, p.pendingEnrollment.courseId],
  },
  {
    id: 'P7',
    group: 'pattern',
    title: 'Search: published courses, title/description ILIKE',
    source: 'Query Pattern 7',
    sql: () => `SELECT * FROM courses
 WHERE published = $1 AND (title ILIKE $2 OR description ILIKE $3)
 ORDER BY featured DESC, "createdAt" DESC`,
    params: () => [true, '%ai%', '%machine learning%'],
  },
  {
    id: 'P7-fts',
    group: 'pattern',
    title: 'Search, the plan’s full-text rewrite (tsvector @@ tsquery)',
    rewrite: true,
    source: 'Query Pattern 7, "Query becomes"',
    // Where the plan's generated column does not exist (before, tool), the same expression inline: same rows.
    sql: (ctx) => {
      const v = ctx.searchVector ? 'search_vector' : FTS_EXPR;
      return `SELECT * FROM courses
 WHERE published = $1 AND ${v} @@ to_tsquery('english', $2)
 ORDER BY ts_rank(${v}, to_tsquery('english', $2)) DESC`;
    },
    params: () => [true, 'machine & learning'],
  },
  // ── Common Queries per table ─────────────────────────────────────────────────────────────────
  {
    id: 'U1',
    group: 'common',
    title: 'users: all instructors, newest first',
    source: 'Schema Analysis A (users)',
    sql: () => `SELECT * FROM users WHERE role = $1 ORDER BY "createdAt" DESC`,
    params: () => ['INSTRUCTOR'],
  },
  {
    id: 'U2',
    group: 'common',
    title: 'users: 20 most recent students',
    source: 'Schema Analysis A (users)',
    sql: () => `SELECT * FROM users WHERE role = $1 ORDER BY "createdAt" DESC LIMIT $2`,
    params: () => ['STUDENT', 20],
  },
  {
    id: 'C1',
    group: 'common',
    title: 'courses: featured published, newest first',
    source: 'Schema Analysis B (courses)',
    sql: () => `SELECT * FROM courses WHERE published = $1 AND featured = $2 ORDER BY "createdAt" DESC`,
    params: () => [true, true],
  },
  {
    id: 'C2',
    group: 'common',
    title: 'courses: published by difficulty',
    source: 'Schema Analysis B (courses)',
    sql: () => `SELECT * FROM courses WHERE published = $1 AND difficulty = $2`,
    params: () => [true, 'BEGINNER'],
  },
  {
    id: 'C3',
    group: 'common',
    title: 'courses: published, price range',
    source: 'Schema Analysis B (courses)',
    sql: () => `SELECT * FROM courses WHERE published = $1 AND price BETWEEN $2 AND $3`,
    params: () => [true, 0, 50],
  },
  {
    id: 'T1',
    group: 'common',
    title: 'transactions: a user’s last 10 payments',
    source: 'Schema Analysis E (transactions)',
    sql: () => `SELECT * FROM transactions WHERE "userId" = $1 ORDER BY "createdAt" DESC LIMIT $2`,
    params: (p) => [p.txnUser, 10],
  },
  {
    id: 'T2',
    group: 'common',
    title: 'transactions: 50 most recent PENDING',
    source: 'Schema Analysis E (transactions)',
    sql: () => `SELECT * FROM transactions WHERE status = $1 ORDER BY "createdAt" DESC LIMIT $2`,
    params: () => ['PENDING', 50],
  },
  {
    id: 'T3',
    group: 'common',
    title: 'transactions: one month (date range)',
    source: 'Schema Analysis E (transactions)',
    sql: () => `SELECT * FROM transactions WHERE "createdAt" BETWEEN $1 AND $2`,
    params: (p) => [...p.month],
  },
  {
    id: 'CP1',
    group: 'common',
    title: 'course_progress: inactive 30 days, incomplete',
    source: 'Schema Analysis F (course_progress)',
    // The plan's `NOW() - INTERVAL '30 days'`, computed once (pickParams) so every set gets the same rows.
    sql: () => `SELECT * FROM course_progress WHERE "lastAccessedAt" < $1 AND "progressPercent" < $2`,
    params: (p) => [p.inactiveSince, 100],
  },
  {
    id: 'CP2',
    group: 'common',
    title: 'course_progress: a user’s recently accessed courses',
    source: 'Schema Analysis F (course_progress)',
    sql: () => `SELECT * FROM course_progress WHERE "userId" = $1 ORDER BY "lastAccessedAt" DESC`,
    params: (p) => [p.heavyUser],
  },
  {
    id: 'Q1',
    group: 'common',
    title: 'quiz_attempts: a user’s attempts at one quiz',
    source: 'Schema Analysis H (quiz_attempts)',
    sql: () => `SELECT * FROM quiz_attempts WHERE "userId" = $1 AND "quizId" = $2 ORDER BY "startedAt" DESC`,
    params: (p) => [p.quizUser, p.quiz],
  },
  {
    id: 'Q2',
    group: 'common',
    title: 'quiz_attempts: a user’s 10 latest attempts',
    source: 'Schema Analysis H (quiz_attempts)',
    sql: () => `SELECT * FROM quiz_attempts WHERE "userId" = $1 ORDER BY "startedAt" DESC LIMIT $2`,
    params: (p) => [p.quizUser, 10],
  },
];

/** Picks the parameter values from the data (deterministic: ties broken by id). */
export async function pickParams(q: Queryable): Promise<Picks> {
  const one = async <R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R> => {
    const rows = await q.query<R>(sql, params);
    if (!rows.length) throw new Error(`no row for the parameter query: ${sql}`);
    return rows[0];
  };
  const heavy = await one<{ u: string; n: number }>(`SELECT "userId" AS u, count(*)::int AS n FROM enrollments GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $1`, [1]);
  const txn = await one<{ u: string; n: number }>(`SELECT "userId" AS u, count(*)::int AS n FROM transactions GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $1`, [1]);
  const quiz = await one<{ u: string; q: string; n: number }>(`SELECT "userId" AS u, "quizId" AS q, count(*)::int AS n FROM quiz_attempts GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT $1`, [1]);
  const popular = await one<{ slug: string }>(
    `SELECT c.slug FROM courses c JOIN (SELECT "courseId", count(*) AS n FROM enrollments GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $1) e ON e."courseId" = c.id`,
    [1],
  );
  const instr = await one<{ u: string; n: number }>(`SELECT "instructorId" AS u, count(*)::int AS n FROM courses GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $1`, [1]);
  const lp = await one<{ p: string; l: string }>(`SELECT "progressId" AS p, "lessonId" AS l FROM lesson_progress WHERE completed = $1 ORDER BY id LIMIT $2`, [false, 1]);
  const pend = await one<{ u: string; c: string; a: string }>(
    `SELECT e."userId" AS u, e."courseId" AS c, greatest(co.price, 9.99)::text AS a FROM enrollments e JOIN courses co ON co.id = e."courseId" WHERE e."paymentStatus" = $1 ORDER BY e.id LIMIT $2`,
    ['PENDING', 1],
  );
  const m = await one<{ a: string; b: string }>(
    `SELECT to_char(d, 'YYYY-MM-DD') AS a, to_char(d + interval '1 month' - interval '1 day', 'YYYY-MM-DD') AS b
       FROM (SELECT date_trunc('month', max("createdAt") - $1::interval) AS d FROM transactions) x`,
    ['1 year'],
  );
  const cutoff = await one<{ t: string }>(`SELECT to_char(localtimestamp - $1::interval, 'YYYY-MM-DD HH24:MI:SS.MS') AS t`, ['30 days']);
  return {
    inactiveSince: cutoff.t,
    heavyUser: heavy.u,
    heavyUserEnrollments: heavy.n,
    txnUser: txn.u,
    txnUserCount: txn.n,
    quizUser: quiz.u,
    quiz: quiz.q,
    quizAttempts: quiz.n,
    slug: popular.slug,
    instructor: instr.u,
    instructorCourses: instr.n,
    lessonProgress: { progressId: lp.p, lessonId: lp.l },
    pendingEnrollment: { userId: pend.u, courseId: pend.c, amount: pend.a },
    month: [m.a, m.b],
  };
}
