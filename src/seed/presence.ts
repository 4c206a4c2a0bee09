// Whether the demo data is there, asked at every embedded start: kept apart from the seed itself,
// which is only loaded when something is to be seeded.
import type { PrismaClient } from '../db.js'

/** The territory and accounts (any region). */
export async function hasDemoData(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.region.findFirst({ select: { id: true } })) !== null
}

/** The workflows seeded after the territory (cases, party organisations). */
export async function hasDemoWorkflows(prisma: PrismaClient): Promise<boolean> {
  return (
    (await prisma.case.findFirst({ select: { id: true } })) !== null ||
    (await prisma.partyOrg.findFirst({ select: { id: true } })) !== null
  )
}
