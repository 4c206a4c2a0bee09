// Fulfilment of pledges (履诺): service records credited to members and unit organisations, the
// member's yearly service record, the feedback a community sends to the workplace party
// organisation (表现反馈), and coverage statistics per community.
//
// The link to the work that produced a record is (kind, sourceId): ACTIVITY_HOURS → the volunteer
// module's ActivitySignup, MICRO_WISH → its MicroWish, CASE_HELP → a Case. `creditService` is what
// those modules call inside their own transaction (e.g. when a signup completes); it is idempotent
// per source and member, so "credit exactly once" holds under retries.
import { z } from 'zod'
import type { Context } from '../../context.js'
import { mapPrismaError, type PrismaClient, type Tx } from '../../db.js'
import type { Prisma, ServiceRecordKind } from '../../generated/prisma/client.js'
import { NO_ROWS, officerRegions } from '../../auth/policy.js'
import { hasRole, isAdmin, OFFICER_ROLES } from '../../auth/viewer.js'
import { countBy, unitsPerCommunity } from '../../shared/count-by.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { parseInput } from '../../shared/validate.js'
import { canManageMember } from './party.access.js'
import { commitmentMet, serviceYear } from './transitions.js'

// ---------------------------------------------------------------- crediting

export interface ServiceCredit {
  kind: ServiceRecordKind
  sourceId: string
  memberId?: string | null
  unitOrgId?: string | null
  commitmentId?: string | null
  hours: number
  occurredAt: Date
  communityId?: string | null
  note?: string | null
  recordedById?: string | null
}

/** Credits one piece of service; returns false when that source was already credited to them. */
export async function creditService(db: PrismaClient | Tx, c: ServiceCredit): Promise<boolean> {
  const { count } = await db.serviceRecord.createMany({
    data: [
      {
        kind: c.kind,
        sourceId: c.sourceId,
        memberId: c.memberId ?? null,
        unitOrgId: c.unitOrgId ?? null,
        commitmentId: c.commitmentId ?? null,
        hours: c.hours,
        occurredAt: c.occurredAt,
        year: serviceYear(c.occurredAt),
        communityId: c.communityId ?? null,
        note: c.note ?? null,
        recordedById: c.recordedById ?? null,
      },
    ],
    skipDuplicates: true,
  })
  return count === 1
}

const recordSchema = z.object({
  kind: z.enum(['ACTIVITY_HOURS', 'MICRO_WISH', 'CASE_HELP']),
  sourceId: z.uuid('not an id'),
  memberId: z.string().nullish(),
  unitOrgId: z.string().nullish(),
  commitmentId: z.string().nullish(),
  hours: z.number().min(0).max(24, 'at most 24 hours per record'),
  occurredAt: z.date().refine((d) => d.getTime() <= Date.now() + 5 * 60_000, 'must not be in the future'),
  note: z.string().trim().max(500).nullish(),
})

/**
 * Records service by hand (community officers of the member's or unit's community): help on a
 * case they can see, or — until the volunteer module records them itself — activity hours and
 * micro-wishes from the community's own sheets, keyed by the source's id.
 */
export async function recordPartyService(ctx: Context, input: z.input<typeof recordSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(recordSchema, input)
  if (!data.memberId === !data.unitOrgId)
    throw new ValidationFailedError([
      { path: 'memberId', message: 'credit either a member or a unit party organisation' },
    ])
  if (data.kind === 'ACTIVITY_HOURS' && data.hours <= 0)
    throw new ValidationFailedError([{ path: 'hours', message: 'activity hours must be more than 0' }])
  let communityId: string | null
  if (data.memberId) {
    const member = await ctx.reader.partyMember.findUnique({ where: { id: data.memberId } })
    if (!member) throw new NotFoundError('PartyMember', data.memberId)
    if (!(await canManageMember(ctx, member)))
      throw new ForbiddenError("Community officers of the member's community record their service")
    communityId = member.homeCommunityId
  } else {
    const org = await ctx.prisma.partyOrg.findUnique({ where: { id: data.unitOrgId! } })
    if (org?.level !== 'UNIT_ORG') throw new NotFoundError('PartyOrg', data.unitOrgId!)
    if (!isAdmin(viewer) && !(await ctx.access.officerOf(org.regionId, 'COMMUNITY_OFFICER')))
      throw new ForbiddenError("Community officers of the unit's community record its service")
    communityId = org.regionId
  }
  if (data.kind === 'CASE_HELP') {
    const c = await ctx.reader.case.findUnique({ where: { id: data.sourceId }, select: { regionId: true } })
    if (!c) throw new ValidationFailedError([{ path: 'sourceId', message: 'no case of yours with this id' }])
    communityId = c.regionId
  }
  if (data.commitmentId) {
    // through the reader: a pledge on a report the viewer may not read is answered as none at all
    const commitment = await ctx.reader.commitment.findUnique({
      where: { id: data.commitmentId },
      include: { report: { select: { memberId: true, unitOrgId: true, communityId: true } } },
    })
    const owner = data.memberId
      ? commitment?.report.memberId === data.memberId
      : commitment?.report.unitOrgId === data.unitOrgId
    if (!commitment || !owner || commitment.cancelledAt)
      throw new ValidationFailedError([{ path: 'commitmentId', message: 'not an open pledge of theirs' }])
    if (commitment.year !== serviceYear(data.occurredAt))
      throw new ValidationFailedError([{ path: 'commitmentId', message: `the pledge is for ${commitment.year}` }])
    communityId = commitment.report.communityId
  }
  const credited = await creditService(ctx.prisma, { ...data, communityId, recordedById: viewer.userId })
  if (!credited) throw new ConflictError('This source is already credited to them')
  return ctx.prisma.serviceRecord.findFirstOrThrow({
    where: {
      kind: data.kind,
      sourceId: data.sourceId,
      ...(data.memberId ? { memberId: data.memberId } : { unitOrgId: data.unitOrgId }),
    },
  })
}

