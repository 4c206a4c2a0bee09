import { builder } from '../../builder.js'
import { stepInputs, withNote } from '../../shared/mutations.js'
import { timelineNote } from '../../shared/schema-fields.js'
import { UserRef } from '../directory/directory.schema.js'
import { GridRef } from '../grid/grid.schema.js'
import { IDEMPOTENCY_KEY_DESCRIPTION } from './volunteer.schema.js'
import * as wishes from './wish.service.js'

import { MicroWishRef, wishMutation } from './wish.schema.js'

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
