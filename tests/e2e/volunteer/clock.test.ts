// The activity clock: activities start at their start time and are finished when the organizer left
// them open long after their end, once, whatever the number of instances running the job.
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import { AUTO_FINISH_AFTER_MS } from '../../../src/modules/volunteer/transitions.js'
import { activityInput, people, rowId, V } from '../../factories/volunteer.js'
import { deferred, must } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

describe('the activity clock', () => {
  it('should start a published activity at its start, finish one left open after its end with no-shows, once under concurrent runs', async ({
    volunteerWorld: w,
  }) => {
    const activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { startsInH: 2, hours: 3 }))
    const [came, stayedAway] = await people(t, 2)
    const kept = await must(t, came!.token, V.signUp, { activityId: activity.id })
    const missed = await must(t, stayedAway!.token, V.signUp, { activityId: activity.id })
    const id = rowId(activity.id)
    const startsAt = new Date(activity.startsAt).getTime()
    const endsAt = new Date(activity.endsAt).getTime()
    const statusOf = async () => (await t.prisma.volunteerActivity.findUniqueOrThrow({ where: { id } })).status

    await t.app.jobs.advanceActivities(new Date(startsAt - 1000))
    expect(await statusOf()).toBe('PUBLISHED')
    const starts = await Promise.all([1, 2, 3].map(() => t.app.jobs.advanceActivities(new Date(startsAt + 1000))))
    expect(await statusOf()).toBe('ONGOING')
    expect(starts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1)

    const checkedIn = await must(t, w.officerA, V.checkIn, { id: kept.id, version: kept.version })
    await t.app.jobs.advanceActivities(new Date(endsAt + AUTO_FINISH_AFTER_MS - 1000))
    expect(await statusOf()).toBe('ONGOING')
    await Promise.all([1, 2, 3].map(() => t.app.jobs.advanceActivities(new Date(endsAt + AUTO_FINISH_AFTER_MS + 1000))))
    expect(await statusOf()).toBe('FINISHED')

    const events = await t.prisma.volunteerEvent.findMany({
      where: { entity: 'VolunteerActivity', entityId: id },
      orderBy: { createdAt: 'asc' },
    })
    // exactly one START and one FINISH, both by the clock (no actor), however many runs raced
    expect(
      events
        .filter((e) => e.action === 'START' || e.action === 'FINISH')
        .map((e) => [e.action, e.fromStatus, e.toStatus, e.actorId]),
    ).toEqual([
      ['START', 'PUBLISHED', 'ONGOING', null],
      ['FINISH', 'ONGOING', 'FINISHED', null],
    ])
    const signups = await t.prisma.activitySignup.findMany({ where: { activityId: id }, orderBy: { createdAt: 'asc' } })
    expect(signups.map((s) => [s.id, s.status])).toEqual([
      [rowId(kept.id), 'CHECKED_IN'],
      [rowId(missed.id), 'NO_SHOW'],
    ])
    expect(
      await t.prisma.volunteerEvent.count({
        where: { entity: 'ActivitySignup', entityId: rowId(missed.id), action: 'NO_SHOW' },
      }),
    ).toBe(1)
    // the volunteer who came is still completed by the organizer after the clock finished the activity
    const done = await must(t, w.officerA, V.complete, {
      id: checkedIn.id,
      version: checkedIn.version,
      hours: 3,
      idempotencyKey: `clock-${kept.id}`,
    })
    expect(done).toMatchObject({ status: 'COMPLETED', hours: 3, points: 30 })
  })
})

describe('the background jobs of a first start', () => {
  it('should not move an activity before the demo workflows have loaded, and move it once they have', async ({
    volunteerWorld: w,
  }) => {
    const activity = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { startsInH: 2, hours: 3 }))
    const id = rowId(activity.id)
    // as the seed leaves an activity between two of its steps: published, its start already past
    await t.prisma.volunteerActivity.update({ where: { id }, data: { startsAt: new Date(Date.now() - 60_000) } })
    const statusOf = async () => (await t.prisma.volunteerActivity.findUniqueOrThrow({ where: { id } })).status
    const workflows = deferred<void>()
    const second = await startTestApp(
      { ACTIVITY_CLOCK_MS: '100', BACKGROUND_JOBS: 'true' },
      { databaseUrl: t.databaseUrl, jobsAfter: workflows.promise },
    )
    try {
      // A wait, not an event: this proves the clock did NOT tick, and nothing signals a tick that never
      // happens. Ten periods of the clock: it would have ticked at once had it started with the server.
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      expect(await statusOf()).toBe('PUBLISHED')
      workflows.resolve()
      await expect.poll(statusOf, { timeout: 10_000 }).toBe('ONGOING')
    } finally {
      await second.stop()
    }
  })
})
