import { builder } from '../../builder.js'
import { nodeId, filterArg } from '../../shared/schema-fields.js'
import { AgreementItemKind } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { maskPhone } from '../../auth/personal-data.js'
import type { Context } from '../../context.js'
import { payload, rowMutations } from '../../shared/mutations.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { seesAgreementPhones } from './agreement.policy.js'
import * as agreements from './agreement.service.js'
import { ResidentUnitRef } from '../directory/directory.schema.js'
import { AgreementStatusEnum } from './agreement.schema.js'

export const AgreementItemKindEnum = builder.enumType(AgreementItemKind, {
  name: 'AgreementItemKind',
  description:
    'What an agreement item covers (共建事项类型): LINKED_ASSISTANCE 挂钩帮扶, CROSS_APPOINTMENT 干部交叉任职, SECONDMENT 互派挂职, TALENT_PAIRING 人才结对, RESOURCE_SHARING 资源共享.',
})

/** A phone of a responsible person, masked for viewers who need no contact (PIPL). */
const phoneFor = (phone: string | null, ctx: Context) => (seesAgreementPhones(ctx.viewer) ? phone : maskPhone(phone))

builder.prismaNode('AgreementProgress', {
  nullable: true,
  id: nodeId,
  description: 'A progress entry on an agreement item (事项进展记录); append-only.',
  fields: (t) => ({
    progress: t.exposeInt('progress', { description: 'Progress reported, 0–100 (进度百分比).' }),
    note: t.exposeString('note', { description: 'What was done (进展说明).' }),
    attachments: t.exposeStringList('attachments', { description: 'Photo and document URLs (附件地址).' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: 'When the work was done (发生时间).' }),
    recordedBy: t.prismaField({
      type: 'User',
      description: 'Who recorded it (记录人).',
      resolve: (query, e, _a, ctx) => ctx.reader.user.findUniqueOrThrow({ ...query, where: { id: e.recordedById } }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Recorded at (记录时间).' }),
  }),
})

export const AgreementItemRef = builder.prismaNode('AgreementItem', {
  nullable: true,
  id: nodeId,
  description: 'What an agreement covers (共建事项), with the responsible people on both sides, a target and progress.',
  fields: (t) => ({
    agreement: t.relation('agreement', { description: 'The agreement (所属协议).' }),
    kind: t.expose('kind', { type: AgreementItemKindEnum, description: 'Kind (事项类型).' }),
    title: t.exposeString('title', { description: 'Title (事项名称).' }),
    description: t.exposeString('description', { nullable: true, description: 'Details (事项内容).' }),
    unit: t.relation('unit', {
      nullable: true,
      description: 'The unit responsible on the unit side; null for all party units (责任单位).',
    }),
    orgLeadName: t.exposeString('orgLeadName', {
      description: 'Responsible person of the party organisation (党组织方负责人).',
    }),
    orgLeadPhone: t.string({
      nullable: true,
      description: 'Their phone, masked unless your role needs it (党组织方负责人电话).',
      resolve: (i, _a, ctx) => phoneFor(i.orgLeadPhone, ctx),
    }),
    unitLeadName: t.exposeString('unitLeadName', { description: 'Responsible person of the unit (单位方负责人).' }),
    unitLeadPhone: t.string({
      nullable: true,
      description: 'Their phone, masked unless your role needs it (单位方负责人电话).',
      resolve: (i, _a, ctx) => phoneFor(i.unitLeadPhone, ctx),
    }),
    target: t.exposeString('target', { description: 'Target to reach (目标任务).' }),
    progress: t.exposeInt('progress', { description: 'Latest progress reported, 0–100 (最新进度).' }),
    cancelledAt: t.expose('cancelledAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Cancelled at, while drafting (撤销时间).',
    }),
    entries: t.relation('entries', {
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      description: 'Progress entries, oldest first (进展记录).',
    }),
    projects: t.relation('projects', {
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      description: 'Projects that carry it out, that you may see (落实项目).',
    }),
    version: t.exposeInt('version', {
      description: 'Version for optimistic concurrency; send it with progress (版本号).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Added at (创建时间).' }),
  }),
})

const AgreementItemFilter = builder.inputType('AgreementItemFilter', {
  description: 'Filters for agreement items (共建事项筛选).',
  fields: (t) => ({
    unitId: t.globalID({
      required: false,
      for: ResidentUnitRef,
      description: 'Items of agreements this unit is party to, for this unit or for all units (单位).',
    }),
    kind: t.field({ type: AgreementItemKindEnum, required: false, description: 'Kind (事项类型).' }),
    agreementStatus: t.field({
      type: [AgreementStatusEnum],
      required: false,
      description: 'Their agreement in any of these states (协议状态).',
    }),
  }),
})

builder.queryFields((t) => ({
  agreementItems: t.prismaConnection(
    {
      type: 'AgreementItem',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Items of the agreements you may see (共建事项列表); with unitId, a unit's items: its own and those common to all units.",
      args: { filter: filterArg(t.arg, AgreementItemFilter) },
      ...rootList(
        'agreementItem',
        ({ filter: f }: { filter?: typeof AgreementItemFilter.$inferInput | null }, _ctx: Context) => {
          const unitId = f?.unitId?.id ?? null
          const and: Prisma.AgreementItemWhereInput[] = [
            { cancelledAt: null },
            unitId ? { agreement: { parties: { some: { unitId } } }, OR: [{ unitId }, { unitId: null }] } : {},
            f?.kind ? { kind: f.kind } : {},
            f?.agreementStatus?.length ? { agreement: { status: { in: f.agreementStatus } } } : {},
          ]
          return {
            where: { AND: and },
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.AgreementItemOrderByWithRelationInput[],
          }
        },
      ),
    },
    COUNTED,
  ),
}))

export const AgreementItemInput = builder.inputType('AgreementItemInput', {
  description: 'An item of an agreement (共建事项).',
  fields: (t) => ({
    kind: t.field({ type: AgreementItemKindEnum, required: true, description: 'Kind (事项类型).' }),
    title: t.string({ required: true, description: 'Title (事项名称).' }),
    description: t.string({ required: false, description: 'Details (事项内容).' }),
    unitId: t.globalID({
      required: false,
      for: ResidentUnitRef,
      description: 'The party unit responsible; none for all of them (责任单位).',
    }),
    orgLeadName: t.string({
      required: true,
      description: 'Responsible person of the party organisation (党组织方负责人).',
    }),
    orgLeadPhone: t.string({ required: false, description: 'Their phone (电话).' }),
    unitLeadName: t.string({ required: true, description: 'Responsible person of the unit (单位方负责人).' }),
    unitLeadPhone: t.string({ required: false, description: 'Their phone (电话).' }),
    target: t.string({ required: true, description: 'Target to reach (目标任务).' }),
  }),
})

const RecordAgreementProgressInput = builder.inputType('RecordAgreementProgressInput', {
  description: 'Reports progress on an item of an active agreement (报告事项进展): either side.',
  fields: (t) => ({
    itemId: t.globalID({ required: true, for: AgreementItemRef, description: 'The item (事项).' }),
    version: t.int({ required: true, description: 'The version you read of the item (事项版本号).' }),
    progress: t.int({ required: true, description: 'Progress now, 0–100 (进度百分比).' }),
    note: t.string({ required: true, description: 'What was done (进展说明).' }),
    attachments: t.stringList({ required: false, description: 'Photo and document URLs (附件地址).' }),
    occurredAt: t.field({
      type: 'DateTime',
      required: false,
      description: 'When the work was done; now by default (发生时间).',
    }),
  }),
})

rowMutations('AgreementItem', payload('item', 'The item after the entry (记录后的事项).'))('recordAgreementProgress', {
  description:
    "Reports progress on an item of an active agreement (报告事项进展): officers of the region or the unit's contact.",
  authScopes: { loggedIn: true },
  input: RecordAgreementProgressInput,
  run: agreements.recordAgreementProgress,
})
