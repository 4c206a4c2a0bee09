import type { ObjectParam } from '@pothos/core'
import { builder } from '../../builder.js'
import { ClaimStatus, NeedStatus, NeedUrgency, ResourceKind, ResourceStatus } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { regionSubtrees } from '../../auth/policy.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload } from '../../shared/mutations.js'
import { decodeId } from '../../shared/relay.js'
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
export const ResourceKindEnum = builder.enumType(ResourceKind, {
  name: 'ResourceKind',
  description: 'Kind of resource (资源类型): VENUE 场地, FUNDS 资金, PERSONNEL 人员, INFORMATION 信息, SERVICE 服务.',
})
export const ResourceStatusEnum = builder.enumType(ResourceStatus, {
  name: 'ResourceStatus',
  description: 'State of a resource (资源状态): AVAILABLE 可认领, CLAIMED 已认领, IN_USE 使用中, WITHDRAWN 已撤回.',
})
export const ClaimStatusEnum = builder.enumType(ClaimStatus, {
  name: 'ClaimStatus',
  description: 'State of a claim (认领状态): PENDING 待审核, APPROVED 已通过, REJECTED 未通过, WITHDRAWN 已撤回.',
})

const claimFields = {
  note: 'Why the claimant wants it, what they offer (认领说明).',
  reason: 'Reason of a rejection or withdrawal; automatic rejections say why (原因).',
}

export const NeedClaimRef = builder.prismaNode('NeedClaim', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description:
    "A unit's claim on a need (认领需求), decided by the community officer. At most one claim per need is approved.",
  fields: (t) => ({
    need: t.relation('need', { description: 'The need (需求).' }),
    unit: t.relation('unit', { description: 'The claiming unit (认领单位).' }),
    status: t.expose('status', { type: ClaimStatusEnum, description: 'State (状态).' }),
    note: t.exposeString('note', { nullable: true, description: claimFields.note }),
    reason: t.exposeString('reason', { nullable: true, description: claimFields.reason }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true, description: 'Decided at (审核时间).' }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Claimed at (认领时间).' }),
  }),
})

const ResourceClaimRef = builder.prismaNode('ResourceClaim', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description:
    "A community's claim on a unit's resource (认领资源), decided by the officer of the resource's community. At most one claim per resource is approved.",
  fields: (t) => ({
    resource: t.relation('resource', { description: 'The resource (资源).' }),
    community: t.relation('community', { description: 'The claiming community (认领社区).' }),
    needId: t.globalID({
      nullable: true,
      description: 'The need it is for, if any (对应需求).',
      resolve: (c) => (c.needId ? { type: 'NeedItem', id: c.needId } : null),
    }),
    status: t.expose('status', { type: ClaimStatusEnum, description: 'State (状态).' }),
    note: t.exposeString('note', { nullable: true, description: claimFields.note }),
    reason: t.exposeString('reason', { nullable: true, description: claimFields.reason }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true, description: 'Decided at (审核时间).' }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Claimed at (认领时间).' }),
  }),
})

export const NeedItemRef = builder.prismaNode('NeedItem', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
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
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Raised at (发布时间).' }),
  }),
})

export const ResourceItemRef = builder.prismaNode('ResourceItem', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description:
    'A resource of the resources list (资源清单) that a unit offers: venue, funds, personnel, information or service.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Title (资源名称).' }),
    description: t.exposeString('description', { nullable: true, description: 'Details (资源描述).' }),
    kind: t.expose('kind', { type: ResourceKindEnum, description: 'Kind (类型).' }),
    unit: t.relation('unit', { description: 'The offering unit (提供单位).' }),
    community: t.relation('community', { description: "The unit's community (所在社区)." }),
    capacity: t.exposeString('capacity', {
      nullable: true,
      description: 'Capacity, e.g. 80 个座位, ¥20,000, 6 名志愿者 (容量).',
    }),
    availableFrom: t.expose('availableFrom', {
      type: 'DateTime',
      nullable: true,
      description: 'Available from (可用起).',
    }),
    availableUntil: t.expose('availableUntil', {
      type: 'DateTime',
      nullable: true,
      description: 'Available until (可用止).',
    }),
    availability: t.exposeString('availability', {
      nullable: true,
      description: 'When it can be used, e.g. 周末 9:00–17:00 (可用时段).',
    }),
    status: t.expose('status', { type: ResourceStatusEnum, description: 'State (状态).' }),
    claims: t.relation('claims', {
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      description: 'Claims on it that you may see (认领记录).',
    }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true, description: 'Withdrawn at (撤回时间).' }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Offered at (发布时间).' }),
  }),
})

