// Volunteer activities (志愿活动) and signups (报名 / 签到 / 签退). Activities move DRAFT → PUBLISHED →
// ONGOING → FINISHED | CANCELLED by their organizer or an officer of the region. A signup takes a
// place with one conditional increment of `taken` (never beyond capacity, whatever the
// concurrency), is checked in and out by the volunteer within the time window or by the organizer
// at any time, and is completed by the organizer with hours: points are credited exactly once in
// the same transaction, and a party member's hours go to their yearly dual-reporting record.
import { z } from 'zod'
import type { Context } from '../../context.js'
import { regionSubtrees } from '../../auth/policy.js'
import { isUniqueViolation, mapPrismaError, type Prisma, type Tx } from '../../db.js'
import type { ActivitySignup, ActivityStatus, SignupStatus, VolunteerActivity } from '../../generated/prisma/client.js'
import {
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  StaleVersionError,
  ValidationFailedError,
} from '../../shared/errors.js'
import { check, refusal } from '../../shared/state-machine.js'
import { parseInput } from '../../shared/validate.js'
import { creditService } from '../party/service-record.service.js'
import { appendEvent, eventRow, publishActivity, volunteerWorkflow } from './events.js'
import { movePoints } from './points.service.js'
import {
  ACTIVITY_TRANSITIONS,
  defaultHours,
  hoursProblem,
  noShowProblem,
  OPEN_ACTIVITY,
  selfWindowProblem,
  servicePoints,
  SIGNUP_ACTIVITY_STATES,
  SIGNUP_TRANSITIONS,
  type ActivityAction,
  type ActivityActor,
  type SignupAction,
  type SignupActor,
} from './transitions.js'
import { activityActors, signupActors } from './volunteer.access.js'
import { ActivityFullError, AlreadySignedUpError, OutsideTimeWindowError } from './volunteer.errors.js'

const version = z.number().int().min(0)
const note = z.string().trim().max(1000).nullish()
const DAY = 86_400_000
const TYPES = [
  'CIVILITY_PERSUASION',
  'SAFETY_PATROL',
  'ELDERLY_CARE',
  'ENVIRONMENT',
  'CULTURE',
  'HEALTH',
  'OTHER',
] as const

/** The CHECK constraint that keeps `taken` within `capacity`. */
const isCapacityViolation = (e: unknown) =>
  String((e as Error)?.message ?? '').includes('VolunteerActivity_taken_within_capacity')

// ---------------------------------------------------------------- activities

const fields = {
  title: z.string().trim().min(2, 'at least 2 characters').max(100),
  description: z.string().trim().max(4000).nullish(),
  type: z.enum(TYPES),
  place: z.string().trim().max(200).nullish(),
  startsAt: z.date(),
  endsAt: z.date(),
  capacity: z.number().int().min(1, 'at least 1 place').max(10_000),
  pointsPerHour: z.number().int().min(0).max(1000),
}

const term = <T extends { startsAt?: Date | null; endsAt?: Date | null }>(s: z.ZodType<T>) =>
  s
    .refine((d) => !d.startsAt || !d.endsAt || d.endsAt > d.startsAt, {
      message: 'must be after the start',
      path: ['endsAt'],
    })
    .refine((d) => !d.startsAt || !d.endsAt || d.endsAt.getTime() - d.startsAt.getTime() <= 7 * DAY, {
      message: 'an activity lasts at most 7 days',
      path: ['endsAt'],
    })

const createSchema = term(
  z
    .object({
      ...fields,
      communityId: z.string().nullish(),
      gridId: z.string().nullish(),
      teamId: z.string().nullish(),
      publish: z.boolean().nullish(),
    })
    .refine((d) => d.endsAt.getTime() > Date.now(), { message: 'must be in the future', path: ['endsAt'] }),
)

/**
 * Where the activity is and whether the viewer may organise it there: officers of the community,
 * grid workers in their own grid, a team's leader for their team.
 */
