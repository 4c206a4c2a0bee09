import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { it, story } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { serviceYear } from '../../../src/modules/party/transitions.js'
import {
  activityInput,
  ledgerOf,
  partyMemberPerson,
  people,
  rowId,
  V,
  volunteerWorld,
} from '../../factories/volunteer.js'
import {
  answer,
  client,
  collect,
  expectAnsweredAsMissing,
  graphql,
  must,
  NO_SUCH_ID,
  ofType,
  type PayloadObjectOf,
  wsClient,
} from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const RECORD = graphql(
  `query($memberId: ID!, $year: Int) { partyMemberRecord(memberId: $memberId, year: $year) { ... on PartyMemberRecordPayload { record { wishesFulfilled entries { kind sourceId } } } } }`,
)
const WISHES = graphql(
  `query($f: MicroWishFilter) { microWishes(filter: $f, first: 50) { edges { node { id status wisherName wisher { id } } } } }`,
)

describe('micro-wishes', () => {
  describe("a resident's wish from OPEN to CONFIRMED: claimed by a party member, fulfilled, confirmed and credited once", () => {
    // One story in ordered steps: each `it` continues from the state the previous one left.
    const s = story(async () => {
      const w = await volunteerWorld(t)
      const [resident, neighbour] = await people(t, 2)
      const member = await partyMemberPerson(t, w.a.id)
      return { w, resident: resident!, neighbour: neighbour!, member }
    })
    let wish: PayloadObjectOf<typeof V.createWish>
    let c1: PayloadObjectOf<typeof V.confirmWish>

    it("should show neighbours the open wish nearby, with the wisher's name masked", async () => {
      const { w, resident, neighbour } = s
      wish = await must(t, resident.token, V.createWish, {
        title: '帮忙更换厨房灯泡',
        gridId: globalId('Grid', w.gridA.id),
      })
      expect(wish).toMatchObject({ status: 'OPEN', rewardPoints: 10 })
      const seen = (
        await client(t.url, neighbour.token).must(WISHES, {
          f: { nearGridId: globalId('Grid', w.gridA.id), status: ['OPEN'] },
        })
      ).microWishes.edges.map((e: any) => e.node)
      const mine = seen.find((n: { id: string }) => n.id === wish.id)
      expect(mine).toMatchObject({ wisherName: `志${'*'.repeat(wish.wisherName!.length - 1)}`, wisher: null })
    })

    it("should refuse a resident claiming a wish or cancelling someone else's", async () => {
      const { neighbour } = s
      expect((await answer(t, neighbour.token, V.claimWish, { id: wish.id, version: wish.version })).__typename).toBe(
        'Forbidden',
      )
      expect(
        (await answer(t, neighbour.token, V.cancelWish, { id: wish.id, version: wish.version, reason: '不需要' }))
          .__typename,
      ).toBe('Forbidden')
    })

    it('should let a party member claim the wish, which then no longer shows to the neighbour', async () => {
      const { member, neighbour } = s
      wish = await must(t, member.token, V.claimWish, { id: wish.id, version: wish.version })
      expect(wish).toMatchObject({ status: 'CLAIMED', claimedBy: { id: globalId('User', member.id) } })
      expect(
        (
          await client(t.url, neighbour.token).must(graphql(`query($id: ID!) { node(id: $id) { id } }`), {
            id: wish.id,
          })
        ).node,
      ).toBeNull()
    })

    it('should let only the claimer fulfil the wish, not a neighbour nor the wisher', async () => {
      const { member, neighbour, resident } = s
      expect(
        (await answer(t, neighbour.token, V.fulfilWish, { id: wish.id, version: wish.version, note: '已更换' }))
          .__typename,
      ).toBe('Forbidden')
      expect(
        (await answer(t, resident.token, V.fulfilWish, { id: wish.id, version: wish.version, note: '已更换' }))
          .__typename,
      ).toBe('Forbidden')
      wish = await must(t, member.token, V.fulfilWish, { id: wish.id, version: wish.version, note: '已上门更换灯泡' })
      expect(wish.status).toBe('FULFILLED')
    })

    it('should confirm the wish once when the wisher sends the same confirmation twice at once', async () => {
      const { resident } = s
      const confirm = { id: wish.id, version: wish.version, idempotencyKey: randomUUID(), note: '谢谢！' }
      const [first, second] = await Promise.all([
        must(t, resident.token, V.confirmWish, confirm),
        must(t, resident.token, V.confirmWish, confirm),
      ])
      c1 = first
      expect(c1).toMatchObject({ status: 'CONFIRMED' })
      expect(second).toMatchObject({ id: c1.id, status: 'CONFIRMED', version: c1.version })
      expect(c1.timeline.map((e: { action: string }) => e.action)).toEqual(['CREATE', 'CLAIM', 'FULFIL', 'CONFIRM'])
    })

    it("should credit the claimer's points once and count the wish toward their yearly record", async () => {
      const { member } = s
      const ledger = await ledgerOf(t, member.id)
      expect(ledger.entries.map((e) => [e.kind, e.points, e.sourceType, e.sourceId])).toEqual([
        ['SERVICE', 10, 'MicroWish', rowId(wish.id)],
      ])
      const { record } = ofType(
        (
          await client(t.url, member.token).must(RECORD, {
            memberId: globalId('PartyMember', member.memberId),
            year: serviceYear(new Date()),
          })
        ).partyMemberRecord,
        'PartyMemberRecordPayload',
      )
      expect(record).toEqual({ wishesFulfilled: 1, entries: [{ kind: 'MICRO_WISH', sourceId: rowId(wish.id) }] })
    })

    it('should refuse cancelling a confirmed wish', async () => {
      const { resident } = s
      expect(
        (await answer(t, resident.token, V.cancelWish, { id: wish.id, version: c1.version, reason: '撤销' }))
          .__typename,
      ).toBe('InvalidTransition')
    })
  })

  it("should let an officer record a wish on someone's behalf, a unit claim it and the unit's party organisation be credited", async () => {
    const w = await volunteerWorld(t)
    const contact = await t.prisma.user.findFirstOrThrow({
      where: { roles: { has: 'UNIT_CONTACT' }, unit: { partyOrgs: { some: { level: 'UNIT_ORG', active: true } } } },
      orderBy: { username: 'asc' },
    })
    const org = await t.prisma.partyOrg.findFirstOrThrow({
      where: { unitId: contact.unitId!, level: 'UNIT_ORG', active: true },
      orderBy: { createdAt: 'asc' },
    })
    const contactToken = await t.tokenFor(contact.username)
    let wish = await must(t, w.officerA, V.createWish, {
      title: '孤寡老人需要轮椅',
      gridId: globalId('Grid', w.gridA.id),
      wisherName: '张桂兰',
      rewardPoints: 30,
    })
    expect(wish).toMatchObject({ status: 'OPEN', rewardPoints: 30, wisherName: '张桂兰' })
    // residents may not set the reward
    const [r] = await people(t, 1)
    expect(
      (
        await answer(t, r!.token, V.createWish, {
          title: '想学用智能手机',
          gridId: globalId('Grid', w.gridA.id),
          rewardPoints: 100,
        })
      ).__typename,
    ).toBe('ValidationFailed')

    wish = await must(t, contactToken, V.claimWish, { id: wish.id, version: wish.version, asUnit: true })
    expect(wish.claimerUnit?.id).toBe(globalId('ResidentUnit', contact.unitId!))
    wish = await must(t, contactToken, V.fulfilWish, { id: wish.id, version: wish.version, note: '已捐赠轮椅一台' })
    wish = await must(t, w.officerA, V.confirmWish, {
      id: wish.id,
      version: wish.version,
      idempotencyKey: randomUUID(),
    })
    expect(wish.status).toBe('CONFIRMED')
    const records = await t.prisma.serviceRecord.findMany({ where: { kind: 'MICRO_WISH', sourceId: rowId(wish.id) } })
    expect(records.map((x) => [x.unitOrgId, x.memberId])).toEqual([[org.id, null]])
    expect(
      (await ledgerOf(t, contact.id)).entries
        .filter((e) => e.sourceId === rowId(wish.id))
        .map((e) => [e.kind, e.points]),
    ).toEqual([['SERVICE', 30]])
  })

  it("should answer an officer's wish in a grid they do not serve as one in no grid, and post nothing", async () => {
    const w = await volunteerWorld(t)
    const wishes = await t.prisma.microWish.count()
    const postIn = (gridId: string) =>
      answer(t, w.officerA, V.createWish, { title: '越界心愿', gridId, wisherName: '李大爷' })
    const hidden = await postIn(globalId('Grid', w.gridB.id))
    expect(hidden).toMatchObject({ __typename: 'NotFound', code: 'common/not-found' })
    expectAnsweredAsMissing(hidden, await postIn(globalId('Grid', NO_SUCH_ID)), [w.b.id, w.b.name])
    expect(await t.prisma.microWish.count()).toBe(wishes)
  })

  describe('live updates over graphql-ws', () => {
    let s: Awaited<ReturnType<typeof world>>
    const world = async () => {
      const w = await volunteerWorld(t)
      const [resident] = await people(t, 1)
      return { w, resident: resident!, ws: wsClient(t.wsUrl, w.officerA) }
    }
    beforeAll(async () => {
      s = await world()
    })
    afterAll(async () => {
      await s?.ws.dispose()
    })

    it('should push wish changes to the officers of the region', async () => {
      const { w, resident, ws } = s
      const wishes = collect(
        ws,
        graphql(`subscription($r: ID) { microWishUpdated(regionId: $r) { id status title } }`),
        {
          r: globalId('Region', w.a.id),
        },
      )
      await t.pubsub.whenSubscribed('wish:updated', `region:${w.a.id}`)
      const wish = await must(t, resident.token, V.createWish, {
        title: '小区路灯坏了想修好',
        gridId: globalId('Grid', w.gridA.id),
      })
      await must(t, resident.token, V.cancelWish, { id: wish.id, version: wish.version, reason: '已经修好了' })
      const items = await wishes.next(2)
      expect(items.map((i) => i.data?.microWishUpdated)).toEqual([
        { id: wish.id, status: 'OPEN', title: '小区路灯坏了想修好' },
        { id: wish.id, status: 'CANCELLED', title: '小区路灯坏了想修好' },
      ])
    })

    it("should push an activity's changes to its watchers", async () => {
      const { w, resident, ws } = s
      const activity = await must(
        t,
        w.officerA,
        V.createActivity,
        activityInput(w.a.id, { capacity: 2, startsInH: 10 }),
      )
      const watch = collect(
        ws,
        graphql(`subscription($id: ID!) { activityUpdated(id: $id) { id taken placesLeft status } }`),
        {
          id: activity.id,
        },
      )
      await t.pubsub.whenSubscribed('activity:updated', rowId(activity.id))
      await must(t, resident.token, V.signUp, { activityId: activity.id })
      expect((await watch.next(1))[0]!.data?.activityUpdated).toEqual({
        id: activity.id,
        taken: 1,
        placesLeft: 1,
        status: 'PUBLISHED',
      })
    })

    it("should refuse officers of another community watching this region's wishes", async () => {
      const { w } = s
      const wsB = wsClient(t.wsUrl, w.officerB)
      try {
        const other = collect(wsB, graphql(`subscription($r: ID) { microWishUpdated(regionId: $r) { id } }`), {
          r: globalId('Region', w.a.id),
        })
        const refused = await other.next(1)
        expect(JSON.stringify(refused[0]!.errors)).toMatch(/own region/)
      } finally {
        await wsB.dispose()
      }
    })
  })
})
