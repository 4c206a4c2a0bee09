// /metrics in Prometheus text format, who may read it, and compressed answers — through HTTP and
// graphql-ws against the real app.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_OPERATION_LABELS } from '../../../src/metrics.js'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import { globalId, newStaff, userWithRole } from '../../helpers/fixtures.js'
import { client, collect, gql, graphql, wsClient } from '../../helpers/graphql.js'

const METRICS_TOKEN = 'metrics-token-0123456789abcdef'

let t: TestApp
/** The same database behind an app that asks for METRICS_TOKEN (and runs no background jobs). */
let guarded: TestApp
let adminToken: string
beforeAll(async () => {
  t = await startTestApp()
  guarded = await startTestApp({ METRICS_TOKEN, BACKGROUND_JOBS: 'false' }, { databaseUrl: t.databaseUrl })
  adminToken = await t.tokenFor((await userWithRole(t.prisma, 'ADMIN')).username)
})
afterAll(async () => {
  await guarded?.stop()
  await t?.stop()
})

// ------------------------------------------------------------ reading the scrape

type Sample = { labels: Record<string, string>; value: number }

function samples(text: string, name: string): Sample[] {
  const out: Sample[] = []
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (m?.[1] !== name) continue
    const labels = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]),
    )
    out.push({ labels, value: Number(m[3]) })
  }
  return out
}

/** The value of `name` with exactly these labels, or undefined when there is no such sample. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
  return samples(text, name).find(
    (s) => Object.keys(s.labels).length === wanted.length && wanted.every(([k, v]) => s.labels[k] === v),
  )?.value
}

async function scrape(app: TestApp = t): Promise<string> {
  const res = await fetch(`${app.origin}/metrics`, {
    headers: app === guarded ? { authorization: `Bearer ${METRICS_TOKEN}` } : {},
  })
  expect(res.status).toBe(200)
  return res.text()
}

/** An answer as sent (fetch would inflate it): status, headers and the bytes on the wire. */
function raw(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(init.body)
  })
}

/** GETs `path` from `app` over a connection whose peer address the app sees as `address` (this machine's tests run on loopback). */
async function fetchFrom(app: TestApp, address: string, path: string): Promise<Response> {
  const relay = net.createServer((socket) => {
    Object.defineProperty(socket, 'remoteAddress', { value: address })
    app.app.server.emit('connection', socket)
  })
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
  try {
    return await fetch(`http://127.0.0.1:${(relay.address() as AddressInfo).port}${path}`, {
      headers: { connection: 'close' },
    })
  } finally {
    relay.close()
  }
}

// ------------------------------------------------------------ the metrics

