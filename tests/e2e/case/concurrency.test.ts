import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { userWithRole } from '../../helpers/fixtures.js'
import { caseFactory, caseInput, gridCenter, MUTATIONS } from '../../factories/cases.js'
import { outcome, rowId, tally } from '../../factories/orders.js'
import { client, type Document, ofType } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const LOSERS = new Set(['StaleVersion', 'InvalidTransition'])

/** Fires `n` identical requests at once and returns what each one answered. */
async function race(n: number, token: string, query: Document, input: Record<string, unknown>) {
  const results = await Promise.all(Array.from({ length: n }, () => client(t.url, token).query(query, { input })))
  return { results, outcomes: results.map(outcome) }
}

/** A SANITATION case (auto: lead 环卫所 CGHW, assist 城管 CGZF) reported by a grid worker of CG-NQ-01. */
async function sanitationCase() {
  const { grid } = await gridCenter(t, 'CG-NQ-01')
  const officerUser = await userWithRole(t.prisma, 'COMMUNITY_OFFICER', { regionIds: { has: grid.communityId } })
  const officer = await t.tokenFor(officerUser.username)
  const worker = await t.tokenFor('grid.worker.CG-NQ-01.fulltime')
  const flow = caseFactory(t, { reporter: worker, officer })
  await flow.report(
    await caseInput(t, {
      grid: 'CG-NQ-01',
      category: 'SANITATION',
      title: `垃圾满溢 ${randomUUID().slice(0, 8)}`,
      description: '垃圾桶满溢无人清运',
    }),
  )
  return { flow, officer }
}

