import { describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { MUTATIONS } from '../../factories/cases.js'
import { dispatchDesk, rowId } from '../../factories/orders.js'
import { sweepOverdue } from '../../../src/modules/case/sla.service.js'
import { client, collect, graphql, must, ofType, wsClient } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
// No background sweeper: each test drives the clock through t.app.jobs.sweepOverdue(now).
it.beforeAll(async ({ app }) => {
  t = app
})

const MINUTE = 60_000
const at = (d: Date, ms: number) => new Date(d.getTime() + ms)

const SUPERVISIONS = graphql(`query($caseId: ID!) {
  supervisions(caseId: $caseId, first: 20) { edges { node { kind level region { id } order { id } } } }
  node(id: $caseId) { ... on Case { supervisions { kind level region { id } } } }
}`)

/** A dispatched SECURITY case in CG-DM-01 (order to 派出所 CGPCS, sign SLA 0.5 h) and its region chain. */
async function overdueSetup() {
  const desk = await dispatchDesk(t)
  const c = await desk.dispatched()
  const order = desk.orderOf(c)
  const row = await t.prisma.dispatchOrder.findUniqueOrThrow({ where: { id: rowId(order.id) } })
  const community = await t.prisma.region.findUniqueOrThrow({ where: { id: desk.grid.communityId } })
  const street = await t.prisma.region.findUniqueOrThrow({ where: { id: community.parentId! } })
  const district = await t.prisma.region.findUniqueOrThrow({ where: { id: street.parentId! } })
  const signPeriod = row.signBy.getTime() - row.createdAt.getTime()
  return { desk, c, order, row, community, street, district, signPeriod }
}

/** The first update about `orderId`: a sweep may raise other overdue orders (e.g. demo data) of the same department too. */
type Updated = { dispatchOrderUpdated: { id: string; status: string; supervisionLevel: number } }
async function updateOf(sub: ReturnType<typeof collect<Updated>>, orderId: string) {
  for (let n = 1; ; n++) {
    const e = (await sub.next(n))[n - 1]!
    if (e.errors || e.data?.dispatchOrderUpdated.id === orderId) return e
  }
}

const rowsOf = (orderId: string) => t.prisma.supervision.findMany({ where: { orderId }, orderBy: { level: 'asc' } })

describe('SLA supervision (督办)', () => {
  it('should raise a level-1 SIGN_OVERDUE Supervision at the community for an order past its sign deadline, and publish the order update', async () => {
    const { desk, c, order, row, community } = await overdueSetup()
    const ws = wsClient(t.wsUrl, desk.departmentToken)
    const updates = collect<Updated>(
      ws,
      graphql(`subscription { dispatchOrderUpdated { id status supervisionLevel } }`),
    )
    await t.pubsub.whenSubscribed('dispatch:updated', `department:${desk.department.id}`)

    await t.app.jobs.sweepOverdue(at(row.signBy, -MINUTE))
    expect(await rowsOf(row.id)).toHaveLength(0)

    expect(await t.app.jobs.sweepOverdue(at(row.signBy, MINUTE))).toBeGreaterThanOrEqual(1)
    const event = await updateOf(updates, order.id)
    expect(event.data?.dispatchOrderUpdated).toEqual({ id: order.id, status: 'CREATED', supervisionLevel: 1 })

    const rows = await rowsOf(row.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ kind: 'SIGN_OVERDUE', level: 1, regionId: community.id, caseId: rowId(c.id) })

    const seen = await client(t.url, desk.officer).must(SUPERVISIONS, { caseId: c.id })
    expect(seen.supervisions.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { kind: 'SIGN_OVERDUE', level: 1, region: { id: globalId('Region', community.id) }, order: { id: order.id } },
    ])
    expect(ofType(seen.node, 'Case').supervisions).toEqual([
      { kind: 'SIGN_OVERDUE', level: 1, region: { id: globalId('Region', community.id) } },
    ])
    const timeline = await t.prisma.caseEvent.findMany({ where: { orderId: row.id, action: 'SUPERVISE_L1' } })
    expect(timeline).toHaveLength(1)

    updates.dispose()
    await ws.dispose()
  })

  it('should raise nothing new on a second sweep at the same time, and one region up for each further SLA period', async () => {
    const { row, community, street, district, signPeriod } = await overdueSetup()
    const first = at(row.signBy, MINUTE)
    await t.app.jobs.sweepOverdue(first)
    expect(await t.app.jobs.sweepOverdue(first)).toBe(0)
    expect((await rowsOf(row.id)).map((s) => [s.level, s.regionId])).toEqual([[1, community.id]])

    // One more sign period unsigned: level 2, at the street that supervises the community.
    await t.app.jobs.sweepOverdue(at(row.signBy, signPeriod + MINUTE))
    // Two more: level 3, at the district.
    await t.app.jobs.sweepOverdue(at(row.signBy, 2 * signPeriod + MINUTE))
    const rows = await rowsOf(row.id)
    expect(rows.map((s) => [s.kind, s.level, s.regionId])).toEqual([
      ['SIGN_OVERDUE', 1, community.id],
      ['SIGN_OVERDUE', 2, street.id],
      ['SIGN_OVERDUE', 3, district.id],
    ])
    expect(await t.prisma.dispatchOrder.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      supervisionLevel: 3,
      status: 'CREATED',
    })

    // The street officer is notified of level 2+ and sees it.
    const streetOfficer = await t.tokenFor('street.officer')
    const seen = await client(t.url, streetOfficer).must(SUPERVISIONS, { caseId: globalId('Case', row.caseId) })
    expect(seen.supervisions.edges.map((e: { node: { level: number } }) => e.node.level).sort()).toEqual([1, 2, 3])

    // Capped: much later nothing more is raised for this order.
    await t.app.jobs.sweepOverdue(at(row.signBy, 10 * signPeriod))
    expect(await rowsOf(row.id)).toHaveLength(3)
  })

  it('should raise each supervision once when sweeps run concurrently', async () => {
    const { row } = await overdueSetup()
    const now = at(row.signBy, MINUTE)
    const before = await t.prisma.supervision.count()
    const raised = await Promise.all(Array.from({ length: 4 }, () => t.app.jobs.sweepOverdue(now)))
    const after = await t.prisma.supervision.count()
    expect(raised.reduce((a, b) => a + b, 0)).toBe(after - before)
    expect(await rowsOf(row.id)).toHaveLength(1)
    const dupes = await t.prisma.supervision.groupBy({
      by: ['orderId', 'level'],
      _count: { _all: true },
      having: { orderId: { _count: { gt: 1 } } },
    })
    expect(dupes).toEqual([])
  })

  it('should work off a backlog larger than one batch in several transactions, in one sweep', async () => {
    const desk = await dispatchDesk(t)
    const cases = await desk.dispatchedMany(5, 1)
    const rows = await t.prisma.dispatchOrder.findMany({
      where: { id: { in: cases.map((c) => rowId(desk.orderOf(c).id)) } },
    })
    const now = at(new Date(Math.max(...rows.map((r) => r.signBy.getTime()))), MINUTE)
    const before = await t.prisma.supervision.count()
    const began = await t.countStatements(() => sweepOverdue({ prisma: t.prisma, pubsub: t.pubsub }, now, 2))
    for (const r of rows) expect(await rowsOf(r.id), r.id).toHaveLength(1)
    const raised = (await t.prisma.supervision.count()) - before
    expect(raised).toBeGreaterThanOrEqual(5)
    // a transaction (each takes the sweep lock) per two raised, and one more that stops short of its budget
    expect(began.statements.filter((x) => x.includes('pg_try_advisory_xact_lock'))).toHaveLength(
      Math.floor(raised / 2) + 1,
    )
    expect(await t.app.jobs.sweepOverdue(now)).toBe(0)
  })

  it('should not supervise an order signed in time', async () => {
    const { desk, order, row } = await overdueSetup()
    await must(t.url, desk.departmentToken, MUTATIONS.sign, { id: order.id, version: order.version })
    await t.app.jobs.sweepOverdue(at(row.signBy, MINUTE))
    expect(await rowsOf(row.id)).toHaveLength(0)
  })

  it('should raise a COMPLETION_OVERDUE supervision for an order signed late and then not completed in time', async () => {
    const { desk, order, row, community } = await overdueSetup()
    await t.app.jobs.sweepOverdue(at(row.signBy, MINUTE))
    // The sweep bumped the order's version: the department signs what it reads now.
    const current = await t.prisma.dispatchOrder.findUniqueOrThrow({ where: { id: row.id } })
    await must(t.url, desk.departmentToken, MUTATIONS.sign, { id: order.id, version: current.version })
    await t.app.jobs.sweepOverdue(at(row.completeBy, MINUTE))
    const rows = await rowsOf(row.id)
    expect(rows.map((s) => [s.kind, s.level, s.regionId])).toEqual([
      ['SIGN_OVERDUE', 1, community.id],
      ['COMPLETION_OVERDUE', 1, community.id],
    ])
  })
})
