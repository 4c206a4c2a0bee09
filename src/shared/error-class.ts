// Which errors are the client's doing and which are ours, for the log: expected client errors
// (typed domain errors, bad tokens, invalid documents, limits) are logged at info with their code;
// a database away at warn; anything else at error with its stack. Walks the wrapping chain
// (GraphQLError.originalError, Error.cause) a few levels deep.
import { GraphQLError } from 'graphql'
import { AuthError } from '../auth/jwt.js'
import { isTransientDbError } from '../db/transient.js'
import { BaseError } from './errors.js'

export type ErrorClass = 'client' | 'unavailable' | 'unexpected'

export function classifyError(e: unknown): ErrorClass {
  let current = e
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof BaseError || current instanceof AuthError) return 'client'
    if (isTransientDbError(current) || (current as Error).name === 'RetryLaterError') return 'unavailable'
    const next = (current as { originalError?: unknown }).originalError ?? (current as { cause?: unknown }).cause
    // a GraphQLError that wraps nothing was raised by GraphQL itself or by us on purpose: a bad document, a limit
    if (!next && current instanceof GraphQLError) return 'client'
    current = next
  }
  return 'unexpected'
}

/** The code a client saw or would see, for the log line. */
export function errorCode(e: unknown): string | undefined {
  let current = e
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof BaseError) return current.code
    const code = (current as { extensions?: { code?: unknown } }).extensions?.code
    if (typeof code === 'string') return code
    current = (current as { originalError?: unknown }).originalError ?? (current as { cause?: unknown }).cause
  }
  return undefined
}
