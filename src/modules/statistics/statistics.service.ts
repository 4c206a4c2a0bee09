// Case statistics (案件统计) and the command-centre view (社会治理联动中心): what a region's officers
// watch every morning. Each figure set is one parameterised SQL statement over the region's grids:
// - the period's breakdowns (status, category, source, grid, community, department, month), each
//   with the previous period's count beside it, in one GROUPING SETS statement;
// - the live picture (open and overdue work, today's intake, open supervisions) per grid;
// - the open load per department.
// The rules they count by are the case module's, in SQL (`caseOverdueSql`, `orderOverdueSql`,
// FINISHED_CASE, ACTIVE_ORDER); what each figure means is stated once, in statistics.schema.ts.
import type { Context } from '../../context.js'
import { Prisma } from '../../db.js'
import { gridsIn, regionFor, type RegionScope } from '../assessment/assessment.service.js'
import {
  monthOf,
  monthsOf,
  parsePeriod,
  shanghaiDayStart,
  type Period,
  type PeriodInput,
} from '../assessment/period.js'
import { CaseStatus } from '../../generated/prisma/enums.js'
import { ACTIVE_ORDER, caseOverdueSql, FINISHED_CASE, orderOverdueSql } from '../case/transitions.js'

// ---------------------------------------------------------------- the period's breakdowns

/** A count in the period beside the same count in the previous period. */
export interface Tally {
  key: string
  count: number
  previous: number
}

export const DIMENSIONS = ['status', 'category', 'source', 'grid', 'community', 'department'] as const
export type Dimension = (typeof DIMENSIONS)[number]

export interface CaseStatistics extends RegionScope {
  period: Period
  asOf: Date
  total: Tally
  by: Record<Dimension, Tally[]>
  /** Every month the period touches, in order, zero-filled. */
  byMonth: { month: string; count: number }[]
}

interface TallyRow {
  dimension: Dimension | 'month' | 'total'
  key: string | null
  count: number
  previous: number
}

/** Most first; ties by the previous period's count, then by key (stable output). */
const byCount = (a: Tally, b: Tally) =>
  b.count - a.count || b.previous - a.previous || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

export async function caseStatistics(
  ctx: Context,
  args: { regionId?: string | null; period: PeriodInput },
): Promise<CaseStatistics> {
  const period = parsePeriod(args.period)
  const scope = await regionFor(ctx, args.regionId, false)
  return { ...scope, ...(await tallies(ctx, scope.region.path, period)), period, asOf: new Date() }
}

/**
 * The statements behind `CaseStatistics`: cases reported in the period or the one before, by every
 * case dimension at once (GROUPING SETS), and by department; the two run side by side, on two
 * connections, as they share nothing but the cases they count.
 */
