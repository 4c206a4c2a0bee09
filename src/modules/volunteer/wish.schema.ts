import { builder } from '../../builder.js'
import { nodeId, exposeVersion, filterArg, anyStatus, timelineNote } from '../../shared/schema-fields.js'
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { NotFoundError } from '../../shared/errors.js'
import { payload, rowMutations, stepInputs, withNote } from '../../shared/mutations.js'
import { GridRef } from '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import { maskName, seesPerson } from '../../auth/personal-data.js'
import { seesWishParties } from './volunteer.access.js'
import { MicroWishStatusEnum, TIMELINE, IDEMPOTENCY_KEY_DESCRIPTION } from './volunteer.schema.js'
import * as wishes from './wish.service.js'
import { UserRef } from '../directory/directory.schema.js'

const MicroWishRef = builder.prismaNode('MicroWish', {
  nullable: true,
  id: nodeId,
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
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Posted at (发布时间).' }),
  }),
})

const MicroWishFilter = builder.inputType('MicroWishFilter', {
  description: 'Filters for micro-wishes (微心愿筛选).',
  fields: (t) => ({
    status: anyStatus(t, MicroWishStatusEnum),
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
      args: { filter: filterArg(t.arg, MicroWishFilter) },
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

/** The mutations that answer with a wish. */
const wishMutation = rowMutations('MicroWish', payload('wish', 'The wish after the change (变更后的微心愿).'))

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

const wishStepInput = stepInputs(MicroWishRef, 'The wish (微心愿).')

const WishStepInput = wishStepInput(
  'MicroWishStepInput',
  'One step of a micro-wish (微心愿操作): release a claim (放弃认领).',
  withNote,
)

const ClaimWishInput = wishStepInput(
  'ClaimMicroWishInput',
  'Claims an open wish (认领微心愿): a party member with a member profile, or a unit contact for their unit.',
  (t) => ({
    asUnit: t.boolean({
      required: false,
      description: 'Claim for your unit even if you are a party member (以单位名义认领).',
    }),
    note: timelineNote(t),
  }),
)

const FulfilWishInput = wishStepInput(
  'FulfilMicroWishInput',
  'Reports a claimed wish as fulfilled (报告心愿已实现): the claimer.',
  (t) => ({ note: t.string({ required: true, description: 'What was done (实现情况).' }) }),
)

const ConfirmWishInput = wishStepInput(
  'ConfirmMicroWishInput',
  "Confirms a fulfilled wish (确认心愿实现): the wisher or an officer; credits the claimer's points and service record once.",
  (t) => ({
    idempotencyKey: t.string({ required: true, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    note: t.string({ required: false, description: 'Thanks or comment (评价).' }),
  }),
)

const CancelWishInput = wishStepInput(
  'CancelMicroWishInput',
  'Cancels an open or claimed wish (取消微心愿): the wisher or an officer.',
  (t) => ({ reason: t.string({ required: true, description: 'Why (原因).' }) }),
)

wishMutation('createMicroWish', {
  description: 'Posts a micro-wish (发布微心愿).',
  authScopes: { loggedIn: true },
  input: CreateWishInput,
  run: wishes.createWish,
})
wishMutation('claimMicroWish', {
  description: 'Claims an open wish (认领微心愿).',
  authScopes: { partyMember: true, unitContact: true },
  input: ClaimWishInput,
  run: wishes.claimWish,
})
wishMutation('releaseMicroWish', {
  description: 'Gives a claimed wish back to the open list (放弃认领): the claimer or an officer.',
  authScopes: { loggedIn: true },
  input: WishStepInput,
  run: wishes.releaseWish,
})
wishMutation('fulfilMicroWish', {
  description: 'Reports a claimed wish as fulfilled (心愿已实现): the claimer.',
  authScopes: { partyMember: true, unitContact: true },
  input: FulfilWishInput,
  run: wishes.fulfilWish,
})
wishMutation('confirmMicroWish', {
  description: 'Confirms a fulfilled wish (确认实现): the wisher or an officer; the claimer earns the points once.',
  authScopes: { loggedIn: true },
  input: ConfirmWishInput,
  run: wishes.confirmWish,
})
wishMutation('cancelMicroWish', {
  description: 'Cancels an open or claimed wish (取消微心愿): the wisher or an officer.',
  authScopes: { loggedIn: true },
  input: CancelWishInput,
  run: wishes.cancelWish,
})
