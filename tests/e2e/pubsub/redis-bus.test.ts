// Acceptance (DESIGN §6–§7, TOOLCHAIN fix 8): two app instances share a Redis bus. An event
// published on A reaches B exactly once and A's own subscriber exactly once; with Redis killed,
// publishing neither throws nor crashes and local subscribers still get the event; after Redis
// returns, both buses re-subscribe and events cross instances again.
// Needs Debian's `redis-server` (apt-get install -y redis-server); fails, never skips, without it.
// No sleeps: readiness is awaited through whenSynced()/whenDisconnected() and event arrival.
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisPubSub, type RedisAppPubSub } from '../../../src/pubsub.js'
import { startRedisServer, type RedisServer } from '../../helpers/redis.js'

// ---- helpers: a logger we can await, and a subscription we can await ----------------------

interface LogRecord {
  level: number
  msg: string
  [k: string]: unknown
}

function capturingLogger() {
  const records: LogRecord[] = []
  let waiters: { test: (r: LogRecord) => boolean; resolve: () => void }[] = []
  const log = pino(
    { level: 'debug' },
    {
      write(line: string) {
        const r = JSON.parse(line) as LogRecord
        records.push(r)
        waiters = waiters.filter((w) => {
          if (!w.test(r)) return true
          w.resolve()
          return false
        })
      },
    },
  )
  return {
    log,
    records,
    /** Resolves on the first record (already logged or future) that matches. */
    when(test: (r: LogRecord) => boolean): Promise<void> {
      if (records.some(test)) return Promise.resolve()
      return new Promise((resolve) => waiters.push({ test, resolve }))
    },
  }
}

function collect<T>(iterable: AsyncIterable<T>) {
  const items: T[] = []
  let waiters: { n: number; resolve: () => void }[] = []
  const it = iterable[Symbol.asyncIterator]()
  const done = (async () => {
    for (;;) {
      const r = await it.next()
      if (r.done) return
      items.push(r.value)
      waiters = waiters.filter((w) => {
        if (items.length < w.n) return true
        w.resolve()
        return false
      })
    }
  })()
  return {
    items,
    /** Resolves once `n` items have arrived in total. */
    count(n: number): Promise<void> {
      if (items.length >= n) return Promise.resolve()
      return new Promise((resolve) => waiters.push({ n, resolve }))
    },
    async stop() {
      await it.return?.()
      await done
    },
  }
}

type Collector = ReturnType<typeof collect<{ id: string; seq: string }>>

// ---- the two instances ---------------------------------------------------------------------

let redis: RedisServer | undefined
let a: RedisAppPubSub
let b: RedisAppPubSub
const logA = capturingLogger()
const logB = capturingLogger()
const collectors: Collector[] = []
const unhandled: unknown[] = []
let unhandledSeen!: () => void
const firstUnhandled = new Promise<void>((resolve) => {
  unhandledSeen = resolve
})
const onUnhandled = (reason: unknown) => {
  unhandled.push(reason)
  unhandledSeen()
}

function subscribe(bus: RedisAppPubSub, audience: 'department:x' | 'department:y'): Collector {
  const c = collect(bus.pubsub.subscribe('dispatch:created', audience))
  collectors.push(c)
  return c
}

const ids = (c: Collector) => c.items.map((p) => p.id)

beforeAll(async () => {
  redis = await startRedisServer() // fails with an install hint when redis-server is missing
  process.on('unhandledRejection', onUnhandled)
  a = createRedisPubSub(redis.url, logA.log, { retryMaxDelayMs: 200 })
  b = createRedisPubSub(redis.url, logB.log, { retryMaxDelayMs: 200 })
})

afterAll(async () => {
  await Promise.all(collectors.map((c) => c.stop()))
  await a?.close()
  await b?.close()
  await redis?.dispose()
  process.off('unhandledRejection', onUnhandled)
})

