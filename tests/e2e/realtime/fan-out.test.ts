// Pushing an order costs database work per audience, not per subscriber; idle sockets
// cost nothing; sockets obey per-connection and per-user limits and end with their credentials.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import { dispatchDesk, type LeanCase } from '../../factories/orders.js'
import { caseFactory, caseInput } from '../../factories/cases.js'
import { globalId, newStaff, rowId, twoCommunities } from '../../helpers/fixtures.js'
import { collect, deferred, graphql, wsClient, type Closed } from '../../helpers/graphql.js'

const FEED = graphql(
  `subscription($after: String) { dispatchOrderCreated(after: $after) { cursor order { id status role department { code } case { title status } } } }`,
)

let t: TestApp
let desk: Awaited<ReturnType<typeof dispatchDesk>>
let backlog: LeanCase[]

beforeAll(async () => {
  // no timer may add a statement to a counted window: session checks are run by hand, the poll is far away
  t = await startTestApp({
    WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
    MAX_SUBSCRIPTIONS_PER_USER: '4',
    WS_CONNECTION_INIT_TIMEOUT_MS: '300',
    SESSION_CHECK_MS: '0',
    DISPATCH_POLL_MS: '600000',
  })
  desk = await dispatchDesk(t)
  backlog = await desk.acceptedMany(6, 2)
})
afterAll(() => t?.stop())

/** A token for a new staff member of the department (each subscriber its own account). */
const staffToken = async (departmentId = desk.department.id, expiresIn: string | number = '1h') =>
  t.sign(
    { sub: await newStaff(t.prisma, departmentId), roles: ['DEPARTMENT_STAFF'], department: departmentId },
    expiresIn,
  )

/** `n` subscribers of the desk's department, each on its own socket as its own user, attached. */
async function subscribers(n: number) {
  const clients = await Promise.all(Array.from({ length: n }, async () => wsClient(t.wsUrl, await staffToken())))
  const feeds = clients.map((c) => collect(c, FEED))
  for (const _ of feeds) await t.app.feeds.dispatch.whenAttached(`department:${desk.department.id}`)
  return { feeds, dispose: () => Promise.all(clients.map((c) => c.dispose())) }
}

/** Statements from dispatching one case until every feed has it. */
async function statementsPerOrder(feeds: ReturnType<typeof collect<undefined, typeof FEED>>[], c: LeanCase) {
  const before = feeds.map((f) => f.items.length)
  const { count, statements } = await t.countStatements(async () => {
    await desk.dispatch(c)
    await Promise.all(feeds.map((f, i) => f.next(before[i]! + 1)))
  })
  return { count, statements, payloads: feeds.map((f, i) => JSON.stringify(f.items[before[i]!]!.data)) }
}

