// The volunteer module's transition tables (DESIGN §3), state × action × actor, and the
// pure rules around them: time windows for self check-in/out, hours and points of a completion.
import type { ActivityStatus, MicroWishStatus, RedemptionStatus, SignupStatus } from '../../generated/prisma/enums.js'
import type { Transition } from '../../shared/state-machine.js'

// ---------------------------------------------------------------- activities

/**
 * ORGANIZER: the activity's organizer; OFFICER: an officer of the activity's region, or an admin;
 * SYSTEM: the activity clock, which starts activities at their start time and finishes those the
 * organizer left open `AUTO_FINISH_AFTER_MS` after their end.
 */
export type ActivityActor = 'ORGANIZER' | 'OFFICER' | 'SYSTEM'
export type ActivityAction = 'UPDATE' | 'PUBLISH' | 'START' | 'FINISH' | 'CANCEL'

export const ACTIVITY_TRANSITIONS: Record<ActivityAction, Transition<ActivityStatus, ActivityActor>> = {
  UPDATE: { from: ['DRAFT', 'PUBLISHED'], to: null, actors: ['ORGANIZER', 'OFFICER'] },
  PUBLISH: { from: ['DRAFT'], to: 'PUBLISHED', actors: ['ORGANIZER', 'OFFICER'] },
  START: { from: ['PUBLISHED'], to: 'ONGOING', actors: ['ORGANIZER', 'OFFICER', 'SYSTEM'] },
  FINISH: { from: ['ONGOING'], to: 'FINISHED', actors: ['ORGANIZER', 'OFFICER', 'SYSTEM'] },
  CANCEL: { from: ['DRAFT', 'PUBLISHED', 'ONGOING'], to: 'CANCELLED', actors: ['ORGANIZER', 'OFFICER'] },
}

/** Activities that take sign-ups. */
export const OPEN_ACTIVITY: readonly ActivityStatus[] = ['PUBLISHED', 'ONGOING']

// ---------------------------------------------------------------- signups

/** VOLUNTEER: the person signed up; ORGANIZER / OFFICER as for the activity. */
export type SignupActor = 'VOLUNTEER' | 'ORGANIZER' | 'OFFICER'
export type SignupState = SignupStatus | 'NEW'
export type SignupAction = 'SIGN_UP' | 'CANCEL' | 'CHECK_IN' | 'CHECK_OUT' | 'COMPLETE' | 'NO_SHOW'

export const SIGNUP_TRANSITIONS: Record<SignupAction, Transition<SignupState, SignupActor>> = {
  SIGN_UP: { from: ['NEW'], to: 'SIGNED_UP', actors: ['VOLUNTEER'] },
  CANCEL: { from: ['SIGNED_UP'], to: 'CANCELLED', actors: ['VOLUNTEER', 'ORGANIZER', 'OFFICER'] },
  CHECK_IN: { from: ['SIGNED_UP'], to: 'CHECKED_IN', actors: ['VOLUNTEER', 'ORGANIZER', 'OFFICER'] },
  CHECK_OUT: { from: ['CHECKED_IN'], to: null, actors: ['VOLUNTEER', 'ORGANIZER', 'OFFICER'] },
  COMPLETE: { from: ['CHECKED_IN'], to: 'COMPLETED', actors: ['ORGANIZER', 'OFFICER'] },
  NO_SHOW: { from: ['SIGNED_UP'], to: 'NO_SHOW', actors: ['ORGANIZER', 'OFFICER'] },
}

