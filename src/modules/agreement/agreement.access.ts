// Row-level rules of joint construction (DESIGN §5, issue 5). Admins see everything. Officers see
// the agreements, lists, claims and projects of their region subtree, and the agreements their
// units are party to. A unit contact sees their own unit's agreements, reviews, claims, resources
// and the projects it contributes to — never another unit's. Every signed-in user (residents
// included) reads the published needs. Lists are filtered in SQL with the `where` fragments; single
// rows are checked with the predicates.
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { NO_ROWS } from '../../auth/access.js'
import { hasRole, isAdmin, OFFICER_ROLES } from '../../auth/viewer.js'
import { contactUnit, officerOf } from '../party/party.access.js'
import type { AgreementActor, ClaimActor, NeedActor, ProjectActor, ResourceActor } from './transitions.js'

export { contactUnit, officerOf }


/** Officers of the region (or above it) and admins: they manage what belongs to the region. */
export const managesRegion = async (ctx: Context, regionId: string) => isAdmin(ctx.viewer) || officerOf(ctx, regionId)


/** Whether the viewer officiates over the region of a row found by `load` (memoised per key). */
const officerOfRow = (ctx: Context, key: string, load: () => Promise<{ regionId: string } | null>) =>
  ctx.access.memo(`officer-of:${key}`, async () => {
    const row = await load()
    return !!row && officerOf(ctx, row.regionId)
  })

/** The rows of a loaded relation that the viewer may read, in their order. */
export async function visible<T>(rows: T[], canRead: (row: T) => Promise<boolean>): Promise<T[]> {
  const ok = await Promise.all(rows.map(canRead))
  return rows.filter((_, i) => ok[i])
}

// ---------------------------------------------------------------- agreements

/** `where` on JointAgreement for reading; null = all. */
export async function agreementReadWhere(ctx: Context): Promise<Prisma.JointAgreementWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.JointAgreementWhereInput[] = []
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ region: regions }, { parties: { some: { unit: { community: regions } } } })
  const unit = contactUnit(ctx)
  if (unit) or.push({ parties: { some: { unitId: unit } } })
  return or.length ? { OR: or } : NO_ROWS
}

/** Asks the database every time: for long-lived contexts (subscriptions). */
export async function readsAgreementNow(ctx: Context, id: string): Promise<boolean> {
  const where = await agreementReadWhere(ctx)
  if (!where) return true
  return (await ctx.prisma.jointAgreement.count({ where: { AND: [{ id }, where] } })) > 0
}

/** Officers of the agreement's own region are answered without a query when the row is at hand. */
export function canReadAgreement(ctx: Context, a: { id: string; regionId?: string }): Promise<boolean> {
  return ctx.access.memo(`agreement:${a.id}`, async () => isAdmin(ctx.viewer) || (!!a.regionId && (await officerOf(ctx, a.regionId))) || readsAgreementNow(ctx, a.id))
}

/** Whether the viewer may read the agreement an item belongs to (memoised per item). */
export function canReadAgreementItem(ctx: Context, itemId: string): Promise<boolean> {
  return ctx.access.memo(`item:${itemId}`, async () => {
    const item = await ctx.prisma.agreementItem.findUnique({ where: { id: itemId }, select: { agreementId: true } })
    return !!item && canReadAgreement(ctx, { id: item.agreementId })
  })
}

/** How the viewer relates to an agreement (see AGREEMENT_TRANSITIONS); SYSTEM is never a viewer. */
export async function agreementActors(ctx: Context, a: { regionId: string; parties: { unitId: string }[] }): Promise<AgreementActor[]> {
  const actors: AgreementActor[] = []
  if (await managesRegion(ctx, a.regionId)) actors.push('ORG_OFFICER')
  const unit = contactUnit(ctx)
  if (unit && a.parties.some((p) => p.unitId === unit)) actors.push('UNIT')
  return actors
}

/** Phones of responsible people: officers and admins, and the contacts of the agreement's units. */
export const seesAgreementPhones = (ctx: Context) => ctx.access.seesPersonalData() || contactUnit(ctx) !== null

