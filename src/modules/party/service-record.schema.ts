import { builder } from '../../builder.js'
import { nodeId } from '../../shared/schema-fields.js'
import { ServiceRecordKind } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import type { Context } from '../../context.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload, rowMutations } from '../../shared/mutations.js'
import { decodeId, parseGlobalId } from '../../shared/relay.js'
import { CommitmentRef } from './commitment.schema.js'
import { PartyMemberRef } from './party-member.schema.js'
import { PartyOrgRef } from './party.schema.js'
import * as records from './service-record.service.js'

const ServiceRecordKindEnum = builder.enumType(ServiceRecordKind, {
  name: 'ServiceRecordKind',
  description:
    'What a service record comes from (履诺来源): ACTIVITY_HOURS 志愿活动时长, MICRO_WISH 认领的微心愿, CASE_HELP 协助办理的群众诉求.',
})

type ServiceRecordListArgs = {
  memberId?: { id: string } | null
  unitOrgId?: { id: string } | null
  year?: number | null
}

export const notFound = (type: string, id: string): never => {
  throw new NotFoundError(type, id)
}

/** The node type whose global ID names each kind's source. */
const SOURCE_TYPE: Record<ServiceRecordKind, string> = {
  CASE_HELP: 'Case',
  ACTIVITY_HOURS: 'ActivitySignup',
  MICRO_WISH: 'MicroWish',
}

/** `recordPartyService.sourceId`: a global ID of the kind's source type, nothing else (no raw row ids). */
function sourceRowId(kind: ServiceRecordKind, sourceId: string): string {
  let id: { typename: string; id: string }
  try {
    id = parseGlobalId(sourceId)
  } catch {
    throw new ValidationFailedError([{ path: 'sourceId', message: `not a global ID of a ${SOURCE_TYPE[kind]}` }])
  }
  return decodeId(id, SOURCE_TYPE[kind], 'sourceId')
}

builder.prismaNode('ServiceRecord', {
  nullable: true,
  id: nodeId,
  description:
    'Service credited to a member or a unit party organisation (履诺记录), linked to the work that produced it by kind and source id.',
  fields: (t) => ({
    kind: t.expose('kind', { type: ServiceRecordKindEnum, description: 'Where it comes from (来源).' }),
    sourceId: t.exposeString('sourceId', {
      description: 'Row id of the source: activity signup, micro-wish or case (来源记录编号).',
    }),
    member: t.relation('member', { nullable: true, description: 'The member credited (党员).' }),
    unitOrg: t.relation('unitOrg', {
      nullable: true,
      description: 'The unit party organisation credited (单位党组织).',
    }),
    commitment: t.relation('commitment', { nullable: true, description: 'The pledge it fulfils, if any (对应承诺).' }),
    hours: t.exposeFloat('hours', { description: 'Service hours (服务时长).' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: 'When the service was done (服务时间).' }),
    year: t.exposeInt('year', { description: 'Service year, China Standard Time (服务年度).' }),
    community: t.relation('community', { nullable: true, description: 'Where it was done (服务社区).' }),
    note: t.exposeString('note', { nullable: true, description: 'Note (备注).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Recorded at (记录时间).' }),
  }),
})

const CommitmentProgressRef = builder
  .objectRef<records.YearRecord['commitments'][number]>('CommitmentProgress')
  .implement({
    description: 'How far a pledge is fulfilled in its year (承诺兑现进度).',
    fields: (t) => ({
      commitment: t.prismaField({
        type: 'Commitment',
        description: 'The pledge (承诺).',
        // read as the viewer read the record's pledges (service-record.service.ts yearRecord)
        resolve: async (query, p, _a, ctx) =>
          (await ctx.reader.commitment.findUnique({ ...query, where: { id: p.commitmentId } })) ??
          notFound('Commitment', p.commitmentId),
      }),
      hoursPledged: t.float({
        nullable: true,
        resolve: (p) => p.hoursPerYear,
        description: 'Hours pledged (承诺时长).',
      }),
      hoursDone: t.exposeFloat('hoursDone', { description: 'Hours done for it (已服务时长).' }),
      records: t.exposeInt('records', { description: 'Service records linked to it (关联履诺记录数).' }),
      met: t.exposeBoolean('met', {
        description: 'Fulfilled: the hours reached, or anything done when no hours were pledged (是否兑现).',
      }),
    }),
  })

