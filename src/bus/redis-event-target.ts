// A Redis event target for yoga's createPubSub that survives Redis outages (TOOLCHAIN fix 8).
// The stock @graphql-yoga/redis-event-target leaves publish/subscribe promises unhandled (the
// process crashes while Redis is down), delivers nothing — not even locally — during an outage,
// and never retries a SUBSCRIBE that failed. Here:
// - dispatchEvent delivers to this instance's listeners at once and publishes
//   `{ origin, detail }` to Redis; messages coming back with our own origin are ignored, so
//   local subscribers see each event exactly once, Redis up or down;
// - every Redis promise is handled (failures are logged, never thrown or left unhandled);
// - after each reconnect, SUBSCRIBE is re-issued for every channel that has listeners.
// The bus only carries notifications: what is lost during an outage is recovered from the
// database by cursor (DESIGN §6–§7).
import type { Redis, RedisOptions } from 'ioredis'
import type { Logger } from '../logger.js'

type Listener<E> = ((event: E) => void) | { handleEvent(event: E): void }

/** Structurally yoga's TypedEventTarget (what `createPubSub({ eventTarget })` takes), plus state. */
export interface ResilientRedisEventTarget<TEvent extends CustomEvent = CustomEvent> {
  addEventListener<E extends TEvent>(
    type: E['type'],
    callback: Listener<E> | null,
    options?: AddEventListenerOptions | boolean,
  ): void
  removeEventListener<E extends TEvent>(
    type: E['type'],
    callback: Listener<E> | null,
    options?: EventListenerOptions | boolean,
  ): void
  dispatchEvent(event: TEvent): boolean
  /** `connected`: both Redis connections are ready; `channels`: channels with local listeners. */
  health(): { connected: boolean; channels: number }
  /**
   * Resolves once both connections are ready and every channel with listeners has been
   * (re)subscribed on the current subscriber connection, i.e. after the last reconnect.
   */
  whenSynced(): Promise<void>
  /** Resolves once neither connection is ready (Redis went away). */
  whenDisconnected(): Promise<void>
  /** Detaches from the clients (they stay open: their owner closes them) and rejects pending waits. */
  close(): void
}

export interface ResilientRedisEventTargetOptions {
  /** Used for PUBLISH only. Create it with `redisClientOptions('publish')`. */
  publishClient: Redis
  /** Used for (UN)SUBSCRIBE only. Create it with `redisClientOptions('subscribe')`. */
  subscribeClient: Redis
  /** Unique per process: messages carrying it are our own and were already delivered locally. */
  instanceId: string
  log: Logger
}

interface Envelope {
  origin: string
  detail: unknown
}

function isEnvelope(v: unknown): v is Envelope {
  return typeof v === 'object' && v !== null && typeof (v as { origin?: unknown }).origin === 'string' && 'detail' in v
}

/**
 * ioredis options so that commands fail fast while disconnected instead of queueing a flood,
 * reconnection never gives up, and re-subscribing is ours (ioredis forgets failed SUBSCRIBEs).
 */
export function redisClientOptions(
  role: 'publish' | 'subscribe',
  opts: { retryMaxDelayMs?: number } = {},
): RedisOptions {
  const maxDelay = opts.retryMaxDelayMs ?? 1000
  return {
    connectionName: `gongzhi-bus-${role}`,
    enableOfflineQueue: false, // reject at once while disconnected
    maxRetriesPerRequest: 0, // in-flight commands fail on the first disconnect
    autoResendUnfulfilledCommands: false,
    autoResubscribe: false, // we re-subscribe every channel with listeners on 'ready'
    connectTimeout: 5000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), maxDelay), // never gives up
  }
}

