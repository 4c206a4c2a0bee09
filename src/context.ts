import type { PrismaClient } from './db.js'
import type { Viewer } from './auth/viewer.js'
import type { AppPubSub } from './pubsub.js'
import type { Logger } from './logger.js'
import { AccessScope } from './auth/access.js'
import { readerFor, type Reader } from './db/reader.js'
import type { DispatchFeed } from './modules/case/dispatch.feed.js'
import './policies.js'

export interface Context {
  /** The trusted client: services' rules, transactions and writes. */
  prisma: PrismaClient
  /** The database as this viewer may read it: every read of the API goes through it (read policies). */
  reader: Reader
  pubsub: AppPubSub
  viewer: Viewer | null
  /** Row-level access helpers for this request's viewer (memoised per request). */
  access: AccessScope
  log: Logger
  requestId: string
  settings: Settings
  /** Live feeds shared by every subscriber of the process. */
  feeds: Feeds
}

export interface Feeds { dispatch: DispatchFeed }

/** Runtime knobs services need, from the config. */
export interface Settings {
  /** Webhooks may target loopback/private addresses (development and tests only). */
  webhookAllowPrivate: boolean
}

export interface ContextDeps {
  prisma: PrismaClient
  pubsub: AppPubSub
  log: Logger
  settings: Settings
  feeds: Feeds
}

/** One context shape for HTTP and WebSocket; the viewer is verified before this is called. */
export function buildContext(deps: ContextDeps, viewer: Viewer | null, requestId: string): Context {
  let reader: Reader | undefined
  return {
    prisma: deps.prisma,
    get reader() {
      return (reader ??= readerFor(deps.prisma, viewer))
    },
    pubsub: deps.pubsub,
    viewer,
    access: new AccessScope(deps.prisma, viewer),
    log: deps.log.child({ requestId, userId: viewer?.userId }),
    requestId,
    settings: deps.settings,
    feeds: deps.feeds,
  }
}
