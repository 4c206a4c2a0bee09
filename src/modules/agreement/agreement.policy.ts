// Read policies of joint construction (DESIGN §5, README "Joint construction"): agreements, the three
// lists and projects. Admins and anonymous viewers are handled centrally (src/auth/policy.ts).
//
// - Officers read what lies in their region subtree: agreements of their region and those a unit of
//   their communities is party to, needs, resources, claims and projects of their communities, and
//   the resources on offer anywhere (any community may claim one) or that their community claimed.
// - A unit contact reads its own unit's agreements, reviews, claims and resources and the projects the
//   unit contributes to — never another unit's (another unit's resource is NotFound).
// - Every signed-in user reads the needs that are not withdrawn.
// Child rows (parties, items, progress entries, events, milestones, project entries) are read by those
// who may read their parent.
import type { Prisma } from '../../generated/prisma/client.js'
import { anyOf, contactUnitOf, definePolicies, officerRegions } from '../../auth/policy.js'
import { isAdmin, type Viewer } from '../../auth/viewer.js'

// ---------------------------------------------------------------- agreements

export const agreementRule = (v: Viewer): Prisma.JointAgreementWhereInput => {
  const regions = officerRegions(v)
  const unit = contactUnitOf(v)
  return anyOf<Prisma.JointAgreementWhereInput>([
    regions && { region: regions },
    regions && { parties: { some: { unit: { community: regions } } } },
    unit && { parties: { some: { unitId: unit } } },
  ])
}

/** Reviews: officers by the agreement's region or the unit's community; a unit its own, not the other parties'. */
export const reviewRule = (v: Viewer): Prisma.AgreementReviewWhereInput => {
  const regions = officerRegions(v)
  const unit = contactUnitOf(v)
  return anyOf<Prisma.AgreementReviewWhereInput>([
    regions && { agreement: { region: regions } },
    regions && { unit: { community: regions } },
    unit && { unitId: unit },
  ])
}

/**
 * Phones of an item's responsible people (work contacts of both sides): whole for the viewers who
 * work with them — admins, officers and the party units' contacts, the only ones who read an item
 * (agreementRule) — masked for anyone else.
 */
export const seesAgreementPhones = (v: Viewer | null): boolean =>
  !!v && (isAdmin(v) || !!officerRegions(v) || !!contactUnitOf(v))

// ---------------------------------------------------------------- needs, resources, claims

/** Needs: published (not withdrawn) to every signed-in user; all of their communities' to officers; those its unit claimed to a unit. */
export const needRule = (v: Viewer): Prisma.NeedItemWhereInput => {
  const regions = officerRegions(v)
  const unit = contactUnitOf(v)
  return anyOf<Prisma.NeedItemWhereInput>([
    { status: { not: 'WITHDRAWN' } },
    regions && { community: regions },
    unit && { claims: { some: { unitId: unit } } },
  ])
}

/**
 * Resources: a unit contact reads its own unit's only; officers read their
 * communities' resources, the resources on offer (not withdrawn: any community may claim one) and
 * the ones their communities claimed. Nobody else.
 */
export const resourceRule = (v: Viewer): Prisma.ResourceItemWhereInput => {
  const regions = officerRegions(v)
  const unit = contactUnitOf(v)
  return anyOf<Prisma.ResourceItemWhereInput>([
    unit && { unitId: unit },
    regions && { community: regions },
    regions && { status: { not: 'WITHDRAWN' } },
    regions && { claims: { some: { community: regions } } },
  ])
}

/** Claims on needs: officers by the need's community; a unit its own. */
export const needClaimRule = (v: Viewer): Prisma.NeedClaimWhereInput => {
  const regions = officerRegions(v)
  const unit = contactUnitOf(v)
  return anyOf<Prisma.NeedClaimWhereInput>([regions && { need: { community: regions } }, unit && { unitId: unit }])
}

/** Claims on resources: officers of the claiming or the offering community; the offering unit. */
export const resourceClaimRule = (v: Viewer): Prisma.ResourceClaimWhereInput => {
  const regions = officerRegions(v)
  const unit = contactUnitOf(v)
  return anyOf<Prisma.ResourceClaimWhereInput>([
    regions && { community: regions },
    regions && { resource: { community: regions } },
    unit && { resource: { unitId: unit } },
  ])
}

// ---------------------------------------------------------------- projects

/**
 * Units that contribute to a project: linked resources' units, the approved claimant, and the unit
 * its agreement item names — every party of the agreement when the item names none.
 */
export const projectUnitWhere = (unitId: string): Prisma.ProjectWhereInput => ({
  OR: [
    { resources: { some: { resource: { unitId } } } },
    { need: { claims: { some: { unitId, status: 'APPROVED' } } } },
    { agreementItem: { OR: [{ unitId }, { unitId: null, agreement: { parties: { some: { unitId } } } }] } },
  ],
})

/** Projects: officers of the community; the contacts of contributing units. */
export const projectRule = (v: Viewer): Prisma.ProjectWhereInput => {
  const regions = officerRegions(v)
  const unit = contactUnitOf(v)
  return anyOf<Prisma.ProjectWhereInput>([regions && { community: regions }, unit && projectUnitWhere(unit)])
}

export const agreementPolicies = definePolicies({
  JointAgreement: agreementRule,
  AgreementParty: (v) => ({ agreement: agreementRule(v) }),
  AgreementItem: (v) => ({ agreement: agreementRule(v) }),
  AgreementProgress: (v) => ({ item: { agreement: agreementRule(v) } }),
  AgreementEvent: (v) => ({ agreement: agreementRule(v) }),
  AgreementReview: reviewRule,
  NeedItem: needRule,
  ResourceItem: resourceRule,
  NeedClaim: needClaimRule,
  ResourceClaim: resourceClaimRule,
  Project: projectRule,
  // a link between a project and a resource: both ends readable (a contributing unit sees only its own resources)
  ProjectResource: (v) => ({ project: projectRule(v), resource: resourceRule(v) }),
  ProjectMilestone: (v) => ({ project: projectRule(v) }),
  ProjectProgress: (v) => ({ project: projectRule(v) }),
})
