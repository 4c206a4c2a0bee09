// The assessment figures computed the other way round: every row read with the Prisma client (no
// SQL of ours), filtered and counted in JavaScript, from the definitions in the schema's
// descriptions. The tests hold each figure the API returns to these.
import { expect } from 'vitest'
import type { TestApp } from '../../helpers/app.js'
import { rowId } from '../../helpers/fixtures.js'

export const HOUR = 3_600_000
export const DAY = 24 * HOUR

/** The calendar day in Shanghai (UTC+8) of an instant, `YYYY-MM-DD`. */
export const shanghaiDay = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10)
/** 00:00 in Shanghai of a day. */
export const shanghaiMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`)

export interface Range {
  from: Date
  to: Date
}
/** The range a `{ startDate, endDate }` period covers. */
export const dayRange = (startDate: string, endDate: string): Range => ({
  from: shanghaiMidnight(startDate),
  to: new Date(shanghaiMidnight(endDate).getTime() + DAY),
})

const within = (d: Date, r: Range) => d.getTime() >= r.from.getTime() && d.getTime() < r.to.getTime()
const pct = (n: number, d: number) => (d === 0 ? null : (100 * n) / d)
const byTime = (a: Date, b: Date) => a.getTime() - b.getTime()

/** Each expected figure against the API's: fractions to 6 decimals, the rest exactly; `label` names the row. */
export function expectFigures(got: Record<string, unknown>, figures: Record<string, unknown>, label: string) {
  for (const [k, v] of Object.entries(figures)) {
    if (typeof v === 'number' && !Number.isInteger(v)) expect(got[k], `${label}.${k}`).toBeCloseTo(v, 6)
    else expect(got[k], `${label}.${k}`).toEqual(v)
  }
}

/** The continuous median (percentile_cont 0.5). */
export function median(xs: number[]): number | null {
  if (!xs.length) return null
  const s = [...xs].sort((a, b) => a - b)
  const lo = Math.floor((s.length - 1) / 2)
  const hi = Math.ceil((s.length - 1) / 2)
  return (s[lo]! + s[hi]!) / 2
}

/** Places by score, ties sharing one (1, 2, 2, 4); null without a score. */
export function ranks(scores: (number | null)[]): (number | null)[] {
  return scores.map((s) => (s === null ? null : 1 + scores.filter((x) => x !== null && x > s).length))
}

/** The grids whose community lies under a region path. */
async function gridIdsUnder(t: TestApp, path: string): Promise<Set<string>> {
  const regions = await t.prisma.region.findMany({ select: { id: true, path: true } })
  const inside = new Set(regions.filter((r) => r.path.startsWith(path)).map((r) => r.id))
  const grids = await t.prisma.grid.findMany({ select: { id: true, communityId: true } })
  return new Set(grids.filter((g) => inside.has(g.communityId)).map((g) => g.id))
}

// ---------------------------------------------------------------- departments

export type Weights = Record<
  'signedOnTime' | 'completedOnTime' | 'satisfaction' | 'notReturned' | 'notReopened' | 'notSupervised',
  number
>

export interface DepartmentExpected {
  departmentId: string
  ordersReceived: number
  ordersCancelled: number
  ordersCounted: number
  signedOnTimeCount: number
  signingDueCount: number
  signedOnTimePercent: number | null
  completedOnTimeCount: number
  completionDueCount: number
  completedOnTimePercent: number | null
  returnedCount: number
  returnedPercent: number | null
  transferredCount: number
  transferredPercent: number | null
  supervisionCount: number
  supervisionsByLevel: { level: number; count: number }[]
  supervisedOrderCount: number
  supervisedPercent: number | null
  caseCount: number
  reopenedCaseCount: number
  reopenedPercent: number | null
  averageSatisfaction: number | null
  ratingCount: number
  medianHoursToSign: number | null
  medianHoursToComplete: number | null
  /** Unrounded. */
  score: number | null
  scoreBasis: number
}

export async function expectedDepartments(
  t: TestApp,
  regionPath: string,
  range: Range,
  asOf: Date,
  w: Weights,
): Promise<DepartmentExpected[]> {
  const grids = await gridIdsUnder(t, regionPath)
  const every = await t.prisma.dispatchOrder.findMany({
    include: {
      case: { select: { gridId: true } },
      events: { select: { action: true } },
      supervisions: { select: { level: true } },
    },
  })
  const received = every.filter((o) => o.departmentId && within(o.createdAt, range) && grids.has(o.case.gridId))
  const reopenings = await t.prisma.caseEvent.findMany({
    where: { toStatus: 'REOPENED' },
    select: { caseId: true, createdAt: true },
  })
  const feedbacks = await t.prisma.caseFeedback.findMany({
    select: { caseId: true, satisfaction: true, createdAt: true },
  })
  const departments = (await t.prisma.department.findMany({ include: { region: { select: { path: true } } } })).filter(
    (d) =>
      regionPath.startsWith(d.region.path) ||
      d.region.path.startsWith(regionPath) ||
      received.some((o) => o.departmentId === d.id),
  )

  // each rating belongs to the latest lead order, not cancelled, created before it
  const leadOf = (f: { caseId: string; createdAt: Date }) =>
    every
      .filter(
        (o) =>
          o.caseId === f.caseId &&
          o.role === 'LEAD' &&
          o.status !== 'CANCELLED' &&
          o.createdAt.getTime() <= f.createdAt.getTime(),
      )
      .sort((a, b) => byTime(b.createdAt, a.createdAt) || (a.id < b.id ? 1 : -1))[0]

  return departments.map((d) => {
    const mine = received.filter((o) => o.departmentId === d.id)
    const live = mine.filter((o) => o.status !== 'CANCELLED')
    const signedOnTime = live.filter((o) => o.signedAt && o.signedAt.getTime() <= o.signBy.getTime()).length
    const signDue = live.filter((o) => o.signedAt || (o.status === 'CREATED' && o.signBy < asOf)).length
    const completedOnTime = live.filter(
      (o) => o.status === 'COMPLETED' && o.completedAt!.getTime() <= o.completeBy.getTime(),
    ).length
    const completionDue = live.filter(
      (o) => o.status === 'COMPLETED' || (['CREATED', 'SIGNED', 'ON_SITE'].includes(o.status) && o.completeBy < asOf),
    ).length
    const returned = live.filter((o) => o.events.some((e) => e.action === 'RETURN')).length
    const transferred = live.filter((o) => o.status === 'TRANSFERRED').length
    const supervisions = live.flatMap((o) => o.supervisions)
    const supervised = live.filter((o) => o.supervisions.length > 0).length
    const firstOrder = new Map<string, Date>()
    for (const o of live)
      if (!firstOrder.has(o.caseId) || o.createdAt < firstOrder.get(o.caseId)!) firstOrder.set(o.caseId, o.createdAt)
    const reopened = [...firstOrder].filter(([caseId, first]) =>
      reopenings.some((e) => e.caseId === caseId && e.createdAt > first),
    ).length
    const liveIds = new Set(live.map((o) => o.id))
    const ratings = feedbacks
      .filter((f) => {
        const lead = leadOf(f)
        return !!lead && liveIds.has(lead.id)
      })
      .map((f) => f.satisfaction)
    const average = ratings.length ? ratings.reduce((s, x) => s + x, 0) / ratings.length : null
    const e: Omit<DepartmentExpected, 'score' | 'scoreBasis'> = {
      departmentId: d.id,
      ordersReceived: mine.length,
      ordersCancelled: mine.length - live.length,
      ordersCounted: live.length,
      signedOnTimeCount: signedOnTime,
      signingDueCount: signDue,
      signedOnTimePercent: pct(signedOnTime, signDue),
      completedOnTimeCount: completedOnTime,
      completionDueCount: completionDue,
      completedOnTimePercent: pct(completedOnTime, completionDue),
      returnedCount: returned,
      returnedPercent: pct(returned, live.length),
      transferredCount: transferred,
      transferredPercent: pct(transferred, live.length),
      supervisionCount: supervisions.length,
      supervisionsByLevel: [1, 2, 3].map((level) => ({
        level,
        count: supervisions.filter((s) => (level === 3 ? s.level >= 3 : s.level === level)).length,
      })),
      supervisedOrderCount: supervised,
      supervisedPercent: pct(supervised, live.length),
      caseCount: firstOrder.size,
      reopenedCaseCount: reopened,
      reopenedPercent: pct(reopened, firstOrder.size),
      averageSatisfaction: average,
      ratingCount: ratings.length,
      medianHoursToSign: median(
        live.filter((o) => o.signedAt).map((o) => (o.signedAt!.getTime() - o.createdAt.getTime()) / HOUR),
      ),
      medianHoursToComplete: median(
        live
          .filter((o) => o.status === 'COMPLETED')
          .map((o) => (o.completedAt!.getTime() - o.createdAt.getTime()) / HOUR),
      ),
    }
    const figures: [keyof Weights, number | null][] = [
      ['signedOnTime', e.signedOnTimePercent],
      ['completedOnTime', e.completedOnTimePercent],
      ['satisfaction', e.averageSatisfaction === null ? null : e.averageSatisfaction * 20],
      ['notReturned', e.returnedPercent === null ? null : 100 - e.returnedPercent],
      ['notReopened', e.reopenedPercent === null ? null : 100 - e.reopenedPercent],
      ['notSupervised', e.supervisedPercent === null ? null : 100 - e.supervisedPercent],
    ]
    const known = figures.filter(([, x]) => x !== null) as [keyof Weights, number][]
    const basis = known.reduce((s, [k]) => s + w[k], 0)
    const score = basis === 0 ? null : known.reduce((s, [k, x]) => s + w[k] * x, 0) / basis
    return { ...e, score, scoreBasis: basis }
  })
}

/** A `DepartmentPerformance` row as the tests ask for it. */
export type DepartmentRow = Omit<DepartmentExpected, 'departmentId'> & {
  department: { id: string; code: string }
  rank: number | null
  rankedOutOf: number
}

/** Holds every row of a department report to the figures computed from the raw rows. */
export async function checkDepartmentReport(
  t: TestApp,
  r: { asOf: string; weights: Weights; rows: DepartmentRow[] },
  path: string,
  range: Range,
) {
  const expected = await expectedDepartments(t, path, range, new Date(r.asOf), r.weights)
  expect(r.rows.map((x) => rowId(x.department.id)).sort()).toEqual(expected.map((e) => e.departmentId).sort())
  const apiRanks = ranks(r.rows.map((x) => x.score))
  r.rows.forEach((row, i) => {
    const e = expected.find((x) => x.departmentId === rowId(row.department.id))!
    const { departmentId: _id, score, ...figures } = e
    const { department, score: apiScore, rank, rankedOutOf, ...apiFigures } = row
    expectFigures(apiFigures, figures, department.code)
    if (score === null) expect(apiScore, `${department.code}.score`).toBeNull()
    else
      expect(Math.abs(apiScore! - score), `${department.code}.score ${apiScore} vs ${score}`).toBeLessThanOrEqual(
        0.005 + 1e-9,
      )
    expect(rank, `${department.code}.rank`).toBe(apiRanks[i])
    expect(rankedOutOf).toBe(r.rows.filter((x) => x.score !== null).length)
  })
  return expected
}

// ---------------------------------------------------------------- grids and grid workers

const RESOLVED = ['RESOLVED', 'VERIFIED', 'CLOSED']
const OFF_THE_CLOCK = ['CLOSED', 'REJECTED', 'VERIFIED', 'RESOLVED', 'SUSPENDED']

interface CaseFacts {
  resolvedAt: Date | null
  status: string
  deadline: Date | null
}

/** Resolved, resolved on time (by the last move to RESOLVED), and judged for timeliness. */
function timeliness(cases: CaseFacts[], asOf: Date) {
  const resolved = cases.filter((c) => RESOLVED.includes(c.status))
  const onTime = resolved.filter((c) => !c.deadline || c.resolvedAt!.getTime() <= c.deadline.getTime()).length
  const due =
    resolved.length +
    cases.filter(
      (c) => !RESOLVED.includes(c.status) && !OFF_THE_CLOCK.includes(c.status) && c.deadline && c.deadline < asOf,
    ).length
  return { resolved: resolved.length, onTime, due, percent: pct(onTime, due) }
}

async function periodCases(t: TestApp, grids: Set<string>, range: Range) {
  const cases = await t.prisma.case.findMany({
    include: {
      events: { select: { action: true, toStatus: true, createdAt: true } },
      feedbacks: { select: { satisfaction: true } },
    },
  })
  return cases
    .filter((c) => grids.has(c.gridId) && within(c.createdAt, range))
    .map((c) => {
      const resolutions = c.events
        .filter((e) => e.toStatus === 'RESOLVED')
        .map((e) => e.createdAt)
        .sort(byTime)
      return { ...c, resolvedAt: resolutions.at(-1) ?? null }
    })
}

export interface GridExpected {
  gridId: string
  casesReported: number
  casesFoundByPatrol: number
  casesReportedByResidents: number
  casesResolved: number
  resolvedOnTimeCount: number
  dueCount: number
  onTimePercent: number | null
  averageSatisfaction: number | null
  ratingCount: number
  verificationsPassed: number
  verificationsFailed: number
  verificationPassPercent: number | null
  activeWorkers: number
  households: number | null
  householdsPerWorker: number | null
  volunteerHours: number
  volunteerServices: number
  partyMembersReported: number
}

const served = (a: { startedAt: Date; endedAt: Date | null }, r: Range) =>
  a.startedAt < r.to && (!a.endedAt || a.endedAt > r.from)

export async function expectedGrids(t: TestApp, regionPath: string, range: Range, asOf: Date): Promise<GridExpected[]> {
  const grids = await gridIdsUnder(t, regionPath)
  const cases = await periodCases(t, grids, range)
  const assignments = await t.prisma.gridAssignment.findMany()
  const buildings = await t.prisma.building.findMany({ select: { gridId: true, households: true } })
  const signups = await t.prisma.activitySignup.findMany({
    where: { status: 'COMPLETED' },
    include: { activity: { select: { gridId: true, endsAt: true } } },
  })
  const reports = await t.prisma.dualReport.findMany({ where: { kind: 'MEMBER' } })
  const rows = await t.prisma.grid.findMany({
    where: { id: { in: [...grids] } },
    orderBy: { code: 'asc' },
    select: { id: true },
  })
  return rows.map(({ id }) => {
    const mine = cases.filter((c) => c.gridId === id)
    const time = timeliness(mine, asOf)
    const ratings = mine.flatMap((c) => c.feedbacks.map((f) => f.satisfaction))
    const checks = mine.flatMap((c) => c.events.map((e) => e.action))
    const passed = checks.filter((a) => a === 'VERIFY_PASS').length
    const failed = checks.filter((a) => a === 'VERIFY_FAIL').length
    const workers = new Set(assignments.filter((a) => a.gridId === id && served(a, range)).map((a) => a.userId)).size
    const figures = buildings.filter((b) => b.gridId === id && b.households !== null).map((b) => b.households!)
    const households = figures.length ? figures.reduce((s, x) => s + x, 0) : null
    const volunteering = signups.filter(
      (s) => s.activity.gridId === id && within(s.completedAt ?? s.activity.endsAt, range),
    )
    const members = new Set(
      reports
        .filter(
          (r) =>
            r.gridId === id &&
            r.decidedAt &&
            r.decidedAt < range.to &&
            (r.status === 'APPROVED' ||
              ((r.status === 'WITHDRAWN' || r.status === 'TRANSFERRED') && r.closedAt && r.closedAt >= range.to)),
        )
        .map((r) => r.memberId),
    ).size
    return {
      gridId: id,
      casesReported: mine.length,
      casesFoundByPatrol: mine.filter((c) => c.source === 'PATROL').length,
      casesReportedByResidents: mine.filter((c) => c.source === 'RESIDENT' || c.source === 'ONLINE').length,
      casesResolved: time.resolved,
      resolvedOnTimeCount: time.onTime,
      dueCount: time.due,
      onTimePercent: time.percent,
      averageSatisfaction: ratings.length ? ratings.reduce((s, x) => s + x, 0) / ratings.length : null,
      ratingCount: ratings.length,
      verificationsPassed: passed,
      verificationsFailed: failed,
      verificationPassPercent: pct(passed, passed + failed),
      activeWorkers: workers,
      households,
      householdsPerWorker: households === null || workers === 0 ? null : households / workers,
      volunteerHours: volunteering.reduce((s, x) => s + (x.hours ?? 0), 0),
      volunteerServices: volunteering.length,
      partyMembersReported: members,
    }
  })
}

export interface GridWorkerExpected {
  key: string
  casesReported: number
  casesResolved: number
  resolvedOnTimeCount: number
  dueCount: number
  onTimePercent: number | null
}

export async function expectedGridWorkers(
  t: TestApp,
  regionPath: string,
  range: Range,
  asOf: Date,
): Promise<GridWorkerExpected[]> {
  const grids = await gridIdsUnder(t, regionPath)
  const cases = await periodCases(t, grids, range)
  const assignments = (await t.prisma.gridAssignment.findMany()).filter((a) => grids.has(a.gridId) && served(a, range))
  const pairs = [...new Set(assignments.map((a) => `${a.gridId}/${a.userId}`))]
  return pairs.map((key) => {
    const [gridId, userId] = key.split('/')
    const mine = cases.filter((c) => c.gridId === gridId && c.createdById === userId)
    const time = timeliness(mine, asOf)
    return {
      key,
      casesReported: mine.length,
      casesResolved: time.resolved,
      resolvedOnTimeCount: time.onTime,
      dueCount: time.due,
      onTimePercent: time.percent,
    }
  })
}
