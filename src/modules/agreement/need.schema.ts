import { builder } from '../../builder.js'
import { nodeId, exposeVersion, filterArg } from '../../shared/schema-fields.js'
import { NeedStatus, NeedUrgency } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { regionSubtrees } from '../../auth/policy.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { ResidentUnitRef } from '../directory/directory.schema.js'
import { GridRef } from '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import * as lists from './lists.service.js'

export const NeedUrgencyEnum = builder.enumType(NeedUrgency, {
  name: 'NeedUrgency',
  description: 'How urgent a need is (紧急程度): LOW 一般, NORMAL 较急, HIGH 紧急, URGENT 特急.',
})
export const NeedStatusEnum = builder.enumType(NeedStatus, {
  name: 'NeedStatus',
  description:
    'State of a need (需求状态): OPEN 待认领, CLAIMED 已认领, IN_PROGRESS 实施中, DONE 已完成, WITHDRAWN 已撤回.',
})

export const NeedItemRef = builder.prismaNode('NeedItem', {
  nullable: true,
  id: nodeId,
  description:
    'A need of the needs list (需求清单), raised by a community or grid; published to every signed-in user unless withdrawn.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Title (需求名称).' }),
    description: t.exposeString('description', { nullable: true, description: 'Details (需求描述).' }),
    category: t.exposeString('category', { description: 'Category, e.g. 助老服务 (类别).' }),
    community: t.relation('community', { description: 'The community (所属社区).' }),
    grid: t.relation('grid', { nullable: true, description: 'The grid, if raised for one (所属网格).' }),
    urgency: t.expose('urgency', { type: NeedUrgencyEnum, description: 'Urgency (紧急程度).' }),
    beneficiaries: t.exposeString('beneficiaries', {
      nullable: true,
      description: 'Who benefits, e.g. 32 位独居老人 (受益对象).',
    }),
    beneficiaryCount: t.exposeInt('beneficiaryCount', { nullable: true, description: 'How many benefit (受益人数).' }),
    status: t.expose('status', { type: NeedStatusEnum, description: 'State (状态).' }),
    claims: t.relation('claims', {
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      description: 'Claims on it that you may see: officers all, a unit its own (认领记录).',
    }),
    closedAt: t.expose('closedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Done or withdrawn at (关闭时间).',
    }),
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Raised at (发布时间).' }),
  }),
})

// ---------------------------------------------------------------- queries

const NeedFilter = builder.inputType('NeedFilter', {
  description: 'Filters for needs (需求筛选).',
  fields: (t) => ({
    status: t.field({
      type: [NeedStatusEnum],
      required: false,
      description: 'Any of these states, e.g. OPEN for the ones to claim (状态).',
    }),
    category: t.string({ required: false, description: 'Category (类别).' }),
    within: t.globalID({ required: false, for: RegionRef, description: 'In this region subtree (区划范围).' }),
    gridId: t.globalID({ required: false, for: GridRef, description: 'In this grid (网格).' }),
    urgency: t.field({ type: NeedUrgencyEnum, required: false, description: 'Urgency (紧急程度).' }),
    claimedByUnitId: t.globalID({
      required: false,
      for: ResidentUnitRef,
      description: 'With an approved claim of this unit (认领单位).',
    }),
  }),
})

builder.queryFields((t) => ({
  needs: t.prismaConnection(
    {
      type: 'NeedItem',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "The needs list, most urgent and newest first (需求清单): every signed-in user reads published needs; officers also their region's withdrawn ones.",
      args: { filter: filterArg(t.arg, NeedFilter) },
      ...rootList('needItem', ({ filter: f }: { filter?: typeof NeedFilter.$inferInput | null }, _ctx: Context) => {
        const and: Prisma.NeedItemWhereInput[] = [
          f?.status?.length ? { status: { in: f.status } } : {},
          f?.category ? { category: f.category } : {},
          f?.within ? { community: regionSubtrees([f.within.id])! } : {},
          f?.gridId ? { gridId: f.gridId.id } : {},
          f?.urgency ? { urgency: f.urgency } : {},
          f?.claimedByUnitId ? { claims: { some: { unitId: f.claimedByUnitId.id, status: 'APPROVED' } } } : {},
        ]
        return {
          where: { AND: and },
          orderBy: [
            { urgency: 'desc' },
            { createdAt: 'desc' },
            { id: 'desc' },
          ] satisfies Prisma.NeedItemOrderByWithRelationInput[],
        }
      }),
    },
    COUNTED,
  ),
}))

// ---------------------------------------------------------------- mutations

const RaiseNeedInput = builder.inputType('RaiseNeedInput', {
  description: 'Raises a need (发布需求): community officers for their community, grid workers for their grid.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'Title (需求名称).' }),
    description: t.string({ required: false, description: 'Details (需求描述).' }),
    category: t.string({ required: true, description: 'Category, e.g. 助老服务 (类别).' }),
    communityId: t.globalID({
      required: false,
      for: RegionRef,
      description: 'The community; taken from the grid when given (社区).',
    }),
    gridId: t.globalID({ required: false, for: GridRef, description: 'The grid (网格).' }),
    urgency: t.field({ type: NeedUrgencyEnum, required: false, description: 'Urgency; NORMAL by default (紧急程度).' }),
    beneficiaries: t.string({ required: false, description: 'Who benefits (受益对象).' }),
    beneficiaryCount: t.int({ required: false, description: 'How many benefit (受益人数).' }),
  }),
})

const WithdrawNeedInput = stepInputs(NeedItemRef, 'The need (对象).')(
  'WithdrawNeedInput',
  'Withdraws an open or claimed need; pending claims are rejected (撤回需求).',
  (t) => ({ reason: t.string({ required: true, description: 'Reason (原因).' }) }),
)

const needMutation = rowMutations('NeedItem', payload('need', 'The need after the change (变更后的需求).'))
needMutation('raiseNeed', {
  description: 'Raises a need (发布需求): community officers, grid workers for their grid.',
  authScopes: { officer: true, gridWorker: true },
  input: RaiseNeedInput,
  run: lists.raiseNeed,
})
needMutation('withdrawNeed', {
  description: 'Withdraws a need (撤回需求): officers of its community.',
  authScopes: { officer: true },
  input: WithdrawNeedInput,
  run: lists.withdrawNeed,
})
