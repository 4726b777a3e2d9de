import { prisma } from '@/lib/db'
import { pool } from '@/lib/pg'

const DAY_MS = 24 * 60 * 60 * 1000

export interface LessonCompletion {
  progressId: string
  lessonId: string
  watchTimeSeconds: number
}

export async function getCourseProgress(userId: string, courseId: string) {
  return prisma.courseProgress.findUnique({
    where: { userId_courseId: { userId, courseId } },
    include: {
      lessons: { select: { lessonId: true, completed: true, watchTimeSeconds: true } },
    },
  })
}

export async function getLessonProgress(progressId: string, lessonId: string) {
  return prisma.lessonProgress.findUnique({
    where: { progressId_lessonId: { progressId, lessonId } },
  })
}

export async function getIncompleteLessons(progressId: string) {
  return prisma.lessonProgress.findMany({
    where: { progressId, completed: false },
    select: { lessonId: true, watchTimeSeconds: true, lastWatchedAt: true },
  })
}

export async function markLessonComplete({ progressId, lessonId, watchTimeSeconds }: LessonCompletion) {
  return prisma.$transaction(async (tx) => {
    await tx.lessonProgress.upsert({
      where: { progressId_lessonId: { progressId, lessonId } },
      update: { completed: true, completedAt: new Date(), watchTimeSeconds },
      create: { progressId, lessonId, completed: true, completedAt: new Date(), watchTimeSeconds },
    })

    const completedLessons = await tx.lessonProgress.count({
      where: { progressId, completed: true },
    })
    const progress = await tx.courseProgress.findUniqueOrThrow({
      where: { id: progressId },
      select: { totalLessons: true },
    })

    return tx.courseProgress.update({
      where: { id: progressId },
      data: {
        completedLessons,
        progressPercent: Math.min(100, Math.floor((completedLessons * 100) / Math.max(progress.totalLessons, 1))),
        lastAccessedAt: new Date(),
      },
    })
  })
}

// Legacy path kept for the mobile app's /progress/complete endpoint
export async function completeLessonRaw({ progressId, lessonId, watchTimeSeconds }: LessonCompletion) {
  await prisma.$transaction([
    prisma.$executeRaw`
      UPDATE "lesson_progress"
      SET "completed" = true, "completedAt" = NOW(), "watchTimeSeconds" = ${watchTimeSeconds}
      WHERE "progressId" = ${progressId} AND "lessonId" = ${lessonId}
    `,
    prisma.$executeRaw`
      UPDATE "course_progress"
      SET "completedLessons" = "completedLessons" + 1,
          "progressPercent" = ("completedLessons" + 1) * 100 / GREATEST("totalLessons", 1),
          "lastAccessedAt" = NOW()
      WHERE "id" = ${progressId}
    `,
  ])
}

// Video player heartbeat (every 15s while a lesson is playing)
export async function recordWatchTime(progressId: string, lessonId: string, seconds: number) {
  const result = await pool.query(
    `UPDATE lesson_progress
        SET "watchTimeSeconds" = GREATEST("watchTimeSeconds", $3),
            "lastWatchedAt" = NOW()
      WHERE "progressId" = $1 AND "lessonId" = $2`,
    [progressId, lessonId, seconds],
  )
  if (result.rowCount === 0) {
    await pool.query(
      `INSERT INTO lesson_progress (id, "progressId", "lessonId", "watchTimeSeconds", "lastWatchedAt")
       VALUES (gen_random_uuid()::text, $1, $2, $3, NOW())
       ON CONFLICT ("progressId", "lessonId") DO NOTHING`,
      [progressId, lessonId, seconds],
    )
  }
}

export async function touchCourse(userId: string, courseId: string) {
  return prisma.courseProgress.update({
    where: { userId_courseId: { userId, courseId } },
    data: { lastAccessedAt: new Date() },
  })
}

// "Continue where you left off"
export async function getRecentCourses(userId: string, limit = 5) {
  return prisma.courseProgress.findMany({
    where: { userId },
    orderBy: { lastAccessedAt: 'desc' },
    take: limit,
    include: {
      course: { select: { id: true, title: true, slug: true, thumbnail: true } },
    },
  })
}

export async function getRecentLessonActivity(userId: string, limit = 10) {
  return prisma.lessonProgress.findMany({
    where: { progress: { userId } },
    orderBy: { lastWatchedAt: 'desc' },
    take: limit,
    include: { lesson: { select: { id: true, title: true, moduleId: true } } },
  })
}

// Instructor "at risk" list: no activity in N days and not finished
export async function getInactiveStudents(days = 30, courseId?: string) {
  const cutoff = new Date(Date.now() - days * DAY_MS)
  return prisma.courseProgress.findMany({
    where: {
      lastAccessedAt: { lt: cutoff },
      progressPercent: { lt: 100 },
      ...(courseId ? { courseId } : {}),
    },
    include: {
      user: { select: { id: true, name: true, email: true } },
      course: { select: { id: true, title: true, slug: true } },
    },
    orderBy: { lastAccessedAt: 'asc' },
  })
}

export async function getCompletionStats(courseId: string) {
  return prisma.courseProgress.aggregate({
    where: { courseId },
    _avg: { progressPercent: true },
    _count: { _all: true },
  })
}

export async function resetProgress(userId: string, courseId: string) {
  const progress = await prisma.courseProgress.findUniqueOrThrow({
    where: { userId_courseId: { userId, courseId } },
    select: { id: true },
  })
  await prisma.$transaction([
    prisma.lessonProgress.deleteMany({ where: { progressId: progress.id } }),
    prisma.courseProgress.update({
      where: { id: progress.id },
      data: { completedLessons: 0, progressPercent: 0 },
    }),
  ])
}
