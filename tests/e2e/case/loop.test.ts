import { describe, expect } from 'vitest'
import { it, story } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, rowId, userWithRole } from '../../helpers/fixtures.js'
import { caseFactory, caseInput, gridCenter, workOrder } from '../../factories/cases.js'
import { client, collect, graphql, wsClient } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const FEED = graphql(
  `subscription { dispatchOrderCreated { cursor order { id status role department { code } case { title } } } }`,
)

describe('the closed case loop', () => {
  describe("a patrol report's loop: dispatch, handling, a 2/5 rating, reopening and closure", () => {
    // One story in ordered steps: each `it` continues from the state the previous one left.
    const s = story(
      async () => {
        const { grid } = await gridCenter(t, 'CG-DM-01')
        const worker = await t.tokenFor('grid.worker.CG-DM-01.leader', ['GRID_WORKER'])
        const officerUser = await userWithRole(t.prisma, 'COMMUNITY_OFFICER', { regionIds: { has: grid.communityId } })
        const officer = await t.tokenFor(officerUser.username)
        const residentUser = await userWithRole(t.prisma, 'RESIDENT')
        const resident = await t.tokenFor(residentUser.username, ['RESIDENT'])
        const dept = async (code: string) => t.prisma.department.findUniqueOrThrow({ where: { code } })
        const [hw, zf, pcs] = [await dept('CGHW'), await dept('CGZF'), await dept('CGPCS')]
        const tokenOf = async (d: { code: string }) => t.tokenFor(`dept.${d.code}`)
        const deptTokens = { CGHW: await tokenOf(hw), CGZF: await tokenOf(zf), CGPCS: await tokenOf(pcs) }

        // Three departments listen live; only the lead and the assisting one are addressed.
        const sockets = Object.fromEntries(
          Object.entries(deptTokens).map(([code, token]) => [code, wsClient(t.wsUrl, token)]),
        )
        const feeds = Object.fromEntries(Object.entries(sockets).map(([code, ws]) => [code, collect(ws, FEED)]))
        await Promise.all([hw, zf, pcs].map((d) => t.app.feeds.dispatch.whenAttached(`department:${d.id}`)))
        const flow = caseFactory(t, { reporter: worker, officer })
        return { worker, officer, resident, residentUser, deptTokens, sockets, feeds, flow }
      },
      {
        teardown: async (s) => {
          for (const f of Object.values(s.feeds)) f.dispose()
          await Promise.all(Object.values(s.sockets).map((ws) => ws.dispose()))
        },
      },
    )

    it("should file the report on behalf of a resident in the point's grid and accept it", async () => {
      const { flow, residentUser } = s
      await flow.report(
        await caseInput(t, {
          grid: 'CG-DM-01',
          category: 'SANITATION',
          title: '小区门口垃圾堆积',
          description: '东门花园北门垃圾三天未清运',
          address: '东门大街1号',
          onBehalfOfId: globalId('User', residentUser.id),
        }),
      )
      expect(flow.case.status).toBe('REPORTED')
      expect((flow.case as unknown as { grid: { code: string } }).grid.code).toBe('CG-DM-01')
      await flow.accept()
      expect(flow.case.status).toBe('ACCEPTED')
    })

    it('should dispatch to the lead and the assisting department and push each its order within 1 s', async () => {
      const { flow, feeds } = s
      await flow.dispatchAuto()
      expect(flow.case.status).toBe('DISPATCHED')
      expect(flow.case.orders.map((o) => [o.department?.code, o.role]).sort()).toEqual([
        ['CGHW', 'LEAD'],
        ['CGZF', 'ASSIST'],
      ])
      const [hwEvent] = await feeds.CGHW!.next(1)
      const [zfEvent] = await feeds.CGZF!.next(1)
      // within 1 s of the order's creation (its insert time in the database, same clock)
      for (const event of [hwEvent!, zfEvent!]) {
        const created = await t.prisma.dispatchOrder.findUniqueOrThrow({
          where: { id: rowId(event.data!.dispatchOrderCreated.order.id) },
        })
        expect(event.receivedAt - created.createdAt.getTime()).toBeLessThan(1000)
      }
      expect(hwEvent!.data!.dispatchOrderCreated.order).toMatchObject({
        role: 'LEAD',
        department: { code: 'CGHW' },
        case: { title: '小区门口垃圾堆积' },
      })
      expect(zfEvent!.data!.dispatchOrderCreated.order).toMatchObject({ role: 'ASSIST', department: { code: 'CGZF' } })
    })

    it('should push nothing to a department that is not addressed: its first event is its own order', async () => {
      const { worker, officer, feeds } = s
      const other = caseFactory(t, { reporter: worker, officer })
      await other.report(
        await caseInput(t, {
          grid: 'CG-DM-01',
          category: 'SECURITY',
          title: '夜间聚集滋事',
          description: '广场夜间有人聚集',
        }),
      )
      await other.accept()
      await other.dispatchAuto()
      const [pcsFirst] = await feeds.CGPCS!.next(1)
      expect(pcsFirst!.data!.dispatchOrderCreated.order.case.title).toBe('夜间聚集滋事')
      expect(feeds.CGHW!.items).toHaveLength(1)
      expect(feeds.CGZF!.items).toHaveLength(1)
    })

    it("should resolve the case with the last department's completion and let the officer verify it", async () => {
      const { flow, deptTokens } = s
      const byDept = (code: string) => flow.case.orders.find((o) => o.department?.code === code)!
      await workOrder(t, deptTokens.CGZF, byDept('CGZF'), '协助清运')
      const last = await workOrder(t, deptTokens.CGHW, byDept('CGHW'), '垃圾已全部清运')
      expect(last.case.status).toBe('RESOLVED')
      await flow.refresh()
      await flow.verify(true, '现场核查已清理干净')
      expect(flow.case.status).toBe('VERIFIED')
    })

    it('should reopen the case on a 2/5 rating and close it on a 5/5 after a second round of orders', async () => {
      const { flow, resident, deptTokens } = s
      await flow.rate(resident, 2, '第二天又堆了')
      expect(flow.case.status).toBe('REOPENED')

      await flow.accept()
      await flow.dispatchAuto()
      const again = flow.case.orders.filter((o) => o.status === 'CREATED')
      expect(again).toHaveLength(2)
      for (const o of again) await workOrder(t, deptTokens[o.department!.code as 'CGHW' | 'CGZF'], o, '已安排每日清运')
      await flow.refresh()
      expect(flow.case.status).toBe('RESOLVED')
      await flow.verify(true)
      await flow.rate(resident, 5, '满意')
      expect(flow.case.status).toBe('CLOSED')
    })

    it('should keep a full timeline of the loop, in order, each step with its actor', () => {
      const timeline = s.flow.case.timeline
      const caseSteps = timeline
        .filter((e) =>
          [
            'REPORT',
            'ACCEPT',
            'DISPATCH',
            'RESOLVE',
            'VERIFY_PASS',
            'FEEDBACK_UNSATISFIED',
            'FEEDBACK_SATISFIED',
          ].includes(e.action),
        )
        .map((e) => `${e.action}:${e.toStatus}`)
      expect(caseSteps).toEqual([
        'REPORT:REPORTED',
        'ACCEPT:ACCEPTED',
        'DISPATCH:DISPATCHED',
        'RESOLVE:RESOLVED',
        'VERIFY_PASS:VERIFIED',
        'FEEDBACK_UNSATISFIED:REOPENED',
        'ACCEPT:ACCEPTED',
        'DISPATCH:DISPATCHED',
        'RESOLVE:RESOLVED',
        'VERIFY_PASS:VERIFIED',
        'FEEDBACK_SATISFIED:CLOSED',
      ])
      const orderSteps = timeline.filter((e) => ['SIGN', 'ARRIVE', 'COMPLETE'].includes(e.action))
      expect(orderSteps).toHaveLength(12)
      for (const e of orderSteps) expect(e.actor?.username).toMatch(/^dept\.CG(HW|ZF)$/)
      for (const e of timeline.filter((x) => x.action !== 'RESOLVE')) expect(e.actor?.username).toBeTruthy()
      const times = timeline.map((e) => Date.parse(e.createdAt))
      expect([...times].sort((a, b) => a - b)).toEqual(times)
    })
  })

  it("should let the resident see their own case and nobody else's", async () => {
    const residents = await t.prisma.user.findMany({
      where: { roles: { has: 'RESIDENT' } },
      orderBy: { username: 'asc' },
      take: 2,
    })
    const [a, b] = residents
    const tokenA = await t.tokenFor(a!.username, ['RESIDENT'])
    const tokenB = await t.tokenFor(b!.username, ['RESIDENT'])
    const flow = caseFactory(t, { reporter: tokenA, officer: tokenA })
    await flow.report(
      await caseInput(t, {
        grid: 'CG-NQ-02',
        category: 'MUNICIPAL',
        title: '楼道灯不亮',
        description: '3号楼2单元楼道灯坏了',
        source: 'RESIDENT',
      }),
    )
    const mine = await client(t.url, tokenA).must(graphql(`{ cases(first: 50) { edges { node { id title } } } }`))
    expect(mine.cases.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(flow.case.id)
    const theirs = await client(t.url, tokenB).must(graphql(`{ cases(first: 50) { edges { node { id } } } }`))
    expect(theirs.cases.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(flow.case.id)
    const direct = await client(t.url, tokenB).query(
      graphql(`query($id: ID!) { node(id: $id) { ... on Case { title } } }`),
      {
        id: flow.case.id,
      },
    )
    expect(direct.data?.node ?? null).toBeNull()
  })
})
