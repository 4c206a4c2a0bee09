// A client may answer a mutation with `{ __typename }` only, leaving the payload's row unselected;
// plugin-prisma then plans an empty `select`, which Prisma refuses. Every resolver must cope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { client } from '../../helpers/http.js'

let t: TestApp
beforeAll(async () => { t = await startTestApp() })
afterAll(() => t?.stop())

describe('rows nobody selected', () => {
  it('should answer a mutation asked for its __typename only', async () => {
    const grid = await t.prisma.grid.findUniqueOrThrow({ where: { code: 'CG-DM-01' } })
    const officer = client(t.url, await t.tokenFor('community.officer.1'))
    const res = await officer.query(`mutation($i: CreateMicroWishInput!) { createMicroWish(input: $i) { __typename } }`,
      { i: { title: '想要一副老花镜（回归测试）', gridId: globalId('Grid', grid.id), wisherName: '张大爷' } })
    expect(res.errors).toBeUndefined()
    expect(res.data).toEqual({ createMicroWish: { __typename: 'CreateMicroWishPayload' } })
    expect(await t.prisma.microWish.count({ where: { title: '想要一副老花镜（回归测试）' } })).toBe(1)
  })

  it('should answer a query asked for the __typename of its row only', async () => {
    const resident = client(t.url, await t.tokenFor('resident.1'))
    const res = await resident.query('{ myPoints { __typename } }')
    expect(res.errors).toBeUndefined()
    expect(res.data).toEqual({ myPoints: { __typename: 'PointsAccount' } })
  })
})
