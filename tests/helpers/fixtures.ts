// Lookups of seeded demo data, by role and scope rather than by name, so the seed can evolve.
import { randomUUID } from 'node:crypto'
import type { PrismaClient } from '../../src/db.js'
import type { RoleName } from '../../src/auth/viewer.js'

export async function userWithRole(prisma: PrismaClient, role: RoleName, where: Record<string, unknown> = {}) {
  return prisma.user.findFirstOrThrow({ where: { roles: { has: role }, ...where }, orderBy: { username: 'asc' } })
}

/** Two communities of the demo street with one grid each, and the officers of each. */
export async function twoCommunities(prisma: PrismaClient) {
  const communities = await prisma.region.findMany({
    where: { level: 'COMMUNITY', grids: { some: {} } },
    orderBy: { code: 'asc' },
    take: 2,
    include: { grids: { orderBy: { code: 'asc' } } },
  })
  const [a, b] = communities
  if (!a || !b) throw new Error('seed has fewer than two communities with grids')
  const officerA = await userWithRole(prisma, 'COMMUNITY_OFFICER', { regionIds: { has: a.id } })
  const officerB = await userWithRole(prisma, 'COMMUNITY_OFFICER', { regionIds: { has: b.id } })
  return { a, b, officerA, officerB }
}

export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64')

/** The row id inside a global ID (base64 of `Type:id`). */
export const rowId = (id: string) => Buffer.from(id, 'base64').toString().split(':').slice(1).join(':')

/** A new, active staff account of the department (tests where each subscriber is its own user). */
export async function newStaff(prisma: PrismaClient, departmentId: string): Promise<string> {
  const id = randomUUID()
  await prisma.user.create({
    data: { id, username: `staff-${id}`, displayName: 'Staff', roles: ['DEPARTMENT_STAFF'], departmentId },
  })
  return id
}
