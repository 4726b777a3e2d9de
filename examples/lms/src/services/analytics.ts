import { Prisma } from '@prisma/client'
import { prisma } from '@/lib/db'

export interface InstructorCourseStats {
  id: string
  title: string
  totalEnrollments: number | null
  activeEnrollments: number | null
  completionRate: number | null
  totalRevenue: Prisma.Decimal | null
}

export async function getInstructorAnalytics(instructorId: string) {
  return prisma.course.findMany({
    where: { instructorId },
    select: {
      id: true,
      title: true,
      analytics: {
        select: {
          totalEnrollments: true,
          activeEnrollments: true,
          completionRate: true,
          totalRevenue: true,
          lastCalculatedAt: true,
        },
      },
    },
    orderBy: { analytics: { totalRevenue: 'desc' } },
  })
}

export async function getInstructorAnalyticsRaw(instructorId: string) {
  return prisma.$queryRaw<InstructorCourseStats[]>`
    SELECT
      c."id",
      c."title",
      ca."totalEnrollments",
      ca."activeEnrollments",
      ca."completionRate",
      ca."totalRevenue"
    FROM "courses" c
    LEFT JOIN "course_analytics" ca ON ca."courseId" = c."id"
    WHERE c."instructorId" = ${instructorId}
    ORDER BY ca."totalRevenue" DESC
  `
}

export async function getCourseAnalytics(courseId: string) {
  return prisma.courseAnalytics.findUnique({ where: { courseId } })
}

export async function recalculateCourseAnalytics(courseId: string) {
  const [totalEnrollments, activeEnrollments, completed, revenue] = await Promise.all([
    prisma.enrollment.count({ where: { courseId } }),
    prisma.enrollment.count({ where: { courseId, status: 'ACTIVE' } }),
    prisma.enrollment.count({ where: { courseId, status: 'COMPLETED' } }),
    prisma.transaction.aggregate({
      where: { courseId, status: 'COMPLETED' },
      _sum: { amount: true },
    }),
  ])

  const data = {
    totalEnrollments,
    activeEnrollments,
    completionRate: totalEnrollments === 0 ? 0 : completed / totalEnrollments,
    totalRevenue: revenue._sum.amount ?? new Prisma.Decimal(0),
    lastCalculatedAt: new Date(),
  }

  return prisma.courseAnalytics.upsert({
    where: { courseId },
    create: { courseId, ...data },
    update: data,
  })
}

export async function getStaleAnalytics(olderThanMinutes = 60) {
  return prisma.courseAnalytics.findMany({
    where: { lastCalculatedAt: { lt: new Date(Date.now() - olderThanMinutes * 60_000) } },
    select: { courseId: true },
  })
}

export async function getPlatformOverview() {
  const [usersByRole, enrollmentsByStatus, revenue, publishedCourses] = await Promise.all([
    prisma.user.groupBy({ by: ['role'], _count: { _all: true } }),
    prisma.enrollment.groupBy({ by: ['status'], _count: { _all: true } }),
    prisma.transaction.aggregate({ where: { status: 'COMPLETED' }, _sum: { amount: true } }),
    prisma.course.count({ where: { published: true } }),
  ])
  return { usersByRole, enrollmentsByStatus, revenue: revenue._sum.amount, publishedCourses }
}

export async function getTopCourses(limit = 10) {
  return prisma.courseAnalytics.findMany({
    orderBy: { totalRevenue: 'desc' },
    take: limit,
    include: { course: { select: { title: true, slug: true } } },
  })
}
