import { builder } from '../../builder.js'
import { DualReportKind, DualReportStatus } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { ErrorInterface } from '../../shared/errors.schema.js'
import { NotFoundError } from '../../shared/errors.js'
import type { Context } from '../../context.js'
import { regionSubtrees } from '../../auth/policy.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload } from '../../shared/mutations.js'
import { OrderDirection } from '../../shared/scalars.schema.js'
import { BuildingRef, GridRef } from '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import { PartyMemberRef, PartyOrgRef } from './party.schema.js'
import { ActiveReportExistsError } from './party.errors.js'
import * as reports from './dual-report.service.js'

export const DualReportKindEnum = builder.enumType(DualReportKind, {
  name: 'DualReportKind',
  description: 'Who reports (双报到类型): MEMBER 在职党员到居住社区报到, UNIT 单位党组织到所在社区报到.',
})

export const DualReportStatusEnum = builder.enumType(DualReportStatus, {
  name: 'DualReportStatus',
  description:
    'State of a dual report (双报到状态): SUBMITTED 待审核, APPROVED 已报到（编入网格）, REJECTED 已退回, WITHDRAWN 已撤回, TRANSFERRED 已转接（搬家后转到新社区）.',
})

builder.objectType(ActiveReportExistsError, {
  name: 'ActiveReportExists',
  interfaces: [ErrorInterface],
  description:
    'The member or unit already has a submitted or approved report in that community (该社区已有有效的双报到记录).',
  isTypeOf: (e) => e instanceof ActiveReportExistsError,
  fields: (t) => ({
    existingReportId: t.globalID({
      description: 'The report that is active (现有有效报到).',
      resolve: (e) => ({ type: 'DualReport', id: e.existingReportId }),
    }),
  }),
})

export const ServiceItemRef = builder.prismaNode('ServiceItem', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: 'An item of the service catalogue members and units pledge from (服务项目清单).',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Unique code (编码).' }),
    name: t.exposeString('name', { description: 'Name, e.g. 法律咨询 (名称).' }),
    category: t.exposeString('category', { description: 'Category, e.g. 专业服务 (类别).' }),
    description: t.exposeString('description', { nullable: true, description: 'What it means (说明).' }),
    forKind: t.expose('forKind', {
      type: DualReportKindEnum,
      nullable: true,
      description: 'Who may pledge it; null for members and units (适用对象).',
    }),
    active: t.exposeBoolean('active', { description: 'Offered for new pledges (是否启用).' }),
  }),
})

export const CommitmentRef = builder.prismaNode('Commitment', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description:
    'A pledge (亮承诺): what the member or unit commits to do in a year, from the catalogue or in free text.',
  fields: (t) => ({
    report: t.relation('report', { description: 'The dual report it belongs to (所属报到).' }),
    item: t.relation('item', { nullable: true, description: 'Catalogue item, if chosen from it (服务项目).' }),
    title: t.exposeString('title', { description: 'What is pledged (承诺事项).' }),
    description: t.exposeString('description', { nullable: true, description: 'Details (承诺内容).' }),
    hoursPerYear: t.exposeFloat('hoursPerYear', {
      nullable: true,
      description: 'Members: service hours pledged for the year (年度承诺服务时长).',
    }),
    year: t.exposeInt('year', { description: 'The year pledged for (承诺年度).' }),
    cancelledAt: t.expose('cancelledAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Cancelled at, if cancelled (撤销时间).',
    }),
    cancelReason: t.exposeString('cancelReason', { nullable: true, description: 'Why it was cancelled (撤销原因).' }),
    version: t.exposeInt('version', { description: 'Version, bumped when cancelled (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Pledged at (承诺时间).' }),
  }),
})

builder.prismaNode('DualReportEvent', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: "One step of a dual report's timeline (报到记录): who did what, from which state to which.",
  fields: (t) => ({
    action: t.exposeString('action', {
      description: 'What was done: SUBMIT, APPROVE, REJECT, WITHDRAW, TRANSFER, PLEDGE, UNPLEDGE (动作).',
    }),
    fromStatus: t.exposeString('fromStatus', { nullable: true, description: 'State before (原状态).' }),
    toStatus: t.exposeString('toStatus', { nullable: true, description: 'State after (新状态).' }),
    note: t.exposeString('note', { nullable: true, description: 'Grid assigned, reason or comment (说明).' }),
    actor: t.relation('actor', { nullable: true, description: 'Who did it (操作人).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When (时间).' }),
  }),
})

