// The love supermarket (爱心超市): officers stock reward items for their community; a person
// redeems with points in one transaction — stock decremented under a guard, points debited under
// a guard, the redemption inserted under its idempotency key — so neither balance nor stock ever
// drops below zero whatever the concurrency. PENDING → FULFILLED (officer hands it over) or
// CANCELLED (the person while pending, or an officer) with the stock and the points given back once.
import { z } from 'zod'
import type { Context } from '../../context.js'
import { type Prisma, isUniqueViolation } from '../../db.js'
import type { Redemption, RedemptionStatus } from '../../generated/prisma/client.js'
import {
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  StaleVersionError,
  ValidationFailedError,
} from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { check, refusal } from '../../shared/state-machine.js'
import { updateVersioned } from '../../shared/versioned.js'
import { nullAsAbsent, parseInput } from '../../shared/validate.js'
import { appendEvent, volunteerWorkflow } from './events.js'
import { movePoints } from './points.service.js'
import { REDEMPTION_TRANSITIONS, type RedemptionAction, type RedemptionActor } from './transitions.js'
import { redemptionActors } from './volunteer.access.js'
import { OutOfStockError } from './volunteer.errors.js'

const version = z.number().int().min(0)
const idempotencyKey = z.string().trim().min(8, 'at least 8 characters (e.g. a UUID)').max(100)

// ---------------------------------------------------------------- items

const itemFields = {
  name: z.string().trim().min(2, 'at least 2 characters').max(100),
  description: z.string().trim().max(1000).nullish(),
  pointsCost: z.number().int().min(1, 'at least 1 point').max(1_000_000),
  stock: z.number().int().min(0).max(1_000_000),
}

const createItemSchema = z.object({ ...itemFields, communityId: z.string() })

export async function createRewardItem(ctx: Context, input: z.input<typeof createItemSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(createItemSchema, input)
  const community = await ctx.prisma.region.findUnique({ where: { id: data.communityId }, select: { level: true } })
  if (community?.level !== 'COMMUNITY')
    throw new ValidationFailedError([{ path: 'communityId', message: 'not a community' }])
  if (!(await ctx.access.managesRegion(data.communityId)))
    throw new ForbiddenError('Officers of the community stock its supermarket')
  return ctx.prisma.$transaction(async (tx) => {
    const item = await tx.rewardItem.create({ data: { ...data, description: data.description ?? null } })
    await appendEvent(tx, {
      entity: 'RewardItem',
      entityId: item.id,
      actorId: viewer.userId,
      action: 'CREATE',
      note: `${item.name} × ${item.stock}`,
    })
    return item
  })
}

const updateItemSchema = z.object({
  id: z.string(),
  version,
  name: itemFields.name.nullish(),
  description: itemFields.description,
  pointsCost: itemFields.pointsCost.nullish(),
  /** Added to (or, negative, taken from) the stock: restocking never overwrites concurrent redemptions. */
  stockDelta: z.number().int().min(-1_000_000).max(1_000_000).nullish(),
  active: z.boolean().nullish(),
})

export async function updateRewardItem(ctx: Context, input: z.input<typeof updateItemSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(updateItemSchema, input)
  const item = await ctx.reader.rewardItem.findUnique({ where: { id: data.id } })
  if (!item) throw new NotFoundError('RewardItem', data.id)
  if (!(await ctx.access.managesRegion(item.communityId)))
    throw new ForbiddenError('Officers of the community manage its supermarket')
  return ctx.prisma.$transaction(async (tx) => {
    let row = await updateVersioned(tx.rewardItem, 'RewardItem', item.id, data.version, {
      ...(data.name ? { name: data.name } : {}),
      ...(data.description !== undefined ? { description: data.description } : {}),
      ...(data.pointsCost ? { pointsCost: data.pointsCost } : {}),
      ...(data.active != null ? { active: data.active } : {}),
    })
    if (data.stockDelta) {
      const [restocked] = await tx.rewardItem.updateManyAndReturn({
        where: { id: item.id, stock: { gte: Math.max(0, -data.stockDelta) } },
        data: { stock: { increment: data.stockDelta } },
      })
      if (!restocked)
        throw new ValidationFailedError([{ path: 'stockDelta', message: 'the stock cannot go below zero' }])
      row = restocked
    }
    await appendEvent(tx, {
      entity: 'RewardItem',
      entityId: item.id,
      actorId: viewer.userId,
      action: 'UPDATE',
      note: data.stockDelta ? `stock ${data.stockDelta > 0 ? '+' : ''}${data.stockDelta}` : null,
    })
    return row
  })
}

// ---------------------------------------------------------------- redeem

const redeemSchema = z.object({
  itemId: z.string(),
  quantity: nullAsAbsent(z.number().int().min(1).max(100).default(1)),
  idempotencyKey,
})

/** Aborts a transaction whose request turned out to be a retry of one already done. */
class Replayed extends Error {}

const byKey = (ctx: Context, userId: string, key: string) =>
  ctx.prisma.redemption.findUnique({ where: { userId_idempotencyKey: { userId, idempotencyKey: key } } })

function sameRequest(r: Redemption, itemId: string, quantity: number): Redemption {
  if (r.itemId !== itemId || r.quantity !== quantity)
    throw new ValidationFailedError([
      { path: 'idempotencyKey', message: 'this key was already used for another redemption' },
    ])
  return r
}

