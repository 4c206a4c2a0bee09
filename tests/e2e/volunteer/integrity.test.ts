// Races between an activity's and its signups' steps, self-crediting,
// and personal data reachable through ledger entries, wish timelines and the leaderboard.
import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { activityInput, ledgerOf, people, rowId, signupFactory, V } from '../../factories/volunteer.js'
import { answer, client, graphql, must, ofType, type VariablesOf } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const NODE = graphql(
  `query($id: ID!) { node(id: $id) { id ... on PointsEntry { points balanceAfter } ... on VolunteerEvent { note actor { displayName } } } }`,
)

describe('races between an activity and its signups', () => {
  it('should free each place once when volunteers cancel while the activity is cancelled', async ({
    volunteerWorld: w,
  }) => {
    const crowd = await people(t, 8)
    const activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { capacity: 8 }))
    const signups = await Promise.all(crowd.map((p) => must(t, p.token, V.signUp, { activityId: activity.id })))
    const answers = await Promise.all([
      answer(t, w.officerA, V.cancelActivity, { id: activity.id, version: activity.version, reason: '暴雨预警' }),
      ...signups.map((s, i) => answer(t, crowd[i]!.token, V.cancelSignup, { id: s.id, version: s.version })),
    ])
    // each answer is a payload or a typed refusal, never a masked error (deadlock, CHECK violation)
    for (const a of answers)
      expect([
        'CancelVolunteerActivityPayload',
        'CancelActivitySignupPayload',
        'StaleVersion',
        'InvalidTransition',
      ]).toContain(a.__typename)
    expect(answers[0]!.__typename).toBe('CancelVolunteerActivityPayload')
    const rows = await t.prisma.activitySignup.findMany({
      where: { activityId: rowId(activity.id) },
      select: { id: true, status: true, version: true },
    })
    expect(rows.map((r) => [r.status, r.version])).toEqual(Array(8).fill(['CANCELLED', 1]))
    expect(
      await t.prisma.volunteerEvent.count({ where: { entityId: { in: rows.map((r) => r.id) }, action: 'CANCEL' } }),
    ).toBe(8)
    expect((await t.prisma.volunteerActivity.findUniqueOrThrow({ where: { id: rowId(activity.id) } })).taken).toBe(0)
  })

  it('should never turn a volunteer checked in while the activity finishes into a no-show', async ({
    volunteerWorld: w,
  }) => {
    const crowd = await people(t, 6)
    let activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { capacity: 6 }))
    const signups = await Promise.all(crowd.map((p) => must(t, p.token, V.signUp, { activityId: activity.id })))
    activity = await must(t, w.officerA, V.start, { id: activity.id, version: activity.version })
    const answers = await Promise.all([
      answer(t, w.officerA, V.finish, { id: activity.id, version: activity.version }),
      ...signups.map((s, i) => answer(t, crowd[i]!.token, V.checkIn, { id: s.id, version: s.version })),
    ])
    for (const a of answers)
      expect([
        'FinishVolunteerActivityPayload',
        'CheckInActivitySignupPayload',
        'StaleVersion',
        'InvalidTransition',
      ]).toContain(a.__typename)
    const checkedIn = answers
      .slice(1)
      .filter((a) => a.__typename === 'CheckInActivitySignupPayload')
      .map((a) => a.signup.id)
    const rows = await t.prisma.activitySignup.findMany({
      where: { activityId: rowId(activity.id) },
      select: { id: true, status: true },
    })
    for (const r of rows)
      expect(r.status).toBe(checkedIn.includes(globalId('ActivitySignup', r.id)) ? 'CHECKED_IN' : 'NO_SHOW')
  })
})

