// The query cost (rows a query may read) for the shapes frontends send and the ones a limit must stop.
import { describe, expect, it } from 'vitest'
import { parse } from 'graphql'
import { schema } from '../../../src/schema.js'
import { LIST_ROWS, queryCost } from '../../../src/shared/query-cost.js'

const cost = (query: string, variables: Record<string, unknown> = {}) =>
  queryCost(schema, parse(query), variables, undefined, { defaultPageSize: 20 })

describe('query cost', () => {
  it('should count every object once per row of its parent, pages multiplying', () => {
    // grids 1, edges 20, node 20, community 20, cases 20, edges 200, node 200, category 200
    expect(
      cost(
        '{ grids(first: 20) { edges { node { code community { name } cases(first: 10) { edges { node { title category { name } } } } } } } }',
      ),
    ).toBe(681)
  })

  it('should read page sizes from variables as from literals', () => {
    const q = 'query($n: Int!) { grids(first: $n) { edges { node { code } } } }'
    expect(cost(q, { n: 100 })).toBe(cost('{ grids(first: 100) { edges { node { code } } } }'))
    expect(cost(q, { n: 100 })).toBeGreaterThan(cost(q, { n: 10 }))
  })

  it('should take the default page size when none is given, and LIST_ROWS for a plain list', () => {
    expect(cost('{ grids { edges { node { code } } } }')).toBe(cost('{ grids(first: 20) { edges { node { code } } } }'))
    // cases 1, edges 50, node 50, orders 50 × LIST_ROWS
    expect(cost('{ cases(first: 50) { edges { node { orders { status } } } } }')).toBe(1 + 50 + 50 + 50 * LIST_ROWS)
  })

  it('should follow fragments and inline fragments on abstract types', () => {
    const inline = cost('query($id: ID!) { node(id: $id) { ... on Case { orders { department { name } } } } }', {
      id: 'x',
    })
    const spread = cost(
      'query($id: ID!) { node(id: $id) { ...C } } fragment C on Case { orders { department { name } } }',
      { id: 'x' },
    )
    expect(inline).toBe(1 + LIST_ROWS + LIST_ROWS)
    expect(spread).toBe(inline)
  })

  it('should price nested pages of 100 far above the default limit', () => {
    expect(
      cost(
        '{ grids(first: 100) { edges { node { buildings(first: 100) { edges { node { grid { buildings(first: 100) { edges { node { id } } } } } } } } } } }',
      ),
    ).toBeGreaterThan(1_000_000)
  })
})
