// What each export reads: who may ask for it (named scopes, like the GraphQL fields), its query
// parameters (the filters of the matching GraphQL list), the `where` they make — the list's own
// builder where the list exports it, so the two never disagree — the columns to select through the
// viewer's reader (the read policies apply) and the rows as the API shows them: the reporter's
// contact whole, masked or absent exactly as `Case.reporterName` / `Case.reporterPhone` are.
// Names of reference rows (categories, regions, grids, departments, party organisations) are read
// once per export through the reader, by id, rather than joined into every row: half the time of a
// batch went into building them as JSON, row by row. The assessment exports are reports instead:
// the rows the GraphQL field's own service function computes (with its authorization), at once.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { z } from 'zod'
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import {
  CaseSource,
  CaseStatus,
  DispatchOrderStatus,
  DualReportKind,
  DualReportStatus,
} from '../../generated/prisma/enums.js'
import { regionSubtrees } from '../../auth/policy.js'
import type { ScopeName } from '../../auth/scopes.js'
import { caseWhere, reporterContact, reporterSelect } from '../case/case.schema.js'
import { NAME_PERSON, shownName } from '../directory/directory.schema.js'
import { caseOverdue, orderOverdue, overdueOrders } from '../case/transitions.js'
import { departmentPerformance, gridPerformance } from '../assessment/assessment.service.js'
import { yearRecord } from '../party/service-record.service.js'
import { serviceYear } from '../party/transitions.js'
import {
  CASE_COLUMNS,
  DEPARTMENT_PERFORMANCE_COLUMNS,
  DUAL_REPORT_COLUMNS,
  GRID_PERFORMANCE_COLUMNS,
  ORDER_COLUMNS,
  PARTY_MEMBER_RECORD_COLUMNS,
  VOLUNTEER_HOURS_COLUMNS,
  type CaseRow,
  type Column,
  type DepartmentPerformanceRow,
  type DualReportRow,
  type GridPerformanceRow,
  type OrderRow,
  type PartyMemberRecordRow,
  type VolunteerHoursRow,
} from './columns.js'
import {
  anyOf,
  bool,
  calendarYear,
  from,
  globalIdOf,
  orderedRange,
  PERIOD,
  RANGE_MESSAGE,
  to,
  withPeriod,
} from './params.js'

/** The delegates the list exports read, by model. */
export type ExportModel = 'case' | 'dispatchOrder' | 'dualReport' | 'activitySignup' | 'partyMember'

interface ExportBase<P, R> {
  /** The path: `/exports/<name>.csv|xlsx`. */
  name: string
  /** The file and sheet name (中文). */
  title: string
  /** Who may ask for it at all (any of these scopes); the rows are then the read policy's business. */
  scopes: readonly ScopeName[]
  /** The query parameters (every value a string, those named in `lists` arrays of them). */
  params: z.ZodType<P>
  lists: ReadonlySet<string>
  columns: readonly Column<R>[]
}

/** A list: its rows read in keyset batches through the reader (export.service.ts), however many there are. */
export interface ListExport<P = never, R = never> extends ExportBase<P, R> {
  kind: 'list'
  model: ExportModel
  where(params: P, ctx: Context): object
  select(ctx: Context): object
  /** A batch of rows as read (with `id` and `createdAt`), as the export shows them. */
  rows(batch: never[], ctx: Context, names: Names, params: P): Promise<R[]>
  /** Rows per batch, when each row costs statements of its own (default BATCH_SIZE). */
  batchSize?: number
}

/**
 * A report: its rows computed at once by the service function the GraphQL field calls (a region's
 * departments or grids: a few hundred rows), before the file starts, so that its refusals are
 * still answered with a status.
 */
export interface ReportExport<P = never, R = never> extends ExportBase<P, R> {
  kind: 'report'
  report(params: P, ctx: Context, names: Names): Promise<R[]>
}

export type ExportDefinition = ListExport | ReportExport

