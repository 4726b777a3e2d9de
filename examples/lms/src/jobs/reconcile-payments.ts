/**
 * Every 10 minutes: reconcile PENDING transactions with the payment provider.
 */
import { pool, withTransaction } from '../lib/pg'

interface PendingTxn {
  id: string
  userId: string
  courseId: string
  provider: string
  providerTxnId: string | null
  createdAt: Date
}

type ProviderState = 'succeeded' | 'failed' | 'pending'

async function lookupProviderState(txn: PendingTxn): Promise<ProviderState> {
  const res = await fetch(`${process.env.PAYMENTS_API_URL}/${txn.provider}/payments/${txn.providerTxnId}`)
  if (!res.ok) return 'pending'
  const body = (await res.json()) as { status: ProviderState }
  return body.status
}

export async function run() {
  const { rows: pending } = await pool.query<PendingTxn>(
    'SELECT "id", "userId", "courseId", "provider", "providerTxnId", "createdAt" FROM "transactions" WHERE "status" = $1 ORDER BY "createdAt" DESC LIMIT 50',
    ['PENDING'],
  )

  for (const txn of pending) {
    const state = await lookupProviderState(txn)
    if (state === 'pending') continue

    await withTransaction(async (client) => {
      await client.query(
        'UPDATE "transactions" SET "status" = $2, "updatedAt" = NOW() WHERE "id" = $1',
        [txn.id, state === 'succeeded' ? 'COMPLETED' : 'FAILED'],
      )
      await client.query(
        'UPDATE "enrollments" SET "paymentStatus" = $3 WHERE "userId" = $1 AND "courseId" = $2',
        [txn.userId, txn.courseId, state === 'succeeded' ? 'COMPLETED' : 'FAILED'],
      )
    })
  }
}

if (require.main === module) {
  run()
    .catch((err) => {
      console.error(err)
      process.exitCode = 1
    })
    .finally(() => pool.end())
}
