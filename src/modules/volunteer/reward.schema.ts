import { builder } from '../../builder.js'
import { nodeId, readVersion, exposeVersion, timelineNote, filterArg, anyStatus } from '../../shared/schema-fields.js'
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { NotFoundError } from '../../shared/errors.js'
import { payload } from '../../shared/mutations.js'
import { RegionRef } from '../grid/region.schema.js'
import * as rewards from './reward.service.js'
import { InsufficientPointsError, OutOfStockError } from './volunteer.errors.js'
import { IDEMPOTENCY_KEY_DESCRIPTION, RedemptionStatusEnum, TIMELINE } from './volunteer.schema.js'

export const RewardItemRef = builder.prismaNode('RewardItem', {
  nullable: true,
  id: nodeId,
  description: 'An item of the love supermarket (爱心超市商品): goods or a service bought with time-bank points.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name (名称).' }),
    description: t.exposeString('description', { nullable: true, description: 'Details (说明).' }),
    pointsCost: t.exposeInt('pointsCost', { description: 'Points per piece (兑换所需积分).' }),
    stock: t.exposeInt('stock', { description: 'Pieces in stock (库存).' }),
    community: t.relation('community', { description: "The community's supermarket it belongs to (所属社区)." }),
    active: t.exposeBoolean('active', { description: 'On offer (是否上架).' }),
    timeline: t.relation('events', {
      ...TIMELINE,
      description: 'Stocking and changes, oldest first (上架与变更记录).',
    }),
    version: t.exposeInt('version', {
      description: 'Version for optimistic concurrency; redemptions do not change it (版本号).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Listed at (上架时间).' }),
  }),
})

export const RedemptionRef = builder.prismaNode('Redemption', {
  nullable: true,
  id: nodeId,
  description:
    'A redemption at the love supermarket (积分兑换): pending until handed over, or cancelled with the points refunded.',
  fields: (t) => ({
    item: t.relation('item', { description: 'The item (兑换物品).' }),
    user: t.relation('user', { description: 'Who redeemed (兑换人).' }),
    quantity: t.exposeInt('quantity', { description: 'Pieces (数量).' }),
    points: t.exposeInt('points', { description: 'Points paid (消耗积分).' }),
    status: t.expose('status', { type: RedemptionStatusEnum, description: 'Current state (状态).' }),
    cancelReason: t.exposeString('cancelReason', { nullable: true, description: 'Why it was cancelled (取消原因).' }),
    fulfilledAt: t.expose('fulfilledAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Handed over at (领取时间).',
    }),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true, description: 'Cancelled at (取消时间).' }),
    timeline: t.relation('events', { ...TIMELINE, description: 'Every step, oldest first (兑换时间线).' }),
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Redeemed at (兑换时间).' }),
  }),
})

const RewardItemFilter = builder.inputType('RewardItemFilter', {
  description: 'Filters for reward items (爱心超市商品筛选).',
  fields: (t) => ({
    communityId: t.globalID({
      required: false,
      for: RegionRef,
      description: "Of this community's supermarket (社区).",
    }),
    inStock: t.boolean({ required: false, description: 'Only items with stock left (仅有库存).' }),
    maxPoints: t.int({ required: false, description: 'Costing at most this many points (积分上限).' }),
    includeInactive: t.boolean({
      required: false,
      description: 'Officers: also items taken off the shelf (含已下架).',
    }),
  }),
})

const RedemptionFilter = builder.inputType('RedemptionFilter', {
  description: 'Filters for redemptions (兑换记录筛选).',
  fields: (t) => ({
    status: anyStatus(t, RedemptionStatusEnum),
    itemId: t.globalID({ required: false, for: RewardItemRef, description: 'Of this item (物品).' }),
    mine: t.boolean({ required: false, description: 'Only your own (仅我的).' }),
  }),
})

builder.queryFields((t) => ({
  rewardItems: t.prismaConnection(
    {
      type: 'RewardItem',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description: 'Items of the love supermarkets, cheapest first (爱心超市商品).',
      args: { filter: filterArg(t.arg, RewardItemFilter) },
      ...rootList(
        'rewardItem',
        ({ filter: f }: { filter?: typeof RewardItemFilter.$inferInput | null }, _ctx: Context) => {
          const communityId = f?.communityId?.id ?? null
          // items off the shelf: the read policy leaves them to the community's officers (and those who redeemed them)
          return {
            where: {
              AND: [
                f?.includeInactive ? {} : { active: true },
                communityId ? { communityId } : {},
                f?.inStock ? { stock: { gt: 0 } } : {},
                typeof f?.maxPoints === 'number' ? { pointsCost: { lte: f.maxPoints } } : {},
              ],
            } satisfies Prisma.RewardItemWhereInput,
            orderBy: [{ pointsCost: 'asc' }, { id: 'asc' }] satisfies Prisma.RewardItemOrderByWithRelationInput[],
          }
        },
      ),
    },
    COUNTED,
  ),
  redemptions: t.prismaConnection(
    {
      type: 'Redemption',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Redemptions you may see, newest first (兑换记录): your own; officers those at their region's supermarkets.",
      args: { filter: filterArg(t.arg, RedemptionFilter) },
      ...rootList(
        'redemption',
        ({ filter: f }: { filter?: typeof RedemptionFilter.$inferInput | null }, ctx: Context) => ({
          where: {
            AND: [
              f?.status?.length ? { status: { in: f.status } } : {},
              f?.itemId ? { itemId: f.itemId.id } : {},
              f?.mine ? { userId: ctx.viewer!.userId } : {},
            ],
          } satisfies Prisma.RedemptionWhereInput,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.RedemptionOrderByWithRelationInput[],
        }),
      ),
    },
    COUNTED,
  ),
}))

