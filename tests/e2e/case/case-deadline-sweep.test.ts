// The SLA sweeper supervises a case's own deadline (办理期限), not only its orders': a case still
// on the clock past its deadline gets a Supervision (督办) with no order, one level and one region
// up per further SLA period, exactly once per level, and exactly the cases the `overdue` filter lists.
import { describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { caseInput, MUTATIONS, workOrder } from '../../factories/cases.js'
import { dispatchDesk, rowId } from '../../factories/orders.js'
import { client, collect, graphql, must, ofType, wsClient } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
// No background sweeper: each test drives the clock through t.app.jobs.sweepOverdue(now).
it.beforeAll(async ({ app }) => {
  t = app
})

const MINUTE = 60_000
const at = (d: Date, ms: number) => new Date(d.getTime() + ms)

/** The case-level supervisions of a case (no order), lowest level first. */
const caseSupervisions = (caseId: string) =>
  t.prisma.supervision.findMany({ where: { caseId: rowId(caseId), orderId: null }, orderBy: { level: 'asc' } })

/** A desk in CG-DM-01 (SECURITY cases, 48 h case SLA), an accepted case nobody dispatched, and the region chain above it. */
async function setup() {
  const desk = await dispatchDesk(t)
  const c = await desk.accepted()
  const row = await t.prisma.case.findUniqueOrThrow({ where: { id: rowId(c.id) } })
  const community = await t.prisma.region.findUniqueOrThrow({ where: { id: row.handlingRegionId } })
  const street = await t.prisma.region.findUniqueOrThrow({ where: { id: community.parentId! } })
  const district = await t.prisma.region.findUniqueOrThrow({ where: { id: street.parentId! } })
  const deadline = row.deadline!
  const period = deadline.getTime() - row.createdAt.getTime()
  return { desk, c, row, deadline, period, community, street, district }
}

const SUPERVISIONS = graphql(`query($caseId: ID!) {
  supervisions(caseId: $caseId, first: 20) { edges { node { kind level order { id } region { id } } } }
  node(id: $caseId) { ... on Case { timeline { action order { id } } } }
}`)
const CASE_UPDATED = graphql(`subscription($id: ID!) { caseUpdated(id: $id) { id supervisions { level } } }`)
const RETURN = graphql(
  `mutation($input: ReturnDispatchOrderInput!) { returnDispatchOrder(input: $input) { __typename ... on ReturnDispatchOrderPayload { order { id status } } ... on Error { code message } } }`,
)
const REJECT = graphql(
  `mutation($input: RejectCaseInput!) { rejectCase(input: $input) { __typename ... on RejectCasePayload { case { status } } ... on Error { code message } } }`,
)
const REQUEST_APPROVAL = graphql(
  `mutation($input: RequestCaseApprovalInput!) { requestCaseApproval(input: $input) { __typename ... on RequestCaseApprovalPayload { approval { id version } } ... on Error { code message } } }`,
)
const DECIDE_APPROVAL = graphql(
  `mutation($input: DecideCaseApprovalInput!) { decideCaseApproval(input: $input) { __typename ... on DecideCaseApprovalPayload { case { status } } ... on Error { code message } } }`,
)

describe('the case deadline sweep (案件超期督办)', () => {
  it('should raise a level-1 supervision on a case past its own deadline at the level handling it, publish the case, and leave its version alone', async () => {
    const { desk, c, deadline, community } = await setup()
    const ws = wsClient(t.wsUrl, desk.officer)
    const updates = collect(ws, CASE_UPDATED, { id: c.id })
    await t.pubsub.whenSubscribed('case:updated', rowId(c.id))

    await t.app.jobs.sweepOverdue(at(deadline, -MINUTE))
    expect(await caseSupervisions(c.id)).toHaveLength(0)

    expect(await t.app.jobs.sweepOverdue(at(deadline, MINUTE))).toBeGreaterThanOrEqual(1)
    expect((await caseSupervisions(c.id)).map((s) => [s.kind, s.level, s.regionId])).toEqual([
      ['COMPLETION_OVERDUE', 1, community.id],
    ])
    const [event] = await updates.next(1)
    expect(event!.data?.caseUpdated).toEqual({ id: c.id, supervisions: [{ level: 1 }] })

    const seen = await client(t.url, desk.officer).must(SUPERVISIONS, { caseId: c.id })
    expect(seen.supervisions.edges.map((e) => e.node)).toEqual([
      { kind: 'COMPLETION_OVERDUE', level: 1, order: null, region: { id: globalId('Region', community.id) } },
    ])
    expect(ofType(seen.node, 'Case').timeline.filter((e) => e.action === 'SUPERVISE_L1')).toEqual([
      { action: 'SUPERVISE_L1', order: null },
    ])

    // a supervision is no transition: the officer still acts on the version they read
    const dispatched = await desk.dispatch(c)
    expect(dispatched.status).toBe('DISPATCHED')

    updates.dispose()
    await ws.dispose()
  })

  it('should raise nothing new on a second sweep at the same time, one region up for each further SLA period, and nothing past the top level', async () => {
    const { c, deadline, period, community, street, district } = await setup()
    const first = at(deadline, MINUTE)
    await t.app.jobs.sweepOverdue(first)
    expect(await t.app.jobs.sweepOverdue(first)).toBe(0)
    expect((await caseSupervisions(c.id)).map((s) => s.level)).toEqual([1])

    await t.app.jobs.sweepOverdue(at(deadline, period + MINUTE))
    await t.app.jobs.sweepOverdue(at(deadline, 2 * period + MINUTE))
    expect((await caseSupervisions(c.id)).map((s) => [s.level, s.regionId])).toEqual([
      [1, community.id],
      [2, street.id],
      [3, district.id],
    ])

    // The street officer sees the level they were told of.
    const seen = await client(t.url, await t.tokenFor('street.officer')).must(SUPERVISIONS, { caseId: c.id })
    expect(seen.supervisions.edges.map((e) => e.node.level).sort()).toEqual([1, 2, 3])

    await t.app.jobs.sweepOverdue(at(deadline, 10 * period))
    expect(await caseSupervisions(c.id)).toHaveLength(3)
  })

  it('should raise each case supervision once when sweeps run concurrently', async () => {
    const { c, deadline } = await setup()
    const now = at(deadline, MINUTE)
    const before = await t.prisma.supervision.count()
    const raised = await Promise.all(Array.from({ length: 4 }, () => t.app.jobs.sweepOverdue(now)))
    expect(raised.reduce((a, b) => a + b, 0)).toBe((await t.prisma.supervision.count()) - before)
    expect(await caseSupervisions(c.id)).toHaveLength(1)
    const dupes = await t.prisma.supervision.groupBy({
      by: ['caseId', 'level'],
      where: { orderId: null },
      _count: { _all: true },
      having: { caseId: { _count: { gt: 1 } } },
    })
    expect(dupes).toEqual([])
  })

  it('should supervise a dispatched case whose only order went back to the dispatcher and was left there', async () => {
    const { desk, c, deadline } = await setup()
    const dispatched = await desk.dispatch(c)
    const order = desk.orderOf(dispatched)
    await must(t.url, desk.departmentToken, RETURN, {
      id: order.id,
      version: order.version,
      reason: '不属于本所辖区',
    })
    await t.app.jobs.sweepOverdue(at(deadline, MINUTE))
    expect((await caseSupervisions(c.id)).map((s) => [s.kind, s.level])).toEqual([['COMPLETION_OVERDUE', 1]])
  })

  it('should leave alone the cases off the clock: rejected, resolved, suspended', async () => {
    const desk = await dispatchDesk(t)
    const reported = await must(
      t.url,
      desk.officer,
      MUTATIONS.report,
      await caseInput(t, {
        grid: desk.grid.code,
        category: 'SECURITY',
        withGridId: true,
        title: '重复上报的治安隐患',
        description: '同一地点已在办理',
      }),
    )
    await must(t.url, desk.officer, REJECT, { id: reported.id, version: reported.version, reason: '重复上报，已并案' })
    const resolved = await desk.dispatched()
    const done = await workOrder(t, desk.departmentToken, desk.orderOf(resolved), '已处置')
    expect(done.case.status).toBe('RESOLVED')
    const suspended = await desk.dispatched()
    const asked = await must(t.url, desk.officer, REQUEST_APPROVAL, {
      caseId: suspended.id,
      kind: 'SUSPEND',
      reason: '当事人外出，暂缓处理',
    })
    await must(t.url, await t.tokenFor('street.officer'), DECIDE_APPROVAL, {
      id: asked.id,
      version: asked.version,
      caseVersion: suspended.version,
      approve: true,
    })

    const latest = await t.prisma.case.findMany({
      where: { id: { in: [reported, resolved, suspended].map((x) => rowId(x.id)) } },
    })
    const deadline = new Date(Math.max(...latest.map((x) => x.deadline!.getTime())))
    await t.app.jobs.sweepOverdue(at(deadline, MINUTE))
    for (const x of latest) expect(await caseSupervisions(globalId('Case', x.id)), x.status).toHaveLength(0)
  })

  it('should supervise exactly the cases the overdue filter lists', async () => {
    const desk = await dispatchDesk(t)
    // Two cases whose deadline passed an hour ago (as if reported long ago): one still open, one resolved.
    const open = await desk.dispatched()
    const resolved = await desk.dispatched()
    const done = await workOrder(t, desk.departmentToken, desk.orderOf(resolved), '已处置')
    expect(done.case.status).toBe('RESOLVED')
    const now = new Date()
    await t.prisma.case.updateMany({
      where: { id: { in: [rowId(open.id), rowId(resolved.id)] } },
      data: { createdAt: at(now, -49 * 60 * MINUTE), deadline: at(now, -60 * MINUTE) },
    })

    const admin = client(t.url, await t.tokenFor('admin'))
    const listed = await admin.must(
      graphql(
        `query($grid: ID!) { cases(first: 100, filter: { overdue: true, gridId: $grid }) { edges { node { id overdue } } } }`,
      ),
      { grid: globalId('Grid', desk.grid.id) },
    )
    const overdue = listed.cases.edges.map((e) => e.node)
    expect(overdue.map((n) => n.id)).toContain(open.id)
    expect(overdue.map((n) => n.id)).not.toContain(resolved.id)
    for (const n of overdue) expect(n.overdue).toBe(true)

    const before = new Set(
      (await t.prisma.supervision.findMany({ where: { orderId: null }, select: { id: true } })).map((s) => s.id),
    )
    await t.app.jobs.sweepOverdue(now)
    const raised = (
      await t.prisma.supervision.findMany({ where: { orderId: null, case: { gridId: desk.grid.id } } })
    ).filter((s) => !before.has(s.id))
    expect(raised.map((s) => globalId('Case', s.caseId)).sort()).toEqual(overdue.map((n) => n.id).sort())
  })
})