describe('redis bus across two instances', () => {
  let onA: Collector
  let onB: Collector

  it('should deliver an event published on A to B exactly once and to A itself exactly once', async () => {
    onA = subscribe(a, 'department:x')
    onB = subscribe(b, 'department:x')
    expect(a.health().channels).toBe(1)
    expect(b.health().channels).toBe(1)
    await Promise.all([a.whenSynced(), b.whenSynced()])
    expect(a.health()).toEqual({ connected: true, channels: 1 })

    a.pubsub.publish('dispatch:created', 'department:x', { id: 'e1', seq: '1' })
    await Promise.all([onA.count(1), onB.count(1)])
    expect(onA.items[0]).toEqual({ id: 'e1', seq: '1' })
    expect(onB.items[0]).toEqual({ id: 'e1', seq: '1' })

    // Barriers instead of sleeps. Redis keeps order per connection, so:
    // - B's m1 reaches A's subscriber connection after any echo of e1 there;
    // - A's m2 reaches B's subscriber connection after any copy of e1 and any echo of m1 there.
    b.pubsub.publish('dispatch:created', 'department:x', { id: 'm1', seq: '2' })
    await onA.count(2)
    a.pubsub.publish('dispatch:created', 'department:x', { id: 'm2', seq: '3' })
    await onB.count(3)
    expect(ids(onA)).toEqual(['e1', 'm1', 'm2'])
    expect(ids(onB)).toEqual(['e1', 'm1', 'm2'])
    // a topic nobody listens to on the other side is not delivered there
    const other = subscribe(a, 'department:y')
    await a.whenSynced()
    b.pubsub.publish('dispatch:created', 'department:y', { id: 'y1', seq: '4' })
    await other.count(1)
    expect(ids(other)).toEqual(['y1'])
    expect(ids(onA)).toEqual(['e1', 'm1', 'm2'])
  })

  it('should keep delivering locally and never throw or crash while Redis is down', async () => {
    await redis!.kill()
    await Promise.all([a.whenDisconnected(), b.whenDisconnected()])
    expect(a.health().connected).toBe(false)

    expect(() => a.pubsub.publish('dispatch:created', 'department:x', { id: 'down1', seq: '5' })).not.toThrow()
    await onA.count(4)
    expect(ids(onA)).toEqual(['e1', 'm1', 'm2', 'down1'])
    // the failed PUBLISH was handled (logged), not left as an unhandled rejection
    await Promise.race([logA.when((r) => r.msg.startsWith('redis publish failed')), firstUnhandled])
    expect(unhandled).toEqual([])
    expect(() => a.pubsub.publish('dispatch:created', 'department:x', { id: 'down2', seq: '6' })).not.toThrow()
    await onA.count(5)
    expect(unhandled).toEqual([])
  })

  it('should re-subscribe after Redis returns so that events from A reach B again', async () => {
    // subscribed during the outage: its SUBSCRIBE cannot succeed now and must be issued on reconnect
    const lateOnB = subscribe(b, 'department:y')
    expect(b.health()).toEqual({ connected: false, channels: 2 })

    await redis!.start()
    await Promise.all([a.whenSynced(), b.whenSynced()])
    expect(a.health()).toEqual({ connected: true, channels: 2 })
    expect(b.health()).toEqual({ connected: true, channels: 2 })

    a.pubsub.publish('dispatch:created', 'department:x', { id: 'up1', seq: '7' })
    a.pubsub.publish('dispatch:created', 'department:y', { id: 'up2', seq: '8' })
    await Promise.all([onB.count(4), lateOnB.count(1)])
    // what was published during the outage never reached B (it is recovered from the database by cursor)
    expect(ids(onB)).toEqual(['e1', 'm1', 'm2', 'up1'])
    expect(ids(lateOnB)).toEqual(['up2'])
    expect(ids(onA)).toEqual(['e1', 'm1', 'm2', 'down1', 'down2', 'up1'])
    expect(unhandled).toEqual([])
  })
})
