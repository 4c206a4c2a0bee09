// The time bank (时间银行): one PointsAccount per person and an append-only ledger of PointsEntry.
// Every movement goes through `movePoints` inside the caller's transaction: the account row is
// locked, the idempotency key looked up, the balance changed under a guard (never below zero; the
// database CHECK backs it) and the entry appended with the balance after it. So balance = sum of
// entries always, and a retry with the same (account, key) returns the first entry unchanged.
import { z } from 'zod'
import type { Context } from '../../context.js'
import type { Tx } from '../../db.js'
import type { PointsEntry, PointsEntryKind } from '../../generated/prisma/client.js'
import { officerRegions } from '../../auth/policy.js'
import { isAdmin } from '../../auth/viewer.js'
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { parseInput } from '../../shared/validate.js'
import { InsufficientPointsError } from './volunteer.errors.js'

export interface PointsMove {
  accountUserId: string
  kind: PointsEntryKind
  /** Signed: credits are positive, debits negative. */
  points: number
  reason: string
  actorId: string | null
  idempotencyKey: string
  sourceType?: string | null
  sourceId?: string | null
}

export interface MoveResult {
  entry: PointsEntry
  replayed: boolean
}

/** Creates the person's account if need be and locks it for the rest of the transaction. */
export async function lockAccount(tx: Tx, userId: string): Promise<{ id: string; balance: number }> {
  await tx.pointsAccount.createMany({ data: [{ userId }], skipDuplicates: true })
  const [row] = await tx.$queryRaw<
    { id: string; balance: number }[]
  >`SELECT "id", "balance" FROM "PointsAccount" WHERE "userId" = ${userId}::uuid FOR UPDATE`
  return row!
}

const keyReused = () =>
  new ValidationFailedError([{ path: 'idempotencyKey', message: 'this key was already used for another request' }])

/** Moves points on one account (see the file comment). Debits beyond the balance → InsufficientPoints. */
export async function movePoints(tx: Tx, m: PointsMove): Promise<MoveResult> {
  if (!Number.isInteger(m.points)) throw new ValidationFailedError([{ path: 'points', message: 'whole points only' }])
  const account = await lockAccount(tx, m.accountUserId)
  const existing = await tx.pointsEntry.findUnique({
    where: { accountId_idempotencyKey: { accountId: account.id, idempotencyKey: m.idempotencyKey } },
  })
  if (existing) {
    if (existing.kind !== m.kind || existing.points !== m.points || existing.sourceType !== (m.sourceType ?? null))
      throw keyReused()
    return { entry: existing, replayed: true }
  }
  const { count } = await tx.pointsAccount.updateMany({
    where: { id: account.id, balance: { gte: Math.max(0, -m.points) } },
    data: { balance: { increment: m.points }, version: { increment: 1 } },
  })
  if (count !== 1) throw new InsufficientPointsError(account.balance, -m.points)
  const entry = await tx.pointsEntry.create({
    data: {
      accountId: account.id,
      kind: m.kind,
      points: m.points,
      balanceAfter: account.balance + m.points,
      reason: m.reason,
      actorId: m.actorId,
      idempotencyKey: m.idempotencyKey,
      sourceType: m.sourceType ?? null,
      sourceId: m.sourceId ?? null,
    },
  })
  return { entry, replayed: false }
}

/**
 * The person's account with the caller's selection, read as the viewer may (the owner, admins),
 * created empty on first sight (reading it never fails for lack of one); an existing account
 * costs one read.
 */
export async function accountOf<Q extends object>(ctx: Context, userId: string, query: Q = {} as Q) {
  const found = await ctx.reader.pointsAccount.findUnique({ ...query, where: { userId } })
  if (found) return found
  // an id of no account is NotFound, not a foreign-key violation of the insert below
  if (!(await ctx.prisma.user.findUnique({ where: { id: userId }, select: { id: true } })))
    throw new NotFoundError('PointsAccount', userId)
  await ctx.prisma.pointsAccount.createMany({ data: [{ userId }], skipDuplicates: true })
  const created = await ctx.reader.pointsAccount.findUnique({ ...query, where: { userId } })
  if (!created) throw new NotFoundError('PointsAccount', userId)
  return created
}

const key = z.string().trim().min(8, 'at least 8 characters (e.g. a UUID)').max(100)
const reason = z.string().trim().min(2, 'give a reason').max(500)

// ---------------------------------------------------------------- adjustment (officers)