// ---------------------------------------------------------------- yearly record

export interface YearRecord {
  memberId: string
  year: number
  hours: number
  activities: number
  activityHours: number
  wishesFulfilled: number
  casesHelped: number
  hoursPledged: number
  commitmentsTotal: number
  commitmentsMet: number
  commitments: { commitmentId: string; hoursPerYear: number | null; hoursDone: number; records: number; met: boolean }[]
}

/**
 * Sums a member's service of one year against the year's open pledges. `db` is the viewer's reader
 * for a record shown to them (the pledges they may read), the trusted client for stored figures.
 */
async function sumYear(
  db: Pick<PrismaClient, 'serviceRecord' | 'commitment'>,
  memberId: string,
  year: number,
): Promise<YearRecord> {
  const [records, commitments] = await Promise.all([
    db.serviceRecord.findMany({ where: { memberId, year }, select: { kind: true, hours: true, commitmentId: true } }),
    db.commitment.findMany({
      where: { year, cancelledAt: null, report: { memberId } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, hoursPerYear: true },
    }),
  ])
  const of = (kind: ServiceRecordKind) => records.filter((r) => r.kind === kind)
  const progress = commitments.map((c) => {
    const linked = records.filter((r) => r.commitmentId === c.id)
    const p = {
      commitmentId: c.id,
      hoursPerYear: c.hoursPerYear,
      hoursDone: linked.reduce((s, r) => s + r.hours, 0),
      records: linked.length,
    }
    return { ...p, met: commitmentMet(p) }
  })
  return {
    memberId,
    year,
    hours: records.reduce((s, r) => s + r.hours, 0),
    activities: of('ACTIVITY_HOURS').length,
    activityHours: of('ACTIVITY_HOURS').reduce((s, r) => s + r.hours, 0),
    wishesFulfilled: of('MICRO_WISH').length,
    casesHelped: of('CASE_HELP').length,
    hoursPledged: commitments.reduce((s, c) => s + (c.hoursPerYear ?? 0), 0),
    commitmentsTotal: progress.length,
    commitmentsMet: progress.filter((p) => p.met).length,
    commitments: progress,
  }
}

/**
 * A member's yearly service record: the member, community officers of their region (street
 * officers read their street), and the contacts of the unit they work for. Anyone else is refused.
 */
export async function memberYearRecord(ctx: Context, memberId: string, year?: number | null): Promise<YearRecord> {
  // a member the viewer may not read, or none at all: the same answer
  const member = await ctx.reader.partyMember.findUnique({ where: { id: memberId }, select: { id: true } })
  if (!member) throw new ForbiddenError('Only the member, their community and their workplace read this record')
  return yearRecord(ctx, member.id, year)
}

/** The yearly record of a member the viewer has read, as the viewer may read it. */
export async function yearRecord(ctx: Context, memberId: string, year?: number | null): Promise<YearRecord> {
  const y = year ?? serviceYear(new Date())
  if (y < 2000 || y > 2100) throw new ValidationFailedError([{ path: 'year', message: 'not a plausible year' }])
  return sumYear(ctx.reader, memberId, y)
}

// ---------------------------------------------------------------- feedback to the workplace (表现反馈)

const feedbackSchema = z.object({
  memberId: z.string(),
  year: z.number().int().min(2000).max(2100),
  communityId: z.string().nullish(),
  rating: z.enum(['EXCELLENT', 'GOOD', 'FAIR', 'POOR']),
  comment: z.string().trim().min(2, 'say something about the service').max(2000),
})

