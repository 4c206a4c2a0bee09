// A first start that is killed while the demo workflows load (SIGKILL, a crash: a graceful stop
// waits for them) must not leave a demo without its later phases, nor seed a phase twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../helpers/app.js'
import { createPrisma, type PrismaClient } from '../../../src/db.js'
import { deployMigrations } from '../../../src/db/migrate.js'
import { hasDemoWorkflows, seedDemo, seedDemoWorkflows } from '../../../src/seed/demo.js'
import { seedDemoCases } from '../../../src/seed/cases.js'
import { seedParty } from '../../../src/seed/party.js'

let prisma: PrismaClient

/** The rows of every phase, counted. */
async function counts() {
  const [cases, orgs, members, reports, teams, activities, agreements, needs] = await Promise.all([
    prisma.case.count(),
    prisma.partyOrg.count(),
    prisma.partyMember.count(),
    prisma.dualReport.count(),
    prisma.volunteerTeam.count(),
    prisma.volunteerActivity.count(),
    prisma.jointAgreement.count(),
    prisma.needItem.count(),
  ])
  return { cases, orgs, members, reports, teams, activities, agreements, needs }
}

beforeAll(async () => {
  const url = await createTestDatabase({ empty: true })
  await deployMigrations(url)
  prisma = createPrisma(url)
  await seedDemo(prisma, { workflows: false })
  // the start stopped after the cases and the party phase
  await seedDemoCases(prisma)
  await seedParty(prisma)
}, 300_000)

afterAll(async () => {
  await prisma?.$disconnect()
})

describe('a first start stopped while the demo workflows load', () => {
  let before: Awaited<ReturnType<typeof counts>>

  it('should tell the next start that the workflows are not all there', async () => {
    before = await counts()
    expect(before.cases).toBeGreaterThan(0)
    expect(before.orgs).toBeGreaterThan(0)
    expect(before.teams).toBe(0)
    expect(await hasDemoWorkflows(prisma)).toBe(false)
  })

  it('should seed the missing phases on the next start and leave the seeded ones as they were', async () => {
    await seedDemoWorkflows(prisma)
    const after = await counts()
    expect(await hasDemoWorkflows(prisma)).toBe(true)
    expect(after).toMatchObject({
      cases: before.cases,
      orgs: before.orgs,
      members: before.members,
      reports: before.reports,
    })
    expect(after.teams).toBeGreaterThan(0)
    expect(after.activities).toBeGreaterThan(0)
    expect(after.agreements).toBeGreaterThan(0)
    before = after
  }, 300_000)

  it('should seed nothing twice when every phase has run', async () => {
    await seedDemoWorkflows(prisma)
    expect(await counts()).toEqual(before)
  }, 300_000)
})
