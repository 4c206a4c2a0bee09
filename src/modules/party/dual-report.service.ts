// Dual reporting (双报到): submitted by the member, the unit's contact or a community officer on
// their behalf; approved into a grid and its party branch (编入网格), rejected with a reason,
// withdrawn, or transferred when the member moves house; pledges (亮承诺) added and cancelled.
// Every step is checked against REPORT_TRANSITIONS, applied with optimistic concurrency, logged in
// the report's timeline in the same transaction and published after commit.
import { z } from 'zod'
import type { Context } from '../../context.js'
import { type Prisma, type Tx, isUniqueViolation } from '../../db.js'
import type { DualReport, DualReportKind, DualReportStatus, PartyOrg } from '../../generated/prisma/client.js'
import type { ReportAudience } from '../../pubsub.js'
import { announce } from '../../shared/announce.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { check, defineWorkflow, refusal } from '../../shared/state-machine.js'
import { newId } from '../../shared/ids.js'
import { parseInput } from '../../shared/validate.js'
import { ActiveReportExistsError } from './party.errors.js'
import { REPORT_PARTIES, reportActors } from './party.access.js'
import { resolveHome } from './party.service.js'
import { REPORT_TRANSITIONS, serviceYear, type ReportAction, type ReportActor } from './transitions.js'

const version = z.number().int().min(0)
const note = z.string().trim().max(1000).nullish()
const reason = z.string().trim().min(2, 'give a reason').max(1000)

/** Shown on the public card when the approving officer names no other role. */
const DEFAULT_ROLE: Record<DualReportKind, string> = { MEMBER: '在职党员', UNIT: '共建单位' }

// ---------------------------------------------------------------- timeline and notifications

async function appendReportEvent(
  tx: Tx,
  e: {
    reportId: string
    actorId: string | null
    action: string
    from: string | null
    to: string | null
    note?: string | null
  },
) {
  await tx.dualReportEvent.create({
    data: {
      reportId: e.reportId,
      actorId: e.actorId,
      action: e.action,
      fromStatus: e.from,
      toStatus: e.to,
      note: e.note ?? null,
    },
  })
}

/** Officers of every region above the community, the member's account, the unit concerned. */
async function audiences(ctx: Context, reportId: string): Promise<ReportAudience[]> {
  const r = await ctx.prisma.dualReport.findUniqueOrThrow({
    where: { id: reportId },
    select: {
      community: { select: { path: true } },
      member: { select: { userId: true, workUnitId: true } },
      unitOrg: { select: { unitId: true } },
    },
  })
  const out: ReportAudience[] = r.community.path
    .split('/')
    .filter(Boolean)
    .map((id) => `region:${id}` as const)
  if (r.member?.userId) out.push(`user:${r.member.userId}`)
  const unit = r.unitOrg?.unitId ?? r.member?.workUnitId
  if (unit) out.push(`unit:${unit}`)
  return out
}

/** Publishes after commit: call once the transaction has resolved (a failure is logged: see announce). */
async function publishReports(ctx: Context, ...reportIds: string[]) {
  await announce(ctx.log, 'DualReport', async () => {
    for (const id of reportIds) for (const a of await audiences(ctx, id)) ctx.pubsub.publish('party:report', a, { id })
  })
}

// ---------------------------------------------------------------- loading and applying

/**
 * Each step of a report's life is planned and applied at the version the client read (see
 * defineWorkflow): the timeline event and `within` run in the step's transaction; the report is
 * published after commit.
 */
const { plan, step, load, inputStep } = defineWorkflow<
  DualReportStatus,
  ReportAction,
  ReportActor,
  Prisma.DualReportUncheckedUpdateManyInput,
  Prisma.DualReportGetPayload<{ include: typeof REPORT_PARTIES }>,
  DualReport
>({
  entity: 'DualReport',
  table: REPORT_TRANSITIONS,
  read: (ctx, id) => ctx.reader.dualReport.findUnique({ where: { id }, include: REPORT_PARTIES }),
  actors: reportActors,
  delegate: (tx) => tx.dualReport,
  log: (tx, r, e) => appendReportEvent(tx, { reportId: r.id, ...e }),
  publish: (ctx, r) => publishReports(ctx, r.id),
})