/** A community officer sends the year's feedback on a member approved into their community. */
export async function sendPerformanceFeedback(ctx: Context, input: z.input<typeof feedbackSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(feedbackSchema, input)
  if (data.year > serviceYear(new Date()))
    throw new ValidationFailedError([{ path: 'year', message: 'the year has not begun' }])
  const member = await ctx.reader.partyMember.findUnique({ where: { id: data.memberId } })
  if (!member) throw new NotFoundError('PartyMember', data.memberId)
  // through the reader: a report the viewer may not read is answered as none at all; without a
  // community, the latest service in one the officer serves (they may read others: one they submitted)
  const theirs = !data.communityId && !isAdmin(viewer) ? officerRegions(viewer) : null
  const served = await ctx.reader.dualReport.findFirst({
    where: {
      memberId: member.id,
      decidedAt: { not: null },
      status: { in: ['APPROVED', 'WITHDRAWN', 'TRANSFERRED'] },
      ...(data.communityId ? { communityId: data.communityId } : {}),
      ...(theirs ? { community: theirs } : {}),
    },
    orderBy: [{ status: 'asc' }, { decidedAt: 'desc' }],
  })
  if (!served)
    throw new ValidationFailedError([
      { path: 'communityId', message: 'the member was never approved into that community' },
    ])
  if (!isAdmin(viewer) && !(await ctx.access.officerOf(served.communityId, 'COMMUNITY_OFFICER')))
    throw new ForbiddenError('Community officers of the community the member served send the feedback')
  if (!member.orgId)
    throw new ValidationFailedError([
      { path: 'memberId', message: "the member's workplace party organisation is not on record" },
    ])
  const record = await sumYear(ctx.prisma, member.id, data.year)
  return ctx.prisma.performanceFeedback
    .create({
      data: {
        memberId: member.id,
        year: data.year,
        communityId: served.communityId,
        toOrgId: member.orgId,
        rating: data.rating,
        comment: data.comment,
        hours: record.hours,
        activities: record.activities,
        wishesFulfilled: record.wishesFulfilled,
        casesHelped: record.casesHelped,
        commitmentsMet: record.commitmentsMet,
        commitmentsTotal: record.commitmentsTotal,
        sentById: viewer.userId,
      },
    })
    .catch((e) => mapPrismaError(e, 'PerformanceFeedback'))
}

// ---------------------------------------------------------------- coverage (覆盖率)

export interface Coverage {
  communityId: string
  membersKnown: number
  membersReported: number
  unitsInArea: number
  unitsReported: number
  pendingReports: number
}

/** Per community of the viewer's region (optionally inside `withinId`): who is reported of whom we know. */
export async function partyCoverage(ctx: Context, withinId?: string | null): Promise<Coverage[]> {
  const v = ctx.access.requireViewer()
  if (!isAdmin(v) && !hasRole(v, ...OFFICER_ROLES)) throw new ForbiddenError('Officers read coverage statistics')
  const within = withinId
    ? await ctx.prisma.region.findUnique({ where: { id: withinId }, select: { path: true } })
    : null
  if (withinId && !within) throw new NotFoundError('Region', withinId)
  const communities = await ctx.prisma.region.findMany({
    where: {
      AND: [
        { level: 'COMMUNITY' },
        isAdmin(v) ? {} : (officerRegions(v) ?? NO_ROWS),
        within ? { path: { startsWith: within.path } } : {},
      ],
    },
    orderBy: { code: 'asc' },
    select: { id: true },
  })
  const ids = communities.map((c) => c.id)
  const approved: Prisma.DualReportWhereInput = { status: 'APPROVED', communityId: { in: ids } }
  const [known, reported, units, unitsReported, pending] = await Promise.all([
    ctx.prisma.partyMember.groupBy({
      by: ['homeCommunityId'],
      where: { active: true, homeCommunityId: { in: ids } },
      _count: { _all: true },
    }),
    ctx.prisma.dualReport.groupBy({
      by: ['communityId'],
      where: { ...approved, kind: 'MEMBER', member: { active: true } },
      _count: { _all: true },
    }),
    unitsPerCommunity(ctx.prisma, ids),
    unitsPerCommunity(ctx.prisma, ids, { partyOrgs: { some: { unitReports: { some: { status: 'APPROVED' } } } } }),
    ctx.prisma.dualReport.groupBy({
      by: ['communityId'],
      where: { status: 'SUBMITTED', communityId: { in: ids } },
      _count: { _all: true },
    }),
  ])
  const [k, r, p] = [
    countBy(known, 'homeCommunityId'),
    countBy(reported, 'communityId'),
    countBy(pending, 'communityId'),
  ]
  return ids.map((id) => ({
    communityId: id,
    membersKnown: k.get(id) ?? 0,
    membersReported: r.get(id) ?? 0,
    unitsInArea: units.get(id) ?? 0,
    unitsReported: unitsReported.get(id) ?? 0,
    pendingReports: p.get(id) ?? 0,
  }))
}
