// A fresh app per test file: its own database cloned from the seeded template, on port 0,
// disposed of after the file. Options start another instance on an existing database (a second
// instance, or a restart) and share a Redis bus between instances.
import { randomUUID } from 'node:crypto'
import { inject } from 'vitest'
import { buildApp, type App } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { createPrisma, type PrismaClient } from '../../src/db.js'
import { createLogger } from '../../src/logger.js'
import { createAppPubSub, createRedisPubSub, type AppPubSub, type RedisAppPubSub } from '../../src/pubsub.js'
import { createVerifier, signToken, type TokenClaims } from '../../src/auth/jwt.js'
import { claimsForUser } from '../../src/auth/claims.js'
import type { RoleName } from '../../src/auth/viewer.js'
import { pgAdmin, pgConfig } from '../../src/db/schema-engine.js'
import { migrationState } from '../../src/db/migrate.js'

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnop'
export const TEST_ISSUER = 'gongzhi'
export const TEST_AUDIENCE = 'gongzhi-api'

export interface TestApp {
  url: string
  wsUrl: string
  origin: string
  prisma: PrismaClient
  pubsub: ObservedPubSub
  config: Config
  app: App
  databaseUrl: string
  /** The Redis bus handle when started with `redisUrl` (whenSynced, whenDisconnected, health). */
  bus?: RedisAppPubSub
  /** A token for a seeded user, by username (roles default to all of the user's roles). */
  tokenFor(username: string, roles?: RoleName[]): Promise<string>
  sign(claims: TokenClaims, expiresIn?: string | number): Promise<string>
  /** The SQL statements the app and the test sent while `fn` ran (keep other traffic out of it). */
  countStatements(fn: () => Promise<unknown>): Promise<{ count: number; statements: string[] }>
  /** Stops the app and closes its connections; the database is kept (another app may reuse it). */
  stop(): Promise<void>
}

