import { builder } from '../../builder.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import { regionSubtrees } from '../../auth/policy.js'
import type { Context } from '../../context.js'
import type { ActivitySignup, Prisma, VolunteerActivity } from '../../generated/prisma/client.js'
import { NotFoundError } from '../../shared/errors.js'
import { payload } from '../../shared/mutations.js'
import { UserRef } from '../directory/directory.schema.js'
import { GridRef } from '../grid/grid.schema.js'
import { RegionRef } from '../grid/region.schema.js'
import * as activities from './activity.service.js'
import * as teams from './team.service.js'
import { ActivityFullError, AlreadySignedUpError, OutsideTimeWindowError } from './volunteer.errors.js'
import {
  ActivityStatusEnum,
  ActivityTypeEnum,
  IDEMPOTENCY_KEY_DESCRIPTION,
  SignupStatusEnum,
  TIMELINE,
  VolunteerTeamKindEnum,
} from './volunteer.schema.js'

// ---------------------------------------------------------------- teams

builder.prismaNode('VolunteerTeamMember', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: "A person's membership of a volunteer team (队员).",
  fields: (t) => ({
    team: t.relation('team', { description: 'The team (服务队).' }),
    user: t.relation('user', { description: 'The member (队员).' }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime', description: 'Joined at (加入时间).' }),
    leftAt: t.expose('leftAt', { type: 'DateTime', nullable: true, description: 'Left at, if they left (退出时间).' }),
  }),
})

export const VolunteerTeamRef = builder.prismaNode('VolunteerTeam', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: 'Volunteer team (志愿服务队), e.g. a party-member vanguard team (党员先锋队), based in a community.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name (队名).' }),
    kind: t.expose('kind', { type: VolunteerTeamKindEnum, description: 'Kind (类型).' }),
    description: t.exposeString('description', { nullable: true, description: 'What the team does (简介).' }),
    community: t.relation('community', { description: 'Home community (所属社区).' }),
    leader: t.relation('leader', { nullable: true, description: 'Team leader (队长).' }),
    active: t.exposeBoolean('active', { description: 'Still active (是否在册).' }),
    members: t.relatedConnection(
      'members',
      {
        cursor: 'id',
        totalCount: true,
        query: { where: { activeSlot: true }, orderBy: { joinedAt: 'asc' } },
        description: 'Current members, earliest first (现有队员).',
      },
      COUNTED,
    ),
    activities: t.relatedConnection('activities', {
      cursor: 'id',
      query: { orderBy: [{ startsAt: 'desc' }, { id: 'desc' }] },
      description:
        "The team's activities, latest first: published ones, and drafts to their organizer and the region's officers (服务队活动).",
    }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Created at (成立时间).' }),
  }),
})

const VolunteerTeamFilter = builder.inputType('VolunteerTeamFilter', {
  description: 'Filters for volunteer teams (服务队筛选).',
  fields: (t) => ({
    kind: t.field({ type: VolunteerTeamKindEnum, required: false, description: 'Of this kind (类型).' }),
    within: t.globalID({ required: false, for: RegionRef, description: 'Based in this region subtree (区划范围).' }),
    mine: t.boolean({ required: false, description: 'Only teams you are a member of (我加入的).' }),
    includeInactive: t.boolean({ required: false, description: 'Also closed teams (含已撤销).' }),
  }),
})

// ---------------------------------------------------------------- activities

export const VolunteerActivityRef = builder.prismaNode('VolunteerActivity', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
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

export const ActivitySignupRef = builder.prismaNode('ActivitySignup', {
  nullable: true,
  id: { field: 'id', description: 'Global ID (全局 ID).' },
  description: "A volunteer's participation in an activity (报名 / 签到 / 签退): hours and points once completed.",
  fields: (t) => ({
    activity: t.relation('activity', { description: 'The activity (活动).' }),
    user: t.relation('user', { description: 'The volunteer (志愿者).' }),
    status: t.expose('status', { type: SignupStatusEnum, description: 'Current state (状态).' }),
    checkedInAt: t.expose('checkedInAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Checked in at (签到时间).',
    }),
    checkedOutAt: t.expose('checkedOutAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Checked out at (签退时间).',
    }),
    hours: t.exposeFloat('hours', { nullable: true, description: 'Hours credited on completion (服务时长).' }),
    points: t.exposeInt('points', { nullable: true, description: 'Points credited on completion (获得积分).' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true, description: 'Completed at (完成时间).' }),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true, description: 'Cancelled at (取消时间).' }),
    note: t.exposeString('note', { nullable: true, description: "The volunteer's note (备注)." }),
    timeline: t.relation('events', { ...TIMELINE, description: 'Every step, oldest first (报名时间线).' }),
    version: t.exposeInt('version', { description: 'Version for optimistic concurrency (版本号).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Signed up at (报名时间).' }),
  }),
})

