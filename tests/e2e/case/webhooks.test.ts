// Acceptance (DESIGN §6): a department webhook receiver that fails twice then succeeds gets the
// order exactly once as a success, with 3 attempts recorded; a restart between attempts does not
// lose it. Receivers are real HTTP servers on the loopback; no sleeps — the receiver resolves
// deferred promises as requests arrive. Then the administration of webhooks (limit, deactivation,
// secret rotation, delivery history) and the DNS pinning of deliveries.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrisma } from '../../../src/db.js'
import { pgAdmin, pgConfig } from '../../../src/db/schema-engine.js'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { caseFactory, caseInput } from '../../factories/cases.js'
import { rowId } from '../../factories/orders.js'
import { assertDeliverable, postWebhook, type Resolver } from '../../../src/modules/case/webhook.service.js'
import { client, deferred, graphql, ofType } from '../../helpers/graphql.js'

// ---- a webhook receiver on the loopback ----------------------------------------------------

interface Received {
  headers: IncomingHttpHeaders
  body: string
  at: number
  deliveryId: string
}

/**
 * Answers with `statuses` in turn (the last one repeats) and records every request. With `gate`,
 * every answer waits for it (the request is counted on arrival): the test acts while one is in flight.
 */
async function receiver(statuses: number[], gate?: Promise<void>) {
  const requests: Received[] = []
  let waiters: { n: number; resolve: () => void }[] = []
  const server = createServer((req, res) => {
    const at = Date.now()
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const status = statuses[Math.min(requests.length, statuses.length - 1)]!
      requests.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        at,
        deliveryId: String(req.headers['x-gongzhi-delivery']),
      })
      const answer = () => {
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'try again')
      }
      const notify = () => {
        waiters = waiters.filter((w) => {
          if (requests.length < w.n) return true
          w.resolve()
          return false
        })
      }
      if (gate) {
        notify()
        void gate.then(answer)
      } else {
        answer()
        notify()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/orders`,
    requests,
    /** Resolves once `n` requests have arrived in total. */
    count(n: number): Promise<Received[]> {
      const d = deferred<Received[]>()
      if (requests.length >= n) d.resolve(requests)
      else waiters.push({ n, resolve: () => d.resolve(requests) })
      return d.promise
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
type Receiver = Awaited<ReturnType<typeof receiver>>

/** Checks `X-Gongzhi-Signature: t=<s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` as a receiver would. */
function verifySignature(secret: string, header: string | string[] | undefined, body: string, maxAgeS = 300): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header))
  if (!m) return false
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest()
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex')) && Math.abs(Date.now() / 1000 - Number(m[1])) <= maxAgeS
}

// ---- state through the API -----------------------------------------------------------------

const REGISTER = graphql(`mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { __typename
  ... on RegisterWebhookPayload { webhook { secret endpoint { id url active department { code } } } }
  ... on ValidationFailed { issues { path message } }
  ... on Error { code message } } }`)

async function registerWebhook(t: TestApp, asUser: string, departmentCode: string, url: string) {
  const dept = await t.prisma.department.findUniqueOrThrow({ where: { code: departmentCode } })
  const data = await client(t.url, await t.tokenFor(asUser)).must(REGISTER, {
    input: { departmentId: globalId('Department', dept.id), url },
  })
  return data.registerWebhook
}

/** Reports, accepts and dispatches a new case to one department; returns the order (global id). */
async function dispatchTo(t: TestApp, departmentCode: string, title: string) {
  const reporter = await t.tokenFor('grid.worker.CG-DM-01.leader', ['GRID_WORKER'])
  const officer = await t.tokenFor('community.officer.1')
  const dept = await t.prisma.department.findUniqueOrThrow({ where: { code: departmentCode } })
  const flow = caseFactory(t, { reporter, officer })
  await flow.report(
    await caseInput(t, { grid: 'CG-DM-01', category: 'SECURITY', title, description: `${title}，请尽快处置` }),
  )
  await flow.accept()
  await flow.dispatchTo([{ departmentId: globalId('Department', dept.id), role: 'LEAD' }])
  const order = flow.case.orders.find((o) => o.department?.code === departmentCode)!
  return { globalId: order.id, id: rowId(order.id) }
}

const deliveryOf = (prisma: TestApp['prisma'], orderId: string) =>
  prisma.webhookDelivery.findFirstOrThrow({
    where: { orderId },
    include: { attempts: { orderBy: { attemptNo: 'asc' } } },
  })

// ---- one app for the file: fast retries, at most 3 attempts --------------------------------

let t: TestApp
const receivers: Receiver[] = []
const listen = async (statuses: number[], gate?: Promise<void>) => {
  const r = await receiver(statuses, gate)
  receivers.push(r)
  return r
}

beforeAll(async () => {
  t = await startTestApp({ WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_POLL_MS: '50', WEBHOOK_MAX_ATTEMPTS: '3' })
})
afterAll(async () => {
  await t?.stop()
  await Promise.all(receivers.map((r) => r.close()))
})

describe('department webhooks', () => {
  it('should deliver an order to a receiver that fails twice exactly once as a success, signed, with 3 attempts recorded', async () => {
    const rx = await listen([500, 500, 200])
    const registered = await registerWebhook(t, 'dept.CGPCS', 'CGPCS', rx.url)
    expect(registered.__typename).toBe('RegisterWebhookPayload')
    const { secret, endpoint } = ofType(registered, 'RegisterWebhookPayload').webhook
    expect(endpoint).toMatchObject({ url: rx.url, active: true, department: { code: 'CGPCS' } })
    expect(secret).toMatch(/^[\w-]{40,}$/)
    // the secret is shown once: the endpoint type has no field for it (so the document is invalid, a string)
    const listed = await client(t.url, await t.tokenFor('dept.CGPCS')).query(`{ webhookEndpoints { id secret } }`)
    expect(listed.errors?.[0]?.message).toMatch(/secret/)

    const order = await dispatchTo(t, 'CGPCS', '夜间聚集滋事')
    const [first, second, third] = await rx.count(3)

    const deliveryId = first!.deliveryId
    expect([first, second, third].map((r) => r!.deliveryId)).toEqual([deliveryId, deliveryId, deliveryId])
    for (const [i, r] of [first!, second!, third!].entries()) {
      expect(r.headers['content-type']).toBe('application/json')
      expect(r.headers['x-gongzhi-event']).toBe('dispatchOrder.created')
      expect(verifySignature(secret, r.headers['x-gongzhi-signature'], r.body)).toBe(true)
      const body = JSON.parse(r.body)
      expect(body).toMatchObject({
        deliveryId,
        event: 'dispatchOrder.created',
        attempt: i + 1,
        data: { orderId: order.globalId },
      })
    }
    // the signature binds the secret and the exact body
    expect(verifySignature(`${secret}x`, first!.headers['x-gongzhi-signature'], first!.body)).toBe(false)
    expect(
      verifySignature(secret, first!.headers['x-gongzhi-signature'], first!.body.replace('"attempt":1', '"attempt":2')),
    ).toBe(false)
    // retried with growing backoff: ≥ 0.9·50 ms, then ≥ 0.9·100 ms
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(45)
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(90)

    // A second order: the worker claims it only after recording the third attempt, and the old
    // delivery — long due by time — is never claimed again, so the next request is the new one.
    const next = await dispatchTo(t, 'CGPCS', '深夜噪声滋扰')
    const [, , , fourth] = await rx.count(4)
    const nextDelivery = await deliveryOf(t.prisma, next.id)
    expect(fourth!.deliveryId).toBe(nextDelivery.id)
    expect(fourth!.deliveryId).not.toBe(deliveryId)

    const delivery = await deliveryOf(t.prisma, order.id)
    expect(delivery.id).toBe(deliveryId)
    expect(delivery).toMatchObject({ status: 'SUCCEEDED', attemptCount: 3, leaseUntil: null })
    expect(delivery.deliveredAt).toBeInstanceOf(Date)
    expect(delivery.attempts.map((a) => [a.attemptNo, a.statusCode, a.error])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, 500, 'HTTP 500'],
      [3, 200, null],
    ])
    expect(rx.requests.filter((r) => r.deliveryId === deliveryId)).toHaveLength(3)
  })

  it('should give up after WEBHOOK_MAX_ATTEMPTS on a receiver that always fails, marking the delivery FAILED', async () => {
    const rx = await listen([503])
    const registered = await registerWebhook(t, 'dept.CGHW', 'CGHW', rx.url)
    expect(registered.__typename).toBe('RegisterWebhookPayload')
    const order = await dispatchTo(t, 'CGHW', '井盖松动')
    const firstThree = (await rx.count(3)).slice(0, 3)
    const deliveryId = firstThree[0]!.deliveryId
    expect(firstThree.map((r) => r.deliveryId)).toEqual([deliveryId, deliveryId, deliveryId])

    const next = await dispatchTo(t, 'CGHW', '路灯不亮')
    const [, , , fourth] = await rx.count(4)
    expect(fourth!.deliveryId).toBe((await deliveryOf(t.prisma, next.id)).id)

    const delivery = await deliveryOf(t.prisma, order.id)
    expect(delivery).toMatchObject({
      id: deliveryId,
      status: 'FAILED',
      attemptCount: 3,
      deliveredAt: null,
      leaseUntil: null,
    })
    expect(delivery.attempts.map((a) => [a.attemptNo, a.statusCode, a.error])).toEqual([
      [1, 503, 'HTTP 503'],
      [2, 503, 'HTTP 503'],
      [3, 503, 'HTTP 503'],
    ])
  })

  it('should refuse a URL that is not http(s) with ValidationFailed', async () => {
    const urls = ['ftp://files.example.com/hook', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']
    for (const url of urls) {
      const res = await registerWebhook(t, 'dept.CGPCS', 'CGPCS', url)
      expect(res, url).toMatchObject({ __typename: 'ValidationFailed', code: 'common/validation-failed' })
      expect(
        ofType(res, 'ValidationFailed').issues.map((i) => i.path),
        url,
      ).toEqual(['url'])
    }
    expect(await t.prisma.webhookEndpoint.count({ where: { url: { in: urls } } })).toBe(0)
  })

  it("should forbid another department's staff to register a webhook for this department", async () => {
    const dept = await t.prisma.department.findUniqueOrThrow({ where: { code: 'CGPCS' } })
    const before = await t.prisma.webhookEndpoint.count({ where: { departmentId: dept.id } })
    const res = await registerWebhook(t, 'dept.CGZF', 'CGPCS', 'https://hooks.example.com/steal-orders')
    expect(res).toMatchObject({ __typename: 'Forbidden', code: 'auth/forbidden' })
    expect(await t.prisma.webhookEndpoint.count({ where: { departmentId: dept.id } })).toBe(before)
  })
})

describe('webhooks across a restart', () => {
  it('should resume a delivery after a restart between attempts: attempts 1 and 2 recorded, one success', async () => {
    const rx = await listen([500, 200])
    // The first instance retries only after ~1 s, so it is stopped well before its second attempt is due.
    const first = await startTestApp({ WEBHOOK_RETRY_BASE_MS: '1000', WEBHOOK_POLL_MS: '50' })
    const observer = createPrisma(first.databaseUrl)
    let second: TestApp | undefined
    try {
      const registered = await registerWebhook(first, 'dept.CGPCS', 'CGPCS', rx.url)
      const order = await dispatchTo(first, 'CGPCS', '可疑人员徘徊')
      const [attempt1] = await rx.count(1)

      // stop() drains the pass in flight: the failed attempt is recorded and the lease released
      await first.stop()
      const between = await deliveryOf(observer, order.id)
      expect(between).toMatchObject({ id: attempt1!.deliveryId, status: 'PENDING', attemptCount: 1, leaseUntil: null })
      expect(between.attempts.map((a) => [a.attemptNo, a.statusCode])).toEqual([[1, 500]])
      expect(rx.requests).toHaveLength(1)

      second = await startTestApp(
        { WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_POLL_MS: '50' },
        { databaseUrl: first.databaseUrl },
      )
      const [, attempt2] = await rx.count(2)
      expect(attempt2!.deliveryId).toBe(attempt1!.deliveryId)
      expect(JSON.parse(attempt2!.body)).toMatchObject({ attempt: 2, data: { orderId: order.globalId } })
      expect(
        verifySignature(
          ofType(registered, 'RegisterWebhookPayload').webhook.secret,
          attempt2!.headers['x-gongzhi-signature'],
          attempt2!.body,
        ),
      ).toBe(true)
      expect(attempt2!.at - attempt1!.at).toBeGreaterThanOrEqual(900)

      await second.stop() // drains the second attempt's bookkeeping
      const done = await deliveryOf(observer, order.id)
      expect(done).toMatchObject({ status: 'SUCCEEDED', attemptCount: 2, leaseUntil: null })
      expect(done.attempts.map((a) => [a.attemptNo, a.statusCode])).toEqual([
        [1, 500],
        [2, 200],
      ])
      expect(rx.requests.map((r) => r.deliveryId)).toEqual([attempt1!.deliveryId, attempt1!.deliveryId])
    } finally {
      await second?.stop()
      await first.stop()
      await observer.$disconnect()
    }
  })
})

// ---- administration --------------------------------------------------------------------------

const DEACTIVATE = graphql(`mutation($input: DeactivateWebhookInput!) { deactivateWebhook(input: $input) { __typename
  ... on DeactivateWebhookPayload { webhook { id active version } }
  ... on Error { code message } } }`)
const ROTATE = graphql(`mutation($input: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $input) { __typename
  ... on RotateWebhookSecretPayload { webhook { secret endpoint { id active version } } }
  ... on Error { code message } } }`)
const DELIVERIES = graphql(`query($status: [WebhookDeliveryStatus!]) { webhookEndpoints { id version
  deliveries(first: 10, status: $status) { totalCount edges { node {
    id event status attemptCount nextAttemptAt deliveredAt createdAt order { id }
    attempts { attemptNo statusCode error durationMs createdAt } } } } } }`)

const as = async (username: string) => client(t.url, await t.tokenFor(username))
const deactivate = async (username: string, id: string, version: number) =>
  (await (await as(username)).must(DEACTIVATE, { input: { id, version } })).deactivateWebhook
const rotate = async (username: string, id: string, version: number) =>
  (await (await as(username)).must(ROTATE, { input: { id, version } })).rotateWebhookSecret
const activeCount = async (code: string) =>
  t.prisma.webhookEndpoint.count({ where: { active: true, department: { code } } })

/** Resolves once `n` backends of the database wait for a lock (the state has no event to await). */
async function lockWaiters(url: string, n: number) {
  const database = pgConfig(url).cfg.database
  for (;;) {
    const sql = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`
    const {
      rows: [row],
    } = await pgAdmin(url, sql, [database])
    if (row.n >= n) return
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('webhook administration', () => {
  it('should refuse a sixth active webhook for a department with ValidationFailed, and accept one again after a deactivation', async () => {
    const url = (i: number) => `http://127.0.0.1:9/limit/${i}`
    const first = []
    for (let i = 0; i < 5; i++) first.push(await registerWebhook(t, 'dept.CGSJ', 'CGSJ', url(i)))
    expect(first.map((r) => r.__typename)).toEqual(Array(5).fill('RegisterWebhookPayload'))

    const sixth = await registerWebhook(t, 'dept.CGSJ', 'CGSJ', url(5))
    expect(sixth).toMatchObject({ __typename: 'ValidationFailed', code: 'common/validation-failed' })
    expect(ofType(sixth, 'ValidationFailed').issues).toEqual([
      { path: 'departmentId', message: expect.stringMatching(/already has 5 active webhooks, the most allowed is 5/) },
    ])
    expect(await t.prisma.webhookEndpoint.count({ where: { url: url(5) } })).toBe(0)

    // the limit counts active endpoints: one deactivated leaves room for one more
    expect(
      await deactivate('dept.CGSJ', ofType(first[0], 'RegisterWebhookPayload').webhook.endpoint.id, 0),
    ).toMatchObject({
      __typename: 'DeactivateWebhookPayload',
    })
    expect((await registerWebhook(t, 'dept.CGSJ', 'CGSJ', url(5))).__typename).toBe('RegisterWebhookPayload')
    expect(await activeCount('CGSJ')).toBe(5)
  })

  it('should let exactly one of several concurrent registrations take the last free place', async () => {
    for (let i = 0; i < 4; i++) {
      expect((await registerWebhook(t, 'dept.CGMZ', 'CGMZ', `http://127.0.0.1:9/before/${i}`)).__typename).toBe(
        'RegisterWebhookPayload',
      )
    }
    const dept = await t.prisma.department.findUniqueOrThrow({ where: { code: 'CGMZ' } })
    const [staff, admin] = [await as('dept.CGMZ'), await as('admin')]
    // The department row is held while the registrations arrive, so they all overlap: with the
    // service's lock they queue before counting; without it each would count 4 and then wait only
    // to insert (the foreign key), and all would pass.
    const holder = new pg.Client(pgConfig(t.databaseUrl).cfg)
    await holder.connect()
    try {
      await holder.query('BEGIN')
      await holder.query('SELECT id FROM "Department" WHERE id = $1 FOR UPDATE', [dept.id])
      const racing = Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? admin : staff).must(REGISTER, {
          input: { departmentId: globalId('Department', dept.id), url: `http://127.0.0.1:9/race/${i}` },
        }),
      )
      await lockWaiters(t.databaseUrl, 8)
      await holder.query('COMMIT')
      const outcomes = (await Promise.all(racing)).map((r) => r.registerWebhook.__typename).sort()
      expect(outcomes).toEqual(['RegisterWebhookPayload', ...Array(7).fill('ValidationFailed')])
    } finally {
      await holder.end()
    }
    expect(await activeCount('CGMZ')).toBe(5)
  })

  it('should stop deliveries to a deactivated webhook: its pending retry is never claimed and new orders queue none', async () => {
    const gate = deferred()
    const held = await listen([500], gate.promise)
    const other = await listen([200])
    const a = ofType(await registerWebhook(t, 'dept.CGYJ', 'CGYJ', held.url), 'RegisterWebhookPayload').webhook.endpoint
    const order1 = await dispatchTo(t, 'CGYJ', '仓库消防通道堵塞')
    await held.count(1) // attempt 1 is in flight, its answer held back

    const off = await deactivate('dept.CGYJ', a.id, 0)
    expect(off).toEqual({ __typename: 'DeactivateWebhookPayload', webhook: { id: a.id, active: false, version: 1 } })
    expect(await deactivate('dept.CGYJ', a.id, 1)).toMatchObject({
      __typename: 'InvalidTransition',
      code: 'common/invalid-transition',
    })
    expect((await rotate('dept.CGYJ', a.id, 1)).__typename).toBe('InvalidTransition')
    gate.resolve()

    // A second endpoint of the department is the barrier: the worker reaches its deliveries only
    // in passes after attempt 1 of the first was recorded.
    expect((await registerWebhook(t, 'dept.CGYJ', 'CGYJ', other.url)).__typename).toBe('RegisterWebhookPayload')
    await dispatchTo(t, 'CGYJ', '电动车楼道充电')
    await other.count(1)
    const pending = await deliveryOf(t.prisma, order1.id)
    expect(pending).toMatchObject({ status: 'PENDING', attemptCount: 1 })
    // due now: were the endpoint still claimable, the next pass would lease it with the order below
    await t.prisma.webhookDelivery.update({
      where: { id: pending.id },
      data: { nextAttemptAt: new Date(Date.now() - 60_000) },
    })
    const order3 = await dispatchTo(t, 'CGYJ', '高层住宅灭火器过期')
    await other.count(2)
    const untouched = await t.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: pending.id } })
    expect(untouched).toMatchObject({ status: 'PENDING', attemptCount: 1, leaseUntil: null })
    expect(held.requests).toHaveLength(1)
    expect(await t.prisma.webhookDelivery.count({ where: { endpointId: a.id, orderId: order3.id } })).toBe(0)
  })

  it('should sign deliveries after a rotation with the new secret only, and refuse a rotation at a stale version', async () => {
    const rx = await listen([200])
    const registered = ofType(await registerWebhook(t, 'dept.CGSF', 'CGSF', rx.url), 'RegisterWebhookPayload').webhook
    await dispatchTo(t, 'CGSF', '邻里宅基地纠纷')
    const [before] = await rx.count(1)
    expect(verifySignature(registered.secret, before!.headers['x-gongzhi-signature'], before!.body)).toBe(true)

    const rotated = await rotate('dept.CGSF', registered.endpoint.id, 0)
    expect(rotated).toMatchObject({
      __typename: 'RotateWebhookSecretPayload',
      webhook: { endpoint: { id: registered.endpoint.id, active: true, version: 1 } },
    })
    const secret = ofType(rotated, 'RotateWebhookSecretPayload').webhook.secret
    expect(secret).toMatch(/^[\w-]{40,}$/)
    expect(secret).not.toBe(registered.secret)
    expect(await rotate('dept.CGSF', registered.endpoint.id, 0)).toMatchObject({
      __typename: 'StaleVersion',
      code: 'common/stale-version',
    })
    expect((await t.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: registered.endpoint.id } })).secret).toBe(
      secret,
    )

    await dispatchTo(t, 'CGSF', '物业费争议调解')
    const [, after] = await rx.count(2)
    expect(verifySignature(secret, after!.headers['x-gongzhi-signature'], after!.body)).toBe(true)
    expect(verifySignature(registered.secret, after!.headers['x-gongzhi-signature'], after!.body)).toBe(false)
  })

  it("should hide a department's webhooks and deliveries from another department: NotFound to change, absent to read", async () => {
    const rx = await listen([200])
    const theirs = ofType(await registerWebhook(t, 'dept.CGXF', 'CGXF', rx.url), 'RegisterWebhookPayload').webhook
    const id = theirs.endpoint.id
    await dispatchTo(t, 'CGXF', '商铺私拉电线')
    await rx.count(1)

    expect(await deactivate('dept.CGSW', id, 0)).toMatchObject({ __typename: 'NotFound', code: 'common/not-found' })
    expect(await rotate('dept.CGSW', id, 0)).toMatchObject({ __typename: 'NotFound', code: 'common/not-found' })
    // roles without webhook rights are refused before any row is read
    for (const user of ['community.officer.1', 'grid.worker.CG-DM-01.leader']) {
      expect(await deactivate(user, id, 0), user).toMatchObject({ __typename: 'Forbidden', code: 'auth/forbidden' })
    }
    expect(await t.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id } })).toMatchObject({
      active: true,
      version: 0,
      secret: theirs.secret,
    })

    const outsider = await (await as('dept.CGSW')).must(DELIVERIES)
    expect(outsider.webhookEndpoints.map((e) => e.id)).not.toContain(id)
    const own = await (await as('dept.CGXF')).must(DELIVERIES)
    expect(own.webhookEndpoints.find((e) => e.id === id)?.deliveries.totalCount).toBe(1)
    const admin = await (await as('admin')).must(DELIVERIES)
    expect(admin.webhookEndpoints.find((e) => e.id === id)?.deliveries.totalCount).toBe(1)
  })

  it("should list a webhook's deliveries newest first, with every attempt, after a receiver that fails then succeeds", async () => {
    const rx = await listen([500, 200])
    const { endpoint } = ofType(await registerWebhook(t, 'dept.CGGD', 'CGGD', rx.url), 'RegisterWebhookPayload').webhook
    const first = await dispatchTo(t, 'CGGD', '小区配电箱异响')
    await rx.count(2)
    // the worker takes the next order only after recording the success of the first
    const second = await dispatchTo(t, 'CGGD', '路段停电未通知')
    await rx.count(3)

    const staff = await as('dept.CGGD')
    const { webhookEndpoints } = await staff.must(DELIVERIES)
    const mine = webhookEndpoints.find((e) => e.id === endpoint.id)!
    expect(mine.version).toBe(0)
    expect(mine.deliveries.totalCount).toBe(2)
    const [newest, oldest] = mine.deliveries.edges.map((e) => e.node)
    expect(newest!.order).toEqual({ id: second.globalId })
    expect(oldest).toMatchObject({
      id: rx.requests[0]!.deliveryId,
      event: 'dispatchOrder.created',
      status: 'SUCCEEDED',
      attemptCount: 2,
      nextAttemptAt: null,
      deliveredAt: expect.any(String),
      createdAt: expect.any(String),
      order: { id: first.globalId },
    })
    expect(oldest!.attempts.map((a) => [a.attemptNo, a.statusCode, a.error])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, 200, null],
    ])
    for (const a of oldest!.attempts)
      expect(a).toMatchObject({ durationMs: expect.any(Number), createdAt: expect.any(String) })

    const failed = await staff.must(DELIVERIES, { status: ['FAILED'] })
    expect(failed.webhookEndpoints.find((e) => e.id === endpoint.id)!.deliveries.totalCount).toBe(0)
    // neither the secret nor the body sent is readable (generated documents, invalid on purpose)
    for (const field of ['payload', 'secret']) {
      const res = await staff.query(`{ webhookEndpoints { deliveries { edges { node { ${field} } } } } }`)
      expect(res.errors?.[0]?.message, field).toMatch(new RegExp(`Cannot query field "${field}"`))
    }
  })
})

