import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, twoCommunities, userWithRole } from '../../helpers/fixtures.js'
import { caseFactory, caseInput, gridCenter, MUTATIONS } from '../../factories/cases.js'
import { outcome, rowId } from '../../factories/orders.js'
import { client, collect, graphql, ofType, wsClient } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const DENIED = new Set(['Forbidden', 'NotFound'])
const CREATED = graphql(
  `subscription($regionId: ID) { dispatchOrderCreated(regionId: $regionId) { order { id case { title } } } }`,
)
const UPDATED = graphql(`subscription($regionId: ID) { dispatchOrderUpdated(regionId: $regionId) { id status } }`)
const CASE_UPDATED = graphql(`subscription($id: ID!) { caseUpdated(id: $id) { id status } }`)
const errorCodes = (item: { errors?: unknown[] } | undefined) =>
  (item?.errors ?? []).map((e) => (e as { extensions?: { code?: string } }).extensions?.code)

/** Files a case in a grid as that grid's leader; the community's officer accepts it and dispatches it by the routing rules. */
async function dispatchedCase(gridCode: string, category: string, title: string) {
  const { grid } = await gridCenter(t, gridCode)
  const officerUser = await userWithRole(t.prisma, 'COMMUNITY_OFFICER', { regionIds: { has: grid.communityId } })
  const officer = await t.tokenFor(officerUser.username)
  const flow = caseFactory(t, { reporter: await t.tokenFor(`grid.worker.${gridCode}.leader`), officer })
  await flow.report(await caseInput(t, { grid: gridCode, category, title, description: `${title}，请尽快处理` }))
  await flow.accept()
  await flow.dispatchAuto()
  return flow
}

const deptToken = (code: string) => t.tokenFor(`dept.${code}`)
const deptId = async (code: string) => (await t.prisma.department.findUniqueOrThrow({ where: { code } })).id