// ---------------------------------------------------------------- reviews (述职评议)

/** `where` on AgreementReview: officers by the agreement's region or the unit's community; a unit its own. */
export async function reviewReadWhere(ctx: Context): Promise<Prisma.AgreementReviewWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.AgreementReviewWhereInput[] = []
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ agreement: { region: regions } }, { unit: { community: regions } })
  const unit = contactUnit(ctx)
  if (unit) or.push({ unitId: unit })
  return or.length ? { OR: or } : NO_ROWS
}

/** The single-row form of reviewReadWhere, memoised per agreement and unit (no query per review). */
export async function canReadReview(ctx: Context, r: { agreementId: string; unitId: string }): Promise<boolean> {
  if (isAdmin(ctx.viewer) || contactUnit(ctx) === r.unitId) return true
  if (!hasRole(ctx.viewer, ...OFFICER_ROLES)) return false
  return (await officerOfRow(ctx, `agreement:${r.agreementId}`, () => ctx.prisma.jointAgreement.findUnique({ where: { id: r.agreementId }, select: { regionId: true } })))
    || officerOfRow(ctx, `unit:${r.unitId}`, async () => {
      const u = await ctx.prisma.residentUnit.findUnique({ where: { id: r.unitId }, select: { communityId: true } })
      return u && { regionId: u.communityId }
    })
}

// ---------------------------------------------------------------- needs and resources

/** `where` on NeedItem: published needs (not withdrawn) for every signed-in user; all of them for officers of the region. */
export async function needReadWhere(ctx: Context): Promise<Prisma.NeedItemWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.NeedItemWhereInput[] = [{ status: { not: 'WITHDRAWN' } }]
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ community: regions })
  return { OR: or }
}

export async function canReadNeed(ctx: Context, n: { communityId: string; status: string }): Promise<boolean> {
  if (!ctx.viewer) return false
  return n.status !== 'WITHDRAWN' || managesRegion(ctx, n.communityId)
}

export async function needActors(ctx: Context, n: { communityId: string; gridId: string | null }): Promise<NeedActor[]> {
  const actors: NeedActor[] = []
  if (await managesRegion(ctx, n.communityId)) actors.push('COMMUNITY_OFFICER')
  if (n.gridId && hasRole(ctx.viewer, 'GRID_WORKER') && ctx.viewer?.gridIds.includes(n.gridId)) actors.push('GRID_WORKER')
  return actors
}

/**
 * `where` on ResourceItem: resources on offer (not withdrawn) for officers (any community may
 * claim one) and unit contacts; every one of their region for officers; its own for a unit.
 */
export async function resourceReadWhere(ctx: Context): Promise<Prisma.ResourceItemWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.ResourceItemWhereInput[] = []
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ community: regions })
  const unit = contactUnit(ctx)
  if (unit) or.push({ unitId: unit })
  if (regions || unit) or.push({ status: { not: 'WITHDRAWN' } })
  return or.length ? { OR: or } : NO_ROWS
}

export async function canReadResource(ctx: Context, r: { unitId: string; communityId: string; status: string }): Promise<boolean> {
  const unit = contactUnit(ctx)
  if (isAdmin(ctx.viewer) || unit === r.unitId) return true
  if ((unit || hasRole(ctx.viewer, ...OFFICER_ROLES)) && r.status !== 'WITHDRAWN') return true
  return officerOf(ctx, r.communityId)
}

export async function resourceActors(ctx: Context, r: { unitId: string; communityId: string }): Promise<ResourceActor[]> {
  const actors: ResourceActor[] = []
  if (contactUnit(ctx) === r.unitId) actors.push('OWNER')
  if (await managesRegion(ctx, r.communityId)) actors.push('COMMUNITY_OFFICER')
  return actors
}

// ---------------------------------------------------------------- claims

/** `where` on NeedClaim: officers by the need's community; a unit its own claims. */
export async function needClaimReadWhere(ctx: Context): Promise<Prisma.NeedClaimWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.NeedClaimWhereInput[] = []
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ need: { community: regions } })
  const unit = contactUnit(ctx)
  if (unit) or.push({ unitId: unit })
  return or.length ? { OR: or } : NO_ROWS
}

