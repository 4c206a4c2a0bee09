import { builder } from '../../builder.js'
import { isAdmin } from '../../auth/viewer.js'
import { ForbiddenError } from '../../shared/errors.js'
import { payload } from '../../shared/mutations.js'
import { decodeId } from '../../shared/relay.js'
import * as points from './points.service.js'
import { canReadPoints } from './volunteer.access.js'
import { InsufficientPointsError } from './volunteer.errors.js'
import { COUNTED, IDEMPOTENCY_KEY_DESCRIPTION, PointsEntryKindEnum } from './volunteer.schema.js'
import { rowQuery } from '../../shared/prisma-query.js'

builder.prismaNode('PointsAccount', {
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: 'A person\'s time-bank account (时间银行账户): the balance is the sum of its ledger entries. Only its owner (and admins) read it.',
  authScopes: (a, ctx) => canReadPoints(ctx, a.userId),
  fields: (t) => ({
    user: t.relation('user', { description: 'The owner (账户所有人).' }),
    balance: t.exposeInt('balance', { description: 'Points available (积分余额).' }),
    entries: t.relatedConnection('entries', {
      cursor: 'id', totalCount: true,
      args: { kind: t.arg({ type: [PointsEntryKindEnum], required: false, description: 'Any of these kinds (类型).' }) },
      query: (args) => ({ where: args.kind?.length ? { kind: { in: args.kind } } : {}, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
      description: 'Ledger entries, newest first (积分明细).',
    }, COUNTED),
    version: t.exposeInt('version', { description: 'Bumped by every movement (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Opened at (开户时间).' }),
  }),
})

builder.prismaNode('PointsEntry', {
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: 'One append-only ledger entry (积分流水): signed points, the balance after it, why, by whom, and what produced it.',
  authScopes: async (e, ctx) => {
    if (!ctx.viewer) return false
    if (isAdmin(ctx.viewer)) return true
    // the officer who made a manual adjustment reads it back; an organizer who credited service or the
    // sender of a transfer does not: the entry's balanceAfter is the other person's balance
    if (e.kind === 'ADJUSTMENT' && e.sourceType === null && e.actorId === ctx.viewer.userId) return true
    const account = await ctx.prisma.pointsAccount.findUnique({ where: { id: e.accountId }, select: { userId: true } })
    return !!account && canReadPoints(ctx, account.userId)
  },
  fields: (t) => ({
    kind: t.expose('kind', { type: PointsEntryKindEnum, description: 'Kind (类型).' }),
    points: t.exposeInt('points', { description: 'Points, positive credited, negative debited (积分变动).' }),
    balanceAfter: t.exposeInt('balanceAfter', { description: 'Balance after this entry (变动后余额).' }),
    reason: t.exposeString('reason', { description: 'Why (事由).' }),
    actor: t.prismaField({
      type: 'User', nullable: true, description: 'Who moved the points (操作人).',
      resolve: (query, e, _a, ctx) => (e.actorId ? ctx.prisma.user.findUnique({ ...rowQuery(query), where: { id: e.actorId } }) : null),
    }),
    sourceType: t.exposeString('sourceType', { nullable: true, description: 'What produced it: ActivitySignup, Redemption, MicroWish or PointsTransfer (来源类型).' }),
    sourceId: t.exposeString('sourceId', { nullable: true, description: 'Row id of the source (来源编号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When (时间).' }),
  }),
})

builder.queryFields((t) => ({
  myPoints: t.prismaField({
    type: 'PointsAccount', authScopes: { loggedIn: true },
    description: 'Your time-bank account and its history (我的积分).',
    resolve: async (query, _r, _a, ctx) => {
      return points.accountOf(ctx, ctx.viewer!.userId, rowQuery(query))
    },
  }),
  pointsAccount: t.prismaField({
    type: 'PointsAccount', authScopes: { loggedIn: true },
    description: 'A person\'s time-bank account (积分账户): your own, or anyone\'s for admins; nobody else reads another person\'s history.',
    args: { userId: t.arg.globalID({ required: true, description: 'The person (账户所有人).' }) },
    resolve: async (query, _r, { userId }, ctx) => {
      const id = decodeId(userId, 'User', 'userId')
      if (!canReadPoints(ctx, id)) throw new ForbiddenError('Only the owner reads a points account')
      return points.accountOf(ctx, id, rowQuery(query))
    },
  }),
}))

const AdjustInput = builder.inputType('AdjustPointsInput', {
  description: 'An officer\'s manual correction of someone\'s points (人工调整积分), logged with reason and actor.',
  fields: (t) => ({
    userId: t.globalID({ required: true, description: 'Whose account; someone taking part in your region (账户所有人).' }),
    points: t.int({ required: true, description: 'Signed points, not 0; a debit never drives the balance below zero (调整积分).' }),
    reason: t.string({ required: true, description: 'Why (事由).' }),
    idempotencyKey: t.string({ required: true, description: IDEMPOTENCY_KEY_DESCRIPTION }),
  }),
})

const TransferInput = builder.inputType('TransferPointsInput', {
  description: 'Gives some of your points to someone else (积分转赠).',
  fields: (t) => ({
    toUserId: t.globalID({ required: true, description: 'The recipient (受赠人).' }),
    points: t.int({ required: true, description: 'Points, more than 0 and within your balance (转赠积分).' }),
    reason: t.string({ required: true, description: 'Why (事由).' }),
    idempotencyKey: t.string({ required: true, description: IDEMPOTENCY_KEY_DESCRIPTION }),
  }),
})

const entryResult = { types: [InsufficientPointsError], ...payload('entry', 'The ledger entry on the account (积分流水).') }

builder.mutationFields((t) => ({
  adjustPoints: t.prismaField({
    type: 'PointsEntry', description: 'Adjusts someone\'s points by hand (人工调整积分): officers, for people taking part in their region.',
    authScopes: { roles: ['ADMIN', 'STREET_OFFICER', 'COMMUNITY_OFFICER'] }, errors: entryResult,
    args: { input: t.arg({ type: AdjustInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) => {
      const { entry } = await points.adjustPoints(ctx, { ...input, userId: decodeId(input.userId, 'User', 'userId') })
      return ctx.prisma.pointsEntry.findUniqueOrThrow({ ...rowQuery(query), where: { id: entry.id } })
    },
  }),
  transferPoints: t.prismaField({
    type: 'PointsEntry', description: 'Gives points to someone else (积分转赠); returns the debit on your account.',
    authScopes: { loggedIn: true }, errors: entryResult,
    args: { input: t.arg({ type: TransferInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) => {
      const { entry } = await points.transferPoints(ctx, { ...input, toUserId: decodeId(input.toUserId, 'User', 'toUserId') })
      return ctx.prisma.pointsEntry.findUniqueOrThrow({ ...rowQuery(query), where: { id: entry.id } })
    },
  }),
}))
