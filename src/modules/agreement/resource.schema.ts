import { builder } from '../../builder.js'
import { nodeId, exposeVersion, filterArg, anyStatus } from '../../shared/schema-fields.js'
import { ResourceKind, ResourceStatus } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { regionSubtrees } from '../../auth/policy.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { ResidentUnitRef } from '../directory/directory.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import * as lists from './lists.service.js'

export const ResourceKindEnum = builder.enumType(ResourceKind, {
  name: 'ResourceKind',
  description: 'Kind of resource (资源类型): VENUE 场地, FUNDS 资金, PERSONNEL 人员, INFORMATION 信息, SERVICE 服务.',
})
export const ResourceStatusEnum = builder.enumType(ResourceStatus, {
  name: 'ResourceStatus',
  description: 'State of a resource (资源状态): AVAILABLE 可认领, CLAIMED 已认领, IN_USE 使用中, WITHDRAWN 已撤回.',
})

export const ResourceItemRef = builder.prismaNode('ResourceItem', {
  nullable: true,
  id: nodeId,
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
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Offered at (发布时间).' }),
  }),
})

const ResourceFilter = builder.inputType('ResourceFilter', {
  description: 'Filters for resources (资源筛选).',
  fields: (t) => ({
    status: anyStatus(t, ResourceStatusEnum),
    kind: t.field({ type: ResourceKindEnum, required: false, description: 'Kind (类型).' }),
    unitId: t.globalID({ required: false, for: ResidentUnitRef, description: 'Offered by this unit (提供单位).' }),
    within: t.globalID({ required: false, for: RegionRef, description: 'In this region subtree (区划范围).' }),
  }),
})

builder.queryFields((t) => ({
  resources: t.prismaConnection(
    {
      type: 'ResourceItem',
      cursor: 'id',
      authScopes: { officer: true, unitContact: true },
      description:
        "The resources list, newest first (资源清单): unit contacts read their own unit's; officers their region's, the resources on offer and the ones their communities claimed.",
      args: { filter: filterArg(t.arg, ResourceFilter) },
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
}))

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

const WithdrawResourceInput = stepInputs(ResourceItemRef, 'The resource (对象).')(
  'WithdrawResourceInput',
  'Withdraws a resource on offer; pending claims are rejected (撤回资源).',
  (t) => ({ reason: t.string({ required: true, description: 'Reason (原因).' }) }),
)

const resourceMutation = rowMutations(
  'ResourceItem',
  payload('resource', 'The resource after the change (变更后的资源).'),
)
resourceMutation('offerResource', {
  description: "Offers a resource (发布资源): a unit's contact, or a community officer for a unit.",
  authScopes: { officer: true, unitContact: true },
  input: OfferResourceInput,
  run: lists.offerResource,
})
resourceMutation('withdrawResource', {
  description: "Withdraws a resource (撤回资源): the unit's contact or an officer of its community.",
  authScopes: { officer: true, unitContact: true },
  input: WithdrawResourceInput,
  run: lists.withdrawResource,
})