/**
 * A unique-index violation on the active slot: name the report that holds it, if the viewer reads it.
 * The slot being taken cannot be hidden (the write fails), but a report the viewer may not read is
 * not named: `existingReportId` is non-null in the schema, so that conflict is the plain `Conflict`
 * (no id, only the community the viewer named). Whoever may submit to a community reads its active
 * reports, so `submitDualReport` always gets ActiveReportExists; only a transfer (by an officer of
 * the old community) can meet a report it may not read.
 */
async function activeReportExists(
  ctx: Context,
  who: { memberId: string | null; unitOrgId: string | null },
  communityId: string,
) {
  const where: Prisma.DualReportWhereInput = {
    communityId,
    activeSlot: true,
    ...(who.memberId ? { memberId: who.memberId } : { unitOrgId: who.unitOrgId }),
  }
  const existing = await ctx.prisma.dualReport.findFirst({
    where,
    include: {
      member: { select: { name: true } },
      unitOrg: { select: { name: true } },
      community: { select: { name: true } },
    },
  })
  if (!existing) return null
  // then by id through the viewer's policy (a policed search first could miss a report committed between the reads)
  const readable = await ctx.reader.dualReport.findUnique({ where: { id: existing.id }, select: { id: true } })
  if (!readable)
    return new ConflictError(
      `${who.memberId ? 'The member' : 'The unit'} already has an active dual report in ${existing.community.name}; withdraw or transfer it first`,
    )
  return new ActiveReportExistsError(
    existing.id,
    existing.member?.name ?? existing.unitOrg?.name ?? 'The reporter',
    existing.community.name,
  )
}

// ---------------------------------------------------------------- commitments

const commitmentSchema = z.object({
  itemId: z.string().nullish(),
  title: z.string().trim().min(2, 'at least 2 characters').max(100).nullish(),
  description: z.string().trim().max(1000).nullish(),
  hoursPerYear: z.number().positive('more than 0').max(2000).nullish(),
})

type CommitmentInput = z.output<typeof commitmentSchema>

/** Checks pledges against the catalogue; members pledge hours per year. */
async function commitmentRows(
  ctx: Context,
  kind: DualReportKind,
  list: CommitmentInput[],
  year: number,
  path = 'commitments',
) {
  const ids = list.flatMap((c) => (c.itemId ? [c.itemId] : []))
  const items = new Map((await ctx.prisma.serviceItem.findMany({ where: { id: { in: ids } } })).map((i) => [i.id, i]))
  return list.map((c, i) => {
    const at = `${path}.${i}`
    const item = c.itemId ? items.get(c.itemId) : null
    if (c.itemId && (!item?.active || (item.forKind && item.forKind !== kind)))
      throw new ValidationFailedError([
        { path: `${at}.itemId`, message: 'not an open catalogue item for this kind of report' },
      ])
    const title = c.title ?? item?.name
    if (!title)
      throw new ValidationFailedError([
        { path: `${at}.title`, message: 'choose a catalogue item or write what you pledge' },
      ])
    if (kind === 'MEMBER' && !c.hoursPerYear)
      throw new ValidationFailedError([{ path: `${at}.hoursPerYear`, message: 'members pledge hours per year' }])
    // ids in pledge order (UUID v7 is monotonic here): the list keeps the order they were given in
    return {
      id: newId(),
      itemId: item?.id ?? null,
      title,
      description: c.description ?? null,
      hoursPerYear: c.hoursPerYear ?? null,
      year,
    }
  })
}

// ---------------------------------------------------------------- submit

const submitSchema = z.object({
  kind: z.enum(['MEMBER', 'UNIT']),
  memberId: z.string().nullish(),
  unitOrgId: z.string().nullish(),
  communityId: z.string().nullish(),
  homeBuildingId: z.string().nullish(),
  commitments: z.array(commitmentSchema).max(20).nullish(),
  note,
})

interface Reporter {
  memberId: string | null
  unitOrgId: string | null
  communityId: string
  /** A member's new home, written with the report. */
  home: Awaited<ReturnType<typeof resolveHome>>
  parties: { member: { userId: string | null } | null; unitOrg: { unitId: string | null } | null }
}

