import type { PrismaClient } from './db.js'
import type { Viewer } from './auth/viewer.js'
import type { AppPubSub } from './pubsub.js'
import type { Logger } from './logger.js'
import { AccessScope } from './auth/access.js'
import { readerFor, type Reader } from './db/reader.js'
import type { DispatchFeed } from './modules/case/dispatch.feed.js'
import type { CategoryCache } from './modules/case/categories.js'
import type { OrderSequencer } from './modules/case/order-sequencer.js'
import type { FiguresFeed } from './modules/statistics/figures.feed.js'
import type { AccountDirectory } from './auth/accounts.js'
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
  /** Accounts' grants; services call `accounts.changed(userId)` after changing roles, scopes or assignments. */
  accounts: AccountDirectory
  /** Case categories, cached per process; services call `categories.changed()` after changing one. */
  categories: CategoryCache
}

export interface Feeds {
  dispatch: DispatchFeed
  figures: FiguresFeed
  orders: OrderSequencer
}

/** Runtime knobs services need, from the config. */
export interface Settings {
  /** Webhooks may target loopback/private addresses (development and tests only). */
  webhookAllowPrivate: boolean
  /** Active webhook endpoints a department may have. */
  webhookMaxPerDepartment: number
}

export interface ContextDeps {
  prisma: PrismaClient
  pubsub: AppPubSub
  log: Logger
  settings: Settings
  feeds: Feeds
  accounts: AccountDirectory
  categories: CategoryCache
}

/**
 * One context shape for HTTP and WebSocket; the viewer is verified before this is called. The
 * reader (a Prisma client extended for this viewer), the access scope and the child logger are
 * built on first use: a subscription keeps its context for hours and most never touch them.
 * `into` receives the fields (yoga's initial context): copying them out would call the getters.
 */
export function buildContext(deps: ContextDeps, viewer: Viewer | null, requestId: string, into: object = {}): Context {
  let reader: Reader | undefined
  let access: AccessScope | undefined
  let log: Logger | undefined
  const lazy = <T>(get: () => T): PropertyDescriptor => ({ get, enumerable: true, configurable: true })
  return Object.defineProperties(into, {
    prisma: { value: deps.prisma, enumerable: true, writable: true, configurable: true },
    reader: lazy(() => (reader ??= readerFor(deps.prisma, viewer))),
    pubsub: { value: deps.pubsub, enumerable: true, writable: true, configurable: true },
    viewer: { value: viewer, enumerable: true, writable: true, configurable: true },
    access: lazy(() => (access ??= new AccessScope(deps.prisma, viewer))),
    log: lazy(() => (log ??= deps.log.child({ requestId, userId: viewer?.userId }))),
    requestId: { value: requestId, enumerable: true, writable: true, configurable: true },
    settings: { value: deps.settings, enumerable: true, writable: true, configurable: true },
    feeds: { value: deps.feeds, enumerable: true, writable: true, configurable: true },
    accounts: { value: deps.accounts, enumerable: true, writable: true, configurable: true },
    categories: { value: deps.categories, enumerable: true, writable: true, configurable: true },
  }) as Context
}