export const DualReportRef = builder.prismaNode('DualReport', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description:
    "Dual report (双报到): an in-service party member reports to the community they live in, a unit's party organisation to the community it sits in; approved into a grid.",
  fields: (t) => ({
    kind: t.expose('kind', { type: DualReportKindEnum, description: 'Member or unit (类型).' }),
    status: t.expose('status', { type: DualReportStatusEnum, description: 'Current state (状态).' }),
    member: t.relation('member', { nullable: true, description: 'MEMBER reports: the member (报到党员).' }),
    unitOrg: t.relation('unitOrg', {
      nullable: true,
      description: "UNIT reports: the unit's party organisation (报到单位党组织).",
    }),
    community: t.relation('community', { description: 'The community reported to (报到社区).' }),
    grid: t.relation('grid', { nullable: true, description: 'Grid assigned on approval (编入网格).' }),
    branch: t.relation('branch', {
      nullable: true,
      description: 'Members: the grid party branch joined on approval (编入网格党支部).',
    }),
    serviceRole: t.exposeString('serviceRole', {
      nullable: true,
      description: 'Role in the grid shown on the public card, e.g. 楼栋党员联络员 (亮身份：服务岗位).',
    }),
    reason: t.exposeString('reason', {
      nullable: true,
      description: 'Reason of a rejection or withdrawal (退回或撤回原因).',
    }),
    submittedBy: t.relation('submittedBy', {
      description: 'Who submitted it: the member, the unit contact or an officer on their behalf (提交人).',
    }),
    decidedAt: t.expose('decidedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Approved or rejected at (审核时间).',
    }),
    closedAt: t.expose('closedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Rejected, withdrawn or transferred at (终结时间).',
    }),
    transferredFrom: t.relation('transferredFrom', {
      nullable: true,
      description: 'The report this one continues after a move, when you may see it (转自).',
    }),
    transferredTo: t.relation('transferredTo', {
      nullable: true,
      description: 'The report that continues this one after a move, when you may see it (转至).',
    }),
    commitments: t.relation('commitments', {
      args: { includeCancelled: t.arg.boolean({ required: false, description: 'Also cancelled pledges (含已撤销).' }) },
      query: (args) => ({
        where: args.includeCancelled ? {} : { cancelledAt: null },
        orderBy: [{ year: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
      }),
      description: 'Pledges (亮承诺), open ones unless includeCancelled.',
    }),
    timeline: t.relation('events', {
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      description: 'Every step, oldest first (报到时间线).',
    }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Submitted at (提交时间).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last changed at (更新时间).' }),
  }),
})

const DualReportFilter = builder.inputType('DualReportFilter', {
  description: 'Filters for dual reports (双报到筛选).',
  fields: (t) => ({
    status: t.field({ type: [DualReportStatusEnum], required: false, description: 'Any of these states (状态).' }),
    kind: t.field({ type: DualReportKindEnum, required: false, description: 'Member or unit (类型).' }),
    within: t.globalID({
      required: false,
      for: RegionRef,
      description: 'Reported to a community in this region subtree (社区范围).',
    }),
    gridId: t.globalID({ required: false, for: GridRef, description: 'Approved into this grid (网格).' }),
    memberId: t.globalID({ required: false, for: PartyMemberRef, description: 'Of this member (党员).' }),
    unitOrgId: t.globalID({
      required: false,
      for: PartyOrgRef,
      description: 'Of this unit party organisation (单位党组织).',
    }),
    submittedAfter: t.field({ type: 'DateTime', required: false, description: 'Submitted at or after (提交时间起).' }),
    submittedBefore: t.field({ type: 'DateTime', required: false, description: 'Submitted before (提交时间止).' }),
  }),
})