describe('row-level rules for departments', () => {
  it('should show a department only its own orders and the cases behind them', async () => {
    const flow = await dispatchedCase('CG-DM-01', 'SANITATION', '绿化带垃圾成堆')
    const hwOrder = flow.case.orders.find((o) => o.department?.code === 'CGHW')!
    const zfOrder = flow.case.orders.find((o) => o.department?.code === 'CGZF')!
    const [hw, pcs] = [client(t.url, await deptToken('CGHW')), client(t.url, await deptToken('CGPCS'))]
    const LIST = graphql(
      `{ dispatchOrders(first: 100) { edges { node { id department { code } } } } cases(first: 100) { edges { node { id } } } }`,
    )
    const ids = (conn: { edges: { node: { id: string } }[] }) => conn.edges.map((e) => e.node.id)

    const hwSees = await hw.must(LIST)
    expect(ids(hwSees.dispatchOrders)).toContain(hwOrder.id)
    expect(ids(hwSees.dispatchOrders)).not.toContain(zfOrder.id)
    expect(new Set(hwSees.dispatchOrders.edges.map((e) => e.node.department?.code))).toEqual(new Set(['CGHW']))
    expect(ids(hwSees.cases)).toContain(flow.case.id)

    const viaCase = await hw.must(
      graphql(`query($id: ID!) { node(id: $id) { ... on Case { id orders { id department { code } } } } }`),
      { id: flow.case.id },
    )
    expect(ofType(viaCase.node, 'Case').orders).toEqual([{ id: hwOrder.id, department: { code: 'CGHW' } }])
    const other = await hw.query(graphql(`query($id: ID!) { node(id: $id) { ... on DispatchOrder { id } } }`), {
      id: zfOrder.id,
    })
    expect(other.data?.node ?? null).toBeNull()

    // A department with no order on the case sees neither the case nor its orders.
    const pcsSees = await pcs.must(LIST)
    expect(ids(pcsSees.dispatchOrders)).not.toContain(hwOrder.id)
    expect(ids(pcsSees.dispatchOrders)).not.toContain(zfOrder.id)
    expect(ids(pcsSees.cases)).not.toContain(flow.case.id)
    const direct = await pcs.query(graphql(`query($id: ID!) { node(id: $id) { ... on Case { id } } }`), {
      id: flow.case.id,
    })
    expect(direct.data?.node ?? null).toBeNull()
  })

  it("should refuse a department signing another department's order, leaving it untouched", async () => {
    const flow = await dispatchedCase('CG-DM-02', 'SANITATION', '路边垃圾未清运')
    const zfOrder = flow.case.orders.find((o) => o.department?.code === 'CGZF')!
    for (const code of ['CGHW', 'CGPCS']) {
      const res = await client(t.url, await deptToken(code)).query(MUTATIONS.sign, {
        input: { id: zfOrder.id, version: zfOrder.version },
      })
      expect(DENIED).toContain(outcome(res))
    }
    expect(await t.prisma.dispatchOrder.findUniqueOrThrow({ where: { id: rowId(zfOrder.id) } })).toMatchObject({
      status: 'CREATED',
      version: zfOrder.version,
    })
  })

  it('should push new and updated orders only to their addressee: a third department receives nothing', async () => {
    const pcsToken = await deptToken('CGPCS')
    const pcsId = await deptId('CGPCS')
    const ws = wsClient(t.wsUrl, pcsToken)
    const created = collect(ws, CREATED)
    const updated = collect(ws, UPDATED)
    await t.app.feeds.dispatch.whenAttached(`department:${pcsId}`)
    await t.pubsub.whenSubscribed('dispatch:updated', `department:${pcsId}`)

    // Orders to 环卫所 and 城管, and 环卫所 signing its own: nothing for 派出所.
    const sanitation = await dispatchedCase('CG-DM-03', 'SANITATION', '垃圾桶破损')
    const hwOrder = sanitation.case.orders.find((o) => o.department?.code === 'CGHW')!
    expect(
      outcome(
        await client(t.url, await deptToken('CGHW')).query(MUTATIONS.sign, {
          input: { id: hwOrder.id, version: hwOrder.version },
        }),
      ),
    ).toBe('SignDispatchOrderPayload')

    // Barrier: an order to 派出所, and its signing, must be the first things it sees.
    const security = await dispatchedCase('CG-DM-03', 'SECURITY', '楼道可疑人员')
    const pcsOrder = security.case.orders[0]!
    const [firstCreated] = await created.next(1)
    expect(firstCreated!.data!.dispatchOrderCreated.order).toEqual({ id: pcsOrder.id, case: { title: '楼道可疑人员' } })
    expect(
      outcome(
        await client(t.url, pcsToken).query(MUTATIONS.sign, { input: { id: pcsOrder.id, version: pcsOrder.version } }),
      ),
    ).toBe('SignDispatchOrderPayload')
    const [firstUpdated] = await updated.next(1)
    expect(firstUpdated!.data!.dispatchOrderUpdated).toEqual({ id: pcsOrder.id, status: 'SIGNED' })
    expect(created.items).toHaveLength(1)
    expect(updated.items).toHaveLength(1)

    created.dispose()
    updated.dispose()
    await ws.dispose()
  })
})

