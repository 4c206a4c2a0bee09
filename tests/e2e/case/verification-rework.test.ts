// A failed on-site check (核查不通过) sends the work back (返工) as new orders that are tracked like
// any order: signed for, published live, swept for deadlines. A case never sits in DISPATCHED
// with no open order.
import { describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { type CaseState, MUTATIONS, workOrder } from '../../factories/cases.js'
import { dispatchDesk, FEED, type FeedItem, feedOrderIds, feedThrough, rowId } from '../../factories/orders.js'
import { client, collect, graphql, must, ofType, wsClient } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
// No background sweeper: the SLA test drives the clock through t.app.jobs.sweepOverdue(now).
it.beforeAll(async ({ app }) => {
  t = app
})

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const OPEN = ['CREATED', 'SIGNED', 'ON_SITE']
const openOrders = (c: CaseState) => c.orders.filter((o) => OPEN.includes(o.status))
const NOT_DONE = '夜间仍有人聚集，单元门禁仍未修复'

const VERIFY = graphql(`mutation($input: VerifyCaseInput!) { verifyCase(input: $input) { __typename
  ... on VerifyCasePayload { case { id status version } } ... on ValidationFailed { issues { path message } } ... on Error { code message } } }`)
const ORDER = graphql(
  `query($id: ID!) { node(id: $id) { ... on DispatchOrder { id status role mode instructions signBy completeBy createdAt department { code } } } }`,
)

/** A SECURITY case (sign 0.5 h, complete 24 h) dispatched to 派出所 CGPCS as lead, its order completed by the department: RESOLVED. */
async function resolvedCase() {
  const desk = await dispatchDesk(t)
  const c = await desk.dispatched()
  const order = desk.orderOf(c)
  const done = await workOrder(t, desk.departmentToken, order, '已加强夜间巡逻')
  expect(done.case.status).toBe('RESOLVED')
  return { desk, c, order, version: done.case.version as number }
}

describe('a failed verification (核查不通过)', () => {
  it("should send the lead's work back as a new order to the same department, live on its feed, leaving the case DISPATCHED with that order open", async () => {
    const { desk, c, order, version } = await resolvedCase()
    const ws = wsClient(t.wsUrl, desk.departmentToken)
    const feed = collect<FeedItem['data']>(ws, FEED)
    await t.app.feeds.dispatch.whenAttached(`department:${desk.department.id}`)

    const before = Date.now()
    const failed: CaseState = await must(t.url, desk.officer, MUTATIONS.verify, {
      id: c.id,
      version,
      passed: false,
      note: NOT_DONE,
    })
    const after = Date.now()

    expect(failed.status).toBe('DISPATCHED')
    const open = openOrders(failed)
    expect(open).toHaveLength(1)
    const rework = open[0]!
    expect(rework).toMatchObject({ status: 'CREATED', role: 'LEAD', department: { code: 'CGPCS' } })
    expect(rework.id).not.toBe(order.id)
    // the rejected result stays on record
    expect(failed.orders.find((o) => o.id === order.id)?.status).toBe('COMPLETED')
    // one transaction: the check and the new order (their order within it is not the point)
    expect(failed.timeline.slice(-2).map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual(
      expect.arrayContaining([
        ['VERIFY_FAIL', 'RESOLVED', 'DISPATCHED'],
        ['REWORK', null, 'CREATED'],
      ]),
    )

    // The department reads what is wrong and fresh deadlines from the category's SLA.
    const { node } = await client(t.url, desk.departmentToken).must(ORDER, { id: rework.id })
    const category = await t.prisma.caseCategory.findUniqueOrThrow({ where: { code: 'SECURITY' } })
    expect(ofType(node, 'DispatchOrder').instructions).toContain(NOT_DONE)
    const signBy = Date.parse(ofType(node, 'DispatchOrder').signBy)
    const completeBy = Date.parse(ofType(node, 'DispatchOrder').completeBy)
    expect(signBy).toBeGreaterThanOrEqual(before + category.signSlaHours * HOUR - 1000)
    expect(signBy).toBeLessThanOrEqual(after + category.signSlaHours * HOUR + 1000)
    expect(completeBy).toBeGreaterThanOrEqual(before + category.completeSlaHours * HOUR - 1000)
    expect(completeBy).toBeLessThanOrEqual(after + category.completeSlaHours * HOUR + 1000)

    // Published like any new order: the feed has it before a later order (the barrier).
    const barrier = desk.orderOf(await desk.dispatched())
    expect(feedOrderIds(await feedThrough(feed, barrier.id))).toEqual([rework.id, barrier.id])

    feed.dispose()
    await ws.dispose()
  })

  it('should have the SLA sweeper supervise the rework order that is not signed in time, and resolve the case again once the rework is done', async () => {
    const { desk, c, version } = await resolvedCase()
    const failed: CaseState = await must(t.url, desk.officer, MUTATIONS.verify, {
      id: c.id,
      version,
      passed: false,
      note: NOT_DONE,
    })
    const rework = openOrders(failed)[0]!
    const row = await t.prisma.dispatchOrder.findUniqueOrThrow({ where: { id: rowId(rework.id) } })

    await t.app.jobs.sweepOverdue(new Date(row.signBy.getTime() + MINUTE))
    const supervisions = await t.prisma.supervision.findMany({ where: { orderId: row.id } })
    expect(supervisions.map((s) => [s.kind, s.level])).toEqual([['SIGN_OVERDUE', 1]])

    // the sweep bumped the order's version: the department works from what it reads now
    const current = await t.prisma.dispatchOrder.findUniqueOrThrow({ where: { id: row.id } })
    const done = await workOrder(
      t,
      desk.departmentToken,
      { id: rework.id, version: current.version },
      '已修复单元门禁，夜间加密巡逻',
    )
    expect(done.case.status).toBe('RESOLVED')
    const passed = await must(t.url, desk.officer, MUTATIONS.verify, {
      id: c.id,
      version: done.case.version,
      passed: true,
      note: '复查：门禁已修复',
    })
    expect(passed.status).toBe('VERIFIED')
  })

  it('should send back only the orders the verifier names, each to its own addressee', async () => {
    const desk = await dispatchDesk(t)
    const zf = await t.prisma.department.findUniqueOrThrow({ where: { code: 'CGZF' } })
    const zfToken = await t.tokenFor('dept.CGZF')
    const accepted = await desk.accepted()
    const dispatched: CaseState = await must(t.url, desk.officer, MUTATIONS.dispatch, {
      id: accepted.id,
      version: accepted.version,
      mode: 'MANUAL',
      targets: [
        { departmentId: globalId('Department', desk.department.id), role: 'LEAD' },
        { departmentId: globalId('Department', zf.id), role: 'ASSIST' },
      ],
    })
    const lead = dispatched.orders.find((o) => o.role === 'LEAD')!
    const assist = dispatched.orders.find((o) => o.role === 'ASSIST')!
    await workOrder(t, zfToken, assist, '已清理楼道杂物')
    const done = await workOrder(t, desk.departmentToken, lead, '已加强夜间巡逻')
    expect(done.case.status).toBe('RESOLVED')

    const failed: CaseState = await must(t.url, desk.officer, MUTATIONS.verify, {
      id: accepted.id,
      version: done.case.version,
      passed: false,
      note: '楼道仍堆有杂物',
      redo: [assist.id],
    })
    expect(failed.status).toBe('DISPATCHED')
    expect(openOrders(failed).map((o) => [o.role, o.department?.code, o.status])).toEqual([
      ['ASSIST', 'CGZF', 'CREATED'],
    ])
  })

  it('should refuse to send back what is not a completed order of the case, changing nothing', async () => {
    const { desk, c, version } = await resolvedCase()
    const elsewhere = desk.orderOf(await desk.dispatched()) // an open order of another case
    const officer = client(t.url, desk.officer)
    for (const redo of [[elsewhere.id], [c.id]]) {
      const res = await officer.must(VERIFY, { input: { id: c.id, version, passed: false, note: NOT_DONE, redo } })
      expect(res.verifyCase.__typename, JSON.stringify(redo)).toBe('ValidationFailed')
    }
    const row = await t.prisma.case.findUniqueOrThrow({ where: { id: rowId(c.id) } })
    expect(row).toMatchObject({ status: 'RESOLVED', version })
    expect(await t.prisma.dispatchOrder.count({ where: { caseId: row.id } })).toBe(1)
  })
})

const REQUEST = graphql(
  `mutation($input: RequestCaseApprovalInput!) { requestCaseApproval(input: $input) { __typename ... on RequestCaseApprovalPayload { approval { id version } } ... on Error { code message } } }`,
)
const DECIDE = graphql(
  `mutation($input: DecideCaseApprovalInput!) { decideCaseApproval(input: $input) { __typename ... on DecideCaseApprovalPayload { case { id version status } } ... on Error { code message } } }`,
)
const CANCEL = graphql(
  `mutation($input: CancelDispatchOrderInput!) { cancelDispatchOrder(input: $input) { __typename ... on CancelDispatchOrderPayload { order { id status version case { status version } } } ... on Error { code message } } }`,
)
const RESUME = graphql(
  `mutation($input: ResumeCaseInput!) { resumeCase(input: $input) { __typename ... on ResumeCasePayload { case { id version status timeline { action toStatus } } } ... on Error { code message } } }`,
)

describe('a dispatched case and its open orders', () => {
  it('should not resume to DISPATCHED when its only order was cancelled while it was suspended: it awaits a new dispatch', async () => {
    const desk = await dispatchDesk(t)
    const c = await desk.dispatched()
    const order = desk.orderOf(c)
    const street = await t.tokenFor('street.officer')
    const asked = await must(t.url, desk.officer, REQUEST, {
      caseId: c.id,
      kind: 'SUSPEND',
      reason: '当事人外出，暂缓处理',
    })
    const suspended = await must(t.url, street, DECIDE, {
      id: asked.id,
      version: asked.version,
      caseVersion: c.version,
      approve: true,
    })
    expect(suspended.status).toBe('SUSPENDED')
    const cancelled = await must(t.url, desk.officer, CANCEL, {
      id: order.id,
      version: order.version,
      reason: '改由社区自行调处',
    })
    expect(cancelled.status).toBe('CANCELLED')

    const resumed = await must(t.url, desk.officer, RESUME, { id: c.id, version: cancelled.case.version })
    expect(resumed.status).toBe('ACCEPTED')
    expect(resumed.timeline.slice(-2)).toEqual(
      expect.arrayContaining([
        { action: 'RESUME', toStatus: 'DISPATCHED' },
        { action: 'RECALL', toStatus: 'ACCEPTED' },
      ]),
    )
  })
})