async function placeOf(
  ctx: Context,
  data: { communityId?: string | null; gridId?: string | null; teamId?: string | null },
) {
  const viewer = ctx.access.requireViewer()
  const grid = data.gridId
    ? await ctx.reader.grid.findUnique({ where: { id: data.gridId }, select: { id: true, communityId: true } })
    : null
  if (data.gridId && !grid) throw new NotFoundError('Grid', data.gridId)
  const team = data.teamId ? await ctx.prisma.volunteerTeam.findUnique({ where: { id: data.teamId } }) : null
  if (data.teamId && !team?.active)
    throw new ValidationFailedError([{ path: 'teamId', message: 'no active team with this id' }])
  const communityId = grid?.communityId ?? data.communityId ?? team?.communityId
  if (!communityId)
    throw new ValidationFailedError([{ path: 'communityId', message: 'give the community or the grid' }])
  if (data.communityId && data.communityId !== communityId)
    throw new ValidationFailedError([{ path: 'communityId', message: 'the grid is in another community' }])
  const community = await ctx.prisma.region.findUnique({ where: { id: communityId }, select: { level: true } })
  if (community?.level !== 'COMMUNITY')
    throw new ValidationFailedError([{ path: 'communityId', message: 'not a community' }])
  const allowed =
    (await ctx.access.managesRegion(communityId)) ||
    (!!grid && viewer.gridIds.includes(grid.id)) ||
    (!!team && team.leaderId === viewer.userId && team.communityId === communityId)
  if (!allowed)
    throw new ForbiddenError(
      "Officers of the community, grid workers of the grid or the team's leader organise activities here",
    )
  return { communityId, gridId: grid?.id ?? null, teamId: team?.id ?? null }
}

export async function createActivity(ctx: Context, input: z.input<typeof createSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(createSchema, input)
  const where = await placeOf(ctx, data)
  const now = new Date()
  const status: ActivityStatus = data.publish ? 'PUBLISHED' : 'DRAFT'
  return ctx.prisma.$transaction(async (tx) => {
    const a = await tx.volunteerActivity.create({
      data: {
        title: data.title,
        description: data.description ?? null,
        type: data.type,
        place: data.place ?? null,
        startsAt: data.startsAt,
        endsAt: data.endsAt,
        capacity: data.capacity,
        pointsPerHour: data.pointsPerHour,
        ...where,
        organizerId: viewer.userId,
        status,
        publishedAt: data.publish ? now : null,
      },
    })
    await appendEvent(tx, {
      entity: 'VolunteerActivity',
      entityId: a.id,
      actorId: viewer.userId,
      action: 'CREATE',
      to: 'DRAFT',
    })
    if (data.publish)
      await appendEvent(tx, {
        entity: 'VolunteerActivity',
        entityId: a.id,
        actorId: viewer.userId,
        action: 'PUBLISH',
        from: 'DRAFT',
        to: 'PUBLISHED',
      })
    return a
  })
}

type ActivityData = Prisma.VolunteerActivityUncheckedUpdateManyInput

const activities = volunteerWorkflow<ActivityStatus, ActivityAction, ActivityActor, ActivityData, VolunteerActivity>({
  entity: 'VolunteerActivity',
  table: ACTIVITY_TRANSITIONS,
  read: (ctx, id) => ctx.reader.volunteerActivity.findUnique({ where: { id } }),
  actors: activityActors,
  delegate: (tx) => tx.volunteerActivity,
  publish: (ctx, a) => publishActivity(ctx, a.id),
  mapError: (e) =>
    isCapacityViolation(e)
      ? new ValidationFailedError([{ path: 'capacity', message: 'fewer places than people signed up' }])
      : e,
})

/** The activity as the viewer may read it; NotFound otherwise. */
export const findActivity = activities.find

const updateSchema = term(
  z.object({
    id: z.string(),
    version,
    title: fields.title.nullish(),
    description: fields.description,
    type: fields.type.nullish(),
    place: fields.place,
    startsAt: fields.startsAt.nullish(),
    endsAt: fields.endsAt.nullish(),
    capacity: fields.capacity.nullish(),
    pointsPerHour: fields.pointsPerHour.nullish(),
  }),
)

