// Department webhooks: an outbox in PostgreSQL (WebhookDelivery rows written in the transaction
// that creates the order), delivered by a worker that claims rows with a lease, so several
// instances share the work and a restart resumes where it stopped. Every attempt is recorded.
import { createHmac, randomBytes } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import { z } from 'zod'
import type { Context } from '../../context.js'
import type { PrismaClient } from '../../db.js'
import type { Logger } from '../../logger.js'
import { hasRole, isAdmin } from '../../auth/viewer.js'
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { parseInput } from '../../shared/validate.js'

const PRIVATE = new BlockList()
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['224.0.0.0', 4]] as const) PRIVATE.addSubnet(net, bits, 'ipv4')
for (const [net, bits] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(net, bits, 'ipv6')

/**
 * Refuses URLs whose host resolves to a loopback, private, link-local or multicast address, so a
 * webhook cannot make the server call into its own network (SSRF). Checked at registration and
 * again before every delivery (DNS may change). WEBHOOK_ALLOW_PRIVATE_URLS lifts it (development, tests).
 */
export async function assertDeliverable(url: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true })
  const blocked = addresses.find((a) => PRIVATE.check(a.address, a.family === 6 ? 'ipv6' : 'ipv4'))
  if (blocked) throw new ValidationFailedError([{ path: 'url', message: `the host resolves to a non-public address (${blocked.address})` }])
}

export async function registerWebhook(ctx: Context, input: { departmentId: string; url: string }) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(z.object({ departmentId: z.string(), url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(500) }), input)
  const department = await ctx.prisma.department.findUnique({ where: { id: data.departmentId } })
  if (!department) throw new NotFoundError('Department', data.departmentId)
  if (!isAdmin(viewer) && !(hasRole(viewer, 'DEPARTMENT_STAFF') && viewer.departmentId === department.id)) {
    throw new ForbiddenError('Only the department\'s own staff (or an admin) can register its webhooks')
  }
  try {
    await assertDeliverable(data.url, ctx.settings.webhookAllowPrivate)
  } catch (e) {
    if (e instanceof ValidationFailedError) throw e
    throw new ValidationFailedError([{ path: 'url', message: `the host cannot be resolved (${(e as Error).message})` }])
  }
  const secret = randomBytes(32).toString('base64url')
  const endpoint = await ctx.prisma.webhookEndpoint.create({ data: { departmentId: department.id, url: data.url, secret, createdById: viewer.userId } })
  return { endpoint, secret }
}

/** `X-Gongzhi-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (verify both, reject old t). */
export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

export interface WebhookWorkerOptions {
  prisma: PrismaClient
  log: Logger
  pollMs: number
  retryBaseMs: number
  maxAttempts: number
  allowPrivate: boolean
  timeoutMs?: number
}

/** Backoff before attempt n+1 after n failures: base·2^(n−1), capped at one hour, ±10 % jitter. */
export function backoffMs(failures: number, baseMs: number, jitter = Math.random()): number {
  const raw = Math.min(baseMs * 2 ** Math.max(0, failures - 1), 3_600_000)
  return Math.round(raw * (0.9 + 0.2 * jitter))
}

export function createWebhookWorker(opts: WebhookWorkerOptions) {
  const { prisma, log } = opts
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again = false
  let stopped = true

  async function deliverOne(id: string) {
    const d = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id }, include: { endpoint: true } })
    const body = JSON.stringify({ deliveryId: d.id, event: d.event, attempt: d.attemptCount + 1, data: d.payload })
    const ts = Math.floor(Date.now() / 1000)
    const started = Date.now()
    let statusCode: number | null = null
    let error: string | null = null
    try {
      await assertDeliverable(d.endpoint.url, opts.allowPrivate)
      const res = await fetch(d.endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json', 'user-agent': 'gongzhi-webhooks/1',
          'x-gongzhi-delivery': d.id, 'x-gongzhi-event': d.event, 'x-gongzhi-signature': signature(d.endpoint.secret, ts, body),
        },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        redirect: 'manual',
      })
      statusCode = res.status
      await res.arrayBuffer().catch(() => undefined)
      if (!res.ok) error = `HTTP ${res.status}`
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? 'timeout' : String((e as Error).message ?? e)
    }
    const attemptNo = d.attemptCount + 1
    const ok = error === null
    await prisma.$transaction([
      prisma.webhookAttempt.create({ data: { deliveryId: d.id, attemptNo, statusCode, error, durationMs: Date.now() - started } }),
      prisma.webhookDelivery.update({
        where: { id: d.id },
        data: ok
          ? { status: 'SUCCEEDED', attemptCount: attemptNo, deliveredAt: new Date(), leaseUntil: null }
          : attemptNo >= opts.maxAttempts
            ? { status: 'FAILED', attemptCount: attemptNo, leaseUntil: null }
            : { attemptCount: attemptNo, nextAttemptAt: new Date(Date.now() + backoffMs(attemptNo, opts.retryBaseMs)), leaseUntil: null },
      }),
    ])
    log[ok ? 'info' : 'warn']({ deliveryId: d.id, attemptNo, statusCode, error }, ok ? 'webhook delivered' : 'webhook attempt failed')
  }

  /** Claims due deliveries with a lease (FOR UPDATE SKIP LOCKED: instances never take the same row). */
  async function claim(): Promise<string[]> {
    const rows = await prisma.$queryRaw<{ id: string }[]>`
      UPDATE "WebhookDelivery" SET "leaseUntil" = now() + interval '2 minutes'
      WHERE id IN (
        SELECT id FROM "WebhookDelivery"
        WHERE status = 'PENDING' AND "nextAttemptAt" <= now() AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
          AND "endpointId" IN (SELECT id FROM "WebhookEndpoint" WHERE active)
        ORDER BY "nextAttemptAt" LIMIT 20 FOR UPDATE SKIP LOCKED)
      RETURNING id::text`
    return rows.map((r) => r.id)
  }

  async function nextDue(): Promise<Date | null> {
    const next = await prisma.webhookDelivery.findFirst({ where: { status: 'PENDING', endpoint: { active: true } }, orderBy: { nextAttemptAt: 'asc' }, select: { nextAttemptAt: true } })
    return next?.nextAttemptAt ?? null
  }

  async function runOnce(): Promise<void> {
    for (;;) {
      const ids = await claim()
      if (!ids.length) return
      await Promise.all(ids.map((id) => deliverOne(id).catch((e) => log.error({ err: e, deliveryId: id }, 'webhook delivery crashed'))))
    }
  }

  function schedule(ms: number) {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(kick, Math.max(0, ms))
    timer.unref()
  }

  function kick() {
    if (stopped) return
    if (running) { again = true; return }
    running = (async () => {
      try {
        do { again = false; await runOnce() } while (again && !stopped)
        const due = await nextDue()
        schedule(due ? Math.min(opts.pollMs, due.getTime() - Date.now()) : opts.pollMs)
      } catch (e) {
        log.error({ err: e }, 'webhook worker failed; retrying')
        schedule(opts.pollMs)
      } finally {
        running = undefined
      }
    })()
  }

  return {
    start() { stopped = false; kick() },
    kick,
    runOnce,
    async stop() { stopped = true; clearTimeout(timer); await running },
  }
}