describe('optimistic concurrency on the case loop', () => {
  it('should let exactly one of 20 concurrent accepts win; the others get StaleVersion or InvalidTransition', async () => {
    const { flow, officer } = await sanitationCase()
    const { id, version } = flow.case
    const { results, outcomes } = await race(20, officer, MUTATIONS.accept, { id, version })

    expect(tally(outcomes).AcceptCasePayload).toBe(1)
    for (const o of outcomes.filter((x) => x !== 'AcceptCasePayload')) expect(LOSERS).toContain(o)
    const winner = results.find((r) => outcome(r) === 'AcceptCasePayload')!.data.acceptCase.case
    expect(winner).toMatchObject({ status: 'ACCEPTED', version: version + 1 })

    const row = await t.prisma.case.findUniqueOrThrow({ where: { id: rowId(id) } })
    expect(row).toMatchObject({ status: 'ACCEPTED', version: version + 1 })
    expect(await t.prisma.caseEvent.count({ where: { caseId: row.id, action: 'ACCEPT' } })).toBe(1)
  })

  it('should let exactly one of 10 concurrent auto-dispatches win, creating exactly the two routed orders and one DISPATCH event', async () => {
    const { flow, officer } = await sanitationCase()
    await flow.accept()
    const { id, version } = flow.case
    const { results, outcomes } = await race(10, officer, MUTATIONS.dispatch, { id, version, mode: 'AUTO' })

    expect(tally(outcomes).DispatchCasePayload).toBe(1)
    for (const o of outcomes.filter((x) => x !== 'DispatchCasePayload')) expect(LOSERS).toContain(o)
    const winner = results.find((r) => outcome(r) === 'DispatchCasePayload')!.data.dispatchCase.case
    expect(
      winner.orders.map((o: { department: { code: string }; role: string }) => `${o.department.code}:${o.role}`).sort(),
    ).toEqual(['CGHW:LEAD', 'CGZF:ASSIST'])

    const caseId = rowId(id)
    expect(await t.prisma.dispatchOrder.count({ where: { caseId } })).toBe(2)
    expect(await t.prisma.caseEvent.count({ where: { caseId, action: 'DISPATCH' } })).toBe(1)
    expect(await t.prisma.caseEvent.count({ where: { caseId, action: 'ORDER_CREATE' } })).toBe(2)
    const orders = await t.prisma.dispatchOrder.findMany({ where: { caseId } })
    expect(orders.every((o) => o.seq !== null)).toBe(true)
    expect(await t.prisma.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({
      status: 'DISPATCHED',
      version: version + 1,
    })
  })

  it('should let exactly one of 10 concurrent signs of one order by its department win', async () => {
    const { flow } = await sanitationCase()
    await flow.accept()
    await flow.dispatchAuto()
    const lead = flow.case.orders.find((o) => o.department?.code === 'CGHW')!
    const hw = await t.tokenFor('dept.CGHW')
    const { outcomes } = await race(10, hw, MUTATIONS.sign, { id: lead.id, version: lead.version })

    expect(tally(outcomes).SignDispatchOrderPayload).toBe(1)
    for (const o of outcomes.filter((x) => x !== 'SignDispatchOrderPayload')) expect(LOSERS).toContain(o)
    const row = await t.prisma.dispatchOrder.findUniqueOrThrow({ where: { id: rowId(lead.id) } })
    expect(row).toMatchObject({ status: 'SIGNED', version: lead.version + 1 })
    expect(await t.prisma.caseEvent.count({ where: { orderId: row.id, action: 'SIGN' } })).toBe(1)
  })
})

describe('idempotent case reports', () => {
  const REPORT = MUTATIONS.report

  function reportInput(key: string) {
    return caseInput(t, {
      grid: 'CG-XJ-02',
      category: 'MUNICIPAL',
      title: '路灯不亮',
      description: '西街2网格路灯连续三晚不亮',
      source: 'RESIDENT',
      idempotencyKey: key,
    })
  }

  it('should create exactly one case when a report is retried sequentially with the same idempotency key', async () => {
    const resident = await t.tokenFor('resident.2', ['RESIDENT'])
    const key = `retry-${randomUUID()}`
    const input = await reportInput(key)
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const res = await client(t.url, resident).query(REPORT, { input })
      expect(outcome(res)).toBe('ReportCasePayload')
      ids.push(ofType(res.data?.reportCase, 'ReportCasePayload').case.id)
    }
    expect(new Set(ids).size).toBe(1)
    expect(await t.prisma.case.count({ where: { idempotencyKey: key } })).toBe(1)
    expect(await t.prisma.caseEvent.count({ where: { caseId: rowId(ids[0]!), action: 'REPORT' } })).toBe(1)
  })

  it('should create exactly one case when 5 retries with the same idempotency key arrive at once', async () => {
    const resident = await t.tokenFor('resident.3', ['RESIDENT'])
    const key = `burst-${randomUUID()}`
    const input = await reportInput(key)
    const { results, outcomes } = await race(5, resident, REPORT, input)

    expect(outcomes).toEqual(Array(5).fill('ReportCasePayload'))
    expect(new Set(results.map((r) => r.data.reportCase.case.id)).size).toBe(1)
    expect(await t.prisma.case.count({ where: { idempotencyKey: key } })).toBe(1)
    expect(
      await t.prisma.caseEvent.count({
        where: { caseId: rowId(results[0]!.data.reportCase.case.id), action: 'REPORT' },
      }),
    ).toBe(1)
  })

  it('should scope the idempotency key to its reporter: another resident with the same key files their own case', async () => {
    const key = `shared-${randomUUID()}`
    const input = await reportInput(key)
    const a = await client(t.url, await t.tokenFor('resident.1', ['RESIDENT'])).query(REPORT, { input })
    const b = await client(t.url, await t.tokenFor('resident.4', ['RESIDENT'])).query(REPORT, { input })
    expect([outcome(a), outcome(b)]).toEqual(['ReportCasePayload', 'ReportCasePayload'])
    expect(ofType(a.data?.reportCase, 'ReportCasePayload').case.id).not.toBe(
      ofType(b.data?.reportCase, 'ReportCasePayload').case.id,
    )
    expect(await t.prisma.case.count({ where: { idempotencyKey: key } })).toBe(2)
  })
})
