// Assessment (考核): the response figures of departments and grids for a period and a region, and
// the weights a street gives the departments' composite score. Every figure set is one
// parameterised SQL statement (GROUP BY, FILTER, percentile_cont, rank() OVER): its cost does not
// grow with the number of departments or grids. What each figure counts is stated, once, in the
// schema descriptions (assessment.schema.ts); the SQL below is that text, nothing more.
//
// Who reads what: officers the regions within their own, a department only its own row (and its
// rank among all), admins everything; nobody else.
import { z } from 'zod'
import type { Context } from '../../context.js'
import { Prisma } from '../../db.js'
import type { RegionLevel } from '../../generated/prisma/enums.js'
import { staffDepartmentOf } from '../../auth/policy.js'
import { hasRole, isAdmin, OFFICER_ROLES } from '../../auth/viewer.js'
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { parseInput } from '../../shared/validate.js'
import { updateVersioned } from '../../shared/versioned.js'
import { OFF_THE_CLOCK } from '../case/transitions.js'
import { parsePeriod, type Period, type PeriodInput } from './period.js'
import {
  DEFAULT_WEIGHTS,
  formulaOf,
  WEIGHT_KEYS,
  weightsShape,
  weightsSum,
  type WeightKey,
  type Weights,
} from './weights.js'

// ---------------------------------------------------------------- scope: the region, the viewer, the weights

/** A street's weights as read: its own row, or the defaults (no row yet: version 0). */
export interface WeightsView extends Weights {
  id: string | null
  streetId: string | null
  version: number
  isDefault: boolean
  updatedAt: Date | null
}

interface WeightsRow extends Weights {
  id: string
  streetId: string
  version: number
  updatedAt: Date
}

const weightsView = (streetId: string | null, row: WeightsRow | null | undefined): WeightsView =>
  row
    ? {
        ...pickWeights(row),
        id: row.id,
        streetId: row.streetId,
        version: row.version,
        isDefault: false,
        updatedAt: row.updatedAt,
      }
    : { ...DEFAULT_WEIGHTS, id: null, streetId, version: 0, isDefault: true, updatedAt: null }

const pickWeights = (w: Weights): Weights => Object.fromEntries(WEIGHT_KEYS.map((k) => [k, w[k]])) as Weights

export interface Scope {
  region: { id: string; path: string; level: RegionLevel }
  period: Period
  /** The street whose weights apply: the region itself, or the street a community lies in. */
  weights: WeightsView
  /** Set for a department's staff outside the officers' reach: only this department's row. */
  onlyDepartment: string | null
  /** The moment outcomes are judged at (签收/办结 still due or already late). */
  asOf: Date
}

const WEIGHTS_SELECT = {
  id: true,
  streetId: true,
  version: true,
  updatedAt: true,
  ...Object.fromEntries(WEIGHT_KEYS.map((k) => [k, true])),
} as { id: true; streetId: true; version: true; updatedAt: true } & Record<WeightKey, true>

/** A region as the reader shows it, with the weights of its street (the region itself, or a community's street), in one read. */
async function regionWithWeights(ctx: Context, id: string) {
  const region = await ctx.reader.region.findUnique({
    where: { id },
    select: {
      id: true,
      path: true,
      level: true,
      assessmentWeights: { select: WEIGHTS_SELECT },
      parent: { select: { id: true, level: true, assessmentWeights: { select: WEIGHTS_SELECT } } },
    },
  })
  if (!region) throw new NotFoundError('Region', id)
  const street =
    region.level === 'STREET'
      ? region
      : region.level === 'COMMUNITY' && region.parent?.level === 'STREET'
        ? region.parent
        : null
  return { region, weights: weightsView(street?.id ?? null, street?.assessmentWeights as WeightsRow | null) }
}

/** The region a report is about, as the viewer may read it (see `regionFor`). */
export type RegionScope = Pick<Scope, 'region' | 'weights' | 'onlyDepartment'>

