import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { type partyWorld, rowId } from '../../factories/party.js'
import { answer, client, graphql, ofType, type ResultOf, type VariablesOf } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const CREATE_ORG = graphql(`mutation($input: CreatePartyOrgInput!) { createPartyOrg(input: $input) { __typename
  ... on CreatePartyOrgPayload { org { id name level parent { name level } grid { code } building { name } } } ... on Error { code message } } }`)
const MEMBERS_PAGE = graphql(
  `query($filter: PartyMemberFilter, $after: String) { partyMembers(first: 100, after: $after, filter: $filter) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
)

describe('the demo party data', () => {
  it('should hold the four-level chain bound to the territory, unit organisations, 200+ members and reports in every state', async () => {
    const streets = await t.prisma.region.count({ where: { level: 'STREET' } })
    const byLevel = Object.fromEntries(
      (await t.prisma.partyOrg.groupBy({ by: ['level'], _count: { _all: true } })).map((g) => [g.level, g._count._all]),
    )
    expect(byLevel).toMatchObject({
      STREET_WORKING_COMMITTEE: streets,
      COMMUNITY_COMMITTEE: await t.prisma.region.count({ where: { level: 'COMMUNITY' } }),
      GRID_BRANCH: await t.prisma.grid.count(),
      BUILDING_GROUP: await t.prisma.building.count(),
    })
    expect(byLevel.UNIT_ORG).toBeGreaterThan(0)
    expect(byLevel.UNIT_ORG).toBeLessThan(await t.prisma.residentUnit.count())
    expect(
      await t.prisma.partyOrg.count({
        where: { level: 'GRID_BRANCH', OR: [{ gridId: null }, { parent: { level: { not: 'COMMUNITY_COMMITTEE' } } }] },
      }),
    ).toBe(0)
    expect(
      await t.prisma.partyOrg.count({
        where: { level: 'BUILDING_GROUP', OR: [{ buildingId: null }, { parent: { level: { not: 'GRID_BRANCH' } } }] },
      }),
    ).toBe(0)

    expect(await t.prisma.partyMember.count()).toBeGreaterThanOrEqual(200 * streets)
    const states = await t.prisma.dualReport.groupBy({ by: ['kind', 'status'], _count: { _all: true } })
    const has = (kind: string, status: string) =>
      states.some((s) => s.kind === kind && s.status === status && s._count._all > 0)
    for (const status of ['SUBMITTED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'TRANSFERRED'])
      expect(has('MEMBER', status), status).toBe(true)
    for (const status of ['SUBMITTED', 'APPROVED', 'REJECTED', 'WITHDRAWN'])
      expect(has('UNIT', status), status).toBe(true)
    // every report's version counts the steps of its timeline after submission; the active slot matches the state
    const reports = await t.prisma.dualReport.findMany({ include: { _count: { select: { events: true } } } })
    for (const r of reports) {
      expect(r.version, r.id).toBe(r._count.events - 1)
      expect(r.activeSlot, r.id).toBe(['SUBMITTED', 'APPROVED'].includes(r.status) ? true : null)
    }
    const linked = await t.prisma.partyMember.findMany({
      where: { user: { username: { in: ['party.member.1', 'party.member.2', 'party.member.3', 'party.member.4'] } } },
      include: { user: true, reports: true },
    })
    expect(linked.map((m) => [m.user!.username, m.reports.map((r) => r.status)]).sort()).toEqual([
      ['party.member.1', ['APPROVED']],
      ['party.member.2', ['SUBMITTED']],
      ['party.member.3', ['APPROVED']],
      ['party.member.4', []],
    ])
    expect(await t.prisma.serviceRecord.count({ where: { kind: 'CASE_HELP' } })).toBeGreaterThan(0)
    expect(await t.prisma.performanceFeedback.count()).toBeGreaterThan(0)
  })
})

describe('party organisations (党组织)', () => {
  it('should walk the tree from the street working committee down to the building groups', async ({ tokens }) => {
    const admin = client(t.url, await tokens.user('admin'))
    const top = await admin.must(
      graphql(
        `{ partyOrgs(first: 1, filter: { level: [STREET_WORKING_COMMITTEE] }) { edges { node { id region { level } children(first: 20) { edges { node { id name level region { name } } } } } } } }`,
      ),
    )
    const street = top.partyOrgs.edges[0]!.node
    expect(street.region.level).toBe('STREET')
    const communities = street.children.edges.map((e) => e.node).filter((n) => n.level === 'COMMUNITY_COMMITTEE')
    expect(communities.length).toBeGreaterThanOrEqual(3)
    for (const c of communities) {
      expect(c.name).toBe(`${c.region.name}党委`)
      const below = await admin.must(
        graphql(
          `query($id: ID!) { node(id: $id) { ... on PartyOrg { children(first: 20) { edges { node { id level grid { code } } } } } } }`,
        ),
        { id: c.id },
      )
      const branches = ofType(below.node, 'PartyOrg')
        .children.edges.map((e) => e.node)
        .filter((n) => n.level === 'GRID_BRANCH')
      expect(branches.length).toBeGreaterThan(0)
      for (const b of branches) {
        expect(b.grid!.code).toBeTruthy()
        const groups = await admin.must(
          graphql(
            `query($id: ID!) { partyOrgs(first: 20, filter: { parentId: $id }) { edges { node { level grid { code } building { name } } } } }`,
          ),
          { id: b.id },
        )
        expect(groups.partyOrgs.edges.length).toBeGreaterThan(0)
        for (const g of groups.partyOrgs.edges)
          expect(g.node).toMatchObject({
            level: 'BUILDING_GROUP',
            grid: { code: b.grid!.code },
            building: { name: expect.stringMatching(/号楼$/) },
          })
      }
    }
    const under = await admin.must(
      graphql(
        `query($id: ID!) { partyOrgs(first: 100, filter: { under: $id, level: [BUILDING_GROUP] }) { edges { node { id } } } }`,
      ),
      { id: communities[0]!.id },
    )
    expect(under.partyOrgs.edges.length).toBe(
      await t.prisma.partyOrg.count({
        where: {
          level: 'BUILDING_GROUP',
          path: {
            startsWith: (await t.prisma.partyOrg.findUniqueOrThrow({ where: { id: rowId(communities[0]!.id) } })).path,
          },
        },
      }),
    )
  })

  describe('a community officer organising a building group, and who may organise what', () => {
    // Built once: community A's world and a new building in its grid; the Conflict step continues from the
    // group the first step created.
    let s: Awaited<ReturnType<typeof story>>
    const story = async (world: Awaited<ReturnType<typeof partyWorld>>) => {
      const b = await client(t.url, world.officerA).must(
        graphql(
          `mutation($input: CreateBuildingInput!) { createBuilding(input: $input) { ... on CreateBuildingPayload { building { id } } } }`,
        ),
        { input: { gridId: globalId('Grid', world.gridA.id), name: '88号楼', floors: 6 } },
      )
      return { world, buildingId: ofType(b.createBuilding, 'CreateBuildingPayload').building.id }
    }
    it.beforeAll(async ({ partyWorld: world }) => {
      s = await story(world)
    })

    it("should put a new building's party group under the grid branch, its path below the branch's", async () => {
      const { world, buildingId } = s
      const group = await answer(t, world.officerA, CREATE_ORG, {
        level: 'BUILDING_GROUP',
        name: '88号楼党小组',
        buildingId,
      })
      expect(group).toMatchObject({
        __typename: 'CreatePartyOrgPayload',
        org: {
          level: 'BUILDING_GROUP',
          parent: { level: 'GRID_BRANCH' },
          grid: { code: world.gridA.code },
          building: { name: '88号楼' },
        },
      })
      const org = await t.prisma.partyOrg.findUniqueOrThrow({
        where: { id: rowId(ofType(group, 'CreatePartyOrgPayload').org.id) },
        include: { parent: true },
      })
      expect(org.path).toBe(`${org.parent!.path}${org.id}/`)
    })

    it('should refuse a second party group for the same building as a Conflict', async () => {
      const { world, buildingId } = s
      expect(
        (await answer(t, world.officerA, CREATE_ORG, { level: 'BUILDING_GROUP', name: '又一个党小组', buildingId }))
          .__typename,
      ).toBe('Conflict')
    })

    it('should answer an officer of another community naming a grid of this one as a grid that does not exist', async () => {
      const { world } = s
      expect(
        (
          await answer(t, world.officerB, CREATE_ORG, {
            level: 'GRID_BRANCH',
            name: '越界党支部',
            gridId: globalId('Grid', world.gridA.id),
          })
        ).__typename,
      ).toBe('NotFound')
    })

    it('should leave community committees to street officers', async () => {
      const { world } = s
      expect(
        (
          await answer(t, world.officerA, CREATE_ORG, {
            level: 'COMMUNITY_COMMITTEE',
            name: '社区党委',
            regionId: globalId('Region', world.a.id),
          })
        ).__typename,
      ).toBe('Forbidden')
    })

    it('should refuse a grid branch without its grid as ValidationFailed', async () => {
      const { world } = s
      expect((await answer(t, world.officerA, CREATE_ORG, { level: 'GRID_BRANCH', name: '缺网格' })).__typename).toBe(
        'ValidationFailed',
      )
    })

    it('should answer a resident with the typed Forbidden member, like a refused row (DESIGN §4)', async ({
      tokens,
    }) => {
      const { world } = s
      const resident = await answer(t, await tokens.user('resident.1'), CREATE_ORG, {
        level: 'GRID_BRANCH',
        name: 'x',
        gridId: globalId('Grid', world.gridA.id),
      })
      expect(resident).toMatchObject({ __typename: 'Forbidden', code: 'auth/forbidden' })
    })
  })
})

describe('party members and coverage', () => {
  describe("a community officer's list of party members and its filters", () => {
    // Built once: community A's world and the officer's whole list under a filter, page by page.
    let s: Awaited<ReturnType<typeof story>>
    const story = async (world: Awaited<ReturnType<typeof partyWorld>>) => {
      const officer = client(t.url, world.officerA)
      const all = async (filter: NonNullable<VariablesOf<typeof MEMBERS_PAGE>['filter']>) => {
        const ids: string[] = []
        let after: string | null = null
        for (;;) {
          const page: ResultOf<typeof MEMBERS_PAGE> = await officer.must(MEMBERS_PAGE, { filter, after })
          ids.push(...page.partyMembers.edges.map((e) => rowId(e.node.id)))
          if (!page.partyMembers.pageInfo.hasNextPage) return ids.sort()
          after = page.partyMembers.pageInfo.endCursor
        }
      }
      const inA = {
        OR: [{ homeCommunityId: world.a.id }, { reports: { some: { communityId: world.a.id } } }],
        active: true,
      }
      return { world, all, inA }
    }
    it.beforeAll(async ({ partyWorld: world }) => {
      s = await story(world)
    })
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort()

    it('should list only the active members living in their community or reported to it', async () => {
      const { all, inA } = s
      expect(await all({})).toEqual(ids(await t.prisma.partyMember.findMany({ where: inA, select: { id: true } })))
    })

    it('should filter by whether a member has an approved report', async () => {
      const { all, inA } = s
      expect(await all({ reported: true })).toEqual(
        ids(
          await t.prisma.partyMember.findMany({
            where: { ...inA, reports: { some: { status: 'APPROVED' } } },
            select: { id: true },
          }),
        ),
      )
      expect(await all({ reported: false })).toEqual(
        ids(
          await t.prisma.partyMember.findMany({
            where: { ...inA, reports: { none: { status: 'APPROVED' } } },
            select: { id: true },
          }),
        ),
      )
    })

    it('should filter by skill', async () => {
      const { all, inA } = s
      expect(await all({ skill: '法律咨询' })).toEqual(
        ids(
          await t.prisma.partyMember.findMany({ where: { ...inA, skills: { has: '法律咨询' } }, select: { id: true } }),
        ),
      )
    })

    it('should filter by organisation: the members of a grid branch and below, and those reported to it', async () => {
      const { world, all, inA } = s
      const branch = await t.prisma.partyOrg.findFirstOrThrow({
        where: { gridId: world.gridA.id, level: 'GRID_BRANCH' },
      })
      const inBranch = await all({ orgId: globalId('PartyOrg', branch.id) })
      expect(inBranch.length).toBeGreaterThan(0)
      expect(inBranch).toEqual(
        ids(
          await t.prisma.partyMember.findMany({
            where: {
              ...inA,
              OR: [
                { org: { path: { startsWith: branch.path } } },
                { reports: { some: { status: 'APPROVED', branchId: branch.id } } },
              ],
            },
            select: { id: true },
          }),
        ),
      )
    })

    it('should filter by grid: the members living in it and those reported to it', async () => {
      const { world, all, inA } = s
      const gridIds = await all({ gridId: globalId('Grid', world.gridA.id) })
      expect(gridIds).toEqual(
        ids(
          await t.prisma.partyMember.findMany({
            where: {
              ...inA,
              OR: [
                { homeGridId: world.gridA.id },
                { reports: { some: { status: 'APPROVED', gridId: world.gridA.id } } },
              ],
            },
            select: { id: true },
          }),
        ),
      )
    })
  })

  it("should count coverage per community for the officer's region: members reported of those living there, units reported of those in the area", async ({
    partyWorld: world,
    tokens,
  }) => {
    const Q = graphql(
      `{ partyCoverage { community { id name } membersKnown membersReported memberRate unitsInArea unitsReported unitRate pendingReports } }`,
    )
    const own = await client(t.url, world.officerA).must(Q)
    expect(own.partyCoverage.map((c) => c.community.id)).toEqual([globalId('Region', world.a.id)])
    const street = await client(t.url, await tokens.user('street.officer')).must(Q)
    expect(street.partyCoverage.length).toBeGreaterThanOrEqual(3)
    for (const c of street.partyCoverage) {
      const id = rowId(c.community.id)
      expect(c).toMatchObject({
        membersKnown: await t.prisma.partyMember.count({ where: { homeCommunityId: id, active: true } }),
        membersReported: await t.prisma.dualReport.count({
          where: { communityId: id, kind: 'MEMBER', status: 'APPROVED' },
        }),
        unitsInArea: await t.prisma.residentUnit.count({ where: { communityId: id } }),
        unitsReported: await t.prisma.residentUnit.count({
          where: { communityId: id, partyOrgs: { some: { unitReports: { some: { status: 'APPROVED' } } } } },
        }),
        pendingReports: await t.prisma.dualReport.count({ where: { communityId: id, status: 'SUBMITTED' } }),
      })
      expect(c.memberRate).toBeCloseTo(c.membersReported / c.membersKnown, 3)
      expect(c.unitRate).toBeGreaterThan(0)
      expect(c.unitRate).toBeLessThanOrEqual(1)
    }
    const member = await client(t.url, await tokens.user('party.member.1')).query(Q)
    expect(member.errors?.[0]?.extensions?.code).toBe('auth/forbidden')
  })

  it('should let a member read and keep their own profile and reports, and nothing of anybody else', async ({
    tokens,
  }) => {
    const token = await tokens.user('party.member.1')
    const me = client(t.url, token)
    const mine = await me.must(
      graphql(
        `{ myPartyMember { id name version phone idNumber reports { status grid { code } timeline { action } } serviceRecord { year hours commitmentsTotal } } }`,
      ),
    )
    const myself = mine.myPartyMember!
    const row = await t.prisma.partyMember.findUniqueOrThrow({ where: { id: rowId(myself.id) } })
    expect(myself).toMatchObject({ name: row.name, phone: row.phone, idNumber: row.idNumber })
    expect(myself.reports.map((r) => r.status)).toEqual(['APPROVED'])
    const listed = await me.must(
      graphql(
        `{ partyMembers(first: 10) { edges { node { id } } } dualReports(first: 10) { edges { node { member { id } } } } }`,
      ),
    )
    expect(listed.partyMembers.edges.map((e) => e.node.id)).toEqual([myself.id])
    for (const e of listed.dualReports.edges) expect(e.node.member!.id).toBe(myself.id)

    const U = graphql(
      `mutation($input: UpdatePartyMemberInput!) { updatePartyMember(input: $input) { __typename ... on UpdatePartyMemberPayload { member { phone skills version } } ... on Error { code message } } }`,
    )
    const ok = await answer(t, token, U, {
      id: myself.id,
      version: row.version,
      phone: '13900001111',
      skills: ['摄影摄像'],
    })
    expect(ok).toMatchObject({
      __typename: 'UpdatePartyMemberPayload',
      member: { phone: '13900001111', skills: ['摄影摄像'], version: row.version + 1 },
    })
    expect((await answer(t, token, U, { id: myself.id, version: row.version + 1, name: '改名' })).__typename).toBe(
      'Forbidden',
    )
    expect((await answer(t, token, U, { id: myself.id, version: row.version, phone: '13900002222' })).__typename).toBe(
      'StaleVersion',
    )
  })
})
