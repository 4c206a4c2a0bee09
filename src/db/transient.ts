// Which database failures are transient: the server or the network went away, or every connection
// is busy. A request that meets one is answered "503, retry later"; a live feed waits and retries.
// Anything else (a constraint, a bad query, a wrong password) is a real error and is not retried.
import { Prisma } from '../generated/prisma/client.js'

/** Prisma's codes for "cannot reach / lost / timed out waiting for a connection or a transaction". */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028'])
/** @prisma/adapter-pg's error kinds for the same. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'])
/** SQLSTATE classes 08 (connection exception), 57P01–57P03 (shutdown, cannot connect now), 53300 (too many connections). */
const SQLSTATE = /^(08...|57P0[123]|53300)$/
/** Socket errors: refused, reset, timed out, or a host that does not resolve or route yet (a container still starting). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
  'EPIPE',
])
/** node-postgres and pg-pool raise these as plain errors, without a code. */
const MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Can't reach database server|connect ECONNREFUSED|read ECONNRESET|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Unable to start a transaction in the given time|Transaction already closed/i

/** Answered while the database is away: a typed, retryable error (HTTP 503 with Retry-After). */
export const UNAVAILABLE = {
  message: 'The database is unavailable; retry shortly',
  code: 'common/unavailable',
  retryAfterSeconds: 5,
} as const

export function isTransientDbError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && PRISMA_CODES.has(e.code)) return true
    if (e instanceof Prisma.PrismaClientInitializationError) return true
    const cause = (
      e as { meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string; code?: string } } } }
    ).meta?.driverAdapterError?.cause
    if (cause && (ADAPTER_KINDS.has(cause.kind ?? '') || SQLSTATE.test(cause.originalCode ?? cause.code ?? '')))
      return true
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && (SQLSTATE.test(code) || NETWORK_CODES.has(code))) return true
    if (e instanceof Error && MESSAGES.test(e.message)) return true
    e = (e as { cause?: unknown; originalError?: unknown }).originalError ?? (e as { cause?: unknown }).cause
  }
  return false
}