const listExport = <P, R, D>(
  d: Omit<ListExport<P, R>, 'kind' | 'rows'> & {
    rows(batch: D[], ctx: Context, names: Names, params: P): Promise<R[]>
  },
) => ({ kind: 'list', ...d }) as unknown as ExportDefinition
const reportExport = <P, R>(d: Omit<ReportExport<P, R>, 'kind'>) =>
  ({ kind: 'report', ...d }) as unknown as ExportDefinition

/** Models whose rows the exports name by their `name` column. */
type NamedModel = 'caseCategory' | 'region' | 'grid' | 'department' | 'partyOrg'

export interface Names {
  /** Reads the names of the rows not read yet, one statement per model, through the reader: an unreadable row has none. */
  load(model: NamedModel, ids: Iterable<string | null | undefined>): Promise<void>
  /** A name loaded before, or null. */
  of(model: NamedModel, id: string | null | undefined): string | null
}

/** The names one export run reads: reference rows, a few hundred whatever the number of rows exported. */
export function nameLookup(ctx: Context): Names {
  const known = new Map<NamedModel, Map<string, string | null>>()
  const table = (model: NamedModel) => {
    let m = known.get(model)
    if (!m) known.set(model, (m = new Map()))
    return m
  }
  return {
    async load(model, ids) {
      const m = table(model)
      const missing = [...new Set(ids)].filter((id): id is string => !!id && !m.has(id))
      if (!missing.length) return
      const delegate = (
        ctx.reader as unknown as Record<NamedModel, { findMany(a: object): Promise<{ id: string; name: string }[]> }>
      )[model]
      const rows = await delegate.findMany({ where: { id: { in: missing } }, select: { id: true, name: true } })
      for (const id of missing) m.set(id, null)
      for (const r of rows) m.set(r.id, r.name)
    },
    of: (model, id) => (id ? (known.get(model)?.get(id) ?? null) : null),
  }
}

type Id = string | null | undefined

/** Loads the names a batch refers to, every model at once: by model, the id (or ids) of a row. */
const loadNames = <T>(names: Names, batch: readonly T[], ids: { [M in NamedModel]?: (row: T) => Id | Id[] }) =>
  Promise.all(Object.entries(ids).map(([model, of]) => names.load(model as NamedModel, batch.flatMap(of))))

/**
 * A row as the reader gives it for a select: a to-one relation whose row the viewer may not read
 * comes back null, even where the schema requires it (docs/architecture.md, "Reads").
 */
type AsRead<Row> = { [K in keyof Row]: K extends '_count' ? Row[K] : OrNull<Row[K]> }
type OrNull<V> = V extends Date | readonly unknown[] ? V : V extends object ? AsRead<V> | null : V

// ---------------------------------------------------------------- cases

const caseParams = z
  .strictObject({
    status: anyOf(Object.values(CaseStatus) as [CaseStatus, ...CaseStatus[]]),
    source: z.enum(CaseSource).optional(),
    category: globalIdOf('CaseCategory'),
    grid: globalIdOf('Grid'),
    region: globalIdOf('Region'),
    overdue: bool,
    from,
    to,
  })
  .refine(orderedRange, RANGE_MESSAGE)

type CaseParams = z.output<typeof caseParams>

/** The case filter of the GraphQL list (CaseFilter) for these parameters. */
const asCaseFilter = (p: CaseParams): Parameters<typeof caseWhere>[0] => ({
  status: p.status,
  source: p.source,
  categoryId: p.category ? { typename: 'CaseCategory', id: p.category } : undefined,
  gridId: p.grid ? { typename: 'Grid', id: p.grid } : undefined,
  within: p.region ? { typename: 'Region', id: p.region } : undefined,
  overdue: p.overdue,
  reportedAfter: p.from,
  reportedBefore: p.to,
})

/**
 * The columns of a case, and the reporter's contact as Case.reporterName / reporterPhone read it: for
 * department staff also the count of their department's open lead orders on the case, which lets
 * them call the reporter back.
 */
