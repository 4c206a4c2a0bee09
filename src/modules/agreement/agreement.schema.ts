import { builder } from '../../builder.js'
import { optionalRowById } from '../../shared/rows-by-id.js'
import { nodeId, exposeVersion, filterArg, anyStatus, orderInput } from '../../shared/schema-fields.js'
import { AgreementStatus } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { payload, rowMutations } from '../../shared/mutations.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { regionSubtrees } from '../../auth/policy.js'
import * as agreements from './agreement.service.js'
import { ResidentUnitRef } from '../directory/directory.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import { PartyOrgRef } from '../party/party.schema.js'

export const AgreementStatusEnum = builder.enumType(AgreementStatus, {
  name: 'AgreementStatus',
  description:
    'State of a joint-construction agreement (共建协议状态): DRAFT 草拟, SIGNED 已签订, ACTIVE 履行中, EXPIRED 已到期, TERMINATED 已终止.',
})

builder.prismaNode('AgreementParty', {
  nullable: true,
  id: nodeId,
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

builder.prismaNode('AgreementEvent', {
  nullable: true,
  id: nodeId,
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
      resolve: (query, e, _a, ctx) => optionalRowById(ctx, 'user', query, e.actorId),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When (时间).' }),
  }),
})

export const JointAgreementRef = builder.prismaNode('JointAgreement', {
  nullable: true,
  id: nodeId,
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
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Drafted at (创建时间).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last changed at (更新时间).' }),
  }),
})

// ---------------------------------------------------------------- queries

const DAY = 86_400_000

const JointAgreementFilter = builder.inputType('JointAgreementFilter', {
  description: 'Filters for agreements (共建协议筛选).',
  fields: (t) => ({
    status: anyStatus(t, AgreementStatusEnum),
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

const JointAgreementOrder = orderInput(
  'JointAgreementOrder',
  'Ordering of agreements (共建协议排序).',
  JointAgreementOrderField,
  'desc',
)

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
        filter: filterArg(t.arg, JointAgreementFilter),
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
}))

/** The mutations that answer with the agreement they changed (agreement-lifecycle.schema.ts). */
export const agreementMutation = rowMutations(
  'JointAgreement',
  payload('agreement', 'The agreement after the change (变更后的协议).'),
)

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
