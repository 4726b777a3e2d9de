/**
 * Hourly: refresh course_analytics for courses whose numbers are stale.
 */
import { prisma } from '../lib/db'

export async function refreshCourseAnalytics(courseId: string) {
  return prisma.$executeRaw`
    INSERT INTO "course_analytics" ("id", "courseId", "totalEnrollments", "activeEnrollments", "completionRate", "totalRevenue", "lastCalculatedAt")
    SELECT
      gen_random_uuid()::text,
      c."id",
      COUNT(e."id")::int,
      COUNT(e."id") FILTER (WHERE e."status" = 'ACTIVE')::int,
      COALESCE(COUNT(e."id") FILTER (WHERE e."status" = 'COMPLETED')::float / NULLIF(COUNT(e."id"), 0), 0),
      COALESCE((SELECT SUM(t."amount") FROM "transactions" t WHERE t."courseId" = c."id" AND t."status" = 'COMPLETED'), 0),
      NOW()
    FROM "courses" c
    LEFT JOIN "enrollments" e ON e."courseId" = c."id"
    WHERE c."id" = ${courseId}
    GROUP BY c."id"
    ON CONFLICT ("courseId") DO UPDATE SET
      "totalEnrollments" = EXCLUDED."totalEnrollments",
      "activeEnrollments" = EXCLUDED."activeEnrollments",
      "completionRate" = EXCLUDED."completionRate",
      "totalRevenue" = EXCLUDED."totalRevenue",
      "lastCalculatedAt" = EXCLUDED."lastCalculatedAt"
  `
}

export async function run() {
  const stale = await prisma.courseAnalytics.findMany({
    where: { lastCalculatedAt: { lt: new Date(Date.now() - 60 * 60 * 1000) } },
    select: { courseId: true },
  })
  const missing = await prisma.course.findMany({
    where: { published: true, analytics: { is: null } },
    select: { id: true },
  })

  const ids = [...stale.map((s) => s.courseId), ...missing.map((c) => c.id)]
  for (const id of ids) {
    await refreshCourseAnalytics(id)
  }
  console.info(`recalculate-analytics: refreshed ${ids.length} courses`)
}

if (require.main === module) {
  run()
    .catch((err) => {
      console.error(err)
      process.exitCode = 1
    })
    .finally(() => prisma.$disconnect())
}