async function tallies(
  ctx: Context,
  path: string,
  period: Period,
): Promise<Pick<CaseStatistics, 'total' | 'by' | 'byMonth'>> {
  const { from, to, previous } = period
  const cases = Prisma.sql`
    FROM "Case" c
   WHERE c."gridId" IN (SELECT g.id FROM (${gridsIn(path)}) g) AND c."createdAt" >= ${previous.from} AND c."createdAt" < ${to}`
  const [byCase, byDepartment] = await Promise.all([
    ctx.prisma.$queryRaw<TallyRow[]>`
      SELECT CASE WHEN GROUPING(status) = 0 THEN 'status' WHEN GROUPING(category) = 0 THEN 'category' WHEN GROUPING(source) = 0 THEN 'source'
                  WHEN GROUPING(grid) = 0 THEN 'grid' WHEN GROUPING(community) = 0 THEN 'community' WHEN GROUPING(month) = 0 THEN 'month'
                  ELSE 'total' END AS dimension,
             COALESCE(status::text, category::text, source::text, grid::text, community::text, to_char(month, 'YYYY-MM')) AS key,
             count(*) FILTER (WHERE cur)::int AS count, count(*) FILTER (WHERE NOT cur)::int AS previous
        FROM (
          SELECT c.status, c."categoryId" AS category, c.source, c."gridId" AS grid, c."regionId" AS community, c."createdAt" >= ${from} AS cur,
                 CASE WHEN c."createdAt" >= ${from} THEN date_trunc('month', c."createdAt" + interval '8 hours') END AS month
          ${cases}
        ) c
       GROUP BY GROUPING SETS ((status), (category), (source), (grid), (community), (month), ())`,
    ctx.prisma.$queryRaw<TallyRow[]>`
      SELECT 'department' AS dimension, d."departmentId"::text AS key, count(*) FILTER (WHERE d.cur)::int AS count, count(*) FILTER (WHERE NOT d.cur)::int AS previous
        FROM (
          SELECT DISTINCT o."departmentId", o."caseId", c."createdAt" >= ${from} AS cur
            FROM "DispatchOrder" o JOIN "Case" c ON c.id = o."caseId"
           WHERE o."departmentId" IS NOT NULL AND o.status <> 'CANCELLED' AND c."gridId" IN (SELECT g.id FROM (${gridsIn(path)}) g)
             AND c."createdAt" >= ${previous.from} AND c."createdAt" < ${to}
        ) d
       GROUP BY d."departmentId"`,
  ])
  const rows = [...byCase, ...byDepartment]
  const by = Object.fromEntries(DIMENSIONS.map((d) => [d, [] as Tally[]])) as Record<Dimension, Tally[]>
  const perMonth = new Map<string, number>()
  let total: Tally = { key: 'total', count: 0, previous: 0 }
  for (const r of rows) {
    if (r.dimension === 'total') total = { key: 'total', count: r.count, previous: r.previous }
    else if (r.dimension === 'month') {
      if (r.key) perMonth.set(r.key, r.count)
    } else if (r.key !== null) by[r.dimension].push({ key: r.key, count: r.count, previous: r.previous })
  }
  for (const d of DIMENSIONS) by[d].sort(byCount)
  return { total, by, byMonth: monthsOf(period).map((month) => ({ month, count: perMonth.get(month) ?? 0 })) }
}

// ---------------------------------------------------------------- the live picture

/** One grid now: its open work, what is overdue, today's intake. */
export interface GridLive {
  gridId: string
  openCases: number
  overdueCases: number
  openOrders: number
  unsignedOrders: number
  overdueOrders: number
  openSupervisions: number
  reportedToday: number
  closedToday: number
}

/** One department's open orders in the region now. */
export interface DepartmentLoad {
  departmentId: string
  openOrders: number
  unsignedOrders: number
  overdueOrders: number
  oldestOpenAt: Date
}

export interface CommandCentre extends RegionScope {
  asOf: Date
  /** Start of today in Shanghai: `reportedToday` / `closedToday` count from it. */
  today: Date
  /** Per field, computed once per view and only when asked for. */
  cache: Map<string, Promise<unknown>>
}

/** The command-centre view of a region (default: the viewer's first), as the viewer may read it. */
export async function commandCentre(ctx: Context, args: { regionId?: string | null }): Promise<CommandCentre> {
  const scope = await regionFor(ctx, args.regionId, false)
  const asOf = new Date()
  return { ...scope, asOf, today: shanghaiDayStart(asOf), cache: new Map() }
}

/** `compute` once per view: the fields that share a statement ask for it by the same key. */
function once<T>(view: CommandCentre, key: string, compute: () => Promise<T>): Promise<T> {
  let p = view.cache.get(key) as Promise<T> | undefined
  if (!p) view.cache.set(key, (p = compute()))
  return p
}

/** The open states as a list (not "not finished"), typed as the column is: the status indexes serve them. */
const OPEN = Prisma.sql`${Object.values(CaseStatus).filter((st) => !FINISHED_CASE.includes(st))}::"CaseStatus"[]`
const ACTIVE = Prisma.sql`${[...ACTIVE_ORDER]}::"DispatchOrderStatus"[]`

