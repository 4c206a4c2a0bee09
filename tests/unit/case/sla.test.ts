import { describe, expect, it } from 'vitest'
import { MAX_SUPERVISION_LEVEL, supervisionDue } from '../../../src/modules/case/sla.service.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const created = new Date('2025-06-01T00:00:00.000Z')
const at = (ms: number) => new Date(created.getTime() + ms)

/** An order created at `created` with a 30-minute sign SLA and a 24-hour completion SLA. */
const order = (over: Partial<Parameters<typeof supervisionDue>[0]> = {}) => ({
  status: 'CREATED',
  createdAt: created,
  signBy: at(30 * MINUTE),
  completeBy: at(24 * HOUR),
  supervisionLevel: 0,
  ...over,
})

describe('supervisionDue', () => {
  it('should need nothing before the sign deadline', () => {
    expect(supervisionDue(order(), at(0))).toBeNull()
    expect(supervisionDue(order(), at(30 * MINUTE - 1))).toBeNull()
  })

  it('should need a level-1 SIGN_OVERDUE from the sign deadline on', () => {
    expect(supervisionDue(order(), at(30 * MINUTE))).toEqual({ kind: 'SIGN_OVERDUE', level: 1 })
    expect(supervisionDue(order(), at(31 * MINUTE))).toEqual({ kind: 'SIGN_OVERDUE', level: 1 })
    expect(supervisionDue(order(), at(60 * MINUTE - 1))).toEqual({ kind: 'SIGN_OVERDUE', level: 1 })
  })

  it('should rise one level per further SLA period, capped at MAX_SUPERVISION_LEVEL', () => {
    const signBy = 30 * MINUTE
    const period = 30 * MINUTE
    for (let k = 0; k < 8; k++) {
      const due = supervisionDue(order(), at(signBy + k * period + MINUTE))
      expect(due, `k=${k}`).toEqual({ kind: 'SIGN_OVERDUE', level: Math.min(k + 1, MAX_SUPERVISION_LEVEL) })
    }
    expect(MAX_SUPERVISION_LEVEL).toBe(3)
  })

  it('should need nothing when the due level was already raised, and the next level once it is due', () => {
    expect(supervisionDue(order({ supervisionLevel: 1 }), at(31 * MINUTE))).toBeNull()
    expect(supervisionDue(order({ supervisionLevel: 1 }), at(61 * MINUTE))).toEqual({ kind: 'SIGN_OVERDUE', level: 2 })
    expect(supervisionDue(order({ supervisionLevel: 2 }), at(61 * MINUTE))).toBeNull()
    expect(supervisionDue(order({ supervisionLevel: MAX_SUPERVISION_LEVEL }), at(100 * HOUR))).toBeNull()
  })

  it('should jump straight to the level due when sweeps were missed', () => {
    expect(supervisionDue(order(), at(30 * MINUTE + 2 * 30 * MINUTE + MINUTE))).toEqual({
      kind: 'SIGN_OVERDUE',
      level: 3,
    })
  })

  it('should need nothing for finished orders, however late', () => {
    for (const status of ['COMPLETED', 'RETURNED', 'TRANSFERRED', 'CANCELLED']) {
      expect(supervisionDue(order({ status }), at(30 * MINUTE + MINUTE)), status).toBeNull()
      expect(supervisionDue(order({ status }), at(100 * HOUR)), status).toBeNull()
    }
  })

  it('should not supervise signing of a signed order, only its completion', () => {
    for (const status of ['SIGNED', 'ON_SITE']) {
      expect(supervisionDue(order({ status }), at(31 * MINUTE)), status).toBeNull()
      expect(supervisionDue(order({ status }), at(24 * HOUR)), status).toEqual({ kind: 'COMPLETION_OVERDUE', level: 1 })
      expect(supervisionDue(order({ status }), at(48 * HOUR + MINUTE)), status).toEqual({
        kind: 'COMPLETION_OVERDUE',
        level: 2,
      })
    }
  })

  it('should report an unsigned order past its completion deadline as COMPLETION_OVERDUE, leveled by the completion period', () => {
    expect(supervisionDue(order(), at(24 * HOUR + MINUTE))).toEqual({ kind: 'COMPLETION_OVERDUE', level: 1 })
  })

  it('should use a period of at least one minute when a deadline equals the creation time', () => {
    const instant = order({ signBy: created })
    expect(supervisionDue(instant, at(0))).toEqual({ kind: 'SIGN_OVERDUE', level: 1 })
    expect(supervisionDue(instant, at(MINUTE))).toEqual({ kind: 'SIGN_OVERDUE', level: 2 })
    expect(supervisionDue(instant, at(2 * MINUTE))).toEqual({ kind: 'SIGN_OVERDUE', level: 3 })
  })
})
