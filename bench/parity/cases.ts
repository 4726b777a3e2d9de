/**
 * The parity cases: query × index set. Index sets are the sample's own indexes (the migration),
 * plus `create` / minus `drop` for the case, built for real inside the case's rolled-back transaction.
 *
 * `$n` parameters get the generic plan (what a prepared statement runs without looking at the values);
 * literals get a plan for that value. Prisma cases carry the call the tool analyses and, by hand, the SQL
 * Prisma sends for it — one statement per query Prisma runs (an `include` is a second query with
 * `IN (…)`). Prisma binds every value as a parameter; values written as literals in the call are inlined
 * here, because the plan cache runs custom plans (which see the value) as long as the generic plan is
 * not cheaper, which is the case whenever the value matters (skew, partial indexes).
 *
 * Names of indexes created by a case start with `parity_`.
 */
import type { ParityCase } from './engine';
import type { QueryShape } from '../../src/core/model/query';
import type { SchemaModel } from '../../src/core/model/schema';
import * as path from 'node:path';

export const CASES: ParityCase[] = [
  // ── Leading equality ───────────────────────────────────────────────────────────────────────────
  { id: 'eq-progressId', category: 'leading-equality', note: 'equality on the leading column; (progressId) and the unique (progressId, lessonId) both serve it', sql: `SELECT * FROM lesson_progress WHERE "progressId" = $1` },
  { id: 'eq-two-single-indexes', category: 'leading-equality', note: 'two single-column indexes, one equality each: one index or a BitmapAnd', sql: `SELECT * FROM quiz_attempts WHERE "userId" = $1 AND "quizId" = $2` },
  {
    id: 'eq-composite-both',
    category: 'leading-equality',
    note: 'a composite index matching both equalities beats either single-column index',
    sql: `SELECT * FROM quiz_attempts WHERE "userId" = $1 AND "quizId" = $2`,
    create: [`CREATE INDEX parity_qa_user_quiz ON quiz_attempts ("userId", "quizId")`],
  },
  { id: 'eq-second-column-only', category: 'leading-equality', note: 'equality only on the second column of (courseId, order): no leading column', sql: `SELECT * FROM course_modules WHERE "order" = $1` },
  { id: 'eq-unique-token', category: 'leading-equality', note: 'unique lookup', sql: `SELECT * FROM sessions WHERE "sessionToken" = $1` },
  { id: 'eq-unique-composite', category: 'leading-equality', note: 'unique composite, both keys', sql: `SELECT * FROM accounts WHERE provider = $1 AND "providerAccountId" = $2` },
  { id: 'eq-duplicate-indexes', category: 'leading-equality', note: 'two identical indexes (unique key + plain index on certificateNo)', sql: `SELECT * FROM certificates WHERE "certificateNo" = $1` },
  { id: 'eq-unique-pair', category: 'leading-equality', note: 'unique (userId, courseId), both keys', sql: `SELECT * FROM enrollments WHERE "userId" = $1 AND "courseId" = $2` },
  { id: 'eq-prefix-of-composite', category: 'leading-equality', note: 'leading column of (moduleId, order)', sql: `SELECT * FROM lessons WHERE "moduleId" = $1` },
  {
    id: 'eq-leading-gap',
    category: 'leading-equality',
    note: 'equality on the 1st and 3rd key of (userId, status, enrolledAt): the 3rd is not an index condition boundary',
    sql: `SELECT * FROM enrollments WHERE "userId" = $1 AND "enrolledAt" = $2`,
    create: [`CREATE INDEX parity_enr_user_status_at ON enrollments ("userId", status, "enrolledAt")`],
    drop: ['enrollments_userId_idx', 'enrollments_userId_courseId_key'],
  },

  // ── Range after equality ───────────────────────────────────────────────────────────────────────
  {
    id: 'range-after-eq',
    category: 'range-after-equality',
    note: 'equality then range on (userId, startedAt)',
    sql: `SELECT * FROM quiz_attempts WHERE "userId" = $1 AND "startedAt" > $2`,
    create: [`CREATE INDEX parity_qa_user_started ON quiz_attempts ("userId", "startedAt")`],
  },
  {
    id: 'range-after-eq-literal-skewed',
    category: 'range-after-equality',
    note: "status = 'COMPLETED' (92%) and a one-month window on (status, createdAt)",
    sql: `SELECT * FROM transactions WHERE status = 'COMPLETED' AND "createdAt" >= $1 AND "createdAt" < $2`,
    create: [`CREATE INDEX parity_tx_status_created ON transactions (status, "createdAt")`],
  },
  { id: 'range-next-lesson', category: 'range-after-equality', note: 'getNextLesson: moduleId = and order > on (moduleId, order)', sql: `SELECT * FROM lessons WHERE "moduleId" = $1 AND "order" > $2 ORDER BY "order" LIMIT 1` },
  { id: 'range-between-param', category: 'range-after-equality', note: 'BETWEEN $1 AND $2 on a single-column index (generic plan: 0.5% estimate)', sql: `SELECT * FROM course_progress WHERE "progressPercent" BETWEEN $1 AND $2` },
  {
    id: 'range-before-eq',
    category: 'range-after-equality',
    note: 'range on the leading column, equality on the second: only the range bounds the scan',
    sql: `SELECT * FROM transactions WHERE status = 'PENDING' AND "createdAt" > $1`,
    create: [`CREATE INDEX parity_tx_created_status ON transactions ("createdAt", status)`],
    drop: ['transactions_status_idx'],
  },
  { id: 'range-no-index', category: 'range-after-equality', note: 'TransactionsInRange: BETWEEN on an unindexed column', sql: `SELECT * FROM transactions WHERE "createdAt" BETWEEN $1 AND $2` },
  {
    id: 'range-two-ranges',
    category: 'range-after-equality',
    note: 'two ranges: only the first key column is an index boundary',
    sql: `SELECT * FROM quiz_attempts WHERE "startedAt" > $1 AND score > $2`,
    create: [`CREATE INDEX parity_qa_started_score ON quiz_attempts ("startedAt", score)`],
  },

  // ── ORDER BY forward ───────────────────────────────────────────────────────────────────────────
  { id: 'order-fwd-eq-then-order', category: 'order-forward', note: 'moduleId = $1 ORDER BY order on (moduleId, order)', sql: `SELECT * FROM lessons WHERE "moduleId" = $1 ORDER BY "order"` },
  { id: 'order-fwd-questions', category: 'order-forward', note: 'getQuestions: quizId = ORDER BY order ASC', sql: `SELECT * FROM questions WHERE "quizId" = $1 ORDER BY "order" ASC` },
  { id: 'order-fwd-limit', category: 'order-forward', note: 'ORDER BY an indexed column with LIMIT: read the index until the LIMIT', sql: `SELECT * FROM quizzes ORDER BY "createdAt" LIMIT 20` },
  { id: 'order-fwd-no-limit', category: 'order-forward', note: 'ORDER BY an indexed column of a whole table, no LIMIT: a full index scan rarely pays', sql: `SELECT * FROM quizzes ORDER BY "createdAt"` },
  {
    id: 'order-fwd-two-keys',
    category: 'order-forward',
    note: 'ORDER BY two columns matching a composite index, with LIMIT',
    sql: `SELECT * FROM media ORDER BY type, "createdAt" LIMIT 50`,
    create: [`CREATE INDEX parity_media_type_created ON media (type, "createdAt")`],
  },
  { id: 'order-fwd-wrong-column', category: 'order-forward', note: 'ORDER BY a column the index does not lead with', sql: `SELECT * FROM lessons WHERE "moduleId" = $1 ORDER BY duration` },

  // ── ORDER BY backward ──────────────────────────────────────────────────────────────────────────
  { id: 'order-bwd-last-module', category: 'order-backward', note: 'addModule: courseId = ORDER BY order DESC LIMIT 1 (backward scan)', sql: `SELECT "order" FROM course_modules WHERE "courseId" = $1 ORDER BY "order" DESC LIMIT 1` },
  {
    id: 'order-bwd-newest-users',
    category: 'order-backward',
    note: 'paginateUsers: ORDER BY createdAt DESC LIMIT 25 on an ascending index',
    sql: `SELECT * FROM users ORDER BY "createdAt" DESC LIMIT 25 OFFSET $1`,
    create: [`CREATE INDEX parity_users_created ON users ("createdAt")`],
  },
  { id: 'order-bwd-quizzes', category: 'order-backward', note: 'ORDER BY createdAt DESC LIMIT 10', sql: `SELECT * FROM quizzes ORDER BY "createdAt" DESC LIMIT 10` },
  { id: 'order-bwd-eq', category: 'order-backward', note: 'moduleId = ORDER BY order DESC', sql: `SELECT * FROM lessons WHERE "moduleId" = $1 ORDER BY "order" DESC` },
  {
    id: 'order-bwd-desc-index',
    category: 'order-backward',
    note: 'ORDER BY enrolledAt ASC on an index (courseId, enrolledAt DESC): backward scan',
    sql: `SELECT * FROM enrollments WHERE "courseId" = $1 ORDER BY "enrolledAt" ASC LIMIT 50`,
    create: [`CREATE INDEX parity_enr_course_at_desc ON enrollments ("courseId", "enrolledAt" DESC)`],
  },

  // ── ORDER BY mixed directions ──────────────────────────────────────────────────────────────────
  {
    id: 'order-mixed-both-desc',
    category: 'order-mixed',
    note: 'ORDER BY featured DESC, createdAt DESC on (featured, createdAt): both reversed = backward scan',
    sql: `SELECT * FROM courses ORDER BY featured DESC, "createdAt" DESC LIMIT 20`,
    create: [`CREATE INDEX parity_courses_feat_created ON courses (featured, "createdAt")`],
  },
  {
    id: 'order-mixed-mismatch',
    category: 'order-mixed',
    note: 'ORDER BY featured DESC, createdAt ASC on (featured, createdAt): mixed, the index cannot give it (an incremental sort can)',
    sql: `SELECT * FROM courses ORDER BY featured DESC, "createdAt" ASC LIMIT 20`,
    create: [`CREATE INDEX parity_courses_feat_created ON courses (featured, "createdAt")`],
  },
  {
    id: 'order-mixed-matching-index',
    category: 'order-mixed',
    note: 'ORDER BY featured DESC, createdAt ASC on (featured DESC, createdAt)',
    sql: `SELECT * FROM courses ORDER BY featured DESC, "createdAt" ASC LIMIT 20`,
    create: [`CREATE INDEX parity_courses_featdesc_created ON courses (featured DESC, "createdAt")`],
  },
  {
    id: 'order-mixed-eq-prefix',
    category: 'order-mixed',
    note: 'userId = then ORDER BY score DESC, startedAt DESC on (userId, score DESC, startedAt): mixed after the equality',
    sql: `SELECT * FROM quiz_attempts WHERE "userId" = $1 ORDER BY score DESC, "startedAt" DESC`,
    create: [`CREATE INDEX parity_qa_user_score_started ON quiz_attempts ("userId", score DESC, "startedAt")`],
  },
  {
    id: 'order-mixed-eq-prefix-ok',
    category: 'order-mixed',
    note: 'userId = then ORDER BY score ASC, startedAt DESC on (userId, score DESC, startedAt): fully reversed = backward',
    sql: `SELECT * FROM quiz_attempts WHERE "userId" = $1 ORDER BY score ASC, "startedAt" DESC LIMIT 10`,
    create: [`CREATE INDEX parity_qa_user_score_started ON quiz_attempts ("userId", score DESC, "startedAt")`],
  },

  // ── ORDER BY and NULLS ─────────────────────────────────────────────────────────────────────────
  {
    id: 'nulls-desc-default',
    category: 'order-nulls',
    note: 'ORDER BY completedAt DESC (NULLS FIRST by default) on an ASC NULLS LAST index: backward scan fits',
    sql: `SELECT * FROM enrollments ORDER BY "completedAt" DESC LIMIT 10`,
    create: [`CREATE INDEX parity_enr_completed ON enrollments ("completedAt")`],
  },
  {
    id: 'nulls-desc-last',
    category: 'order-nulls',
    note: 'ORDER BY completedAt DESC NULLS LAST on an ASC NULLS LAST index: neither direction fits',
    sql: `SELECT * FROM enrollments ORDER BY "completedAt" DESC NULLS LAST LIMIT 10`,
    create: [`CREATE INDEX parity_enr_completed ON enrollments ("completedAt")`],
  },
  {
    id: 'nulls-desc-last-index',
    category: 'order-nulls',
    note: 'ORDER BY completedAt DESC NULLS LAST on a (completedAt DESC NULLS LAST) index',
    sql: `SELECT * FROM enrollments ORDER BY "completedAt" DESC NULLS LAST LIMIT 10`,
    create: [`CREATE INDEX parity_enr_completed_dnl ON enrollments ("completedAt" DESC NULLS LAST)`],
  },
  {
    id: 'nulls-asc-first',
    category: 'order-nulls',
    note: 'ORDER BY completedAt ASC NULLS FIRST on an ASC NULLS LAST index',
    sql: `SELECT * FROM enrollments ORDER BY "completedAt" ASC NULLS FIRST LIMIT 10`,
    create: [`CREATE INDEX parity_enr_completed ON enrollments ("completedAt")`],
  },
  {
    id: 'nulls-not-null-filter',
    category: 'order-nulls',
    note: 'IS NOT NULL does not make NULLS LAST match a NULLS FIRST order for the planner',
    sql: `SELECT * FROM enrollments WHERE "completedAt" IS NOT NULL ORDER BY "completedAt" DESC NULLS LAST LIMIT 10`,
    create: [`CREATE INDEX parity_enr_completed ON enrollments ("completedAt")`],
  },

  // ── Partial indexes ────────────────────────────────────────────────────────────────────────────
  {
    id: 'partial-pending',
    category: 'partial-implied',
    note: "partial (createdAt) WHERE status = 'PENDING', query on status = 'PENDING' ORDER BY createdAt DESC LIMIT 50",
    sql: `SELECT * FROM transactions WHERE status = 'PENDING' ORDER BY "createdAt" DESC LIMIT 50`,
    create: [`CREATE INDEX parity_tx_pending ON transactions ("createdAt") WHERE status = 'PENDING'`],
  },
  {
    id: 'partial-incomplete',
    category: 'partial-implied',
    note: 'getIncompleteLessons with a partial (progressId) WHERE completed = false',
    sql: `SELECT "lessonId", "watchTimeSeconds", "lastWatchedAt" FROM lesson_progress WHERE "progressId" = $1 AND completed = false`,
    create: [`CREATE INDEX parity_lp_incomplete ON lesson_progress ("progressId") WHERE completed = false`],
  },
  {
    id: 'partial-featured',
    category: 'partial-implied',
    note: 'homepage: partial (createdAt) WHERE published AND featured',
    sql: `SELECT * FROM courses WHERE published = true AND featured = true ORDER BY "createdAt" DESC LIMIT 12`,
    create: [`CREATE INDEX parity_courses_featured ON courses ("createdAt") WHERE published AND featured`],
  },
  {
    id: 'partial-range-implied',
    category: 'partial-implied',
    note: 'partial WHERE progressPercent < 100, query progressPercent < 50: implied by the range',
    sql: `SELECT * FROM course_progress WHERE "progressPercent" < 50 AND "lastAccessedAt" < $1 ORDER BY "lastAccessedAt" LIMIT 100`,
    create: [`CREATE INDEX parity_cp_unfinished ON course_progress ("lastAccessedAt") WHERE "progressPercent" < 100`],
  },
  {
    id: 'partial-failed-attempts',
    category: 'partial-implied',
    note: 'getFailedAttemptCount with a partial (userId, quizId) WHERE passed = false',
    sql: `SELECT count(*) FROM quiz_attempts WHERE "userId" = $1 AND "quizId" = $2 AND passed = false`,
    create: [`CREATE INDEX parity_qa_failed ON quiz_attempts ("userId", "quizId") WHERE passed = false`],
  },
  {
    id: 'partial-active-roster',
    category: 'partial-implied',
    note: "roster with a partial (courseId, enrolledAt) WHERE status = 'ACTIVE'",
    sql: `SELECT * FROM enrollments WHERE "courseId" = $1 AND status = 'ACTIVE' ORDER BY "enrolledAt" LIMIT 50 OFFSET $2`,
    create: [`CREATE INDEX parity_enr_active_course ON enrollments ("courseId", "enrolledAt") WHERE status = 'ACTIVE'`],
  },
  {
    id: 'partial-recent-videos',
    category: 'partial-implied',
    note: "getRecentVideos with a partial (uploaded_by, createdAt DESC) WHERE type = 'VIDEO'",
    sql: `SELECT "id", "url", "filename", "createdAt" FROM "media" WHERE "uploaded_by" = $1 AND "type" = 'VIDEO' ORDER BY "createdAt" DESC LIMIT $2`,
    create: [`CREATE INDEX parity_media_videos ON media (uploaded_by, "createdAt" DESC) WHERE type = 'VIDEO'`],
  },
  {
    id: 'partial-not-null',
    category: 'partial-implied',
    note: 'partial WHERE providerTxnId IS NOT NULL: implied by providerTxnId = $1 (a strict operator)',
    sql: `SELECT * FROM transactions WHERE "providerTxnId" = $1`,
    create: [`CREATE INDEX parity_tx_provider_nn ON transactions ("providerTxnId") WHERE "providerTxnId" IS NOT NULL`],
    drop: ['transactions_providerTxnId_key', 'transactions_providerTxnId_idx'],
  },
  {
    id: 'partial-in-list',
    category: 'partial-implied',
    note: "isEnrolled: partial WHERE status IN ('ACTIVE','COMPLETED') and the same IN in the query",
    sql: `SELECT count(*) FROM enrollments WHERE "userId" = $1 AND "courseId" = $2 AND status IN ('ACTIVE', 'COMPLETED')`,
    create: [`CREATE INDEX parity_enr_live ON enrollments ("courseId", "userId") WHERE status IN ('ACTIVE', 'COMPLETED')`],
    drop: ['enrollments_userId_courseId_key', 'enrollments_userId_idx'],
  },
  {
    id: 'partial-param',
    category: 'partial-not-implied',
    note: "partial WHERE status = 'PENDING' but the query has status = $1: a generic plan cannot use it",
    sql: `SELECT * FROM transactions WHERE status = $1 ORDER BY "createdAt" DESC LIMIT 50`,
    create: [`CREATE INDEX parity_tx_pending ON transactions ("createdAt") WHERE status = 'PENDING'`],
  },
  {
    id: 'partial-other-value',
    category: 'partial-not-implied',
    note: "partial WHERE status = 'PENDING', query status = 'FAILED'",
    sql: `SELECT * FROM transactions WHERE status = 'FAILED' ORDER BY "createdAt" DESC LIMIT 50`,
    create: [`CREATE INDEX parity_tx_pending ON transactions ("createdAt") WHERE status = 'PENDING'`],
  },
  {
    id: 'partial-range-not-implied',
    category: 'partial-not-implied',
    note: 'partial WHERE progressPercent < 100, query progressPercent <= 100: not implied',
    sql: `SELECT * FROM course_progress WHERE "progressPercent" <= 100 AND "lastAccessedAt" < $1 ORDER BY "lastAccessedAt" LIMIT 100`,
    create: [`CREATE INDEX parity_cp_unfinished ON course_progress ("lastAccessedAt") WHERE "progressPercent" < 100`],
  },
  {
    id: 'partial-bool-param',
    category: 'partial-not-implied',
    note: 'partial WHERE completed = false, query completed = $2',
    sql: `SELECT * FROM lesson_progress WHERE "progressId" = $1 AND completed = $2`,
    create: [`CREATE INDEX parity_lp_incomplete ON lesson_progress ("progressId") WHERE completed = false`],
    drop: ['lesson_progress_progressId_idx', 'lesson_progress_progressId_lessonId_key'],
  },
  {
    id: 'partial-missing-condition',
    category: 'partial-not-implied',
    note: 'partial WHERE published AND featured, query only published = true',
    sql: `SELECT * FROM courses WHERE published = true ORDER BY "createdAt" DESC LIMIT 12`,
    create: [`CREATE INDEX parity_courses_featured ON courses ("createdAt") WHERE published AND featured`],
  },

  // ── Index-only scans, INCLUDE ──────────────────────────────────────────────────────────────────
  { id: 'io-not-covered', category: 'index-only', note: 'SELECT userId WHERE courseId = $1 on (courseId): heap fetches', sql: `SELECT "userId" FROM enrollments WHERE "courseId" = $1` },
  {
    id: 'io-include',
    category: 'index-only',
    note: 'SELECT userId WHERE courseId = $1 on (courseId) INCLUDE (userId): index-only',
    sql: `SELECT "userId" FROM enrollments WHERE "courseId" = $1`,
    create: [`CREATE INDEX parity_enr_course_incl ON enrollments ("courseId") INCLUDE ("userId")`],
  },
  {
    id: 'io-include-lessons',
    category: 'index-only',
    note: 'lesson rows of one progress row, all columns read in the INCLUDE list',
    sql: `SELECT "lessonId", completed, "watchTimeSeconds" FROM lesson_progress WHERE "progressId" = $1`,
    create: [`CREATE INDEX parity_lp_progress_incl ON lesson_progress ("progressId") INCLUDE ("lessonId", completed, "watchTimeSeconds")`],
  },
  { id: 'io-composite-covers', category: 'index-only', note: 'SELECT courseId WHERE userId = $1: the unique (userId, courseId) covers it', sql: `SELECT "courseId" FROM course_progress WHERE "userId" = $1` },
  { id: 'io-count-status', category: 'index-only', note: "count(*) WHERE status = 'ACTIVE' (60% of rows): index-only scan of a small index vs a sequential scan", sql: `SELECT count(*) FROM enrollments WHERE status = 'ACTIVE'` },
  { id: 'io-questions-keys', category: 'index-only', note: 'SELECT quizId, order WHERE quizId = $1: both in (quizId, order)', sql: `SELECT "quizId", "order" FROM questions WHERE "quizId" = $1` },
  { id: 'io-email-id', category: 'index-only', note: 'SELECT id WHERE email = $1: id is not in the email index', sql: `SELECT id FROM users WHERE email = $1` },
  {
    id: 'io-count-progress',
    category: 'index-only',
    note: 'markLessonComplete count: count(*) WHERE progressId = $1 AND completed = true on (progressId, completed)',
    sql: `SELECT count(*) FROM lesson_progress WHERE "progressId" = $1 AND completed = true`,
    create: [`CREATE INDEX parity_lp_progress_completed ON lesson_progress ("progressId", completed)`],
  },

  // ── IN lists ───────────────────────────────────────────────────────────────────────────────────
  { id: 'in-ids', category: 'in-list', note: 'getCoursesByIds: id IN (…) AND published', sql: `SELECT * FROM courses WHERE id IN ($1, $2, $3, $4, $5) AND published = true` },
  { id: 'in-status-with-user', category: 'in-list', note: 'userId = AND status IN (2 values)', sql: `SELECT * FROM enrollments WHERE "userId" = $1 AND status IN ('ACTIVE', 'COMPLETED')` },
  { id: 'in-failed-or-pending', category: 'in-list', note: 'getFailedOrPending: userId = AND status IN ORDER BY createdAt DESC', sql: `SELECT * FROM transactions WHERE "userId" = $1 AND status IN ('PENDING', 'FAILED') ORDER BY "createdAt" DESC` },
  {
    id: 'in-leading-breaks-order',
    category: 'in-list',
    note: 'status IN (2 rare values) ORDER BY createdAt DESC on (status, createdAt): the IN breaks the order',
    sql: `SELECT * FROM transactions WHERE status IN ('PENDING', 'FAILED') ORDER BY "createdAt" DESC LIMIT 20`,
    create: [`CREATE INDEX parity_tx_status_created ON transactions (status, "createdAt")`],
  },
  { id: 'in-progress-ids', category: 'in-list', note: 'Prisma include: lesson_progress WHERE progressId IN (10 values)', sql: `SELECT * FROM lesson_progress WHERE "progressId" IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)` },
  { id: 'in-enum-common', category: 'in-list', note: "status IN ('ACTIVE','COMPLETED') alone: 85% of the table", sql: `SELECT * FROM enrollments WHERE status IN ('ACTIVE', 'COMPLETED')` },
  { id: 'in-enum-rare', category: 'in-list', note: "status IN ('CANCELLED','EXPIRED'): 15% of the table", sql: `SELECT id FROM enrollments WHERE status IN ('CANCELLED', 'EXPIRED')` },

  // ── IS NULL ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'null-common',
    category: 'is-null',
    note: 'completedAt IS NULL matches ~75% of enrollments',
    sql: `SELECT * FROM enrollments WHERE "completedAt" IS NULL`,
    create: [`CREATE INDEX parity_enr_completed ON enrollments ("completedAt")`],
  },
  { id: 'null-rare', category: 'is-null', note: 'providerTxnId IS NULL (~1%): a B-tree finds NULLs', sql: `SELECT * FROM transactions WHERE "providerTxnId" IS NULL` },
  {
    id: 'null-with-eq',
    category: 'is-null',
    note: 'quizId = AND completedAt IS NULL on (quizId, completedAt): both are index conditions',
    sql: `SELECT * FROM quiz_attempts WHERE "quizId" = $1 AND "completedAt" IS NULL`,
    create: [`CREATE INDEX parity_qa_quiz_completed ON quiz_attempts ("quizId", "completedAt")`],
    drop: ['quiz_attempts_quizId_idx'],
  },
  {
    id: 'null-partial',
    category: 'is-null',
    note: 'partial (userId) WHERE pdfUrl IS NULL',
    sql: `SELECT * FROM certificates WHERE "userId" = $1 AND "pdfUrl" IS NULL`,
    create: [`CREATE INDEX parity_cert_no_pdf ON certificates ("userId") WHERE "pdfUrl" IS NULL`],
  },
  {
    id: 'null-verified',
    category: 'is-null',
    note: 'email_verified IS NULL (~30%)',
    sql: `SELECT id, email FROM users WHERE email_verified IS NULL`,
    create: [`CREATE INDEX parity_users_verified ON users (email_verified)`],
  },

  // ── LIKE prefix ────────────────────────────────────────────────────────────────────────────────
  { id: 'like-default-opclass', category: 'like-prefix', note: "email LIKE 'emma%' with the default-collation index (C.UTF-8, not C): not a range", sql: `SELECT * FROM users WHERE email LIKE 'emma.%'` },
  {
    id: 'like-pattern-ops',
    category: 'like-prefix',
    note: "email LIKE 'emma.smith%' on (email text_pattern_ops)",
    sql: `SELECT * FROM users WHERE email LIKE 'emma.smith%'`,
    create: [`CREATE INDEX parity_users_email_pattern ON users (email text_pattern_ops)`],
  },
  {
    id: 'like-param',
    category: 'like-prefix',
    note: 'email LIKE $1 on (email text_pattern_ops): the generic plan has no prefix',
    sql: `SELECT * FROM users WHERE email LIKE $1`,
    create: [`CREATE INDEX parity_users_email_pattern ON users (email text_pattern_ops)`],
  },
  {
    id: 'like-collate-c',
    category: 'like-prefix',
    note: "email LIKE 'emma.smith%' on (email COLLATE \"C\"): a C-collation index serves a prefix",
    sql: `SELECT * FROM users WHERE email LIKE 'emma.smith%'`,
    create: [`CREATE INDEX parity_users_email_c ON users (email COLLATE "C")`],
  },
  {
    id: 'like-leading-wildcard',
    category: 'like-prefix',
    note: "email LIKE '%smith%' on (email text_pattern_ops): no prefix",
    sql: `SELECT * FROM users WHERE email LIKE '%smith%'`,
    create: [`CREATE INDEX parity_users_email_pattern ON users (email text_pattern_ops)`],
  },
  {
    id: 'like-prefix-slug',
    category: 'like-prefix',
    note: "slug LIKE 'complete-python%' on (slug text_pattern_ops)",
    sql: `SELECT id, slug FROM courses WHERE slug LIKE 'complete-python%'`,
    create: [`CREATE INDEX parity_courses_slug_pattern ON courses (slug text_pattern_ops)`],
  },

  // ── ILIKE and trigram GIN ──────────────────────────────────────────────────────────────────────
  { id: 'ilike-no-index', category: 'ilike-trigram', note: "name ILIKE '%garcia%' without a trigram index", sql: `SELECT id, name, email FROM users WHERE name ILIKE '%garcia%'` },
  {
    id: 'ilike-trgm',
    category: 'ilike-trigram',
    note: "name ILIKE '%garcia%' with GIN (name gin_trgm_ops)",
    sql: `SELECT id, name, email FROM users WHERE name ILIKE '%garcia%'`,
    create: [`CREATE INDEX parity_users_name_trgm ON users USING gin (name gin_trgm_ops)`],
  },
  {
    id: 'ilike-trgm-param',
    category: 'ilike-trigram',
    note: 'name ILIKE $1 with GIN trigram: the generic plan still uses it',
    sql: `SELECT id, name, email FROM users WHERE name ILIKE $1`,
    create: [`CREATE INDEX parity_users_name_trgm ON users USING gin (name gin_trgm_ops)`],
  },
  {
    id: 'ilike-or-two-trgm',
    category: 'ilike-trigram',
    note: 'searchUsers: email ILIKE OR name ILIKE, a trigram index on each (BitmapOr)',
    sql: `SELECT id, name, email, role FROM users WHERE email ILIKE $1 OR name ILIKE $2 ORDER BY "createdAt" DESC LIMIT 20`,
    create: [`CREATE INDEX parity_users_name_trgm ON users USING gin (name gin_trgm_ops)`, `CREATE INDEX parity_users_email_trgm ON users USING gin (email gin_trgm_ops)`],
  },
  {
    id: 'ilike-or-one-trgm',
    category: 'ilike-trigram',
    note: 'email ILIKE OR name ILIKE with a trigram index on name only: no BitmapOr possible',
    sql: `SELECT id, name, email, role FROM users WHERE email ILIKE $1 OR name ILIKE $2 ORDER BY "createdAt" DESC LIMIT 20`,
    create: [`CREATE INDEX parity_users_name_trgm ON users USING gin (name gin_trgm_ops)`],
  },
  // ── OR of tests on different columns ──────────────────────────────────────────────────────────
  { id: 'or-two-btree', category: 'or-bitmap', note: 'userId = OR courseId =, a B-tree on each: a BitmapOr of both', sql: `SELECT * FROM transactions WHERE "userId" = $1 OR "courseId" = $2` },
  { id: 'or-two-btree-enrollments', category: 'or-bitmap', note: 'userId = OR courseId = on enrollments (unique (userId, courseId) and (courseId))', sql: `SELECT * FROM enrollments WHERE "userId" = $1 OR "courseId" = $2` },
  { id: 'or-one-unindexed', category: 'or-bitmap', note: 'userId = OR amount >: no index on amount, so no BitmapOr', sql: `SELECT * FROM transactions WHERE "userId" = $1 OR amount > $2` },
  {
    id: 'or-with-conjunct',
    category: 'or-bitmap',
    note: 'a conjunct beside the OR: quizId = AND (userId = OR startedAt >): one index on quizId beats a BitmapOr',
    sql: `SELECT * FROM quiz_attempts WHERE "quizId" = $1 AND ("userId" = $2 OR "startedAt" > $3)`,
  },
  {
    id: 'ilike-short-pattern',
    category: 'ilike-trigram',
    note: "name ILIKE '%an%': too short for trigrams and matches a large share",
    sql: `SELECT id, name FROM users WHERE name ILIKE '%an%'`,
    create: [`CREATE INDEX parity_users_name_trgm ON users USING gin (name gin_trgm_ops)`],
  },
  {
    id: 'ilike-courses-search',
    category: 'ilike-trigram',
    note: 'searchCoursesPg with trigram indexes on title and description',
    sql: `SELECT id, title, slug, thumbnail FROM courses WHERE published = true AND (title ILIKE $1 OR description ILIKE $1) ORDER BY featured DESC, "createdAt" DESC LIMIT 10`,
    create: [`CREATE INDEX parity_courses_title_trgm ON courses USING gin (title gin_trgm_ops)`, `CREATE INDEX parity_courses_desc_trgm ON courses USING gin (description gin_trgm_ops)`],
  },

  // ── jsonb containment (GIN) ────────────────────────────────────────────────────────────────────
  {
    id: 'jsonb-contains-path-ops',
    category: 'gin-jsonb',
    note: 'metadata @> {"coupon": …} with GIN (metadata jsonb_path_ops): a bitmap scan of the rows with that coupon',
    sql: `SELECT id, amount FROM transactions WHERE metadata @> '{"coupon": "SAVE7"}'`,
    create: [`CREATE INDEX parity_tx_metadata_path ON transactions USING gin (metadata jsonb_path_ops)`],
  },
  {
    id: 'jsonb-key-exists-path-ops',
    category: 'gin-jsonb',
    note: 'metadata ? key: jsonb_path_ops has no key-existence operator, so its GIN index is of no use',
    sql: `SELECT id FROM transactions WHERE metadata ? 'refund'`,
    create: [`CREATE INDEX parity_tx_metadata_path ON transactions USING gin (metadata jsonb_path_ops)`],
  },
  {
    id: 'jsonb-key-exists-jsonb-ops',
    category: 'gin-jsonb',
    note: "metadata ? key with GIN (metadata) (jsonb_ops, jsonb's default): the index serves key existence",
    sql: `SELECT id FROM transactions WHERE metadata ? 'refund'`,
    create: [`CREATE INDEX parity_tx_metadata ON transactions USING gin (metadata)`],
  },
  {
    id: 'jsonb-contains-no-index',
    category: 'gin-jsonb',
    note: 'metadata @> … without an index: the tool proposes GIN (metadata jsonb_path_ops), which the planner uses',
    sql: `SELECT id, amount FROM transactions WHERE metadata @> $1`,
  },

  // ── Full-text search (GIN) ─────────────────────────────────────────────────────────────────────
  { id: 'fts-no-index', category: 'full-text', note: 'to_tsvector(prompt) @@ query without an index', sql: `SELECT id, prompt FROM questions WHERE to_tsvector('simple', prompt) @@ plainto_tsquery('simple', $1)` },
  {
    id: 'fts-expression-index',
    category: 'full-text',
    note: "GIN (to_tsvector('simple', prompt)), query with the same expression",
    sql: `SELECT id, prompt FROM questions WHERE to_tsvector('simple', prompt) @@ plainto_tsquery('simple', $1)`,
    create: [`CREATE INDEX parity_questions_fts ON questions USING gin (to_tsvector('simple', prompt))`],
  },
  {
    id: 'fts-config-mismatch',
    category: 'full-text',
    note: "GIN on to_tsvector('english', …), query with to_tsvector('simple', …): not the same expression",
    sql: `SELECT id, prompt FROM questions WHERE to_tsvector('simple', prompt) @@ plainto_tsquery('simple', $1)`,
    create: [`CREATE INDEX parity_questions_fts_en ON questions USING gin (to_tsvector('english', prompt))`],
  },
  {
    id: 'fts-courses',
    category: 'full-text',
    note: "GIN (to_tsvector('english', title)) on courses, with ORDER BY and LIMIT",
    sql: `SELECT id, title FROM courses WHERE to_tsvector('english', title) @@ websearch_to_tsquery('english', $1) ORDER BY "createdAt" DESC LIMIT 20`,
    create: [`CREATE INDEX parity_courses_title_fts ON courses USING gin (to_tsvector('english', title))`],
  },

  // ── Selectivity: the missing-index assessment against what the planner would use ────────────────
  { id: 'sel-incomplete', category: 'selectivity', note: 'completed = false (~38% of lesson_progress): the (completed) index does not pay', sql: `SELECT id FROM lesson_progress WHERE completed = false` },
  { id: 'sel-completed', category: 'selectivity', note: 'completed = true (~62%)', sql: `SELECT id FROM lesson_progress WHERE completed = true` },
  { id: 'sel-pending', category: 'selectivity', note: "status = 'PENDING' (~2% of transactions)", sql: `SELECT * FROM transactions WHERE status = 'PENDING'` },
  { id: 'sel-completed-tx', category: 'selectivity', note: "status = 'COMPLETED' (~92%)", sql: `SELECT * FROM transactions WHERE status = 'COMPLETED'` },
  { id: 'sel-admin', category: 'selectivity', note: "role = 'ADMIN' (1% of users), no index on role", sql: `SELECT id, email FROM users WHERE role = 'ADMIN'`, candidate: `CREATE INDEX parity_users_role ON users (role)` },
  { id: 'sel-student', category: 'selectivity', note: "role = 'STUDENT' (92%), no index on role: no index would be used", sql: `SELECT id, email FROM users WHERE role = 'STUDENT'`, candidate: `CREATE INDEX parity_users_role ON users (role)` },
  { id: 'sel-published', category: 'selectivity', note: 'published = true (~60% of courses)', sql: `SELECT * FROM courses WHERE published = true`, candidate: `CREATE INDEX parity_courses_published ON courses (published)` },
  { id: 'sel-cancelled', category: 'selectivity', note: "status = 'CANCELLED' (~10% of enrollments)", sql: `SELECT * FROM enrollments WHERE status = 'CANCELLED'` },
  { id: 'sel-payment-pending', category: 'selectivity', note: "paymentStatus = 'PENDING' (~1%), no index", sql: `SELECT * FROM enrollments WHERE "paymentStatus" = 'PENDING'`, candidate: `CREATE INDEX parity_enr_payment ON enrollments ("paymentStatus")` },
  { id: 'sel-payment-free', category: 'selectivity', note: "paymentStatus = 'FREE' (~50%), no index", sql: `SELECT * FROM enrollments WHERE "paymentStatus" = 'FREE'`, candidate: `CREATE INDEX parity_enr_payment ON enrollments ("paymentStatus")` },
  { id: 'sel-percent-100', category: 'selectivity', note: 'progressPercent = 100 (~25%, the most common value)', sql: `SELECT * FROM course_progress WHERE "progressPercent" = 100` },
  { id: 'sel-percent-37', category: 'selectivity', note: 'progressPercent = 37 (<1%)', sql: `SELECT * FROM course_progress WHERE "progressPercent" = 37` },
  { id: 'sel-media-audio', category: 'selectivity', note: "type = 'AUDIO' (5% of media)", sql: `SELECT * FROM media WHERE type = 'AUDIO'` },
  { id: 'sel-media-image', category: 'selectivity', note: "type = 'IMAGE' (50%)", sql: `SELECT * FROM media WHERE type = 'IMAGE'` },
  { id: 'sel-expired-sessions', category: 'selectivity', note: 'deleteExpiredSessions: expires < now() (~30%)', sql: `DELETE FROM sessions WHERE expires < now()`, candidate: `CREATE INDEX parity_sessions_expires ON sessions (expires)` },
  { id: 'sel-status-param', category: 'selectivity', note: 'status = $1 (generic plan: 1/4 of the rows)', sql: `SELECT * FROM transactions WHERE status = $1` },
  { id: 'sel-passed-false', category: 'selectivity', note: 'passed = false (~40% of quiz attempts), no index', sql: `SELECT id FROM quiz_attempts WHERE passed = false`, candidate: `CREATE INDEX parity_qa_passed ON quiz_attempts (passed)` },
  { id: 'sel-recent-week', category: 'selectivity', note: "startedAt > now() - 7 days (~1%), no index", sql: `SELECT * FROM quiz_attempts WHERE "startedAt" > now() - interval '7 days'` },
  { id: 'sel-old-half', category: 'selectivity', note: "startedAt < now() - 1 year (~50%), no index: an index would not be used", sql: `SELECT * FROM quiz_attempts WHERE "startedAt" < now() - interval '365 days'`, candidate: `CREATE INDEX parity_qa_started ON quiz_attempts ("startedAt")` },

  // ── Joins: inner-side lookups ──────────────────────────────────────────────────────────────────
  {
    id: 'join-session-user',
    category: 'join',
    note: 'getSessionUserFast: unique token lookup, then users by primary key',
    sql: `SELECT u.id, u.email, u.role, u.email_verified AS "emailVerified" FROM sessions s JOIN users u ON u.id = s."userId" WHERE s."sessionToken" = $1 AND s.expires > NOW()`,
  },
  {
    id: 'join-certificates-courses',
    category: 'join',
    note: 'getPublicCertificates: certificates by user, courses by primary key',
    sql: `SELECT c."certificateNo", c."issuedAt", c."pdfUrl", co.title AS "courseTitle", co.slug AS "courseSlug" FROM certificates c JOIN courses co ON co.id = c."courseId" WHERE c."userId" = $1 ORDER BY c."issuedAt" DESC`,
  },
  {
    id: 'join-attempts-quizzes',
    category: 'join',
    note: 'getRecentAttemptsPg: attempts by user, quizzes by primary key, LIMIT 10',
    sql: `SELECT a.id, a."quizId", a.score, a.passed, a."startedAt", a."completedAt", q.title AS "quizTitle" FROM quiz_attempts a JOIN quizzes q ON q.id = a."quizId" WHERE a."userId" = $1 ORDER BY a."startedAt" DESC LIMIT 10`,
  },
  {
    id: 'join-stalled-students',
    category: 'join',
    note: 'findStalledStudents: most course_progress rows match, users and courses joined in bulk',
    sql: `SELECT cp."userId", u.email, u.name, c.title AS "courseTitle", c.slug AS "courseSlug", cp."progressPercent", cp."lastAccessedAt" FROM course_progress cp JOIN users u ON u.id = cp."userId" JOIN courses c ON c.id = cp."courseId" WHERE cp."lastAccessedAt" < NOW() - make_interval(days => $1) AND cp."progressPercent" < 100 ORDER BY cp."lastAccessedAt"`,
  },
  {
    id: 'join-order-both-filtered',
    category: 'join',
    note: 'both tables filtered, the joined one by a unique key: the planner starts from users and looks transactions up by userId',
    sql: `SELECT t.* FROM transactions t JOIN users u ON u.id = t."userId" WHERE t.status = 'COMPLETED' AND u.email = $1`,
  },
  {
    id: 'join-order-both-filtered-limit',
    category: 'join',
    note: 'the same with a LIMIT and no ORDER BY: the LIMIT stops the join whichever side drives, so the order is still by cost',
    sql: `SELECT t.* FROM transactions t JOIN users u ON u.id = t."userId" WHERE t.status = 'COMPLETED' AND u.email = $1 LIMIT 10`,
  },
  {
    id: 'join3-order-dimension-unique',
    category: 'join',
    note: 'three tables, the FROM table filtered loosely and a joined one by a unique key: the planner starts from users, looks enrollments up by userId, then courses by id',
    sql: `SELECT e.id, c.title FROM enrollments e JOIN courses c ON c.id = e."courseId" JOIN users u ON u.id = e."userId" WHERE e.status = 'ACTIVE' AND u.email = $1`,
  },
  {
    id: 'join3-order-no-own-filter',
    category: 'join',
    note: 'three tables, only a joined one filtered: the planner starts from it, and enrollments is looked up by its key to users alone (not by its key to courses, which joins afterwards)',
    sql: `SELECT e.id, c.title FROM enrollments e JOIN courses c ON c.id = e."courseId" JOIN users u ON u.id = e."userId" WHERE u.email = $1`,
  },
  {
    id: 'join3-order-from-keeps',
    category: 'join',
    note: 'three tables, the FROM table filtered by its primary key: it keeps driving, the others are looked up from it',
    sql: `SELECT e.id, c.title, u.email FROM enrollments e JOIN courses c ON c.id = e."courseId" JOIN users u ON u.id = e."userId" WHERE e.id = $1 AND u."createdAt" > NOW() - INTERVAL '30 days'`,
  },
  {
    id: 'join3-rows-carried',
    category: 'join',
    note: 'three tables, only a joined one filtered and by a common value: courses is joined to every enrollment of those users, so it is read once for a hash join, not looked up once',
    sql: `SELECT e.id, c.title FROM enrollments e JOIN courses c ON c.id = e."courseId" JOIN users u ON u.id = e."userId" WHERE u.role = 'STUDENT'`,
  },
  {
    id: 'join3-far-filter-slug',
    category: 'join',
    note: 'three tables, only the last one filtered, by a unique key, and not joined to the FROM table: the planner starts from the course by slug, then its enrollments, then their users',
    sql: `SELECT u.email FROM users u JOIN enrollments e ON e."userId" = u.id JOIN courses c ON c.id = e."courseId" WHERE c.slug = $1`,
  },
  {
    id: 'join3-far-filter-email',
    category: 'join',
    note: "three tables, only the last one filtered, by a user's e-mail: the planner starts from the user, then the certificates by userId, then their courses by id",
    sql: `SELECT co.title FROM courses co JOIN certificates ce ON ce."courseId" = co.id JOIN users u ON u.id = ce."userId" WHERE u.email = $1`,
  },
  {
    id: 'join3-far-filter-lessons',
    category: 'join',
    note: "lessons of one course by slug, through its modules: the planner starts from the course, then the modules by courseId, then the lessons by moduleId",
    sql: `SELECT l.title FROM lessons l JOIN course_modules m ON m.id = l."moduleId" JOIN courses c ON c.id = m."courseId" WHERE c.slug = $1`,
  },
  {
    id: 'join3-far-filter-both',
    category: 'join',
    note: 'the FROM table filtered by a common value, the last table of the chain by a unique key: the planner starts from the course, not from the students',
    sql: `SELECT u.email FROM users u JOIN enrollments e ON e."userId" = u.id JOIN courses c ON c.id = e."courseId" WHERE c.slug = $1 AND u.role = 'STUDENT'`,
  },
  {
    id: 'join3-far-filter-from-keeps',
    category: 'join',
    note: 'the FROM table filtered by a unique key, the last table loosely: the user keeps driving',
    sql: `SELECT c.title FROM users u JOIN enrollments e ON e."userId" = u.id JOIN courses c ON c.id = e."courseId" WHERE u.email = $1 AND c.published = true`,
  },
  {
    id: 'join-using-columns',
    category: 'join',
    note: 'JOIN … USING ("userId", "courseId"): one enrollment by its id, then its progress row looked up by the two USING columns (the unique key), not read as a cross join',
    sql: `SELECT cp."progressPercent" FROM enrollments e JOIN course_progress cp USING ("userId", "courseId") WHERE e.id = $1`,
  },
  {
    id: 'join-delete-using',
    category: 'join',
    note: 'DELETE … USING a table filtered by a unique key: the planner starts from the course and finds its enrollments by courseId',
    sql: `DELETE FROM enrollments e USING courses c WHERE c.id = e."courseId" AND c.slug = $1`,
  },
  {
    id: 'join-update-from',
    category: 'join',
    note: 'UPDATE … FROM a table filtered by a unique key: the same join as a SELECT',
    sql: `UPDATE enrollments e SET status = 'EXPIRED' FROM courses c WHERE c.id = e."courseId" AND c.slug = $1`,
  },
  {
    id: 'join-roster-users',
    category: 'join',
    note: 'roster: enrollments of one course joined to users',
    sql: `SELECT e.*, u.name, u.email FROM enrollments e JOIN users u ON u.id = e."userId" WHERE e."courseId" = $1 AND e.status = 'ACTIVE' ORDER BY e."enrolledAt" LIMIT 50`,
  },
  {
    id: 'join-lesson-activity',
    category: 'join',
    note: 'getRecentLessonActivity as SQL: lesson_progress through course_progress of one user',
    sql: `SELECT lp.* FROM lesson_progress lp JOIN course_progress cp ON cp.id = lp."progressId" WHERE cp."userId" = $1 ORDER BY lp."lastWatchedAt" DESC LIMIT 10`,
  },
  {
    id: 'join-pending-enrollment',
    category: 'join',
    note: 'pending transactions with their enrollment: (userId, courseId) unique lookup on the inner side',
    sql: `SELECT t.id, e.status FROM transactions t JOIN enrollments e ON e."userId" = t."userId" AND e."courseId" = t."courseId" WHERE t.status = 'PENDING'`,
  },
  {
    id: 'join-inner-unindexed',
    category: 'join',
    note: 'attempts of the quizzes of one lesson, with no index on quiz_attempts.quizId',
    sql: `SELECT a.* FROM quizzes q JOIN quiz_attempts a ON a."quizId" = q.id WHERE q."lessonId" = $1`,
    drop: ['quiz_attempts_quizId_idx'],
  },
  {
    id: 'join-inner-indexed',
    category: 'join',
    note: 'attempts of the quizzes of one lesson, quiz_attempts.quizId indexed',
    sql: `SELECT a.* FROM quizzes q JOIN quiz_attempts a ON a."quizId" = q.id WHERE q."lessonId" = $1`,
  },
  {
    id: 'join-course-lessons',
    category: 'join',
    note: 'countCourseLessons: lessons of the modules of one course',
    sql: `SELECT count(*) FROM lessons l JOIN course_modules m ON m.id = l."moduleId" WHERE m."courseId" = $1`,
  },
  {
    id: 'join-big-both',
    category: 'join',
    note: 'all ACTIVE enrollments with their course progress: a bulk join, no lookups pay',
    sql: `SELECT e.id, cp."progressPercent" FROM enrollments e JOIN course_progress cp ON cp."userId" = e."userId" AND cp."courseId" = e."courseId" WHERE e.status = 'ACTIVE'`,
  },

  // ── Outer joins ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'outer-reduced-by-where',
    category: 'outer-join',
    note: "LEFT JOINs, but the WHERE clause rejects users' NULL row: that join is inner, so the planner starts from the user by email and looks the enrollments up by userId",
    sql: `SELECT e.id, c.title, u.email FROM enrollments e LEFT JOIN courses c ON c.id = e."courseId" LEFT JOIN users u ON u.id = e."userId" WHERE u.email = $1`,
  },
  {
    id: 'outer-chain-reduced',
    category: 'outer-join',
    note: "a LEFT JOIN chain whose last table is filtered in WHERE: both joins are inner (the last join's ON rejects the middle table's NULL row), and the filtered certificate drives",
    sql: `SELECT u.email, c."certificateNo" FROM users u LEFT JOIN certificates c ON c."userId" = u.id LEFT JOIN courses co ON co.id = c."courseId" WHERE c."certificateNo" = $1`,
  },
  {
    id: 'outer-anti-join',
    category: 'outer-join',
    note: 'courses without enrollments, as LEFT JOIN … IS NULL: an anti-join on courseId, not a lookup of enrollments by a NULL id',
    sql: `SELECT c.id, c.title FROM courses c LEFT JOIN enrollments e ON e."courseId" = c.id WHERE e.id IS NULL`,
  },
  {
    id: 'outer-preserved-on-filter',
    category: 'outer-join',
    note: "an ON condition on the LEFT JOIN's preserved side filters none of its rows: every course is read",
    sql: `SELECT c.id, m.title FROM courses c LEFT JOIN course_modules m ON m."courseId" = c.id AND c.published = false`,
  },
  {
    id: 'outer-nullable-on-filter',
    category: 'outer-join',
    note: "the user's enrollments, left-joined to their progress: one user, a few lookups on each side",
    sql: `SELECT e.id, p."progressPercent" FROM enrollments e LEFT JOIN course_progress p ON p."userId" = e."userId" AND p."courseId" = e."courseId" WHERE e."userId" = $1`,
  },
  // ── Semi-joins (IN (SELECT …), EXISTS) ─────────────────────────────────────────────────────────
  {
    id: 'semi-in-courses-of-user',
    category: 'semi-join',
    note: 'courses a user is enrolled in, through IN (SELECT …): the enrollments of the user drive, each course by its primary key',
    sql: `SELECT c.* FROM courses c WHERE c.id IN (SELECT e."courseId" FROM enrollments e WHERE e."userId" = $1)`,
  },
  {
    id: 'semi-exists-courses-of-user',
    category: 'semi-join',
    note: 'the same written as a correlated EXISTS: PostgreSQL plans it as the same semi-join',
    sql: `SELECT c.* FROM courses c WHERE EXISTS (SELECT 1 FROM enrollments e WHERE e."courseId" = c.id AND e."userId" = $1)`,
  },
  {
    id: 'semi-exists-order-limit',
    category: 'semi-join',
    note: 'EXISTS with ORDER BY createdAt DESC LIMIT 20 and an index on createdAt: few enrollments per user, so the semi-join still drives from them and sorts',
    sql: `SELECT c.* FROM courses c WHERE EXISTS (SELECT 1 FROM enrollments e WHERE e."courseId" = c.id AND e."userId" = $1) ORDER BY c."createdAt" DESC LIMIT 20`,
    create: [`CREATE INDEX parity_courses_created ON courses ("createdAt")`],
  },
  {
    id: 'semi-exists-outer-filtered',
    category: 'semi-join',
    note: 'EXISTS on the unique (userId, courseId) of course_progress, the outer table filtered by courseId: PostgreSQL carries courseId = $1 over to course_progress (equivalence class) and may drive from either side by cost',
    sql: `SELECT e.* FROM enrollments e WHERE e."courseId" = $1 AND EXISTS (SELECT 1 FROM course_progress cp WHERE cp."userId" = e."userId" AND cp."courseId" = e."courseId" AND cp."progressPercent" = 100)`,
  },
  {
    id: 'semi-not-exists',
    category: 'semi-join',
    note: 'NOT EXISTS is an anti-join: the outer table is read for its own filter, the inner looked up (or hashed)',
    sql: `SELECT q.* FROM quizzes q WHERE q."lessonId" = $1 AND NOT EXISTS (SELECT 1 FROM quiz_attempts a WHERE a."quizId" = q.id AND a."userId" = $2)`,
  },

  // ── LIMIT ──────────────────────────────────────────────────────────────────────────────────────
  { id: 'limit-no-index', category: 'limit', note: 'ORDER BY createdAt DESC LIMIT 20 without an index: top-N sort of the table', sql: `SELECT * FROM transactions ORDER BY "createdAt" DESC LIMIT 20` },
  {
    id: 'limit-index',
    category: 'limit',
    note: 'ORDER BY createdAt DESC LIMIT 20 with (createdAt)',
    sql: `SELECT * FROM transactions ORDER BY "createdAt" DESC LIMIT 20`,
    create: [`CREATE INDEX parity_tx_created ON transactions ("createdAt")`],
  },
  {
    id: 'limit-big-offset',
    category: 'limit',
    note: 'LIMIT 20 OFFSET 20000 with (createdAt)',
    sql: `SELECT * FROM transactions ORDER BY "createdAt" DESC LIMIT 20 OFFSET 20000`,
    create: [`CREATE INDEX parity_tx_created ON transactions ("createdAt")`],
  },
  {
    id: 'limit-filter-on-order-index',
    category: 'limit',
    note: "status = 'PENDING' ORDER BY createdAt DESC LIMIT 50 with only (createdAt): walk the index and filter",
    sql: `SELECT * FROM transactions WHERE status = 'PENDING' ORDER BY "createdAt" DESC LIMIT 50`,
    create: [`CREATE INDEX parity_tx_created ON transactions ("createdAt")`],
    drop: ['transactions_status_idx'],
  },
  {
    id: 'limit-filter-rare',
    category: 'limit',
    note: "role = 'ADMIN' (1%) ORDER BY createdAt DESC LIMIT 20 with (createdAt)",
    sql: `SELECT * FROM users WHERE role = 'ADMIN' ORDER BY "createdAt" DESC LIMIT 20`,
    create: [`CREATE INDEX parity_users_created ON users ("createdAt")`],
  },
  {
    id: 'limit-param',
    category: 'limit',
    note: 'LIMIT $1 with (createdAt)',
    sql: `SELECT * FROM users ORDER BY "createdAt" DESC LIMIT $1`,
    create: [`CREATE INDEX parity_users_created ON users ("createdAt")`],
  },
  { id: 'limit-uploads', category: 'limit', note: 'listUploads: uploaded_by = ORDER BY createdAt DESC LIMIT 50 with (uploaded_by) only', sql: `SELECT * FROM media WHERE uploaded_by = $1 ORDER BY "createdAt" DESC LIMIT 50` },
  { id: 'limit-exists-style', category: 'limit', note: 'LIMIT 1 lookup on a non-selective filter: the first match is found at once', sql: `SELECT id FROM lesson_progress WHERE completed = true LIMIT 1` },

  // ── B-tree skip scan (PostgreSQL 18) ───────────────────────────────────────────────────────────
  {
    id: 'skip-status-created',
    category: 'skip-scan',
    note: 'createdAt range with only (status, createdAt): 4 status values to skip through',
    sql: `SELECT * FROM transactions WHERE "createdAt" > now() - interval '1 day'`,
    create: [`CREATE INDEX parity_tx_status_created ON transactions (status, "createdAt")`],
  },
  {
    id: 'skip-role-created',
    category: 'skip-scan',
    note: 'createdAt range with only (role, createdAt): 3 roles',
    sql: `SELECT id, email FROM users WHERE "createdAt" > now() - interval '7 days'`,
    create: [`CREATE INDEX parity_users_role_created ON users (role, "createdAt")`],
  },
  {
    id: 'skip-completed-watched',
    category: 'skip-scan',
    note: 'lastWatchedAt range with only (completed, lastWatchedAt): 2 values',
    sql: `SELECT id FROM lesson_progress WHERE "lastWatchedAt" > now() - interval '2 days'`,
    create: [`CREATE INDEX parity_lp_completed_watched ON lesson_progress (completed, "lastWatchedAt")`],
  },
  {
    id: 'skip-many-leading-values',
    category: 'skip-scan',
    note: 'courseId = with only (userId, courseId): thousands of userId values, skipping does not pay',
    sql: `SELECT * FROM enrollments WHERE "courseId" = $1`,
    drop: ['enrollments_courseId_idx'],
  },
  {
    id: 'skip-type-created',
    category: 'skip-scan',
    note: 'media createdAt range with only (type, createdAt): 4 types',
    sql: `SELECT id FROM media WHERE "createdAt" > now() - interval '3 days'`,
    create: [`CREATE INDEX parity_media_type_created ON media (type, "createdAt")`],
  },
];