describe('/metrics', () => {
  it('should count a query by its operation and outcome and time it, beside the process metrics', async () => {
    const res = await fetch(`${t.origin}/metrics`)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const before = await res.text()
    expect(value(before, 'gongzhi_http_requests_total', { operation: 'MetricsProbe', outcome: 'ok' })).toBeUndefined()
    // prom-client counts CPU time from the registry's creation: present, and never going back
    const cpuBefore = value(before, 'process_cpu_user_seconds_total')
    expect(cpuBefore).toBeGreaterThanOrEqual(0)
    expect(samples(before, 'nodejs_eventloop_lag_seconds')).toHaveLength(1)

    expect((await gql(t.url, graphql('query MetricsProbe { __typename }'))).data).toEqual({ __typename: 'Query' })
    await gql(t.url, graphql('{ me { id } }'))
    const after = await scrape()
    expect(value(after, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(cpuBefore!)
    expect(value(after, 'gongzhi_http_requests_total', { operation: 'MetricsProbe', outcome: 'ok' })).toBe(1)
    expect(value(after, 'gongzhi_http_requests_total', { operation: 'query me', outcome: 'ok' })).toBe(1)
    expect(value(after, 'gongzhi_http_request_duration_seconds_count', { operation: 'MetricsProbe' })).toBe(1)
    expect(
      value(after, 'gongzhi_http_request_duration_seconds_bucket', { operation: 'MetricsProbe', le: '+Inf' }),
    ).toBe(1)
    expect(value(after, 'gongzhi_http_request_duration_seconds_sum', { operation: 'MetricsProbe' })).toBeGreaterThan(0)
  })

  it('should count the errors of failing operations by their code, and the requests by outcome', async () => {
    const resident = await userWithRole(t.prisma, 'RESIDENT', { active: true })
    const before = await scrape()
    const forbidden = await gql(
      t.url,
      graphql('query Forbidden { users(first: 1) { totalCount } }'),
      {},
      { token: await t.tokenFor(resident.username) },
    )
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('auth/forbidden')
    const invalid = await gql(t.url, 'query Invalid { noSuchField }')
    expect(invalid.status).toBe(400)
    const invalidCode = invalid.errors?.[0]?.extensions?.code as string
    expect(invalidCode).toBe('GRAPHQL_VALIDATION_FAILED')

    const after = await scrape()
    const errors = (code: string, text: string) => value(text, 'gongzhi_graphql_errors_total', { code }) ?? 0
    expect(errors('auth/forbidden', after) - errors('auth/forbidden', before)).toBe(1)
    expect(errors(invalidCode, after) - errors(invalidCode, before)).toBe(1)
    expect(value(after, 'gongzhi_http_requests_total', { operation: 'Forbidden', outcome: 'error' })).toBe(1)
    expect(value(after, 'gongzhi_http_requests_total', { operation: 'Invalid', outcome: 'rejected' })).toBe(1)
  })

  it('should follow open sockets and live subscriptions with a graphql-ws client, and count its errors', async () => {
    const grid = await t.prisma.grid.findFirstOrThrow({ orderBy: { code: 'asc' } })
    const gauges = async () => {
      const text = await scrape()
      return {
        sockets: value(text, 'gongzhi_websocket_connections'),
        subscriptions: value(text, 'gongzhi_subscriptions_active'),
        invalid: value(text, 'gongzhi_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' }) ?? 0,
      }
    }
    const before = await gauges()
    expect(before).toMatchObject({ sockets: 0, subscriptions: 0 })

    const ws = wsClient(t.wsUrl, adminToken)
    const subscribed = t.pubsub.whenSubscribed('grid:updated', grid.id)
    const sub = collect(ws, graphql('subscription($id: ID!) { gridUpdated(id: $id) { name } }'), {
      id: globalId('Grid', grid.id),
    })
    await subscribed
    expect(await gauges()).toMatchObject({ sockets: 1, subscriptions: 1 })

    const refused = collect(ws, 'subscription { noSuchField }')
    await refused.done
    expect(await gauges()).toEqual({ sockets: 1, subscriptions: 1, invalid: before.invalid + 1 })

    sub.dispose()
    await expect.poll(async () => (await gauges()).subscriptions).toBe(0)
    await ws.dispose()
    await expect.poll(async () => (await gauges()).sockets).toBe(0)
  })

  it('should report the database pool', async () => {
    await gql(t.url, graphql('{ __typename }'))
    const text = await scrape()
    const total = value(text, 'gongzhi_db_pool_connections', { state: 'total' })
    expect(total).toBeGreaterThanOrEqual(1)
    expect(value(text, 'gongzhi_db_pool_connections', { state: 'idle' })).toBeLessThanOrEqual(total!)
    expect(value(text, 'gongzhi_db_pool_connections', { state: 'waiting' })).toBe(0)
  })

  it("should report the dispatch feed's subscribers, audiences and lag", async () => {
    const department = await t.prisma.department.findFirstOrThrow({ orderBy: { name: 'asc' } })
    const staff = await newStaff(t.prisma, department.id)
    const ws = wsClient(t.wsUrl, await t.tokenFor(`staff-${staff}`))
    const feed = collect(ws, graphql('subscription { dispatchOrderCreated { cursor } }'))
    await t.app.feeds.dispatch.whenAttached(`department:${department.id}`)

    const text = await scrape()
    const stats = t.app.feeds.dispatch.stats()
    expect(stats.subscribers).toBeGreaterThanOrEqual(1)
    expect(value(text, 'gongzhi_dispatch_feed_subscribers')).toBe(stats.subscribers)
    expect(value(text, 'gongzhi_dispatch_feed_audiences')).toBe(stats.audiences)
    expect(value(text, 'gongzhi_dispatch_feed_lag_orders')).toBe(0)
    feed.dispose()
    await ws.dispose()
  })

  it('should report pending webhook deliveries, due and waiting', async () => {
    const order = await t.prisma.dispatchOrder.findFirstOrThrow({
      where: { departmentId: { not: null } },
      select: { id: true, departmentId: true },
    })
    const creator = await userWithRole(t.prisma, 'ADMIN')
    const before = await scrape()
    const endpoint = await t.prisma.webhookEndpoint.create({
      data: {
        departmentId: order.departmentId!,
        url: 'http://127.0.0.1:9/hook',
        secret: 'metrics-test',
        createdById: creator.id,
      },
    })
    // due in an hour: the worker leaves it alone meanwhile
    await t.prisma.webhookDelivery.create({
      data: {
        endpointId: endpoint.id,
        orderId: order.id,
        event: 'dispatch.created',
        payload: {},
        nextAttemptAt: new Date(Date.now() + 3_600_000),
      },
    })

    const after = await scrape()
    const waiting = (text: string) => value(text, 'gongzhi_webhook_deliveries_pending', { state: 'waiting' })
    expect(waiting(after)).toBe(waiting(before)! + 1)
    expect(value(after, 'gongzhi_webhook_deliveries_pending', { state: 'due' })).toEqual(expect.any(Number))
  })

  it('should count the runs of background jobs', async () => {
    const runs = async (task: string) => value(await scrape(), 'gongzhi_job_runs_total', { task })
    await expect.poll(() => runs('sla_sweep')).toBeGreaterThanOrEqual(1)
    await expect.poll(() => runs('agreement_expiry')).toBeGreaterThanOrEqual(1)
    await expect.poll(() => runs('webhook_delivery')).toBeGreaterThanOrEqual(1)
    const text = await scrape()
    expect(value(text, 'gongzhi_job_last_duration_seconds', { task: 'sla_sweep' })).toBeGreaterThan(0)
    expect(value(text, 'gongzhi_job_last_success_timestamp_seconds', { task: 'sla_sweep' })).toBeGreaterThan(
      Date.now() / 1000 - 600,
    )
    expect(value(text, 'gongzhi_job_failures_total', { task: 'sla_sweep' })).toBeUndefined()
  })

  it(`should give at most ${MAX_OPERATION_LABELS} operation names a label of their own, the rest "other", and malformed ones "invalid"`, async () => {
    const names = Array.from({ length: MAX_OPERATION_LABELS + 5 }, (_, i) => `Op${i}`)
    for (let i = 0; i < names.length; i += 25) {
      await Promise.all(names.slice(i, i + 25).map((n) => gql(guarded.url, `query ${n} { __typename }`)))
    }
    await fetch(guarded.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', operationName: 'x"} 1\nevil' }),
    })

    const operations = samples(await scrape(guarded), 'gongzhi_http_requests_total').map((s) => s.labels.operation!)
    const own = operations.filter((o) => /^Op\d+$/.test(o))
    expect(own).toHaveLength(MAX_OPERATION_LABELS)
    expect(new Set(operations).size).toBeLessThanOrEqual(MAX_OPERATION_LABELS + 3) // + other, invalid, none
    const text = await scrape(guarded)
    expect(value(text, 'gongzhi_http_requests_total', { operation: 'other', outcome: 'ok' })).toBe(5)
    expect(value(text, 'gongzhi_http_requests_total', { operation: 'invalid', outcome: 'rejected' })).toBe(1)
  })
})

