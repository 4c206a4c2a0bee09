// One typed topic map. Topics are scoped by id; payloads carry ids only, and subscribers re-fetch
// rows through Prisma so that selections and authorization still apply. The bus only carries
// notifications: durable state is in PostgreSQL and a lost notification is recovered by cursor.
import { randomUUID } from 'node:crypto'
import { setMaxListeners } from 'node:events'
import { Redis } from 'ioredis'
import { createPubSub, type PubSub, type PubSubEvent } from 'graphql-yoga'
import { createResilientRedisEventTarget, redisClientOptions } from './bus/redis-event-target.js'
import type { Logger } from './logger.js'

/** Who a dispatch notification is for: `department:<id>`, `user:<id>` or `region:<id>`. */
export type Audience = `department:${string}` | `user:${string}` | `region:${string}`

/** Who a dual-report notification is for: officers by region, the member's account, a unit's contacts. */
export type ReportAudience = `region:${string}` | `user:${string}` | `unit:${string}`

export type Topics = {
  'grid:updated': [gridId: string, payload: { id: string }]
  'dispatch:created': [audience: Audience, payload: { id: string; seq: string }]
  'dispatch:updated': [audience: Audience, payload: { id: string }]
  'case:updated': [caseId: string, payload: { id: string }]
  /** Any case (or one of its orders or supervisions) changed: the figures feed maps it to regions. */
  'cases:moved': [payload: { id: string }]
  'party:report': [audience: ReportAudience, payload: { id: string }]
  /** Agreement changes (signed, activated, expired, terminated …) for officers by region and the units' contacts. */
  'agreement:updated': [audience: ReportAudience, payload: { id: string }]
  /** Changes to an activity (status, places taken) for anyone watching it. */
  'activity:updated': [activityId: string, payload: { id: string }]
  /** Micro-wish changes for officers by region, the wisher and the claimer. */
  'wish:updated': [audience: ReportAudience, payload: { id: string }]
  /** An account's roles, scopes, assignments or active flag changed: caches forget it, its sockets are re-checked. */
  'account:changed': [payload: { userId: string }]
  /** Reference data (a case category) changed: per-process caches read it again. */
  'reference:changed': [payload: { table: 'CaseCategory' }]
}

export type AppPubSub = PubSub<Topics>

/** The in-process bus. Its event target has no listener limit: a topic may have thousands of subscribers. */
export function createAppPubSub(): AppPubSub {
  const eventTarget = new EventTarget()
  setMaxListeners(Infinity, eventTarget)
  return createPubSub<Topics>({ eventTarget: eventTarget as never })
}

/** The bus shared by several instances through Redis (`REDIS_URL`), with its connection state. */
export interface RedisAppPubSub {
  pubsub: AppPubSub
  /** Closes both Redis connections (after the app has stopped). */
  close(): Promise<void>
  /** `connected`: both Redis connections ready; `channels`: topics with subscribers here. */
  health(): { connected: boolean; channels: number }
  /** Resolves once connected and every topic with subscribers is (re)subscribed after the last reconnect. */
  whenSynced(): Promise<void>
  /** Resolves once both Redis connections are down. */
  whenDisconnected(): Promise<void>
}

/**
 * The same typed bus over Redis pub/sub: an event published on one instance reaches subscribers
 * on every instance (and this instance's own subscribers exactly once). While Redis is down,
 * events are still delivered locally and publishing never throws; subscriptions come back by
 * themselves when Redis does. Anything missed meanwhile is recovered from the database by cursor.
 */
export function createRedisPubSub(
  redisUrl: string,
  log: Logger,
  opts: { retryMaxDelayMs?: number } = {},
): RedisAppPubSub {
  const publishClient = new Redis(redisUrl, redisClientOptions('publish', opts))
  const subscribeClient = new Redis(redisUrl, redisClientOptions('subscribe', opts))
  const target = createResilientRedisEventTarget<PubSubEvent<Topics, keyof Topics>>({
    publishClient,
    subscribeClient,
    instanceId: randomUUID(),
    log,
  })
  return {
    pubsub: createPubSub<Topics>({ eventTarget: target }),
    async close() {
      target.close()
      for (const c of [publishClient, subscribeClient]) c.on('error', () => {}) // late socket errors while closing
      await Promise.all(
        [publishClient, subscribeClient].map(async (c) => {
          if (c.status === 'end') return
          if (c.status !== 'ready') return c.disconnect()
          await c.quit().catch(() => c.disconnect())
        }),
      )
    },
    health: () => target.health(),
    whenSynced: () => target.whenSynced(),
    whenDisconnected: () => target.whenDisconnected(),
  }
}
