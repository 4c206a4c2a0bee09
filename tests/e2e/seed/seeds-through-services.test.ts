// The demo seeds drive the services as seeded users; the rows they leave must be the rows the
// services produce: one version per step after the first, one timeline event per step, balances
// that are the sum of their ledgers, places taken that are the places held.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../helpers/app.js'
import { createPrisma, type PrismaClient } from '../../../src/db.js'

let prisma: PrismaClient
beforeAll(async () => {
  prisma = createPrisma(await createTestDatabase())
})
afterAll(async () => {
  await prisma?.$disconnect()
})

/** Timeline events per row of one volunteer entity. */
async function volunteerEvents(entity: string) {
  const rows = await prisma.volunteerEvent.groupBy({ by: ['entityId'], where: { entity }, _count: { _all: true } })
  return new Map(rows.map((r) => [r.entityId, r._count._all]))
}

describe('volunteer seed', () => {
  it('should leave every signup, wish and redemption at the version of its timeline', async () => {
    for (const [entity, rows] of [
      ['ActivitySignup', await prisma.activitySignup.findMany({ select: { id: true, version: true } })],
      ['MicroWish', await prisma.microWish.findMany({ select: { id: true, version: true } })],
      ['Redemption', await prisma.redemption.findMany({ select: { id: true, version: true } })],
    ] as const) {
      expect(rows.length, entity).toBeGreaterThan(0)
      const events = await volunteerEvents(entity)
      for (const r of rows) expect(r.version, `${entity} ${r.id}`).toBe((events.get(r.id) ?? 0) - 1)
    }
  })

  it('should count one version per activity step after its creation and publication', async () => {
    const activities = await prisma.volunteerActivity.findMany({ select: { id: true, version: true } })
    const steps = await prisma.volunteerEvent.groupBy({
      by: ['entityId'],
      where: { entity: 'VolunteerActivity', action: { notIn: ['CREATE', 'PUBLISH'] } },
      _count: { _all: true },
    })
    const byId = new Map(steps.map((s) => [s.entityId, s._count._all]))
    expect(activities.length).toBeGreaterThan(0)
    for (const a of activities) expect(a.version, a.id).toBe(byId.get(a.id) ?? 0)
  })

  it('should keep every balance the sum of its entries, each entry from a credited step, and every stock what was not redeemed', async () => {
    const accounts = await prisma.pointsAccount.findMany({ include: { entries: true } })
    expect(accounts.length).toBeGreaterThan(5)
    for (const a of accounts) {
      expect(a.balance).toBe(a.entries.reduce((s, e) => s + e.points, 0))
      expect(a.version).toBe(a.entries.length)
    }
    const entries = accounts.flatMap((a) => a.entries)
    const completed = await prisma.activitySignup.findMany({ where: { status: 'COMPLETED' }, select: { id: true } })
    const confirmed = await prisma.microWish.findMany({ where: { status: 'CONFIRMED' }, select: { id: true } })
    const credited = (type: string) =>
      new Set(entries.filter((e) => e.kind === 'SERVICE' && e.sourceType === type).map((e) => e.sourceId))
    expect(credited('ActivitySignup')).toEqual(new Set(completed.map((s) => s.id)))
    expect(credited('MicroWish')).toEqual(new Set(confirmed.map((w) => w.id)))
    const redemptions = await prisma.redemption.findMany()
    const debits = entries.filter((e) => e.kind === 'REDEMPTION')
    expect(new Set(debits.map((e) => e.sourceId))).toEqual(new Set(redemptions.map((r) => r.id)))
    const refunds = entries.filter((e) => e.kind === 'ADJUSTMENT' && e.sourceType === 'Redemption')
    expect(new Set(refunds.map((e) => e.sourceId))).toEqual(
      new Set(redemptions.filter((r) => r.status === 'CANCELLED').map((r) => r.id)),
    )
    const items = await prisma.rewardItem.findMany({ include: { redemptions: true } })
    const shelved = await prisma.volunteerEvent.findMany({ where: { entity: 'RewardItem', action: 'CREATE' } })
    for (const i of items) {
      const stocked = Number(shelved.find((e) => e.entityId === i.id)?.note?.split(' × ')[1])
      const held = i.redemptions.filter((r) => r.status !== 'CANCELLED').reduce((s, r) => s + r.quantity, 0)
      expect(i.stock, i.name).toBe(stocked - held)
    }
  })

  it('should check volunteers in only once their activity has started, where it was started', async () => {
    const starts = await prisma.volunteerEvent.findMany({ where: { entity: 'VolunteerActivity', action: 'START' } })
    expect(starts.length).toBeGreaterThan(0)
    const startedAt = new Map(starts.map((e) => [e.entityId, e.createdAt.getTime()]))
    const signups = await prisma.activitySignup.findMany({ select: { id: true, activityId: true } })
    const activityOf = new Map(signups.map((s) => [s.id, s.activityId]))
    const checkIns = await prisma.volunteerEvent.findMany({ where: { entity: 'ActivitySignup', action: 'CHECK_IN' } })
    const afterStart = checkIns.filter((e) => startedAt.has(activityOf.get(e.entityId)!))
    expect(afterStart.length).toBeGreaterThan(0)
    for (const e of afterStart)
      expect(e.createdAt.getTime(), e.entityId).toBeGreaterThanOrEqual(startedAt.get(activityOf.get(e.entityId)!)!)
  })

  it('should hold as many places taken as signups holding one', async () => {
    const activities = await prisma.volunteerActivity.findMany({ include: { signups: { select: { status: true } } } })
    expect(activities.length).toBeGreaterThan(0)
    for (const a of activities) expect(a.taken, a.id).toBe(a.signups.filter((s) => s.status !== 'CANCELLED').length)
  })
})