describe('row-level rules for officers', () => {
  it('should keep a case of community 2 from the officer of community 1: no accepting, no reading', async () => {
    const { b, officerA, officerB } = await twoCommunities(t.prisma)
    const gridCode = b.grids[0]!.code
    const flow = caseFactory(t, {
      reporter: await t.tokenFor(`grid.worker.${gridCode}.leader`),
      officer: await t.tokenFor(officerB.username),
    })
    await flow.report(
      await caseInput(t, {
        grid: gridCode,
        category: 'NOISE',
        title: '广场舞噪声',
        description: '晚上十点后仍有广场舞',
      }),
    )

    const officer1 = client(t.url, await t.tokenFor(officerA.username))
    const accept = await officer1.query(MUTATIONS.accept, { input: { id: flow.case.id, version: flow.case.version } })
    expect(DENIED).toContain(outcome(accept))
    expect(await t.prisma.case.findUniqueOrThrow({ where: { id: rowId(flow.case.id) } })).toMatchObject({
      status: 'REPORTED',
      version: flow.case.version,
    })
    const list = await officer1.must(graphql(`{ cases(first: 100) { edges { node { id } } } }`))
    expect(list.cases.edges.map((e) => e.node.id)).not.toContain(flow.case.id)
    const direct = await officer1.query(graphql(`query($id: ID!) { node(id: $id) { ... on Case { id } } }`), {
      id: flow.case.id,
    })
    expect(direct.data?.node ?? null).toBeNull()

    // Its own officer can.
    await flow.accept()
    expect(flow.case.status).toBe('ACCEPTED')
  })

  it('should let an officer watch the feeds of their own community but not of another', async () => {
    const { a, b, officerA } = await twoCommunities(t.prisma)
    const ws = wsClient(t.wsUrl, await t.tokenFor(officerA.username))
    const own = collect(ws, CREATED, { regionId: globalId('Region', a.id) })
    await t.app.feeds.dispatch.whenAttached(`region:${a.id}`)
    const foreignCreated = collect(ws, CREATED, { regionId: globalId('Region', b.id) })
    const foreignUpdated = collect(ws, UPDATED, { regionId: globalId('Region', b.id) })
    const [deniedCreated] = await foreignCreated.next(1)
    const [deniedUpdated] = await foreignUpdated.next(1)
    expect(errorCodes(deniedCreated)).toEqual(['auth/forbidden'])
    expect(errorCodes(deniedUpdated)).toEqual(['auth/forbidden'])

    // An order in community 2, then one in community 1: the officer's own feed sees only the latter.
    await dispatchedCase(b.grids[1]!.code, 'SECURITY', '南桥路口打架')
    const mine = await dispatchedCase(a.grids[1]!.code, 'SECURITY', '东门商铺被盗')
    const [first] = await own.next(1)
    expect(first!.data!.dispatchOrderCreated.order).toEqual({
      id: mine.case.orders[0]!.id,
      case: { title: '东门商铺被盗' },
    })
    expect(own.items).toHaveLength(1)
    own.dispose()
    await ws.dispose()
  })
})

describe('row-level rules for residents', () => {
  it('should refuse a resident the dispatch feeds', async () => {
    const ws = wsClient(t.wsUrl, await t.tokenFor('resident.1', ['RESIDENT']))
    const created = collect(ws, CREATED)
    const updated = collect(ws, UPDATED)
    const [c] = await created.next(1)
    const [u] = await updated.next(1)
    expect(errorCodes(c)).toEqual(['auth/forbidden'])
    expect(errorCodes(u)).toEqual(['auth/forbidden'])
    await ws.dispose()
  })

  it("should let a resident follow their own case live but not someone else's", async () => {
    const { a, officerA } = await twoCommunities(t.prisma)
    const owner = await t.tokenFor('resident.1', ['RESIDENT'])
    const flow = caseFactory(t, { reporter: owner, officer: await t.tokenFor(officerA.username) })
    await flow.report(
      await caseInput(t, {
        grid: a.grids[0]!.code,
        category: 'MUNICIPAL',
        title: '井盖缺失',
        description: '小区门口井盖缺失',
        source: 'RESIDENT',
      }),
    )

    const stranger = wsClient(t.wsUrl, await t.tokenFor('resident.2', ['RESIDENT']))
    const denied = collect(stranger, CASE_UPDATED, { id: flow.case.id })
    const [refusal] = await denied.next(1)
    expect(errorCodes(refusal)).toEqual(['common/not-found'])

    const ws = wsClient(t.wsUrl, owner)
    const mine = collect(ws, CASE_UPDATED, { id: flow.case.id })
    await t.pubsub.whenSubscribed('case:updated', rowId(flow.case.id))
    await flow.accept()
    const [update] = await mine.next(1)
    expect(update!.data!.caseUpdated).toEqual({ id: flow.case.id, status: 'ACCEPTED' })
    expect(denied.items).toHaveLength(1)
    mine.dispose()
    await Promise.all([ws.dispose(), stranger.dispose()])
  })

  it('should refuse a resident reporting from the PATROL channel', async () => {
    const title = '居民冒充巡查上报'
    const res = await client(t.url, await t.tokenFor('resident.3', ['RESIDENT'])).query(MUTATIONS.report, {
      input: await caseInput(t, {
        grid: 'CG-XJ-01',
        category: 'DISPUTE',
        title,
        description: '居民选择了网格巡查来源',
        source: 'PATROL',
      }),
    })
    expect(outcome(res)).toBe('Forbidden')
    expect(ofType(res.data?.reportCase, 'Forbidden').code).toBe('auth/forbidden')
    expect(await t.prisma.case.count({ where: { title } })).toBe(0)
  })
})
