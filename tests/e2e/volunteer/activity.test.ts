import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { serviceYear } from '../../../src/modules/party/transitions.js'
import {
  activityInput,
  ledgerOf,
  partyMemberPerson,
  people,
  rowId,
  signupFactory,
  V,
} from '../../factories/volunteer.js'
import { answer, client, graphql, must, ofType } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const RECORD =
  graphql(`query($memberId: ID!, $year: Int) { partyMemberRecord(memberId: $memberId, year: $year) { __typename
  ... on PartyMemberRecordPayload { record { hours activities activityHours entries { kind hours note sourceId } } } ... on Error { code } } }`)

describe('sign up, check in, check out, complete', () => {
  it("should credit exactly hours × rate once, even when the completion is retried with the same key, and put a party member's hours on their yearly record", async ({
    volunteerWorld: w,
  }) => {
    const member = await partyMemberPerson(t, w.a.id)
    const activity = await must(
      t,
      w.officerA,
      V.createActivity,
      activityInput(w.a.id, { pointsPerHour: 12, startsInH: -1, hours: 4 }),
    )
    expect(activity).toMatchObject({ status: 'PUBLISHED', taken: 0, placesLeft: 10 })

    const flow = signupFactory(t, { volunteer: member.token, organizer: w.officerA })
    await flow.signUp(activity.id)
    expect(flow.signup).toMatchObject({ status: 'SIGNED_UP', version: 0 })
    await flow.checkIn()
    expect(flow.signup.status).toBe('CHECKED_IN')
    await flow.checkOut()
    expect(flow.signup.checkedOutAt).not.toBeNull()

    const key = randomUUID()
    const input = { id: flow.signup.id, version: flow.signup.version, hours: 2.5, idempotencyKey: key }
    const first = await must(t, w.officerA, V.complete, input)
    expect(first).toMatchObject({ status: 'COMPLETED', hours: 2.5, points: 30 })
    // sequential retries with the same key answer with the same completed signup
    for (let i = 0; i < 3; i++)
      expect(await must(t, w.officerA, V.complete, input)).toMatchObject({
        id: first.id,
        status: 'COMPLETED',
        version: first.version,
        points: 30,
      })
    // a different key is a different request: the signup is no longer checked in
    expect(
      (await answer(t, w.officerA, V.complete, { ...input, version: first.version, idempotencyKey: randomUUID() }))
        .__typename,
    ).toBe('InvalidTransition')
    expect((await answer(t, w.officerA, V.complete, { ...input, idempotencyKey: randomUUID() })).__typename).toBe(
      'StaleVersion',
    )

    const ledger = await ledgerOf(t, member.id)
    expect(ledger.entries.map((e) => [e.kind, e.points, e.balanceAfter, e.sourceType, e.sourceId])).toEqual([
      ['SERVICE', 30, 30, 'ActivitySignup', rowId(first.id)],
    ])
    expect(ledger.balance).toBe(30)

    const record = ofType(
      (
        await client(t.url, member.token).must(RECORD, {
          memberId: globalId('PartyMember', member.memberId),
          year: serviceYear(new Date()),
        })
      ).partyMemberRecord,
      'PartyMemberRecordPayload',
    )
    expect(record.record).toMatchObject({ hours: 2.5, activities: 1, activityHours: 2.5 })
    expect(record.record.entries).toEqual([
      { kind: 'ACTIVITY_HOURS', hours: 2.5, note: '楼道清理志愿服务', sourceId: rowId(first.id) },
    ])
  })

  it('should credit once when the same completion is sent concurrently', async ({ volunteerWorld: w }) => {
    const member = await partyMemberPerson(t, w.a.id)
    const activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { pointsPerHour: 7 }))
    const flow = signupFactory(t, { volunteer: member.token, organizer: w.officerA })
    await flow.signUp(activity.id)
    await flow.checkIn(w.officerA)
    const input = { id: flow.signup.id, version: flow.signup.version, hours: 3, idempotencyKey: randomUUID() }
    const answers = await Promise.all(Array.from({ length: 6 }, () => answer(t, w.officerA, V.complete, input)))
    expect(answers.map((a) => a.__typename)).toEqual(Array(6).fill('CompleteActivitySignupPayload'))
    expect(new Set(answers.map((a) => ofType(a, 'CompleteActivitySignupPayload').signup.version))).toEqual(
      new Set([input.version + 1]),
    )
    const ledger = await ledgerOf(t, member.id)
    expect(ledger.entries).toHaveLength(1)
    expect(ledger.balance).toBe(21)
    expect(
      await t.prisma.serviceRecord.count({ where: { kind: 'ACTIVITY_HOURS', sourceId: rowId(flow.signup.id) } }),
    ).toBe(1)
    expect(
      await t.prisma.volunteerEvent.count({ where: { entityId: rowId(flow.signup.id), action: 'COMPLETE' } }),
    ).toBe(1)
  })

  it("should default the hours to check-in → check-out within the activity's time and refuse hours out of range", async ({
    volunteerWorld: w,
  }) => {
    const [p] = await people(t, 1)
    const activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { pointsPerHour: 10 }))
    const flow = signupFactory(t, { volunteer: p!.token, organizer: w.officerA })
    await flow.signUp(activity.id)
    await flow.checkIn()
    const base = { id: flow.signup.id, version: flow.signup.version, idempotencyKey: randomUUID() }
    for (const hours of [0, -1, 25]) {
      const a = await answer(t, w.officerA, V.complete, { ...base, hours })
      expect(a.__typename).toBe('ValidationFailed')
    }
    // checked in and out a moment ago: nearly no time served → ValidationFailed, nothing changed
    await flow.checkOut()
    expect((await answer(t, w.officerA, V.complete, { ...base, version: flow.signup.version })).__typename).toBe(
      'ValidationFailed',
    )
    expect((await ledgerOf(t, p!.id)).entries).toHaveLength(0)
  })
})