export async function canReadNeedClaim(ctx: Context, c: { unitId: string; needId: string }): Promise<boolean> {
  if (isAdmin(ctx.viewer) || contactUnit(ctx) === c.unitId) return true
  return ctx.access.memo(`need-officer:${c.needId}`, async () => {
    const need = await ctx.prisma.needItem.findUnique({ where: { id: c.needId }, select: { communityId: true } })
    return !!need && officerOf(ctx, need.communityId)
  })
}

/** `where` on ResourceClaim: officers of the claiming or the offering community; the offering unit. */
export async function resourceClaimReadWhere(ctx: Context): Promise<Prisma.ResourceClaimWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.ResourceClaimWhereInput[] = []
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ community: regions }, { resource: { community: regions } })
  const unit = contactUnit(ctx)
  if (unit) or.push({ resource: { unitId: unit } })
  return or.length ? { OR: or } : NO_ROWS
}

/** The single-row form of resourceClaimReadWhere; the resource is read once per request. */
export async function canReadResourceClaim(ctx: Context, c: { resourceId: string; communityId: string }): Promise<boolean> {
  if (isAdmin(ctx.viewer) || (await officerOf(ctx, c.communityId))) return true
  const unit = contactUnit(ctx)
  if (!unit && !hasRole(ctx.viewer, ...OFFICER_ROLES)) return false
  const r = await ctx.access.memo(`resource:${c.resourceId}`, () => ctx.prisma.resourceItem.findUnique({ where: { id: c.resourceId }, select: { unitId: true, communityId: true } }))
  return !!r && (r.unitId === unit || officerOf(ctx, r.communityId))
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

/** `where` on Project: officers of the community; the contacts of contributing units. */
export async function projectReadWhere(ctx: Context): Promise<Prisma.ProjectWhereInput | null> {
  const v = ctx.viewer
  if (!v) return NO_ROWS
  if (isAdmin(v)) return null
  const or: Prisma.ProjectWhereInput[] = []
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ community: regions })
  const unit = contactUnit(ctx)
  if (unit) or.push(projectUnitWhere(unit))
  return or.length ? { OR: or } : NO_ROWS
}

/** Whether the viewer may read the project a milestone or entry belongs to (memoised per project). */
export function canReadProjectById(ctx: Context, projectId: string): Promise<boolean> {
  return ctx.access.memo(`project-row:${projectId}`, async () => {
    const p = await ctx.prisma.project.findUnique({ where: { id: projectId }, select: { id: true, communityId: true } })
    return !!p && canReadProject(ctx, p)
  })
}

export function canReadProject(ctx: Context, p: { id: string; communityId: string }): Promise<boolean> {
  return ctx.access.memo(`project:${p.id}`, async () => {
    if (isAdmin(ctx.viewer) || (await officerOf(ctx, p.communityId))) return true
    const unit = contactUnit(ctx)
    return !!unit && (await ctx.prisma.project.count({ where: { AND: [{ id: p.id }, projectUnitWhere(unit)] } })) > 0
  })
}

export async function projectActors(ctx: Context, p: { id: string; communityId: string }): Promise<ProjectActor[]> {
  const actors: ProjectActor[] = []
  if (await managesRegion(ctx, p.communityId)) actors.push('OFFICER')
  const unit = contactUnit(ctx)
  if (unit && (await ctx.prisma.project.count({ where: { AND: [{ id: p.id }, projectUnitWhere(unit)] } })) > 0) actors.push('CONTRIBUTOR')
  return actors
}

/** Claim actors: the claimant's side and the deciding community's officers. */
export async function claimActors(ctx: Context, claimant: boolean, decidingRegionId: string): Promise<ClaimActor[]> {
  const actors: ClaimActor[] = []
  if (claimant) actors.push('CLAIMANT')
  if (await managesRegion(ctx, decidingRegionId)) actors.push('DECIDER')
  return actors
}