// ---------------------------------------------------------------- overview

const StatusCountRef = builder.objectRef<lists.StatusCount>('StatusCount').implement({
  description: 'How many rows are in one state (按状态计数).',
  fields: (t) => ({
    status: t.exposeString('status', { description: 'The state (状态).' }),
    count: t.exposeInt('count', { description: 'How many (数量).' }),
  }),
})

const CommunityOverviewRef = builder.objectRef<lists.CommunityOverview>('CommunityJointOverview').implement({
  description:
    'Joint construction in one community (社区共建概况): agreement coverage of the resident units and the three lists.',
  fields: (t) => ({
    community: t.prismaField({
      type: 'Region',
      description: 'The community (社区).',
      resolve: (query, o, _a, ctx) => ctx.reader.region.findUniqueOrThrow({ ...query, where: { id: o.communityId } }),
    }),
    unitsInArea: t.exposeInt('unitsInArea', { description: 'Resident units in the community (驻区单位数).' }),
    unitsCovered: t.exposeInt('unitsCovered', {
      description: 'Of them, units party to a SIGNED or ACTIVE agreement (已签订共建协议的单位数).',
    }),
    coverage: t.float({
      description: 'unitsCovered / unitsInArea, 0–1; 0 without units (共建覆盖率).',
      resolve: (o) => (o.unitsInArea ? o.unitsCovered / o.unitsInArea : 0),
    }),
    needs: t.field({ type: [StatusCountRef], resolve: (o) => o.needs, description: 'Needs by state (需求按状态).' }),
    resources: t.field({
      type: [StatusCountRef],
      resolve: (o) => o.resources,
      description: 'Resources by state (资源按状态).',
    }),
    projects: t.field({
      type: [StatusCountRef],
      resolve: (o) => o.projects,
      description: 'Projects by state (项目按状态).',
    }),
  }),
})

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

