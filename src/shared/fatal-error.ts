// The one kind of failure a process reports as it is, in its own words and without a stack, before
// exiting with 1: an invalid configuration, a database the server cannot use, a port it cannot
// listen on, an admin command refused. Anything else is unexpected, and shows where it came from.

/** A failure whose message says what is wrong and what to do; printed without a stack. */
export class FatalError extends Error {}

/**
 * What to print for a failure that ends a process: a FatalError's message as it is; anything else
 * prefixed with `context` on one line, with its stack only when `verbose`.
 */
export function describeFailure(e: unknown, context: string, verbose = false): string {
  const message = e instanceof Error ? e.message : String(e)
  if (e instanceof FatalError) return message
  const stack = e instanceof Error ? e.stack : undefined
  return `${context}: ${message.split('\n')[0]}${verbose && stack ? `\n${stack}` : verbose ? '' : ' (LOG_LEVEL=debug shows the stack)'}`
}
