import { describe, expect, it } from 'vitest'
import { DualReportStatus } from '../../../src/generated/prisma/enums.js'
import { ForbiddenError, InvalidTransitionError, StaleVersionError } from '../../../src/shared/errors.js'
import { check, planTransition } from '../../../src/shared/state-machine.js'
import {
  ACTIVE_REPORT,
  commitmentMet,
  REPORT_TRANSITIONS,
  serviceYear,
  serviceYearStart,
  type ReportAction,
  type ReportActor,
  type ReportState,
} from '../../../src/modules/party/transitions.js'

const STATES = Object.values(DualReportStatus)
const ACTORS: ReportActor[] = ['REPORTER', 'COMMUNITY_OFFICER']
const ACTIONS = Object.keys(REPORT_TRANSITIONS) as ReportAction[]

/** Every (action, actor) the table allows from a state. */
const allowedFrom = (state: ReportState) =>
  ACTIONS.flatMap((action) =>
    ACTORS.filter((a) => check(REPORT_TRANSITIONS, action, state, [a]).ok).map((a) => `${action}:${a}`),
  )

describe('the dual-report transition table', () => {
  it('should name only real statuses as from-states (besides NEW for submission) and as targets', () => {
    for (const [action, t] of Object.entries(REPORT_TRANSITIONS)) {
      expect(t.from.length, action).toBeGreaterThan(0)
      for (const s of t.from) expect([...STATES, 'NEW'], action).toContain(s)
      if (t.to !== null) expect(STATES, action).toContain(t.to)
      for (const a of t.actors) expect(ACTORS).toContain(a)
    }
  })

  it('should create reports only by submission, by the reporter or a community officer', () => {
    expect(allowedFrom('NEW')).toEqual(['SUBMIT:REPORTER', 'SUBMIT:COMMUNITY_OFFICER'])
    expect(check(REPORT_TRANSITIONS, 'SUBMIT', 'NEW', ['REPORTER'])).toEqual({ ok: true, to: 'SUBMITTED' })
    for (const s of STATES)
      expect(check(REPORT_TRANSITIONS, 'SUBMIT', s, ACTORS)).toEqual({ ok: false, reason: 'state' })
  })

  it('should let only a community officer decide a submitted report: approve into a grid or reject', () => {
    expect(check(REPORT_TRANSITIONS, 'APPROVE', 'SUBMITTED', ['COMMUNITY_OFFICER'])).toEqual({
      ok: true,
      to: 'APPROVED',
    })
    expect(check(REPORT_TRANSITIONS, 'REJECT', 'SUBMITTED', ['COMMUNITY_OFFICER'])).toEqual({
      ok: true,
      to: 'REJECTED',
    })
    expect(check(REPORT_TRANSITIONS, 'APPROVE', 'SUBMITTED', ['REPORTER'])).toEqual({ ok: false, reason: 'actor' })
    expect(check(REPORT_TRANSITIONS, 'REJECT', 'SUBMITTED', [])).toEqual({ ok: false, reason: 'actor' })
    for (const s of STATES.filter((x) => x !== 'SUBMITTED')) {
      expect(check(REPORT_TRANSITIONS, 'APPROVE', s, ['COMMUNITY_OFFICER']), s).toEqual({ ok: false, reason: 'state' })
      expect(check(REPORT_TRANSITIONS, 'REJECT', s, ['COMMUNITY_OFFICER']), s).toEqual({ ok: false, reason: 'state' })
    }
  })

  it('should allow exactly these steps from each state', () => {
    expect(allowedFrom('SUBMITTED')).toEqual([
      'APPROVE:COMMUNITY_OFFICER',
      'REJECT:COMMUNITY_OFFICER',
      'WITHDRAW:REPORTER',
      'WITHDRAW:COMMUNITY_OFFICER',
      'PLEDGE:REPORTER',
      'PLEDGE:COMMUNITY_OFFICER',
      'UNPLEDGE:REPORTER',
      'UNPLEDGE:COMMUNITY_OFFICER',
    ])
    expect(allowedFrom('APPROVED')).toEqual([
      'WITHDRAW:REPORTER',
      'WITHDRAW:COMMUNITY_OFFICER',
      'TRANSFER:REPORTER',
      'TRANSFER:COMMUNITY_OFFICER',
      'PLEDGE:REPORTER',
      'PLEDGE:COMMUNITY_OFFICER',
      'UNPLEDGE:REPORTER',
      'UNPLEDGE:COMMUNITY_OFFICER',
    ])
  })

  it('should end a report for good when rejected, withdrawn or transferred', () => {
    for (const s of ['REJECTED', 'WITHDRAWN', 'TRANSFERRED'] as const) expect(allowedFrom(s), s).toEqual([])
  })

  it('should keep the state on pledges, and hold the active slot exactly in the states that allow them', () => {
    expect(REPORT_TRANSITIONS.PLEDGE.to).toBeNull()
    expect(REPORT_TRANSITIONS.UNPLEDGE.to).toBeNull()
    expect([...ACTIVE_REPORT].sort()).toEqual([...REPORT_TRANSITIONS.PLEDGE.from].sort())
    expect([...ACTIVE_REPORT].sort()).toEqual(['APPROVED', 'SUBMITTED'])
  })
})

