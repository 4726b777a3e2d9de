import type { Account, Role } from '@prisma/client'
import { prisma } from '@/lib/db'
import { query } from '@/lib/pg'

// Prisma-backed NextAuth adapter methods (subset used by the app)

export async function getSessionAndUser(sessionToken: string) {
  const session = await prisma.session.findUnique({
    where: { sessionToken },
    include: { user: true },
  })
  if (!session) return null
  const { user, ...rest } = session
  return { session: rest, user }
}

export async function createSession(data: { sessionToken: string; userId: string; expires: Date }) {
  return prisma.session.create({ data })
}

export async function updateSession(sessionToken: string, expires: Date) {
  return prisma.session.update({
    where: { sessionToken },
    data: { expires },
  })
}

export async function deleteSession(sessionToken: string) {
  return prisma.session.delete({ where: { sessionToken } })
}

export async function deleteExpiredSessions() {
  return prisma.session.deleteMany({
    where: { expires: { lt: new Date() } },
  })
}

export async function getUserSessions(userId: string) {
  return prisma.session.findMany({
    where: { userId },
    orderBy: { expires: 'desc' },
  })
}

export async function getUserByAccount(provider: string, providerAccountId: string) {
  const account = await prisma.account.findUnique({
    where: { provider_providerAccountId: { provider, providerAccountId } },
    include: { user: true },
  })
  return account?.user ?? null
}

export async function linkAccount(data: Omit<Account, 'id'>) {
  return prisma.account.create({ data })
}

export async function unlinkAccount(provider: string, providerAccountId: string) {
  return prisma.account.delete({
    where: { provider_providerAccountId: { provider, providerAccountId } },
  })
}

export async function getLinkedProviders(userId: string) {
  return prisma.account.findMany({
    where: { userId },
    select: { provider: true },
  })
}

export async function createVerificationToken(data: { identifier: string; token: string; expires: Date }) {
  return prisma.verificationToken.create({ data })
}

export async function useVerificationToken(identifier: string, token: string) {
  try {
    return await prisma.verificationToken.delete({
      where: { identifier_token: { identifier, token } },
    })
  } catch {
    return null
  }
}

export async function markEmailVerified(userId: string) {
  return prisma.user.update({
    where: { id: userId },
    data: { emailVerified: new Date() },
  })
}

export interface SessionUser {
  id: string
  email: string
  role: Role
  emailVerified: Date | null
}

// Used by middleware.ts on every request; avoids hydrating the full Prisma session
export async function getSessionUserFast(sessionToken: string): Promise<SessionUser | null> {
  const rows = await query<SessionUser>(
    `SELECT u.id, u.email, u.role, u.email_verified AS "emailVerified"
       FROM sessions s
       JOIN users u ON u.id = s."userId"
      WHERE s."sessionToken" = $1
        AND s.expires > NOW()`,
    [sessionToken],
  )
  return rows[0] ?? null
}
