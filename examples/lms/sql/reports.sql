-- Admin / instructor reports. Parameters are positional ($1, $2, ...).

-- name: InstructorCourseAnalytics :many
-- Course analytics with revenue for one instructor.
SELECT
  c.id,
  c.title,
  ca."totalEnrollments",
  ca."activeEnrollments",
  ca."completionRate",
  ca."totalRevenue"
FROM courses c
LEFT JOIN course_analytics ca ON ca."courseId" = c.id
WHERE c."instructorId" = $1
ORDER BY ca."totalRevenue" DESC;

-- name: TransactionsInRange :many
-- Finance export: every transaction in a date range.
SELECT *
FROM transactions
WHERE "createdAt" BETWEEN $1 AND $2;

-- name: DailyRevenue :many
SELECT
  date_trunc('day', "createdAt") AS day,
  currency,
  COUNT(*) AS payments,
  SUM(amount) AS revenue
FROM transactions
WHERE status = 'COMPLETED'
  AND "createdAt" >= $1
  AND "createdAt" < $2
GROUP BY 1, 2
ORDER BY 1;

-- name: PendingTransactions :many
SELECT t.id, t."userId", t.amount, t.currency, t.provider, t."providerTxnId", t."createdAt", u.email
FROM transactions t
JOIN users u ON u.id = t."userId"
WHERE t.status = 'PENDING'
ORDER BY t."createdAt" DESC
LIMIT 50;

-- name: NewInstructors :many
SELECT id, name, email, "createdAt"
FROM users
WHERE role = 'INSTRUCTOR'
ORDER BY "createdAt" DESC;