/**
 * The region (default: the viewer's first), checked against the viewer, with the weights of its
 * street, in one read. Officers: regions within their own; department staff (for department
 * figures): any region, their own row only; admins: any.
 */
export async function regionFor(
  ctx: Context,
  regionId: string | null | undefined,
  departments: boolean,
): Promise<RegionScope> {
  const v = ctx.access.requireViewer()
  const id = regionId ?? v.regionIds[0]
  if (!id) throw new ValidationFailedError([{ path: 'regionId', message: 'your account has no region: name one' }])
  const { region, weights } = await regionWithWeights(ctx, id)
  let onlyDepartment: string | null = null
  if (!isAdmin(v) && !(hasRole(v, ...OFFICER_ROLES) && ctx.access.inRegionSubtree(region.path))) {
    onlyDepartment = departments ? staffDepartmentOf(v) : null
    if (!onlyDepartment)
      throw new ForbiddenError(
        departments
          ? 'Officers read the figures of their own region, a department its own'
          : 'Officers read the figures of their own region',
      )
  }
  return { region, weights, onlyDepartment }
}

/** What every report is asked for: a region (default: the viewer's first) and a period. */
export interface ReportArgs {
  regionId?: string | null
  period: PeriodInput
}

/** A report: the scope it covers and its rows. */
export interface Report<Row> extends Scope {
  rows: Row[]
}

/** `regionFor` with the period, judged now. */
async function scopeFor(ctx: Context, args: ReportArgs, departments: boolean): Promise<Scope> {
  const period = parsePeriod(args.period)
  return { ...(await regionFor(ctx, args.regionId, departments)), period, asOf: new Date() }
}

/**
 * Runs a report's one statement over the scope the viewer may read. The statement goes on from
 * `grids`, the grids of the region (see `gridsIn`), which every figure is scoped by.
 */
async function runReport<Row>(
  ctx: Context,
  args: ReportArgs,
  departments: boolean,
  statement: (scope: Scope) => Prisma.Sql,
): Promise<Report<Row>> {
  const scope = await scopeFor(ctx, args, departments)
  const rows = await ctx.prisma.$queryRaw<Row[]>`
    WITH grids AS (${gridsIn(scope.region.path)}),
    ${statement(scope)}`
  return { ...scope, rows }
}

/** A street's weights, for the street itself or any region inside it (defaults above street level). */
export async function weightsFor(ctx: Context, regionId: string): Promise<WeightsView> {
  ctx.access.requireViewer()
  return (await regionWithWeights(ctx, regionId)).weights
}

// ---------------------------------------------------------------- setting the weights

const setWeightsSchema = weightsShape
  .extend({ streetId: z.string().uuid(), version: z.number().int().min(0) })
  .refine((w) => weightsSum(w) === 100, { message: 'the weights must sum to 100', path: ['weights'] })

/**
 * A street officer of the street (or an admin) replaces its weights, naming the version read (0
 * while the street uses the defaults). In one transaction: the street's row is created with the
 * defaults at version 0 if it has none, then updated at the version given — a stale version
 * changes nothing, not even that.
 */
export async function setAssessmentWeights(
  ctx: Context,
  input: Partial<Record<WeightKey, number | null>> & { streetId: string; version: number },
): Promise<WeightsView> {
  const v = ctx.access.requireViewer()
  const { streetId, version, ...rest } = parseInput(setWeightsSchema, input)
  const weights = pickWeights(rest)
  const street = await ctx.prisma.region.findUnique({
    where: { id: streetId },
    select: { id: true, level: true, path: true },
  })
  if (!street) throw new NotFoundError('Region', streetId)
  if (!isAdmin(v) && !(hasRole(v, 'STREET_OFFICER') && ctx.access.inRegionSubtree(street.path)))
    throw new ForbiddenError('A street officer sets the weights of their own street only')
  if (street.level !== 'STREET')
    throw new ValidationFailedError([{ path: 'streetId', message: 'weights are set per street (街道)' }])
  const row = await ctx.prisma.$transaction(async (tx) => {
    await tx.assessmentWeights.createMany({
      data: [{ id: newId(), streetId, ...DEFAULT_WEIGHTS }],
      skipDuplicates: true,
    })
    const { id } = await tx.assessmentWeights.findUniqueOrThrow({ where: { streetId }, select: { id: true } })
    return updateVersioned(tx.assessmentWeights, 'AssessmentWeights', id, version, {
      ...weights,
      updatedById: v.userId,
    })
  })
  return weightsView(streetId, row)
}

