import { builder } from '../../builder.js'
import { nodeId, filterArg, anyStatus } from '../../shared/schema-fields.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { NotFoundError } from '../../shared/errors.js'
import { payload, rowMutations, stepInputs, withNote } from '../../shared/mutations.js'
import { GridRef } from '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import * as activities from './activity.service.js'
import { ActivityStatusEnum, ActivityTypeEnum, SignupStatusEnum, TIMELINE } from './volunteer.schema.js'

import { VolunteerTeamRef } from './team.schema.js'

// ---------------------------------------------------------------- activities

export const VolunteerActivityRef = builder.prismaNode('VolunteerActivity', {
  nullable: true,
  id: nodeId,
  description: 'Volunteer activity (志愿活动): where and when, how many places, points per hour, who organises it.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Title (活动名称).' }),
    description: t.exposeString('description', { nullable: true, description: 'Details (活动内容).' }),
    type: t.expose('type', { type: ActivityTypeEnum, description: 'Kind (活动类型).' }),
    status: t.expose('status', { type: ActivityStatusEnum, description: 'Current state (状态).' }),
    community: t.relation('community', { description: 'Community (所属社区).' }),
    grid: t.relation('grid', { nullable: true, description: 'Grid, if held in one (所在网格).' }),
    place: t.exposeString('place', { nullable: true, description: 'Meeting place (地点).' }),
    startsAt: t.expose('startsAt', { type: 'DateTime', description: 'Start (开始时间).' }),
    endsAt: t.expose('endsAt', { type: 'DateTime', description: 'End (结束时间).' }),
    capacity: t.exposeInt('capacity', { description: 'Places (名额).' }),
    taken: t.exposeInt('taken', { description: 'Places taken (已报名人数).' }),
    placesLeft: t.int({ resolve: (a) => Math.max(0, a.capacity - a.taken), description: 'Places left (剩余名额).' }),
    pointsPerHour: t.exposeInt('pointsPerHour', { description: 'Time-bank points per hour served (每小时积分).' }),
    organizer: t.relation('organizer', { description: 'Organizer (组织者).' }),
    team: t.relation('team', { nullable: true, description: 'Team running it (服务队).' }),
    cancelReason: t.exposeString('cancelReason', { nullable: true, description: 'Why it was cancelled (取消原因).' }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true, description: 'Published at (发布时间).' }),
    closedAt: t.expose('closedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Finished or cancelled at (结束/取消时间).',
    }),
    mySignup: t.prismaField({
      type: 'ActivitySignup',
      nullable: true,
      description: 'Your own signup, live or latest (我的报名).',
      resolve: (query, a, _args, ctx) =>
        ctx.viewer
          ? ctx.reader.activitySignup.findFirst({
              ...query,
              where: { activityId: a.id, userId: ctx.viewer.userId },
              orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            })
          : null,
    }),
    signups: t.relatedConnection(
      'signups',
      {
        cursor: 'id',
        totalCount: true,
        args: {
          status: t.arg({ type: [SignupStatusEnum], required: false, description: 'Any of these states (状态).' }),
        },
        query: (args) => ({
          where: args.status?.length ? { status: { in: args.status } } : {},
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
        description:
          "Signups you may read, earliest first: everyone's for the organizer and officers of the region, your own for anyone else (报名名单).",
      },
      COUNTED,
    ),
    timeline: t.relation('events', { ...TIMELINE, description: 'Every step, oldest first (活动时间线).' }),
    version: t.exposeInt('version', {
      description: 'Version for optimistic concurrency; sign-ups do not change it (版本号).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Created at (创建时间).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last changed at (更新时间).' }),
  }),
})

