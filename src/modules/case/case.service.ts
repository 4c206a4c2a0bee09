// Case intake and the case state machine. Every transition: checked against CASE_TRANSITIONS,
// applied with optimistic concurrency, logged in the timeline, published after commit.
import { z } from 'zod'
import type { Context } from '../../context.js'
import { type Prisma, type Tx, isUniqueViolation } from '../../db.js'
import type { Case, CaseStatus } from '../../generated/prisma/client.js'
import { hasRole, isAdmin, OFFICER_ROLES } from '../../auth/viewer.js'
import {
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  StaleVersionError,
  ValidationFailedError,
} from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { insertRows } from '../../shared/insert-rows.js'
import { applyTransition } from '../../shared/state-machine.js'
import { parseInput, phoneNumber } from '../../shared/validate.js'
import { gridForReport } from '../grid/grid.service.js'
import { actorsFor } from './case.access.js'
import { AfterCommit } from './notify.js'
import {
  ACTIVE_ORDER,
  type Actor,
  addHours,
  CASE_TRANSITIONS,
  feedbackAction,
  settledBy,
  type CaseAction,
} from './transitions.js'

export const CASE_SOURCES = ['PATROL', 'RESIDENT', 'HOTLINE', 'ONLINE', 'TRANSFER'] as const
type Source = (typeof CASE_SOURCES)[number]

/** Which intake channels each role may use. */
function allowedSources(ctx: Context): Set<Source> {
  const s = new Set<Source>()
  if (isAdmin(ctx.viewer) || hasRole(ctx.viewer, ...OFFICER_ROLES)) for (const x of CASE_SOURCES) s.add(x)
  if (hasRole(ctx.viewer, 'GRID_WORKER')) s.add('PATROL')
  if (hasRole(ctx.viewer, 'RESIDENT', 'PARTY_MEMBER', 'UNIT_CONTACT')) {
    s.add('RESIDENT')
    s.add('ONLINE')
  }
  return s
}

const reportSchema = z.object({
  title: z.string().trim().min(2, 'at least 2 characters').max(100),
  description: z.string().trim().min(1, 'must not be empty').max(5000),
  categoryId: z.string(),
  source: z.enum(CASE_SOURCES),
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  address: z.string().trim().max(200).nullish(),
  gridId: z.string().nullish(),
  attachments: z
    .array(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }))
    .max(20)
    .nullish(),
  anonymous: z.boolean().nullish(),
  reporterName: z.string().trim().max(50).nullish(),
  reporterPhone: phoneNumber.nullish(),
  idempotencyKey: z.string().trim().min(8, 'at least 8 characters').max(100).nullish(),
  onBehalfOfId: z.string().nullish(),
})

