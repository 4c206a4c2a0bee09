// Read policies of the volunteer module (DESIGN §5; see src/auth/policy.ts). Teams and
// their members are public to signed-in users (names are masked by the User type); published
// activities, reward items on the shelf and open wishes too. A resident reads only their own
// signups, points, redemptions and wishes; organizers the signups of their activities; officers
// what lies in their region subtree. Nobody else reads a person's points history. Timeline events
// follow the row they belong to.
import type { Prisma } from '../../generated/prisma/client.js'
import { anyOf, contactUnitOf, definePolicies, officerRegions } from '../../auth/policy.js'
import type { Viewer } from '../../auth/viewer.js'
import { gridRule } from '../grid/grid.policy.js'

/** Activities: published (not drafts) for everyone; drafts for their organizer and the region's officers. */
export const activityRule = (v: Viewer): Prisma.VolunteerActivityWhereInput => {
  const regions = officerRegions(v)
  return anyOf<Prisma.VolunteerActivityWhereInput>([
    { status: { not: 'DRAFT' } },
    { organizerId: v.userId },
    regions && { community: regions },
  ])
}

/** Signups: the volunteer, the activity's organizer and the officers of its region. */
export const signupRule = (v: Viewer): Prisma.ActivitySignupWhereInput => {
  const regions = officerRegions(v)
  return anyOf<Prisma.ActivitySignupWhereInput>([
    { userId: v.userId },
    { activity: { organizerId: v.userId } },
    regions && { activity: { community: regions } },
  ])
}

/** A points account: its owner only. */
export const pointsAccountRule = (v: Viewer): Prisma.PointsAccountWhereInput => ({ userId: v.userId })

/**
 * Ledger entries: those of the viewer's own account, and the manual adjustments the viewer made
 * (the officer reads back the entry they wrote; no other entry of that account).
 */
export const pointsEntryRule = (v: Viewer): Prisma.PointsEntryWhereInput => ({
  OR: [{ account: pointsAccountRule(v) }, { kind: 'ADJUSTMENT', sourceType: null, actorId: v.userId }],
})

/** Reward items: on the shelf for everyone; also off it for the community's officers and those who redeemed them. */
export const rewardItemRule = (v: Viewer): Prisma.RewardItemWhereInput => {
  const regions = officerRegions(v)
  return anyOf<Prisma.RewardItemWhereInput>([
    { active: true },
    regions && { community: regions },
    { redemptions: { some: { userId: v.userId } } },
  ])
}

/** Redemptions: the person who redeemed, and the officers of the item's community. */
export const redemptionRule = (v: Viewer): Prisma.RedemptionWhereInput => {
  const regions = officerRegions(v)
  return anyOf<Prisma.RedemptionWhereInput>([{ userId: v.userId }, regions && { item: { community: regions } }])
}

/** The parties of a wish: the wisher (or who recorded it), the claimer (or their unit), the region's officers. */
export const wishPartiesRule = (v: Viewer): Prisma.MicroWishWhereInput => {
  const regions = officerRegions(v)
  const unit = contactUnitOf(v)
  return anyOf<Prisma.MicroWishWhereInput>([
    { wisherId: v.userId },
    { createdById: v.userId },
    { claimedById: v.userId },
    unit && { claimerUnitId: unit },
    regions && { community: regions },
  ])
}

/**
 * Wishes: open ones for everyone who reads their grid (every resident, party member and unit; staff
 * the grids they serve), all of their grids for grid workers, and every wish to its parties.
 */
export const wishRule = (v: Viewer): Prisma.MicroWishWhereInput => {
  const grids = gridRule(v)
  return {
    OR: [
      grids === true ? { status: 'OPEN' } : { status: 'OPEN', grid: grids },
      ...(v.gridIds.length ? [{ gridId: { in: [...v.gridIds] } }] : []),
      wishPartiesRule(v),
    ],
  }
}

/**
 * A timeline event: whoever reads its row, except that a wish's steps name the wisher and the
 * claimer, so they are only for the wish's parties.
 */
export const volunteerEventRule = (v: Viewer): Prisma.VolunteerEventWhereInput => ({
  OR: [
    { activity: activityRule(v) },
    { signup: signupRule(v) },
    { redemption: redemptionRule(v) },
    { wish: wishPartiesRule(v) },
    { teamId: { not: null } },
    { rewardItem: rewardItemRule(v) },
  ],
})

export const volunteerPolicies = definePolicies({
  VolunteerTeam: () => true,
  VolunteerTeamMember: () => true,
  VolunteerActivity: activityRule,
  ActivitySignup: signupRule,
  VolunteerEvent: volunteerEventRule,
  PointsAccount: pointsAccountRule,
  PointsEntry: pointsEntryRule,
  RewardItem: rewardItemRule,
  Redemption: redemptionRule,
  MicroWish: wishRule,
})
