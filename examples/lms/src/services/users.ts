import type { Role, User } from '@prisma/client'
import { prisma } from '@/lib/db'
import { query } from '@/lib/pg'

export type UserSummary = Pick<User, 'id' | 'name' | 'email' | 'role' | 'createdAt'>

export async function getUserById(id: string) {
  return prisma.user.findUnique({ where: { id } })
}

export async function getUserByEmail(email: string) {
  return prisma.user.findUnique({
    where: { email: email.toLowerCase() },
  })
}

// Admin dashboard: all users with a given role, newest first
export async function listUsersByRole(role: Role) {
  return prisma.user.findMany({
    where: { role },
    orderBy: { createdAt: 'desc' },
  })
}

export async function listInstructors() {
  return prisma.user.findMany({
    where: { role: 'INSTRUCTOR' },
    orderBy: { createdAt: 'desc' },
    select: {
      id: true,
      name: true,
      email: true,
      image: true,
      createdAt: true,
      _count: { select: { courses: true } },
    },
  })
}

export async function getRecentStudents(limit = 20): Promise<UserSummary[]> {
  return prisma.user.findMany({
    where: { role: 'STUDENT' },
    orderBy: { createdAt: 'desc' },
    take: limit,
    select: { id: true, name: true, email: true, role: true, createdAt: true },
  })
}

// Same list, used by the admin CSV export (no Prisma model hydration)
export async function getRecentSignupsRaw(role: Role, limit = 20) {
  return prisma.$queryRaw<UserSummary[]>`
    SELECT "id", "name", "email", "role", "createdAt"
    FROM "users"
    WHERE "role" = ${role}::"Role"
    ORDER BY "createdAt" DESC
    LIMIT ${limit}
  `
}

export interface AdminUserPage {
  role: Role
  page: number
  pageSize?: number
}

export async function getAdminUserPage({ role, page, pageSize = 25 }: AdminUserPage) {
  return query<UserSummary>(
    `SELECT id, name, email, role, "createdAt"
       FROM users
      WHERE role = $1
      ORDER BY "createdAt" DESC
      LIMIT $2 OFFSET $3`,
    [role, pageSize, (page - 1) * pageSize],
  )
}

export async function paginateUsers(page: number, pageSize = 25) {
  const [items, total] = await Promise.all([
    prisma.user.findMany({
      orderBy: { createdAt: 'desc' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    prisma.user.count(),
  ])
  return { items, total, page, pageSize }
}

export async function countUsersByRole() {
  const groups = await prisma.user.groupBy({
    by: ['role'],
    _count: { _all: true },
  })
  return Object.fromEntries(groups.map((g) => [g.role, g._count._all])) as Record<Role, number>
}

export async function updateUserRole(userId: string, role: Role) {
  return prisma.user.update({
    where: { id: userId },
    data: { role },
  })
}

export async function updateProfile(userId: string, data: { name?: string; image?: string }) {
  return prisma.user.update({
    where: { id: userId },
    data,
    select: { id: true, name: true, image: true },
  })
}

export async function deleteUser(userId: string) {
  return prisma.user.delete({ where: { id: userId } })
}