export async function reportCase(ctx: Context, input: z.input<typeof reportSchema>): Promise<Case> {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(reportSchema, input)
  if (!allowedSources(ctx).has(data.source))
    throw new ForbiddenError(`Your role cannot report cases from source ${data.source}`)
  if (data.anonymous && !['RESIDENT', 'ONLINE', 'HOTLINE'].includes(data.source)) {
    throw new ValidationFailedError([{ path: 'anonymous', message: "only residents' reports can be anonymous" }])
  }
  if (data.idempotencyKey) {
    const existing = await ctx.prisma.case.findUnique({
      where: { createdById_idempotencyKey: { createdById: viewer.userId, idempotencyKey: data.idempotencyKey } },
    })
    if (existing) return existing
  }
  const category = await ctx.categories.get(data.categoryId)
  if (!category?.active)
    throw new ValidationFailedError([{ path: 'categoryId', message: 'unknown or inactive category' }])
  const grid = await gridForReport(ctx, data.lng, data.lat, data.gridId)
  // A grid worker or officer may file a resident's problem for them (代办): the resident then
  // follows the case and rates it as its reporter.
  let reporterId: string | null = data.source === 'HOTLINE' ? null : viewer.userId
  if (data.onBehalfOfId) {
    if (!hasRole(viewer, 'GRID_WORKER', ...OFFICER_ROLES) && !isAdmin(viewer))
      throw new ForbiddenError('Only grid workers and officers report on behalf of residents')
    const resident = await ctx.prisma.user.findUnique({
      where: { id: data.onBehalfOfId },
      select: { id: true, roles: true },
    })
    if (!resident?.roles.some((r) => r === 'RESIDENT' || r === 'PARTY_MEMBER'))
      throw new ValidationFailedError([{ path: 'onBehalfOfId', message: 'not a resident account' }])
    reporterId = resident.id
  }
  const now = new Date()
  const after = new AfterCommit()
  try {
    const created = await ctx.prisma.$transaction(async (tx) => {
      const c = await tx.case.create({
        data: {
          title: data.title,
          description: data.description,
          categoryId: category.id,
          source: data.source,
          gridId: grid.id,
          regionId: grid.communityId,
          handlingRegionId: grid.communityId,
          lng: data.lng,
          lat: data.lat,
          address: data.address ?? null,
          attachments: data.attachments ?? [],
          // Hotline reports are made on the caller's behalf; the operator is the creator, not the reporter.
          reporterId,
          anonymous: data.anonymous ?? false,
          reporterName: data.reporterName ?? null,
          reporterPhone: data.reporterPhone ?? null,
          createdById: viewer.userId,
          idempotencyKey: data.idempotencyKey ?? null,
          deadline: addHours(now, category.caseSlaHours),
        },
      })
      await appendEvent(tx, {
        caseId: c.id,
        actorId: viewer.userId,
        action: 'REPORT',
        from: null,
        to: 'REPORTED',
        note: `source ${data.source}`,
      })
      after.caseUpdated(c.id)
      return c
    })
    await after.flush(ctx.pubsub, ctx.log)
    return created
  } catch (e) {
    // A concurrent retry with the same key won the insert: answer with its case.
    if (data.idempotencyKey && isUniqueViolation(e)) {
      return ctx.prisma.case.findUniqueOrThrow({
        where: { createdById_idempotencyKey: { createdById: viewer.userId, idempotencyKey: data.idempotencyKey } },
      })
    }
    throw e
  }
}

export interface TimelineEvent {
  caseId: string
  orderId?: string | null
  actorId: string | null
  action: string
  from: string | null
  to: string | null
  note?: string | null
}

const eventRow = (e: TimelineEvent) => ({
  caseId: e.caseId,
  orderId: e.orderId ?? null,
  actorId: e.actorId,
  action: e.action,
  fromStatus: e.from,
  toStatus: e.to,
  note: e.note ?? null,
})

export async function appendEvent(tx: Tx, e: TimelineEvent) {
  await appendEvents(tx, [e])
}

const EVENT_COLUMNS = {
  id: 'uuid',
  caseId: 'uuid',
  orderId: 'uuid',
  actorId: 'uuid',
  action: 'text',
  fromStatus: 'text',
  toStatus: 'text',
  note: 'text',
  createdAt: 'timestamp(3)',
}

/** Appends timeline events in one statement: one is a create, several one insertRows (shared/insert-rows.ts). */
export async function appendEvents(tx: Tx, events: TimelineEvent[]) {
  if (events.length === 1) {
    await tx.caseEvent.create({ data: eventRow(events[0]!) })
  } else if (events.length > 1) {
    const createdAt = new Date()
    await insertRows(
      tx,
      'CaseEvent',
      EVENT_COLUMNS,
      events.map((e) => ({ ...eventRow(e), id: newId(), createdAt })),
    )
  }
}

/**
 * Loads a case the viewer may see (else NotFound) with the actors the viewer is for it; with
 * `action`, also the relations that action's transition excludes (HANDLER costs a lookup).
 */
export async function loadCase(ctx: Context, caseId: string, action?: CaseAction) {
  const c = await ctx.reader.case.findUnique({ where: { id: caseId } })
  if (!c) throw new NotFoundError('Case', caseId)
  const handler = !!action && !!CASE_TRANSITIONS[action].excluded?.includes('HANDLER')
  return { c, actors: await actorsFor(ctx, c, undefined, { handler }) }
}

