// Projects (项目清单): a community officer turns an approved need claim (or an agreement item) into
// a project that uses one or more resources of the units involved; milestones and progress entries
// follow it PLANNED → IN_PROGRESS → COMPLETED | CANCELLED. Reaching 100 % completes the project,
// marks its need DONE and frees its resources, all in one transaction. Each step also appends a
// progress entry, which is the project's timeline.
import { z } from 'zod'
import type { Context } from '../../context.js'
import type { Tx } from '../../db.js'
import type { Prisma, Project, ProjectStatus } from '../../generated/prisma/client.js'
import { InvalidTransitionError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { check, defineWorkflow, refusal, type StepOptions } from '../../shared/state-machine.js'
import { parseInput } from '../../shared/validate.js'
import { projectActors } from './agreement.access.js'
import { findAgreement, reason, version } from './agreement.service.js'
import { moveNeed, moveResources, releaseResources } from './lists.service.js'
import {
  milestoneShare,
  PROJECT_TRANSITIONS,
  projectStateAt,
  type ProjectAction,
  type ProjectActor,
} from './transitions.js'

const title = z.string().trim().min(2, 'at least 2 characters').max(100)
const milestoneSchema = z.object({ title, dueAt: z.date().nullish() })

const createSchema = z.object({
  needClaimId: z.string().nullish(),
  agreementItemId: z.string().nullish(),
  communityId: z.string().nullish(),
  resourceIds: z.array(z.string()).min(1, 'link at least one resource').max(20),
  title,
  description: z.string().trim().max(4000).nullish(),
  leadName: z.string().trim().min(2).max(30).nullish(),
  startsAt: z.date().nullish(),
  endsAt: z.date().nullish(),
  milestones: z.array(milestoneSchema).max(30).nullish(),
})

interface Origin {
  communityId: string
  needId: string | null
  agreementItemId: string | null
  units: string[]
}

/** Where a project comes from: the approved claim's need and unit, or the item's agreement and units. */
async function origin(ctx: Context, data: z.output<typeof createSchema>): Promise<Origin> {
  if (!!data.needClaimId === !!data.agreementItemId)
    throw new ValidationFailedError([
      { path: 'needClaimId', message: 'give either an approved need claim or an agreement item' },
    ])
  if (data.needClaimId) {
    const claim = await ctx.prisma.needClaim.findUnique({
      where: { id: data.needClaimId },
      include: { need: { select: { id: true, communityId: true, status: true } } },
    })
    if (!claim || !(await ctx.access.managesRegion(claim.need.communityId)))
      throw new NotFoundError('NeedClaim', data.needClaimId)
    if (claim.status !== 'APPROVED') throw new InvalidTransitionError('NeedClaim', claim.status, 'START_PROJECT')
    if (data.communityId && data.communityId !== claim.need.communityId)
      throw new ValidationFailedError([{ path: 'communityId', message: 'the need is in another community' }])
    return { communityId: claim.need.communityId, needId: claim.need.id, agreementItemId: null, units: [claim.unitId] }
  }
  const item = await ctx.reader.agreementItem.findUnique({ where: { id: data.agreementItemId! } })
  if (!item) throw new NotFoundError('AgreementItem', data.agreementItemId!)
  const a = await findAgreement(ctx, item.agreementId)
  if (a.status !== 'ACTIVE') throw new InvalidTransitionError('JointAgreement', a.status, 'START_PROJECT')
  if (item.cancelledAt) throw new ValidationFailedError([{ path: 'agreementItemId', message: 'the item is cancelled' }])
  const region = await ctx.prisma.region.findUniqueOrThrow({
    where: { id: a.regionId },
    select: { level: true, path: true },
  })
  const communityId = data.communityId ?? (region.level === 'COMMUNITY' ? a.regionId : null)
  if (!communityId)
    throw new ValidationFailedError([
      { path: 'communityId', message: "a street agreement's project names its community" },
    ])
  const community = await ctx.prisma.region.findUnique({
    where: { id: communityId },
    select: { level: true, path: true },
  })
  if (community?.level !== 'COMMUNITY' || !community.path.startsWith(region.path))
    throw new ValidationFailedError([{ path: 'communityId', message: "not a community of the agreement's area" }])
  return {
    communityId,
    needId: null,
    agreementItemId: item.id,
    units: item.unitId ? [item.unitId] : a.parties.map((p) => p.unitId),
  }
}

export async function createProject(ctx: Context, input: z.input<typeof createSchema>): Promise<Project> {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(createSchema, input)
  const from = await origin(ctx, data)
  const verdict = check(
    PROJECT_TRANSITIONS,
    'CREATE',
    'NEW',
    (await ctx.access.managesRegion(from.communityId)) ? ['OFFICER'] : [],
  )
  if (!verdict.ok) throw refusal('Project', 'NEW', 'CREATE', verdict.reason)
  if (data.startsAt && data.endsAt && data.endsAt <= data.startsAt)
    throw new ValidationFailedError([{ path: 'endsAt', message: 'must be after startsAt' }])
  const ids = [...new Set(data.resourceIds)]
  // resources of the units involved, or ones the community's claim on was approved; read as the
  // viewer, so that one they may not read is answered as one that is neither
  const resources = await ctx.reader.resourceItem.findMany({
    where: {
      id: { in: ids },
      OR: [{ unitId: { in: from.units } }, { claims: { some: { communityId: from.communityId, status: 'APPROVED' } } }],
    },
    select: { id: true, status: true },
  })
  for (const [i, id] of ids.entries()) {
    const r = resources.find((x) => x.id === id)
    if (!r)
      throw new ValidationFailedError([
        { path: `resourceIds.${i}`, message: 'not a resource of the units involved, nor one claimed by the community' },
      ])
    if (r.status !== 'AVAILABLE' && r.status !== 'CLAIMED')
      throw new ValidationFailedError([{ path: `resourceIds.${i}`, message: `the resource is ${r.status}` }])
  }
  return ctx.prisma.$transaction(async (tx) => {
    const p = await tx.project.create({
      data: {
        title: data.title,
        description: data.description ?? null,
        communityId: from.communityId,
        needId: from.needId,
        agreementItemId: from.agreementItemId,
        leadName: data.leadName ?? null,
        startsAt: data.startsAt ?? null,
        endsAt: data.endsAt ?? null,
        createdById: viewer.userId,
      },
    })
    await tx.projectResource.createMany({ data: ids.map((resourceId) => ({ projectId: p.id, resourceId })) })
    if (data.milestones?.length)
      await tx.projectMilestone.createMany({
        data: data.milestones.map((m, sortOrder) => ({
          projectId: p.id,
          title: m.title,
          dueAt: m.dueAt ?? null,
          sortOrder,
        })),
      })
    // the resources are taken under this transaction: a concurrent project gets none of them
    if ((await moveResources(tx, ids, 'USE')) !== ids.length)
      throw new InvalidTransitionError('ResourceItem', 'IN_USE', 'USE')
    if (from.needId && !(await moveNeed(tx, from.needId, 'START'))) {
      const need = await tx.needItem.findUniqueOrThrow({ where: { id: from.needId }, select: { status: true } })
      throw new InvalidTransitionError('NeedItem', need.status, 'START')
    }
    await tx.projectProgress.create({
      data: { projectId: p.id, progress: 0, note: '项目立项 (created)', recordedById: viewer.userId },
    })
    return p
  })
}

// ---------------------------------------------------------------- steps

type Data = Prisma.ProjectUncheckedUpdateManyInput

/**
 * A project's steps (see defineWorkflow). Its timeline, the progress entries, is not the workflow's
 * `log`: `step` below writes each entry after `within`, with the progress the step reached.
 */
const projects = defineWorkflow<ProjectStatus, ProjectAction, ProjectActor, Data, Project>({
  entity: 'Project',
  table: PROJECT_TRANSITIONS,
  read: (ctx, id) => ctx.reader.project.findUnique({ where: { id } }),
  actors: projectActors,
  delegate: (tx) => tx.project,
})

/**
 * Frees the project's resources that no other running project uses (their approved claims lapse); the
 * need is done when it completed.
 */
async function wrapUp(tx: Tx, p: Project, to: ProjectStatus) {
  const linked = await tx.projectResource.findMany({
    where: {
      projectId: p.id,
      resource: {
        projects: { none: { projectId: { not: p.id }, project: { status: { in: ['PLANNED', 'IN_PROGRESS'] } } } },
      },
    },
    select: { resourceId: true },
  })
  await releaseResources(
    tx,
    linked.map((l) => l.resourceId),
    `${to === 'COMPLETED' ? '项目已完成' : '项目已取消'}: ${p.title}`,
  )
  if (!p.needId) return
  if (to === 'COMPLETED') await moveNeed(tx, p.needId, 'FINISH', { closedAt: new Date() })
  else {
    // a cancelled project hands the need back: claimed if a unit's claim stands, open otherwise
    const approved = await tx.needClaim.count({ where: { needId: p.needId, status: 'APPROVED' } })
    await moveNeed(tx, p.needId, 'STOP', {}, approved ? 'CLAIMED' : 'OPEN')
  }
}

/**
 * One project step at the version the client read: `within`, the entry for the timeline and the
 * wrap-up of a finished project run in the step's transaction, in that order.
 */
async function step(
  ctx: Context,
  p: Project,
  actors: ProjectActor[],
  v: number,
  action: ProjectAction,
  opts: StepOptions<Data, ProjectStatus> & { progress?: number; note: string },
  within?: (tx: Tx) => Promise<void>,
) {
  return projects.step(ctx, p, actors, v, action, opts, async (tx, move, updated) => {
    await within?.(tx)
    await tx.projectProgress.create({
      data: {
        projectId: p.id,
        progress: opts.progress ?? p.progress,
        note: opts.note,
        recordedById: ctx.viewer!.userId,
      },
    })
    // the wrap-up moves the need and the resources, never the project itself
    if (move.to === 'COMPLETED' || move.to === 'CANCELLED') await wrapUp(tx, p, move.to)
    return updated
  })
}

/** Columns written when a project reaches `progress`. */
function progressData(p: Project, progress: number): Data {
  const now = new Date()
  return { progress, startedAt: p.startedAt ?? now, ...(progress >= 100 ? { completedAt: now } : {}) }
}

export async function startProject(ctx: Context, input: { id: string; version: number; note?: string | null }) {
  const data = parseInput(z.object({ id: z.string(), version, note: z.string().trim().max(1000).nullish() }), input)
  const { row: p, actors } = await projects.load(ctx, data.id)
  return step(ctx, p, actors, data.version, 'START', {
    data: { startedAt: new Date() },
    note: data.note ?? '项目启动 (started)',
  })
}

const progressSchema = z.object({
  id: z.string(),
  version,
  progress: z.number().int().min(0, '0–100').max(100, '0–100'),
  note: z.string().trim().min(2, 'say what was done').max(1000),
})

/** The officer or a contributing unit's contact records progress; 100 % completes the project. */
export async function recordProjectProgress(ctx: Context, input: z.input<typeof progressSchema>) {
  const data = parseInput(progressSchema, input)
  const { row: p, actors } = await projects.load(ctx, data.id)
  return step(ctx, p, actors, data.version, 'PROGRESS', {
    to: projectStateAt(data.progress),
    data: progressData(p, data.progress),
    progress: data.progress,
    note: data.note,
  })
}

export async function addProjectMilestone(
  ctx: Context,
  input: { id: string; version: number; title: string; dueAt?: Date | null },
) {
  const data = parseInput(milestoneSchema.extend({ id: z.string(), version }), input)
  const { row: p, actors } = await projects.load(ctx, data.id)
  const last = await ctx.prisma.projectMilestone.findFirst({
    where: { projectId: p.id },
    orderBy: { sortOrder: 'desc' },
    select: { sortOrder: true },
  })
  return step(
    ctx,
    p,
    actors,
    data.version,
    'ADD_MILESTONE',
    { note: `新增节点 (milestone added): ${data.title}` },
    async (tx) => {
      await tx.projectMilestone.create({
        data: { projectId: p.id, title: data.title, dueAt: data.dueAt ?? null, sortOrder: (last?.sortOrder ?? -1) + 1 },
      })
    },
  )
}

/** Marks a milestone done; the progress rises to the share of milestones done (100 % completes the project). */
export async function completeProjectMilestone(ctx: Context, input: { milestoneId: string; version: number }) {
  const data = parseInput(z.object({ milestoneId: z.string(), version }), input)
  const m = await ctx.reader.projectMilestone.findUnique({ where: { id: data.milestoneId } })
  if (!m) throw new NotFoundError('ProjectMilestone', data.milestoneId)
  const { row: p, actors } = await projects.load(ctx, m.projectId)
  projects.plan(p, actors, data.version, 'COMPLETE_MILESTONE')
  if (m.doneAt) throw new ValidationFailedError([{ path: 'milestoneId', message: 'the milestone is already done' }])
  const [done, total] = await Promise.all([
    ctx.prisma.projectMilestone.count({ where: { projectId: p.id, doneAt: { not: null } } }),
    ctx.prisma.projectMilestone.count({ where: { projectId: p.id } }),
  ])
  const progress = Math.max(p.progress, milestoneShare(done + 1, total))
  return step(
    ctx,
    p,
    actors,
    data.version,
    'COMPLETE_MILESTONE',
    {
      to: projectStateAt(progress),
      data: progressData(p, progress),
      progress,
      note: `完成节点 (milestone done): ${m.title}`,
    },
    async (tx) => {
      const { count } = await tx.projectMilestone.updateMany({
        where: { id: m.id, doneAt: null },
        data: { doneAt: new Date(), version: { increment: 1 } },
      })
      if (count !== 1)
        throw new ValidationFailedError([{ path: 'milestoneId', message: 'the milestone is already done' }])
    },
  )
}

export async function cancelProject(ctx: Context, input: { id: string; version: number; reason: string }) {
  const data = parseInput(z.object({ id: z.string(), version, reason }), input)
  const { row: p, actors } = await projects.load(ctx, data.id)
  return step(ctx, p, actors, data.version, 'CANCEL', {
    data: { cancelReason: data.reason },
    note: `项目取消 (cancelled): ${data.reason}`,
  })
}
