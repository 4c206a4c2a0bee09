// `totalCount` of every root list (and of ResidentUnit.agreements) counts exactly the rows its pages
// hold, under the same filters and the same read policy: for a catalogue covering every root
// connection, read as a viewer whose policy filters rows, the count equals the number of edges read
// by paging through the whole list. A count that forgot the policy (or a filter) would be larger.
import { beforeAll, describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, userWithRole } from '../../helpers/fixtures.js'
import { client, graphql, source, type TadaDocumentNode } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

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

interface Page {
  totalCount: number
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
  edges: { node: { id: string } }[]
}

/** A root list aliased `list`, or a nested connection `list` under `node(id: $id)`. */
type Listed<L> = { list: L } | { node: { __typename?: string; list?: L } | null }

/**
 * A list: its pages (`$first`, `$after` and, for a filtered list, `$filter`) and its totalCount alone;
 * `node`: the owner of a nested connection; `admin`: whether an admin sees more rows than the viewer
 * ('more'), the same ('same', public lists) or other ones ('own': the viewer's own rows).
 */
interface Entry {
  viewer: Viewer
  admin: 'more' | 'same' | 'own'
  field: string
  // variables differ from list to list (filter types): a table of documents takes any
  page: TadaDocumentNode<Listed<Page>, any>
  count: TadaDocumentNode<Listed<{ totalCount: number }>, any>
  node?: (f: Fixtures) => string
}

