// The demo cases seeded with the demo data (src/seed/cases.ts), read back through the API as an
// admin: every case and order state is there, with the timelines the services wrote.
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { seedDemoCases } from '../../../src/seed/cases.js'
import { client, graphql } from '../../helpers/graphql.js'

let t: TestApp
let admin: ReturnType<typeof client>

interface DemoCase {
  id: string
  title: string
  status: string
  source: string
  escalationLevel: number
  region: { name: string }
  handlingRegion: { level: string }
  feedbacks: { satisfaction: number }[]
  approvals: { kind: string; status: string }[]
  orders: { status: string; department: { code: string } | null; assignee: { username: string } | null }[]
  timeline: {
    action: string
    toStatus: string | null
    actor: { username: string } | null
    order: { id: string } | null
  }[]
}

interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
  edges: { node: T }[]
}

// pages of 20 keep the nested selection under the query cost limit
const CASES = graphql(`query($after: String) { cases(first: 20, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node {
    id title status source escalationLevel region { name } handlingRegion { level }
    feedbacks { satisfaction } approvals { kind status }
    orders { status department { code } assignee { username } }
    timeline { action toStatus actor { username } order { id } }
  } }
} }`)

async function allCases(): Promise<DemoCase[]> {
  const out: DemoCase[] = []
  let after: string | null = null
  for (;;) {
    const { cases }: { cases: Page<DemoCase> } = await admin.must(CASES, { after })
    out.push(...cases.edges.map((e) => e.node))
    if (!cases.pageInfo.hasNextPage) return out
    after = cases.pageInfo.endCursor
  }
}

async function enumValues(name: string): Promise<string[]> {
  const { __type } = await admin.must(
    graphql(`query($name: String!) { __type(name: $name) { enumValues { name } } }`),
    { name },
  )
  return (__type as { enumValues: { name: string }[] }).enumValues.map((v) => v.name)
}

let cases: DemoCase[]
it.beforeAll(async ({ app }) => {
  t = app
  admin = client(t.url, await t.tokenFor('admin'))
  cases = await allCases()
})

describe('the demo cases', () => {
  it('should have cases in every case status, from every community and intake channel', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(30)
    const statuses = new Set(cases.map((c) => c.status))
    for (const s of await enumValues('CaseStatus')) expect(statuses, `a case in ${s}`).toContain(s)
    expect(new Set(cases.map((c) => c.region.name))).toEqual(new Set(['东门社区', '南桥社区', '西街社区']))
    expect(new Set(cases.map((c) => c.source))).toEqual(new Set(['PATROL', 'RESIDENT', 'HOTLINE', 'ONLINE']))
    for (const c of cases) expect(c.title).toMatch(/\p{Script=Han}/u)
  })

  it('should have dispatch orders in every status the services reach', async () => {
    const seen = new Set<string>()
    let after: string | null = null
    for (;;) {
      const { dispatchOrders }: { dispatchOrders: Page<{ status: string }> } = await admin.must(
        graphql(
          `query($after: String) { dispatchOrders(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { status } } } }`,
        ),
        { after },
      )
      for (const e of dispatchOrders.edges) seen.add(e.node.status)
      if (!dispatchOrders.pageInfo.hasNextPage) break
      after = dispatchOrders.pageInfo.endCursor
    }
    for (const s of ['CREATED', 'SIGNED', 'ON_SITE', 'COMPLETED', 'RETURNED', 'TRANSFERRED'])
      expect(seen, `an order in ${s}`).toContain(s)
    // 吹哨: one case convenes several departments and a grid worker at once
    expect(
      cases.some((c) => c.orders.filter((o) => o.department).length >= 3 && c.orders.some((o) => o.assignee)),
    ).toBe(true)
  })

  it('should start every timeline with REPORT and give every event an actor unless the system did it', async () => {
    for (const c of cases) {
      expect(c.timeline[0], c.title).toMatchObject({ action: 'REPORT', toStatus: 'REPORTED' })
      for (const e of c.timeline) {
        if (!e.actor) expect(e.action, `${c.title}: ${e.action}`).toMatch(/^(RESOLVE|SUPERVISE_L\d+)$/)
      }
      // the case's own steps (not its orders') end in the state it is in
      expect(c.timeline.filter((e) => !e.order).at(-1)?.toStatus, c.title).toBe(c.status)
    }
  })

  it('should carry ratings, an escalation to the street and logged suspension and extension decisions', async () => {
    const ratings = cases.flatMap((c) => c.feedbacks.map((f) => f.satisfaction))
    expect(ratings.length).toBeGreaterThanOrEqual(5)
    expect(ratings.some((r) => r >= 3) && ratings.some((r) => r < 3)).toBe(true)
    expect(cases.filter((c) => c.status === 'REOPENED').every((c) => c.feedbacks.at(-1)!.satisfaction < 3)).toBe(true)

    const escalated = cases.filter((c) => c.escalationLevel > 0)
    expect(escalated.length).toBeGreaterThanOrEqual(1)
    for (const c of escalated) {
      expect(c.handlingRegion.level).toBe('STREET')
      expect(c.timeline.map((e) => e.action)).toContain('ESCALATE')
    }

    const approvals = cases.flatMap((c) => c.approvals.map((a) => `${a.kind}:${a.status}`))
    expect(approvals).toEqual(
      expect.arrayContaining(['EXTEND:APPROVED', 'EXTEND:REJECTED', 'EXTEND:PENDING', 'SUSPEND:APPROVED']),
    )
    for (const c of cases.filter((x) => x.status === 'SUSPENDED'))
      expect(c.approvals).toContainEqual({ kind: 'SUSPEND', status: 'APPROVED' })
    const extended = cases.find((c) => c.approvals.some((a) => a.kind === 'EXTEND' && a.status === 'APPROVED'))!
    // one request rejected, one approved: both asked and both decided on the timeline
    expect(extended.timeline.filter((e) => e.action === 'REQUEST_EXTEND')).toHaveLength(2)
    expect(extended.timeline.filter((e) => e.action === 'EXTEND' || e.action === 'DECIDE_EXTEND')).toHaveLength(2)
  })

  it('should show a department only the seeded orders addressed to it', async () => {
    const hw = client(t.url, await t.tokenFor('dept.CGHW'))
    const { dispatchOrders } = await hw.must(
      graphql(`{ dispatchOrders(first: 100) { edges { node { status department { code } } } } }`),
    )
    expect(dispatchOrders.edges.length).toBeGreaterThan(0)
    for (const e of dispatchOrders.edges) expect(e.node.department?.code).toBe('CGHW')
  })

  it('should leave a street that already has cases alone when seeding again', async () => {
    expect(await seedDemoCases(t.prisma)).toEqual({ cases: 0, orders: 0 })
    expect(await t.prisma.case.count()).toBe(cases.length)
  })
})
