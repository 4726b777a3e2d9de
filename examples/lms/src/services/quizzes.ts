import type { Prisma } from '@prisma/client'
import { prisma } from '@/lib/db'
import { query } from '@/lib/pg'

export interface AttemptRow {
  id: string
  quizId: string
  score: number
  passed: boolean
  startedAt: Date
  completedAt: Date | null
}

export async function getQuizWithQuestions(quizId: string) {
  return prisma.quiz.findUnique({
    where: { id: quizId },
    include: {
      questions: {
        orderBy: { order: 'asc' },
        select: { id: true, prompt: true, type: true, options: true, order: true, points: true },
      },
    },
  })
}

export async function getLessonQuizzes(lessonId: string) {
  return prisma.quiz.findMany({
    where: { lessonId },
    orderBy: { createdAt: 'asc' },
    include: { _count: { select: { questions: true } } },
  })
}

export async function getQuestions(quizId: string) {
  return prisma.question.findMany({
    where: { quizId },
    orderBy: { order: 'asc' },
  })
}

// A student's history on one quiz (shown on the quiz intro screen)
export async function getQuizHistory(userId: string, quizId: string) {
  return prisma.quizAttempt.findMany({
    where: { userId, quizId },
    orderBy: { startedAt: 'desc' },
  })
}

export async function getRecentAttempts(userId: string) {
  return prisma.quizAttempt.findMany({
    where: { userId },
    orderBy: { startedAt: 'desc' },
    take: 10,
    include: { quiz: { select: { id: true, title: true, lessonId: true } } },
  })
}

export async function getQuizHistoryRaw(userId: string, quizId: string) {
  return prisma.$queryRaw<AttemptRow[]>`
    SELECT "id", "quizId", "score", "passed", "startedAt", "completedAt"
    FROM "quiz_attempts"
    WHERE "userId" = ${userId} AND "quizId" = ${quizId}
    ORDER BY "startedAt" DESC
  `
}

// Profile page widget, served from the read replica pool
export async function getRecentAttemptsPg(userId: string) {
  return query<AttemptRow & { quizTitle: string }>(
    `SELECT a.id, a."quizId", a.score, a.passed, a."startedAt", a."completedAt", q.title AS "quizTitle"
       FROM quiz_attempts a
       JOIN quizzes q ON q.id = a."quizId"
      WHERE a."userId" = $1
      ORDER BY a."startedAt" DESC
      LIMIT 10`,
    [userId],
  )
}

export async function getFailedAttemptCount(userId: string, quizId: string) {
  return prisma.quizAttempt.count({
    where: { userId, quizId, passed: false },
  })
}

export async function getBestScore(userId: string, quizId: string) {
  const result = await prisma.quizAttempt.aggregate({
    where: { userId, quizId },
    _max: { score: true },
  })
  return result._max.score ?? 0
}

export async function startAttempt(userId: string, quizId: string) {
  return prisma.quizAttempt.create({
    data: { userId, quizId },
  })
}

export async function submitAttempt(attemptId: string, answers: Record<string, string>) {
  const attempt = await prisma.quizAttempt.findUniqueOrThrow({
    where: { id: attemptId },
    include: {
      quiz: { include: { questions: { select: { id: true, answer: true, points: true } } } },
    },
  })
  const total = attempt.quiz.questions.reduce((sum, q) => sum + q.points, 0)
  const earned = attempt.quiz.questions.reduce((sum, q) => sum + (answers[q.id] === q.answer ? q.points : 0), 0)
  const score = total === 0 ? 0 : Math.round((earned * 100) / total)

  return prisma.quizAttempt.update({
    where: { id: attemptId },
    data: {
      score,
      passed: score >= attempt.quiz.passingScore,
      answers: answers as Prisma.InputJsonObject,
      completedAt: new Date(),
    },
  })
}

export async function upsertQuestion(quizId: string, order: number, data: Omit<Prisma.QuestionCreateInput, 'quiz' | 'order'>) {
  const existing = await prisma.question.findFirst({ where: { quizId, order } })
  if (existing) {
    return prisma.question.update({ where: { id: existing.id }, data })
  }
  return prisma.question.create({ data: { ...data, order, quiz: { connect: { id: quizId } } } })
}

export async function deleteQuiz(quizId: string) {
  return prisma.quiz.delete({ where: { id: quizId } })
}
