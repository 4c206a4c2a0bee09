import { builder } from '../../builder.js'
import type { Context } from '../../context.js'
import { NotFoundError } from '../../shared/errors.js'
import { readVersion, timelineNote } from '../../shared/schema-fields.js'
import { UserRef } from '../directory/directory.schema.js'
import { GridRef } from '../grid/grid.schema.js'
import { IDEMPOTENCY_KEY_DESCRIPTION } from './volunteer.schema.js'
import * as wishes from './wish.service.js'

import { MicroWishRef, wishResult } from './wish.schema.js'

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
    version: readVersion(t),
    note: timelineNote(t),
  }),
})

const ClaimWishInput = builder.inputType('ClaimMicroWishInput', {
  description:
    'Claims an open wish (认领微心愿): a party member with a member profile, or a unit contact for their unit.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: MicroWishRef, description: 'The wish (微心愿).' }),
    version: readVersion(t),
    asUnit: t.boolean({
      required: false,
      description: 'Claim for your unit even if you are a party member (以单位名义认领).',
    }),
    note: timelineNote(t),
  }),
})

const FulfilWishInput = builder.inputType('FulfilMicroWishInput', {
  description: 'Reports a claimed wish as fulfilled (报告心愿已实现): the claimer.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: MicroWishRef, description: 'The wish (微心愿).' }),
    version: readVersion(t),
    note: t.string({ required: true, description: 'What was done (实现情况).' }),
  }),
})

const ConfirmWishInput = builder.inputType('ConfirmMicroWishInput', {
  description:
    "Confirms a fulfilled wish (确认心愿实现): the wisher or an officer; credits the claimer's points and service record once.",
  fields: (t) => ({
    id: t.globalID({ required: true, for: MicroWishRef, description: 'The wish (微心愿).' }),
    version: readVersion(t),
    idempotencyKey: t.string({ required: true, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    note: t.string({ required: false, description: 'Thanks or comment (评价).' }),
  }),
})

const CancelWishInput = builder.inputType('CancelMicroWishInput', {
  description: 'Cancels an open or claimed wish (取消微心愿): the wisher or an officer.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: MicroWishRef, description: 'The wish (微心愿).' }),
    version: readVersion(t),
    reason: t.string({ required: true, description: 'Why (原因).' }),
  }),
})

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
