// Notifications collected inside a transaction and published only after it commits.
import type { AppPubSub, Audience } from '../../pubsub.js'

export class AfterCommit {
  #jobs: ((pubsub: AppPubSub) => void)[] = []

  caseUpdated(caseId: string) {
    this.#jobs.push((p) => {
      p.publish('case:updated', caseId, { id: caseId })
      p.publish('cases:moved', { id: caseId })
    })
  }

  orderCreated(id: string, seq: bigint, audiences: Audience[]) {
    this.#jobs.push((p) => { for (const a of audiences) p.publish('dispatch:created', a, { id, seq: seq.toString() }) })
  }

  orderUpdated(id: string, audiences: Audience[]) {
    this.#jobs.push((p) => { for (const a of audiences) p.publish('dispatch:updated', a, { id }) })
  }

  then(job: () => void) {
    this.#jobs.push(() => job())
  }

  flush(pubsub: AppPubSub) {
    for (const job of this.#jobs.splice(0)) job(pubsub)
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
