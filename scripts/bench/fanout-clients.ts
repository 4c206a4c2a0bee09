// A client process of the fan-out bench (scripts/bench/fanout.ts forks one or more): it opens the
// sockets it is given, graphql-ws subscriptions to our server ('ours') or plain `ws` sockets to
// the bare baseline ('bare'), and every client checks each order it receives itself: the case
// title names the addressed group (and the run), so an order for another group is foreign, one
// seen twice a duplicate. Receipt times (performance.timeOrigin based, comparable across the
// processes of this machine) go back to the bench per order.
import { randomUUID } from 'node:crypto'
import { createClient, type Client as GraphqlWsClient } from 'graphql-ws'
import WebSocket from 'ws'
import {
  parseTitle,
  type ClientSpec,
  type ClientsProgress,
  type FromClients,
  type PlannedOrder,
  type ToClients,
} from './fanout-protocol.js'

const now = () => performance.timeOrigin + performance.now()

interface Client {
  spec: ClientSpec
  acked: boolean
  failed: boolean
  live: boolean
  seen: Set<number>
  closed: Promise<void>
  close(): void
}

interface FeedPayload {
  data?: {
    dispatchOrderCreated?: {
      order?: { department?: { name: string } | null; case?: { title?: string } | null } | null
    } | null
  } | null
  errors?: unknown[]
}

const send = (m: FromClients) => process.send!(m)

let clients: Client[] = []
let runTag = ''
let mode: 'ours' | 'bare' = 'ours'
const receipts = new Map<number, number[]>()
const captured = new Map<number, string>()
const counts = { foreign: 0, duplicates: 0, errors: 0, closedAfterAck: 0, completed: 0 }
const samples: string[] = []
let plan: PlannedOrder[] | undefined
let delivered = 0
let completeSent = false
let liveSent = false
let progressTimer: NodeJS.Timeout | undefined
/** CPU time used from the plan (start of the order phase) to the report. */
let cpuAtPlan: { usage: NodeJS.CpuUsage; at: number } | undefined

const sample = (s: string) => {
  if (samples.length < 10) samples.push(s.slice(0, 300))
}

function progress(): ClientsProgress {
  let acked = 0,
    lost = 0,
    live = 0
  const missing: Record<string, number> = {}
  for (const c of clients) {
    if (c.acked) acked++
    if (c.failed) lost++
    if (c.live) live++
    else if (!c.failed) missing[c.spec.group] = (missing[c.spec.group] ?? 0) + 1
  }
  return { acked, failed: lost, live, total: clients.length, missing }
}

/** Deliveries still possible: each planned order × its group's sockets that have not failed (cached until a socket fails). */
let expectedCache: number | undefined
function expected(): number {
  if (!plan) return Infinity
  if (expectedCache !== undefined) return expectedCache
  const open = new Map<string, number>()
  for (const c of clients) if (!c.failed) open.set(c.spec.group, (open.get(c.spec.group) ?? 0) + 1)
  return (expectedCache = plan.reduce((n, o) => n + (open.get(o.group) ?? 0), 0))
}

function failed(c: Client) {
  c.failed = true
  expectedCache = undefined
}

/** A socket or subscription that can receive nothing more: no longer waited for. */
function dead(c: Client) {
  if (c.failed) return
  failed(c)
  checkDone()
}

/** Set while the bench closes the sockets: what they report then is the closing itself. */
let closing = false

function checkDone() {
  if (!liveSent && clients.length && clients.every((c) => c.live || c.failed)) {
    liveSent = true
    send({ kind: 'live', ...progress() })
  }
  if (plan && !completeSent && delivered >= expected()) {
    completeSent = true
    send({ kind: 'complete' })
  }
}

/** One received `next` payload, checked by the client that received it. */
function received(c: Client, payload: FeedPayload, at: number, raw: () => string) {
  if (payload.errors?.length) {
    counts.errors++
    sample(`next with errors: ${JSON.stringify(payload.errors)}`)
    return
  }
  const order = payload.data?.dispatchOrderCreated?.order
  const m = parseTitle(order?.case?.title ?? '')
  const department = order?.department?.name ?? null
  const mine =
    m &&
    m.runTag === runTag &&
    (m.group === '*' || m.group === c.spec.group) &&
    (!c.spec.department || department === c.spec.department)
  if (!m || !mine) {
    counts.foreign++
    sample(
      `foreign for ${c.spec.group} (${c.spec.department ?? 'grid worker'}): ${order?.case?.title} → ${department ?? 'no department'}`,
    )
    return
  }
  if (m.kind === 'w') {
    if (!c.live) {
      c.live = true
      checkDone()
    }
    return
  }
  const index = m.index
  if (c.seen.has(index)) {
    counts.duplicates++
    return
  }
  c.seen.add(index)
  let list = receipts.get(index)
  if (!list) receipts.set(index, (list = []))
  list.push(at)
  if (!captured.has(index)) captured.set(index, raw())
  delivered++
  checkDone()
}

