import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import { globalId } from '../../helpers/fixtures.js'
import { ledgerOf, people, V } from '../../factories/volunteer.js'
import { answer, must } from '../../helpers/graphql.js'

describe('an idempotency key of a points transfer (转赠)', () => {
  it('should refuse a key reused for a transfer to someone else as ValidationFailed, moving nothing', async ({
    app: t,
    tokens,
  }) => {
    const [giver, alice, bob] = await people(t, 3)
    await must(t, await tokens.user('admin'), V.adjust, {
      userId: globalId('User', giver!.id),
      points: 30,
      reason: '测试初始积分',
      idempotencyKey: randomUUID(),
    })
    const key = randomUUID()
    const toAlice = { toUserId: globalId('User', alice!.id), points: 10, reason: '赠送邻居', idempotencyKey: key }
    const first = await must(t, giver!.token, V.transfer, toAlice)
    expect(await must(t, giver!.token, V.transfer, toAlice)).toEqual(first)

    expect(
      await answer(t, giver!.token, V.transfer, { ...toAlice, toUserId: globalId('User', bob!.id) }),
    ).toMatchObject({
      __typename: 'ValidationFailed',
      issues: [{ path: 'idempotencyKey', message: 'this key was already used for another request' }],
    })
    expect((await ledgerOf(t, giver!.id)).balance).toBe(20)
    expect((await ledgerOf(t, alice!.id)).balance).toBe(10)
    expect((await ledgerOf(t, bob!.id)).entries).toEqual([])
  })
})