const caseSelect = (ctx: Context) =>
  ({
    id: true,
    title: true,
    description: true,
    source: true,
    status: true,
    escalationLevel: true,
    categoryId: true,
    gridId: true,
    handlingRegionId: true,
    address: true,
    lng: true,
    lat: true,
    deadline: true,
    createdAt: true,
    updatedAt: true,
    closedAt: true,
    ...reporterSelect({}, ctx),
  }) satisfies Prisma.CaseSelect

type CaseSelect = ReturnType<typeof caseSelect>

/** `_count` is selected for department staff only (reporterSelect): a row has it for them, no other. */
type CaseRead = AsRead<
  Prisma.CaseGetPayload<{ select: Omit<CaseSelect, '_count'> }> &
    Partial<Prisma.CaseGetPayload<{ select: Required<Pick<CaseSelect, '_count'>> }>>
>

const cases = listExport<CaseParams, CaseRow, CaseRead>({
  name: 'cases',
  title: '案件',
  scopes: ['officer', 'gridWorker', 'departmentStaff'],
  params: caseParams,
  lists: new Set(['status']),
  model: 'case',
  where: (p, ctx) => caseWhere(asCaseFilter(p), ctx),
  select: caseSelect,
  rows: async (batch, ctx, names) => {
    await loadNames(names, batch, {
      caseCategory: (c) => c.categoryId,
      region: (c) => [c.regionId, c.handlingRegionId],
      grid: (c) => c.gridId,
    })
    const now = new Date()
    return Promise.all(
      batch.map(async (c) => {
        const contact = await reporterContact(ctx, c)
        return {
          id: encodeGlobalID('Case', c.id),
          title: c.title,
          description: c.description,
          source: c.source,
          status: c.status,
          category: names.of('caseCategory', c.categoryId),
          region: names.of('region', c.regionId),
          grid: names.of('grid', c.gridId),
          handlingRegion: names.of('region', c.handlingRegionId),
          escalationLevel: c.escalationLevel,
          address: c.address,
          lng: c.lng,
          lat: c.lat,
          anonymous: c.anonymous,
          reporterName: contact.name,
          reporterPhone: contact.phone,
          deadline: c.deadline,
          overdue: caseOverdue(c, now),
          createdAt: c.createdAt,
          updatedAt: c.updatedAt,
          closedAt: c.closedAt,
        }
      }),
    )
  },
  columns: CASE_COLUMNS,
})

// ---------------------------------------------------------------- dispatch orders

const orderParams = z
  .strictObject({
    scope: z.enum(['MINE', 'MY_DEPARTMENT', 'VISIBLE']).optional(),
    status: anyOf(Object.values(DispatchOrderStatus) as [DispatchOrderStatus, ...DispatchOrderStatus[]]),
    overdue: bool,
    region: globalIdOf('Region'),
    from,
    to,
  })
  .refine(orderedRange, RANGE_MESSAGE)

type OrderParams = z.output<typeof orderParams>

/** Nobody's id: `MY_DEPARTMENT` for a viewer without a department matches no row. */
const NOBODY = '00000000-0000-0000-0000-000000000000'

/** An order's own columns, with the relations its named columns come from. */
const orderSelect = {
  id: true,
  caseId: true,
  departmentId: true,
  role: true,
  mode: true,
  status: true,
  instructions: true,
  signBy: true,
  completeBy: true,
  signedAt: true,
  onSiteAt: true,
  completedAt: true,
  result: true,
  returnReason: true,
  supervisionLevel: true,
  createdAt: true,
  case: { select: { title: true, regionId: true } },
  // addressees are grid workers of the case's grid: staff, whose names are not masked (User.displayName)
  assignee: { select: { displayName: true } },
} as const satisfies Prisma.DispatchOrderSelect

type OrderRead = AsRead<Prisma.DispatchOrderGetPayload<{ select: typeof orderSelect }>>

