import { describe, expect, it } from 'vitest'
import { CaseStatus, DispatchOrderStatus } from '../../../src/generated/prisma/enums.js'
import {
  ACTIVE_ORDER,
  addHours,
  CASE_TRANSITIONS,
  feedbackAction,
  ORDER_TRANSITIONS,
  readyToResolve,
  settledBy,
  type Actor,
  type Transition,
} from '../../../src/modules/case/transitions.js'
import { check } from '../../../src/shared/state-machine.js'

const CASE_STATES = Object.values(CaseStatus)
const ORDER_STATES = Object.values(DispatchOrderStatus)
const ACTORS: Actor[] = ['OFFICER', 'HOTLINE_OFFICER', 'REPORTER', 'GRID_WORKER', 'ADDRESSEE', 'HANDLER', 'SYSTEM']

/** Actions allowed from a state, for any actor. */
const actionsFrom = <S extends string>(table: Record<string, Transition<S>>, state: S) =>
  Object.entries(table)
    .filter(([, t]) => t.from.includes(state))
    .map(([a]) => a)

describe('check', () => {
  it('should allow an action from one of its states by one of its actors, returning the target', () => {
    expect(check(CASE_TRANSITIONS, 'ACCEPT', 'REPORTED', ['OFFICER'])).toEqual({ ok: true, to: 'ACCEPTED' })
    expect(check(CASE_TRANSITIONS, 'ACCEPT', 'REOPENED', ['OFFICER'])).toEqual({ ok: true, to: 'ACCEPTED' })
    expect(check(ORDER_TRANSITIONS, 'SIGN', 'CREATED', ['ADDRESSEE'])).toEqual({ ok: true, to: 'SIGNED' })
  })

  it('should return a null target for actions that keep the state', () => {
    expect(check(CASE_TRANSITIONS, 'ESCALATE', 'DISPATCHED', ['OFFICER'])).toEqual({ ok: true, to: null })
    expect(check(CASE_TRANSITIONS, 'EXTEND', 'ACCEPTED', ['OFFICER'])).toEqual({ ok: true, to: null })
  })

  it('should refuse an action from a state it does not leave, even to those entitled to it', () => {
    for (const actors of [['OFFICER'], ACTORS] as Actor[][])
      expect(check(CASE_TRANSITIONS, 'ACCEPT', 'DISPATCHED', actors)).toEqual({ ok: false, reason: 'state' })
    for (const actors of [['ADDRESSEE'], ACTORS] as Actor[][])
      expect(check(ORDER_TRANSITIONS, 'COMPLETE', 'CREATED', actors)).toEqual({ ok: false, reason: 'state' })
  })

  it("should judge the caller before the state, so that outsiders learn nothing of a row's state", () => {
    expect(check(CASE_TRANSITIONS, 'ACCEPT', 'DISPATCHED', [])).toEqual({ ok: false, reason: 'actor' })
    expect(check(ORDER_TRANSITIONS, 'COMPLETE', 'CREATED', ['OFFICER'])).toEqual({ ok: false, reason: 'actor' })
  })

  it('should refuse an actor the action does not list, and nobody at all', () => {
    expect(check(CASE_TRANSITIONS, 'ACCEPT', 'REPORTED', ['REPORTER', 'GRID_WORKER', 'ADDRESSEE'])).toEqual({
      ok: false,
      reason: 'actor',
    })
    expect(check(CASE_TRANSITIONS, 'ACCEPT', 'REPORTED', [])).toEqual({ ok: false, reason: 'actor' })
    expect(check(ORDER_TRANSITIONS, 'SIGN', 'CREATED', ['OFFICER'])).toEqual({ ok: false, reason: 'actor' })
    expect(check(ORDER_TRANSITIONS, 'TRANSFER', 'RETURNED', ['ADDRESSEE'])).toEqual({ ok: false, reason: 'actor' })
  })

  it('should accept any iterable of actors, allowing when one of them qualifies', () => {
    expect(
      check(CASE_TRANSITIONS, 'FEEDBACK_SATISFIED', 'VERIFIED', new Set<Actor>(['GRID_WORKER', 'REPORTER'])),
    ).toEqual({ ok: true, to: 'CLOSED' })
    expect(check(CASE_TRANSITIONS, 'VERIFY_PASS', 'RESOLVED', new Set<Actor>(['GRID_WORKER']))).toEqual({
      ok: true,
      to: 'VERIFIED',
    })
  })
})

