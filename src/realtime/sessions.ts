// Open WebSockets end with their credentials (close code 4403 Forbidden): when the token they were
// opened with expires, and when the account behind it is deactivated. Deactivations are found by
// one statement per check for every account with an open socket, whatever the number of sockets.
import type { WebSocket } from 'ws'
import type { PrismaClient } from '../db.js'
import type { Logger } from '../logger.js'
import type { Viewer } from '../auth/viewer.js'
import { periodicJob } from '../shared/periodic.js'

export const FORBIDDEN_CLOSE = 4403

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** setTimeout's longest delay (about 24.8 days). */
const MAX_DELAY = 2 ** 31 - 1

export interface SessionGuard {
  /** Watches a socket for this viewer's expiry and deactivation (a socket may carry several viewers). */
  watch(socket: WebSocket, viewer: Viewer): void
  forget(socket: WebSocket): void
  /** Closes the sockets of deactivated accounts; returns how many sockets it closed. */
  check(): Promise<number>
  start(): void
  stop(): Promise<void>
}

export function createSessionGuard(opts: { prisma: PrismaClient; log: Logger; intervalMs: number }): SessionGuard {
  const log = opts.log.child({ component: 'sessions' })
  const byUser = new Map<string, Set<WebSocket>>()
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
      if (!sockets) byUser.set(viewer.userId, (sockets = new Set()))
      sockets.add(socket)
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
    async check() {
      const ids = [...byUser.keys()].filter((id) => UUID.test(id))
      if (!ids.length) return 0
      const gone = await opts.prisma.user.findMany({ where: { id: { in: ids }, active: false }, select: { id: true } })
      let closed = 0
      for (const { id } of gone) {
        for (const socket of byUser.get(id) ?? []) { close(socket, 'Account deactivated'); closed++ }
      }
      if (closed) log.info({ accounts: gone.length, sockets: closed }, 'closed the sockets of deactivated accounts')
      return closed
    },
    ...periodicJob('session check', () => guard.check(), { intervalMs: opts.intervalMs, log }),
  }
  return guard
}