const DualReportOrderField = builder.enumType('DualReportOrderField', {
  description: 'Sort key for dual reports (双报到排序字段).',
  values: {
    CREATED_AT: { value: 'createdAt', description: 'Submission time (提交时间).' },
    UPDATED_AT: { value: 'updatedAt', description: 'Last change (更新时间).' },
  } as const,
})

const DualReportOrder = builder.inputType('DualReportOrder', {
  description: 'Ordering of dual reports (双报到排序).',
  fields: (t) => ({
    field: t.field({ type: DualReportOrderField, required: true, description: 'Sort key (字段).' }),
    direction: t.field({
      type: OrderDirection,
      required: false,
      defaultValue: 'desc',
      description: 'Direction (方向).',
    }),
  }),
})

type DualReportListArgs = {
  filter?: typeof DualReportFilter.$inferInput | null
  orderBy?: typeof DualReportOrder.$inferInput | null
}

builder.queryFields((t) => ({
  dualReports: t.prismaConnection(
    {
      type: 'DualReport',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Dual reports you may see, newest first (双报到列表): officers their region, unit contacts their unit's and its members', members their own.",
      args: {
        filter: t.arg({ type: DualReportFilter, required: false, description: 'Filters (筛选).' }),
        orderBy: t.arg({
          type: DualReportOrder,
          required: false,
          description: 'Ordering, newest first by default (排序).',
        }),
      },
      ...rootList('dualReport', ({ filter: f, orderBy }: DualReportListArgs, _ctx: Context) => {
        const and: Prisma.DualReportWhereInput[] = [
          f?.status?.length ? { status: { in: f.status } } : {},
          f?.kind ? { kind: f.kind } : {},
          f?.within ? { community: regionSubtrees([f.within.id])! } : {},
          f?.gridId ? { gridId: f.gridId.id } : {},
          f?.memberId ? { memberId: f.memberId.id } : {},
          f?.unitOrgId ? { unitOrgId: f.unitOrgId.id } : {},
          f?.submittedAfter ? { createdAt: { gte: f.submittedAfter } } : {},
          f?.submittedBefore ? { createdAt: { lt: f.submittedBefore } } : {},
        ]
        return {
          where: { AND: and },
          orderBy: [
            { [orderBy?.field ?? 'createdAt']: orderBy?.direction ?? 'desc' },
            { id: 'desc' },
          ] satisfies Prisma.DualReportOrderByWithRelationInput[],
        }
      }),
    },
    COUNTED,
  ),
  serviceItems: t.prismaField({
    type: ['ServiceItem'],
    authScopes: { loggedIn: true },
    description: 'The service catalogue to pledge from (服务项目清单).',
    args: { includeInactive: t.arg.boolean({ required: false, description: 'Also withdrawn items (含停用).' }) },
    resolve: (query, _r, { includeInactive }, ctx) =>
      ctx.reader.serviceItem.findMany({
        ...query,
        where: includeInactive ? {} : { active: true },
        orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }],
      }),
  }),
}))

// ---------------------------------------------------------------- mutations

const CommitmentInput = builder.inputType('CommitmentInput', {
  description: 'A pledge (亮承诺): a catalogue item, or free text; members give hours per year.',
  fields: (t) => ({
    itemId: t.globalID({ required: false, for: ServiceItemRef, description: 'Catalogue item (服务项目).' }),
    title: t.string({ required: false, description: "What is pledged; defaults to the item's name (承诺事项)." }),
    description: t.string({ required: false, description: 'Details (承诺内容).' }),
    hoursPerYear: t.float({
      required: false,
      description: 'Service hours per year; required for members (年度服务时长).',
    }),
  }),
})

