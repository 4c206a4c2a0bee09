// Start-up with DATABASE_URL waits for a database that is not reachable yet: one log line per failed
// attempt, then the server starts as soon as the database answers; after DB_STARTUP_TIMEOUT_MS it
// exits 1 with one line. A wrong password or a missing database fails at once, without retrying.
import type { ChildProcess } from 'node:child_process'
import net from 'node:net'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/bootstrap.js'
import { FatalError } from '../../../src/shared/fatal-error.js'
import { loadConfig } from '../../../src/config.js'
import { createPrisma } from '../../../src/db.js'
import { freePort } from '../../../src/db/embedded.js'
import { pgConfig } from '../../../src/db/schema-engine.js'
import { signToken } from '../../../src/auth/jwt.js'
import { claimsForUser } from '../../../src/auth/claims.js'
import { createTestDatabase, TEST_AUDIENCE, TEST_ISSUER, TEST_SECRET } from '../../helpers/app.js'
import { userWithRole } from '../../helpers/fixtures.js'
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js'
import { spawnServer, type LogRecord } from '../../helpers/server-process.js'
import { gql, graphql } from '../../helpers/graphql.js'

const RETRY = 'database not reachable; retrying'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function stopOnCleanup(child: ChildProcess, exited: Promise<unknown>) {
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await exited
    }
  })
}

/** `databaseUrl` with its port replaced (a port where nothing listens yet). */
const onPort = (databaseUrl: string, port: number) => {
  const u = new URL(databaseUrl)
  u.port = String(port)
  return u.toString()
}

describe('start-up with a database that is not reachable yet', () => {
  it('should log one line per failed attempt, keep running, and serve as soon as the database answers', async () => {
    const databaseUrl = await createTestDatabase()
    const port = await freePort()
    let proxy: TcpProxy | undefined
    cleanups.push(async () => proxy?.close())
    const server = spawnServer({ DATABASE_URL: onPort(databaseUrl, port) })
    stopOnCleanup(server.child, server.exited)

    await server.when((r) => r.msg === RETRY && r.attempt === 3)
    expect(server.child.exitCode).toBeNull()
    const retries = server.records.filter((r) => r.msg === RETRY).slice(0, 3)
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3])
    for (const r of retries) {
      expect(r).toMatchObject({ reason: `connect ECONNREFUSED 127.0.0.1:${port}`, retryInMs: expect.any(Number) })
      expect(r.level).toBe(40) // warn
    }

    // the database appears on that port
    proxy = await startTcpProxy(pgConfig(databaseUrl).cfg, port)
    const listening = await server.when((r) => r.msg === 'server listening')
    const reachable = server.records.find((r) => r.msg === 'database reachable')
    const failed = server.records.filter((r) => r.msg === RETRY).length
    expect(reachable).toMatchObject({ attempts: failed + 1 })
    // one line per failed attempt: numbered 1…n without gaps or repeats
    expect(server.records.filter((r) => r.msg === RETRY).map((r) => r.attempt)).toEqual(
      Array.from({ length: failed }, (_, i) => i + 1),
    )

    const url = listening.url as string
    const ready = await fetch(new URL('/readyz', url))
    expect(ready.status).toBe(200)
    const prisma = createPrisma(databaseUrl, { poolSize: 1 })
    cleanups.push(() => prisma.$disconnect())
    const admin = await userWithRole(prisma, 'ADMIN')
    const token = await signToken(TEST_SECRET, await claimsForUser(prisma, admin.id), {
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      expiresIn: '5m',
    })
    const res = await gql(url, graphql('{ regions(first: 1) { edges { node { id name } } } }'), {}, { token })
    expect(res.errors).toBeUndefined()
    expect(res.data?.regions.edges).toHaveLength(1)
  }, 60_000)

  it('should exit 1 with one line, and no stack, after DB_STARTUP_TIMEOUT_MS', async () => {
    const port = await freePort()
    const server = spawnServer({
      DATABASE_URL: `postgresql://postgres:secret-pw@127.0.0.1:${port}/gongzhi`,
      DB_STARTUP_TIMEOUT_MS: '1500',
    })
    stopOnCleanup(server.child, server.exited)

    expect(await server.exited).toBe(1)
    const lines = server.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      new RegExp(
        `^database 127\\.0\\.0\\.1:${port}/gongzhi not reachable \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\); gave up after (\\d+) attempt\\(s\\) in \\d+ ms \\(DB_STARTUP_TIMEOUT_MS=1500\\)$`,
      ),
    )
    expect(server.stderr).not.toContain('secret-pw')
    const attempts = Number(/after (\d+) attempt/.exec(lines[0]!)![1])
    const retries = server.records.filter((r) => r.msg === RETRY)
    expect(attempts).toBeGreaterThanOrEqual(2)
    expect(retries.map((r) => r.attempt)).toEqual(Array.from({ length: attempts - 1 }, (_, i) => i + 1))
    expect(server.records.some((r) => r.msg === 'server listening')).toBe(false)
  }, 60_000)
})

