// The SLA sweeper (督办): finds orders past their sign or completion deadline and cases past their
// own deadline, raises a Supervision, and raises it again one level up each time another SLA
// period passes unfinished. Safe with several instances (one transaction-level advisory lock per
// sweep) and stateless across restarts (everything it needs is in the rows).
import type { PrismaClient, Tx } from '../../db.js'
import type { Prisma } from '../../generated/prisma/client.js'
import { type JobDeps, periodicJob, type PeriodicJob, type PeriodicOptions, tryJobLock } from '../../shared/periodic.js'
import { appendEvent } from './case.service.js'
import { ACTIVE_ORDER, caseOverdue, overdueCases } from './transitions.js'
import { addresseeAudience, AfterCommit, regionAudiences } from './notify.js'

const SWEEP_LOCK = 0x736c6173 // "slas"
export const MAX_SUPERVISION_LEVEL = 3
/** Rows read per statement; a sweep reads on until every candidate was judged. */
const PAGE = 200
/**
 * Supervisions raised per transaction. A backlog — the first sweep over a loaded history, the hours
 * after an outage — is worked off in several short transactions, each committed, rather than one
 * that outlives its timeout and, rolled back, leaves the whole backlog for the next run to fail on.
 */
export const SWEEP_BATCH = 100

export interface OverdueDecision {
  kind: 'SIGN_OVERDUE' | 'COMPLETION_OVERDUE'
  level: number
}

/**
 * The level due for work started at `start` and due at `deadline`, once past it: 1 from the
 * deadline on, one more per further SLA period (deadline − start, at least a minute), capped.
 */
function levelDue(start: Date, deadline: Date, now: Date): number {
  const period = Math.max(deadline.getTime() - start.getTime(), 60_000)
  return Math.min(MAX_SUPERVISION_LEVEL, 1 + Math.floor((now.getTime() - deadline.getTime()) / period))
}

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
  const kind =
    active && o.completeBy <= now ? 'COMPLETION_OVERDUE' : signOpen && o.signBy <= now ? 'SIGN_OVERDUE' : null
  if (!kind) return null
  const level = levelDue(o.createdAt, kind === 'SIGN_OVERDUE' ? o.signBy : o.completeBy, now)
  return level > raised(kind) ? { kind, level } : null
}

/**
 * Pure rule: the level of supervision a case needs at `now` for its own deadline (办理期限), or
 * null. Overdue is exactly what the `overdue` field and filter say (transitions.caseOverdue), and
 * the levels rise like an order's, by periods of the case's SLA.
 */
export function caseSupervisionDue(
  c: Parameters<typeof caseOverdue>[0] & { createdAt: Date },
  now: Date,
  raised: number,
): number | null {
  if (!caseOverdue(c, now)) return null
  const level = levelDue(c.createdAt, c.deadline!, now)
  return level > raised ? level : null
}

/**
 * A case's own supervisions are `COMPLETION_OVERDUE` (超时未办结) with no order: the case was not
 * finished by its deadline. The read policy already shows such rows with the case.
 */
const CASE_SUPERVISION = { orderId: null, kind: 'COMPLETION_OVERDUE' } as const satisfies Prisma.SupervisionWhereInput

/** Walks `levels` steps up from a region (the street supervises a community, and so on). */
async function regionUp(prisma: PrismaClient, regionId: string, levels: number) {
  let region = await prisma.region.findUniqueOrThrow({ where: { id: regionId } })
  for (let i = 0; i < levels && region.parentId; i++)
    region = await prisma.region.findUniqueOrThrow({ where: { id: region.parentId } })
  return region
}

/**
 * Every row of a candidate query, a page at a time in (key, id) order: rows already raised to the
 * level due stay candidates until their next level, and must not crowd the others out of a page.
 */
async function* keyset<W, K extends string, R extends { id: string } & Record<K, Date | null>>(
  key: K,
  read: (after: W, take: number) => Promise<R[]>,
) {
  let after = {} as W
  for (;;) {
    const rows = await read(after, PAGE)
    yield* rows
    const last = rows.at(-1)
    if (rows.length < PAGE || !last) return
    after = { OR: [{ [key]: { gt: last[key] } }, { [key]: last[key], id: { gt: last.id } }] } as W
  }
}

interface SweepStep {
  tx: Tx
  prisma: PrismaClient
  now: Date
  after: AfterCommit /** Raise at most this many. */
  budget: number
}