const ActivityFilter = builder.inputType('VolunteerActivityFilter', {
  description: 'Filters for volunteer activities (志愿活动筛选).',
  fields: (t) => ({
    status: anyStatus(t, ActivityStatusEnum),
    type: t.field({ type: [ActivityTypeEnum], required: false, description: 'Any of these kinds (类型).' }),
    gridId: t.globalID({ required: false, for: GridRef, description: 'Held in this grid (网格).' }),
    communityId: t.globalID({ required: false, for: RegionRef, description: 'In this community (社区).' }),
    within: t.globalID({ required: false, for: RegionRef, description: 'In this region subtree (区划范围).' }),
    teamId: t.globalID({ required: false, for: VolunteerTeamRef, description: 'Run by this team (服务队).' }),
    from: t.field({
      type: 'DateTime',
      required: false,
      description: 'Overlapping the period from this instant (时间起).',
    }),
    to: t.field({
      type: 'DateTime',
      required: false,
      description: 'Overlapping the period up to this instant (时间止).',
    }),
    hasPlaces: t.boolean({
      required: false,
      description: 'true: open for sign-up with places left; false: full (是否有名额).',
    }),
    organizedByMe: t.boolean({ required: false, description: 'Only activities you organise (我组织的).' }),
  }),
})

builder.queryFields((t) => ({
  volunteerActivities: t.prismaConnection(
    {
      type: 'VolunteerActivity',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Volunteer activities you may see, soonest first (志愿活动列表): published ones for everyone; drafts for their organizer and the region's officers.",
      args: { filter: filterArg(t.arg, ActivityFilter) },
      ...rootList(
        'volunteerActivity',
        ({ filter: f }: { filter?: typeof ActivityFilter.$inferInput | null }, ctx: Context) => ({
          where: {
            AND: [
              ...activities.activityFilterWhere(
                ctx,
                f && {
                  ...f,
                  gridId: f.gridId?.id ?? null,
                  communityId: f.communityId?.id ?? null,
                  teamId: f.teamId?.id ?? null,
                  withinId: f.within?.id ?? null,
                },
              ),
            ],
          } satisfies Prisma.VolunteerActivityWhereInput,
          orderBy: [{ startsAt: 'asc' }, { id: 'asc' }] satisfies Prisma.VolunteerActivityOrderByWithRelationInput[],
        }),
      ),
    },
    COUNTED,
  ),
}))

const activityFieldsInput = {
  title: 'Title (活动名称).',
  description: 'Details (活动内容).',
  place: 'Meeting place (地点).',
  startsAt: 'Start (开始时间).',
  endsAt: 'End, after the start, at most 7 days later (结束时间).',
  capacity: 'Places, at least 1 (名额).',
  pointsPerHour: 'Points per hour served, 0–1000 (每小时积分).',
}

const CreateActivityInput = builder.inputType('CreateVolunteerActivityInput', {
  description:
    "Creates an activity you organise (创建志愿活动): officers of the community, grid workers in their grid, or a team's leader.",
  fields: (t) => ({
    title: t.string({ required: true, description: activityFieldsInput.title }),
    description: t.string({ required: false, description: activityFieldsInput.description }),
    type: t.field({ type: ActivityTypeEnum, required: true, description: 'Kind (类型).' }),
    communityId: t.globalID({
      required: false,
      for: RegionRef,
      description: 'Community; found from the grid or team when omitted (社区).',
    }),
    gridId: t.globalID({ required: false, for: GridRef, description: 'Grid it is held in (网格).' }),
    teamId: t.globalID({ required: false, for: VolunteerTeamRef, description: 'Team running it (服务队).' }),
    place: t.string({ required: false, description: activityFieldsInput.place }),
    startsAt: t.field({ type: 'DateTime', required: true, description: activityFieldsInput.startsAt }),
    endsAt: t.field({ type: 'DateTime', required: true, description: activityFieldsInput.endsAt }),
    capacity: t.int({ required: true, description: activityFieldsInput.capacity }),
    pointsPerHour: t.int({ required: true, description: activityFieldsInput.pointsPerHour }),
    publish: t.boolean({ required: false, description: 'Publish at once instead of keeping a draft (直接发布).' }),
  }),
})

