// PostgreSQL stopped for 5 s and started again while orders are dispatched, with stock
// graphql-ws clients (their default retry settings) subscribed: every committed order reaches every
// subscriber of its department exactly once, in order; no foreign order, no `next` without data.
// Requests during the outage get the retryable 503; /readyz says 503 throughout, 200 after.
// This file runs its own PostgreSQL (on a fixed port, so that it comes back where it was).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { createClient, type Client } from 'graphql-ws'
import { freePort, startEmbeddedPostgres, type EmbeddedDb } from '../../../src/db/embedded.js'
import { deployMigrations } from '../../../src/db/migrate.js'
import { createPrisma } from '../../../src/db.js'
import { seedDemo } from '../../../src/seed/demo.js'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import { story } from '../../helpers/test.js'
import { globalId, newStaff, rowId } from '../../helpers/fixtures.js'
import { dispatchDesk, type LeanCase } from '../../factories/orders.js'
import { deferred, gql, graphql, type ResultOf, source } from '../../helpers/graphql.js'

const DISPATCH = graphql(`mutation($input: DispatchCaseInput!) { dispatchCase(input: $input) { __typename } }`)
const FEED = graphql(`subscription { dispatchOrderCreated { cursor order { id department { code } case { title } } } }`)
const UPDATED = graphql(`subscription { dispatchOrderUpdated { id status } }`)
const OUTAGE_MS = 5_000
const PER_DEPARTMENT = 8

let dir: string
let port: number
let db: EmbeddedDb
let t: TestApp
let stopped = false

/** Stops PostgreSQL; whatever happens next, `afterEach` starts it again if a test left it stopped. */
async function stopDb() {
  await db.stop()
  stopped = true
}
/** Starts PostgreSQL again where it was (same data directory and port). */
async function startDb() {
  db = await startEmbeddedPostgres({ dataDir: dir, database: 'outage', port })
  stopped = false
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-outage-'))
  port = await freePort()
  db = await startEmbeddedPostgres({ dataDir: dir, database: 'outage', port })
  await deployMigrations(db.url)
  const prisma = createPrisma(db.url)
  await seedDemo(prisma, { workflows: false })
  await prisma.$disconnect()
  t = await startTestApp({ DISPATCH_POLL_MS: '500' }, { databaseUrl: db.url })
}, 120_000)

afterEach(async () => {
  if (stopped) await startDb()
})

