// The activity clock (活动状态随时间推进): a published activity becomes ONGOING at its start, and an
// ongoing one the organizer left open becomes FINISHED `AUTO_FINISH_AFTER_MS` after its end, its
// never-checked-in signups NO_SHOW, exactly as if the organizer had finished it. Safe with several
// instances (one transaction-level advisory lock per run, each move guarded by the version it read)
// and stateless across restarts (the times are in the rows).
import type { ActivityStatus } from '../../generated/prisma/enums.js'
import { type JobDeps, periodicJob, type PeriodicJob, type PeriodicOptions, tryJobLock } from '../../shared/periodic.js'
import { check } from '../../shared/state-machine.js'
import { closeSignups } from './activity.service.js'
import { appendEvent, publishActivity } from './events.js'
import { ACTIVITY_TRANSITIONS, AUTO_FINISH_AFTER_MS, type ActivityAction } from './transitions.js'

const CLOCK_LOCK = 0x61637476 // "actv"
const BATCH = 500

/** Moves every activity whose time has come at `now`; returns how many moved. */
export async function advanceActivities(deps: JobDeps, now = new Date()): Promise<number> {
  const moved = await deps.prisma.$transaction(
    async (tx) => {
      if (!(await tryJobLock(tx, CLOCK_LOCK))) return [] // another instance is advancing
      const due = await tx.volunteerActivity.findMany({
        where: {
          OR: [
            { status: 'PUBLISHED', startsAt: { lte: now } },
            { status: 'ONGOING', endsAt: { lte: new Date(now.getTime() - AUTO_FINISH_AFTER_MS) } },
          ],
        },
        select: { id: true, status: true, version: true },
        orderBy: { startsAt: 'asc' },
        take: BATCH,
      })
      const ids: string[] = []
      for (const a of due) {
        const action: ActivityAction = a.status === 'PUBLISHED' ? 'START' : 'FINISH'
        const verdict = check(ACTIVITY_TRANSITIONS, action, a.status, ['SYSTEM'])
        if (!verdict.ok || !verdict.to) continue
        // an organizer's step may have landed since the read: only the state and version judged move
        const { count } = await tx.volunteerActivity.updateMany({
          where: { id: a.id, status: a.status, version: a.version },
          data: {
            status: verdict.to as ActivityStatus,
            version: { increment: 1 },
            ...(action === 'FINISH' ? { closedAt: now } : {}),
          },
        })
        if (count !== 1) continue
        await appendEvent(tx, {
          entity: 'VolunteerActivity',
          entityId: a.id,
          actorId: null,
          action,
          from: a.status,
          to: verdict.to,
          note: action === 'START' ? 'start time reached' : 'left open after its end',
        })
        if (action === 'FINISH') await closeSignups(tx, a.id, ['SIGNED_UP'], 'NO_SHOW', null, 'activity finished')
        ids.push(a.id)
      }
      return ids
    },
    { timeout: 30_000 },
  )
  for (const id of moved) publishActivity(deps, id)
  if (moved.length) deps.log?.info({ moved: moved.length }, 'activities advanced by the clock')
  return moved.length
}

export function createActivityClock(deps: JobDeps & PeriodicOptions): PeriodicJob {
  return periodicJob('activity clock', () => advanceActivities(deps), deps)
}
