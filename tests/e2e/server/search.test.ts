// Free-text filters match a literal substring, case-insensitively, on every
// list; LIKE wildcards are escaped; long values and NUL bytes are refused as ValidationFailed.
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { userWithRole } from '../../helpers/fixtures.js'
import { gql, graphql, source, type TadaDocumentNode } from '../../helpers/graphql.js'

let t: TestApp
let admin: string

it.beforeAll(async ({ app }) => {
  t = app
  admin = await t.tokenFor((await userWithRole(t.prisma, 'ADMIN')).username)
})

/** A list's totalCount under a text filter, or the errors refusing it. */
const count = async <V>(query: TadaDocumentNode<Record<string, { totalCount: number }>, V>, variables: V) => {
  const res = await gql(t.url, query, variables, { token: admin })
  if (res.errors) return { errors: res.errors }
  return { totalCount: Object.values(res.data!)[0]!.totalCount }
}
const CASES = graphql(`query($text: String) { cases(filter: { text: $text }) { totalCount } }`)
const LISTS = {
  grids: graphql(`query($s: String) { grids(filter: { search: $s }) { totalCount } }`),
  departments: graphql(`query($s: String) { departments(filter: { search: $s }) { totalCount } }`),
  users: graphql(`query($s: String) { users(filter: { search: $s }) { totalCount } }`),
  residentUnits: graphql(`query($s: String) { residentUnits(filter: { search: $s }) { totalCount } }`),
}

describe('free-text filters', () => {
  it('should treat % and _ as themselves, not as wildcards that match every case', async () => {
    const all = await count(CASES, {})
    expect(all.totalCount).toBeGreaterThan(0)
    expect(await count(CASES, { text: '%' })).toEqual({ totalCount: 0 })
    expect(await count(CASES, { text: '_' })).toEqual({ totalCount: 0 })
    expect(await count(CASES, { text: '\\' })).toEqual({ totalCount: 0 })
  })

  it('should match regardless of case on every searchable list', async () => {
    const grid = await t.prisma.grid.findFirstOrThrow({ orderBy: { code: 'asc' } })
    expect((await count(LISTS.grids, { s: grid.code.toLowerCase() })).totalCount).toBeGreaterThanOrEqual(1)
    const department = await t.prisma.department.findFirstOrThrow({ orderBy: { code: 'asc' } })
    expect((await count(LISTS.departments, { s: department.code.toLowerCase() })).totalCount).toBeGreaterThanOrEqual(1)
    const user = await userWithRole(t.prisma, 'ADMIN')
    expect((await count(LISTS.users, { s: user.username.toUpperCase() })).totalCount).toBeGreaterThanOrEqual(1)
  })

  it.each([
    ['a value longer than 100 characters', 'x'.repeat(101), /at most 100 characters/],
    ['a NUL byte', 'a\u0000b', /NUL/],
  ])('should refuse %s with VALIDATION_FAILED on every list', async (_name, value, message) => {
    for (const [query, send] of [
      [source(CASES), () => count(CASES, { text: value })] as const,
      ...Object.values(LISTS).map((q) => [source(q), () => count(q, { s: value })] as const),
    ]) {
      const res = await send()
      expect(res.errors?.[0], query).toMatchObject({
        message: expect.stringMatching(message),
        extensions: { code: 'common/validation-failed' },
      })
    }
  })
})
