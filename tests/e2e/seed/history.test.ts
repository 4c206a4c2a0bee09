// The case history seed (src/seed/history.ts) on its own database: two streets, three months and the
// current one. Every clone must be a history the services could have written, in its own street.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../helpers/app.js'
import { deployMigrations } from '../../../src/db/migrate.js'
import { createPrisma, type PrismaClient } from '../../../src/db.js'
import type { CaseStatus } from '../../../src/generated/prisma/enums.js'
import {
  CASE_TRANSITIONS,
  ORDER_TRANSITIONS,
  type CaseAction,
  type OrderAction,
} from '../../../src/modules/case/transitions.js'
import { seedDemo } from '../../../src/seed/demo.js'
import { historyMonths, seedHistory, type HistorySummary } from '../../../src/seed/history.js'

const MONTHS = 3
const PER_STREET_MONTH = 30
const ALL_STATUSES: CaseStatus[] = [
  'REPORTED',
  'ACCEPTED',
  'REJECTED',
  'DISPATCHED',
  'RESOLVED',
  'VERIFIED',
  'CLOSED',
  'REOPENED',
  'SUSPENDED',
]

let prisma: PrismaClient
let now: Date
let summary: HistorySummary
let streets: { id: string; communityIds: string[] }[]
/** Street id of every community. */
const streetOf = new Map<string, string>()

type CloneCase = Awaited<ReturnType<typeof loadClones>>[number]
let clones: CloneCase[]

/** The clones: created up to `now`; street 1's templates were reported by the seed after it. */
function loadClones() {
  return prisma.case.findMany({
    where: { createdAt: { lte: now } },
    include: {
      events: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      orders: true,
      feedbacks: true,
      approvals: true,
      supervisions: true,
      grid: { select: { communityId: true, minLng: true, maxLng: true, minLat: true, maxLat: true } },
    },
  })
}

beforeAll(async () => {
  const url = await createTestDatabase({ empty: true })
  await deployMigrations(url)
  prisma = createPrisma(url)
  // without workflows: the history seed must report street 1's template cases itself
  await seedDemo(prisma, { scale: 2, workflows: false })
  now = new Date()
  summary = await seedHistory(prisma, { months: MONTHS, perStreetMonth: PER_STREET_MONTH, now })
  const regions = await prisma.region.findMany({
    where: { level: 'STREET' },
    include: { children: { select: { id: true } } },
  })
  streets = regions.map((r) => ({ id: r.id, communityIds: r.children.map((c) => c.id) }))
  for (const s of streets) for (const c of s.communityIds) streetOf.set(c, s.id)
  clones = await loadClones()
}, 300_000)

afterAll(async () => {
  await prisma?.$disconnect()
})