// ---------------------------------------------------------------- department figures (DepartmentPerformance)

export interface DepartmentRow {
  departmentId: string
  received: number
  cancelled: number
  counted: number
  signedOnTime: number
  signDue: number
  signedOnTimePercent: number | null
  completedOnTime: number
  completionDue: number
  completedOnTimePercent: number | null
  returned: number
  returnedPercent: number | null
  transferred: number
  transferredPercent: number | null
  supervisions: number
  supervisionsLevel1: number
  supervisionsLevel2: number
  supervisionsLevel3: number
  supervisedOrders: number
  supervisedPercent: number | null
  cases: number
  reopenedCases: number
  reopenedPercent: number | null
  averageSatisfaction: number | null
  ratings: number
  medianHoursToSign: number | null
  medianHoursToComplete: number | null
  score: number | null
  scoreBasis: number
  rank: number | null
  /** Departments of the region with a score (all of them, also when only one row is returned). */
  ranked: number
}

export interface DepartmentReport extends Report<DepartmentRow> {
  formula: string
}

/** Each weighted figure on its 0–100 scale, as a column expression of the `rates` CTE below. */
const FIGURE_SQL: Record<WeightKey, Prisma.Sql> = {
  signedOnTime: Prisma.sql`"signedOnTimePercent"`,
  completedOnTime: Prisma.sql`"completedOnTimePercent"`,
  satisfaction: Prisma.sql`("averageSatisfaction" * 20)`,
  notReturned: Prisma.sql`(100 - "returnedPercent")`,
  notReopened: Prisma.sql`(100 - "reopenedPercent")`,
  notSupervised: Prisma.sql`(100 - "supervisedPercent")`,
}

/** A share in percent, null when nothing is counted. */
export const pct = (num: Prisma.Sql, den: Prisma.Sql) => Prisma.sql`(100.0 * ${num} / NULLIF(${den}, 0))::float8`

/** Grids whose community lies in the region subtree (the scope of every figure). */
export const gridsIn = (path: string) =>
  Prisma.sql`SELECT g.id, g.code FROM "Grid" g JOIN "Region" r ON r.id = g."communityId" WHERE starts_with(r.path, ${path})`

