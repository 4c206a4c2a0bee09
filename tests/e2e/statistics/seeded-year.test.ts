// A seeded year (src/seed/history.ts, then an SLA sweep): every figure the API computes — department,
// grid and grid-worker assessment, case statistics with their previous periods, the command centre's
// live picture — equals the same figure computed here from the raw rows, for the year and for a past
// quarter, at the district, a street and a community.
import { beforeAll, describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, twoCommunities } from '../../helpers/fixtures.js'
import { rowId } from '../../factories/orders.js'
import { sweepOverdue } from '../../../src/modules/case/sla.service.js'
import { seedHistory } from '../../../src/seed/history.js'
import {
  checkDepartmentReport,
  dayRange,
  expectedGridWorkers,
  expectedGrids,
  expectFigures,
} from '../assessment/expected.js'
import { DAY, expectedLive, expectedStatistics, HOUR } from './expected.js'
import { type AnswerOf, client, type Document, graphql, type VarsOf } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
let admin: string
it.beforeAll(async ({ app }) => {
  t = app
  await seedHistory(t.prisma, { months: 12, perStreetMonth: 12 })
  await sweepOverdue({ prisma: t.prisma, pubsub: t.pubsub })
  admin = await t.tokenFor('admin')
}, 120_000)

const day = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10)
const now = Date.now()
/** The last 366 days: the whole seeded year. */
const YEAR = { startDate: day(now - 365 * DAY), endDate: day(now) }
/** A quarter long past: finished cases only, and the quarter before it for the trend. */
const PAST_QUARTER = (() => {
  const d = new Date(now + 8 * HOUR - 200 * DAY)
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`
})()

let regions: { id: string; path: string; name: string }[]

beforeAll(async () => {
  const { a } = await twoCommunities(t.prisma)
  const street = await t.prisma.region.findUniqueOrThrow({ where: { id: a.parentId! } })
  const district = await t.prisma.region.findUniqueOrThrow({ where: { id: street.parentId! } })
  regions = [
    { ...district, name: 'district' },
    { ...street, name: 'street' },
    { ...a, name: 'community' },
  ]
})

/** The one root field a query answers. */
const ask = async <D extends Document>(query: D, variables: VarsOf<D>) =>
  Object.values(await client(t.url, admin).must(query, variables))[0] as AnswerOf<D>

describe('a seeded year', () => {
  it('should hold cases of every month and state, late and on-time work, ratings and supervisions', async () => {
    const statuses = await t.prisma.case.groupBy({ by: ['status'], _count: true })
    expect(statuses.length).toBeGreaterThanOrEqual(8)
    expect(await t.prisma.case.count({ where: { createdAt: { lt: new Date(now - 300 * DAY) } } })).toBeGreaterThan(0)
    expect(await t.prisma.supervision.count()).toBeGreaterThan(0)
    expect(await t.prisma.caseFeedback.count()).toBeGreaterThan(0)
  })

  it('should give every department figure as the raw rows do, for the year and a past quarter', async () => {
    for (const r of regions) {
      for (const period of [YEAR, { quarter: PAST_QUARTER }]) {
        const report = await ask(
          graphql(`query($r: ID, $p: AssessmentPeriodInput!) { departmentPerformance(regionId: $r, period: $p) {
          asOf period { from to } weights { signedOnTime completedOnTime satisfaction notReturned notReopened notSupervised }
          rows { department { id code } ordersReceived ordersCancelled ordersCounted signedOnTimeCount signingDueCount signedOnTimePercent
            completedOnTimeCount completionDueCount completedOnTimePercent returnedCount returnedPercent transferredCount transferredPercent
            supervisionCount supervisionsByLevel { level count } supervisedOrderCount supervisedPercent caseCount reopenedCaseCount reopenedPercent
            averageSatisfaction ratingCount medianHoursToSign medianHoursToComplete score scoreBasis rank rankedOutOf } } }`),
          { r: globalId('Region', r.id), p: period },
        )
        const range = { from: new Date(report.period.from), to: new Date(report.period.to) }
        const expected = await checkDepartmentReport(t, report, r.path, range)
        expect(
          expected.reduce((s, e) => s + e.ordersReceived, 0),
          `${r.name} ${JSON.stringify(period)}`,
        ).toBeGreaterThan(0)
      }
    }
  })

  it('should give every grid and grid-worker figure as the raw rows do', async () => {
    for (const r of regions) {
      const grids = await ask(
        graphql(`query($r: ID, $p: AssessmentPeriodInput!) { gridPerformance(regionId: $r, period: $p) { asOf rows { grid { id code }
        casesReported casesFoundByPatrol casesReportedByResidents casesResolved resolvedOnTimeCount dueCount onTimePercent averageSatisfaction ratingCount
        verificationsPassed verificationsFailed verificationPassPercent activeWorkers households householdsPerWorker volunteerHours volunteerServices partyMembersReported } } }`),
        { r: globalId('Region', r.id), p: YEAR },
      )
      const expected = await expectedGrids(t, r.path, dayRange(YEAR.startDate, YEAR.endDate), new Date(grids.asOf))
      expect(grids.rows.map((x) => rowId(x.grid.id))).toEqual(expected.map((e) => e.gridId))
      grids.rows.forEach((row, i) => {
        const { gridId: _g, ...figures } = expected[i]!
        expectFigures(row, figures, row.grid.code)
      })
      expect(
        expected.reduce((s, e) => s + e.casesReported, 0),
        r.name,
      ).toBeGreaterThan(20)

      const workers = await ask(
        graphql(`query($r: ID, $p: AssessmentPeriodInput!) { gridWorkerPerformance(regionId: $r, period: $p) { asOf rows { worker { id } grid { id }
        casesReported casesResolved resolvedOnTimeCount dueCount onTimePercent } } }`),
        { r: globalId('Region', r.id), p: YEAR },
      )
      const want = await expectedGridWorkers(t, r.path, dayRange(YEAR.startDate, YEAR.endDate), new Date(workers.asOf))
      const got = new Map<string, Record<string, unknown>>(
        workers.rows.map((x) => [`${rowId(x.grid.id)}/${rowId(x.worker.id)}`, x]),
      )
      expect([...got.keys()].sort()).toEqual(want.map((e) => e.key).sort())
      for (const { key, ...figures } of want) expectFigures(got.get(key)!, figures, key)
    }
  })

  it('should give every case statistic and its previous period as the raw rows do', async () => {
    for (const r of regions) {
      for (const period of [YEAR, { quarter: PAST_QUARTER }]) {
        const s = await ask(
          graphql(`query($r: ID, $p: AssessmentPeriodInput!) { caseStatistics(regionId: $r, period: $p) {
          period { from to } previousPeriod { from to } total { count previousCount }
          byStatus { status count previousCount } bySource { source count previousCount } byCategory { category { id } count previousCount }
          byGrid { grid { id } count previousCount } byCommunity { community { id } count previousCount } byDepartment { department { id } count previousCount }
          byMonth { month count } } }`),
          { r: globalId('Region', r.id), p: period },
        )
        const range = (p: { from: string; to: string }) => ({ from: new Date(p.from), to: new Date(p.to) })
        const want = await expectedStatistics(t, r.path, range(s.period), range(s.previousPeriod))
        expect([s.total.count, s.total.previousCount], r.name).toEqual(want.total)
        const got = <R extends { count: number; previousCount: number }>(rows: R[], key: (x: R) => string) =>
          Object.fromEntries(rows.map((x) => [key(x), [x.count, x.previousCount]]))
        const id = (g: string) => rowId(g)
        expect(got(s.byStatus, (x) => x.status)).toEqual(Object.fromEntries(want.tallies.status))
        expect(got(s.bySource, (x) => x.source)).toEqual(Object.fromEntries(want.tallies.source))
        expect(got(s.byCategory, (x) => id(x.category.id))).toEqual(Object.fromEntries(want.tallies.category))
        expect(got(s.byGrid, (x) => id(x.grid.id))).toEqual(Object.fromEntries(want.tallies.grid))
        expect(got(s.byCommunity, (x) => id(x.community.id))).toEqual(Object.fromEntries(want.tallies.community))
        expect(got(s.byDepartment, (x) => id(x.department.id))).toEqual(Object.fromEntries(want.tallies.department))
        for (const m of s.byMonth) expect([m.month, m.count]).toEqual([m.month, want.months.get(m.month) ?? 0])
        expect(want.total[0], `${r.name} ${JSON.stringify(period)}`).toBeGreaterThan(0)
      }
    }
  })

  it("should give the command centre's live picture as the raw rows do", async () => {
    for (const r of regions) {
      const c = await ask(
        graphql(`query($r: ID) { commandCentre(regionId: $r) { asOf
        overdueHeat { grid { id } openCases overdueCases openOrders unsignedOrders overdueOrders openSupervisions reportedToday closedToday }
        departmentLoad { department { id } openOrders unsignedOrders overdueOrders oldestOpenAt } } }`),
        { r: globalId('Region', r.id) },
      )
      const { perGrid, perDepartment } = await expectedLive(t, r.path, new Date(c.asOf))
      expect(Object.fromEntries(c.overdueHeat.map(({ grid, ...live }) => [rowId(grid.id), live]))).toEqual(
        Object.fromEntries(perGrid),
      )
      expect(
        Object.fromEntries(
          c.departmentLoad.map(({ department, oldestOpenAt, ...d }) => [
            rowId(department.id),
            { ...d, oldestOpenAt: new Date(oldestOpenAt) },
          ]),
        ),
      ).toEqual(Object.fromEntries(perDepartment))
      expect(
        [...perGrid.values()].reduce((n, g) => n + g.overdueCases + g.overdueOrders, 0),
        r.name,
      ).toBeGreaterThan(0)
    }
  })
})
