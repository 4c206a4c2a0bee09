import { builder } from '../../builder.js'
import { optionalRowById } from '../../shared/rows-by-id.js'
import { nodeId } from '../../shared/schema-fields.js'
import { COUNTED } from '../../shared/connections.js'
import { isAdmin } from '../../auth/viewer.js'
import { ForbiddenError } from '../../shared/errors.js'
import { payload, rowMutations } from '../../shared/mutations.js'
import { UserRef } from '../directory/directory.schema.js'
import * as points from './points.service.js'
import { InsufficientPointsError } from './volunteer.errors.js'
import { IDEMPOTENCY_KEY_DESCRIPTION, PointsEntryKindEnum } from './volunteer.schema.js'

builder.prismaNode('PointsAccount', {
  nullable: true,
  id: nodeId,
  description:
    "A person's time-bank account (时间银行账户): the balance is the sum of its ledger entries. Only its owner (and admins) read it.",
  fields: (t) => ({
    user: t.relation('user', { description: 'The owner (账户所有人).' }),
    balance: t.exposeInt('balance', { description: 'Points available (积分余额).' }),
    entries: t.relatedConnection(
      'entries',
      {
        cursor: 'id',
        totalCount: true,
        args: {
          kind: t.arg({ type: [PointsEntryKindEnum], required: false, description: 'Any of these kinds (类型).' }),
        },
        query: (args) => ({
          where: args.kind?.length ? { kind: { in: args.kind } } : {},
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        }),
        description: 'Ledger entries, newest first (积分明细).',
      },
      COUNTED,
    ),
    version: t.exposeInt('version', { description: 'Bumped by every movement (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Opened at (开户时间).' }),
  }),
})

builder.prismaNode('PointsEntry', {
  nullable: true,
  id: nodeId,
  description:
    'One append-only ledger entry (积分流水): signed points, the balance after it, why, by whom, and what produced it.',
  fields: (t) => ({
    kind: t.expose('kind', { type: PointsEntryKindEnum, description: 'Kind (类型).' }),
    points: t.exposeInt('points', { description: 'Points, positive credited, negative debited (积分变动).' }),
    balanceAfter: t.exposeInt('balanceAfter', { description: 'Balance after this entry (变动后余额).' }),
    reason: t.exposeString('reason', { description: 'Why (事由).' }),
    actor: t.prismaField({
      type: 'User',
      nullable: true,
      description: 'Who moved the points (操作人).',
      resolve: (query, e, _a, ctx) => optionalRowById(ctx, 'user', query, e.actorId),
    }),
    sourceType: t.exposeString('sourceType', {
      nullable: true,
      description: 'What produced it: ActivitySignup, Redemption, MicroWish or PointsTransfer (来源类型).',
    }),
    sourceId: t.exposeString('sourceId', { nullable: true, description: 'Row id of the source (来源编号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When (时间).' }),
  }),
})

builder.queryFields((t) => ({
  myPoints: t.prismaField({
    type: 'PointsAccount',
    authScopes: { loggedIn: true },
    description: 'Your time-bank account and its history (我的积分).',
    resolve: (query, _r, _a, ctx) => points.accountOf(ctx, ctx.viewer!.userId, query),
  }),
  pointsAccount: t.prismaField({
    type: 'PointsAccount',
    authScopes: { loggedIn: true },
    description:
      "A person's time-bank account (积分账户): your own, or anyone's for admins; nobody else reads another person's history.",
    args: { userId: t.arg.globalID({ required: true, for: UserRef, description: 'The person (账户所有人).' }) },
    resolve: async (query, _r, { userId }, ctx) => {
      const id = userId.id
      // another person's account: refused outright (the read policy would only find none)
      if (!isAdmin(ctx.viewer) && id !== ctx.viewer!.userId)
        throw new ForbiddenError('Only the owner reads a points account')
      return points.accountOf(ctx, id, query)
    },
  }),
}))

const AdjustInput = builder.inputType('AdjustPointsInput', {
  description: "An officer's manual correction of someone's points (人工调整积分), logged with reason and actor.",
  fields: (t) => ({
    userId: t.globalID({
      required: true,
      for: UserRef,
      description: 'Whose account; someone taking part in your region (账户所有人).',
    }),
    points: t.int({
      required: true,
      description: 'Signed points, not 0; a debit never drives the balance below zero (调整积分).',
    }),
    reason: t.string({ required: true, description: 'Why (事由).' }),
    idempotencyKey: t.string({ required: true, description: IDEMPOTENCY_KEY_DESCRIPTION }),
  }),
})

const TransferInput = builder.inputType('TransferPointsInput', {
  description: 'Gives some of your points to someone else (积分转赠).',
  fields: (t) => ({
    toUserId: t.globalID({ required: true, for: UserRef, description: 'The recipient (受赠人).' }),
    points: t.int({ required: true, description: 'Points, more than 0 and within your balance (转赠积分).' }),
    reason: t.string({ required: true, description: 'Why (事由).' }),
    idempotencyKey: t.string({ required: true, description: IDEMPOTENCY_KEY_DESCRIPTION }),
  }),
})

const entryMutation = rowMutations('PointsEntry', payload('entry', 'The ledger entry on the account (积分流水).'))

entryMutation('adjustPoints', {
  description: "Adjusts someone's points by hand (人工调整积分): officers, for people taking part in their region.",
  authScopes: { officer: true },
  input: AdjustInput,
  errors: [InsufficientPointsError],
  run: async (ctx, input) => (await points.adjustPoints(ctx, input)).entry,
})
entryMutation('transferPoints', {
  description: 'Gives points to someone else (积分转赠); returns the debit on your account.',
  authScopes: { loggedIn: true },
  input: TransferInput,
  errors: [InsufficientPointsError],
  run: async (ctx, input) => (await points.transferPoints(ctx, input)).entry,
})