describe('transition tables', () => {
  it('should bar whoever handled an order from verifying or rating the case, whatever else they are', () => {
    for (const action of ['VERIFY_PASS', 'VERIFY_FAIL'] as const) {
      expect(check(CASE_TRANSITIONS, action, 'RESOLVED', ['GRID_WORKER'])).toEqual({
        ok: true,
        to: CASE_TRANSITIONS[action].to,
      })
      expect(check(CASE_TRANSITIONS, action, 'RESOLVED', ['GRID_WORKER', 'HANDLER'])).toEqual({
        ok: false,
        reason: 'excluded',
      })
      expect(check(CASE_TRANSITIONS, action, 'RESOLVED', ['OFFICER', 'HANDLER'])).toEqual({
        ok: false,
        reason: 'excluded',
      })
    }
    for (const action of ['FEEDBACK_SATISFIED', 'FEEDBACK_UNSATISFIED'] as const) {
      expect(check(CASE_TRANSITIONS, action, 'VERIFIED', ['REPORTER', 'HANDLER'])).toEqual({
        ok: false,
        reason: 'excluded',
      })
      expect(check(CASE_TRANSITIONS, action, 'VERIFIED', ['OFFICER'])).toEqual({ ok: false, reason: 'actor' }) // not a hotline case
      expect(check(CASE_TRANSITIONS, action, 'VERIFIED', ['OFFICER', 'HOTLINE_OFFICER']).ok).toBe(true)
    }
  })

  it('should name only valid statuses as from-states and targets', () => {
    for (const [table, states] of [
      [CASE_TRANSITIONS, CASE_STATES],
      [ORDER_TRANSITIONS, ORDER_STATES],
    ] as [Record<string, Transition<string>>, string[]][]) {
      for (const [action, t] of Object.entries(table)) {
        expect(t.from.length, action).toBeGreaterThan(0)
        for (const s of t.from) expect(states, `${action} from`).toContain(s)
        if (t.to !== null) expect(states, `${action} to`).toContain(t.to)
        expect(t.actors.length, action).toBeGreaterThan(0)
        for (const a of [...t.actors, ...(t.excluded ?? [])]) expect(ACTORS).toContain(a)
      }
    }
  })

  it('should allow nothing from the terminal case states CLOSED and REJECTED', () => {
    for (const s of ['CLOSED', 'REJECTED'] as const) {
      expect(actionsFrom(CASE_TRANSITIONS, s), s).toEqual([])
      for (const action of Object.keys(CASE_TRANSITIONS) as (keyof typeof CASE_TRANSITIONS)[]) {
        expect(check(CASE_TRANSITIONS, action, s, ACTORS).ok).toBe(false)
      }
    }
  })

  it('should allow nothing from the terminal order states COMPLETED, TRANSFERRED and CANCELLED', () => {
    for (const s of ['COMPLETED', 'TRANSFERRED', 'CANCELLED'] as const)
      expect(actionsFrom(ORDER_TRANSITIONS, s), s).toEqual([])
  })

  it('should leave every other state with a way forward, and reach every state but REPORTED', () => {
    for (const s of CASE_STATES.filter((x) => x !== 'CLOSED' && x !== 'REJECTED'))
      expect(actionsFrom(CASE_TRANSITIONS, s).length, s).toBeGreaterThan(0)
    for (const s of ['CREATED', 'SIGNED', 'ON_SITE', 'RETURNED'] as const)
      expect(actionsFrom(ORDER_TRANSITIONS, s).length, s).toBeGreaterThan(0)
    const targets = new Set(Object.values(CASE_TRANSITIONS).map((t) => t.to))
    for (const s of CASE_STATES.filter((x) => x !== 'REPORTED' && x !== 'SUSPENDED')) expect(targets, s).toContain(s)
    expect(targets).toContain('SUSPENDED')
  })

  it('should let only the SYSTEM resolve or recall a case, and the SYSTEM do nothing else', () => {
    const resolving = Object.entries(CASE_TRANSITIONS).filter(([, t]) => t.to === 'RESOLVED')
    expect(resolving.map(([a]) => a)).toEqual(['RESOLVE'])
    expect(CASE_TRANSITIONS.RESOLVE.actors).toEqual(['SYSTEM'])
    expect(
      check(CASE_TRANSITIONS, 'RESOLVE', 'DISPATCHED', ['OFFICER', 'GRID_WORKER', 'REPORTER', 'ADDRESSEE']),
    ).toEqual({ ok: false, reason: 'actor' })
    expect(check(CASE_TRANSITIONS, 'RESOLVE', 'DISPATCHED', ['SYSTEM'])).toEqual({ ok: true, to: 'RESOLVED' })
    const systemActions = [...Object.entries(CASE_TRANSITIONS), ...Object.entries(ORDER_TRANSITIONS)]
      .filter(([, t]) => t.actors.includes('SYSTEM'))
      .map(([a]) => a)
    expect(systemActions).toEqual(['RESOLVE', 'RECALL'])
  })

  it('should keep order work with the addressee and order routing with the officer', () => {
    for (const a of ['SIGN', 'ARRIVE', 'COMPLETE', 'RETURN'] as const)
      expect(ORDER_TRANSITIONS[a].actors, a).toEqual(['ADDRESSEE'])
    for (const a of ['TRANSFER', 'CANCEL'] as const) expect(ORDER_TRANSITIONS[a].actors, a).toEqual(['OFFICER'])
    expect(ORDER_TRANSITIONS.SIGN).toMatchObject({ from: ['CREATED'], to: 'SIGNED' })
    expect(ORDER_TRANSITIONS.ARRIVE).toMatchObject({ from: ['SIGNED'], to: 'ON_SITE' })
  })

  it('should let a reporter do nothing but rate a verified case', () => {
    const reporterActions = Object.entries(CASE_TRANSITIONS)
      .filter(([, t]) => t.actors.includes('REPORTER'))
      .map(([a]) => a)
      .sort()
    expect(reporterActions).toEqual(['FEEDBACK_SATISFIED', 'FEEDBACK_UNSATISFIED'])
    expect(CASE_TRANSITIONS.FEEDBACK_SATISFIED.from).toEqual(['VERIFIED'])
    expect(CASE_TRANSITIONS.FEEDBACK_UNSATISFIED.to).toBe('REOPENED')
  })

  it('should only count CREATED, SIGNED and ON_SITE orders as active', () => {
    expect([...ACTIVE_ORDER].sort()).toEqual(['CREATED', 'ON_SITE', 'SIGNED'])
  })
})

