// Who may ACT in joint construction (the actors of the transition tables). Who may READ is the
// read policies' business (agreement.policy.ts), applied by the reader client.
import type { Context } from '../../context.js'
import { hasRole } from '../../auth/viewer.js'
import { projectUnitWhere } from './agreement.policy.js'
import type { AgreementActor, ClaimActor, NeedActor, ProjectActor, ResourceActor } from './transitions.js'

// ---------------------------------------------------------------- agreements

/** How the viewer relates to an agreement (see AGREEMENT_TRANSITIONS); SYSTEM is never a viewer. */
export async function agreementActors(
  ctx: Context,
  a: { regionId: string; parties: { unitId: string }[] },
): Promise<AgreementActor[]> {
  const actors: AgreementActor[] = []
  if (await ctx.access.managesRegion(a.regionId)) actors.push('ORG_OFFICER')
  const unit = ctx.access.contactUnit()
  if (unit && a.parties.some((p) => p.unitId === unit)) actors.push('UNIT')
  return actors
}

// ---------------------------------------------------------------- needs and resources

export async function needActors(
  ctx: Context,
  n: { communityId: string; gridId: string | null },
): Promise<NeedActor[]> {
  const actors: NeedActor[] = []
  if (await ctx.access.managesRegion(n.communityId)) actors.push('COMMUNITY_OFFICER')
  if (n.gridId && hasRole(ctx.viewer, 'GRID_WORKER') && ctx.viewer?.gridIds.includes(n.gridId))
    actors.push('GRID_WORKER')
  return actors
}

export async function resourceActors(
  ctx: Context,
  r: { unitId: string; communityId: string },
): Promise<ResourceActor[]> {
  const actors: ResourceActor[] = []
  if (ctx.access.contactUnit() === r.unitId) actors.push('OWNER')
  if (await ctx.access.managesRegion(r.communityId)) actors.push('COMMUNITY_OFFICER')
  return actors
}

/** Claim actors: the claimant's side and the deciding community's officers. */
export async function claimActors(ctx: Context, claimant: boolean, decidingRegionId: string): Promise<ClaimActor[]> {
  const actors: ClaimActor[] = []
  if (claimant) actors.push('CLAIMANT')
  if (await ctx.access.managesRegion(decidingRegionId)) actors.push('DECIDER')
  return actors
}

// ---------------------------------------------------------------- projects

export async function projectActors(ctx: Context, p: { id: string; communityId: string }): Promise<ProjectActor[]> {
  const actors: ProjectActor[] = []
  if (await ctx.access.managesRegion(p.communityId)) actors.push('OFFICER')
  const unit = ctx.access.contactUnit()
  if (unit && (await ctx.prisma.project.count({ where: { AND: [{ id: p.id }, projectUnitWhere(unit)] } })) > 0)
    actors.push('CONTRIBUTOR')
  return actors
}