export interface CaseTransitionOptions {
  note?: string | null
  /** For actions whose target depends on the row (RESUME returns to the state before suspension). */
  to?: CaseStatus
  data?: Prisma.CaseUncheckedUpdateManyInput
  /**
   * Work inside the same transaction, after the case row is updated; events pushed to `timeline`
   * are written with the transition's own, in one statement. Returns the case if it changed it.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a step returns the row it rewrote, or nothing
  within?: (tx: Tx, c: Case, after: AfterCommit, timeline: TimelineEvent[]) => Promise<Case | void>
}

/**
 * Applies one action to a case at the version the caller read. Exactly one of several concurrent
 * callers wins; the others get StaleVersion (or InvalidTransition once the state moved on).
 */
async function transitionCase(
  ctx: Context,
  caseId: string,
  version: number,
  action: CaseAction,
  opts: CaseTransitionOptions = {},
): Promise<Case> {
  const { c, actors } = await loadCase(ctx, caseId, action)
  return applyCaseTransition(ctx, c, actors, version, action, opts)
}

export async function applyCaseTransition(
  ctx: Context,
  c: Case,
  actors: Iterable<Actor>,
  version: number,
  action: CaseAction,
  opts: CaseTransitionOptions = {},
  actorId = ctx.viewer?.userId ?? null,
): Promise<Case> {
  const closes = (opts.to ?? CASE_TRANSITIONS[action].to) === 'CLOSED'
  const after = new AfterCommit()
  const updated = await applyTransition<CaseStatus, CaseAction, Actor, Prisma.CaseUncheckedUpdateManyInput, Case, Case>(
    ctx.prisma,
    (tx) => tx.case,
    {
      entity: 'Case',
      table: CASE_TRANSITIONS,
      action,
      row: c,
      actors,
      version,
      to: opts.to,
      data: { ...opts.data, ...(closes ? { closedAt: new Date() } : {}) },
    },
    async (tx, move, row) => {
      const timeline: TimelineEvent[] = [
        { caseId: c.id, actorId, action, from: move.from, to: move.to, note: opts.note },
      ]
      const changed = await opts.within?.(tx, row, after, timeline)
      await appendEvents(tx, timeline)
      after.caseUpdated(c.id)
      return changed ?? row
    },
  )
  await after.flush(ctx.pubsub, ctx.log)
  return updated
}

const reason = z.string().trim().min(2, 'give a reason').max(1000)

export async function acceptCase(ctx: Context, input: { id: string; version: number; note?: string | null }) {
  return transitionCase(ctx, input.id, input.version, 'ACCEPT', { note: input.note })
}

export async function rejectCase(ctx: Context, input: { id: string; version: number; reason: string }) {
  const data = parseInput(z.object({ reason }), { reason: input.reason })
  return transitionCase(ctx, input.id, input.version, 'REJECT', { note: data.reason, data: { closedAt: new Date() } })
}

export async function submitCaseFeedback(
  ctx: Context,
  input: { id: string; version: number; satisfaction: number; comment?: string | null },
) {
  const data = parseInput(
    z.object({
      satisfaction: z.number().int().min(1, '1 to 5').max(5, '1 to 5'),
      comment: z.string().trim().max(1000).nullish(),
    }),
    input,
  )
  const viewer = ctx.access.requireViewer()
  return transitionCase(ctx, input.id, input.version, feedbackAction(data.satisfaction), {
    note: `satisfaction ${data.satisfaction}/5${data.comment ? `: ${data.comment}` : ''}`,
    within: async (tx, c) => {
      await tx.caseFeedback.create({
        data: { caseId: c.id, authorId: viewer.userId, satisfaction: data.satisfaction, comment: data.comment ?? null },
      })
    },
  })
}

export async function closeCase(ctx: Context, input: { id: string; version: number; note?: string | null }) {
  return transitionCase(ctx, input.id, input.version, 'CLOSE', { note: input.note })
}

export async function escalateCase(ctx: Context, input: { id: string; version: number; reason: string }) {
  const data = parseInput(z.object({ reason }), { reason: input.reason })
  const { c, actors } = await loadCase(ctx, input.id)
  const handling = await ctx.prisma.region.findUniqueOrThrow({
    where: { id: c.handlingRegionId },
    include: { parent: true },
  })
  if (!handling.parent)
    throw new ValidationFailedError([{ path: 'id', message: 'the case is already handled at the top level' }])
  return applyCaseTransition(ctx, c, actors, input.version, 'ESCALATE', {
    note: `${handling.name} → ${handling.parent.name}: ${data.reason}`,
    data: { handlingRegionId: handling.parent.id, escalationLevel: { increment: 1 } },
  })
}

export async function resumeCase(ctx: Context, input: { id: string; version: number; note?: string | null }) {
  const { c, actors } = await loadCase(ctx, input.id)
  const suspendedFor = c.suspendedAt ? Date.now() - c.suspendedAt.getTime() : 0
  if (!c.suspendedFrom) throw new InvalidTransitionError('Case', c.status, 'RESUME')
  return applyCaseTransition(ctx, c, actors, input.version, 'RESUME', {
    note: input.note,
    to: c.suspendedFrom,
    // the clock stops while suspended: deadlines move by the time spent suspended
    data: {
      suspendedFrom: null,
      suspendedAt: null,
      ...(c.deadline ? { deadline: new Date(c.deadline.getTime() + suspendedFor) } : {}),
    },
    within: async (tx, row, after, timeline) => {
      await shiftOpenOrderDeadlines(tx, row.id, suspendedFor / 1000, { sign: true })
      // orders may have been cancelled while it was suspended: never back to DISPATCHED with none open
      return settleCase(tx, row, after, timeline)
    },
  })
}

/**
 * After an order completes or is cancelled, or a dispatched case resumes, in the same transaction:
 * the last completion resolves the case; when nothing is left open and nothing was completed, the
 * case awaits a new dispatch. Returns the case when it moved; its event joins `timeline`. The caller
 * holds the case's row (an order's step locks it first, the case's own steps by their update), so
 * the orders read here are the ones every other step of the case left.
 */
export async function settleCase(
  tx: Tx,
  c: Pick<Case, 'id'>,
  after: AfterCommit,
  timeline: TimelineEvent[],
): Promise<Case | undefined> {
  const statuses = (await tx.dispatchOrder.findMany({ where: { caseId: c.id }, select: { status: true } })).map(
    (x) => x.status,
  )
  const current = await tx.case.findUniqueOrThrow({ where: { id: c.id } })
  const action = current.status === 'DISPATCHED' ? settledBy(statuses) : null
  if (!action) return undefined
  const to = CASE_TRANSITIONS[action].to!
  const moved = await tx.case.update({ where: { id: c.id }, data: { status: to, version: { increment: 1 } } })
  timeline.push({
    caseId: c.id,
    actorId: null,
    action,
    from: 'DISPATCHED',
    to,
    note: action === 'RESOLVE' ? 'all orders completed' : 'no open orders left; awaiting a new dispatch',
  })
  after.caseUpdated(c.id)
  return moved
}

/** Moves the deadlines of a case's open orders by `seconds` (Prisma cannot add to a column). */
async function shiftOpenOrderDeadlines(tx: Tx, caseId: string, seconds: number, opts: { sign: boolean }) {
  if (opts.sign) {
    await tx.$executeRaw`UPDATE "DispatchOrder" SET "completeBy" = "completeBy" + make_interval(secs => ${seconds}), "signBy" = "signBy" + make_interval(secs => ${seconds}) WHERE "caseId" = ${caseId}::uuid AND status::text = ANY(${[...ACTIVE_ORDER]})`
  } else {
    await tx.$executeRaw`UPDATE "DispatchOrder" SET "completeBy" = "completeBy" + make_interval(secs => ${seconds}) WHERE "caseId" = ${caseId}::uuid AND status::text = ANY(${[...ACTIVE_ORDER]})`
  }
}

// ---------------------------------------------------------------- approvals (挂起 / 延期)

const approvalSchema = z.object({
  kind: z.enum(['SUSPEND', 'EXTEND']),
  reason,
  extendHours: z
    .number()
    .positive()
    .max(24 * 90)
    .nullish(),
})

/** Anyone handling the case may ask; a street officer (or admin) other than the requester decides. */
export async function requestCaseApproval(
  ctx: Context,
  input: { caseId: string; kind: 'SUSPEND' | 'EXTEND'; reason: string; extendHours?: number | null },
) {
  const data = parseInput(approvalSchema, input)
  if (data.kind === 'EXTEND' && !data.extendHours)
    throw new ValidationFailedError([{ path: 'extendHours', message: 'how many hours to extend by' }])
  const viewer = ctx.access.requireViewer()
  const { c, actors } = await loadCase(ctx, input.caseId)
  const handles =
    actors.some((a) => a === 'OFFICER' || a === 'GRID_WORKER') ||
    (await ctx.prisma.dispatchOrder.count({
      where: {
        caseId: c.id,
        status: { in: [...ACTIVE_ORDER] },
        OR: [{ assigneeId: viewer.userId }, ...(viewer.departmentId ? [{ departmentId: viewer.departmentId }] : [])],
      },
    })) > 0
  if (!handles) throw new ForbiddenError('Only those handling the case can ask to suspend or extend it')
  const table = data.kind === 'SUSPEND' ? CASE_TRANSITIONS.SUSPEND : CASE_TRANSITIONS.EXTEND
  if (!table.from.includes(c.status)) throw new InvalidTransitionError('Case', c.status, data.kind)
  const after = new AfterCommit()
  const approval = await ctx.prisma.$transaction(async (tx) => {
    const a = await tx.caseApproval.create({
      data: {
        caseId: c.id,
        kind: data.kind,
        reason: data.reason,
        extendHours: data.extendHours ?? null,
        requestedById: viewer.userId,
      },
    })
    await appendEvent(tx, {
      caseId: c.id,
      actorId: viewer.userId,
      action: `REQUEST_${data.kind}`,
      from: c.status,
      to: c.status,
      note: data.reason,
    })
    after.caseUpdated(c.id)
    return a
  })
  await after.flush(ctx.pubsub, ctx.log)
  return approval
}

export async function decideCaseApproval(
  ctx: Context,
  input: { id: string; version: number; caseVersion: number; approve: boolean; note?: string | null },
) {
  const viewer = ctx.access.requireViewer()
  // through the policy: a request on a case the viewer may not read is NotFound, as none at all
  const approval = await ctx.reader.caseApproval.findUnique({ where: { id: input.id } })
  if (!approval) throw new NotFoundError('CaseApproval', input.id)
  const { c, actors } = await loadCase(ctx, approval.caseId)
  if (!(isAdmin(viewer) || (hasRole(viewer, 'STREET_OFFICER') && actors.includes('OFFICER'))))
    throw new ForbiddenError("A street officer of the case's region decides suspensions and extensions")
  if (approval.requestedById === viewer.userId && !isAdmin(viewer))
    throw new ForbiddenError('You cannot approve your own request')
  if (approval.version !== input.version) throw new StaleVersionError('CaseApproval', input.version, approval.version)
  if (approval.status !== 'PENDING')
    throw new InvalidTransitionError('CaseApproval', approval.status, input.approve ? 'APPROVE' : 'REJECT')
  const decide = async (tx: Tx) => {
    const { count } = await tx.caseApproval.updateMany({
      where: { id: approval.id, version: input.version, status: 'PENDING' },
      data: {
        status: input.approve ? 'APPROVED' : 'REJECTED',
        decidedById: viewer.userId,
        decisionNote: input.note ?? null,
        decidedAt: new Date(),
        version: { increment: 1 },
      },
    })
    if (count !== 1) throw new StaleVersionError('CaseApproval', input.version, null)
  }
  const note = `${approval.kind} ${input.approve ? 'approved' : 'rejected'}${input.note ? `: ${input.note}` : ''}`
  if (!input.approve) {
    const after = new AfterCommit()
    await ctx.prisma.$transaction(async (tx) => {
      await decide(tx)
      await appendEvent(tx, {
        caseId: c.id,
        actorId: viewer.userId,
        action: `DECIDE_${approval.kind}`,
        from: c.status,
        to: c.status,
        note,
      })
      after.caseUpdated(c.id)
    })
    await after.flush(ctx.pubsub, ctx.log)
    return c // a rejection leaves the case as it was read
  }
  if (approval.kind === 'SUSPEND') {
    return applyCaseTransition(ctx, c, actors, input.caseVersion, 'SUSPEND', {
      note,
      data: { suspendedFrom: c.status, suspendedAt: new Date() },
      within: async (tx) => decide(tx),
    })
  }
  const hours = approval.extendHours ?? 0
  return applyCaseTransition(ctx, c, actors, input.caseVersion, 'EXTEND', {
    note: `${note} (+${hours} h)`,
    data: c.deadline ? { deadline: addHours(c.deadline, hours) } : {},
    within: async (tx, row) => {
      await decide(tx)
      await shiftOpenOrderDeadlines(tx, row.id, hours * 3600, { sign: false })
    },
  })
}
