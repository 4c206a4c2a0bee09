// Row-level rules for cases and orders (DESIGN §5): a department sees only orders addressed to it
// and the cases behind them; a grid worker their grids; an officer their region subtree; a
// resident only their own cases.
import type { Context } from '../../context.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { hasRole, isAdmin, OFFICER_ROLES } from '../../auth/viewer.js'
import type { Actor } from './transitions.js'

const isOfficer = (ctx: Context) => hasRole(ctx.viewer, ...OFFICER_ROLES)


/** `where` on Case for reading; null = every case. */
export async function caseReadWhere(ctx: Context): Promise<Prisma.CaseWhereInput | null> {
  const v = ctx.viewer
  if (!v) return { id: { in: [] } }
  if (isAdmin(v)) return null
  const or: Prisma.CaseWhereInput[] = [{ reporterId: v.userId }, { createdById: v.userId }]
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ region: regions }, { handlingRegion: regions })
  if (hasRole(v, 'GRID_WORKER')) {
    if (v.gridIds.length) or.push({ gridId: { in: [...v.gridIds] } })
    or.push({ orders: { some: { assigneeId: v.userId } } })
  }
  if (hasRole(v, 'DEPARTMENT_STAFF') && v.departmentId) or.push({ orders: { some: { departmentId: v.departmentId } } })
  return { OR: or }
}

/** `where` on DispatchOrder for reading; null = every order. */
export async function orderReadWhere(ctx: Context): Promise<Prisma.DispatchOrderWhereInput | null> {
  const v = ctx.viewer
  if (!v) return { id: { in: [] } }
  if (isAdmin(v)) return null
  const or: Prisma.DispatchOrderWhereInput[] = [{ assigneeId: v.userId }]
  if (hasRole(v, 'DEPARTMENT_STAFF') && v.departmentId) or.push({ departmentId: v.departmentId })
  const regions = await ctx.access.officerRegionWhere()
  if (regions) or.push({ case: { region: regions } }, { case: { handlingRegion: regions } })
  if (hasRole(v, 'GRID_WORKER') && v.gridIds.length) or.push({ case: { gridId: { in: [...v.gridIds] } } })
  return { OR: or }
}

interface CaseRow { id: string; gridId: string; regionId: string; handlingRegionId: string; reporterId: string | null; createdById: string }
interface OrderRow { departmentId: string | null; assigneeId: string | null }

async function inSubtree(ctx: Context, regionId: string) {
  const path = await ctx.access.regionPath(regionId)
  return !!path && ctx.access.inRegionSubtree(path)
}

/** How the viewer relates to a case (and, optionally, one of its orders). */
export async function actorsFor(ctx: Context, c: CaseRow, order?: OrderRow): Promise<Actor[]> {
  const v = ctx.viewer
  if (!v) return []
  const actors: Actor[] = []
  if (isAdmin(v) || (isOfficer(ctx) && (await inSubtree(ctx, c.handlingRegionId)))) actors.push('OFFICER')
  if (c.reporterId === v.userId) actors.push('REPORTER')
  if (hasRole(v, 'GRID_WORKER') && v.gridIds.includes(c.gridId)) actors.push('GRID_WORKER')
  if (order && ((order.assigneeId && order.assigneeId === v.userId)
    || (order.departmentId && hasRole(v, 'DEPARTMENT_STAFF') && v.departmentId === order.departmentId))) actors.push('ADDRESSEE')
  return actors
}

export async function canReadCase(ctx: Context, c: CaseRow): Promise<boolean> {
  const v = ctx.viewer
  if (!v) return false
  if (isAdmin(v) || c.reporterId === v.userId || c.createdById === v.userId) return true
  if (hasRole(v, 'GRID_WORKER') && v.gridIds.includes(c.gridId)) return true
  if (isOfficer(ctx) && ((await inSubtree(ctx, c.regionId)) || (await inSubtree(ctx, c.handlingRegionId)))) return true
  const orders = await ctx.prisma.dispatchOrder.count({ where: { caseId: c.id, OR: [{ assigneeId: v.userId }, ...(v.departmentId && hasRole(v, 'DEPARTMENT_STAFF') ? [{ departmentId: v.departmentId }] : [])] } })
  return orders > 0
}

export async function canReadOrder(ctx: Context, o: OrderRow & { caseId: string }): Promise<boolean> {
  const v = ctx.viewer
  if (!v) return false
  if (isAdmin(v) || o.assigneeId === v.userId) return true
  if (o.departmentId && hasRole(v, 'DEPARTMENT_STAFF') && v.departmentId === o.departmentId) return true
  const c = await ctx.prisma.case.findUnique({ where: { id: o.caseId }, select: { id: true, gridId: true, regionId: true, handlingRegionId: true, reporterId: true, createdById: true } })
  if (!c) return false
  if (hasRole(v, 'GRID_WORKER') && v.gridIds.includes(c.gridId)) return true
  return isOfficer(ctx) && ((await inSubtree(ctx, c.regionId)) || (await inSubtree(ctx, c.handlingRegionId)))
}