function oursClient(spec: ClientSpec, query: string, settled: () => void): Client {
  let subscriptionId = ''
  let resolveClosed!: () => void
  const c: Client = {
    spec,
    acked: false,
    failed: false,
    live: false,
    seen: new Set(),
    closed: new Promise<void>((r) => {
      resolveClosed = r
    }),
    close: () => {
      void ws.dispose()
    },
  }
  const ws: GraphqlWsClient = createClient({
    url: spec.url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { authorization: `Bearer ${spec.token}` },
    generateID: () => (subscriptionId = randomUUID()),
    on: {
      connected: () => {
        c.acked = true
        settled()
      },
      closed: (e) => {
        const { code, reason } = e as { code?: number; reason?: string }
        if (!c.acked) {
          if (!c.failed) {
            failed(c)
            sample(`connection closed before ack: ${code} ${reason}`)
            settled()
          }
        } else if (!closing && !c.failed) {
          counts.closedAfterAck++
          sample(`connection closed after ack: ${code} ${reason}`)
          dead(c)
        }
        resolveClosed()
      },
      error: (e) => {
        if (!c.acked && !c.failed) sample(`socket error: ${(e as Error)?.message ?? e}`)
      },
    },
  })
  ws.subscribe<FeedPayload['data']>(
    { query },
    {
      next: (payload) => {
        const at = now()
        received(c, payload as FeedPayload, at, () => JSON.stringify({ id: subscriptionId, type: 'next', payload }))
      },
      // A closed socket also ends its subscription with the close event: counted above, not here.
      error: (e) => {
        if (closing || (e && typeof e === 'object' && 'code' in e && 'reason' in e)) return
        counts.errors++
        sample(`subscription error: ${e instanceof Error ? e.message : JSON.stringify(e)}`)
        dead(c)
      },
      complete: () => {
        if (closing) return
        counts.completed++
        dead(c)
      },
    },
  )
  return c
}

function bareClient(spec: ClientSpec, settled: () => void): Client {
  let resolveClosed!: () => void
  const c: Client = {
    spec,
    acked: false,
    failed: false,
    live: false,
    seen: new Set(),
    closed: new Promise<void>((r) => {
      resolveClosed = r
    }),
    close: () => ws.close(1000),
  }
  const ws = new WebSocket(spec.url, { perMessageDeflate: false })
  // The bare server registers a socket before its handshake answer leaves: open = live.
  ws.on('open', () => {
    c.acked = true
    c.live = true
    settled()
    checkDone()
  })
  ws.on('message', (data) => {
    const at = now()
    const text = data.toString()
    received(c, (JSON.parse(text) as { payload: FeedPayload }).payload, at, () => text)
  })
  ws.on('error', (e) => {
    if (!c.acked) sample(`bare socket error: ${e.message}`)
  })
  ws.on('close', (code) => {
    if (!c.acked && !c.failed) {
      failed(c)
      settled()
    } else if (c.acked && !closing && !c.failed) {
      counts.closedAfterAck++
      sample(`bare socket closed after open: ${code}`)
      dead(c)
    }
    resolveClosed()
  })
  return c
}

/** Opens the sockets with at most `concurrency` handshakes in flight; resolves once all are settled. */
function connect(specs: ClientSpec[], concurrency: number, query: string): Promise<void> {
  return new Promise((resolve) => {
    let next = 0
    let settledCount = 0
    const start = () => {
      const i = next++
      let done = false
      const settled = () => {
        if (done) return
        done = true
        settledCount++
        if (next < specs.length) start()
        if (settledCount === specs.length) resolve()
      }
      const spec = specs[i]!
      clients.push(mode === 'ours' ? oursClient(spec, query, settled) : bareClient(spec, settled))
    }
    if (!specs.length) resolve()
    for (let k = 0; k < Math.min(concurrency, specs.length); k++) start()
  })
}

async function close() {
  closing = true
  if (progressTimer) clearInterval(progressTimer)
  for (const c of clients) c.close()
  await Promise.race([Promise.all(clients.map((c) => c.closed)), new Promise((r) => setTimeout(r, 15_000))])
  clients = []
}

process.on('message', (msg: ToClients) => {
  void (async () => {
    if (msg.kind === 'connect') {
      mode = msg.mode
      runTag = msg.runTag
      receipts.clear()
      captured.clear()
      samples.length = 0
      Object.assign(counts, { foreign: 0, duplicates: 0, errors: 0, closedAfterAck: 0, completed: 0 })
      closing = false
      plan = undefined
      expectedCache = undefined
      cpuAtPlan = undefined
      delivered = 0
      completeSent = false
      liveSent = false
      progressTimer = setInterval(() => send({ kind: 'progress', ...progress() }), 1000)
      await connect(msg.clients, msg.concurrency, msg.query)
      send({ kind: 'connected', ...progress() })
      checkDone()
    } else if (msg.kind === 'plan') {
      plan = msg.orders
      expectedCache = undefined
      cpuAtPlan = { usage: process.cpuUsage(), at: now() }
      checkDone()
    } else if (msg.kind === 'report') {
      const cpu = process.cpuUsage(cpuAtPlan?.usage)
      const cpuPercent = cpuAtPlan ? ((cpu.user + cpu.system) / 1000 / (now() - cpuAtPlan.at)) * 100 : 0
      send({ kind: 'report', receipts: [...receipts], captured: [...captured], ...counts, samples, cpuPercent })
    } else if (msg.kind === 'close') {
      await close()
      send({ kind: 'closed' })
    }
  })()
})
// The bench owns this process: it ends with the IPC channel.
process.on('disconnect', () => process.exit(0))
send({ kind: 'ready' })
