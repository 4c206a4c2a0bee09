// The SLA sweeper (督办): finds orders past their sign or completion deadline, raises a
// Supervision, and raises it again one level up each time another SLA period passes unfinished.
// Safe with several instances (one transaction-level advisory lock per sweep) and stateless
// across restarts (everything it needs is in the rows).
import type { PrismaClient } from '../../db.js'
import type { Logger } from '../../logger.js'
import type { AppPubSub } from '../../pubsub.js'
import { periodicJob, type PeriodicJob, type PeriodicOptions } from '../../shared/periodic.js'
import { appendEvent } from './case.service.js'
import { ACTIVE_ORDER } from './transitions.js'
import { addresseeAudience, AfterCommit, regionAudiences } from './notify.js'

const SWEEP_LOCK = 0x736c6173 // "slas"
export const MAX_SUPERVISION_LEVEL = 3

export interface OverdueDecision { kind: 'SIGN_OVERDUE' | 'COMPLETION_OVERDUE'; level: number }

/**
 * Pure rule: the supervision an order needs at `now`, or null. Level n is due once the deadline
 * has passed by (n − 1) further SLA periods; each level of each kind is raised once. `raised`
 * gives the level already raised per kind (a late sign must not hide a late completion).
 */
export function supervisionDue(
  o: { status: string; signBy: Date; completeBy: Date; createdAt: Date; supervisionLevel: number },
  now: Date,
  raised: (kind: OverdueDecision['kind']) => number = () => o.supervisionLevel,
): OverdueDecision | null {
  const signOpen = o.status === 'CREATED'
  const active = (ACTIVE_ORDER as readonly string[]).includes(o.status)
  const kind = active && o.completeBy <= now ? 'COMPLETION_OVERDUE' : signOpen && o.signBy <= now ? 'SIGN_OVERDUE' : null
  if (!kind) return null
  const deadline = kind === 'SIGN_OVERDUE' ? o.signBy : o.completeBy
  const period = Math.max(deadline.getTime() - o.createdAt.getTime(), 60_000)
  const level = Math.min(MAX_SUPERVISION_LEVEL, 1 + Math.floor((now.getTime() - deadline.getTime()) / period))
  return level > raised(kind) ? { kind, level } : null
}

/** Walks `levels` steps up from a region (the street supervises a community, and so on). */
async function regionUp(prisma: PrismaClient, regionId: string, levels: number) {
  let region = await prisma.region.findUniqueOrThrow({ where: { id: regionId } })
  for (let i = 0; i < levels && region.parentId; i++) region = await prisma.region.findUniqueOrThrow({ where: { id: region.parentId } })
  return region
}

export async function sweepOverdue(deps: { prisma: PrismaClient; pubsub: AppPubSub; log?: Logger }, now = new Date()): Promise<number> {
  const { prisma } = deps
  const after = new AfterCommit()
  const raised = await prisma.$transaction(async (tx) => {
    const lock = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK}) AS locked`
    if (!lock[0]?.locked) return 0 // another instance is sweeping
    const candidates = await tx.dispatchOrder.findMany({
      where: {
        status: { in: [...ACTIVE_ORDER] },
        OR: [
          { status: 'CREATED', signBy: { lte: now }, supervisions: { none: { kind: 'SIGN_OVERDUE', level: MAX_SUPERVISION_LEVEL } } },
          { completeBy: { lte: now }, supervisions: { none: { kind: 'COMPLETION_OVERDUE', level: MAX_SUPERVISION_LEVEL } } },
        ],
      },
      include: {
        case: { include: { region: { select: { path: true } }, handlingRegion: { select: { path: true } } } },
        supervisions: { select: { kind: true, level: true } },
      },
      orderBy: { completeBy: 'asc' },
      take: 200,
    })
    let count = 0
    for (const o of candidates) {
      const raised = (kind: OverdueDecision['kind']) => Math.max(0, ...o.supervisions.filter((x) => x.kind === kind).map((x) => x.level))
      const due = supervisionDue(o, now, raised)
      if (!due) continue
      // only if the order is still in the state we judged (a sign may have landed meanwhile)
      const marked = await tx.dispatchOrder.updateMany({
        where: { id: o.id, status: o.status },
        data: { supervisionLevel: Math.max(o.supervisionLevel, due.level), lastSupervisedAt: now, version: { increment: 1 } },
      })
      if (marked.count !== 1) continue
      // level 1 goes to the level handling the case; each further level one region up
      const region = await regionUp(prisma, o.case.handlingRegionId, due.level - 1)
      const what = due.kind === 'SIGN_OVERDUE' ? `not signed by ${o.signBy.toISOString()}` : `not completed by ${o.completeBy.toISOString()}`
      await tx.supervision.create({ data: { caseId: o.caseId, orderId: o.id, kind: due.kind, level: due.level, regionId: region.id, note: `督办 L${due.level}: order ${what}` } })
      await appendEvent(tx, { caseId: o.caseId, orderId: o.id, actorId: null, action: `SUPERVISE_L${due.level}`, from: o.status, to: o.status, note: `${due.kind} → ${region.name}` })
      after.orderUpdated(o.id, [...addresseeAudience(o), ...regionAudiences(o.case.region.path, o.case.handlingRegion.path, region.path)])
      after.caseUpdated(o.caseId)
      count++
    }
    return count
  }, { timeout: 30_000 })
  after.flush(deps.pubsub)
  if (raised) deps.log?.info({ raised }, 'supervisions raised')
  return raised
}

/** Runs the sweep every `intervalMs` until stopped. */
export function createSlaSweeper(deps: { prisma: PrismaClient; pubsub: AppPubSub } & PeriodicOptions): PeriodicJob {
  return periodicJob('SLA sweep', () => sweepOverdue(deps), deps)
}
