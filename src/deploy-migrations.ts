// `node dist/deploy-migrations.js`: applies pending migrations to DATABASE_URL with the server's own
// WASM engine, where the Prisma CLI is not installed (the production image). Prints what it applied.
import { deployMigrations, migrationState } from './db/migrate.js'
import { describeDatabase } from './db/readiness.js'
import { describeFailure, FatalError } from './shared/fatal-error.js'

try {
  const url = process.env.DATABASE_URL
  if (!url || !/^postgres(ql)?:\/\//.test(url))
    throw new FatalError(
      'DATABASE_URL: a postgresql:// URL is required (the embedded database migrates itself at start)',
    )
  const state = await migrationState(url)
  if (state.failed.length)
    throw new FatalError(
      `failed migrations in the database: ${state.failed.join(', ')}; resolve them first (prisma migrate resolve)`,
    )
  const applied = await deployMigrations(url)
  console.log(
    applied.length
      ? `applied to ${describeDatabase(url)}: ${applied.join(', ')}`
      : `${describeDatabase(url)} is up to date`,
  )
} catch (e) {
  // an admin command: the whole error, as a failed migration names itself after its first line
  console.error(describeFailure(e, 'migrations not applied', true))
  process.exitCode = 1
}
