// The actor of a timeline step (VolunteerEvent.actor) and of a ledger entry (PointsEntry.actor) is
// read for all the rows of a level together: one statement per selection and request, however
// many rows (and however many different actors) the list holds. (Prisma itself merges same-tick
// findUnique calls whose `where` is the bare id, which the User read rule gives a signed-in viewer
// today; the loader does not rely on it: a rule ANDed into the `where` would make that one
// statement per row.)
import { randomUUID } from 'node:crypto'
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { activityInput, people, rowId, V, volunteerWorld } from '../../factories/volunteer.js'
import { client, type Document, graphql, must, ofType, type ResultOf, type VarsOf } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

/** Statements of one request, once warm (the viewer's per-request lookups are the same either way). */
async function statements<D extends Document>(token: string, query: D, variables: VarsOf<D>) {
  const c = client(t.url, token)
  const data = await c.must(query, variables)
  const { count } = await t.countStatements(() => c.must(query, variables))
  return { count, data }
}

describe('actors of a list are read together', () => {
  // two selections of the actor in one request: a loader each, still not one read per row
  const TIMELINE = graphql(`query($id: ID!) { node(id: $id) { ... on VolunteerActivity {
    timeline { id action actor { id displayName } who: actor { id username roles } } } } }`)

  it('should read a timeline of 20 steps by 20 different actors in as many statements as a timeline of 1', async () => {
    const w = await volunteerWorld(t)
    // drafts: the only step is the organizer's CREATE
    const one = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { publish: false }))
    const twenty = await must(t, w.officerA, V.createActivity, activityInput(w.a.id, { publish: false }))
    const actors = await people(t, 19)
    const base = Date.now()
    await t.prisma.volunteerEvent.createMany({
      data: actors.map((p, i) => ({
        entity: 'VolunteerActivity',
        entityId: rowId(twenty.id),
        activityId: rowId(twenty.id),
        actorId: p.id,
        action: 'UPDATE',
        note: `step ${i}`,
        createdAt: new Date(base + 1000 * (i + 1)),
      })),
    })

    const small = await statements(w.officerA, TIMELINE, { id: one.id })
    const large = await statements(w.officerA, TIMELINE, { id: twenty.id })
    const smallTimeline = ofType(small.data.node, 'VolunteerActivity').timeline
    const largeTimeline = ofType(large.data.node, 'VolunteerActivity').timeline
    expect(smallTimeline).toHaveLength(1)
    expect(largeTimeline).toHaveLength(20)
    const ids = largeTimeline.map((e) => e.actor?.id)
    expect(ids).toEqual([globalId('User', w.officerAId), ...actors.map((p) => globalId('User', p.id))])
    expect(largeTimeline.map((e) => e.who?.id)).toEqual(ids)
    expect(largeTimeline.every((e) => e.actor?.displayName && e.who?.roles.length)).toBe(true)

    expect(small.count).toBeGreaterThan(0)
    expect(large.count).toBe(small.count)
  })

  it('should read 20 ledger entries by 20 different actors in as many statements as 1', async () => {
    const [owner] = await people(t, 1)
    const actors = await people(t, 20)
    const account = await t.prisma.pointsAccount.create({ data: { userId: owner!.id, balance: 20 } })
    const base = Date.now()
    await t.prisma.pointsEntry.createMany({
      data: actors.map((p, i) => ({
        accountId: account.id,
        kind: 'ADJUSTMENT' as const,
        points: 1,
        balanceAfter: i + 1,
        reason: `测试调整 ${i}`,
        actorId: p.id,
        idempotencyKey: randomUUID(),
        createdAt: new Date(base + 1000 * i),
      })),
    })
    const ENTRIES = graphql(
      `query($n: Int!) { myPoints { balance entries(first: $n) { edges { node { points actor { id displayName } } } } } }`,
    )

    const small = await statements(owner!.token, ENTRIES, { n: 1 })
    const large = await statements(owner!.token, ENTRIES, { n: 20 })
    const actorIds = (d: ResultOf<typeof ENTRIES>) => d.myPoints.entries.edges.map((e) => e.node.actor?.id)
    expect(actorIds(small.data)).toEqual([globalId('User', actors[19]!.id)])
    expect(actorIds(large.data)).toEqual(actors.map((p) => globalId('User', p.id)).reverse())

    expect(small.count).toBeGreaterThan(0)
    expect(large.count).toBe(small.count)
  })
})
