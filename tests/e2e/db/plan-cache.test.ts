// Prepared statements are planned for their parameters every time (src/db.ts, CUSTOM_PLANS): a
// generic plan, which PostgreSQL may choose after five executions, ran a district's year of
// departmentPerformance in 22–67 s instead of 0.8 s. Without prepared statements (poolers) the
// setting is not sent, as those statements are planned per execution anyway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrisma, type PrismaClient } from '../../../src/db.js'
import { createTestDatabase } from '../../helpers/app.js'

let url: string
const clients: PrismaClient[] = []
beforeAll(async () => {
  url = await createTestDatabase()
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()))
})

const setting = async (prisma: PrismaClient) => {
  clients.push(prisma)
  // more than five executions of the same prepared statement, on the pool's connections
  const seen = new Set<string>()
  for (let i = 0; i < 8; i++) {
    const [row] = await prisma.$queryRaw<{ mode: string }[]>`SELECT current_setting('plan_cache_mode') AS mode`
    seen.add(row!.mode)
  }
  return [...seen]
}

describe('plan cache mode', () => {
  it('should plan every execution of a prepared statement for its parameters', async () => {
    expect(await setting(createPrisma(url))).toEqual(['force_custom_plan'])
  })

  it("should leave the server's default without prepared statements", async () => {
    expect(await setting(createPrisma(url, { preparedStatements: false }))).toEqual(['auto'])
  })
})