const CATALOGUE: Record<string, Entry> = {
  // case
  cases: {
    viewer: 'community',
    admin: 'more',
    field: 'cases',
    page: graphql(
      `query($first: Int!, $after: String, $filter: CaseFilter) { list: cases(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: cases(first: 1) { totalCount } }`),
  },
  dispatchOrders: {
    viewer: 'department',
    admin: 'more',
    field: 'dispatchOrders',
    page: graphql(
      `query($first: Int!, $after: String, $filter: DispatchOrderFilter) { list: dispatchOrders(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: dispatchOrders(first: 1) { totalCount } }`),
  },
  supervisions: {
    viewer: 'community',
    admin: 'more',
    field: 'supervisions',
    page: graphql(
      `query($first: Int!, $after: String, $filter: SupervisionFilter) { list: supervisions(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: supervisions(first: 1) { totalCount } }`),
  },
  routingRules: {
    viewer: 'department',
    admin: 'same',
    field: 'routingRules',
    page: graphql(
      `query($first: Int!, $after: String) { list: routingRules(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: routingRules(first: 1) { totalCount } }`),
  },
  // grid
  grids: {
    viewer: 'community',
    admin: 'more',
    field: 'grids',
    page: graphql(
      `query($first: Int!, $after: String, $filter: GridFilter) { list: grids(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: grids(first: 1) { totalCount } }`),
  },
  regions: {
    viewer: 'resident',
    admin: 'same',
    field: 'regions',
    page: graphql(
      `query($first: Int!, $after: String, $filter: RegionFilter) { list: regions(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: regions(first: 1) { totalCount } }`),
  },
  // directory
  departments: {
    viewer: 'resident',
    admin: 'same',
    field: 'departments',
    page: graphql(
      `query($first: Int!, $after: String, $filter: DepartmentFilter) { list: departments(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: departments(first: 1) { totalCount } }`),
  },
  residentUnits: {
    viewer: 'resident',
    admin: 'same',
    field: 'residentUnits',
    page: graphql(
      `query($first: Int!, $after: String, $filter: ResidentUnitFilter) { list: residentUnits(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: residentUnits(first: 1) { totalCount } }`),
  },
  users: {
    viewer: 'community',
    admin: 'more',
    field: 'users',
    page: graphql(
      `query($first: Int!, $after: String, $filter: UserFilter) { list: users(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: users(first: 1) { totalCount } }`),
  },
  // agreement
  jointAgreements: {
    viewer: 'unit',
    admin: 'more',
    field: 'jointAgreements',
    page: graphql(
      `query($first: Int!, $after: String, $filter: JointAgreementFilter) { list: jointAgreements(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: jointAgreements(first: 1) { totalCount } }`),
  },
  agreementItems: {
    viewer: 'unit',
    admin: 'more',
    field: 'agreementItems',
    page: graphql(
      `query($first: Int!, $after: String, $filter: AgreementItemFilter) { list: agreementItems(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: agreementItems(first: 1) { totalCount } }`),
  },
  agreementReviews: {
    viewer: 'community',
    admin: 'more',
    field: 'agreementReviews',
    page: graphql(
      `query($first: Int!, $after: String) { list: agreementReviews(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: agreementReviews(first: 1) { totalCount } }`),
  },
  'ResidentUnit.agreements': {
    viewer: 'partner',
    admin: 'more',
    field: 'agreements',
    node: (f) => f.unit,
    page: graphql(
      `query($id: ID!, $first: Int!, $after: String) { node(id: $id) { __typename ... on ResidentUnit { list: agreements(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } } }`,
    ),
    count: graphql(
      `query($id: ID!) { node(id: $id) { __typename ... on ResidentUnit { list: agreements(first: 1) { totalCount } } } }`,
    ),
  },
  needs: {
    viewer: 'unit',
    admin: 'more',
    field: 'needs',
    page: graphql(
      `query($first: Int!, $after: String, $filter: NeedFilter) { list: needs(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: needs(first: 1) { totalCount } }`),
  },
  resources: {
    viewer: 'unit',
    admin: 'more',
    field: 'resources',
    page: graphql(
      `query($first: Int!, $after: String, $filter: ResourceFilter) { list: resources(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: resources(first: 1) { totalCount } }`),
  },
  needClaims: {
    viewer: 'unit',
    admin: 'more',
    field: 'needClaims',
    page: graphql(
      `query($first: Int!, $after: String, $filter: ClaimFilter) { list: needClaims(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: needClaims(first: 1) { totalCount } }`),
  },
  resourceClaims: {
    viewer: 'community',
    admin: 'more',
    field: 'resourceClaims',
    page: graphql(
      `query($first: Int!, $after: String, $filter: ClaimFilter) { list: resourceClaims(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: resourceClaims(first: 1) { totalCount } }`),
  },
  projects: {
    viewer: 'unit',
    admin: 'more',
    field: 'projects',
    page: graphql(
      `query($first: Int!, $after: String, $filter: ProjectFilter) { list: projects(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: projects(first: 1) { totalCount } }`),
  },
  // party
  partyOrgs: {
    viewer: 'member',
    admin: 'same',
    field: 'partyOrgs',
    page: graphql(
      `query($first: Int!, $after: String, $filter: PartyOrgFilter) { list: partyOrgs(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: partyOrgs(first: 1) { totalCount } }`),
  },
  partyMembers: {
    viewer: 'community',
    admin: 'more',
    field: 'partyMembers',
    page: graphql(
      `query($first: Int!, $after: String, $filter: PartyMemberFilter) { list: partyMembers(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: partyMembers(first: 1) { totalCount } }`),
  },
  dualReports: {
    viewer: 'community',
    admin: 'more',
    field: 'dualReports',
    page: graphql(
      `query($first: Int!, $after: String, $filter: DualReportFilter) { list: dualReports(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: dualReports(first: 1) { totalCount } }`),
  },
  performanceFeedbacks: {
    viewer: 'community',
    admin: 'more',
    field: 'performanceFeedbacks',
    page: graphql(
      `query($first: Int!, $after: String, $filter: PerformanceFeedbackFilter) { list: performanceFeedbacks(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: performanceFeedbacks(first: 1) { totalCount } }`),
  },
  serviceRecords: {
    viewer: 'community',
    admin: 'more',
    field: 'serviceRecords',
    page: graphql(
      `query($first: Int!, $after: String) { list: serviceRecords(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: serviceRecords(first: 1) { totalCount } }`),
  },
  // volunteer
  volunteerTeams: {
    viewer: 'resident',
    admin: 'same',
    field: 'volunteerTeams',
    page: graphql(
      `query($first: Int!, $after: String, $filter: VolunteerTeamFilter) { list: volunteerTeams(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: volunteerTeams(first: 1) { totalCount } }`),
  },
  volunteerActivities: {
    viewer: 'resident',
    admin: 'more',
    field: 'volunteerActivities',
    page: graphql(
      `query($first: Int!, $after: String, $filter: VolunteerActivityFilter) { list: volunteerActivities(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: volunteerActivities(first: 1) { totalCount } }`),
  },
  mySignups: {
    viewer: 'member',
    admin: 'own',
    field: 'mySignups',
    page: graphql(
      `query($first: Int!, $after: String, $filter: ActivitySignupFilter) { list: mySignups(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: mySignups(first: 1) { totalCount } }`),
  },
  activitySignups: {
    viewer: 'community',
    admin: 'more',
    field: 'activitySignups',
    page: graphql(
      `query($first: Int!, $after: String, $filter: ActivitySignupFilter) { list: activitySignups(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: activitySignups(first: 1) { totalCount } }`),
  },
  rewardItems: {
    viewer: 'community',
    admin: 'more',
    field: 'rewardItems',
    page: graphql(
      `query($first: Int!, $after: String) { list: rewardItems(first: $first, after: $after, filter: { includeInactive: true }) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: rewardItems(first: 1, filter: { includeInactive: true }) { totalCount } }`),
  },
  redemptions: {
    viewer: 'community',
    admin: 'more',
    field: 'redemptions',
    page: graphql(
      `query($first: Int!, $after: String, $filter: RedemptionFilter) { list: redemptions(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: redemptions(first: 1) { totalCount } }`),
  },
  microWishes: {
    viewer: 'resident',
    admin: 'more',
    field: 'microWishes',
    page: graphql(
      `query($first: Int!, $after: String, $filter: MicroWishFilter) { list: microWishes(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
    ),
    count: graphql(`{ list: microWishes(first: 1) { totalCount } }`),
  },
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

const listOf = <L>(data: Listed<L>) => ('list' in data ? data.list : data.node?.list)

/** Reads the whole list page by page: every page's totalCount and the edges of all pages. */
async function readAll(viewer: Viewer, e: Entry, filter?: Record<string, unknown>) {
  // a variable the document does not declare would be dropped without an error, and the filter with it
  if (filter && !source(e.page).includes('$filter')) throw new Error(`${e.field} takes no $filter`)
  const c = client(t.url, tokens[viewer])
  const pageAfter = async (after: string | null) => {
    const data = await c.must(e.page, { first: 100, after, id: e.node?.(fx), filter })
    return listOf(data)
  }
  const ids: string[] = []
  const totals = new Set<number>()
  let after: string | null = null
  for (let page = 0; page < 100; page++) {
    const list = await pageAfter(after)
    if (!list) throw new Error(`no ${e.field} list`)
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
async function countOnly(viewer: Viewer, e: Entry) {
  const data = await client(t.url, tokens[viewer]).must(e.count, { id: e.node?.(fx) })
  return listOf(data)?.totalCount
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
    const q = graphql(`{ cases(first: 1) { totalCount } }`)
    const admin = (await client(t.url, tokens.admin).must(q)).cases.totalCount
    const officer = (await client(t.url, tokens.community).must(q)).cases.totalCount
    expect(officer).toBeGreaterThan(0)
    expect(admin).toBeGreaterThan(officer)
  })
})

describe('totalCount under a filter', () => {
  async function enumValues(type: string): Promise<string[]> {
    // introspection: gql.tada leaves `__type` untyped
    const data = await client(t.url, tokens.admin).must(`{ __type(name: "${type}") { enumValues { name } } }`)
    return data.__type.enumValues.map((v: { name: string }) => v.name)
  }

  /** Each status alone: its count is its pages' rows, and the statuses add up to the whole list. */
  async function partitionByStatus(viewer: Viewer, e: Entry, statusType: string) {
    const whole = await readAll(viewer, e)
    let sum = 0
    let narrowed = false
    for (const status of await enumValues(statusType)) {
      const part = await readAll(viewer, e, { status: [status] })
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
    const mine = await readAll('department', e, { scope: 'MY_DEPARTMENT' })
    expect(mine.totalCount).toBe(mine.rows)
    expect(mine.rows).toBeGreaterThan(0)
    expect(await readAll('community', e, { scope: 'MY_DEPARTMENT' })).toEqual({ totalCount: 0, rows: 0 })
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
      const within = await readAll(viewer, e, { within: fx.community })
      expect(within.totalCount).toBe(within.rows)
      expect(within.rows).toBeGreaterThan(0)
      expect(within.rows).toBeLessThan(whole.rows)
      // an unknown region: no row, counted 0
      const none = await readAll(viewer, e, { within: globalId('Region', '00000000-0000-0000-0000-000000000000') })
      expect(none).toEqual({ totalCount: 0, rows: 0 })
    },
  )
})
