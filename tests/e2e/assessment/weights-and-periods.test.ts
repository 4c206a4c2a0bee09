// The weights of the departments' composite score (考核权重) and the assessment periods in China
// Standard Time: a street officer sets their own street's weights, versioned and audited; a stale
// version, weights that do not sum to 100 and another street's officer are refused and change
// nothing. Months, quarters, years and ranges of days start and end at midnight in Shanghai.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, twoCommunities, userWithRole } from '../../helpers/fixtures.js'
import { dispatchDesk, rowId } from '../../factories/orders.js'
import { DAY, ranks, shanghaiDay } from './expected.js'
import { client, gql, graphql, must, ofType, type VariablesOf } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const Weights = graphql(`fragment WeightFields on AssessmentWeights {
  street { id } signedOnTime completedOnTime satisfaction notReturned notReopened notSupervised isDefault version }`)
const READ = graphql(`query($regionId: ID!) { assessmentWeights(regionId: $regionId) { ...WeightFields } }`, [Weights])
const SET = graphql(
  `mutation($input: SetAssessmentWeightsInput!) { setAssessmentWeights(input: $input) { __typename
  ... on SetAssessmentWeightsPayload { weights { ...WeightFields } }
  ... on StaleVersion { expectedVersion actualVersion } ... on ValidationFailed { issues { path message } } ... on Error { code message } } }`,
  [Weights],
)
const SCORES =
  graphql(`query($regionId: ID, $period: AssessmentPeriodInput!) { departmentPerformance(regionId: $regionId, period: $period) {
  formula weights { version }
  rows { department { code } signedOnTimePercent completedOnTimePercent averageSatisfaction returnedPercent reopenedPercent supervisedPercent score scoreBasis rank } } }`)
const CREATE_REGION = graphql(
  `mutation($input: CreateRegionInput!) { createRegion(input: $input) { __typename ... on CreateRegionPayload { region { id level } } ... on Error { code message } } }`,
)

const W = { signedOnTime: 30, completedOnTime: 30, satisfaction: 20, notReturned: 10, notReopened: 5, notSupervised: 5 }

let streetA: string
let streetB: string
let communityA: string
let tokens: Record<'a' | 'b' | 'community' | 'admin', string>

beforeAll(async () => {
  const { a, officerA } = await twoCommunities(t.prisma)
  communityA = a.id
  streetA = a.parentId!
  const street = await t.prisma.region.findUniqueOrThrow({ where: { id: streetA } })
  const admin = await t.tokenFor('admin')
  // a second street with its own officer: the admin opens it through the API
  const created = await must(t.url, admin, CREATE_REGION, {
    parentId: globalId('Region', street.parentId!),
    name: '考核测试街道',
    code: `KH-${randomUUID().slice(0, 8)}`,
  })
  expect(created.level).toBe('STREET')
  streetB = rowId(created.id)
  const officerB = await t.prisma.user.create({
    data: {
      username: `street.officer.kh-${randomUUID().slice(0, 8)}`,
      displayName: '考核测试',
      roles: ['STREET_OFFICER'],
      regionIds: [streetB],
    },
  })
  const officer = await userWithRole(t.prisma, 'STREET_OFFICER', { regionIds: { has: streetA } })
  tokens = {
    a: await t.tokenFor(officer.username),
    b: await t.tokenFor(officerB.username),
    community: await t.tokenFor(officerA.username),
    admin,
  }
})

const read = async (regionId: string, token = tokens.a) =>
  (await client(t.url, token).must(READ, { regionId: globalId('Region', regionId) })).assessmentWeights
const set = async (token: string, input: VariablesOf<typeof SET>['input']) => {
  const res = await gql(t.url, SET, { input }, { token })
  expect(res.errors).toBeUndefined()
  return res.data!.setAssessmentWeights
}
const input = (streetId: string, version: number, w: typeof W = W) => ({
  streetId: globalId('Region', streetId),
  version,
  ...w,
})

