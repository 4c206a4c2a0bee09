import { builder } from '../../builder.js'
import { AgreementItemKind, AgreementStatus } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { maskPhone } from '../../auth/personal-data.js'
import type { Context } from '../../context.js'
import { NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { payload } from '../../shared/mutations.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { regionSubtrees } from '../../auth/policy.js'
import { OrderDirection } from '../../shared/scalars.schema.js'
import { seesAgreementPhones } from './agreement.policy.js'
import * as agreements from './agreement.service.js'
import * as reviews from './review.service.js'
import { ResidentUnitRef } from '../directory/directory.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import { PartyOrgRef } from '../party/party.schema.js'

export const AgreementStatusEnum = builder.enumType(AgreementStatus, {
  name: 'AgreementStatus',
  description:
    'State of a joint-construction agreement (共建协议状态): DRAFT 草拟, SIGNED 已签订, ACTIVE 履行中, EXPIRED 已到期, TERMINATED 已终止.',
})

export const AgreementItemKindEnum = builder.enumType(AgreementItemKind, {
  name: 'AgreementItemKind',
  description:
    'What an agreement item covers (共建事项类型): LINKED_ASSISTANCE 挂钩帮扶, CROSS_APPOINTMENT 干部交叉任职, SECONDMENT 互派挂职, TALENT_PAIRING 人才结对, RESOURCE_SHARING 资源共享.',
})

/** A phone of a responsible person, masked for viewers who need no contact (PIPL). */
const phoneFor = (phone: string | null, ctx: Context) => (seesAgreementPhones(ctx.viewer) ? phone : maskPhone(phone))

builder.prismaNode('AgreementParty', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description:
    'A resident unit that is party to an agreement (共建单位), with its own party organisation when it has one.',
  fields: (t) => ({
    unit: t.relation('unit', { description: 'The resident unit (驻区单位).' }),
    unitOrg: t.relation('unitOrg', { nullable: true, description: "The unit's party organisation (单位党组织)." }),
    signatoryName: t.exposeString('signatoryName', {
      nullable: true,
      description: 'Who signs for the unit; set when the unit confirms (单位签署人).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Added at (加入时间).' }),
  }),
})

