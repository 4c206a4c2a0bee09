import { builder } from '../../builder.js'
import { RegionRef } from '../grid/region.schema.js'
import * as records from './service-record.service.js'

import { notFound } from './service-record.schema.js'

interface CoverageRow extends records.Coverage {}
const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : null)

const CoverageRef = builder.objectRef<CoverageRow>('CommunityPartyCoverage').implement({
  description: 'Dual-reporting coverage of a community (社区双报到覆盖情况).',
  fields: (t) => ({
    community: t.prismaField({
      type: 'Region',
      description: 'The community (社区).',
      resolve: async (query, c, _a, ctx) =>
        (await ctx.reader.region.findUnique({ ...query, where: { id: c.communityId } })) ??
        notFound('Region', c.communityId),
    }),
    membersKnown: t.exposeInt('membersKnown', { description: 'Party members known to live there (登记居住党员数).' }),
    membersReported: t.exposeInt('membersReported', {
      description: 'Members with an approved report there (已报到党员数).',
    }),
    memberRate: t.float({
      nullable: true,
      resolve: (c) => rate(c.membersReported, c.membersKnown),
      description: 'membersReported / membersKnown, null when none known (党员报到率).',
    }),
    unitsInArea: t.exposeInt('unitsInArea', { description: 'Resident units in the community (驻区单位数).' }),
    unitsReported: t.exposeInt('unitsReported', {
      description: 'Units whose party organisation has an approved report there (已报到单位数).',
    }),
    unitRate: t.float({
      nullable: true,
      resolve: (c) => rate(c.unitsReported, c.unitsInArea),
      description: 'unitsReported / unitsInArea, null when there are none (单位报到率).',
    }),
    pendingReports: t.exposeInt('pendingReports', { description: 'Reports waiting for a decision (待审核报到数).' }),
  }),
})

builder.queryFields((t) => ({
  partyCoverage: t.field({
    type: [CoverageRef],
    authScopes: { officer: true },
    description:
      'Dual-reporting coverage per community of your region (双报到覆盖率统计): members reported of those known to live there, units reported of those in the area.',
    args: {
      within: t.arg.globalID({
        required: false,
        for: RegionRef,
        description: 'Only communities in this region subtree (区划范围).',
      }),
    },
    resolve: (_r, { within }, ctx) => records.partyCoverage(ctx, within?.id ?? null),
  }),
}))
