import { describe, expect, it } from 'vitest'
import { AgreementStatus, ClaimStatus } from '../../../src/generated/prisma/enums.js'
import { check } from '../../../src/shared/state-machine.js'
import {
  AGREEMENT_TRANSITIONS,
  CLAIM_TRANSITIONS,
  expiresWithin,
  milestoneShare,
  PROJECT_TRANSITIONS,
  projectStateAt,
  type AgreementAction,
} from '../../../src/modules/agreement/transitions.js'

const STATES = Object.values(AgreementStatus)

describe('the agreement transition table', () => {
  it('should name only real statuses (besides NEW for creation) and move DRAFT → SIGNED → ACTIVE → EXPIRED | TERMINATED', () => {
    for (const [action, t] of Object.entries(AGREEMENT_TRANSITIONS)) {
      for (const s of t.from) expect([...STATES, 'NEW'], action).toContain(s)
      if (t.to !== null) expect(STATES, action).toContain(t.to)
    }
    expect(check(AGREEMENT_TRANSITIONS, 'CREATE', 'NEW', ['ORG_OFFICER'])).toEqual({ ok: true, to: 'DRAFT' })
    expect(check(AGREEMENT_TRANSITIONS, 'SIGN', 'DRAFT', ['ORG_OFFICER'])).toEqual({ ok: true, to: 'SIGNED' })
    expect(check(AGREEMENT_TRANSITIONS, 'ACTIVATE', 'SIGNED', ['ORG_OFFICER'])).toEqual({ ok: true, to: 'ACTIVE' })
    expect(check(AGREEMENT_TRANSITIONS, 'EXPIRE', 'ACTIVE', ['SYSTEM'])).toEqual({ ok: true, to: 'EXPIRED' })
    expect(check(AGREEMENT_TRANSITIONS, 'TERMINATE', 'ACTIVE', ['ORG_OFFICER'])).toEqual({ ok: true, to: 'TERMINATED' })
  })

  it('should leave expiry to the system and signing, activation and termination to the officers', () => {
    expect(check(AGREEMENT_TRANSITIONS, 'EXPIRE', 'ACTIVE', ['ORG_OFFICER', 'UNIT'])).toEqual({
      ok: false,
      reason: 'actor',
    })
    for (const a of ['SIGN', 'ACTIVATE', 'TERMINATE', 'UPDATE', 'ADD_ITEM'] as AgreementAction[]) {
      expect(check(AGREEMENT_TRANSITIONS, a, 'DRAFT', ['UNIT']), a).toEqual({ ok: false, reason: 'actor' })
    }
    expect(check(AGREEMENT_TRANSITIONS, 'CONFIRM', 'DRAFT', ['UNIT'])).toEqual({ ok: true, to: null })
    expect(check(AGREEMENT_TRANSITIONS, 'PROGRESS', 'ACTIVE', ['UNIT'])).toEqual({ ok: true, to: null })
  })

  it('should end EXPIRED and TERMINATED agreements for good, and refuse activating a draft', () => {
    for (const s of ['EXPIRED', 'TERMINATED'] as const) {
      for (const a of Object.keys(AGREEMENT_TRANSITIONS) as AgreementAction[]) {
        expect(check(AGREEMENT_TRANSITIONS, a, s, ['ORG_OFFICER', 'UNIT', 'SYSTEM']).ok, `${a} from ${s}`).toBe(false)
      }
    }
    expect(check(AGREEMENT_TRANSITIONS, 'ACTIVATE', 'DRAFT', ['ORG_OFFICER'])).toEqual({ ok: false, reason: 'state' })
    expect(check(AGREEMENT_TRANSITIONS, 'PROGRESS', 'SIGNED', ['UNIT'])).toEqual({ ok: false, reason: 'state' })
  })
})

describe('claims and projects', () => {
  it('should let only the deciding officer approve or reject a pending claim', () => {
    for (const s of Object.values(ClaimStatus)) {
      expect(check(CLAIM_TRANSITIONS, 'APPROVE', s, ['DECIDER']).ok, s).toBe(s === 'PENDING')
    }
    expect(check(CLAIM_TRANSITIONS, 'APPROVE', 'PENDING', ['CLAIMANT'])).toEqual({ ok: false, reason: 'actor' })
    expect(check(CLAIM_TRANSITIONS, 'WITHDRAW', 'PENDING', ['CLAIMANT'])).toEqual({ ok: true, to: 'WITHDRAWN' })
  })

  it('should complete a project at 100 % and count milestones down to whole shares', () => {
    expect(projectStateAt(99)).toBe('IN_PROGRESS')
    expect(projectStateAt(100)).toBe('COMPLETED')
    expect(milestoneShare(1, 3)).toBe(33)
    expect(milestoneShare(2, 3)).toBe(66)
    expect(milestoneShare(3, 3)).toBe(100)
    expect(milestoneShare(0, 0)).toBe(0)
    expect(check(PROJECT_TRANSITIONS, 'CANCEL', 'IN_PROGRESS', ['CONTRIBUTOR'])).toEqual({ ok: false, reason: 'actor' })
    expect(check(PROJECT_TRANSITIONS, 'PROGRESS', 'COMPLETED', ['OFFICER'])).toEqual({ ok: false, reason: 'state' })
  })

  it('should tell agreements that end within N days', () => {
    const now = new Date('2026-06-01T00:00:00Z')
    expect(expiresWithin(new Date('2026-06-10T00:00:00Z'), now, 10)).toBe(true)
    expect(expiresWithin(new Date('2026-06-12T00:00:00Z'), now, 10)).toBe(false)
    expect(expiresWithin(new Date('2026-05-31T00:00:00Z'), now, 10)).toBe(false)
  })
})
