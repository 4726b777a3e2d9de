import { Prisma, type Course, type Difficulty } from '@prisma/client'
import { prisma } from '@/lib/db'
import { query } from '@/lib/pg'

export const CATALOG_PAGE_SIZE = 20

export interface CatalogFilters {
  difficulty?: Difficulty
  page?: number
}

export async function getCatalog({ difficulty, page = 1 }: CatalogFilters = {}) {
  return prisma.course.findMany({
    where: {
      published: true,
      ...(difficulty ? { difficulty } : {}),
    },
    orderBy: [{ featured: 'desc' }, { createdAt: 'desc' }],
    take: CATALOG_PAGE_SIZE,
    skip: (page - 1) * CATALOG_PAGE_SIZE,
  })
}

export async function getCoursesByDifficulty(difficulty: Difficulty) {
  return prisma.course.findMany({
    where: { published: true, difficulty },
  })
}

export async function getCoursesInPriceRange(min: number, max: number) {
  return prisma.course.findMany({
    where: {
      published: true,
      price: { gte: min, lte: max },
    },
    orderBy: { price: 'asc' },
  })
}

export async function getFreeCourses() {
  return prisma.course.findMany({
    where: { published: true, price: 0 },
    orderBy: { createdAt: 'desc' },
    take: CATALOG_PAGE_SIZE,
  })
}

export async function getDifficultyFacets() {
  const rows = await prisma.course.groupBy({
    by: ['difficulty'],
    where: { published: true },
    _count: { _all: true },
  })
  return rows.map((r) => ({ difficulty: r.difficulty, count: r._count._all }))
}

// Server-rendered catalog page (edge cache). Built with Prisma.sql so optional
// filters compose without string concatenation.
export async function getCatalogPage(filters: CatalogFilters & { maxPrice?: number } = {}) {
  const conditions: Prisma.Sql[] = [Prisma.sql`"published" = true`]
  if (filters.difficulty) {
    conditions.push(Prisma.sql`"difficulty" = ${filters.difficulty}::"Difficulty"`)
  }
  if (filters.maxPrice !== undefined) {
    conditions.push(Prisma.sql`"price" <= ${filters.maxPrice}`)
  }
  const offset = ((filters.page ?? 1) - 1) * CATALOG_PAGE_SIZE

  return prisma.$queryRaw<Course[]>`
    SELECT * FROM "courses"
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY "featured" DESC, "createdAt" DESC
    LIMIT ${CATALOG_PAGE_SIZE} OFFSET ${offset}
  `
}

export async function getHomepageCourses(limit = 12) {
  return prisma.$queryRaw<Course[]>(
    Prisma.sql`SELECT * FROM "courses" WHERE "published" = true AND "featured" = true ORDER BY "createdAt" DESC LIMIT ${limit}`,
  )
}

// Public JSON API (/api/v1/catalog) goes straight to pg
export async function getPublicCatalog(difficulty: Difficulty, page = 1) {
  return query<Course>(
    `SELECT id, title, slug, description, price, difficulty, featured, thumbnail, "createdAt"
       FROM courses
      WHERE published = true
        AND difficulty = $1
      ORDER BY featured DESC, "createdAt" DESC
      LIMIT 20 OFFSET $2`,
    [difficulty, (page - 1) * CATALOG_PAGE_SIZE],
  )
}

export async function getPublicCatalogByPrice(min: number, max: number) {
  return query<Course>(
    'SELECT id, title, slug, price, difficulty FROM courses WHERE published = true AND price BETWEEN $1 AND $2 ORDER BY price',
    [min, max],
  )
}
