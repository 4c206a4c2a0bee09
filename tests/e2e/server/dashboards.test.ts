// Dashboards in a constant number of SQL statements: the screens the frontends build —
// grids with their newest cases, the case list with orders and departments, a case's page, and the
// home screens of an officer, a department and a grid worker — read under the read policy of a
// restricted viewer cost at most one statement per nesting level of the query, and a page of 50
// costs what a page of 1 costs. A resolver that reads per row, or a relation that no longer folds
// into its parent's statement, breaks these counts.
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, userWithRole } from '../../helpers/fixtures.js'
import {
  client,
  type DataOf,
  type Document,
  graphql,
  ofType,
  type VarsOf,
  type TadaDocumentNode,
} from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

let t: TestApp
// background jobs far apart, so that the counts hold the requests' statements only
it.beforeAll(async ({ app }) => {
  t = app
})

type Viewer = 'street' | 'community' | 'department' | 'worker'

interface Screen {
  viewer: Viewer
  /**
   * Statements allowed: one per nesting level of rows (a list or object read from the database,
   * inside another, is one level deeper), plus one per count a level shows.
   */
  budget: number
  /** The list whose page size `$n` is; its rows are counted to make sure the page is longer than one. */
  list: string
  /** Lists only, each read with its rows (`edges`). */
  query: TadaDocumentNode<Record<string, { edges: unknown[] }>, { n: number }>
}

const CATALOGUE: Record<string, Screen> = {
  // the three dashboard queries (the third is the case page below), as the bench sends them
  'grids with community and their 10 newest cases with category': {
    viewer: 'street',
    budget: 3,
    list: 'grids',
    query: graphql(
      `query($n: Int!) { grids(first: $n) { edges { node { code community { name } cases(first: 10) { edges { node { title category { name } } } } } } } }`,
    ),
  },
  'newest cases with grid, category and orders with department': {
    viewer: 'street',
    budget: 3,
    list: 'cases',
    query: graphql(
      `query($n: Int!) { cases(first: $n) { edges { node { title grid { code } category { name } orders { status department { name } } } } } }`,
    ),
  },
  // home screens, with the counts a screen shows: each counted list may add its count statement
  'officer home: overdue cases, communities with their open cases, departments with their load': {
    // overdue: 2 levels + count; regions: 3 levels + count, and the count of each community's cases;
    // departments: 1 level (two counts of one relation: the second cannot share the first's join)
    viewer: 'street',
    budget: 3 + 5 + 2,
    list: 'regions',
    query: graphql(
      `query($n: Int!) {
        overdue: cases(first: 20, filter: { overdue: true }) { totalCount edges { node { title deadline grid { code } } } }
        regions(first: $n, filter: { level: COMMUNITY }) { totalCount edges { node { name
          cases(first: 5, filter: { status: [REPORTED, ACCEPTED, DISPATCHED] }) { totalCount edges { node { title category { name } } } } } } }
        departments(first: 20) { edges { node { name openOrderCount overdueOrderCount } } } }`,
    ),
  },
  'department home: its orders with case, grid and category': {
    viewer: 'department',
    budget: 3 + 1,
    list: 'dispatchOrders',
    query: graphql(
      `query($n: Int!) { dispatchOrders(first: $n, filter: { scope: MY_DEPARTMENT }) { totalCount edges { node { status signBy completeBy overdue
        case { title reporterName grid { code } category { name } } } } } }`,
    ),
  },
  'grid worker home: the cases of their grids with category and orders': {
    viewer: 'worker',
    budget: 3 + 1,
    list: 'cases',
    query: graphql(
      `query($n: Int!) { cases(first: $n) { totalCount edges { node { title status deadline category { name }
        orders { status department { name } } } } } }`,
    ),
  },
  'community officer: grids with their cases not overdue, counted': {
    viewer: 'community',
    budget: 3,
    list: 'grids',
    query: graphql(
      `query($n: Int!) { grids(first: $n) { edges { node { code
        cases(first: 10, filter: { overdue: false }) { totalCount edges { node { title grid { code } } } } } } } }`,
    ),
  },
}

let tokens: Record<Viewer, string>
beforeAll(async () => {
  const grid = await t.prisma.grid.findFirstOrThrow({ where: { code: 'CG-DM-01' } })
  tokens = {
    street: await t.tokenFor((await userWithRole(t.prisma, 'STREET_OFFICER')).username),
    community: await t.tokenFor(
      (await userWithRole(t.prisma, 'COMMUNITY_OFFICER', { regionIds: { has: grid.communityId } })).username,
    ),
    department: await t.tokenFor('dept.CGHW'),
    worker: await t.tokenFor(`grid.worker.${grid.code}.leader`),
  }
})

async function measure<D extends Document>(viewer: Viewer, query: D, variables: VarsOf<D>) {
  const c = client(t.url, tokens[viewer])
  const warm = await c.query(query, variables)
  expect(warm.errors, JSON.stringify(warm.errors)).toBeUndefined()
  let data!: DataOf<D>
  const { count, statements } = await t.countStatements(async () => {
    data = await c.must(query, variables)
  })
  return { count, statements, data }
}

const counts: Record<string, string> = {}
afterAll(() => console.info(`dashboard statements per request: ${JSON.stringify(counts, null, 1)}`))

describe('dashboards', () => {
  it.each(Object.entries(CATALOGUE))(
    'should read "%s" in at most one statement per level, a page of 50 as a page of 1',
    async (name, s) => {
      const all = await measure(s.viewer, s.query, { n: 50 })
      const rows = all.data[s.list]!.edges.length
      expect(rows).toBeGreaterThan(1) // a longer page than the one it is compared with, or the test proves nothing
      const one = await measure(s.viewer, s.query, { n: 1 })
      counts[name] = `${all.count} for ${rows} rows, ${one.count} for 1`
      if (process.env.DEBUG_SQL)
        console.info(name, all.statements.map((q) => `${q.length} chars: ${q.slice(0, 300)}`).join('\n'))
      expect(all.count, all.statements.join('\n')).toBeLessThanOrEqual(s.budget)
      expect(all.count).toBe(one.count)
    },
  )

  it('should read a case page — timeline with actors, orders with department — in at most one statement per level', async () => {
    const c = await t.prisma.case.findFirstOrThrow({
      where: { orders: { some: {} }, events: { some: { actorId: { not: null } } } },
      orderBy: { createdAt: 'asc' },
    })
    const { count, statements, data } = await measure(
      'street',
      graphql(`query($id: ID!) { node(id: $id) { __typename ... on Case { title
      timeline { action actor { displayName } } orders { status department { name } } } } }`),
      { id: globalId('Case', c.id) },
    )
    const node = ofType(data.node, 'Case')
    expect(node.timeline.length).toBeGreaterThan(1)
    expect(node.orders.length).toBeGreaterThan(0)
    counts['case page'] = `${count}`
    expect(count, statements.join('\n')).toBeLessThanOrEqual(3)
  })
})