describe('seedHistory', () => {
  it('should give every street cases in every month', () => {
    expect(summary).toMatchObject({ streets: 2, skipped: 0 })
    expect(summary.cases).toBe(clones.length)
    for (const s of streets) {
      for (const m of historyMonths(now.getTime(), MONTHS)) {
        const n = clones.filter(
          (c) => streetOf.get(c.regionId) === s.id && c.createdAt.getTime() >= m.start && c.createdAt.getTime() < m.end,
        ).length
        expect(n, `street ${s.id}, month from ${new Date(m.start).toISOString()}`).toBeGreaterThan(0)
        if (m.share === 1) expect(n).toBe(PER_STREET_MONTH)
      }
    }
  })

  it('should reach every case state but at most one, and leave only settled cases in the older months', () => {
    const seen = new Set(clones.map((c) => c.status))
    expect(ALL_STATUSES.filter((s) => !seen.has(s)).length).toBeLessThanOrEqual(1)
    const old = clones.filter((c) => now.getTime() - c.createdAt.getTime() > 42 * 24 * 3_600_000)
    expect(old.length).toBeGreaterThan(0)
    for (const c of old) expect(['CLOSED', 'REJECTED', 'VERIFIED']).toContain(c.status)
  })

  it('should give each clone a case timeline that follows the case transition table from REPORTED', () => {
    for (const c of clones) {
      const chain = c.events.filter((e) => e.orderId === null && !e.action.startsWith('SUPERVIS'))
      const [report, ...rest] = chain
      expect(report).toMatchObject({ action: 'REPORT', fromStatus: null, toStatus: 'REPORTED' })
      let state = 'REPORTED' as CaseStatus
      let beforeSuspension: CaseStatus | null = null
      for (const e of rest) {
        const where = `case ${c.id} ${e.action} from ${state}`
        expect(e.fromStatus, where).toBe(state)
        if (/^(REQUEST|DECIDE)_/.test(e.action)) {
          expect(e.toStatus, where).toBe(state)
          continue
        }
        const t = CASE_TRANSITIONS[e.action as CaseAction]
        expect(t, where).toBeDefined()
        expect(t.from, where).toContain(state)
        const to = t.to ?? (e.action === 'RESUME' ? beforeSuspension : state)
        expect(e.toStatus, where).toBe(to)
        if (e.action === 'SUSPEND') beforeSuspension = state
        state = e.toStatus as CaseStatus
      }
      expect(state, `case ${c.id}`).toBe(c.status)
    }
  })

  it('should give each cloned order a timeline that follows the order transition table', () => {
    let orders = 0
    for (const c of clones) {
      for (const o of c.orders) {
        orders++
        const chain = c.events.filter((e) => e.orderId === o.id && !e.action.startsWith('SUPERVISION_'))
        const [created, ...rest] = chain
        expect(['ORDER_CREATE', 'TRANSFER_CREATE', 'REWORK']).toContain(created?.action)
        expect(created).toMatchObject({ fromStatus: null, toStatus: 'CREATED' })
        let state: string = 'CREATED'
        for (const e of rest) {
          const where = `order ${o.id} ${e.action} from ${state}`
          expect(e.fromStatus, where).toBe(state)
          if (e.action.startsWith('SUPERVISE_')) {
            expect(e.toStatus, where).toBe(state)
            continue
          }
          const t = ORDER_TRANSITIONS[e.action as OrderAction]
          expect(t, where).toBeDefined()
          expect(t.from as readonly string[], where).toContain(state)
          expect(e.toStatus, where).toBe(t.to)
          state = t.to!
        }
        expect(state, `order ${o.id}`).toBe(o.status)
        if (o.transferredFromId)
          expect(
            c.orders.map((x) => x.id),
            `order ${o.id} transferred from another case's order`,
          ).toContain(o.transferredFromId)
      }
    }
    expect(orders).toBeGreaterThan(0)
  })

  it('should date everything up to now, and every event and order at or after its case', () => {
    const limit = now.getTime()
    for (const c of clones) {
      const instants = [
        c.createdAt,
        c.updatedAt,
        c.closedAt,
        c.suspendedAt,
        ...c.events.map((e) => e.createdAt),
        ...c.orders.flatMap((o) => [
          o.createdAt,
          o.updatedAt,
          o.signedAt,
          o.onSiteAt,
          o.completedAt,
          o.lastSupervisedAt,
        ]),
        ...c.feedbacks.map((f) => f.createdAt),
        ...c.approvals.flatMap((a) => [a.createdAt, a.decidedAt]),
        ...c.supervisions.flatMap((s) => [s.createdAt, s.acknowledgedAt, s.answeredAt]),
      ].filter((t): t is Date => t !== null)
      for (const t of instants) expect(t.getTime(), `case ${c.id}`).toBeLessThanOrEqual(limit)
      for (const t of [...c.events, ...c.orders].map((x) => x.createdAt))
        expect(t.getTime(), `case ${c.id}`).toBeGreaterThanOrEqual(c.createdAt.getTime())
    }
  })

  it('should stretch histories so that some orders are signed late and some on time', () => {
    const signed = clones.flatMap((c) => c.orders).filter((o) => o.signedAt)
    expect(signed.some((o) => o.signedAt! > o.signBy)).toBe(true)
    expect(signed.some((o) => o.signedAt! <= o.signBy)).toBe(true)
  })

  it('should number every order once, the clones of a street in creation order', async () => {
    const all = await prisma.dispatchOrder.findMany({ select: { seq: true } })
    expect(all.every((o) => o.seq !== null)).toBe(true)
    expect(new Set(all.map((o) => o.seq)).size).toBe(all.length)
    for (const s of streets) {
      const mine = clones
        .filter((c) => streetOf.get(c.regionId) === s.id)
        .flatMap((c) => c.orders)
        .sort((a, b) => Number(a.seq! - b.seq!))
      for (let i = 1; i < mine.length; i++)
        expect(mine[i]!.createdAt.getTime()).toBeGreaterThanOrEqual(mine[i - 1]!.createdAt.getTime())
    }
  })

  it('should place every clone, its orders and its people in its own street', async () => {
    const district = (await prisma.region.findFirstOrThrow({ where: { level: 'DISTRICT' } })).id
    const departments = new Map((await prisma.department.findMany()).map((d) => [d.id, d.regionId]))
    const assignments = await prisma.gridAssignment.findMany({ include: { grid: { select: { communityId: true } } } })
    const users = await prisma.user.findMany({ include: { unit: { select: { communityId: true } } } })
    const officers = new Map(
      users.filter((u) => u.roles.includes('STREET_OFFICER')).map((u) => [u.username, u.regionIds[0]!]),
    )
    const regionStreet = (id: string) =>
      id === district ? district : (streetOf.get(id) ?? (streets.some((s) => s.id === id) ? id : null))
    // the street a user works or lives in (district for admins and district staff)
    const userStreet = new Map(
      users.map((u) => {
        const byAssignment = assignments.find((a) => a.userId === u.id)
        const tag = /\.(\d+)\.\d+$/.exec(u.username)?.[1]
        const street = u.roles.includes('ADMIN')
          ? district
          : u.regionIds[0]
            ? regionStreet(u.regionIds[0])
            : u.departmentId
              ? regionStreet(departments.get(u.departmentId)!)
              : byAssignment
                ? streetOf.get(byAssignment.grid.communityId)
                : u.unit
                  ? streetOf.get(u.unit.communityId)
                  : officers.get(tag ? `street.officer.${tag}` : 'street.officer')
        return [u.id, street]
      }),
    )
    for (const c of clones) {
      const street = streetOf.get(c.regionId)!
      const mine = (userId: string | null) => {
        if (userId) expect([street, district], `user ${userId} on case ${c.id}`).toContain(userStreet.get(userId))
      }
      expect(street).toBeDefined()
      expect(c.grid.communityId).toBe(c.regionId)
      expect(c.lng).toBeGreaterThanOrEqual(c.grid.minLng)
      expect(c.lng).toBeLessThanOrEqual(c.grid.maxLng)
      expect(c.lat).toBeGreaterThanOrEqual(c.grid.minLat)
      expect(c.lat).toBeLessThanOrEqual(c.grid.maxLat)
      expect([street, district]).toContain(regionStreet(c.handlingRegionId))
      mine(c.reporterId)
      mine(c.createdById)
      for (const e of c.events) mine(e.actorId)
      for (const f of c.feedbacks) mine(f.authorId)
      for (const a of c.approvals) {
        mine(a.requestedById)
        mine(a.decidedById)
      }
      for (const s of c.supervisions) expect([street, district]).toContain(regionStreet(s.regionId))
      for (const o of c.orders) {
        mine(o.dispatcherId)
        if (o.departmentId) expect([street, district]).toContain(departments.get(o.departmentId))
        if (o.assigneeId) expect(assignments.some((a) => a.userId === o.assigneeId && a.gridId === c.gridId)).toBe(true)
      }
    }
  })

  it('should add nothing when run again', async () => {
    const count = async () => [
      await prisma.case.count(),
      await prisma.dispatchOrder.count(),
      await prisma.caseEvent.count(),
    ]
    const before = await count()
    const again = await seedHistory(prisma, { months: MONTHS, perStreetMonth: PER_STREET_MONTH })
    expect(again).toMatchObject({ streets: 0, skipped: 2, cases: 0 })
    expect(await count()).toEqual(before)
  })
})
