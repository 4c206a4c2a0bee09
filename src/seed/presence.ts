// Whether the demo data is there, asked at every embedded start: kept apart from the seed itself,
// which is only loaded when something is to be seeded.
import type { PrismaClient } from '../db.js'

/** The territory and accounts (any region). */
export async function hasDemoData(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.region.findFirst({ select: { id: true } })) !== null
}

/**
 * Whether every workflow phase seeded after the territory has run: cases, party organisations,
 * volunteering and joint construction. A start stopped part-way (SIGKILL, a crash) leaves some
 * missing, and the next start seeds them; each phase skips the streets or communities it has done.
 */
export async function hasDemoWorkflows(prisma: PrismaClient): Promise<boolean> {
  const found = await Promise.all([
    prisma.case.findFirst({ select: { id: true } }),
    prisma.partyOrg.findFirst({ select: { id: true } }),
    prisma.volunteerTeam.findFirst({ select: { id: true } }),
    prisma.jointAgreement.findFirst({ select: { id: true } }),
  ])
  return found.every((row) => row !== null)
}
