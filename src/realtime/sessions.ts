// Open WebSockets and SSE subscriptions end with their credentials: when the token they were
// opened with expires, and when the account behind it is deactivated, removed, or its roles or
// scopes change (the client reconnects and gets the new grants). A socket closes with 4403
// (Forbidden); an SSE stream sends one last event with the reason (`auth/session-ended`) and ends.
// Changes are found at once for a change reported through the account directory, and by one
// statement per periodic check for every account with an open session, whatever their number.
import { GraphQLError, type ExecutionResult } from 'graphql'
import { isAsyncIterable, type Plugin } from 'graphql-yoga'
import type { Context } from '../context.js'
import type { Logger } from '../logger.js'
import type { Viewer } from '../auth/viewer.js'
import { grantsKey, type AccountDirectory } from '../auth/accounts.js'
import { periodicJob } from '../shared/periodic.js'
import { UUID } from '../shared/relay.js'

export const FORBIDDEN_CLOSE = 4403

/** What the guard ends: a WebSocket, or an SSE subscription (see useSseSessions). */
export interface Session {
  close(code: number, reason: string): void
}

/** setTimeout's longest delay (about 24.8 days). */
const MAX_DELAY = 2 ** 31 - 1

export interface SessionGuard {
  /** Watches a session for this viewer's expiry and deactivation (a socket may carry several viewers). */
  watch(session: Session, viewer: Viewer): void
  forget(session: Session): void
  /** Ends the sessions of accounts deactivated or changed (of these, or all watched); returns how many. */
  check(userIds?: readonly string[]): Promise<number>
  start(): void
  stop(): Promise<void>
}

export function createSessionGuard(opts: {
  accounts: AccountDirectory
  log: Logger
  intervalMs: number
}): SessionGuard {
  const log = opts.log.child({ component: 'sessions' })
  /** Each watched account's sessions, with the grants key of the viewer each was opened as. */
  const byUser = new Map<string, Map<Session, string | undefined>>()
  const bySocket = new Map<Session, { users: Set<string>; expiresAt?: number; timer?: NodeJS.Timeout }>()

  function close(socket: Session, reason: string) {
    socket.close(FORBIDDEN_CLOSE, reason)
  }

  const guard: SessionGuard = {
    watch(socket, viewer) {
      let entry = bySocket.get(socket)
      if (!entry) bySocket.set(socket, (entry = { users: new Set() }))
      entry.users.add(viewer.userId)
      let sockets = byUser.get(viewer.userId)
      if (!sockets) byUser.set(viewer.userId, (sockets = new Map()))
      sockets.set(socket, viewer.grantsKey)
      // the earliest expiry of the socket's viewers wins
      if (viewer.expiresAt !== undefined && (entry.expiresAt === undefined || viewer.expiresAt < entry.expiresAt)) {
        entry.expiresAt = viewer.expiresAt
        clearTimeout(entry.timer)
        const ms = viewer.expiresAt - Date.now()
        if (ms <= 0) close(socket, 'Token expired')
        else if (ms <= MAX_DELAY) entry.timer = setTimeout(() => close(socket, 'Token expired'), ms)
      }
    },
    forget(socket) {
      const entry = bySocket.get(socket)
      if (!entry) return
      bySocket.delete(socket)
      clearTimeout(entry.timer)
      for (const u of entry.users) {
        const sockets = byUser.get(u)
        sockets?.delete(socket)
        if (sockets && !sockets.size) byUser.delete(u)
      }
    },
    async check(userIds) {
      const ids = (userIds ?? [...byUser.keys()]).filter((id) => UUID.test(id) && byUser.has(id))
      if (!ids.length) return 0
      const now = await opts.accounts.refresh(ids)
      let closed = 0
      for (const id of ids) {
        const grants = now.get(id)
        const reason = !grants ? 'Account removed' : !grants.active ? 'Account deactivated' : null
        const key = grants && grantsKey(grants)
        for (const [socket, opened] of byUser.get(id) ?? []) {
          if (reason || (opened !== undefined && opened !== key)) {
            close(socket, reason ?? 'Account changed; reconnect')
            closed++
          }
        }
      }
      if (closed) log.info({ sessions: closed }, 'ended the sessions of deactivated or changed accounts')
      return closed
    },
    ...periodicJob('session check', () => guard.check(), { intervalMs: opts.intervalMs, log }),
  }
  // a change reported by any instance is checked at once for the sockets open here
  opts.accounts.onChange((userId) => {
    if (byUser.has(userId))
      guard.check([userId]).catch((e: unknown) => log.warn({ err: e, userId }, 'session check failed'))
  })
  return guard
}