/** The figures, score and rank of every department, after `grids` (see `runReport`). */
const departmentStatement = ({ region, period: { from, to }, weights: w, asOf, onlyDepartment }: Scope) => {
  const weighted = Prisma.join(
    WEIGHT_KEYS.map((k) => Prisma.sql`COALESCE(${w[k]}::int * ${FIGURE_SQL[k]}, 0)`),
    ' + ',
  )
  const basis = Prisma.join(
    WEIGHT_KEYS.map((k) => Prisma.sql`(CASE WHEN ${FIGURE_SQL[k]} IS NOT NULL THEN ${w[k]}::int ELSE 0 END)`),
    ' + ',
  )
  const only = onlyDepartment ? Prisma.sql`WHERE "departmentId" = ${onlyDepartment}` : Prisma.empty
  return Prisma.sql`
    o AS (
      SELECT o.id, o."departmentId", o."caseId", o.status::text AS status, o."createdAt", o."signBy", o."signedAt", o."completeBy", o."completedAt", o."returnReason"
        FROM "DispatchOrder" o JOIN "Case" c ON c.id = o."caseId"
       WHERE o."departmentId" IS NOT NULL AND o."createdAt" >= ${from} AND o."createdAt" < ${to} AND c."gridId" IN (SELECT id FROM grids)
    ),
    live AS (SELECT * FROM o WHERE status <> 'CANCELLED'),
    departments AS (
      SELECT d.id, d.code FROM "Department" d JOIN "Region" r ON r.id = d."regionId"
       WHERE starts_with(${region.path}, r.path) OR starts_with(r.path, ${region.path})
      UNION
      SELECT d.id, d.code FROM "Department" d WHERE d.id IN (SELECT "departmentId" FROM o)
    ),
    orders AS (
      SELECT "departmentId" AS id,
             count(*)::int AS received,
             count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancelled,
             count(*) FILTER (WHERE status <> 'CANCELLED' AND "signedAt" <= "signBy")::int AS signed_on_time,
             count(*) FILTER (WHERE status <> 'CANCELLED' AND ("signedAt" IS NOT NULL OR (status = 'CREATED' AND "signBy" < ${asOf}::timestamp)))::int AS sign_due,
             count(*) FILTER (WHERE status = 'COMPLETED' AND "completedAt" <= "completeBy")::int AS completed_on_time,
             count(*) FILTER (WHERE status = 'COMPLETED' OR (status IN ('CREATED', 'SIGNED', 'ON_SITE') AND "completeBy" < ${asOf}::timestamp))::int AS completion_due,
             count(*) FILTER (WHERE status <> 'CANCELLED' AND "returnReason" IS NOT NULL)::int AS returned,
             count(*) FILTER (WHERE status = 'TRANSFERRED')::int AS transferred,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "signedAt" - "createdAt")::float8 / 3600) FILTER (WHERE status <> 'CANCELLED' AND "signedAt" IS NOT NULL) AS median_sign,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "completedAt" - "createdAt")::float8 / 3600) FILTER (WHERE status = 'COMPLETED') AS median_complete
        FROM o GROUP BY 1
    ),
    supervised AS (
      SELECT l."departmentId" AS id, count(*)::int AS total,
             count(*) FILTER (WHERE s.level = 1)::int AS l1, count(*) FILTER (WHERE s.level = 2)::int AS l2, count(*) FILTER (WHERE s.level >= 3)::int AS l3,
             count(DISTINCT s."orderId")::int AS orders
        FROM live l JOIN "Supervision" s ON s."orderId" = l.id GROUP BY 1
    ),
    reopenings AS (
      SELECT e."caseId", max(e."createdAt") AS last_at FROM "CaseEvent" e
       WHERE e."toStatus" = 'REOPENED' AND e."caseId" IN (SELECT "caseId" FROM live) GROUP BY 1
    ),
    reopened AS (
      SELECT dc.id, count(*)::int AS cases, count(*) FILTER (WHERE ro.last_at > dc.first_at)::int AS reopened
        FROM (SELECT "departmentId" AS id, "caseId", min("createdAt") AS first_at FROM live GROUP BY 1, 2) dc
        LEFT JOIN reopenings ro ON ro."caseId" = dc."caseId"
       GROUP BY 1
    ),
    rated AS (
      SELECT lead."departmentId" AS id, avg(lead.satisfaction)::float8 AS average, count(*)::int AS ratings
        FROM (
          SELECT DISTINCT ON (f.id) f.satisfaction, x."departmentId", x."createdAt"
            FROM "CaseFeedback" f
            JOIN "DispatchOrder" x ON x."caseId" = f."caseId" AND x.role = 'LEAD' AND x.status <> 'CANCELLED' AND x."createdAt" <= f."createdAt"
           WHERE f."caseId" IN (SELECT "caseId" FROM live)
           ORDER BY f.id, x."createdAt" DESC, x.id DESC
        ) lead
       WHERE lead."departmentId" IS NOT NULL AND lead."createdAt" >= ${from} AND lead."createdAt" < ${to}
       GROUP BY 1
    ),
    rates AS (
      SELECT d.id::text AS "departmentId", d.code,
             COALESCE(a.received, 0) AS received, COALESCE(a.cancelled, 0) AS cancelled, COALESCE(a.received - a.cancelled, 0) AS counted,
             COALESCE(a.signed_on_time, 0) AS "signedOnTime", COALESCE(a.sign_due, 0) AS "signDue", ${pct(Prisma.sql`a.signed_on_time`, Prisma.sql`a.sign_due`)} AS "signedOnTimePercent",
             COALESCE(a.completed_on_time, 0) AS "completedOnTime", COALESCE(a.completion_due, 0) AS "completionDue", ${pct(Prisma.sql`a.completed_on_time`, Prisma.sql`a.completion_due`)} AS "completedOnTimePercent",
             COALESCE(a.returned, 0) AS returned, ${pct(Prisma.sql`a.returned`, Prisma.sql`(a.received - a.cancelled)`)} AS "returnedPercent",
             COALESCE(a.transferred, 0) AS transferred, ${pct(Prisma.sql`a.transferred`, Prisma.sql`(a.received - a.cancelled)`)} AS "transferredPercent",
             COALESCE(s.total, 0) AS supervisions, COALESCE(s.l1, 0) AS "supervisionsLevel1", COALESCE(s.l2, 0) AS "supervisionsLevel2", COALESCE(s.l3, 0) AS "supervisionsLevel3",
             COALESCE(s.orders, 0) AS "supervisedOrders", ${pct(Prisma.sql`COALESCE(s.orders, 0)`, Prisma.sql`(a.received - a.cancelled)`)} AS "supervisedPercent",
             COALESCE(r.cases, 0) AS cases, COALESCE(r.reopened, 0) AS "reopenedCases", ${pct(Prisma.sql`r.reopened`, Prisma.sql`r.cases`)} AS "reopenedPercent",
             f.average AS "averageSatisfaction", COALESCE(f.ratings, 0) AS ratings,
             a.median_sign AS "medianHoursToSign", a.median_complete AS "medianHoursToComplete"
        FROM departments d
        LEFT JOIN orders a ON a.id = d.id LEFT JOIN supervised s ON s.id = d.id LEFT JOIN reopened r ON r.id = d.id LEFT JOIN rated f ON f.id = d.id
    ),
    scored AS (
      SELECT *, round(((${weighted}) / NULLIF(${basis}, 0))::numeric, 2)::float8 AS score, (${basis})::int AS "scoreBasis" FROM rates
    ),
    ranked AS (
      SELECT *, CASE WHEN score IS NULL THEN NULL ELSE rank() OVER (ORDER BY score DESC NULLS LAST)::int END AS rank, count(score) OVER ()::int AS ranked FROM scored
    )
    SELECT * FROM ranked ${only} ORDER BY rank NULLS LAST, code`
}