/** Creates a database on the test server — a clone of the seeded template, or empty — and returns its URL. */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<string> {
  const templateUrl = inject('pgTemplateUrl')
  const name = `t_${randomUUID().replace(/-/g, '')}`
  const template = pgConfig(templateUrl).cfg.database
  await pgAdmin(templateUrl, `CREATE DATABASE ${name}${opts.empty ? '' : ` TEMPLATE ${template}`}`)
  const url = new URL(templateUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export const cloneTemplateDatabase = () => createTestDatabase()

export type ObservedPubSub = AppPubSub & {
  /** Resolves once the server has subscribed to `topic` (with `id`) — no sleeping on readiness. */
  whenSubscribed(topic: string, id?: string): Promise<void>
  /** A fault: the next `times` publishes on `topic` throw, as a bus that went away would. */
  failPublishes(topic: string, times?: number): void
}

/** Wraps the bus so tests can await the moment a subscription is attached. */
function observedPubSub(base: AppPubSub): ObservedPubSub {
  const seen = new Map<string, number>()
  const waiting = new Map<string, (() => void)[]>()
  const failing = new Map<string, number>()
  const key = (topic: string, id?: string) => (id === undefined ? topic : `${topic}:${id}`)
  return {
    publish: ((topic: string, ...rest: unknown[]) => {
      const left = failing.get(topic) ?? 0
      if (left > 0) {
        failing.set(topic, left - 1)
        throw new Error(`the bus is down (a test's fault on ${topic})`)
      }
      return (base.publish as (t: string, ...r: unknown[]) => void)(topic, ...rest)
    }) as AppPubSub['publish'],
    failPublishes(topic, times = 1) {
      failing.set(topic, times)
    },
    subscribe: ((topic: string, id?: string) => {
      const iterator = (base.subscribe as (t: string, i?: string) => ReturnType<AppPubSub['subscribe']>)(topic, id)
      const k = key(topic, id)
      // the listener is attached when the iterator is first pulled, right after subscribe returns
      setImmediate(() => {
        seen.set(k, (seen.get(k) ?? 0) + 1)
        for (const w of waiting.get(k) ?? []) w()
        waiting.delete(k)
      })
      return iterator
    }) as AppPubSub['subscribe'],
    whenSubscribed(topic, id) {
      const k = key(topic, id)
      if (seen.get(k)) {
        seen.set(k, seen.get(k)! - 1)
        return Promise.resolve()
      }
      return new Promise<void>((resolve) =>
        waiting.set(k, [
          ...(waiting.get(k) ?? []),
          () => {
            seen.set(k, Math.max(0, (seen.get(k) ?? 1) - 1))
            resolve()
          },
        ]),
      )
    },
  }
}

export interface TestAppOptions {
  /** Pre-fills GraphiQL's header editor with this token (AppDeps.graphiqlToken), e.g. an ADMIN's. */
  graphiqlToken?: (t: Pick<TestApp, 'prisma' | 'tokenFor'>) => Promise<string>
  /** Use this existing database (e.g. another app's `databaseUrl`) instead of cloning the template. */
  databaseUrl?: string
  /** The background jobs start once this settles (as after the embedded first start's demo seed). */
  jobsAfter?: Promise<unknown>
  /** Use the Redis bus at this URL (createRedisPubSub) instead of the in-process one; see `bus`. */
  redisUrl?: string
  /** Collects the server's log lines (parsed JSON) at LOG_LEVEL, instead of discarding them. */
  logLines?: Record<string, unknown>[]
}

export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await cloneTemplateDatabase())
  // The activity clock is off: tests drive it with app.jobs.advanceActivities rather than race it.
  // Accounts stay cached for the whole file (changes through the API still clear them at once): a
  // statement count must not depend on whether a slow machine let a 5 s entry expire mid-test.
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    ACTIVITY_CLOCK_MS: '0',
    MUTATIONS_PER_MINUTE: '1000000',
    ACCOUNT_CACHE_MS: '600000',
    REFERENCE_CACHE_MS: '600000',
    ...env,
  })
  let recording: string[] | null = null
  const prisma = createPrisma(databaseUrl, { poolSize: 20, onQuery: (sql) => recording?.push(sql) })
  const countStatements: TestApp['countStatements'] = async (fn) => {
    const statements: string[] = []
    recording = statements
    try {
      await fn()
    } finally {
      recording = null
    }
    return { count: statements.length, statements }
  }
  const lines = options.logLines
  const log = createLogger(
    config.LOG_LEVEL,
    lines
      ? {
          write: (line) => {
            lines.push(JSON.parse(line) as Record<string, unknown>)
          },
        }
      : undefined,
  )
  // a short reconnect cap so that tests of a Redis outage see the bus come back quickly
  const bus = options.redisUrl ? createRedisPubSub(options.redisUrl, log, { retryMaxDelayMs: 200 }) : undefined
  const pubsub = observedPubSub(bus?.pubsub ?? createAppPubSub())
  const verifier = await createVerifier({
    secret: TEST_SECRET,
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    algorithms: config.JWT_ALGORITHMS,
    maxTokenAgeSeconds: config.JWT_MAX_AGE_SECONDS,
  })
  const sign = (claims: TokenClaims, expiresIn: string | number = '1h') =>
    signToken(TEST_SECRET, claims, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, expiresIn })
  const tokenFor: TestApp['tokenFor'] = async (username, roles) => {
    const user = await prisma.user.findUniqueOrThrow({ where: { username }, select: { id: true } })
    return sign(await claimsForUser(prisma, user.id, roles))
  }
  const graphiqlToken = options.graphiqlToken
    ? await options.graphiqlToken({ prisma, tokenFor }).catch(async (e: unknown) => {
        await bus?.close()
        await prisma.$disconnect()
        throw e
      })
    : undefined
  const app = buildApp({
    config,
    prisma,
    pubsub,
    log,
    verifier,
    isReady: async () => (await migrationState(databaseUrl)).pending.length === 0,
    graphiqlToken: () => graphiqlToken,
  })
  const { port } = await app.start(0, '127.0.0.1', options.jobsAfter)
  const origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    origin,
    prisma,
    pubsub,
    config,
    app,
    databaseUrl,
    bus,
    sign,
    tokenFor,
    countStatements,
    async stop() {
      await app.stop()
      await bus?.close()
      await prisma.$disconnect()
    },
  }
}
