// A TCP proxy in front of PostgreSQL that counts the statements clients send: every Execute ('E',
// extended protocol) and simple Query ('Q') message of the frontend protocol. Used only to count
// statements per request; load runs connect to PostgreSQL directly.
import net from 'node:net'

/** Message types a frontend may send after start-up (PostgreSQL protocol 3). */
const FRONTEND_TYPES = new Set([...'BCcdDEfFHpPQSX'].map((c) => c.charCodeAt(0)))
/** Untyped requests that are followed by another untyped message: SSLRequest, GSSENCRequest. */
const ENCRYPTION_REQUESTS = new Set([80877103, 80877104])

export interface StatementCounter {
  /** The proxy's port on 127.0.0.1. */
  port: number
  /** Execute + Query messages since the last reset. */
  count(): number
  reset(): void
  close(): Promise<void>
}

/** Splits one connection's client → server bytes into protocol messages and reports their types and bodies. */
function frontendParser(onMessage: (type: number, body: Buffer) => void, onError: (e: Error) => void) {
  let pending: Buffer = Buffer.alloc(0)
  let startup = true
  let failed = false
  return (chunk: Buffer) => {
    if (failed) return
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk
    for (;;) {
      if (startup) {
        if (pending.length < 8) return
        const length = pending.readInt32BE(0)
        if (pending.length < length) return
        const code = pending.readInt32BE(4)
        pending = pending.subarray(length)
        if (!ENCRYPTION_REQUESTS.has(code)) startup = false
        continue
      }
      if (pending.length < 5) return
      const type = pending[0]!
      const length = pending.readInt32BE(1)
      if (!FRONTEND_TYPES.has(type) || length < 4) {
        failed = true
        onError(new Error(`unexpected frontend message type 0x${type.toString(16)}: is the connection encrypted?`))
        return
      }
      if (pending.length < 1 + length) return
      onMessage(type, pending.subarray(5, 1 + length))
      pending = pending.subarray(1 + length)
    }
  }
}

/**
 * Sees every frontend message after start-up: the connection's number (one per proxied client
 * connection), the message type and its body (valid only during the call).
 */
export type FrontendTap = (connection: number, type: number, body: Buffer) => void

export async function startStatementCounter(
  target: { host: string; port: number },
  opts: { tap?: FrontendTap } = {},
): Promise<StatementCounter> {
  let statements = 0
  let connections = 0
  let error: Error | undefined
  const sockets = new Set<net.Socket>()
  const EXECUTE = 'E'.charCodeAt(0)
  const QUERY = 'Q'.charCodeAt(0)
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host)
    sockets.add(client).add(upstream)
    const connection = ++connections
    const parse = frontendParser(
      (type, body) => {
        if (type === EXECUTE || type === QUERY) statements++
        opts.tap?.(connection, type, body)
      },
      (e) => {
        error ??= e
      },
    )
    client.on('data', parse)
    client.pipe(upstream)
    upstream.pipe(client)
    const close = () => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    client.on('error', close).on('close', close)
    upstream.on('error', close).on('close', close)
  })
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as net.AddressInfo).port,
    count: () => {
      if (error) throw error
      return statements
    },
    reset: () => {
      statements = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
