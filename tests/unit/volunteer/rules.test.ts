import { describe, expect, it } from 'vitest'
import { check } from '../../../src/shared/state-machine.js'
import { maskName } from '../../../src/auth/personal-data.js'
import {
  ACTIVITY_TRANSITIONS,
  defaultHours,
  hoursProblem,
  noShowProblem,
  REDEMPTION_TRANSITIONS,
  roundHours,
  selfWindowProblem,
  servicePoints,
  SIGNUP_TRANSITIONS,
  WISH_TRANSITIONS,
} from '../../../src/modules/volunteer/transitions.js'

const at = (hh: number, mm = 0) => new Date(Date.UTC(2026, 5, 1, hh, mm))
const activity = { startsAt: at(9), endsAt: at(12) }

describe('hours and points', () => {
  it("should count from check-in to check-out within the activity's time, in quarter hours", () => {
    expect(defaultHours(activity, at(9, 5), at(11, 40), at(13))).toBe(2.5)
    expect(defaultHours(activity, at(8, 30), at(12, 45), at(13))).toBe(3) // capped by start and end
    expect(defaultHours(activity, at(10), null, at(11))).toBe(1) // not checked out: until now
    expect(defaultHours(activity, at(10), null, at(15))).toBe(2) // … but never past the end
    expect(defaultHours(activity, null, null, at(8))).toBe(0)
    expect(roundHours(1.13)).toBe(1.25)
  })

  it('should give round(hours × rate) points', () => {
    expect(servicePoints(2.5, 12)).toBe(30)
    expect(servicePoints(0.25, 10)).toBe(3)
    expect(servicePoints(3, 0)).toBe(0)
  })

  it('should accept hours in (0, 24] only', () => {
    expect(hoursProblem(0)).toMatch(/more than 0/)
    expect(hoursProblem(-1)).toMatch(/more than 0/)
    expect(hoursProblem(Number.NaN)).toMatch(/more than 0/)
    expect(hoursProblem(24.5)).toMatch(/at most 24/)
    expect(hoursProblem(24)).toBeNull()
    expect(hoursProblem(0.25)).toBeNull()
    // never more than the activity lasted, rounded up to the quarter hour
    const a = { startsAt: new Date('2026-06-01T01:00:00Z'), endsAt: new Date('2026-06-01T03:10:00Z') }
    expect(hoursProblem(2.25, a)).toBeNull()
    expect(hoursProblem(2.5, a)).toMatch(/at most 2.25 hours/)
  })
})

describe('self check-in and check-out windows', () => {
  it('should open self check-in 30 minutes before the start and close it at the end', () => {
    expect(selfWindowProblem('CHECK_IN', activity, at(8, 29))).toMatch(/30 minutes/)
    expect(selfWindowProblem('CHECK_IN', activity, at(8, 30))).toBeNull()
    expect(selfWindowProblem('CHECK_IN', activity, at(12))).toBeNull()
    expect(selfWindowProblem('CHECK_IN', activity, at(12, 1))).toMatch(/ended/)
  })

  it('should allow self check-out until 2 hours after the end', () => {
    expect(selfWindowProblem('CHECK_OUT', activity, at(14))).toBeNull()
    expect(selfWindowProblem('CHECK_OUT', activity, at(14, 1))).toMatch(/2 hours/)
  })

  it('should allow a no-show only after the start', () => {
    expect(noShowProblem(activity, at(8, 59))).toMatch(/not started/)
    expect(noShowProblem(activity, at(9))).toBeNull()
  })
})

