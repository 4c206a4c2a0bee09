// Department webhooks: an outbox in PostgreSQL (WebhookDelivery rows written in the transaction
// that creates the order), delivered by a worker that claims rows with a lease, so several
// instances share the work and a restart resumes where it stopped. Every attempt is recorded.
import { createHmac, randomBytes } from 'node:crypto'
import { lookup as dnsLookup } from 'node:dns/promises'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { z } from 'zod'
import type { Context } from '../../context.js'
import type { PrismaClient } from '../../db.js'
import type { Logger } from '../../logger.js'
import { hasRole, isAdmin, type Viewer } from '../../auth/viewer.js'
import { ForbiddenError, InvalidTransitionError, NotFoundError, ValidationFailedError } from '../../shared/errors.js'
import { observed, type JobObserver } from '../../shared/periodic.js'
import { parseInput } from '../../shared/validate.js'
import { updateVersioned } from '../../shared/versioned.js'
import { classifyAddress } from './webhook-address.js'

/** Active endpoints a department may have, unless the settings say otherwise (WEBHOOK_MAX_PER_DEPARTMENT). */
export const MAX_WEBHOOKS_PER_DEPARTMENT = 5

// ---------------------------------------------------------------- SSRF guard

/** Resolves a host name to every address it has (injectable: tests play DNS rebinding with it). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

/** A host that resolves to an address a webhook may not reach (loopback, private, reserved …). */
export class UndeliverableAddressError extends Error {
  constructor(
    readonly address: string,
    reason: string,
  ) {
    super(`the host resolves to a non-public address (${reason})`)
    this.name = 'UndeliverableAddressError'
  }
}

/**
 * The addresses of a URL's host, all of them deliverable (webhook-address.ts), or
 * UndeliverableAddressError naming the first that is not: one private answer among public ones
 * is enough to refuse. An IP literal is judged as it is; a name is resolved once.
 */
export async function deliverableAddresses(
  hostname: string,
  allowPrivate: boolean,
  resolve: Resolver = systemResolver,
) {
  const host = hostname.replace(/^\[|\]$/g, '')
  const family = isIP(host)
  const addresses = family ? [{ address: host, family }] : await resolve(host)
  if (!addresses.length) throw Object.assign(new Error(`no address for ${host}`), { code: 'ENOTFOUND' })
  if (!allowPrivate) {
    for (const a of addresses) {
      const verdict = classifyAddress(a.address)
      if (!verdict.deliverable) throw new UndeliverableAddressError(a.address, verdict.reason)
    }
  }
  return addresses
}

/**
 * Refuses URLs whose host resolves to a loopback, private, link-local, multicast or otherwise
 * non-public address, so a webhook cannot make the server call into its own network (SSRF).
 * Checked at registration; every delivery checks again on the very resolution it connects to
 * (pinnedLookup). WEBHOOK_ALLOW_PRIVATE_URLS lifts it (development, tests).
 */
export async function assertDeliverable(
  url: string,
  allowPrivate: boolean,
  resolve: Resolver = systemResolver,
): Promise<void> {
  if (allowPrivate) return
  try {
    await deliverableAddresses(new URL(url).hostname, false, resolve)
  } catch (e) {
    if (e instanceof UndeliverableAddressError) throw new ValidationFailedError([{ path: 'url', message: e.message }])
    throw e
  }
}

const familyOf = (f: number | string | undefined) => (f === 4 || f === 'IPv4' ? 4 : f === 6 || f === 'IPv6' ? 6 : 0)

/**
 * A `lookup` for node:net that resolves the host once, refuses it unless every answer is
 * deliverable, and connects to exactly the addresses it checked: a DNS answer that changes
 * between a check and the connection (rebinding) cannot slip a private address in.
 */