const orders = listExport<OrderParams, OrderRow, OrderRead>({
  name: 'dispatch-orders',
  title: '派单',
  scopes: ['officer', 'gridWorker', 'departmentStaff'],
  params: orderParams,
  lists: new Set(['status']),
  model: 'dispatchOrder',
  where: (p, ctx) =>
    ({
      AND: [
        p.scope === 'MINE' ? { assigneeId: ctx.viewer?.userId ?? NOBODY } : {},
        p.scope === 'MY_DEPARTMENT' ? { departmentId: ctx.viewer?.departmentId ?? NOBODY } : {},
        p.status?.length ? { status: { in: p.status } } : {},
        p.overdue ? overdueOrders(new Date()) : {},
        p.region ? { case: { region: regionSubtrees([p.region])! } } : {},
        p.from ? { createdAt: { gte: p.from } } : {},
        p.to ? { createdAt: { lt: p.to } } : {},
      ].filter((w) => Object.keys(w).length),
    }) satisfies Prisma.DispatchOrderWhereInput,
  select: () => orderSelect,
  rows: async (batch, _ctx, names) => {
    await loadNames(names, batch, {
      region: (o) => o.case?.regionId,
      department: (o) => o.departmentId,
    })
    const now = new Date()
    return batch.map((o) => ({
      ...o,
      id: encodeGlobalID('DispatchOrder', o.id),
      caseId: encodeGlobalID('Case', o.caseId),
      caseTitle: o.case?.title ?? null,
      region: names.of('region', o.case?.regionId),
      department: names.of('department', o.departmentId),
      assignee: o.assignee?.displayName ?? null,
      overdue: orderOverdue(o, now),
    }))
  },
  columns: ORDER_COLUMNS,
})

// ---------------------------------------------------------------- dual reports

const reportParams = z
  .strictObject({
    status: anyOf(Object.values(DualReportStatus) as [DualReportStatus, ...DualReportStatus[]]),
    kind: z.enum(DualReportKind).optional(),
    region: globalIdOf('Region'),
    grid: globalIdOf('Grid'),
    from,
    to,
  })
  .refine(orderedRange, RANGE_MESSAGE)

type ReportParams = z.output<typeof reportParams>

/** A report's own columns, with the member its named column comes from. */
const reportSelect = {
  id: true,
  kind: true,
  status: true,
  serviceRole: true,
  reason: true,
  createdAt: true,
  decidedAt: true,
  closedAt: true,
  unitOrgId: true,
  communityId: true,
  gridId: true,
  branchId: true,
  // a member is read under their own policy (PartyMember): absent where the GraphQL field is null
  member: { select: { name: true } },
} as const satisfies Prisma.DualReportSelect

type ReportRead = AsRead<Prisma.DualReportGetPayload<{ select: typeof reportSelect }>>

const dualReports = listExport<ReportParams, DualReportRow, ReportRead>({
  name: 'dual-reports',
  title: '双报到',
  scopes: ['officer', 'unitContact'],
  params: reportParams,
  lists: new Set(['status']),
  model: 'dualReport',
  where: (p) =>
    ({
      AND: [
        p.status?.length ? { status: { in: p.status } } : {},
        p.kind ? { kind: p.kind } : {},
        p.region ? { community: regionSubtrees([p.region])! } : {},
        p.grid ? { gridId: p.grid } : {},
        p.from ? { createdAt: { gte: p.from } } : {},
        p.to ? { createdAt: { lt: p.to } } : {},
      ].filter((w) => Object.keys(w).length),
    }) satisfies Prisma.DualReportWhereInput,
  select: () => reportSelect,
  rows: async (batch, _ctx, names) => {
    await loadNames(names, batch, {
      partyOrg: (r) => [r.unitOrgId, r.branchId],
      region: (r) => r.communityId,
      grid: (r) => r.gridId,
    })
    return batch.map((r) => ({
      ...r,
      id: encodeGlobalID('DualReport', r.id),
      member: r.member?.name ?? null,
      unitOrg: names.of('partyOrg', r.unitOrgId),
      branch: names.of('partyOrg', r.branchId),
      community: names.of('region', r.communityId),
      grid: names.of('grid', r.gridId),
    }))
  },
  columns: DUAL_REPORT_COLUMNS,
})