describe('transition tables', () => {
  it('should move activities DRAFT → PUBLISHED → ONGOING → FINISHED, cancellable until finished, by organizers and officers only', () => {
    expect(check(ACTIVITY_TRANSITIONS, 'PUBLISH', 'DRAFT', ['ORGANIZER'])).toEqual({ ok: true, to: 'PUBLISHED' })
    expect(check(ACTIVITY_TRANSITIONS, 'START', 'PUBLISHED', ['OFFICER'])).toEqual({ ok: true, to: 'ONGOING' })
    expect(check(ACTIVITY_TRANSITIONS, 'FINISH', 'ONGOING', ['ORGANIZER'])).toEqual({ ok: true, to: 'FINISHED' })
    expect(check(ACTIVITY_TRANSITIONS, 'FINISH', 'PUBLISHED', ['ORGANIZER'])).toEqual({ ok: false, reason: 'state' })
    expect(check(ACTIVITY_TRANSITIONS, 'CANCEL', 'FINISHED', ['OFFICER'])).toEqual({ ok: false, reason: 'state' })
    expect(check(ACTIVITY_TRANSITIONS, 'CANCEL', 'ONGOING', [])).toEqual({ ok: false, reason: 'actor' })
  })

  it('should let only the organizer or an officer complete a signup or mark a no-show', () => {
    expect(check(SIGNUP_TRANSITIONS, 'COMPLETE', 'CHECKED_IN', ['VOLUNTEER'])).toEqual({ ok: false, reason: 'actor' })
    expect(check(SIGNUP_TRANSITIONS, 'COMPLETE', 'CHECKED_IN', ['ORGANIZER'])).toEqual({ ok: true, to: 'COMPLETED' })
    expect(check(SIGNUP_TRANSITIONS, 'COMPLETE', 'SIGNED_UP', ['ORGANIZER'])).toEqual({ ok: false, reason: 'state' })
    expect(check(SIGNUP_TRANSITIONS, 'NO_SHOW', 'SIGNED_UP', ['VOLUNTEER'])).toEqual({ ok: false, reason: 'actor' })
    expect(check(SIGNUP_TRANSITIONS, 'CHECK_OUT', 'CHECKED_IN', ['VOLUNTEER'])).toEqual({ ok: true, to: null })
    expect(check(SIGNUP_TRANSITIONS, 'CANCEL', 'CHECKED_IN', ['VOLUNTEER'])).toEqual({ ok: false, reason: 'state' })
  })

  it('should let the owner cancel only a pending redemption and only officers fulfil it', () => {
    expect(check(REDEMPTION_TRANSITIONS, 'CANCEL', 'PENDING', ['OWNER'])).toEqual({ ok: true, to: 'CANCELLED' })
    expect(check(REDEMPTION_TRANSITIONS, 'CANCEL', 'FULFILLED', ['OWNER'])).toEqual({ ok: false, reason: 'state' })
    expect(check(REDEMPTION_TRANSITIONS, 'FULFIL', 'PENDING', ['OWNER'])).toEqual({ ok: false, reason: 'actor' })
  })

  it('should move wishes OPEN → CLAIMED → FULFILLED → CONFIRMED with the right actors', () => {
    expect(check(WISH_TRANSITIONS, 'CLAIM', 'OPEN', ['WISHER'])).toEqual({ ok: false, reason: 'actor' })
    expect(check(WISH_TRANSITIONS, 'CLAIM', 'OPEN', ['HELPER'])).toEqual({ ok: true, to: 'CLAIMED' })
    expect(check(WISH_TRANSITIONS, 'FULFIL', 'CLAIMED', ['CLAIMER'])).toEqual({ ok: true, to: 'FULFILLED' })
    expect(check(WISH_TRANSITIONS, 'CONFIRM', 'FULFILLED', ['CLAIMER'])).toEqual({ ok: false, reason: 'actor' })
    expect(check(WISH_TRANSITIONS, 'CONFIRM', 'FULFILLED', ['WISHER'])).toEqual({ ok: true, to: 'CONFIRMED' })
    expect(check(WISH_TRANSITIONS, 'CANCEL', 'FULFILLED', ['OFFICER'])).toEqual({ ok: false, reason: 'state' })
  })
})

describe('maskName', () => {
  it('should keep the surname only', () => {
    expect(maskName('王小明')).toBe('王**')
    expect(maskName('李')).toBe('*')
    expect(maskName(null)).toBeNull()
  })
})
