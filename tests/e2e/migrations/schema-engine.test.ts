// The offline migration tooling end to end: the real Prisma CLI (migrate dev | diff | deploy | status)
// with PRISMA_SCHEMA_ENGINE_BINARY=scripts/schema-engine, on one embedded PostgreSQL for the file.
// The tests run in order and build on each other: a throwaway project gets two migrations (a, b),
// which are then deployed to fresh databases (c, d); the project's own migrations follow (f).
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { startEmbeddedPostgres, type EmbeddedDb } from '../../../src/db/embedded.js'
import { deployMigrations, migrationState } from '../../../src/db/migrate.js'
import { migrationsDir as projectMigrationsDir } from '../../../src/db/schema-engine.js'
import {
  appliedMigrations,
  createDatabase,
  migrationDirs,
  npmRun,
  output,
  prisma,
  query,
  sha256,
  writeProject,
} from './helpers.js'

const CLI_TIMEOUT = 120_000

const schemaV1 = `generator client {
  provider = "prisma-client"
  output   = "./generated"
}

datasource db {
  provider = "postgresql"
}

model Resident {
  id    Int    @id @default(autoincrement())
  name  String
  phone String @unique
}
`

const schemaV2 = schemaV1.replace(
  '  phone String @unique\n}',
  `  phone String @unique
  note  String?
  cases Case[]
}

model Case {
  id         Int      @id @default(autoincrement())
  title      String
  reporter   Resident @relation(fields: [reporterId], references: [id])
  reporterId Int
}`,
)