afterAll(async () => {
  await t?.stop()
  await db?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

interface Received {
  orderIds: string[]
  errors: unknown[]
  closes: number[]
}

/** A stock client: graphql-ws's defaults (5 retries on a close it deems retryable), nothing else. */
function stockSubscriber(token: string): { client: Client; received: Received } {
  const received: Received = { orderIds: [], errors: [], closes: [] }
  const client = createClient({
    url: t.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    on: { closed: (e) => received.closes.push((e as { code: number }).code) },
  })
  client.subscribe<ResultOf<typeof FEED>>(
    { query: source(FEED) },
    {
      next: (r) => {
        const id = r.data?.dispatchOrderCreated?.order?.id
        if (!id || r.errors) received.errors.push(r.errors ?? 'next without data')
        else received.orderIds.push(id)
      },
      error: (e) => received.errors.push(e),
      complete: () => received.errors.push('completed'),
    },
  )
  return { client, received }
}

describe('stock clients while PostgreSQL is stopped for 5 s under load: nothing lost, duplicated or misrouted', () => {
  // One story in ordered steps: each `it` continues from the state the previous one left.
  const s = story(
    async () => {
      const desks = [
        await dispatchDesk(t, { departmentCode: 'CGPCS' }),
        await dispatchDesk(t, { departmentCode: 'CGZF' }),
      ]
      const cases = await Promise.all(desks.map((d) => d.acceptedMany(16, 2)))
      // each subscriber a distinct staff member of its department
      const subscribers = await Promise.all(
        desks.map(async (d) =>
          Promise.all(
            Array.from({ length: PER_DEPARTMENT }, async () =>
              stockSubscriber(
                await t.sign({
                  sub: await newStaff(t.prisma, d.department.id),
                  roles: ['DEPARTMENT_STAFF'],
                  department: d.department.id,
                }),
              ),
            ),
          ),
        ),
      )
      for (const [i, d] of desks.entries())
        for (const _ of subscribers[i]!) await t.app.feeds.dispatch.whenAttached(`department:${d.department.id}`)
      const startSeq = (await t.prisma.dispatchOrder.aggregate({ _max: { seq: true } }))._max.seq ?? 0n

      // orders alternate between the two departments, one at a time
      const queue: [number, LeanCase][] = cases[0]!.flatMap((c, k) => [
        [0, c] as [number, LeanCase],
        [1, cases[1]![k]!] as [number, LeanCase],
      ])
      const dispatchNext = async () => {
        const [i, c] = queue[0]!
        const res = await gql(
          t,
          DISPATCH,
          {
            input: {
              id: c.id,
              version: c.version,
              mode: 'MANUAL',
              targets: [{ departmentId: globalId('Department', desks[i]!.department.id), role: 'LEAD' }],
            },
          },
          { token: desks[i]!.officer },
        )
        if (res.data?.dispatchCase?.__typename === 'DispatchCasePayload') {
          queue.shift()
          return { ok: true as const }
        }
        return {
          ok: false as const,
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          code: res.errors?.[0]?.extensions?.code as string | undefined,
        }
      }
      return { desks, subscribers, startSeq, queue, dispatchNext }
    },
    {
      timeout: 120_000,
      teardown: (s) => Promise.all(s.subscribers.flat().map(({ client }) => client.dispose())),
    },
  )

  it('should dispatch orders to both departments before the outage', async () => {
    for (let k = 0; k < 8; k++) expect((await s.dispatchNext()).ok).toBe(true)
  }, 60_000)

  it('should refuse dispatching with the retryable 503 and say 503 on /readyz while PostgreSQL is stopped', async () => {
    // PostgreSQL goes away for OUTAGE_MS; the dispatcher keeps trying
    await stopDb()
    const failures: { status?: number; retryAfter?: string | null; code?: string }[] = []
    const readiness: number[] = []
    const outageEnds = Date.now() + OUTAGE_MS
    while (Date.now() < outageEnds) {
      const r = await s.dispatchNext()
      expect(r.ok).toBe(false)
      if (!r.ok) failures.push(r)
      readiness.push((await fetch(`${t.origin}/readyz`)).status)
      await new Promise((resolve) => setTimeout(resolve, 250)) // the dispatcher's own pace while failing
    }
    await startDb()
    expect(failures.length).toBeGreaterThan(3)
    for (const f of failures) expect(f).toMatchObject({ status: 503, retryAfter: '5', code: 'common/unavailable' })
    expect(new Set(readiness)).toEqual(new Set([503]))
  }, 60_000)

  it('should dispatch the rest once PostgreSQL is back, and say 200 on /readyz', async () => {
    // the outage step started PostgreSQL again when its time was up (and `afterEach` would have, had it failed)
    while (s.queue.length) {
      const r = await s.dispatchNext()
      if (!r.ok && r.code !== 'common/unavailable')
        throw new Error(`dispatch failed after the restart: ${JSON.stringify(r)}`)
    }
    expect((await fetch(`${t.origin}/readyz`)).status).toBe(200)
  }, 60_000)

  it("should deliver every committed order to each of its department's subscribers once, in order, on sockets that stayed open", async () => {
    const { desks, subscribers, startSeq } = s
    // every committed order of each department, in sequence order, is what each of its subscribers must hold
    const expected = await Promise.all(
      desks.map(async (d) =>
        (
          await t.prisma.dispatchOrder.findMany({
            where: { departmentId: d.department.id, seq: { gt: startSeq } },
            orderBy: { seq: 'asc' },
            select: { id: true },
          })
        ).map((o) => globalId('DispatchOrder', o.id)),
      ),
    )
    expect(expected.map((e) => e.length)).toEqual([16, 16])
    await Promise.all(
      subscribers.flatMap((list, i) =>
        list.map(({ received }) =>
          vi.waitFor(
            () => {
              if (received.orderIds.length < expected[i]!.length && received.errors.length === 0)
                throw new Error('timed out waiting for deliveries')
            },
            { timeout: 30_000, interval: 20 },
          ),
        ),
      ),
    )
    for (const [i, list] of subscribers.entries()) {
      for (const { received } of list) {
        expect(received.errors).toEqual([])
        expect(received.orderIds).toEqual(expected[i]) // nothing lost, nothing twice, nothing foreign, in order
        expect(received.closes).toEqual([]) // the sockets stayed open throughout
      }
    }
  }, 60_000)
})

it('should retry an event whose payload cannot be read while PostgreSQL is down, and send it with data once it is back', async () => {
  const desk = await dispatchDesk(t, { departmentCode: 'CGPCS' })
  const order = desk.orderOf(await desk.dispatched())
  const got = deferred<{ data?: unknown; errors?: unknown }>()
  const client = createClient({
    url: t.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${desk.departmentToken}` },
  })
  client.subscribe<ResultOf<typeof UPDATED>>(
    { query: source(UPDATED) },
    { next: (r) => got.resolve(r), error: (e) => got.resolve({ errors: e }), complete: () => {} },
  )
  await t.pubsub.whenSubscribed('dispatch:updated', `department:${desk.department.id}`)
  await stopDb()
  // a notification for the order arrives while nothing can be read
  t.pubsub.publish('dispatch:updated', `department:${desk.department.id}`, {
    id: rowId(order.id),
  })
  let settled = false
  void got.promise.then(() => {
    settled = true
  })
  await new Promise((resolve) => setTimeout(resolve, 1500)) // the outage: nothing may be sent meanwhile
  expect(settled).toBe(false)
  await startDb()
  expect(await got.promise).toEqual({ data: { dispatchOrderUpdated: { id: order.id, status: 'CREATED' } } })
  await client.dispose()
}, 60_000)

it('should close the socket with 1013 (Try Again Later) once an event could not be served within SUBSCRIPTION_RETRY_MS', async () => {
  const short = await startTestApp({ SUBSCRIPTION_RETRY_MS: '300' }, { databaseUrl: db.url })
  try {
    const desk = await dispatchDesk(short, { departmentCode: 'CGPCS' })
    const order = desk.orderOf(await desk.dispatched())
    const closed = deferred<number>()
    const sent: unknown[] = []
    const client = createClient({
      url: short.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${desk.departmentToken}` },
      on: { closed: (e) => closed.resolve((e as { code: number }).code) },
    })
    client.subscribe<ResultOf<typeof UPDATED>>(
      { query: source(UPDATED) },
      { next: (r) => sent.push(r), error: () => {}, complete: () => {} },
    )
    await short.pubsub.whenSubscribed('dispatch:updated', `department:${desk.department.id}`)
    await stopDb()
    try {
      short.pubsub.publish('dispatch:updated', `department:${desk.department.id}`, {
        id: rowId(order.id),
      })
      expect(await closed.promise).toBe(1013)
      expect(sent).toEqual([]) // nothing was sent without data
    } finally {
      await startDb()
    }
    await client.dispose()
  } finally {
    await short.stop()
  }
}, 60_000)
