import { builder } from '../../builder.js'
import { nodeId, exposeVersion, filterArg, anyStatus } from '../../shared/schema-fields.js'
import { ClaimStatus } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload, rowMutations, stepInputs } from '../../shared/mutations.js'
import { ResidentUnitRef } from '../directory/directory.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import * as lists from './lists.service.js'
import { NeedItemRef } from './need.schema.js'
import { ResourceItemRef } from './resource.schema.js'

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
  id: nodeId,
  description:
    "A unit's claim on a need (认领需求), decided by the community officer. At most one claim per need is approved.",
  fields: (t) => ({
    need: t.relation('need', { description: 'The need (需求).' }),
    unit: t.relation('unit', { description: 'The claiming unit (认领单位).' }),
    status: t.expose('status', { type: ClaimStatusEnum, description: 'State (状态).' }),
    note: t.exposeString('note', { nullable: true, description: claimFields.note }),
    reason: t.exposeString('reason', { nullable: true, description: claimFields.reason }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true, description: 'Decided at (审核时间).' }),
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Claimed at (认领时间).' }),
  }),
})

const ResourceClaimRef = builder.prismaNode('ResourceClaim', {
  nullable: true,
  id: nodeId,
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
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Claimed at (认领时间).' }),
  }),
})

const ClaimFilter = builder.inputType('ClaimFilter', {
  description: 'Filters for claims (认领筛选).',
  fields: (t) => ({
    status: anyStatus(t, ClaimStatusEnum),
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
  needClaims: t.prismaConnection(
    {
      type: 'NeedClaim',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Claims on needs you may see, newest first (需求认领列表): officers their region's, unit contacts their unit's.",
      args: { filter: filterArg(t.arg, ClaimFilter) },
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
      args: { filter: filterArg(t.arg, ClaimFilter) },
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
}))

/**
 * A claim input serves need and resource claims alike (one input type in the schema), so its id may
 * name either kind; each mutation names the kind it takes (`idTypes`).
 */
const CLAIMS = [NeedClaimRef, ResourceClaimRef]

const ApproveClaimInput = stepInputs(CLAIMS, 'The claim (认领).')(
  'ApproveClaimInput',
  'Approves a pending claim (通过认领); the other pending claims on the same need or resource are rejected.',
  (t) => ({ note: t.string({ required: false, description: 'Comment (审核意见).' }) }),
)
const claimReasonInput = <Required extends boolean>(name: string, description: string, required: Required) =>
  stepInputs(CLAIMS, 'The claim (对象).')(name, description, (t) => ({
    reason: t.string({ required, description: 'Reason (原因).' }),
  }))
const RejectClaimInput = claimReasonInput('RejectClaimInput', 'Rejects a pending claim with a reason (驳回认领).', true)
const WithdrawClaimInput = claimReasonInput('WithdrawClaimInput', 'Withdraws a pending claim (撤回认领).', false)

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

const claimResult = payload('claim', 'The claim after the change (变更后的认领).')

const needClaimMutation = rowMutations('NeedClaim', claimResult)
const resourceClaimMutation = rowMutations('ResourceClaim', claimResult)

needClaimMutation('claimNeed', {
  description:
    "A unit claims an open need (认领需求), pending the community officer's approval; one live claim per unit and need.",
  authScopes: { officer: true, unitContact: true },
  input: ClaimNeedInput,
  run: lists.claimNeed,
})
resourceClaimMutation('claimResource', {
  description: "A community claims a resource (认领资源), pending approval by the officer of the resource's community.",
  authScopes: { officer: true },
  input: ClaimResourceInput,
  run: lists.claimResource,
})

needClaimMutation('approveNeedClaim', {
  description:
    "Approves a claim on a need (通过需求认领): officers of the need's community; never two approved claims on one need.",
  authScopes: { officer: true },
  input: ApproveClaimInput,
  idTypes: { id: 'NeedClaim' },
  run: lists.approveNeedClaim,
})
needClaimMutation('rejectNeedClaim', {
  description: 'Rejects a claim on a need (驳回需求认领).',
  authScopes: { officer: true },
  input: RejectClaimInput,
  idTypes: { id: 'NeedClaim' },
  run: lists.rejectNeedClaim,
})
needClaimMutation('withdrawNeedClaim', {
  description: "Withdraws a pending claim on a need (撤回需求认领): the unit's contact or an officer.",
  authScopes: { loggedIn: true },
  input: WithdrawClaimInput,
  idTypes: { id: 'NeedClaim' },
  run: lists.withdrawNeedClaim,
})
resourceClaimMutation('approveResourceClaim', {
  description: "Approves a claim on a resource (通过资源认领): officers of the resource's community.",
  authScopes: { officer: true },
  input: ApproveClaimInput,
  idTypes: { id: 'ResourceClaim' },
  run: lists.approveResourceClaim,
})
resourceClaimMutation('rejectResourceClaim', {
  description: 'Rejects a claim on a resource (驳回资源认领).',
  authScopes: { officer: true },
  input: RejectClaimInput,
  idTypes: { id: 'ResourceClaim' },
  run: lists.rejectResourceClaim,
})
resourceClaimMutation('withdrawResourceClaim', {
  description: 'Withdraws a pending claim on a resource (撤回资源认领).',
  authScopes: { officer: true },
  input: WithdrawClaimInput,
  idTypes: { id: 'ResourceClaim' },
  run: lists.withdrawResourceClaim,
})