describe('party seed', () => {
  it('should leave every dual report at the version of its timeline, the timeline in the order of its steps and dated as the report', async () => {
    const reports = await prisma.dualReport.findMany({
      include: { events: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
    })
    expect(reports.length).toBeGreaterThan(100)
    for (const r of reports) {
      expect(r.version, r.id).toBe(r.events.length - 1)
      expect(r.events[0]).toMatchObject({ action: 'SUBMIT', toStatus: 'SUBMITTED', createdAt: r.createdAt })
      for (let i = 1; i < r.events.length; i++) expect(r.events[i]!.fromStatus, r.id).toBe(r.events[i - 1]!.toStatus)
      expect(r.events.at(-1)!.toStatus, r.id).toBe(r.status)
      const decided = r.events.find((e) => e.action === 'APPROVE' || e.action === 'REJECT')
      expect(decided?.createdAt ?? null, r.id).toEqual(r.decidedAt)
    }
  })

  it("should send feedback with the figures of the member's records of that year", async () => {
    const feedbacks = await prisma.performanceFeedback.findMany()
    expect(feedbacks.length).toBeGreaterThan(0)
    for (const f of feedbacks) {
      const records = await prisma.serviceRecord.findMany({ where: { memberId: f.memberId, year: f.year } })
      expect(f.hours, f.id).toBe(records.reduce((s, r) => s + r.hours, 0))
    }
  })
})

describe('joint construction seed', () => {
  /** Agreement steps that move its version: all but creation, progress on items and yearly reviews. */
  const UNVERSIONED = new Set(['CREATE', 'PROGRESS', 'REPORT', 'REVIEW'])

  it('should leave every agreement at the version of its timeline, the timeline in the order of its states and dated as the agreement', async () => {
    const agreements = await prisma.jointAgreement.findMany({
      include: { events: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
    })
    expect(agreements.length).toBeGreaterThanOrEqual(15)
    for (const a of agreements) {
      expect(a.version, a.title).toBe(a.events.filter((e) => !UNVERSIONED.has(e.action)).length)
      expect(a.events[0], a.title).toMatchObject({ action: 'CREATE', toStatus: 'DRAFT', createdAt: a.createdAt })
      const moves = a.events.filter((e) => e.fromStatus !== e.toStatus && e.toStatus)
      for (let i = 1; i < moves.length; i++) expect(moves[i]!.fromStatus, a.title).toBe(moves[i - 1]!.toStatus)
      expect(moves.at(-1)!.toStatus, a.title).toBe(a.status)
      for (const e of a.events) expect(e.createdAt.getTime(), `${a.title} ${e.action}`).toBeLessThanOrEqual(Date.now())
      const activated = a.events.find((e) => e.action === 'ACTIVATE')
      expect(activated?.createdAt ?? null, a.title).toEqual(a.activatedAt)
      // the yearly review may come after the end
      if (a.status === 'EXPIRED')
        expect(moves.at(-1), a.title).toMatchObject({ action: 'EXPIRE', actorId: null, createdAt: a.endsAt })
      if (a.status === 'EXPIRED' || a.status === 'TERMINATED')
        expect(a.closedAt, a.title).toEqual(moves.at(-1)!.createdAt)
    }
  })

  it('should leave every item at the version and figure of its progress entries, one timeline event each', async () => {
    const agreements = await prisma.jointAgreement.findMany({
      include: {
        items: { include: { entries: { orderBy: { occurredAt: 'asc' } } } },
        events: { where: { action: 'PROGRESS' } },
      },
    })
    let entries = 0
    for (const a of agreements) {
      for (const i of a.items) {
        expect(i.version, i.title).toBe(i.entries.length + (i.cancelledAt ? 1 : 0))
        expect(i.progress, i.title).toBe(i.entries.at(-1)?.progress ?? 0)
        for (const e of i.entries) expect(e.createdAt, i.title).toEqual(e.occurredAt)
        entries += i.entries.length
      }
      expect(a.events.length, a.title).toBe(a.items.reduce((s, i) => s + i.entries.length, 0))
    }
    expect(entries).toBeGreaterThan(0)
  })

  it('should leave every yearly review at the version of its report and review steps', async () => {
    const agreements = await prisma.jointAgreement.findMany({
      include: { reviews: true, events: { where: { action: { in: ['REPORT', 'REVIEW'] } } } },
    })
    const reviews = agreements.flatMap((a) => a.reviews)
    expect(reviews.filter((r) => r.unitReport && r.score !== null).length).toBeGreaterThan(0)
    for (const a of agreements) {
      expect(a.events.length, a.title).toBe(a.reviews.reduce((s, r) => s + r.version + 1, 0))
      for (const r of a.reviews) {
        expect(r.version, r.id).toBe((r.unitReport ? 1 : 0) + (r.score !== null ? 1 : 0) - 1)
        if (r.reportedAt && r.reviewedAt) expect(r.reportedAt.getTime()).toBeLessThan(r.reviewedAt.getTime())
      }
    }
  })

  it('should hold one approved claim for every claimed need and resource, none for the others, and slots that match the claims', async () => {
    const needs = await prisma.needItem.findMany({ include: { claims: true, projects: true } })
    expect(needs.length).toBeGreaterThanOrEqual(20)
    for (const n of needs) {
      const approved = n.claims.filter((c) => c.status === 'APPROVED')
      const taken = n.status === 'CLAIMED' || n.status === 'IN_PROGRESS' || n.status === 'DONE'
      expect(approved.length, `${n.title} ${n.status}`).toBe(taken ? 1 : 0)
      if (n.status !== 'OPEN')
        expect(
          n.claims.filter((c) => c.status === 'PENDING'),
          n.title,
        ).toEqual([])
      const running = n.projects.filter((p) => p.status === 'PLANNED' || p.status === 'IN_PROGRESS')
      expect(running.length, n.title).toBe(n.status === 'IN_PROGRESS' ? 1 : 0)
      if (n.status === 'DONE')
        expect(
          n.projects.some((p) => p.status === 'COMPLETED'),
          n.title,
        ).toBe(true)
    }
    const resources = await prisma.resourceItem.findMany({
      include: { claims: true, projects: { include: { project: { select: { status: true } } } } },
    })
    for (const r of resources) {
      expect(r.claims.filter((c) => c.status === 'APPROVED').length, r.title).toBe(r.status === 'CLAIMED' ? 1 : 0)
      const inUse = r.projects.some((p) => p.project.status === 'PLANNED' || p.project.status === 'IN_PROGRESS')
      expect(r.status === 'IN_USE', r.title).toBe(inUse)
    }
    const claims = [...needs.flatMap((n) => n.claims), ...resources.flatMap((r) => r.claims)]
    for (const c of claims) {
      expect(c.approvedSlot, c.id).toBe(c.status === 'APPROVED' ? true : null)
      expect(c.activeSlot, c.id).toBe(c.status === 'PENDING' || c.status === 'APPROVED' ? true : null)
      expect(c.version, c.id).toBe(c.status === 'PENDING' ? 0 : 1)
      expect(c.decidedAt === null, c.id).toBe(c.status === 'PENDING' || c.status === 'WITHDRAWN')
    }
  })

  it('should leave every project at the version of its entries, at the figure of the last, with the milestones it counts done', async () => {
    const projects = await prisma.project.findMany({
      include: { entries: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }, milestones: true },
    })
    expect(projects.length).toBeGreaterThanOrEqual(6)
    for (const p of projects) {
      expect(p.version, p.title).toBe(p.entries.length - 1)
      expect(p.entries[0], p.title).toMatchObject({ progress: 0, createdAt: p.createdAt })
      expect(p.entries.at(-1)!.progress, p.title).toBe(p.progress)
      const done = p.milestones.filter((m) => m.doneAt).length
      expect(p.progress, p.title).toBeGreaterThanOrEqual(Math.floor((done * 100) / p.milestones.length))
      expect(p.completedAt !== null, p.title).toBe(p.status === 'COMPLETED')
    }
  })
})