export async function departmentPerformance(ctx: Context, args: ReportArgs): Promise<DepartmentReport> {
  const report = await runReport<DepartmentRow>(ctx, args, true, departmentStatement)
  return { ...report, formula: formulaOf(report.weights) }
}

// ---------------------------------------------------------------- grid figures (GridPerformance, GridWorkerPerformance)

/** States in which a case's work is done and was not sent back (办结). */
const RESOLVED_STATES = ['RESOLVED', 'VERIFIED', 'CLOSED'] as const

/** The cases of a period in the given grids, each with the moment of its last resolution. */
const periodCases = (grids: Prisma.Sql, from: Date, to: Date, extra: Prisma.Sql = Prisma.empty) => Prisma.sql`
  SELECT c.id, c."gridId", c."createdById", c.source::text AS source, c.status::text AS status, c.deadline,
         (SELECT max(e."createdAt") FROM "CaseEvent" e WHERE e."caseId" = c.id AND e.action = 'RESOLVE') AS resolved_at
    FROM "Case" c
   WHERE c."gridId" IN (SELECT id FROM ${grids}) AND c."createdAt" >= ${from} AND c."createdAt" < ${to} ${extra}`

/** Resolution figures over the `c` rows of a group: reported, resolved, resolved on time, due. */
const resolutionFigures = (asOf: Date) => Prisma.sql`
  count(*)::int AS reported,
  count(*) FILTER (WHERE status = ANY(${[...RESOLVED_STATES]}::text[]))::int AS resolved,
  count(*) FILTER (WHERE status = ANY(${[...RESOLVED_STATES]}::text[]) AND (deadline IS NULL OR resolved_at <= deadline))::int AS resolved_on_time,
  count(*) FILTER (WHERE status = ANY(${[...RESOLVED_STATES]}::text[]) OR (deadline < ${asOf}::timestamp AND NOT status = ANY(${[...OFF_THE_CLOCK]}::text[])))::int AS due`

