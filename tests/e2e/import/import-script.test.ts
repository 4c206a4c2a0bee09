// The bulk import script as an admin runs it (npm run db:import) against a migrated database:
// all or nothing, idempotent by natural keys, and the imported rows served by the API.
import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, startTestApp, type TestApp } from '../../helpers/app.js'
import { client, graphql } from '../../helpers/graphql.js'

const run = promisify(execFile)
const EXAMPLES = path.resolve('scripts/import-examples')
const examples = [
  '--grids',
  `${EXAMPLES}/grids.geojson`,
  '--buildings',
  `${EXAMPLES}/buildings.csv`,
  '--members',
  `${EXAMPLES}/party-members.csv`,
]

async function importer(databaseUrl: string, args: string[]) {
  return run('npx', ['tsx', 'scripts/import.ts', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    timeout: 120_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )
}

const GRID = graphql(`query { gridAt(lng: 118.785, lat: 32.037) { code name version community { code }
  buildings(first: 10) { edges { node { name floors households compound { name } } } } } }`)

describe('bulk import (npm run db:import)', () => {
  let t: TestApp
  let databaseUrl: string
  const snapshot = async () =>
    Promise.all([
      t.prisma.grid.count(),
      t.prisma.building.count(),
      t.prisma.compound.count(),
      t.prisma.partyMember.count(),
    ])

  beforeAll(async () => {
    databaseUrl = await createTestDatabase()
    t = await startTestApp({}, { databaseUrl })
  })
  afterAll(() => t?.stop())

  it('should refuse a batch with any bad row, listing every problem by file and line, and write nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gongzhi-import-'))
    await writeFile(`${dir}/b.csv`, 'grid_code,name,floors\nCG-DM-05,甲幢,7\nNO-SUCH-GRID,乙幢,5\nCG-DM-05,甲幢,9\n')
    await writeFile(
      `${dir}/m.csv`,
      'name,id_number,grid_code,party_org\n钱晓东,320102198506120034,CG-DM-05,没有这个党组织\n',
    )
    const before = await snapshot()
    const r = await importer(databaseUrl, [
      '--grids',
      `${EXAMPLES}/grids.geojson`,
      '--buildings',
      `${dir}/b.csv`,
      '--members',
      `${dir}/m.csv`,
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Nothing imported: 3 problem(s).')
    expect(r.stderr).toContain(`${dir}/b.csv:3  grid_code: no grid with code NO-SUCH-GRID`)
    expect(r.stderr).toContain(`${dir}/b.csv:4  name: repeats line 2 of ${dir}/b.csv`)
    expect(r.stderr).toContain(
      `${dir}/m.csv:2  party_org: no active party organisation "没有这个党组织" in the member's community`,
    )
    expect(await snapshot()).toEqual(before)
  })

  it('should count a dry run without writing', async () => {
    const before = await snapshot()
    const r = await importer(databaseUrl, [...examples, '--dry-run'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Dry run, nothing written')
    expect(await snapshot()).toEqual(before)
  })

  it('should import grids, buildings and members in one go, served by the API, and change nothing when run again', async () => {
    const before = await snapshot()
    const first = await importer(databaseUrl, examples)
    expect(first.code, first.stderr).toBe(0)
    expect(await snapshot()).toEqual([before[0] + 1, before[1] + 2, before[2] + 1, before[3] + 2])

    const admin = client(t.url, await t.tokenFor('admin'))
    const { gridAt } = await admin.must(GRID)
    expect(gridAt).toMatchObject({
      code: 'CG-DM-05',
      name: '东门第5网格',
      version: 0,
      community: { code: 'LJ-JC-CG-01' },
    })
    expect(gridAt?.buildings.edges.map((e) => e.node)).toEqual([
      { name: '锦江苑1幢', floors: 18, households: 144, compound: { name: '锦江苑' } },
      { name: '锦江苑2幢', floors: 11, households: 88, compound: { name: '锦江苑' } },
    ])
    const member = await t.prisma.partyMember.findUniqueOrThrow({
      where: { idNumber: '320102198506120034' },
      include: { org: true, homeBuilding: true, homeCommunity: true },
    })
    expect(member).toMatchObject({
      name: '钱晓东',
      gender: 'MALE',
      birthYear: 1985,
      skills: ['法律咨询', '政策宣讲'],
      org: { name: '东门社区党委' },
      homeBuilding: { name: '锦江苑1幢' },
      homeCommunity: { code: 'LJ-JC-CG-01' },
    })

    const again = await importer(databaseUrl, examples)
    expect(again.code, again.stderr).toBe(0)
    expect(await snapshot()).toEqual([before[0] + 1, before[1] + 2, before[2] + 1, before[3] + 2])
    expect((await admin.must(GRID)).gridAt?.version).toBe(0)
  })

  it('should update changed rows in place, bumping their version', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gongzhi-import-'))
    await writeFile(`${dir}/b.csv`, 'grid_code,name,floors,households,compound\nCG-DM-05,锦江苑1幢,20,150,锦江苑\n')
    const before = await snapshot()
    const r = await importer(databaseUrl, ['--buildings', `${dir}/b.csv`])
    expect(r.code, r.stderr).toBe(0)
    expect(await snapshot()).toEqual(before)
    const b = await t.prisma.building.findFirstOrThrow({ where: { name: '锦江苑1幢', grid: { code: 'CG-DM-05' } } })
    expect(b).toMatchObject({ floors: 20, households: 150, version: 1 })
  })
})