describe('who may read /metrics', () => {
  it('should ask for the bearer token when METRICS_TOKEN is set, even on loopback', async () => {
    const none = await fetch(`${guarded.origin}/metrics`)
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect(await none.text()).not.toContain('gongzhi_')
    const wrong = await fetch(`${guarded.origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })
    expect(wrong.status).toBe(401)
    const right = await fetch(`${guarded.origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    expect(right.status).toBe(200)
    expect(await right.text()).toContain('gongzhi_http_requests_total')
  })

  it('should serve loopback callers only without METRICS_TOKEN, and no request a proxy forwarded', async () => {
    expect((await fetch(`${t.origin}/metrics`)).status).toBe(200)
    const remote = await fetchFrom(t, '192.0.2.10', '/metrics')
    expect(remote.status).toBe(403)
    expect(await remote.text()).not.toContain('gongzhi_')
    expect((await fetchFrom(t, '::ffff:127.0.0.1', '/metrics')).status).toBe(200)
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      expect((await fetch(`${t.origin}/metrics`, { headers: { [header]: '203.0.113.7' } })).status, header).toBe(403)
    }
  })
})

// ------------------------------------------------------------ compression

const CASES = 'query Cases { cases(first: 20) { edges { node { id title status createdAt } } } }'

describe('compressed answers', () => {
  // raw bytes on purpose (fetch would inflate them): the documents posted here stay strings
  const post = (query: string, headers: Record<string, string>) =>
    raw(t.url, {
      method: 'POST',
      body: JSON.stringify({ query }),
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        authorization: `Bearer ${adminToken}`,
        ...headers,
      },
    })

  it('should gzip a GraphQL answer for Accept-Encoding: gzip, and send it as it is otherwise', async () => {
    const plain = await post(CASES, {})
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(Number(plain.headers['content-length'])).toBe(plain.bytes.length)
    expect(plain.headers.vary).toMatch(/accept-encoding/i)
    const answer = JSON.parse(plain.bytes.toString())
    expect(answer.data.cases.edges).toHaveLength(20)

    const gzipped = await post(CASES, { 'accept-encoding': 'gzip, deflate, br' })
    expect(gzipped.status).toBe(200)
    expect(gzipped.headers['content-encoding']).toBe('gzip')
    expect(JSON.parse(gunzipSync(gzipped.bytes).toString())).toEqual(answer)
    expect(gzipped.bytes.length / plain.bytes.length).toBeLessThan(0.5)

    const refused = await post(CASES, { 'accept-encoding': 'gzip;q=0, identity' })
    expect(refused.headers['content-encoding']).toBeUndefined()
  })

  it('should leave a small answer as it is', async () => {
    const small = await post('{ __typename }', { 'accept-encoding': 'gzip' })
    expect(small.headers['content-encoding']).toBeUndefined()
    expect(JSON.parse(small.bytes.toString())).toEqual({ data: { __typename: 'Query' } })
  })

  it('should gzip the GraphiQL page', async () => {
    const page = (headers: Record<string, string>) => raw(t.url, { headers: { accept: 'text/html', ...headers } })
    const plain = await page({})
    expect(plain.headers['content-type']).toMatch(/text\/html/)
    const gzipped = await page({ 'accept-encoding': 'gzip' })
    expect(gzipped.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gzipped.bytes).equals(plain.bytes)).toBe(true)
    expect(gzipped.bytes.length / plain.bytes.length).toBeLessThan(0.35)
  })

  it('should stream subscription events over SSE uncompressed when gzip is accepted', async () => {
    const grid = await t.prisma.grid.findFirstOrThrow({ orderBy: { code: 'desc' } })
    const id = globalId('Grid', grid.id)
    const subscribed = t.pubsub.whenSubscribed('grid:updated', grid.id)
    const res = await fetch(t.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        'accept-encoding': 'gzip',
        authorization: `Bearer ${adminToken}`,
      },
      // raw fetch on purpose: the SSE stream's headers and bytes are what is tested
      body: JSON.stringify({ query: `subscription { gridUpdated(id: "${id}") { name } }` }),
    })
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    // yoga marks event streams `Content-Encoding: none`, so that proxies leave them alone too
    expect(res.headers.get('content-encoding') ?? 'none').toBe('none')
    await subscribed

    const name = `压缩测试 ${Date.now()}`
    await client(t.url, adminToken).must(
      graphql(`mutation($input: UpdateGridInput!) { updateGrid(input: $input) { __typename } }`),
      { input: { id, version: grid.version, name } },
    )
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let received = ''
    while (!received.includes(name)) {
      const { value: chunk, done } = await reader.read()
      if (done) break
      received += decoder.decode(chunk, { stream: true })
    }
    expect(received).toContain(name)
    await reader.cancel()
  })
})
