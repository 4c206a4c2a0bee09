// Grid assessment (网格考核) and grid workers' figures: every figure of every grid
// and worker the API returns equals the one computed here from the raw rows (expected.ts), for a
// year and for a past stretch; officers only; a constant number of statements.
import { beforeAll, describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, twoCommunities, userWithRole } from '../../helpers/fixtures.js'
import { caseFactory, caseInput, gridCenter, workOrder } from '../../factories/cases.js'
import { rowId } from '../../factories/orders.js'
import {
  DAY,
  dayRange,
  expectedGridWorkers,
  expectedGrids,
  expectFigures,
  HOUR,
  shanghaiDay,
  type GridExpected,
} from './expected.js'
import { client, gql, graphql, type VariablesOf } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const GRIDS = graphql(`query($regionId: ID, $period: AssessmentPeriodInput!) {
  gridPerformance(regionId: $regionId, period: $period) {
    region { id } period { label from to } asOf
    rows { grid { id code } casesReported casesFoundByPatrol casesReportedByResidents casesResolved resolvedOnTimeCount dueCount onTimePercent
      averageSatisfaction ratingCount verificationsPassed verificationsFailed verificationPassPercent
      activeWorkers households householdsPerWorker volunteerHours volunteerServices partyMembersReported }
  }
}`)

const WORKERS = graphql(`query($regionId: ID, $period: AssessmentPeriodInput!) {
  gridWorkerPerformance(regionId: $regionId, period: $period) {
    asOf rows { worker { id } grid { id } casesReported casesResolved resolvedOnTimeCount dueCount onTimePercent }
  }
}`)

const now = Date.now()
/** The last 366 days (the longest range), holding every seeded case and most volunteer and party history. */
const YEAR = { startDate: shanghaiDay(now - 364 * DAY), endDate: shanghaiDay(now + DAY) }
/** A stretch in the past: no case, but activities, and reports that were approved, withdrawn or moved. */
const PAST = { startDate: shanghaiDay(now - 300 * DAY), endDate: shanghaiDay(now - 30 * DAY) }

let street: { id: string; path: string }
let communityA: { id: string; path: string }
let tokens: Record<'street' | 'communityA' | 'police' | 'worker', string>

/** Cases the demo lacks, through the API: one resolved after its deadline, one open past it, one filed by the grid's leader and resolved. */
async function moreCases() {
  const { grid } = await gridCenter(t, 'CG-DM-01')
  const leader = await t.prisma.gridAssignment.findFirstOrThrow({
    where: { gridId: grid.id, role: 'LEADER', endedAt: null },
    include: { user: true },
  })
  const leaderToken = await t.tokenFor(leader.user.username)
  const resident = await t.tokenFor('resident.1')
  const police = await t.tokenFor('dept.CGPCS')
  const input = await caseInput(t, {
    grid: 'CG-DM-01',
    category: 'SECURITY',
    withGridId: true,
    description: '楼道里有人聚集',
  })
  const report = (title: string, source: 'PATROL' | 'RESIDENT') => ({ ...input, title, source })
  // resolved late: its deadline moved before the work was done
  const late = caseFactory(t, { reporter: resident, officer: tokens.communityA })
  await late.report(report('楼道聚集（逾期办结）', 'RESIDENT'))
  await late.accept()
  await late.dispatchAuto()
  await t.prisma.case.update({ where: { id: rowId(late.case.id) }, data: { deadline: new Date(Date.now() - HOUR) } })
  await workOrder(t, police, late.case.orders[0]!)
  // open past its deadline
  const overdue = caseFactory(t, { reporter: leaderToken, officer: tokens.communityA })
  await overdue.report(report('楼道聚集（逾期未办）', 'PATROL'))
  await overdue.accept()
  await t.prisma.case.update({ where: { id: rowId(overdue.case.id) }, data: { deadline: new Date(Date.now() - HOUR) } })
  // filed by the leader, resolved and checked on site
  const done = caseFactory(t, { reporter: leaderToken, officer: tokens.communityA })
  await done.report(report('楼道聚集（按期办结）', 'PATROL'))
  await done.accept()
  await done.dispatchAuto()
  await workOrder(t, police, done.case.orders[0]!)
  await done.refresh()
  await done.verify(true, '已核查')
}

beforeAll(async () => {
  const { a, officerA } = await twoCommunities(t.prisma)
  communityA = a
  street = await t.prisma.region.findUniqueOrThrow({ where: { id: a.parentId! } })
  const officer = await userWithRole(t.prisma, 'STREET_OFFICER', { regionIds: { has: street.id } })
  const worker = await t.prisma.gridAssignment.findFirstOrThrow({
    where: { grid: { communityId: a.id }, endedAt: null },
    include: { user: true },
  })
  tokens = {
    street: await t.tokenFor(officer.username),
    communityA: await t.tokenFor(officerA.username),
    police: await t.tokenFor('dept.CGPCS'),
    worker: await t.tokenFor(worker.user.username),
  }
  await moreCases()
})

type Period = VariablesOf<typeof GRIDS>['period']
const vars = (regionId: string | null, period: Period) => ({
  regionId: regionId && globalId('Region', regionId),
  period,
})
const grids = async (token: string, regionId: string | null, period: Period) =>
  (await client(t.url, token).must(GRIDS, vars(regionId, period))).gridPerformance