/** The sample's SQL statements (`.sql` files and SQL embedded in TypeScript) as cases on its own index set. */
export function sampleSqlCases(shapes: QueryShape[], root: string, schema: SchemaModel): ParityCase[] {
  const out: ParityCase[] = [];
  const seen = new Set<string>();
  for (const s of shapes) {
    if (s.origin === 'prisma' || s.origin === 'migration') continue;
    // Statements on the catalog (maintenance.sql) and INSERT … VALUES read no table of the schema: no plan to compare.
    if (!s.accesses.some((a) => schema.tables.has(a.table) && a.kind !== 'insert')) continue;
    const key = s.text.replace(/\s+/g, ' ').trim();
    if (seen.has(key)) continue;
    seen.add(key);
    const file = path.relative(root, s.location.file);
    out.push({
      id: `sample:${file}:${s.location.range.start.line + 1}`,
      category: 'sample-sql',
      note: s.label,
      source: `${file}:${s.location.range.start.line + 1}`,
      sql: s.text,
    });
  }
  return out;
}

/**
 * The sample's main Prisma calls: the call the tool analyses and the SQL Prisma 6 sends for it,
 * written by hand (column lists shortened to `*` where Prisma selects every scalar field; literal
 * values inlined, see the file comment).
 */
export const PRISMA_CASES: ParityCase[] = [
  {
    id: 'prisma:getCatalog',
    category: 'prisma',
    source: 'src/services/catalog.ts getCatalog',
    note: 'published courses, featured first, newest first, 20 a page',
    prisma: `prisma.course.findMany({ where: { published: true }, orderBy: [{ featured: 'desc' }, { createdAt: 'desc' }], take: 20, skip: limit })`,
    sql: `SELECT * FROM courses WHERE published = true ORDER BY featured DESC, "createdAt" DESC LIMIT 20 OFFSET $1`,
  },
  {
    id: 'prisma:getStudentDashboard',
    category: 'prisma',
    source: 'src/services/enrollments.ts getStudentDashboard',
    note: 'enrollments of a user (ACTIVE), then their courses, then the progress rows',
    prisma: `prisma.enrollment.findMany({ where: { userId, status: 'ACTIVE' }, include: { course: { include: { progress: { where: { userId }, select: { progressPercent: true, lastAccessedAt: true } } } } }, orderBy: { enrolledAt: 'desc' } })`,
    sql: [
      `SELECT * FROM enrollments WHERE "userId" = $1 AND status = 'ACTIVE' ORDER BY "enrolledAt" DESC OFFSET $2`,
      `SELECT * FROM courses WHERE id IN ($1, $2, $3, $4, $5, $6, $7, $8)`,
      `SELECT "progressPercent", "lastAccessedAt", "courseId" FROM course_progress WHERE "userId" = $1 AND "courseId" IN ($2, $3, $4, $5, $6, $7, $8, $9) OFFSET $10`,
    ],
  },
  {
    id: 'prisma:getUserCertificates',
    category: 'prisma',
    source: 'src/services/certificates.ts getUserCertificates',
    note: 'certificates of a user newest first, then their courses',
    prisma: `prisma.certificate.findMany({ where: { userId }, orderBy: { issuedAt: 'desc' }, include: { course: { select: { title: true, slug: true, thumbnail: true } } } })`,
    sql: [`SELECT * FROM certificates WHERE "userId" = $1 ORDER BY "issuedAt" DESC OFFSET $2`, `SELECT id, title, slug, thumbnail FROM courses WHERE id IN ($1, $2, $3)`],
  },
  {
    id: 'prisma:getPaymentHistory',
    category: 'prisma',
    source: 'src/services/payments.ts getPaymentHistory',
    note: 'transactions of a user, newest first, 10 a page',
    prisma: `prisma.transaction.findMany({ where: { userId }, orderBy: { createdAt: 'desc' }, take: 10, skip: limit, include: { course: { select: { title: true, slug: true } } } })`,
    sql: [`SELECT * FROM transactions WHERE "userId" = $1 ORDER BY "createdAt" DESC LIMIT 10 OFFSET $2`, `SELECT id, title, slug FROM courses WHERE id IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`],
  },
  {
    id: 'prisma:getPendingTransactions',
    category: 'prisma',
    source: 'src/services/payments.ts getPendingTransactions',
    note: "status 'PENDING' newest first, 50, then the users",
    prisma: `prisma.transaction.findMany({ where: { status: 'PENDING' }, orderBy: { createdAt: 'desc' }, take: 50, include: { user: { select: { email: true } } } })`,
    sql: [`SELECT * FROM transactions WHERE status = 'PENDING' ORDER BY "createdAt" DESC LIMIT 50 OFFSET 0`, `SELECT id, email FROM users WHERE id IN (${Array.from({ length: 50 }, (_, i) => `$${i + 1}`).join(', ')})`],
  },
  {
    id: 'prisma:getRecentAttempts',
    category: 'prisma',
    source: 'src/services/quizzes.ts getRecentAttempts',
    note: 'attempts of a user newest first, 10, then their quizzes',
    prisma: `prisma.quizAttempt.findMany({ where: { userId }, orderBy: { startedAt: 'desc' }, take: 10, include: { quiz: { select: { id: true, title: true, lessonId: true } } } })`,
    sql: [`SELECT * FROM quiz_attempts WHERE "userId" = $1 ORDER BY "startedAt" DESC LIMIT 10 OFFSET 0`, `SELECT id, title, "lessonId" FROM quizzes WHERE id IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`],
  },
  {
    id: 'prisma:getQuizHistory',
    category: 'prisma',
    source: 'src/services/quizzes.ts getQuizHistory',
    note: 'attempts of a user on a quiz, newest first',
    prisma: `prisma.quizAttempt.findMany({ where: { userId, quizId }, orderBy: { startedAt: 'desc' } })`,
    sql: `SELECT * FROM quiz_attempts WHERE "userId" = $1 AND "quizId" = $2 ORDER BY "startedAt" DESC OFFSET $3`,
  },
  {
    id: 'prisma:getIncompleteLessons',
    category: 'prisma',
    source: 'src/services/progress.ts getIncompleteLessons',
    note: 'lesson_progress of a progress row, completed = false',
    prisma: `prisma.lessonProgress.findMany({ where: { progressId, completed: false }, select: { lessonId: true, watchTimeSeconds: true, lastWatchedAt: true } })`,
    sql: `SELECT "lessonId", "watchTimeSeconds", "lastWatchedAt" FROM lesson_progress WHERE "progressId" = $1 AND completed = false OFFSET $2`,
  },
  {
    id: 'prisma:getInactiveStudents',
    category: 'prisma',
    source: 'src/services/progress.ts getInactiveStudents',
    note: 'course_progress not accessed since a cutoff and not finished, oldest first (most of the table)',
    prisma: `prisma.courseProgress.findMany({ where: { lastAccessedAt: { lt: cutoff }, progressPercent: { lt: 100 } }, orderBy: { lastAccessedAt: 'asc' } })`,
    sql: `SELECT * FROM course_progress WHERE "lastAccessedAt" < $1 AND "progressPercent" < 100 ORDER BY "lastAccessedAt" ASC OFFSET $2`,
  },
  {
    id: 'prisma:getRecentCourses',
    category: 'prisma',
    source: 'src/services/progress.ts getRecentCourses',
    note: 'course_progress of a user, last accessed first, 5',
    prisma: `prisma.courseProgress.findMany({ where: { userId }, orderBy: { lastAccessedAt: 'desc' }, take: 5 })`,
    sql: `SELECT * FROM course_progress WHERE "userId" = $1 ORDER BY "lastAccessedAt" DESC LIMIT 5 OFFSET 0`,
  },
  {
    id: 'prisma:listUsersByRole',
    category: 'prisma',
    source: 'src/services/users.ts listUsersByRole',
    note: 'users of a role (a variable), newest first, no LIMIT',
    prisma: `prisma.user.findMany({ where: { role }, orderBy: { createdAt: 'desc' } })`,
    sql: `SELECT * FROM users WHERE role = $1::"Role" ORDER BY "createdAt" DESC OFFSET $2`,
  },
  {
    id: 'prisma:listInstructors',
    category: 'prisma',
    source: 'src/services/users.ts listInstructors',
    note: "role 'INSTRUCTOR' (7%), newest first",
    prisma: `prisma.user.findMany({ where: { role: 'INSTRUCTOR' }, orderBy: { createdAt: 'desc' } })`,
    sql: `SELECT * FROM users WHERE role = 'INSTRUCTOR' ORDER BY "createdAt" DESC OFFSET 0`,
  },
  {
    id: 'prisma:getRecentStudents',
    category: 'prisma',
    source: 'src/services/users.ts getRecentStudents',
    note: "role 'STUDENT' (92%) newest first, 20",
    prisma: `prisma.user.findMany({ where: { role: 'STUDENT' }, orderBy: { createdAt: 'desc' }, take: limit, select: { id: true, name: true, email: true, role: true, createdAt: true } })`,
    sql: `SELECT id, name, email, role, "createdAt" FROM users WHERE role = 'STUDENT' ORDER BY "createdAt" DESC LIMIT $1 OFFSET 0`,
  },
  {
    id: 'prisma:getTransactionsInRange',
    category: 'prisma',
    source: 'src/services/payments.ts getTransactionsInRange',
    note: 'createdAt between two dates, in order',
    prisma: `prisma.transaction.findMany({ where: { createdAt: { gte: from, lte: to } }, orderBy: { createdAt: 'asc' } })`,
    sql: `SELECT * FROM transactions WHERE "createdAt" >= $1 AND "createdAt" <= $2 ORDER BY "createdAt" ASC OFFSET $3`,
  },
  {
    id: 'prisma:getModuleLessons',
    category: 'prisma',
    source: 'src/services/courses.ts getModuleLessons',
    note: 'lessons of a module in order, five columns',
    prisma: `prisma.lesson.findMany({ where: { moduleId }, orderBy: { order: 'asc' }, select: { id: true, title: true, duration: true, order: true, isPreview: true } })`,
    sql: `SELECT id, title, duration, "order", "isPreview" FROM lessons WHERE "moduleId" = $1 ORDER BY "order" ASC OFFSET $2`,
  },
  {
    id: 'prisma:getNextLesson',
    category: 'prisma',
    source: 'src/services/courses.ts getNextLesson',
    note: 'findFirst: moduleId =, order >, ORDER BY order LIMIT 1',
    prisma: `prisma.lesson.findFirst({ where: { moduleId, order: { gt: currentOrder } }, orderBy: { order: 'asc' } })`,
    sql: `SELECT * FROM lessons WHERE "moduleId" = $1 AND "order" > $2 ORDER BY "order" ASC LIMIT 1 OFFSET 0`,
  },
  {
    id: 'prisma:getCourseRoster',
    category: 'prisma',
    source: 'src/services/enrollments.ts getCourseRoster',
    note: 'ACTIVE enrollments of a course, oldest first, 50 a page, then the users',
    prisma: `prisma.enrollment.findMany({ where: { courseId, status: 'ACTIVE' }, include: { user: { select: { id: true, name: true, email: true } } }, orderBy: { enrolledAt: 'asc' }, skip: limit, take: 50 })`,
    sql: [`SELECT * FROM enrollments WHERE "courseId" = $1 AND status = 'ACTIVE' ORDER BY "enrolledAt" ASC LIMIT 50 OFFSET $2`, `SELECT id, name, email FROM users WHERE id IN (${Array.from({ length: 50 }, (_, i) => `$${i + 1}`).join(', ')})`],
  },
  {
    id: 'prisma:listUploads',
    category: 'prisma',
    source: 'src/services/media.ts listUploads',
    note: 'media of an uploader, newest first, 50',
    prisma: `prisma.media.findMany({ where: { uploadedById: userId }, orderBy: { createdAt: 'desc' }, take: 50 })`,
    sql: `SELECT * FROM media WHERE uploaded_by = $1 ORDER BY "createdAt" DESC LIMIT 50 OFFSET 0`,
  },
  {
    id: 'prisma:listMediaByType',
    category: 'prisma',
    source: 'src/services/media.ts listMediaByType',
    note: 'media of a type (variable), newest first, 100',
    prisma: `prisma.media.findMany({ where: { type }, orderBy: { createdAt: 'desc' }, take: 100 })`,
    sql: `SELECT * FROM media WHERE type = $1::"MediaType" ORDER BY "createdAt" DESC LIMIT 100 OFFSET 0`,
  },
  {
    id: 'prisma:getCourseBySlug',
    category: 'prisma',
    source: 'src/services/courses.ts getCourseBySlug',
    note: 'course by slug, its instructor, its modules in order, their lessons in order',
    prisma: `prisma.course.findUnique({ where: { slug }, include: { instructor: { select: { id: true, name: true } }, modules: { orderBy: { order: 'asc' }, include: { lessons: { orderBy: { order: 'asc' } } } } } })`,
    sql: [
      `SELECT * FROM courses WHERE slug = $1 LIMIT 1 OFFSET 0`,
      `SELECT id, name FROM users WHERE id IN ($1)`,
      `SELECT * FROM course_modules WHERE "courseId" IN ($1) ORDER BY "order" ASC OFFSET 0`,
      `SELECT * FROM lessons WHERE "moduleId" IN ($1, $2, $3, $4, $5) ORDER BY "order" ASC OFFSET 0`,
    ],
  },
  {
    id: 'prisma:getSessionAndUser',
    category: 'prisma',
    source: 'src/services/auth.ts getSessionAndUser',
    note: 'session by token, then its user',
    prisma: `prisma.session.findUnique({ where: { sessionToken }, include: { user: true } })`,
    sql: [`SELECT * FROM sessions WHERE "sessionToken" = $1 LIMIT 1 OFFSET 0`, `SELECT * FROM users WHERE id IN ($1)`],
  },
  {
    id: 'prisma:searchUsers',
    category: 'prisma',
    source: 'src/services/search.ts searchUsers',
    note: 'email or name contains (insensitive), newest first, 20; no trigram index in the sample',
    prisma: `prisma.user.findMany({ where: { OR: [{ email: { contains: term, mode: 'insensitive' } }, { name: { contains: term, mode: 'insensitive' } }] }, orderBy: { createdAt: 'desc' }, take: 20, select: { id: true, name: true, email: true, role: true } })`,
    sql: `SELECT id, name, email, role FROM users WHERE (email ILIKE $1 OR name ILIKE $2) ORDER BY "createdAt" DESC LIMIT 20 OFFSET 0`,
  },
  {
    id: 'prisma:getFeaturedCourses',
    category: 'prisma',
    source: 'src/services/courses.ts getFeaturedCourses',
    note: 'published and featured, newest first',
    prisma: `prisma.course.findMany({ where: { published: true, featured: true }, orderBy: { createdAt: 'desc' } })`,
    sql: `SELECT * FROM courses WHERE published = true AND featured = true ORDER BY "createdAt" DESC OFFSET 0`,
  },
  {
    id: 'prisma:getCompletionStats',
    category: 'prisma',
    source: 'src/services/progress.ts getCompletionStats',
    note: 'aggregate over the course_progress of a course',
    prisma: `prisma.courseProgress.aggregate({ where: { courseId }, _avg: { progressPercent: true }, _count: { _all: true } })`,
    sql: `SELECT avg("progressPercent"), count(*) FROM (SELECT "progressPercent" FROM course_progress WHERE "courseId" = $1 OFFSET 0) AS sub`,
  },
  {
    id: 'prisma:countActiveEnrollments',
    category: 'prisma',
    source: 'src/services/enrollments.ts countActiveEnrollments',
    note: "count of ACTIVE enrollments of a course (Prisma counts over a sub-select of id)",
    prisma: `prisma.enrollment.count({ where: { courseId, status: 'ACTIVE' } })`,
    sql: `SELECT count(*) FROM (SELECT id FROM enrollments WHERE "courseId" = $1 AND status = 'ACTIVE' OFFSET 0) AS sub`,
  },
  {
    id: 'prisma:getLessonQuizzes',
    category: 'prisma',
    source: 'src/services/quizzes.ts getLessonQuizzes',
    note: 'quizzes of a lesson, oldest first',
    prisma: `prisma.quiz.findMany({ where: { lessonId }, orderBy: { createdAt: 'asc' } })`,
    sql: `SELECT * FROM quizzes WHERE "lessonId" = $1 ORDER BY "createdAt" ASC OFFSET 0`,
  },
  {
    id: 'prisma:getCoursesInPriceRange',
    category: 'prisma',
    source: 'src/services/catalog.ts getCoursesInPriceRange',
    note: 'published courses in a price range, cheapest first',
    prisma: `prisma.course.findMany({ where: { published: true, price: { gte: min, lte: max } }, orderBy: { price: 'asc' } })`,
    sql: `SELECT * FROM courses WHERE published = true AND price >= $1 AND price <= $2 ORDER BY price ASC OFFSET 0`,
  },
  {
    id: 'prisma:getEnrollment',
    category: 'prisma',
    source: 'src/services/enrollments.ts getEnrollment',
    note: 'findUnique on the compound unique key',
    prisma: `prisma.enrollment.findUnique({ where: { userId_courseId: { userId, courseId } } })`,
    sql: `SELECT * FROM enrollments WHERE "userId" = $1 AND "courseId" = $2 LIMIT 1 OFFSET 0`,
  },
  {
    id: 'prisma:deleteExpiredSessions',
    category: 'prisma',
    source: 'src/services/auth.ts deleteExpiredSessions',
    note: 'deleteMany of expired sessions (~30%)',
    prisma: `prisma.session.deleteMany({ where: { expires: { lt: new Date() } } })`,
    sql: `DELETE FROM sessions WHERE expires < $1`,
  },
];
