// The readiness probe behind /readyz answers on its own connection: a busy app pool does not turn it
// false, an outage turns every check false, and once the database is back every check is true again.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrisma } from '../../../src/db.js'
import { createReadinessProbe } from '../../../src/db/readiness.js'
import { pgAdmin, pgConfig, quoteIdent } from '../../../src/db/schema-engine.js'
import { createTestDatabase } from '../../helpers/app.js'
import { startTcpProxy } from '../../helpers/tcp-proxy.js'

const APP_NAME = 'gongzhi-readiness'
const LOCK_KEY = 4_201_912

let url: string
let database: string
beforeAll(async () => {
  url = await createTestDatabase()
  database = pgConfig(url).cfg.database
})
afterAll(async () => {
  if (!database) return
  await pgAdmin(url, `ALTER DATABASE ${quoteIdent(database)} ALLOW_CONNECTIONS true`)
  await pgAdmin(url, `DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`)
})

/** The backends of the probe's connection, as PostgreSQL sees them. */
const probeBackends = async () =>
  (
    await pgAdmin(url, 'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [
      database,
      APP_NAME,
    ])
  ).rows as { pid: number }[]

const checks = async (probe: ReturnType<typeof createReadinessProbe>, n: number) => {
  const answers: boolean[] = []
  for (let i = 0; i < n; i++) answers.push(await probe.check())
  return answers
}

/** Resolves once `n` backends of our database wait for a lock (the state has no event to await). */
async function lockWaiters(n: number) {
  for (;;) {
    const {
      rows: [row],
    } = await pgAdmin(
      url,
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
      [database],
    )
    if (row.n >= n) return
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('readiness probe', () => {
  it('should answer true at once, on one connection, while every connection of the app pool is busy', async () => {
    const probe = createReadinessProbe(url, { applicationName: APP_NAME })
    const pool = createPrisma(url, { poolSize: 2 })
    const locker = new pg.Client(pgConfig(url).cfg)
    await locker.connect()
    try {
      await locker.query('SELECT pg_advisory_lock($1)', [LOCK_KEY])
      const held = [1, 2].map(() =>
        pool.$queryRaw`SELECT 1 AS ok FROM pg_advisory_xact_lock(${LOCK_KEY})`.then(() => {}),
      )
      await lockWaiters(2)
      let poolAnswered = false
      const queued = pool.$queryRaw`SELECT 1 AS ok`.then(() => {
        poolAnswered = true
      })

      const started = Date.now()
      const answers: boolean[] = []
      const durations: number[] = []
      for (let i = 0; i < 20; i++) {
        const t0 = Date.now()
        answers.push(await probe.check())
        durations.push(Date.now() - t0)
      }
      expect(answers).toEqual(Array(20).fill(true))
      expect(Math.max(...durations)).toBeLessThan(1_000)
      expect(Date.now() - started).toBeLessThan(5_000)
      // the app pool could not answer meanwhile: its query still waits for a connection
      expect(poolAnswered).toBe(false)
      expect(await probeBackends()).toHaveLength(1)

      await locker.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY])
      await Promise.all([...held, queued])
    } finally {
      await locker.end()
      await pool.$disconnect()
      await probe.close()
    }
  })

  it('should answer false on every check while the database refuses connections, and true on every check once it is back', async () => {
    const probe = createReadinessProbe(url, { applicationName: APP_NAME, timeoutMs: 1_000 })
    try {
      expect(await probe.check()).toBe(true)
      const [backend] = await probeBackends()
      await pgAdmin(url, `ALTER DATABASE ${quoteIdent(database)} ALLOW_CONNECTIONS false`)
      // waits (up to 5 s) until the backend has exited
      await pgAdmin(url, 'SELECT pg_terminate_backend($1, 5000)', [backend!.pid])

      expect(await checks(probe, 10)).toEqual(Array(10).fill(false))

      await pgAdmin(url, `ALTER DATABASE ${quoteIdent(database)} ALLOW_CONNECTIONS true`)
      expect(await checks(probe, 10)).toEqual(Array(10).fill(true))
      const backends = await probeBackends()
      expect(backends).toHaveLength(1)
      expect(backends[0]!.pid).not.toBe(backend!.pid)
    } finally {
      await pgAdmin(url, `ALTER DATABASE ${quoteIdent(database)} ALLOW_CONNECTIONS true`)
      await probe.close()
    }
  })

  it('should stay true when its idle connection is terminated', async () => {
    const probe = createReadinessProbe(url, { applicationName: APP_NAME })
    try {
      expect(await probe.check()).toBe(true)
      for (let i = 0; i < 3; i++) {
        const [backend] = await probeBackends()
        await pgAdmin(url, 'SELECT pg_terminate_backend($1, 5000)', [backend!.pid])
        expect(await checks(probe, 5)).toEqual(Array(5).fill(true))
      }
    } finally {
      await probe.close()
    }
    expect(await probe.check()).toBe(false)
  })

  it('should stay true when its connection silently stops answering (a fresh one answers in the same check)', async () => {
    const proxy = await startTcpProxy(pgConfig(url).cfg)
    const probe = createReadinessProbe(proxy.urlFor(url), { applicationName: APP_NAME, timeoutMs: 500 })
    try {
      expect(await probe.check()).toBe(true)
      proxy.stall()
      const t0 = Date.now()
      expect(await probe.check()).toBe(true)
      // it waited out the stalled connection before opening a fresh one
      expect(Date.now() - t0).toBeGreaterThanOrEqual(400)
      expect(await checks(probe, 5)).toEqual(Array(5).fill(true))
    } finally {
      await probe.close()
      await proxy.close()
    }
  })
})
