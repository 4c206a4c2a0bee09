import { builder } from '../../builder.js'
import { nodeId, exposeVersion, anyStatus, orderInput } from '../../shared/schema-fields.js'
import { CaseSource, CaseStatus } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { maskName, maskPhone, seesPerson } from '../../auth/personal-data.js'
import { regionSubtrees, staffDepartmentOf } from '../../auth/policy.js'
import { NotFoundError } from '../../shared/errors.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { GridRef } from '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import { ACTIVE_ORDER, caseOverdue, overdueCases } from './transitions.js'
import { anyFieldMatches } from '../../shared/search.js'

import { CaseCategoryRef } from './reference.schema.js'

export const CaseStatusEnum = builder.enumType(CaseStatus, {
  name: 'CaseStatus',
  description:
    'State of a case (案件状态): REPORTED 已上报, ACCEPTED 已受理, REJECTED 不予受理, DISPATCHED 已派单, RESOLVED 已办结, VERIFIED 已核查, CLOSED 已结案, REOPENED 已重启, SUSPENDED 已挂起.',
})

export const CaseSourceEnum = builder.enumType(CaseSource, {
  name: 'CaseSource',
  description:
    'Where a case came from (案件来源): PATROL 网格巡查, RESIDENT 群众上报, HOTLINE 热线, ONLINE 网上, TRANSFER 上级转办.',
})

const LocationRef = builder.objectRef<{ lng: number; lat: number; address: string | null }>('CaseLocation').implement({
  description: 'Where the problem is (案发位置).',
  fields: (t) => ({
    lng: t.exposeFloat('lng', { description: 'Longitude, WGS84 (经度).' }),
    lat: t.exposeFloat('lat', { description: 'Latitude, WGS84 (纬度).' }),
    address: t.exposeString('address', { nullable: true, description: 'Address (地址).' }),
  }),
})

/** What deciding on the reporter's data needs from a case row. */
export const CASE_REPORTER = { anonymous: true, reporterId: true, regionId: true } as const
export const reporterOf = (c: { reporterId: string | null; regionId: string }) => ({
  userId: c.reporterId,
  communityIds: [c.regionId],
})

/**
 * What the reporter's contact needs; for department staff also the count of the orders whose staff
 * may call the reporter back: their department's open lead orders (nobody else has any).
 */
export const reporterSelect = (_args: object, ctx: { viewer: Parameters<typeof staffDepartmentOf>[0] | null }) => {
  const dept = ctx.viewer && staffDepartmentOf(ctx.viewer)
  return {
    ...CASE_REPORTER,
    reporterName: true,
    reporterPhone: true,
    ...(dept
      ? {
          _count: {
            select: {
              orders: { where: { departmentId: dept, role: 'LEAD' as const, status: { in: [...ACTIVE_ORDER] } } },
            },
          },
        }
      : {}),
  }
}

/**
 * The reporter's contact (DESIGN §4): absent on an anonymous case except to the reporter, admins and
 * officers of its community; whole for them and for the lead department of an open order; masked
 * for every other handler.
 */
export async function reporterContact(
  ctx: Context,
  c: {
    anonymous: boolean
    reporterId: string | null
    regionId: string
    reporterName: string | null
    reporterPhone: string | null
    _count?: { orders: number }
  },
) {
  const whole = await seesPerson(ctx, reporterOf(c))
  if (c.anonymous && !whole) return { name: null, phone: null }
  if (whole || (c._count?.orders ?? 0) > 0) return { name: c.reporterName, phone: c.reporterPhone }
  return { name: maskName(c.reporterName), phone: maskPhone(c.reporterPhone) }
}

