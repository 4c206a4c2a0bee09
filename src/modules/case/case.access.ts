// Who may act on a case or an order (the transition tables' actors). Who may read them is the
// read policy's business (case.policy.ts).
import type { Context } from '../../context.js'
import { hasRole } from '../../auth/viewer.js'
import type { Actor } from './transitions.js'

interface CaseRow {
  id: string
  gridId: string
  regionId: string
  handlingRegionId: string
  reporterId: string | null
  createdById: string
  source: string
}

/** Order actions that make their actor a handler of the case. */
const HANDLING = ['SIGN', 'ARRIVE', 'COMPLETE'] as const
interface OrderRow {
  departmentId: string | null
  assigneeId: string | null
}

/** How the viewer relates to a case (and, optionally, one of its orders). */
export async function actorsFor(
  ctx: Context,
  c: CaseRow,
  order?: OrderRow,
  opts: { handler?: boolean } = {},
): Promise<Actor[]> {
  const v = ctx.viewer
  if (!v) return []
  const actors: Actor[] = []
  if (await ctx.access.managesRegion(c.handlingRegionId))
    actors.push('OFFICER', ...(c.source === 'HOTLINE' ? ['HOTLINE_OFFICER' as const] : []))
  if (c.reporterId === v.userId) actors.push('REPORTER')
  if (hasRole(v, 'GRID_WORKER') && v.gridIds.includes(c.gridId)) actors.push('GRID_WORKER')
  if (
    order &&
    ((order.assigneeId && order.assigneeId === v.userId) ||
      (order.departmentId && hasRole(v, 'DEPARTMENT_STAFF') && v.departmentId === order.departmentId))
  )
    actors.push('ADDRESSEE')
  // asked for only by the actions HANDLER bars, and only grid workers and department staff work orders
  if (
    opts.handler &&
    hasRole(v, 'GRID_WORKER', 'DEPARTMENT_STAFF') &&
    (await ctx.prisma.caseEvent.count({
      where: { caseId: c.id, actorId: v.userId, orderId: { not: null }, action: { in: [...HANDLING] } },
    }))
  )
    actors.push('HANDLER')
  return actors
}
