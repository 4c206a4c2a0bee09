import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import { it, story } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import {
  activityInput,
  ledgerOf,
  MY_POINTS,
  people,
  rowId,
  signupFactory,
  V,
  volunteerWorld,
  type Person,
} from '../../factories/volunteer.js'
import { answer, client, graphql, must, ofType, type PayloadObjectOf } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

/** Earns `points` the way volunteers do: a completed activity of 1 hour at that rate. */
async function earn(w: Awaited<ReturnType<typeof volunteerWorld>>, p: Person, points: number) {
  const a = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { pointsPerHour: points }))
  const flow = signupFactory(t, { volunteer: p.token, organizer: w.officerA })
  await flow.signUp(a.id)
  await flow.checkIn()
  await flow.complete({ hours: 1 })
}

describe('love supermarket redemptions', () => {
  it('should give exactly 10 of 50 concurrent redemptions against a balance covering 10, never below zero', async () => {
    const w = await volunteerWorld(t)
    const [p] = await people(t, 1)
    await earn(w, p!, 50)
    const item = await must(t, w.officerA, V.createItem, {
      communityId: globalId('Region', w.a.id),
      name: '洗衣液',
      pointsCost: 5,
      stock: 100,
    })
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        answer(t, p!.token, V.redeem, { itemId: item.id, idempotencyKey: randomUUID() }),
      ),
    )
    const kinds = answers.map((a) => a.__typename)
    expect(kinds.filter((k) => k === 'RedeemRewardPayload')).toHaveLength(10)
    expect(kinds.filter((k) => k === 'InsufficientPoints')).toHaveLength(40)
    const ledger = await ledgerOf(t, p!.id)
    expect(ledger.balance).toBe(0)
    expect(ledger.sum).toBe(0)
    // every balanceAfter follows from the one before it
    let running = 0
    for (const e of ledger.entries) {
      running += e.points
      expect(e.balanceAfter).toBe(running)
    }
    expect(await t.prisma.redemption.count({ where: { userId: p!.id, status: 'PENDING' } })).toBe(10)
    expect((await t.prisma.rewardItem.findUniqueOrThrow({ where: { id: rowId(item.id) } })).stock).toBe(90)
  })

  it('should restock and rename an item in one change, answer with it as written, and refuse a stock below zero changing nothing', async () => {
    const w = await volunteerWorld(t)
    const item = await must(t, w.officerA, V.createItem, {
      communityId: globalId('Region', w.a.id),
      name: '抽纸',
      pointsCost: 2,
      stock: 4,
    })
    const restocked = await must(t, w.officerA, V.updateItem, {
      id: item.id,
      version: item.version,
      name: '抽纸（大包）',
      stockDelta: 6,
    })
    expect(restocked).toMatchObject({ name: '抽纸（大包）', stock: 10, version: item.version + 1 })
    const refused = await answer(t, w.officerA, V.updateItem, {
      id: item.id,
      version: restocked.version,
      name: '不该改名',
      stockDelta: -11,
    })
    expect(refused.__typename).toBe('ValidationFailed')
    const row = await t.prisma.rewardItem.findUniqueOrThrow({ where: { id: rowId(item.id) } })
    expect(row).toMatchObject({ name: '抽纸（大包）', stock: 10, version: restocked.version })
  })

  it("should give exactly 3 of 10 people's concurrent redemptions of an item with 3 in stock", async () => {
    const w = await volunteerWorld(t)
    const crowd = await people(t, 10)
    for (const p of crowd)
      await t.prisma.$transaction(async (tx) => {
        const { movePoints } = await import('../../../src/modules/volunteer/points.service.js')
        await movePoints(tx, {
          accountUserId: p.id,
          kind: 'ADJUSTMENT',
          points: 100,
          reason: 'test grant',
          actorId: null,
          idempotencyKey: `grant:${p.id}`,
        })
      })
    const item = await must(t, w.officerA, V.createItem, {
      communityId: globalId('Region', w.a.id),
      name: '理发券',
      pointsCost: 20,
      stock: 3,
    })
    const answers = await Promise.all(
      crowd.map((p) => answer(t, p.token, V.redeem, { itemId: item.id, idempotencyKey: randomUUID() })),
    )
    expect(answers.filter((a) => a.__typename === 'RedeemRewardPayload')).toHaveLength(3)
    expect(answers.filter((a) => a.__typename === 'OutOfStock')).toHaveLength(7)
    expect((await t.prisma.rewardItem.findUniqueOrThrow({ where: { id: rowId(item.id) } })).stock).toBe(0)
    const balances = await Promise.all(crowd.map(async (p) => (await ledgerOf(t, p.id)).balance))
    expect(balances.sort((x, y) => x - y)).toEqual([80, 80, 80, 100, 100, 100, 100, 100, 100, 100])
  })

  describe('a redemption retried, cancelled with a refund, and the next one fulfilled', () => {
    // One story in ordered steps: each `it` continues from the state the previous one left.
    const s = story(async () => {
      const w = await volunteerWorld(t)
      const [p] = await people(t, 1)
      await earn(w, p!, 30)
      const item = await must(t, w.officerA, V.createItem, {
        communityId: globalId('Region', w.a.id),
        name: '大米 5kg',
        pointsCost: 12,
        stock: 5,
      })
      return { w, p: p!, item }
    })
    let r: PayloadObjectOf<typeof V.redeem>

    it('should answer a redemption retried with one key with the first one, debiting the points once', async () => {
      const { p, item } = s
      const key = randomUUID()
      const tries = await Promise.all(
        Array.from({ length: 4 }, () =>
          answer(t, p.token, V.redeem, { itemId: item.id, quantity: 2, idempotencyKey: key }),
        ),
      )
      const redemptions = tries.map((a) => ofType(a, 'RedeemRewardPayload').redemption)
      expect(new Set(redemptions.map((x) => x.id))).toEqual(new Set([redemptions[0]!.id]))
      r = redemptions[0]!
      expect(r).toMatchObject({ status: 'PENDING', points: 24, quantity: 2 })
      expect((await ledgerOf(t, p.id)).balance).toBe(6)
    })

    it("should hide the redemption from another community's officer", async () => {
      const { w } = s
      expect((await answer(t, w.officerB, V.fulfil, { id: r.id, version: r.version })).__typename).toBe('NotFound')
    })

    it('should cancel with a refund exactly once when the owner cancels twice with one key, and refuse cancelling again', async () => {
      const { w, p } = s
      const cancel = { id: r.id, version: r.version, reason: '不需要了', idempotencyKey: randomUUID() }
      const c1 = await must(t, p.token, V.cancelRedemption, cancel)
      const c2 = await must(t, p.token, V.cancelRedemption, cancel)
      expect(c1).toMatchObject({ status: 'CANCELLED', item: { stock: 5 } })
      expect(c2).toMatchObject({ id: c1.id, status: 'CANCELLED', version: c1.version })
      expect(
        (
          await answer(t, w.officerA, V.cancelRedemption, {
            ...cancel,
            version: c1.version,
            idempotencyKey: randomUUID(),
          })
        ).__typename,
      ).toBe('InvalidTransition')
      const ledger = await ledgerOf(t, p.id)
      expect(ledger.entries.map((e) => [e.kind, e.points, e.balanceAfter])).toEqual([
        ['SERVICE', 30, 30],
        ['REDEMPTION', -24, 6],
        ['ADJUSTMENT', 24, 30],
      ])
    })

    it('should let an officer, not the owner, fulfil a redemption, which the owner then can no longer cancel', async () => {
      const { w, p, item } = s
      const next = await must(t, p.token, V.redeem, { itemId: item.id, idempotencyKey: randomUUID() })
      expect((await answer(t, p.token, V.fulfil, { id: next.id, version: next.version })).__typename).toBe('Forbidden')
      const done = await must(t, w.officerA, V.fulfil, { id: next.id, version: next.version })
      expect(done.status).toBe('FULFILLED')
      expect(
        (
          await answer(t, p.token, V.cancelRedemption, {
            id: done.id,
            version: done.version,
            reason: '改主意了',
            idempotencyKey: randomUUID(),
          })
        ).__typename,
      ).toBe('InvalidTransition')
    })

    it('should refuse a redemption whose idempotency key is too short', async () => {
      const { p, item } = s
      expect((await answer(t, p.token, V.redeem, { itemId: item.id, idempotencyKey: 'short' })).__typename).toBe(
        'ValidationFailed',
      )
    })
  })
})

