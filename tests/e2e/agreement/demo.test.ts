// The demo joint construction seeded with the demo data (src/seed/agreements.ts), read back through
// the API as an admin: every state of agreements, needs, resources, claims and projects is there.
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { seedAgreements } from '../../../src/seed/agreements.js'
import { client, graphql } from '../../helpers/graphql.js'

let t: TestApp
let admin: ReturnType<typeof client>
it.beforeAll(async ({ app }) => {
  t = app
  admin = client(t.url, await t.tokenFor('admin'))
})

const statuses = (edges: { node: { status: string } }[]) => new Set(edges.map((e) => e.node.status))

describe('the demo joint construction', () => {
  it('should have at least 15 agreements in every state, with items of every kind, progress, timelines and reviews', async () => {
    const list: any[] = []
    for (let after: string | null = null; ; ) {
      const { jointAgreements }: any = await admin.must(
        graphql(`query($after: String) { jointAgreements(first: 10, after: $after) { pageInfo { hasNextPage endCursor } edges { node { status title
        parties { unit { name } } items { kind progress entries { progress } } timeline { action toStatus actor { username } } reviews { score unitReport } } } } }`),
        { after },
      )
      list.push(...jointAgreements.edges.map((e: { node: any }) => e.node))
      if (!jointAgreements.pageInfo.hasNextPage) break
      after = jointAgreements.pageInfo.endCursor
    }
    const jointAgreements = { edges: list.map((node) => ({ node })) }
    expect(list.length).toBeGreaterThanOrEqual(15)
    expect(statuses(jointAgreements.edges)).toEqual(new Set(['DRAFT', 'SIGNED', 'ACTIVE', 'EXPIRED', 'TERMINATED']))
    expect(new Set(list.flatMap((a: any) => a.items.map((i: any) => i.kind)))).toEqual(
      new Set(['LINKED_ASSISTANCE', 'CROSS_APPOINTMENT', 'SECONDMENT', 'TALENT_PAIRING', 'RESOURCE_SHARING']),
    )
    for (const a of list) {
      expect(a.parties.length, a.title).toBeGreaterThanOrEqual(1)
      expect(a.timeline[0], a.title).toMatchObject({ action: 'CREATE', toStatus: 'DRAFT' })
      expect(a.timeline.filter((e: any) => e.toStatus && e.action !== 'PROGRESS').at(-1).toStatus, a.title).toBe(
        a.status,
      )
      if (a.status === 'EXPIRED') expect(a.timeline.find((e: any) => e.action === 'EXPIRE').actor).toBeNull()
    }
    expect(
      list.some((a: any) => a.status === 'ACTIVE' && a.items.some((i: any) => i.entries.length > 0 && i.progress > 0)),
    ).toBe(true)
    expect(
      list.flatMap((a: any) => a.reviews).filter((r: any) => r.score !== null && r.unitReport).length,
    ).toBeGreaterThan(0)
  })

  it('should have needs, resources and claims in every state, and projects in progress with milestones', async () => {
    const { needs, resources } = await admin.must(
      graphql(
        `{ needs(first: 100) { edges { node { status } } } resources(first: 100) { edges { node { status } } } }`,
      ),
    )
    const { needClaims, resourceClaims } = await admin.must(
      graphql(
        `{ needClaims(first: 100) { edges { node { status } } } resourceClaims(first: 100) { edges { node { status } } } }`,
      ),
    )
    const { projects } = await admin.must(
      graphql(`{ projects(first: 30) { edges { node { status progress milestones { doneAt } need { status } } } } }`),
    )
    expect(needs.edges.length).toBeGreaterThanOrEqual(20)
    expect(resources.edges.length).toBeGreaterThanOrEqual(15)
    expect(projects.edges.length).toBeGreaterThanOrEqual(6)
    expect(statuses(needs.edges)).toEqual(new Set(['OPEN', 'CLAIMED', 'IN_PROGRESS', 'DONE', 'WITHDRAWN']))
    expect(statuses(resources.edges)).toEqual(new Set(['AVAILABLE', 'CLAIMED', 'IN_USE', 'WITHDRAWN']))
    for (const c of [needClaims, resourceClaims])
      expect(statuses(c.edges)).toEqual(new Set(['PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN']))
    expect(statuses(projects.edges)).toEqual(new Set(['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED']))
    const running = projects.edges.map((e: any) => e.node).filter((p: any) => p.status === 'IN_PROGRESS')
    expect(running.length).toBeGreaterThanOrEqual(2)
    for (const p of running) {
      expect(p.progress).toBeGreaterThan(0)
      expect(p.progress).toBeLessThan(100)
      expect(p.milestones.some((m: any) => m.doneAt) && p.milestones.some((m: any) => !m.doneAt)).toBe(true)
      expect(p.need.status).toBe('IN_PROGRESS')
    }
    for (const p of projects.edges.map((e: any) => e.node).filter((x: any) => x.status === 'COMPLETED'))
      expect(p).toMatchObject({ progress: 100, need: { status: 'DONE' } })
    // one approved claim per need at most
    expect(
      await t.prisma.needClaim.groupBy({
        by: ['needId'],
        where: { status: 'APPROVED' },
        having: { needId: { _count: { gt: 1 } } },
      }),
    ).toEqual([])
  })

  it('should leave a street that already has agreements alone when seeding again', async () => {
    const before = await t.prisma.jointAgreement.count()
    expect(await seedAgreements(t.prisma)).toMatchObject({ agreements: 0, needs: 0 })
    expect(await t.prisma.jointAgreement.count()).toBe(before)
  })
})
