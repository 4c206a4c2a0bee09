import { builder } from '../../builder.js'
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { NotFoundError } from '../../shared/errors.js'
import { payload } from '../../shared/mutations.js'
import { UserRef } from '../directory/directory.schema.js'
import { GridRef } from '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import { maskName, seesPerson } from '../../auth/personal-data.js'
import { seesWishParties } from './volunteer.access.js'
import { IDEMPOTENCY_KEY_DESCRIPTION, MicroWishStatusEnum, TIMELINE } from './volunteer.schema.js'
import * as wishes from './wish.service.js'

export const MicroWishRef = builder.prismaNode('MicroWish', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description:
    "Micro-wish (微心愿): a resident's small wish in their grid, claimed and fulfilled by a party member or a unit, confirmed by the resident.",
  fields: (t) => ({
    title: t.exposeString('title', { description: 'The wish (心愿).' }),
    description: t.exposeString('description', { nullable: true, description: 'Details (详情).' }),
    status: t.expose('status', { type: MicroWishStatusEnum, description: 'Current state (状态).' }),
    community: t.relation('community', { description: 'Community (社区).' }),
    grid: t.relation('grid', { description: 'Grid (网格).' }),
    wisherName: t.string({
      nullable: true,
      description:
        "The wisher's name, masked (e.g. 王**) unless you are the wisher, an admin or an officer whose region holds the wish's community (心愿人).",
      resolve: async (w, _a, ctx) =>
        (await seesPerson(ctx, { userId: w.wisherId, communityIds: [w.communityId] }))
          ? w.wisherName
          : maskName(w.wisherName),
    }),
    wisher: t.relation('wisher', {
      nullable: true,
      description: "The wisher's account, for the wisher, the claimer and officers (心愿人账号).",
      authScopes: async (w, _a, ctx) => seesWishParties(ctx, w),
      unauthorizedResolver: () => null,
    }),
    deadline: t.expose('deadline', { type: 'DateTime', nullable: true, description: 'Wished for by (期望完成时间).' }),
    rewardPoints: t.exposeInt('rewardPoints', {
      description: 'Points the claimer earns on confirmation (认领可得积分).',
    }),
    claimedBy: t.relation('claimedBy', { nullable: true, description: 'The account that claimed it (认领人).' }),
    claimerMember: t.relation('claimerMember', {
      nullable: true,
      description: 'The party member who claimed it, when you may see them (认领党员).',
      unauthorizedResolver: () => null,
    }),
    claimerUnit: t.relation('claimerUnit', {
      nullable: true,
      description: 'The resident unit that claimed it (认领单位).',
    }),
    claimedAt: t.expose('claimedAt', { type: 'DateTime', nullable: true, description: 'Claimed at (认领时间).' }),
    fulfilledAt: t.expose('fulfilledAt', { type: 'DateTime', nullable: true, description: 'Fulfilled at (实现时间).' }),
    fulfilmentNote: t.exposeString('fulfilmentNote', { nullable: true, description: 'What was done (实现情况).' }),
    confirmedAt: t.expose('confirmedAt', { type: 'DateTime', nullable: true, description: 'Confirmed at (确认时间).' }),
    cancelReason: t.exposeString('cancelReason', { nullable: true, description: 'Why it was cancelled (取消原因).' }),
    closedAt: t.expose('closedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Confirmed or cancelled at (关闭时间).',
    }),
    timeline: t.relation('events', {
      ...TIMELINE,
      description:
        'Every step, oldest first; empty unless you are the wisher, the claimer or an officer, as it names them (心愿时间线).',
    }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Posted at (发布时间).' }),
  }),
})

const MicroWishFilter = builder.inputType('MicroWishFilter', {
  description: 'Filters for micro-wishes (微心愿筛选).',
  fields: (t) => ({
    status: t.field({ type: [MicroWishStatusEnum], required: false, description: 'Any of these states (状态).' }),
    gridId: t.globalID({ required: false, for: GridRef, description: 'In this grid (网格).' }),
    nearGridId: t.globalID({
      required: false,
      for: GridRef,
      description: 'Nearby: in the community of this grid (附近：同社区).',
    }),
    communityId: t.globalID({ required: false, for: RegionRef, description: 'In this community (社区).' }),
    mine: t.boolean({ required: false, description: 'Only wishes you posted or recorded (我发布的).' }),
    claimedByMe: t.boolean({ required: false, description: 'Only wishes you (or your unit) claimed (我认领的).' }),
  }),
})