describe('fan-out', () => {
  it('should cost the same statements per order for 2 subscribers as for 30, and send them all the same payload', async () => {
    const few = await subscribers(2)
    const small = await statementsPerOrder(few.feeds, backlog[0]!)
    await few.dispose()
    const many = await subscribers(30)
    const large = await statementsPerOrder(many.feeds, backlog[1]!)
    await many.dispose()

    expect(new Set(small.payloads).size).toBe(1)
    expect(new Set(large.payloads).size).toBe(1)
    const payload = JSON.parse(large.payloads[0]!)
    expect(payload.dispatchOrderCreated.order).toMatchObject({
      status: 'CREATED',
      role: 'LEAD',
      department: { code: 'CGPCS' },
      case: { status: 'DISPATCHED' },
    })
    // one feed read and one payload execution for all 30: the total does not grow with subscribers
    expect(large.count, large.statements.join('\n')).toBe(small.count)
    const orderReads = large.statements.filter((s) => /FROM "public"\."DispatchOrder"/.test(s) && /"seq" >/.test(s))
    expect(orderReads.length).toBe(1)
  })

  it('should read nothing for idle subscribers but the one safety-net poll, whatever their number', async () => {
    const idle = await startTestApp({ DISPATCH_POLL_MS: '100', SESSION_CHECK_MS: '0' })
    try {
      const idleDesk = await dispatchDesk(idle)
      const clients = await Promise.all(
        Array.from({ length: 40 }, async () =>
          wsClient(
            idle.wsUrl,
            await idle.sign({
              sub: await newStaff(idle.prisma, idleDesk.department.id),
              roles: ['DEPARTMENT_STAFF'],
              department: idleDesk.department.id,
            }),
          ),
        ),
      )
      for (const c of clients) collect(c, FEED)
      for (const _ of clients) await idle.app.feeds.dispatch.whenAttached(`department:${idleDesk.department.id}`)
      // a measuring window is the point here: 10 polls of 100 ms, per subscriber it would be 400 reads
      const { count } = await idle.countStatements(() => new Promise((r) => setTimeout(r, 1000)))
      expect(count).toBeGreaterThanOrEqual(5)
      expect(count).toBeLessThanOrEqual(15)
      await Promise.all(clients.map((c) => c.dispose()))
    } finally {
      await idle.stop()
    }
  })

  it('should not warn about listeners when a topic has many subscribers', async () => {
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(w.name)
    process.on('warning', onWarning)
    const clients = await Promise.all(Array.from({ length: 15 }, async () => wsClient(t.wsUrl, await staffToken())))
    for (const c of clients) collect(c, graphql(`subscription { dispatchOrderUpdated { id } }`))
    await Promise.all(
      clients.map(() => t.pubsub.whenSubscribed('dispatch:updated', `department:${desk.department.id}`)),
    )
    await new Promise((r) => setImmediate(r))
    process.off('warning', onWarning)
    await Promise.all(clients.map((c) => c.dispose()))
    expect(warnings).not.toContain('MaxListenersExceededWarning')
  })
})

describe('limits', () => {
  it('should refuse a subscription past the per-connection limit with realtime/too-many-subscriptions, and accept one again after another ends', async () => {
    const client = wsClient(t.wsUrl, await staffToken())
    const open = [collect(client, FEED), collect(client, FEED), collect(client, FEED)]
    for (const _ of open) await t.app.feeds.dispatch.whenAttached(`department:${desk.department.id}`)
    const refused = collect(client, FEED)
    await refused.done
    expect(refused.items[0]!.errors).toMatchObject([
      {
        message: expect.stringMatching(/at most 3 per connection/),
        extensions: { code: 'realtime/too-many-subscriptions' },
      },
    ])
    open[0]!.dispose() // the client's `complete` reaches the server before the next `subscribe`
    const again = collect(client, FEED)
    await t.app.feeds.dispatch.whenAttached(`department:${desk.department.id}`)
    expect(again.items).toEqual([])
    await client.dispose()
  })

  it('should refuse a subscription past the per-user limit across connections', async () => {
    const token = await staffToken()
    const [a, b] = [wsClient(t.wsUrl, token), wsClient(t.wsUrl, token)]
    const open = [collect(a, FEED), collect(a, FEED), collect(b, FEED), collect(b, FEED)]
    for (const _ of open) await t.app.feeds.dispatch.whenAttached(`department:${desk.department.id}`)
    const refused = collect(b, FEED)
    await refused.done
    expect(refused.items[0]!.errors).toMatchObject([
      { message: expect.stringMatching(/at most 4 per user/), extensions: { code: 'realtime/too-many-subscriptions' } },
    ])
    // another user of the same department is not affected
    const other = wsClient(t.wsUrl, await staffToken())
    collect(other, FEED)
    await t.app.feeds.dispatch.whenAttached(`department:${desk.department.id}`)
    await Promise.all([a.dispose(), b.dispose(), other.dispose()])
  })

  it('should close a socket that never sends connection_init with 4408', async () => {
    const socket = new WebSocket(t.wsUrl, 'graphql-transport-ws')
    const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)))
    expect(code).toBe(4408)
  })

  it('should close a socket with 4403 when its token expires', async () => {
    const closed = deferred<Closed>()
    const client = wsClient(t.wsUrl, await staffToken(desk.department.id, '2s'), { onClosed: (c) => closed.resolve(c) })
    const feed = collect(client, FEED)
    await t.app.feeds.dispatch.whenAttached(`department:${desk.department.id}`)
    const c = await closed.promise
    expect(c).toMatchObject({ code: 4403, reason: 'Token expired' })
    await feed.done
  })

  it('should close the sockets of a deactivated account with 4403 at the next session check', async () => {
    const user = await t.prisma.user.create({
      data: {
        username: `staff.${randomUUID().slice(0, 8)}`,
        displayName: '停用测试',
        roles: ['DEPARTMENT_STAFF'],
        departmentId: desk.department.id,
      },
    })
    const token = await t.sign({ sub: user.id, roles: ['DEPARTMENT_STAFF'], department: desk.department.id })
    const closed = deferred<Closed>()
    const client = wsClient(t.wsUrl, token, { onClosed: (c) => closed.resolve(c) })
    collect(client, FEED)
    await t.app.feeds.dispatch.whenAttached(`department:${desk.department.id}`)
    expect(await t.app.jobs.checkSessions()).toBe(0)
    await t.prisma.user.update({ where: { id: user.id }, data: { active: false } })
    expect(await t.app.jobs.checkSessions()).toBe(1)
    expect(await closed.promise).toMatchObject({ code: 4403, reason: 'Account deactivated' })
  })
})

