// Prometheus metrics on /metrics (prom-client). Each app has a registry of its own, so several apps
// in one process (tests) never mix their figures; the process's own metrics (CPU, memory, event
// loop, GC) are registered once per process and merged into every scrape. Figures that live
// elsewhere (open sockets, the dispatch feed, the webhook queue) are read at scrape time rather than
// tracked. Label values that clients choose (operation names) are checked and capped, so that no
// client can grow the number of series without bound.
//
// Access: with METRICS_TOKEN, `Authorization: Bearer <METRICS_TOKEN>`; without it, a direct connection
// from loopback only. A request that a proxy forwarded (Forwarded, X-Forwarded-For, X-Real-IP) is
// refused then: a reverse proxy on the same host would make every public caller look local.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import ipaddr from 'ipaddr.js'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { GraphQLError } from 'graphql'
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga'
import { bearerToken } from './auth/jwt.js'
import type { DispatchFeed } from './modules/case/dispatch.feed.js'
import type { JobObserver } from './shared/periodic.js'

/** Distinct operation names that get a label of their own; later ones are counted as "other". */
export const MAX_OPERATION_LABELS = 200
const MAX_CODE_LABELS = 100

export interface MetricsOptions {
  /** What a scraper must send as its bearer token (METRICS_TOKEN); unset: loopback callers only. */
  token?: string
  /** Open WebSocket connections. */
  sockets(): number
  feed: Pick<DispatchFeed, 'stats' | 'lag'>
  webhookQueue(): Promise<{ due: number; waiting: number }>
  /** The database connection pool (src/db.ts poolStats). */
  pool(): { total: number; idle: number; waiting: number } | undefined
}

export interface Metrics {
  /** Yoga plugin: serves /metrics, counts the errors of HTTP answers, follows live subscriptions. */
  plugin: Plugin
  /** A GraphQL request over HTTP answered (its operation and duration are the request log line's). */
  request(request: Request, operation: string | undefined, status: number, ms: number): void
  /** Errors sent over a WebSocket (`next` payloads and `error` messages); returns how many. */
  errors(errors: readonly GraphQLError[] | undefined): number
  /** Runs of background jobs. */
  job: JobObserver
}

let processRegistry: Registry | undefined
/** Registered once per process: these describe the process, and they install observers that stay. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

/** Label values from outside: well-formed ones, `max` distinct at most, then "other". */
function boundedLabel(max: number, wellFormed: RegExp) {
  const seen = new Set<string>()
  return (value: string | undefined): string => {
    if (!value) return 'none'
    if (!wellFormed.test(value)) return 'invalid'
    if (seen.has(value)) return value
    if (seen.size >= max) return 'other'
    seen.add(value)
    return value
  }
}
/** A GraphQL name, or the request log's `query me` for an anonymous operation. */
const OPERATION_NAME = /^(?:(?:query|mutation|subscription) )?[_A-Za-z][_0-9A-Za-z]{0,99}$/
const ERROR_CODE = /^[\w./-]{1,64}$/

const digest = (s: string) => createHash('sha256').update(s).digest()
const isLoopback = (address: string | undefined) =>
  !!address && ipaddr.isValid(address) && ipaddr.process(address).range() === 'loopback'
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip']

