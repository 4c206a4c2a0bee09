// Migration state and deploy, for the server's own start-up. Admins use the Prisma CLI through
// scripts/prisma.ts; both write the same `_prisma_migrations` table.
import pg from 'pg'
import { listMigrations, noFilters, pgConfig, startEngine } from './schema-engine.js'

export interface MigrationState {
  pending: string[]
  failed: string[]
}

/** Compares prisma/migrations with `_prisma_migrations` without loading the engine (fast path). */
export async function migrationState(url: string): Promise<MigrationState> {
  const local = (await listMigrations()).migrationDirectories.map((m) => m.path)
  const client = new pg.Client(pgConfig(url).cfg)
  await client.connect()
  try {
    const {
      rows: [table],
    } = await client.query<{ name: string | null }>(`SELECT to_regclass('_prisma_migrations')::text AS name`)
    if (!table?.name) return { pending: local, failed: [] }
    const { rows } = await client.query<{
      migration_name: string
      finished_at: Date | null
      rolled_back_at: Date | null
    }>('SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations')
    const applied = new Set(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name))
    const failed = rows.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name)
    return { pending: local.filter((n) => !applied.has(n)), failed }
  } finally {
    await client.end()
  }
}

/** `prisma migrate deploy`, in process through the WASM engine. Returns the applied names. */
export async function deployMigrations(url: string): Promise<string[]> {
  const { engine, close } = await startEngine(url, [])
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await listMigrations(),
      filters: noFilters,
    })
    return appliedMigrationNames
  } finally {
    await close()
  }
}