/** Activity states in which each signup action is possible at all. */
export const SIGNUP_ACTIVITY_STATES: Record<SignupAction, readonly ActivityStatus[]> = {
  SIGN_UP: OPEN_ACTIVITY,
  CANCEL: OPEN_ACTIVITY,
  CHECK_IN: OPEN_ACTIVITY,
  CHECK_OUT: ['PUBLISHED', 'ONGOING', 'FINISHED'],
  COMPLETE: ['PUBLISHED', 'ONGOING', 'FINISHED'],
  NO_SHOW: ['PUBLISHED', 'ONGOING', 'FINISHED'],
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** The clock finishes an ongoing activity this long after its end, leaving the organizer time to check people out. */
export const AUTO_FINISH_AFTER_MS = 12 * HOUR

/** Volunteers check themselves in from 30 minutes before the start until the end … */
export const SELF_CHECK_IN_LEAD_MS = 30 * MINUTE
/** … and out until 2 hours after the end. */
export const SELF_CHECK_OUT_GRACE_MS = 2 * HOUR

export interface ActivityTimes {
  startsAt: Date
  endsAt: Date
}

/** Why a volunteer may not check themselves in or out now; null when they may. */
export function selfWindowProblem(action: 'CHECK_IN' | 'CHECK_OUT', a: ActivityTimes, now: Date): string | null {
  const t = now.getTime()
  if (action === 'CHECK_IN') {
    if (t < a.startsAt.getTime() - SELF_CHECK_IN_LEAD_MS) return 'self check-in opens 30 minutes before the start'
    if (t > a.endsAt.getTime()) return 'the activity has ended; ask the organizer to check you in'
    return null
  }
  if (t > a.endsAt.getTime() + SELF_CHECK_OUT_GRACE_MS)
    return 'self check-out closes 2 hours after the end; ask the organizer'
  return null
}

/** The organizer marks a no-show only once the activity has started. */
export const noShowProblem = (a: ActivityTimes, now: Date) =>
  now < a.startsAt ? 'the activity has not started yet' : null

export const MAX_HOURS = 24

/** Hours rounded to the quarter hour (service sheets count in quarters). */
export const roundHours = (h: number) => Math.round(h * 4) / 4

/**
 * Hours served by default: from check-in (or the start, whichever is later) to check-out (or
 * `now` when not checked out; the end, whichever is earlier), capped by the activity's window.
 */
export function defaultHours(a: ActivityTimes, checkedInAt: Date | null, checkedOutAt: Date | null, now: Date): number {
  const from = Math.max(a.startsAt.getTime(), (checkedInAt ?? a.startsAt).getTime())
  const to = Math.min(a.endsAt.getTime(), (checkedOutAt ?? now).getTime())
  return Math.max(0, roundHours((to - from) / HOUR))
}

/** Points of a completion: hours × rate, rounded to a whole point. */
export const servicePoints = (hours: number, pointsPerHour: number) => Math.round(hours * pointsPerHour)

/**
 * Why hours are not acceptable for a completion; null when they are. With the activity, nobody is
 * credited more hours than it lasted (rounded up to the quarter hour).
 */
export function hoursProblem(hours: number, a?: ActivityTimes): string | null {
  if (!Number.isFinite(hours) || hours <= 0)
    return 'the hours must be more than 0 (check the volunteer out first, or give them)'
  if (hours > MAX_HOURS) return `at most ${MAX_HOURS} hours`
  if (a) {
    const lasted = Math.ceil(((a.endsAt.getTime() - a.startsAt.getTime()) / HOUR) * 4) / 4
    if (hours > lasted) return `at most ${lasted} hours: the activity lasts no longer`
  }
  return null
}

// ---------------------------------------------------------------- redemptions (爱心超市)

/** OWNER: the person who redeemed; OFFICER: an officer of the item's community, or an admin. */
export type RedemptionActor = 'OWNER' | 'OFFICER'
export type RedemptionAction = 'REDEEM' | 'FULFIL' | 'CANCEL'

export const REDEMPTION_TRANSITIONS: Record<RedemptionAction, Transition<RedemptionStatus | 'NEW', RedemptionActor>> = {
  REDEEM: { from: ['NEW'], to: 'PENDING', actors: ['OWNER'] },
  FULFIL: { from: ['PENDING'], to: 'FULFILLED', actors: ['OFFICER'] },
  CANCEL: { from: ['PENDING'], to: 'CANCELLED', actors: ['OWNER', 'OFFICER'] },
}

// ---------------------------------------------------------------- micro-wishes (微心愿)

/**
 * WISHER: the resident whose wish it is, or who recorded it; OFFICER: an officer of the wish's
 * region, or an admin; CLAIMER: the account (or its unit's contacts) that claimed it; HELPER: a
 * linked party member or a unit contact who may claim (never the wisher).
 */
export type WishActor = 'WISHER' | 'OFFICER' | 'CLAIMER' | 'HELPER'
export type WishState = MicroWishStatus | 'NEW'
export type WishAction = 'CREATE' | 'CLAIM' | 'RELEASE' | 'FULFIL' | 'CONFIRM' | 'CANCEL'

export const WISH_TRANSITIONS: Record<WishAction, Transition<WishState, WishActor>> = {
  CREATE: { from: ['NEW'], to: 'OPEN', actors: ['WISHER', 'OFFICER'] },
  CLAIM: { from: ['OPEN'], to: 'CLAIMED', actors: ['HELPER'] },
  RELEASE: { from: ['CLAIMED'], to: 'OPEN', actors: ['CLAIMER', 'OFFICER'] },
  FULFIL: { from: ['CLAIMED'], to: 'FULFILLED', actors: ['CLAIMER'] },
  CONFIRM: { from: ['FULFILLED'], to: 'CONFIRMED', actors: ['WISHER', 'OFFICER'] },
  CANCEL: { from: ['OPEN', 'CLAIMED'], to: 'CANCELLED', actors: ['WISHER', 'OFFICER'] },
}