// ---- DNS pinning ---------------------------------------------------------------------------

describe('webhook delivery pinned to the checked address', () => {
  it('should not reach a loopback receiver through a name that answers a public address at the check and 127.0.0.1 after', async () => {
    const rx = await listen([200])
    const port = new URL(rx.url).port
    const url = `http://rebind.example.test:${port}/hooks/orders`
    const calls: string[] = []
    const answers = ['93.184.216.34', '127.0.0.1']
    const rebinding: Resolver = async (host) => {
      calls.push(host)
      return [{ address: answers[Math.min(calls.length - 1, answers.length - 1)]!, family: 4 }]
    }
    const request = { headers: { 'content-type': 'application/json' }, body: '{"ping":true}', timeoutMs: 5_000 }

    await assertDeliverable(url, false, rebinding) // registration sees the public address
    await expect(postWebhook(url, { ...request, allowPrivate: false, resolve: rebinding })).rejects.toThrow(
      /non-public address \(loopback address 127\.0\.0\.1\)/,
    )
    expect(calls).toEqual(['rebind.example.test', 'rebind.example.test']) // one resolution per connection, checked
    expect(rx.requests).toHaveLength(0)

    // the same name does lead to the receiver when private targets are allowed, with Host left as the name
    expect(await postWebhook(url, { ...request, allowPrivate: true, resolve: rebinding })).toBe(200)
    expect(rx.requests).toHaveLength(1)
    expect(rx.requests[0]!.headers.host).toBe(`rebind.example.test:${port}`)
    expect(rx.requests[0]!.body).toBe('{"ping":true}')
  })

  it('should refuse a loopback URL at registration and record a refused attempt without reaching it, private targets not allowed', async () => {
    const rx = await listen([200])
    const strict = await startTestApp({ WEBHOOK_ALLOW_PRIVATE_URLS: 'false', WEBHOOK_POLL_MS: '50' })
    const observer = createPrisma(strict.databaseUrl)
    try {
      const refused = await registerWebhook(strict, 'dept.CGPCS', 'CGPCS', rx.url)
      expect(refused).toMatchObject({ __typename: 'ValidationFailed', code: 'common/validation-failed' })
      expect(ofType(refused, 'ValidationFailed').issues).toEqual([
        { path: 'url', message: 'the host resolves to a non-public address (loopback address 127.0.0.1)' },
      ])

      // as if its name had resolved to a public address at registration and to the loopback now
      const dept = await strict.prisma.department.findUniqueOrThrow({
        where: { code: 'CGPCS' },
        include: { staff: true },
      })
      await strict.prisma.webhookEndpoint.create({
        data: { departmentId: dept.id, url: rx.url, secret: 'x'.repeat(43), createdById: dept.staff[0]!.id },
      })
      const order = await dispatchTo(strict, 'CGPCS', '深夜营业场所纠纷')
      await strict.app.jobs.deliverWebhooks()
      await strict.stop() // drains a pass the dispatch may have started
      const delivery = await deliveryOf(observer, order.id)
      expect(delivery).toMatchObject({ status: 'PENDING', attemptCount: 1, leaseUntil: null })
      expect(delivery.attempts.map((a) => [a.attemptNo, a.statusCode, a.error])).toEqual([
        [1, null, 'the host resolves to a non-public address (loopback address 127.0.0.1)'],
      ])
      expect(rx.requests).toHaveLength(0)
    } finally {
      await strict.stop()
      await observer.$disconnect()
    }
  })

  it('should refuse an IP literal that is not public before connecting, and give up on a receiver that does not answer in time', async () => {
    const rx = await listen([200])
    await expect(
      postWebhook(rx.url, { headers: {}, body: '{}', timeoutMs: 5_000, allowPrivate: false }),
    ).rejects.toThrow(/loopback address 127\.0\.0\.1/)
    expect(rx.requests).toHaveLength(0)

    const gate = deferred()
    const silent = await listen([200], gate.promise)
    await expect(
      postWebhook(silent.url, { headers: {}, body: '{}', timeoutMs: 100, allowPrivate: true }),
    ).rejects.toMatchObject({ name: 'TimeoutError' })
    expect(silent.requests).toHaveLength(1)
    gate.resolve()
  })
})