const adjustSchema = z.object({
  userId: z.string(),
  points: z
    .number()
    .int('whole points')
    .refine((p) => p !== 0, 'not 0')
    .refine((p) => Math.abs(p) <= 100_000, 'at most 100000'),
  reason,
  idempotencyKey: key,
})

/** Whether the person has taken part in the officer's region (signups, wishes, redemptions, home). */
async function tiedToRegion(ctx: Context, userId: string): Promise<boolean> {
  const regions = ctx.viewer && officerRegions(ctx.viewer)
  if (!regions) return false
  return (
    (await ctx.prisma.user.count({
      where: {
        id: userId,
        OR: [
          { signups: { some: { activity: { community: regions } } } },
          { wishes: { some: { community: regions } } },
          { redemptions: { some: { item: { community: regions } } } },
          { partyMember: { homeCommunity: regions } },
          { organizedActivities: { some: { community: regions } } },
        ],
      },
    })) > 0
  )
}

/** An officer's manual correction (人工调整), with its reason and actor on the entry; logged. */
export async function adjustPoints(ctx: Context, input: z.input<typeof adjustSchema>): Promise<MoveResult> {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(adjustSchema, input)
  const user = await ctx.prisma.user.findUnique({ where: { id: data.userId }, select: { id: true } })
  if (!user) throw new NotFoundError('User', data.userId)
  if (user.id === viewer.userId) throw new ForbiddenError('Nobody adjusts their own points; ask another officer')
  if (!isAdmin(viewer) && !(await tiedToRegion(ctx, user.id)))
    throw new ForbiddenError('Officers adjust the points of people who take part in their region')
  const result = await ctx.prisma.$transaction((tx) =>
    movePoints(tx, {
      accountUserId: user.id,
      kind: 'ADJUSTMENT',
      points: data.points,
      reason: data.reason,
      actorId: viewer.userId,
      idempotencyKey: `adjust:${viewer.userId}:${data.idempotencyKey}`,
    }),
  )
  if (!result.replayed)
    ctx.log.info(
      { event: 'points.adjusted', entryId: result.entry.id, points: data.points, actorId: viewer.userId },
      'points adjusted',
    )
  return result
}

// ---------------------------------------------------------------- transfer (转赠)

const transferSchema = z.object({
  toUserId: z.string(),
  points: z.number().int('whole points').positive('more than 0').max(100_000),
  reason,
  idempotencyKey: key,
})

/** A replayed transfer is the same request only if its credit, the entry of the same transfer, went to `toUserId`. */
async function sameTransfer(tx: Tx, out: MoveResult, toUserId: string): Promise<MoveResult> {
  const credit = await tx.pointsEntry.count({
    where: { account: { userId: toUserId }, sourceType: 'PointsTransfer', sourceId: out.entry.sourceId },
  })
  if (!credit) throw keyReused()
  return out
}

/** Gives some of the viewer's points to another person: two TRANSFER entries under one key. */
export async function transferPoints(ctx: Context, input: z.input<typeof transferSchema>): Promise<MoveResult> {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(transferSchema, input)
  if (data.toUserId === viewer.userId)
    throw new ValidationFailedError([{ path: 'toUserId', message: 'choose someone else' }])
  const to = await ctx.prisma.user.findUnique({ where: { id: data.toUserId }, select: { id: true, active: true } })
  if (!to?.active) throw new NotFoundError('User', data.toUserId)
  const transferId = newId()
  const k = `transfer:${viewer.userId}:${data.idempotencyKey}`
  return ctx.prisma.$transaction(async (tx) => {
    // lock both accounts in one order so that opposite transfers cannot deadlock
    for (const u of [viewer.userId, to.id].sort()) await lockAccount(tx, u)
    const out = await movePoints(tx, {
      accountUserId: viewer.userId,
      kind: 'TRANSFER',
      points: -data.points,
      reason: data.reason,
      actorId: viewer.userId,
      idempotencyKey: k,
      sourceType: 'PointsTransfer',
      sourceId: transferId,
    })
    if (out.replayed) return sameTransfer(tx, out, to.id)
    await movePoints(tx, {
      accountUserId: to.id,
      kind: 'TRANSFER',
      points: data.points,
      reason: data.reason,
      actorId: viewer.userId,
      idempotencyKey: k,
      sourceType: 'PointsTransfer',
      sourceId: transferId,
    })
    return out
  })
}
