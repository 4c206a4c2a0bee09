// Acceptance (DESIGN §6–§7): two instances + Redis. Cross-instance delivery works; with Redis
// stopped, single-instance delivery and cursor recovery still work; after Redis returns,
// cross-instance delivery resumes.
// A and B share one database and one real redis-server, and poll the feed only every 10 minutes,
// so anything they deliver live was woken by a bus notification. C (same database and Redis) polls
// every 100 ms: the fallback for a subscriber that stays connected through an outage.
// Needs `redis-server` (CI installs it): without it the file fails with an install hint.
// No sleeps: deferred promises, collect(), whenSynced()/whenDisconnected().
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Client } from 'graphql-ws'
import { encodeFeedCursor } from '../../../src/modules/case/dispatch.service.js'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import { startRedisServer, type RedisServer } from '../../helpers/redis.js'
import { FEED, feedOrderIds, securityDesk, type FeedItem } from '../../factories/orders.js'
import { collect, wsClient } from '../../helpers/graphql.js'

const LIVE_ONLY = { DISPATCH_POLL_MS: '600000' }

type Feed = ReturnType<typeof collect<NonNullable<FeedItem['data']>>>

let redis: RedisServer | undefined
let a: TestApp
let b: TestApp
let c: TestApp
let desk: Awaited<ReturnType<typeof securityDesk>>
const sockets: Client[] = []
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => {
  unhandled.push(reason)
}

beforeAll(async () => {
  redis = await startRedisServer() // fails with an install hint when redis-server is missing
  process.on('unhandledRejection', onUnhandled)
  a = await startTestApp(LIVE_ONLY, { redisUrl: redis.url })
  b = await startTestApp(LIVE_ONLY, { redisUrl: redis.url, databaseUrl: a.databaseUrl })
  c = await startTestApp({ DISPATCH_POLL_MS: '100' }, { redisUrl: redis.url, databaseUrl: a.databaseUrl })
  desk = await securityDesk(a) // every order is dispatched through A, to 派出所 CGPCS
})

afterAll(async () => {
  await Promise.all(sockets.map((s) => s.dispose()))
  for (const app of [c, b, a]) await app?.stop()
  await redis?.dispose()
  process.off('unhandledRejection', onUnhandled)
})

/** A department subscriber (派出所 CGPCS) on `app`, resuming after `after`. */
function subscribe(app: TestApp, after: string): Feed {
  const ws = wsClient(app.wsUrl, desk.departmentToken)
  sockets.push(ws)
  return collect(ws, FEED, { after })
}

/** A SECURITY case reported, accepted and auto-dispatched over HTTP to A: one order, to CGPCS. */
const dispatchOnA = async (title: string) => desk.orderOf(await desk.dispatched(title)).id

const ids = (f: Feed) => feedOrderIds(f.items)
const lastCursor = (f: Feed) => f.items.at(-1)!.data!.dispatchOrderCreated.cursor
const buses = () => [a.bus!, b.bus!, c.bus!]

describe('dispatch feed across instances sharing Redis', () => {
  let onA: Feed
  let onB: Feed
  let onC: Feed
  let onB2: Feed
  const orders: Record<'x' | 'y' | 'z' | 'w', string> = { x: '', y: '', z: '', w: '' }

  it('should deliver an order dispatched on A live to a department subscriber on B', async () => {
    const { _max } = await a.prisma.dispatchOrder.aggregate({ _max: { seq: true } })
    const start = encodeFeedCursor(_max.seq ?? 0n)
    // Barrier: X, dispatched before anyone subscribes, is replayed from the database by cursor.
    // Once a subscriber has it, its feed waits idle and only a bus notification can wake it.
    orders.x = await dispatchOnA('夜间聚集滋事')
    onA = subscribe(a, start)
    onB = subscribe(b, start)
    onC = subscribe(c, start)
    await Promise.all([onA.next(1), onB.next(1), onC.next(1)])
    await Promise.all(buses().map((bus) => bus.whenSynced()))
    expect(b.bus!.health()).toEqual({ connected: true, channels: 3 }) // the department's topic, account:changed and reference:changed

    orders.y = await dispatchOnA('可疑人员徘徊')
    await Promise.all([onB.next(2), onA.next(2), onC.next(2)])
    expect(ids(onB)).toEqual([orders.x, orders.y])
    expect(ids(onA)).toEqual([orders.x, orders.y])
  })

  it('should keep delivering on A while Redis is down, and let B recover the missed order by cursor', async () => {
    await redis!.kill()
    await Promise.all(buses().map((bus) => bus.whenDisconnected()))
    expect(a.bus!.health().connected).toBe(false)

    // A still serves requests; its own subscriber gets the order live through local delivery
    orders.z = await dispatchOnA('深夜噪声滋扰')
    await onA.next(3)
    expect(ids(onA)).toEqual([orders.x, orders.y, orders.z])
    // C, which polls, picks it up from the database without reconnecting
    await onC.next(3)
    expect(ids(onC)).toEqual([orders.x, orders.y, orders.z])
    // B heard nothing (no bus, no poll for 10 minutes); reconnecting with its last cursor recovers it
    expect(ids(onB)).toEqual([orders.x, orders.y])
    const cursor = lastCursor(onB)
    onB.dispose()
    onB2 = subscribe(b, cursor)
    await onB2.next(1)
    expect(ids(onB2)).toEqual([orders.z])
    expect(unhandled).toEqual([])
  })

  it('should deliver across instances again once Redis returns', async () => {
    // B's subscriber was attached during the outage: its SUBSCRIBE is issued on reconnect
    await redis!.start()
    await Promise.all(buses().map((bus) => bus.whenSynced()))
    expect(b.bus!.health()).toEqual({ connected: true, channels: 3 }) // the department's topic, account:changed and reference:changed

    orders.w = await dispatchOnA('广场斗殴苗头')
    await Promise.all([onB2.next(2), onA.next(4), onC.next(4)])
    expect(ids(onB2)).toEqual([orders.z, orders.w])
    expect(ids(onA)).toEqual([orders.x, orders.y, orders.z, orders.w])
    expect(ids(onC)).toEqual([orders.x, orders.y, orders.z, orders.w])
    expect(ids(onB)).toEqual([orders.x, orders.y])
    expect(unhandled).toEqual([])
  })
})
