import { builder } from '../../builder.js'
import { ApprovalKind, ApprovalStatus, CaseSource, CaseStatus } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { maskName, maskPhone, seesPerson } from '../../auth/personal-data.js'
import { regionSubtrees, staffDepartmentOf } from '../../auth/policy.js'
import { NotFoundError } from '../../shared/errors.js'
import { payload, payloadRow } from '../../shared/mutations.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { OrderDirection } from '../../shared/scalars.schema.js'
import { GridRef } from '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import { UserRef } from '../directory/directory.schema.js'
import { decodeId } from '../../shared/relay.js'
import { ACTIVE_ORDER, caseOverdue, overdueCases } from './transitions.js'
import * as cases from './case.service.js'
import * as dispatch from './dispatch.service.js'
import { anyFieldMatches } from '../../shared/search.js'

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

const ApprovalKindEnum = builder.enumType(ApprovalKind, {
  name: 'ApprovalKind',
  description: 'What an approval is for (审批类型): SUSPEND 挂起, EXTEND 延期.',
})
const ApprovalStatusEnum = builder.enumType(ApprovalStatus, {
  name: 'ApprovalStatus',
  description: 'State of an approval (审批状态): PENDING 待审批, APPROVED 已批准, REJECTED 已驳回.',
})

export const CaseCategoryRef = builder.prismaNode('CaseCategory', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: 'Case category with its service-level agreement (案件类别及时限).',
  select: { id: true }, // only the columns a query asks for
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Unique code (类别编码).' }),
    name: t.exposeString('name', { description: 'Name, e.g. 环境卫生 (类别名称).' }),
    description: t.exposeString('description', { nullable: true, description: 'What belongs here (说明).' }),
    signSlaHours: t.exposeFloat('signSlaHours', { description: 'Hours to sign an order (签收时限，小时).' }),
    completeSlaHours: t.exposeFloat('completeSlaHours', {
      description: 'Hours to complete an order (办结时限，小时).',
    }),
    caseSlaHours: t.exposeFloat('caseSlaHours', {
      description: 'Hours from report to the case deadline (案件办理时限，小时).',
    }),
    active: t.exposeBoolean('active', { description: 'Offered for new reports (是否启用).' }),
  }),
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
const CASE_REPORTER = { anonymous: true, reporterId: true, regionId: true } as const
const reporterOf = (c: { reporterId: string | null; regionId: string }) => ({
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

builder.prismaNode('CaseEvent', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: "One step of a case's timeline (办理记录): who did what, from which state to which.",
  select: { id: true, actorId: true, case: { select: CASE_REPORTER } },
  fields: (t) => ({
    action: t.exposeString('action', { description: 'What was done, e.g. ACCEPT, DISPATCH, SIGN (动作).' }),
    fromStatus: t.exposeString('fromStatus', { nullable: true, description: 'State before (原状态).' }),
    toStatus: t.exposeString('toStatus', { nullable: true, description: 'State after (新状态).' }),
    note: t.exposeString('note', { nullable: true, description: 'Reason, result or comment (说明).' }),
    actor: t.relation('actor', {
      nullable: true,
      description:
        'Who did it; null for the system, and for the reporter of an anonymous case unless you may see them (操作人).',
      authScopes: async (e, _a, ctx) =>
        !e.case || e.actorId !== e.case.reporterId || !e.case.anonymous || seesPerson(ctx, reporterOf(e.case)),
      unauthorizedResolver: () => null,
    }),
    order: t.relation('order', { nullable: true, description: 'The order it concerns, if any (相关派单).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When (时间).' }),
  }),
})

builder.prismaNode('CaseFeedback', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: "The reporter's rating of the handling (反馈评价).",
  fields: (t) => ({
    satisfaction: t.exposeInt('satisfaction', { description: 'Satisfaction 1–5 (满意度).' }),
    comment: t.exposeString('comment', { nullable: true, description: 'Comment (评价内容).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When (时间).' }),
  }),
})