describe('capacity under concurrency', () => {
  it('should give exactly 10 of 50 parallel sign-ups for 10 places and answer the rest with ActivityFull', async ({
    volunteerWorld: w,
  }) => {
    const activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { capacity: 10, startsInH: 24 }))
    const crowd = await people(t, 50)
    const answers = await Promise.all(crowd.map((p) => answer(t, p.token, V.signUp, { activityId: activity.id })))
    const kinds = answers.map((a) => a.__typename)
    expect(kinds.filter((k) => k === 'SignUpForActivityPayload')).toHaveLength(10)
    expect(kinds.filter((k) => k === 'ActivityFull')).toHaveLength(40)
    const row = await t.prisma.volunteerActivity.findUniqueOrThrow({ where: { id: rowId(activity.id) } })
    expect(row.taken).toBe(10)
    expect(await t.prisma.activitySignup.count({ where: { activityId: row.id, status: 'SIGNED_UP' } })).toBe(10)

    // cancelling frees a place that the next person takes
    const winner = answers.find((a) => a.__typename === 'SignUpForActivityPayload')!.signup
    const owner = crowd.find((p) => p.id === rowId(winner.user.id))!
    await must(t, owner.token, V.cancelSignup, { id: winner.id, version: winner.version })
    const loser = crowd.find((_p, i) => answers[i]!.__typename === 'ActivityFull')!
    expect((await answer(t, loser.token, V.signUp, { activityId: activity.id })).__typename).toBe(
      'SignUpForActivityPayload',
    )
    expect((await answer(t, owner.token, V.signUp, { activityId: activity.id })).__typename).toBe('ActivityFull')
    expect((await t.prisma.volunteerActivity.findUniqueOrThrow({ where: { id: row.id } })).taken).toBe(10)
  })

  it('should refuse a second live signup of the same person with AlreadySignedUp', async ({ volunteerWorld: w }) => {
    const [p] = await people(t, 1)
    const activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { startsInH: 24 }))
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => answer(t, p!.token, V.signUp, { activityId: activity.id })),
    )
    expect(answers.filter((a) => a.__typename === 'SignUpForActivityPayload')).toHaveLength(1)
    expect(answers.filter((a) => a.__typename === 'AlreadySignedUp')).toHaveLength(4)
    expect((await t.prisma.volunteerActivity.findUniqueOrThrow({ where: { id: rowId(activity.id) } })).taken).toBe(1)
  })
})