/** Assignments that served a grid at some time in the period. */
const servedIn = (from: Date, to: Date) =>
  Prisma.sql`a."startedAt" < ${to} AND (a."endedAt" IS NULL OR a."endedAt" > ${from})`

export interface GridRow {
  gridId: string
  reported: number
  patrol: number
  residents: number
  resolved: number
  resolvedOnTime: number
  due: number
  onTimePercent: number | null
  averageSatisfaction: number | null
  ratings: number
  verificationsPassed: number
  verificationsFailed: number
  verificationPassPercent: number | null
  activeWorkers: number
  households: number | null
  householdsPerWorker: number | null
  volunteerHours: number
  volunteerServices: number
  partyMembers: number
}

/** One row per grid, after `grids`. */
const gridStatement = ({ period: { from, to }, asOf }: Scope) => Prisma.sql`
    c AS (${periodCases(Prisma.sql`grids`, from, to)}),
    cases AS (
      SELECT "gridId" AS id, ${resolutionFigures(asOf)},
             count(*) FILTER (WHERE source = 'PATROL')::int AS patrol,
             count(*) FILTER (WHERE source IN ('RESIDENT', 'ONLINE'))::int AS residents
        FROM c GROUP BY 1
    ),
    verified AS (
      SELECT c."gridId" AS id, count(*) FILTER (WHERE e.action = 'VERIFY_PASS')::int AS passed, count(*) FILTER (WHERE e.action = 'VERIFY_FAIL')::int AS failed
        FROM c JOIN "CaseEvent" e ON e."caseId" = c.id WHERE e.action IN ('VERIFY_PASS', 'VERIFY_FAIL') GROUP BY 1
    ),
    rated AS (SELECT c."gridId" AS id, avg(f.satisfaction)::float8 AS average, count(*)::int AS ratings FROM c JOIN "CaseFeedback" f ON f."caseId" = c.id GROUP BY 1),
    workers AS (SELECT a."gridId" AS id, count(DISTINCT a."userId")::int AS n FROM "GridAssignment" a WHERE a."gridId" IN (SELECT id FROM grids) AND ${servedIn(from, to)} GROUP BY 1),
    homes AS (SELECT b."gridId" AS id, sum(b.households)::int AS n FROM "Building" b WHERE b."gridId" IN (SELECT id FROM grids) GROUP BY 1),
    volunteering AS (
      SELECT a."gridId" AS id, COALESCE(sum(s.hours), 0)::float8 AS hours, count(*)::int AS services
        FROM "ActivitySignup" s JOIN "VolunteerActivity" a ON a.id = s."activityId"
       WHERE a."gridId" IN (SELECT id FROM grids) AND s.status = 'COMPLETED'
         AND COALESCE(s."completedAt", a."endsAt") >= ${from} AND COALESCE(s."completedAt", a."endsAt") < ${to}
       GROUP BY 1
    ),
    members AS (
      SELECT r."gridId" AS id, count(DISTINCT r."memberId")::int AS n FROM "DualReport" r
       WHERE r."gridId" IN (SELECT id FROM grids) AND r.kind = 'MEMBER' AND r."decidedAt" < ${to}
         AND (r.status = 'APPROVED' OR (r.status IN ('WITHDRAWN', 'TRANSFERRED') AND r."closedAt" >= ${to}))
       GROUP BY 1
    )
    SELECT g.id::text AS "gridId",
           COALESCE(c.reported, 0) AS reported, COALESCE(c.patrol, 0) AS patrol, COALESCE(c.residents, 0) AS residents,
           COALESCE(c.resolved, 0) AS resolved, COALESCE(c.resolved_on_time, 0) AS "resolvedOnTime", COALESCE(c.due, 0) AS due,
           ${pct(Prisma.sql`c.resolved_on_time`, Prisma.sql`c.due`)} AS "onTimePercent",
           f.average AS "averageSatisfaction", COALESCE(f.ratings, 0) AS ratings,
           COALESCE(v.passed, 0) AS "verificationsPassed", COALESCE(v.failed, 0) AS "verificationsFailed",
           ${pct(Prisma.sql`v.passed`, Prisma.sql`(v.passed + v.failed)`)} AS "verificationPassPercent",
           COALESCE(w.n, 0) AS "activeWorkers", h.n AS households, (h.n::float8 / NULLIF(w.n, 0)) AS "householdsPerWorker",
           COALESCE(vo.hours, 0) AS "volunteerHours", COALESCE(vo.services, 0) AS "volunteerServices", COALESCE(m.n, 0) AS "partyMembers"
      FROM grids g
      LEFT JOIN cases c ON c.id = g.id LEFT JOIN verified v ON v.id = g.id LEFT JOIN rated f ON f.id = g.id LEFT JOIN workers w ON w.id = g.id
      LEFT JOIN homes h ON h.id = g.id LEFT JOIN volunteering vo ON vo.id = g.id LEFT JOIN members m ON m.id = g.id
     ORDER BY g.code`