const ActivityFilter = builder.inputType('VolunteerActivityFilter', {
  description: 'Filters for volunteer activities (志愿活动筛选).',
  fields: (t) => ({
    status: t.field({ type: [ActivityStatusEnum], required: false, description: 'Any of these states (状态).' }),
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

const SignupFilter = builder.inputType('ActivitySignupFilter', {
  description: 'Filters for signups (报名筛选).',
  fields: (t) => ({
    status: t.field({ type: [SignupStatusEnum], required: false, description: 'Any of these states (状态).' }),
    activityId: t.globalID({ required: false, for: VolunteerActivityRef, description: 'Of this activity (活动).' }),
    from: t.field({ type: 'DateTime', required: false, description: 'Activities ending after this instant (时间起).' }),
    to: t.field({
      type: 'DateTime',
      required: false,
      description: 'Activities starting before this instant (时间止).',
    }),
  }),
})

type SignupListArgs = { filter?: typeof SignupFilter.$inferInput | null }

builder.queryFields((t) => ({
  volunteerTeams: t.prismaConnection(
    {
      type: 'VolunteerTeam',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description: 'Volunteer teams, by name (志愿服务队列表); public to signed-in users.',
      args: { filter: t.arg({ type: VolunteerTeamFilter, required: false, description: 'Filters (筛选).' }) },
      ...rootList(
        'volunteerTeam',
        ({ filter: f }: { filter?: typeof VolunteerTeamFilter.$inferInput | null }, ctx: Context) => ({
          where: {
            AND: [
              f?.includeInactive ? {} : { active: true },
              f?.kind ? { kind: f.kind } : {},
              f?.within ? { community: regionSubtrees([f.within.id])! } : {},
              f?.mine ? { members: { some: { userId: ctx.viewer!.userId, activeSlot: true } } } : {},
            ],
          } satisfies Prisma.VolunteerTeamWhereInput,
          orderBy: [{ name: 'asc' }, { id: 'asc' }] satisfies Prisma.VolunteerTeamOrderByWithRelationInput[],
        }),
      ),
    },
    COUNTED,
  ),
  volunteerActivities: t.prismaConnection(
    {
      type: 'VolunteerActivity',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        "Volunteer activities you may see, soonest first (志愿活动列表): published ones for everyone; drafts for their organizer and the region's officers.",
      args: { filter: t.arg({ type: ActivityFilter, required: false, description: 'Filters (筛选).' }) },
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
  mySignups: t.prismaConnection(
    {
      type: 'ActivitySignup',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description: 'Your own signups, latest activity first (我的报名).',
      args: { filter: t.arg({ type: SignupFilter, required: false, description: 'Filters (筛选).' }) },
      ...rootList('activitySignup', ({ filter: f }: SignupListArgs, ctx: Context) => ({
        where: {
          AND: [
            { userId: ctx.viewer!.userId },
            f?.status?.length ? { status: { in: f.status } } : {},
            f?.activityId ? { activityId: f.activityId.id } : {},
            f?.from ? { activity: { endsAt: { gt: f.from } } } : {},
            f?.to ? { activity: { startsAt: { lt: f.to } } } : {},
          ],
        } satisfies Prisma.ActivitySignupWhereInput,
        orderBy: [
          { activity: { startsAt: 'desc' } },
          { id: 'desc' },
        ] satisfies Prisma.ActivitySignupOrderByWithRelationInput[],
      })),
    },
    COUNTED,
  ),
  activitySignups: t.prismaConnection(
    {
      type: 'ActivitySignup',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description:
        'Signups you may see, newest first (报名记录): your own, those of activities you organise, and officers those of their region.',
      args: { filter: t.arg({ type: SignupFilter, required: false, description: 'Filters (筛选).' }) },
      ...rootList('activitySignup', ({ filter: f }: SignupListArgs, _ctx: Context) => ({
        where: {
          AND: [
            f?.status?.length ? { status: { in: f.status } } : {},
            f?.activityId ? { activityId: f.activityId.id } : {},
            f?.from ? { activity: { endsAt: { gt: f.from } } } : {},
            f?.to ? { activity: { startsAt: { lt: f.to } } } : {},
          ] satisfies Prisma.ActivitySignupWhereInput[],
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.ActivitySignupOrderByWithRelationInput[],
      })),
    },
    COUNTED,
  ),
}))

// ---------------------------------------------------------------- mutations

const CreateTeamInput = builder.inputType('CreateVolunteerTeamInput', {
  description: 'Creates a volunteer team in a community (成立志愿服务队): officers of the community.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Name (队名).' }),
    kind: t.field({ type: VolunteerTeamKindEnum, required: true, description: 'Kind (类型).' }),
    description: t.string({ required: false, description: 'What the team does (简介).' }),
    communityId: t.globalID({ required: true, for: RegionRef, description: 'Home community (所属社区).' }),
    leaderId: t.globalID({ required: false, for: UserRef, description: "Leader's account; joins as a member (队长)." }),
  }),
})

const UpdateTeamInput = builder.inputType('UpdateVolunteerTeamInput', {
  description: 'Changes a team (修改服务队): its leader or officers; only officers change the leader or close it.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: VolunteerTeamRef, description: 'The team (服务队).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    name: t.string({ required: false, description: 'New name (队名).' }),
    kind: t.field({ type: VolunteerTeamKindEnum, required: false, description: 'New kind (类型).' }),
    description: t.string({ required: false, description: 'New description (简介).' }),
    leaderId: t.globalID({ required: false, for: UserRef, description: 'New leader (队长).' }),
    active: t.boolean({ required: false, description: 'false closes the team (是否在册).' }),
  }),
})

const MembershipInput = builder.inputType('SetVolunteerTeamMembershipInput', {
  description: 'Joins or leaves a team (加入或退出服务队): yourself, or anyone by the leader or an officer.',
  fields: (t) => ({
    teamId: t.globalID({ required: true, for: VolunteerTeamRef, description: 'The team (服务队).' }),
    userId: t.globalID({ required: false, for: UserRef, description: 'The person; yourself by default (队员).' }),
    member: t.boolean({ required: true, description: 'true joins, false leaves (加入/退出).' }),
  }),
})

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

const UpdateActivityInput = builder.inputType('UpdateVolunteerActivityInput', {
  description: 'Changes a draft or published activity (修改活动); capacity never below the places taken.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: VolunteerActivityRef, description: 'The activity (活动).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    title: t.string({ required: false, description: activityFieldsInput.title }),
    description: t.string({ required: false, description: activityFieldsInput.description }),
    type: t.field({ type: ActivityTypeEnum, required: false, description: 'Kind (类型).' }),
    place: t.string({ required: false, description: activityFieldsInput.place }),
    startsAt: t.field({ type: 'DateTime', required: false, description: activityFieldsInput.startsAt }),
    endsAt: t.field({ type: 'DateTime', required: false, description: activityFieldsInput.endsAt }),
    capacity: t.int({ required: false, description: activityFieldsInput.capacity }),
    pointsPerHour: t.int({ required: false, description: activityFieldsInput.pointsPerHour }),
  }),
})