describe('setAssessmentWeights (设置考核权重)', () => {
  it('should let a street officer replace the defaults of their street, the score and the formula following', async () => {
    expect(await read(streetA)).toEqual({
      street: { id: globalId('Region', streetA) },
      signedOnTime: 20,
      completedOnTime: 30,
      satisfaction: 30,
      notReturned: 10,
      notReopened: 5,
      notSupervised: 5,
      isDefault: true,
      version: 0,
    })
    const done = await set(tokens.a, input(streetA, 0))
    expect(done).toEqual({
      __typename: 'SetAssessmentWeightsPayload',
      weights: { street: { id: globalId('Region', streetA) }, ...W, isDefault: false, version: 1 },
    })
    // a community reads its street's weights; departments may read them too
    const { weights } = ofType(done, 'SetAssessmentWeightsPayload')
    expect(await read(communityA, tokens.community)).toEqual(weights)
    expect(await read(streetA, await t.tokenFor('dept.CGPCS'))).toEqual(weights)

    const r = (
      await client(t.url, tokens.a).must(SCORES, {
        period: { startDate: shanghaiDay(Date.now() - DAY), endDate: shanghaiDay(Date.now() + DAY) },
      })
    ).departmentPerformance
    expect(r.weights.version).toBe(1)
    expect(r.formula).toBe(
      '0.3×签收及时率 + 0.3×办结及时率 + 0.2×满意度得分 + 0.1×(100−退单率) + 0.05×(100−重办率) + 0.05×(100−督办率)',
    )
    for (const row of r.rows) {
      const figures: [number, number | null][] = [
        [W.signedOnTime, row.signedOnTimePercent],
        [W.completedOnTime, row.completedOnTimePercent],
        [W.satisfaction, row.averageSatisfaction === null ? null : row.averageSatisfaction * 20],
        [W.notReturned, row.returnedPercent === null ? null : 100 - row.returnedPercent],
        [W.notReopened, row.reopenedPercent === null ? null : 100 - row.reopenedPercent],
        [W.notSupervised, row.supervisedPercent === null ? null : 100 - row.supervisedPercent],
      ]
      const known = figures.filter(([, x]) => x !== null) as [number, number][]
      const basis = known.reduce((s, [w]) => s + w, 0)
      expect(row.scoreBasis, row.department.code).toBe(basis)
      if (basis === 0) expect(row.score).toBeNull()
      else
        expect(
          Math.abs((row.score ?? Number.NaN) - known.reduce((s, [w, x]) => s + w * x, 0) / basis),
          row.department.code,
        ).toBeLessThanOrEqual(0.005 + 1e-9)
    }
    expect(r.rows.map((x) => x.rank)).toEqual(ranks(r.rows.map((x) => x.score)))
    expect(r.rows.some((x) => x.score !== null)).toBe(true)
  })

  it("should refuse a stale version, weights that do not sum to 100 or are negative, and another street's officer — changing nothing", async () => {
    const before = await read(streetA)
    const stale = await set(
      tokens.a,
      input(streetA, before.version - 1, { ...W, signedOnTime: 40, completedOnTime: 20 }),
    )
    expect(stale).toMatchObject({
      __typename: 'StaleVersion',
      code: 'common/stale-version',
      expectedVersion: before.version - 1,
      actualVersion: before.version,
    })

    const bad = [
      { ...W, notSupervised: 4 }, // 99
      { ...W, notSupervised: 6 }, // 101
      { ...W, signedOnTime: -10, completedOnTime: 70 }, // 100, one negative
    ]
    for (const w of bad)
      expect(await set(tokens.a, input(streetA, before.version, w)), JSON.stringify(w)).toMatchObject({
        __typename: 'ValidationFailed',
        code: 'common/validation-failed',
      })
    const fractional = await gql(
      t.url,
      SET,
      { input: input(streetA, before.version, { ...W, signedOnTime: 29.5, completedOnTime: 30.5 }) },
      { token: tokens.a },
    )
    expect(fractional.data?.setAssessmentWeights ?? null).toBeNull() // Int: refused before it reaches the server's rules
    expect(fractional.errors?.length).toBeGreaterThan(0)

    expect(await set(tokens.b, input(streetA, before.version))).toMatchObject({
      __typename: 'Forbidden',
      code: 'auth/forbidden',
    })
    expect(await set(tokens.community, input(streetA, before.version))).toMatchObject({
      __typename: 'Forbidden',
      code: 'auth/forbidden',
    })
    expect(await set(tokens.a, input(communityA, 0))).toMatchObject({ __typename: 'ValidationFailed' }) // a community has no weights of its own
    expect(await read(streetA)).toEqual(before)

    // the other street is untouched by all of it, and its own officer may set it
    expect(await read(streetB, tokens.b)).toMatchObject({ isDefault: true, version: 0 })
    expect(await set(tokens.a, input(streetB, 0))).toMatchObject({ __typename: 'Forbidden' })
    expect(await read(streetB, tokens.b)).toMatchObject({ isDefault: true, version: 0 })
    expect(ofType(await set(tokens.b, input(streetB, 0)), 'SetAssessmentWeightsPayload').weights).toMatchObject({
      ...W,
      version: 1,
    })
  })

  it('should let exactly one of two concurrent first settings win; the other gets StaleVersion', async () => {
    const fresh = await must(t.url, tokens.admin, CREATE_REGION, {
      parentId: globalId('Region', (await t.prisma.region.findUniqueOrThrow({ where: { id: streetA } })).parentId!),
      name: '并发测试街道',
      code: `KH-${randomUUID().slice(0, 8)}`,
    })
    const id = rowId(fresh.id)
    const results = await Promise.all([
      set(tokens.admin, input(id, 0)),
      set(tokens.admin, input(id, 0, { ...W, signedOnTime: 20, completedOnTime: 40 })),
    ])
    expect(results.map((x) => x.__typename).sort()).toEqual(['SetAssessmentWeightsPayload', 'StaleVersion'])
    expect(await t.prisma.assessmentWeights.count({ where: { streetId: id } })).toBe(1)
    expect((await read(id, tokens.admin)).version).toBe(1)
  })

  it('should audit every call with its outcome', async () => {
    const entries = await t.prisma.auditEntry.findMany({ where: { operation: 'setAssessmentWeights' } })
    const outcomes = entries.map((e) => e.outcome)
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(3)
    for (const code of ['common/stale-version', 'common/validation-failed', 'auth/forbidden'])
      expect(outcomes).toContain(code)
  })
})

