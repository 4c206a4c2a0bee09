// A background job run every `intervalMs` inside the server process: one run at a time, errors
// logged rather than thrown, timers unref'd so they never hold the process open, and a stop that
// waits for the run in flight. Multi-instance safety is the job's own business (advisory locks).
import type { Logger } from '../logger.js'

export interface PeriodicJob { start(): void; stop(): Promise<void> }

/** An interval of 0 turns the job off (it can still be run by hand, e.g. through `app.jobs`). */
export function periodicJob(name: string, run: () => Promise<unknown>, opts: { intervalMs: number; log: Logger }): PeriodicJob {
  if (opts.intervalMs <= 0) return { start() {}, async stop() {} }
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> | undefined
  const tick = () => {
    if (running) return
    running = run().catch((e) => opts.log.error({ err: e }, `${name} failed`)).finally(() => { running = undefined })
  }
  return {
    start() { timer = setInterval(tick, opts.intervalMs); timer.unref(); tick() },
    async stop() { clearInterval(timer); await running },
  }
}
