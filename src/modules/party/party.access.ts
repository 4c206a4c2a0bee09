// Row-level rules for party data (DESIGN §5, issue 4): admins see all; community and street
// officers their region subtree; a member their own data; a unit contact their unit's party
// organisations and the members who work there, with their reports, records and feedback. Party
// organisations themselves are public to signed-in users. Lists are filtered in SQL with the
// `where` fragments below; single rows are checked with the predicates, in memory where the row
// says enough and otherwise by the same `where` in SQL.
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { NO_ROWS } from '../../auth/access.js'
import { hasRole, isAdmin, OFFICER_ROLES } from '../../auth/viewer.js'
import type { ReportActor } from './transitions.js'



/** The unit the viewer represents as its contact, if any. */
export const contactUnit = (ctx: Context): string | null => (hasRole(ctx.viewer, 'UNIT_CONTACT') && ctx.viewer?.unitId) || null

/** Whether a region lies in the viewer's subtree (officers only). */
export async function officerOf(ctx: Context, regionId: string | null | undefined, ...roles: ('STREET_OFFICER' | 'COMMUNITY_OFFICER')[]): Promise<boolean> {
  if (!regionId || !hasRole(ctx.viewer, ...(roles.length ? roles : OFFICER_ROLES))) return false
  const path = await ctx.access.regionPath(regionId)
  return !!path && ctx.access.inRegionSubtree(path)
}

// ---------------------------------------------------------------- members

/** `where` on PartyMember for reading; null = every member. */
export async function memberReadWhere(ctx: Context): Promise<Prisma.PartyMemberWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.PartyMemberWhereInput[] = [{ userId: v.userId }]
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ homeCommunity: regions }, { reports: { some: { community: regions } } })
  const unit = contactUnit(ctx)
  if (unit) or.push({ workUnitId: unit }, { org: { unitId: unit } })
  return { OR: or }
}

interface MemberRow { id: string; userId: string | null; homeCommunityId: string | null; workUnitId: string | null }

export async function canReadMember(ctx: Context, m: MemberRow): Promise<boolean> {
  const v = ctx.viewer
  if (!v) return false
  if (isAdmin(v) || (m.userId && m.userId === v.userId)) return true
  const unit = contactUnit(ctx)
  if (unit && m.workUnitId === unit) return true
  if (await officerOf(ctx, m.homeCommunityId)) return true
  const where = await memberReadWhere(ctx)
  return (await ctx.prisma.partyMember.count({ where: { AND: [{ id: m.id }, where ?? {}] } })) > 0
}

/** Community officers (and admins) keep the member profiles of their region. */
export async function canManageMember(ctx: Context, m: { id: string; homeCommunityId: string | null }): Promise<boolean> {
  if (isAdmin(ctx.viewer)) return true
  if (!hasRole(ctx.viewer, 'COMMUNITY_OFFICER')) return false
  if (m.homeCommunityId) return officerOf(ctx, m.homeCommunityId, 'COMMUNITY_OFFICER')
  const regions = await ctx.access.officerRegionWhere()
  return !!regions && (await ctx.prisma.dualReport.count({ where: { memberId: m.id, community: regions } })) > 0
}

// ---------------------------------------------------------------- reports

/** `where` on DualReport for reading; null = every report. */
export async function reportReadWhere(ctx: Context): Promise<Prisma.DualReportWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.DualReportWhereInput[] = [{ member: { userId: v.userId } }, { submittedById: v.userId }]
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ community: regions })
  const unit = contactUnit(ctx)
  if (unit) or.push({ unitOrg: { unitId: unit } }, { member: { workUnitId: unit } })
  return { OR: or }
}

interface ReportRow { id: string; communityId: string; submittedById: string }

export async function canReadReport(ctx: Context, r: ReportRow): Promise<boolean> {
  const v = ctx.viewer
  if (!v) return false
  if (isAdmin(v) || r.submittedById === v.userId || (await officerOf(ctx, r.communityId))) return true
  const where = await reportReadWhere(ctx)
  return (await ctx.prisma.dualReport.count({ where: { AND: [{ id: r.id }, where ?? {}] } })) > 0
}

/** How the viewer relates to a report (see REPORT_TRANSITIONS). */
export async function reportActors(ctx: Context, r: { communityId: string; member: { userId: string | null } | null; unitOrg: { unitId: string | null } | null }): Promise<ReportActor[]> {
  const v = ctx.viewer
  if (!v) return []
  const actors: ReportActor[] = []
  const unit = contactUnit(ctx)
  if ((r.member?.userId && r.member.userId === v.userId) || (unit && r.unitOrg?.unitId === unit)) actors.push('REPORTER')
  if (isAdmin(v) || (await officerOf(ctx, r.communityId, 'COMMUNITY_OFFICER'))) actors.push('COMMUNITY_OFFICER')
  return actors
}

/** What a report query must include for reportActors. */
export const REPORT_PARTIES = { member: { select: { userId: true } }, unitOrg: { select: { unitId: true } } } as const

// ---------------------------------------------------------------- records and feedback

/** `where` on PerformanceFeedback for reading; null = all. */
export async function feedbackReadWhere(ctx: Context): Promise<Prisma.PerformanceFeedbackWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.PerformanceFeedbackWhereInput[] = [{ member: { userId: v.userId } }]
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ community: regions })
  const unit = contactUnit(ctx)
  if (unit) or.push({ toOrg: { unitId: unit } }, { member: { workUnitId: unit } })
  return { OR: or }
}

/** `where` on ServiceRecord for reading: through its member, or its unit org's unit and region. */
export async function serviceRecordReadWhere(ctx: Context): Promise<Prisma.ServiceRecordWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const members = await memberReadWhere(ctx)
  const or: Prisma.ServiceRecordWhereInput[] = [{ member: members ?? {} }]
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ unitOrg: { region: regions } })
  const unit = contactUnit(ctx)
  if (unit) or.push({ unitOrg: { unitId: unit } })
  return { OR: or }
}


/** For rows hanging off a report (pledges, timeline): readable with their report. */
export function canReadReportById(ctx: Context, reportId: string): Promise<boolean> {
  return ctx.access.memo(`report:${reportId}`, async () => {
    const r = await ctx.prisma.dualReport.findUnique({ where: { id: reportId }, select: { id: true, communityId: true, submittedById: true } })
    return !!r && canReadReport(ctx, r)
  })
}

/** A member's service records are readable with the member; a unit org's by its unit and region. */
export async function canReadServiceRecord(ctx: Context, r: { id: string; memberId: string | null }): Promise<boolean> {
  if (isAdmin(ctx.viewer)) return true
  if (r.memberId) {
    const memberId = r.memberId
    return ctx.access.memo(`member:${memberId}`, async () => {
      const m = await ctx.prisma.partyMember.findUnique({ where: { id: memberId }, select: { id: true, userId: true, homeCommunityId: true, workUnitId: true } })
      return !!m && canReadMember(ctx, m)
    })
  }
  const where = await serviceRecordReadWhere(ctx)
  return (await ctx.prisma.serviceRecord.count({ where: { AND: [{ id: r.id }, where ?? {}] } })) > 0
}

export async function canReadFeedback(ctx: Context, f: { id: string; communityId: string }): Promise<boolean> {
  if (isAdmin(ctx.viewer) || (await officerOf(ctx, f.communityId))) return true
  const where = await feedbackReadWhere(ctx)
  return (await ctx.prisma.performanceFeedback.count({ where: { AND: [{ id: f.id }, where ?? {}] } })) > 0
}