const workers = async (token: string, regionId: string | null, period: Period) =>
  (await client(t.url, token).must(WORKERS, vars(regionId, period))).gridWorkerPerformance

async function checkGrids(
  regionId: string,
  path: string,
  period: { startDate: string; endDate: string },
  token = tokens.street,
): Promise<GridExpected[]> {
  const r = await grids(token, regionId, period)
  const expected = await expectedGrids(t, path, dayRange(period.startDate, period.endDate), new Date(r.asOf))
  expect(r.rows.map((x) => rowId(x.grid.id))).toEqual(expected.map((e) => e.gridId))
  r.rows.forEach((row, i) => {
    const { gridId: _id, ...figures } = expected[i]!
    expectFigures(row, figures, row.grid.code)
  })
  return expected
}

describe('gridPerformance (网格考核)', () => {
  it('should give every figure of every grid of the street over a year as computed from the raw rows', async () => {
    const expected = await checkGrids(street.id, street.path, YEAR)
    const total = (k: keyof GridExpected) => expected.reduce((s, e) => s + ((e[k] as number) ?? 0), 0)
    for (const k of [
      'casesFoundByPatrol',
      'casesReportedByResidents',
      'casesResolved',
      'ratingCount',
      'verificationsPassed',
      'verificationsFailed',
      'activeWorkers',
      'volunteerHours',
      'partyMembersReported',
    ] as const) {
      expect(total(k), k).toBeGreaterThan(0)
    }
    expect(total('dueCount')).toBeGreaterThan(total('resolvedOnTimeCount')) // one resolved late, one open past its deadline
    expect(expected.every((e) => e.households !== null && e.householdsPerWorker !== null)).toBe(true)
  })

  it('should count a past stretch by its own dates: no case, the volunteering of then, the reports in force at its end', async () => {
    const expected = await checkGrids(street.id, street.path, PAST)
    expect(expected.every((e) => e.casesReported === 0)).toBe(true)
    expect(expected.reduce((s, e) => s + e.volunteerHours, 0)).toBeGreaterThan(0)
  })

  it('should give a community officer the grids of their community', async () => {
    const expected = await checkGrids(communityA.id, communityA.path, YEAR, tokens.communityA)
    expect(expected.length).toBeGreaterThan(0)
    expect(expected.length).toBeLessThan(await t.prisma.grid.count({ where: { community: { parentId: street.id } } }))
  })

  it("should give each grid worker's filed cases as computed from the raw rows", async () => {
    for (const [regionId, path] of [
      [street.id, street.path],
      [communityA.id, communityA.path],
    ] as const) {
      const r = await workers(tokens.street, regionId, YEAR)
      const expected = await expectedGridWorkers(t, path, dayRange(YEAR.startDate, YEAR.endDate), new Date(r.asOf))
      const got = new Map<string, Record<string, unknown>>(
        r.rows.map((x) => [`${rowId(x.grid.id)}/${rowId(x.worker.id)}`, x]),
      )
      expect([...got.keys()].sort()).toEqual(expected.map((e) => e.key).sort())
      for (const { key, ...figures } of expected) expectFigures(got.get(key)!, figures, key)
      expect(expected.some((e) => e.casesResolved > 0)).toBe(true)
    }
  })

  it("should refuse departments, grid workers and regions outside an officer's own", async () => {
    const codes = async (query: typeof GRIDS | typeof WORKERS, token: string, regionId: string | null) => {
      const res = await gql(t.url, query, vars(regionId, YEAR), { token })
      return {
        data: res.data ? Object.values(res.data)[0] : null,
        codes: (res.errors ?? []).map((e) => e.extensions?.code),
      }
    }
    for (const query of [GRIDS, WORKERS]) {
      expect(await codes(query, tokens.police, street.id)).toEqual({ data: null, codes: ['auth/forbidden'] })
      expect(await codes(query, tokens.worker, communityA.id)).toEqual({ data: null, codes: ['auth/forbidden'] })
      expect(await codes(query, tokens.communityA, street.id)).toEqual({ data: null, codes: ['auth/forbidden'] })
    }
  })

  it('should cost the same few statements for a street as for one community (no read per grid)', async () => {
    const counts: Record<string, number> = {}
    for (const [name, read, token, region] of [
      ['grids, street', grids, tokens.street, street.id],
      ['grids, community', grids, tokens.communityA, communityA.id],
      ['workers, street', workers, tokens.street, street.id],
      ['workers, community', workers, tokens.communityA, communityA.id],
    ] as const) {
      await read(token, region, YEAR)
      const { count, statements } = await t.countStatements(() => read(token, region, YEAR))
      counts[name] = count
      // the figures read the cases once; the grids' own read names "Case" only in its policy's EXISTS
      const casesRead = statements.filter((s) => /"Case"/.test(s) && !s.includes('FROM "public"."Grid" AS "t0"'))
      expect(casesRead).toHaveLength(1)
    }
    console.info(`gridPerformance / gridWorkerPerformance statements: ${JSON.stringify(counts)}`)
    expect(counts['grids, street']).toBe(counts['grids, community'])
    expect(counts['workers, street']).toBe(counts['workers, community'])
    expect(counts['grids, street']).toBeLessThanOrEqual(4)
    expect(counts['workers, street']).toBeLessThanOrEqual(5)
  })
})
