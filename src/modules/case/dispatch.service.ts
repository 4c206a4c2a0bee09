// Dispatch (吹哨 / 派单) and the order state machine; the commit-ordered feed behind
// dispatchOrderCreated; the webhook outbox rows written with each order.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { z } from 'zod'
import type { Context } from '../../context.js'
import type { Tx } from '../../db.js'
import { Prisma, type Case, type DispatchOrder, type DispatchOrderStatus } from '../../generated/prisma/client.js'
import type { Audience } from '../../pubsub.js'
import { hasRole } from '../../auth/viewer.js'
import { regionSubtrees } from '../../auth/policy.js'
import { ForbiddenError, InvalidTransitionError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { applyTransition, planTransition } from '../../shared/state-machine.js'
import { parseInput } from '../../shared/validate.js'
import { actorsFor } from './case.access.js'
import { appendEvents, applyCaseTransition, loadCase, settleCase, type TimelineEvent } from './case.service.js'
import { addresseeAudience, AfterCommit, regionAudiences } from './notify.js'
import {
  ACTIVE_ORDER,
  type Actor,
  addHours,
  CASE_TRANSITIONS,
  ORDER_TRANSITIONS,
  reworkOf,
  type OrderAction,
} from './transitions.js'

export interface DispatchTarget {
  departmentId?: string | null
  assigneeId?: string | null
  role: 'LEAD' | 'ASSIST'
  instructions?: string | null
}

const targetSchema = z
  .object({
    departmentId: z.string().nullish(),
    assigneeId: z.string().nullish(),
    role: z.enum(['LEAD', 'ASSIST']),
    instructions: z.string().trim().max(1000).nullish(),
  })
  .refine((t) => !!t.departmentId !== !!t.assigneeId, 'address each order to exactly one department or one grid worker')

const dispatchSchema = z.object({
  mode: z.enum(['MANUAL', 'AUTO']),
  targets: z.array(targetSchema).max(20).nullish(),
  instructions: z.string().trim().max(1000).nullish(),
})

/** The most specific active routing rule for the case's category and region. */
export async function routeFor(ctx: Pick<Context, 'prisma'>, c: Pick<Case, 'categoryId' | 'regionId'>) {
  const region = await ctx.prisma.region.findUniqueOrThrow({ where: { id: c.regionId }, select: { path: true } })
  const ancestors = region.path.split('/').filter(Boolean)
  const rules = await ctx.prisma.routingRule.findMany({
    where: { categoryId: c.categoryId, active: true, regionId: { in: ancestors } },
    include: { region: { select: { path: true } } },
  })
  return rules.sort((a, b) => b.region.path.length - a.region.path.length)[0] ?? null
}

/** A case's category (its SLAs), from the process's cache. */
async function categoryOf(ctx: Context, c: Pick<Case, 'categoryId'>) {
  const category = await ctx.categories.get(c.categoryId)
  if (!category) throw new NotFoundError('CaseCategory', c.categoryId)
  return category
}

export async function dispatchCase(
  ctx: Context,
  input: { caseId: string; version: number } & z.input<typeof dispatchSchema>,
) {
  const data = parseInput(dispatchSchema, input)
  const { c, actors } = await loadCase(ctx, input.caseId)
  const category = await categoryOf(ctx, c)
  let targets: DispatchTarget[]
  let completeSlaHours = category.completeSlaHours
  if (data.mode === 'AUTO') {
    const rule = await routeFor(ctx, c)
    if (!rule)
      throw new ValidationFailedError([
        { path: 'mode', message: 'no routing rule covers this category and region; dispatch manually' },
      ])
    targets = [
      { departmentId: rule.leadDepartmentId, role: 'LEAD' },
      ...rule.assistDepartmentIds.map((d) => ({ departmentId: d, role: 'ASSIST' as const })),
    ]
    completeSlaHours = rule.completeSlaHours ?? completeSlaHours
  } else {
    if (!data.targets?.length)
      throw new ValidationFailedError([{ path: 'targets', message: 'choose at least one department or grid worker' }])
    targets = data.targets
  }
  await validateTargets(ctx, c, targets)
  const now = new Date()
  const dispatcherId = ctx.viewer?.userId ?? null
  return applyCaseTransition(ctx, c, actors, input.version, 'DISPATCH', {
    note: `${data.mode === 'AUTO' ? 'auto' : 'manual (吹哨)'}: ${targets.length} order(s)`,
    within: async (tx, row, after, timeline) => {
      // a returned order still holds its place until the dispatcher transfers or cancels it
      const active = await tx.dispatchOrder.findMany({
        where: { caseId: row.id, status: { in: ['CREATED', 'SIGNED', 'ON_SITE', 'RETURNED'] } },
      })
      if (targets.some((t) => t.role === 'LEAD') && active.some((o) => o.role === 'LEAD')) {
        throw new ValidationFailedError([
          {
            path: 'targets',
            message: 'the case already has a lead department (主办); transfer a returned lead order instead',
          },
        ])
      }
      const dup = targets.find((t) =>
        active.some(
          (o) =>
            (t.departmentId && o.departmentId === t.departmentId) || (t.assigneeId && o.assigneeId === t.assigneeId),
        ),
      )
      if (dup)
        throw new ValidationFailedError([
          { path: 'targets', message: 'an addressee already has an active order on this case' },
        ])
      // one create per order: Prisma caches a create's plan, never a createMany's (see appendEvents)
      const created: DispatchOrder[] = []
      for (const t of targets) {
        created.push(
          await tx.dispatchOrder
            .create({
              data: {
                caseId: row.id,
                departmentId: t.departmentId ?? null,
                assigneeId: t.assigneeId ?? null,
                role: t.role,
                mode: data.mode,
                instructions: t.instructions ?? data.instructions ?? null,
                dispatcherId,
                signBy: addHours(now, category.signSlaHours),
                completeBy: addHours(now, completeSlaHours),
              },
            })
            .catch(unknownDepartment),
        )
      }
      publishNewOrders(ctx, row, created, after, timeline, dispatcherId)
    },
  })
}

async function validateTargets(ctx: Context, c: Case, targets: DispatchTarget[]) {
  if (targets.filter((t) => t.role === 'LEAD').length > 1)
    throw new ValidationFailedError([{ path: 'targets', message: 'only one lead (主办) per dispatch' }])
  const deptIds = targets.flatMap((t) => (t.departmentId ? [t.departmentId] : []))
  const userIds = targets.flatMap((t) => (t.assigneeId ? [t.assigneeId] : []))
  if (new Set(deptIds).size !== deptIds.length || new Set(userIds).size !== userIds.length)
    throw new ValidationFailedError([{ path: 'targets', message: 'an addressee is listed twice' }])
  // departments are checked by the orders' foreign key, in the insert (unknownDepartment)
  if (!userIds.length) return
  const workers = await ctx.prisma.gridAssignment.findMany({
    where: { userId: { in: userIds }, gridId: c.gridId, endedAt: null },
    select: { userId: true },
  })
  if (new Set(workers.map((w) => w.userId)).size !== userIds.length)
    throw new ValidationFailedError([
      { path: 'targets.assigneeId', message: "a grid worker must serve the case's grid" },
    ])
}

/** An order addressed to a department that does not exist fails its foreign key: a typed refusal, and the transaction rolls back. */
function unknownDepartment(e: unknown): never {
  if (
    e instanceof Prisma.PrismaClientKnownRequestError &&
    e.code === 'P2003' &&
    JSON.stringify(e.meta ?? {}).includes('departmentId')
  ) {
    throw new ValidationFailedError([{ path: 'targets.departmentId', message: 'unknown department' }])
  }
  throw e
}

/**
 * Records new orders in the case's timeline and has them numbered for the feed once the transaction
 * commits (order-sequencer.ts): the sequencer also publishes them and queues their webhook
 * deliveries. `reworks` maps a rework order (返工) to the completed order it redoes.
 */
function publishNewOrders(
  ctx: Context,
  c: Case,
  orders: DispatchOrder[],
  after: AfterCommit,
  timeline: TimelineEvent[],
  actorId: string | null,
  reworks?: Map<string, DispatchOrder>,
) {
  for (const o of orders) {
    const redone = reworks?.get(o.id)
    const action = redone ? 'REWORK' : o.transferredFromId ? 'TRANSFER_CREATE' : 'ORDER_CREATE'
    const addressee = o.departmentId
      ? `department ${o.departmentId} (${o.role})`
      : `grid worker ${o.assigneeId} (${o.role})`
    timeline.push({
      caseId: c.id,
      orderId: o.id,
      actorId,
      action,
      from: null,
      to: 'CREATED',
      note: redone ? `${addressee}: rework of order ${redone.id}` : addressee,
    })
  }
  after.andThen(() => ctx.feeds.orders.run())
}

// ---------------------------------------------------------------- verification (核查)

/**
 * The on-site check of a resolved case (核查). A failed check sends the case back to DISPATCHED and,
 * in the same transaction, the work back to whoever must redo it (返工): a new order to the same
 * addressee for each order named in `redo`, by default the lead's (transitions.reworkOf). It is
 * signed for again, runs on fresh deadlines from the category's SLA, reaches the addressee's live
 * feed and webhooks like any new order, and the SLA sweeper supervises it; the case's own deadline
 * keeps running. We create rather than reopen: a completed order's result is what the check
 * rejected and stays on record, COMPLETED stays final (assessment reads it), and a reopened order
 * would never reach the feed, which carries new orders in commit sequence.
 */
export async function verifyCase(
  ctx: Context,
  input: { id: string; version: number; passed: boolean; note?: string | null; redo?: readonly string[] | null },
) {
  const action = input.passed ? 'VERIFY_PASS' : 'VERIFY_FAIL'
  const note = input.note?.trim() || null
  if (!input.passed && !note) throw new ValidationFailedError([{ path: 'note', message: 'say what is not done' }])
  if (input.passed && input.redo?.length)
    throw new ValidationFailedError([{ path: 'redo', message: 'only a failed check sends work back' }])
  const { c, actors } = await loadCase(ctx, input.id, action)
  if (input.passed) return applyCaseTransition(ctx, c, actors, input.version, action, { note })
  // who may act and in which state first: the orders are nobody else's business
  planTransition({ entity: 'Case', table: CASE_TRANSITIONS, action, row: c, actors, version: input.version })
  const rework = reworkOf(await ctx.prisma.dispatchOrder.findMany({ where: { caseId: c.id } }), input.redo)
  if (!rework.ok) {
    const ids = rework.notRedoable.map((id) => encodeGlobalID('DispatchOrder', id)).join(', ')
    throw new ValidationFailedError([
      { path: 'redo', message: ids ? `not a completed order of this case: ${ids}` : 'no completed order to send back' },
    ])
  }
  await validateTargets(ctx, c, rework.orders)
  const category = await categoryOf(ctx, c)
  const now = new Date()
  const actorId = ctx.viewer?.userId ?? null
  return applyCaseTransition(ctx, c, actors, input.version, action, {
    note,
    within: async (tx, row, after, timeline) => {
      const created: DispatchOrder[] = []
      const redone = new Map<string, DispatchOrder>()
      for (const o of rework.orders) {
        const order = await tx.dispatchOrder.create({
          data: {
            caseId: row.id,
            departmentId: o.departmentId,
            assigneeId: o.assigneeId,
            role: o.role,
            mode: 'MANUAL',
            dispatcherId: actorId,
            instructions: `返工：${note}${o.instructions ? `\n原工作要求：${o.instructions}` : ''}`,
            signBy: addHours(now, category.signSlaHours),
            completeBy: addHours(now, category.completeSlaHours),
          },
        })
        created.push(order)
        redone.set(order.id, o)
      }
      publishNewOrders(ctx, row, created, after, timeline, actorId, redone)
    },
  })
}

// ---------------------------------------------------------------- order transitions

async function loadOrder(ctx: Context, orderId: string) {
  const o = await ctx.reader.dispatchOrder.findUnique({ where: { id: orderId }, include: { case: true } })
  if (!o?.case) throw new NotFoundError('DispatchOrder', orderId)
  return { o, actors: await actorsFor(ctx, o.case, o) }
}

/** Order steps that wait while the case is suspended. */
const PAUSED_WORK: ReadonlySet<OrderAction> = new Set(['SIGN', 'ARRIVE', 'COMPLETE'])

interface OrderTransitionOptions {
  note?: string | null
  data?: Prisma.DispatchOrderUncheckedUpdateManyInput
  /** As CaseTransitionOptions.within, with the order as it is now. */
  within?: (tx: Tx, o: DispatchOrder, c: Case, after: AfterCommit, timeline: TimelineEvent[]) => Promise<unknown>
}

export async function transitionOrder(
  ctx: Context,
  orderId: string,
  version: number,
  action: OrderAction,
  opts: OrderTransitionOptions = {},
) {
  const { o, actors } = await loadOrder(ctx, orderId)
  const req = {
    entity: 'DispatchOrder',
    table: ORDER_TRANSITIONS,
    action,
    row: o,
    actors,
    version,
    data: opts.data ?? {},
    // The case's row first, as the case's own steps take it by their update (the case, then its
    // orders; NO KEY UPDATE is an update's lock, and lets timeline rows still name the case): two orders
    // settled at once see each other's outcome, a dispatch or an approval waits for the settlement
    // (and it for them), and no two steps wait on each other in opposite orders.
    before: async (tx: Tx) => {
      const [c] = await tx.$queryRaw<{ status: string }[]>`
        SELECT status::text AS status FROM "Case" WHERE id = ${o.caseId}::uuid FOR NO KEY UPDATE`
      // Work pauses while the case is suspended (挂起): its clock is stopped too.
      if (c?.status === 'SUSPENDED' && PAUSED_WORK.has(action))
        throw new InvalidTransitionError('Case', 'SUSPENDED', action)
    },
  }
  planTransition(req)
  const after = new AfterCommit()
  const actorId = ctx.viewer?.userId ?? null
  const updated = await applyTransition<
    DispatchOrderStatus,
    OrderAction,
    Actor,
    Prisma.DispatchOrderUncheckedUpdateManyInput,
    DispatchOrder,
    DispatchOrder
  >(
    ctx.prisma,
    (tx) => tx.dispatchOrder,
    req,
    async (tx, move, row) => {
      const timeline: TimelineEvent[] = [
        { caseId: o.caseId, orderId: o.id, actorId, action, from: move.from, to: move.to, note: opts.note },
      ]
      await opts.within?.(tx, row, o.case, after, timeline)
      await appendEvents(tx, timeline)
      const regions = await tx.region.findMany({
        where: { id: { in: [o.case.regionId, o.case.handlingRegionId] } },
        select: { path: true },
      })
      after.orderUpdated(o.id, [...addresseeAudience(o), ...regionAudiences(...regions.map((r) => r.path))])
      after.caseUpdated(o.caseId)
      return row
    },
  )
  await after.flush(ctx.pubsub, ctx.log)
  return updated
}

export const signOrder = (ctx: Context, input: { id: string; version: number; note?: string | null }) =>
  transitionOrder(ctx, input.id, input.version, 'SIGN', { note: input.note, data: { signedAt: new Date() } })

export const arriveOrder = (ctx: Context, input: { id: string; version: number; note?: string | null }) =>
  transitionOrder(ctx, input.id, input.version, 'ARRIVE', { note: input.note, data: { onSiteAt: new Date() } })

export async function completeOrder(ctx: Context, input: { id: string; version: number; result: string }) {
  const data = parseInput(z.object({ result: z.string().trim().min(2, 'describe what was done').max(5000) }), {
    result: input.result,
  })
  return transitionOrder(ctx, input.id, input.version, 'COMPLETE', {
    note: data.result,
    data: { completedAt: new Date(), result: data.result },
    within: (tx, _o, c, after, timeline) => settleCase(tx, c, after, timeline),
  })
}

const reasonSchema = z.object({ reason: z.string().trim().min(2, 'give a reason').max(1000) })

/** 撤单: the dispatcher withdraws an order that was sent by mistake or is no longer needed. */
export async function cancelOrder(ctx: Context, input: { id: string; version: number; reason: string }) {
  const data = parseInput(reasonSchema, { reason: input.reason })
  return transitionOrder(ctx, input.id, input.version, 'CANCEL', {
    note: data.reason,
    within: (tx, _o, c, after, timeline) => settleCase(tx, c, after, timeline),
  })
}

export async function returnOrder(ctx: Context, input: { id: string; version: number; reason: string }) {
  const data = parseInput(reasonSchema, { reason: input.reason })
  return transitionOrder(ctx, input.id, input.version, 'RETURN', {
    note: data.reason,
    data: { returnReason: data.reason },
  })
}

/** 转单: the dispatcher moves an order to another addressee; the old one keeps its history. */
export async function transferOrder(
  ctx: Context,
  input: { id: string; version: number; to: DispatchTarget; reason: string },
) {
  const data = parseInput(reasonSchema.extend({ to: targetSchema }), { reason: input.reason, to: input.to })
  const { o } = await loadOrder(ctx, input.id)
  await validateTargets(ctx, o.case, [data.to])
  // before the transaction: the cache may read, and not on a second connection while this one is held
  const category = await categoryOf(ctx, o.case)
  const now = new Date()
  return transitionOrder(ctx, input.id, input.version, 'TRANSFER', {
    note: data.reason,
    within: async (tx, old, c, after, timeline) => {
      const clash = await tx.dispatchOrder.count({
        where: {
          caseId: c.id,
          status: { in: [...ACTIVE_ORDER] },
          OR: [
            ...(data.to.departmentId ? [{ departmentId: data.to.departmentId }] : []),
            ...(data.to.assigneeId ? [{ assigneeId: data.to.assigneeId }] : []),
          ],
        },
      })
      if (clash)
        throw new ValidationFailedError([
          { path: 'to', message: 'that addressee already has an active order on this case' },
        ])
      const created = await tx.dispatchOrder
        .create({
          data: {
            caseId: c.id,
            departmentId: data.to.departmentId ?? null,
            assigneeId: data.to.assigneeId ?? null,
            role: old.role,
            mode: 'MANUAL',
            instructions: data.to.instructions ?? old.instructions,
            dispatcherId: ctx.viewer?.userId ?? null,
            transferredFromId: old.id,
            signBy: addHours(now, category.signSlaHours),
            completeBy: old.completeBy > now ? old.completeBy : addHours(now, category.completeSlaHours),
          },
        })
        .catch(unknownDepartment)
      publishNewOrders(ctx, c, [created], after, timeline, ctx.viewer?.userId ?? null)
    },
  })
}

// ---------------------------------------------------------------- the live feed

export const encodeFeedCursor = (seq: bigint | string) => Buffer.from(`dispatch-seq:${seq}`).toString('base64url')

/** The largest sequence number PostgreSQL's bigint holds. */
const INT8_MAX = 2n ** 63n - 1n

export function decodeFeedCursor(cursor: string): bigint {
  const m = /^dispatch-seq:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString())
  if (!m || BigInt(m[1]!) > INT8_MAX)
    throw new ValidationFailedError([{ path: 'after', message: 'not a dispatch feed cursor' }])
  return BigInt(m[1]!)
}

export interface FeedScope {
  audience: Audience
  where: Prisma.DispatchOrderWhereInput
}

/** Whose orders a subscriber receives: derived from the token, never from a client-chosen id it does not own. */
export async function feedScope(ctx: Context, regionId?: string | null): Promise<FeedScope> {
  const v = ctx.access.requireViewer()
  if (regionId) {
    const region = await ctx.prisma.region.findUnique({ where: { id: regionId }, select: { id: true, path: true } })
    if (!region) throw new NotFoundError('Region', regionId)
    if (!(await ctx.access.canManageRegionPath(region.path)))
      throw new ForbiddenError('Officers watch only their own region')
    const within = regionSubtrees([region.id])!
    return {
      audience: `region:${region.id}`,
      where: { case: { OR: [{ region: within }, { handlingRegion: within }] } },
    }
  }
  if (hasRole(v, 'DEPARTMENT_STAFF') && v.departmentId)
    return { audience: `department:${v.departmentId}`, where: { departmentId: v.departmentId } }
  if (hasRole(v, 'GRID_WORKER')) return { audience: `user:${v.userId}`, where: { assigneeId: v.userId } }
  throw new ForbiddenError('Only departments, grid workers and officers (with regionId) receive dispatch orders')
}