builder.queryFields((t) => ({
  microWishes: t.prismaConnection(
    {
      type: 'MicroWish',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Micro-wishes you may see, soonest deadline first (微心愿列表): open ones for everyone; others for the wisher, the claimer, the grid's workers and the region's officers.",
      args: { filter: t.arg({ type: MicroWishFilter, required: false, description: 'Filters (筛选).' }) },
      ...rootList(
        'microWish',
        async ({ filter: f }: { filter?: typeof MicroWishFilter.$inferInput | null }, ctx: Context) => {
          const near = f?.nearGridId
            ? await ctx.reader.grid.findUnique({ where: { id: f.nearGridId.id }, select: { communityId: true } })
            : null
          const me = ctx.viewer!
          return {
            where: {
              AND: [
                f?.status?.length ? { status: { in: f.status } } : {},
                f?.gridId ? { gridId: f.gridId.id } : {},
                f?.nearGridId ? { communityId: near?.communityId ?? '00000000-0000-0000-0000-000000000000' } : {},
                f?.communityId ? { communityId: f.communityId.id } : {},
                f?.mine ? { OR: [{ wisherId: me.userId }, { createdById: me.userId }] } : {},
                f?.claimedByMe
                  ? { OR: [{ claimedById: me.userId }, ...(me.unitId ? [{ claimerUnitId: me.unitId }] : [])] }
                  : {},
              ],
            } satisfies Prisma.MicroWishWhereInput,
            orderBy: [
              { deadline: { sort: 'asc', nulls: 'last' } },
              { createdAt: 'desc' },
              { id: 'asc' },
            ] satisfies Prisma.MicroWishOrderByWithRelationInput[],
          }
        },
      ),
    },
    COUNTED,
  ),
}))

const CreateWishInput = builder.inputType('CreateMicroWishInput', {
  description:
    "Posts a micro-wish (发布微心愿): a resident their own; an officer of the grid's community on someone's behalf.",
  fields: (t) => ({
    title: t.string({ required: true, description: 'The wish (心愿).' }),
    description: t.string({ required: false, description: 'Details (详情).' }),
    gridId: t.globalID({
      required: true,
      for: GridRef,
      description: 'Grid where the wisher lives; sets the community (网格).',
    }),
    deadline: t.field({
      type: 'DateTime',
      required: false,
      description: 'Wished for by, in the future (期望完成时间).',
    }),
    wisherId: t.globalID({
      required: false,
      for: UserRef,
      description: "Officers: the wisher's account, when they have one (心愿人账号).",
    }),
    wisherName: t.string({
      required: false,
      description: "Officers: the wisher's name when recording on their behalf (心愿人姓名).",
    }),
    rewardPoints: t.int({
      required: false,
      description: 'Officers: points the claimer earns, 0–1000; 10 by default (认领积分).',
    }),
  }),
})

const WishStepInput = builder.inputType('MicroWishStepInput', {
  description: 'One step of a micro-wish (微心愿操作): release a claim (放弃认领).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: MicroWishRef, description: 'The wish (微心愿).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
  }),
})

const ClaimWishInput = builder.inputType('ClaimMicroWishInput', {
  description:
    'Claims an open wish (认领微心愿): a party member with a member profile, or a unit contact for their unit.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: MicroWishRef, description: 'The wish (微心愿).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    asUnit: t.boolean({
      required: false,
      description: 'Claim for your unit even if you are a party member (以单位名义认领).',
    }),
    note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
  }),
})

const FulfilWishInput = builder.inputType('FulfilMicroWishInput', {
  description: 'Reports a claimed wish as fulfilled (报告心愿已实现): the claimer.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: MicroWishRef, description: 'The wish (微心愿).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    note: t.string({ required: true, description: 'What was done (实现情况).' }),
  }),
})

