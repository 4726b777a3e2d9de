import { randomBytes } from 'node:crypto'
import { prisma } from '@/lib/db'
import { query } from '@/lib/pg'

export interface PublicCertificateRow {
  certificateNo: string
  issuedAt: Date
  pdfUrl: string | null
  courseTitle: string
  courseSlug: string
}

function newCertificateNo() {
  return `LMS-${new Date().getFullYear()}-${randomBytes(4).toString('hex').toUpperCase()}`
}

export async function getUserCertificates(userId: string) {
  return prisma.certificate.findMany({
    where: { userId },
    orderBy: { issuedAt: 'desc' },
    include: { course: { select: { title: true, slug: true, thumbnail: true } } },
  })
}

// Public profile page (/u/[id]) — rendered from the read-only pg pool
export async function getPublicCertificates(userId: string) {
  return query<PublicCertificateRow>(
    `SELECT c."certificateNo", c."issuedAt", c."pdfUrl", co.title AS "courseTitle", co.slug AS "courseSlug"
       FROM certificates c
       JOIN courses co ON co.id = c."courseId"
      WHERE c."userId" = $1
      ORDER BY c."issuedAt" DESC`,
    [userId],
  )
}

export async function verifyCertificate(certificateNo: string) {
  return prisma.certificate.findUnique({
    where: { certificateNo },
    include: {
      user: { select: { name: true } },
      course: { select: { title: true, slug: true } },
    },
  })
}

export async function issueCertificate(userId: string, courseId: string) {
  const existing = await prisma.certificate.findFirst({
    where: { userId, courseId },
  })
  if (existing) return existing

  return prisma.certificate.create({
    data: { userId, courseId, certificateNo: newCertificateNo() },
  })
}

export async function attachPdf(certificateId: string, pdfUrl: string) {
  return prisma.certificate.update({
    where: { id: certificateId },
    data: { pdfUrl },
  })
}

export async function countCourseCertificates(courseId: string) {
  return prisma.certificate.count({ where: { courseId } })
}

export async function revokeCertificate(certificateNo: string) {
  return prisma.certificate.delete({ where: { certificateNo } })
}