describe('assessment periods in China Standard Time (Asia/Shanghai)', () => {
  /** Instants around the month ends of late 2025, when the demo has no case or order. */
  const EDGES = {
    oct: '2025-10-31T15:59:59.999Z', // 31 Oct 23:59:59.999 in Shanghai
    novFirst: '2025-10-31T16:00:00.000Z', // 1 Nov 00:00
    novLast: '2025-11-30T15:59:59.999Z', // 30 Nov 23:59:59.999
    dec: '2025-11-30T16:00:00.000Z', // 1 Dec 00:00
    jan: '2025-12-31T16:00:00.000Z', // 1 Jan 2026 00:00
  }
  const PERIODS = graphql(`query($regionId: ID, $period: AssessmentPeriodInput!) {
    departmentPerformance(regionId: $regionId, period: $period) { period { label from to } rows { department { code } ordersReceived } }
    gridPerformance(regionId: $regionId, period: $period) { period { label from to } rows { grid { code } casesReported } }
  }`)

  beforeAll(async () => {
    const desk = await dispatchDesk(t, { gridCode: 'CG-DM-01', departmentCode: 'CGPCS' })
    for (const at of Object.values(EDGES)) {
      const c = await desk.dispatched()
      const when = new Date(at)
      await t.prisma.case.update({ where: { id: rowId(c.id) }, data: { createdAt: when } })
      await t.prisma.dispatchOrder.update({ where: { id: rowId(desk.orderOf(c).id) }, data: { createdAt: when } })
    }
  })

  const counts = async (period: VariablesOf<typeof PERIODS>['period']) => {
    const d = await client(t.url, tokens.a).must(PERIODS, { regionId: globalId('Region', streetA), period })
    const orders = d.departmentPerformance.rows.find((x) => x.department.code === 'CGPCS')!.ordersReceived
    const cases = d.gridPerformance.rows.find((x) => x.grid.code === 'CG-DM-01')!.casesReported
    expect(d.departmentPerformance.period).toEqual(d.gridPerformance.period)
    return { period: d.departmentPerformance.period, orders, cases }
  }

  it('should start and end a month at midnight in Shanghai', async () => {
    expect(await counts({ month: '2025-11' })).toEqual({
      period: { label: '2025-11', from: EDGES.novFirst, to: EDGES.dec },
      orders: 2,
      cases: 2,
    })
    expect(await counts({ month: '2025-10' })).toMatchObject({
      period: { from: '2025-09-30T16:00:00.000Z', to: EDGES.novFirst },
      orders: 1,
      cases: 1,
    })
    expect(await counts({ month: '2025-12' })).toMatchObject({
      period: { from: EDGES.dec, to: EDGES.jan },
      orders: 1,
      cases: 1,
    })
  })

  it('should do the same for quarters, years and ranges of days (the end day included)', async () => {
    expect(await counts({ quarter: '2025-Q4' })).toEqual({
      period: { label: '2025-Q4', from: '2025-09-30T16:00:00.000Z', to: EDGES.jan },
      orders: 4,
      cases: 4,
    })
    expect(await counts({ quarter: '2025-Q3' })).toMatchObject({ orders: 0, cases: 0 })
    expect(await counts({ year: 2025 })).toEqual({
      period: { label: '2025', from: '2024-12-31T16:00:00.000Z', to: EDGES.jan },
      orders: 4,
      cases: 4,
    })
    expect(await counts({ startDate: '2025-11-30', endDate: '2025-12-01' })).toEqual({
      period: { label: '2025-11-30~2025-12-01', from: '2025-11-29T16:00:00.000Z', to: '2025-12-01T16:00:00.000Z' },
      orders: 2,
      cases: 2,
    })
    expect(await counts({ startDate: '2025-11-01', endDate: '2025-11-01' })).toMatchObject({ orders: 1, cases: 1 })
    expect(await counts({ startDate: '2026-01-01', endDate: '2026-01-01' })).toMatchObject({
      period: { from: EDGES.jan },
      orders: 1,
      cases: 1,
    })
  })
})