export function createResilientRedisEventTarget<TEvent extends CustomEvent = CustomEvent>(
  opts: ResilientRedisEventTargetOptions,
): ResilientRedisEventTarget<TEvent> {
  const { publishClient: pub, subscribeClient: sub, instanceId } = opts
  const log = opts.log.child({ component: 'redis-bus' })
  const listeners = new Map<string, Set<Listener<TEvent>>>()
  /** Channels whose SUBSCRIBE succeeded on the current subscriber connection. */
  let confirmed = new Set<string>()
  /** Bumped on every subscriber (re)connect and disconnect: stale SUBSCRIBE replies are ignored. */
  let generation = 0
  let closed = false
  let publishFailing = false
  const syncWaiters: { resolve: () => void; reject: (e: Error) => void }[] = []
  const downWaiters: { resolve: () => void; reject: (e: Error) => void }[] = []

  const ready = (c: Redis) => c.status === 'ready'
  const isSynced = () => ready(pub) && ready(sub) && [...listeners.keys()].every((ch) => confirmed.has(ch))
  const isDown = () => !ready(pub) && !ready(sub)

  function settle() {
    if (syncWaiters.length && isSynced()) for (const w of syncWaiters.splice(0)) w.resolve()
    if (downWaiters.length && isDown()) for (const w of downWaiters.splice(0)) w.resolve()
  }

  function deliver(channel: string, event: TEvent) {
    const set = listeners.get(channel)
    if (!set) return
    for (const l of [...set]) {
      try {
        if (typeof l === 'function') l(event)
        else l.handleEvent(event)
      } catch (err) {
        log.error({ err, channel }, 'bus listener threw')
      }
    }
  }

  function subscribe(channels: string[]) {
    if (channels.length === 0 || !ready(sub)) return // the next 'ready' subscribes them all
    const gen = generation
    sub.subscribe(...channels).then(
      () => {
        if (gen !== generation || closed) return
        for (const ch of channels) if (listeners.has(ch)) confirmed.add(ch)
        settle()
      },
      (err: unknown) => log.warn({ err, channels: channels.length }, 'redis SUBSCRIBE failed; retried after reconnect'),
    )
  }

  function unsubscribe(channel: string) {
    confirmed.delete(channel)
    if (!ready(sub)) return // a fresh connection starts with no subscriptions
    sub.unsubscribe(channel).catch((err: unknown) => log.debug({ err, channel }, 'redis UNSUBSCRIBE failed'))
  }

  function onMessage(channel: string, message: string) {
    if (!listeners.has(channel)) return
    let parsed: unknown
    try {
      parsed = JSON.parse(message)
    } catch {
      log.warn({ channel }, 'ignoring malformed bus message')
      return
    }
    if (!isEnvelope(parsed)) {
      log.warn({ channel }, 'ignoring malformed bus message')
      return
    }
    if (parsed.origin === instanceId) return // already delivered locally by dispatchEvent
    deliver(channel, new CustomEvent(channel, { detail: parsed.detail }) as TEvent)
  }

  function onSubReady() {
    generation++
    confirmed = new Set()
    log.info({ channels: listeners.size }, 'redis bus subscriber ready; re-subscribing')
    subscribe([...listeners.keys()])
    settle()
  }
  function onSubClose() {
    generation++
    confirmed = new Set()
    settle()
  }
  function onPubReady() {
    if (publishFailing) log.info('redis bus publisher ready')
    publishFailing = false
    settle()
  }
  const onClose = (role: string, wasReadyRef: { v: boolean }) => () => {
    if (wasReadyRef.v) log.warn({ role }, 'redis bus connection lost; delivering locally only until it returns')
    wasReadyRef.v = false
    settle()
  }
  const pubWasReady = { v: ready(pub) }
  const subWasReady = { v: ready(sub) }
  const errorCounts = { publish: 0, subscribe: 0 }
  const onError = (role: 'publish' | 'subscribe') => (err: Error) => {
    // ioredis emits one per failed reconnect attempt: log the first of a streak, then debug
    const n = errorCounts[role]++
    if (n === 0) log.warn({ err, role }, 'redis bus connection error')
    else log.debug({ err, role, attempt: n + 1 }, 'redis bus connection error')
  }

  const handlers = {
    sub: {
      message: onMessage,
      ready: () => {
        subWasReady.v = true
        errorCounts.subscribe = 0
        onSubReady()
      },
      close: () => {
        onClose('subscribe', subWasReady)()
        onSubClose()
      },
      error: onError('subscribe'),
    },
    pub: {
      ready: () => {
        pubWasReady.v = true
        errorCounts.publish = 0
        onPubReady()
      },
      close: onClose('publish', pubWasReady),
      error: onError('publish'),
    },
  }
  /** Puts on, or takes off, every listener this target adds to its two connections. */
  const wire = (how: 'on' | 'off') => {
    for (const [client, events] of [
      [sub, handlers.sub],
      [pub, handlers.pub],
    ] as const)
      for (const [event, fn] of Object.entries(events)) client[how](event, fn)
  }
  wire('on')

  const waitFor = (list: typeof syncWaiters, now: () => boolean) => {
    if (closed) return Promise.reject(new Error('redis event target is closed'))
    if (now()) return Promise.resolve()
    return new Promise<void>((resolve, reject) => list.push({ resolve, reject }))
  }

  return {
    addEventListener(type, callback) {
      if (callback == null || closed) return
      let set = listeners.get(type)
      if (!set) {
        set = new Set()
        listeners.set(type, set)
        set.add(callback as Listener<TEvent>)
        subscribe([type])
        return
      }
      set.add(callback as Listener<TEvent>)
    },
    removeEventListener(type, callback) {
      if (callback == null) return
      const set = listeners.get(type)
      if (!set?.delete(callback as Listener<TEvent>)) return
      if (set.size > 0) return
      listeners.delete(type)
      if (!closed) unsubscribe(type)
      settle()
    },
    dispatchEvent(event) {
      deliver(event.type, event)
      if (closed) return true
      let message: string
      try {
        message = JSON.stringify({ origin: instanceId, detail: event.detail ?? null } satisfies Envelope)
      } catch (err) {
        log.error({ err, channel: event.type }, 'bus event is not serialisable; delivered locally only')
        return true
      }
      pub.publish(event.type, message).then(
        () => {
          publishFailing = false
        },
        (err: unknown) => {
          // one warning per outage; the rest at debug (subscribers recover by cursor)
          if (!publishFailing) log.warn({ err, channel: event.type }, 'redis publish failed; delivered locally only')
          else log.debug({ err, channel: event.type }, 'redis publish failed; delivered locally only')
          publishFailing = true
        },
      )
      return true
    },
    health: () => ({ connected: ready(pub) && ready(sub), channels: listeners.size }),
    whenSynced: () => waitFor(syncWaiters, isSynced),
    whenDisconnected: () => waitFor(downWaiters, isDown),
    close() {
      if (closed) return
      closed = true
      wire('off')
      const err = new Error('redis event target is closed')
      for (const w of [...syncWaiters.splice(0), ...downWaiters.splice(0)]) w.reject(err)
    },
  }
}
