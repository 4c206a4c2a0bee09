import { builder } from '../../builder.js'
import { nodeId, exposeVersion, filterArg, anyStatus } from '../../shared/schema-fields.js'
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload, rowMutations, stepInputs, withNote } from '../../shared/mutations.js'
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

const UpdateItemInput = stepInputs(RewardItemRef, 'The item (商品).')(
  'UpdateRewardItemInput',
  'Changes an item, restocks it or takes it off the shelf (修改商品 / 补货 / 下架).',
  (t) => ({
    name: t.string({ required: false, description: 'New name (名称).' }),
    description: t.string({ required: false, description: 'New details (说明).' }),
    pointsCost: t.int({ required: false, description: 'New cost (兑换积分).' }),
    stockDelta: t.int({
      required: false,
      description: 'Pieces added, or negative taken away; never below zero (库存增减).',
    }),
    active: t.boolean({ required: false, description: 'false takes it off the shelf (是否上架).' }),
  }),
)

const RedeemInput = builder.inputType('RedeemRewardInput', {
  description: 'Redeems an item with your points (积分兑换).',
  fields: (t) => ({
    itemId: t.globalID({ required: true, for: RewardItemRef, description: 'The item (商品).' }),
    quantity: t.int({ required: false, defaultValue: 1, description: 'Pieces, 1 by default (数量).' }),
    idempotencyKey: t.string({ required: true, description: IDEMPOTENCY_KEY_DESCRIPTION }),
  }),
})

const redemptionStepInput = stepInputs(RedemptionRef, 'The redemption (兑换记录).')

const FulfilInput = redemptionStepInput(
  'FulfilRedemptionInput',
  "Records that a redemption was handed over (确认领取): officers of the item's community.",
  withNote,
)

const CancelRedemptionInput = redemptionStepInput(
  'CancelRedemptionInput',
  'Cancels a pending redemption (取消兑换): stock and points are given back once.',
  (t) => ({
    reason: t.string({ required: true, description: 'Why (原因).' }),
    idempotencyKey: t.string({ required: true, description: IDEMPOTENCY_KEY_DESCRIPTION }),
  }),
)

const itemMutation = rowMutations('RewardItem', payload('item', 'The item after the change (变更后的商品).'))

itemMutation('createRewardItem', {
  description: 'Lists an item in the love supermarket (上架商品).',
  authScopes: { officer: true },
  input: CreateItemInput,
  run: rewards.createRewardItem,
})
itemMutation('updateRewardItem', {
  description: 'Changes, restocks or takes off an item (修改 / 补货 / 下架).',
  authScopes: { officer: true },
  input: UpdateItemInput,
  run: rewards.updateRewardItem,
})

const redemptionMutation = rowMutations('Redemption', payload('redemption', 'The redemption (兑换记录).'))

redemptionMutation('redeemReward', {
  description: 'Redeems an item with your points (积分兑换): never beyond your balance or the stock.',
  authScopes: { loggedIn: true },
  input: RedeemInput,
  errors: [InsufficientPointsError, OutOfStockError],
  // an explicit null takes the default too
  run: rewards.redeemReward,
})
redemptionMutation('fulfilRedemption', {
  description: "Records a redemption as handed over (确认领取): officers of the item's community.",
  authScopes: { officer: true },
  input: FulfilInput,
  run: rewards.fulfilRedemption,
})
redemptionMutation('cancelRedemption', {
  description:
    "Cancels a pending redemption with a refund (取消兑换并退还积分): the person or an officer of the item's community.",
  authScopes: { loggedIn: true },
  input: CancelRedemptionInput,
  run: rewards.cancelRedemption,
})
