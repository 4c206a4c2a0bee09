// Case statistics (案件统计): the period's breakdowns with the previous period beside them. The
// descriptions below define every figure.
import { builder } from '../../builder.js'
import { rowById } from '../../shared/rows-by-id.js'
import '../assessment/assessment.schema.js'
import { PeriodInput, PeriodRef } from '../assessment/assessment.schema.js'
import { CaseSourceEnum, CaseStatusEnum } from '../case/case.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import type { CaseSource, CaseStatus } from '../../generated/prisma/enums.js'
import * as service from './statistics.service.js'

// ---------------------------------------------------------------- counts beside the previous period

const CASES = "cases reported (created) in the period in the region's grids"

const TallyRef = builder.interfaceRef<service.Tally>('CaseTally').implement({
  description: "A count of the period beside the previous period's (本期与上期).",
  fields: (t) => ({
    count: t.exposeInt('count', { description: 'In the period (本期).' }),
    previousCount: t.exposeInt('previous', {
      description: 'In the previous period (`CaseStatistics.previousPeriod`) (上期).',
    }),
    change: t.int({ resolve: (r) => r.count - r.previous, description: 'count − previousCount (增减).' }),
    changePercent: t.float({
      nullable: true,
      resolve: (r) => (r.previous ? Math.round((10_000 * (r.count - r.previous)) / r.previous) / 100 : null),
      description:
        '(count − previousCount) ÷ previousCount × 100, rounded to 2 decimals; null when previousCount is 0 (环比增幅，%).',
    }),
  }),
})

const StatusCount = builder.objectRef<service.Tally>('CaseStatusCount').implement({
  description: `Cases of the period by their state now (按状态): ${CASES}, counted by Case.status as it is now.`,
  interfaces: [TallyRef],
  isTypeOf: () => true,
  fields: (t) => ({
    status: t.field({ type: CaseStatusEnum, resolve: (r) => r.key as CaseStatus, description: 'The state (状态).' }),
  }),
})
const SourceCount = builder.objectRef<service.Tally>('CaseSourceCount').implement({
  description: `Cases of the period by source (按来源): ${CASES}.`,
  interfaces: [TallyRef],
  isTypeOf: () => true,
  fields: (t) => ({
    source: t.field({ type: CaseSourceEnum, resolve: (r) => r.key as CaseSource, description: 'The source (来源).' }),
  }),
})
const CategoryCount = builder.objectRef<service.Tally>('CaseCategoryCount').implement({
  description: `Cases of the period by category (按类别): ${CASES}.`,
  interfaces: [TallyRef],
  isTypeOf: () => true,
  fields: (t) => ({
    category: t.prismaField({
      type: 'CaseCategory',
      resolve: (query, r, _a, ctx) => rowById(ctx, 'caseCategory', query, r.key),
      description: 'The category (类别).',
    }),
  }),
})
const GridCount = builder.objectRef<service.Tally>('GridCaseCount').implement({
  description: `Cases of the period by grid (按网格): ${CASES}.`,
  interfaces: [TallyRef],
  isTypeOf: () => true,
  fields: (t) => ({
    grid: t.prismaField({
      type: 'Grid',
      resolve: (query, r, _a, ctx) => rowById(ctx, 'grid', query, r.key),
      description: 'The grid (网格).',
    }),
  }),
})
const CommunityCount = builder.objectRef<service.Tally>('CommunityCaseCount').implement({
  description: `Cases of the period by community (按社区): ${CASES}, by the community of the case's grid.`,
  interfaces: [TallyRef],
  isTypeOf: () => true,
  fields: (t) => ({
    community: t.prismaField({
      type: 'Region',
      resolve: (query, r, _a, ctx) => rowById(ctx, 'region', query, r.key),
      description: 'The community (社区).',
    }),
  }),
})
const DepartmentCount = builder.objectRef<service.Tally>('DepartmentCaseCount').implement({
  description: `Cases of the period by department (按部门): ${CASES} that have at least one dispatch order addressed to the department that was not cancelled; a case sent to two departments counts for each.`,
  interfaces: [TallyRef],
  isTypeOf: () => true,
  fields: (t) => ({
    department: t.prismaField({
      type: 'Department',
      resolve: (query, r, _a, ctx) => rowById(ctx, 'department', query, r.key),
      description: 'The department (部门).',
    }),
  }),
})

