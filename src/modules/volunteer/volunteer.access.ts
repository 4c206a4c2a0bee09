// Who may ACT in the volunteer module (DESIGN §5): residents for themselves (their
// signups, points, redemptions, wishes); organizers for their activities; officers within their
// region subtree; admins everywhere. Who may READ which rows is volunteer.policy.ts.
import type { Context } from '../../context.js'
import { contactUnitOf } from '../../auth/policy.js'
import { hasRole, isAdmin } from '../../auth/viewer.js'
import type { ActivityActor, RedemptionActor, SignupActor, WishActor } from './transitions.js'

// ---------------------------------------------------------------- activities, signups

interface ActivityRow {
  organizerId: string
  communityId: string
  status: string
}

/** How a person relates to an activity (the clock, SYSTEM, is never a person). */
export async function activityActors(ctx: Context, a: ActivityRow): Promise<Exclude<ActivityActor, 'SYSTEM'>[]> {
  const actors: Exclude<ActivityActor, 'SYSTEM'>[] = []
  if (ctx.viewer && a.organizerId === ctx.viewer.userId) actors.push('ORGANIZER')
  if (await ctx.access.managesRegion(a.communityId)) actors.push('OFFICER')
  return actors
}

export async function signupActors(ctx: Context, s: { userId: string }, a: ActivityRow): Promise<SignupActor[]> {
  const actors: SignupActor[] = await activityActors(ctx, a)
  if (ctx.viewer && s.userId === ctx.viewer.userId) actors.push('VOLUNTEER')
  return actors
}

// ---------------------------------------------------------------- redemptions

export async function redemptionActors(
  ctx: Context,
  r: { userId: string },
  itemCommunityId: string,
): Promise<RedemptionActor[]> {
  const actors: RedemptionActor[] = []
  if (ctx.viewer && r.userId === ctx.viewer.userId) actors.push('OWNER')
  if (await ctx.access.managesRegion(itemCommunityId)) actors.push('OFFICER')
  return actors
}

// ---------------------------------------------------------------- micro-wishes

interface WishRow {
  wisherId: string | null
  createdById: string
  claimedById: string | null
  claimerUnitId: string | null
  communityId: string
}

export async function wishActors(ctx: Context, w: WishRow): Promise<WishActor[]> {
  const v = ctx.viewer
  if (!v) return []
  const actors: WishActor[] = []
  const mine = w.wisherId === v.userId || w.createdById === v.userId
  if (mine) actors.push('WISHER')
  if (await ctx.access.managesRegion(w.communityId)) actors.push('OFFICER')
  const unit = contactUnitOf(v)
  if (w.claimedById === v.userId || (unit && w.claimerUnitId === unit)) actors.push('CLAIMER')
  if (!mine && (hasRole(v, 'PARTY_MEMBER') || unit)) actors.push('HELPER')
  return actors
}

/**
 * Whether the viewer is a party of the wish (the wisher or who recorded it, the claimer or their
 * unit, an officer of the region, an admin): the row-level twin of `wishPartiesRule`, for the
 * `wisher` field of a wish already read.
 */
export async function seesWishParties(ctx: Context, w: WishRow): Promise<boolean> {
  if (isAdmin(ctx.viewer)) return true
  return (await wishActors(ctx, w)).some((a) => a !== 'HELPER')
}
