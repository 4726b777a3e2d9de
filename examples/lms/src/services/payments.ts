import { randomUUID } from 'node:crypto'
import { Prisma, type Transaction, type TransactionStatus } from '@prisma/client'
import { prisma } from '@/lib/db'
import { withTransaction } from '@/lib/pg'

export interface PurchaseInput {
  userId: string
  courseId: string
  amount: number
  currency?: string
  providerTxnId: string
}

export async function getPaymentHistory(userId: string, page = 1) {
  return prisma.transaction.findMany({
    where: { userId },
    orderBy: { createdAt: 'desc' },
    take: 10,
    skip: (page - 1) * 10,
    include: { course: { select: { title: true, slug: true } } },
  })
}

export interface PaymentHistoryRow {
  id: string
  amount: Prisma.Decimal
  currency: string
  status: TransactionStatus
  createdAt: Date
  courseTitle: string
}

// Receipt e-mail / invoice PDF
export async function getRecentPaymentsRaw(userId: string) {
  return prisma.$queryRaw<PaymentHistoryRow[]>`
    SELECT t."id", t."amount", t."currency", t."status", t."createdAt", c."title" AS "courseTitle"
    FROM "transactions" t
    JOIN "courses" c ON c."id" = t."courseId"
    WHERE t."userId" = ${userId}
    ORDER BY t."createdAt" DESC
    LIMIT 10
  `
}

export async function getPendingTransactions() {
  return prisma.transaction.findMany({
    where: { status: 'PENDING' },
    orderBy: { createdAt: 'desc' },
    take: 50,
    include: { user: { select: { email: true } } },
  })
}

export async function getTransactionsInRange(from: Date, to: Date) {
  return prisma.transaction.findMany({
    where: { createdAt: { gte: from, lte: to } },
    orderBy: { createdAt: 'asc' },
  })
}

export async function getRevenueForPeriod(from: Date, to: Date) {
  const result = await prisma.transaction.aggregate({
    where: { status: 'COMPLETED', createdAt: { gte: from, lt: to } },
    _sum: { amount: true },
    _count: { _all: true },
  })
  return { revenue: result._sum.amount ?? new Prisma.Decimal(0), count: result._count._all }
}

export async function getFailedOrPending(userId: string) {
  return prisma.transaction.findMany({
    where: { userId, status: { in: ['PENDING', 'FAILED'] } },
    orderBy: { createdAt: 'desc' },
  })
}

export async function findByProviderTxnId(providerTxnId: string) {
  return prisma.transaction.findUnique({ where: { providerTxnId } })
}

// Stripe checkout.session.completed webhook
export async function completePurchase({ userId, courseId, amount, currency = 'USD', providerTxnId }: PurchaseInput) {
  const [transaction] = await prisma.$transaction([
    prisma.transaction.create({
      data: {
        userId,
        courseId,
        amount: new Prisma.Decimal(amount),
        currency,
        status: 'COMPLETED',
        provider: 'stripe',
        providerTxnId,
      },
    }),
    prisma.enrollment.update({
      where: { userId_courseId: { userId, courseId } },
      data: { paymentStatus: 'COMPLETED' },
    }),
  ])
  return transaction
}

// PayPal IPN handler runs in the standalone worker which only has node-postgres
export async function completePurchasePg({ userId, courseId, amount, currency = 'USD', providerTxnId }: PurchaseInput) {
  return withTransaction(async (client) => {
    const { rows } = await client.query<Transaction>(
      `INSERT INTO transactions (id, "userId", "courseId", amount, currency, status, provider, "providerTxnId", "updatedAt")
       VALUES ($1, $2, $3, $4, $5, 'COMPLETED', 'paypal', $6, NOW())
       RETURNING *`,
      [randomUUID(), userId, courseId, amount, currency, providerTxnId],
    )
    await client.query(
      `UPDATE enrollments
          SET "paymentStatus" = 'COMPLETED'
        WHERE "userId" = $1 AND "courseId" = $2`,
      [userId, courseId],
    )
    return rows[0]
  })
}

export async function markTransactionStatus(id: string, status: TransactionStatus) {
  return prisma.transaction.update({
    where: { id },
    data: { status },
  })
}

export async function refund(providerTxnId: string) {
  const txn = await prisma.transaction.update({
    where: { providerTxnId },
    data: { status: 'REFUNDED' },
  })
  await prisma.enrollment.updateMany({
    where: { userId: txn.userId, courseId: txn.courseId },
    data: { status: 'CANCELLED', paymentStatus: 'REFUNDED' },
  })
  return txn
}
