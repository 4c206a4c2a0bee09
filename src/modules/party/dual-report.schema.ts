import { builder } from '../../builder.js'
import { nodeId, exposeVersion, timelineNote, filterArg, anyStatus, orderInput } from '../../shared/schema-fields.js'
import { DualReportStatus } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { ErrorInterface } from '../../shared/errors.schema.js'
import { NotFoundError } from '../../shared/errors.js'
import type { Context } from '../../context.js'
import { regionSubtrees } from '../../auth/policy.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload, rowMutations } from '../../shared/mutations.js'
import { BuildingRef } from '../grid/building.schema.js'
import { GridRef } from '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import { PartyMemberRef } from './party-member.schema.js'
import { PartyOrgRef } from './party.schema.js'
import { DualReportKindEnum, ServiceItemRef } from './catalog.schema.js'
import { ActiveReportExistsError } from './party.errors.js'
import * as reports from './dual-report.service.js'

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

builder.prismaNode('DualReportEvent', {
  nullable: true,
  id: nodeId,
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
  id: nodeId,
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
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Submitted at (提交时间).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last changed at (更新时间).' }),
  }),
})

const DualReportFilter = builder.inputType('DualReportFilter', {
  description: 'Filters for dual reports (双报到筛选).',
  fields: (t) => ({
    status: anyStatus(t, DualReportStatusEnum),
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

const DualReportOrder = orderInput(
  'DualReportOrder',
  'Ordering of dual reports (双报到排序).',
  DualReportOrderField,
  'desc',
)

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
        filter: filterArg(t.arg, DualReportFilter),
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
}))

// ---------------------------------------------------------------- mutations

// here, not in commitment.schema.ts: that file calls reportMutation as it loads, so this one must not import it
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
    note: timelineNote(t),
  }),
})

/** The mutations that answer with the dual report they changed. */
export const reportMutation = rowMutations(
  'DualReport',
  payload('report', 'The dual report after the change (变更后的双报到).'),
)

reportMutation('submitDualReport', {
  description: 'Submits a dual report (提交双报到); one active report per member or unit per community.',
  authScopes: { loggedIn: true },
  errors: [ActiveReportExistsError],
  input: SubmitDualReportInput,
  run: reports.submitDualReport,
})

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
