// Row-level rules of the volunteer module (DESIGN §5, issue 6). Residents act for themselves
// (their signups, points, redemptions, wishes); organizers for their activities; officers within
// their region subtree; admins everywhere. Published activities, teams, reward items and open
// wishes are public to signed-in users; nobody reads another person's points history. Lists are
// filtered in SQL with the `where` fragments; single rows are checked with the predicates.
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { NO_ROWS } from '../../auth/access.js'
import { hasRole, isAdmin } from '../../auth/viewer.js'
import { contactUnit, officerOf } from '../party/party.access.js'
import type { ActivityActor, RedemptionActor, SignupActor, WishActor } from './transitions.js'


/** An admin, or an officer whose subtree holds the region. */
export async function managesRegion(ctx: Context, regionId: string): Promise<boolean> {
  return isAdmin(ctx.viewer) || officerOf(ctx, regionId)
}

// ---------------------------------------------------------------- activities

export async function activityReadWhere(ctx: Context): Promise<Prisma.VolunteerActivityWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.VolunteerActivityWhereInput[] = [{ status: { not: 'DRAFT' } }, { organizerId: v.userId }]
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ community: regions })
  return { OR: or }
}

interface ActivityRow { organizerId: string; communityId: string; status: string }

export async function canReadActivity(ctx: Context, a: ActivityRow): Promise<boolean> {
  if (!ctx.viewer) return false
  if (a.status !== 'DRAFT' || a.organizerId === ctx.viewer.userId) return true
  return managesRegion(ctx, a.communityId)
}

/** How a person relates to an activity (the clock, SYSTEM, is never a person). */
export async function activityActors(ctx: Context, a: ActivityRow): Promise<Exclude<ActivityActor, 'SYSTEM'>[]> {
  const actors: Exclude<ActivityActor, 'SYSTEM'>[] = []
  if (ctx.viewer && a.organizerId === ctx.viewer.userId) actors.push('ORGANIZER')
  if (await managesRegion(ctx, a.communityId)) actors.push('OFFICER')
  return actors
}

// ---------------------------------------------------------------- signups

export async function signupReadWhere(ctx: Context): Promise<Prisma.ActivitySignupWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.ActivitySignupWhereInput[] = [{ userId: v.userId }, { activity: { organizerId: v.userId } }]
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ activity: { community: regions } })
  return { OR: or }
}

export async function signupActors(ctx: Context, s: { userId: string }, a: ActivityRow): Promise<SignupActor[]> {
  const actors: SignupActor[] = await activityActors(ctx, a)
  if (ctx.viewer && s.userId === ctx.viewer.userId) actors.push('VOLUNTEER')
  return actors
}

export async function canReadSignup(ctx: Context, s: { userId: string; activityId: string }): Promise<boolean> {
  if (!ctx.viewer) return false
  if (isAdmin(ctx.viewer) || s.userId === ctx.viewer.userId) return true
  const a = await ctx.prisma.volunteerActivity.findUnique({ where: { id: s.activityId }, select: { organizerId: true, communityId: true, status: true } })
  return !!a && (await activityActors(ctx, a)).length > 0
}

// ---------------------------------------------------------------- points, redemptions

/** A points account and its history: the owner and admins only. */
export const canReadPoints = (ctx: Context, ownerUserId: string) => !!ctx.viewer && (isAdmin(ctx.viewer) || ctx.viewer.userId === ownerUserId)

export async function redemptionReadWhere(ctx: Context): Promise<Prisma.RedemptionWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.RedemptionWhereInput[] = [{ userId: v.userId }]
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ item: { community: regions } })
  return { OR: or }
}

export async function redemptionActors(ctx: Context, r: { userId: string }, itemCommunityId: string): Promise<RedemptionActor[]> {
  const actors: RedemptionActor[] = []
  if (ctx.viewer && r.userId === ctx.viewer.userId) actors.push('OWNER')
  if (await managesRegion(ctx, itemCommunityId)) actors.push('OFFICER')
  return actors
}

// ---------------------------------------------------------------- micro-wishes

export async function wishReadWhere(ctx: Context): Promise<Prisma.MicroWishWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.MicroWishWhereInput[] = [{ status: 'OPEN' }, { wisherId: v.userId }, { createdById: v.userId }, { claimedById: v.userId }]
  const unit = contactUnit(ctx)
  if (unit) or.push({ claimerUnitId: unit })
  if (v.gridIds.length) or.push({ gridId: { in: [...v.gridIds] } })
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ community: regions })
  return { OR: or }
}

interface WishRow { status: string; wisherId: string | null; createdById: string; claimedById: string | null; claimerUnitId: string | null; communityId: string; gridId: string }

export async function wishActors(ctx: Context, w: WishRow): Promise<WishActor[]> {
  const v = ctx.viewer
  if (!v) return []
  const actors: WishActor[] = []
  const mine = w.wisherId === v.userId || w.createdById === v.userId
  if (mine) actors.push('WISHER')
  if (await managesRegion(ctx, w.communityId)) actors.push('OFFICER')
  const unit = contactUnit(ctx)
  if (w.claimedById === v.userId || (unit && w.claimerUnitId === unit)) actors.push('CLAIMER')
  if (!mine && (hasRole(v, 'PARTY_MEMBER') || unit)) actors.push('HELPER')
  return actors
}

export async function canReadWish(ctx: Context, w: WishRow): Promise<boolean> {
  const v = ctx.viewer
  if (!v) return false
  if (w.status === 'OPEN' || v.gridIds.includes(w.gridId)) return true
  const actors = await wishActors(ctx, w)
  return actors.some((a) => a !== 'HELPER')
}

/** The wisher, the claimer, officers of the region and admins see who wished and the wish's timeline; others a masked name. */
export async function seesWishParties(ctx: Context, w: WishRow): Promise<boolean> {
  if (isAdmin(ctx.viewer)) return true
  return (await wishActors(ctx, w)).some((a) => a !== 'HELPER')
}
