// Opens the database the server runs on. Without DATABASE_URL: embedded PostgreSQL in DATA_DIR,
// migrated and seeded on first start. With DATABASE_URL: used as is, never seeded, and the server
// refuses to start while migrations are pending (admins run `npm run db:migrate`).
import path from 'node:path'
import type { Config } from './config.js'
import { createPrisma, type PrismaClient } from './db.js'
import { dataDirSecrets, startEmbeddedPostgres, type EmbeddedDb } from './db/embedded.js'
import { deployMigrations, migrationState } from './db/migrate.js'
import type { Logger } from './logger.js'
import { hasDemoData, hasDemoWorkflows, seedDemo, seedDemoWorkflows } from './seed/demo.js'

export interface Database {
  url: string
  prisma: PrismaClient
  embedded?: EmbeddedDb
  /** The embedded mode's generated HS256 secret (kept in DATA_DIR). */
  devJwtSecret?: string
  isReady(): Promise<boolean>
  /** Embedded first start: loads demo cases, party, agreement and volunteer data in the background (after listening). */
  loadDemoWorkflows(): Promise<void>
  close(): Promise<void>
}

export class StartupError extends Error {}

export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  let url = config.DATABASE_URL
  let embedded: EmbeddedDb | undefined
  let devJwtSecret: string | undefined
  if (!url) {
    const dataDir = path.resolve(config.DATA_DIR)
    const t0 = Date.now()
    embedded = await startEmbeddedPostgres({ dataDir, database: 'gongzhi', onLog: (m) => log.debug({ pg: m.trim() }, 'postgres') })
    url = embedded.url
    devJwtSecret = dataDirSecrets(dataDir).jwtSecret
    log.info({ dataDir, ms: Date.now() - t0 }, 'embedded PostgreSQL started')
  }
  try {
    const state = await migrationState(url)
    if (state.failed.length) throw new StartupError(`failed migrations in the database: ${state.failed.join(', ')}; resolve them with prisma migrate resolve`)
    if (state.pending.length) {
      if (!embedded) throw new StartupError(`${state.pending.length} migration(s) pending (${state.pending.join(', ')}); run \`npm run db:migrate\` first`)
      const applied = await deployMigrations(url)
      log.info({ applied }, 'migrations applied')
    }
    const prisma = createPrisma(url, { preparedStatements: config.DB_PREPARED_STATEMENTS })
    if (embedded && config.SEED_DEMO && !(await hasDemoData(prisma))) {
      const t0 = Date.now()
      const summary = await seedDemo(prisma, { workflows: false })
      log.info({ ...summary, ms: Date.now() - t0 }, 'demo data loaded')
    }
    let migrated = false
    let workflows: Promise<void> | undefined
    return {
      url, prisma, embedded, devJwtSecret,
      async isReady() {
        await prisma.$queryRaw`SELECT 1`
        if (!migrated) migrated = (await migrationState(url)).pending.length === 0
        return migrated
      },
      loadDemoWorkflows() {
        workflows ??= (async () => {
          if (!embedded || !config.SEED_DEMO || (await hasDemoWorkflows(prisma))) return
          const t0 = Date.now()
          await seedDemoWorkflows(prisma)
          log.info({ ms: Date.now() - t0 }, 'demo workflows loaded (cases, party, agreements, volunteering)')
        })().catch((e) => log.error({ err: e }, 'demo workflows failed to load'))
        return workflows
      },
      async close() {
        await workflows
        await prisma.$disconnect()
        await embedded?.stop()
      },
    }
  } catch (e) {
    await embedded?.stop()
    throw e
  }
}