describe('start-up with a database that answers with an error', () => {
  /** A logger whose records the test reads. */
  function capturingLogger() {
    const records: LogRecord[] = []
    return {
      records,
      log: pino(
        { level: 'debug' },
        {
          write: (line: string) => {
            records.push(JSON.parse(line) as LogRecord)
          },
        },
      ),
    }
  }
  const configFor = (url: string, env: Record<string, string> = {}) =>
    loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', ...env })

  it('should fail at once, without retrying, on a wrong password', async () => {
    const url = new URL(await createTestDatabase())
    url.password = 'wrong-password-123'
    const { records, log } = capturingLogger()
    const t0 = Date.now()
    const err = await openDatabase(configFor(url.toString()), log).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(FatalError)
    expect((err as Error).message).toMatch(
      /^cannot use the database 127\.0\.0\.1:\d+\/t_\w+: password authentication failed for user "postgres"$/,
    )
    expect((err as Error).message).not.toContain('wrong-password-123')
    expect(records.filter((r) => r.msg === RETRY)).toEqual([])
    expect(Date.now() - t0).toBeLessThan(5_000)
  })

  it('should fail at once, without retrying, on a database that does not exist', async () => {
    const url = new URL(await createTestDatabase())
    url.pathname = '/no_such_database_here'
    const { records, log } = capturingLogger()
    const err = await openDatabase(configFor(url.toString()), log).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(FatalError)
    expect((err as Error).message).toMatch(
      /^cannot use the database 127\.0\.0\.1:\d+\/no_such_database_here: database "no_such_database_here" does not exist$/,
    )
    expect(records.filter((r) => r.msg === RETRY)).toEqual([])
  })

  it('should try once when DB_STARTUP_TIMEOUT_MS is 0', async () => {
    const port = await freePort()
    const { records, log } = capturingLogger()
    const err = await openDatabase(
      configFor(`postgresql://postgres:x@127.0.0.1:${port}/gongzhi`, { DB_STARTUP_TIMEOUT_MS: '0' }),
      log,
    ).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(FatalError)
    expect((err as Error).message).toMatch(/not reachable \(connect ECONNREFUSED .*\); gave up after 1 attempt\(s\)/)
    expect(records.filter((r) => r.msg === RETRY)).toEqual([])
  })
})

describe('start-up failures print one line', () => {
  it('should name an unexpected failure in one line, without a stack', async () => {
    // DATA_DIR under a file: the embedded database cannot be made there
    const server = spawnServer({ DATA_DIR: '/dev/null/gongzhi', JWT_SECRET: '' })
    stopOnCleanup(server.child, server.exited)
    expect(await server.exited).toBe(1)
    expect(server.stderr).toMatch(
      /^Gongzhi did not start: ENOTDIR: not a directory, mkdir '\/dev\/null\/gongzhi' \(LOG_LEVEL=debug shows the stack\)\n$/,
    )
  })

  it('should name the port in use and exit 1 without touching the database', async () => {
    const blocker = net.createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    cleanups.push(() => new Promise((r) => blocker.close(r)))
    const port = (blocker.address() as net.AddressInfo).port
    const server = spawnServer({ DATABASE_URL: await createTestDatabase(), PORT: String(port) })
    stopOnCleanup(server.child, server.exited)
    expect(await server.exited).toBe(1)
    expect(server.stderr).toBe(
      `port ${port} is in use on 127.0.0.1 (is Gongzhi already running?); stop that process or start with another PORT\n`,
    )
  })
})
