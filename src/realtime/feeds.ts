// The process's live feeds (see Context.feeds): the commit-ordered dispatch feed, the sequencer
// that numbers its orders, and the command centre's figure ticks. Built once per app (or per seed run, which never subscribes).
import type { Feeds } from '../context.js'
import type { PrismaClient } from '../db.js'
import type { Logger } from '../logger.js'
import { createDispatchFeed } from '../modules/case/dispatch.feed.js'
import { createOrderSequencer } from '../modules/case/order-sequencer.js'
import { createFiguresFeed } from '../modules/statistics/figures.feed.js'
import type { AppPubSub } from '../pubsub.js'

export interface FeedSettings {
  dispatchPollMs: number
  figuresIntervalMs: number
}

export const createFeeds = (
  deps: { prisma: PrismaClient; pubsub: AppPubSub; log: Logger },
  s: FeedSettings,
): Feeds => ({
  dispatch: createDispatchFeed({ ...deps, pollMs: s.dispatchPollMs }),
  figures: createFiguresFeed({ ...deps, intervalMs: s.figuresIntervalMs }),
  orders: createOrderSequencer(deps),
})
