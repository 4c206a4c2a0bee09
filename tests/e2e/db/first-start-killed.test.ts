// A first start killed (SIGKILL) while it loads the demo workflows after listening: the next start
// loads the phases still missing, and seeds nothing twice. The kill lands in the first phase, the
// cases; the later phases (party, volunteering, joint construction) must come with the next start.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnServer } from '../../helpers/server-process.js'
import { story } from '../../helpers/test.js'

/** A client of the server's embedded cluster, as its data directory describes it. */
async function clusterClient(dataDir: string) {
  const { port } = JSON.parse(fs.readFileSync(path.join(dataDir, 'owner.json'), 'utf8')) as { port: number }
  const { pgPassword } = JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as {
    pgPassword: string
  }
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'gongzhi', password: pgPassword })
  await c.connect()
  return c
}

/** Resolves once the server answers /readyz with 200: the demo data complete. */
async function ready(server: ReturnType<typeof spawnServer>) {
  const url = (await server.when((r) => r.msg === 'server listening')).url as string
  await expect
    .poll(async () => (await fetch(new URL('/readyz', url))).status, { interval: 25, timeout: 90_000 })
    .toBe(200)
}

/** The rows of each demo phase. */
async function phases(c: pg.Client) {
  const { rows } = await c.query<{ cases: number; orgs: number; members: number; teams: number; agreements: number }>(
    `SELECT (SELECT count(*)::int FROM "Case") AS cases, (SELECT count(*)::int FROM "PartyOrg") AS orgs,
       (SELECT count(*)::int FROM "PartyMember") AS members, (SELECT count(*)::int FROM "VolunteerTeam") AS teams,
       (SELECT count(*)::int FROM "JointAgreement") AS agreements`,
  )
  return rows[0]!
}

describe('a first start killed while the demo workflows load', () => {
  story()
  let dataDir: string
  const servers: ReturnType<typeof spawnServer>[] = []
  let atKill: Awaited<ReturnType<typeof phases>>
  let afterSecond: Awaited<ReturnType<typeof phases>>

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-killed-'))
  })
  afterAll(async () => {
    for (const s of servers)
      if (s.child.exitCode === null) {
        s.child.kill('SIGTERM')
        await s.exited
      }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('should have loaded some cases and no later phase when it is killed', async () => {
    const first = spawnServer({ DATA_DIR: dataDir })
    servers.push(first)
    await first.when((r) => r.msg === 'server listening')
    const c = await clusterClient(dataDir)
    try {
      await expect.poll(async () => (await phases(c)).cases, { interval: 10, timeout: 90_000 }).toBeGreaterThan(0)
      first.child.kill('SIGKILL')
      await first.exited
      atKill = await phases(c)
    } finally {
      await c.end()
    }
    expect(atKill.cases).toBeGreaterThan(0)
    expect(atKill).toMatchObject({ teams: 0, agreements: 0 })
  }, 120_000)

  it('should load the missing phases on the next start, leaving the cases as the killed start left them', async () => {
    const second = spawnServer({ DATA_DIR: dataDir })
    servers.push(second)
    await ready(second)
    const c = await clusterClient(dataDir)
    const after = await phases(c).finally(() => c.end())
    expect(after.cases).toBe(atKill.cases)
    expect(after.orgs).toBeGreaterThan(0)
    expect(after.members).toBeGreaterThan(0)
    expect(after.teams).toBeGreaterThan(0)
    expect(after.agreements).toBeGreaterThan(0)
    await second.when((r) => r.msg.startsWith('demo workflows loaded'))
    afterSecond = after
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  }, 120_000)

  it('should load nothing on a third start: every phase is there', async () => {
    const third = spawnServer({ DATA_DIR: dataDir })
    servers.push(third)
    await ready(third)
    // ready means the demo data is complete: a third start that loaded anything again would show it here
    const c = await clusterClient(dataDir)
    expect(await phases(c).finally(() => c.end())).toEqual(afterSecond)
    third.child.kill('SIGTERM')
    expect(await third.exited).toBe(0)
    expect(third.records.some((r) => r.msg.startsWith('demo workflows loaded'))).toBe(false)
  }, 120_000)
})
