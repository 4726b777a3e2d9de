import type { EnrollmentStatus } from '@prisma/client'
import { prisma } from '@/lib/db'

export interface DashboardCourseRow {
  id: string
  title: string
  slug: string
  thumbnail: string | null
  status: EnrollmentStatus
  enrolledAt: Date
  progressPercent: number | null
  lastAccessedAt: Date | null
}

export async function getStudentDashboard(userId: string) {
  return prisma.enrollment.findMany({
    where: { userId, status: 'ACTIVE' },
    include: {
      course: {
        include: {
          progress: {
            where: { userId },
            select: { progressPercent: true, lastAccessedAt: true },
          },
        },
      },
    },
    orderBy: { enrolledAt: 'desc' },
  })
}

// Dashboard "continue learning" list, ordered by most recently accessed course
export async function getDashboardCourses(userId: string) {
  return prisma.$queryRaw<DashboardCourseRow[]>`
    SELECT
      c.*,
      e."status",
      e."enrolledAt",
      cp."progressPercent",
      cp."lastAccessedAt"
    FROM "enrollments" e
    JOIN "courses" c ON e."courseId" = c."id"
    LEFT JOIN "course_progress" cp ON cp."userId" = e."userId" AND cp."courseId" = c."id"
    WHERE e."userId" = ${userId}
      AND e."status" = 'ACTIVE'
    ORDER BY cp."lastAccessedAt" DESC
  `
}

export async function getEnrollment(userId: string, courseId: string) {
  return prisma.enrollment.findUnique({
    where: { userId_courseId: { userId, courseId } },
  })
}

export async function isEnrolled(userId: string, courseId: string) {
  const count = await prisma.enrollment.count({
    where: { userId, courseId, status: { in: ['ACTIVE', 'COMPLETED'] } },
  })
  return count > 0
}

export async function enroll(userId: string, courseId: string, free = false) {
  const totalLessons = await prisma.lesson.count({ where: { module: { courseId } } })

  return prisma.$transaction([
    prisma.enrollment.upsert({
      where: { userId_courseId: { userId, courseId } },
      create: {
        userId,
        courseId,
        status: 'ACTIVE',
        paymentStatus: free ? 'FREE' : 'PENDING',
      },
      update: { status: 'ACTIVE' },
    }),
    prisma.courseProgress.upsert({
      where: { userId_courseId: { userId, courseId } },
      create: { userId, courseId, totalLessons },
      update: { totalLessons, lastAccessedAt: new Date() },
    }),
  ])
}

export async function cancelEnrollment(userId: string, courseId: string) {
  return prisma.enrollment.update({
    where: { userId_courseId: { userId, courseId } },
    data: { status: 'CANCELLED' },
  })
}

export async function completeEnrollment(userId: string, courseId: string) {
  return prisma.enrollment.update({
    where: { userId_courseId: { userId, courseId } },
    data: { status: 'COMPLETED', completedAt: new Date() },
  })
}

export async function getCourseRoster(courseId: string, page = 1, pageSize = 50) {
  return prisma.enrollment.findMany({
    where: { courseId, status: 'ACTIVE' },
    include: { user: { select: { id: true, name: true, email: true, image: true } } },
    orderBy: { enrolledAt: 'asc' },
    skip: (page - 1) * pageSize,
    take: pageSize,
  })
}

export async function countActiveEnrollments(courseId: string) {
  return prisma.enrollment.count({
    where: { courseId, status: 'ACTIVE' },
  })
}

export async function getUserEnrollmentHistory(userId: string) {
  return prisma.enrollment.findMany({
    where: { userId },
    select: {
      status: true,
      enrolledAt: true,
      completedAt: true,
      course: { select: { title: true, slug: true } },
    },
    orderBy: { enrolledAt: 'desc' },
  })
}

export async function cancelCourseEnrollments(courseId: string) {
  return prisma.enrollment.updateMany({
    where: { courseId, status: 'ACTIVE' },
    data: { status: 'CANCELLED' },
  })
}
