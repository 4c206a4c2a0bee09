// `totalCount` of every root list (and of ResidentUnit.agreements) counts exactly the rows its pages
// hold, under the same filters and the same read policy: for a catalogue covering every root
// connection, read as a viewer whose policy filters rows, the count equals the number of edges read
// by paging through the whole list. A count that forgot the policy (or a filter) would be larger.
import { beforeAll, describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, userWithRole } from '../../helpers/fixtures.js'
import { client } from '../../helpers/graphql.js'

const it = appTest({ WEBHOOK_POLL_MS: '3600000', SLA_SWEEP_MS: '3600000', AGREEMENT_EXPIRY_MS: '3600000' })

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

type Viewer = 'admin' | 'street' | 'community' | 'department' | 'unit' | 'partner' | 'member' | 'resident'

/** Seeded rows the catalogue's arguments name. */
interface Fixtures {
  /** The community the community officer serves (global ID). */
  community: string
  /** A resident unit sharing some of its agreements, not all, with the partner's unit (global ID). */
  unit: string
}

/**
 * A list: the field (with its arguments, after `first` and `after`), or the nested connection under
 * `node(id)`; `admin`: whether an admin sees more rows than the viewer ('more'), the same ('same',
 * public lists) or other ones ('own': the viewer's own rows).
 */
interface Entry {
  viewer: Viewer
  admin: 'more' | 'same' | 'own'
  field: string
  args?: (f: Fixtures) => string
  node?: (f: Fixtures) => [string, string]
}

const CATALOGUE: Record<string, Entry> = {
  // case
  cases: { viewer: 'community', admin: 'more', field: 'cases' },
  dispatchOrders: { viewer: 'department', admin: 'more', field: 'dispatchOrders' },
  supervisions: { viewer: 'community', admin: 'more', field: 'supervisions' },
  routingRules: { viewer: 'department', admin: 'same', field: 'routingRules' },
  // grid
  grids: { viewer: 'community', admin: 'more', field: 'grids' },
  regions: { viewer: 'resident', admin: 'same', field: 'regions' },
  // directory
  departments: { viewer: 'resident', admin: 'same', field: 'departments' },
  residentUnits: { viewer: 'resident', admin: 'same', field: 'residentUnits' },
  users: { viewer: 'community', admin: 'more', field: 'users' },
  // agreement
  jointAgreements: { viewer: 'unit', admin: 'more', field: 'jointAgreements' },
  agreementItems: { viewer: 'unit', admin: 'more', field: 'agreementItems' },
  agreementReviews: { viewer: 'community', admin: 'more', field: 'agreementReviews' },
  'ResidentUnit.agreements': {
    viewer: 'partner',
    admin: 'more',
    field: 'agreements',
    node: (f) => [f.unit, 'ResidentUnit'],
  },
  needs: { viewer: 'unit', admin: 'more', field: 'needs' },
  resources: { viewer: 'unit', admin: 'more', field: 'resources' },
  needClaims: { viewer: 'unit', admin: 'more', field: 'needClaims' },
  resourceClaims: { viewer: 'community', admin: 'more', field: 'resourceClaims' },
  projects: { viewer: 'unit', admin: 'more', field: 'projects' },
  // party
  partyOrgs: { viewer: 'member', admin: 'same', field: 'partyOrgs' },
  partyMembers: { viewer: 'community', admin: 'more', field: 'partyMembers' },
  dualReports: { viewer: 'community', admin: 'more', field: 'dualReports' },
  performanceFeedbacks: { viewer: 'community', admin: 'more', field: 'performanceFeedbacks' },
  serviceRecords: { viewer: 'community', admin: 'more', field: 'serviceRecords' },
  // volunteer
  volunteerTeams: { viewer: 'resident', admin: 'same', field: 'volunteerTeams' },
  volunteerActivities: { viewer: 'resident', admin: 'more', field: 'volunteerActivities' },
  mySignups: { viewer: 'member', admin: 'own', field: 'mySignups' },
  activitySignups: { viewer: 'community', admin: 'more', field: 'activitySignups' },
  rewardItems: {
    viewer: 'community',
    admin: 'more',
    field: 'rewardItems',
    args: () => 'filter: { includeInactive: true }',
  },
  redemptions: { viewer: 'community', admin: 'more', field: 'redemptions' },
  microWishes: { viewer: 'resident', admin: 'more', field: 'microWishes' },
}

let tokens: Record<Viewer, string>
let fx: Fixtures

