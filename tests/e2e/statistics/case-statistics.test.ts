// Case statistics (案件统计) and the command-centre query: every count the API returns equals the one
// computed here from the raw rows (expected.ts), for a month, a quarter and a range, each beside its
// previous period; the live figures per grid and department likewise; officers of the region only;
// a constant number of statements whatever the number of grids.
import { beforeAll, describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, twoCommunities, userWithRole } from '../../helpers/fixtures.js'
import { rowId } from '../../factories/orders.js'
import { DAY, expectedLive, expectedStatistics, HOUR, type Tallies } from './expected.js'
import { client, gql, graphql, type ResultOf } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const Tally = graphql(`fragment Tally on CaseTally { count previousCount change changePercent }`)
const Statistics = graphql(
  `fragment Statistics on CaseStatistics { period { label from to } previousPeriod { label from to } asOf
  total { ...Tally }
  byStatus { status ...Tally } bySource { source ...Tally } byCategory { category { id } ...Tally }
  byGrid { grid { id } ...Tally } byCommunity { community { id } ...Tally } byDepartment { department { id } ...Tally }
  byMonth { month count } }`,
  [Tally],
)
const STATS = graphql(
  `query($regionId: ID, $period: AssessmentPeriodInput!) { caseStatistics(regionId: $regionId, period: $period) { region { id } ...Statistics } }`,
  [Statistics],
)
const CENTRE = graphql(
  `query($regionId: ID, $period: AssessmentPeriodInput) { commandCentre(regionId: $regionId) {
  region { id } asOf totals { openCases overdueCases openOrders unsignedOrders overdueOrders openSupervisions reportedToday closedToday }
  overdueHeat { grid { id code } openCases overdueCases openOrders unsignedOrders overdueOrders openSupervisions reportedToday closedToday }
  departmentLoad { department { id } openOrders unsignedOrders overdueOrders oldestOpenAt }
  caseStatistics(period: $period) { ...Statistics } } }`,
  [Statistics],
)

const now = new Date()
const shanghai = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString()
const thisMonth = shanghai(now).slice(0, 7)
const quarter = `${thisMonth.slice(0, 4)}-Q${Math.floor((Number(thisMonth.slice(5)) - 1) / 3) + 1}`
const range = {
  startDate: shanghai(new Date(now.getTime() - 59 * DAY)).slice(0, 10),
  endDate: shanghai(now).slice(0, 10),
}

let street: { id: string; path: string }
let community: { id: string; path: string }
let other: { id: string }
let tokens: Record<'street' | 'community' | 'resident' | 'department', string>

beforeAll(async () => {
  const { a, b, officerA } = await twoCommunities(t.prisma)
  community = a
  other = b
  street = await t.prisma.region.findUniqueOrThrow({ where: { id: a.parentId! } })
  const officer = await userWithRole(t.prisma, 'STREET_OFFICER', { regionIds: { has: street.id } })
  tokens = {
    street: await t.tokenFor(officer.username),
    community: await t.tokenFor(officerA.username),
    resident: await t.tokenFor('resident.1'),
    department: await t.tokenFor('dept.CGPCS'),
  }
  // Spread the demo's cases over this month, the one before and the one before that, and put a
  // few past their deadline, so that every count and its previous period have something to count.
  const cases = await t.prisma.case.findMany({ orderBy: { id: 'asc' }, select: { id: true, createdAt: true } })
  for (const [i, c] of cases.entries()) {
    if (i % 3)
      await t.prisma.case.update({
        where: { id: c.id },
        data: { createdAt: new Date(c.createdAt.getTime() - (i % 3) * 33 * DAY) },
      })
    if (i % 5 === 0)
      await t.prisma.case.update({ where: { id: c.id }, data: { deadline: new Date(now.getTime() - HOUR) } })
  }
  const orders = await t.prisma.dispatchOrder.findMany({ orderBy: { id: 'asc' }, select: { id: true } })
  for (const [i, o] of orders.entries())
    if (i % 4 === 0)
      await t.prisma.dispatchOrder.update({
        where: { id: o.id },
        data: { signBy: new Date(now.getTime() - HOUR), completeBy: new Date(now.getTime() - HOUR) },
      })
})

type Row = ResultOf<typeof Tally>
/** The API's list as key → [count, previous], checking change and changePercent on the way. */
function asMap<R extends Row>(rows: R[], key: (r: R) => string) {
  for (const r of rows) {
    expect(r.change).toBe(r.count - r.previousCount)
    expect(r.changePercent).toBe(
      r.previousCount ? Math.round((10_000 * (r.count - r.previousCount)) / r.previousCount) / 100 : null,
    )
  }
  const counts = rows.map((r) => r.count)
  expect(counts).toEqual([...counts].sort((x, y) => y - x))
  return new Map(rows.map((r) => [rowId(key(r)) || key(r), [r.count, r.previousCount] as [number, number]]))
}

