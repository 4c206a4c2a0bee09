// Whether the database can be reached, for /readyz and for start-up. The readiness probe keeps its
// own connection: through the app's pool, a pool busy with slow requests timed the probe out and
// /readyz flapped 503/200 while the database was fine.
import pg from 'pg'
import { isTransientDbError } from './transient.js'
import { migrationState } from './migrate.js'
import { pgConfig } from './schema-engine.js'
import { errorMessage } from '../shared/fatal-error.js'

/** node-postgres' connectionTimeoutMillis fired. */
const CONNECT_TIMEOUT = /timeout expired|connection timeout/i

/**
 * Why the database cannot be reached right now — refused, reset, timed out, not resolvable, starting up
 * (57P03), out of connections (53300) — or undefined when `e` is a real error that waiting will not fix
 * (a wrong password, a missing database, a bad query).
 */
export function unreachableReason(e: unknown): string | undefined {
  const inner = e instanceof AggregateError && e.errors.length ? e.errors[0] : e
  if (inner instanceof Error && CONNECT_TIMEOUT.test(inner.message))
    return `no answer while connecting (${inner.message})`
  return isTransientDbError(inner) ? errorMessage(e) : undefined
}

/** Where `url` points, without its credentials: `host:port/database`. */
export function describeDatabase(url: string): string {
  const { host, port, database } = pgConfig(url).cfg
  return `${host}:${port}/${database}`
}

/** A connected pg client that gives up connecting, and each statement, after `timeoutMs`. */
export async function connectClient(url: string, timeoutMs: number, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({
    ...pgConfig(url).cfg,
    application_name: applicationName,
    keepAlive: true,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
  })
  await client.connect()
  return client
}

export interface ReadinessProbe {
  /**
   * True when the probe's own connection answers `SELECT 1` within the timeout and no migration is
   * pending. Never throws; concurrent calls share one check.
   */
  check(): Promise<boolean>
  /** Closes the probe's connection; later checks answer false. */
  close(): Promise<void>
}

export interface ReadinessProbeOptions {
  /** Bound on connecting and on each statement, in ms (default 2000). */
  timeoutMs?: number
  /** The connection's application_name, as pg_stat_activity shows it (default 'gongzhi-readiness'). */
  applicationName?: string
}

/**
 * One dedicated connection, opened at the first check and replaced after any error. A connection
 * that died while idle (terminated, server restarted, idle timeout of a proxy) is retried once on a
 * fresh one in the same check, so one stale socket does not flip the answer to "not ready".
 */
export function createReadinessProbe(url: string, opts: ReadinessProbeOptions = {}): ReadinessProbe {
  const timeoutMs = opts.timeoutMs ?? 2_000
  const applicationName = opts.applicationName ?? 'gongzhi-readiness'
  let connection: Promise<pg.Client> | undefined
  let inFlight: Promise<boolean> | undefined
  let migrated = false
  let closed = false

  const discard = (c: Promise<pg.Client>) => {
    if (connection === c) connection = undefined
    void c
      .then(
        (client) => client.end(),
        () => {},
      )
      .catch(() => {})
  }

  const open = () => {
    const c: Promise<pg.Client> = connectClient(url, timeoutMs, applicationName).then((client) => {
      // without a listener, an error on the idle connection would be an uncaught exception
      client.on('error', () => discard(c))
      return client
    })
    return c
  }

  const ping = async (): Promise<void> => {
    const reused = connection !== undefined
    const c = (connection ??= open())
    try {
      await (await c).query('SELECT 1')
    } catch (e) {
      discard(c)
      if (!reused || closed) throw e
      await ping()
    }
  }

  const migrationsApplied = async () => {
    if (migrated) return true
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('migration check timed out')), timeoutMs)
    })
    try {
      migrated = (await Promise.race([migrationState(url), timeout])).pending.length === 0
    } finally {
      clearTimeout(timer)
    }
    return migrated
  }

  return {
    check() {
      if (closed) return Promise.resolve(false)
      inFlight ??= (async () => {
        try {
          await ping()
          return await migrationsApplied()
        } catch {
          return false
        } finally {
          inFlight = undefined
        }
      })()
      return inFlight
    },
    async close() {
      closed = true
      await inFlight
      const c = connection
      connection = undefined
      await c
        ?.then(
          (client) => client.end(),
          () => {},
        )
        .catch(() => {})
    },
  }
}
