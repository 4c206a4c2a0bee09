import { builder } from '../../builder.js'
import { nodeId, exposeVersion, timelineNote, filterArg, anyStatus } from '../../shared/schema-fields.js'
import { COUNTED, rootList } from '../../shared/connections.js'
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { payload, rowMutations, stepInputs, withNote } from '../../shared/mutations.js'
import * as activities from './activity.service.js'
import { ActivityFullError, AlreadySignedUpError, OutsideTimeWindowError } from './volunteer.errors.js'
import { IDEMPOTENCY_KEY_DESCRIPTION, SignupStatusEnum, TIMELINE } from './volunteer.schema.js'

import { VolunteerActivityRef } from './activity.schema.js'

export const ActivitySignupRef = builder.prismaNode('ActivitySignup', {
  nullable: true,
  id: nodeId,
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
    version: exposeVersion(t),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Signed up at (报名时间).' }),
  }),
})

const SignupFilter = builder.inputType('ActivitySignupFilter', {
  description: 'Filters for signups (报名筛选).',
  fields: (t) => ({
    status: anyStatus(t, SignupStatusEnum),
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
  mySignups: t.prismaConnection(
    {
      type: 'ActivitySignup',
      cursor: 'id',
      authScopes: { loggedIn: true },
      description: 'Your own signups, latest activity first (我的报名).',
      args: { filter: filterArg(t.arg, SignupFilter) },
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
      args: { filter: filterArg(t.arg, SignupFilter) },
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

const SignUpInput = builder.inputType('SignUpForActivityInput', {
  description: 'Signs yourself up for a published or ongoing activity (报名参加).',
  fields: (t) => ({
    activityId: t.globalID({ required: true, for: VolunteerActivityRef, description: 'The activity (活动).' }),
    note: t.string({ required: false, description: 'Note to the organizer (备注).' }),
  }),
})

const signupStepInput = stepInputs(ActivitySignupRef, 'The signup (报名).')

const SignupStepInput = signupStepInput(
  'ActivitySignupStepInput',
  'One step of a signup (报名操作): cancel, check in, check out or no-show.',
  withNote,
)

const CompleteSignupInput = signupStepInput(
  'CompleteActivitySignupInput',
  'Completes a checked-in signup with hours (确认完成，记录时长和积分): the organizer or an officer of the region.',
  (t) => ({
    hours: t.float({
      required: false,
      description:
        "Hours served, more than 0 and at most 24; from check-in and check-out (within the activity's time) by default (服务时长).",
    }),
    idempotencyKey: t.string({ required: true, description: IDEMPOTENCY_KEY_DESCRIPTION }),
    note: timelineNote(t),
  }),
)

const signupMutation = rowMutations('ActivitySignup', payload('signup', 'The signup after the change (变更后的报名).'))

signupMutation('signUpForActivity', {
  description: 'Signs yourself up (报名参加): one live signup per person; places are never oversold.',
  authScopes: { loggedIn: true },
  input: SignUpInput,
  errors: [ActivityFullError, AlreadySignedUpError, OutsideTimeWindowError],
  run: activities.signUp,
})
signupMutation('cancelActivitySignup', {
  description:
    'Cancels a signup before check-in, freeing the place (取消报名): the volunteer, the organizer or an officer.',
  authScopes: { loggedIn: true },
  input: SignupStepInput,
  errors: [OutsideTimeWindowError],
  run: activities.cancelSignup,
})
signupMutation('checkInActivitySignup', {
  description:
    'Checks a volunteer in (签到): the volunteer from 30 minutes before the start to the end, the organizer or an officer any time.',
  authScopes: { loggedIn: true },
  input: SignupStepInput,
  errors: [OutsideTimeWindowError],
  run: activities.checkIn,
})
signupMutation('checkOutActivitySignup', {
  description:
    'Checks a volunteer out (签退): the volunteer until 2 hours after the end, the organizer or an officer any time.',
  authScopes: { loggedIn: true },
  input: SignupStepInput,
  errors: [OutsideTimeWindowError],
  run: activities.checkOut,
})
signupMutation('markActivityNoShow', {
  description: 'Marks a signed-up volunteer absent after the start (标记缺席): the organizer or an officer.',
  authScopes: { loggedIn: true },
  input: SignupStepInput,
  errors: [OutsideTimeWindowError],
  run: activities.markNoShow,
})
signupMutation('completeActivitySignup', {
  description:
    "Completes a checked-in signup (确认完成): credits hours × points per hour once; party members' hours go to their yearly record.",
  authScopes: { loggedIn: true },
  input: CompleteSignupInput,
  errors: [OutsideTimeWindowError],
  run: activities.completeSignup,
})
