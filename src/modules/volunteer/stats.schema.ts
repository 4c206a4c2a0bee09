import { builder } from '../../builder.js'
import { optionalRowById } from '../../shared/rows-by-id.js'
import { RegionRef } from '../grid/region.schema.js'
import * as stats from './stats.service.js'

const HoursDimensionEnum = builder.enumType('VolunteerHoursDimension', {
  description: 'How service hours are grouped (志愿时长统计维度).',
  values: {
    PERSON: { description: 'Per volunteer (按人).' },
    TEAM: { description: 'Per team; activities without a team in one row (按服务队).' },
    GRID: { description: 'Per grid; activities without a grid in one row (按网格).' },
    COMMUNITY: { description: 'Per community (按社区).' },
    MONTH: { description: 'Per calendar month, China Standard Time (按月).' },
  } as const,
})

const LeaderboardByEnum = builder.enumType('VolunteerLeaderboardBy', {
  description: 'What the leaderboard ranks by (排行依据).',
  values: {
    HOURS: { description: 'Service hours (服务时长).' },
    POINTS: { description: 'Points earned (获得积分).' },
  } as const,
})

const StatsFilter = builder.inputType('VolunteerStatsFilter', {
  description: 'Scope of volunteer statistics: completed activities and confirmed micro-wishes (志愿统计范围).',
  fields: (t) => ({
    within: t.globalID({
      required: false,
      for: RegionRef,
      description: 'Only this region subtree; officers are limited to theirs (区划范围).',
    }),
    from: t.field({ type: 'DateTime', required: false, description: 'Service completed at or after (时间起).' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Service completed before (时间止).' }),
  }),
})

const HoursRowRef = builder
  .objectRef<stats.HoursRow & { dimension: stats.HoursDimension }>('VolunteerHoursRow')
  .implement({
    description: 'Service hours and points of one group (志愿时长统计行).',
    fields: (t) => ({
      key: t.string({
        nullable: true,
        resolve: (r) => r.key,
        description: 'The group: a month as YYYY-MM, else the row id; null for "none" (分组键).',
      }),
      user: t.prismaField({
        type: 'User',
        nullable: true,
        description: 'PERSON: the volunteer (志愿者).',
        resolve: (query, r, _a, ctx) => optionalRowById(ctx, 'user', query, r.dimension === 'PERSON' && r.key),
      }),
      team: t.prismaField({
        type: 'VolunteerTeam',
        nullable: true,
        description: 'TEAM: the team (服务队).',
        resolve: (query, r, _a, ctx) => optionalRowById(ctx, 'volunteerTeam', query, r.dimension === 'TEAM' && r.key),
      }),
      grid: t.prismaField({
        type: 'Grid',
        nullable: true,
        description: 'GRID: the grid (网格).',
        resolve: (query, r, _a, ctx) => optionalRowById(ctx, 'grid', query, r.dimension === 'GRID' && r.key),
      }),
      community: t.prismaField({
        type: 'Region',
        nullable: true,
        description: 'COMMUNITY: the community (社区).',
        resolve: (query, r, _a, ctx) => optionalRowById(ctx, 'region', query, r.dimension === 'COMMUNITY' && r.key),
      }),
      hours: t.exposeFloat('hours', { description: 'Service hours (服务时长).' }),
      points: t.exposeInt('points', { description: 'Points earned (获得积分).' }),
      services: t.exposeInt('services', { description: 'Completed signups and confirmed wishes (服务次数).' }),
      people: t.exposeInt('people', { description: 'Distinct volunteers (参与人数).' }),
    }),
  })

const LeaderRef = builder.objectRef<stats.LeaderRow>('VolunteerLeaderboardEntry').implement({
  description: 'One place on the volunteer leaderboard (志愿者排行榜条目); names masked for residents.',
  fields: (t) => ({
    rank: t.exposeInt('rank', { description: 'Place, from 1 (名次).' }),
    displayName: t.string({
      nullable: true,
      resolve: (r) => r.displayName,
      description:
        'Name; masked (e.g. 王**) unless it is you, you are an admin, or an officer whose region holds a community the volunteer served in (on this board) or lives in (姓名).',
    }),
    isYou: t.exposeBoolean('isYou', { description: 'This is you (是否本人).' }),
    hours: t.exposeFloat('hours', { description: 'Service hours (服务时长).' }),
    points: t.exposeInt('points', { description: 'Points earned (获得积分).' }),
    services: t.exposeInt('services', { description: 'Completed signups and confirmed wishes (服务次数).' }),
  }),
})

builder.queryFields((t) => ({
  volunteerHours: t.field({
    type: [HoursRowRef],
    authScopes: { officer: true },
    description:
      'Service hours and points per person, team, grid, community or month (志愿时长统计): officers of their region.',
    args: {
      dimension: t.arg({ type: HoursDimensionEnum, required: true, description: 'Grouping (统计维度).' }),
      filter: t.arg({ type: StatsFilter, required: false, description: 'Scope (范围).' }),
      first: t.arg.int({
        required: false,
        defaultValue: 50,
        description: 'At most this many rows, up to 100 (行数上限).',
      }),
    },
    resolve: async (_r, { dimension, filter, first }, ctx) => {
      const rows = await stats.volunteerHours(
        ctx,
        dimension,
        {
          withinId: filter?.within?.id ?? null,
          from: filter?.from,
          to: filter?.to,
        },
        Math.min(Math.max(first ?? 50, 1), 100),
      )
      return rows.map((r) => ({ ...r, dimension }))
    },
  }),
  volunteerLeaderboard: t.field({
    type: [LeaderRef],
    authScopes: { loggedIn: true },
    description: 'Volunteer leaderboard by hours or points (志愿者排行榜): public, names masked for residents.',
    args: {
      by: t.arg({
        type: LeaderboardByEnum,
        required: false,
        defaultValue: 'HOURS',
        description: 'Rank by (排行依据).',
      }),
      filter: t.arg({ type: StatsFilter, required: false, description: 'Scope, e.g. a community and a year (范围).' }),
      first: t.arg.int({ required: false, defaultValue: 20, description: 'Top this many, up to 100 (前几名).' }),
    },
    resolve: (_r, { by, filter, first }, ctx) =>
      stats.leaderboard(
        ctx,
        by ?? 'HOURS',
        {
          withinId: filter?.within?.id ?? null,
          from: filter?.from,
          to: filter?.to,
        },
        Math.min(Math.max(first ?? 20, 1), 100),
      ),
  }),
}))