// ---------------------------------------------------------------- assessment (考核): reports of the GraphQL fields

const performanceParams = z.strictObject({ region: globalIdOf('Region'), ...PERIOD }).transform(withPeriod)

type PerformanceParams = z.output<typeof performanceParams>

/** The arguments of `departmentPerformance` / `gridPerformance` for these parameters. */
const asPerformanceArgs = (p: PerformanceParams) => ({ regionId: p.region ?? null, period: p.period })

const departmentPerformanceExport = reportExport<PerformanceParams, DepartmentPerformanceRow>({
  name: 'department-performance',
  title: '部门考核',
  scopes: ['officer', 'departmentStaff'],
  params: performanceParams,
  lists: new Set(),
  report: async (p, ctx) => {
    const { rows } = await departmentPerformance(ctx, asPerformanceArgs(p))
    // DepartmentPerformance.department, read as that field reads it
    const departments = await ctx.reader.department.findMany({
      where: { id: { in: rows.map((r) => r.departmentId) } },
      select: { id: true, code: true, name: true },
    })
    const byId = new Map(departments.map((d) => [d.id, d]))
    return rows.map((r) => ({
      ...r,
      code: byId.get(r.departmentId)?.code ?? null,
      department: byId.get(r.departmentId)?.name ?? null,
    }))
  },
  columns: DEPARTMENT_PERFORMANCE_COLUMNS,
})

const gridPerformanceExport = reportExport<PerformanceParams, GridPerformanceRow>({
  name: 'grid-performance',
  title: '网格考核',
  scopes: ['officer'],
  params: performanceParams,
  lists: new Set(),
  report: async (p, ctx, names) => {
    const { rows } = await gridPerformance(ctx, asPerformanceArgs(p))
    const grids = await ctx.reader.grid.findMany({
      where: { id: { in: rows.map((r) => r.gridId) } },
      select: { id: true, code: true, name: true, communityId: true },
    })
    const byId = new Map(grids.map((g) => [g.id, g]))
    await loadNames(names, grids, { region: (g) => g.communityId })
    return rows.map((r) => {
      const g = byId.get(r.gridId)
      return { ...r, code: g?.code ?? null, grid: g?.name ?? null, community: names.of('region', g?.communityId) }
    })
  },
  columns: GRID_PERFORMANCE_COLUMNS,
})

// ---------------------------------------------------------------- volunteer hours (志愿服务时长)

const hoursParams = z
  .strictObject({
    community: globalIdOf('Region'),
    grid: globalIdOf('Grid'),
    from,
    to,
  })
  .refine(orderedRange, RANGE_MESSAGE)

type HoursParams = z.output<typeof hoursParams>

/** What `shownName` needs (User.displayName). */
const USER_NAME = { ...NAME_PERSON, displayName: true } as const

/** A signup's own columns, with its activity and the volunteer as `shownName` reads them. */
const signupSelect = {
  id: true,
  hours: true,
  points: true,
  completedAt: true,
  activity: { select: { title: true, communityId: true, gridId: true, startsAt: true, endsAt: true } },
  user: { select: USER_NAME },
} as const satisfies Prisma.ActivitySignupSelect

type SignupRead = AsRead<Prisma.ActivitySignupGetPayload<{ select: typeof signupSelect }>>