describe('shared executions', () => {
  it('should show an officer a case they reported in another community, which their class of officers may not read', async () => {
    const { a, b, officerB } = await twoCommunities(t.prisma)
    // an officer of A who lives in B as a resident (residents read every grid, so the report's grid too)
    const officerA = await t.prisma.user.create({
      data: {
        username: `officer.a.resident.${randomUUID()}`,
        displayName: '邻社区干部',
        roles: ['COMMUNITY_OFFICER', 'RESIDENT'],
        regionIds: [a.id],
      },
    })
    const [tokenA, tokenB] = await Promise.all([t.tokenFor(officerA.username), t.tokenFor(officerB.username)])
    const flow = caseFactory(t, { reporter: tokenA, officer: tokenB })
    await flow.report(
      await caseInput(t, {
        grid: b.grids[0]!.code,
        category: 'SANITATION',
        title: '路过邻社区发现井盖缺失',
        description: '人行道井盖缺失，已临时围挡',
      }),
    )
    // officer A reads it as its reporter only: not through their region
    const row = await t.prisma.case.findUniqueOrThrow({ where: { id: rowId(flow.case.id) } })
    expect([row.regionId, row.handlingRegionId]).not.toContain(a.id)
    const ws = wsClient(t.wsUrl, tokenA)
    const UPDATED = graphql(`subscription($id: ID!) { caseUpdated(id: $id) { id status } }`)
    const updates = collect(ws, UPDATED, { id: flow.case.id })
    await t.pubsub.whenSubscribed('case:updated', rowId(flow.case.id))
    await flow.accept()
    const [event] = await updates.next(1)
    expect(event!.errors).toBeUndefined()
    expect(event!.data).toEqual({ caseUpdated: { id: flow.case.id, status: 'ACCEPTED' } })
    updates.dispose()
    await ws.dispose()
  })

  it('should show a department member the order as the department may read it, also when resuming from a cursor', async () => {
    const first = await subscribers(1)
    await desk.dispatch(backlog[2]!)
    const [item] = await first.feeds[0]!.next(1)
    const cursor = item!.data!.dispatchOrderCreated.cursor
    await first.dispose()
    await desk.dispatch(backlog[3]!)
    const resumed = collect(wsClient(t.wsUrl, await staffToken()), FEED, { after: cursor })
    const live = await subscribers(1)
    await t.app.feeds.dispatch.whenAttached(`department:${desk.department.id}`)
    const [missed] = await resumed.next(1)
    expect(missed!.data?.dispatchOrderCreated.order?.id).toBe(
      globalId(
        'DispatchOrder',
        (
          await t.prisma.dispatchOrder.findFirstOrThrow({
            where: { caseId: rowId(backlog[3]!.id) },
          })
        ).id,
      ),
    )
    await desk.dispatch(backlog[4]!)
    const [, next] = await resumed.next(2)
    const [liveItem] = await live.feeds[0]!.next(1)
    expect(next!.data).toEqual(liveItem!.data)
    await live.dispose()
  })
})