builder.prismaNode('AgreementProgress', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
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
  id: { field: 'id', description: 'Global ID (全局 ID).' },
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

builder.prismaNode('AgreementEvent', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: "One step of an agreement's timeline (协议时间线): who did what, from which state to which.",
  fields: (t) => ({
    action: t.exposeString('action', {
      description:
        'What was done: CREATE, UPDATE, ADD_PARTY, ADD_ITEM, CANCEL_ITEM, CONFIRM, SIGN, ACTIVATE, PROGRESS, REPORT, REVIEW, EXPIRE, TERMINATE (动作).',
    }),
    fromStatus: t.exposeString('fromStatus', { nullable: true, description: 'State before (原状态).' }),
    toStatus: t.exposeString('toStatus', { nullable: true, description: 'State after (新状态).' }),
    note: t.exposeString('note', { nullable: true, description: 'Details, reason or comment (说明).' }),
    actor: t.prismaField({
      type: 'User',
      nullable: true,
      description: 'Who did it; null for the system, e.g. expiry (操作人，系统操作为空).',
      resolve: (query, e, _a, ctx) => {
        const select = { ...query } // read before the branch: no "unused query" warning for the system's steps
        return e.actorId ? ctx.reader.user.findUnique({ ...select, where: { id: e.actorId } }) : null
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When (时间).' }),
  }),
})

const AgreementReviewRef = builder.prismaNode('AgreementReview', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description:
    "Yearly review (述职评议) of a unit under an agreement: the unit's own report, the community's score and comments. Visible to the unit and the officers of the region, not to other units.",
  fields: (t) => ({
    agreement: t.relation('agreement', { description: 'The agreement (所属协议).' }),
    unit: t.relation('unit', { description: 'The unit reviewed (述职单位).' }),
    year: t.exposeInt('year', { description: 'The year reviewed (评议年度).' }),
    unitReport: t.exposeString('unitReport', { nullable: true, description: "The unit's own report (单位述职报告)." }),
    reportedAt: t.expose('reportedAt', { type: 'DateTime', nullable: true, description: 'Reported at (述职时间).' }),
    score: t.exposeInt('score', { nullable: true, description: 'Score given by the officers, 0–100 (评议得分).' }),
    comment: t.exposeString('comment', { nullable: true, description: "The officers' comments (评议意见)." }),
    reviewedAt: t.expose('reviewedAt', { type: 'DateTime', nullable: true, description: 'Scored at (评议时间).' }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
  }),
})

export const JointAgreementRef = builder.prismaNode('JointAgreement', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description:
    'Joint-construction agreement (共建协议) between a street working committee or community committee and one or more resident units: DRAFT → SIGNED → ACTIVE → EXPIRED | TERMINATED.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Title (协议名称).' }),
    summary: t.exposeString('summary', { nullable: true, description: 'Summary (协议摘要).' }),
    status: t.expose('status', { type: AgreementStatusEnum, description: 'Current state (状态).' }),
    partyOrg: t.relation('partyOrg', {
      description: 'The street working committee or community committee (党组织方).',
    }),
    region: t.relation('region', { description: "The party organisation's street or community (所属区划)." }),
    parties: t.relation('parties', {
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      description: 'The resident units party to it (共建单位).',
    }),
    items: t.relation('items', {
      args: {
        includeCancelled: t.arg.boolean({
          required: false,
          description: 'Also items cancelled while drafting (含已撤销).',
        }),
      },
      query: (args) => ({
        where: args.includeCancelled ? {} : { cancelledAt: null },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
      description: 'What it covers (共建事项).',
    }),
    startsAt: t.expose('startsAt', { type: 'DateTime', description: 'Start of the term (协议期限起).' }),
    endsAt: t.expose('endsAt', { type: 'DateTime', description: 'End of the term; it expires then (协议期限止).' }),
    signedAt: t.expose('signedAt', { type: 'DateTime', nullable: true, description: 'Signed at (签订日期).' }),
    activatedAt: t.expose('activatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'In force since (生效时间).',
    }),
    closedAt: t.expose('closedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Expired or terminated at (终结时间).',
    }),
    documents: t.exposeStringList('documents', {
      description: 'Document URLs: scans of the signed agreement, annexes (协议文本地址).',
    }),
    terminationReason: t.exposeString('terminationReason', {
      nullable: true,
      description: 'Why it was terminated (终止原因).',
    }),
    timeline: t.relation('events', {
      query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      description: 'Every step, oldest first (协议时间线).',
    }),
    reviews: t.relation('reviews', {
      description: 'Yearly reviews you may see: a unit sees only its own (述职评议).',
      args: { year: t.arg.int({ required: false, description: 'Only this year (年度).' }) },
      query: ({ year }) => ({ where: year != null ? { year } : {}, orderBy: [{ year: 'desc' }, { id: 'asc' }] }),
    }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Drafted at (创建时间).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last changed at (更新时间).' }),
  }),
})

// ---------------------------------------------------------------- queries

const DAY = 86_400_000

const JointAgreementFilter = builder.inputType('JointAgreementFilter', {
  description: 'Filters for agreements (共建协议筛选).',
  fields: (t) => ({
    status: t.field({ type: [AgreementStatusEnum], required: false, description: 'Any of these states (状态).' }),
    unitId: t.globalID({
      required: false,
      for: ResidentUnitRef,
      description: 'With this resident unit as a party (共建单位).',
    }),
    partyOrgId: t.globalID({
      required: false,
      for: PartyOrgRef,
      description: 'Signed by this party organisation (党组织).',
    }),
    within: t.globalID({
      required: false,
      for: RegionRef,
      description: 'Of a party organisation in this region subtree (区划范围).',
    }),
    expiringWithinDays: t.int({
      required: false,
      description: 'ACTIVE or SIGNED, with a term ending within this many days from now (N 天内到期).',
    }),
  }),
})

const JointAgreementOrderField = builder.enumType('JointAgreementOrderField', {
  description: 'Sort key for agreements (共建协议排序字段).',
  values: {
    CREATED_AT: { value: 'createdAt', description: 'Drafted at (创建时间).' },
    ENDS_AT: { value: 'endsAt', description: 'End of the term (到期时间).' },
    UPDATED_AT: { value: 'updatedAt', description: 'Last change (更新时间).' },
  } as const,
})