describe('nobody credits themselves', () => {
  it("should refuse an organizer completing their own signup, and hours beyond the activity's length", async ({
    volunteerWorld: w,
  }) => {
    const [leader] = await people(t, 1)
    const team = await must(t, w.officerA, V.createTeam, {
      name: `自组队${randomUUID().slice(0, 4)}`,
      kind: 'RAINBOW',
      communityId: globalId('Region', w.a.id),
      leaderId: globalId('User', leader!.id),
    })
    const activity = await must(t, leader!.token, V.createActivity, {
      ...activityInput(w.a.id, { pointsPerHour: 1000, hours: 2 }),
      teamId: team.id,
    })
    const flow = signupFactory(t, { volunteer: leader!.token, organizer: leader!.token })
    await flow.signUp(activity.id)
    await flow.checkIn()
    const base = { id: flow.signup.id, version: flow.signup.version, idempotencyKey: randomUUID() }
    expect((await answer(t, leader!.token, V.complete, { ...base, hours: 2 })).__typename).toBe('Forbidden')
    // an officer completes it, but not with more hours than the 2-hour activity lasted
    expect((await answer(t, w.officerA, V.complete, { ...base, hours: 2.25 })).__typename).toBe('ValidationFailed')
    expect((await ledgerOf(t, leader!.id)).entries).toHaveLength(0)
    expect(await must(t, w.officerA, V.complete, { ...base, hours: 2 })).toMatchObject({
      status: 'COMPLETED',
      points: 2000,
    })
  })

  it('should refuse an officer adjusting their own points', async ({ volunteerWorld: w }) => {
    // organising in the region ties the officer to it, as it would tie anyone else
    await must(t, w.officerA, V.createActivity, activityInput(w.a.id))
    const a = await answer(t, w.officerA, V.adjust, {
      userId: globalId('User', w.officerAId),
      points: 500,
      reason: '自我奖励',
      idempotencyKey: randomUUID(),
    })
    expect(a.__typename).toBe('Forbidden')
    expect((await ledgerOf(t, w.officerAId)).entries).toHaveLength(0)
  })

  it('should refuse an officer who claimed a wish confirming it for their own points', async ({
    volunteerWorld: w,
  }) => {
    const [resident] = await people(t, 1)
    const username = `officer.member.${randomUUID().slice(0, 8)}`
    const officer = await t.prisma.user.create({
      data: {
        username,
        displayName: '兼职党员干部',
        roles: ['COMMUNITY_OFFICER', 'PARTY_MEMBER'],
        regionIds: [w.a.id],
      },
    })
    await t.prisma.partyMember.create({
      data: { name: '兼职党员干部', gender: 'MALE', userId: officer.id, homeCommunityId: w.a.id },
    })
    const token = await t.tokenFor(username)
    let wish = await must(t, resident!.token, V.createWish, {
      title: '帮忙修理自行车',
      gridId: globalId('Grid', w.gridA.id),
    })
    wish = await must(t, token, V.claimWish, { id: wish.id, version: wish.version })
    wish = await must(t, token, V.fulfilWish, { id: wish.id, version: wish.version, note: '已修好' })
    expect(
      (await answer(t, token, V.confirmWish, { id: wish.id, version: wish.version, idempotencyKey: randomUUID() }))
        .__typename,
    ).toBe('Forbidden')
    expect((await ledgerOf(t, officer.id)).entries).toHaveLength(0)
    expect(
      await must(t, resident!.token, V.confirmWish, {
        id: wish.id,
        version: wish.version,
        idempotencyKey: randomUUID(),
      }),
    ).toMatchObject({ status: 'CONFIRMED' })
    expect((await ledgerOf(t, officer.id)).balance).toBe(10)
  })
})

