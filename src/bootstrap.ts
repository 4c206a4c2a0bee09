// Opens the database the server runs on. Without DATABASE_URL: embedded PostgreSQL in DATA_DIR,
// migrated and seeded on first start. With DATABASE_URL: used as is, never seeded, and the server
// refuses to start while migrations are pending (admins run `npm run db:migrate`); a database that
// is not reachable yet (still starting, restarting) is waited for, up to DB_STARTUP_TIMEOUT_MS.
import path from 'node:path'
import type { Config } from './config.js'
import { createPrisma, type PrismaClient } from './db.js'
import { dataDirSecrets, startEmbeddedPostgres, type EmbeddedDb } from './db/embedded.js'
import { deployMigrations, migrationState, type MigrationState } from './db/migrate.js'
import { connectClient, createReadinessProbe, describeDatabase, unreachableReason } from './db/readiness.js'
import type { Logger } from './logger.js'
import { backoffDelay, pause } from './shared/backoff.js'
import { hasDemoData, hasDemoWorkflows } from './seed/presence.js'
import { errorMessage, FatalError } from './shared/fatal-error.js'

export interface Database {
  url: string
  prisma: PrismaClient
  embedded?: EmbeddedDb
  /** The embedded mode's generated HS256 secret (kept in DATA_DIR). */
  devJwtSecret?: string
  /**
   * The database answers on the readiness probe's own connection (not the app's pool), no migration is
   * pending, and the demo workflows, on a first embedded start, are loaded (loadDemoWorkflows has settled).
   */
  isReady(): Promise<boolean>
  /** Embedded first start: loads demo cases, party, agreement and volunteer data (started after listening). */
  loadDemoWorkflows(): Promise<void>
  close(): Promise<void>
}

const STARTUP_BACKOFF = { baseMs: 250, maxMs: 5_000 }

/**
 * The migration state, read once the database answers. Only "not reachable" failures are retried,
 * with one log line each, until `timeoutMs` has passed; anything else (a wrong password, a missing
 * database) fails at once. Either way the FatalError is one line that names the database.
 */
async function awaitMigrationState(url: string, timeoutMs: number, log: Logger): Promise<MigrationState> {
  const started = Date.now()
  for (let attempt = 1; ; attempt++) {
    try {
      // migrationState's own connect has no timeout: a host that drops packets would hang it for minutes
      const remaining = started + timeoutMs - Date.now()
      await (await connectClient(url, Math.min(10_000, Math.max(2_000, remaining)), 'gongzhi-startup')).end()
      const state = await migrationState(url)
      if (attempt > 1) log.info({ attempts: attempt, ms: Date.now() - started }, 'database reachable')
      return state
    } catch (e) {
      const reason = unreachableReason(e)
      if (!reason)
        throw new FatalError(`cannot use the database ${describeDatabase(url)}: ${errorMessage(e)}`, { cause: e })
      const retryInMs = Math.min(backoffDelay(attempt, STARTUP_BACKOFF), started + timeoutMs - Date.now())
      if (retryInMs <= 0) {
        throw new FatalError(
          `database ${describeDatabase(url)} not reachable (${reason}); gave up after ${attempt} attempt(s) in ${Date.now() - started} ms (DB_STARTUP_TIMEOUT_MS=${timeoutMs})`,
          { cause: e },
        )
      }
      log.warn({ attempt, retryInMs, reason }, 'database not reachable; retrying')
      await pause(retryInMs)
    }
  }
}

/**
 * `whileStarting` is called once the embedded PostgreSQL's process runs, while it gets ready (or at once
 * for an external database): the caller loads the server then, on the CPU the database start leaves idle.
 */
export async function openDatabase(config: Config, log: Logger, whileStarting?: () => void): Promise<Database> {
  let url = config.DATABASE_URL
  let embedded: EmbeddedDb | undefined
  let devJwtSecret: string | undefined
  if (!url) {
    const dataDir = path.resolve(config.DATA_DIR)
    const t0 = Date.now()
    embedded = await startEmbeddedPostgres({
      dataDir,
      database: 'gongzhi',
      onLog: (m) => log.debug({ pg: m.trim() }, 'postgres'),
      onSpawned: whileStarting,
    })
    url = embedded.url
    devJwtSecret = dataDirSecrets(dataDir).jwtSecret
    log.info({ dataDir, ms: Date.now() - t0 }, 'embedded PostgreSQL started')
  } else {
    whileStarting?.()
  }
  try {
    const state = await awaitMigrationState(url, embedded ? 0 : config.DB_STARTUP_TIMEOUT_MS, log)
    if (state.failed.length)
      throw new FatalError(
        `failed migrations in the database: ${state.failed.join(', ')}; resolve them with prisma migrate resolve`,
      )
    if (state.pending.length) {
      if (!embedded)
        throw new FatalError(
          `${state.pending.length} migration(s) pending (${state.pending.join(', ')}); run \`npm run db:migrate\` first`,
        )
      const applied = await deployMigrations(url)
      log.info({ applied }, 'migrations applied')
    }
    const prisma = createPrisma(url, { preparedStatements: config.DB_PREPARED_STATEMENTS })
    if (embedded && config.SEED_DEMO && !(await hasDemoData(prisma))) {
      const t0 = Date.now()
      const { seedDemo } = await import('./seed/demo.js') // only now: most starts seed nothing
      const summary = await seedDemo(prisma, { workflows: false })
      log.info({ ...summary, ms: Date.now() - t0 }, 'demo data loaded')
    }
    const readiness = createReadinessProbe(url)
    let workflows: Promise<void> | undefined
    // clients that wait for /readyz (and the printed tokens) see the demo data complete
    let workflowsSettled = !embedded || !config.SEED_DEMO
    return {
      url,
      prisma,
      embedded,
      devJwtSecret,
      isReady: async () => workflowsSettled && readiness.check(),
      loadDemoWorkflows() {
        workflows ??= (async () => {
          if (!embedded || !config.SEED_DEMO || (await hasDemoWorkflows(prisma))) return
          const t0 = Date.now()
          const { seedDemoWorkflows } = await import('./seed/demo.js')
          await seedDemoWorkflows(prisma)
          log.info({ ms: Date.now() - t0 }, 'demo workflows loaded (cases, party, agreements, volunteering)')
        })()
          .catch((e) => log.error({ err: e }, 'demo workflows failed to load'))
          .finally(() => {
            workflowsSettled = true
          })
        return workflows
      },
      async close() {
        await workflows
        await readiness.close()
        await prisma.$disconnect()
        await embedded?.stop()
      },
    }
  } catch (e) {
    await embedded?.stop()
    throw e
  }
}