export function gridPerformance(ctx: Context, args: ReportArgs): Promise<Report<GridRow>> {
  return runReport(ctx, args, false, gridStatement)
}

export interface GridWorkerRow {
  gridId: string
  userId: string
  reported: number
  resolved: number
  resolvedOnTime: number
  due: number
  onTimePercent: number | null
}

/** One row per person and grid they served, after `grids`. */
const gridWorkerStatement = ({ period: { from, to }, asOf }: Scope) => Prisma.sql`
    workers AS (SELECT DISTINCT a."gridId", a."userId" FROM "GridAssignment" a WHERE a."gridId" IN (SELECT id FROM grids) AND ${servedIn(from, to)}),
    c AS (${periodCases(Prisma.sql`grids`, from, to, Prisma.sql`AND c."createdById" IN (SELECT "userId" FROM workers)`)}),
    filed AS (SELECT "gridId", "createdById", ${resolutionFigures(asOf)} FROM c GROUP BY 1, 2)
    SELECT w."gridId"::text AS "gridId", w."userId"::text AS "userId",
           COALESCE(f.reported, 0) AS reported, COALESCE(f.resolved, 0) AS resolved, COALESCE(f.resolved_on_time, 0) AS "resolvedOnTime", COALESCE(f.due, 0) AS due,
           ${pct(Prisma.sql`f.resolved_on_time`, Prisma.sql`f.due`)} AS "onTimePercent"
      FROM workers w JOIN grids g ON g.id = w."gridId"
      LEFT JOIN filed f ON f."gridId" = w."gridId" AND f."createdById" = w."userId"
     ORDER BY g.code, w."userId"`

export function gridWorkerPerformance(ctx: Context, args: ReportArgs): Promise<Report<GridWorkerRow>> {
  return runReport(ctx, args, false, gridWorkerStatement)
}
