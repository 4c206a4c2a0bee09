// Department assessment (部门考核): every figure of every department the API
// returns equals the one computed here from the raw rows (expected.ts); a department reads only its
// own row; the statements a report costs do not grow with the number of departments.
import { beforeAll, describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, twoCommunities, userWithRole } from '../../helpers/fixtures.js'
import { MUTATIONS, workOrder } from '../../factories/cases.js'
import { dispatchDesk, rowId } from '../../factories/orders.js'
import {
  checkDepartmentReport,
  DAY,
  dayRange,
  HOUR,
  shanghaiDay,
  type DepartmentExpected,
  type DepartmentRow,
  type Weights,
} from './expected.js'
import { client, gql, graphql, must, type VariablesOf } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const RowFields = graphql(`fragment DepartmentRowFields on DepartmentPerformance { department { id code }
  ordersReceived ordersCancelled ordersCounted
  signedOnTimeCount signingDueCount signedOnTimePercent completedOnTimeCount completionDueCount completedOnTimePercent
  returnedCount returnedPercent transferredCount transferredPercent
  supervisionCount supervisionsByLevel { level count } supervisedOrderCount supervisedPercent
  caseCount reopenedCaseCount reopenedPercent averageSatisfaction ratingCount medianHoursToSign medianHoursToComplete
  score scoreBasis rank rankedOutOf }`)

const DEPARTMENTS = graphql(
  `query($regionId: ID, $period: AssessmentPeriodInput!) {
  departmentPerformance(regionId: $regionId, period: $period) {
    region { id } period { label from to } asOf formula
    weights { signedOnTime completedOnTime satisfaction notReturned notReopened notSupervised version isDefault }
    rows { ...DepartmentRowFields }
  }
}`,
  [RowFields],
)

const CANCEL = graphql(
  `mutation($input: CancelDispatchOrderInput!) { cancelDispatchOrder(input: $input) { __typename ... on CancelDispatchOrderPayload { order { id status version } } ... on Error { code message } } }`,
)
const RETURN = graphql(
  `mutation($input: ReturnDispatchOrderInput!) { returnDispatchOrder(input: $input) { __typename ... on ReturnDispatchOrderPayload { order { id status version } } ... on Error { code message } } }`,
)

// the seeded rows and everything made below are from today: a range of days around now holds them all
const now = Date.now()
const period = { startDate: shanghaiDay(now - DAY), endDate: shanghaiDay(now + DAY) }
const range = dayRange(period.startDate, period.endDate)

type Row = DepartmentRow

let streetId = ''
let streetPath = ''
let communityA: { id: string; path: string }
let tokens: Record<'street' | 'communityA' | 'communityB' | 'worker' | 'police', string>

/** More of every kind of outcome than the demo has, through the API: late signing and completion, cancelled and returned orders, supervisions. */
async function moreWork() {
  const police = await dispatchDesk(t, { gridCode: 'CG-DM-01', departmentCode: 'CGPCS' })
  const late = async (
    c: { orders?: { id: string; version: number }[] },
    data: { signBy?: Date; completeBy?: Date },
  ) => {
    const order = c.orders![0]!
    await t.prisma.dispatchOrder.update({ where: { id: rowId(order.id) }, data })
    return order
  }
  // signed late, completed on time
  const a = await late(await police.dispatched(), { signBy: new Date(Date.now() - HOUR) })
  await workOrder(t, police.departmentToken, a)
  // signed on time, completed late
  const b = await late(await police.dispatched(), { completeBy: new Date(Date.now() - HOUR) })
  await workOrder(t, police.departmentToken, b)
  // never signed, both deadlines passed
  await late(await police.dispatched(), {
    signBy: new Date(Date.now() - 2 * HOUR),
    completeBy: new Date(Date.now() - HOUR),
  })
  // signed, then returned
  const d = police.orderOf(await police.dispatched())
  const signed = await must(t.url, police.departmentToken, MUTATIONS.sign, { id: d.id, version: d.version })
  await must(t.url, police.departmentToken, RETURN, {
    id: signed.id,
    version: signed.version,
    reason: '不属于本所职责',
  })
  // cancelled by the dispatcher
  const e = police.orderOf(await police.dispatched())
  await must(t.url, police.officer, CANCEL, { id: e.id, version: e.version, reason: '重复派单' })
  // another department, another grid
  const squad = await dispatchDesk(t, { gridCode: 'CG-DM-02', departmentCode: 'CGZF' })
  const f = squad.orderOf(await squad.dispatched())
  await must(t.url, squad.departmentToken, RETURN, { id: f.id, version: f.version, reason: '请转市场监管所' })
  await workOrder(t, squad.departmentToken, squad.orderOf(await squad.dispatched()))
  // the SLA sweeper two days on: supervisions of every level on the orders left open
  await t.app.jobs.sweepOverdue(new Date(Date.now() + 2 * DAY))
  await t.app.jobs.sweepOverdue(new Date(Date.now() + 6 * DAY))
}

