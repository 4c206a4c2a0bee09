import { builder } from '../../builder.js'
import { RegionRef } from '../grid/region.schema.js'
import * as lists from './lists.service.js'

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

builder.queryFields((t) => ({
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