const ActivityStepInput = builder.inputType('VolunteerActivityStepInput', {
  description:
    'Publishes, starts or finishes an activity (发布 / 开始 / 结束活动): its organizer or an officer of the region.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: VolunteerActivityRef, description: 'The activity (活动).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
  }),
})

const CancelActivityInput = builder.inputType('CancelVolunteerActivityInput', {
  description: 'Cancels an activity (取消活动); signups not yet completed are cancelled with it.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: VolunteerActivityRef, description: 'The activity (活动).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    reason: t.string({ required: true, description: 'Why (原因).' }),
  }),
})

const SignUpInput = builder.inputType('SignUpForActivityInput', {
  description: 'Signs yourself up for a published or ongoing activity (报名参加).',
  fields: (t) => ({
    activityId: t.globalID({ required: true, for: VolunteerActivityRef, description: 'The activity (活动).' }),
    note: t.string({ required: false, description: 'Note to the organizer (备注).' }),
  }),
})

const SignupStepInput = builder.inputType('ActivitySignupStepInput', {
  description: 'One step of a signup (报名操作): cancel, check in, check out or no-show.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: ActivitySignupRef, description: 'The signup (报名).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
  }),
})

const CompleteSignupInput = builder.inputType('CompleteActivitySignupInput', {
  description:
    'Completes a checked-in signup with hours (确认完成，记录时长和积分): the organizer or an officer of the region.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: ActivitySignupRef, description: 'The signup (报名).' }),
    version: t.int({ required: true, description: 'The version you read (读取时的版本号).' }),
    hours: t.float({
      required: false,
      description:
        "Hours served, more than 0 and at most 24; from check-in and check-out (within the activity's time) by default (服务时长).",
    }),
    idempotencyKey: t.string({ required: true, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    note: t.string({ required: false, description: 'Note for the timeline (备注).' }),
  }),
})