beforeAll(async () => {
  const { a, officerA, officerB } = await twoCommunities(t.prisma)
  communityA = a
  streetId = a.parentId!
  streetPath = (await t.prisma.region.findUniqueOrThrow({ where: { id: streetId } })).path
  const officer = await userWithRole(t.prisma, 'STREET_OFFICER', { regionIds: { has: streetId } })
  const worker = await t.prisma.gridAssignment.findFirstOrThrow({
    where: { grid: { communityId: a.id }, endedAt: null },
    include: { user: true },
  })
  tokens = {
    street: await t.tokenFor(officer.username),
    communityA: await t.tokenFor(officerA.username),
    communityB: await t.tokenFor(officerB.username),
    worker: await t.tokenFor(worker.user.username),
    police: await t.tokenFor('dept.CGPCS'),
  }
  await moreWork()
})

const report = async (token: string, regionId: string | null) =>
  (await client(t.url, token).must(DEPARTMENTS, { regionId: regionId && globalId('Region', regionId), period }))
    .departmentPerformance

const checkReport = (r: { asOf: string; weights: Weights; rows: Row[] }, path: string) =>
  checkDepartmentReport(t, r, path, range)

describe('departmentPerformance (部门考核)', () => {
  it('should give every figure of every department of the street as computed from the raw rows', async () => {
    const r = await report(tokens.street, null)
    expect(r.region.id).toBe(globalId('Region', streetId))
    expect(r.period).toEqual({
      label: `${period.startDate}~${period.endDate}`,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
    })
    expect(r.weights).toMatchObject({
      signedOnTime: 20,
      completedOnTime: 30,
      satisfaction: 30,
      notReturned: 10,
      notReopened: 5,
      notSupervised: 5,
      version: 0,
      isDefault: true,
    })
    expect(r.formula).toBe(
      '0.2×签收及时率 + 0.3×办结及时率 + 0.3×满意度得分 + 0.1×(100−退单率) + 0.05×(100−重办率) + 0.05×(100−督办率)',
    )
    const expected = await checkReport(r, streetPath)
    // the data exercise every figure: late and on-time work, returns, transfers, supervisions of each level, reopenings, ratings
    const total = (k: keyof DepartmentExpected) => expected.reduce((s, e) => s + ((e[k] as number) ?? 0), 0)
    expect(total('ordersCancelled')).toBeGreaterThan(0)
    expect(total('signingDueCount')).toBeGreaterThan(total('signedOnTimeCount'))
    expect(total('completionDueCount')).toBeGreaterThan(total('completedOnTimeCount'))
    expect(total('completedOnTimeCount')).toBeGreaterThan(0)
    expect(total('returnedCount')).toBeGreaterThan(1)
    expect(total('transferredCount')).toBeGreaterThan(0)
    expect(total('reopenedCaseCount')).toBeGreaterThan(0)
    expect(total('ratingCount')).toBeGreaterThan(2)
    for (const level of [1, 2, 3])
      expect(
        expected.reduce((s, e) => s + e.supervisionsByLevel[level - 1]!.count, 0),
        `level ${level}`,
      ).toBeGreaterThan(0)
    expect(r.rows.filter((x) => x.score !== null).length).toBeGreaterThan(3)
    expect(r.rows.some((x) => x.score === null && x.rank === null)).toBe(true) // departments without orders come last, unranked
  })

  it("should give the figures of one community, counting only the orders on its grids' cases", async () => {
    const r = await report(tokens.communityA, null)
    expect(r.region.id).toBe(globalId('Region', communityA.id))
    await checkReport(r, communityA.path)
    const street = await report(tokens.street, null)
    const police = (rows: Row[]) => rows.find((x) => x.department.code === 'CGPCS')!
    expect(police(r.rows).ordersReceived).toBeLessThan(police(street.rows).ordersReceived)
  })

  it('should show a department its own row only, with the rank it has among all', async () => {
    const own = await report(tokens.police, streetId)
    const all = await report(tokens.street, streetId)
    expect(own.rows).toHaveLength(1)
    expect(own.rows[0]).toEqual(all.rows.find((x) => x.department.code === 'CGPCS'))
    expect(own.rows[0]!.rankedOutOf).toBe(all.rows.filter((x) => x.score !== null).length)
    // default region: the department's own
    const byDefault = await report(tokens.police, null)
    expect(byDefault.rows.map((x) => x.department.code)).toEqual(['CGPCS'])
  })

  it("should refuse grid workers, regions outside an officer's own, and periods that are not one", async () => {
    const refused = async (
      token: string,
      regionId: string | null,
      p: VariablesOf<typeof DEPARTMENTS>['period'] = period,
    ) => {
      const res = await gql(
        t.url,
        DEPARTMENTS,
        { regionId: regionId && globalId('Region', regionId), period: p },
        { token },
      )
      return { data: res.data?.departmentPerformance ?? null, codes: (res.errors ?? []).map((e) => e.extensions?.code) }
    }
    expect(await refused(tokens.worker, communityA.id)).toEqual({ data: null, codes: ['auth/forbidden'] })
    expect(await refused(tokens.communityA, streetId)).toEqual({ data: null, codes: ['auth/forbidden'] })
    const { b } = await twoCommunities(t.prisma)
    expect(await refused(tokens.communityA, b.id)).toEqual({ data: null, codes: ['auth/forbidden'] })
    expect(await refused(tokens.street, null, { month: '2026-11', year: 2026 })).toEqual({
      data: null,
      codes: ['common/validation-failed'],
    })
    expect(await refused(tokens.street, null, { month: '2026-13' })).toEqual({
      data: null,
      codes: ['common/validation-failed'],
    })
    expect(await refused(tokens.street, null, { startDate: '2026-02-01', endDate: '2026-01-31' })).toEqual({
      data: null,
      codes: ['common/validation-failed'],
    })
    expect(await refused(tokens.street, null, { startDate: '2025-01-01', endDate: '2026-01-31' })).toEqual({
      data: null,
      codes: ['common/validation-failed'],
    })
  })

  it('should cost the same few statements for a street of many departments as for one community (no read per department)', async () => {
    const counts: Record<string, number> = {}
    for (const [name, token, region] of [
      ['street', tokens.street, streetId],
      ['community', tokens.communityA, communityA.id],
      ['department', tokens.police, streetId],
    ] as const) {
      await report(token, region) // the account and the prepared statements, once
      const { count, statements } = await t.countStatements(() => report(token, region))
      counts[name] = count
      expect(statements.filter((s) => /"DispatchOrder"/.test(s))).toHaveLength(1)
    }
    console.info(`departmentPerformance statements: ${JSON.stringify(counts)}`)
    expect(counts.street).toBe(counts.community)
    expect(counts.street).toBeLessThanOrEqual(4)
    expect(counts.department).toBeLessThanOrEqual(counts.street!)
  })
})
