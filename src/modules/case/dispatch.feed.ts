// The commit-ordered feed behind dispatchOrderCreated, shared by every subscriber of the process.
//
// One reader per process: a notification on any audience with subscribers (or the one safety-net
// poll) makes it read the orders after its head — one statement for all audiences — and route each
// row to the subscribers of the row's audiences (addressee department or grid worker, every region
// above the case). Idle sockets cost nothing; an event costs one read, whatever the number of
// subscribers. Every subscriber keeps its own cursor:
// - it is attached before anything is read for it, so every row the reader routes from then on
//   reaches it (held back while it catches up);
// - without `after`, its cursor is the reader's head when the reader is idle (it has routed every
//   order this process was notified of), else the newest sequence committed after it attached (one
//   `max(seq)` read, shared by every subscriber arriving meanwhile); with `after`, it first reads its
//   own backlog up to the reader's head at attach time;
// - the reader's rows after its cursor then follow in order: no gap, no duplicate.
// A database outage never ends a subscription: reads wait with backoff and resume from the cursor.
import { Repeater } from 'graphql-yoga'
import type { PrismaClient } from '../../db.js'
import type { Logger } from '../../logger.js'
import type { AppPubSub, Audience } from '../../pubsub.js'
import { isTransientDbError } from '../../db/transient.js'
import { backoffDelay, pause } from '../../shared/backoff.js'
import type { FeedScope } from './dispatch.service.js'
import { addresseeAudience, regionAudiences } from './notify.js'

/** What a subscriber receives: one object per order, shared by all its subscribers (see shared execution). */
export interface FeedEvent {
  id: string
  seq: bigint
}

export interface DispatchFeed {
  /** Every order of the scope after `after` (or, without it, committed after this call), then live ones. */
  subscribe(scope: FeedScope, after: bigint | null): AsyncIterableIterator<FeedEvent>
  /** Subscribers attached per audience (operations, tests). */
  stats(): { audiences: number; subscribers: number; head: bigint | null }
  /** Orders committed that the reader has not routed yet (0 while nobody is subscribed): one read, no retry. */
  lag(): Promise<bigint>
  /** Resolves once a subscriber of `audience` has attached and taken its cursor (each attach answers one call; tests await it instead of sleeping). */
  whenAttached(audience: Audience): Promise<void>
  stop(): void
}

export interface DispatchFeedOptions {
  prisma: PrismaClient
  pubsub: AppPubSub
  log: Logger
  /** The safety-net poll: one read per interval while anyone is subscribed, whatever happens on the bus. */
  pollMs: number
}

const PAGE = 100

interface Subscriber {
  cursor: bigint
  /** False while catching up: routed rows wait in `held`. */
  live: boolean
  held: FeedEvent[]
  queue: FeedEvent[]
  wake(): void
}

