import { describe, expect, it } from 'vitest'
import { SupervisionStatus } from '../../../src/generated/prisma/enums.js'
import type { Actor } from '../../../src/modules/case/transitions.js'
import {
  SUPERVISION_TRANSITIONS,
  UNANSWERED,
  type SupervisionAction,
} from '../../../src/modules/case/supervision.transitions.js'
import { check } from '../../../src/shared/state-machine.js'

const STATES = Object.values(SupervisionStatus)
const ACTORS: Actor[] = ['OFFICER', 'HOTLINE_OFFICER', 'REPORTER', 'GRID_WORKER', 'ADDRESSEE', 'HANDLER', 'SYSTEM']
const ACTIONS = Object.keys(SUPERVISION_TRANSITIONS) as SupervisionAction[]

/** Every path the table allows from OPEN, as the actions taken. */
function paths(from: SupervisionStatus, taken: SupervisionAction[] = []): SupervisionAction[][] {
  const next = ACTIONS.flatMap((a) => {
    const c = check(SUPERVISION_TRANSITIONS, a, from, ['ADDRESSEE'])
    return c.ok ? [[a, c.to ?? from] as const] : []
  })
  return next.length ? next.flatMap(([a, to]) => paths(to, [...taken, a])) : [taken]
}

describe('the supervision table (督办签收与答复)', () => {
  it('should let the addressee sign for a notice and then answer it, once each and in this order', () => {
    expect(paths('OPEN')).toEqual([['ACKNOWLEDGE', 'ANSWER']])
    expect(check(SUPERVISION_TRANSITIONS, 'ACKNOWLEDGE', 'OPEN', ['ADDRESSEE'])).toEqual({
      ok: true,
      to: 'ACKNOWLEDGED',
    })
    expect(check(SUPERVISION_TRANSITIONS, 'ANSWER', 'ACKNOWLEDGED', ['ADDRESSEE'])).toEqual({
      ok: true,
      to: 'ANSWERED',
    })
  })

  it('should refuse a step from any other state as a state error, and leave ANSWERED final', () => {
    for (const action of ACTIONS) {
      for (const state of STATES.filter((s) => !SUPERVISION_TRANSITIONS[action].from.includes(s))) {
        expect(check(SUPERVISION_TRANSITIONS, action, state, ['ADDRESSEE']), `${action} from ${state}`).toEqual({
          ok: false,
          reason: 'state',
        })
      }
      expect(check(SUPERVISION_TRANSITIONS, action, 'ANSWERED', ACTORS).ok).toBe(false)
    }
  })

  it('should let nobody but the addressee act, whatever the state (officers supervise, they do not answer)', () => {
    for (const action of ACTIONS) {
      for (const state of STATES) {
        expect(
          check(
            SUPERVISION_TRANSITIONS,
            action,
            state,
            ACTORS.filter((a) => a !== 'ADDRESSEE'),
          ),
        ).toEqual({ ok: false, reason: 'actor' })
      }
    }
  })

  it('should count as unanswered exactly the states an answer can still come from', () => {
    const canBeAnswered = STATES.filter((s) => paths(s).some((p) => p.includes('ANSWER')))
    expect([...UNANSWERED].sort()).toEqual(canBeAnswered.sort())
  })
})
