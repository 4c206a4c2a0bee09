// The explicit transition tables (state × action × actor) of DESIGN §3 for cases and dispatch
// orders. Pure data and functions: the services check every write against them.
import { Prisma } from '../../generated/prisma/client.js'
import type { CaseStatus, DispatchOrderStatus, DispatchRole } from '../../generated/prisma/enums.js'
import type { Transition as SharedTransition } from '../../shared/state-machine.js'

/**
 * How the caller relates to the row. Officers: street/community officers in scope (and admins);
 * HOTLINE_OFFICER: an officer in scope of a hotline case (who records the caller's satisfaction);
 * REPORTER: the resident who reported the case; GRID_WORKER: a worker of the case's grid;
 * ADDRESSEE: the department staff or grid worker an order is addressed to; HANDLER: whoever signed,
 * arrived at or completed one of the case's orders; SYSTEM: the server.
 */
export type Actor = 'OFFICER' | 'HOTLINE_OFFICER' | 'REPORTER' | 'GRID_WORKER' | 'ADDRESSEE' | 'HANDLER' | 'SYSTEM'

export type CaseAction =
  | 'ACCEPT'
  | 'REJECT'
  | 'DISPATCH'
  | 'RESOLVE'
  | 'VERIFY_PASS'
  | 'VERIFY_FAIL'
  | 'FEEDBACK_SATISFIED'
  | 'FEEDBACK_UNSATISFIED'
  | 'CLOSE'
  | 'ESCALATE'
  | 'SUSPEND'
  | 'RESUME'
  | 'EXTEND'
  | 'RECALL'

/** A row of a table; `to: null` keeps the current state (escalation, extension, further dispatch). */
export type Transition<S extends string> = SharedTransition<S, Actor>

const OPEN_CASE: readonly CaseStatus[] = ['REPORTED', 'ACCEPTED', 'DISPATCHED', 'RESOLVED', 'REOPENED']

// A DISPATCHED case always has an open order: DISPATCH creates one at least, VERIFY_FAIL creates
// the rework orders (reworkOf) in the same transaction, and a case left with none open, by a
// cancellation or a resumption, is settled at once (settledBy: RESOLVE or RECALL).
export const CASE_TRANSITIONS: Record<CaseAction, Transition<CaseStatus>> = {
  ACCEPT: { from: ['REPORTED', 'REOPENED'], to: 'ACCEPTED', actors: ['OFFICER'] },
  REJECT: { from: ['REPORTED'], to: 'REJECTED', actors: ['OFFICER'] },
  DISPATCH: { from: ['ACCEPTED', 'DISPATCHED'], to: 'DISPATCHED', actors: ['OFFICER'] },
  RESOLVE: { from: ['DISPATCHED'], to: 'RESOLVED', actors: ['SYSTEM'] },
  /** Every order was cancelled or moved away and none completed: the case awaits a new dispatch. */
  RECALL: { from: ['DISPATCHED'], to: 'ACCEPTED', actors: ['SYSTEM'] },
  // nobody verifies or rates their own work: both feed the satisfaction figures of assessment
  VERIFY_PASS: { from: ['RESOLVED'], to: 'VERIFIED', actors: ['OFFICER', 'GRID_WORKER'], excluded: ['HANDLER'] },
  VERIFY_FAIL: { from: ['RESOLVED'], to: 'DISPATCHED', actors: ['OFFICER', 'GRID_WORKER'], excluded: ['HANDLER'] },
  FEEDBACK_SATISFIED: {
    from: ['VERIFIED'],
    to: 'CLOSED',
    actors: ['REPORTER', 'HOTLINE_OFFICER'],
    excluded: ['HANDLER'],
  },
  FEEDBACK_UNSATISFIED: {
    from: ['VERIFIED'],
    to: 'REOPENED',
    actors: ['REPORTER', 'HOTLINE_OFFICER'],
    excluded: ['HANDLER'],
  },
  CLOSE: { from: ['VERIFIED'], to: 'CLOSED', actors: ['OFFICER'] },
  ESCALATE: { from: ['REPORTED', 'ACCEPTED', 'DISPATCHED', 'REOPENED'], to: null, actors: ['OFFICER'] },
  SUSPEND: { from: ['ACCEPTED', 'DISPATCHED'], to: 'SUSPENDED', actors: ['OFFICER'] },
  RESUME: { from: ['SUSPENDED'], to: null, actors: ['OFFICER'] },
  EXTEND: { from: OPEN_CASE, to: null, actors: ['OFFICER'] },
}

export type OrderAction = 'SIGN' | 'ARRIVE' | 'COMPLETE' | 'RETURN' | 'TRANSFER' | 'CANCEL'

export const ORDER_TRANSITIONS: Record<OrderAction, Transition<DispatchOrderStatus>> = {
  SIGN: { from: ['CREATED'], to: 'SIGNED', actors: ['ADDRESSEE'] },
  ARRIVE: { from: ['SIGNED'], to: 'ON_SITE', actors: ['ADDRESSEE'] },
  COMPLETE: { from: ['SIGNED', 'ON_SITE'], to: 'COMPLETED', actors: ['ADDRESSEE'] },
  RETURN: { from: ['CREATED', 'SIGNED'], to: 'RETURNED', actors: ['ADDRESSEE'] },
  TRANSFER: { from: ['CREATED', 'SIGNED', 'RETURNED'], to: 'TRANSFERRED', actors: ['OFFICER'] },
  CANCEL: { from: ['CREATED', 'SIGNED', 'ON_SITE', 'RETURNED'], to: 'CANCELLED', actors: ['OFFICER'] },
}

/** Orders still expected to produce work; a case resolves when none is left and one completed. */
export const ACTIVE_ORDER: readonly DispatchOrderStatus[] = ['CREATED', 'SIGNED', 'ON_SITE']

