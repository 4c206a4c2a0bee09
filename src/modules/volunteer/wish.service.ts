// Micro-wishes (微心愿): a resident posts a small wish in their grid (or an officer records one on
// someone's behalf); a party member or a resident unit claims it (OPEN → CLAIMED), fulfils it
// (→ FULFILLED), and the wisher or an officer confirms (→ CONFIRMED): the claimer earns the wish's
// points once and the fulfilment counts toward their dual-reporting record, in the same
// transaction. The wisher or an officer may cancel while it is open or claimed.
import { z } from 'zod'
import type { Context } from '../../context.js'
import type { Prisma } from '../../db.js'
import type { MicroWish, MicroWishStatus } from '../../generated/prisma/client.js'
import { contactUnitOf } from '../../auth/policy.js'
import { hasRole, isAdmin } from '../../auth/viewer.js'
import {
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  StaleVersionError,
  ValidationFailedError,
} from '../../shared/errors.js'
import { check, refusal } from '../../shared/state-machine.js'
import { parseInput } from '../../shared/validate.js'
import { creditService } from '../party/service-record.service.js'
import { appendEvent, publishWish, volunteerWorkflow } from './events.js'
import { movePoints } from './points.service.js'
import { WISH_TRANSITIONS, type WishAction, type WishActor } from './transitions.js'
import { wishActors } from './volunteer.access.js'

/** Points a wish earns its claimer unless an officer sets another amount. */
const DEFAULT_WISH_POINTS = 10

const version = z.number().int().min(0)
const note = z.string().trim().max(1000).nullish()
const idempotencyKey = z.string().trim().min(8, 'at least 8 characters (e.g. a UUID)').max(100)

const createSchema = z.object({
  title: z.string().trim().min(2, 'at least 2 characters').max(100),
  description: z.string().trim().max(2000).nullish(),
  gridId: z.string(),
  deadline: z
    .date()
    .refine((d) => d.getTime() > Date.now(), 'must be in the future')
    .nullish(),
  wisherId: z.string().nullish(),
  wisherName: z.string().trim().min(1).max(50).nullish(),
  rewardPoints: z.number().int().min(0).max(1000).nullish(),
})

export async function createWish(ctx: Context, input: z.input<typeof createSchema>): Promise<MicroWish> {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(createSchema, input)
  const grid = await ctx.reader.grid.findUnique({ where: { id: data.gridId }, select: { id: true, communityId: true } })
  if (!grid) throw new NotFoundError('Grid', data.gridId)
  const officer = await ctx.access.managesRegion(grid.communityId)
  const onBehalf = (!!data.wisherId && data.wisherId !== viewer.userId) || (!data.wisherId && !!data.wisherName)
  const actors: WishActor[] = [...(officer ? ['OFFICER' as const] : []), ...(onBehalf ? [] : ['WISHER' as const])]
  const verdict = check(WISH_TRANSITIONS, 'CREATE', 'NEW', actors)
  if (!verdict.ok)
    throw new ForbiddenError(
      onBehalf ? "Officers of the grid's community record wishes on someone's behalf" : 'You cannot post this wish',
    )
  if (data.rewardPoints != null && !officer)
    throw new ValidationFailedError([{ path: 'rewardPoints', message: 'officers set the reward' }])
  let wisherName = data.wisherName ?? null
  const wisherId = onBehalf ? (data.wisherId ?? null) : viewer.userId
  if (wisherId) {
    const u = await ctx.prisma.user.findUnique({ where: { id: wisherId }, select: { active: true, displayName: true } })
    if (!u?.active) throw new ValidationFailedError([{ path: 'wisherId', message: 'no active account with this id' }])
    wisherName ??= u.displayName
  }
  const wish = await ctx.prisma.$transaction(async (tx) => {
    const w = await tx.microWish.create({
      data: {
        title: data.title,
        description: data.description ?? null,
        gridId: grid.id,
        communityId: grid.communityId,
        deadline: data.deadline ?? null,
        wisherId,
        wisherName,
        createdById: viewer.userId,
        rewardPoints: data.rewardPoints ?? DEFAULT_WISH_POINTS,
      },
    })
    await appendEvent(tx, {
      entity: 'MicroWish',
      entityId: w.id,
      actorId: viewer.userId,
      action: 'CREATE',
      to: 'OPEN',
      // the timeline is read by the wish's parties, who see the wisher's name masked: the note names nobody
      note: onBehalf ? 'recorded on the wisher’s behalf' : null,
    })
    return w
  })
  await publishWish(ctx, wish.id)
  return wish
}

