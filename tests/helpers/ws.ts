// graphql-ws client for tests (Node 20 has no global WebSocket), plus a collector that resolves
// deferred promises as events arrive — no sleeps.
import { createClient, type Client } from 'graphql-ws'
import WebSocket from 'ws'

export interface Closed {
  code: number
  reason: string
}

export function wsClient(
  url: string,
  token?: string | null,
  extra: { onClosed?: (c: Closed) => void; lazy?: boolean } = {},
): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: extra.lazy ?? true,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: {
      closed: (e) =>
        extra.onClosed?.({ code: (e as { code: number }).code, reason: String((e as { reason: string }).reason) }),
    },
  })
}

export function deferred<T = void>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Subscribes and collects results; `next(n)` resolves once n results have arrived. */
export function collect<T = any>(client: Client, query: string, variables?: Record<string, unknown>) {
  const items: { data?: T; errors?: unknown[]; receivedAt: number }[] = []
  const waiters: { n: number; d: ReturnType<typeof deferred<typeof items>> }[] = []
  const done = deferred<void>()
  const flush = () => {
    for (const w of [...waiters])
      if (items.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1)
        w.d.resolve(items)
      }
  }
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (v) => {
        items.push({ ...(v as { data?: T; errors?: unknown[] }), receivedAt: Date.now() })
        flush()
      },
      // an `error` message (e.g. validation) or a closed socket ends the operation: record it as an item
      error: (e) => {
        items.push({ errors: Array.isArray(e) ? e : [e], receivedAt: Date.now() })
        flush()
        done.resolve()
      },
      complete: () => done.resolve(),
    },
  )
  return {
    items,
    done: done.promise,
    next(n = items.length + 1) {
      const d = deferred<typeof items>()
      waiters.push({ n, d })
      flush()
      return d.promise
    },
    dispose,
  }
}
