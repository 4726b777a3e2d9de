-- name: StudentDashboard :many
-- Enrolled courses with progress for the signed-in student ($1 = user id).
SELECT
  c.*,
  e.status,
  e."enrolledAt",
  cp."progressPercent",
  cp."lastAccessedAt"
FROM enrollments e
JOIN courses c ON e."courseId" = c.id
LEFT JOIN course_progress cp ON cp."userId" = e."userId" AND cp."courseId" = c.id
WHERE e."userId" = $1
  AND e.status = 'ACTIVE'
ORDER BY cp."lastAccessedAt" DESC;

-- name: RecentlyAccessedCourses :many
SELECT cp."courseId", cp."progressPercent", cp."lastAccessedAt"
FROM course_progress cp
WHERE cp."userId" = $1
ORDER BY cp."lastAccessedAt" DESC;

-- name: CourseDetailsBySlug :one
SELECT
  c.*,
  json_agg(
    json_build_object(
      'module', m,
      'lessons', (SELECT json_agg(l ORDER BY l."order") FROM lessons l WHERE l."moduleId" = m.id)
    ) ORDER BY m."order"
  ) AS modules
FROM courses c
LEFT JOIN course_modules m ON m."courseId" = c.id
WHERE c.slug = $1
GROUP BY c.id;

-- name: UserCertificates :many
SELECT "certificateNo", "courseId", "issuedAt", "pdfUrl"
FROM certificates
WHERE "userId" = $1
ORDER BY "issuedAt" DESC;