export async function updateActivity(ctx: Context, input: z.input<typeof updateSchema>) {
  const data = parseInput(updateSchema, input)
  const { row: a, actors } = await activities.load(ctx, data.id)
  activities.plan(a, actors, data.version, 'UPDATE')
  const startsAt = data.startsAt ?? a.startsAt
  const endsAt = data.endsAt ?? a.endsAt
  if (endsAt <= startsAt) throw new ValidationFailedError([{ path: 'endsAt', message: 'must be after the start' }])
  if (data.capacity != null && data.capacity < a.taken)
    throw new ValidationFailedError([{ path: 'capacity', message: `${a.taken} places are already taken` }])
  const set: ActivityData = {}
  for (const k of ['title', 'type', 'startsAt', 'endsAt', 'capacity', 'pointsPerHour'] as const)
    if (data[k] != null) (set as Record<string, unknown>)[k] = data[k]
  for (const k of ['description', 'place'] as const) if (data[k] !== undefined) set[k] = data[k]
  return activities.step(ctx, a, actors, data.version, 'UPDATE', { data: set })
}

const stepSchema = z.object({ id: z.string(), version, note })

export async function publishActivityStep(ctx: Context, input: z.input<typeof stepSchema>) {
  const data = parseInput(stepSchema, input)
  const { row: a, actors } = await activities.load(ctx, data.id)
  activities.plan(a, actors, data.version, 'PUBLISH')
  if (a.endsAt <= new Date())
    throw new ValidationFailedError([{ path: 'id', message: 'the activity has already ended' }])
  return activities.step(ctx, a, actors, data.version, 'PUBLISH', {
    note: data.note,
    data: { publishedAt: new Date() },
  })
}

export const startActivity = activities.inputStep(stepSchema, 'START', (data) => ({ note: data.note }))

/**
 * Closes signups that hold a place but never reached the end, in one statement, with their timeline;
 * cancelled ones give their places back.
 */
export async function closeSignups(
  tx: Tx,
  activityId: string,
  from: SignupStatus[],
  to: 'NO_SHOW' | 'CANCELLED',
  actorId: string | null,
  reason: string,
) {
  // locked, and re-read after any concurrent step commits: a signup cancelled or checked in meanwhile is
  // not closed (or its place freed) a second time
  const open = await tx.$queryRaw<{ id: string; status: SignupStatus }[]>`
    SELECT "id", "status"::text AS "status" FROM "ActivitySignup"
     WHERE "activityId" = ${activityId}::uuid AND "status"::text = ANY(${from}::text[]) ORDER BY "id" FOR UPDATE`
  if (!open.length) return 0
  const now = new Date()
  await tx.activitySignup.updateMany({
    where: { id: { in: open.map((s) => s.id) } },
    data:
      to === 'CANCELLED'
        ? { status: to, activeSlot: null, cancelledAt: now, version: { increment: 1 } }
        : { status: to, version: { increment: 1 } },
  })
  await tx.volunteerEvent.createMany({
    data: open.map((s) =>
      eventRow({
        entity: 'ActivitySignup',
        entityId: s.id,
        actorId,
        action: to === 'NO_SHOW' ? 'NO_SHOW' : 'CANCEL',
        from: s.status,
        to,
        note: reason,
      }),
    ),
  })
  // a cancelled signup gives its place back; a no-show keeps it
  if (to === 'CANCELLED')
    await tx.volunteerActivity.update({ where: { id: activityId }, data: { taken: { decrement: open.length } } })
  return open.length
}

/** Finishing marks those who never checked in as no-shows; checked-in ones are still completed. */
export const finishActivity = activities.inputStep(
  stepSchema,
  'FINISH',
  (data) => ({ note: data.note, data: { closedAt: new Date() } }),
  async (tx, { ctx, row, updated }) => {
    // no-shows keep their places: the activity stays as the step left it
    await closeSignups(tx, row.id, ['SIGNED_UP'], 'NO_SHOW', ctx.viewer?.userId ?? null, 'activity finished')
    return updated
  },
)

const cancelSchema = z.object({ id: z.string(), version, reason: z.string().trim().min(2, 'give a reason').max(1000) })

