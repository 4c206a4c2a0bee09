// The three lists (三张清单): needs raised by a community or grid, resources offered by units, and
// two-way claiming — a unit claims a need (认领需求), a community claims a resource (认领资源) —
// decided by the community officer. Of concurrent approvals on one need or resource exactly one
// wins: approval locks the need (resource) row first, moves it OPEN → CLAIMED (AVAILABLE → CLAIMED)
// under that lock and rejects the other pending claims in the same transaction; the unique
// approved slot backs this up in the database. Projects are in project.service.ts.
import { z } from 'zod'
import type { Context } from '../../context.js'
import { mapPrismaError, type Tx } from '../../db.js'
import {
  NeedUrgency,
  ResourceKind,
  type ClaimStatus,
  type NeedClaim,
  type NeedItem,
  type NeedStatus,
  type Prisma,
  type ResourceClaim,
  type ResourceItem,
  type ResourceStatus,
} from '../../generated/prisma/client.js'
import { unitsPerCommunity } from '../../shared/count-by.js'
import { ForbiddenError, InvalidTransitionError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { check, defineWorkflow, refusal, type StatefulDelegate, type StatefulRow } from '../../shared/state-machine.js'
import { parseInput } from '../../shared/validate.js'
import { claimActors, needActors, resourceActors } from './agreement.access.js'
import { note, reason, version } from './agreement.service.js'
import {
  CLAIM_TRANSITIONS,
  COVERING_AGREEMENT,
  NEED_TRANSITIONS,
  RESOURCE_TRANSITIONS,
  type ClaimAction,
  type ClaimActor,
  type NeedAction,
  type NeedActor,
  type ResourceAction,
  type ResourceActor,
} from './transitions.js'

const title = z.string().trim().min(2, 'at least 2 characters').max(100)
const description = z.string().trim().max(4000).nullish()

// ---------------------------------------------------------------- moving needs and resources

/** Moves a need by its table under the caller's transaction, only from the table's states; returns whether it moved. */
export async function moveNeed(
  tx: Tx,
  id: string,
  action: NeedAction,
  data: Prisma.NeedItemUncheckedUpdateManyInput = {},
  to?: NeedStatus,
): Promise<boolean> {
  const t = NEED_TRANSITIONS[action]
  const { count } = await tx.needItem.updateMany({
    where: { id, status: { in: t.from.filter((s) => s !== 'NEW') as NeedStatus[] } },
    data: { ...data, status: to ?? (t.to as NeedStatus), version: { increment: 1 } },
  })
  return count === 1
}

/** Moves resources by their table; returns how many moved. */
export async function moveResources(tx: Tx, ids: string[], action: ResourceAction): Promise<number> {
  const t = RESOURCE_TRANSITIONS[action]
  const { count } = await tx.resourceItem.updateMany({
    where: { id: { in: ids }, status: { in: t.from.filter((s) => s !== 'NEW') as ResourceStatus[] } },
    data: { status: t.to as ResourceStatus, version: { increment: 1 } },
  })
  return count
}

// ---------------------------------------------------------------- needs (需求清单)

const needSchema = z.object({
  title,
  description,
  category: z.string().trim().min(2, 'at least 2 characters').max(30),
  communityId: z.string().nullish(),
  gridId: z.string().nullish(),
  urgency: z.enum(NeedUrgency).nullish(),
  beneficiaries: z.string().trim().max(200).nullish(),
  beneficiaryCount: z.number().int().min(1).max(1_000_000).nullish(),
})

/** A community officer raises a need for the community or one of its grids; a grid worker for their grid. */
export async function raiseNeed(ctx: Context, input: z.input<typeof needSchema>): Promise<NeedItem> {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(needSchema, input)
  const grid = data.gridId
    ? await ctx.reader.grid.findUnique({ where: { id: data.gridId }, select: { id: true, communityId: true } })
    : null
  if (data.gridId && !grid) throw new NotFoundError('Grid', data.gridId)
  const communityId = grid?.communityId ?? data.communityId
  if (!communityId)
    throw new ValidationFailedError([{ path: 'communityId', message: 'give the community or the grid' }])
  if (data.communityId && data.communityId !== communityId)
    throw new ValidationFailedError([{ path: 'gridId', message: 'the grid is in another community' }])
  const verdict = check(
    NEED_TRANSITIONS,
    'RAISE',
    'NEW',
    await needActors(ctx, { communityId, gridId: grid?.id ?? null }),
  )
  if (!verdict.ok) throw refusal('NeedItem', 'NEW', 'RAISE', verdict.reason)
  const community = await ctx.prisma.region.findUnique({ where: { id: communityId }, select: { level: true } })
  if (community?.level !== 'COMMUNITY')
    throw new ValidationFailedError([{ path: 'communityId', message: 'not a community' }])
  return ctx.prisma.needItem.create({
    data: {
      title: data.title,
      description: data.description ?? null,
      category: data.category,
      communityId,
      gridId: grid?.id ?? null,
      urgency: data.urgency ?? 'NORMAL',
      beneficiaries: data.beneficiaries ?? null,
      beneficiaryCount: data.beneficiaryCount ?? null,
      raisedById: viewer.userId,
    },
  })
}

/** The need or the resource a claim is on. */
type ClaimParent = { needId: string } | { resourceId: string }

/** Pending claims end with the need or the resource, or when another claim on it is approved; the reason says why. */
async function closePendingClaims(tx: Tx, on: ClaimParent, why: string, except?: string) {
  const where = { status: 'PENDING' as const, ...(except ? { id: { not: except } } : {}) }
  const data = {
    status: 'REJECTED' as const,
    reason: why,
    activeSlot: null,
    decidedById: null,
    decidedAt: new Date(),
    version: { increment: 1 },
  }
  if ('needId' in on) await tx.needClaim.updateMany({ where: { ...where, needId: on.needId }, data })
  else await tx.resourceClaim.updateMany({ where: { ...where, resourceId: on.resourceId }, data })
}

/** The approved claims on a need or on resources lapse (WITHDRAWN), freeing their slots; the reason says why. */
async function lapseClaims(tx: Tx, on: ClaimParent | { resourceId: { in: string[] } }, why: string) {
  const t = CLAIM_TRANSITIONS.LAPSE
  const data = {
    status: t.to as ClaimStatus,
    reason: why,
    activeSlot: null,
    approvedSlot: null,
    version: { increment: 1 },
  }
  const where = { status: { in: t.from as ClaimStatus[] } }
  if ('needId' in on) await tx.needClaim.updateMany({ where: { ...where, needId: on.needId }, data })
  else await tx.resourceClaim.updateMany({ where: { ...where, resourceId: on.resourceId }, data })
}

/** When its need or resource is withdrawn, a pending claim is rejected and an approved one lapses (WITHDRAWN). */
async function endClaims(tx: Tx, on: ClaimParent, why: string) {
  await closePendingClaims(tx, on, why)
  await lapseClaims(tx, on, why)
}

/**
 * Frees resources IN_USE → AVAILABLE under the caller's transaction; the approved claims that brought
 * them into use are spent and lapse (WITHDRAWN), so that the resources can be claimed again.
 */
export async function releaseResources(tx: Tx, ids: string[], why: string): Promise<number> {
  const moved = await moveResources(tx, ids, 'RELEASE')
  await lapseClaims(tx, { resourceId: { in: ids } }, why)
  return moved
}

/** A need's steps after it is raised (see defineWorkflow); needs have no timeline and publish nothing. */
const needs = defineWorkflow<NeedStatus, NeedAction, NeedActor, Prisma.NeedItemUncheckedUpdateManyInput, NeedItem>({
  entity: 'NeedItem',
  table: NEED_TRANSITIONS,
  read: (ctx, id) => ctx.reader.needItem.findUnique({ where: { id } }),
  actors: needActors,
  delegate: (tx) => tx.needItem,
})

const withdrawSchema = z.object({ id: z.string(), version, reason })

const closedNow = () => ({ data: { closedAt: new Date() } })

/** A withdrawal of a need or a resource ends its open claims with the reason, in its transaction. */
const endingClaims =
  (on: (id: string) => ClaimParent, what: string) =>
  async <R>(tx: Tx, { row, data, updated }: { row: { id: string }; data: { reason: string }; updated: R }) => {
    await endClaims(tx, on(row.id), `${what}: ${data.reason}`)
    return updated
  }

export const withdrawNeed = needs.inputStep(
  withdrawSchema,
  'WITHDRAW',
  closedNow,
  endingClaims((needId) => ({ needId }), '需求已撤回'),
)

// ---------------------------------------------------------------- resources (资源清单)

const resourceSchema = z.object({
  title,
  description,
  kind: z.enum(ResourceKind),
  unitId: z.string().nullish(),
  capacity: z.string().trim().max(100).nullish(),
  availableFrom: z.date().nullish(),
  availableUntil: z.date().nullish(),
  availability: z.string().trim().max(200).nullish(),
})

/** A unit's contact offers one of the unit's resources; a community officer may record it for a unit of the community. */
export async function offerResource(ctx: Context, input: z.input<typeof resourceSchema>): Promise<ResourceItem> {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(resourceSchema, input)
  const unitId = data.unitId ?? ctx.access.contactUnit()
  if (!unitId) throw new ValidationFailedError([{ path: 'unitId', message: 'name the unit that offers it' }])
  const unit = await ctx.prisma.residentUnit.findUnique({
    where: { id: unitId },
    select: { id: true, communityId: true },
  })
  if (!unit) throw new NotFoundError('ResidentUnit', unitId)
  const verdict = check(
    RESOURCE_TRANSITIONS,
    'OFFER',
    'NEW',
    await resourceActors(ctx, { unitId: unit.id, communityId: unit.communityId }),
  )
  if (!verdict.ok) throw refusal('ResourceItem', 'NEW', 'OFFER', verdict.reason)
  if (data.availableFrom && data.availableUntil && data.availableUntil <= data.availableFrom) {
    throw new ValidationFailedError([{ path: 'availableUntil', message: 'must be after availableFrom' }])
  }
  return ctx.prisma.resourceItem.create({
    data: {
      title: data.title,
      description: data.description ?? null,
      kind: data.kind,
      unitId: unit.id,
      communityId: unit.communityId,
      capacity: data.capacity ?? null,
      availableFrom: data.availableFrom ?? null,
      availableUntil: data.availableUntil ?? null,
      availability: data.availability ?? null,
      offeredById: viewer.userId,
    },
  })
}

/** A resource's steps after it is offered (see defineWorkflow); resources have no timeline and publish nothing. */
const resources = defineWorkflow<
  ResourceStatus,
  ResourceAction,
  ResourceActor,
  Prisma.ResourceItemUncheckedUpdateManyInput,
  ResourceItem
>({
  entity: 'ResourceItem',
  table: RESOURCE_TRANSITIONS,
  // another unit's resource is not readable to a unit contact
  read: (ctx, id) => ctx.reader.resourceItem.findUnique({ where: { id } }),
  actors: resourceActors,
  delegate: (tx) => tx.resourceItem,
})

export const withdrawResource = resources.inputStep(
  withdrawSchema,
  'WITHDRAW',
  closedNow,
  endingClaims((resourceId) => ({ resourceId }), '资源已撤回'),
)

// ---------------------------------------------------------------- claims: shared steps

type ClaimData = {
  status?: ClaimStatus
  reason?: string | null
  decidedById?: string | null
  decidedAt?: Date | null
  approvedSlot?: boolean | null
  activeSlot?: boolean | null
}

/** What a claim step needs to know of one kind of claim (on a need, on a resource). */
interface ClaimKind<C extends StatefulRow<ClaimStatus>> {
  entity: 'NeedClaim' | 'ResourceClaim'
  /** The claim as the viewer may read it. */
  read: (ctx: Context, id: string) => Promise<C | null>
  /** How the caller relates to the claim; the deciding community is read by the trusted client. */
  actors: (ctx: Context, c: C) => Promise<ClaimActor[]>
  delegate: (
    tx: Tx,
  ) => StatefulDelegate<ClaimStatus, ClaimData & { status: ClaimStatus; version: { increment: number } }, C>
  parent: (c: C) => ClaimParent
  /** Takes the row lock on the claimed need or resource. */
  lockParent: (tx: Tx, c: C) => Promise<unknown>
  /** Approval moves the need (resource) to CLAIMED, or throws InvalidTransition from where it is now. */
  takeParent: (tx: Tx, c: C) => Promise<void>
}

const decided = (ctx: Context, extra: ClaimData): ClaimData => ({
  decidedById: ctx.viewer?.userId ?? null,
  decidedAt: new Date(),
  ...extra,
})

const OTHER_APPROVED = '已由其他认领方认领 (another claim was approved)'

/**
 * The decisions on a kind of claim: approve, reject, withdraw, each answering with the claim as the
 * guarded update left it. Its workflow (see defineWorkflow) takes a row lock on the claimed need or
 * resource before the guarded update: concurrent decisions on one need queue there, so the winner
 * can reject the other pending claims without a deadlock, and the others then find their claim moved
 * on. Claims have no timeline and publish nothing.
 */
function claimSteps<C extends StatefulRow<ClaimStatus>>(kind: ClaimKind<C>) {
  const workflow = defineWorkflow<ClaimStatus, ClaimAction, ClaimActor, ClaimData, C, C>({
    entity: kind.entity,
    table: CLAIM_TRANSITIONS,
    read: kind.read,
    actors: kind.actors,
    delegate: kind.delegate,
    before: kind.lockParent,
    mapError: (e) => mapPrismaError(e, kind.entity),
  })
  return {
    /** The need (resource) becomes CLAIMED and every other pending claim on it is rejected. */
    approve: workflow.inputStep(
      z.object({ id: z.string(), version, note }),
      'APPROVE',
      (data, ctx) => ({ data: decided(ctx, { approvedSlot: true, reason: data.note ?? null }) }),
      async (tx, { row, updated }) => {
        await kind.takeParent(tx, row)
        await closePendingClaims(tx, kind.parent(row), OTHER_APPROVED, row.id)
        return updated
      },
    ),
    reject: workflow.inputStep(z.object({ id: z.string(), version, reason }), 'REJECT', (data, ctx) => ({
      data: decided(ctx, { reason: data.reason, activeSlot: null }),
    })),
    withdraw: workflow.inputStep(
      z.object({ id: z.string(), version, reason: reason.nullish() }),
      'WITHDRAW',
      (data) => ({
        data: { reason: data.reason ?? null, activeSlot: null },
      }),
    ),
  }
}

const lockNeed = (tx: Tx, needId: string) =>
  tx.$queryRaw`SELECT id FROM "NeedItem" WHERE id = ${needId}::uuid FOR UPDATE`
const lockResource = (tx: Tx, resourceId: string) =>
  tx.$queryRaw`SELECT id FROM "ResourceItem" WHERE id = ${resourceId}::uuid FOR UPDATE`

// ---------------------------------------------------------------- need claims (认领需求)

/** A unit's contact claims an open need for the unit; a community officer may record it on a unit's behalf. */
export async function claimNeed(
  ctx: Context,
  input: { needId: string; unitId?: string | null; note?: string | null },
): Promise<NeedClaim> {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(z.object({ needId: z.string(), unitId: z.string().nullish(), note }), input)
  const n = await needs.find(ctx, data.needId)
  const unitId = data.unitId ?? ctx.access.contactUnit()
  if (!unitId) throw new ValidationFailedError([{ path: 'unitId', message: 'name the unit that claims it' }])
  if (!(await ctx.prisma.residentUnit.count({ where: { id: unitId } }))) throw new NotFoundError('ResidentUnit', unitId)
  const verdict = check(
    CLAIM_TRANSITIONS,
    'CLAIM',
    'NEW',
    await claimActors(ctx, ctx.access.contactUnit() === unitId, n.communityId),
  )
  if (!verdict.ok) throw refusal('NeedClaim', 'NEW', 'CLAIM', verdict.reason)
  if (n.status !== 'OPEN') throw new InvalidTransitionError('NeedItem', n.status, 'CLAIM')
  // under the need's row lock, as approvals and withdrawals take it: a claim never lands pending
  // on a need that was claimed or withdrawn meanwhile (their closing of pending claims missed it)
  return ctx.prisma
    .$transaction(async (tx) => {
      await lockNeed(tx, n.id)
      const now = await tx.needItem.findUniqueOrThrow({ where: { id: n.id }, select: { status: true } })
      if (now.status !== 'OPEN') throw new InvalidTransitionError('NeedItem', now.status, 'CLAIM')
      return tx.needClaim.create({
        data: { needId: n.id, unitId, note: data.note ?? null, claimedById: viewer.userId },
      })
    })
    .catch((e) => mapPrismaError(e, 'NeedClaim'))
}

/** A unit claims a need: its contact is the claimant, the officers of the need's community decide. */
const NEED_CLAIM: ClaimKind<NeedClaim> = {
  entity: 'NeedClaim',
  read: (ctx, id) => ctx.reader.needClaim.findUnique({ where: { id } }),
  actors: async (ctx, c) => {
    const need = await ctx.prisma.needItem.findUniqueOrThrow({ where: { id: c.needId }, select: { communityId: true } })
    return claimActors(ctx, ctx.access.contactUnit() === c.unitId, need.communityId)
  },
  delegate: (tx) => tx.needClaim,
  parent: (c) => ({ needId: c.needId }),
  lockParent: (tx, c) => lockNeed(tx, c.needId),
  takeParent: async (tx, c) => {
    if (await moveNeed(tx, c.needId, 'CLAIM')) return
    const need = await tx.needItem.findUniqueOrThrow({ where: { id: c.needId }, select: { status: true } })
    throw new InvalidTransitionError('NeedItem', need.status, 'CLAIM')
  },
}

export const {
  approve: approveNeedClaim,
  reject: rejectNeedClaim,
  withdraw: withdrawNeedClaim,
} = claimSteps(NEED_CLAIM)

// ---------------------------------------------------------------- resource claims (认领资源)

/** An officer of a community claims a resource on offer for it, optionally for one of its needs. */
export async function claimResource(
  ctx: Context,
  input: { resourceId: string; communityId?: string | null; needId?: string | null; note?: string | null },
): Promise<ResourceClaim> {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(
    z.object({ resourceId: z.string(), communityId: z.string().nullish(), needId: z.string().nullish(), note }),
    input,
  )
  const r = await resources.find(ctx, data.resourceId)
  const communityId = data.communityId ?? viewer.regionIds[0]
  if (!communityId) throw new ValidationFailedError([{ path: 'communityId', message: 'name the claiming community' }])
  const verdict = check(
    CLAIM_TRANSITIONS,
    'CLAIM',
    'NEW',
    await claimActors(ctx, await ctx.access.managesRegion(communityId), r.communityId),
  )
  if (!verdict.ok) throw refusal('ResourceClaim', 'NEW', 'CLAIM', verdict.reason)
  const community = await ctx.prisma.region.findUnique({ where: { id: communityId }, select: { level: true } })
  if (community?.level !== 'COMMUNITY')
    throw new ValidationFailedError([{ path: 'communityId', message: 'a community claims resources' }])
  if (data.needId) {
    const need = await ctx.prisma.needItem.findUnique({ where: { id: data.needId }, select: { communityId: true } })
    if (need?.communityId !== communityId)
      throw new ValidationFailedError([{ path: 'needId', message: 'not a need of the claiming community' }])
  }
  if (r.status !== 'AVAILABLE') throw new InvalidTransitionError('ResourceItem', r.status, 'CLAIM')
  return ctx.prisma
    .$transaction(async (tx) => {
      await lockResource(tx, r.id)
      const now = await tx.resourceItem.findUniqueOrThrow({ where: { id: r.id }, select: { status: true } })
      if (now.status !== 'AVAILABLE') throw new InvalidTransitionError('ResourceItem', now.status, 'CLAIM')
      return tx.resourceClaim.create({
        data: {
          resourceId: r.id,
          communityId,
          needId: data.needId ?? null,
          note: data.note ?? null,
          claimedById: viewer.userId,
        },
      })
    })
    .catch((e) => mapPrismaError(e, 'ResourceClaim'))
}

/** A community claims a resource: its officers are the claimant, those of the resource's community decide. */
const RESOURCE_CLAIM: ClaimKind<ResourceClaim> = {
  entity: 'ResourceClaim',
  read: (ctx, id) => ctx.reader.resourceClaim.findUnique({ where: { id } }),
  actors: async (ctx, c) => {
    const resource = await ctx.prisma.resourceItem.findUniqueOrThrow({
      where: { id: c.resourceId },
      select: { communityId: true },
    })
    return claimActors(ctx, await ctx.access.managesRegion(c.communityId), resource.communityId)
  },
  delegate: (tx) => tx.resourceClaim,
  parent: (c) => ({ resourceId: c.resourceId }),
  lockParent: (tx, c) => lockResource(tx, c.resourceId),
  takeParent: async (tx, c) => {
    if ((await moveResources(tx, [c.resourceId], 'CLAIM')) === 1) return
    const r = await tx.resourceItem.findUniqueOrThrow({ where: { id: c.resourceId }, select: { status: true } })
    throw new InvalidTransitionError('ResourceItem', r.status, 'CLAIM')
  },
}

export const {
  approve: approveResourceClaim,
  reject: rejectResourceClaim,
  withdraw: withdrawResourceClaim,
} = claimSteps(RESOURCE_CLAIM)

// ---------------------------------------------------------------- street overview (街道共建总览)

export interface StatusCount {
  status: string
  count: number
}

export interface CommunityOverview {
  communityId: string
  unitsInArea: number
  unitsCovered: number
  needs: StatusCount[]
  resources: StatusCount[]
  projects: StatusCount[]
}

export interface Overview {
  regionId: string
  communities: CommunityOverview[]
}

const byCommunity = (rows: { communityId: string; status: string; _count: { _all: number } }[]) => {
  const m = new Map<string, StatusCount[]>()
  for (const r of rows)
    m.set(r.communityId, [...(m.get(r.communityId) ?? []), { status: r.status, count: r._count._all }])
  return (id: string) => (m.get(id) ?? []).sort((a, b) => a.status.localeCompare(b.status))
}

/**
 * Per community of a region (the viewer's own by default): resident units in the area, units
 * covered by a SIGNED or ACTIVE agreement, and the three lists by status. Officers of the region.
 */
export async function streetOverview(ctx: Context, regionId: string | null): Promise<Overview> {
  const viewer = ctx.access.requireViewer()
  const id = regionId ?? viewer.regionIds[0]
  if (!id) throw new ValidationFailedError([{ path: 'regionId', message: 'name the street' }])
  const region = await ctx.prisma.region.findUnique({ where: { id }, select: { id: true, path: true } })
  if (!region) throw new NotFoundError('Region', id)
  if (!(await ctx.access.managesRegion(region.id)))
    throw new ForbiddenError('You can only see the overview of your own region')
  const communities = await ctx.prisma.region.findMany({
    where: { level: 'COMMUNITY', path: { startsWith: region.path } },
    orderBy: { code: 'asc' },
    select: { id: true },
  })
  const ids = communities.map((c) => c.id)
  const [inArea, covered, needs, resources, projects] = await Promise.all([
    unitsPerCommunity(ctx.prisma, ids),
    unitsPerCommunity(ctx.prisma, ids, {
      agreementParties: { some: { agreement: { status: { in: [...COVERING_AGREEMENT] } } } },
    }),
    ctx.prisma.needItem.groupBy({
      by: ['communityId', 'status'],
      where: { communityId: { in: ids } },
      _count: { _all: true },
    }),
    ctx.prisma.resourceItem.groupBy({
      by: ['communityId', 'status'],
      where: { communityId: { in: ids } },
      _count: { _all: true },
    }),
    ctx.prisma.project.groupBy({
      by: ['communityId', 'status'],
      where: { communityId: { in: ids } },
      _count: { _all: true },
    }),
  ])
  const [n, r, p] = [byCommunity(needs), byCommunity(resources), byCommunity(projects)]
  return {
    regionId: region.id,
    communities: ids.map((cid) => ({
      communityId: cid,
      unitsInArea: inArea.get(cid) ?? 0,
      unitsCovered: covered.get(cid) ?? 0,
      needs: n(cid),
      resources: r(cid),
      projects: p(cid),
    })),
  }
}
