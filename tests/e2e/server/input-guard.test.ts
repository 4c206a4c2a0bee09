// Findings of the security review: inputs that reached unhandled exceptions (masked, but they must be
// typed ValidationFailed and change nothing) — a NUL byte in any string, DateTime year 0000, a feed
// cursor beyond int8 — and free text without a length cap.
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, userWithRole } from '../../helpers/fixtures.js'
import { collect, gql, graphql, wsClient } from '../../helpers/graphql.js'

let t: TestApp
let admin: string
it.beforeAll(async ({ app }) => {
  t = app
  admin = await t.tokenFor((await userWithRole(t.prisma, 'ADMIN', { active: true })).username)
})

const CREATE_COMPOUND = graphql(
  `mutation($input: CreateCompoundInput!) { createCompound(input: $input) { __typename ... on Error { code } } }`,
)
const DEPARTMENTS = graphql(`query($f: DepartmentFilter) { departments(first: 1, filter: $f) { totalCount } }`)
const AUDIT_FROM = graphql(`query($f: AuditFilter) { auditEntries(first: 1, filter: $f) { totalCount } }`)
const rows = () => t.prisma.compound.count()

describe('strings', () => {
  it('should refuse a NUL character anywhere — variables, literals, nested JSON — as ValidationFailed, changing nothing', async () => {
    const community = await t.prisma.region.findFirstOrThrow({ where: { level: 'COMMUNITY' } })
    const before = await rows()
    const inVariable = await gql(
      t.url,
      CREATE_COMPOUND,
      { input: { communityId: globalId('Region', community.id), name: 'a\u0000b' } },
      { token: admin },
    )
    expect(inVariable.status).toBe(400)
    expect(inVariable.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
    const inLiteral = await gql(
      t.url,
      graphql(`{ cases(first: 1, filter: { text: "a\\u0000b" }) { totalCount } }`),
      {},
      { token: admin },
    )
    expect(inLiteral.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
    const deep = await gql(t.url, DEPARTMENTS, { f: { search: 'x\u0000' } }, { token: admin })
    expect(deep.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
    expect(await rows()).toBe(before)
  })

  it('should refuse a string longer than any field takes before anything runs', async () => {
    const res = await gql(t.url, DEPARTMENTS, { f: { search: '网'.repeat(10_001) } }, { token: admin })
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'common/validation-failed' } })
    expect(res.errors?.[0]?.message).toMatch(/longer than 10000 characters/)
  })

  it('should refuse a NUL character in a subscription too', async () => {
    const client = wsClient(t.wsUrl, admin)
    const sub = collect(client, graphql(`subscription($id: ID!) { caseUpdated(id: $id) { id } }`), { id: 'x\u0000' })
    const [first] = await sub.next(1)
    expect(JSON.stringify(first)).toContain('common/validation-failed')
    await client.dispose()
  })
})

describe('dates and cursors', () => {
  it('should refuse DateTime year 0000 and year 275760 as ValidationFailed', async () => {
    for (const at of ['0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '1899-12-31T23:59:59Z']) {
      const res = await gql(t.url, AUDIT_FROM, { f: { from: at } }, { token: admin })
      expect(res.errors?.[0]?.extensions?.code, at).toBe('common/validation-failed')
      expect(res.errors?.[0]?.message).not.toBe('Unexpected error.')
    }
    const ok = await gql(t.url, AUDIT_FROM, { f: { from: '2026-01-01T00:00:00Z' } }, { token: admin })
    expect(ok.errors).toBeUndefined()
  })

  it('should refuse a dispatch feed cursor beyond int8 as ValidationFailed', async () => {
    const staff = await userWithRole(t.prisma, 'DEPARTMENT_STAFF', { active: true })
    const client = wsClient(t.wsUrl, await t.tokenFor(staff.username))
    const after = Buffer.from('dispatch-seq:9999999999999999999').toString('base64url')
    const feed = collect(
      client,
      graphql(`subscription($after: String) { dispatchOrderCreated(after: $after) { cursor } }`),
      { after },
    )
    const got = JSON.stringify((await feed.next(1))[0])
    expect(got).toContain('common/validation-failed')
    expect(got).not.toContain('Unexpected error')
    await client.dispose()
  })
})

describe('what the property-based test found', () => {
  it('should refuse a page cursor that holds no row id, and paging both ways at once, as ValidationFailed', async () => {
    const forged = Buffer.from('GPC:S:not-a-uuid').toString('base64')
    const res = await gql(
      t.url,
      graphql(`query($after: String) { departments(first: 5, after: $after) { totalCount } }`),
      { after: forged },
      { token: admin },
    )
    expect(res.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
    const valid = Buffer.from('GPC:S:01a24d70-c345-742d-b94f-b34249841134').toString('base64')
    const both = await gql(
      t.url,
      graphql(`query($c: String) { departments(last: 5, after: $c) { totalCount } }`),
      { c: valid },
      { token: admin },
    )
    expect(both.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
    const garbage = await gql(
      t.url,
      graphql(`{ departments(first: 5, after: "%%%") { totalCount } }`),
      {},
      { token: admin },
    )
    expect(garbage.errors?.[0]?.extensions?.code).toBe('common/validation-failed')
  })

  it('should refuse a polygon with an empty ring as ValidationFailed, creating nothing', async () => {
    const community = await t.prisma.region.findFirstOrThrow({ where: { level: 'COMMUNITY' } })
    const before = await t.prisma.grid.count()
    const res = await gql(
      t.url,
      graphql(`mutation($input: CreateGridInput!) { createGrid(input: $input) { __typename } }`),
      {
        input: {
          communityId: globalId('Region', community.id),
          code: 'FZ-01',
          name: '空环',
          boundary: { type: 'Polygon', coordinates: [[]] },
        },
      },
      { token: admin },
    )
    expect(res.status).toBeLessThan(500)
    expect(JSON.stringify(res)).not.toContain('Unexpected error')
    expect(await t.prisma.grid.count()).toBe(before)
  })

  it('should answer the points account of no account with NotFound, not a foreign-key error', async () => {
    const res = await gql(
      t.url,
      graphql(`query($id: ID!) { pointsAccount(userId: $id) { balance } }`),
      { id: globalId('User', '01a24d70-c345-742d-b94f-b34249841134') },
      { token: admin },
    )
    expect(res.errors?.[0]?.extensions?.code).toBe('common/not-found')
  })
})
