// Acting as seeded users: one request Context per username, built as a verified token for that user
// would build it, so a seed drives the services exactly as the API would.
import type { PrismaClient } from '../db.js'
import { createAccountDirectory } from '../auth/accounts.js'
import { viewerForUser } from '../auth/claims.js'
import type { RoleName, Viewer } from '../auth/viewer.js'
import { buildContext, type Context } from '../context.js'
import { createLogger } from '../logger.js'
import { createCategoryCache } from '../modules/case/categories.js'
import { createAppPubSub } from '../pubsub.js'
import { createFeeds } from '../realtime/feeds.js'

/** The viewer a verified token for this seeded user would give (the shape createVerifier builds). */
export async function viewerFor(prisma: PrismaClient, username: string, roles?: RoleName[]): Promise<Viewer> {
  const user = await prisma.user.findUnique({ where: { username }, select: { id: true } })
  if (!user) throw new Error(`seed: no user ${username}`)
  return viewerForUser(prisma, user.id, roles)
}

export class SeedActors {
  readonly #deps
  readonly #contexts = new Map<string, Promise<Context>>()
  constructor(readonly prisma: PrismaClient) {
    const pubsub = createAppPubSub()
    this.#deps = {
      prisma,
      pubsub,
      log: createLogger('silent'),
      settings: { webhookAllowPrivate: false, webhookMaxPerDepartment: 5 },
      feeds: createFeeds(
        { prisma, pubsub, log: createLogger('silent') },
        { dispatchPollMs: 15_000, figuresIntervalMs: 1_000 },
      ),
      accounts: createAccountDirectory({ prisma, pubsub, ttlMs: 0 }),
      categories: createCategoryCache({ prisma, pubsub, ttlMs: 0 }),
    }
  }

  /** The bus the seeded users publish on (in-process, nobody listens): for the background jobs a seed runs. */
  get pubsub() {
    return this.#deps.pubsub
  }

  /** One context per user for the whole run (its access memo only holds region paths). */
  as(username: string): Promise<Context> {
    let ctx = this.#contexts.get(username)
    if (!ctx) {
      ctx = viewerFor(this.prisma, username).then((v) => buildContext(this.#deps, v, 'seed'))
      this.#contexts.set(username, ctx)
    }
    return ctx
  }
}

/** Runs the jobs, at most `limit` at a time; the first failure fails the whole after the running ones settle. */
export async function inLanes(jobs: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0
  let failed: unknown = null
  const lane = async () => {
    while (next < jobs.length && failed === null) {
      const job = jobs[next++]!
      try {
        await job()
      } catch (e) {
        failed ??= e
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, lane))
  if (failed !== null) throw failed
}