export const CaseRef = builder.prismaNode('Case', {
  nullable: true,
  id: nodeId,
  description: 'A problem to be solved (群众诉求 / 矛盾纠纷 / 事件), followed from report to closure.',
  // only the columns a query asks for, and the few that decide who sees the reporter (`reporter`'s
  // authScopes read them, and a relation field cannot select its own)
  select: { id: true, ...CASE_REPORTER },
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Short title (标题).' }),
    description: t.exposeString('description', { description: 'What is wrong (问题描述).' }),
    category: t.relation('category', { description: 'Category (类别).' }),
    source: t.expose('source', { type: CaseSourceEnum, description: 'Where it came from (来源).' }),
    status: t.expose('status', { type: CaseStatusEnum, description: 'Current state (状态).' }),
    grid: t.relation('grid', { description: 'The grid it is in (所属网格).' }),
    region: t.relation('region', { description: 'The community it is in (所属社区).' }),
    handlingRegion: t.relation('handlingRegion', {
      description: 'The level handling it; higher after escalation (承办层级).',
    }),
    escalationLevel: t.exposeInt('escalationLevel', { description: 'How many times it was escalated (上报层级次数).' }),
    location: t.field({
      type: LocationRef,
      select: { lng: true, lat: true, address: true },
      resolve: (c) => c,
      description: 'Where (位置).',
    }),
    attachments: t.exposeStringList('attachments', { description: 'Photo and document URLs (附件地址).' }),
    anonymous: t.exposeBoolean('anonymous', {
      description: 'Reported anonymously; the reporter is hidden from handlers (匿名).',
    }),
    reporter: t.relation('reporter', {
      nullable: true,
      description:
        "The reporting account; absent when anonymous, except to the reporter, admins and officers of the case's community (上报人).",
      authScopes: async (c, _a, ctx) => !c.anonymous || seesPerson(ctx, reporterOf(c)),
      unauthorizedResolver: () => null,
    }),
    reporterName: t.string({
      nullable: true,
      select: reporterSelect,
      description:
        "Name given by the reporter: whole for the reporter, admins, officers of the case's community and the lead department of an open order; masked for other handlers; absent when anonymous (联系人).",
      resolve: async (c, _a, ctx) => (await reporterContact(ctx, c)).name,
    }),
    reporterPhone: t.string({
      nullable: true,
      select: reporterSelect,
      description:
        'Phone given by the reporter, whole or masked like the name; absent when anonymous (联系电话，按需脱敏).',
      resolve: async (c, _a, ctx) => (await reporterContact(ctx, c)).phone,
    }),
    deadline: t.expose('deadline', {
      type: 'DateTime',
      nullable: true,
      description: 'Due by, from the category SLA (办理期限).',
    }),
    overdue: t.boolean({
      select: { status: true, deadline: true },
      description: 'Past its deadline and not finished (是否超期).',
      resolve: (c) => caseOverdue(c, new Date()),
    }),
    timeline: t.relation('events', {
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      description:
        'Every step you may see, oldest first: a department sees the case-level steps and those of its own orders (办理时间线).',
    }),
    orders: t.relation('orders', {
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      description:
        'Dispatch orders of this case that you may see (派单): a department sees only its own (部门仅见本部门派单).',
    }),
    supervisions: t.relation('supervisions', {
      query: { orderBy: { createdAt: 'asc' } },
      description: 'Supervision notices you may see: a department those of the case and of its own orders (督办记录).',
    }),
    feedbacks: t.relation('feedbacks', {
      query: { orderBy: { createdAt: 'asc' } },
      description: 'Ratings given, oldest first (反馈评价).',
    }),
    approvals: t.relation('approvals', {
      query: { orderBy: { createdAt: 'asc' } },
      description: 'Suspension and extension requests (挂起与延期申请).',
    }),
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Reported at (上报时间).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last changed at (更新时间).' }),
    closedAt: t.expose('closedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Closed or rejected at (结案时间).',
    }),
  }),
})

const CaseFilter = builder.inputType('CaseFilter', {
  description: 'Filters for cases (案件筛选).',
  fields: (t) => ({
    status: anyStatus(t, CaseStatusEnum),
    categoryId: t.globalID({ required: false, for: CaseCategoryRef, description: 'Category (类别).' }),
    source: t.field({ type: CaseSourceEnum, required: false, description: 'Source (来源).' }),
    gridId: t.globalID({ required: false, for: GridRef, description: 'Grid (网格).' }),
    within: t.globalID({ required: false, for: RegionRef, description: 'Region subtree (区划范围).' }),
    overdue: t.boolean({ required: false, description: 'Only cases past their deadline and not finished (仅超期).' }),
    reportedAfter: t.field({ type: 'DateTime', required: false, description: 'Reported at or after (上报时间起).' }),
    reportedBefore: t.field({ type: 'DateTime', required: false, description: 'Reported before (上报时间止).' }),
    text: t.string({ required: false, description: 'Title, description or address contains (关键词).' }),
    mine: t.boolean({ required: false, description: 'Only cases I reported (我上报的).' }),
  }),
})

