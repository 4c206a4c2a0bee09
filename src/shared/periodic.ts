// A background job run every `intervalMs` inside the server process: one run at a time, errors
// logged rather than thrown, timers unref'd so they never hold the process open, and a stop that
// waits for the run in flight. Multi-instance safety is the job's own business (advisory locks).
import type { PrismaClient, Tx } from '../db.js'
import type { Logger } from '../logger.js'
import type { AppPubSub } from '../pubsub.js'

/** What a background job works with: the trusted client, the bus it publishes on after commit, the log. */
export interface JobDeps {
  prisma: PrismaClient
  pubsub: AppPubSub
  log?: Logger
}

/**
 * Takes the job's transaction-scoped advisory lock unless another instance holds it: false means
 * another instance is running the job now, and this run has nothing to do.
 */
export async function tryJobLock(tx: Tx, key: number): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${key}) AS locked`
  return !!row?.locked
}

export interface PeriodicJob {
  start(): void
  stop(): Promise<void>
}

/** Told how each run of a background job went (the metrics count runs, failures and durations). */
export type JobObserver = (job: string, run: { ok: boolean; seconds: number }) => void

export interface PeriodicOptions {
  intervalMs: number
  log: Logger
  observe?: JobObserver
}

/** Runs `run` and tells `observe` how it went; the result or the error passes through. */
export async function observed<T>(job: string, run: () => Promise<T>, observe: JobObserver | undefined): Promise<T> {
  const at = performance.now()
  const tell = (ok: boolean) => observe?.(job, { ok, seconds: (performance.now() - at) / 1000 })
  let result: T
  try {
    result = await run()
  } catch (e) {
    tell(false)
    throw e
  }
  tell(true)
  return result
}

/** An interval of 0 turns the job off (it can still be run by hand, e.g. through `app.jobs`). */
export function periodicJob(name: string, run: () => Promise<unknown>, opts: PeriodicOptions): PeriodicJob {
  if (opts.intervalMs <= 0) return { start() {}, async stop() {} }
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> | undefined
  const tick = () => {
    if (running) return
    running = observed(name, run, opts.observe)
      .catch((e) => opts.log.error({ err: e }, `${name} failed`))
      .finally(() => {
        running = undefined
      })
  }
  return {
    start() {
      timer = setInterval(tick, opts.intervalMs)
      timer.unref()
      tick()
    },
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