export function createMetrics(opts: MetricsOptions): Metrics {
  const registers = [new Registry()]
  const expected = opts.token === undefined ? undefined : digest(opts.token)
  const operationLabel = boundedLabel(MAX_OPERATION_LABELS, OPERATION_NAME)
  const codeLabel = boundedLabel(MAX_CODE_LABELS, ERROR_CODE)

  const requests = new Counter({
    name: 'gongzhi_http_requests_total',
    registers,
    labelNames: ['operation', 'outcome'] as const,
    help: 'GraphQL requests over HTTP by operation and outcome: ok, error (GraphQL errors in a 2xx answer), rejected (4xx), failed (5xx)',
  })
  const latency = new Histogram({
    name: 'gongzhi_http_request_duration_seconds',
    registers,
    labelNames: ['operation'] as const,
    help: 'Time to answer a GraphQL request over HTTP (a streamed answer: until it starts), by operation',
  })
  const errorsSent = new Counter({
    name: 'gongzhi_graphql_errors_total',
    registers,
    labelNames: ['code'] as const,
    help: 'GraphQL errors sent to clients over HTTP and WebSocket, by extensions.code',
  })
  const subscriptions = new Gauge({
    name: 'gongzhi_subscriptions_active',
    registers,
    help: 'Live GraphQL subscriptions (WebSocket and SSE)',
  })
  // read at scrape time
  new Gauge({
    name: 'gongzhi_websocket_connections',
    registers,
    help: 'Open WebSocket connections',
    collect() {
      this.set(opts.sockets())
    },
  })
  new Gauge({
    name: 'gongzhi_dispatch_feed_subscribers',
    registers,
    help: 'Subscribers attached to the dispatch order feed',
    collect() {
      this.set(opts.feed.stats().subscribers)
    },
  })
  new Gauge({
    name: 'gongzhi_dispatch_feed_audiences',
    registers,
    help: 'Audiences (departments, grid workers, regions) the dispatch order feed serves',
    collect() {
      this.set(opts.feed.stats().audiences)
    },
  })
  new Gauge({
    name: 'gongzhi_dispatch_feed_lag_orders',
    registers,
    help: 'Orders committed that the dispatch feed reader has not routed yet (NaN: the database could not be read)',
    async collect() {
      this.set(await opts.feed.lag().then(Number, () => NaN))
    },
  })
  new Gauge({
    name: 'gongzhi_webhook_deliveries_pending',
    registers,
    labelNames: ['state'] as const,
    help: 'Pending webhook deliveries of active endpoints: due now, or waiting for a retry (NaN: the database could not be read)',
    async collect() {
      const queue = await opts.webhookQueue().catch(() => ({ due: NaN, waiting: NaN }))
      this.set({ state: 'due' }, queue.due)
      this.set({ state: 'waiting' }, queue.waiting)
    },
  })
  new Gauge({
    name: 'gongzhi_db_pool_connections',
    registers,
    labelNames: ['state'] as const,
    help: 'Database pool: connections open (total), idle, and requests waiting for one (waiting)',
    collect() {
      const pool = opts.pool()
      if (pool) for (const state of ['total', 'idle', 'waiting'] as const) this.set({ state }, pool[state])
    },
  })
  const jobRuns = new Counter({
    name: 'gongzhi_job_runs_total',
    registers,
    labelNames: ['task'] as const,
    help: 'Runs of background jobs',
  })
  const jobFailures = new Counter({
    name: 'gongzhi_job_failures_total',
    registers,
    labelNames: ['task'] as const,
    help: 'Runs of background jobs that failed',
  })
  const jobDuration = new Gauge({
    name: 'gongzhi_job_last_duration_seconds',
    registers,
    labelNames: ['task'] as const,
    help: 'How long the last run of a background job took',
  })
  const jobSuccess = new Gauge({
    name: 'gongzhi_job_last_success_timestamp_seconds',
    registers,
    labelNames: ['task'] as const,
    help: 'When a background job last succeeded (Unix time)',
  })

  /** Answered with a status when refused, else undefined. */
  function refusal(
    request: Request,
    req: IncomingMessage | undefined,
  ): { status: number; message: string; headers?: Record<string, string> } | undefined {
    if (expected) {
      const given = bearerToken(request.headers.get('authorization'))
      // hashed first: the comparison takes the same time whatever the length of the guess
      if (given !== null && timingSafeEqual(digest(given), expected)) return undefined
      return {
        status: 401,
        message: 'Metrics need the bearer token (METRICS_TOKEN)',
        headers: { 'www-authenticate': 'Bearer realm="metrics"' },
      }
    }
    const direct = !FORWARDING_HEADERS.some((h) => request.headers.has(h))
    if (direct && isLoopback(req?.socket.remoteAddress)) return undefined
    return { status: 403, message: 'Metrics are served to loopback callers only, unless METRICS_TOKEN is set' }
  }

  function countErrors(errors: readonly GraphQLError[] | undefined): number {
    for (const e of errors ?? []) {
      const code = e.extensions?.code
      errorsSent.inc({ code: codeLabel(typeof code === 'string' ? code : undefined) })
    }
    return errors?.length ?? 0
  }

  const erred = new WeakSet<Request>()
  const plugin: Plugin = {
    onRequest({ url, request, serverContext, endResponse, fetchAPI }) {
      if (url.pathname !== '/metrics') return
      const refused = refusal(request, (serverContext as { req?: IncomingMessage }).req)
      if (refused) {
        endResponse(
          new fetchAPI.Response(refused.message, {
            status: refused.status,
            headers: { 'content-type': 'text/plain; charset=utf-8', ...refused.headers },
          }),
        )
        return
      }
      const merged = Registry.merge([processMetrics(), ...registers])
      return merged
        .metrics()
        .then((text) => endResponse(new fetchAPI.Response(text, { headers: { 'content-type': merged.contentType } })))
    },
    onResultProcess({ request, result, setResult }) {
      if (isAsyncIterable(result)) {
        setResult(
          mapAsyncIterator(result, (r) => {
            countErrors(r.errors)
            return r
          }),
        )
        return
      }
      let n = 0
      for (const r of Array.isArray(result) ? result : [result]) n += countErrors(r.errors)
      if (n) erred.add(request)
    },
    onSubscribe() {
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return
          subscriptions.inc()
          let live = true
          const end = () => {
            if (live) {
              live = false
              subscriptions.dec()
            }
          }
          // ended by the client (return), by the source (done), or by an error thrown from it
          setResult(
            mapAsyncIterator(
              result,
              (r) => r,
              (e: unknown) => {
                end()
                throw e
              },
              end,
            ),
          )
        },
      }
    },
  }

  return {
    plugin,
    request(request, operation, status, ms) {
      const label = operationLabel(operation)
      const outcome = status >= 500 ? 'failed' : status >= 400 ? 'rejected' : erred.has(request) ? 'error' : 'ok'
      requests.inc({ operation: label, outcome })
      latency.observe({ operation: label }, ms / 1000)
    },
    errors: countErrors,
    job(name, run) {
      const task = name.toLowerCase().replace(/\W+/g, '_')
      jobRuns.inc({ task })
      if (!run.ok) jobFailures.inc({ task })
      jobDuration.set({ task }, run.seconds)
      if (run.ok) jobSuccess.set({ task }, Date.now() / 1000)
    },
  }
}
