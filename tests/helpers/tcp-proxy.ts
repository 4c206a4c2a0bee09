// A loopback TCP proxy in front of the test PostgreSQL: a database that appears on a port only when
// the test says so, and connections that silently stop answering (a peer or NAT that vanished).
import net from 'node:net'

export interface TcpProxy {
  port: number
  /** The URL `databaseUrl` has through this proxy. */
  urlFor(databaseUrl: string): string
  /** Open connections stop forwarding, without closing (no FIN, no RST); new connections still pass. */
  stall(): void
  close(): Promise<void>
}

/** Listens on `port` (0: any free one) on 127.0.0.1 and forwards every connection to `target`. */
export async function startTcpProxy(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>()
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host)
    const pair: [net.Socket, net.Socket] = [client, upstream]
    pairs.add(pair)
    const drop = () => {
      pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const actual = (server.address() as net.AddressInfo).port
  return {
    port: actual,
    urlFor(databaseUrl) {
      const u = new URL(databaseUrl)
      u.hostname = '127.0.0.1'
      u.port = String(actual)
      return u.toString()
    },
    stall() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream)
        upstream.unpipe(client)
        client.pause()
        upstream.pause()
      }
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const [client, upstream] of pairs) {
        client.destroy()
        upstream.destroy()
      }
      await closed
    },
  }
}
