// The server the in-process bench sections measure: built in this process on a database of the
// bench's own, background jobs off, with a way to sign a token for any seeded user.
import { buildApp, type App } from '../../src/app.js'
import { claimsForUser } from '../../src/auth/claims.js'
import { createVerifier, signToken } from '../../src/auth/jwt.js'
import { loadConfig } from '../../src/config.js'
import type { PrismaClient } from '../../src/db.js'
import { createLogger } from '../../src/logger.js'
import { createAppPubSub } from '../../src/pubsub.js'

export const BENCH_SECRET = 'bench-secret-0123456789-abcdefghijklmnop'

export async function startBenchApp(
  prisma: PrismaClient,
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ app: App; url: string; token(username: string): Promise<string> }> {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: BENCH_SECRET,
    LOG_LEVEL: 'silent',
    BACKGROUND_JOBS: 'false',
    DISPATCH_POLL_MS: '600000',
    ...env,
  })
  const app = buildApp({
    config,
    prisma,
    pubsub: createAppPubSub(),
    log: createLogger('silent'),
    isReady: async () => true,
    verifier: await createVerifier({ secret: BENCH_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
  })
  const { url } = await app.start(0, '127.0.0.1')
  const token = async (username: string) => {
    const u = await prisma.user.findUniqueOrThrow({ where: { username } })
    return signToken(BENCH_SECRET, await claimsForUser(prisma, u.id), {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    })
  }
  return { app, url, token }
}