const CaseApprovalRef = builder.prismaNode('CaseApproval', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: 'A request to suspend (挂起) or extend (延期) a case, and its logged decision.',
  fields: (t) => ({
    kind: t.expose('kind', { type: ApprovalKindEnum, description: 'Suspend or extend (类型).' }),
    status: t.expose('status', { type: ApprovalStatusEnum, description: 'Decision state (审批状态).' }),
    reason: t.exposeString('reason', { description: 'Why it is asked (申请理由).' }),
    extendHours: t.exposeFloat('extendHours', {
      nullable: true,
      description: 'For extensions: hours asked (延期小时数).',
    }),
    decisionNote: t.exposeString('decisionNote', { nullable: true, description: "Decider's note (审批意见)." }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true, description: 'When decided (审批时间).' }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When asked (申请时间).' }),
  }),
})

export const CaseRef = builder.prismaNode('Case', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
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
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
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
    status: t.field({ type: [CaseStatusEnum], required: false, description: 'Any of these states (状态).' }),
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

const CaseOrder = builder.inputType('CaseOrder', {
  description: 'Ordering of cases (案件排序).',
  fields: (t) => ({
    field: t.field({ type: CaseOrderField, required: true, description: 'Sort key (字段).' }),
    direction: t.field({
      type: OrderDirection,
      required: false,
      defaultValue: 'desc',
      description: 'Direction (方向).',
    }),
  }),
})

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
  caseCategories: t.prismaField({
    type: ['CaseCategory'],
    authScopes: { loggedIn: true },
    description: 'Case categories with their SLAs (案件类别).',
    args: { includeInactive: t.arg.boolean({ required: false, description: 'Also inactive ones (含停用).' }) },
    resolve: (query, _r, { includeInactive }, ctx) =>
      ctx.reader.caseCategory.findMany({
        ...query,
        where: includeInactive ? {} : { active: true },
        orderBy: { code: 'asc' },
      }),
  }),
}))

// ---------------------------------------------------------------- mutations

const ReportCaseInput = builder.inputType('ReportCaseInput', {
  description: 'A new case (上报案件). The grid is found from the point when not given.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'Short title (标题).' }),
    description: t.string({ required: true, description: 'What is wrong (问题描述).' }),
    categoryId: t.globalID({ required: true, for: CaseCategoryRef, description: 'Category (类别).' }),
    source: t.field({
      type: CaseSourceEnum,
      required: true,
      description: 'Channel: grid workers PATROL, residents RESIDENT/ONLINE, officers any (来源).',
    }),
    lng: t.float({ required: true, description: 'Longitude, WGS84 (经度).' }),
    lat: t.float({ required: true, description: 'Latitude, WGS84 (纬度).' }),
    address: t.string({ required: false, description: 'Address (地址).' }),
    gridId: t.globalID({ required: false, for: GridRef, description: 'Grid, when known (网格).' }),
    attachments: t.stringList({ required: false, description: 'Photo and document URLs (附件地址).' }),
    anonymous: t.boolean({ required: false, description: 'Hide the reporter from handlers (匿名).' }),
    reporterName: t.string({ required: false, description: 'Contact name, e.g. a hotline caller (联系人).' }),
    reporterPhone: t.string({ required: false, description: 'Contact phone (联系电话).' }),
    idempotencyKey: t.string({
      required: false,
      description: 'Client-chosen key: a retried request with the same key returns the same case (幂等键).',
    }),
    onBehalfOfId: t.globalID({
      required: false,
      for: UserRef,
      description:
        'Grid workers and officers: the resident whose problem this is; they follow and rate it (代办：居民账号).',
    }),
  }),
})

const noteInput = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      id: t.globalID({ required: true, for: CaseRef, description: 'The case (案件).' }),
      version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
      note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
    }),
  })

