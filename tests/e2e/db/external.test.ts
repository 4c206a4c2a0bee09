// With DATABASE_URL the server uses that database as it is: it never seeds, and it refuses to
// start while migrations are pending.
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/bootstrap.js'
import { FatalError } from '../../../src/shared/fatal-error.js'
import { loadConfig } from '../../../src/config.js'
import { deployMigrations } from '../../../src/db/migrate.js'
import { createLogger } from '../../../src/logger.js'
import { createTestDatabase } from '../../helpers/app.js'

const emptyDatabase = () => createTestDatabase({ empty: true })

const configFor = (url: string) =>
  loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    JWT_SECRET: 'external-test-secret-0123456789abcdef',
    LOG_LEVEL: 'silent',
  })

describe('external database (DATABASE_URL)', () => {
  it('should refuse to start while migrations are pending, naming them', async () => {
    const url = await emptyDatabase()
    const err = await openDatabase(configFor(url), createLogger('silent')).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(FatalError)
    expect(String((err as Error).message)).toMatch(/migration\(s\) pending.*init.*npm run db:migrate/s)
  })

  it('should start on a migrated database without loading demo data', async () => {
    const url = await emptyDatabase()
    await deployMigrations(url)
    const db = await openDatabase(configFor(url), createLogger('silent'))
    try {
      expect(await db.isReady()).toBe(true)
      expect(await db.prisma.region.count()).toBe(0)
      expect(await db.prisma.user.count()).toBe(0)
      expect(db.embedded).toBeUndefined()
    } finally {
      await db.close()
    }
  })
})