beforeAll(async () => {
  const grid = await t.prisma.grid.findFirstOrThrow({ where: { code: 'CG-DM-01' } })
  const officer = await userWithRole(t.prisma, 'COMMUNITY_OFFICER', { regionIds: { has: grid.communityId } })
  const unitContact = await userWithRole(t.prisma, 'UNIT_CONTACT', { unitId: { not: null } })
  const member = await userWithRole(t.prisma, 'PARTY_MEMBER', { signups: { some: {} } })
  // a unit contact (the partner) and another unit that shares some of its agreements with the partner's
  const units = await t.prisma.residentUnit.findMany({
    select: { id: true, agreementParties: { select: { agreementId: true } } },
    orderBy: { id: 'asc' },
  })
  const agreementsOf = new Map(units.map((u) => [u.id, new Set(u.agreementParties.map((p) => p.agreementId))]))
  const contacts = await t.prisma.user.findMany({
    where: { roles: { has: 'UNIT_CONTACT' }, unitId: { not: null } },
    orderBy: { username: 'asc' },
  })
  const pairs = contacts.flatMap((c) =>
    units
      .filter((u) => u.id !== c.unitId)
      .map((u) => {
        const all = agreementsOf.get(u.id)!
        const shared = [...all].filter((a) => agreementsOf.get(c.unitId!)!.has(a)).length
        return { c, u, ok: shared > 0 && shared < all.size }
      }),
  )
  const pair = pairs.find((p) => p.ok)
  if (!pair) throw new Error("seed has no unit sharing some, not all, of its agreements with a contact's unit")
  tokens = {
    admin: await t.tokenFor((await userWithRole(t.prisma, 'ADMIN')).username),
    street: await t.tokenFor((await userWithRole(t.prisma, 'STREET_OFFICER')).username),
    community: await t.tokenFor(officer.username),
    department: await t.tokenFor('dept.CGHW'),
    unit: await t.tokenFor(unitContact.username, ['UNIT_CONTACT']),
    member: await t.tokenFor(member.username, ['PARTY_MEMBER']),
    partner: await t.tokenFor(pair.c.username, ['UNIT_CONTACT']),
    resident: await t.tokenFor((await userWithRole(t.prisma, 'RESIDENT')).username, ['RESIDENT']),
  }
  fx = { community: globalId('Region', grid.communityId), unit: globalId('ResidentUnit', pair.u.id) }

  // the seed has no supervision: one on each of the first orders, in several communities
  const orders = await t.prisma.dispatchOrder.findMany({
    take: 12,
    orderBy: { id: 'asc' },
    select: { id: true, caseId: true, case: { select: { regionId: true } } },
  })
  await t.prisma.supervision.createMany({
    data: orders.map((o) => ({
      caseId: o.caseId,
      orderId: o.id,
      kind: 'SIGN_OVERDUE' as const,
      level: 1,
      regionId: o.case.regionId,
      note: 'total-count test',
    })),
  })
  // every seeded reward item is on the shelf: take one off, outside the community officer's community
  const offShelf = await t.prisma.rewardItem.findFirstOrThrow({
    where: { communityId: { not: grid.communityId } },
    orderBy: { id: 'asc' },
  })
  await t.prisma.rewardItem.update({ where: { id: offShelf.id }, data: { active: false } })
})

interface Page {
  totalCount: number
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
  edges: { node: { id: string } }[]
}

const PAGE = `totalCount pageInfo { hasNextPage endCursor } edges { node { id } }`

function listQuery(e: Entry, args = '') {
  const a = `first: $first, after: $after${e.args ? `, ${e.args(fx)}` : ''}${args ? `, ${args}` : ''}`
  if (e.node) {
    const [id, type] = e.node(fx)
    return `query($first: Int!, $after: String) { node(id: "${id}") { ... on ${type} { list: ${e.field}(${a}) { ${PAGE} } } } }`
  }
  return `query($first: Int!, $after: String) { list: ${e.field}(${a}) { ${PAGE} } }`
}

/** Reads the whole list page by page: every page's totalCount and the edges of all pages. */
async function readAll(viewer: Viewer, e: Entry, args = '') {
  const c = client(t.url, tokens[viewer])
  const query = listQuery(e, args)
  const ids: string[] = []
  const totals = new Set<number>()
  let after: string | null = null
  for (let page = 0; page < 100; page++) {
    const data = await c.must(query, { first: 100, after })
    const list = (e.node ? data.node?.list : data.list) as Page
    totals.add(list.totalCount)
    ids.push(...list.edges.map((x) => x.node.id))
    if (!list.pageInfo.hasNextPage) break
    after = list.pageInfo.endCursor
  }
  expect(totals.size, `one totalCount on every page of ${e.field}`).toBe(1)
  expect(new Set(ids).size, `no row twice in ${e.field}`).toBe(ids.length)
  return { totalCount: [...totals][0]!, rows: ids.length }
}