/** A member reports to the community they live in; a new home building moves them there. */
async function memberReporter(ctx: Context, data: z.output<typeof submitSchema>): Promise<Reporter> {
  const member = data.memberId
    ? await ctx.reader.partyMember.findUnique({ where: { id: data.memberId } })
    : ctx.viewer
      ? await ctx.reader.partyMember.findUnique({ where: { userId: ctx.viewer.userId } })
      : null
  if (!member) throw new NotFoundError('PartyMember', data.memberId ?? undefined)
  if (!member.active) throw new ValidationFailedError([{ path: 'memberId', message: 'the member is no longer active' }])
  // a building the viewer may not read is answered as one that does not exist
  let home = await resolveHome(ctx.reader, data.homeBuildingId)
  const communityId = home?.homeCommunityId ?? data.communityId ?? member.homeCommunityId
  if (!communityId)
    throw new ValidationFailedError([{ path: 'communityId', message: 'give the community or the home building' }])
  if (data.communityId && data.communityId !== communityId)
    throw new ValidationFailedError([{ path: 'communityId', message: 'the home building is in another community' }])
  if (!home && member.homeCommunityId && member.homeCommunityId !== communityId) {
    throw new ValidationFailedError([
      { path: 'homeBuildingId', message: 'the member lives in another community: give the new home building' },
    ])
  }
  if (!home && !member.homeCommunityId) home = { homeBuildingId: null, homeGridId: null, homeCommunityId: communityId }
  return {
    memberId: member.id,
    unitOrgId: null,
    communityId,
    home,
    parties: { member: { userId: member.userId }, unitOrg: null },
  }
}

/** A unit's party organisation reports to the community the unit sits in. */
async function unitReporter(ctx: Context, data: z.output<typeof submitSchema>): Promise<Reporter> {
  const unit = ctx.access.contactUnit()
  let org: PartyOrg | null = null
  if (data.unitOrgId) org = await ctx.prisma.partyOrg.findUnique({ where: { id: data.unitOrgId } })
  else if (unit)
    org = await ctx.prisma.partyOrg.findFirst({
      where: { unitId: unit, level: 'UNIT_ORG', active: true },
      orderBy: { createdAt: 'asc' },
    })
  else throw new ValidationFailedError([{ path: 'unitOrgId', message: 'name the unit party organisation' }])
  if (!org) throw new NotFoundError('PartyOrg', data.unitOrgId ?? undefined)
  if (org.level !== 'UNIT_ORG' || !org.active)
    throw new ValidationFailedError([{ path: 'unitOrgId', message: 'not an active unit party organisation' }])
  if (data.communityId && data.communityId !== org.regionId)
    throw new ValidationFailedError([{ path: 'communityId', message: 'a unit reports to the community it sits in' }])
  return {
    memberId: null,
    unitOrgId: org.id,
    communityId: org.regionId,
    home: null,
    parties: { member: null, unitOrg: { unitId: org.unitId } },
  }
}

export async function submitDualReport(ctx: Context, input: z.input<typeof submitSchema>): Promise<DualReport> {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(submitSchema, input)
  const who = data.kind === 'MEMBER' ? await memberReporter(ctx, data) : await unitReporter(ctx, data)
  const verdict = check(
    REPORT_TRANSITIONS,
    'SUBMIT',
    'NEW',
    await reportActors(ctx, { communityId: who.communityId, ...who.parties }),
  )
  if (!verdict.ok) throw refusal('DualReport', 'NEW', 'SUBMIT', verdict.reason)
  const community = await ctx.prisma.region.findUnique({ where: { id: who.communityId } })
  if (community?.level !== 'COMMUNITY')
    throw new ValidationFailedError([{ path: 'communityId', message: 'not a community' }])
  const commitments = await commitmentRows(ctx, data.kind, data.commitments ?? [], serviceYear(new Date()))
  const duplicate = await activeReportExists(ctx, who, who.communityId)
  if (duplicate) throw duplicate
  try {
    const report = await ctx.prisma.$transaction(async (tx) => {
      if (who.memberId && who.home)
        await tx.partyMember.update({ where: { id: who.memberId }, data: { ...who.home, version: { increment: 1 } } })
      const r = await tx.dualReport.create({
        data: {
          kind: data.kind,
          memberId: who.memberId,
          unitOrgId: who.unitOrgId,
          communityId: who.communityId,
          submittedById: viewer.userId,
        },
      })
      if (commitments.length)
        await tx.commitment.createMany({ data: commitments.map((c) => ({ ...c, reportId: r.id })) })
      await appendReportEvent(tx, {
        reportId: r.id,
        actorId: viewer.userId,
        action: 'SUBMIT',
        from: null,
        to: 'SUBMITTED',
        note: data.note,
      })
      return r
    })
    await publishReports(ctx, report.id)
    return report
  } catch (e) {
    // a concurrent submission won the active slot
    if (isUniqueViolation(e)) throw (await activeReportExists(ctx, who, who.communityId)) ?? e
    throw e
  }
}

