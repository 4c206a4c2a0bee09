// The cases of a grid and of a region are the root list's cases with the grid's or the region's
// filter: same rows, same order, same counts, same pages — for a street (whose cases are those of
// its communities, merged) as for a community, under the read policy of a restricted viewer.
import { beforeAll, describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, userWithRole } from '../../helpers/fixtures.js'
import { client, graphql, ofType, type VariablesOf } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

type Page = {
  totalCount: number
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
  edges: { node: { id: string } }[]
}
// each list is a connection type of its own, so each document spells the page's selection out
const STREET_ROOT = graphql(`query($id: ID!, $after: String, $orderBy: CaseOrder) {
  cases(first: 7, after: $after, orderBy: $orderBy, filter: { within: $id }) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`)
const STREET_NESTED = graphql(`query($id: ID!, $after: String, $orderBy: CaseOrder) {
  node(id: $id) { ... on Region { cases(first: 7, after: $after, orderBy: $orderBy) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } } }`)
const GRID_ROOT = graphql(`query($id: ID!, $after: String) {
  cases(first: 2, after: $after, filter: { gridId: $id }) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`)
const GRID_NESTED = graphql(`query($id: ID!, $after: String) {
  node(id: $id) { ... on Grid { cases(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } } }`)

describe('Grid.cases and Region.cases', () => {
  let c: ReturnType<typeof client>
  let street: { id: string }
  beforeAll(async () => {
    const officer = await userWithRole(t.prisma, 'STREET_OFFICER')
    c = client(t.url, await t.tokenFor(officer.username))
    street = await t.prisma.region.findFirstOrThrow({ where: { level: 'STREET', id: { in: officer.regionIds } } })
  })

  /** Every page of a list, `first` at a time, and the counts each page gave. */
  async function pages(read: (after: string | null) => Promise<Page>): Promise<{ ids: string[]; counts: number[] }> {
    const ids: string[] = []
    const counts: number[] = []
    let after: string | null = null
    for (let i = 0; i < 50; i++) {
      const p: Page = await read(after)
      ids.push(...p.edges.map((e) => e.node.id))
      counts.push(p.totalCount)
      if (!p.pageInfo.hasNextPage) break
      after = p.pageInfo.endCursor
    }
    return { ids, counts }
  }

  const orderings: VariablesOf<typeof STREET_ROOT>['orderBy'][] = [
    null,
    { field: 'DEADLINE', direction: 'ASC' },
    { field: 'DEADLINE', direction: 'DESC' },
    { field: 'UPDATED_AT', direction: 'DESC' },
  ]

  it.each(orderings)(
    "should page a street's cases as the root list within the street, ordered by %j",
    async (orderBy) => {
      const vars = { id: globalId('Region', street.id), orderBy }
      const root = await pages(async (after) => (await c.must(STREET_ROOT, { ...vars, after })).cases)
      const nested = await pages(
        async (after) => ofType((await c.must(STREET_NESTED, { ...vars, after })).node, 'Region').cases,
      )
      expect(root.ids.length).toBeGreaterThan(7) // several pages, several communities
      expect(nested.ids).toEqual(root.ids)
      expect(new Set(nested.counts)).toEqual(new Set([root.ids.length]))
    },
  )

  it('should give each community of a list its own cases and counts, filtered like the root list', async () => {
    const data = await c.must(
      graphql(`query($id: ID!) { node(id: $id) { ... on Region { children(first: 20) { edges { node { id
      cases(first: 3, filter: { status: [REPORTED, ACCEPTED, DISPATCHED, RESOLVED, CLOSED, VERIFIED] }) { totalCount edges { node { id } } } } } } } } }`),
      { id: globalId('Region', street.id) },
    )
    const communities = ofType(data.node, 'Region').children.edges.map((e) => e.node)
    expect(communities.length).toBeGreaterThan(1)
    for (const community of communities) {
      const root = (
        await c.must(
          graphql(
            `query($id: ID!) { cases(first: 3, filter: { within: $id, status: [REPORTED, ACCEPTED, DISPATCHED, RESOLVED, CLOSED, VERIFIED] }) { totalCount edges { node { id } } } }`,
          ),
          { id: community.id },
        )
      ).cases
      expect(community.cases.edges).toEqual(root.edges)
      expect(community.cases.totalCount).toBe(root.totalCount)
    }
  })

  it("should page a grid's cases as the root list filtered by the grid", async () => {
    const grid = await t.prisma.grid.findFirstOrThrow({
      where: { cases: { some: {} } },
      orderBy: { cases: { _count: 'desc' } },
    })
    const vars = { id: globalId('Grid', grid.id) }
    const root = await pages(async (after) => (await c.must(GRID_ROOT, { ...vars, after })).cases)
    const nested = await pages(
      async (after) => ofType((await c.must(GRID_NESTED, { ...vars, after })).node, 'Grid').cases,
    )
    expect(root.ids.length).toBeGreaterThan(2)
    expect(nested.ids).toEqual(root.ids)
    expect(nested.counts[0]).toBe(root.ids.length)
  })

  it("should refuse to page a region's cases backwards, with a typed error", async () => {
    const res = await c.query(
      graphql(`query($id: ID!) { node(id: $id) { ... on Region { cases(last: 3) { edges { node { id } } } } } }`),
      { id: globalId('Region', street.id) },
    )
    expect(res.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
  })
})
