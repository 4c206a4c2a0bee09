import { builder } from '../../builder.js'
import { nodeId, filterArg } from '../../shared/schema-fields.js'
import { FeedbackRating } from '../../generated/prisma/enums.js'
import type { Prisma } from '../../generated/prisma/client.js'
import type { Context } from '../../context.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { payload, rowMutations } from '../../shared/mutations.js'
import { RegionRef } from '../grid/region.schema.js'
import { PartyMemberRef } from './party-member.schema.js'
import { PartyOrgRef } from './party.schema.js'
import * as records from './service-record.service.js'

const FeedbackRatingEnum = builder.enumType(FeedbackRating, {
  name: 'FeedbackRating',
  description:
    "The community's rating of a member's service (表现评价): EXCELLENT 优秀, GOOD 良好, FAIR 一般, POOR 较差.",
})

builder.prismaNode('PerformanceFeedback', {
  nullable: true,
  id: nodeId,
  description:
    "Yearly feedback of a community on a reported member, sent to their workplace party organisation (表现反馈), with the record's figures when sent.",
  fields: (t) => ({
    member: t.relation('member', { description: 'The member (党员).' }),
    year: t.exposeInt('year', { description: 'Service year (年度).' }),
    community: t.relation('community', { description: 'The community sending it (反馈社区).' }),
    toOrg: t.relation('toOrg', {
      nullable: true,
      description: 'The workplace party organisation it is sent to (接收党组织).',
    }),
    rating: t.expose('rating', { type: FeedbackRatingEnum, description: 'Rating (评价等次).' }),
    comment: t.exposeString('comment', { description: 'Comment (评语).' }),
    hours: t.exposeFloat('hours', { description: 'Service hours in the year (年度服务时长).' }),
    activities: t.exposeInt('activities', { description: 'Volunteer activities (参加志愿活动次数).' }),
    wishesFulfilled: t.exposeInt('wishesFulfilled', { description: 'Micro-wishes fulfilled (认领微心愿数).' }),
    casesHelped: t.exposeInt('casesHelped', { description: 'Cases helped with (协助办理诉求数).' }),
    commitmentsMet: t.exposeInt('commitmentsMet', { description: 'Pledges met (已兑现承诺数).' }),
    commitmentsTotal: t.exposeInt('commitmentsTotal', { description: 'Pledges of the year (年度承诺数).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Sent at (反馈时间).' }),
  }),
})

const FeedbackFilter = builder.inputType('PerformanceFeedbackFilter', {
  description: 'Filters for performance feedback (表现反馈筛选).',
  fields: (t) => ({
    memberId: t.globalID({ required: false, for: PartyMemberRef, description: 'On this member (党员).' }),
    year: t.int({ required: false, description: 'Of this year (年度).' }),
    toOrgId: t.globalID({
      required: false,
      for: PartyOrgRef,
      description: 'Sent to this party organisation (接收党组织).',
    }),
  }),
})

builder.queryFields((t) => ({
  performanceFeedbacks: t.prismaConnection(
    {
      type: 'PerformanceFeedback',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Performance feedback you may read, newest first (表现反馈列表): the sending community, the receiving unit's contacts, the member.",
      args: { filter: filterArg(t.arg, FeedbackFilter) },
      ...rootList(
        'performanceFeedback',
        ({ filter: f }: { filter?: typeof FeedbackFilter.$inferInput | null }, _ctx: Context) => {
          const and: Prisma.PerformanceFeedbackWhereInput[] = [
            f?.memberId ? { memberId: f.memberId.id } : {},
            typeof f?.year === 'number' ? { year: f.year } : {},
            f?.toOrgId ? { toOrgId: f.toOrgId.id } : {},
          ]
          return {
            where: { AND: and },
            orderBy: [
              { createdAt: 'desc' },
              { id: 'desc' },
            ] satisfies Prisma.PerformanceFeedbackOrderByWithRelationInput[],
          }
        },
      ),
    },
    COUNTED,
  ),
}))

const SendFeedbackInput = builder.inputType('SendPerformanceFeedbackInput', {
  description:
    "Sends the year's feedback on a member to their workplace party organisation (发送表现反馈); once per member, year and community.",
  fields: (t) => ({
    memberId: t.globalID({ required: true, for: PartyMemberRef, description: 'The member (党员).' }),
    year: t.int({ required: true, description: 'Service year (年度).' }),
    communityId: t.globalID({
      required: false,
      for: RegionRef,
      description: 'The community sending it; the one the member is approved into by default (反馈社区).',
    }),
    rating: t.field({ type: FeedbackRatingEnum, required: true, description: 'Rating (评价等次).' }),
    comment: t.string({ required: true, description: 'Comment (评语).' }),
  }),
})

rowMutations('PerformanceFeedback', payload('feedback', 'The feedback sent (已发送的反馈).'))(
  'sendPerformanceFeedback',
  {
    description:
      "Sends a member's yearly feedback to their workplace party organisation (发送表现反馈): community officers.",
    authScopes: { communityOfficer: true },
    input: SendFeedbackInput,
    run: records.sendPerformanceFeedback,
  },
)