// ---------------------------------------------------------------- decide, withdraw, transfer

export async function approveDualReport(
  ctx: Context,
  input: {
    id: string
    version: number
    gridId: string
    branchId?: string | null
    serviceRole?: string | null
    note?: string | null
  },
) {
  const data = parseInput(
    z.object({
      id: z.string(),
      version,
      gridId: z.string(),
      branchId: z.string().nullish(),
      serviceRole: z.string().trim().min(2).max(30).nullish(),
      note,
    }),
    input,
  )
  const { row: r, actors } = await load(ctx, data.id)
  plan(r, actors, data.version, 'APPROVE') // refuse before looking at the assignment
  const grid = await ctx.prisma.grid.findUnique({ where: { id: data.gridId } })
  if (!grid || grid.communityId !== r.communityId)
    throw new ValidationFailedError([{ path: 'gridId', message: "the grid is not in the report's community" }])
  let branch: PartyOrg | null = null
  if (r.kind === 'MEMBER') {
    branch = data.branchId
      ? await ctx.prisma.partyOrg.findUnique({ where: { id: data.branchId } })
      : await ctx.prisma.partyOrg.findFirst({
          where: { gridId: grid.id, level: 'GRID_BRANCH', active: true },
          orderBy: { createdAt: 'asc' },
        })
    if (branch?.level !== 'GRID_BRANCH' || !branch.active || branch.gridId !== grid.id) {
      throw new ValidationFailedError([
        {
          path: 'branchId',
          message: data.branchId
            ? 'not an active party branch of this grid'
            : 'the grid has no party branch yet: create one or name one',
        },
      ])
    }
  } else if (data.branchId) {
    throw new ValidationFailedError([{ path: 'branchId', message: 'a unit report joins no grid branch' }])
  }
  return step(ctx, r, actors, data.version, 'APPROVE', {
    note: [grid.name, branch?.name].filter(Boolean).join(' · ') + (data.note ? `: ${data.note}` : ''),
    data: {
      gridId: grid.id,
      branchId: branch?.id ?? null,
      serviceRole: data.serviceRole ?? DEFAULT_ROLE[r.kind],
      decidedById: ctx.viewer?.userId ?? null,
      decidedAt: new Date(),
    },
  })
}

export async function rejectDualReport(ctx: Context, input: { id: string; version: number; reason: string }) {
  const data = parseInput(z.object({ id: z.string(), version, reason }), input)
  const { row: r, actors } = await load(ctx, data.id)
  const now = new Date()
  return step(ctx, r, actors, data.version, 'REJECT', {
    note: data.reason,
    data: {
      reason: data.reason,
      decidedById: ctx.viewer?.userId ?? null,
      decidedAt: now,
      closedAt: now,
      activeSlot: null,
    },
  })
}

export const withdrawDualReport = inputStep(
  z.object({ id: z.string(), version, reason: reason.nullish() }),
  'WITHDRAW',
  (data) => ({ note: data.reason, data: { reason: data.reason ?? null, closedAt: new Date(), activeSlot: null } }),
)

/**
 * The member moves house (搬家转接): the approved report closes as TRANSFERRED and a new one is
 * submitted to the community of the new home, carrying this year's open pledges; the new
 * community's officers approve it into one of their grids.
 */