type WishData = Prisma.MicroWishUncheckedUpdateManyInput

const wishes = volunteerWorkflow<MicroWishStatus, WishAction, WishActor, WishData, MicroWish>({
  entity: 'MicroWish',
  table: WISH_TRANSITIONS,
  read: (ctx, id) => ctx.reader.microWish.findUnique({ where: { id } }),
  actors: wishActors,
  delegate: (tx) => tx.microWish,
  publish: (ctx, w) => publishWish(ctx, w.id),
})

const stepSchema = z.object({ id: z.string(), version, note })

const claimSchema = z.object({ id: z.string(), version, asUnit: z.boolean().nullish(), note })

/** Claims as the viewer's party member profile, or for their unit when asked (or when they have no profile). */
export async function claimWish(ctx: Context, input: z.input<typeof claimSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(claimSchema, input)
  const { row: w, actors } = await wishes.load(ctx, data.id)
  wishes.plan(w, actors, data.version, 'CLAIM')
  const unit = contactUnitOf(viewer)
  const member =
    !data.asUnit && hasRole(viewer, 'PARTY_MEMBER')
      ? await ctx.prisma.partyMember.findUnique({
          where: { userId: viewer.userId },
          select: { id: true, active: true },
        })
      : null
  // the note names a unit (public), never a member: the wisher sees the claimer's name masked
  let claimer: { claimerMemberId: string | null; claimerUnitId: string | null; note: string | null }
  if (member?.active) claimer = { claimerMemberId: member.id, claimerUnitId: null, note: null }
  else if (unit)
    claimer = {
      claimerMemberId: null,
      claimerUnitId: unit,
      note: (await ctx.prisma.residentUnit.findUniqueOrThrow({ where: { id: unit }, select: { name: true } })).name,
    }
  else
    throw new ValidationFailedError([
      {
        path: data.asUnit ? 'asUnit' : 'id',
        message: 'party members with a member profile or unit contacts claim wishes',
      },
    ])
  return wishes.step(ctx, w, actors, data.version, 'CLAIM', {
    note: data.note ?? claimer.note,
    data: {
      claimedById: viewer.userId,
      claimerMemberId: claimer.claimerMemberId,
      claimerUnitId: claimer.claimerUnitId,
      claimedAt: new Date(),
    },
  })
}

export const releaseWish = wishes.inputStep(stepSchema, 'RELEASE', (data) => ({
  note: data.note,
  data: { claimedById: null, claimerMemberId: null, claimerUnitId: null, claimedAt: null },
}))

const fulfilSchema = z.object({
  id: z.string(),
  version,
  note: z.string().trim().min(2, 'say what was done').max(1000),
})

export const fulfilWish = wishes.inputStep(fulfilSchema, 'FULFIL', (data) => ({
  note: data.note,
  data: { fulfilledAt: new Date(), fulfilmentNote: data.note },
}))

const confirmSchema = z.object({ id: z.string(), version, idempotencyKey, note })
const confirmKey = (wishId: string, key: string) => `wish:${wishId}:${key}`

/**
 * Confirms a fulfilled wish: the claimer's SERVICE points (the wish's reward, sourced by the wish)
 * and a MICRO_WISH service record for their member profile or their unit's party organisation,
 * once. A retry with the same key answers with the confirmed wish.
 */
