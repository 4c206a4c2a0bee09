// Per-community counts for the street overview and the party coverage statistics: one groupBy per
// figure, read back as a map so a community without rows counts 0.
import type { PrismaClient, Tx } from '../db.js'
import type { Prisma } from '../generated/prisma/client.js'

/** The row counts of a groupBy by one key, by that key's value. */
export const countBy = <K extends string>(rows: ({ _count: { _all: number } } & Record<K, string | null>)[], key: K) =>
  new Map(rows.map((r) => [r[key] as string, r._count._all]))

/** Resident units per community of `communityIds` (those matching `where`, if given). */
export async function unitsPerCommunity(
  db: PrismaClient | Tx,
  communityIds: string[],
  where: Prisma.ResidentUnitWhereInput = {},
): Promise<Map<string, number>> {
  const rows = await db.residentUnit.groupBy({
    by: ['communityId'],
    where: { ...where, communityId: { in: communityIds } },
    _count: { _all: true },
  })
  return countBy(rows, 'communityId')
}
