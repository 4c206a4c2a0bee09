import { buildApp } from './app.js'
import { openDatabase, StartupError } from './bootstrap.js'
import { ConfigError, loadConfig } from './config.js'
import { createLogger } from './logger.js'
import { createAppPubSub, createRedisPubSub } from './pubsub.js'
import { createVerifier, signToken } from './auth/jwt.js'
import { claimsForUser, demoUsersByRole } from './auth/claims.js'

async function main() {
  const config = loadConfig()
  const log = createLogger(config.LOG_LEVEL)
  const db = await openDatabase(config, log)
  const secret = config.JWT_SECRET ?? db.devJwtSecret
  const jwt = { secret, publicKey: config.JWT_PUBLIC_KEY, jwksUrl: config.JWT_JWKS_URL, algorithms: config.JWT_ALGORITHMS, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, maxTokenAgeSeconds: config.JWT_MAX_AGE_SECONDS }
  const verifier = await createVerifier(jwt)

  // Embedded mode is for trying things out: print a ready token per demo role.
  const tokens: { role: string; username: string; token: string }[] = []
  if (db.embedded && secret) {
    for (const u of await demoUsersByRole(db.prisma)) {
      const claims = await claimsForUser(db.prisma, u.userId, [u.role])
      tokens.push({ role: u.role, username: u.username, token: await signToken(secret, claims, { issuer: jwt.issuer, audience: jwt.audience, expiresIn: '12h' }) })
    }
  }

  const bus = config.REDIS_URL ? createRedisPubSub(config.REDIS_URL, log) : undefined
  log.info({ bus: bus ? 'redis' : 'in-process' }, 'pub/sub bus')
  const app = buildApp({
    config, log, prisma: db.prisma, pubsub: bus?.pubsub ?? createAppPubSub(), verifier,
    isReady: () => db.isReady(), graphiqlToken: tokens.find((t) => t.role === 'ADMIN')?.token,
  })
  const { url } = await app.start()
  log.info({ url }, 'server listening')
  void db.loadDemoWorkflows()
  if (tokens.length) {
    const lines = tokens.map((t) => `  ${t.role.padEnd(18)} ${t.username}\n    ${t.token}`)
    process.stdout.write(`\nGongzhi is running: ${url}${config.graphiql ? ' (GraphiQL: open it in a browser)' : ''}\nDemo tokens (12 h; send as "Authorization: Bearer <token>"):\n${lines.join('\n')}\n\n`)
  }

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
}

main().catch((e) => {
  if (e instanceof ConfigError || e instanceof StartupError) console.error(e.message)
  else console.error(e)
  process.exit(1)
})