describe('offline migrations through the WASM schema-engine stand-in', () => {
  let pgDir: string
  let tmp: string
  let db: EmbeddedDb
  let project: string
  let migrations: string
  let first: string
  let second: string

  beforeAll(async () => {
    pgDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gongzhi-migrations-pg-'))
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gongzhi-migrations-'))
    db = await startEmbeddedPostgres({ dataDir: pgDir, database: 'postgres' })
    project = path.join(tmp, 'project')
    migrations = path.join(project, 'prisma/migrations')
    await writeProject(project, schemaV1)
  }, 60_000)

  afterAll(async () => {
    await db?.stop()
    for (const dir of [pgDir, tmp]) if (dir) await fs.rm(dir, { recursive: true, force: true })
  }, 30_000)

  it(
    'should create and apply the first migration with migrate dev',
    async () => {
      const url = db.urlFor('case_dev')
      const r = await prisma(project, url, 'migrate', 'dev', '--name', 'init')
      expect(r.code, output(r)).toBe(0)

      const dirs = await migrationDirs(migrations)
      expect(dirs).toEqual([expect.stringMatching(/^\d{14}_init$/)])
      first = dirs[0]!
      const sql = await fs.readFile(path.join(migrations, first, 'migration.sql'), 'utf8')
      expect(sql).toContain('CREATE TABLE "Resident"')
      expect(await fs.readFile(path.join(migrations, 'migration_lock.toml'), 'utf8')).toMatch(
        /^provider = "postgresql"$/m,
      )

      expect(await query(url, `SELECT to_regclass('"Resident"')::text AS t`)).toEqual([{ t: '"Resident"' }])
      const [row, ...rest] = await appliedMigrations(url)
      expect(rest).toEqual([])
      expect(row).toMatchObject({
        migration_name: first,
        checksum: sha256(sql),
        rolled_back_at: null,
        applied_steps_count: 1,
      })
      expect(row!.finished_at).toBeInstanceOf(Date)
    },
    CLI_TIMEOUT,
  )

  it(
    'should report drift after a schema change and none once migrate dev has covered it',
    async () => {
      const url = db.urlFor('case_dev')
      const diff = () =>
        prisma(
          project,
          url,
          'migrate',
          'diff',
          '--from-migrations',
          'prisma/migrations',
          '--to-schema',
          'prisma/schema.prisma',
          '--exit-code',
        )

      await fs.writeFile(path.join(project, 'prisma/schema.prisma'), schemaV2)
      const drift = await diff()
      expect(drift.code, output(drift)).toBe(2)
      expect(drift.stdout).toMatch(/Case/)

      const dev = await prisma(project, url, 'migrate', 'dev', '--name', 'second')
      expect(dev.code, output(dev)).toBe(0)
      const dirs = await migrationDirs(migrations)
      expect(dirs).toEqual([first, expect.stringMatching(/^\d{14}_second$/)])
      second = dirs[1]!
      expect(await fs.readFile(path.join(migrations, second, 'migration.sql'), 'utf8')).toContain('CREATE TABLE "Case"')
      expect((await appliedMigrations(url)).map((m) => m.migration_name)).toEqual([first, second])

      const clean = await diff()
      expect(clean.code, output(clean)).toBe(0)
    },
    CLI_TIMEOUT,
  )

  it(
    'should deploy every migration to an empty database, after which status is up to date',
    async () => {
      const url = db.urlFor('case_empty') // does not exist yet: deploy creates it
      const deploy = await prisma(project, url, 'migrate', 'deploy')
      expect(deploy.code, output(deploy)).toBe(0)

      const applied = await appliedMigrations(url)
      expect(applied.map((m) => m.migration_name)).toEqual([first, second])
      for (const m of applied) {
        const sql = await fs.readFile(path.join(migrations, m.migration_name, 'migration.sql'), 'utf8')
        expect(m.checksum).toBe(sha256(sql))
        expect(m.finished_at).toBeInstanceOf(Date)
      }

      const status = await prisma(project, url, 'migrate', 'status')
      expect(status.code, output(status)).toBe(0)
      expect(status.stdout).toMatch(/up to date/)
    },
    CLI_TIMEOUT,
  )

  it(
    'should deploy only the pending migration to a partly migrated database',
    async () => {
      const url = db.urlFor('case_partial')
      // The previous release: the same project with only the first migration.
      const oldRelease = path.join(tmp, 'old-release')
      await writeProject(oldRelease, schemaV1, { dir: migrations, only: [first] })
      const old = await prisma(oldRelease, url, 'migrate', 'deploy')
      expect(old.code, output(old)).toBe(0)
      expect((await appliedMigrations(url)).map((m) => m.migration_name)).toEqual([first])

      const pending = await prisma(project, url, 'migrate', 'status')
      expect(pending.code, output(pending)).not.toBe(0)
      expect(pending.stdout + pending.stderr).toContain(second)
      expect(pending.stdout + pending.stderr).toMatch(/not yet been applied/)

      const [before] = await appliedMigrations(url)
      const deploy = await prisma(project, url, 'migrate', 'deploy')
      expect(deploy.code, output(deploy)).toBe(0)
      expect(deploy.stdout).toContain(second)
      const applied = await appliedMigrations(url)
      expect(applied.map((m) => m.migration_name)).toEqual([first, second])
      expect(applied[0]).toEqual(before) // the first one was not touched again

      const status = await prisma(project, url, 'migrate', 'status')
      expect(status.code, output(status)).toBe(0)
      expect(status.stdout).toMatch(/up to date/)
    },
    CLI_TIMEOUT,
  )

  it(
    "should apply the project's own migrations in process and find no drift in its schema",
    async () => {
      const url = db.urlFor('project_migrations')
      await createDatabase(db.urlFor('postgres'), 'project_migrations')
      const all = await migrationDirs(projectMigrationsDir)
      expect(all.length).toBeGreaterThan(0)

      expect(await migrationState(url)).toEqual({ pending: all, failed: [] })
      expect(await deployMigrations(url)).toEqual(all)
      expect(await migrationState(url)).toEqual({ pending: [], failed: [] })
      const applied = await appliedMigrations(url)
      for (const m of applied) {
        expect(m.checksum).toBe(
          sha256(await fs.readFile(path.join(projectMigrationsDir, m.migration_name, 'migration.sql'), 'utf8')),
        )
      }

      const drift = await npmRun('db:drift', url)
      expect(drift.code, output(drift)).toBe(0)
    },
    CLI_TIMEOUT,
  )

  it(
    'should fail the drift check, not pass it silently, when the database cannot be reached',
    async () => {
      const unreachable = await npmRun('db:drift', 'postgresql://nobody:none@127.0.0.1:1/none')
      expect(unreachable.code, output(unreachable)).not.toBe(0)
    },
    CLI_TIMEOUT,
  )

  it('should leave no shadow database on the server', async () => {
    const left = await query(
      db.urlFor('postgres'),
      `SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'`,
    )
    expect(left).toEqual([])
  })
})
