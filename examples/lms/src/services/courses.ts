import { Prisma, type Difficulty } from '@prisma/client'
import { prisma } from '@/lib/db'

export interface CreateCourseInput {
  title: string
  slug: string
  description?: string
  price: number
  difficulty: Difficulty
  instructorId: string
  thumbnail?: string
}

export async function getCourseBySlug(slug: string) {
  return prisma.course.findUnique({
    where: { slug },
    include: {
      instructor: { select: { id: true, name: true, image: true } },
      modules: {
        orderBy: { order: 'asc' },
        include: {
          lessons: { orderBy: { order: 'asc' } },
        },
      },
    },
  })
}

export interface CourseDetailsRow {
  id: string
  title: string
  slug: string
  description: string | null
  price: Prisma.Decimal
  difficulty: Difficulty
  modules: Array<{ module: Record<string, unknown>; lessons: Record<string, unknown>[] | null }> | null
}

// Single round-trip version of getCourseBySlug used by the public course page
export async function getCourseDetails(slug: string): Promise<CourseDetailsRow | null> {
  const rows = await prisma.$queryRaw<CourseDetailsRow[]>`
    SELECT
      c.*,
      json_agg(
        json_build_object(
          'module', m,
          'lessons', (SELECT json_agg(l ORDER BY l."order") FROM "lessons" l WHERE l."moduleId" = m."id")
        ) ORDER BY m."order"
      ) AS modules
    FROM "courses" c
    LEFT JOIN "course_modules" m ON m."courseId" = c."id"
    WHERE c."slug" = ${slug}
    GROUP BY c."id"
  `
  return rows[0] ?? null
}

export async function getFeaturedCourses() {
  return prisma.course.findMany({
    where: { published: true, featured: true },
    orderBy: { createdAt: 'desc' },
    include: {
      instructor: { select: { name: true, image: true } },
    },
  })
}

export async function getCoursesByIds(ids: string[]) {
  return prisma.course.findMany({
    where: { id: { in: ids }, published: true },
  })
}

export async function getInstructorCourses(instructorId: string) {
  return prisma.course.findMany({
    where: { instructorId },
    orderBy: { createdAt: 'desc' },
    include: { _count: { select: { enrollments: true, modules: true } } },
  })
}

export async function getModuleLessons(moduleId: string) {
  return prisma.lesson.findMany({
    where: { moduleId },
    orderBy: { order: 'asc' },
    select: { id: true, title: true, duration: true, order: true, isPreview: true },
  })
}

export async function getNextLesson(moduleId: string, currentOrder: number) {
  return prisma.lesson.findFirst({
    where: { moduleId, order: { gt: currentOrder } },
    orderBy: { order: 'asc' },
  })
}

export async function countCourseLessons(courseId: string) {
  return prisma.lesson.count({
    where: { module: { courseId } },
  })
}

export async function createCourse(input: CreateCourseInput) {
  return prisma.course.create({
    data: {
      ...input,
      price: new Prisma.Decimal(input.price),
    },
  })
}

export async function updateCourse(id: string, data: Partial<Omit<CreateCourseInput, 'instructorId'>>) {
  return prisma.course.update({
    where: { id },
    data,
  })
}

export async function setPublished(id: string, published: boolean) {
  return prisma.course.update({
    where: { id },
    data: { published },
  })
}

export async function addModule(courseId: string, title: string) {
  const last = await prisma.courseModule.findFirst({
    where: { courseId },
    orderBy: { order: 'desc' },
    select: { order: true },
  })
  return prisma.courseModule.create({
    data: { courseId, title, order: (last?.order ?? 0) + 1 },
  })
}

export async function reorderModules(courseId: string, moduleIds: string[]) {
  return prisma.$transaction(
    moduleIds.map((id, index) =>
      prisma.courseModule.update({
        where: { id, courseId },
        data: { order: index + 1 },
      }),
    ),
  )
}

export async function deleteCourse(id: string) {
  return prisma.course.delete({ where: { id } })
}
