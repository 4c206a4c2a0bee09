import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, userWithRole } from '../../helpers/fixtures.js'
import {
  client,
  collect,
  expectAnsweredAsMissing,
  graphql,
  NO_SUCH_ID,
  ofType,
  wsClient,
} from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const square = (lng: number, lat: number, d = 0.001) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + d, lat],
      [lng + d, lat + d],
      [lng, lat + d],
      [lng, lat],
    ],
  ],
})

const CREATE_GRID = graphql(`mutation($input: CreateGridInput!) { createGrid(input: $input) {
  __typename
  ... on CreateGridPayload { grid { id code name version community { id } bbox { minLng maxLat } } }
  ... on Error { code message }
  ... on ValidationFailed { issues { path message } }
} }`)

const UPDATE_GRID = graphql(`mutation($input: UpdateGridInput!) { updateGrid(input: $input) {
  __typename
  ... on UpdateGridPayload { grid { id name version } }
  ... on StaleVersion { expectedVersion actualVersion }
  ... on Error { code message }
} }`)

describe('grids', () => {
  it('should list grids page by page with a capped page size', async ({ tokens }) => {
    const admin = client(t.url, await tokens.role('ADMIN'))
    const total = await t.prisma.grid.count()
    const first = await admin.must(
      graphql(`{ grids(first: 5) { edges { cursor node { code } } pageInfo { hasNextPage endCursor } } }`),
    )
    expect(first.grids.edges).toHaveLength(5)
    expect(first.grids.pageInfo.hasNextPage).toBe(true)
    const rest = await admin.must(
      graphql(`query($after: String) { grids(first: 100, after: $after) { edges { node { code } } } }`),
      { after: first.grids.pageInfo.endCursor },
    )
    const codes = [...first.grids.edges, ...rest.grids.edges].map((e) => e.node.code)
    expect(codes).toHaveLength(total)
    expect(new Set(codes).size).toBe(total)
    expect([...codes].sort()).toEqual(codes)
    const tooMany = await admin.query(graphql(`{ grids(first: 101) { pageInfo { hasNextPage } } }`))
    expect(tooMany.errors?.[0]?.message).toMatch(/100/)
  })

  it('should show a community officer only the grids of their community', async ({
    communities: { a, officerA },
    tokens,
  }) => {
    const officer = client(t.url, await tokens.user(officerA.username))
    const data = await officer.must(graphql(`{ grids(first: 100) { edges { node { code community { id } } } } }`))
    // counted now, not from the file's world: another test adds a grid to this community
    expect(data.grids.edges.length).toBe(await t.prisma.grid.count({ where: { communityId: a.id } }))
    for (const e of data.grids.edges) expect(e.node.community.id).toBe(globalId('Region', a.id))
  })

  it('should show a grid worker only their own grids and hide others behind NotFound', async ({ tokens }) => {
    const worker = await userWithRole(t.prisma, 'GRID_WORKER', { assignments: { some: { endedAt: null } } })
    const own = await t.prisma.gridAssignment.findMany({
      where: { userId: worker.id, endedAt: null },
      select: { gridId: true },
    })
    const other = await t.prisma.grid.findFirstOrThrow({ where: { id: { notIn: own.map((o) => o.gridId) } } })
    const c = client(t.url, await tokens.user(worker.username, ['GRID_WORKER']))
    const data = await c.must(graphql(`{ grids(first: 100) { edges { node { id } } } }`))
    expect(data.grids.edges.map((e) => e.node.id).sort()).toEqual(
      [...new Set(own.map((o) => globalId('Grid', o.gridId)))].sort(),
    )
    const res = await c.query(graphql(`query($id: ID!) { node(id: $id) { ... on Grid { code } } }`), {
      id: globalId('Grid', other.id),
    })
    // Relay: an unreadable row is null with no error, like a missing one (DESIGN §4)
    expect(res).toMatchObject({ data: { node: null } })
    expect(res.errors).toBeUndefined()
  })

  it("should create a grid in the officer's own community and refuse another community", async ({
    communities: { a, b, officerA },
    tokens,
  }) => {
    const officer = client(t.url, await tokens.user(officerA.username))
    const ok = await officer.must(CREATE_GRID, {
      input: {
        communityId: globalId('Region', a.id),
        code: 'T-NEW-01',
        name: '测试网格',
        boundary: square(100, 30),
        supervisionHotline: '025-12345',
      },
    })
    expect(ok.createGrid.__typename).toBe('CreateGridPayload')
    expect(ofType(ok.createGrid, 'CreateGridPayload').grid).toMatchObject({
      code: 'T-NEW-01',
      version: 0,
      bbox: { minLng: 100, maxLat: 30.001 },
    })
    const refused = await officer.must(CREATE_GRID, {
      input: { communityId: globalId('Region', b.id), code: 'T-NEW-02', name: '越权网格', boundary: square(101, 30) },
    })
    expect(refused.createGrid).toMatchObject({ __typename: 'Forbidden', code: 'auth/forbidden' })
    expect(await t.prisma.grid.count({ where: { code: 'T-NEW-02' } })).toBe(0)
  })

  it('should refuse invalid input with ValidationFailed and a duplicate code with Conflict, changing nothing', async ({
    communities: { a, officerA },
    tokens,
  }) => {
    const officer = client(t.url, await tokens.user(officerA.username))
    const before = await t.prisma.grid.count()
    const bad = await officer.must(CREATE_GRID, {
      input: { communityId: globalId('Region', a.id), code: 'bad code!', name: '', boundary: square(100, 31) },
    })
    expect(bad.createGrid.__typename).toBe('ValidationFailed')
    expect(
      ofType(bad.createGrid, 'ValidationFailed')
        .issues.map((i) => i.path)
        .sort(),
    ).toEqual(['code', 'name'])
    const dup = await officer.must(CREATE_GRID, {
      input: { communityId: globalId('Region', a.id), code: a.grids[0]!.code, name: '重复', boundary: square(100, 32) },
    })
    expect(dup.createGrid).toMatchObject({ __typename: 'Conflict', code: 'common/conflict' })
    const openRing = await officer.query(CREATE_GRID, {
      input: {
        communityId: globalId('Region', a.id),
        code: 'T-OPEN',
        name: '开口',
        boundary: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 1],
            ],
          ],
        },
      },
    })
    expect(openRing.errors?.[0]?.message).toMatch(/closed/)
    expect(await t.prisma.grid.count()).toBe(before)
  })

  it('should update with the current version and refuse a stale one', async ({
    communities: { a, officerA },
    tokens,
  }) => {
    const officer = client(t.url, await tokens.user(officerA.username))
    const grid = await t.prisma.grid.findUniqueOrThrow({ where: { id: a.grids[1]!.id } })
    const id = globalId('Grid', grid.id)
    const ok = await officer.must(UPDATE_GRID, { input: { id, version: grid.version, name: '改名网格' } })
    expect(ofType(ok.updateGrid, 'UpdateGridPayload').grid).toMatchObject({
      name: '改名网格',
      version: grid.version + 1,
    })
    const stale = await officer.must(UPDATE_GRID, { input: { id, version: grid.version, name: '覆盖' } })
    expect(stale.updateGrid).toMatchObject({
      __typename: 'StaleVersion',
      expectedVersion: grid.version,
      actualVersion: grid.version + 1,
    })
    expect((await t.prisma.grid.findUniqueOrThrow({ where: { id: grid.id } })).name).toBe('改名网格')
  })

  it('should refuse mutations to residents and anonymous callers', async ({ communities: { a }, tokens }) => {
    const resident = client(t.url, await tokens.role('RESIDENT'))
    const res = await resident.must(CREATE_GRID, {
      input: { communityId: globalId('Region', a.id), code: 'T-RES', name: 'x', boundary: square(100, 33) },
    })
    expect(res.createGrid).toMatchObject({ __typename: 'Forbidden', code: 'auth/forbidden' })
    const anon = await client(t.url).query(graphql(`{ grids(first: 1) { edges { node { id } } } }`))
    expect(anon.errors?.[0]?.extensions?.code).toBe('auth/forbidden')
  })

  it('should find the grid at a point and null outside every grid', async ({ tokens }) => {
    const resident = client(t.url, await tokens.role('RESIDENT'))
    const grid = await t.prisma.grid.findFirstOrThrow({ orderBy: { code: 'asc' } })
    const lng = (grid.minLng + grid.maxLng) / 2
    const lat = (grid.minLat + grid.maxLat) / 2
    const hit = await resident.must(
      graphql(`query($lng: Float!, $lat: Float!) { gridAt(lng: $lng, lat: $lat) { code } }`),
      {
        lng,
        lat,
      },
    )
    expect(hit.gridAt!.code).toBe(grid.code)
    const miss = await resident.must(graphql(`{ gridAt(lng: 0.5, lat: 0.5) { code } }`))
    expect(miss.gridAt).toBeNull()
  })

  it('should answer gridAt with the public card, as the README shows, for every role that reads the grid', async ({
    tokens,
  }) => {
    const grid = await t.prisma.grid.findFirstOrThrow({ orderBy: { code: 'asc' } })
    const officer = await userWithRole(t.prisma, 'COMMUNITY_OFFICER', { regionIds: { has: grid.communityId } })
    const worker = await t.prisma.gridAssignment.findFirstOrThrow({
      where: { gridId: grid.id, endedAt: null },
      include: { user: true },
    })
    const CARD = graphql(
      `query($lng: Float!, $lat: Float!) { gridAt(lng: $lng, lat: $lat) { code name publicCard { workers { name role phone } supervisionHotline partyMembers { name } } } }`,
    )
    for (const token of [
      await tokens.role('RESIDENT'),
      await tokens.user(worker.user.username),
      await tokens.user(officer.username),
      await tokens.user('admin'),
    ]) {
      const res = await client(t.url, token).query(CARD, {
        lng: (grid.minLng + grid.maxLng) / 2,
        lat: (grid.minLat + grid.maxLat) / 2,
      })
      expect(res.errors).toBeUndefined()
      expect(res.data?.gridAt).toMatchObject({
        code: grid.code,
        publicCard: { supervisionHotline: grid.supervisionHotline },
      })
      expect(res.data?.gridAt?.publicCard.workers.length).toBeGreaterThan(0)
    }
  })

  it('should mask phones for residents and show them to officers', async ({ communities: { a, officerA }, tokens }) => {
    const q = graphql(
      `query($id: ID!) { node(id: $id) { ... on Grid { publicCard { workers { name phone } supervisionHotline } } } }`,
    )
    const id = globalId('Grid', a.grids[0]!.id)
    const resident = client(t.url, await tokens.role('RESIDENT'))
    const masked = ofType((await resident.must(q, { id })).node, 'Grid')
    expect(masked.publicCard.workers.length).toBeGreaterThan(0)
    for (const w of masked.publicCard.workers) expect(w.phone).toMatch(/^\d{3}\*{4}\d{4}$/)
    const officer = client(t.url, await tokens.user(officerA.username))
    const full = ofType((await officer.must(q, { id })).node, 'Grid')
    for (const w of full.publicCard.workers) expect(w.phone).toMatch(/^\d{11}$/)
  })

  it('should manage buildings, assignments and duties with versions and history', async ({
    communities: { a, officerA },
    tokens,
  }) => {
    const officer = client(t.url, await tokens.user(officerA.username))
    const gridId = globalId('Grid', a.grids[0]!.id)
    const b = await officer.must(
      graphql(
        `mutation($input: CreateBuildingInput!) { createBuilding(input: $input) { ... on CreateBuildingPayload { building { id name version } } ... on Error { code } } }`,
      ),
      { input: { gridId, name: '99号楼', floors: 6, households: 24 } },
    )
    expect(ofType(b.createBuilding, 'CreateBuildingPayload').building).toMatchObject({ name: '99号楼', version: 0 })
    const user = await userWithRole(t.prisma, 'PARTY_MEMBER')
    const assign = graphql(
      `mutation($input: AssignGridWorkerInput!) { assignGridWorker(input: $input) { __typename ... on AssignGridWorkerPayload { assignment { id version role } } ... on ValidationFailed { issues { path message } } } }`,
    )
    const created = await officer.must(assign, {
      input: { gridId, userId: globalId('User', user.id), role: 'PART_TIME' },
    })
    expect(ofType(created.assignGridWorker, 'AssignGridWorkerPayload').assignment.role).toBe('PART_TIME')
    const again = await officer.must(assign, {
      input: { gridId, userId: globalId('User', user.id), role: 'PART_TIME' },
    })
    expect(again.assignGridWorker.__typename).toBe('ValidationFailed')
    const ended = await officer.must(
      graphql(
        `mutation($input: EndGridAssignmentInput!) { endGridAssignment(input: $input) { ... on EndGridAssignmentPayload { assignment { endedAt } } } }`,
      ),
      { input: { id: ofType(created.assignGridWorker, 'AssignGridWorkerPayload').assignment.id, version: 0 } },
    )
    expect(ofType(ended.endGridAssignment, 'EndGridAssignmentPayload').assignment.endedAt).toBeTruthy()
    const duty = await officer.must(
      graphql(
        `mutation($input: CreateGridDutyInput!) { createGridDuty(input: $input) { ... on CreateGridDutyPayload { duty { id list title } } } }`,
      ),
      { input: { gridId, list: 'SERVICE', title: '代办证件', content: '为老年人代办社保卡等证件' } },
    )
    expect(ofType(duty.createGridDuty, 'CreateGridDutyPayload').duty).toMatchObject({
      list: 'SERVICE',
      title: '代办证件',
    })
    const lists = await officer.must(
      graphql(`query($id: ID!) { node(id: $id) { ... on Grid { duties(list: SERVICE) { title } } } }`),
      { id: gridId },
    )
    expect(ofType(lists.node, 'Grid').duties.map((d) => d.title)).toContain('代办证件')
  })
})