/** A case may resolve when it has at least one completed order and none still open: active, or
 *  returned and waiting for the dispatcher to transfer or cancel it. */
export function readyToResolve(orderStatuses: readonly DispatchOrderStatus[]): boolean {
  return orderStatuses.includes('COMPLETED') && !orderStatuses.some((s) => ACTIVE_ORDER.includes(s) || s === 'RETURNED')
}

/** What the orders of a dispatched case say about it: resolved, back to awaiting dispatch, or nothing yet. */
export function settledBy(orderStatuses: readonly DispatchOrderStatus[]): 'RESOLVE' | 'RECALL' | null {
  if (readyToResolve(orderStatuses)) return 'RESOLVE'
  return orderStatuses.length > 0 && orderStatuses.every((s) => s === 'CANCELLED' || s === 'TRANSFERRED')
    ? 'RECALL'
    : null
}

/**
 * The orders a failed verification sends back (返工): those the verifier names, which must be
 * completed orders of the case; by default the latest completed lead (主办) order — the lead answers
 * for the result — or, without one, the latest completed order. Each comes back as a new order to
 * the same addressee (see verifyCase), so the work is signed for, tracked and swept like any order.
 */
export function reworkOf<
  O extends { id: string; role: DispatchRole; status: DispatchOrderStatus; completedAt: Date | null },
>(
  orders: readonly O[],
  named?: readonly string[] | null,
): { ok: true; orders: O[] } | { ok: false; notRedoable: string[] } {
  const completed = orders.filter((o) => o.status === 'COMPLETED')
  if (named?.length) {
    const notRedoable = named.filter((id) => !completed.some((o) => o.id === id))
    return notRedoable.length
      ? { ok: false, notRedoable }
      : { ok: true, orders: completed.filter((o) => named.includes(o.id)) }
  }
  const latest = (os: O[]) =>
    os.reduce<O | null>(
      (a, o) => (!a || (o.completedAt?.getTime() ?? 0) > (a.completedAt?.getTime() ?? 0) ? o : a),
      null,
    )
  const pick = latest(completed.filter((o) => o.role === 'LEAD')) ?? latest(completed)
  return pick ? { ok: true, orders: [pick] } : { ok: false, notRedoable: [] }
}

/**
 * States in which a case is not running against its deadline (办理期限): finished (REJECTED, CLOSED),
 * done and awaiting the check or the rating (RESOLVED, VERIFIED), or suspended (SUSPENDED: the clock
 * stops, and resuming moves the deadline). In every other state it is someone's open work. The
 * `overdue` field and filter and the SLA sweeper all read this one rule.
 */
export const OFF_THE_CLOCK: readonly CaseStatus[] = ['CLOSED', 'REJECTED', 'VERIFIED', 'RESOLVED', 'SUSPENDED']

/** Past its deadline (strictly) and on the clock (超期). */
export const caseOverdue = (c: { status: CaseStatus; deadline: Date | null }, now: Date): boolean =>
  !!c.deadline && c.deadline < now && !OFF_THE_CLOCK.includes(c.status)

/** `caseOverdue` as a `where`: the overdue cases, or (`false`) every other one. */
export const overdueCases = (now: Date, overdue = true): Prisma.CaseWhereInput =>
  overdue
    ? { deadline: { lt: now }, status: { notIn: [...OFF_THE_CLOCK] } }
    : { OR: [{ deadline: null }, { deadline: { gte: now } }, { status: { in: [...OFF_THE_CLOCK] } }] }

/** An order past a deadline (超期): unsigned after signBy, or open after completeBy. */
export const orderOverdue = (o: { status: DispatchOrderStatus; signBy: Date; completeBy: Date }, now: Date): boolean =>
  (o.status === 'CREATED' && o.signBy < now) || (ACTIVE_ORDER.includes(o.status) && o.completeBy < now)

/** `orderOverdue` as a `where`. */
export const overdueOrders = (now: Date): Prisma.DispatchOrderWhereInput => ({
  OR: [
    { status: 'CREATED', signBy: { lt: now } },
    { status: { in: [...ACTIVE_ORDER] }, completeBy: { lt: now } },
  ],
})

/** `caseOverdue` in SQL, over the columns of a "Case" row aliased `c`. */
export const caseOverdueSql = (c: string, now: Date) =>
  Prisma.sql`(${Prisma.raw(`${c}.deadline`)} < ${now}::timestamp AND NOT ${Prisma.raw(`${c}.status`)}::text = ANY(${[...OFF_THE_CLOCK]}::text[]))`

/** `orderOverdue` in SQL, over the columns of a "DispatchOrder" row aliased `o`. */
export const orderOverdueSql = (o: string, now: Date) => {
  const col = (name: string) => Prisma.raw(`${o}."${name}"`)
  return Prisma.sql`((${col('status')} = 'CREATED' AND ${col('signBy')} < ${now}::timestamp) OR (${col('status')}::text = ANY(${[...ACTIVE_ORDER]}::text[]) AND ${col('completeBy')} < ${now}::timestamp))`
}

/** Cases someone still has to act on (未结): every state but the two final ones, CLOSED and REJECTED. */
export const FINISHED_CASE: readonly CaseStatus[] = ['CLOSED', 'REJECTED']

/** Feedback of 3 or more out of 5 closes the case; less reopens it. */
export const feedbackAction = (satisfaction: number): CaseAction =>
  satisfaction >= 3 ? 'FEEDBACK_SATISFIED' : 'FEEDBACK_UNSATISFIED'

/** Hours after `from`, as a Date. */
export const addHours = (from: Date, hours: number) => new Date(from.getTime() + hours * 3_600_000)