async function superviseOrders({ tx, prisma, now, after, budget }: SweepStep): Promise<number> {
  if (budget <= 0) return 0
  const candidates = keyset('completeBy', (page: Prisma.DispatchOrderWhereInput, take) =>
    tx.dispatchOrder.findMany({
      where: {
        AND: [
          page,
          {
            status: { in: [...ACTIVE_ORDER] },
            OR: [
              {
                status: 'CREATED',
                signBy: { lte: now },
                supervisions: { none: { kind: 'SIGN_OVERDUE', level: MAX_SUPERVISION_LEVEL } },
              },
              {
                completeBy: { lte: now },
                supervisions: { none: { kind: 'COMPLETION_OVERDUE', level: MAX_SUPERVISION_LEVEL } },
              },
            ],
          },
        ],
      },
      include: {
        case: { include: { region: { select: { path: true } }, handlingRegion: { select: { path: true } } } },
        supervisions: { select: { kind: true, level: true } },
      },
      orderBy: [{ completeBy: 'asc' }, { id: 'asc' }],
      take,
    }),
  )
  let count = 0
  for await (const o of candidates) {
    const raised = (kind: OverdueDecision['kind']) =>
      Math.max(0, ...o.supervisions.filter((x) => x.kind === kind).map((x) => x.level))
    const due = supervisionDue(o, now, raised)
    if (!due) continue
    // only if the order is still in the state we judged (a sign may have landed meanwhile)
    const marked = await tx.dispatchOrder.updateMany({
      where: { id: o.id, status: o.status },
      data: {
        supervisionLevel: Math.max(o.supervisionLevel, due.level),
        lastSupervisedAt: now,
        version: { increment: 1 },
      },
    })
    if (marked.count !== 1) continue
    // level 1 goes to the level handling the case; each further level one region up
    const region = await regionUp(prisma, o.case.handlingRegionId, due.level - 1)
    const what =
      due.kind === 'SIGN_OVERDUE'
        ? `not signed by ${o.signBy.toISOString()}`
        : `not completed by ${o.completeBy.toISOString()}`
    await tx.supervision.create({
      data: {
        caseId: o.caseId,
        orderId: o.id,
        kind: due.kind,
        level: due.level,
        regionId: region.id,
        note: `督办 L${due.level}: order ${what}`,
      },
    })
    await appendEvent(tx, {
      caseId: o.caseId,
      orderId: o.id,
      actorId: null,
      action: `SUPERVISE_L${due.level}`,
      from: o.status,
      to: o.status,
      note: `${due.kind} → ${region.name}`,
    })
    after.orderUpdated(o.id, [
      ...addresseeAudience(o),
      ...regionAudiences(o.case.region.path, o.case.handlingRegion.path, region.path),
    ])
    after.caseUpdated(o.caseId)
    if (++count >= budget) break
  }
  return count
}

async function superviseCases({ tx, prisma, now, after, budget }: SweepStep): Promise<number> {
  if (budget <= 0) return 0
  const candidates = keyset('deadline', (page: Prisma.CaseWhereInput, take) =>
    tx.case.findMany({
      where: {
        AND: [
          page,
          overdueCases(now),
          { supervisions: { none: { ...CASE_SUPERVISION, level: MAX_SUPERVISION_LEVEL } } },
        ],
      },
      select: {
        id: true,
        status: true,
        version: true,
        deadline: true,
        createdAt: true,
        handlingRegionId: true,
        supervisions: { where: CASE_SUPERVISION, select: { level: true } },
      },
      orderBy: [{ deadline: 'asc' }, { id: 'asc' }],
      take,
    }),
  )
  let count = 0
  for await (const c of candidates) {
    const level = caseSupervisionDue(c, now, Math.max(0, ...c.supervisions.map((s) => s.level)))
    if (!level) continue
    // Only the case as we judged it (any transition, an extension too, bumps its version), held
    // until commit; a case someone is changing right now is left to the next sweep. No version bump:
    // a supervision is not a transition, and must not turn an officer's next step into StaleVersion.
    const held = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM "Case" WHERE id = ${c.id}::uuid AND version = ${c.version} FOR UPDATE SKIP LOCKED`
    if (held.length !== 1) continue
    const region = await regionUp(prisma, c.handlingRegionId, level - 1)
    await tx.supervision.create({
      data: {
        caseId: c.id,
        ...CASE_SUPERVISION,
        level,
        regionId: region.id,
        note: `督办 L${level}: case not finished by its deadline ${c.deadline!.toISOString()}`,
      },
    })
    await appendEvent(tx, {
      caseId: c.id,
      actorId: null,
      action: `SUPERVISE_L${level}`,
      from: c.status,
      to: c.status,
      note: `CASE_OVERDUE → ${region.name}`,
    })
    after.caseUpdated(c.id)
    if (++count >= budget) break
  }
  return count
}

/** One sweep: batches of at most `batch` supervisions, one transaction each, until nothing more is due. */
export async function sweepOverdue(deps: JobDeps, now = new Date(), batch = SWEEP_BATCH): Promise<number> {
  const { prisma } = deps
  let total = 0
  for (;;) {
    const after = new AfterCommit()
    const raised = await prisma.$transaction(
      async (tx) => {
        if (!(await tryJobLock(tx, SWEEP_LOCK))) return null // another instance is sweeping
        const step = { tx, prisma, now, after, budget: batch }
        const orders = await superviseOrders(step)
        return orders + (await superviseCases({ ...step, budget: batch - orders }))
      },
      { timeout: 30_000 },
    )
    await after.flush(deps.pubsub, deps.log)
    if (raised === null) break
    total += raised
    if (raised < batch) break
  }
  if (total) deps.log?.info({ raised: total }, 'supervisions raised')
  return total
}

/** Runs the sweep every `intervalMs` until stopped. */
export function createSlaSweeper(deps: JobDeps & PeriodicOptions): PeriodicJob {
  return periodicJob('SLA sweep', () => sweepOverdue(deps), deps)
}