describe('personal data', () => {
  it("should not show the organizer or a transfer's sender the other person's ledger entries", async ({
    volunteerWorld: w,
  }) => {
    const [giver, taker] = await people(t, 2)
    const activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { pointsPerHour: 20 }))
    const flow = signupFactory(t, { volunteer: giver!.token, organizer: w.officerA })
    await flow.signUp(activity.id)
    await flow.checkIn()
    await flow.complete({ hours: 1 })
    await must(t, giver!.token, V.transfer, {
      toUserId: globalId('User', taker!.id),
      points: 5,
      reason: '赠送',
      idempotencyKey: randomUUID(),
    })
    const service = (await ledgerOf(t, giver!.id)).entries.find((e) => e.kind === 'SERVICE')!
    const credit = (await ledgerOf(t, taker!.id)).entries[0]!
    const read = async (token: string, id: string) =>
      (await client(t.url, token).query(NODE, { id: globalId('PointsEntry', id) })).data?.node ?? null
    expect(await read(w.officerA, service.id)).toBeNull()
    expect(await read(giver!.token, credit.id)).toBeNull()
    expect(await read(giver!.token, service.id)).toMatchObject({ points: 20, balanceAfter: 20 })
    expect(await read(taker!.token, credit.id)).toMatchObject({ points: 5, balanceAfter: 5 })
  })

  it('should not reveal a wisher through the timeline of their open wish', async ({ volunteerWorld: w }) => {
    const [resident, neighbour] = await people(t, 2)
    const mine = await must(t, resident!.token, V.createWish, {
      title: '想学用智能手机',
      gridId: globalId('Grid', w.gridA.id),
    })
    const recorded = await must(t, w.officerA, V.createWish, {
      title: '独居老人需要助听器',
      gridId: globalId('Grid', w.gridA.id),
      wisherName: '李秀英',
    })
    const q = graphql(
      `query($id: ID!) { node(id: $id) { ... on MicroWish { wisherName timeline { id note actor { displayName } } } } }`,
    )
    for (const wish of [mine, recorded]) {
      const seen = ofType((await client(t.url, neighbour!.token).must(q, { id: wish.id })).node, 'MicroWish')
      expect(seen.wisherName).toMatch(/^.\*+$/)
      expect(seen.timeline).toEqual([])
      const own = ofType(
        (await client(t.url, wish === mine ? resident!.token : w.officerA).must(q, { id: wish.id })).node,
        'MicroWish',
      )
      expect(own.timeline).toHaveLength(1)
      expect(
        (await client(t.url, neighbour!.token).query(NODE, { id: own.timeline[0]!.id })).data?.node ?? null,
      ).toBeNull()
    }
  })

  it('should show an officer full names on the leaderboard only of volunteers who belong to their region', async ({
    volunteerWorld: w,
  }) => {
    const [p, p2] = await people(t, 2)
    const activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { pointsPerHour: 1000 }))
    const flow = signupFactory(t, { volunteer: p!.token, organizer: w.officerA })
    await flow.signUp(activity.id)
    await flow.checkIn()
    await flow.complete({ hours: 4 })
    const name = (await t.prisma.user.findUniqueOrThrow({ where: { id: p!.id } })).displayName
    const q = graphql(
      `query($f: VolunteerStatsFilter) { volunteerLeaderboard(by: POINTS, first: 100, filter: $f) { displayName points } }`,
    )
    const board = async (token: string, f: VariablesOf<typeof q>['f']) =>
      (await client(t.url, token).must(q, { f })).volunteerLeaderboard
    const within = { within: globalId('Region', w.a.id) }
    // per person (DESIGN §4): p served in community A, so A's officers read p's name whole on any board
    for (const f of [within, null]) expect((await board(w.officerA, f)).map((r) => r.displayName)).toContain(name)
    // an officer of another community, and a resident, see it masked
    for (const [token, f] of [
      [w.officerB, within],
      [w.officerB, null],
      [p2!.token, within],
    ] as const) {
      const names = (await board(token, f)).map((r) => r.displayName)
      expect(names).not.toContain(name)
      expect(names).toContain(`志${'*'.repeat([...name].length - 1)}`)
    }
    for (const n of (await board(p2!.token, null)).map((r) => r.displayName)) expect(n).toMatch(/^.\*+$/)
  })
})
