// The dispatch feed's sequence, assigned after commit.
//
// A dispatching transaction commits its orders unnumbered and takes no lock beyond its own rows, so
// dispatches of two streets never wait for each other. After the commit, the writer asks the
// sequencer for a round and awaits it: one statement (`number_dispatch_orders`, in the migration
// 20261207130000) numbers every committed unnumbered order under a lock held to its commit, so
// numbers follow commit order, and queues each order's webhook deliveries in the same statement.
// The round then publishes `dispatch:created` to each order's audiences (the feed readers wake).
//
// Rounds coalesce: a call while a round runs joins the next one, so under load one statement
// numbers the orders of many dispatches. Any instance's round numbers every instance's orders; an
// order whose writer died before its round is numbered by the next round of any instance, and each
// sequencer runs one round when it starts. A failed round is retried with backoff until it succeeds.
import type { PrismaClient } from '../../db.js'
import type { Logger } from '../../logger.js'
import type { AppPubSub } from '../../pubsub.js'
import { backoffDelay, pause } from '../../shared/backoff.js'
import { addresseeAudience, regionAudiences } from './notify.js'

/** The lock `number_dispatch_orders` holds to its commit; anything else numbering orders (the history seed) takes it too. */
export const ORDER_SEQ_LOCK = 0x6f726465 // "orde"

/** Orders numbered per statement; a round repeats until fewer are left. */
const BATCH = 500

/**
 * How long a writer waits for its round after its commit. Its write is durable already and the order
 * will be numbered by that round or a later one; past this the mutation answers rather than wait out
 * a database outage or a long-held lock.
 */
const RUN_WAIT_MS = 2_000

interface NumberedOrder {
  id: string
  seq: bigint
  departmentId: string | null
  assigneeId: string | null
  regionPath: string
  handlingPath: string | null
  deliveries: number
}

export interface OrderSequencer {
  /**
   * Numbers every order committed before this call: resolves once a round that started after the
   * call has committed, or after RUN_WAIT_MS at most. Never rejects: a failed round is logged and
   * retried in the background.
   */
  run(): Promise<void>
  /** Called after a round that queued webhook deliveries (the webhook worker's kick). */
  onDeliveries(kick: () => void): () => void
  stop(): void
}

export function createOrderSequencer(deps: { prisma: PrismaClient; pubsub: AppPubSub; log: Logger }): OrderSequencer {
  const log = deps.log.child({ component: 'order-sequencer' })
  const kicks = new Set<() => void>()
  const abort = new AbortController()
  let current: Promise<boolean> | null = null
  let next: Promise<boolean> | null = null

  async function numberOnce(): Promise<number> {
    const rows = await deps.prisma.$queryRaw<NumberedOrder[]>`SELECT * FROM number_dispatch_orders(${BATCH}::integer)`
    // numbered and committed: a failure to notify must not make the round look failed (nothing would
    // be left for a retry to publish); readers and the webhook worker also poll
    try {
      let deliveries = 0
      for (const r of rows) {
        const payload = { id: r.id, seq: r.seq.toString() }
        for (const a of [...addresseeAudience(r), ...regionAudiences(r.regionPath, r.handlingPath ?? '')])
          deps.pubsub.publish('dispatch:created', a, payload)
        deliveries += r.deliveries
      }
      if (deliveries) for (const kick of kicks) kick()
    } catch (e) {
      log.error({ err: e }, 'numbered dispatch orders could not be announced; readers will find them by polling')
    }
    return rows.length
  }

  /** One round: numbers until nothing is left; false when a statement failed. */
  async function round(): Promise<boolean> {
    try {
      while ((await numberOnce()) === BATCH);
      return true
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'numbering dispatch orders failed; retrying in the background')
      return false
    }
  }

  /** A round that starts after this call: the running one's successor, shared by every caller meanwhile. */
  function schedule(): Promise<boolean> {
    if (abort.signal.aborted) return Promise.resolve(true)
    if (!current) {
      current = round().finally(() => {
        current = null
      })
      void current.then((ok) => {
        if (!ok) void retry()
      })
      return current
    }
    next ??= current.then(() => {
      next = null
      return schedule()
    })
    return next
  }

  let retrying = false
  async function retry() {
    if (retrying) return
    retrying = true
    try {
      for (let attempt = 1; !abort.signal.aborted; attempt++) {
        await pause(backoffDelay(attempt), abort.signal)
        if (!abort.signal.aborted && (await schedule())) return
      }
    } finally {
      retrying = false
    }
  }

  const run = async () => {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      schedule(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, RUN_WAIT_MS)
      }),
    ])
    clearTimeout(timer)
  }
  void run()
  return {
    run,
    onDeliveries(kick) {
      kicks.add(kick)
      return () => kicks.delete(kick)
    },
    /** No round starts after this; a running one finishes on its own. */
    stop() {
      abort.abort()
    },
  }
}