const CreateItemInput = builder.inputType('CreateRewardItemInput', {
  description: "Lists an item in a community's love supermarket (上架商品): officers of the community.",
  fields: (t) => ({
    communityId: t.globalID({ required: true, for: RegionRef, description: 'The community (社区).' }),
    name: t.string({ required: true, description: 'Name (名称).' }),
    description: t.string({ required: false, description: 'Details (说明).' }),
    pointsCost: t.int({ required: true, description: 'Points per piece, at least 1 (兑换积分).' }),
    stock: t.int({ required: true, description: 'Pieces in stock (库存).' }),
  }),
})

const UpdateItemInput = builder.inputType('UpdateRewardItemInput', {
  description: 'Changes an item, restocks it or takes it off the shelf (修改商品 / 补货 / 下架).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: RewardItemRef, description: 'The item (商品).' }),
    version: readVersion(t),
    name: t.string({ required: false, description: 'New name (名称).' }),
    description: t.string({ required: false, description: 'New details (说明).' }),
    pointsCost: t.int({ required: false, description: 'New cost (兑换积分).' }),
    stockDelta: t.int({
      required: false,
      description: 'Pieces added, or negative taken away; never below zero (库存增减).',
    }),
    active: t.boolean({ required: false, description: 'false takes it off the shelf (是否上架).' }),
  }),
})

const RedeemInput = builder.inputType('RedeemRewardInput', {
  description: 'Redeems an item with your points (积分兑换).',
  fields: (t) => ({
    itemId: t.globalID({ required: true, for: RewardItemRef, description: 'The item (商品).' }),
    quantity: t.int({ required: false, defaultValue: 1, description: 'Pieces, 1 by default (数量).' }),
    idempotencyKey: t.string({ required: true, description: IDEMPOTENCY_KEY_DESCRIPTION }),
  }),
})

const FulfilInput = builder.inputType('FulfilRedemptionInput', {
  description: "Records that a redemption was handed over (确认领取): officers of the item's community.",
  fields: (t) => ({
    id: t.globalID({ required: true, for: RedemptionRef, description: 'The redemption (兑换记录).' }),
    version: readVersion(t),
    note: timelineNote(t),
  }),
})

const CancelRedemptionInput = builder.inputType('CancelRedemptionInput', {
  description: 'Cancels a pending redemption (取消兑换): stock and points are given back once.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: RedemptionRef, description: 'The redemption (兑换记录).' }),
    version: readVersion(t),
    reason: t.string({ required: true, description: 'Why (原因).' }),
    idempotencyKey: t.string({ required: true, description: IDEMPOTENCY_KEY_DESCRIPTION }),
  }),
})

/** A payload's row as the viewer may read it. */
async function readItem(ctx: Context, query: object, id: string) {
  const item = await ctx.reader.rewardItem.findUnique({ ...query, where: { id } })
  if (!item) throw new NotFoundError('RewardItem', id)
  return item
}

async function readRedemption(ctx: Context, query: object, id: string) {
  const r = await ctx.reader.redemption.findUnique({ ...query, where: { id } })
  if (!r) throw new NotFoundError('Redemption', id)
  return r
}

const itemResult = payload('item', 'The item after the change (变更后的商品).')
const redemptionResult = payload('redemption', 'The redemption (兑换记录).')

builder.mutationFields((t) => ({
  createRewardItem: t.prismaField({
    type: 'RewardItem',
    description: 'Lists an item in the love supermarket (上架商品).',
    authScopes: { officer: true },
    errors: itemResult,
    args: { input: t.arg({ type: CreateItemInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) => {
      const item = await rewards.createRewardItem(ctx, { ...input, communityId: input.communityId.id })
      return readItem(ctx, query, item.id)
    },
  }),
  updateRewardItem: t.prismaField({
    type: 'RewardItem',
    description: 'Changes, restocks or takes off an item (修改 / 补货 / 下架).',
    authScopes: { officer: true },
    errors: itemResult,
    args: { input: t.arg({ type: UpdateItemInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) => {
      const item = await rewards.updateRewardItem(ctx, { ...input, id: input.id.id })
      return readItem(ctx, query, item.id)
    },
  }),
  redeemReward: t.prismaField({
    type: 'Redemption',
    description: 'Redeems an item with your points (积分兑换): never beyond your balance or the stock.',
    authScopes: { loggedIn: true },
    errors: { types: [InsufficientPointsError, OutOfStockError], ...redemptionResult },
    args: { input: t.arg({ type: RedeemInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) => {
      const r = await rewards.redeemReward(ctx, { ...input, quantity: input.quantity ?? 1, itemId: input.itemId.id })
      return readRedemption(ctx, query, r.id)
    },
  }),
  fulfilRedemption: t.prismaField({
    type: 'Redemption',
    description: "Records a redemption as handed over (确认领取): officers of the item's community.",
    authScopes: { officer: true },
    errors: redemptionResult,
    args: { input: t.arg({ type: FulfilInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) => {
      const r = await rewards.fulfilRedemption(ctx, { ...input, id: input.id.id })
      return readRedemption(ctx, query, r.id)
    },
  }),
  cancelRedemption: t.prismaField({
    type: 'Redemption',
    description:
      "Cancels a pending redemption with a refund (取消兑换并退还积分): the person or an officer of the item's community.",
    authScopes: { loggedIn: true },
    errors: redemptionResult,
    args: { input: t.arg({ type: CancelRedemptionInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) => {
      const r = await rewards.cancelRedemption(ctx, { ...input, id: input.id.id })
      return readRedemption(ctx, query, r.id)
    },
  }),
}))