const SubmitDualReportInput = builder.inputType('SubmitDualReportInput', {
  description:
    'Submits a dual report (提交双报到): a member to the community they live in, a unit party organisation to the community it sits in. Members and unit contacts submit their own; community officers on their behalf.',
  fields: (t) => ({
    kind: t.field({ type: DualReportKindEnum, required: true, description: 'Member or unit (类型).' }),
    memberId: t.globalID({
      required: false,
      for: PartyMemberRef,
      description: 'MEMBER: the member; defaults to your own profile (党员).',
    }),
    unitOrgId: t.globalID({
      required: false,
      for: PartyOrgRef,
      description: "UNIT: the unit party organisation; defaults to your unit's (单位党组织).",
    }),
    communityId: t.globalID({
      required: false,
      for: RegionRef,
      description: "The community; defaults to the member's home or the unit's community (报到社区).",
    }),
    homeBuildingId: t.globalID({
      required: false,
      for: BuildingRef,
      description: 'MEMBER: a new home building, which also sets the community (新居住楼栋).',
    }),
    commitments: t.field({
      type: [CommitmentInput],
      required: false,
      description: 'Pledges for this year (年度承诺).',
    }),
    note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
  }),
})

const ApproveDualReportInput = builder.inputType('ApproveDualReportInput', {
  description:
    'Approves a submitted report into a grid of the community and, for members, its party branch (审核通过，编入网格).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: DualReportRef, description: 'The report (双报到).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    gridId: t.globalID({ required: true, for: GridRef, description: 'Grid to serve in (编入网格).' }),
    branchId: t.globalID({
      required: false,
      for: PartyOrgRef,
      description: "Members: grid party branch; defaults to the grid's (网格党支部).",
    }),
    serviceRole: t.string({
      required: false,
      description: 'Role shown on the public card, e.g. 楼栋党员联络员 (服务岗位).',
    }),
    note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
  }),
})

const reasonInput = (name: string, description: string, required: boolean) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      id: t.globalID({ required: true, for: DualReportRef, description: 'The report (双报到).' }),
      version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
      reason: t.string({ required, description: 'Reason (原因).' }),
    }),
  })

const RejectDualReportInput = reasonInput(
  'RejectDualReportInput',
  'Sends a submitted report back with a reason (退回).',
  true,
)
const WithdrawDualReportInput = reasonInput(
  'WithdrawDualReportInput',
  'Withdraws a submitted or approved report (撤回报到).',
  false,
)

const TransferDualReportInput = builder.inputType('TransferDualReportInput', {
  description:
    "The member moved house (搬家转接): closes the approved report and submits one to the community of the new home, carrying this year's pledges.",
  fields: (t) => ({
    id: t.globalID({ required: true, for: DualReportRef, description: 'The approved report (原报到).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    homeBuildingId: t.globalID({
      required: true,
      for: BuildingRef,
      description: 'The new home building (新居住楼栋).',
    }),
    note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
  }),
})

const PledgeCommitmentInput = builder.inputType('PledgeCommitmentInput', {
  description: 'Adds a pledge to an active report (新增承诺).',
  fields: (t) => ({
    reportId: t.globalID({ required: true, for: DualReportRef, description: 'The report (双报到).' }),
    version: t.int({ required: true, description: 'The report version you read (读取时的版本号).' }),
    itemId: t.globalID({ required: false, for: ServiceItemRef, description: 'Catalogue item (服务项目).' }),
    title: t.string({ required: false, description: 'What is pledged (承诺事项).' }),
    description: t.string({ required: false, description: 'Details (承诺内容).' }),
    hoursPerYear: t.float({
      required: false,
      description: 'Service hours per year; required for members (年度服务时长).',
    }),
    year: t.int({ required: false, description: 'Year pledged for; this year by default (承诺年度).' }),
  }),
})

const CancelCommitmentInput = builder.inputType('CancelCommitmentInput', {
  description: 'Cancels a pledge; it stays on record (撤销承诺).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: CommitmentRef, description: 'The pledge (承诺).' }),
    version: t.int({ required: true, description: 'The version you read of its report (所属报到的版本号).' }),
    reason: t.string({ required: true, description: 'Why (原因).' }),
  }),
})

const reportResult = payload('report', 'The dual report after the change (变更后的双报到).')
const withActiveSlot = { types: [ActiveReportExistsError], ...reportResult }

