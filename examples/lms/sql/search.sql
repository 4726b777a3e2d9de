-- name: SearchPublishedCourses :many
-- $1 = title pattern, $2 = description pattern (both already wrapped in %...%)
SELECT *
FROM courses
WHERE published = true
  AND (
    title ILIKE $1
    OR description ILIKE $2
  )
ORDER BY featured DESC, "createdAt" DESC;

-- name: CatalogByDifficulty :many
SELECT *
FROM courses
WHERE published = true
  AND difficulty = $1
ORDER BY featured DESC, "createdAt" DESC
LIMIT 20;
