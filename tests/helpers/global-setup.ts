// One embedded PostgreSQL for the whole run, with a migrated and seeded template database.
// Each test file clones the template into its own database (CREATE DATABASE … TEMPLATE), so
// files run in parallel on isolated data.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres } from '../../src/db/embedded.js'
import { deployMigrations } from '../../src/db/migrate.js'
import { createPrisma } from '../../src/db.js'
import { seedDemo } from '../../src/seed/demo.js'

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplateUrl: string
  }
}

export async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-test-'))
  const db = await startEmbeddedPostgres({ dataDir: dir, database: 'gongzhi_template' })
  await deployMigrations(db.url)
  const prisma = createPrisma(db.url)
  await seedDemo(prisma)
  await prisma.$disconnect()
  project.provide('pgTemplateUrl', db.url)
  return async () => {
    await db.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
