// A step announces its change after the transaction committed, and the change stands whatever
// happens to the announcement. Reading the audiences can fail (the database just went away), and so
// can the bus; answering that failure to the client would report a step that happened as one that
// did not, and its retry would meet a stale version. So a failure is logged, not thrown: the feeds
// resume from the database by cursor, and other subscribers see the change on their next read.
import type { Logger } from '../logger.js'

/**
 * Runs a committed change's announcement (`job`); a failure is logged with `what` it announced.
 * Without a log (a script run outside the server) the failure is the caller's.
 */
export async function announce(log: Logger | undefined, what: string, job: () => unknown): Promise<void> {
  try {
    await job()
  } catch (e) {
    if (!log) throw e
    log.error({ err: e, announcing: what }, 'a committed change could not be announced to subscribers')
  }
}