const teamResult = payload('team', 'The team after the change (变更后的服务队).')
const activityResult = payload('activity', 'The activity after the change (变更后的活动).')
const signupResult = payload('signup', 'The signup after the change (变更后的报名).')
const timed = { types: [OutsideTimeWindowError], ...signupResult }

const teamInput = (input: {
  id?: { id: string; typename: string }
  communityId?: { id: string; typename: string }
  leaderId?: { id: string; typename: string } | null
}) => ({
  ...(input.id ? { id: input.id.id } : {}),
  ...(input.communityId ? { communityId: input.communityId.id } : {}),
  ...(input.leaderId !== undefined ? { leaderId: input.leaderId?.id ?? null } : {}),
})

const step =
  (
    description: string,
    fn: (ctx: Context, input: { id: string; version: number; note?: string | null }) => Promise<VolunteerActivity>,
  ) =>
  (t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0]) =>
    t.field({
      type: VolunteerActivityRef,
      description,
      authScopes: { loggedIn: true },
      errors: activityResult,
      args: { input: t.arg({ type: ActivityStepInput, required: true }) },
      resolve: (_r, { input }, ctx) => fn(ctx, { ...input, id: input.id.id }),
    })

const signupStep =
  (
    description: string,
    fn: (ctx: Context, input: { id: string; version: number; note?: string | null }) => Promise<ActivitySignup>,
  ) =>
  (t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0]) =>
    t.field({
      type: ActivitySignupRef,
      description,
      authScopes: { loggedIn: true },
      errors: timed,
      args: { input: t.arg({ type: SignupStepInput, required: true }) },
      resolve: (_r, { input }, ctx) => fn(ctx, { ...input, id: input.id.id }),
    })

