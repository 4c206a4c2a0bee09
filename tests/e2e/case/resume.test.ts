import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import {
  cursorSeq,
  dispatchDesk,
  FEED,
  feedOrderIds,
  feedThrough,
  ordersAfter,
  securityDesk,
  type FeedItem,
} from '../../factories/orders.js'
import { collect, wsClient } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

const cursors = (items: FeedItem[]) => items.map((i) => cursorSeq(i.data!.dispatchOrderCreated.cursor))
const strictlyIncreasing = (xs: bigint[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!)

describe('resuming the dispatch feed (dispatchOrderCreated with after)', () => {
  it('should deliver exactly the 100 orders created while the subscriber was away, in order, then live ones, with no duplicate', async () => {
    const desk = await securityDesk(t, 'CG-DM-01')
    const audience = `department:${desk.department.id}` as const

    const ws1 = wsClient(t.wsUrl, desk.departmentToken)
    const before = collect<FeedItem['data']>(ws1, FEED)
    await t.app.feeds.dispatch.whenAttached(audience)
    const seen = desk.orderOf(await desk.dispatched('断线前的最后一单'))
    const [lastSeen] = (await before.next(1)) as FeedItem[]
    expect(lastSeen!.data!.dispatchOrderCreated.order.id).toBe(seen.id)
    const cursor = lastSeen!.data!.dispatchOrderCreated.cursor
    before.dispose()
    await ws1.dispose()

    await desk.dispatchedMany(100)
    const missed = await ordersAfter(t, desk.department.id, cursor)
    expect(missed).toHaveLength(100)

    const ws2 = wsClient(t.wsUrl, desk.departmentToken)
    const resumed = collect<FeedItem['data']>(ws2, FEED, { after: cursor })
    const backlog = (await resumed.next(100)) as FeedItem[]
    expect(feedOrderIds(backlog.slice(0, 100))).toEqual(missed)
    expect(strictlyIncreasing([cursorSeq(cursor), ...cursors(backlog.slice(0, 100))])).toBe(true)

    // Then live: each new order arrives after the backlog, once.
    const live1 = desk.orderOf(await desk.dispatched('重连后的实时派单1'))
    await resumed.next(101)
    const live2 = desk.orderOf(await desk.dispatched('重连后的实时派单2'))
    const all = (await resumed.next(102)) as FeedItem[]
    expect(all).toHaveLength(102)
    expect(feedOrderIds(all)).toEqual([...missed, live1.id, live2.id])
    expect(strictlyIncreasing(cursors(all))).toBe(true)

    resumed.dispose()
    await ws2.dispose()
  }, 90_000) // building 100 orders through the API takes ~8 s on an idle machine, several times that on a loaded one

  it('should give clients resuming during 40 concurrent dispatches every order after their cursor exactly once, in sequence order', async () => {
    const desk = await dispatchDesk(t, { gridCode: 'CG-DM-02', departmentCode: 'CGSF' })
    const audience = `department:${desk.department.id}` as const
    // Two rounds: the race is timing-dependent, and a second storm doubles the chances of
    // catching a feed that skips a late commit.
    for (const round of [1, 2]) {
      const earlier = (await desk.dispatchedMany(4)).map((c) => desk.orderOf(c))
      const earlierCursors = await Promise.all(earlier.map((o) => desk.cursorOf(o.id)))
      earlierCursors.sort((a, b) => (cursorSeq(a) < cursorSeq(b) ? -1 : 1))
      const [oldest, newest] = [earlierCursors[0]!, earlierCursors[3]!]
      const pending = await desk.acceptedMany(40)
      const sockets = [0, 1, 2].map(() => wsClient(t.wsUrl, desk.departmentToken))
      const resume = (i: number, after: string) => collect<FeedItem['data']>(sockets[i]!, FEED, { after })

      // Client A resumes with a backlog of 3 and client B with none while the first 20 dispatches
      // are in flight; the next 10 start the moment both are subscribed; client C resumes from the
      // oldest cursor amid the last 10, its backlog growing as it reads.
      const racing = pending.slice(0, 20).map((c) => desk.dispatch(c))
      const feeds = [resume(0, oldest), resume(1, newest)]
      for (const _ of feeds) await t.app.feeds.dispatch.whenAttached(audience)
      racing.push(...pending.slice(20, 30).map((c) => desk.dispatch(c)))
      feeds.push(resume(2, oldest))
      racing.push(...pending.slice(30).map((c) => desk.dispatch(c)))
      await Promise.all(racing)

      // Barrier: the newest order; once a client has it, it must have had everything before it, once.
      const barrier = desk.orderOf(await desk.dispatched(`竞态之后的栅栏单 ${round}`))
      const froms = [oldest, newest, oldest]
      const expected = await Promise.all(froms.map((after) => ordersAfter(t, desk.department.id, after)))
      expect(expected.map((e) => e.length)).toEqual([44, 41, 44])
      for (const [i, feed] of feeds.entries()) {
        const items = await feedThrough(feed, barrier.id)
        expect(feedOrderIds(items), `round ${round}, client ${'ABC'[i]}`).toEqual(expected[i])
        expect(strictlyIncreasing([cursorSeq(froms[i]!), ...cursors(items)])).toBe(true)
      }

      for (const f of feeds) f.dispose()
      await Promise.all(sockets.map((s) => s.dispose()))
    }
  }, 60_000)
})