export function pinnedLookup(allowPrivate: boolean, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    deliverableAddresses(hostname, allowPrivate, resolve).then(
      (all) => {
        const family = familyOf(options.family)
        const wanted = family ? all.filter((a) => a.family === family) : all
        const first = wanted[0]
        if (!first)
          callback(Object.assign(new Error(`no IPv${family} address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0)
        else if (options.all) callback(null, wanted)
        else callback(null, first.address, first.family)
      },
      (e: NodeJS.ErrnoException) => callback(e, '', 0),
    )
  }
}

export interface PostOptions {
  headers: Record<string, string>
  body: string
  timeoutMs: number
  allowPrivate: boolean
  resolve?: Resolver
}

/**
 * POSTs a body with node:http(s) through pinnedLookup (fetch has no hook between resolving and
 * connecting). Host and TLS SNI stay the URL's host; redirects are not followed; the response body
 * is drained and dropped; the whole exchange is bounded by `timeoutMs`. Resolves to the status code.
 */
export async function postWebhook(target: string, opts: PostOptions): Promise<number> {
  const url = new URL(target)
  // node:net skips `lookup` for IP literals, so they are judged here
  if (isIP(url.hostname.replace(/^\[|\]$/g, ''))) await deliverableAddresses(url.hostname, opts.allowPrivate)
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<number>((resolve, reject) => {
    let res: IncomingMessage | undefined
    let timer: NodeJS.Timeout | undefined
    let settled = false
    const settle = (fn: () => void) => {
      if (!settled) {
        settled = true
        clearTimeout(timer)
        fn()
      }
    }
    const fail = (e: Error) => settle(() => reject(e))
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) },
        agent: false, // a fresh connection per delivery: no pooled socket outlives the check that opened it
        lookup: pinnedLookup(opts.allowPrivate, opts.resolve),
      },
      (response) => {
        res = response
        response.on('error', fail)
        response.on('end', () => settle(() => resolve(response.statusCode ?? 0)))
        response.on('close', () => {
          if (!response.complete) fail(new Error('the response ended early'))
        })
        response.resume()
      },
    )
    timer = setTimeout(() => {
      const e = Object.assign(new Error('timeout'), { name: 'TimeoutError' })
      fail(e)
      req.destroy(e)
      res?.destroy()
    }, opts.timeoutMs)
    req.on('error', fail)
    req.end(opts.body)
  })
}

// ---------------------------------------------------------------- administration

const newSecret = () => randomBytes(32).toString('base64url')

/** Who manages a department's webhooks: its own staff, and admins. */
function assertManages(viewer: Viewer, departmentId: string) {
  if (!isAdmin(viewer) && !(hasRole(viewer, 'DEPARTMENT_STAFF') && viewer.departmentId === departmentId)) {
    throw new ForbiddenError("Only the department's own staff (or an admin) can manage its webhooks")
  }
}

export async function registerWebhook(ctx: Context, input: { departmentId: string; url: string }) {
  const viewer = ctx.access.requireViewer()
  const data = parseInput(
    z.object({
      departmentId: z.string(),
      url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(500),
    }),
    input,
  )
  const department = await ctx.prisma.department.findUnique({ where: { id: data.departmentId } })
  if (!department) throw new NotFoundError('Department', data.departmentId)
  assertManages(viewer, department.id)
  try {
    await assertDeliverable(data.url, ctx.settings.webhookAllowPrivate)
  } catch (e) {
    if (e instanceof ValidationFailedError) throw e
    throw new ValidationFailedError([{ path: 'url', message: `the host cannot be resolved (${(e as Error).message})` }])
  }
  const limit = ctx.settings.webhookMaxPerDepartment ?? MAX_WEBHOOKS_PER_DEPARTMENT
  const secret = newSecret()
  const endpoint = await ctx.prisma.$transaction(async (tx) => {
    // Registrations for one department queue on its row, so each count sees the ones committed
    // before it. NO KEY UPDATE: orders inserted for the department (a key-share lock) do not wait.
    await tx.$queryRaw`SELECT id FROM "Department" WHERE id = ${department.id}::uuid FOR NO KEY UPDATE`
    const active = await tx.webhookEndpoint.count({ where: { departmentId: department.id, active: true } })
    if (active >= limit) {
      const message = `the department already has ${active} active webhooks, the most allowed is ${limit}; deactivate one first`
      throw new ValidationFailedError([{ path: 'departmentId', message }])
    }
    return tx.webhookEndpoint.create({
      data: { departmentId: department.id, url: data.url, secret, createdById: viewer.userId },
    })
  })
  return { endpoint, secret }
}

const EndpointChange = z.object({ id: z.uuid({ message: 'not a webhook id' }), version: z.number().int().min(0) })

/** An active endpoint the viewer may read (else NotFound) and manage (else Forbidden). */
async function activeEndpoint(ctx: Context, id: string, action: string) {
  const viewer = ctx.access.requireViewer()
  const endpoint = await ctx.reader.webhookEndpoint.findUnique({
    where: { id },
    select: { id: true, departmentId: true, active: true },
  })
  if (!endpoint) throw new NotFoundError('WebhookEndpoint', id)
  assertManages(viewer, endpoint.departmentId)
  if (!endpoint.active) throw new InvalidTransitionError('WebhookEndpoint', 'INACTIVE', action)
  return endpoint
}

/** Stops an endpoint: the worker claims no more of its deliveries (pending ones stay, unclaimed). */
export async function deactivateWebhook(ctx: Context, input: { id: string; version: number }) {
  const data = parseInput(EndpointChange, input)
  const endpoint = await activeEndpoint(ctx, data.id, 'DEACTIVATE')
  return updateVersioned(ctx.prisma.webhookEndpoint, 'WebhookEndpoint', endpoint.id, data.version, { active: false })
}

/** Replaces an endpoint's signing secret; every delivery signed after this uses the new one. */
export async function rotateWebhookSecret(ctx: Context, input: { id: string; version: number }) {
  const data = parseInput(EndpointChange, input)
  const endpoint = await activeEndpoint(ctx, data.id, 'ROTATE_SECRET')
  const secret = newSecret()
  await updateVersioned(ctx.prisma.webhookEndpoint, 'WebhookEndpoint', endpoint.id, data.version, { secret })
  return { endpoint: { id: endpoint.id }, secret }
}

// ---------------------------------------------------------------- delivery

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
  /** DNS for deliveries (tests); the system resolver otherwise. */
  resolve?: Resolver
  observe?: JobObserver
}

/** Backoff before attempt n+1 after n failures: base·2^(n−1), capped at one hour, ±10 % jitter. */
export function backoffMs(failures: number, baseMs: number, jitter = Math.random()): number {
  const raw = Math.min(baseMs * 2 ** Math.max(0, failures - 1), 3_600_000)
  return Math.round(raw * (0.9 + 0.2 * jitter))
}

/** Pending deliveries of active endpoints: due now (the worker's backlog) and waiting for a retry. */
export async function webhookQueue(prisma: PrismaClient, now = new Date()): Promise<{ due: number; waiting: number }> {
  const pending = { status: 'PENDING', endpoint: { active: true } } as const
  const [due, waiting] = await Promise.all([
    prisma.webhookDelivery.count({ where: { ...pending, nextAttemptAt: { lte: now } } }),
    prisma.webhookDelivery.count({ where: { ...pending, nextAttemptAt: { gt: now } } }),
  ])
  return { due, waiting }
}

export function createWebhookWorker(opts: WebhookWorkerOptions) {
  const { prisma, log } = opts
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again = false
  let stopped = true

  async function deliverOne(id: string) {
    const d = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id }, include: { endpoint: true } })
    // deactivated after the claim: leave it unsent, as every other delivery of the endpoint
    if (!d.endpoint.active) {
      await prisma.webhookDelivery.update({ where: { id }, data: { leaseUntil: null } })
      return
    }
    const body = JSON.stringify({ deliveryId: d.id, event: d.event, attempt: d.attemptCount + 1, data: d.payload })
    const ts = Math.floor(Date.now() / 1000)
    const started = Date.now()
    let statusCode: number | null = null
    let error: string | null = null
    try {
      statusCode = await postWebhook(d.endpoint.url, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'gongzhi-webhooks/1',
          'x-gongzhi-delivery': d.id,
          'x-gongzhi-event': d.event,
          'x-gongzhi-signature': signature(d.endpoint.secret, ts, body),
        },
        body,
        timeoutMs: opts.timeoutMs ?? 10_000,
        allowPrivate: opts.allowPrivate,
        resolve: opts.resolve,
      })
      if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? 'timeout' : String((e as Error).message ?? e)
    }
    const attemptNo = d.attemptCount + 1
    const ok = error === null
    await prisma.$transaction([
      prisma.webhookAttempt.create({
        data: { deliveryId: d.id, attemptNo, statusCode, error, durationMs: Date.now() - started },
      }),
      prisma.webhookDelivery.update({
        where: { id: d.id },
        data: ok
          ? { status: 'SUCCEEDED', attemptCount: attemptNo, deliveredAt: new Date(), leaseUntil: null }
          : attemptNo >= opts.maxAttempts
            ? { status: 'FAILED', attemptCount: attemptNo, leaseUntil: null }
            : {
                attemptCount: attemptNo,
                nextAttemptAt: new Date(Date.now() + backoffMs(attemptNo, opts.retryBaseMs)),
                leaseUntil: null,
              },
      }),
    ])
    log[ok ? 'info' : 'warn'](
      { deliveryId: d.id, attemptNo, statusCode, error },
      ok ? 'webhook delivered' : 'webhook attempt failed',
    )
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
    const next = await prisma.webhookDelivery.findFirst({
      where: { status: 'PENDING', endpoint: { active: true } },
      orderBy: { nextAttemptAt: 'asc' },
      select: { nextAttemptAt: true },
    })
    return next?.nextAttemptAt ?? null
  }

  async function runOnce(): Promise<void> {
    for (;;) {
      const ids = await claim()
      if (!ids.length) return
      await Promise.all(
        ids.map((id) => deliverOne(id).catch((e) => log.error({ err: e, deliveryId: id }, 'webhook delivery crashed'))),
      )
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
    if (running) {
      again = true
      return
    }
    running = (async () => {
      try {
        await observed(
          'webhook delivery',
          async () => {
            do {
              again = false
              await runOnce()
            } while (again && !stopped)
            const due = await nextDue()
            schedule(due ? Math.min(opts.pollMs, due.getTime() - Date.now()) : opts.pollMs)
          },
          opts.observe,
        )
      } catch (e) {
        log.error({ err: e }, 'webhook worker failed; retrying')
        schedule(opts.pollMs)
      } finally {
        running = undefined
      }
    })()
  }

  return {
    start() {
      stopped = false
      kick()
    },
    kick,
    runOnce,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