const volunteerHours = listExport<HoursParams, VolunteerHoursRow, SignupRead>({
  name: 'volunteer-hours',
  title: '志愿服务时长',
  scopes: ['officer', 'gridWorker'],
  params: hoursParams,
  lists: new Set(),
  model: 'activitySignup',
  // the filters of `activitySignups` (ActivitySignupFilter: status COMPLETED, from, to) and of
  // VolunteerActivityFilter (communityId, gridId) on the signup's activity
  where: (p) =>
    ({
      AND: [
        { status: 'COMPLETED' as const },
        p.from ? { activity: { endsAt: { gt: p.from } } } : {},
        p.to ? { activity: { startsAt: { lt: p.to } } } : {},
        p.community ? { activity: { communityId: p.community } } : {},
        p.grid ? { activity: { gridId: p.grid } } : {},
      ].filter((w) => Object.keys(w).length),
    }) satisfies Prisma.ActivitySignupWhereInput,
  select: () => signupSelect,
  rows: async (batch, ctx, names) => {
    await loadNames(names, batch, {
      region: (s) => s.activity?.communityId,
      grid: (s) => s.activity?.gridId,
    })
    return Promise.all(
      batch.map(async (s) => ({
        id: encodeGlobalID('ActivitySignup', s.id),
        volunteer: s.user && (await shownName(ctx, s.user)),
        activity: s.activity?.title ?? null,
        community: names.of('region', s.activity?.communityId),
        grid: names.of('grid', s.activity?.gridId),
        startsAt: s.activity?.startsAt ?? null,
        endsAt: s.activity?.endsAt ?? null,
        completedAt: s.completedAt,
        hours: s.hours,
        points: s.points,
      })),
    )
  },
  columns: VOLUNTEER_HOURS_COLUMNS,
})

// ---------------------------------------------------------------- party members' yearly records (党员年度记录)

const recordParams = z
  .strictObject({
    year: calendarYear.optional(),
    org: globalIdOf('PartyOrg'),
  })
  .transform((p) => ({ ...p, year: p.year ?? serviceYear(new Date()) }))

type RecordParams = z.output<typeof recordParams>

/** A member's own columns; the yearly figures are read per member (`yearRecord`). */
const memberSelect = {
  id: true,
  name: true,
  orgId: true,
  homeCommunityId: true,
} as const satisfies Prisma.PartyMemberSelect

type MemberRead = AsRead<Prisma.PartyMemberGetPayload<{ select: typeof memberSelect }>>

const partyMemberRecords = listExport<RecordParams, PartyMemberRecordRow, MemberRead>({
  name: 'party-member-records',
  title: '党员年度记录',
  scopes: ['officer', 'unitContact'],
  params: recordParams,
  lists: new Set(),
  model: 'partyMember',
  // the filters of `partyMembers` (PartyMemberFilter: members on record; orgId: membership held in
  // the organisation's subtree, or placed in it by an approved dual report)
  where: (p) => {
    const org = p.org ? { path: { contains: `/${p.org}/` } } : null
    const and: Prisma.PartyMemberWhereInput[] = [{ active: true }]
    if (org) and.push({ OR: [{ org }, { reports: { some: { status: 'APPROVED', branch: org } } }] })
    return { AND: and } satisfies Prisma.PartyMemberWhereInput
  },
  select: () => memberSelect,
  // each record is two statements of its own (PartyMember.serviceRecord): small batches leave the pool to others
  batchSize: 50,
  rows: async (batch, ctx, names, p) => {
    await loadNames(names, batch, {
      partyOrg: (m) => m.orgId,
      region: (m) => m.homeCommunityId,
    })
    return Promise.all(
      batch.map(async (m) => {
        const { commitments: _, ...record } = await yearRecord(ctx, m.id, p.year)
        return {
          ...record,
          memberGlobalId: encodeGlobalID('PartyMember', m.id),
          name: m.name,
          org: names.of('partyOrg', m.orgId),
          homeCommunity: names.of('region', m.homeCommunityId),
        }
      }),
    )
  },
  columns: PARTY_MEMBER_RECORD_COLUMNS,
})

export const EXPORTS: ReadonlyMap<string, ExportDefinition> = new Map(
  [
    cases,
    orders,
    dualReports,
    departmentPerformanceExport,
    gridPerformanceExport,
    volunteerHours,
    partyMemberRecords,
  ].map((d) => [d.name, d]),
)