describe('readyToResolve', () => {
  it('should not resolve a case without orders, or with nothing completed', () => {
    expect(readyToResolve([])).toBe(false)
    expect(readyToResolve(['CANCELLED'])).toBe(false)
    expect(readyToResolve(['TRANSFERRED', 'CANCELLED'])).toBe(false)
  })

  it('should resolve when every order is completed', () => {
    expect(readyToResolve(['COMPLETED'])).toBe(true)
    expect(readyToResolve(['COMPLETED', 'COMPLETED'])).toBe(true)
  })

  it('should not resolve while any order is still active', () => {
    for (const active of ['CREATED', 'SIGNED', 'ON_SITE'] as const)
      expect(readyToResolve(['COMPLETED', active]), active).toBe(false)
  })

  it('should ignore orders superseded by a transfer or cancelled by the dispatcher', () => {
    expect(readyToResolve(['TRANSFERRED', 'COMPLETED'])).toBe(true)
    expect(readyToResolve(['COMPLETED', 'CANCELLED'])).toBe(true)
  })

  it('should not resolve while a returned order awaits the dispatcher (transfer or cancel)', () => {
    // 退单 sends the order back to the dispatcher: its work is neither done nor given up yet.
    expect(readyToResolve(['COMPLETED', 'RETURNED'])).toBe(false)
  })
})

describe('feedbackAction', () => {
  it('should close the case for a rating of 3 to 5 and reopen it for 1 or 2', () => {
    expect([1, 2, 3, 4, 5].map(feedbackAction)).toEqual([
      'FEEDBACK_UNSATISFIED',
      'FEEDBACK_UNSATISFIED',
      'FEEDBACK_SATISFIED',
      'FEEDBACK_SATISFIED',
      'FEEDBACK_SATISFIED',
    ])
    expect(CASE_TRANSITIONS[feedbackAction(3)].to).toBe('CLOSED')
    expect(CASE_TRANSITIONS[feedbackAction(2)].to).toBe('REOPENED')
  })
})

describe('addHours', () => {
  it('should add fractional hours without touching the input', () => {
    const from = new Date('2025-03-01T08:00:00.000Z')
    expect(addHours(from, 0.5).toISOString()).toBe('2025-03-01T08:30:00.000Z')
    expect(addHours(from, 24).toISOString()).toBe('2025-03-02T08:00:00.000Z')
    expect(from.toISOString()).toBe('2025-03-01T08:00:00.000Z')
  })
})

describe('settledBy', () => {
  it('should resolve a case once its open orders are done and something was completed', () => {
    expect(settledBy(['COMPLETED', 'CANCELLED'])).toBe('RESOLVE')
  })

  it('should send a case back to awaiting dispatch when every order was cancelled or moved away', () => {
    expect(settledBy(['CANCELLED'])).toBe('RECALL')
    expect(settledBy(['TRANSFERRED', 'CANCELLED'])).toBe('RECALL')
    expect(CASE_TRANSITIONS.RECALL).toEqual({ from: ['DISPATCHED'], to: 'ACCEPTED', actors: ['SYSTEM'] })
  })

  it('should leave a case alone while anything is open, and never settle one without orders', () => {
    expect(settledBy([])).toBeNull()
    expect(settledBy(['CANCELLED', 'CREATED'])).toBeNull()
    expect(settledBy(['CANCELLED', 'RETURNED'])).toBeNull()
  })
})
