import type { Media, MediaProvider, MediaType } from '@prisma/client'
import { prisma } from '@/lib/db'

export interface NewMedia {
  uploadedById: string
  type: MediaType
  provider: MediaProvider
  url: string
  filename?: string
  mimeType?: string
  sizeBytes?: number
}

export async function createMedia(input: NewMedia) {
  return prisma.media.create({ data: input })
}

export async function listUploads(userId: string, take = 50) {
  return prisma.media.findMany({
    where: { uploadedById: userId },
    orderBy: { createdAt: 'desc' },
    take,
  })
}

export async function listMediaByType(type: MediaType, provider?: MediaProvider) {
  return prisma.media.findMany({
    where: { type, ...(provider ? { provider } : {}) },
    orderBy: { createdAt: 'desc' },
    take: 100,
  })
}

export async function getStorageUsage(userId: string) {
  const result = await prisma.media.aggregate({
    where: { uploadedById: userId },
    _sum: { sizeBytes: true },
    _count: { _all: true },
  })
  return { bytes: result._sum.sizeBytes ?? 0, files: result._count._all }
}

// Media library picker in the course editor
export async function getRecentVideos(userId: string, limit = 24) {
  return prisma.$queryRaw<Pick<Media, 'id' | 'url' | 'filename' | 'createdAt'>[]>`
    SELECT "id", "url", "filename", "createdAt"
    FROM "media"
    WHERE "uploaded_by" = ${userId} AND "type" = 'VIDEO'
    ORDER BY "createdAt" DESC
    LIMIT ${limit}
  `
}

export async function deleteMedia(id: string, userId: string) {
  return prisma.media.delete({
    where: { id, uploadedById: userId },
  })
}

export async function deleteUserMedia(userId: string) {
  return prisma.media.deleteMany({ where: { uploadedById: userId } })
}