const reasonInput = (name: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      id: t.globalID({ required: true, for: CaseRef, description: 'The case (案件).' }),
      version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
      reason: t.string({ required: true, description: 'Reason (理由).' }),
    }),
  })

const AcceptCaseInput = noteInput('AcceptCaseInput', 'Accepts a reported or reopened case (受理).')
const RejectCaseInput = reasonInput('RejectCaseInput', 'Rejects a reported case with a reason (不予受理).')
const CloseCaseInput = noteInput('CloseCaseInput', 'Closes a verified case without feedback (结案).')
const EscalateCaseInput = reasonInput('EscalateCaseInput', 'Hands the case to the next region level up (上报上级).')
const ResumeCaseInput = noteInput(
  'ResumeCaseInput',
  'Resumes a suspended case; deadlines move by the time suspended (恢复办理).',
)

const VerifyCaseInput = builder.inputType('VerifyCaseInput', {
  description: 'The result of the on-site check of a resolved case (核查).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: CaseRef, description: 'The case (案件).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    passed: t.boolean({ required: true, description: 'Done properly; false sends it back to handling (核查通过).' }),
    note: t.string({ required: false, description: 'Findings; required when not passed (核查意见).' }),
    redo: t.globalIDList({
      required: false,
      description:
        'When not passed: the completed DispatchOrders whose work is not done; each goes back to its addressee as a new order to sign for and complete (返工派单). By default the latest completed lead order (主办).',
    }),
  }),
})

const CaseFeedbackInput = builder.inputType('SubmitCaseFeedbackInput', {
  description: "The reporter's rating: 3 or more closes the case, less reopens it (反馈评价).",
  fields: (t) => ({
    id: t.globalID({ required: true, for: CaseRef, description: 'The case (案件).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    satisfaction: t.int({ required: true, description: 'Satisfaction 1–5 (满意度).' }),
    comment: t.string({ required: false, description: 'Comment (评价内容).' }),
  }),
})

const RequestApprovalInput = builder.inputType('RequestCaseApprovalInput', {
  description: 'Asks to suspend (挂起) or extend (延期) a case; a street officer decides.',
  fields: (t) => ({
    caseId: t.globalID({ required: true, for: CaseRef, description: 'The case (案件).' }),
    kind: t.field({ type: ApprovalKindEnum, required: true, description: 'Suspend or extend (类型).' }),
    reason: t.string({ required: true, description: 'Why (理由).' }),
    extendHours: t.float({ required: false, description: 'For extensions: hours (延期小时数).' }),
  }),
})

const DecideApprovalInput = builder.inputType('DecideCaseApprovalInput', {
  description: 'Approves or rejects a pending request (审批挂起或延期).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: CaseApprovalRef, description: 'The approval request (申请).' }),
    version: t.int({ required: true, description: 'The request version you read (申请版本号).' }),
    caseVersion: t.int({ required: true, description: 'The case version you read (案件版本号).' }),
    approve: t.boolean({ required: true, description: 'Approve (批准) or reject (驳回).' }),
    note: t.string({ required: false, description: 'Decision note (审批意见).' }),
  }),
})

const caseResult = payload('case', 'The case after the change (变更后的案件).')

