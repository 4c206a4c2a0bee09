// Read policies of the party module (DESIGN §5; see src/auth/policy.ts). Party
// organisations and the service catalogue are public to signed-in viewers. A member, their
// reports, service records and feedback are read by the member themself, by officers whose region
// subtree holds the member's home or a community they reported to, and by the contacts of the unit
// the member works for (or whose party organisation holds their membership). A report's pledges
// and timeline are read with the report.
import type { Prisma } from '../../generated/prisma/client.js'
import { anyOf, contactUnitOf, definePolicies, officerRegions, signedIn } from '../../auth/policy.js'
import type { Viewer } from '../../auth/viewer.js'

/**
 * Members: themself, officers of their home or of a community they reported to, the contacts of
 * their workplace, of the unit whose organisation holds their membership, and of a unit that was
 * sent feedback on them (which stays the unit's after the member changes organisation).
 */
export const memberRule = (v: Viewer): Prisma.PartyMemberWhereInput => {
  const regions = officerRegions(v)
  const unit = contactUnitOf(v)
  return anyOf<Prisma.PartyMemberWhereInput>([
    { userId: v.userId },
    regions ? { homeCommunity: regions } : null,
    regions ? { reports: { some: { community: regions } } } : null,
    unit ? { workUnitId: unit } : null,
    unit ? { org: { unitId: unit } } : null,
    unit ? { feedbacks: { some: { toOrg: { unitId: unit } } } } : null,
  ])
}

/** Reports: the member and whoever submitted it, officers of its community, the unit concerned. */
export const reportRule = (v: Viewer): Prisma.DualReportWhereInput => {
  const regions = officerRegions(v)
  const unit = contactUnitOf(v)
  return anyOf<Prisma.DualReportWhereInput>([
    { member: { userId: v.userId } },
    { submittedById: v.userId },
    regions ? { community: regions } : null,
    unit ? { unitOrg: { unitId: unit } } : null,
    unit ? { member: { workUnitId: unit } } : null,
  ])
}

/** Service records: with their member; a unit organisation's by its unit and the officers of its community. */
const serviceRecordRule = (v: Viewer): Prisma.ServiceRecordWhereInput => {
  const regions = officerRegions(v)
  const unit = contactUnitOf(v)
  return anyOf<Prisma.ServiceRecordWhereInput>([
    { member: memberRule(v) },
    regions ? { unitOrg: { region: regions } } : null,
    unit ? { unitOrg: { unitId: unit } } : null,
  ])
}

/** Feedback: the member, officers of the sending community, the receiving unit and the member's workplace. */
const feedbackRule = (v: Viewer): Prisma.PerformanceFeedbackWhereInput => {
  const regions = officerRegions(v)
  const unit = contactUnitOf(v)
  return anyOf<Prisma.PerformanceFeedbackWhereInput>([
    { member: { userId: v.userId } },
    regions ? { community: regions } : null,
    unit ? { toOrg: { unitId: unit } } : null,
    unit ? { member: { workUnitId: unit } } : null,
  ])
}

export const partyPolicies = definePolicies({
  PartyOrg: signedIn,
  PartyMember: memberRule,
  DualReport: reportRule,
  DualReportEvent: (v) => ({ report: reportRule(v) }),
  Commitment: (v) => ({ report: reportRule(v) }),
  ServiceItem: signedIn,
  ServiceRecord: serviceRecordRule,
  PerformanceFeedback: feedbackRule,
})
