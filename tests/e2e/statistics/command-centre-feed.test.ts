// commandCentreUpdated: the view is pushed at once, again within a second of a dispatch, at most once
// per FIGURES_INTERVAL_MS under a burst of 100 dispatches (the last push showing all of them), never
// for another region's cases; officers of the region only.
import { beforeAll, describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId, twoCommunities, userWithRole } from '../../helpers/fixtures.js'
import { dispatchDesk } from '../../factories/orders.js'
import { collect, graphql, type Received, type ResultOf, wsClient } from '../../helpers/graphql.js'

const INTERVAL_MS = 1_000

const it = appTest({ BACKGROUND_JOBS: 'false', FIGURES_INTERVAL_MS: String(INTERVAL_MS) })

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const CENTRE = graphql(`subscription($regionId: ID) { commandCentreUpdated(regionId: $regionId) {
  asOf region { id } totals { openOrders unsignedOrders openCases } } }`)

type Push = Received<ResultOf<typeof CENTRE>>
const unsigned = (p: Push) => p.data!.commandCentreUpdated.totals.unsignedOrders

let communityA: { id: string }
let communityB: { id: string }
let street: { id: string }
let tokens: Record<'street' | 'officerA' | 'officerB' | 'resident', string>

beforeAll(async () => {
  const { a, b, officerA, officerB } = await twoCommunities(t.prisma)
  communityA = a
  communityB = b
  street = await t.prisma.region.findUniqueOrThrow({ where: { id: a.parentId! } })
  const officer = await userWithRole(t.prisma, 'STREET_OFFICER', { regionIds: { has: street.id } })
  tokens = {
    street: await t.tokenFor(officer.username),
    officerA: await t.tokenFor(officerA.username),
    officerB: await t.tokenFor(officerB.username),
    resident: await t.tokenFor('resident.1'),
  }
})

/** Subscribes as `token` to a region and waits for the first push (the current figures). */
async function watch(token: string, regionId: string) {
  const client = wsClient(t.wsUrl, token)
  const feed = collect(client, CENTRE, { regionId: globalId('Region', regionId) })
  await feed.next(1)
  return { client, feed, items: feed.items }
}

/** The grid of a community, for its desk. */
const gridOf = async (communityId: string) =>
  (await t.prisma.grid.findFirstOrThrow({ where: { communityId }, orderBy: { code: 'asc' } })).code

describe('commandCentreUpdated', () => {
  it('should push the view at once, and again within a second of a dispatch, with the new order counted', async () => {
    const desk = await dispatchDesk(t, { gridCode: await gridOf(communityA.id) })
    const accepted = await desk.accepted()
    const w = await watch(tokens.street, street.id)
    const before = unsigned(w.items[0]!)
    // the scenario's premise, not a synchronisation: a quiet interval since the last push (a push
    // right after another waits out the interval, which the burst test below holds)
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS))
    const sent = Date.now()
    await desk.dispatch(accepted)
    // the push that shows the order (a push for the accepted case may come first)
    for (let n = 2; unsigned(w.items.at(-1)!) !== before + 1; n++) await w.feed.next(n)
    expect(w.items.at(-1)!.receivedAt - sent).toBeLessThan(1_000)
    await w.client.dispose()
  })

  it('should push at most once per interval under a burst of 100 dispatches, the last push showing all of them', async () => {
    const desk = await dispatchDesk(t, { gridCode: await gridOf(communityA.id) })
    const accepted = await desk.acceptedMany(100)
    const w = await watch(tokens.officerA, communityA.id)
    const before = unsigned(w.items[0]!)
    await Promise.all(accepted.map((c) => desk.dispatch(c)))
    for (let n = 2; unsigned(w.items.at(-1)!) !== before + 100; n++) await w.feed.next(n)
    const pushes = w.items.slice(1)
    const gaps = pushes.slice(1).map((p, i) => p.receivedAt - pushes[i]!.receivedAt)
    // the server spaces its rounds by the interval; delivery adds a few milliseconds of jitter
    for (const gap of gaps) expect(gap).toBeGreaterThan(INTERVAL_MS - 100)
    expect(pushes.length).toBeLessThan(100)
    await w.client.dispose()
  })

  it("should not push for another region's cases", async () => {
    const a = await watch(tokens.officerA, communityA.id)
    const b = await watch(tokens.officerB, communityB.id)
    const deskA = await dispatchDesk(t, { gridCode: await gridOf(communityA.id) })
    const deskB = await dispatchDesk(t, { gridCode: await gridOf(communityB.id) })
    const beforeB = unsigned(b.items[0]!)
    await deskB.dispatched()
    for (let n = 2; unsigned(b.items.at(-1)!) !== beforeB + 1; n++) await b.feed.next(n)
    // now a change in A: on A's socket every push after the initial one shows it (a push for B's
    // order would have come first, with A's figures unchanged)
    const openA = (p: Push) => p.data!.commandCentreUpdated.totals.openCases
    const beforeA = openA(a.items[0]!)
    await deskA.dispatched()
    for (let n = 2; unsigned(a.items.at(-1)!) !== unsigned(a.items[0]!) + 1; n++) await a.feed.next(n)
    expect(a.items.slice(1).map(openA)).toEqual(a.items.slice(1).map(() => beforeA + 1))
    await Promise.all([a.client.dispose(), b.client.dispose()])
  })

  it('should refuse residents and officers of another region', async () => {
    for (const [token, regionId] of [
      [tokens.resident, communityA.id],
      [tokens.officerB, communityA.id],
    ] as const) {
      const client = wsClient(t.wsUrl, token)
      const feed = collect(client, CENTRE, { regionId: globalId('Region', regionId) })
      const [first] = await feed.next(1)
      expect((first!.errors?.[0] as { extensions?: { code?: string } })?.extensions?.code).toBe('auth/forbidden')
      await client.dispose()
    }
  })
})