/** Cancelling frees every place not yet completed; completed service stays credited. */
export const cancelActivity = activities.inputStep(
  cancelSchema,
  'CANCEL',
  (data) => ({ note: data.reason, data: { cancelReason: data.reason, closedAt: new Date() } }),
  async (tx, { ctx, row, data }) => {
    await closeSignups(tx, row.id, ['SIGNED_UP', 'CHECKED_IN'], 'CANCELLED', ctx.viewer?.userId ?? null, data.reason)
    // the freed places lowered `taken` after the guarded update: read the activity again
    return tx.volunteerActivity.findUniqueOrThrow({ where: { id: row.id } })
  },
)

// ---------------------------------------------------------------- signups

const signUpSchema = z.object({ activityId: z.string(), note })

export async function signUp(ctx: Context, input: z.input<typeof signUpSchema>): Promise<ActivitySignup> {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(signUpSchema, input)
  const a = await activities.find(ctx, data.activityId)
  if (!OPEN_ACTIVITY.includes(a.status)) throw new InvalidTransitionError('VolunteerActivity', a.status, 'SIGN_UP')
  if (a.endsAt <= new Date()) throw new OutsideTimeWindowError('the activity has ended')
  try {
    const signup = await ctx.prisma.$transaction(async (tx) => {
      // the row lock of this UPDATE serialises concurrent sign-ups; each re-checks `taken` after the wait
      const { count } = await tx.volunteerActivity.updateMany({
        where: { id: a.id, status: { in: [...OPEN_ACTIVITY] }, taken: { lt: tx.volunteerActivity.fields.capacity } },
        data: { taken: { increment: 1 } },
      })
      if (count !== 1) {
        const now = await tx.volunteerActivity.findUniqueOrThrow({
          where: { id: a.id },
          select: { status: true, capacity: true },
        })
        if (!OPEN_ACTIVITY.includes(now.status))
          throw new InvalidTransitionError('VolunteerActivity', now.status, 'SIGN_UP')
        throw new ActivityFullError(a.id, now.capacity)
      }
      const s = await tx.activitySignup.create({
        data: { activityId: a.id, userId: viewer.userId, note: data.note ?? null },
      })
      await appendEvent(tx, {
        entity: 'ActivitySignup',
        entityId: s.id,
        actorId: viewer.userId,
        action: 'SIGN_UP',
        to: 'SIGNED_UP',
        note: data.note,
      })
      return s
    })
    publishActivity(ctx, a.id)
    return signup
  } catch (e) {
    if (!isUniqueViolation(e)) throw e
    const existing = await ctx.prisma.activitySignup.findFirst({
      where: { activityId: a.id, userId: viewer.userId, activeSlot: true },
    })
    // the twin that took the slot may be cancelled already: a plain Conflict, to try again
    if (existing) throw new AlreadySignedUpError(existing.id)
    mapPrismaError(e, 'ActivitySignup')
  }
}

type SignupWithActivity = ActivitySignup & { activity: VolunteerActivity }

type SignupData = Prisma.ActivitySignupUncheckedUpdateManyInput

/** Checks a signup step against both tables: the signup's, then the activity's state and, for volunteers acting alone, the time window. */
function planSignup(s: SignupWithActivity, actors: SignupActor[], v: number, action: SignupAction, now: Date) {
  const move = signups.plan(s, actors, v, action)
  if (!SIGNUP_ACTIVITY_STATES[action].includes(s.activity.status))
    throw new InvalidTransitionError('VolunteerActivity', s.activity.status, action)
  const staff = actors.includes('ORGANIZER') || actors.includes('OFFICER')
  if (!staff && (action === 'CHECK_IN' || action === 'CHECK_OUT')) {
    const problem = selfWindowProblem(action, s.activity, now)
    if (problem) throw new OutsideTimeWindowError(problem)
  }
  if (action === 'NO_SHOW') {
    const problem = noShowProblem(s.activity, now)
    if (problem) throw new OutsideTimeWindowError(problem)
  }
  return move
}

const signups = volunteerWorkflow<
  SignupStatus,
  SignupAction,
  SignupActor,
  SignupData,
  SignupWithActivity,
  ActivitySignup