builder.mutationFields((t) => ({
  submitDualReport: t.field({
    type: DualReportRef,
    description: 'Submits a dual report (提交双报到); one active report per member or unit per community.',
    authScopes: { loggedIn: true },
    errors: withActiveSlot,
    args: { input: t.arg({ type: SubmitDualReportInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      reports.submitDualReport(ctx, {
        ...input,
        memberId: input.memberId?.id ?? null,
        unitOrgId: input.unitOrgId?.id ?? null,
        communityId: input.communityId?.id ?? null,
        homeBuildingId: input.homeBuildingId?.id ?? null,
        commitments: input.commitments?.map((c) => ({ ...c, itemId: c.itemId?.id ?? null })),
      }),
  }),
  approveDualReport: t.field({
    type: DualReportRef,
    description: "Approves a report into a grid (审核通过，编入网格): community officers of the report's community.",
    authScopes: { communityOfficer: true },
    errors: reportResult,
    args: { input: t.arg({ type: ApproveDualReportInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      reports.approveDualReport(ctx, {
        ...input,
        id: input.id.id,
        gridId: input.gridId.id,
        branchId: input.branchId?.id ?? null,
      }),
  }),
  rejectDualReport: t.field({
    type: DualReportRef,
    description: "Sends a report back with a reason (退回): community officers of the report's community.",
    authScopes: { communityOfficer: true },
    errors: reportResult,
    args: { input: t.arg({ type: RejectDualReportInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      reports.rejectDualReport(ctx, { ...input, id: input.id.id, reason: input.reason ?? '' }),
  }),
  withdrawDualReport: t.field({
    type: DualReportRef,
    description: 'Withdraws a report (撤回报到): the reporter or a community officer.',
    authScopes: { loggedIn: true },
    errors: reportResult,
    args: { input: t.arg({ type: WithdrawDualReportInput, required: true }) },
    resolve: (_r, { input }, ctx) => reports.withdrawDualReport(ctx, { ...input, id: input.id.id }),
  }),
  transferDualReport: t.field({
    type: DualReportRef,
    description: 'Moves an approved member report to the community of a new home (搬家转接); returns the new report.',
    authScopes: { loggedIn: true },
    errors: {
      ...withActiveSlot,
      dataField: { name: 'report', description: 'The new report, in the new community (新社区的报到).' },
    },
    args: { input: t.arg({ type: TransferDualReportInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      reports.transferDualReport(ctx, {
        ...input,
        id: input.id.id,
        homeBuildingId: input.homeBuildingId.id,
      }),
  }),
  pledgeCommitment: t.field({
    type: DualReportRef,
    description: 'Adds a pledge to an active report (新增承诺): the reporter or a community officer.',
    authScopes: { loggedIn: true },
    errors: reportResult,
    args: { input: t.arg({ type: PledgeCommitmentInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      reports.pledgeCommitment(ctx, {
        ...input,
        reportId: input.reportId.id,
        itemId: input.itemId?.id ?? null,
      }),
  }),
  cancelCommitment: t.field({
    type: DualReportRef,
    description: 'Cancels a pledge (撤销承诺): the reporter or a community officer.',
    authScopes: { loggedIn: true },
    errors: reportResult,
    args: { input: t.arg({ type: CancelCommitmentInput, required: true }) },
    resolve: (_r, { input }, ctx) => reports.cancelCommitment(ctx, { ...input, id: input.id.id }),
  }),
}))

builder.subscriptionFields((t) => ({
  dualReportUpdated: t.prismaField({
    type: 'DualReport',
    description:
      "Pushes dual reports as they are submitted and decided (双报到变更推送): officers pass a region of theirs; without it, your own (members) or your unit's (unit contacts).",
    authScopes: { loggedIn: true },
    args: {
      regionId: t.arg.globalID({ required: false, for: RegionRef, description: 'Officers: a region of yours (区划).' }),
    },
    subscribe: (_root, { regionId }, ctx) => reports.subscribeReports(ctx, regionId?.id ?? null) as never,
    resolve: async (query, payload: { id: string }, _args, ctx) => {
      const r = await ctx.reader.dualReport.findUnique({ ...query, where: { id: payload.id } })
      if (!r) throw new NotFoundError('DualReport', payload.id)
      return r
    },
  }),
}))
