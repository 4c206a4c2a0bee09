// Open WebSockets end with their credentials (close code 4403 Forbidden): when the token they were
// opened with expires, and when the account behind it is deactivated, removed, or its roles or
// scopes change (the client reconnects and gets the new grants). Changes are found at once for
// a change reported through the account directory, and by one statement per periodic check for
// every account with an open socket, whatever the number of sockets.
import type { WebSocket } from 'ws'
import type { Logger } from '../logger.js'
import type { Viewer } from '../auth/viewer.js'
import { grantsKey, type AccountDirectory } from '../auth/accounts.js'
import { periodicJob } from '../shared/periodic.js'
import { UUID } from '../shared/relay.js'

export const FORBIDDEN_CLOSE = 4403

/** setTimeout's longest delay (about 24.8 days). */
const MAX_DELAY = 2 ** 31 - 1

export interface SessionGuard {
  /** Watches a socket for this viewer's expiry and deactivation (a socket may carry several viewers). */
  watch(socket: WebSocket, viewer: Viewer): void
  forget(socket: WebSocket): void
  /** Closes the sockets of accounts deactivated or changed (of these, or all watched); returns how many. */
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
  /** Each watched account's sockets, with the grants key of the viewer each was opened as. */
  const byUser = new Map<string, Map<WebSocket, string | undefined>>()
  const bySocket = new Map<WebSocket, { users: Set<string>; expiresAt?: number; timer?: NodeJS.Timeout }>()

  function close(socket: WebSocket, reason: string) {
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
      if (closed) log.info({ sockets: closed }, 'closed the sockets of deactivated or changed accounts')
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