>({
  entity: 'ActivitySignup',
  table: SIGNUP_TRANSITIONS,
  // with its activity, read by the trusted client once the signup is known readable
  read: async (ctx, id) =>
    (await ctx.reader.activitySignup.findUnique({ where: { id }, select: { id: true } }))
      ? ctx.prisma.activitySignup.findUniqueOrThrow({ where: { id }, include: { activity: true } })
      : null,
  actors: (ctx, s) => signupActors(ctx, s, s.activity),
  delegate: (tx) => tx.activitySignup,
  // the activity's row lock before the signup's: every writer (sign-up, signup steps, finishing and
  // cancelling the activity) locks activity → signup, so a cancellation racing the activity's waits
  // instead of deadlocking
  before: (tx, s) => tx.$queryRaw`SELECT 1 FROM "VolunteerActivity" WHERE "id" = ${s.activityId}::uuid FOR UPDATE`,
  publish: (ctx, s) => publishActivity(ctx, s.activityId),
})

const signupStepSchema = z.object({ id: z.string(), version, note })

export async function cancelSignup(ctx: Context, input: z.input<typeof signupStepSchema>) {
  const data = parseInput(signupStepSchema, input)
  const { row: s, actors } = await signups.load(ctx, data.id)
  planSignup(s, actors, data.version, 'CANCEL', new Date())
  return signups.step(
    ctx,
    s,
    actors,
    data.version,
    'CANCEL',
    { note: data.note, data: { activeSlot: null, cancelledAt: new Date() } },
    async (tx, _move, updated) => {
      // the freed place is the activity's; the signup stays as the guarded update left it
      await tx.volunteerActivity.update({ where: { id: s.activityId }, data: { taken: { decrement: 1 } } })
      return updated
    },
  )
}

/** A signup step that only records when it happened: check-in, check-out, no-show. */
async function stampStep(
  ctx: Context,
  input: z.input<typeof signupStepSchema>,
  action: 'CHECK_IN' | 'CHECK_OUT' | 'NO_SHOW',
  stamp?: 'checkedInAt' | 'checkedOutAt',
) {
  const data = parseInput(signupStepSchema, input)
  const { row: s, actors } = await signups.load(ctx, data.id)
  const now = new Date()
  planSignup(s, actors, data.version, action, now)
  const stamped =
    stamp === 'checkedInAt' ? { checkedInAt: now } : stamp === 'checkedOutAt' ? { checkedOutAt: now } : undefined
  return signups.step(ctx, s, actors, data.version, action, { note: data.note, data: stamped })
}

export const checkIn = (ctx: Context, input: z.input<typeof signupStepSchema>) =>
  stampStep(ctx, input, 'CHECK_IN', 'checkedInAt')
export const checkOut = (ctx: Context, input: z.input<typeof signupStepSchema>) =>
  stampStep(ctx, input, 'CHECK_OUT', 'checkedOutAt')
export const markNoShow = (ctx: Context, input: z.input<typeof signupStepSchema>) => stampStep(ctx, input, 'NO_SHOW')

const completeSchema = z.object({
  id: z.string(),
  version,
  hours: z.number().nullish(),
  idempotencyKey: z.string().trim().min(8, 'at least 8 characters (e.g. a UUID)').max(100),
  note,
})

/** The ledger key of a completion: one namespace per signup, so keys of different signups never collide. */
const completionKey = (signupId: string, key: string) => `complete:${signupId}:${key}`

/** The completed signup when this exact completion request already went through. */
async function completedBefore(ctx: Context, s: ActivitySignup, key: string) {
  const entry = await ctx.prisma.pointsEntry.findFirst({
    where: { account: { userId: s.userId }, idempotencyKey: completionKey(s.id, key) },
    select: { id: true },
  })
  return entry ? ctx.prisma.activitySignup.findUniqueOrThrow({ where: { id: s.id } }) : null
}

/**
 * Completes a checked-in signup with hours (default: from check-in/out, capped by the activity's
 * window): SERVICE points = round(hours × rate) once, and for a linked party member an
 * ACTIVITY_HOURS service record, both in the step's transaction. A retry with the same key —
 * sequential or concurrent — returns the completed signup and credits nothing more.
 */