const JointAgreementOrder = builder.inputType('JointAgreementOrder', {
  description: 'Ordering of agreements (共建协议排序).',
  fields: (t) => ({
    field: t.field({ type: JointAgreementOrderField, required: true, description: 'Sort key (字段).' }),
    direction: t.field({
      type: OrderDirection,
      required: false,
      defaultValue: 'desc',
      description: 'Direction (方向).',
    }),
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

type JointAgreementListArgs = {
  filter?: typeof JointAgreementFilter.$inferInput | null
  orderBy?: typeof JointAgreementOrder.$inferInput | null
}

builder.queryFields((t) => ({
  jointAgreements: t.prismaConnection(
    {
      type: 'JointAgreement',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Joint-construction agreements you may see, newest first (共建协议列表): officers their region's and their units', unit contacts their own unit's.",
      args: {
        filter: t.arg({ type: JointAgreementFilter, required: false, description: 'Filters (筛选).' }),
        orderBy: t.arg({
          type: JointAgreementOrder,
          required: false,
          description: 'Ordering, newest first by default (排序).',
        }),
      },
      ...rootList('jointAgreement', ({ filter: f, orderBy }: JointAgreementListArgs, _ctx: Context) => {
        const now = new Date()
        if (f?.expiringWithinDays != null && (f.expiringWithinDays < 0 || f.expiringWithinDays > 3660)) {
          throw new ValidationFailedError([{ path: 'filter.expiringWithinDays', message: '0–3660 days' }])
        }
        const and: Prisma.JointAgreementWhereInput[] = [
          f?.status?.length ? { status: { in: f.status } } : {},
          f?.unitId ? { parties: { some: { unitId: f.unitId.id } } } : {},
          f?.partyOrgId ? { partyOrgId: f.partyOrgId.id } : {},
          f?.within ? { region: regionSubtrees([f.within.id])! } : {},
          f?.expiringWithinDays != null
            ? {
                status: { in: ['ACTIVE', 'SIGNED'] },
                endsAt: { gt: now, lte: new Date(now.getTime() + f.expiringWithinDays * DAY) },
              }
            : {},
        ]
        return {
          where: { AND: and },
          orderBy: [
            { [orderBy?.field ?? 'createdAt']: orderBy?.direction ?? 'desc' },
            { id: 'desc' },
          ] satisfies Prisma.JointAgreementOrderByWithRelationInput[],
        }
      }),
    },
    COUNTED,
  ),
  agreementItems: t.prismaConnection(
    {
      type: 'AgreementItem',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Items of the agreements you may see (共建事项列表); with unitId, a unit's items: its own and those common to all units.",
      args: { filter: t.arg({ type: AgreementItemFilter, required: false, description: 'Filters (筛选).' }) },
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
  agreementReviews: t.prismaConnection(
    {
      type: 'AgreementReview',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description: "Yearly reviews you may see (述职评议列表): a unit contact its own unit's, officers their region's.",
      args: {
        unitId: t.arg.globalID({ required: false, for: ResidentUnitRef, description: 'Of this unit (单位).' }),
        year: t.arg.int({ required: false, description: 'Of this year (年度).' }),
      },
      ...rootList(
        'agreementReview',
        (args: { unitId?: { id: string } | null; year?: number | null }, _ctx: Context) => ({
          where: {
            AND: [args.unitId ? { unitId: args.unitId.id } : {}, args.year ? { year: args.year } : {}],
          } satisfies Prisma.AgreementReviewWhereInput,
          orderBy: [{ year: 'desc' }, { id: 'desc' }] satisfies Prisma.AgreementReviewOrderByWithRelationInput[],
        }),
      ),
    },
    COUNTED,
  ),
}))

// ---------------------------------------------------------------- mutations

const AgreementPartyInput = builder.inputType('AgreementPartyInput', {
  description: 'A resident unit joining an agreement (共建单位).',
  fields: (t) => ({
    unitId: t.globalID({
      required: true,
      for: ResidentUnitRef,
      description: "The resident unit, in the party organisation's area (驻区单位).",
    }),
    unitOrgId: t.globalID({
      required: false,
      for: PartyOrgRef,
      description: "Its party organisation; defaults to the unit's own (单位党组织).",
    }),
    signatoryName: t.string({
      required: false,
      description: 'Who signs for the unit, when known; otherwise the unit confirms (单位签署人).',
    }),
  }),
})

const AgreementItemInput = builder.inputType('AgreementItemInput', {
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

const CreateJointAgreementInput = builder.inputType('CreateJointAgreementInput', {
  description: "Drafts an agreement (草拟共建协议): officers of the party organisation's region.",
  fields: (t) => ({
    partyOrgId: t.globalID({
      required: true,
      for: PartyOrgRef,
      description: 'The street working committee or community committee (党组织).',
    }),
    title: t.string({ required: true, description: 'Title (协议名称).' }),
    summary: t.string({ required: false, description: 'Summary (协议摘要).' }),
    startsAt: t.field({ type: 'DateTime', required: true, description: 'Start of the term (期限起).' }),
    endsAt: t.field({ type: 'DateTime', required: true, description: 'End of the term, after the start (期限止).' }),
    documents: t.stringList({ required: false, description: 'Document URLs (协议文本地址).' }),
    parties: t.field({
      type: [AgreementPartyInput],
      required: true,
      description: 'The resident units, at least one (共建单位).',
    }),
    items: t.field({ type: [AgreementItemInput], required: false, description: 'Items (共建事项).' }),
    note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
  }),
})

const UpdateJointAgreementInput = builder.inputType('UpdateJointAgreementInput', {
  description: 'Edits a draft (修改协议草稿); only the fields given change.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    title: t.string({ required: false, description: 'Title (协议名称).' }),
    summary: t.string({ required: false, description: 'Summary (协议摘要).' }),
    startsAt: t.field({ type: 'DateTime', required: false, description: 'Start of the term (期限起).' }),
    endsAt: t.field({ type: 'DateTime', required: false, description: 'End of the term (期限止).' }),
    documents: t.stringList({ required: false, description: 'Document URLs, replacing the list (协议文本地址).' }),
    note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
  }),
})

const AddAgreementPartyInput = builder.inputType('AddAgreementPartyInput', {
  description: 'Adds a unit to a draft (增加共建单位).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    party: t.field({ type: AgreementPartyInput, required: true, description: 'The unit (共建单位).' }),
  }),
})

const AddAgreementItemInput = builder.inputType('AddAgreementItemInput', {
  description: 'Adds an item to a draft (增加共建事项).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    item: t.field({ type: AgreementItemInput, required: true, description: 'The item (共建事项).' }),
  }),
})

const CancelAgreementItemInput = builder.inputType('CancelAgreementItemInput', {
  description: 'Cancels an item of a draft; it stays on record (撤销共建事项).',
  fields: (t) => ({
    itemId: t.globalID({ required: true, for: AgreementItemRef, description: 'The item (事项).' }),
    version: t.int({ required: true, description: 'The version you read of its agreement (协议版本号).' }),
    reason: t.string({ required: true, description: 'Why (原因).' }),
  }),
})

const ConfirmAgreementPartyInput = builder.inputType('ConfirmAgreementPartyInput', {
  description: "A party unit's contact confirms the draft for the unit (单位确认协议).",
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    signatoryName: t.string({ required: true, description: 'Who signs for the unit (单位签署人).' }),
  }),
})