export async function redeemReward(ctx: Context, input: z.input<typeof redeemSchema>): Promise<Redemption> {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(redeemSchema, input)
  const earlier = await byKey(ctx, viewer.userId, data.idempotencyKey)
  if (earlier) return sameRequest(earlier, data.itemId, data.quantity)
  const item = await ctx.reader.rewardItem.findUnique({ where: { id: data.itemId } })
  if (!item?.active) throw new NotFoundError('RewardItem', data.itemId)
  const verdict = check(REDEMPTION_TRANSITIONS, 'REDEEM', 'NEW', ['OWNER'])
  if (!verdict.ok) throw refusal('Redemption', 'NEW', 'REDEEM', verdict.reason)
  const points = item.pointsCost * data.quantity
  const id = newId()
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      // item row first, then the account: every writer takes the locks in this order
      const { count } = await tx.rewardItem.updateMany({
        where: { id: item.id, active: true, stock: { gte: data.quantity } },
        data: { stock: { decrement: data.quantity } },
      })
      if (!count) {
        const now = await tx.rewardItem.findUniqueOrThrow({
          where: { id: item.id },
          select: { stock: true, active: true },
        })
        if (!now.active) throw new NotFoundError('RewardItem', item.id)
        throw new OutOfStockError(item.id, now.stock)
      }
      const moved = await movePoints(tx, {
        accountUserId: viewer.userId,
        kind: 'REDEMPTION',
        points: -points,
        reason: `爱心超市兑换：${item.name} × ${data.quantity}`,
        actorId: viewer.userId,
        idempotencyKey: `redeem:${data.idempotencyKey}`,
        sourceType: 'Redemption',
        sourceId: id,
      })
      if (moved.replayed) throw new Replayed()
      const r = await tx.redemption.create({
        data: {
          id,
          itemId: item.id,
          userId: viewer.userId,
          quantity: data.quantity,
          points,
          idempotencyKey: data.idempotencyKey,
        },
      })
      await appendEvent(tx, {
        entity: 'Redemption',
        entityId: r.id,
        actorId: viewer.userId,
        action: 'REDEEM',
        to: 'PENDING',
        note: `${item.name} × ${data.quantity} = ${points}`,
      })
      return r
    })
  } catch (e) {
    const twin = e instanceof Replayed || isUniqueViolation(e)
    if (!twin) throw e
    const r = await byKey(ctx, viewer.userId, data.idempotencyKey)
    if (!r)
      throw e instanceof Replayed
        ? new ValidationFailedError([
            { path: 'idempotencyKey', message: 'this key was already used for another request' },
          ])
        : e
    return sameRequest(r, data.itemId, data.quantity)
  }
}

// ---------------------------------------------------------------- fulfil, cancel

type RedemptionData = Prisma.RedemptionUncheckedUpdateManyInput

const WITH_ITEM = { item: { select: { communityId: true, name: true } } } as const

const redemptions = volunteerWorkflow<
  RedemptionStatus,
  RedemptionAction,
  RedemptionActor,
  RedemptionData,
  Prisma.RedemptionGetPayload<{ include: typeof WITH_ITEM }>,
  Redemption
>({
  entity: 'Redemption',
  table: REDEMPTION_TRANSITIONS,
  // with its item, which may be off the shelf by now: read by the trusted client once the redemption is known readable
  read: async (ctx, id) =>
    (await ctx.reader.redemption.findUnique({ where: { id }, select: { id: true } }))
      ? ctx.prisma.redemption.findUniqueOrThrow({ where: { id }, include: WITH_ITEM })
      : null,
  actors: (ctx, r) => redemptionActors(ctx, r, r.item.communityId),
  delegate: (tx) => tx.redemption,
})

export const fulfilRedemption = redemptions.inputStep(
  z.object({ id: z.string(), version, note: z.string().trim().max(500).nullish() }),
  'FULFIL',
  (data, ctx) => ({ note: data.note, data: { fulfilledAt: new Date(), decidedById: ctx.viewer?.userId ?? null } }),
)

const cancelSchema = z.object({
  id: z.string(),
  version,
  reason: z.string().trim().min(2, 'give a reason').max(500),
  idempotencyKey,
})

/** The refund's ledger key is the redemption's own: whatever the request, it is refunded once. */
export async function cancelRedemption(ctx: Context, input: z.input<typeof cancelSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(cancelSchema, input)
  const { row: r, actors } = await redemptions.load(ctx, data.id)
  const verdict = check(REDEMPTION_TRANSITIONS, 'CANCEL', r.status, actors)
  if (!verdict.ok && verdict.reason === 'actor') throw refusal('Redemption', r.status, 'CANCEL', 'actor')
  const refundKey = `refund:${r.id}:${data.idempotencyKey}`
  const replay = async () =>
    (await ctx.prisma.pointsEntry.count({ where: { account: { userId: r.userId }, idempotencyKey: refundKey } })) > 0
  if (r.status === 'CANCELLED' && (await replay())) return r
  try {
    return await redemptions.step(
      ctx,
      r,
      actors,
      data.version,
      'CANCEL',
      {
        note: data.reason,
        data: { cancelReason: data.reason, cancelledAt: new Date(), decidedById: viewer.userId },
      },
      async (tx, _move, updated) => {
        await tx.rewardItem.update({ where: { id: r.itemId }, data: { stock: { increment: r.quantity } } })
        await movePoints(tx, {
          accountUserId: r.userId,
          kind: 'ADJUSTMENT',
          points: r.points,
          reason: `爱心超市退还：${r.item.name}（${data.reason}）`,
          actorId: viewer.userId,
          idempotencyKey: refundKey,
          sourceType: 'Redemption',
          sourceId: r.id,
        })
        return updated
      },
    )
  } catch (e) {
    if ((e instanceof StaleVersionError || e instanceof InvalidTransitionError) && (await replay()))
      return ctx.prisma.redemption.findUniqueOrThrow({ where: { id: r.id } })
    throw e
  }
}
