// Who may ACT on party data (DESIGN §5). Who may READ it is the read policies' business
// (party.policy.ts), applied by the reader client: services load a row "as the viewer" through
// `ctx.reader` and decide here what the viewer may change.
import type { Context } from '../../context.js'
import { officerRegions } from '../../auth/policy.js'
import { hasRole, isAdmin } from '../../auth/viewer.js'
import type { ReportActor } from './transitions.js'

// ---------------------------------------------------------------- members

/** Community officers (and admins) keep the member profiles of their region. */
export async function canManageMember(
  ctx: Context,
  m: { id: string; homeCommunityId: string | null },
): Promise<boolean> {
  if (isAdmin(ctx.viewer)) return true
  if (!ctx.viewer || !hasRole(ctx.viewer, 'COMMUNITY_OFFICER')) return false
  if (m.homeCommunityId) return ctx.access.officerOf(m.homeCommunityId, 'COMMUNITY_OFFICER')
  const regions = officerRegions(ctx.viewer)
  return !!regions && (await ctx.prisma.dualReport.count({ where: { memberId: m.id, community: regions } })) > 0
}

// ---------------------------------------------------------------- reports

/** How the viewer relates to a report (see REPORT_TRANSITIONS). */
export async function reportActors(
  ctx: Context,
  r: { communityId: string; member: { userId: string | null } | null; unitOrg: { unitId: string | null } | null },
): Promise<ReportActor[]> {
  const v = ctx.viewer
  if (!v) return []
  const actors: ReportActor[] = []
  const unit = ctx.access.contactUnit()
  if ((r.member?.userId && r.member.userId === v.userId) || (unit && r.unitOrg?.unitId === unit))
    actors.push('REPORTER')
  if (isAdmin(v) || (await ctx.access.officerOf(r.communityId, 'COMMUNITY_OFFICER'))) actors.push('COMMUNITY_OFFICER')
  return actors
}

/** What a report query must include for reportActors. */
export const REPORT_PARTIES = { member: { select: { userId: true } }, unitOrg: { select: { unitId: true } } } as const