export async function transferDualReport(
  ctx: Context,
  input: { id: string; version: number; homeBuildingId: string; note?: string | null },
) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(z.object({ id: z.string(), version, homeBuildingId: z.string(), note }), input)
  const { row: r, actors } = await load(ctx, data.id)
  plan(r, actors, data.version, 'TRANSFER')
  if (r.kind !== 'MEMBER' || !r.memberId)
    throw new ValidationFailedError([{ path: 'id', message: "only a member's report moves with the member" }])
  const memberId = r.memberId
  // trusted on purpose: the member moves to another community, whose buildings the old one's officers may not read
  const home = (await resolveHome(ctx.prisma, data.homeBuildingId))!
  const [from, to] = await Promise.all(
    [r.communityId, home.homeCommunityId!].map((id) =>
      ctx.prisma.region.findUniqueOrThrow({ where: { id }, select: { name: true } }),
    ),
  )
  try {
    const next = await step(
      ctx,
      r,
      actors,
      data.version,
      'TRANSFER',
      {
        note: `→ ${to!.name}${data.note ? `: ${data.note}` : ''}`,
        data: { closedAt: new Date(), activeSlot: null },
      },
      async (tx) => {
        await tx.partyMember.update({ where: { id: memberId }, data: { ...home, version: { increment: 1 } } })
        const created = await tx.dualReport.create({
          data: {
            kind: 'MEMBER',
            memberId,
            communityId: home.homeCommunityId!,
            submittedById: viewer.userId,
            transferredFromId: r.id,
          },
        })
        const open = await tx.commitment.findMany({
          where: { reportId: r.id, cancelledAt: null, year: { gte: serviceYear(new Date()) } },
        })
        if (open.length) {
          await tx.commitment.createMany({
            data: open.map((c) => ({
              reportId: created.id,
              itemId: c.itemId,
              title: c.title,
              description: c.description,
              hoursPerYear: c.hoursPerYear,
              year: c.year,
            })),
          })
        }
        await appendReportEvent(tx, {
          reportId: created.id,
          actorId: viewer.userId,
          action: 'SUBMIT',
          from: null,
          to: 'SUBMITTED',
          note: `transferred from ${from!.name}`,
        })
        return created
      },
    )
    await publishReports(ctx, next.id)
    return next
  } catch (e) {
    if (isUniqueViolation(e))
      throw (await activeReportExists(ctx, { memberId, unitOrgId: null }, home.homeCommunityId!)) ?? e
    throw e
  }
}

// ---------------------------------------------------------------- pledges (亮承诺)

export async function pledgeCommitment(
  ctx: Context,
  input: { reportId: string; version: number; year?: number | null } & z.input<typeof commitmentSchema>,
) {
  const data = parseInput(
    commitmentSchema.extend({ reportId: z.string(), version, year: z.number().int().min(2000).max(2100).nullish() }),
    input,
  )
  const { row: r, actors } = await load(ctx, data.reportId)
  plan(r, actors, data.version, 'PLEDGE')
  const current = serviceYear(new Date())
  const year = data.year ?? current
  if (year < current)
    throw new ValidationFailedError([{ path: 'year', message: 'pledges are for this year or a later one' }])
  const [row] = await commitmentRows(ctx, r.kind, [data], year, 'input')
  return step(
    ctx,
    r,
    actors,
    data.version,
    'PLEDGE',
    {
      note: `${row!.title}${row!.hoursPerYear ? ` (${row!.hoursPerYear} h/${year})` : ''}`,
    },
    async (tx, _move, updated) => {
      await tx.commitment.create({ data: { ...row!, reportId: r.id } })
      return updated
    },
  )
}

export async function cancelCommitment(ctx: Context, input: { id: string; version: number; reason: string }) {
  const data = parseInput(z.object({ id: z.string(), version, reason }), input)
  const commitment = await ctx.reader.commitment.findUnique({ where: { id: data.id } })
  if (!commitment) throw new NotFoundError('Commitment', data.id)
  const { row: r, actors } = await load(ctx, commitment.reportId)
  return step(
    ctx,
    r,
    actors,
    data.version,
    'UNPLEDGE',
    {
      note: `${commitment.title}: ${data.reason}`,
    },
    async (tx, _move, updated) => {
      const { count } = await tx.commitment.updateMany({
        where: { id: commitment.id, cancelledAt: null },
        data: { cancelledAt: new Date(), cancelReason: data.reason, version: { increment: 1 } },
      })
      if (count !== 1) throw new ValidationFailedError([{ path: 'id', message: 'the pledge is already cancelled' }])
      return updated
    },
  )
}

/** Subscription guard: officers watch a region of theirs; everyone else their own reports. */
export async function subscribeReports(ctx: Context, regionId: string | null) {
  const viewer = ctx.access.requireViewer()
  if (regionId) {
    if (!(await ctx.prisma.region.findUnique({ where: { id: regionId }, select: { id: true } })))
      throw new NotFoundError('Region', regionId)
    if (!(await ctx.access.managesRegion(regionId)))
      throw new ForbiddenError('You can only watch the reports of your own region')
    return ctx.pubsub.subscribe('party:report', `region:${regionId}`)
  }
  const unit = ctx.access.contactUnit()
  return ctx.pubsub.subscribe('party:report', unit ? `unit:${unit}` : `user:${viewer.userId}`)
}