const CaseOrderField = builder.enumType('CaseOrderField', {
  description: 'Sort key for cases (案件排序字段).',
  values: {
    CREATED_AT: { value: 'createdAt', description: 'Report time (上报时间).' },
    DEADLINE: { value: 'deadline', description: 'Deadline (期限).' },
    UPDATED_AT: { value: 'updatedAt', description: 'Last change (更新时间).' },
  } as const,
})

const CaseOrder = orderInput('CaseOrder', 'Ordering of cases (案件排序).', CaseOrderField, 'desc')

type CaseFilterInput = typeof CaseFilter.$inferInput
type CaseOrderInput = typeof CaseOrder.$inferInput

/** The `where` of the case filters, one for every list of cases; no lookup, so nested lists fold into their parent. */
export function caseWhere(f: CaseFilterInput | null | undefined, ctx: Pick<Context, 'viewer'>): Prisma.CaseWhereInput {
  if (!f) return {}
  const now = new Date()
  const and: Prisma.CaseWhereInput[] = [
    f.status?.length ? { status: { in: f.status } } : {},
    f.categoryId ? { categoryId: f.categoryId.id } : {},
    f.source ? { source: f.source } : {},
    f.gridId ? { gridId: f.gridId.id } : {},
    f.within ? { region: regionSubtrees([f.within.id])! } : {},
    f.overdue != null ? overdueCases(now, f.overdue) : {},
    f.reportedAfter ? { createdAt: { gte: f.reportedAfter } } : {},
    f.reportedBefore ? { createdAt: { lt: f.reportedBefore } } : {},
    anyFieldMatches(f.text, 'filter.text', ['title', 'description', 'address'] as const),
    f.mine ? { reporterId: ctx.viewer?.userId ?? '' } : {},
  ]
  return { AND: and.filter((w) => Object.keys(w).length) }
}

/** The order of a list of cases: the key asked for (newest first by default; cases without a deadline last), then the id. */
export function caseOrder(o: CaseOrderInput | null | undefined): Prisma.CaseOrderByWithRelationInput[] {
  const field = o?.field ?? 'createdAt'
  const direction = o?.direction ?? 'desc'
  return [
    field === 'deadline' ? { deadline: { sort: direction, nulls: 'last' } } : { [field]: direction },
    { id: direction },
  ]
}

export type CaseListArgs = { filter?: CaseFilterInput | null; orderBy?: CaseOrderInput | null }

/** Arguments of every list of cases. */
export const caseListArgs = builder.args((t) => ({
  filter: t.field({ type: CaseFilter, required: false, description: 'Filters (筛选).' }),
  orderBy: t.field({ type: CaseOrder, required: false, description: 'Ordering, newest first by default (排序).' }),
}))

builder.queryFields((t) => ({
  cases: t.prismaConnection(
    {
      type: 'Case',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        'Cases you may see (案件列表): officers their region, grid workers their grids, departments the cases behind their orders, residents their own.',
      args: caseListArgs,
      ...rootList('case', ({ filter, orderBy }: CaseListArgs, ctx: Context) => ({
        where: caseWhere(filter, ctx),
        orderBy: caseOrder(orderBy),
      })),
    },
    COUNTED,
  ),
}))

/** The mutations that answer with the case they changed, and the inputs of the steps on a case. */
export const caseMutation = rowMutations('Case', payload('case', 'The case after the change (变更后的案件).'))
export const caseStepInput = stepInputs(CaseRef, 'The case (案件).')

builder.subscriptionFields((t) => ({
  caseUpdated: t.prismaField({
    type: 'Case',
    description: 'Pushes a case each time it changes: state, orders, timeline (案件变更推送).',
    authScopes: { loggedIn: true },
    args: { id: t.arg.globalID({ required: true, for: CaseRef, description: 'The case to watch (案件).' }) },
    subscribe: async (_root, { id }, ctx) => {
      // only whether the case is readable: not its columns, nor who may act on it
      if (!(await ctx.reader.case.findUnique({ where: { id: id.id }, select: { id: true } })))
        throw new NotFoundError('Case', id.id)
      return ctx.pubsub.subscribe('case:updated', id.id) as never
    },
    resolve: async (query, payload: { id: string }, _args, ctx) => {
      const c = await ctx.reader.case.findUnique({ ...query, where: { id: payload.id } })
      if (!c) throw new NotFoundError('Case', payload.id)
      return c
    },
  }),
}))
