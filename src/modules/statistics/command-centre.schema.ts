// The command centre (社会治理联动中心): the live picture of a region — one query, and a subscription that
// pushes it again when the region's cases move (at most once per FIGURES_INTERVAL_MS). The
// descriptions below define every figure.
import { builder } from '../../builder.js'
import { rowById } from '../../shared/rows-by-id.js'
import '../assessment/assessment.schema.js'
import { PeriodInput } from '../assessment/assessment.schema.js'
import * as service from './statistics.service.js'

import { REGION_ARG, StatisticsRef } from './statistics.schema.js'

// ---------------------------------------------------------------- the live picture

const OPEN = 'open cases (未结): in any state but CLOSED and REJECTED'
const OVERDUE_CASE =
  'overdue cases (超期案件): past their deadline and on the clock (not RESOLVED, VERIFIED, SUSPENDED, CLOSED or REJECTED) — the `Case.overdue` rule'
const OPEN_ORDER = 'open dispatch orders (在办派单): CREATED, SIGNED or ON_SITE'
const OVERDUE_ORDER =
  'overdue orders (超期派单): unsigned (CREATED) after signBy, or open after completeBy — the `DispatchOrder.overdue` rule'

const LiveRef = builder.interfaceRef<Omit<service.GridLive, 'gridId'>>('LiveCaseCounts').implement({
  description: "Open and overdue work now, and today's intake (实时案件计数).",
  fields: (t) => ({
    openCases: t.exposeInt('openCases', { description: `The ${OPEN} (未结案件数).` }),
    overdueCases: t.exposeInt('overdueCases', { description: `The ${OVERDUE_CASE} (超期案件数).` }),
    openOrders: t.exposeInt('openOrders', {
      description: `The ${OPEN_ORDER}, to departments and grid workers (在办派单数).`,
    }),
    unsignedOrders: t.exposeInt('unsignedOrders', {
      description: 'Of those, not signed for yet (CREATED) (待签收派单数).',
    }),
    overdueOrders: t.exposeInt('overdueOrders', { description: `The ${OVERDUE_ORDER} (超期派单数).` }),
    openSupervisions: t.exposeInt('openSupervisions', {
      description: 'Supervisions (督办) not answered yet: OPEN or ACKNOWLEDGED (待答复督办数).',
    }),
    reportedToday: t.exposeInt('reportedToday', {
      description: 'Cases reported since 00:00 today, Shanghai time (今日受理).',
    }),
    closedToday: t.exposeInt('closedToday', {
      description: 'Cases closed or rejected (closedAt) since 00:00 today, Shanghai time (今日办结).',
    }),
  }),
})

const GridLiveRef = builder.objectRef<service.GridLive>('GridOverdue').implement({
  description:
    "One grid now (网格超期热力): its open and overdue work and today's intake; the cases counted are those in the grid.",
  interfaces: [LiveRef],
  isTypeOf: () => true,
  fields: (t) => ({
    grid: t.prismaField({
      type: 'Grid',
      description: 'The grid (网格).',
      resolve: (query, r, _a, ctx) => rowById(ctx, 'grid', query, r.gridId),
    }),
  }),
})

const DepartmentLoadRef = builder.objectRef<service.DepartmentLoad>('DepartmentLoad').implement({
  description: `One department's open work in the region now (部门在办负荷): the ${OPEN_ORDER} addressed to it, on cases in the region's grids.`,
  fields: (t) => ({
    department: t.prismaField({
      type: 'Department',
      description: 'The department (部门).',
      resolve: (query, r, _a, ctx) => rowById(ctx, 'department', query, r.departmentId),
    }),
    openOrders: t.exposeInt('openOrders', { description: 'Open orders (在办派单数).' }),
    unsignedOrders: t.exposeInt('unsignedOrders', { description: 'Of those, not signed for yet (待签收).' }),
    overdueOrders: t.exposeInt('overdueOrders', { description: `Of those, the ${OVERDUE_ORDER} (超期).` }),
    oldestOpenAt: t.field({
      type: 'DateTime',
      resolve: (r) => r.oldestOpenAt,
      description: 'When the oldest of them was created (最早在办派单时间).',
    }),
  }),
})

const CommandCentreRef = builder.objectRef<service.CommandCentre>('CommandCentre').implement({
  description:
    "The command-centre view of a region (社会治理联动中心): the live picture — open and overdue work, today's intake, the overdue heat per grid and the load per department — and the case statistics of a period, in one request. Figures are as of `asOf`.",
  fields: (t) => ({
    region: t.prismaField({
      type: 'Region',
      description: 'The region (区域).',
      resolve: (query, r, _a, ctx) => rowById(ctx, 'region', query, r.region.id),
    }),
    asOf: t.field({
      type: 'DateTime',
      resolve: (r) => r.asOf,
      description: 'When the figures were computed (统计时点).',
    }),
    totals: t.field({
      type: builder.objectRef<Omit<service.GridLive, 'gridId'>>('CommandCentreTotals').implement({
        description: "The region's live counts: the sums over its grids (区域实时汇总).",
        interfaces: [LiveRef],
        isTypeOf: () => true,
        fields: () => ({}),
      }),
      resolve: (r, _a, ctx) => service.regionLive(ctx, r),
      description: "The region's live counts (实时汇总).",
    }),
    overdueHeat: t.field({
      type: [GridLiveRef],
      resolve: (r, _a, ctx) => service.gridsLive(ctx, r),
      description:
        'Every grid of the region, most overdue cases first, then most overdue orders, then by code (超期热力).',
    }),
    departmentLoad: t.field({
      type: [DepartmentLoadRef],
      resolve: (r, _a, ctx) => service.departmentLoad(ctx, r),
      description: 'Departments with open orders in the region, most overdue first (部门负荷).',
    }),
    caseStatistics: t.field({
      type: StatisticsRef,
      description: 'Case statistics of the region for a period (案件统计).',
      args: {
        period: t.arg({
          type: PeriodInput,
          required: false,
          description: 'The period; default the current month in Shanghai time (统计周期，默认本月).',
        }),
      },
      resolve: (r, { period }, ctx) => service.centreStatistics(ctx, r, period),
    }),
  }),
})

builder.queryFields((t) => ({
  commandCentre: t.field({
    type: CommandCentreRef,
    authScopes: { officer: true },
    description:
      'The command-centre view (社会治理联动中心) of a region: the live picture and the case statistics in one request. Officers: regions within their own; admins: any.',
    args: { regionId: t.arg.globalID(REGION_ARG) },
    resolve: (_r, a, ctx) => service.commandCentre(ctx, { regionId: a.regionId?.id ?? null }),
  }),
}))

builder.subscriptionFields((t) => ({
  commandCentreUpdated: t.field({
    type: CommandCentreRef,
    authScopes: { officer: true },
    description:
      'The command-centre view of a region, pushed at once and then again when its cases or orders move: at most one push per second per region (FIGURES_INTERVAL_MS), a burst folded into one (联动中心实时推送). Officers: regions within their own; admins: any.',
    args: { regionId: t.arg.globalID(REGION_ARG) },
    subscribe: async (_root, a, ctx) => {
      const view = await service.commandCentre(ctx, { regionId: a.regionId?.id ?? null })
      return ctx.feeds.figures.subscribe(view.region.id)
    },
    resolve: (tick: { regionId: string }, _a, ctx) => service.commandCentre(ctx, { regionId: tick.regionId }),
  }),
}))