const MonthCount = builder.objectRef<{ month: string; count: number }>('MonthCaseCount').implement({
  description: `Cases of the period by calendar month in Shanghai time (按月): ${CASES}; every month the period touches, zero included.`,
  fields: (t) => ({
    month: t.exposeString('month', { description: 'The month, `YYYY-MM` (月份).' }),
    count: t.exposeInt('count', { description: 'Cases reported in that month, within the period (案件数).' }),
  }),
})

const TotalCount = builder.objectRef<service.Tally>('CaseCount').implement({
  description: `All ${CASES} (案件总数).`,
  interfaces: [TallyRef],
  isTypeOf: () => true,
  fields: () => ({}),
})

export const StatisticsRef = builder.objectRef<service.CaseStatistics>('CaseStatistics').implement({
  description: `Case statistics of a region for a period (案件统计): ${CASES}, broken down, each count beside the previous period's (环比). Lists are most first; a key with no case in either period is left out.`,
  fields: (t) => ({
    region: t.prismaField({
      type: 'Region',
      description: 'The region (统计区域).',
      resolve: (query, r, _a, ctx) => rowById(ctx, 'region', query, r.region.id),
    }),
    period: t.field({ type: PeriodRef, resolve: (r) => r.period, description: 'The period (统计周期).' }),
    previousPeriod: t.field({
      type: PeriodRef,
      resolve: (r) => r.period.previous,
      description:
        'The period compared with: the month, quarter or year before, or as many days before a range (对比周期).',
    }),
    asOf: t.field({
      type: 'DateTime',
      resolve: (r) => r.asOf,
      description: 'When the figures were computed: states are as of this moment (统计时点).',
    }),
    total: t.field({ type: TotalCount, resolve: (r) => r.total, description: 'All cases (总数).' }),
    byStatus: t.field({ type: [StatusCount], resolve: (r) => r.by.status, description: 'By state now (按状态).' }),
    byCategory: t.field({ type: [CategoryCount], resolve: (r) => r.by.category, description: 'By category (按类别).' }),
    bySource: t.field({ type: [SourceCount], resolve: (r) => r.by.source, description: 'By source (按来源).' }),
    byGrid: t.field({ type: [GridCount], resolve: (r) => r.by.grid, description: 'By grid (按网格).' }),
    byCommunity: t.field({
      type: [CommunityCount],
      resolve: (r) => r.by.community,
      description: 'By community (按社区).',
    }),
    byDepartment: t.field({
      type: [DepartmentCount],
      resolve: (r) => r.by.department,
      description: 'By department the cases were dispatched to (按承办部门).',
    }),
    byMonth: t.field({ type: [MonthCount], resolve: (r) => r.byMonth, description: 'By month, in order (按月趋势).' }),
  }),
})

// ---------------------------------------------------------------- queries and the subscription

export const REGION_ARG = {
  required: false,
  for: RegionRef,
  description: 'A region within yours (admins: any); default your first region (区域).',
} as const

builder.queryFields((t) => ({
  caseStatistics: t.field({
    type: StatisticsRef,
    authScopes: { officer: true },
    description:
      'Case statistics (案件统计) of a region for a period, with the previous period beside each count. Officers: regions within their own; admins: any.',
    args: {
      regionId: t.arg.globalID(REGION_ARG),
      period: t.arg({ type: PeriodInput, required: true, description: 'The period (统计周期).' }),
    },
    resolve: (_r, a, ctx) => service.caseStatistics(ctx, { regionId: a.regionId?.id ?? null, period: a.period }),
  }),
}))