const ConfirmWishInput = builder.inputType('ConfirmMicroWishInput', {
  description:
    "Confirms a fulfilled wish (确认心愿实现): the wisher or an officer; credits the claimer's points and service record once.",
  fields: (t) => ({
    id: t.globalID({ required: true, for: MicroWishRef, description: 'The wish (微心愿).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    idempotencyKey: t.string({ required: true, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    note: t.string({ required: false, description: 'Thanks or comment (评价).' }),
  }),
})

const CancelWishInput = builder.inputType('CancelMicroWishInput', {
  description: 'Cancels an open or claimed wish (取消微心愿): the wisher or an officer.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: MicroWishRef, description: 'The wish (微心愿).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    reason: t.string({ required: true, description: 'Why (原因).' }),
  }),
})

const wishResult = payload('wish', 'The wish after the change (变更后的微心愿).')
/** A payload's wish as the viewer may read it. */
async function byId(ctx: Context, query: object, w: { id: string }) {
  const row = await ctx.reader.microWish.findUnique({ ...query, where: { id: w.id } })
  if (!row) throw new NotFoundError('MicroWish', w.id)
  return row
}

builder.mutationFields((t) => ({
  createMicroWish: t.prismaField({
    type: 'MicroWish',
    description: 'Posts a micro-wish (发布微心愿).',
    authScopes: { loggedIn: true },
    errors: wishResult,
    args: { input: t.arg({ type: CreateWishInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      byId(
        ctx,
        query,
        await wishes.createWish(ctx, {
          ...input,
          gridId: input.gridId.id,
          wisherId: input.wisherId?.id ?? null,
        }),
      ),
  }),
  claimMicroWish: t.prismaField({
    type: 'MicroWish',
    description: 'Claims an open wish (认领微心愿).',
    authScopes: { partyMember: true, unitContact: true },
    errors: wishResult,
    args: { input: t.arg({ type: ClaimWishInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      byId(ctx, query, await wishes.claimWish(ctx, { ...input, id: input.id.id })),
  }),
  releaseMicroWish: t.prismaField({
    type: 'MicroWish',
    description: 'Gives a claimed wish back to the open list (放弃认领): the claimer or an officer.',
    authScopes: { loggedIn: true },
    errors: wishResult,
    args: { input: t.arg({ type: WishStepInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      byId(ctx, query, await wishes.releaseWish(ctx, { ...input, id: input.id.id })),
  }),
  fulfilMicroWish: t.prismaField({
    type: 'MicroWish',
    description: 'Reports a claimed wish as fulfilled (心愿已实现): the claimer.',
    authScopes: { partyMember: true, unitContact: true },
    errors: wishResult,
    args: { input: t.arg({ type: FulfilWishInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      byId(ctx, query, await wishes.fulfilWish(ctx, { ...input, id: input.id.id })),
  }),
  confirmMicroWish: t.prismaField({
    type: 'MicroWish',
    description: 'Confirms a fulfilled wish (确认实现): the wisher or an officer; the claimer earns the points once.',
    authScopes: { loggedIn: true },
    errors: wishResult,
    args: { input: t.arg({ type: ConfirmWishInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      byId(ctx, query, await wishes.confirmWish(ctx, { ...input, id: input.id.id })),
  }),
  cancelMicroWish: t.prismaField({
    type: 'MicroWish',
    description: 'Cancels an open or claimed wish (取消微心愿): the wisher or an officer.',
    authScopes: { loggedIn: true },
    errors: wishResult,
    args: { input: t.arg({ type: CancelWishInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      byId(ctx, query, await wishes.cancelWish(ctx, { ...input, id: input.id.id })),
  }),
}))

builder.subscriptionFields((t) => ({
  microWishUpdated: t.prismaField({
    type: 'MicroWish',
    description:
      'Pushes micro-wishes as they change (微心愿变更推送): officers pass a region of theirs; without it, the wishes you posted, recorded or claimed.',
    authScopes: { loggedIn: true },
    args: {
      regionId: t.arg.globalID({ required: false, for: RegionRef, description: 'Officers: a region of yours (区划).' }),
    },
    subscribe: (_root, { regionId }, ctx) => wishes.subscribeWishes(ctx, regionId?.id ?? null) as never,
    resolve: async (query, payload: { id: string }, _args, ctx) => {
      const w = await ctx.reader.microWish.findUnique({ ...query, where: { id: payload.id } })
      if (!w) throw new NotFoundError('MicroWish', payload.id)
      return w
    },
  }),
}))