async function checkStatistics(s: ResultOf<typeof Statistics>, regionPath: string) {
  const period = { from: new Date(s.period.from), to: new Date(s.period.to) }
  const previous = { from: new Date(s.previousPeriod.from), to: new Date(s.previousPeriod.to) }
  expect(previous.to).toEqual(period.from)
  const want = await expectedStatistics(t, regionPath, period, previous)
  expect([s.total.count, s.total.previousCount]).toEqual(want.total)
  const got: Tallies = {
    status: asMap(s.byStatus, (r) => r.status),
    source: asMap(s.bySource, (r) => r.source),
    category: asMap(s.byCategory, (r) => r.category.id),
    grid: asMap(s.byGrid, (r) => r.grid.id),
    community: asMap(s.byCommunity, (r) => r.community.id),
    department: asMap(s.byDepartment, (r) => r.department.id),
  }
  for (const dim of Object.keys(want.tallies) as (keyof Tallies)[])
    expect([dim, Object.fromEntries(got[dim])]).toEqual([dim, Object.fromEntries(want.tallies[dim])])
  expect(s.byMonth.reduce((n, m) => n + m.count, 0)).toBe(want.total[0])
  for (const m of s.byMonth) expect([m.month, m.count]).toEqual([m.month, want.months.get(m.month) ?? 0])
  return want
}

describe('caseStatistics', () => {
  it('should equal the raw rows for a month, with the month before beside it', async () => {
    const { caseStatistics: s } = await client(t.url, tokens.street).must(STATS, {
      regionId: globalId('Region', street.id),
      period: { month: thisMonth },
    })
    expect(s.period.label).toBe(thisMonth)
    expect(s.byMonth.map((m) => m.month)).toEqual([thisMonth])
    const want = await checkStatistics(s, street.path)
    expect(want.total[0]).toBeGreaterThan(0)
    expect(want.total[1]).toBeGreaterThan(0)
    expect(want.tallies.department.size).toBeGreaterThan(0)
  })

  it('should equal the raw rows for a quarter and for a range of days, months zero-filled in order', async () => {
    for (const period of [{ quarter }, range]) {
      const { caseStatistics: s } = await client(t.url, tokens.street).must(STATS, {
        regionId: globalId('Region', street.id),
        period,
      })
      await checkStatistics(s, street.path)
      const months = s.byMonth.map((m) => m.month)
      expect(months).toEqual([...months].sort())
      expect(months.at(-1)).toBe(thisMonth)
    }
  })

  it("should count a community officer's own community only, and refuse another community, residents and departments", async () => {
    const { caseStatistics: s } = await client(t.url, tokens.community).must(STATS, { period: { month: thisMonth } })
    expect(rowId(s.region.id)).toBe(community.id)
    await checkStatistics(s, community.path)
    const refused = await gql(
      t.url,
      STATS,
      { regionId: globalId('Region', other.id), period: { month: thisMonth } },
      { token: tokens.community },
    )
    expect(refused.errors?.[0]?.extensions?.code).toBe('auth/forbidden')
    for (const token of [tokens.resident, tokens.department]) {
      const res = await gql(t.url, STATS, { period: { month: thisMonth } }, { token })
      expect(res.errors?.[0]?.extensions?.code).toBe('auth/forbidden')
      expect(res.data?.caseStatistics ?? null).toBeNull()
    }
  })

  it('should refuse a malformed period with a typed error', async () => {
    const res = await gql(t.url, STATS, { period: { month: '2026-13' } }, { token: tokens.street })
    expect(res.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
  })
})

describe('commandCentre', () => {
  it('should give the live figures of every grid and department, and totals that are their sums, as the raw rows say', async () => {
    const { commandCentre: c } = await client(t.url, tokens.street).must(CENTRE, {
      regionId: globalId('Region', street.id),
    })
    const { perGrid, perDepartment } = await expectedLive(t, street.path, new Date(c.asOf))
    const grids = Object.fromEntries(c.overdueHeat.map(({ grid, ...live }) => [rowId(grid.id), live]))
    expect(grids).toEqual(Object.fromEntries(perGrid))
    const heat = c.overdueHeat.map((g) => [-g.overdueCases, -g.overdueOrders, g.grid.code] as const)
    expect(heat).toEqual([...heat].sort((x, y) => x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : 1)))
    const sums = Object.fromEntries(
      (Object.keys(c.totals) as (keyof typeof c.totals)[]).map((k) => [
        k,
        [...perGrid.values()].reduce((n, g) => n + g[k], 0),
      ]),
    )
    expect(c.totals).toEqual(sums)
    expect(c.totals.overdueCases).toBeGreaterThan(0)
    expect(c.totals.overdueOrders).toBeGreaterThan(0)
    expect(
      Object.fromEntries(
        c.departmentLoad.map(({ department, oldestOpenAt, ...d }) => [
          rowId(department.id),
          { ...d, oldestOpenAt: new Date(oldestOpenAt) },
        ]),
      ),
    ).toEqual(Object.fromEntries(perDepartment))
    // the default period: this month
    expect(c.caseStatistics.period.label).toBe(thisMonth)
    await checkStatistics(c.caseStatistics, street.path)
  })

  it('should answer the whole view in a constant number of statements, the same for a street as for a community', async () => {
    const view = (token: string, regionId: string) =>
      client(t.url, token).must(CENTRE, { regionId: globalId('Region', regionId), period: { quarter } })
    await view(tokens.street, street.id)
    await view(tokens.community, community.id)
    const streetCount = (await t.countStatements(() => view(tokens.street, street.id))).count
    const communityCount = (await t.countStatements(() => view(tokens.community, community.id))).count
    expect(streetCount).toBe(communityCount)
    // the region and its access, four aggregates (grids now, departments now, the period's tallies
    // by case and by department), and one batched read per referenced type and depth (regions,
    // grids, departments, categories)
    const { statements } = await t.countStatements(() => view(tokens.street, street.id))
    expect(statements.filter((s) => /GROUP BY/.test(s))).toHaveLength(4)
    expect(streetCount).toBeLessThanOrEqual(12)
  })
})