const OverviewRef = builder.objectRef<lists.Overview>('JointConstructionOverview').implement({
  description:
    'Street overview of joint construction (街道共建总览): per community, units covered by agreements and the three lists.',
  fields: (t) => ({
    region: t.prismaField({
      type: 'Region',
      description: 'The street (or region) (区划).',
      resolve: (query, o, _a, ctx) => ctx.reader.region.findUniqueOrThrow({ ...query, where: { id: o.regionId } }),
    }),
    communities: t.field({
      type: [CommunityOverviewRef],
      resolve: (o) => o.communities,
      description: 'Each community, by code (各社区).',
    }),
    unitsInArea: t.int({
      description: 'Resident units in the region (驻区单位总数).',
      resolve: (o) => sum(o.communities.map((c) => c.unitsInArea)),
    }),
    unitsCovered: t.int({
      description: 'Units party to a SIGNED or ACTIVE agreement (已覆盖单位总数).',
      resolve: (o) => sum(o.communities.map((c) => c.unitsCovered)),
    }),
    coverage: t.float({
      description: 'unitsCovered / unitsInArea over the region, 0–1 (总覆盖率).',
      resolve: (o) => {
        const all = sum(o.communities.map((c) => c.unitsInArea))
        return all ? sum(o.communities.map((c) => c.unitsCovered)) / all : 0
      },
    }),
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

const ResourceFilter = builder.inputType('ResourceFilter', {
  description: 'Filters for resources (资源筛选).',
  fields: (t) => ({
    status: t.field({ type: [ResourceStatusEnum], required: false, description: 'Any of these states (状态).' }),
    kind: t.field({ type: ResourceKindEnum, required: false, description: 'Kind (类型).' }),
    unitId: t.globalID({ required: false, for: ResidentUnitRef, description: 'Offered by this unit (提供单位).' }),
    within: t.globalID({ required: false, for: RegionRef, description: 'In this region subtree (区划范围).' }),
  }),
})

const ClaimFilter = builder.inputType('ClaimFilter', {
  description: 'Filters for claims (认领筛选).',
  fields: (t) => ({
    status: t.field({ type: [ClaimStatusEnum], required: false, description: 'Any of these states (状态).' }),
    unitId: t.globalID({
      required: false,
      for: ResidentUnitRef,
      description: 'Need claims of this unit; resource claims on its resources (单位).',
    }),
    communityId: t.globalID({
      required: false,
      for: RegionRef,
      description: 'Need claims on its needs; resource claims it made (社区).',
    }),
  }),
})

type ClaimListArgs = { filter?: typeof ClaimFilter.$inferInput | null }

builder.queryFields((t) => ({
  needs: t.prismaConnection(
    {
      type: 'NeedItem',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "The needs list, most urgent and newest first (需求清单): every signed-in user reads published needs; officers also their region's withdrawn ones.",
      args: { filter: t.arg({ type: NeedFilter, required: false, description: 'Filters (筛选).' }) },
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
  resources: t.prismaConnection(
    {
      type: 'ResourceItem',
      cursor: 'id',
      authScopes: { officer: true, unitContact: true },
      description:
        "The resources list, newest first (资源清单): unit contacts read their own unit's; officers their region's, the resources on offer and the ones their communities claimed.",
      args: { filter: t.arg({ type: ResourceFilter, required: false, description: 'Filters (筛选).' }) },
      ...rootList(
        'resourceItem',
        ({ filter: f }: { filter?: typeof ResourceFilter.$inferInput | null }, _ctx: Context) => {
          const and: Prisma.ResourceItemWhereInput[] = [
            f?.status?.length ? { status: { in: f.status } } : {},
            f?.kind ? { kind: f.kind } : {},
            f?.unitId ? { unitId: f.unitId.id } : {},
            f?.within ? { community: regionSubtrees([f.within.id])! } : {},
          ]
          return {
            where: { AND: and },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.ResourceItemOrderByWithRelationInput[],
          }
        },
      ),
    },
    COUNTED,
  ),
  needClaims: t.prismaConnection(
    {
      type: 'NeedClaim',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Claims on needs you may see, newest first (需求认领列表): officers their region's, unit contacts their unit's.",
      args: { filter: t.arg({ type: ClaimFilter, required: false, description: 'Filters (筛选).' }) },
      ...rootList('needClaim', ({ filter: f }: ClaimListArgs, _ctx: Context) => ({
        where: {
          AND: [
            f?.status?.length ? { status: { in: f.status } } : {},
            f?.unitId ? { unitId: f.unitId.id } : {},
            f?.communityId ? { need: { communityId: f.communityId.id } } : {},
          ],
        } satisfies Prisma.NeedClaimWhereInput,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.NeedClaimOrderByWithRelationInput[],
      })),
    },
    COUNTED,
  ),
  resourceClaims: t.prismaConnection(
    {
      type: 'ResourceClaim',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Claims on resources you may see, newest first (资源认领列表): officers of the claiming or offering community, the offering unit's contacts.",
      args: { filter: t.arg({ type: ClaimFilter, required: false, description: 'Filters (筛选).' }) },
      ...rootList('resourceClaim', ({ filter: f }: ClaimListArgs, _ctx: Context) => ({
        where: {
          AND: [
            f?.status?.length ? { status: { in: f.status } } : {},
            f?.unitId ? { resource: { unitId: f.unitId.id } } : {},
            f?.communityId ? { communityId: f.communityId.id } : {},
          ],
        } satisfies Prisma.ResourceClaimWhereInput,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.ResourceClaimOrderByWithRelationInput[],
      })),
    },
    COUNTED,
  ),
  jointConstructionOverview: t.field({
    type: OverviewRef,
    authScopes: { officer: true },
    description:
      'Street overview (街道共建总览): per community, units covered by SIGNED or ACTIVE agreements against units in the area, and the three lists by state. Officers of the region; your own region by default.',
    args: {
      regionId: t.arg.globalID({
        required: false,
        for: RegionRef,
        description: 'The street (or a region of yours) (区划).',
      }),
    },
    resolve: (_r, { regionId }, ctx) => lists.streetOverview(ctx, regionId?.id ?? null),
  }),
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

const OfferResourceInput = builder.inputType('OfferResourceInput', {
  description:
    "Offers a resource (发布资源): a unit's contact for the unit, or a community officer for a unit of the community.",
  fields: (t) => ({
    title: t.string({ required: true, description: 'Title (资源名称).' }),
    description: t.string({ required: false, description: 'Details (资源描述).' }),
    kind: t.field({ type: ResourceKindEnum, required: true, description: 'Kind (类型).' }),
    unitId: t.globalID({
      required: false,
      for: ResidentUnitRef,
      description: 'The offering unit; your own by default (提供单位).',
    }),
    capacity: t.string({ required: false, description: 'Capacity (容量).' }),
    availableFrom: t.field({ type: 'DateTime', required: false, description: 'Available from (可用起).' }),
    availableUntil: t.field({ type: 'DateTime', required: false, description: 'Available until (可用止).' }),
    availability: t.string({ required: false, description: 'When it can be used (可用时段).' }),
  }),
})

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never

/** `of`: the node type(s) the id may name; the claim inputs serve both kinds of claim. */
const withdrawInput = <For extends ObjectParam<Types>>(
  name: string,
  description: string,
  entity: string,
  required: boolean,
  of: For | For[],
) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      id: t.globalID({ required: true, for: of, description: `The ${entity} (对象).` }),
      version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
      reason: t.string({ required, description: 'Reason (原因).' }),
    }),
  })

/** A claim input serves need and resource claims alike; each mutation then checks the claim's kind. */
const CLAIMS = [NeedClaimRef, ResourceClaimRef]

const WithdrawNeedInput = withdrawInput(
  'WithdrawNeedInput',
  'Withdraws an open or claimed need; pending claims are rejected (撤回需求).',
  'need',
  true,
  NeedItemRef,
)
const WithdrawResourceInput = withdrawInput(
  'WithdrawResourceInput',
  'Withdraws a resource on offer; pending claims are rejected (撤回资源).',
  'resource',
  true,
  ResourceItemRef,
)
const RejectClaimInput = withdrawInput(
  'RejectClaimInput',
  'Rejects a pending claim with a reason (驳回认领).',
  'claim',
  true,
  CLAIMS,
)
const WithdrawClaimInput = withdrawInput(
  'WithdrawClaimInput',
  'Withdraws a pending claim (撤回认领).',
  'claim',
  false,
  CLAIMS,
)

const ApproveClaimInput = builder.inputType('ApproveClaimInput', {
  description:
    'Approves a pending claim (通过认领); the other pending claims on the same need or resource are rejected.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: CLAIMS, description: 'The claim (认领).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    note: t.string({ required: false, description: 'Comment (审核意见).' }),
  }),
})

const ClaimNeedInput = builder.inputType('ClaimNeedInput', {
  description: 'A unit claims an open need (单位认领需求).',
  fields: (t) => ({
    needId: t.globalID({ required: true, for: NeedItemRef, description: 'The need (需求).' }),
    unitId: t.globalID({
      required: false,
      for: ResidentUnitRef,
      description: 'The claiming unit; your own by default (认领单位).',
    }),
    note: t.string({ required: false, description: 'What the unit offers (认领说明).' }),
  }),
})

const ClaimResourceInput = builder.inputType('ClaimResourceInput', {
  description: 'A community claims a resource on offer (社区认领资源).',
  fields: (t) => ({
    resourceId: t.globalID({ required: true, for: ResourceItemRef, description: 'The resource (资源).' }),
    communityId: t.globalID({
      required: false,
      for: RegionRef,
      description: 'The claiming community; your own by default (认领社区).',
    }),
    needId: t.globalID({
      required: false,
      for: NeedItemRef,
      description: 'A need of the community it is for (对应需求).',
    }),
    note: t.string({ required: false, description: 'What it is for (认领说明).' }),
  }),
})

const needResult = payload('need', 'The need after the change (变更后的需求).')
const resourceResult = payload('resource', 'The resource after the change (变更后的资源).')
const claimResult = payload('claim', 'The claim after the change (变更后的认领).')

builder.mutationFields((t) => ({
  raiseNeed: t.field({
    type: NeedItemRef,
    description: 'Raises a need (发布需求): community officers, grid workers for their grid.',
    authScopes: { officer: true, gridWorker: true },
    errors: needResult,
    args: { input: t.arg({ type: RaiseNeedInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      lists.raiseNeed(ctx, {
        ...input,
        communityId: input.communityId?.id ?? null,
        gridId: input.gridId?.id ?? null,
      }),
  }),
  withdrawNeed: t.field({
    type: NeedItemRef,
    description: 'Withdraws a need (撤回需求): officers of its community.',
    authScopes: { officer: true },
    errors: needResult,
    args: { input: t.arg({ type: WithdrawNeedInput, required: true }) },
    resolve: (_r, { input }, ctx) => lists.withdrawNeed(ctx, { ...input, id: input.id.id, reason: input.reason ?? '' }),
  }),
  offerResource: t.field({
    type: ResourceItemRef,
    description: "Offers a resource (发布资源): a unit's contact, or a community officer for a unit.",
    authScopes: { officer: true, unitContact: true },
    errors: resourceResult,
    args: { input: t.arg({ type: OfferResourceInput, required: true }) },
    resolve: (_r, { input }, ctx) => lists.offerResource(ctx, { ...input, unitId: input.unitId?.id ?? null }),
  }),
  withdrawResource: t.field({
    type: ResourceItemRef,
    description: "Withdraws a resource (撤回资源): the unit's contact or an officer of its community.",
    authScopes: { officer: true, unitContact: true },
    errors: resourceResult,
    args: { input: t.arg({ type: WithdrawResourceInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      lists.withdrawResource(ctx, { ...input, id: input.id.id, reason: input.reason ?? '' }),
  }),
  claimNeed: t.field({
    type: NeedClaimRef,
    description:
      "A unit claims an open need (认领需求), pending the community officer's approval; one live claim per unit and need.",
    authScopes: { officer: true, unitContact: true },
    errors: claimResult,
    args: { input: t.arg({ type: ClaimNeedInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      lists.claimNeed(ctx, { ...input, needId: input.needId.id, unitId: input.unitId?.id ?? null }),
  }),
  approveNeedClaim: t.field({
    type: NeedClaimRef,
    description:
      "Approves a claim on a need (通过需求认领): officers of the need's community; never two approved claims on one need.",
    authScopes: { officer: true },
    errors: claimResult,
    args: { input: t.arg({ type: ApproveClaimInput, required: true }) },
    resolve: (_r, { input }, ctx) => lists.approveNeedClaim(ctx, { ...input, id: decodeId(input.id, 'NeedClaim') }),
  }),
  rejectNeedClaim: t.field({
    type: NeedClaimRef,
    description: 'Rejects a claim on a need (驳回需求认领).',
    authScopes: { officer: true },
    errors: claimResult,
    args: { input: t.arg({ type: RejectClaimInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      lists.rejectNeedClaim(ctx, { ...input, id: decodeId(input.id, 'NeedClaim'), reason: input.reason ?? '' }),
  }),
  withdrawNeedClaim: t.field({
    type: NeedClaimRef,
    description: "Withdraws a pending claim on a need (撤回需求认领): the unit's contact or an officer.",
    authScopes: { loggedIn: true },
    errors: claimResult,
    args: { input: t.arg({ type: WithdrawClaimInput, required: true }) },
    resolve: (_r, { input }, ctx) => lists.withdrawNeedClaim(ctx, { ...input, id: decodeId(input.id, 'NeedClaim') }),
  }),
  claimResource: t.field({
    type: ResourceClaimRef,
    description:
      "A community claims a resource (认领资源), pending approval by the officer of the resource's community.",
    authScopes: { officer: true },
    errors: claimResult,
    args: { input: t.arg({ type: ClaimResourceInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      lists.claimResource(ctx, {
        ...input,
        resourceId: input.resourceId.id,
        communityId: input.communityId?.id ?? null,
        needId: input.needId?.id ?? null,
      }),
  }),
  approveResourceClaim: t.field({
    type: ResourceClaimRef,
    description: "Approves a claim on a resource (通过资源认领): officers of the resource's community.",
    authScopes: { officer: true },
    errors: claimResult,
    args: { input: t.arg({ type: ApproveClaimInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      lists.approveResourceClaim(ctx, { ...input, id: decodeId(input.id, 'ResourceClaim') }),
  }),
  rejectResourceClaim: t.field({
    type: ResourceClaimRef,
    description: 'Rejects a claim on a resource (驳回资源认领).',
    authScopes: { officer: true },
    errors: claimResult,
    args: { input: t.arg({ type: RejectClaimInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      lists.rejectResourceClaim(ctx, { ...input, id: decodeId(input.id, 'ResourceClaim'), reason: input.reason ?? '' }),
  }),
  withdrawResourceClaim: t.field({
    type: ResourceClaimRef,
    description: 'Withdraws a pending claim on a resource (撤回资源认领).',
    authScopes: { officer: true },
    errors: claimResult,
    args: { input: t.arg({ type: WithdrawClaimInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      lists.withdrawResourceClaim(ctx, { ...input, id: decodeId(input.id, 'ResourceClaim') }),
  }),
}))