describe('time windows, workflow and typed errors', () => {
  it('should refuse self check-in before the window but let the organizer check in, and mark no-shows only after the start', async ({
    volunteerWorld: w,
  }) => {
    const [p, q] = await people(t, 2)
    const activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { startsInH: 5 }))
    const s = await must(t, p!.token, V.signUp, { activityId: activity.id })
    const early = await answer(t, p!.token, V.checkIn, { id: s.id, version: s.version })
    expect(early).toMatchObject({ __typename: 'OutsideTimeWindow', code: 'volunteer/outside-time-window' })
    expect((await must(t, w.officerA, V.checkIn, { id: s.id, version: s.version })).status).toBe('CHECKED_IN')
    const s2 = await must(t, q!.token, V.signUp, { activityId: activity.id })
    expect((await answer(t, w.officerA, V.noShow, { id: s2.id, version: s2.version })).__typename).toBe(
      'OutsideTimeWindow',
    )
  })

  it('should move an activity DRAFT → PUBLISHED → ONGOING → FINISHED, turning those never checked in into no-shows', async ({
    volunteerWorld: w,
  }) => {
    const [p, q] = await people(t, 2)
    let a = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { publish: false }))
    expect(a.status).toBe('DRAFT')
    // a draft is invisible to residents
    expect((await answer(t, p!.token, V.signUp, { activityId: a.id })).__typename).toBe('NotFound')
    a = await must(t, w.officerA, V.publish, { id: a.id, version: a.version })
    const sp = await must(t, p!.token, V.signUp, { activityId: a.id })
    const sq = await must(t, q!.token, V.signUp, { activityId: a.id })
    await must(t, p!.token, V.checkIn, { id: sp.id, version: sp.version })
    a = await must(t, w.officerA, V.start, { id: a.id, version: a.version })
    a = await must(t, w.officerA, V.finish, { id: a.id, version: a.version })
    expect(a.status).toBe('FINISHED')
    expect(a.timeline.map((e: { action: string }) => e.action)).toEqual(['CREATE', 'PUBLISH', 'START', 'FINISH'])
    const rows = await t.prisma.activitySignup.findMany({
      where: { activityId: rowId(a.id) },
      orderBy: { createdAt: 'asc' },
    })
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      [rowId(sp.id), 'CHECKED_IN'],
      [rowId(sq.id), 'NO_SHOW'],
    ])
    // signing up for a finished activity is an invalid transition
    const [r] = await people(t, 1)
    expect((await answer(t, r!.token, V.signUp, { activityId: a.id })).__typename).toBe('InvalidTransition')
  })

  it('should answer with Forbidden, StaleVersion, InvalidTransition, ValidationFailed and NotFound without changing anything', async ({
    volunteerWorld: w,
  }) => {
    const [p, stranger] = await people(t, 2)
    const a = await must(t, w.officerA, V.createActivity, activityInput(w.a.id))
    const s = await must(t, p!.token, V.signUp, { activityId: a.id })
    // the volunteer cannot complete their own signup
    expect(
      (await answer(t, p!.token, V.complete, { id: s.id, version: s.version, hours: 1, idempotencyKey: randomUUID() }))
        .__typename,
    ).toBe('Forbidden')
    // officers of another community do not even see it
    expect((await answer(t, w.officerB, V.checkIn, { id: s.id, version: s.version })).__typename).toBe('NotFound')
    expect((await answer(t, stranger!.token, V.checkIn, { id: s.id, version: s.version })).__typename).toBe('NotFound')
    expect((await answer(t, w.officerB, V.start, { id: a.id, version: a.version })).__typename).toBe('Forbidden')
    expect((await answer(t, w.officerA, V.start, { id: a.id, version: a.version + 3 })).__typename).toBe('StaleVersion')
    expect((await answer(t, w.officerA, V.finish, { id: a.id, version: a.version })).__typename).toBe(
      'InvalidTransition',
    )
    // a signup not checked in cannot be checked out
    expect((await answer(t, p!.token, V.checkOut, { id: s.id, version: s.version })).__typename).toBe(
      'InvalidTransition',
    )
    expect(await t.prisma.activitySignup.findUniqueOrThrow({ where: { id: rowId(s.id) } })).toMatchObject({
      status: 'SIGNED_UP',
      version: 0,
    })
    expect(await t.prisma.volunteerActivity.findUniqueOrThrow({ where: { id: rowId(a.id) } })).toMatchObject({
      status: 'PUBLISHED',
      version: a.version,
    })
  })

  it('should refuse invalid activity input with ValidationFailed and create nothing', async ({ volunteerWorld: w }) => {
    const before = await t.prisma.volunteerActivity.count()
    const bad = [
      { ...activityInput(w.a.id), capacity: 0 },
      { ...activityInput(w.a.id), endsAt: new Date(Date.now() - 3 * 3_600_000).toISOString() },
      { ...activityInput(w.a.id), title: 'x' },
    ]
    for (const input of bad) {
      const a = await answer(t, w.officerA, V.createActivity, input)
      expect(a.__typename).toBe('ValidationFailed')
    }
    expect((await answer(t, w.officerB, V.createActivity, activityInput(w.a.id))).__typename).toBe('Forbidden')
    expect(await t.prisma.volunteerActivity.count()).toBe(before)
  })
})
