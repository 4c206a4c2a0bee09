import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { client, graphql } from '../../helpers/graphql.js'

let t: TestApp
it.beforeAll(async ({ app }) => {
  t = app
})

describe('volunteer demo data', () => {
  it('should hold teams with members, at least 50 activities and every state of activities, signups, redemptions and wishes', async () => {
    const p = t.prisma
    expect(await p.volunteerTeam.count({ where: { members: { some: { activeSlot: true } } } })).toBeGreaterThanOrEqual(
      6,
    )
    expect(await p.volunteerActivity.count()).toBeGreaterThanOrEqual(50)
    const states = async (rows: Promise<{ status: string }[]>) => new Set((await rows).map((r) => r.status))
    expect(await states(p.volunteerActivity.findMany({ select: { status: true }, distinct: ['status'] }))).toEqual(
      new Set(['DRAFT', 'PUBLISHED', 'ONGOING', 'FINISHED', 'CANCELLED']),
    )
    expect(await states(p.activitySignup.findMany({ select: { status: true }, distinct: ['status'] }))).toEqual(
      new Set(['SIGNED_UP', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW', 'CANCELLED']),
    )
    expect(await states(p.redemption.findMany({ select: { status: true }, distinct: ['status'] }))).toEqual(
      new Set(['PENDING', 'FULFILLED', 'CANCELLED']),
    )
    expect(await states(p.microWish.findMany({ select: { status: true }, distinct: ['status'] }))).toEqual(
      new Set(['OPEN', 'CLAIMED', 'FULFILLED', 'CONFIRMED', 'CANCELLED']),
    )
    expect(await p.rewardItem.count()).toBeGreaterThanOrEqual(6)
  })

  it('should keep every balance equal to the sum of its entries, every balanceAfter the running sum, and taken equal to the places held', async () => {
    const accounts = await t.prisma.pointsAccount.findMany({
      include: { entries: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
    })
    expect(accounts.length).toBeGreaterThan(5)
    for (const a of accounts) {
      let running = 0
      for (const e of a.entries) {
        running += e.points
        expect(e.balanceAfter).toBe(running)
      }
      expect(a.balance).toBe(running)
    }
    const activities = await t.prisma.volunteerActivity.findMany({ include: { signups: { select: { status: true } } } })
    for (const a of activities) expect(a.taken).toBe(a.signups.filter((s) => s.status !== 'CANCELLED').length)
    // every completed signup is credited once, and so is every confirmed wish
    const completed = await t.prisma.activitySignup.findMany({
      where: { status: 'COMPLETED' },
      select: { id: true, points: true },
    })
    const service = await t.prisma.pointsEntry.findMany({
      where: { kind: 'SERVICE', sourceType: 'ActivitySignup' },
      select: { sourceId: true, points: true },
    })
    expect(new Map(service.map((e) => [e.sourceId, e.points]))).toEqual(new Map(completed.map((s) => [s.id, s.points])))
  })

  it("should credit the linked party members' completed signups to their yearly records", async () => {
    const linked = await t.prisma.activitySignup.findMany({
      where: { status: 'COMPLETED', user: { partyMember: { isNot: null } } },
      select: { id: true, hours: true, user: { select: { partyMember: { select: { id: true } } } } },
    })
    expect(linked.length).toBeGreaterThan(0)
    const records = await t.prisma.serviceRecord.findMany({
      where: { kind: 'ACTIVITY_HOURS', sourceId: { in: linked.map((s) => s.id) } },
    })
    expect(new Map(records.map((r) => [r.sourceId, [r.memberId, r.hours]]))).toEqual(
      new Map(linked.map((s) => [s.id, [s.user.partyMember!.id, s.hours]])),
    )
  })

  it('should serve hours statistics to officers within their region and a masked leaderboard to residents', async () => {
    const officer = await t.prisma.user.findFirstOrThrow({ where: { username: 'community.officer.1' } })
    const token = await t.tokenFor(officer.username)
    const q = graphql(
      `query($d: VolunteerHoursDimension!) { volunteerHours(dimension: $d, first: 100) { key hours points services people community { id } user { id } } }`,
    )
    const byCommunity = (await client(t.url, token).must(q, { d: 'COMMUNITY' })).volunteerHours
    expect(byCommunity.map((r) => r.community?.id)).toEqual([globalId('Region', officer.regionIds[0]!)])
    const byPerson = (await client(t.url, token).must(q, { d: 'PERSON' })).volunteerHours
    const sum = (rows: { hours: number; points: number }[], k: 'hours' | 'points') => rows.reduce((s, r) => s + r[k], 0)
    expect(sum(byPerson, 'hours')).toBeCloseTo(byCommunity[0]!.hours, 6)
    expect(sum(byPerson, 'points')).toBe(byCommunity[0]!.points)
    const byMonth = (await client(t.url, token).must(q, { d: 'MONTH' })).volunteerHours
    expect(sum(byMonth, 'points')).toBe(byCommunity[0]!.points)
    for (const r of byMonth) expect(r.key).toMatch(/^\d{4}-\d{2}$/)

    const resident = await t.tokenFor('resident.1')
    const denied = await client(t.url, resident).query(q, { d: 'PERSON' })
    expect(denied.errors?.[0]?.extensions?.code).toBe('auth/forbidden')
    const board = (
      await client(t.url, resident).must(
        graphql(`{ volunteerLeaderboard(by: POINTS, first: 5) { rank displayName isYou points hours } }`),
      )
    ).volunteerLeaderboard
    expect(board.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5])
    for (let i = 1; i < board.length; i++) expect(board[i - 1]!.points).toBeGreaterThanOrEqual(board[i]!.points)
    for (const r of board.filter((x) => !x.isYou)) expect(r.displayName).toMatch(/^.\*+$/)
  })
})