const activityStepInput = stepInputs(VolunteerActivityRef, 'The activity (活动).')

const UpdateActivityInput = activityStepInput(
  'UpdateVolunteerActivityInput',
  'Changes a draft or published activity (修改活动); capacity never below the places taken.',
  (t) => ({
    title: t.string({ required: false, description: activityFieldsInput.title }),
    description: t.string({ required: false, description: activityFieldsInput.description }),
    type: t.field({ type: ActivityTypeEnum, required: false, description: 'Kind (类型).' }),
    place: t.string({ required: false, description: activityFieldsInput.place }),
    startsAt: t.field({ type: 'DateTime', required: false, description: activityFieldsInput.startsAt }),
    endsAt: t.field({ type: 'DateTime', required: false, description: activityFieldsInput.endsAt }),
    capacity: t.int({ required: false, description: activityFieldsInput.capacity }),
    pointsPerHour: t.int({ required: false, description: activityFieldsInput.pointsPerHour }),
  }),
)

const ActivityStepInput = activityStepInput(
  'VolunteerActivityStepInput',
  'Publishes, starts or finishes an activity (发布 / 开始 / 结束活动): its organizer or an officer of the region.',
  withNote,
)

const CancelActivityInput = activityStepInput(
  'CancelVolunteerActivityInput',
  'Cancels an activity (取消活动); signups not yet completed are cancelled with it.',
  (t) => ({ reason: t.string({ required: true, description: 'Why (原因).' }) }),
)

const activityMutation = rowMutations(
  'VolunteerActivity',
  payload('activity', 'The activity after the change (变更后的活动).'),
)

activityMutation('createVolunteerActivity', {
  description: 'Creates an activity, as a draft or published (创建志愿活动).',
  authScopes: { loggedIn: true },
  input: CreateActivityInput,
  run: activities.createActivity,
})
activityMutation('updateVolunteerActivity', {
  description: 'Changes a draft or published activity (修改活动): its organizer or an officer of the region.',
  authScopes: { loggedIn: true },
  input: UpdateActivityInput,
  run: activities.updateActivity,
})
activityMutation('publishVolunteerActivity', {
  description: 'Publishes a draft activity for sign-up (发布活动).',
  authScopes: { loggedIn: true },
  input: ActivityStepInput,
  run: activities.publishActivityStep,
})
activityMutation('startVolunteerActivity', {
  description: 'Starts a published activity (活动开始).',
  authScopes: { loggedIn: true },
  input: ActivityStepInput,
  run: activities.startActivity,
})
activityMutation('finishVolunteerActivity', {
  description: 'Finishes an ongoing activity (活动结束); those who never checked in become no-shows.',
  authScopes: { loggedIn: true },
  input: ActivityStepInput,
  run: activities.finishActivity,
})
activityMutation('cancelVolunteerActivity', {
  description: 'Cancels an activity with a reason (取消活动); its open signups are cancelled.',
  authScopes: { loggedIn: true },
  input: CancelActivityInput,
  run: activities.cancelActivity,
})

builder.subscriptionFields((t) => ({
  activityUpdated: t.prismaField({
    type: 'VolunteerActivity',
    description: 'Pushes an activity each time it changes: state, places taken (活动变更推送).',
    authScopes: { loggedIn: true },
    args: {
      id: t.arg.globalID({ required: true, for: VolunteerActivityRef, description: 'The activity to watch (活动).' }),
    },
    subscribe: async (_root, { id }, ctx) => {
      await activities.findActivity(ctx, id.id)
      return ctx.pubsub.subscribe('activity:updated', id.id) as never
    },
    resolve: async (query, payload: { id: string }, _args, ctx) => {
      const a = await ctx.reader.volunteerActivity.findUnique({ ...query, where: { id: payload.id } })
      if (!a) throw new NotFoundError('VolunteerActivity', payload.id)
      return a
    },
  }),
}))
