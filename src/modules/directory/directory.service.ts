import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { isAdmin } from '../../auth/viewer.js'
import { subtreeRegionIds } from '../../auth/personal-data.js'

/** Accounts an officer may list: people with grid assignments, scopes or a department in their region. */
export async function usersWhere(ctx: Context): Promise<Prisma.UserWhereInput> {
  if (isAdmin(ctx.viewer)) return {}
  const ids = [...(await subtreeRegionIds(ctx))]
  return {
    OR: [
      { assignments: { some: { endedAt: null, grid: { communityId: { in: ids } } } } },
      { regionIds: { hasSome: ids } },
      { department: { regionId: { in: ids } } },
      { unit: { communityId: { in: ids } } },
    ],
  }
}