/** totalCount alone (the connection then reads no page). */
async function countOnly(viewer: Viewer, e: Entry, args = '') {
  const q = listQuery(e, args).replace(PAGE, 'totalCount')
  const data = await client(t.url, tokens[viewer]).must(q, { first: 1, after: null })
  const list = (e.node ? data.node?.list : data.list) as { totalCount: number }
  return list.totalCount
}

describe('totalCount of the root lists', () => {
  it.each(Object.entries(CATALOGUE))(
    'should count the %s rows the pages hold, under the read policy',
    async (name, e) => {
      const mine = await readAll(e.viewer, e)
      expect(mine.rows, `${name}: the viewer sees some rows, or the test proves nothing`).toBeGreaterThan(0)
      expect(mine.totalCount).toBe(mine.rows)
      expect(await countOnly(e.viewer, e)).toBe(mine.rows)

      const admin = await readAll('admin', e)
      expect(admin.totalCount).toBe(admin.rows)
      if (e.admin === 'more')
        expect(admin.rows, `${name}: the policy filters the viewer's rows`).toBeGreaterThan(mine.rows)
      if (e.admin === 'same') expect(admin.rows).toBe(mine.rows)
    },
  )

  it('should count more cases for an admin than for a community officer', async () => {
    const q = `{ cases(first: 1) { totalCount } }`
    const admin = (await client(t.url, tokens.admin).must(q)).cases.totalCount as number
    const officer = (await client(t.url, tokens.community).must(q)).cases.totalCount as number
    expect(officer).toBeGreaterThan(0)
    expect(admin).toBeGreaterThan(officer)
  })
})

describe('totalCount under a filter', () => {
  async function enumValues(type: string): Promise<string[]> {
    const data = await client(t.url, tokens.admin).must(`{ __type(name: "${type}") { enumValues { name } } }`)
    return data.__type.enumValues.map((v: { name: string }) => v.name)
  }

  /** Each status alone: its count is its pages' rows, and the statuses add up to the whole list. */
  async function partitionByStatus(viewer: Viewer, e: Entry, statusType: string) {
    const whole = await readAll(viewer, e)
    let sum = 0
    let narrowed = false
    for (const status of await enumValues(statusType)) {
      const part = await readAll(viewer, e, `filter: { status: [${status}] }`)
      expect(part.totalCount, status).toBe(part.rows)
      if (part.rows > 0 && part.rows < whole.rows) narrowed = true
      sum += part.rows
    }
    expect(sum).toBe(whole.totalCount)
    expect(narrowed, 'some status filter narrows the list').toBe(true)
  }

  it('should count cases per status consistently, for a community officer', async () => {
    await partitionByStatus('community', CATALOGUE.cases!, 'CaseStatus')
  })

  it('should count dispatch orders per status consistently, for department staff', async () => {
    await partitionByStatus('department', CATALOGUE.dispatchOrders!, 'DispatchOrderStatus')
  })

  it('should count the orders of my department as the pages do, and none for a viewer without a department', async () => {
    const e = CATALOGUE.dispatchOrders!
    const mine = await readAll('department', e, 'filter: { scope: MY_DEPARTMENT }')
    expect(mine.totalCount).toBe(mine.rows)
    expect(mine.rows).toBeGreaterThan(0)
    expect(await readAll('community', e, 'filter: { scope: MY_DEPARTMENT }')).toEqual({ totalCount: 0, rows: 0 })
  })

  // `within` filters match region subtrees on the path, with no lookup: the count follows them
  it.each([
    ['cases', 'street'],
    ['grids', 'street'],
    ['regions', 'resident'],
    ['residentUnits', 'resident'],
    ['needs', 'street'],
    ['jointAgreements', 'street'],
    ['partyMembers', 'street'],
    ['dualReports', 'street'],
    ['volunteerActivities', 'street'],
    ['projects', 'street'],
  ] as const)(
    'should count %s within a community as the pages do, and fewer than in the whole street',
    async (name, viewer) => {
      const e = CATALOGUE[name]!
      const whole = await readAll(viewer, e)
      const within = await readAll(viewer, e, `filter: { within: "${fx.community}" }`)
      expect(within.totalCount).toBe(within.rows)
      expect(within.rows).toBeGreaterThan(0)
      expect(within.rows).toBeLessThan(whole.rows)
      // an unknown region: no row, counted 0
      const none = await readAll(
        viewer,
        e,
        `filter: { within: "${globalId('Region', '00000000-0000-0000-0000-000000000000')}" }`,
      )
      expect(none).toEqual({ totalCount: 0, rows: 0 })
    },
  )
})
