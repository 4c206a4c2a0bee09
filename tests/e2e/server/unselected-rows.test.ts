// A client may answer a mutation with `{ __typename }` only, leaving the payload's row unselected;
// plugin-prisma then plans an empty `select`, which Prisma refuses. Every resolver must cope.
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { client, graphql } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

describe('rows nobody selected', () => {
  it('should answer a mutation asked for its __typename only', async () => {
    const grid = await t.prisma.grid.findUniqueOrThrow({ where: { code: 'CG-DM-01' } })
    const officer = client(t.url, await t.tokenFor('community.officer.1'))
    const res = await officer.query(
      graphql(`mutation($i: CreateMicroWishInput!) { createMicroWish(input: $i) { __typename } }`),
      { i: { title: '想要一副老花镜（回归测试）', gridId: globalId('Grid', grid.id), wisherName: '张大爷' } },
    )
    expect(res.errors).toBeUndefined()
    expect(res.data).toEqual({ createMicroWish: { __typename: 'CreateMicroWishPayload' } })
    expect(await t.prisma.microWish.count({ where: { title: '想要一副老花镜（回归测试）' } })).toBe(1)
  })

  it('should answer a query asked for the __typename of its row only', async () => {
    const resident = client(t.url, await t.tokenFor('resident.1'))
    const res = await resident.query(graphql('{ myPoints { __typename } }'))
    expect(res.errors).toBeUndefined()
    expect(res.data).toEqual({ myPoints: { __typename: 'PointsAccount' } })
  })
})

describe('malformed global IDs', () => {
  // Like a malformed scalar, a malformed ID is refused before any resolver runs: a GraphQL error
  // with the ValidationFailed code for a query, the union's ValidationFailed for a mutation (as an
  // ID of another type is), never a masked database error.
  it('should answer node() and mutations given an ID whose key is no UUID with a validation error, not an internal one', async () => {
    const officer = client(t.url, await t.tokenFor('community.officer.1'))
    const NODE = graphql('query($id: ID!) { node(id: $id) { id } }')
    const node = await officer.query(NODE, { id: globalId('Grid', 'not-a-uuid') })
    expect(node.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/not a valid global ID/),
      extensions: { code: 'common/validation-failed' },
    })
    const garbage = await officer.query(NODE, { id: '%%%' })
    expect(garbage.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
    const ACCEPT = graphql(
      `mutation($i: AcceptCaseInput!) { acceptCase(input: $i) { __typename ... on Error { code message } } }`,
    )
    const accept = await officer.must(ACCEPT, { i: { id: globalId('Case', '42'), version: 0 } })
    expect(accept.acceptCase).toMatchObject({
      __typename: 'ValidationFailed',
      code: 'common/validation-failed',
      message: expect.stringMatching(/not a valid global ID/),
    })
    const grid = await t.prisma.grid.findFirstOrThrow()
    const wrongType = await officer.must(ACCEPT, { i: { id: globalId('Grid', grid.id), version: 0 } })
    expect(wrongType.acceptCase).toMatchObject({
      __typename: 'ValidationFailed',
      code: 'common/validation-failed',
      message: expect.stringMatching(/expected a Case ID/),
    })
  })
})
