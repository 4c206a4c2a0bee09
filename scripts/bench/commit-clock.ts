// When each dispatch transaction commits, seen from the statement-counting proxy: a connection
// that binds an INSERT into "DispatchOrder" carrying a known case id, and then sends COMMIT, has
// committed that case's dispatch at that moment. Only the frontend protocol is read (Parse, Bind,
// Execute, Query), so it works with named prepared statements, unnamed ones and simple queries.
import type { FrontendTap } from './sql-counter.js'

const PARSE = 'P'.charCodeAt(0)
const BIND = 'B'.charCodeAt(0)
const EXECUTE = 'E'.charCodeAt(0)
const QUERY = 'Q'.charCodeAt(0)

const INSERT_ORDER = /^\s*INSERT\s+INTO\s+(?:"?\w+"?\.)?"?DispatchOrder"?[\s(]/i
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

interface Connection {
  /** Prepared statement name → text ('' = the unnamed one). */
  statements: Map<string, string>
  /** The statement bound to the portal about to execute, and its parameters' case ids. */
  bound?: { sql: string; caseIds: string[] }
  /** Case ids whose orders this connection's open transaction inserted. */
  pending: string[]
}

/** A C string at `offset` of `body`, and the offset after its terminator. */
function cstring(body: Buffer, offset: number): [string, number] {
  const end = body.indexOf(0, offset)
  return [body.toString('utf8', offset, end), end + 1]
}

export interface CommitClock {
  /** Give it every frontend message from the proxy's start: prepared statements are named once per connection. */
  tap: FrontendTap
  /** Starts watching for the dispatches of these cases (row ids). */
  watch(caseIds: Iterable<string>): void
  /** The time (ms, `performance.timeOrigin` based) COMMIT was sent for the dispatch of this case. */
  committedAt(caseId: string): number | undefined
}

export function commitClock(): CommitClock {
  const known = new Set<string>()
  const commits = new Map<string, number>()
  const connections = new Map<number, Connection>()
  const ran = (c: Connection, sql: string, ids: string[], at: number) => {
    if (INSERT_ORDER.test(sql)) c.pending.push(...ids)
    else if (/^\s*COMMIT\b/i.test(sql)) {
      for (const id of c.pending) if (!commits.has(id)) commits.set(id, at)
      c.pending = []
    } else if (/^\s*(ROLLBACK|BEGIN)\b/i.test(sql)) c.pending = []
  }
  const tap: FrontendTap = (connection, type, body) => {
    if (type !== PARSE && type !== BIND && type !== EXECUTE && type !== QUERY) return
    const at = performance.timeOrigin + performance.now()
    let c = connections.get(connection)
    if (!c) connections.set(connection, (c = { statements: new Map(), pending: [] }))
    if (type === PARSE) {
      const [name, next] = cstring(body, 0)
      c.statements.set(name, cstring(body, next)[0])
    } else if (type === BIND) {
      const [, next] = cstring(body, 0)
      const sql = c.statements.get(cstring(body, next)[0]) ?? ''
      // Only an order insert needs its parameters (text format): the case id among them.
      const caseIds = INSERT_ORDER.test(sql)
        ? (body.toString('latin1').match(UUID) ?? []).map((u) => u.toLowerCase()).filter((u) => known.has(u))
        : []
      c.bound = { sql, caseIds }
    } else if (type === EXECUTE) {
      if (c.bound) ran(c, c.bound.sql, c.bound.caseIds, at)
    } else {
      ran(c, cstring(body, 0)[0], [], at)
    }
  }
  return {
    tap,
    watch: (caseIds) => {
      for (const id of caseIds) known.add(id.toLowerCase())
    },
    committedAt: (caseId) => commits.get(caseId.toLowerCase()),
  }
}