describe('buildings out of reach', () => {
  it("should answer a change to another community's building as one to no building, naming no grid, and change nothing", async ({
    communities: { b, officerA },
    tokens,
  }) => {
    const building = await t.prisma.building.findFirstOrThrow({ where: { gridId: b.grids[0]!.id } })
    const officer = client(t.url, await tokens.user(officerA.username))
    const UPDATE = graphql(
      `mutation($input: UpdateBuildingInput!) { updateBuilding(input: $input) { __typename ... on Error { code message } } }`,
    )
    const update = async (id: string) =>
      (await officer.must(UPDATE, { input: { id, version: building.version, name: '改名' } })).updateBuilding
    const hidden = await update(globalId('Building', building.id))
    expect(hidden).toMatchObject({ __typename: 'NotFound', code: 'common/not-found' })
    expectAnsweredAsMissing(hidden, await update(globalId('Building', NO_SUCH_ID)), [building.gridId])
    expect(await t.prisma.building.findUniqueOrThrow({ where: { id: building.id } })).toEqual(building)
  })
})

describe('gridUpdated subscription', () => {
  it('should push a grid change to a subscriber who may read it', async ({ communities: { a, officerA }, tokens }) => {
    const token = await tokens.user(officerA.username)
    const grid = await t.prisma.grid.findUniqueOrThrow({ where: { id: a.grids[2]!.id } })
    const ws = wsClient(t.wsUrl, token)
    const sub = collect(ws, graphql(`subscription($id: ID!) { gridUpdated(id: $id) { name version } }`), {
      id: globalId('Grid', grid.id),
    })
    await t.pubsub.whenSubscribed('grid:updated', grid.id)
    await client(t.url, token).must(UPDATE_GRID, {
      input: { id: globalId('Grid', grid.id), version: grid.version, name: '推送网格' },
    })
    const [event] = await sub.next(1)
    expect(event!.data).toEqual({ gridUpdated: { name: '推送网格', version: grid.version + 1 } })
    sub.dispose()
    await ws.dispose()
  })

  it("should refuse to subscribe to a grid outside the viewer's scope", async ({
    communities: { b, officerA },
    tokens,
  }) => {
    const ws = wsClient(t.wsUrl, await tokens.user(officerA.username))
    const sub = collect(ws, graphql(`subscription($id: ID!) { gridUpdated(id: $id) { name } }`), {
      id: globalId('Grid', b.grids[0]!.id),
    })
    const [event] = await sub.next(1)
    expect(event!.errors).toBeTruthy()
    expect(JSON.stringify(event!.errors)).toMatch(/not found|not visible/)
    await ws.dispose()
  })

  it("should refuse an ID of another type as ValidationFailed: a mutation's member, a query's or a subscription's error", async ({
    communities: { a, officerA },
    tokens,
  }) => {
    const token = await tokens.user(officerA.username)
    const officer = client(t.url, token)
    const gridId = globalId('Grid', a.grids[0]!.id)
    const before = await t.prisma.grid.count()
    const created = await officer.must(CREATE_GRID, {
      input: { communityId: gridId, code: 'T-WRONG-ID', name: '错类型', boundary: square(100, 33) },
    })
    expect(created.createGrid).toMatchObject({
      __typename: 'ValidationFailed',
      code: 'common/validation-failed',
      message: expect.stringMatching(/expected a Region ID/),
    })
    expect(await t.prisma.grid.count()).toBe(before)
    const listed = await officer.query(
      graphql(`query($f: GridFilter) { grids(first: 1, filter: $f) { edges { node { id } } } }`),
      { f: { ids: [gridId, globalId('Region', a.id)] } },
    )
    expect(listed.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/expected a Grid ID/),
      extensions: { code: 'common/validation-failed' },
    })
    const ws = wsClient(t.wsUrl, token)
    const sub = collect(ws, graphql(`subscription($id: ID!) { gridUpdated(id: $id) { name } }`), {
      id: globalId('Region', a.id),
    })
    const [event] = await sub.next(1)
    expect(JSON.stringify(event!.errors)).toMatch(/expected a Grid ID/)
    await ws.dispose()
  })
})