/**
 * Ends SSE subscriptions with their credentials, as the guard closes WebSockets (which it watches by
 * their socket): a subscription over HTTP is watched as a session of its own, and when the guard
 * ends it the stream sends one last event, the reason as an `auth/session-ended` error, and ends.
 */
export function useSseSessions(guard: SessionGuard): Plugin {
  return {
    onSubscribe({ args }) {
      // a WebSocket's context carries its socket (app.ts), which the guard watches instead
      const ctx = args.contextValue as unknown as Context & { socket?: unknown }
      const viewer = ctx.viewer
      if (ctx.socket || !viewer) return
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return
          const ending = endable(result, (reason) => ({
            errors: [new GraphQLError(reason, { extensions: { code: 'auth/session-ended' } })],
          }))
          setResult(
            ending.stream({
              start: () => guard.watch(ending.session, viewer),
              end: () => guard.forget(ending.session),
            }),
          )
        },
      }
    },
  }
}

/**
 * A stream that a session's `close` ends: the next read gets `last(reason)`, then the stream is
 * done. The session is watched (`start`) from the stream's first read and let go (`end`), with the
 * source returned, as soon as it ends however it ends: closed (even with no read waiting), returned
 * by the client (even while a read waits on a quiet source), or failed (the error goes on to the
 * client). Reads are served one at a time.
 */
export function endable(source: AsyncIterable<ExecutionResult>, last: (reason: string) => ExecutionResult) {
  let reason: string | undefined
  /** Wakes the read waiting on the source: the session was closed, or the stream returned. */
  let wake: (() => void) | undefined
  let release: () => void = () => {}
  return {
    session: {
      close: (_code: number, why: string) => {
        reason ??= why
        if (wake) wake()
        else release()
      },
    } satisfies Session,
    stream(hooks: { start(): void; end(): void }): AsyncIterableIterator<ExecutionResult> {
      const it = source[Symbol.asyncIterator]()
      let started = false
      let ended = false
      let returned = false
      let done = false
      const DONE = { value: undefined, done: true } as const
      release = () => {
        if (started && !ended) {
          ended = true
          hooks.end()
        }
        if (returned) return
        returned = true
        Promise.resolve()
          .then(() => it.return?.())
          .catch(() => {})
      }
      const finish = () => {
        done = true
        release()
        wake?.()
      }
      const read = async (): Promise<IteratorResult<ExecutionResult>> => {
        if (done) return DONE
        if (!started) {
          started = true
          hooks.start() // closes at once for a token already expired
        }
        if (reason === undefined && !returned) {
          const next = await new Promise<IteratorResult<ExecutionResult> | null>((resolve, reject) => {
            wake = () => resolve(null)
            it.next().then(resolve, (e: unknown) => {
              reject(e)
              finish()
            })
          })
          wake = undefined
          if (next && !next.done) return next
          if (next || reason === undefined) {
            finish()
            return DONE
          }
        }
        finish()
        return reason === undefined ? DONE : { value: last(reason), done: false }
      }
      let queue: Promise<unknown> = Promise.resolve()
      const self: AsyncIterableIterator<ExecutionResult> = {
        [Symbol.asyncIterator]: () => self,
        next() {
          const result = queue.then(read)
          queue = result.catch(() => {})
          return result
        },
        async return() {
          finish()
          return DONE
        },
      }
      return self
    },
  }
}