describe('planTransition', () => {
  const row = { id: 'r1', version: 3, status: 'SUBMITTED' as const }
  const req = (action: ReportAction, actors: ReportActor[], version = 3, status: DualReportStatus = 'SUBMITTED') => ({
    entity: 'DualReport',
    table: REPORT_TRANSITIONS,
    action,
    row: { ...row, status },
    actors,
    version,
  })

  it('should return the move for an allowed step at the version read', () => {
    expect(planTransition(req('APPROVE', ['COMMUNITY_OFFICER']))).toEqual({ from: 'SUBMITTED', to: 'APPROVED' })
    expect(planTransition(req('PLEDGE', ['REPORTER'], 3, 'APPROVED'))).toEqual({ from: 'APPROVED', to: 'APPROVED' })
  })

  it('should refuse an outsider with Forbidden before telling them anything about version or state', () => {
    expect(() => planTransition(req('APPROVE', [], 1, 'REJECTED'))).toThrow(ForbiddenError)
    expect(() => planTransition(req('APPROVE', ['REPORTER'], 1))).toThrow(ForbiddenError)
  })

  it('should refuse a stale version with StaleVersion, then a wrong state with InvalidTransition', () => {
    expect(() => planTransition(req('APPROVE', ['COMMUNITY_OFFICER'], 2))).toThrow(StaleVersionError)
    expect(() => planTransition(req('APPROVE', ['COMMUNITY_OFFICER'], 2, 'APPROVED'))).toThrow(StaleVersionError)
    expect(() => planTransition(req('APPROVE', ['COMMUNITY_OFFICER'], 3, 'APPROVED'))).toThrow(InvalidTransitionError)
  })
})

describe('service years and pledges', () => {
  it('should count service years in China Standard Time', () => {
    expect(serviceYear(new Date('2025-12-31T15:59:59.999Z'))).toBe(2025)
    expect(serviceYear(new Date('2025-12-31T16:00:00.000Z'))).toBe(2026)
    expect(serviceYearStart(2026).toISOString()).toBe('2025-12-31T16:00:00.000Z')
    expect(serviceYear(serviceYearStart(2026))).toBe(2026)
    expect(serviceYear(new Date(serviceYearStart(2026).getTime() - 1))).toBe(2025)
  })

  it('should meet a pledge with hours once they are reached, and one without hours once anything was done', () => {
    expect(commitmentMet({ hoursPerYear: 12, hoursDone: 11.5, records: 3 })).toBe(false)
    expect(commitmentMet({ hoursPerYear: 12, hoursDone: 12, records: 3 })).toBe(true)
    expect(commitmentMet({ hoursPerYear: null, hoursDone: 0, records: 0 })).toBe(false)
    expect(commitmentMet({ hoursPerYear: null, hoursDone: 0, records: 1 })).toBe(true)
  })
})