export function createDispatchFeed(opts: DispatchFeedOptions): DispatchFeed {
  const { prisma, pubsub } = opts
  const log = opts.log.child({ component: 'dispatch-feed' })
  const audiences = new Map<Audience, { subscribers: Set<Subscriber>; bus: AsyncIterator<unknown> }>()
  const attachWaiters = new Map<Audience, (() => void)[]>()
  const attachedCount = new Map<Audience, number>()
  let subscriberCount = 0
  /** Every order up to `head` has been routed; null while nobody is subscribed. */
  let head: bigint | null = null
  let dirty = false
  let reading = false
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const abort = new AbortController()

  /**
   * Runs `fn` until it succeeds, waiting out transient database errors; other errors are thrown,
   * unless `always` (the reader, which nobody would be left to restart, retries them too).
   */
  async function patiently<T>(what: string, fn: () => Promise<T>, always = false): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn()
      } catch (e) {
        const transient = isTransientDbError(e)
        if ((!transient && !always) || stopped) throw e
        const ms = backoffDelay(attempt)
        log[transient ? 'warn' : 'error'](
          { what, attempt, retryInMs: ms, err: (e as Error).message },
          'feed read failed; retrying',
        )
        await pause(ms, abort.signal)
      }
    }
  }

  // ------------------------------------------------------------ the newest sequence, shared reads
  const newestSeq = async () => (await prisma.dispatchOrder.aggregate({ _max: { seq: true } }))._max.seq ?? 0n
  let headRead: Promise<bigint> | null = null
  let headReadRunning: Promise<unknown> = Promise.resolve()
  /** The newest committed sequence, read after this call (joins a read that has not started yet). */
  function committedHead(): Promise<bigint> {
    headRead ??= (async () => {
      await headReadRunning
      await new Promise((r) => setImmediate(r))
      headRead = null
      const read = patiently('head', newestSeq)
      headReadRunning = read.catch(() => {})
      return read
    })()
    return headRead
  }

  // ------------------------------------------------------------ the reader
  function wake() {
    dirty = true
    if (!reading && head !== null) void pump()
  }

  async function pump() {
    reading = true
    try {
      while (dirty && head !== null && !stopped) {
        dirty = false
        const from = head
        const rows = await patiently(
          'orders',
          () =>
            prisma.dispatchOrder.findMany({
              where: { seq: { gt: from } },
              orderBy: { seq: 'asc' },
              take: PAGE,
              select: {
                id: true,
                seq: true,
                departmentId: true,
                assigneeId: true,
                case: { select: { region: { select: { path: true } }, handlingRegion: { select: { path: true } } } },
              },
            }),
          true,
        ).catch(() => null) // only when stopping
        if (!rows) return
        if (head !== from) {
          dirty = true
          continue
        } // everyone left (and maybe came back) meanwhile: read again from the new head
        for (const r of rows) {
          const event: FeedEvent = { id: r.id, seq: r.seq! }
          for (const a of [
            ...addresseeAudience(r),
            ...regionAudiences(r.case.region.path, r.case.handlingRegion?.path ?? ''),
          ]) {
            for (const s of audiences.get(a)?.subscribers ?? []) deliver(s, event)
          }
          head = event.seq
        }
        if (rows.length === PAGE) dirty = true
      }
    } finally {
      reading = false
    }
  }

  function deliver(s: Subscriber, e: FeedEvent) {
    if (!s.live) {
      s.held.push(e)
      return
    }
    if (e.seq <= s.cursor) return
    s.cursor = e.seq
    s.queue.push(e)
    s.wake()
  }

  // ------------------------------------------------------------ attaching and detaching
  function attach(audience: Audience, s: Subscriber) {
    let entry = audiences.get(audience)
    if (!entry) {
      const bus = pubsub.subscribe('dispatch:created', audience)[Symbol.asyncIterator]()
      entry = { subscribers: new Set(), bus }
      audiences.set(audience, entry)
      void (async () => {
        for (;;) {
          const n = await bus.next().catch(() => ({ done: true }))
          if (n.done) return
          wake()
        }
      })()
    }
    entry.subscribers.add(s)
    if (subscriberCount++ === 0) {
      timer = setInterval(wake, opts.pollMs)
      timer.unref()
    }
  }

  function detach(audience: Audience, s: Subscriber) {
    const entry = audiences.get(audience)
    if (!entry?.subscribers.delete(s)) return
    if (!entry.subscribers.size) {
      audiences.delete(audience)
      void entry.bus.return?.()
    }
    if (--subscriberCount === 0) {
      clearInterval(timer)
      head = null // cold: the next subscriber starts from a fresh head
    }
  }

  function attached(audience: Audience) {
    const waiter = attachWaiters.get(audience)?.shift()
    if (waiter) waiter()
    else attachedCount.set(audience, (attachedCount.get(audience) ?? 0) + 1)
  }

  return {
    subscribe(scope, after) {
      return new Repeater<FeedEvent>(async (push, stop) => {
        const s: Subscriber = { cursor: after ?? 0n, live: false, held: [], queue: [], wake: () => {} }
        attach(scope.audience, s)
        let done = false
        void stop.then(() => {
          done = true
          s.wake()
        })
        try {
          // The reader's head when we attached: every later row is routed to us.
          let routedAfter = head
          let fresh: bigint | undefined
          if (routedAfter === null) {
            fresh = await committedHead()
            if (head === null) {
              head = fresh
              if (dirty) wake()
            }
            routedAfter = head
          }
          // An idle reader (nothing notified, nothing being read) has routed everything this process
          // was told of: its head is "now" without asking the database. Otherwise ask.
          if (after === null) s.cursor = fresh ?? (!dirty && !reading ? routedAfter : await committedHead())
          attached(scope.audience)
          // our backlog up to the reader's head; what follows it is held for us
          while (!done && s.cursor < routedAfter) {
            const from = s.cursor
            const rows = await patiently('catch-up', () =>
              prisma.dispatchOrder.findMany({
                where: { AND: [scope.where, { seq: { gt: from, lte: routedAfter! } }] },
                orderBy: { seq: 'asc' },
                take: PAGE,
                select: { id: true, seq: true },
              }),
            )
            for (const r of rows) await push({ id: r.id, seq: r.seq! })
            s.cursor = rows.length === PAGE ? rows[rows.length - 1]!.seq! : routedAfter
          }
          s.live = true
          for (const e of s.held.splice(0)) deliver(s, e)
          while (!done) {
            while (s.queue.length && !done) await push(s.queue.shift()!)
            if (!done)
              await new Promise<void>((resolve) => {
                s.wake = resolve
              })
          }
        } finally {
          detach(scope.audience, s)
        }
      })
    },
    stats: () => ({ audiences: audiences.size, subscribers: subscriberCount, head }),
    async lag() {
      if (head === null) return 0n
      const newest = await newestSeq()
      return head === null || newest <= head ? 0n : newest - head
    },
    whenAttached(audience) {
      const n = attachedCount.get(audience) ?? 0
      if (n) {
        attachedCount.set(audience, n - 1)
        return Promise.resolve()
      }
      return new Promise<void>((resolve) =>
        attachWaiters.set(audience, [...(attachWaiters.get(audience) ?? []), resolve]),
      )
    },
    stop() {
      stopped = true
      abort.abort()
      clearInterval(timer)
      for (const { bus } of audiences.values()) void bus.return?.()
      audiences.clear()
    },
  }
}