builder.mutationFields((t) => ({
  reportCase: t.prismaField({
    type: CaseRef,
    description: 'Reports a case (上报案件). Retrying with the same idempotencyKey returns the same case.',
    authScopes: { loggedIn: true },
    errors: caseResult,
    args: { input: t.arg({ type: ReportCaseInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(
        query,
        await cases.reportCase(ctx, {
          ...input,
          categoryId: input.categoryId.id,
          gridId: input.gridId?.id ?? null,
          onBehalfOfId: input.onBehalfOfId?.id ?? null,
        }),
        (q) => ctx.reader.case.findUnique(q),
      ),
  }),
  acceptCase: t.prismaField({
    type: CaseRef,
    description: 'Accepts a case (受理).',
    authScopes: { officer: true },
    errors: caseResult,
    args: { input: t.arg({ type: AcceptCaseInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(query, await cases.acceptCase(ctx, { ...input, id: input.id.id }), (q) =>
        ctx.reader.case.findUnique(q),
      ),
  }),
  rejectCase: t.prismaField({
    type: CaseRef,
    description: 'Rejects a case with a reason (不予受理).',
    authScopes: { officer: true },
    errors: caseResult,
    args: { input: t.arg({ type: RejectCaseInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(query, await cases.rejectCase(ctx, { ...input, id: input.id.id }), (q) =>
        ctx.reader.case.findUnique(q),
      ),
  }),
  verifyCase: t.prismaField({
    type: CaseRef,
    description:
      'Records the on-site check of a resolved case (核查); a failed check sends the work back to its addressees as new orders (返工).',
    authScopes: { officer: true, gridWorker: true },
    errors: caseResult,
    args: { input: t.arg({ type: VerifyCaseInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(
        query,
        await dispatch.verifyCase(ctx, {
          ...input,
          id: input.id.id,
          redo: input.redo?.map((id) => decodeId(id, 'DispatchOrder', 'redo')),
        }),
        (q) => ctx.reader.case.findUnique(q),
      ),
  }),
  submitCaseFeedback: t.prismaField({
    type: CaseRef,
    description: 'The reporter rates the handling (反馈评价); officers may record it for hotline callers.',
    authScopes: { loggedIn: true },
    errors: caseResult,
    args: { input: t.arg({ type: CaseFeedbackInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(query, await cases.submitCaseFeedback(ctx, { ...input, id: input.id.id }), (q) =>
        ctx.reader.case.findUnique(q),
      ),
  }),
  closeCase: t.prismaField({
    type: CaseRef,
    description: 'Closes a verified case without feedback (结案).',
    authScopes: { officer: true },
    errors: caseResult,
    args: { input: t.arg({ type: CloseCaseInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(query, await cases.closeCase(ctx, { ...input, id: input.id.id }), (q) =>
        ctx.reader.case.findUnique(q),
      ),
  }),
  escalateCase: t.prismaField({
    type: CaseRef,
    description: 'Escalates a case to the next region level (上报上级).',
    authScopes: { officer: true },
    errors: caseResult,
    args: { input: t.arg({ type: EscalateCaseInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(query, await cases.escalateCase(ctx, { ...input, id: input.id.id }), (q) =>
        ctx.reader.case.findUnique(q),
      ),
  }),
  resumeCase: t.prismaField({
    type: CaseRef,
    description: 'Resumes a suspended case (恢复办理).',
    authScopes: { officer: true },
    errors: caseResult,
    args: { input: t.arg({ type: ResumeCaseInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(query, await cases.resumeCase(ctx, { ...input, id: input.id.id }), (q) =>
        ctx.reader.case.findUnique(q),
      ),
  }),
  requestCaseApproval: t.prismaField({
    type: 'CaseApproval',
    description: 'Asks to suspend or extend a case (申请挂起或延期).',
    authScopes: { loggedIn: true },
    errors: payload('approval', 'The request (申请).'),
    args: { input: t.arg({ type: RequestApprovalInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) => {
      const a = await cases.requestCaseApproval(ctx, { ...input, caseId: input.caseId.id })
      return ctx.reader.caseApproval.findUniqueOrThrow({ ...query, where: { id: a.id } })
    },
  }),
  decideCaseApproval: t.prismaField({
    type: CaseRef,
    description: 'Approves or rejects a suspension or extension (审批挂起或延期).',
    authScopes: { streetOfficer: true },
    errors: caseResult,
    args: { input: t.arg({ type: DecideApprovalInput, required: true }) },
    resolve: async (query, _r, { input }, ctx) =>
      payloadRow(query, await cases.decideCaseApproval(ctx, { ...input, id: input.id.id }), (q) =>
        ctx.reader.case.findUnique(q),
      ),
  }),
}))

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
