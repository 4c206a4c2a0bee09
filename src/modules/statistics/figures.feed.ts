// The ticks behind commandCentreUpdated: "the figures of region R may have changed", at most once per
// interval per region, shared by every subscriber of the process.
//
// Every case change is announced on the bus (`cases:moved`, with the case's id, after commit). While
// anyone is subscribed, the feed collects those ids and, at most once per interval, maps them to the
// regions they lie in (one statement: the cases' community paths) and hands each subscribed region
// one tick object, the same for all its subscribers, so that their executions are shared (see
// realtime/shared-subscriptions.ts). The first change after a quiet interval is announced at once;
// a burst is folded into one tick per interval, and the gap between two ticks is never shorter than
// the interval; each subscriber's pushes are paced apart by the interval too (`paced`). A subscriber
// that reads slowly keeps only the newest tick: figures, not events.
//
// A database error while mapping keeps the ids for the next round. Nothing is lost either way: a tick
// only says "read again", and the subscriber's first tick (on subscribing) is the current state.
import { Repeater, SlidingBuffer } from 'graphql-yoga'
import type { PrismaClient } from '../../db.js'
import type { Logger } from '../../logger.js'
import type { AppPubSub } from '../../pubsub.js'
import { pause } from '../../shared/backoff.js'

/** What a subscriber receives: read the region's figures again. */
export interface FiguresTick {
  regionId: string
  at: Date
}

export interface FiguresFeed {
  /** A tick now (the current figures), then one after cases in the region change, at most one per interval. */
  subscribe(regionId: string): AsyncIterableIterator<FiguresTick>
  /** Resolves once a subscriber of the region has attached (each attach answers one call; tests await it instead of sleeping). */
  whenAttached(regionId: string): Promise<void>
  /** Regions and subscribers attached (operations, tests). */
  stats(): { regions: number; subscribers: number; pending: number }
  stop(): void
}

export interface FiguresFeedOptions {
  prisma: PrismaClient
  pubsub: AppPubSub
  log: Logger
  /** The shortest gap between two ticks of a region. */
  intervalMs: number
}

type Sink = (tick: FiguresTick) => void

/**
 * The subscriber's side of the interval: its next tick is handed on no sooner than `intervalMs`
 * after it asked for it — which is when its previous push had been executed and sent — so that its
 * pushes, not only the feed's rounds, are that far apart however long an execution takes.
 */
function paced(ticks: Repeater<FiguresTick>, intervalMs: number): AsyncIterableIterator<FiguresTick> {
  const abort = new AbortController()
  let first = true
  return {
    async next() {
      const askedAt = Date.now()
      const n = await ticks.next()
      if (!n.done && !first) await pause(askedAt + intervalMs - Date.now(), abort.signal)
      first = false
      return n
    },
    return() {
      abort.abort()
      return ticks.return()
    },
    throw(e) {
      abort.abort()
      return ticks.throw(e)
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}

export function createFiguresFeed(opts: FiguresFeedOptions): FiguresFeed {
  const { prisma, pubsub, intervalMs } = opts
  const log = opts.log.child({ component: 'figures-feed' })
  const regions = new Map<string, Set<Sink>>()
  const attachWaiters = new Map<string, (() => void)[]>()
  const attachedCount = new Map<string, number>()
  let subscribers = 0
  let bus: AsyncIterator<unknown> | undefined
  /** Cases moved since the last round. */
  const pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  let flushing = false
  let lastRound = 0
  let stopped = false

  function schedule() {
    if (timer || flushing || stopped || !pending.size) return
    timer = setTimeout(() => void round(), Math.max(0, lastRound + intervalMs - Date.now()))
    timer.unref()
  }

  /** Maps the pending cases to regions and ticks the subscribed ones. */
  async function round() {
    timer = undefined
    flushing = true
    const ids = [...pending]
    pending.clear()
    try {
      const rows = await prisma.$queryRaw<{ path: string }[]>`
        SELECT DISTINCT r.path FROM "Case" c JOIN "Region" r ON r.id = c."regionId" WHERE c.id = ANY(${ids}::uuid[])`
      const at = new Date()
      const touched = new Set(rows.flatMap((r) => r.path.split('/').filter(Boolean)))
      for (const id of touched) {
        const sinks = regions.get(id)
        if (!sinks) continue
        const tick: FiguresTick = { regionId: id, at }
        for (const sink of sinks) sink(tick)
      }
    } catch (e) {
      for (const id of ids) pending.add(id)
      log.warn(
        { err: (e as Error).message, cases: ids.length },
        'could not map moved cases to regions; retrying next round',
      )
    } finally {
      lastRound = Date.now()
      flushing = false
      schedule()
    }
  }

  function attach(regionId: string, sink: Sink) {
    let sinks = regions.get(regionId)
    if (!sinks) regions.set(regionId, (sinks = new Set()))
    sinks.add(sink)
    if (subscribers++ === 0) {
      const it = (bus = pubsub.subscribe('cases:moved')[Symbol.asyncIterator]())
      void (async () => {
        for (;;) {
          const n = await it.next().catch(() => ({ done: true, value: undefined }))
          if (n.done) return
          pending.add((n.value as { id: string }).id)
          schedule()
        }
      })()
    }
    const waiter = attachWaiters.get(regionId)?.shift()
    if (waiter) waiter()
    else attachedCount.set(regionId, (attachedCount.get(regionId) ?? 0) + 1)
  }

  function detach(regionId: string, sink: Sink) {
    const sinks = regions.get(regionId)
    if (!sinks?.delete(sink)) return
    if (!sinks.size) regions.delete(regionId)
    if (--subscribers === 0) {
      void bus?.return?.()
      bus = undefined
      pending.clear()
    }
  }

  return {
    subscribe(regionId) {
      const ticks = new Repeater<FiguresTick>(async (push, stop) => {
        const sink: Sink = (tick) => void push(tick).catch(() => {})
        attach(regionId, sink)
        void push({ regionId, at: new Date() }).catch(() => {})
        await stop
        detach(regionId, sink)
      }, new SlidingBuffer(1))
      return paced(ticks, intervalMs)
    },
    whenAttached(regionId) {
      const n = attachedCount.get(regionId) ?? 0
      if (n > 0) {
        attachedCount.set(regionId, n - 1)
        return Promise.resolve()
      }
      return new Promise((resolve) => {
        const list = attachWaiters.get(regionId) ?? []
        list.push(resolve)
        attachWaiters.set(regionId, list)
      })
    },
    stats: () => ({ regions: regions.size, subscribers, pending: pending.size }),
    stop() {
      stopped = true
      clearTimeout(timer)
      void bus?.return?.()
    },
  }
}
