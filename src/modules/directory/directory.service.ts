import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { isAdmin } from '../../auth/viewer.js'

/** Accounts an officer may list: people with grid assignments, scopes or a department in their region. */
export async function usersWhere(ctx: Context): Promise<Prisma.UserWhereInput> {
  if (isAdmin(ctx.viewer)) return {}
  const ids = [...(await ctx.access.subtreeRegionIds())]
  return {
    OR: [
      { assignments: { some: { endedAt: null, grid: { communityId: { in: ids } } } } },
      { regionIds: { hasSome: ids } },
      { department: { regionId: { in: ids } } },
      { unit: { communityId: { in: ids } } },
    ],
  }
}
