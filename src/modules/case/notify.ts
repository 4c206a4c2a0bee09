// Notifications collected inside a transaction and published only after it commits.
import type { Logger } from '../../logger.js'
import type { AppPubSub, Audience } from '../../pubsub.js'
import { announce } from '../../shared/announce.js'

export class AfterCommit {
  #jobs: ((pubsub: AppPubSub) => void | Promise<void>)[] = []

  caseUpdated(caseId: string) {
    this.#jobs.push((p) => {
      p.publish('case:updated', caseId, { id: caseId })
      p.publish('cases:moved', { id: caseId })
    })
  }

  orderUpdated(id: string, audiences: Audience[]) {
    this.#jobs.push((p) => {
      for (const a of audiences) p.publish('dispatch:updated', a, { id })
    })
  }

  /** Work after the commit; `flush` waits for what it returns (e.g. the sequencer's round). */
  andThen(job: () => void | Promise<void>) {
    this.#jobs.push(() => job())
  }

  /** Runs the jobs; one that fails is logged, never the committed step's answer (see announce). */
  async flush(pubsub: AppPubSub, log: Logger | undefined) {
    await Promise.all(this.#jobs.splice(0).map((job) => announce(log, 'case', () => job(pubsub))))
  }
}

/** Region audiences of a case: every ancestor of its community and of its handling region. */
export function regionAudiences(...paths: string[]): Audience[] {
  const ids = new Set(paths.flatMap((p) => p.split('/').filter(Boolean)))
  return [...ids].map((id) => `region:${id}` as const)
}

export function addresseeAudience(o: { departmentId: string | null; assigneeId: string | null }): Audience[] {
  return [
    ...(o.departmentId ? [`department:${o.departmentId}` as const] : []),
    ...(o.assigneeId ? [`user:${o.assigneeId}` as const] : []),
  ]
}