/** Every grid of the region, most overdue first (overdue cases, then orders, then code). */
export const gridsLive = (ctx: Context, view: CommandCentre) =>
  once(view, 'grids', () => {
    const { asOf, today } = view
    return ctx.prisma.$queryRaw<GridLive[]>`
    WITH grids AS (${gridsIn(view.region.path)}),
    cases AS (
      SELECT c."gridId" AS id,
             count(*) FILTER (WHERE c.status = ANY(${OPEN}))::int AS open,
             count(*) FILTER (WHERE ${caseOverdueSql('c', asOf)})::int AS overdue,
             count(*) FILTER (WHERE c."createdAt" >= ${today})::int AS reported_today,
             count(*) FILTER (WHERE c."closedAt" >= ${today})::int AS closed_today
        FROM "Case" c
       WHERE c."gridId" IN (SELECT id FROM grids) AND (c.status = ANY(${OPEN}) OR c."createdAt" >= ${today} OR c."closedAt" >= ${today})
       GROUP BY 1
    ),
    orders AS (
      SELECT c."gridId" AS id, count(*)::int AS open, count(*) FILTER (WHERE o.status = 'CREATED')::int AS unsigned,
             count(*) FILTER (WHERE ${orderOverdueSql('o', asOf)})::int AS overdue
        FROM "DispatchOrder" o JOIN "Case" c ON c.id = o."caseId"
       WHERE c."gridId" IN (SELECT id FROM grids) AND o.status = ANY(${ACTIVE})
       GROUP BY 1
    ),
    supervisions AS (
      SELECT c."gridId" AS id, count(*)::int AS open
        FROM "Supervision" s JOIN "Case" c ON c.id = s."caseId"
       WHERE c."gridId" IN (SELECT id FROM grids) AND s.status <> 'ANSWERED'
       GROUP BY 1
    )
    SELECT g.id::text AS "gridId",
           COALESCE(c.open, 0) AS "openCases", COALESCE(c.overdue, 0) AS "overdueCases",
           COALESCE(o.open, 0) AS "openOrders", COALESCE(o.unsigned, 0) AS "unsignedOrders", COALESCE(o.overdue, 0) AS "overdueOrders",
           COALESCE(s.open, 0) AS "openSupervisions",
           COALESCE(c.reported_today, 0) AS "reportedToday", COALESCE(c.closed_today, 0) AS "closedToday"
      FROM grids g LEFT JOIN cases c ON c.id = g.id LEFT JOIN orders o ON o.id = g.id LEFT JOIN supervisions s ON s.id = g.id
     ORDER BY "overdueCases" DESC, "overdueOrders" DESC, g.code`
  })

/** The region's totals: the sums of its grids (one statement with `gridsLive`). */
export async function regionLive(ctx: Context, view: CommandCentre): Promise<Omit<GridLive, 'gridId'>> {
  const totals = {
    openCases: 0,
    overdueCases: 0,
    openOrders: 0,
    unsignedOrders: 0,
    overdueOrders: 0,
    openSupervisions: 0,
    reportedToday: 0,
    closedToday: 0,
  }
  for (const g of await gridsLive(ctx, view))
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += g[k]
  return totals
}

/** Departments with open orders on the region's cases, most overdue first. */
export const departmentLoad = (ctx: Context, view: CommandCentre) =>
  once(
    view,
    'departments',
    () => ctx.prisma.$queryRaw<DepartmentLoad[]>`
  SELECT o."departmentId"::text AS "departmentId", count(*)::int AS "openOrders",
         count(*) FILTER (WHERE o.status = 'CREATED')::int AS "unsignedOrders",
         count(*) FILTER (WHERE ${orderOverdueSql('o', view.asOf)})::int AS "overdueOrders",
         min(o."createdAt") AS "oldestOpenAt"
    FROM "DispatchOrder" o JOIN "Case" c ON c.id = o."caseId"
   WHERE c."gridId" IN (SELECT id FROM (${gridsIn(view.region.path)}) g) AND o.status = ANY(${ACTIVE}) AND o."departmentId" IS NOT NULL
   GROUP BY 1
   ORDER BY "overdueOrders" DESC, "openOrders" DESC, 1`,
  )

/** The view's statistics for a period (default: this month in Shanghai). */
export function centreStatistics(
  ctx: Context,
  view: CommandCentre,
  period: PeriodInput | null | undefined,
): Promise<CaseStatistics> {
  const p = period ? parsePeriod(period) : monthOf(view.asOf)
  return once(view, `statistics:${p.from.toISOString()}:${p.to.toISOString()}`, async () => ({
    ...view,
    period: p,
    ...(await tallies(ctx, view.region.path, p)),
  }))
}