const MemberServiceRecordRef = builder.objectRef<records.YearRecord>('MemberServiceRecord').implement({
  description:
    "A member's yearly service record (党员年度服务记录): hours, activities, wishes fulfilled, cases helped, pledges met.",
  fields: (t) => ({
    year: t.exposeInt('year', { description: 'Service year, China Standard Time (年度).' }),
    member: t.prismaField({
      type: 'PartyMember',
      description: 'The member (党员).',
      resolve: async (query, r, _a, ctx) =>
        (await ctx.reader.partyMember.findUnique({ ...query, where: { id: r.memberId } })) ??
        notFound('PartyMember', r.memberId),
    }),
    hours: t.exposeFloat('hours', { description: 'All service hours (服务总时长).' }),
    activities: t.exposeInt('activities', { description: 'Volunteer activities joined (参加志愿活动次数).' }),
    activityHours: t.exposeFloat('activityHours', { description: 'Hours from volunteer activities (志愿活动时长).' }),
    wishesFulfilled: t.exposeInt('wishesFulfilled', { description: 'Micro-wishes fulfilled (认领兑现微心愿数).' }),
    casesHelped: t.exposeInt('casesHelped', { description: 'Cases helped with (协助办理诉求数).' }),
    hoursPledged: t.exposeFloat('hoursPledged', { description: 'Hours pledged for the year (承诺总时长).' }),
    commitmentsTotal: t.exposeInt('commitmentsTotal', { description: 'Open pledges of the year (年度承诺数).' }),
    commitmentsMet: t.exposeInt('commitmentsMet', { description: 'Pledges met (已兑现承诺数).' }),
    commitments: t.field({
      type: [CommitmentProgressRef],
      resolve: (r) => r.commitments,
      description: 'Each pledge and its progress (各项承诺进度).',
    }),
    entries: t.prismaField({
      type: ['ServiceRecord'],
      description: "The year's service records, oldest first (年度履诺明细).",
      resolve: (query, r, _a, ctx) =>
        ctx.reader.serviceRecord.findMany({
          ...query,
          where: { memberId: r.memberId, year: r.year },
          orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
        }),
    }),
    feedbacks: t.prismaField({
      type: ['PerformanceFeedback'],
      description: 'Feedback sent for the year (年度表现反馈).',
      resolve: (query, r, _a, ctx) =>
        ctx.reader.performanceFeedback.findMany({
          ...query,
          where: { memberId: r.memberId, year: r.year },
          orderBy: { createdAt: 'asc' },
        }),
    }),
  }),
})

builder.prismaObjectField('PartyMember', 'serviceRecord', (t) =>
  t.field({
    type: MemberServiceRecordRef,
    description: "The member's service record of a year, this year by default (年度服务记录).",
    args: { year: t.arg.int({ required: false, description: 'Year (年度).' }) },
    resolve: (m, { year }, ctx) => records.yearRecord(ctx, m.id, year),
  }),
)

builder.queryFields((t) => ({
  partyMemberRecord: t.field({
    type: MemberServiceRecordRef,
    authScopes: { loggedIn: true },
    description:
      "A member's yearly service record (党员年度服务记录): the member, community officers of their region and the contacts of the unit they work for; others get Forbidden.",
    args: {
      memberId: t.arg.globalID({ required: true, for: PartyMemberRef, description: 'The member (党员).' }),
      year: t.arg.int({ required: false, description: 'Year, this year by default (年度).' }),
    },
    errors: {
      dataField: { name: 'record', description: 'The record (年度记录).' },
      result: { name: 'PartyMemberRecordPayload', description: "A member's yearly record (党员年度记录查询结果)." },
      union: { name: 'PartyMemberRecordResult', description: 'The record, or why it cannot be read (年度记录或错误).' },
    },
    resolve: (_r, { memberId, year }, ctx) => records.memberYearRecord(ctx, memberId.id, year),
  }),
}))

builder.queryFields((t) => ({
  serviceRecords: t.prismaConnection(
    {
      type: 'ServiceRecord',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description: 'Service records you may see, newest first (履诺记录列表).',
      args: {
        memberId: t.arg.globalID({ required: false, for: PartyMemberRef, description: 'Of this member (党员).' }),
        unitOrgId: t.arg.globalID({
          required: false,
          for: PartyOrgRef,
          description: 'Of this unit party organisation (单位党组织).',
        }),
        year: t.arg.int({ required: false, description: 'Of this year (年度).' }),
      },
      ...rootList('serviceRecord', ({ memberId, unitOrgId, year }: ServiceRecordListArgs, _ctx: Context) => ({
        where: {
          AND: [
            memberId ? { memberId: memberId.id } : {},
            unitOrgId ? { unitOrgId: unitOrgId.id } : {},
            typeof year === 'number' ? { year } : {},
          ],
        } satisfies Prisma.ServiceRecordWhereInput,
        orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }] satisfies Prisma.ServiceRecordOrderByWithRelationInput[],
      })),
    },
    COUNTED,
  ),
}))

const RecordPartyServiceInput = builder.inputType('RecordPartyServiceInput', {
  description:
    "Credits service to a member or a unit party organisation (登记履诺): help on a case, or activity hours and micro-wishes from the community's sheets. Each source is credited once.",
  fields: (t) => ({
    kind: t.field({ type: ServiceRecordKindEnum, required: true, description: 'Where it comes from (来源).' }),
    sourceId: t.string({
      required: true,
      description:
        'Global ID of the source: a Case for CASE_HELP, an ActivitySignup for ACTIVITY_HOURS, a MicroWish for MICRO_WISH (来源对象的全局 ID).',
    }),
    memberId: t.globalID({ required: false, for: PartyMemberRef, description: 'The member credited (党员).' }),
    unitOrgId: t.globalID({
      required: false,
      for: PartyOrgRef,
      description: 'Or the unit party organisation credited (单位党组织).',
    }),
    commitmentId: t.globalID({ required: false, for: CommitmentRef, description: 'The pledge it fulfils (对应承诺).' }),
    hours: t.float({ required: true, description: 'Service hours, 0 when not counted in hours (服务时长).' }),
    occurredAt: t.field({ type: 'DateTime', required: true, description: 'When it was done (服务时间).' }),
    note: t.string({ required: false, description: 'Note (备注).' }),
  }),
})

rowMutations('ServiceRecord', payload('record', 'The service record (履诺记录).'))('recordPartyService', {
  description: 'Credits service to a member or unit (登记履诺): community officers of their community.',
  authScopes: { communityOfficer: true },
  input: RecordPartyServiceInput,
  run: (ctx, input) => records.recordPartyService(ctx, { ...input, sourceId: sourceRowId(input.kind, input.sourceId) }),
})
