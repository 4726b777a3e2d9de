import type { Course } from '@prisma/client'
import { prisma } from '@/lib/db'
import { query } from '@/lib/pg'

export async function searchCourses(term: string, limit = 20) {
  const q = term.trim()
  if (!q) return []

  return prisma.course.findMany({
    where: {
      published: true,
      OR: [
        { title: { contains: q, mode: 'insensitive' } },
        { description: { contains: q, mode: 'insensitive' } },
      ],
    },
    orderBy: [{ featured: 'desc' }, { createdAt: 'desc' }],
    take: limit,
  })
}

function likePattern(term: string) {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

// Header typeahead: separate title / description terms from the advanced search form
export async function searchCoursesRaw(titleTerm: string, descriptionTerm = titleTerm) {
  return prisma.$queryRaw<Course[]>`
    SELECT * FROM "courses"
    WHERE "published" = true
      AND (
        "title" ILIKE ${likePattern(titleTerm)}
        OR "description" ILIKE ${likePattern(descriptionTerm)}
      )
    ORDER BY "featured" DESC, "createdAt" DESC
  `
}

export async function searchCoursesPg(term: string) {
  return query<Pick<Course, 'id' | 'title' | 'slug' | 'thumbnail'>>(
    `SELECT id, title, slug, thumbnail
       FROM courses
      WHERE published = true
        AND (title ILIKE $1 OR description ILIKE $1)
      ORDER BY featured DESC, "createdAt" DESC
      LIMIT 10`,
    [likePattern(term)],
  )
}

// Admin: find a user by name or e-mail fragment
export async function searchUsers(term: string) {
  return prisma.user.findMany({
    where: {
      OR: [
        { email: { contains: term, mode: 'insensitive' } },
        { name: { contains: term, mode: 'insensitive' } },
      ],
    },
    orderBy: { createdAt: 'desc' },
    take: 20,
    select: { id: true, name: true, email: true, role: true },
  })
}