export async function completeSignup(ctx: Context, input: z.input<typeof completeSchema>) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(completeSchema, input)
  const loaded = await signups.load(ctx, data.id)
  const s = loaded.row
  // nobody credits their own service: an organizer or officer who served is completed by another
  const actors = s.userId === viewer.userId ? loaded.actors.filter((a) => a === 'VOLUNTEER') : loaded.actors
  const verdict = check(SIGNUP_TRANSITIONS, 'COMPLETE', s.status, actors)
  if (!verdict.ok && verdict.reason === 'actor') throw refusal('ActivitySignup', s.status, 'COMPLETE', 'actor')
  const replay = await completedBefore(ctx, s, data.idempotencyKey)
  if (replay) return replay
  const now = new Date()
  planSignup(s, actors, data.version, 'COMPLETE', now)
  const hours = data.hours ?? defaultHours(s.activity, s.checkedInAt, s.checkedOutAt, now)
  const problem = hoursProblem(hours, s.activity)
  if (problem) throw new ValidationFailedError([{ path: 'hours', message: problem }])
  const points = servicePoints(hours, s.activity.pointsPerHour)
  try {
    return await signups.step(
      ctx,
      s,
      actors,
      data.version,
      'COMPLETE',
      {
        note: data.note ?? `${hours} h × ${s.activity.pointsPerHour} = ${points}`,
        data: { hours, points, completedAt: now, checkedOutAt: s.checkedOutAt ?? now },
      },
      async (tx, _move, updated) => {
        await movePoints(tx, {
          accountUserId: s.userId,
          kind: 'SERVICE',
          points,
          reason: `志愿服务：${s.activity.title}（${hours} 小时）`,
          actorId: viewer.userId,
          idempotencyKey: completionKey(s.id, data.idempotencyKey),
          sourceType: 'ActivitySignup',
          sourceId: s.id,
        })
        const member = await tx.partyMember.findUnique({
          where: { userId: s.userId },
          select: { id: true, active: true },
        })
        if (member?.active) {
          await creditService(tx, {
            kind: 'ACTIVITY_HOURS',
            sourceId: s.id,
            memberId: member.id,
            hours,
            occurredAt: s.checkedInAt ?? s.activity.startsAt,
            communityId: s.activity.communityId,
            note: s.activity.title,
            recordedById: viewer.userId,
          })
        }
        return updated
      },
    )
  } catch (e) {
    // a concurrent twin of this request won: answer as it did
    if (e instanceof StaleVersionError || e instanceof InvalidTransitionError) {
      const won = await completedBefore(ctx, s, data.idempotencyKey)
      if (won) return won
    }
    throw e
  }
}

// ---------------------------------------------------------------- queries

export interface ActivityFilterInput {
  status?: ActivityStatus[] | null
  type?: (typeof TYPES)[number][] | null
  gridId?: string | null
  communityId?: string | null
  /** A region: activities of the communities in its subtree. */
  withinId?: string | null
  teamId?: string | null
  from?: Date | null
  to?: Date | null
  hasPlaces?: boolean | null
  organizedByMe?: boolean | null
}

/** Filters on activities (which rows the viewer reads is the read policy's business). */
export function activityFilterWhere(
  ctx: Context,
  f: ActivityFilterInput | null | undefined,
): Prisma.VolunteerActivityWhereInput[] {
  if (!f) return []
  const fieldRef = ctx.prisma.volunteerActivity.fields
  return [
    f.status?.length ? { status: { in: f.status } } : {},
    f.type?.length ? { type: { in: f.type } } : {},
    f.gridId ? { gridId: f.gridId } : {},
    f.communityId ? { communityId: f.communityId } : {},
    f.withinId ? { community: regionSubtrees([f.withinId])! } : {},
    f.teamId ? { teamId: f.teamId } : {},
    // overlapping the period [from, to)
    f.from ? { endsAt: { gt: f.from } } : {},
    f.to ? { startsAt: { lt: f.to } } : {},
    f.hasPlaces === true ? { taken: { lt: fieldRef.capacity }, status: { in: [...OPEN_ACTIVITY] } } : {},
    f.hasPlaces === false ? { taken: { gte: fieldRef.capacity } } : {},
    f.organizedByMe ? { organizerId: ctx.viewer?.userId ?? '00000000-0000-0000-0000-000000000000' } : {},
  ]
}