export async function confirmWish(ctx: Context, input: z.input<typeof confirmSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(confirmSchema, input)
  const { row: w, actors: all } = await wishes.load(ctx, data.id)
  // the claimer never confirms (and so credits) their own fulfilment, even as an officer
  const actors = w.claimedById === viewer.userId ? all.filter((a) => a !== 'OFFICER' && a !== 'WISHER') : all
  const verdict = check(WISH_TRANSITIONS, 'CONFIRM', w.status, actors)
  if (!verdict.ok && verdict.reason === 'actor') throw refusal('MicroWish', w.status, 'CONFIRM', 'actor')
  const key = confirmKey(w.id, data.idempotencyKey)
  const replay = async () => {
    const entry = w.claimedById
      ? await ctx.prisma.pointsEntry.count({ where: { account: { userId: w.claimedById }, idempotencyKey: key } })
      : 0
    return entry ? ctx.prisma.microWish.findUniqueOrThrow({ where: { id: w.id } }) : null
  }
  if (w.status === 'CONFIRMED') {
    const done = await replay()
    if (done) return done
  }
  const now = new Date()
  try {
    return await wishes.step(
      ctx,
      w,
      actors,
      data.version,
      'CONFIRM',
      { note: data.note, data: { confirmedAt: now, closedAt: now } },
      async (tx, _move, updated) => {
        if (w.claimedById) {
          await movePoints(tx, {
            accountUserId: w.claimedById,
            kind: 'SERVICE',
            points: w.rewardPoints,
            reason: `微心愿：${w.title}`,
            actorId: viewer.userId,
            idempotencyKey: key,
            sourceType: 'MicroWish',
            sourceId: w.id,
          })
        }
        const unitOrg = w.claimerUnitId
          ? await tx.partyOrg.findFirst({
              where: { unitId: w.claimerUnitId, level: 'UNIT_ORG', active: true },
              orderBy: { createdAt: 'asc' },
              select: { id: true },
            })
          : null
        if (w.claimerMemberId || unitOrg) {
          await creditService(tx, {
            kind: 'MICRO_WISH',
            sourceId: w.id,
            memberId: w.claimerMemberId,
            unitOrgId: w.claimerMemberId ? null : (unitOrg?.id ?? null),
            hours: 0,
            occurredAt: w.fulfilledAt ?? now,
            communityId: w.communityId,
            note: w.title,
            recordedById: viewer.userId,
          })
        }
        return updated
      },
    )
  } catch (e) {
    if (e instanceof StaleVersionError || e instanceof InvalidTransitionError) {
      const done = await replay()
      if (done) return done
    }
    throw e
  }
}

const cancelSchema = z.object({ id: z.string(), version, reason: z.string().trim().min(2, 'give a reason').max(1000) })

export const cancelWish = wishes.inputStep(cancelSchema, 'CANCEL', (data) => ({
  note: data.reason,
  data: { cancelReason: data.reason, closedAt: new Date() },
}))

/** Subscription guard: officers watch a region of theirs; everyone else the wishes they posted, recorded or claimed. */
export async function subscribeWishes(ctx: Context, regionId: string | null) {
  const viewer = ctx.access.requireViewer()
  if (regionId) {
    const region = await ctx.prisma.region.findUnique({ where: { id: regionId }, select: { id: true } })
    if (!region) throw new NotFoundError('Region', regionId)
    if (!(await ctx.access.managesRegion(region.id)))
      throw new ForbiddenError('You can only watch the wishes of your own region')
    return ctx.pubsub.subscribe('wish:updated', `region:${regionId}`)
  }
  if (isAdmin(viewer)) throw new ValidationFailedError([{ path: 'regionId', message: 'name the region to watch' }])
  return ctx.pubsub.subscribe('wish:updated', `user:${viewer.userId}`)
}