const SignJointAgreementInput = builder.inputType('SignJointAgreementInput', {
  description: 'Records the signing (签订协议): needs at least one item and a signatory for every unit.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    signedAt: t.field({ type: 'DateTime', required: false, description: 'Signing date; now by default (签订日期).' }),
    documents: t.stringList({
      required: false,
      description: 'URLs of the signed documents, added to the list (签署文本地址).',
    }),
    note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
  }),
})

const ActivateJointAgreementInput = builder.inputType('ActivateJointAgreementInput', {
  description: 'Puts a signed agreement in force (协议生效); refused once its term has ended.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
  }),
})

const TerminateJointAgreementInput = builder.inputType('TerminateJointAgreementInput', {
  description: 'Terminates a draft, signed or active agreement with a reason (终止协议).',
  fields: (t) => ({
    id: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    reason: t.string({ required: true, description: 'Why (终止原因).' }),
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

const SubmitAgreementReportInput = builder.inputType('SubmitAgreementReportInput', {
  description: "A party unit's contact writes the unit's yearly report under an agreement (单位述职).",
  fields: (t) => ({
    agreementId: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    year: t.int({ required: true, description: 'The year reported on (述职年度).' }),
    report: t.string({ required: true, description: 'The report (述职报告).' }),
    version: t.int({ required: false, description: 'The version you read, when the review exists (评议版本号).' }),
  }),
})

const ReviewAgreementUnitInput = builder.inputType('ReviewAgreementUnitInput', {
  description: "Officers of the agreement's region score a unit's year and comment (评议打分).",
  fields: (t) => ({
    agreementId: t.globalID({ required: true, for: JointAgreementRef, description: 'The agreement (协议).' }),
    unitId: t.globalID({ required: true, for: ResidentUnitRef, description: 'The party unit (共建单位).' }),
    year: t.int({ required: true, description: 'The year reviewed (评议年度).' }),
    score: t.int({ required: true, description: 'Score, 0–100 (得分).' }),
    comment: t.string({ required: true, description: 'Comments (评议意见).' }),
    version: t.int({ required: false, description: 'The version you read, when the review exists (评议版本号).' }),
  }),
})

const agreementResult = payload('agreement', 'The agreement after the change (变更后的协议).')
const partyIds = (p: {
  unitId: { typename: string; id: string }
  unitOrgId?: { typename: string; id: string } | null
  signatoryName?: string | null
}) => ({
  unitId: p.unitId.id,
  unitOrgId: p.unitOrgId?.id ?? null,
  signatoryName: p.signatoryName,
})

const itemIds = <I extends { unitId?: { typename: string; id: string } | null }>(i: I) => ({
  ...i,
  unitId: i.unitId?.id ?? null,
})

builder.mutationFields((t) => ({
  createJointAgreement: t.field({
    type: JointAgreementRef,
    description: "Drafts an agreement (草拟共建协议): officers of the party organisation's region.",
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: CreateJointAgreementInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      agreements.createJointAgreement(ctx, {
        ...input,
        partyOrgId: input.partyOrgId.id,
        parties: input.parties.map(partyIds),
        items: input.items?.map(itemIds),
      }),
  }),
  updateJointAgreement: t.field({
    type: JointAgreementRef,
    description: 'Edits a draft (修改协议草稿).',
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: UpdateJointAgreementInput, required: true }) },
    resolve: (_r, { input }, ctx) => agreements.updateJointAgreement(ctx, { ...input, id: input.id.id }),
  }),
  addAgreementParty: t.field({
    type: JointAgreementRef,
    description: 'Adds a unit to a draft (增加共建单位).',
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: AddAgreementPartyInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      agreements.addAgreementParty(ctx, { id: input.id.id, version: input.version, party: partyIds(input.party) }),
  }),
  addAgreementItem: t.field({
    type: JointAgreementRef,
    description: 'Adds an item to a draft (增加共建事项).',
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: AddAgreementItemInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      agreements.addAgreementItem(ctx, { id: input.id.id, version: input.version, item: itemIds(input.item) }),
  }),
  cancelAgreementItem: t.field({
    type: JointAgreementRef,
    description: 'Cancels an item of a draft (撤销共建事项).',
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: CancelAgreementItemInput, required: true }) },
    resolve: (_r, { input }, ctx) => agreements.cancelAgreementItem(ctx, { ...input, itemId: input.itemId.id }),
  }),
  confirmAgreementParty: t.field({
    type: JointAgreementRef,
    description: "A party unit's contact confirms the draft for the unit, naming its signatory (单位确认协议).",
    authScopes: { unitContact: true },
    errors: agreementResult,
    args: { input: t.arg({ type: ConfirmAgreementPartyInput, required: true }) },
    resolve: (_r, { input }, ctx) => agreements.confirmAgreementParty(ctx, { ...input, id: input.id.id }),
  }),
  signJointAgreement: t.field({
    type: JointAgreementRef,
    description:
      "Records the signing (签订协议): officers of the region; at least one item and every unit's signatory.",
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: SignJointAgreementInput, required: true }) },
    resolve: (_r, { input }, ctx) => agreements.signJointAgreement(ctx, { ...input, id: input.id.id }),
  }),
  activateJointAgreement: t.field({
    type: JointAgreementRef,
    description: 'Puts a signed agreement in force (协议生效): officers of the region.',
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: ActivateJointAgreementInput, required: true }) },
    resolve: (_r, { input }, ctx) => agreements.activateJointAgreement(ctx, { ...input, id: input.id.id }),
  }),
  terminateJointAgreement: t.field({
    type: JointAgreementRef,
    description: 'Terminates an agreement with a reason (终止协议): officers of the region.',
    authScopes: { officer: true },
    errors: agreementResult,
    args: { input: t.arg({ type: TerminateJointAgreementInput, required: true }) },
    resolve: (_r, { input }, ctx) => agreements.terminateJointAgreement(ctx, { ...input, id: input.id.id }),
  }),
  recordAgreementProgress: t.field({
    type: AgreementItemRef,
    description:
      "Reports progress on an item of an active agreement (报告事项进展): officers of the region or the unit's contact.",
    authScopes: { loggedIn: true },
    errors: payload('item', 'The item after the entry (记录后的事项).'),
    args: { input: t.arg({ type: RecordAgreementProgressInput, required: true }) },
    resolve: (_r, { input }, ctx) => agreements.recordAgreementProgress(ctx, { ...input, itemId: input.itemId.id }),
  }),
  submitAgreementReport: t.field({
    type: AgreementReviewRef,
    description: "A party unit's contact writes its yearly report (单位述职).",
    authScopes: { unitContact: true },
    errors: payload('review', 'The review after the change (变更后的评议).'),
    args: { input: t.arg({ type: SubmitAgreementReportInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      reviews.submitAgreementReport(ctx, { ...input, agreementId: input.agreementId.id }),
  }),
  reviewAgreementUnit: t.field({
    type: AgreementReviewRef,
    description: "Officers of the agreement's region score a unit's year (评议打分).",
    authScopes: { officer: true },
    errors: payload('review', 'The review after the change (变更后的评议).'),
    args: { input: t.arg({ type: ReviewAgreementUnitInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      reviews.reviewAgreementUnit(ctx, {
        ...input,
        agreementId: input.agreementId.id,
        unitId: input.unitId.id,
      }),
  }),
}))

builder.subscriptionFields((t) => ({
  agreementUpdated: t.prismaField({
    type: 'JointAgreement',
    description:
      "Pushes agreements as they change — drafted, signed, activated, expired, terminated, progress (共建协议变更推送): officers pass a region of theirs (their own by default); unit contacts get their unit's.",
    authScopes: { loggedIn: true },
    args: {
      regionId: t.arg.globalID({ required: false, for: RegionRef, description: 'Officers: a region of yours (区划).' }),
    },
    subscribe: (_root, { regionId }, ctx) => agreements.subscribeAgreements(ctx, regionId?.id ?? null) as never,
    resolve: async (query, payload: { id: string }, _args, ctx) => {
      const a = await ctx.reader.jointAgreement.findUnique({ ...query, where: { id: payload.id } })
      if (!a) throw new NotFoundError('JointAgreement', payload.id)
      return a
    },
  }),
}))

/** The agreements of a unit, in the `status` asked for: one `where` for the pages and the count. */
const unitAgreements = (unitId: string, status: AgreementStatus[] | null | undefined) => ({
  where: {
    AND: [{ parties: { some: { unitId } } }, status?.length ? { status: { in: status } } : {}],
  } satisfies Prisma.JointAgreementWhereInput,
  orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.JointAgreementOrderByWithRelationInput[],
})

// a unit's agreements from the unit (驻区单位的共建协议); counted like a root list, through the reader
builder.prismaObjectField('ResidentUnit', 'agreements', (t) =>
  t.prismaConnection(
    {
      type: 'JointAgreement',
      cursor: 'id',
      description: 'Agreements this unit is party to, that you may see (本单位的共建协议).',
      args: {
        status: t.arg({ type: [AgreementStatusEnum], required: false, description: 'Any of these states (状态).' }),
      },
      resolve: (query, unit, { status }, ctx) =>
        ctx.reader.jointAgreement.findMany({ ...query, ...unitAgreements(unit.id, status) }),
      totalCount: (unit, { status }, ctx) =>
        ctx.reader.jointAgreement.count({ where: unitAgreements(unit.id, status).where }),
    },
    COUNTED,
  ),
)
