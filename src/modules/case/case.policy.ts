// Read policies of cases and dispatch (DESIGN §5). A case is read whole by its reporter and the
// account that filed it, officers of its (or its handling) region subtree and grid workers of its
// grid. Departments and assigned workers read the cases behind their orders, but of those cases only
// the case-level rows and the rows of their own orders: never another department's notes, results,
// reasons or supervisions.
import type { Prisma } from '../../generated/prisma/client.js'
import {
  anyOf,
  definePolicies,
  NO_ROWS,
  officerRegions,
  staffDepartmentOf,
  widenPolicy,
  workerGridsOf,
} from '../../auth/policy.js'
import type { Viewer } from '../../auth/viewer.js'

/** Orders addressed to the viewer: to their department, or to them as the assigned worker. */
export const ownOrders = (v: Viewer): Prisma.DispatchOrderWhereInput => {
  const dept = staffDepartmentOf(v)
  return anyOf<Prisma.DispatchOrderWhereInput>([{ assigneeId: v.userId }, dept && { departmentId: dept }])
}

/** Cases the viewer reads whole (every event, order and supervision). */
const wholeCase = (v: Viewer): Prisma.CaseWhereInput => {
  const regions = officerRegions(v)
  const grids = workerGridsOf(v)
  return anyOf<Prisma.CaseWhereInput>([
    { reporterId: v.userId },
    { createdById: v.userId },
    regions && { region: regions },
    regions && { handlingRegion: regions },
    grids.length > 0 && { gridId: { in: grids } },
  ])
}

/** Cases the viewer reads: whole, or through an order addressed to them. */
export const caseRule = (v: Viewer): Prisma.CaseWhereInput => ({
  OR: [wholeCase(v), { orders: { some: ownOrders(v) } }],
})

/** Rows of a case that belong to the case or to one of its orders: events and supervisions. */
const caseOrOrderChild = (v: Viewer) => ({
  OR: [{ case: wholeCase(v) }, { orderId: null, case: { orders: { some: ownOrders(v) } } }, { order: ownOrders(v) }],
})

export const orderRule = (v: Viewer): Prisma.DispatchOrderWhereInput => ({ OR: [ownOrders(v), { case: wholeCase(v) }] })

/** A department's webhooks, deliveries and attempts: its own staff (and admins). */
const webhookRule = (v: Viewer): Prisma.WebhookEndpointWhereInput => {
  const dept = staffDepartmentOf(v)
  return dept ? { departmentId: dept } : NO_ROWS
}

export const casePolicies = definePolicies({
  Case: caseRule,
  DispatchOrder: orderRule,
  CaseEvent: caseOrOrderChild,
  Supervision: caseOrOrderChild,
  CaseFeedback: (v) => ({ case: caseRule(v) }),
  CaseApproval: (v) => ({ case: caseRule(v) }),
  CaseCategory: () => true,
  RoutingRule: () => true,
  WebhookEndpoint: webhookRule,
  WebhookDelivery: (v) => ({ endpoint: webhookRule(v) }),
  WebhookAttempt: (v) => ({ delivery: { endpoint: webhookRule(v) } }),
})

/**
 * A case's grid (`Case.grid`, never null) is read by whoever reads the case through their own work,
 * wherever it lies: a grid worker's patrol report or an officer's report outside what they serve, a
 * department's order on a case of another region, an order its worker keeps after their assignment
 * ended. Officers of the case's (or handling) region read its grid by the grid rule already.
 */
widenPolicy('Grid', (v) => ({
  cases: { some: { OR: [{ reporterId: v.userId }, { createdById: v.userId }, { orders: { some: ownOrders(v) } }] } },
}))