describe('time bank', () => {
  it('should let an officer adjust points with a logged reason, once per key, and never below zero', async () => {
    const w = await volunteerWorld(t)
    const [p] = await people(t, 1)
    await earn(w, p!, 10)
    const key = randomUUID()
    const e1 = await must(t, w.officerA, V.adjust, {
      userId: globalId('User', p!.id),
      points: 5,
      reason: '补记上月服务',
      idempotencyKey: key,
    })
    const e2 = await must(t, w.officerA, V.adjust, {
      userId: globalId('User', p!.id),
      points: 5,
      reason: '补记上月服务',
      idempotencyKey: key,
    })
    expect(e2).toEqual(e1)
    expect(e1).toMatchObject({ kind: 'ADJUSTMENT', points: 5, balanceAfter: 15, reason: '补记上月服务' })
    expect(e1.actor?.username).toMatch(/^community\.officer/)
    const low = await answer(t, w.officerA, V.adjust, {
      userId: globalId('User', p!.id),
      points: -16,
      reason: '纠正',
      idempotencyKey: randomUUID(),
    })
    expect(low).toMatchObject({ __typename: 'InsufficientPoints', balance: 15, required: 16 })
    // an officer of another community has no tie to this person
    expect(
      (
        await answer(t, w.officerB, V.adjust, {
          userId: globalId('User', p!.id),
          points: 1,
          reason: '奖励',
          idempotencyKey: randomUUID(),
        })
      ).__typename,
    ).toBe('Forbidden')
    // residents cannot adjust at all: the mutation's typed Forbidden member (DESIGN §4)
    expect(
      (
        await answer(t, p!.token, V.adjust, {
          userId: globalId('User', p!.id),
          points: 100,
          reason: '奖励',
          idempotencyKey: randomUUID(),
        })
      ).__typename,
    ).toBe('Forbidden')
    expect((await ledgerOf(t, p!.id)).balance).toBe(15)
  })

  it('should transfer points between two people with two entries, and show each only their own history', async () => {
    const w = await volunteerWorld(t)
    const [giver, taker] = await people(t, 2)
    await earn(w, giver!, 20)
    const key = randomUUID()
    const input = { toUserId: globalId('User', taker!.id), points: 8, reason: '赠送家人', idempotencyKey: key }
    const [a, b] = await Promise.all([
      answer(t, giver!.token, V.transfer, input),
      answer(t, giver!.token, V.transfer, input),
    ])
    const entry = ofType(a, 'TransferPointsPayload').entry
    expect(entry).toEqual(ofType(b, 'TransferPointsPayload').entry)
    expect(entry).toMatchObject({ kind: 'TRANSFER', points: -8, balanceAfter: 12 })
    const mine = (await client(t.url, taker!.token).must(MY_POINTS)).myPoints
    expect(mine).toMatchObject({
      balance: 8,
      entries: {
        totalCount: 1,
        edges: [{ node: { kind: 'TRANSFER', points: 8, balanceAfter: 8, sourceType: 'PointsTransfer' } }],
      },
    })
    expect(
      (await answer(t, giver!.token, V.transfer, { ...input, points: 13, idempotencyKey: randomUUID() })).__typename,
    ).toBe('InsufficientPoints')
    // nobody reads another person's account, not even an officer
    const other = await client(t.url, w.officerA).query(
      graphql(`query($u: ID!) { pointsAccount(userId: $u) { balance } }`),
      {
        u: globalId('User', giver!.id),
      },
    )
    expect(other.errors?.[0]?.message).toMatch(/owner/)
    const node = await client(t.url, taker!.token).query(graphql(`query($id: ID!) { node(id: $id) { id } }`), {
      id: entry.id,
    })
    expect(node.data?.node ?? null).toBeNull()
  })
})
