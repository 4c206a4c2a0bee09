import module from 'node:module'
import type { AppPubSub } from './pubsub.js'
import { openDatabase, type Database } from './bootstrap.js'
import { loadConfig, type Config } from './config.js'
import { describeFailure, FatalError } from './shared/fatal-error.js'
import { createLogger } from './logger.js'
import { createVerifier, signToken } from './auth/jwt.js'
import { claimsForUser, demoUsersByRole } from './auth/claims.js'

/** Why the server could not listen, and what to do about it, in one line. */
function listenFailure(e: unknown, config: Config): FatalError | undefined {
  const code = (e as NodeJS.ErrnoException)?.code
  const where = `${config.HOST}:${config.PORT}`
  if (code === 'EADDRINUSE')
    return new FatalError(
      `port ${config.PORT} is in use on ${config.HOST} (is Gongzhi already running?); stop that process or start with another PORT`,
    )
  if (code === 'EACCES')
    return new FatalError(`not allowed to listen on ${where}; use a PORT above 1023 or run with the right to bind it`)
  if (code === 'EADDRNOTAVAIL')
    return new FatalError(
      `HOST ${config.HOST} is not an address of this machine; set HOST to one of its addresses (or 0.0.0.0)`,
    )
  return undefined
}
// Node ≥ 22: V8 keeps the compiled code on disk (os.tmpdir()/node-compile-cache), so a restart skips
// compiling it again; Node 20 has no such cache and simply compiles. The bundle's entry (dist/main.js,
// scripts/build/fast-start.mjs) has turned it on already, before the bundle loaded; this is for `npm run dev`
;(module as { enableCompileCache?: () => unknown }).enableCompileCache?.()

async function main() {
  const config = loadConfig()
  const log = createLogger(config.LOG_LEVEL)
  // the schema and the server load while PostgreSQL gets ready in its own process
  let modules: Promise<[typeof import('./app.js'), typeof import('./pubsub.js')]> | undefined
  const loadModules = () => (modules ??= Promise.all([import('./app.js'), import('./pubsub.js')]))
  const db = await openDatabase(config, log, () => {
    loadModules().catch(() => {})
  })
  try {
    const [app, pubsubs] = await loadModules()
    await serve(config, log, db, app, pubsubs)
  } catch (e) {
    await db.close().catch(() => {})
    throw listenFailure(e, config) ?? e
  }
}

async function serve(
  config: Config,
  log: ReturnType<typeof createLogger>,
  db: Database,
  { buildApp }: typeof import('./app.js'),
  pubsubs: typeof import('./pubsub.js'),
) {
  const secret = config.JWT_SECRET ?? db.devJwtSecret
  const jwt = {
    secret,
    publicKey: config.JWT_PUBLIC_KEY,
    jwksUrl: config.JWT_JWKS_URL,
    algorithms: config.JWT_ALGORITHMS,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    maxTokenAgeSeconds: config.JWT_MAX_AGE_SECONDS,
  }
  const verifier = await createVerifier(jwt)

  // Embedded mode is for trying things out: a ready token per demo role (signed once listening, for
  // GraphiQL's header editor), printed once the demo data is complete.
  const tokens: { role: string; username: string; token: string }[] = []

  const bus = config.REDIS_URL ? pubsubs.createRedisPubSub(config.REDIS_URL, log) : undefined
  log.info({ bus: bus ? 'redis' : 'in-process' }, 'pub/sub bus')
  const pubsub: AppPubSub = bus?.pubsub ?? pubsubs.createAppPubSub()
  const app = buildApp({
    config,
    log,
    prisma: db.prisma,
    pubsub,
    verifier,
    isReady: () => db.isReady(),
    graphiqlToken: () => tokens.find((t) => t.role === 'ADMIN')?.token,
  })
  let url: string
  let workflowsSettled = () => {}
  const workflows = new Promise<void>((resolve) => {
    workflowsSettled = resolve
  })
  try {
    ;({ url } = await app.start(undefined, undefined, workflows))
  } catch (e) {
    await app.stop().catch(() => {})
    await bus?.close().catch(() => {})
    throw e
  }
  log.info({ url }, 'server listening')

  let shuttingDown = false
  const shutdown = async (signal: string) => {
    if (shuttingDown) return
    shuttingDown = true
    log.info({ signal }, 'shutting down')
    try {
      await app.stop()
      await bus?.close()
      await db.close()
      log.info('stopped')
      process.exit(0)
    } catch (e) {
      log.error({ err: e }, 'shutdown failed')
      process.exit(1)
    }
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))

  // after listening: the demo tokens, the demo workflows on a first start, then the tokens printed
  void (async () => {
    try {
      if (db.embedded && secret) {
        for (const u of await demoUsersByRole(db.prisma)) {
          const claims = await claimsForUser(db.prisma, u.userId, [u.role])
          tokens.push({
            role: u.role,
            username: u.username,
            token: await signToken(secret, claims, { issuer: jwt.issuer, audience: jwt.audience, expiresIn: '12h' }),
          })
        }
      }
      await db.loadDemoWorkflows()
    } finally {
      // the background jobs start now (app.start): never between two steps of the demo seed
      workflowsSettled()
    }
    if (tokens.length && !shuttingDown) {
      const lines = tokens.map((t) => `  ${t.role.padEnd(18)} ${t.username}\n    ${t.token}`)
      process.stdout.write(
        `\nGongzhi is running: ${url}${config.graphiql ? ' (GraphiQL: open it in a browser)' : ''}\nDemo tokens (12 h; send as "Authorization: Bearer <token>"):\n${lines.join('\n')}\n\n`,
      )
    }
  })().catch((e) => {
    if (!shuttingDown) log.error({ err: e }, 'demo tokens could not be made')
  })
}

/** A start-up failure is one line on stderr naming the fix (the stack only with LOG_LEVEL=debug or trace). */
main().catch((e: unknown) => {
  console.error(describeFailure(e, 'Gongzhi did not start', ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '')))
  process.exit(1)
})
