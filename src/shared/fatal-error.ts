// The one kind of failure a process reports as it is, in its own words and without a stack, before
// exiting with 1: an invalid configuration, a database the server cannot use, a port it cannot
// listen on, an admin command refused. Anything else is unexpected, and shows where it came from.

/** A failure whose message says what is wrong and what to do; printed without a stack. */
export class FatalError extends Error {}

/** An error's message; an AggregateError without one (every address of a host refused) joins its errors'. */
export function errorMessage(e: unknown): string {
  if (e instanceof AggregateError && !e.message) return e.errors.map(errorMessage).join('; ')
  return e instanceof Error ? e.message : String(e)
}

/** An error's stack, then its causes' in turn: what `verbose` prints. */
function trace(e: unknown): string[] {
  const out: string[] = []
  for (let cause = e; cause instanceof Error && out.length < 10; cause = cause.cause)
    out.push(`${out.length ? 'Caused by: ' : ''}${cause.stack ?? cause.message}`)
  return out
}

/**
 * What to print for a failure that ends a process: a FatalError's message as it is (and, verbose,
 * its cause's trace); anything else prefixed with `context` on one line, with its stack and causes
 * only when `verbose`.
 */
export function describeFailure(e: unknown, context: string, verbose = false): string {
  const message = errorMessage(e)
  // a FatalError says what to do; its cause (the driver's error, say) is for verbose output only
  if (e instanceof FatalError) return verbose && e.cause ? [message, ...trace(e.cause)].join('\n') : message
  const line = `${context}: ${message.split('\n')[0]}`
  return verbose ? [line, ...trace(e)].join('\n') : `${line} (LOG_LEVEL=debug shows the stack)`
}
