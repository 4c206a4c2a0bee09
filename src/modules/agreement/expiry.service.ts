// Agreement expiry (协议到期): at the end of its term an ACTIVE agreement — or a SIGNED one that was
// never activated — becomes EXPIRED, with a system step on its timeline, published after commit.
// Safe with several instances (one transaction-level advisory lock per run; each move is also
// guarded by the version it read) and stateless across restarts (the term is in the row).
import type { AgreementStatus } from '../../generated/prisma/enums.js'
import { type JobDeps, periodicJob, type PeriodicJob, type PeriodicOptions, tryJobLock } from '../../shared/periodic.js'
import { check } from '../../shared/state-machine.js'
import { appendAgreementEvent, publishAgreements } from './agreement.service.js'
import { AGREEMENT_TRANSITIONS } from './transitions.js'

const EXPIRY_LOCK = 0x61677265 // "agre"
const BATCH = 500

/** Expires every agreement whose term ended at or before `now`, the step dated `now`; returns how many moved. */
export async function expireAgreements(deps: JobDeps, now = new Date()): Promise<number> {
  const { prisma } = deps
  const from = AGREEMENT_TRANSITIONS.EXPIRE.from as AgreementStatus[]
  const expired = await prisma.$transaction(
    async (tx) => {
      if (!(await tryJobLock(tx, EXPIRY_LOCK))) return [] // another instance is expiring
      const due = await tx.jointAgreement.findMany({
        where: { status: { in: from }, endsAt: { lte: now } },
        select: { id: true, status: true, version: true, endsAt: true },
        orderBy: { endsAt: 'asc' },
        take: BATCH,
      })
      const moved: string[] = []
      for (const a of due) {
        const verdict = check(AGREEMENT_TRANSITIONS, 'EXPIRE', a.status, ['SYSTEM'])
        if (!verdict.ok || !verdict.to) continue
        // a user's step may have landed since the read: only the state and version judged move
        const { count } = await tx.jointAgreement.updateMany({
          where: { id: a.id, status: a.status, version: a.version },
          data: { status: verdict.to as AgreementStatus, closedAt: now, version: { increment: 1 } },
        })
        if (count !== 1) continue
        await appendAgreementEvent(tx, {
          agreementId: a.id,
          actorId: null,
          action: 'EXPIRE',
          from: a.status,
          to: verdict.to,
          note: `term ended ${a.endsAt.toISOString()}`,
          at: now,
        })
        moved.push(a.id)
      }
      return moved
    },
    { timeout: 30_000 },
  )
  await publishAgreements(deps, ...expired)
  if (expired.length) deps.log?.info({ expired: expired.length }, 'agreements expired')
  return expired.length
}

/** Runs the expiry every `intervalMs` until stopped. */
export function createAgreementExpirer(deps: JobDeps & PeriodicOptions): PeriodicJob {
  return periodicJob('agreement expiry', () => expireAgreements(deps), deps)
}
