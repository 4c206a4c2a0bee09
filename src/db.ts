import { createHash } from 'node:crypto'
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaClient } from './generated/prisma/client.js'
import { Prisma } from './generated/prisma/client.js'
import { ConflictError, NotFoundError } from './shared/errors.js'
import { pgConfig } from './db/schema-engine.js'

export { Prisma, PrismaClient }
export type Tx = Prisma.TransactionClient

/**
 * Under contention (many requests moving the same activity, stock or account row) transactions
 * queue for a pooled connection and then for the row lock; Prisma's defaults (2 s to get a
 * connection, 5 s to finish) turn such a queue into masked errors, so both waits are longer.
 */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 20_000 }

export interface PrismaOptions {
  poolSize?: number
  /**
   * Keep each distinct statement prepared on the connection that ran it (default true): PostgreSQL
   * then parses and plans a policed, joined statement once per connection instead of per request.
   * Off for poolers that do not keep a session (PgBouncer in transaction mode).
   */
  preparedStatements?: boolean
  /** Called with every SQL statement sent (tests and the bench count statements per request). */
  onQuery?: (sql: string) => void
}

export function createPrisma(url: string, opts: PrismaOptions = {}): PrismaClient {
  const { cfg, opts: adapterOpts } = pgConfig(url)
  const prepared = opts.preparedStatements ?? true
  // our own pool (ended with the client) so that its figures can be read: poolStats, /metrics
  // a connection is replaced after PREPARED_USES queries, so the statements it keeps stay bounded
  const pool = new pg.Pool({
    ...cfg,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    ...(prepared ? { maxUses: PREPARED_USES, options: CUSTOM_PLANS } : {}),
  })
  const adapter = new PrismaPg(pool, {
    ...adapterOpts,
    disposeExternalPool: true,
    ...(prepared ? { statementNameGenerator: statementName } : {}),
  })
  const client = opts.onQuery
    ? new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS, log: [{ emit: 'event', level: 'query' }] })
    : new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS })
  if (opts.onQuery) {
    const onQuery = opts.onQuery
    ;(client as PrismaClient<'query'>).$on('query', (e) => onQuery(e.query))
  }
  pools.set(client, pool)
  return client
}

const pools = new WeakMap<PrismaClient, pg.Pool>()

/** The client's connection pool: connections open, idle, and callers waiting for one. */
export function poolStats(client: PrismaClient): { total: number; idle: number; waiting: number } | undefined {
  const pool = pools.get(client)
  return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }
}

/**
 * Prepared statements, planned for their parameters every time. After five executions PostgreSQL
 * may switch a prepared statement to a generic plan, costed without the parameters' values; for the
 * assessment statements (a region path, a period) that plan ran a district's year in 22–67 s instead
 * of 0.8 s, on the sixth request. Planning stays cheap next to the parse it still saves.
 */
const CUSTOM_PLANS = '-c plan_cache_mode=force_custom_plan'

/** Queries a pooled connection runs before it is replaced (and its prepared statements with it). */
const PREPARED_USES = 20_000

/** Statement names by text: the texts are the application's few hundred query shapes, hashed once each. */
const statementNames = new Map<string, string>()
const MAX_STATEMENT_NAMES = 5_000

/** The name of a prepared statement: its text's hash, so the same text reuses it on a connection. */
function statementName(query: { sql: string }): string {
  let name = statementNames.get(query.sql)
  if (!name) {
    name = `g${createHash('sha1').update(query.sql).digest('base64url')}`
    if (statementNames.size >= MAX_STATEMENT_NAMES) statementNames.clear()
    statementNames.set(query.sql, name)
  }
  return name
}

/** A unique-index violation (P2002): a twin request or a taken slot, for callers that resolve it themselves. */
export const isUniqueViolation = (e: unknown) => e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002'

/** Maps Prisma's known request errors to typed domain errors; everything else is rethrown. */
export function mapPrismaError(e: unknown, entity: string): never {
  if (e instanceof Prisma.PrismaClientKnownRequestError) {
    if (e.code === 'P2002') {
      const target = (e.meta?.target ??
        (e.meta as { driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } })?.driverAdapterError
          ?.cause?.constraint?.fields) as string[] | string | undefined
      throw new ConflictError(
        `${entity} with the same ${Array.isArray(target) ? target.join(', ') : (target ?? 'key')} already exists`,
      )
    }
    if (e.code === 'P2025') throw new NotFoundError(entity)
    if (e.code === 'P2003') throw new NotFoundError(`${entity} reference`)
  }
  throw e
}
