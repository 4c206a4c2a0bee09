// Case statistics and the command centre's live figures computed the other way round: rows read
// with the Prisma client (no SQL of ours), counted in JavaScript from the schema's definitions and
// the case module's TypeScript rules (caseOverdue, orderOverdue). The tests hold the API to these.
import type { TestApp } from '../../helpers/app.js'
import { caseOverdue, orderOverdue } from '../../../src/modules/case/transitions.js'

export const HOUR = 3_600_000
export const DAY = 24 * HOUR

export interface Range {
  from: Date
  to: Date
}
const within = (d: Date, r: Range) => d.getTime() >= r.from.getTime() && d.getTime() < r.to.getTime()
const shanghaiMonth = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 7)
/** 00:00 today in Shanghai. */
export const shanghaiToday = (now: Date) =>
  new Date(`${new Date(now.getTime() + 8 * HOUR).toISOString().slice(0, 10)}T00:00:00+08:00`)

export async function gridIdsUnder(t: TestApp, path: string): Promise<Set<string>> {
  const regions = await t.prisma.region.findMany({ select: { id: true, path: true } })
  const inside = new Set(regions.filter((r) => r.path.startsWith(path)).map((r) => r.id))
  const grids = await t.prisma.grid.findMany({ select: { id: true, communityId: true } })
  return new Set(grids.filter((g) => inside.has(g.communityId)).map((g) => g.id))
}

/** key → [count in the period, count in the previous one], keys with neither left out. */
export type Tallies = Record<
  'status' | 'category' | 'source' | 'grid' | 'community' | 'department',
  Map<string, [number, number]>
>

export async function expectedStatistics(t: TestApp, regionPath: string, period: Range, previous: Range) {
  const grids = await gridIdsUnder(t, regionPath)
  const cases = (
    await t.prisma.case.findMany({ include: { orders: { select: { departmentId: true, status: true } } } })
  ).filter((c) => grids.has(c.gridId))
  const cur = cases.filter((c) => within(c.createdAt, period))
  const prev = cases.filter((c) => within(c.createdAt, previous))
  const tallies = {} as Tallies
  const keysOf: Record<keyof Tallies, (c: (typeof cases)[number]) => string[]> = {
    status: (c) => [c.status],
    category: (c) => [c.categoryId],
    source: (c) => [c.source],
    grid: (c) => [c.gridId],
    community: (c) => [c.regionId],
    department: (c) => [
      ...new Set(c.orders.filter((o) => o.departmentId && o.status !== 'CANCELLED').map((o) => o.departmentId!)),
    ],
  }
  for (const [dim, keys] of Object.entries(keysOf) as [keyof Tallies, (c: (typeof cases)[number]) => string[]][]) {
    const m = new Map<string, [number, number]>()
    for (const c of cur) for (const k of keys(c)) m.set(k, [(m.get(k)?.[0] ?? 0) + 1, m.get(k)?.[1] ?? 0])
    for (const c of prev) for (const k of keys(c)) m.set(k, [m.get(k)?.[0] ?? 0, (m.get(k)?.[1] ?? 0) + 1])
    tallies[dim] = m
  }
  const months = new Map<string, number>()
  for (const c of cur) months.set(shanghaiMonth(c.createdAt), (months.get(shanghaiMonth(c.createdAt)) ?? 0) + 1)
  return { total: [cur.length, prev.length] as [number, number], tallies, months }
}

export interface LiveExpected {
  openCases: number
  overdueCases: number
  openOrders: number
  unsignedOrders: number
  overdueOrders: number
  openSupervisions: number
  reportedToday: number
  closedToday: number
}

export async function expectedLive(t: TestApp, regionPath: string, asOf: Date) {
  const grids = await gridIdsUnder(t, regionPath)
  const today = shanghaiToday(asOf)
  const cases = (
    await t.prisma.case.findMany({ include: { orders: true, supervisions: { select: { status: true } } } })
  ).filter((c) => grids.has(c.gridId))
  const perGrid = new Map<string, LiveExpected>(
    [...grids].map((g) => [
      g,
      {
        openCases: 0,
        overdueCases: 0,
        openOrders: 0,
        unsignedOrders: 0,
        overdueOrders: 0,
        openSupervisions: 0,
        reportedToday: 0,
        closedToday: 0,
      },
    ]),
  )
  const perDepartment = new Map<
    string,
    { openOrders: number; unsignedOrders: number; overdueOrders: number; oldestOpenAt: Date }
  >()
  for (const c of cases) {
    const g = perGrid.get(c.gridId)!
    if (c.status !== 'CLOSED' && c.status !== 'REJECTED') g.openCases++
    if (caseOverdue(c, asOf)) g.overdueCases++
    if (c.createdAt >= today) g.reportedToday++
    if (c.closedAt && c.closedAt >= today) g.closedToday++
    g.openSupervisions += c.supervisions.filter((s) => s.status !== 'ANSWERED').length
    for (const o of c.orders.filter((x) => ['CREATED', 'SIGNED', 'ON_SITE'].includes(x.status))) {
      g.openOrders++
      if (o.status === 'CREATED') g.unsignedOrders++
      if (orderOverdue(o, asOf)) g.overdueOrders++
      if (!o.departmentId) continue
      const d = perDepartment.get(o.departmentId) ?? {
        openOrders: 0,
        unsignedOrders: 0,
        overdueOrders: 0,
        oldestOpenAt: o.createdAt,
      }
      d.openOrders++
      if (o.status === 'CREATED') d.unsignedOrders++
      if (orderOverdue(o, asOf)) d.overdueOrders++
      if (o.createdAt < d.oldestOpenAt) d.oldestOpenAt = o.createdAt
      perDepartment.set(o.departmentId, d)
    }
  }
  return { perGrid, perDepartment }
}
