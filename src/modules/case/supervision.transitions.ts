// The addressee's side of a supervision notice (督办): it signs for it (签收督办), then answers it
// (答复: why the work is late and what it will do), each once and in this order. Pure data for
// shared/state-machine.ts, beside the case and order tables of transitions.ts.
import type { SupervisionStatus } from '../../generated/prisma/enums.js'
import type { Transition } from './transitions.js'

export type SupervisionAction = 'ACKNOWLEDGE' | 'ANSWER'

/** ADDRESSEE: the staff of the department the supervised order is addressed to, or its grid worker. */
export const SUPERVISION_TRANSITIONS: Record<SupervisionAction, Transition<SupervisionStatus>> = {
  ACKNOWLEDGE: { from: ['OPEN'], to: 'ACKNOWLEDGED', actors: ['ADDRESSEE'] },
  ANSWER: { from: ['ACKNOWLEDGED'], to: 'ANSWERED', actors: ['ADDRESSEE'] },
}

/** Supervisions still waiting for the addressee's answer (待答复). */
export const UNANSWERED: readonly SupervisionStatus[] = ['OPEN', 'ACKNOWLEDGED']
