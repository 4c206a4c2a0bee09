// Reads cost no statement per row: for a catalogue of list queries that nest what the
// frontends nest, across every module and with the read policies of a restricted viewer, the whole
// list (up to 50 rows) costs exactly as many SQL statements as a page of its first few rows. A
// resolver that reads or checks per row breaks the equality. A nested level with no row at all may
// skip its statement, so the catalogue leaves out optional relations that only some rows have.
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { userWithRole } from '../../helpers/fixtures.js'
import { client, graphql, type TadaDocumentNode } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
// background jobs far apart, so that the counts hold the requests' statements only
it.beforeAll(async ({ app }) => {
  t = app
})

type Viewer = 'street' | 'community' | 'department' | 'worker' | 'unit' | 'member'

/** A list query taking `$n`: its one root field's rows. */
type ListQuery = TadaDocumentNode<Record<string, { edges: unknown[] }>, { n: number }>

/** Name → [viewer, list query]. */
const CATALOGUE: Record<string, [Viewer, ListQuery]> = {
  grids: [
    'community',
    graphql(
      `query($n: Int!) { grids(first: $n) { edges { node { code community { name }
      buildings(first: 3) { edges { node { name } } } assignments { role user { displayName phone } } duties { title } } } } }`,
    ),
  ],
  cases: [
    'street',
    graphql(
      `query($n: Int!) { cases(first: $n) { edges { node { title reporterName reporterPhone category { name } grid { code }
      orders { status department { name } } timeline { action actor { displayName } } supervisions { note } approvals { status } } } } }`,
    ),
  ],
  dispatchOrders: [
    'department',
    graphql(
      `query($n: Int!) { dispatchOrders(first: $n) { edges { node { status case { title reporterName grid { code } } department { name } } } } }`,
    ),
  ],
  workerCases: [
    'worker',
    graphql(
      `query($n: Int!) { cases(first: $n) { edges { node { title reporter { displayName } timeline { actor { displayName } order { id } } } } } }`,
    ),
  ],
  jointAgreements: [
    'street',
    graphql(
      `query($n: Int!) { jointAgreements(first: $n) { edges { node { title partyOrg { name } region { name }
      parties { unit { name } } items { title projects { title } } reviews { score unit { name } } timeline { action } } } } }`,
    ),
  ],
  unitAgreements: [
    'unit',
    graphql(
      `query($n: Int!) { jointAgreements(first: $n) { edges { node { title parties { unit { name } } items { title } } } } }`,
    ),
  ],
  partyMembers: [
    'community',
    graphql(
      `query($n: Int!) { partyMembers(first: $n) { edges { node { name phone idNumber org { name } workUnit { name }
      reports { status community { name } } } } } }`,
    ),
  ],
  dualReports: [
    'community',
    graphql(
      `query($n: Int!) { dualReports(first: $n) { edges { node { status member { name phone } unitOrg { name }
      commitments { title } timeline { action actor { displayName } } } } } }`,
    ),
  ],
  needs: [
    'unit',
    graphql(
      `query($n: Int!) { needs(first: $n) { edges { node { title grid { code } claims { status unit { name } } } } } }`,
    ),
  ],
  projects: [
    'street',
    graphql(
      `query($n: Int!) { projects(first: $n) { edges { node { title need { title } resources { title } milestones { title } entries { note } } } } }`,
    ),
  ],
  volunteerActivities: [
    'community',
    graphql(
      `query($n: Int!) { volunteerActivities(first: $n) { edges { node { title organizer { displayName } team { name }
      signups(first: 5) { edges { node { status user { displayName phone } } } } timeline { action actor { displayName } } } } } }`,
    ),
  ],
  volunteerTeams: [
    'community',
    graphql(
      `query($n: Int!) { volunteerTeams(first: $n) { edges { node { name leader { displayName }
      members(first: 5) { edges { node { user { displayName phone } } } } } } } }`,
    ),
  ],
  microWishes: [
    'member',
    graphql(
      `query($n: Int!) { microWishes(first: $n) { edges { node { title wisherName grid { code } timeline { action } } } } }`,
    ),
  ],
}

describe('statements per request', () => {
  let tokens: Record<Viewer, string>

  beforeAll(async () => {
    const grid = await t.prisma.grid.findFirstOrThrow({ where: { code: 'CG-DM-01' } })
    const unit = await userWithRole(t.prisma, 'UNIT_CONTACT', { unitId: { not: null } })
    const member = await userWithRole(t.prisma, 'PARTY_MEMBER')
    tokens = {
      street: await t.tokenFor((await userWithRole(t.prisma, 'STREET_OFFICER')).username),
      community: await t.tokenFor(
        (await userWithRole(t.prisma, 'COMMUNITY_OFFICER', { regionIds: { has: grid.communityId } })).username,
      ),
      department: await t.tokenFor('dept.CGHW'),
      worker: await t.tokenFor(`grid.worker.${grid.code}.leader`),
      unit: await t.tokenFor(unit.username, ['UNIT_CONTACT']),
      member: await t.tokenFor(member.username, ['PARTY_MEMBER']),
    }
  })

  async function statements(viewer: Viewer, query: ListQuery, n: number) {
    const c = client(t.url, tokens[viewer])
    const warm = await c.query(query, { n })
    expect(warm.errors, JSON.stringify(warm.errors)).toBeUndefined()
    let rows = 0
    const { count } = await t.countStatements(async () => {
      const data = await c.must(query, { n })
      rows = Object.values(data)[0]!.edges.length
    })
    return { count, rows }
  }

  it.each(Object.entries(CATALOGUE))(
    'should read the whole %s list in as many statements as its first rows',
    async (name, [viewer, query]) => {
      const all = await statements(viewer, query, 50)
      expect(all.rows).toBeGreaterThan(1) // a longer list than the page it is compared with, or the test proves nothing
      const page = await statements(viewer, query, Math.min(5, all.rows - 1))
      expect(page.count).toBeGreaterThan(0)
      expect(all.count).toBe(page.count)
      counts[name] = `${all.count} for ${all.rows} rows`
    },
  )

  const counts: Record<string, string> = {}
  afterAll(() => console.info(`statements per request: ${JSON.stringify(counts)}`))
})
