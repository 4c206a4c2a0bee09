// Acceptance (DESIGN §6): a department webhook receiver that fails twice then succeeds gets the
// order exactly once as a success, with 3 attempts recorded; a restart between attempts does not
// lose it. Receivers are real HTTP servers on the loopback; no sleeps — the receiver resolves
// deferred promises as requests arrive.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrisma } from '../../../src/db.js'
import { startTestApp, type TestApp } from '../../helpers/app.js'
import { client } from '../../helpers/http.js'
import { globalId } from '../../helpers/fixtures.js'
import { deferred } from '../../helpers/ws.js'
import { caseFactory, categoryId, gridCenter } from '../../factories/cases.js'
import { rowId } from '../../factories/orders.js'

// ---- a webhook receiver on the loopback ----------------------------------------------------

interface Received { headers: IncomingHttpHeaders; body: string; at: number; deliveryId: string }

/** Answers with `statuses` in turn (the last one repeats) and records every request. */
async function receiver(statuses: number[]) {
  const requests: Received[] = []
  let waiters: { n: number; resolve: () => void }[] = []
  const server = createServer((req, res) => {
    const at = Date.now()
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const status = statuses[Math.min(requests.length, statuses.length - 1)]!
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), at, deliveryId: String(req.headers['x-gongzhi-delivery']) })
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'try again')
      waiters = waiters.filter((w) => (requests.length >= w.n ? (w.resolve(), false) : true))
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

const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { __typename
  ... on RegisterWebhookPayload { webhook { secret endpoint { id url active department { code } } } }
  ... on ValidationFailed { issues { path message } }
  ... on Error { code message } } }`

async function registerWebhook(t: TestApp, asUser: string, departmentCode: string, url: string) {
  const dept = await t.prisma.department.findUniqueOrThrow({ where: { code: departmentCode } })
  const data = await client(t.url, await t.tokenFor(asUser)).must(REGISTER, { input: { departmentId: globalId('Department', dept.id), url } })
  return data.registerWebhook
}

/** Reports, accepts and dispatches a new case to one department; returns the order (global id). */
async function dispatchTo(t: TestApp, departmentCode: string, title: string) {
  const { lng, lat } = await gridCenter(t, 'CG-DM-01')
  const reporter = await t.tokenFor('grid.worker.CG-DM-01.leader', ['GRID_WORKER'])
  const officer = await t.tokenFor('community.officer.1')
  const dept = await t.prisma.department.findUniqueOrThrow({ where: { code: departmentCode } })
  const flow = caseFactory(t, { reporter, officer })
  await flow.report({ title, description: `${title}，请尽快处置`, categoryId: await categoryId(t, 'SECURITY'), source: 'PATROL', lng, lat })
  await flow.accept()
  await flow.dispatchTo([{ departmentId: globalId('Department', dept.id), role: 'LEAD' }])
  const order = flow.case.orders.find((o) => o.department?.code === departmentCode)!
  return { globalId: order.id, id: rowId(order.id) }
}

const deliveryOf = (prisma: TestApp['prisma'], orderId: string) =>
  prisma.webhookDelivery.findFirstOrThrow({ where: { orderId }, include: { attempts: { orderBy: { attemptNo: 'asc' } } } })

// ---- one app for the file: fast retries, at most 3 attempts --------------------------------

let t: TestApp
const receivers: Receiver[] = []
const listen = async (statuses: number[]) => { const r = await receiver(statuses); receivers.push(r); return r }

beforeAll(async () => { t = await startTestApp({ WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_POLL_MS: '50', WEBHOOK_MAX_ATTEMPTS: '3' }) })
afterAll(async () => {
  await t?.stop()
  await Promise.all(receivers.map((r) => r.close()))
})

describe('department webhooks', () => {
  it('should deliver an order to a receiver that fails twice exactly once as a success, signed, with 3 attempts recorded', async () => {
    const rx = await listen([500, 500, 200])
    const registered = await registerWebhook(t, 'dept.CGPCS', 'CGPCS', rx.url)
    expect(registered.__typename).toBe('RegisterWebhookPayload')
    const { secret, endpoint } = registered.webhook
    expect(endpoint).toMatchObject({ url: rx.url, active: true, department: { code: 'CGPCS' } })
    expect(secret).toMatch(/^[\w-]{40,}$/)
    // the secret is shown once: the endpoint type has no field for it
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
      expect(body).toMatchObject({ deliveryId, event: 'dispatchOrder.created', attempt: i + 1, data: { orderId: order.globalId } })
    }
    // the signature binds the secret and the exact body
    expect(verifySignature(`${secret}x`, first!.headers['x-gongzhi-signature'], first!.body)).toBe(false)
    expect(verifySignature(secret, first!.headers['x-gongzhi-signature'], first!.body.replace('"attempt":1', '"attempt":2'))).toBe(false)
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
    expect(delivery.attempts.map((a) => [a.attemptNo, a.statusCode, a.error])).toEqual([[1, 500, 'HTTP 500'], [2, 500, 'HTTP 500'], [3, 200, null]])
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
    expect(delivery).toMatchObject({ id: deliveryId, status: 'FAILED', attemptCount: 3, deliveredAt: null, leaseUntil: null })
    expect(delivery.attempts.map((a) => [a.attemptNo, a.statusCode, a.error])).toEqual([[1, 503, 'HTTP 503'], [2, 503, 'HTTP 503'], [3, 503, 'HTTP 503']])
  })

  it('should refuse a URL that is not http(s) with ValidationFailed', async () => {
    const urls = ['ftp://files.example.com/hook', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']
    for (const url of urls) {
      const res = await registerWebhook(t, 'dept.CGPCS', 'CGPCS', url)
      expect(res, url).toMatchObject({ __typename: 'ValidationFailed', code: 'common/validation-failed' })
      expect(res.issues.map((i: { path: string }) => i.path), url).toEqual(['url'])
    }
    expect(await t.prisma.webhookEndpoint.count({ where: { url: { in: urls } } })).toBe(0)
  })

  it('should forbid another department\'s staff to register a webhook for this department', async () => {
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

      second = await startTestApp({ WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_POLL_MS: '50' }, { databaseUrl: first.databaseUrl })
      const [, attempt2] = await rx.count(2)
      expect(attempt2!.deliveryId).toBe(attempt1!.deliveryId)
      expect(JSON.parse(attempt2!.body)).toMatchObject({ attempt: 2, data: { orderId: order.globalId } })
      expect(verifySignature(registered.webhook.secret, attempt2!.headers['x-gongzhi-signature'], attempt2!.body)).toBe(true)
      expect(attempt2!.at - attempt1!.at).toBeGreaterThanOrEqual(900)

      await second.stop() // drains the second attempt's bookkeeping
      const done = await deliveryOf(observer, order.id)
      expect(done).toMatchObject({ status: 'SUCCEEDED', attemptCount: 2, leaseUntil: null })
      expect(done.attempts.map((a) => [a.attemptNo, a.statusCode])).toEqual([[1, 500], [2, 200]])
      expect(rx.requests.map((r) => r.deliveryId)).toEqual([attempt1!.deliveryId, attempt1!.deliveryId])
    } finally {
      await second?.stop()
      await first.stop()
      await observer.$disconnect()
    }
  })
})