builder.mutationFields((t) => ({
  createVolunteerTeam: t.field({
    type: VolunteerTeamRef,
    description: 'Creates a volunteer team (成立服务队): officers of its community.',
    authScopes: { officer: true },
    errors: teamResult,
    args: { input: t.arg({ type: CreateTeamInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      teams.createTeam(ctx, { ...input, ...teamInput(input) } as Parameters<typeof teams.createTeam>[1]),
  }),
  updateVolunteerTeam: t.field({
    type: VolunteerTeamRef,
    description: 'Changes a volunteer team (修改服务队).',
    authScopes: { loggedIn: true },
    errors: teamResult,
    args: { input: t.arg({ type: UpdateTeamInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      teams.updateTeam(ctx, { ...input, ...teamInput(input) } as Parameters<typeof teams.updateTeam>[1]),
  }),
  setVolunteerTeamMembership: t.field({
    type: VolunteerTeamRef,
    description: 'Joins or leaves a volunteer team (加入或退出服务队).',
    authScopes: { loggedIn: true },
    errors: teamResult,
    args: { input: t.arg({ type: MembershipInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      teams.setTeamMembership(ctx, {
        ...input,
        teamId: input.teamId.id,
        userId: input.userId?.id ?? null,
      }),
  }),
  createVolunteerActivity: t.field({
    type: VolunteerActivityRef,
    description: 'Creates an activity, as a draft or published (创建志愿活动).',
    authScopes: { loggedIn: true },
    errors: activityResult,
    args: { input: t.arg({ type: CreateActivityInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      activities.createActivity(ctx, {
        ...input,
        communityId: input.communityId?.id ?? null,
        gridId: input.gridId?.id ?? null,
        teamId: input.teamId?.id ?? null,
      }),
  }),
  updateVolunteerActivity: t.field({
    type: VolunteerActivityRef,
    description: 'Changes a draft or published activity (修改活动): its organizer or an officer of the region.',
    authScopes: { loggedIn: true },
    errors: activityResult,
    args: { input: t.arg({ type: UpdateActivityInput, required: true }) },
    resolve: (_r, { input }, ctx) => activities.updateActivity(ctx, { ...input, id: input.id.id }),
  }),
  publishVolunteerActivity: step(
    'Publishes a draft activity for sign-up (发布活动).',
    activities.publishActivityStep,
  )(t),
  startVolunteerActivity: step('Starts a published activity (活动开始).', activities.startActivity)(t),
  finishVolunteerActivity: step(
    'Finishes an ongoing activity (活动结束); those who never checked in become no-shows.',
    activities.finishActivity,
  )(t),
  cancelVolunteerActivity: t.field({
    type: VolunteerActivityRef,
    description: 'Cancels an activity with a reason (取消活动); its open signups are cancelled.',
    authScopes: { loggedIn: true },
    errors: activityResult,
    args: { input: t.arg({ type: CancelActivityInput, required: true }) },
    resolve: (_r, { input }, ctx) => activities.cancelActivity(ctx, { ...input, id: input.id.id }),
  }),
  signUpForActivity: t.field({
    type: ActivitySignupRef,
    description: 'Signs yourself up (报名参加): one live signup per person; places are never oversold.',
    authScopes: { loggedIn: true },
    errors: { types: [ActivityFullError, AlreadySignedUpError, OutsideTimeWindowError], ...signupResult },
    args: { input: t.arg({ type: SignUpInput, required: true }) },
    resolve: (_r, { input }, ctx) => activities.signUp(ctx, { ...input, activityId: input.activityId.id }),
  }),
  cancelActivitySignup: signupStep(
    'Cancels a signup before check-in, freeing the place (取消报名): the volunteer, the organizer or an officer.',
    activities.cancelSignup,
  )(t),
  checkInActivitySignup: signupStep(
    'Checks a volunteer in (签到): the volunteer from 30 minutes before the start to the end, the organizer or an officer any time.',
    activities.checkIn,
  )(t),
  checkOutActivitySignup: signupStep(
    'Checks a volunteer out (签退): the volunteer until 2 hours after the end, the organizer or an officer any time.',
    activities.checkOut,
  )(t),
  markActivityNoShow: signupStep(
    'Marks a signed-up volunteer absent after the start (标记缺席): the organizer or an officer.',
    activities.markNoShow,
  )(t),
  completeActivitySignup: t.field({
    type: ActivitySignupRef,
    description:
      "Completes a checked-in signup (确认完成): credits hours × points per hour once; party members' hours go to their yearly record.",
    authScopes: { loggedIn: true },
    errors: timed,
    args: { input: t.arg({ type: CompleteSignupInput, required: true }) },
    resolve: (_r, { input }, ctx) => activities.completeSignup(ctx, { ...input, id: input.id.id }),
  }),
}))

builder.subscriptionFields((t) => ({
  activityUpdated: t.prismaField({
    type: 'VolunteerActivity',
    description: 'Pushes an activity each time it changes: state, places taken (活动变更推送).',
    authScopes: { loggedIn: true },
    args: {
      id: t.arg.globalID({ required: true, for: VolunteerActivityRef, description: 'The activity to watch (活动).' }),
    },
    subscribe: async (_root, { id }, ctx) => {
      await activities.loadActivity(ctx, id.id)
      return ctx.pubsub.subscribe('activity:updated', id.id) as never
    },
    resolve: async (query, payload: { id: string }, _args, ctx) => {
      const a = await ctx.reader.volunteerActivity.findUnique({ ...query, where: { id: payload.id } })
      if (!a) throw new NotFoundError('VolunteerActivity', payload.id)
      return a
    },
  }),
}))
