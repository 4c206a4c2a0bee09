// An order's step takes its case's row first, as the case's own steps do (the case, then its
// orders): two orders settled at once see each other's outcome, so the last completion resolves the
// case whichever commits first, and no step waits on another in the opposite order.
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, newStaff, rowId } from '../../helpers/fixtures.js'
import { caseFactory, caseInput, MUTATIONS as M } from '../../factories/cases.js'
import { client, graphql, must } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const CASE_STATUS = graphql(`query($id: ID!) { node(id: $id) { ... on Case { status } } }`)

let serial = 0

/** A case dispatched to two departments, both orders on site, with each department's staff token. */
async function twoOrdersOnSite() {
  const reporter = await t.tokenFor('grid.worker.CG-DM-01.leader', ['GRID_WORKER'])
  const officer = await t.tokenFor('community.officer.1')
  const departments = await t.prisma.department.findMany({ orderBy: { code: 'asc' }, take: 2 })
  const flow = caseFactory(t, { reporter, officer })
  await flow.report(await caseInput(t, { grid: 'CG-DM-01', category: 'SECURITY', title: `两部门联办 ${++serial}` }))
  await flow.accept()
  await flow.dispatchTo(
    departments.map((d, i) => ({ departmentId: globalId('Department', d.id), role: i ? 'ASSIST' : 'LEAD' })),
  )
  const orders = await Promise.all(
    departments.map(async (d) => {
      const token = await t.tokenFor(`staff-${await newStaff(t.prisma, d.id)}`)
      const order = flow.case.orders.find((o) => o.department?.code === d.code)!
      const signed = await must(t.url, token, M.sign, { id: order.id, version: order.version })
      const onSite = await must(t.url, token, M.onSite, { id: signed.id, version: signed.version })
      return { token, id: onSite.id, version: onSite.version }
    }),
  )
  return { caseId: flow.case.id, officer, orders }
}

const complete = (o: { token: string; id: string; version: number }) =>
  must(t.url, o.token, M.complete, { id: o.id, version: o.version, result: '已处置' })

/** Backends of this file's database waiting for a row lock. */
const waitingOnLocks = async () =>
  (
    await t.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`
  )[0]!.n

describe("an order's step and its case (派单与案件)", () => {
  it("should wait for the case's row before it completes an order, even one that leaves the case open", async () => {
    const { caseId, orders } = await twoOrdersOnSite()
    let release!: () => void
    const released = new Promise<void>((r) => {
      release = r
    })
    let locked!: () => void
    const holding = new Promise<void>((r) => {
      locked = r
    })
    const holder = t.prisma.$transaction(
      async (tx) => {
        // the lock a case's own step holds while it updates the case (an UPDATE's lock)
        await tx.$queryRaw`SELECT 1 FROM "Case" WHERE id = ${rowId(caseId)}::uuid FOR NO KEY UPDATE`
        locked()
        await released
      },
      { timeout: 30_000 },
    )
    await holding
    const completing = complete(orders[0]!)
    await expect.poll(waitingOnLocks, { timeout: 10_000 }).toBe(1)
    release()
    await holder
    expect(await completing).toMatchObject({ status: 'COMPLETED', case: { status: 'DISPATCHED' } })
  })

  it('should resolve the case when its last two orders are completed at the same moment', async () => {
    for (let round = 0; round < 3; round++) {
      const { caseId, officer, orders } = await twoOrdersOnSite()
      const done = await Promise.all(orders.map(complete))
      expect(done.map((o) => o.status)).toEqual(['COMPLETED', 'COMPLETED'])
      expect((await client(t.url, officer).must(CASE_STATUS, { id: caseId })).node).toEqual({ status: 'RESOLVED' })
    }
  })
})
